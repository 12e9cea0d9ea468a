"""A service's Flask app served over real HTTP on 127.0.0.1, for tests of the services that call
it (notifications asks cases who is around a case, the web front end calls every API, reports
replays the cases event log)."""

from __future__ import annotations

import threading

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from tests.support.processes import free_port


class AppServer:
    """A Flask app served over real HTTP on 127.0.0.1 in a thread, stoppable and restartable at
    the same port (to make the service unreachable for a while)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.port = free_port()
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> AppServer:
        if self._server is None:
            self._server = make_server("127.0.0.1", self.port, self.app, threaded=True)
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
            assert self._thread is not None
            self._thread.join(timeout=5)


CasesServer = AppServer  # the cases app's server, by the name the fixtures use
