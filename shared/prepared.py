"""A statement compiled once per dialect and executed for many rows through the DBAPI cursor's
executemany: each value goes through its column type's own bind processor, as SQLAlchemy's
executemany does, without SQLAlchemy building a parameter dict per row (about 10 µs a row here,
most of a projected event's cost). Used for the consumers' hot writes: the reports read model's
upserts, the processed marks of notifications.

On PostgreSQL, `Unnest` runs an INSERT (with its ON CONFLICT and RETURNING) for many rows in one
statement of a fixed text, `INSERT ... SELECT * FROM unnest(<one array per column>)`: the server
plans it once and executes it once per batch instead of once per row."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

# A named parameter of psycopg, with the cast SQLAlchemy may add.
_BOUND = r"%\((\w+)\)s(?:::[A-Z][A-Z ]*)?"

# By dialect and the caller's key (a statement's shape): a few dozen in all.
_CACHE: dict[tuple[str, Any], Any] = {}


def prepared(
    dialect: Dialect, key: Any, build: Callable[[], tuple[Any, Sequence[str]]]
) -> Prepared:
    """The Prepared of `key` on this dialect, built (statement and keys from `build`) once."""
    found = _CACHE.get((dialect.name, key))
    if found is None:
        statement, keys = build()
        found = _CACHE[(dialect.name, key)] = Prepared(statement, dialect, keys)
    return found  # type: ignore[no-any-return]


def unnest(dialect: Dialect, key: Any, build: Callable[[], tuple[Any, Sequence[str]]]) -> Unnest:
    """The Unnest of `key` on PostgreSQL, built (statement and keys from `build`) once."""
    found = _CACHE.get(("unnest", key))
    if found is None:
        statement, keys = build()
        found = _CACHE[("unnest", key)] = Unnest(statement, dialect, keys)
    return found  # type: ignore[no-any-return]


class Prepared:
    """One compiled statement whose every bound parameter is a column key in `keys`."""

    def __init__(self, statement: Any, dialect: Dialect, keys: Sequence[str]) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        names = list(compiled.positiontup or []) if dialect.positional else list(compiled.binds)
        if sorted(names) != sorted(keys):  # a literal bound in the statement: not for this path
            raise ValueError(f"parameters {names} are not the column keys {list(keys)}")
        self.sql: str = compiled.string
        self.positional = dialect.positional
        self.names = names
        processors: list[Callable[[Any], Any] | None] = [
            compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
            for name in names
        ]
        self.processors = list(zip(names, processors, strict=True))
        self._values = _getter(names)
        self._convert = [(i, f) for i, f in enumerate(processors) if f is not None]

    def values(self, params: Mapping[str, Any]) -> tuple[Any, ...]:
        """A row's values in the order of `names`, each through its bind processor."""
        values = self._values(params)
        if not self._convert:
            return values
        out = list(values)
        for i, process in self._convert:
            out[i] = process(out[i])
        return tuple(out)

    def rows(self, params: Iterable[Mapping[str, Any]]) -> list[Any]:
        """The DBAPI parameters of each row (a tuple or a dict, as the paramstyle wants)."""
        values = self.values
        if self.positional:
            return [values(p) for p in params]
        names = self.names
        return [dict(zip(names, values(p), strict=True)) for p in params]

    def execute_many(self, session: Session, params: Iterable[Mapping[str, Any]]) -> None:
        """Run the statement once per row, in one executemany in the session's transaction."""
        rows = self.rows(params)
        if rows:
            session.connection().exec_driver_sql(self.sql, rows)  # type: ignore[arg-type]


class Unnest:
    """An `INSERT ... VALUES (<one row>) ON CONFLICT ...` of PostgreSQL (psycopg), whose every
    bound parameter is a column key in `keys`, run for many rows as one statement: the VALUES
    row becomes `SELECT * FROM unnest(%s::<type>[], ...)`, one array per column. Within one
    execution a conflict target must not repeat when the statement updates on conflict
    (PostgreSQL refuses to change a row twice in one statement): the caller splits such rows."""

    def __init__(self, statement: Any, dialect: Dialect, keys: Sequence[str]) -> None:
        if dialect.name != "postgresql" or dialect.positional:
            raise ValueError("Unnest is for PostgreSQL with named parameters (psycopg)")
        compiled = statement.compile(dialect=dialect, column_keys=list(keys))
        head, values, tail = _split_values(compiled.string)
        names = [m.group(1) for m in re.finditer(_BOUND, values)]
        if sorted(names) != sorted(keys) or "%" in head + tail:
            raise ValueError(f"parameters {names} are not the column keys {list(keys)}")
        types = [compiled.binds[name].type.dialect_impl(dialect) for name in names]
        arrays = ", ".join(f"%b::{t.compile(dialect=dialect)}[]" for t in types)
        self.sql = f"{head} SELECT * FROM unnest({arrays}) {tail}"
        self.names = names
        self._processors = [t.bind_processor(dialect) for t in types]

    def columns(self, params: Sequence[Mapping[str, Any]]) -> tuple[list[Any], ...]:
        """The rows' values by column (in the order of `names`), through the bind processors."""
        arrays = []
        for name, process in zip(self.names, self._processors, strict=True):
            column = [p[name] for p in params]
            arrays.append(column if process is None else [process(v) for v in column])
        return tuple(arrays)

    def execute(self, session: Session, params: Sequence[Mapping[str, Any]]) -> Any:
        """Run the statement once for all rows in the session's transaction; the result (for
        its RETURNING rows)."""
        return session.connection().exec_driver_sql(self.sql, self.columns(params))


def _split_values(sql: str) -> tuple[str, str, str]:
    """An INSERT's text before its VALUES, the one row of values, and what follows."""
    head, found, rest = sql.partition(" VALUES (")
    values, closed, tail = rest.partition(") ON CONFLICT ")
    if not found or not closed or re.sub(_BOUND, "", values).strip(", "):
        raise ValueError(f"not an INSERT of one row of bound values with ON CONFLICT: {sql}")
    return head, values, "ON CONFLICT " + tail


def _getter(names: Sequence[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A row's values in the order of `names`, as one tuple."""
    if len(names) == 1:
        name = names[0]
        return lambda params: (params[name],)
    return itemgetter(*names)  # type: ignore[return-value]
