"""Read side of the cases service: scoped lists, details, the case timeline and the event log.

One module per read model; import them from here (`from services.cases.adapters import queries`,
then `queries.get_case(...)`):
- `base`: a page of results, the caller's scope, chunked IN lists, a period's days as instants;
- `cases`: cases and plans as their pages show them, and the evaluations due soon;
- `pupils`: pupils in scope (flagged when they left with a case still open);
- `timeline`: a case's events with who caused them, and the replayable event log;
- `rod`: the DUO (ROD) export of development plans;
- `upcoming`: upcoming evaluations and meetings per school, for lists and calendar feeds;
- `scheduled`: the dates now scheduled, for the notifications service's policy simulation;
- `caseload`: pupils in support with each case's next due date and flags;
- `legal`: each open plan of a school with the rules it meets or misses.
"""

from services.cases.adapters.queries.base import Page, paginate, scope
from services.cases.adapters.queries.caseload import caseload
from services.cases.adapters.queries.cases import due_evaluations, get_case, get_plan, list_cases
from services.cases.adapters.queries.legal import legal_school, legal_status
from services.cases.adapters.queries.pupils import get_pupil, list_pupils
from services.cases.adapters.queries.rod import (
    PUPIL_ANONYMISED,
    PUPIL_NUMBER_MISSING,
    RodRow,
    rod_export,
    rod_school,
)
from services.cases.adapters.queries.scheduled import (
    PLAN_EVALUATION_EVENTS,
    SCHEDULED_BY,
    scheduled_dates,
)
from services.cases.adapters.queries.timeline import (
    GUARDIAN_NAME,
    SYSTEM_NAME,
    actor_of,
    event_log,
    timeline,
)
from services.cases.adapters.queries.upcoming import (
    calendar_scope,
    pupil_display,
    school_for_calendar,
    upcoming_evaluations,
)

__all__ = [
    "GUARDIAN_NAME",
    "PLAN_EVALUATION_EVENTS",
    "PUPIL_ANONYMISED",
    "PUPIL_NUMBER_MISSING",
    "SCHEDULED_BY",
    "SYSTEM_NAME",
    "Page",
    "RodRow",
    "actor_of",
    "calendar_scope",
    "caseload",
    "due_evaluations",
    "event_log",
    "get_case",
    "get_plan",
    "get_pupil",
    "legal_school",
    "legal_status",
    "list_cases",
    "list_pupils",
    "paginate",
    "pupil_display",
    "rod_export",
    "rod_school",
    "scheduled_dates",
    "school_for_calendar",
    "scope",
    "timeline",
    "upcoming_evaluations",
]
