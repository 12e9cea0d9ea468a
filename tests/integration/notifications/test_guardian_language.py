"""A guardian who chose Turkish gets their messages in Turkish (issue 13): the choice saved
through the signed preference link, the message delivered through a real SMTP server; a
guardian who chose nothing gets the school's language (Dutch)."""

from __future__ import annotations

import dataclasses

from tests.integration.notifications.test_guardian_channel import (
    deliver_due,
    guardian_policy,
    plan,
    token_for,
)
from tests.support.world import World
from tests.unit.notifications.builders import GUARDIAN


def test_a_guardian_who_chose_turkish_receives_the_message_in_turkish(
    notifications, notifications_client, mail_server, webhook, clock, world: World
):
    n = notifications
    turkish = dataclasses.replace(GUARDIAN, id=world.guardians["a1"])
    token = token_for(n, turkish, clock)
    saved = notifications_client.put(f"/api/v1/preferences/{token}", json={"language": "tr"})
    assert saved.status_code == 200, saved.json
    assert notifications_client.get(f"/api/v1/preferences/{token}").json["language"] == "tr"
    plan(
        n,
        guardian_policy("intervention.started", ["email"]),
        "intervention.started",
        turkish,
        clock,
    )

    assert deliver_due(n, webhook, clock) == {"email": "sent"}
    [mail] = mail_server.wait_for(1)
    assert mail.to == turkish.email
    assert mail.subject.endswith("için destek başladı")
    assert mail.body.startswith(f"Sayın {turkish.name},")
    assert "Saygılarımızla," in mail.body and "Mesaj ayarlarınız:" in mail.body
    assert "Ondersteuning" not in mail.subject and "Beste" not in mail.body


def test_an_unknown_language_is_refused_and_nothing_changes(
    notifications, notifications_client, clock, world: World
):
    guardian = dataclasses.replace(GUARDIAN, id=world.guardians["a1"])
    token = token_for(notifications, guardian, clock)
    refused = notifications_client.put(f"/api/v1/preferences/{token}", json={"language": "xx"})
    assert refused.status_code == 422
    assert notifications_client.get(f"/api/v1/preferences/{token}").json["language"] is None
