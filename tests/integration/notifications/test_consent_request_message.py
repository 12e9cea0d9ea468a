"""Issue 13: the consent request tells the parents how to answer, by when, whom to ask, and where
to go when they disagree.

Read from the real SMTP server with Python's strict e-mail policy: the link to the plan's consent
page on the parents' pages (on a line of its own), the day the school hopes for an answer by
(the request's day plus the partnership's `consent_answer_days`, as a Dutch date), the school and
its contact (the pupil's coordinator), and the way to disagree: the school, the partnership by
name, the Geschillencommissie passend onderwijs. No pupil data beyond the first name.

Real: the cases app over HTTP, Redis, both databases (SQLite and PostgreSQL), the SMTP server.
"""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

from tests.integration.notifications.test_consent_recheck import GUARDIAN, deliver_due
from tests.support.api_flows import (
    NothingWritten,
    assert_error,
    open_case,
    ready_plan,
    request_consent,
)
from tests.support.mail import MailServer

SUBJECT = "Uw instemming gevraagd met het plan voor Kind a1"
WEB_URL = "http://127.0.0.1:8000"  # NotificationsSettings' default WEB_PUBLIC_URL


def consent_request(mail_server: MailServer) -> str:
    [mail] = [m for m in mail_server.messages if GUARDIAN in m.rcpt_tos and m.subject == SUBJECT]
    message = message_from_bytes(mail.raw, policy=policy.strict)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_the_consent_request_holds_the_link_the_date_the_contact_and_the_way_to_disagree(
    world, container, pipeline, notifications, mail_server
):
    settings = f"/api/v1/partnerships/{world.partnership_a}/settings"
    for bad in (0, 91, "twee weken", None):
        with NothingWritten(container):
            answer = world.call("admin_a", "PATCH", settings, json={"consent_answer_days": bad})
            assert_error(answer, 422, field="consent_answer_days")
    changed = world.call("admin_a", "PATCH", settings, json={"consent_answer_days": 10})
    assert changed.status_code == 200 and changed.json["settings"]["consent_answer_days"] == 10

    case = open_case(world)
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])  # on 25 September 2026
    pipeline.run()
    assert "sent" in set(deliver_due(notifications).values())
    mail_server.wait_for(1)
    lines = consent_request(mail_server).splitlines()

    # 1. How to answer: the plan's consent page, the link alone on its line.
    assert f"{WEB_URL}/ouders/plannen/{plan['id']}/instemming" in lines
    # 2. By when: 25 September + 10 days, in Dutch.
    assert "De school hoort graag uiterlijk 5 oktober 2026 van u." in lines
    # 3. Whom to ask: the pupil's coordinator at the school, the address on its own line.
    assert "Vragen? Neem contact op met coordinator_a1 van School A1:" in lines
    assert "coordinator_a1@test.nl" in lines
    # 4. Where to go on disagreeing: the school, the partnership by name, the committee.
    text = "\n".join(lines)
    assert "Bespreek het eerst met de school" in text
    assert "bij het samenwerkingsverband SWV A." in text
    assert "Geschillencommissie passend onderwijs:" in text
    assert "https://onderwijsgeschillen.nl" in lines
    # No pupil data beyond the first name (the world's pupils are "Kind a1 Test", N-a1).
    assert "Kind a1 Test" not in text and "N-a1" not in text and "2017" not in text


def test_the_default_answer_day_is_fourteen_days_after_the_request(
    world, pipeline, notifications, mail_server
):
    shown = world.call("admin_a", "GET", f"/api/v1/partnerships/{world.partnership_a}")
    assert shown.json["settings"]["consent_answer_days"] == 14
    case = open_case(world)
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])
    pipeline.run()
    assert "sent" in set(deliver_due(notifications).values())
    mail_server.wait_for(1)
    assert "uiterlijk 9 oktober 2026" in consent_request(mail_server)
