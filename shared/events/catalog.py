"""The registry of event types: type string -> (version, payload schema, subject kind, meaning).

Importing the catalog imports every producer's module, which registers its event types in
`shared.events.spec` (the producers import only that, so there is no import cycle)."""

from __future__ import annotations

from marshmallow import Schema

from shared.events import cases, reports  # noqa: F401  (register the producers' event types)
from shared.events.spec import CATALOG, EventSpec, SchemaClass, register

__all__ = ["CATALOG", "EventSpec", "SchemaClass", "payload_schema", "register"]


def payload_schema(event_type: str) -> Schema:
    """An instance of the payload schema of a known event type."""
    return CATALOG[event_type].schema()
