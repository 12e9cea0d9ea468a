"""The registry of event types: type string -> (version, payload schema, subject kind, meaning)."""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import Schema

SchemaClass = type[Schema]


@dataclass(frozen=True)
class EventSpec:
    """What one event type means and what its `data` holds."""

    type: str
    version: int
    subject_kind: str
    schema: SchemaClass
    doc: str


CATALOG: dict[str, EventSpec] = {}


def register(spec: EventSpec) -> EventSpec:
    """Add an event type to the catalog; each type is defined once."""
    if spec.type in CATALOG:
        raise ValueError(f"event type {spec.type} defined twice")
    CATALOG[spec.type] = spec
    return spec


def payload_schema(event_type: str) -> Schema:
    """An instance of the payload schema of a known event type."""
    return CATALOG[event_type].schema()


def _load_producers() -> None:
    # Each producer's module registers its event types when imported.
    from shared.events import cases, reports  # noqa: F401


_load_producers()
