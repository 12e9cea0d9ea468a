"""Re-encrypting stored transport secrets under the newest key (key rotation, docs/SECURITY.md).

Two kinds of values are encrypted at rest: a policy's group-channel URLs and the address of a
group-channel delivery row. After a new key is put in front of NOTIFICATIONS_ENCRYPTION_KEY
("new,old"), `python -m services.notifications rotate-keys` re-encrypts both under the new key;
then the old key can be removed. It works in batches, each in its own transaction, and can be run
again. A value that no key opens (an anonymised row holds none) is left as it is and counted."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from cryptography.fernet import InvalidToken
from sqlalchemy import ColumnElement, Engine, Table, select, update

from services.notifications.adapters import orm
from shared.crypto import Cipher

BATCH = 500


def rotate_encrypted(engine: Engine, cipher: Cipher) -> dict[str, int]:
    """Re-encrypt every stored secret; how many values were rewritten and left alone."""
    deliveries = orm.planned_notifications
    counts = {"rotated": 0, "unreadable": 0}
    _rotate(engine, cipher, orm.policies, "group_urls", None, counts)
    _rotate(engine, cipher, deliveries, "address", deliveries.c.channel == "group", counts)
    return counts


def _rotate(
    engine: Engine,
    cipher: Cipher,
    table: Table,
    column: str,
    where: ColumnElement[bool] | None,
    counts: dict[str, int],
) -> None:
    last: UUID | None = None
    while True:
        query = select(table.c.id, table.c[column]).order_by(table.c.id).limit(BATCH)
        if where is not None:
            query = query.where(where)
        if last is not None:
            query = query.where(table.c.id > last)
        with engine.begin() as conn:
            rows: list[Any] = list(conn.execute(query))
            for key, value in rows:
                try:
                    rotated = cipher.rotate(value)
                except (InvalidToken, ValueError, TypeError):
                    counts["unreadable"] += 1
                    continue
                conn.execute(update(table).where(table.c.id == key).values({column: rotated}))
                counts["rotated"] += 1
        if len(rows) < BATCH:
            return
        last = rows[-1][0]
