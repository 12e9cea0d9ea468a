"""The vocabulary of event types: what one type means, and the registry producers add to.

The producers' modules (`shared.events.cases`, `shared.events.reports`) import this one; the
catalog imports them. Nothing here imports a producer, so there is no import cycle."""

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
