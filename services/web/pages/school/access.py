"""Who may fill in the school's forms, as the cases API decides it: every change to a pupil's
support (open a case, start an intervention, the OPP and its steps, the TLV, documents) is the
school's coordinator's; a teacher records how a basic intervention went. Other roles get the
refusal page instead of a form that would fail on save, and do not see the buttons. The API still
judges every save (a coordinator of another school, a teacher not assigned to the pupil)."""

from __future__ import annotations

from typing import Any, Protocol

from flask_babel import gettext as _

from services.web.pages.common import current_user, render
from shared.auth import Role


class Leveled(Protocol):
    level: str


def changes_cases() -> bool:
    """Whether the signed-in user may change a pupil's support data (the coordinator)."""
    user = current_user()
    return user is not None and user.role is Role.COORDINATOR


def evaluates(intervention: Leveled) -> bool:
    """Whether the signed-in user may record how this intervention went: the coordinator, or a
    teacher for a basic intervention (the API checks the teacher is assigned to the pupil)."""
    user = current_user()
    if user is None:
        return False
    if user.role is Role.TEACHER:
        return intervention.level == "basic"
    return user.role is Role.COORDINATOR


def refused() -> Any:
    """The calm refusal page (403), as the administrator's pages answer other roles."""
    return render(
        "error.html",
        403,
        title=_("Geen toegang"),
        text=_("Dit kan alleen de intern begeleider van de school doen."),
    )


def template_context() -> dict[str, Any]:
    """What the school's templates ask before showing a button to a form."""
    return {"may_change": changes_cases(), "may_evaluate": evaluates}
