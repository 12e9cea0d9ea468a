"""Reading the reports read model back, for comparing two of them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from services.reports.adapters import orm
from services.reports.bootstrap import Container


def dump(c: Container) -> dict[str, Any]:
    """Every fact row by table (sorted by key) and the set of processed event ids."""
    out: dict[str, Any] = {}
    with c.engine.connect() as conn:
        for name, table in orm.FACTS.items():
            key = table.primary_key.columns.values()[0]
            rows = conn.execute(select(table).order_by(key)).mappings()
            out[name] = [dict(r) for r in rows]
        ids = conn.execute(select(orm.processed_events.c.event_id)).scalars()
        out["processed_events"] = set(ids)
    return out
