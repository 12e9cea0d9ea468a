"""The envelope's fast path (shared.events.fastload, issue 15) decides nothing marshmallow would
decide otherwise: for valid and for broken envelopes of every catalog type, Envelope.from_json
returns what the schemas alone return (the same values, of the same types, in the same order) or
raises what they raise. And the fast path is taken: every schema of the catalog compiles."""

from __future__ import annotations

import json
from datetime import UTC, timedelta, timezone
from typing import Any
from unittest.mock import patch
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError, fields, validate

from shared.events import CATALOG, Envelope, fastload
from shared.events.envelope import EnvelopeSchema, _envelope_schema, _schema
from tests.unit.notifications.builders import sample_data

TYPES = sorted(CATALOG)


def sample_wire(event_type: str) -> dict[str, Any]:
    """A valid envelope of the type, in its JSON form."""
    spec = CATALOG[event_type]
    return {
        "id": str(uuid4()),
        "type": event_type,
        "version": spec.version,
        "occurred_at": "2026-10-15T08:00:00+00:00",
        "partnership_id": str(uuid4()),
        "school_id": str(uuid4()),
        "subject": {"kind": spec.subject_kind, "id": str(uuid4())},
        "data": sample_data(event_type),
        "request_id": "req-1",
    }


# Anything JSON may hold where a field is expected.
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),
    st.text(max_size=8),
    st.just("2026-10-15"),
    st.just("2026-10-15T08:00:00"),
    st.just("2026-10-15T08:00:00+02:00"),
    st.just("20261015"),
    st.uuids().map(lambda u: u.hex.upper()),
    st.uuids().map(lambda u: "{" + str(u) + "}"),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _good(field: fields.Field) -> st.SearchStrategy[Any]:
    """Values the field accepts (mostly), in their JSON form."""
    if isinstance(field, fields.UUID):
        return st.uuids().map(str)
    if isinstance(field, fields.Date):
        return st.dates().map(lambda d: d.isoformat())
    if isinstance(field, fields.DateTime):
        zones = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))])
        return st.datetimes(timezones=zones).map(lambda d: d.isoformat())
    if isinstance(field, fields.Boolean):
        return st.booleans()
    if isinstance(field, fields.Integer):
        return st.integers(-3, 2**40)
    for rule in field.validators:
        if isinstance(rule, validate.OneOf):
            return st.sampled_from(list(rule.choices))
        if isinstance(rule, validate.Regexp):
            return st.from_regex(rule.regex, fullmatch=True)
    return st.text(max_size=10)


@st.composite
def payloads(draw: st.DrawFn, event_type: str) -> dict[str, Any]:
    """A payload of the type: each field good, junk or missing, now and then an unknown key."""
    payload: dict[str, Any] = {}
    for name, field in CATALOG[event_type].schema().fields.items():
        choice = draw(st.sampled_from(["good"] * 8 + ["junk", "missing"]))
        if choice != "missing":
            payload[name] = draw(_good(field) if choice == "good" else JUNK)
    if draw(st.integers(0, 9)) == 0:
        payload[draw(st.text(min_size=1, max_size=5))] = draw(JUNK)
    return payload


@st.composite
def wires(draw: st.DrawFn) -> dict[str, Any]:
    """An envelope's JSON form, valid or broken somewhere."""
    event_type = draw(st.sampled_from(TYPES))
    raw = sample_wire(event_type)
    raw["data"] = draw(payloads(event_type))
    for name, field in EnvelopeSchema().fields.items():
        if name in ("type", "data", "subject") or draw(st.integers(0, 11)) != 0:
            continue
        raw[name] = draw(JUNK if draw(st.booleans()) else _good(field))
    if draw(st.integers(0, 11)) == 0:
        raw.pop(draw(st.sampled_from(sorted(raw))))
    if draw(st.integers(0, 11)) == 0:
        raw["subject"] = draw(st.one_of(JUNK, st.fixed_dictionaries({"kind": JUNK, "id": JUNK})))
    if draw(st.integers(0, 15)) == 0:
        raw["version"] = draw(st.sampled_from([2, True, 1.0, "1"]))
    return raw


def outcome(load: Any) -> tuple[Any, ...]:
    """What a load gave: the envelope with its data's items in order (values and their types),
    or the error's type and messages."""
    try:
        env = load()
    except (ValidationError, ValueError) as err:
        messages = err.messages if isinstance(err, ValidationError) else str(err)
        return ("error", type(err), messages)
    items = [(k, v, type(v)) for k, v in env.data.items()]
    top = [(f, getattr(env, f), type(getattr(env, f))) for f in env.__dataclass_fields__]
    return ("ok", top, items)


def marshmallow_only(raw: str) -> tuple[Any, ...]:
    with patch.object(fastload, "loader_of", lambda _schema: None):
        return outcome(lambda: Envelope.from_json(raw))


@settings(max_examples=400, deadline=None)
@given(wires())
def test_the_fast_path_returns_and_raises_what_the_schemas_do(raw):
    wire = json.dumps(raw)
    assert outcome(lambda: Envelope.from_json(wire)) == marshmallow_only(wire)


@pytest.mark.parametrize("event_type", TYPES)
def test_every_catalog_type_parses_on_the_fast_path(event_type):
    assert fastload.loader_of(_envelope_schema()) is not None
    assert fastload.loader_of(_schema(CATALOG[event_type].schema)) is not None
    wire = json.dumps(sample_wire(event_type))
    assert outcome(lambda: Envelope.from_json(wire)) == marshmallow_only(wire)
    assert outcome(lambda: Envelope.from_json(wire))[0] == "ok"


def test_a_schema_with_hooks_or_fields_it_does_not_know_goes_to_marshmallow():
    class Hooked(Schema):
        name = fields.String()

        from marshmallow import validates_schema

        @validates_schema
        def check(self, data: dict[str, Any], **_: Any) -> None:
            raise ValidationError("never")

    class Floating(Schema):
        amount = fields.Float()

    assert fastload.loader_of(Hooked()) is None
    assert fastload.loader_of(Floating()) is None
    with pytest.raises(ValidationError, match="never"):
        fastload.load(Hooked(), {"name": "x"})
    assert fastload.load(Floating(), {"amount": 1}) == {"amount": 1.0}


def test_uuids_reused_by_their_text_stay_right_when_the_cache_fills(monkeypatch):
    monkeypatch.setattr(fastload, "UUID_CACHE", 3)
    monkeypatch.setattr(fastload, "_UUIDS", {})
    wires = [sample_wire("case.opened") for _ in range(5)]
    wires.append({**wires[0], "id": wires[0]["id"].upper()})  # another text of one UUID
    for wire in [*wires, *wires]:  # each text parsed twice, the cache cleared meanwhile
        envelope = Envelope.from_json(json.dumps(wire))
        assert str(envelope.id) == wire["id"].lower()
        assert str(envelope.partnership_id) == wire["partnership_id"]
        assert str(envelope.subject.id) == wire["subject"]["id"]
    assert len(fastload._UUIDS) <= 3
