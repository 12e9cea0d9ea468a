"""Issue 14: the TLV application's events through the real consumer.

`referral.submitted` plans the consultants' reminders of the decision's deadline (a week ahead,
the day after it, and the escalation to the partnership's administrators a week after it);
`referral.advice_recorded` tells the school's coordinator only once both advices are in;
`referral.decided` cancels the deadline's pending rows and sends the guardian a message - read here
from the real SMTP server - that links to the decision letter on the parents' pages, names the way
to object and whom to ask, and says nothing of the decision itself.

The cases service does not emit these events yet (its part of issue 14 is another branch), so the
test publishes them on the stream as the relay would, for a case the cases service really holds
(its audience endpoint answers who is around it).

Real: the cases app over HTTP, Redis (the stream and the consumer group), both databases (SQLite
and PostgreSQL), the SMTP server.
"""

from __future__ import annotations

from datetime import date, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any
from uuid import UUID, uuid4

from shared.events import Envelope
from tests.integration.notifications.helpers import rows
from tests.integration.notifications.test_consent_recheck import GUARDIAN, deliver_due
from tests.support.api_flows import open_case
from tests.support.mail import MailServer

WEB_URL = "http://127.0.0.1:8000"  # NotificationsSettings' default WEB_PUBLIC_URL
CONSULTANT = "consultant_a@test.nl"
ADMIN = "admin@a.test"
COORDINATOR = "coordinator_a1@test.nl"
DECIDE_BY = date(2026, 11, 26)


def publish(pipeline, world, event_type: str, case_id: str, referral_id: UUID, **data: Any) -> None:
    """An event as the cases relay would put it on the stream (ids, codes and dates only)."""
    envelope = Envelope.from_dict(
        {
            "id": str(uuid4()),
            "type": event_type,
            "version": 1,
            "occurred_at": pipeline.notifications.clock.now().isoformat(),
            "partnership_id": str(world.partnership_a),
            "school_id": str(world.school_a1),
            "subject": {"kind": "referral", "id": str(referral_id)},
            "data": {"case_id": case_id, "referral_id": str(referral_id), **data},
        }
    )
    pipeline.publisher.publish_envelope(envelope)


def decided_data() -> dict[str, Any]:
    return {
        "decision": "granted",
        "decided_on": "2026-10-15",
        "submitted_on": "2026-10-15",
        "parents_agreed": False,
        "school_type": "so",
        "category": "high",
        "valid_from": "2026-11-01",
        "valid_until": "2027-07-31",
    }


def plain_body(mail_server: MailServer, to: str, subject_start: str = "") -> tuple[str, str]:
    """The subject and plain-text body of the one message to `to` whose subject starts so."""
    [mail] = [
        m for m in mail_server.messages if to in m.rcpt_tos and m.subject.startswith(subject_start)
    ]
    message = message_from_bytes(mail.raw, policy=policy.strict)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None
    return mail.subject, str(body.get_content())


def test_the_deadline_is_reminded_and_cancelled_and_the_parents_hear_of_the_decision(
    world, pipeline, notifications, mail_server
):
    n = notifications
    case = open_case(world)
    referral = uuid4()
    publish(
        pipeline,
        world,
        "referral.submitted",
        case["id"],
        referral,
        submitted_on="2026-10-15",
        parents_agreed=False,
        decide_by=DECIDE_BY.isoformat(),
    )
    pipeline.run()

    deadline = rows(n, policy_key="tlv_decision_deadline")
    assert [(r["kind"], r["recipient_role"], r["address"], r["status"]) for r in deadline] == [
        ("lead:7", "all_consultants", CONSULTANT, "planned"),
        ("overdue", "all_consultants", CONSULTANT, "planned"),
        ("escalation", "admin", ADMIN, "planned"),
    ]
    assert {(r["subject_kind"], r["subject_id"], r["due_on"]) for r in deadline} == {
        ("referral", referral, DECIDE_BY)
    }
    assert all(r["context"]["parents_agreed"] is False for r in deadline)

    # The first advice tells no one; the second makes the application ready for the decision.
    for complete in (False, True):
        publish(
            pipeline,
            world,
            "referral.advice_recorded",
            case["id"],
            referral,
            advice_id=str(uuid4()),
            adviser_role="orthopedagoog",
            recorded_on="2026-10-15",
            complete=complete,
        )
    pipeline.run()
    [ready] = rows(n, event_type="referral.advice_recorded")
    assert (ready["recipient_role"], ready["address"]) == ("coordinator", COORDINATOR)

    publish(pipeline, world, "referral.decided", case["id"], referral, **decided_data())
    pipeline.run()
    after = rows(n, policy_key="tlv_decision_deadline")
    assert {r["status"] for r in after} == {"cancelled"} and len(after) == 3
    decision_rows = rows(n, event_type="referral.decided")
    assert {(r["recipient_role"], r["template"]) for r in decision_rows} == {
        ("guardian", "referral.decided.parents"),
        ("coordinator", "referral.decided"),
    }

    assert set(deliver_due(n).values()) == {"sent"}
    mail_server.wait_for(3)  # the coordinator's two notices, the guardian's message
    assert not [m for m in mail_server.messages if CONSULTANT in m.rcpt_tos]

    subject, body = plain_body(mail_server, GUARDIAN)
    lines = body.splitlines()
    assert subject == "Besluit over de aanvraag voor Kind a1"
    assert f"{WEB_URL}/ouders/aanvragen/{referral}" in lines  # alone on its line
    text = body.replace("\n", " ")
    assert "binnen zes weken bezwaar maken bij het samenwerkingsverband" in text
    assert "Landelijke Bezwaaradviescommissie Passend Onderwijs" in text
    assert "Vragen? Neem contact op met coordinator_a1 van School A1:" in lines
    assert COORDINATOR in lines
    # Nothing of the decision itself, nothing about the pupil beyond the first name.
    for word in ("toegekend", "speciaal", "categorie", "hoog", "2027", "1 november", "instemming"):
        assert word not in text, word
    assert "Kind a1 Test" not in text and "N-a1" not in text

    coordinator_subjects = sorted(
        m.subject for m in mail_server.messages if COORDINATOR in m.rcpt_tos
    )
    reference = case["id"][:8]
    assert coordinator_subjects == [
        f"Aanvraag TLV klaar voor besluit ({reference})",
        f"Besluit over de toelaatbaarheidsverklaring ({reference})",
    ]
    _, staff = plain_body(mail_server, COORDINATOR, "Besluit over")
    assert "toegekend voor het speciaal onderwijs (categorie hoog)" in staff.replace("\n", " ")
    assert "zonder instemming van de ouders" in staff.replace("\n", " ")


def test_the_consultants_deadline_reminder_opens_the_application_page(
    world, pipeline, notifications, mail_server
):
    """The reminder of the decision's deadline links the consultant to the application's page
    (the web sends them on to the partnership's page of it), not to the case's."""
    n = notifications
    case = open_case(world)
    referral = uuid4()
    publish(
        pipeline,
        world,
        "referral.submitted",
        case["id"],
        referral,
        submitted_on="2026-10-15",
        parents_agreed=True,
        decide_by=DECIDE_BY.isoformat(),
    )
    pipeline.run()
    [lead] = rows(n, policy_key="tlv_decision_deadline", kind="lead:7")
    assert lead["context"]["referral_id"] == str(referral)
    n.clock.advance(timedelta(days=36))  # past the week before the deadline, before the day
    sent = deliver_due(n)
    assert set(sent.values()) == {"sent"} and len(sent) == 1
    mail_server.wait_for(1)
    _, body = plain_body(mail_server, CONSULTANT)
    application = f"{WEB_URL}/trajecten/{case['id']}/verwijzingen/{referral}/aanvraag"
    assert application in body.splitlines(), body
    assert f"{WEB_URL}/trajecten/{case['id']}" not in body.replace(application, "")
