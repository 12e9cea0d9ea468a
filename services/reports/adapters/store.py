"""Writes to the reports read model and the compiled reports. One Store is one transaction."""

from __future__ import annotations

from datetime import date, datetime
from operator import itemgetter
from typing import Any, cast
from uuid import UUID

from sqlalchemy import ColumnElement, CursorResult, bindparam, case, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.reports.adapters import orm
from services.reports.domain.read_model import Merge, Upsert
from services.reports.domain.schedule import PeriodKind, StoredSchedule, ordered
from services.reports.service_layer.periodic import CompiledReport
from shared.db import LogCursors
from shared.prepared import prepared, unnest

R = orm.compiled_reports.c
SCH = orm.report_schedules.c


class Store:
    """Idempotency and fact upserts of one transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        dialect = session.get_bind().dialect.name
        self._insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        self._cursors = LogCursors(session, orm.event_log_cursors, orm.processed_events)

    def commit(self) -> None:
        self.session.commit()

    def _execute(self, statement: Any) -> CursorResult[Any]:
        return cast(CursorResult[Any], self.session.execute(statement))

    def claim(self, event_id: UUID, event_type: str, now: datetime) -> bool:
        """Record the event as processed; False when it already was. On PostgreSQL a second
        consumer claiming the same event waits for the first one's commit and then gets False."""
        result = self._execute(
            self._insert(orm.processed_events)
            .values(event_id=event_id, event_type=event_type, processed_at=now)
            .on_conflict_do_nothing(index_elements=["event_id"])
            .execution_options(preserve_rowcount=True)  # psycopg: INSERT rowcount is -1
        )
        return (result.rowcount or 0) > 0

    def claim_many(self, events: list[tuple[UUID, str]], now: datetime) -> set[UUID]:
        """Record a batch's events (distinct ids) as processed in one statement (SQLite: one per
        `CLAIM_ROWS`); the ids that were new (those already recorded, also by a concurrent
        consumer, are left out)."""
        if not events:
            return set()
        dialect = self.session.get_bind().dialect
        if dialect.name == "postgresql":
            rows = [{"event_id": i, "event_type": t, "processed_at": now} for i, t in events]
            found = unnest(dialect, "reports claim", self._build_claim).execute(self.session, rows)
            return set(found.scalars())
        one = prepared(dialect, "reports claim", self._build_claim)
        process = dict(one.processors)
        stamp = process["processed_at"](now) if process["processed_at"] else now  # once
        as_bound = process["event_id"] or (lambda value: value)
        order = itemgetter(*one.names)
        new: set[UUID] = set()
        for start in range(0, len(events), CLAIM_ROWS):
            # what SQLite returns is the id as bound (its text): back to the id
            bound = {as_bound(i): (i, t) for i, t in events[start : start + CLAIM_ROWS]}
            values = [
                value
                for b, (_id, t) in bound.items()
                for value in order({"event_id": b, "event_type": t, "processed_at": stamp})
            ]
            found = self.session.connection().exec_driver_sql(
                _many_values(one.sql, len(bound)), tuple(values)
            )
            new.update(bound[value][0] for value in found.scalars())
        return new

    def _build_claim(self) -> tuple[Any, list[str]]:
        table = orm.processed_events
        statement = (
            self._insert(table)
            .values({c: bindparam(c) for c in ("event_id", "event_type", "processed_at")})
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(table.c.event_id)
        )
        return statement, ["event_id", "event_type", "processed_at"]

    def apply_many(self, changes: list[Upsert]) -> None:
        """Apply changes as if one by one, in as few statements as that allows: changes of one
        shape (fact, columns, rules) go in one statement, and a change to a row an earlier
        change of another shape touched waits for the next round, so each row sees its changes
        in order. A change that repeats the row's previous one is sent once: applied twice in a
        row, every merge rule gives what once gives (SET and KEEP the same values, EARLIEST the
        same earliest, UNLESS_HELD the same value, as `held_on` changes only by another shape).
        One repeated after another change of the row is sent again: it must undo that one."""
        groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        last: dict[tuple[Any, UUID], tuple[tuple[Any, ...], dict[str, Any]]] = {}
        for change in changes:
            shape, values = _shape(change), change.values
            row = (change.fact, change.key)
            before = last.get(row)
            if before is not None:
                if before[0] != shape:  # the row's earlier changes are applied first
                    self._upsert_groups(groups)
                    groups, last = {}, {}
                elif before[1] == values:  # the very change again: changes nothing
                    continue
            last[row] = (shape, values)
            groups.setdefault(shape, []).append({"_key": change.key, **values})
        self._upsert_groups(groups)

    def _upsert_groups(self, groups: dict[tuple[Any, ...], list[dict[str, Any]]]) -> None:
        dialect = self.session.get_bind().dialect
        for shape, params in groups.items():
            build = lambda shape=shape: self._build_upsert(shape)  # noqa: E731
            if dialect.name == "postgresql":  # one statement per run of distinct rows
                statement = unnest(dialect, ("reports upsert", shape), build)
                for run in _distinct_runs(params):
                    statement.execute(self.session, run)
            else:
                prepared(dialect, ("reports upsert", shape), build).execute_many(
                    self.session, params
                )

    def _build_upsert(self, shape: tuple[Any, ...]) -> tuple[Any, list[str]]:
        fact, *rules = shape
        table = orm.FACTS[fact.value]
        key_column = table.primary_key.columns.values()[0]
        statement = self._insert(table)
        merged = {
            column: _merged(table, statement.excluded, column, rule) for column, rule in rules
        }
        upsert = statement.values(
            {key_column.name: bindparam("_key"), **{c: bindparam(c) for c, _ in rules}}
        ).on_conflict_do_update(index_elements=[key_column], set_=merged)
        return upsert, ["_key", *(c for c, _ in rules)]

    # -- the catch-up from the cases event log (shared.event_log.CursorStore) ---------------------

    def log_cursor(self, name: str) -> int:
        return self._cursors.log_cursor(name)

    def set_log_cursor(self, name: str, seq: int, now: datetime) -> None:
        self._cursors.set_log_cursor(name, seq, now)

    def processed_among(self, event_ids: list[UUID]) -> set[UUID]:
        return self._cursors.processed_among(event_ids)

    def apply(self, change: Upsert) -> None:
        """Create the fact row or merge the change into it, in one statement."""
        table = orm.FACTS[change.fact.value]
        key = table.primary_key.columns.values()[0]
        stmt = self._insert(table).values({key.name: change.key, **change.values})
        merged = {
            column: _merged(table, stmt.excluded, column, change.rule(column))
            for column in change.values
        }
        self.session.execute(stmt.on_conflict_do_update(index_elements=[key], set_=merged))

    def truncate(self) -> None:
        """Empty the read model (facts and processed events), for a rebuild."""
        for table in orm.READ_MODEL:
            self.session.execute(delete(table))

    # -- compiled reports -----------------------------------------------------------------------

    def schools(self) -> list[tuple[UUID, UUID]]:
        """Every known school with its partnership."""
        query = select(orm.schools.c.school_id, orm.schools.c.partnership_id).order_by(
            orm.schools.c.school_id
        )
        return [(row.school_id, row.partnership_id) for row in self.session.execute(query)]

    def has_compiled(self, school_id: UUID, kind: str, start: date) -> bool:
        query = select(R.report_id).where(
            R.school_id == school_id, R.period_kind == kind, R.period_start == start
        )
        return self.session.execute(query).first() is not None

    def add_compiled(self, report: CompiledReport) -> bool:
        """Store a compiled report; False when that school's period was stored meanwhile."""
        result = self._execute(
            self._insert(orm.compiled_reports)
            .values(**vars(report))
            .on_conflict_do_nothing(index_elements=["school_id", "period_kind", "period_start"])
            .execution_options(preserve_rowcount=True)
        )
        return (result.rowcount or 0) > 0

    def compiled(self, report_id: UUID) -> CompiledReport | None:
        row = self.session.execute(select(*_REPORT_COLUMNS).where(R.report_id == report_id)).first()
        return CompiledReport(**row._asdict()) if row else None

    def unpublished(self, limit: int) -> list[CompiledReport]:
        """Compiled reports not announced yet, oldest first (uses the partial index)."""
        query = (
            select(*_REPORT_COLUMNS)
            .where(R.published_at.is_(None))
            .order_by(R.compiled_at, R.report_id)
            .limit(limit)
        )
        return [CompiledReport(**row._asdict()) for row in self.session.execute(query)]

    def mark_published(self, report_ids: list[UUID], now: datetime) -> None:
        self.session.execute(
            update(orm.compiled_reports).where(R.report_id.in_(report_ids)).values(published_at=now)
        )

    # -- schedules ------------------------------------------------------------------------------

    def schedules(self, partnership_id: UUID | None = None) -> list[StoredSchedule]:
        """Stored schedules (of one partnership, or all): the default first, then by school."""
        query = select(orm.report_schedules).order_by(
            SCH.partnership_id, SCH.school_id.is_not(None), SCH.school_id
        )
        if partnership_id is not None:
            query = query.where(SCH.partnership_id == partnership_id)
        return [
            StoredSchedule(
                partnership_id=row.partnership_id,
                school_id=row.school_id,
                kinds=ordered(row.kinds),
                updated_at=row.updated_at,
                updated_by=row.updated_by,
            )
            for row in self.session.execute(query)
        ]

    def set_schedule(
        self,
        partnership_id: UUID,
        school_id: UUID | None,
        kinds: tuple[PeriodKind, ...],
        now: datetime,
        user_id: UUID,
    ) -> None:
        """Create or replace the partnership's default (no school) or a school's own schedule,
        in one statement (the partial unique indexes make a concurrent second one an update)."""
        values = {"kinds": [k.value for k in kinds], "updated_at": now, "updated_by": user_id}
        stmt = self._insert(orm.report_schedules).values(
            partnership_id=partnership_id, school_id=school_id, **values
        )
        if school_id is None:
            key, where = "partnership_id", SCH.school_id.is_(None)
        else:
            key, where = "school_id", SCH.school_id.is_not(None)
        self.session.execute(
            stmt.on_conflict_do_update(index_elements=[key], index_where=where, set_=values)
        )

    def delete_schedule(self, partnership_id: UUID, school_id: UUID) -> bool:
        """Drop a school's own schedule (the partnership's default applies again); False when it
        had none."""
        result = self._execute(
            delete(orm.report_schedules)
            .where(SCH.partnership_id == partnership_id, SCH.school_id == school_id)
            .execution_options(preserve_rowcount=True)
        )
        return (result.rowcount or 0) > 0


# An upsert's shape by its fact, columns and rules as given (a few dozen in all).
_SHAPES: dict[tuple[Any, ...], tuple[Any, ...]] = {}


def _shape(change: Upsert) -> tuple[Any, ...]:
    """(fact, (column, rule)...): what one statement applies; built once per kind of change."""
    given = (change.fact, tuple(change.values), tuple(change.rules.items()))
    shape = _SHAPES.get(given)
    if shape is None:
        shape = _SHAPES[given] = (change.fact, *((c, change.rule(c)) for c in change.values))
    return shape


CLAIM_ROWS = 250  # processed marks per INSERT on SQLite: 750 parameters, under any SQLite's limit


def _many_values(sql: str, rows: int) -> str:
    """A one-row `INSERT ... VALUES (?, ...) ...` of SQLite for `rows` rows."""
    head, found, rest = sql.partition(" VALUES (")
    values, closed, tail = rest.partition(")")
    if not found or not closed:
        raise ValueError(f"not an INSERT of one row of values: {sql}")
    return f"{head} VALUES {', '.join([f'({values})'] * rows)}{tail}"


def _distinct_runs(params: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The rows in order, cut where a row's key repeats: one statement may change a row of
    PostgreSQL once only, so a second change to it goes in the next statement (in order)."""
    runs: list[list[dict[str, Any]]] = [[]]
    keys: set[Any] = set()
    for row in params:
        if row["_key"] in keys:
            runs.append([])
            keys = set()
        keys.add(row["_key"])
        runs[-1].append(row)
    return runs


_REPORT_COLUMNS = [orm.compiled_reports.c[name] for name in CompiledReport.__dataclass_fields__]


def _merged(table: Any, excluded: Any, column: str, rule: Merge) -> ColumnElement[Any]:
    old, new = table.c[column], excluded[column]
    if rule is Merge.KEEP:
        return func.coalesce(old, new)
    if rule is Merge.EARLIEST:
        return case((old.is_(None), new), (new < old, new), else_=old)
    if rule is Merge.UNLESS_HELD:
        return case((table.c.held_on.is_not(None), old), else_=new)
    return new
