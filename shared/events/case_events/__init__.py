"""The events of the cases service, each defined once: a frozen dataclass per event type.

Why here, in `shared`, and not in `services/cases/domain`: an event's payload was written twice,
as the domain's dataclass and as the catalog's marshmallow schema, kept in step by a test. One of
the two had to become the source of the other. The schema cannot be the source: the domain
imports no framework, and typed dataclasses are what the domain's code and mypy check against.
So the dataclasses are the source, and `shared.events.derive` builds each payload schema from
one (field names, types, `| None`, defaults, `Annotated` markers of `shared.events.payload`). They
live in `shared` because the catalog is in `shared`, which never imports a service; they are
plain Python, so the cases domain imports them (`services.cases.domain.events` re-exports them).

A class's docstring is the event's meaning in the catalog (README's "Event catalog"): say what
happened and what the payload holds; comments are for the code's readers only. Payloads carry ids,
codes and dates only: never names, birth dates, goals, notes or any other free text about a pupil
(DESIGN.md §3). A new event type is a class in the module of its subject.
"""

from __future__ import annotations

from shared.events.case_events import cases, plans, profiles, referrals, schools
from shared.events.case_events.base import SUBJECT_FIELD, Event, events_of

__all__ = ["ALL_EVENTS", "SUBJECT_FIELD", "Event"]

# Every event type of the cases service, in the catalog's order.
ALL_EVENTS: tuple[type[Event], ...] = tuple(
    event for module in (schools, cases, plans, referrals, profiles) for event in events_of(module)
)
