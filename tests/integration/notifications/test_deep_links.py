"""Issue 12, deep links end to end: the coordinator receives a message about a case (real SMTP),
opens its link without a session, logs in to the web front end and lands on the case's page."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
import redis

from services.web.app import create_app
from services.web.config import WebSettings
from tests.conftest import JWT_SECRET, REDIS_URL
from tests.integration.notifications.helpers import bearer, rows
from tests.integration.notifications.test_delivery import deliver_due
from tests.integration.web.conftest import Browser
from tests.support.api_flows import open_case

WEB = "http://127.0.0.1:8000"  # WEB_PUBLIC_URL's default
LINK = re.compile(re.escape(WEB) + r"(/\S*)")


@pytest.fixture
def web(cases_server, clock) -> Iterator[Browser]:
    prefix = f"test:web:{uuid.uuid4().hex}:"
    settings = WebSettings(
        cases_url=cases_server.url,
        notifications_url="",
        reports_url="",
        redis_url=REDIS_URL,
        jwt_secret=JWT_SECRET,
        session_secret="web-session-secret-for-tests-only!!",
        session_key_prefix=prefix,
    )
    yield Browser(create_app(settings, clock=clock).test_client(), settings)
    r = redis.Redis.from_url(REDIS_URL)
    for key in r.scan_iter(f"{prefix}*"):
        r.delete(key)


def test_a_link_in_a_received_message_lands_on_its_page_after_log_in(
    notifications, world, pipeline, mail_server, notifications_client, web
):
    pipeline.run()  # the partnership's default policies
    policy = {
        "key": "new_case_to_ib",
        "name": "Nieuw traject naar de IB'er",
        "event_types": ["case.opened"],
        "recipient_roles": ["coordinator"],
        "channels": {"coordinator": ["email"]},
        "critical": True,  # at once, whatever the hour
    }
    admin = bearer(world.tokens["admin_a"])
    response = notifications_client.post("/api/v1/policies/", json=policy, headers=admin)
    assert response.status_code == 201, response.json
    case = open_case(world, "a1")
    pipeline.run()
    [row] = rows(notifications, case_id=case["id"], recipient_role="coordinator")
    assert deliver_due(notifications)[row["id"]] == "sent"
    [mail] = [m for m in mail_server.wait_for(1) if m.rcpt_tos == ("coordinator_a1@test.nl",)]
    assert "/api/v1/" not in mail.body
    [path] = LINK.findall(mail.body)
    assert path == f"/trajecten/{case['id']}"

    opened = web.get(path)  # no session yet
    assert opened.status_code == 302
    assert opened.headers["Location"] == f"/inloggen?next={path}"
    landed = web.login("coordinator_a1", next_url=path)
    assert landed.headers["Location"] == path
    page = web.get(path)
    assert page.status_code == 200
    assert "Kind a1" in page.get_data(as_text=True)
