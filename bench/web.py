"""Benchmark: a web page's server time against the cases API calls it makes (issue 12). The
cases API and the web front end each run under gunicorn (the Procfile's 2 sync workers); the
coordinator's "Mijn leerlingen" with 40 pupils in support and a case page with a 50-event
timeline are timed as a browser asks them, beside the very API calls the page made (recorded
once, in order, then replayed with the coordinator's token over a kept-alive connection, as the
web app calls them). The ratio is what the page adds: its session, its rendering, its hops.

    .venv/bin/python -m bench.web
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from typing import Any

import requests

from bench.api import SECRET, Server, cases_env
from bench.common import database_url, drop_databases
from bench.table import Row, interleaved, render, row
from services.cases.app import create_app
from services.cases.bootstrap import bootstrap
from services.cases.config import CasesSettings
from services.web.app import create_app as create_web_app
from services.web.config import WebSettings
from shared.auth import configure_password_hashing
from shared.migrations import upgrade
from tests.support import api_flows as f
from tests.support.processes import ROOT
from tests.support.world import PASSWORD, World, build_world

REDIS_URL = "redis://127.0.0.1:6379/0"
SESSION_SECRET = "bench-web-session-secret-0123456789"
PUPILS_IN_SUPPORT = 40
TIMELINE_EVENTS = 50
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
EMAIL = "coordinator_a1@test.nl"


def _world(url: str) -> tuple[World, str]:
    """The tests' world with 40 pupils in support at school A1, one case with a timeline of at
    least 50 events (interventions started and evaluated); that case's id."""
    settings = CasesSettings(database_url=url, redis_url=REDIS_URL, jwt_secret=SECRET)
    container = bootstrap(settings)
    upgrade(ROOT / "services" / "cases" / "migrations", container.engine)
    configure_password_hashing(time_cost=1, memory_cost=1024)
    world = build_world(container, create_app(container=container).test_client())
    case = f.open_case(world, "a1")["id"]
    f.open_case(world, "a1_other")
    for n in range(PUPILS_IN_SUPPORT - 2):
        f.register_pupil(world, f"Leerling{n:02d}")
        f.open_case(world, f"Leerling{n:02d}")
    path = f"/api/v1/cases/{case}/timeline"
    while len(f.call_ok(world, "coordinator_a1", "GET", path, 200)) < TIMELINE_EVENTS:
        item = f.start_intervention(world, case)
        f.evaluate_intervention(world, item["id"], "partly_effective")
    container.close()
    return world, case


def _ready(base_url: str) -> None:
    """Wait for gunicorn's workers: they load the app after the port already answers, and on a
    busy machine a first request can outlast the web app's 10-second API timeout."""
    for _ in range(4):  # both workers, probably
        assert requests.get(f"{base_url}/health", timeout=120).ok


def _log_in(base_url: str) -> requests.Session:
    browser = requests.Session()
    form = browser.get(f"{base_url}/inloggen", timeout=30).text
    token = CSRF.search(form)
    assert token, form
    answer = browser.post(
        f"{base_url}/inloggen",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": token.group(1)},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text
    return browser


def api_calls(cases_url: str, page: str) -> list[tuple[str, str]]:
    """The API calls the web app makes for `page`, in order (method, URL): the page rendered
    once in this process, its HTTP session's answers recorded."""
    settings = WebSettings(
        cases_url=cases_url,
        notifications_url="",
        reports_url="",
        redis_url=REDIS_URL,
        jwt_secret=SECRET,
        session_secret=SESSION_SECRET,
        session_key_prefix=f"bench:web:{uuid.uuid4().hex}:",
    )
    app = create_web_app(settings)
    http: requests.Session = app.extensions["web"].http
    seen: list[tuple[str, str]] = []
    client = app.test_client()
    token = CSRF.search(client.get("/inloggen").get_data(as_text=True))
    assert token
    data = {"email": EMAIL, "password": PASSWORD, "csrf_token": token.group(1)}
    answer = client.post("/inloggen", data=data)
    assert answer.status_code == 302, re.findall(r"field-error.*", answer.get_data(as_text=True))

    def record(response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
        seen.append((str(response.request.method), str(response.request.url)))

    http.hooks["response"].append(record)
    assert client.get(page).status_code == 200
    return seen


def _timer(call: Callable[[], None], count: int) -> Callable[[], float]:
    """The median milliseconds of `count` runs of `call`."""

    def run() -> float:
        times = []
        for _ in range(count):
            started = time.perf_counter()
            call()
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    return run


def page_rows(
    name: str, page: str, web_url: str, cases_url: str, token: str, count: int, rounds: int
) -> Row:
    calls = api_calls(cases_url, page)
    browser = _log_in(web_url)
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"

    def open_page() -> None:
        assert browser.get(f"{web_url}{page}", timeout=30).status_code == 200

    def replay() -> None:
        for method, url in calls:
            assert api.request(method, url, timeout=30).ok

    for warm in (open_page, replay):
        _timer(warm, 5)()
    ours, bare = interleaved(_timer(open_page, count), _timer(replay, count), rounds)
    print(f"[web: {name} makes {len(calls)} API calls]", file=sys.stderr)
    for method, url in calls:
        print(f"    {method} {url.replace(cases_url, '')}", file=sys.stderr)
    return row(f"Web {name} / its API calls (sqlite)", "ms", ours, bare, 1.3, "lower")


def rows(quick: bool) -> list[Row]:
    count, rounds = (15, 3) if quick else (40, 5)
    with tempfile.TemporaryDirectory(prefix="bench-web-") as folder:
        try:
            url = database_url("sqlite", folder, "web")
            world, case = _world(url)
            env = cases_env(url, "web")
            cases = Server("services.cases.app:create_app()", env)
            cases_url = f"http://127.0.0.1:{cases.port}"
            _ready(cases_url)
            web_env = {**env, "CASES_URL": cases_url, "WEB_SESSION_SECRET": SESSION_SECRET}
            web = Server("services.web.app:create_app()", web_env)
            web_url = f"http://127.0.0.1:{web.port}"
            _ready(web_url)
            token = world.tokens["coordinator_a1"]
            try:
                return [
                    page_rows(
                        f"Mijn leerlingen, {PUPILS_IN_SUPPORT} pupils",
                        "/leerlingen",
                        web_url,
                        cases_url,
                        token,
                        count,
                        rounds,
                    ),
                    page_rows(
                        f"case page, {TIMELINE_EVENTS}-event timeline",
                        f"/trajecten/{case}",
                        web_url,
                        cases_url,
                        token,
                        count,
                        rounds,
                    ),
                ]
            finally:
                web.stop()
                cases.stop()
        finally:
            drop_databases()


if __name__ == "__main__":
    print(render(rows("--quick" in sys.argv)))
