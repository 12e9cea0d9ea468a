"""The event envelope and the catalog of event payload schemas, shared by producer and consumers.

The names below load on first use (PEP 562), not when the package is imported: the cases domain
imports its event classes from `shared.events.case_events`, plain Python, and importing them must
not bring marshmallow (a framework) into the domain through this package."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shared.events.catalog import CATALOG, EventSpec, payload_schema
    from shared.events.envelope import Envelope, EnvelopeSchema, Subject, UnknownEventType

_HOME = {
    "CATALOG": "catalog",
    "EventSpec": "catalog",
    "payload_schema": "catalog",
    "Envelope": "envelope",
    "EnvelopeSchema": "envelope",
    "Subject": "envelope",
    "UnknownEventType": "envelope",
}

__all__ = [
    "CATALOG",
    "Envelope",
    "EnvelopeSchema",
    "EventSpec",
    "Subject",
    "UnknownEventType",
    "payload_schema",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value
