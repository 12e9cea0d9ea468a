"""Planned notifications due now, written straight into the notifications database: webhook
messages to a group channel (Apprise json://) or e-mails to users, critical so quiet hours do not
hold them. For tests and benchmarks of dispatch and delivery that need many rows without the
whole pipeline."""

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


def due_email_rows(addresses: list[str], policy_key: str, now: datetime) -> list:
    """One e-mail due at `now` to each address (a coordinator's, as a user)."""
    return [
        due_row(
            i,
            policy_key,
            now,
            recipient_kind="user",
            recipient_id=str(i),
            recipient_role="coordinator",
            channel="email",
            address=address,
            context={"reference": f"T{i}", "recipient_name": f"IB {i}", "school": "De Regenboog"},
        )
        for i, address in enumerate(addresses)
    ]


def default_policy_key(sessions: Any, cipher: Cipher, now: datetime) -> str:
    """The partnership's default policies (created if not there yet); the first one's key."""
    policies = default_policies(PARTNERSHIP)
    session = sessions()
    try:
        store = Store(session, cipher)
        if not store.policies(PARTNERSHIP):
            store.create_defaults(policies, now)
            store.commit()
    finally:
        session.close()
    return policies[0].key


def plan_due_emails(
    engine: Engine, sessions: Any, cipher: Cipher, addresses: list[str], now: datetime
) -> list[uuid.UUID]:
    """One due e-mail to each address (default policies created if needed); their ids."""
    rows = due_email_rows(addresses, default_policy_key(sessions, cipher, now), now)
    _insert(engine, rows)
    return [row["id"] for row in rows]


def plan_due_webhooks(
    engine: Engine, sessions: Any, cipher: Cipher, url: str, count: int, now: datetime
) -> None:
    """The partnership's default policies (if not there yet) and `count` due webhook rows."""
    key = default_policy_key(sessions, cipher, now)
    _insert(engine, due_webhook_rows(count, key, url, cipher, now))


def _insert(engine: Engine, rows: list) -> None:
    count = len(rows)
    with engine.begin() as conn:
        for start in range(0, count, 5000):
            conn.execute(insert(orm.planned_notifications), rows[start : start + 5000])
