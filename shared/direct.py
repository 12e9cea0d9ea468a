"""A statement compiled once per dialect and run straight on the DBAPI cursor of a session's
transaction: its parameters through the column types' bind processors and its rows through their
result processors, as SQLAlchemy would, without SQLAlchemy's per-execution machinery (about
100 µs a statement here against 15-20 µs for the cursor). For the few statements every delivery
runs (claim, attempt, policy, acceptance). SQLAlchemy's statement events do not see them.

A statement's own values (`status == "planned"`, `attempts + 1`) are bound once, at compile
time; an IN of a list (an expanding parameter) is refused: its SQL depends on the list."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

_CACHE: dict[tuple[str, Any], Direct] = {}
_GIVEN = object()  # a parameter the caller gives at each execution


def direct(dialect: Dialect, key: Any, build: Callable[[], Any]) -> Direct:
    """The Direct of `key` on this dialect, its statement built by `build` once."""
    found = _CACHE.get((dialect.name, key))
    if found is None:
        found = _CACHE[(dialect.name, key)] = Direct(build(), dialect)
    return found


class Direct:
    """One compiled statement, its parameters named by their bindparam names."""

    def __init__(self, statement: Any, dialect: Dialect) -> None:
        self.statement = statement  # kept: a caller may key its cache by the statement's id
        compiled = statement.compile(dialect=dialect)
        if compiled.post_compile_params or compiled.literal_execute_params:
            raise ValueError("an expanding parameter (IN of a list): not for this path")
        self.sql: str = compiled.string
        self.positional = dialect.positional
        names = list(compiled.positiontup or []) if dialect.positional else list(compiled.binds)
        self.binds: list[tuple[str, Callable[[Any], Any] | None, Any]] = []
        for name in names:
            bind = compiled.binds[name]
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.required:
                self.binds.append((name, process, _GIVEN))
            else:  # the statement's own value: processed once
                value = bind.effective_value
                self.binds.append((name, None, process(value) if process else value))
        self.dialect = dialect
        self.columns = [(entry[0], entry[3]) for entry in getattr(compiled, "_result_columns", [])]
        self._processors: dict[tuple[Any, ...], list[Callable[[Any], Any] | None]] = {}

    def parameters(self, given: Mapping[str, Any]) -> Any:
        """The DBAPI parameters (a tuple or a dict, as the paramstyle wants)."""
        values = [
            (name, given[name] if constant is _GIVEN else constant, process)
            for name, process, constant in self.binds
        ]
        processed = [(n, v if p is None else p(v)) for n, v, p in values]
        if self.positional:
            return tuple(v for _, v in processed)
        return dict(processed)

    def execute(self, session: Session, given: Mapping[str, Any]) -> int:
        """Run it in the session's transaction; the number of rows it changed."""
        cursor = session.connection().connection.cursor()
        try:
            cursor.execute(self.sql, self.parameters(given))
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def first(self, session: Session, given: Mapping[str, Any]) -> dict[str, Any] | None:
        """Its first row (see `all`)."""
        rows = self.all(session, given)
        return rows[0] if rows else None

    def all(self, session: Session, given: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Its rows, by column key, their values through their types' result processors."""
        cursor = session.connection().connection.cursor()
        try:
            cursor.execute(self.sql, self.parameters(given))
            raw = cursor.fetchall()
            processors = self._result_processors(cursor.description) if raw else []
        finally:
            cursor.close()
        keys = [key for key, _ in self.columns]
        return [
            {
                key: value if process is None or value is None else process(value)
                for key, value, process in zip(keys, row, processors, strict=True)
            }
            for row in raw
        ]

    def _result_processors(self, description: Any) -> list[Callable[[Any], Any] | None]:
        codes = tuple(column[1] for column in description)
        found = self._processors.get(codes)
        if found is None:
            if len(codes) != len(self.columns):
                raise ValueError("the cursor's columns are not the statement's")
            found = self._processors[codes] = [
                type_._cached_result_processor(self.dialect, code)
                for (_, type_), code in zip(self.columns, codes, strict=True)
            ]
        return found
