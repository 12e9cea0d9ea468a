"""A real local HTTP webhook receiver for tests: http.server in a thread on 127.0.0.1.

It records the JSON body of every POST (and PUT) it answers with 200, and can be told to fail the
next N requests with 500 or 503 (`fail_next(2, status=503)`), which are recorded separately.
`wait_for(n)` polls with a deadline.

    with WebhookReceiver() as hook:
        url = hook.apprise_url()           # json://127.0.0.1:<port>/
        ...
        [body] = hook.wait_for(1)
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    """One request: method, path, headers and the parsed JSON body (None if not JSON)."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any
    status: int


class WebhookReceiver:
    """An HTTP endpoint on 127.0.0.1 at a free port."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[Received] = []
        self._failures: list[tuple[int, int]] = []  # (remaining, status)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.host, self.port = self._server.server_address[:2]
        self._thread: threading.Thread | None = None

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = None
                status = receiver._next_status()
                receiver._record(
                    Received(self.command, self.path, dict(self.headers), body, status)
                )
                payload = b'{"ok": true}' if status == 200 else b'{"ok": false}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_POST = _handle
            do_PUT = _handle

            def log_message(self, *_: Any) -> None:  # quiet
                pass

        return Handler

    def _next_status(self) -> int:
        with self._lock:
            if self._failures:
                remaining, status = self._failures[0]
                if remaining <= 1:
                    self._failures.pop(0)
                else:
                    self._failures[0] = (remaining - 1, status)
                return status
            return 200

    def _record(self, request: Received) -> None:
        with self._lock:
            self._requests.append(request)

    # -- life cycle -----------------------------------------------------------------------------

    def start(self) -> WebhookReceiver:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    # -- behaviour and what arrived -------------------------------------------------------------

    def fail_next(self, count: int, status: int = 500) -> None:
        """Answer the next `count` requests with `status` (500 or 503, say) instead of 200."""
        with self._lock:
            self._failures.append((count, status))

    @property
    def requests(self) -> list[Received]:
        """Every request, failed ones included, in arrival order."""
        with self._lock:
            return list(self._requests)

    @property
    def bodies(self) -> list[Any]:
        """The JSON bodies of the requests answered with 200."""
        return [r.body for r in self.requests if r.status == 200]

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Any]:
        """The accepted bodies once at least `count` arrived; AssertionError after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            bodies = self.bodies
            if len(bodies) >= count:
                return bodies
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"expected {count} webhook call(s) within {timeout:.1f} s, got {len(bodies)}"
                )
            time.sleep(0.02)  # poll interval

    def apprise_url(self, path: str = "/") -> str:
        """An Apprise json:// URL aimed at this receiver."""
        return f"json://{self.host}:{self.port}{path}"
