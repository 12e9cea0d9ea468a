"""A service whose database does not answer (issue 11, item 14): the API answers 503 in the one
error shape with Retry-After, not a 500, on every service, and /health/ready says not ready."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask

from services.cases import bootstrap as cases_bootstrap
from services.cases.app import create_app as cases_app
from services.cases.config import CasesSettings
from services.notifications import bootstrap as notifications_bootstrap
from services.notifications.app import create_app as notifications_app
from services.notifications.config import NotificationsSettings
from services.reports import bootstrap as reports_bootstrap
from services.reports.app import create_app as reports_app
from services.reports.config import ReportsSettings
from shared.auth import Principal, Role, issue_token
from shared.clock import FixedClock
from shared.crypto import new_key
from tests.conftest import JWT_SECRET, NOW, REDIS_URL
from tests.support.processes import free_port

# Nothing listens there: a PostgreSQL server that is down.
UNREACHABLE = f"postgresql://postgres@127.0.0.1:{free_port()}/gone"


def common(stream: str) -> dict[str, object]:
    return {
        "database_url": UNREACHABLE,
        "redis_url": REDIS_URL,
        "jwt_secret": JWT_SECRET,
        "event_stream": stream,
    }


def cases(stream: str) -> Flask:
    settings = CasesSettings(**common(stream))  # type: ignore[arg-type]
    return cases_app(container=cases_bootstrap.bootstrap(settings, clock=FixedClock(NOW)))


def notifications(stream: str) -> Flask:
    settings = NotificationsSettings(
        **common(stream),  # type: ignore[arg-type]
        cases_url="http://127.0.0.1:9",
        encryption_key=new_key(),
    )
    container = notifications_bootstrap.bootstrap(settings, clock=FixedClock(NOW))
    return notifications_app(container=container)


def reports(stream: str) -> Flask:
    settings = ReportsSettings(**common(stream))  # type: ignore[arg-type]
    return reports_app(container=reports_bootstrap.bootstrap(settings, clock=FixedClock(NOW)))


SERVICES: dict[str, tuple[Callable[[str], Flask], str]] = {
    "cases": (cases, "/api/v1/pupils"),
    "notifications": (notifications, "/api/v1/policies/"),
    "reports": (reports, "/api/v1/reports/schedules"),
}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_an_unreachable_database_answers_503_in_the_error_shape(service: str, stream_name) -> None:
    make, path = SERVICES[service]
    client = make(stream_name).test_client()
    admin = Principal(uuid.uuid4(), Role.ADMIN, uuid.uuid4())
    token = issue_token(admin, JWT_SECRET, datetime(2026, 10, 15, 7, 59, tzinfo=UTC))
    response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 503, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"code", "message", "errors"}
    assert body["code"] == "service_unavailable" and body["errors"] == {}
    assert response.headers["Retry-After"].isdigit()
    ready = client.get("/health/ready")
    assert ready.status_code == 503 and ready.json["checks"]["database"].startswith("unavailable")
