"""The guardian chooses the channel (e-mail, SMS or both) through the signed link: the choice is
saved and shown by the API (and the web's settings page), and delivery narrows to it without ever
silencing a message. Real database (SQLite and PostgreSQL), a real SMTP server and a local HTTP
receiver standing in for the SMS provider at the Apprise URL level (as in test_sms.py)."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
from typing import Any

import pytest

from services.notifications.domain.channel_choice import SKIPPED_FOR_CHOICE
from services.notifications.domain.planning import Recipient, plan_event
from services.notifications.domain.policy import Policy
from services.notifications.service_layer import handlers
from tests.integration.notifications.helpers import rows
from tests.support.world import World
from tests.unit.notifications.builders import (
    GUARDIAN,
    GUARDIAN_EN,
    PARTNERSHIP,
    audience,
    envelope,
    policy,
)

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CHECKED = re.compile(r'name="channels" value="([^"]+)" checked')


def token_for(n, recipient: Recipient, clock) -> str:
    """The token of the preference link in a message to `recipient`."""
    return handlers.preferences_link(n.rules, str(recipient.id), PARTNERSHIP, clock.now()).rsplit(
        "/", 1
    )[1]


@pytest.fixture
def guardians(world: World) -> tuple[Recipient, Recipient]:
    """The builders' two guardians (Dutch with a phone, English without) as guardians the cases
    service knows: a preference link opens only for a guardian it still has (issue 11, item 6)."""
    return (
        dataclasses.replace(GUARDIAN, id=world.guardians["a1"]),
        dataclasses.replace(GUARDIAN_EN, id=world.guardians["a2"]),
    )


def guardian_policy(event_type: str, channels: list[str], **changes: Any) -> Policy:
    return policy(
        key=event_type.replace(".", "_"),
        event_types=[event_type],
        recipient_roles=["guardian"],
        channels={"guardian": channels},
        lead_times_days=[],
        **changes,
    )


def plan(n, the_policy: Policy, event_type: str, recipient: Recipient, clock) -> None:
    """Store the policy and the rows it plans for one event to `recipient`."""
    now = clock.now()
    with n.store() as store:
        store.save_policy(the_policy, now)
        planned = plan_event(
            envelope(event_type), [the_policy], audience(recipient), store.calendar(), now
        )
        store.add_planned(planned, now)
        store.commit()


def deliver_due(n, webhook, clock) -> dict[str, str]:
    """Dispatch and deliver every due row, with SMS aimed at the local receiver; by channel."""
    rules = dataclasses.replace(n.rules, sms_url=webhook.apprise_url("/sms/{phone}"))
    due = handlers.due_for_dispatch(n.store, clock.now(), 10, 300)
    outcome = {i: handlers.deliver(i, n.store, n.sender, rules, clock.now) for i in due}
    return {r["channel"]: outcome[r["id"]] for r in rows(n) if r["id"] in outcome}


def page(response: Any) -> str:
    return response.get_data(as_text=True)


def choose_on_page(client, token: str, channels: str, **form: str) -> None:
    """The guardian's choice as their settings page (now on the web front end, see
    test_preference_page.py) saves it: through the API with the same token."""
    settings = {"channels": channels.split(","), "informational": True, **form}
    saved = client.put(f"/api/v1/preferences/{token}", json=settings)
    assert saved.status_code == 200, saved.json


def test_a_guardian_who_chose_sms_gets_only_the_sms_when_the_policy_has_both(
    notifications, notifications_client, mail_server, webhook, clock, guardians
):
    guardian, guardian_en = guardians
    n = notifications
    token = token_for(n, guardian, clock)
    saved = notifications_client.put(f"/api/v1/preferences/{token}", json={"channels": ["sms"]})
    assert saved.status_code == 200, saved.json
    assert saved.json == {"language": None, "informational": True, "channels": ["sms"]}
    both = guardian_policy("intervention.started", ["email", "sms"])
    plan(n, both, "intervention.started", guardian, clock)
    assert sorted(r["channel"] for r in rows(n)) == ["email", "sms"]

    assert deliver_due(n, webhook, clock) == {"email": "cancelled", "sms": "sent"}
    [body] = webhook.wait_for(1)
    assert [r.path for r in webhook.requests] == ["/sms/+31612345678"]
    assert body["title"] == "Ondersteuning gestart voor Emma"
    assert mail_server.messages == []  # delivery is synchronous: nothing went to the SMTP server
    [email] = rows(n, channel="email")
    assert (email["status"], email["last_error"], email["attempts"]) == (
        "cancelled",
        SKIPPED_FOR_CHOICE,
        0,
    )


def test_a_message_the_policy_sends_by_email_only_still_arrives_by_email(
    notifications, notifications_client, mail_server, webhook, clock, guardians
):
    guardian, guardian_en = guardians
    n = notifications
    choose_on_page(notifications_client, token_for(n, guardian, clock), "sms")
    consent = guardian_policy("development_plan.consent_requested", ["email"], critical=True)
    plan(n, consent, "development_plan.consent_requested", guardian, clock)

    assert deliver_due(n, webhook, clock) == {"email": "sent"}
    [mail] = mail_server.wait_for(1)
    assert mail.rcpt_tos == (guardian.email,)
    assert mail.subject == "Uw instemming gevraagd met het plan voor Emma"
    assert webhook.requests == []


def test_sms_chosen_without_a_phone_known_falls_back_to_email(
    notifications, notifications_client, mail_server, webhook, clock, guardians
):
    guardian, guardian_en = guardians
    n = notifications
    assert guardian_en.phone is None
    choose_on_page(notifications_client, token_for(n, guardian_en, clock), "sms")
    both = guardian_policy("intervention.started", ["email", "sms"])
    plan(n, both, "intervention.started", guardian_en, clock)

    assert deliver_due(n, webhook, clock) == {"email": "sent"}
    [mail] = mail_server.wait_for(1)
    assert mail.rcpt_tos == (guardian_en.email,)
    assert webhook.requests == []


def test_a_guardian_who_chose_email_gets_no_sms(
    notifications, mail_server, webhook, clock, guardians
):
    guardian, guardian_en = guardians
    n = notifications
    with n.store() as store:
        store.save_preferences(guardian.id, PARTNERSHIP, None, True, clock.now(), ["email"])
        store.commit()
    both = guardian_policy("intervention.started", ["email", "sms"])
    plan(n, both, "intervention.started", guardian, clock)

    assert deliver_due(n, webhook, clock) == {"email": "sent", "sms": "cancelled"}
    assert len(mail_server.wait_for(1)) == 1
    assert webhook.requests == []


def _tampered(token: str, **claims: str) -> str:
    """The token with its claims changed and the original signature kept."""
    header, payload, signature = token.split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body.update(claims)
    forged = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_a_tampered_link_changes_nothing(notifications, notifications_client, clock, guardians):
    guardian, guardian_en = guardians
    n = notifications
    client = notifications_client
    own = token_for(n, guardian, clock)
    assert client.put(f"/api/v1/preferences/{own}", json={"channels": ["email"]}).status_code == 200
    # Someone edits the guardian id in their own link to set another guardian's channel.
    mine = token_for(n, guardian_en, clock)
    forged = _tampered(mine, gid=str(guardian.id))
    put = client.put(f"/api/v1/preferences/{forged}", json={"channels": ["sms"]})
    assert put.status_code == 404 and put.json["code"] == "invalid_link"
    assert client.get(f"/api/v1/preferences/{forged}").status_code == 404
    resigned = own[:-4] + ("BBBB" if own.endswith("AAAA") else "AAAA")
    broken = client.put(f"/api/v1/preferences/{resigned}", json={"channels": ["sms"]})
    assert broken.status_code == 404
    with n.store() as store:
        assert store.preferences(guardian.id).channels == ["email"]  # type: ignore[union-attr]
        assert store.preferences(guardian_en.id) is None
