"""Template keys: an event type, or an event type with a suffix for its other messages."""

from __future__ import annotations

# Reminders before a date, a deadline's overdue notice, an escalation, and the guardians' own
# version of an event's message (see domain/tlv.py).
TEMPLATE_SUFFIXES = (".lead", ".overdue", ".escalation", ".parents")


def template_event(key: str) -> str:
    """The event type of a template key."""
    for suffix in TEMPLATE_SUFFIXES:
        key = key.removesuffix(suffix)
    return key
