"""Planned notifications due now, written straight into the notifications database: webhook
messages to a group channel (Apprise json://), critical so quiet hours do not hold them. For
tests and benchmarks of dispatch and delivery that need many rows without the whole pipeline."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert

from services.notifications.adapters import orm
from services.notifications.adapters.store import Store
from services.notifications.domain.policy import default_policies
from shared.crypto import Cipher

PARTNERSHIP = uuid.UUID(int=15)


def due_row(
    i: int, policy_key: str, now: datetime, partnership_id: uuid.UUID = PARTNERSHIP, **fields: Any
) -> dict[str, Any]:
    """The `i`-th planned notification due at `now`: a critical case.opened message (quiet
    hours do not hold it); `fields` give its recipient, channel, address and context."""
    return {
        "id": uuid.uuid4(),
        "dedupe_key": f"due|{uuid.uuid4()}",
        "partnership_id": partnership_id,
        "school_id": None,
        "case_id": None,
        "plan_id": None,
        "subject_kind": "event",
        "subject_id": uuid.uuid4(),
        "event_id": uuid.uuid4(),
        "event_type": "case.opened",
        "policy_key": policy_key,
        "language": "nl",
        "template": "case.opened",
        "kind": "now",
        "due_on": None,
        "send_at": now,
        "critical": True,
        "context": {"reference": f"T{i}", "school": "De Regenboog"},
        "status": "planned",
        "attempts": 0,
        "status_changed_at": now,
        "created_at": now,
        **fields,
    }


def due_webhook_rows(count: int, policy_key: str, url: str, cipher: Cipher, now: datetime) -> list:
    """`count` rows due at `now`, each a message of its own to the webhook at `url`."""
    address = cipher.encrypt(url)  # group channels keep their URL encrypted
    group = {"recipient_kind": "group", "recipient_id": "team", "recipient_role": "group"}
    return [
        due_row(i, policy_key, now, **group, channel="group", address=address) for i in range(count)
    ]


def plan_due_webhooks(
    engine: Engine, sessions: Any, cipher: Cipher, url: str, count: int, now: datetime
) -> None:
    """The partnership's default policies (if not there yet) and `count` due webhook rows."""
    policies = default_policies(PARTNERSHIP)
    session = sessions()
    try:
        store = Store(session, cipher)
        if not store.policies(PARTNERSHIP):
            store.create_defaults(policies, now)
            store.commit()
    finally:
        session.close()
    rows = due_webhook_rows(count, policies[0].key, url, cipher, now)
    with engine.begin() as conn:
        for start in range(0, count, 5000):
            conn.execute(insert(orm.planned_notifications), rows[start : start + 5000])
