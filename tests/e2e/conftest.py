"""End-to-end fixtures: the cases service as real processes (gunicorn + relay) on a fresh SQLite
file, a real Redis, a per-test event stream and a clock file that sets the processes' time.

The processes' logs are attached to the report of a failing test.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import redis
import requests
from playwright.sync_api import Browser, Page, sync_playwright

from shared.clock import utc_iso
from tests.conftest import NOW, REDIS_URL
from tests.support.accessibility import describe, violations
from tests.support.processes import (
    PYTHON,
    ROOT,
    ProcessGroup,
    run_cli,
    service_env,
    start_web_app,
    wait_for_log,
)

PROCESSES = pytest.StashKey[ProcessGroup]()
ADMIN_EMAIL = "beheer@swv-e2e.test"
ADMIN_PASSWORD = "e2e-beheer-wachtwoord"
SHOTS = ROOT / "test-artifacts" / "web"  # the web front end's screenshots


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Attach the logs of the test's processes to the report when setup or the test fails."""
    report = yield
    group = item.stash.get(PROCESSES, None)
    if group is not None and report.failed and report.when in ("setup", "call"):
        report.sections.append(("process logs", group.report()))
    return report


@dataclass
class Client:
    """requests against one base URL, with an optional bearer token; fails loudly on surprises."""

    base_url: str
    token: str | None = None
    session: requests.Session = field(default_factory=requests.Session)

    def call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = self.session.request(
            method, self.base_url + path, headers=headers, timeout=10, **kwargs
        )
        assert response.status_code == expect, (
            f"{method} {path}: {response.status_code} {response.text}"
        )
        return response.json()

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, json: Any, expect: int = 200) -> Any:
        return self.call("POST", path, expect=expect, json=json)

    def login(self, email: str, password: str) -> Client:
        """A client of the same service holding the token of this account."""
        body = self.post("/api/v1/auth/token", {"email": email, "password": password})
        return Client(self.base_url, body["access_token"], self.session)


@dataclass
class CasesStack:
    """The running cases service: its URL, event stream and the partnership made at bootstrap."""

    base_url: str
    stream: str
    redis: redis.Redis
    partnership_id: UUID
    clock_file: Path
    processes: ProcessGroup
    env: dict[str, str]

    def client(self) -> Client:
        return Client(self.base_url)

    def admin(self) -> Client:
        return self.client().login(ADMIN_EMAIL, ADMIN_PASSWORD)

    def set_time(self, iso_instant: str) -> None:
        """Move the running processes' clock (they read the file on every `now()`)."""
        self.clock_file.write_text(iso_instant, encoding="utf-8")


def start_cases(group: ProcessGroup, workdir: Path, stream: str, clock_file: Path) -> CasesStack:
    """Migrate and bootstrap a fresh database, then start the web app and the relay."""
    env = service_env(
        {
            "CASES_DATABASE_URL": f"sqlite:///{workdir / 'cases.db'}",
            "REDIS_URL": REDIS_URL,
            "JWT_SECRET": secrets.token_urlsafe(32),
            "EVENT_STREAM": stream,
            "CASES_RELAY_POLL_SECONDS": "0.05",
            "CLOCK_FILE": str(clock_file),
            "LOG_LEVEL": "INFO",
        }
    )
    cli = [PYTHON, "-m", "services.cases"]
    run_cli([*cli, "migrate"], env)
    out = run_cli(
        [*cli, "bootstrap", "--name", "SWV E2E", "--admin-email", ADMIN_EMAIL]
        + ["--admin-password", ADMIN_PASSWORD],
        env,
    )
    found = re.search(r"partnership ([0-9a-f-]{36}) created", out)
    assert found, out
    relay = group.python_module("cases-relay", "services.cases", ["relay"], env)
    _web, base_url = start_web_app(group, "cases-web", "services.cases.app:create_app()", env)
    wait_for_log(relay, "relay started", timeout=20)
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    return CasesStack(base_url, stream, client, UUID(found.group(1)), clock_file, group, env)


@pytest.fixture
def processes(
    request: pytest.FixtureRequest, tmp_path: Path, stream_name: str
) -> Iterator[ProcessGroup]:
    """The test's processes; terminated (then killed) before the stream's keys are deleted."""
    group = ProcessGroup(tmp_path / "logs")
    request.node.stash[PROCESSES] = group
    yield group
    group.stop_all()


@pytest.fixture
def cases_stack(processes: ProcessGroup, tmp_path: Path, stream_name: str) -> Iterator[CasesStack]:
    clock_file = tmp_path / "clock"
    clock_file.write_text(utc_iso(NOW), encoding="utf-8")  # 2026-10-15T08:00:00+00:00
    stack = start_cases(processes, tmp_path, stream_name, clock_file)
    yield stack
    stack.redis.close()


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def dutch_chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless, in Dutch (Chromium takes its locale, how a date field reads,
    from the environment, not the page); never a browser build Playwright downloads."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run scripts/ensure-chromium as root "
            "(apt-get install chromium), as `make test` and .ci/run do"
        )
    with sync_playwright() as playwright:
        dutch = {**os.environ, "LANG": "nl_NL.UTF-8", "LANGUAGE": "nl"}
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=dutch
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """Debian's Chromium (dutch_chromium), once per test session."""
    with dutch_chromium() as browser:
        yield browser


def start_web(cases_stack: CasesStack, **more_env: str) -> str:
    """The web app under gunicorn, on the system's clock, asking the cases service (and what
    `more_env` adds, e.g. REPORTS_URL); its URL."""
    env = {
        **cases_stack.env,
        "CASES_URL": cases_stack.base_url,
        "WEB_SESSION_SECRET": "e2e-web-session-secret-0123456789",
        **more_env,
    }
    _process, base_url = start_web_app(
        cases_stack.processes, "web", "services.web.app:create_app()", env
    )
    return base_url


@pytest.fixture
def notifications_extra_env() -> dict[str, str]:
    """More settings for the notifications processes of the `stack` fixture (tests/e2e/
    test_notifications.py); a test module may override this, as test_parents.py does."""
    return {}


class Walk:
    """Screenshots and axe-core on every page the walk visits."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.pages = 0
        SHOTS.mkdir(parents=True, exist_ok=True)

    def check(self, name: str, full_page: bool = True) -> None:
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)
        found = violations(self.page)
        assert not found, f"{name}:\n{describe(found)}"
        self.pages += 1


def new_walk(
    chromium: Browser,
    stale: str | None = None,
    width: int = 1280,
    height: int = 900,
    **options: Any,
) -> Walk:
    """A Dutch page of a new browser context (its walk's `page`; `page.context` closes it), after
    removing the earlier run's screenshots that match the glob `stale`."""
    if stale:
        for old in SHOTS.glob(stale):
            old.unlink()
    context = chromium.new_context(
        viewport={"width": width, "height": height}, locale="nl-NL", bypass_csp=True, **options
    )
    return Walk(context.new_page())
