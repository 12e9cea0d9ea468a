"""How an event class declares its payload, in plain Python: the one definition of an event.

An event type is a frozen dataclass (see `shared.events.case_events`): its ClassVars `type` and
`subject_kind`, its docstring (the catalog's meaning), and its fields with type hints. What a
type hint cannot say about a value travels in `Annotated[...]` as one of the markers below, e.g.
`level: Annotated[str, OneOf(LEVELS)]`. `shared.events.derive` reads all of it to build the
marshmallow payload schema the catalog holds, so the fields are written once: the cases domain
uses these classes as its events, and producer and consumers validate with the derived schemas.

Nothing here imports a framework, so the cases domain may import the event classes.
"""

from __future__ import annotations

from dataclasses import dataclass

# Envelope fields, beside the payload rather than in it: no event's `data` holds them.
SCOPE = ("partnership_id", "school_id")


@dataclass(frozen=True)
class OneOf:
    """The value is one of a fixed set of codes."""

    choices: tuple[str, ...]


@dataclass(frozen=True)
class Pattern:
    """The value matches a regular expression."""

    regex: str


@dataclass(frozen=True)
class Length:
    """The text's length is within bounds."""

    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class AtLeast:
    """The number is at least `min`."""

    min: int


# A lowercase code of a list a partnership may extend (support domains, reasons, destinations).
CODE = Pattern(r"^[a-z][a-z0-9_]{0,63}$")
