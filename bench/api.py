"""Benchmark: the cases API under gunicorn (the Procfile's settings: 2 sync workers) beside a bare
Flask hello under the same settings, in the same run (issue 15). A load generator of a few
threads on loopback, bounded in requests and in time, measures requests per second and the p99
latency of GET one case (as its coordinator, with a bearer token), of POST an intervention
(round robin over POST_CASES cases, so no case grows much) and of GET /hello.

    .venv/bin/python -m bench.api                  # SQLite (and PostgreSQL, see bench/common.py)
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from bench.common import database_url, kinds, scratch
from bench.table import Row, render, row
from services.cases.app import create_app
from services.cases.bootstrap import bootstrap
from services.cases.config import CasesSettings
from shared.auth import configure_password_hashing
from shared.migrations import upgrade
from tests.support.api_flows import intervention_body, open_case, register_pupil
from tests.support.processes import ROOT, free_port, service_env
from tests.support.world import build_world

GUNICORN = str(Path(sys.executable).parent / "gunicorn")
SECRET = "bench-secret-bench-secret-bench-secret"
THREADS = 8
REDIS_URL = "redis://127.0.0.1:6379/0"
POST_CASES = 20


def cases_env(database_url: str, name: str) -> dict[str, str]:
    """The environment of a cases service the benchmark starts: its database, the tokens'
    secret and an event stream of its own."""
    return {
        "CASES_DATABASE_URL": database_url,
        "JWT_SECRET": SECRET,
        "EVENT_STREAM": f"bench-{name}-{uuid.uuid4().hex}",
        "LOG_LEVEL": "WARNING",
    }


class Server:
    """gunicorn serving `app` on a free port, with the services' settings."""

    def __init__(self, app: str, env: dict[str, str]) -> None:
        self.port = free_port()
        args = [GUNICORN, "--bind", f"127.0.0.1:{self.port}", "--workers", "2"]
        args += ["--graceful-timeout", "10", app]
        self.popen = subprocess.Popen(
            args,
            env=service_env(env),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", self.port, timeout=1).connect()
                return
            except OSError:
                if time.monotonic() > deadline or self.popen.poll() is not None:
                    raise RuntimeError(f"{app} did not start") from None
                time.sleep(0.1)

    def stop(self) -> None:
        os.killpg(self.popen.pid, signal.SIGTERM)
        self.popen.wait(timeout=30)


def load(
    port: int,
    path: str | list[str],
    headers: dict[str, str],
    count: int,
    seconds: float,
    body: bytes | None = None,
):
    """`count` GETs (POSTs of `body`, when given) from THREADS threads (or fewer, after `seconds`),
    to `path` or round robin over the paths: (requests/s, p99 ms)."""
    paths = [path] if isinstance(path, str) else path
    method, ok = ("GET", 200) if body is None else ("POST", 201)
    if body is not None:
        headers = {**headers, "Content-Type": "application/json"}
    latencies: list[float] = []
    failures: list[int] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    left = [count]

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
                target = paths[left[0] % len(paths)]
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            with lock:
                latencies.append(time.perf_counter() - started)
                if response.status != ok:
                    failures.append(response.status)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{method} {paths[0]}: {len(failures)} not {ok}, e.g. {failures[0]}")
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000
    return len(latencies) / elapsed, p99


def api_rows(kind: str, folder: str, count: int, seconds: float, rounds: int) -> list[Row]:
    url = database_url(kind, folder, "api")
    settings = CasesSettings(
        database_url=url, redis_url="redis://127.0.0.1:6379/0", jwt_secret=SECRET
    )
    container = bootstrap(settings)
    upgrade(ROOT / "services" / "cases" / "migrations", container.engine)
    configure_password_hashing(time_cost=1, memory_cost=1024)
    world = build_world(container, create_app(container=container).test_client())
    case = open_case(world)
    posts = []  # cases to add interventions to, each its own pupil's
    for n in range(POST_CASES):
        register_pupil(world, f"bench{n}")
        opened = open_case(world, f"bench{n}")
        posts.append(f"/api/v1/cases/{opened['id']}/interventions")
    token = world.tokens["coordinator_a1"]
    container.close()
    env = cases_env(url, "api")
    ours = Server("services.cases.app:create_app()", env)
    bare = Server("bench.hello:create_app()", env)
    auth = {"Authorization": f"Bearer {token}"}
    try:
        load(ours.port, f"/api/v1/cases/{case['id']}", auth, 50, 10)  # warm both up
        load(bare.port, "/hello", {}, 50, 10)
        results: dict[str, list[tuple[float, float]]] = {"bare": [], "ours": [], "post": []}
        body = json.dumps(intervention_body()).encode()
        for _ in range(rounds):
            results["bare"].append(load(bare.port, "/hello", {}, count, seconds))
            path = f"/api/v1/cases/{case['id']}"
            results["ours"].append(load(ours.port, path, auth, count, seconds))
            results["post"].append(load(ours.port, posts, auth, count // 2, seconds, body))
    finally:
        ours.stop()
        bare.stop()
    rate = {k: statistics.median(r for r, _ in v) for k, v in results.items()}
    p99 = {k: statistics.median(p for _, p in v) for k, v in results.items()}
    return [
        row(f"API GET one case ({kind})", "req/s", rate["ours"], rate["bare"], 0.25, "higher"),
        row(f"API GET one case p99 ({kind})", "ms", p99["ours"], p99["bare"], 5.0, "lower"),
        row(f"API POST intervention ({kind})", "req/s", rate["post"], rate["bare"], 0.1, "higher"),
        row(f"API POST intervention p99 ({kind})", "ms", p99["post"], p99["bare"], None, "lower"),
    ]


def rows(quick: bool) -> list[Row]:
    count, seconds, rounds = (300, 10.0, 1) if quick else (2000, 15.0, 2)
    found: list[Row] = []
    with scratch("bench-api-") as folder:
        for kind in kinds(quick):
            found += api_rows(kind, folder, count, seconds, rounds)
    return found


if __name__ == "__main__":
    print(render(rows("--quick" in sys.argv)))
