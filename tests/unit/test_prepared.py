"""shared.prepared (issue 15): a statement compiled once and run through the DBAPI executemany
binds each value as SQLAlchemy would (the column type's processor, in the dialect's paramstyle),
and refuses a statement with a parameter that is not one of its keys."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from sqlalchemy import Column, Date, MetaData, String, Table, Uuid, bindparam, insert
from sqlalchemy.dialects import sqlite

from shared.prepared import Prepared, Unnest

TABLE = Table(
    "facts",
    MetaData(),
    Column("id", Uuid, primary_key=True),
    Column("name", String(20)),
    Column("on", Date),
)
KEYS = ["id", "name", "on"]
ROW = {"id": UUID(int=7), "name": "x", "on": date(2026, 9, 10)}


def statement():
    return insert(TABLE).values({k: bindparam(k) for k in KEYS})


def test_sqlite_rows_are_tuples_in_the_statement_order_through_the_types_processors():
    prepared = Prepared(statement(), sqlite.dialect(), KEYS)
    assert prepared.sql.count("?") == 3
    assert prepared.rows([ROW, {**ROW, "on": None}]) == [
        (UUID(int=7).hex, "x", "2026-09-10"),
        (UUID(int=7).hex, "x", None),
    ]


def test_postgresql_rows_are_named_and_keep_what_psycopg_adapts_itself():
    from sqlalchemy.dialects.postgresql import psycopg

    prepared = Prepared(statement(), psycopg.dialect(), KEYS)
    assert "%(name)s" in prepared.sql
    assert prepared.rows([ROW]) == [ROW]


def test_a_statement_with_a_parameter_of_its_own_is_refused():
    literal = insert(TABLE).values(id=bindparam("id"), name="fixed", on=bindparam("on"))
    with pytest.raises(ValueError, match="not the column keys"):
        Prepared(literal, sqlite.dialect(), ["id", "on"])


def upsert():
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    statement = pg_insert(TABLE)
    return statement.values({k: bindparam(k) for k in KEYS}).on_conflict_do_update(
        index_elements=["id"], set_={"name": statement.excluded.name, "on": statement.excluded.on}
    )


def test_unnest_is_one_statement_of_one_array_per_column_whatever_the_rows():
    from sqlalchemy.dialects.postgresql import psycopg

    unnest = Unnest(upsert(), psycopg.dialect(), KEYS)
    assert unnest.sql.startswith('INSERT INTO facts (id, name, "on") SELECT * FROM unnest(')
    assert "%b::UUID[], %b::VARCHAR(20)[], %b::DATE[]" in unnest.sql
    assert unnest.sql.endswith(
        'ON CONFLICT (id) DO UPDATE SET name = excluded.name, "on" = excluded."on"'
    )
    other = {"id": UUID(int=8), "name": None, "on": None}
    assert unnest.columns([ROW, other]) == (
        [UUID(int=7), UUID(int=8)],
        ["x", None],
        [date(2026, 9, 10), None],
    )


def test_unnest_refuses_what_it_cannot_turn_into_arrays():
    from sqlalchemy.dialects.postgresql import psycopg

    with pytest.raises(ValueError, match="PostgreSQL"):
        Unnest(upsert(), sqlite.dialect(), KEYS)
    literal = upsert().values(id=bindparam("id"), name="fixed", on=bindparam("on"))
    with pytest.raises(ValueError, match="not the column keys"):
        Unnest(literal, psycopg.dialect(), ["id", "on"])
