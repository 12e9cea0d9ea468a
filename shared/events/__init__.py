"""The event envelope and the catalog of event payload schemas, shared by producer and consumers."""

from shared.events.catalog import CATALOG, EventSpec, payload_schema
from shared.events.envelope import Envelope, EnvelopeSchema, Subject, UnknownEventType

__all__ = [
    "CATALOG",
    "Envelope",
    "EnvelopeSchema",
    "EventSpec",
    "Subject",
    "UnknownEventType",
    "payload_schema",
]
