"""Events produced by the cases service: the catalog's entries, derived from the event classes in
`shared.events.case_events`, where each event is defined once (its docstring says why there)."""

from __future__ import annotations

from shared.events.case_events import ALL_EVENTS
from shared.events.derive import event_spec
from shared.events.spec import register

for _event in ALL_EVENTS:
    register(event_spec(_event))
