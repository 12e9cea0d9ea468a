"""The API docs in Debian's Chromium with the internet shut off (issue 12: ReDoc came from a CDN
and the page stayed blank offline): Swagger UI from the installed package draws the service's
operations, under the page's 'self'-only CSP, with no request leaving the machine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from services.reports.app import create_app
from services.reports.config import ReportsSettings
from tests.conftest import JWT_SECRET, REDIS_URL, ROOT
from tests.support.cases_server import AppServer

SHOTS = ROOT / "test-artifacts" / "api-docs"


@pytest.fixture
def reports_docs(tmp_path: Path) -> Iterator[str]:
    settings = ReportsSettings(
        database_url=f"sqlite:///{tmp_path}/reports.db", redis_url=REDIS_URL, jwt_secret=JWT_SECRET
    )
    server = AppServer(create_app(settings)).start()
    yield server.url
    server.stop()


def test_the_api_docs_draw_offline_under_a_self_only_policy(
    reports_docs: str, chromium: Browser
) -> None:
    outside: list[str] = []
    problems: list[str] = []
    context = chromium.new_context()  # the session's one browser, a context of its own
    try:
        page = context.new_page()

        def only_this_service(route):  # type: ignore[no-untyped-def]
            if route.request.url.startswith(reports_docs):
                return route.continue_()
            outside.append(route.request.url)
            return route.abort()

        page.route("**/*", only_this_service)
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(f"{reports_docs}/api/v1/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=20_000)
        assert "Reports service" in page.locator(".info .title").inner_text()
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert "/api/v1/reports/schedules" in " ".join(paths)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "reports-docs.png"), full_page=False)
    finally:
        context.close()
    assert outside == []
    assert problems == [], problems  # a CSP violation is a console error
