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
    add_coordinator(world)  # first by name at School A1, but not the pupil's own coordinator

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


def add_coordinator(world) -> str:
    body = {
        "role": "coordinator",
        "email": "anna.aalders@test.nl",
        "name": "Anna Aalders",
        "password": "een-lang-wachtwoord",
        "school_id": str(world.school_a1),
        "phone": "020 123 4567",
    }
    answer = world.call("admin_a", "POST", "/api/v1/users", json=body)
    assert answer.status_code == 201, answer.json
    return str(answer.json["id"])


def test_by_default_fourteen_days_and_without_the_pupils_coordinator_the_schools(
    world, pipeline, notifications, mail_server
):
    shown = world.call("admin_a", "GET", f"/api/v1/partnerships/{world.partnership_a}")
    assert shown.json["settings"]["consent_answer_days"] == 14
    add_coordinator(world)
    case = open_case(world)
    plan = ready_plan(world, case["id"])
    request_consent(world, plan["id"])
    disabled = world.call(
        "admin_a", "POST", f"/api/v1/users/{world.users['coordinator_a1']}/disable"
    )
    assert disabled.status_code == 200
    pipeline.run()
    assert "sent" in set(deliver_due(notifications).values())
    mail_server.wait_for(1)
    lines = consent_request(mail_server).splitlines()
    assert "De school hoort graag uiterlijk 9 oktober 2026 van u." in lines
    assert "Vragen? Neem contact op met Anna Aalders van School A1:" in lines
    assert ["anna.aalders@test.nl", "020 123 4567"] == lines[lines.index("anna.aalders@test.nl") :][
        :2
    ]
