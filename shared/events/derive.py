"""Payload schemas derived from the event classes (see `shared.events.payload`): a field's type
hint picks the marshmallow field, `| None` allows null, a default makes it optional on load, and
the `Annotated` markers become validators."""

from __future__ import annotations

import dataclasses
import types
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Protocol, Union, get_args, get_origin, get_type_hints
from uuid import UUID

from marshmallow import Schema, fields, validate

from shared.events.payload import SCOPE, AtLeast, Length, OneOf, Pattern
from shared.events.spec import EventSpec

FIELDS: dict[type, type[fields.Field]] = {
    UUID: fields.UUID,
    date: fields.Date,
    datetime: fields.AwareDateTime,  # an instant with its offset; a naive one is refused
    int: fields.Integer,
    bool: fields.Boolean,
    str: fields.String,
}


class EventClass(Protocol):
    """What an event class has: a dataclass with its type string and subject kind."""

    __dataclass_fields__: ClassVar[dict[str, Any]]
    type: ClassVar[str]
    subject_kind: ClassVar[str]


def event_spec(event: type[EventClass], version: int = 1) -> EventSpec:
    """The catalog entry of an event class: its type, subject, meaning and payload schema."""
    return EventSpec(event.type, version, event.subject_kind, payload_schema(event), _doc(event))


def payload_schema(event: type[EventClass]) -> type[Schema]:
    """The marshmallow schema of an event class's payload: every dataclass field but the scope."""
    hints = get_type_hints(event, include_extras=True)
    declared = {
        f.name: _field(event, f.name, hints[f.name], f.default)
        for f in dataclasses.fields(event)
        if f.name not in SCOPE
    }
    name = "".join(p.title() for p in event.type.replace(".", "_").split("_")) + "Payload"
    return Schema.from_dict(declared, name=name)


def _doc(event: type) -> str:
    doc = event.__doc__ or ""
    if "__doc__" not in vars(event) or doc.startswith(event.__name__ + "("):
        raise TypeError(f"{event.__name__}: the docstring is the event's meaning; write one")
    return " ".join(doc.split())


def _field(event: type, name: str, hint: Any, default: Any) -> fields.Field:
    kind, nullable, markers = _unpack(hint)
    validators = [_validator(marker) for marker in markers]
    if kind is str and not validators:  # DESIGN.md §3: codes, never free text
        raise TypeError(f"{event.__name__}.{name}: a text field needs a marker (a code)")
    options: dict[str, Any] = {"validate": validators[0] if len(validators) == 1 else validators}
    if default is dataclasses.MISSING:
        options["required"] = True
    else:
        options["load_default"] = default
    if nullable:
        options["allow_none"] = True
    return FIELDS[kind](**options)


def _unpack(hint: Any) -> tuple[type, bool, list[Any]]:
    """(the plain type, whether None is allowed, the markers) of a field's type hint."""
    markers: list[Any] = []
    nullable = False
    if get_origin(hint) is Annotated:
        hint, *markers = get_args(hint)
    if get_origin(hint) in (Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        nullable = len(args) < len(get_args(hint))
        (hint,) = args
    if get_origin(hint) is Annotated:  # `Code | None`: the markers inside the union
        hint, *inner = get_args(hint)
        markers += inner
    return hint, nullable, markers


def _validator(marker: Any) -> validate.Validator:
    if isinstance(marker, OneOf):
        return validate.OneOf(marker.choices)
    if isinstance(marker, Pattern):
        return validate.Regexp(marker.regex)
    if isinstance(marker, Length):
        return validate.Length(min=marker.min, max=marker.max)
    if isinstance(marker, AtLeast):
        return validate.Range(min=marker.min)
    raise TypeError(f"unknown payload marker {marker!r}")
