"""The envelope every event travels in (DESIGN.md §3), as a dataclass and a marshmallow schema."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from marshmallow import Schema, ValidationError, fields, post_load, validate

from shared.events import fastload
from shared.events.catalog import CATALOG


class UnknownEventType(ValueError):
    """The envelope names a type (or version) this code does not know."""


@dataclass(frozen=True)
class Subject:
    """What an event is about: a kind ('case', 'intervention', ...) and its id."""

    kind: str
    id: UUID


@dataclass(frozen=True)
class Envelope:
    """One event: metadata plus a small `data` payload of ids and codes (never pupil free text)."""

    id: UUID
    type: str
    version: int
    occurred_at: datetime
    partnership_id: UUID
    school_id: UUID | None
    subject: Subject
    data: dict[str, Any] = field(default_factory=dict)
    # The id of the HTTP request that caused the event, for the logs (optional: events written
    # by scheduled tasks have none, and events from before it existed lack the field).
    request_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form, `data` dumped through the catalog's payload schema."""
        return _envelope_schema().dump(self)

    def to_json(self) -> str:
        """The wire form carried in one stream-entry field."""
        return json.dumps(self.to_dict(), separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, raw: str | bytes) -> Envelope:
        """Parse and validate an envelope and its payload (ValidationError, UnknownEventType)."""
        return cls.from_dict(json.loads(raw))

    @classmethod
    def from_dict(cls, raw: Any) -> Envelope:
        """Validate the parsed JSON form (ValidationError, UnknownEventType)."""
        envelope: Envelope = fastload.load(_envelope_schema(), raw)
        return envelope


class SubjectSchema(Schema):
    kind = fields.String(required=True, validate=validate.Length(min=1, max=40))
    id = fields.UUID(required=True)

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Subject:
        return Subject(**data)


class EnvelopeSchema(Schema):
    """Validates the envelope and, through the catalog, its `data`."""

    id = fields.UUID(required=True)
    type = fields.String(required=True)
    version = fields.Integer(required=True, strict=True)
    occurred_at = fields.AwareDateTime(required=True, format="iso")
    partnership_id = fields.UUID(required=True)
    school_id = fields.UUID(required=True, allow_none=True)
    subject = fields.Nested(SubjectSchema, required=True)
    data = fields.Dict(keys=fields.String(), required=True)
    request_id = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=128)
    )

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Envelope:
        spec = CATALOG.get(data["type"])
        if spec is None or spec.version != data["version"]:
            raise UnknownEventType(f"{data['type']} v{data['version']}")
        try:
            data["data"] = fastload.load(_schema(spec.schema), data["data"])
        except ValidationError as err:
            raise ValidationError({"data": err.messages}) from err
        return Envelope(**data)

    def dump(self, obj: Any, *, many: bool | None = None) -> Any:
        out = super().dump(obj, many=many)
        spec = CATALOG.get(obj.type)
        if spec is not None:
            out["data"] = _schema(spec.schema).dump(obj.data)
        if out.get("request_id") is None:  # absent rather than null: the wire form stays as it was
            out.pop("request_id", None)
        return out


@functools.cache
def _schema(schema: type[Schema]) -> Schema:
    """One instance per payload schema: building one deep-copies its fields, which cost more
    than the load itself (a consumer parses thousands of envelopes a second)."""
    return schema()


def _envelope_schema() -> Schema:
    return _schema(EnvelopeSchema)
