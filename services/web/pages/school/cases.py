"""A case with its interventions and its timeline in sentences."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.web.clients.plans import PlansClient
from services.web.pages.common import (
    cases,
    current_language,
    current_user,
    read_alongside,
    render,
)
from services.web.pages.school import blp
from services.web.pages.school.plan_labels import case_plans_context
from services.web.pages.school.timeline import sentences


@blp.get("/trajecten/<uuid:case_id>")
def case(case_id: UUID) -> Any:
    """A case: its pupil, interventions and its timeline as sentences."""
    client = cases()
    user = current_user()
    assert user is not None and user.partnership_id is not None
    partnership = user.partnership_id
    # The timeline and the domain names need only ids the page has: read beside the case.
    domains = read_alongside(lambda other: other.domains(partnership))
    timeline = read_alongside(lambda other: other.timeline(case_id))
    found = client.case(case_id)
    pupil = client.pupil(found.pupil_id)
    names = {d.code: d.label(current_language()) for d in domains.result()}

    def domain_name(code: str) -> str:
        return names.get(code, code)

    return render(
        "school/case.html",
        case=found,
        pupil=pupil,
        timeline=sentences(
            timeline.result(),
            domain_name,
            {str(i.id): i.domain for i in found.interventions},
        ),
        domain_name=domain_name,
        **case_plans_context(
            bool(found.referrals),
            lambda: PlansClient(client.api).destinations(user.partnership_id),
        ),
    )
