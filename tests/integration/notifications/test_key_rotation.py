"""Rotating the encryption key of transport secrets (docs/SECURITY.md): with "new,old" in the
setting, rotate-keys re-encrypts every stored group URL and group address under the new key, after
which the old key can go."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from uuid import uuid4

import pytest
from sqlalchemy import insert, select

from services.notifications.adapters import orm
from services.notifications.adapters.rotation import rotate_encrypted
from services.notifications.domain.policy import default_policies
from shared.crypto import Cipher, new_key
from tests.conftest import NOW


def _delivery(cipher: Cipher, channel: str, address: str) -> dict:
    return {
        "id": uuid4(),
        "dedupe_key": uuid4().hex,
        "partnership_id": uuid4(),
        "subject_kind": "case",
        "subject_id": uuid4(),
        "event_id": uuid4(),
        "event_type": "case.opened",
        "policy_key": "support_started",
        "recipient_kind": "group" if channel == "group" else "user",
        "recipient_id": "x",
        "recipient_role": "coordinator",
        "channel": channel,
        "address": cipher.encrypt(address) if channel == "group" else address,
        "language": "nl",
        "template": "case_opened",
        "kind": "event",
        "due_on": date(2026, 10, 15),
        "send_at": NOW,
        "critical": False,
        "context": {},
        "status": "sent",
        "status_changed_at": NOW,
        "created_at": NOW,
    }


def test_rotate_keys_moves_every_secret_to_the_new_key(notifications) -> None:
    old = notifications.cipher
    policy = dataclasses.replace(
        default_policies(uuid4())[0], group_urls=["json://hooks.example.test/zorgteam?token=geheim"]
    )
    with notifications.store() as store:
        store.save_policy(policy, NOW)
        store.commit()
    group = _delivery(old, "group", "json://hooks.example.test/?token=geheim")
    email = _delivery(old, "email", "ouder@example.test")
    with notifications.engine.begin() as conn:
        conn.execute(insert(orm.planned_notifications), [group, email])

    new = new_key()
    rotated_setting = Cipher.from_setting(f"{new},{notifications.settings.encryption_key}")
    counts = rotate_encrypted(notifications.engine, rotated_setting)
    assert counts == {"rotated": 2, "unreadable": 0}

    only_new, only_old = Cipher([new]), Cipher([notifications.settings.encryption_key])
    with notifications.engine.connect() as conn:
        stored_urls = conn.execute(
            select(orm.policies.c.group_urls).where(orm.policies.c.id == policy.id)
        ).scalar_one()
        rows = dict(
            conn.execute(
                select(orm.planned_notifications.c.id, orm.planned_notifications.c.address)
            ).all()
        )
    assert json.loads(only_new.decrypt(stored_urls)) == policy.group_urls
    assert only_new.decrypt(rows[group["id"]]) == "json://hooks.example.test/?token=geheim"
    assert rows[email["id"]] == "ouder@example.test"  # only group addresses are encrypted
    with pytest.raises(ValueError):
        only_old.decrypt(stored_urls)
    # Running it again is harmless.
    assert rotate_encrypted(notifications.engine, rotated_setting)["rotated"] == 2
