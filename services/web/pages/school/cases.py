"""A case with its interventions and its timeline in sentences."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask_babel import gettext as _

from services.web.clients.applications import ApplicationsClient
from services.web.clients.cases import CasesClient
from services.web.clients.documents import DocumentsClient
from services.web.clients.plans import PlansClient
from services.web.pages.common import (
    cases,
    current_language,
    current_user,
    read_alongside,
    render,
)
from services.web.pages.school.blueprint import blp
from services.web.pages.school.plan_labels import case_plans_context
from services.web.pages.school.timeline import sentences


@blp.get("/trajecten/<uuid:case_id>")
def case(case_id: UUID) -> Any:
    """A case: its pupil, interventions and its timeline as sentences."""
    return case_page(case_id)


def case_page(case_id: UUID, status: int = 200, document_errors: dict | None = None) -> Any:
    """The case page; with `document_errors` the upload form shows why a file was refused."""
    client = cases()
    user = current_user()
    assert user is not None and user.partnership_id is not None
    partnership = user.partnership_id
    # The timeline and the domain names need only ids the page has: read beside the case.
    domains = read_alongside(lambda other: other.domains(partnership))
    timeline = read_alongside(lambda other: other.timeline(case_id))
    documents = read_alongside(lambda other: DocumentsClient(other.api).of_case(case_id))
    found = client.case(case_id)
    pupil = client.pupil(found.pupil_id)
    consultant = user.role.value == "consultant"
    names = {d.code: d.label(current_language()) for d in domains.result()}

    def domain_name(code: str) -> str:
        return names.get(code, code)

    return render(
        "school/case.html",
        status,
        case=found,
        documents=documents.result(),
        errors=document_errors or {},
        field_labels={"file": _("Bestand")},
        user_role=user.role.value,
        pupil=pupil,
        timeline=sentences(
            timeline.result(),
            domain_name,
            {str(i.id): i.domain for i in found.interventions},
        ),
        domain_name=domain_name,
        submitted_applications=_submitted_applications(client, found) if consultant else set(),
        **case_plans_context(
            bool(found.referrals),
            lambda: PlansClient(client.api).destinations(user.partnership_id),
        ),
    )


def _submitted_applications(client: CasesClient, found: Any) -> set[str]:
    """The ids of the case's referrals whose application a consultant may open: submitted or
    further (a draft is the school's own, and the API hides it from the partnership)."""
    applications = ApplicationsClient(client.api)
    shown = set()
    for referral in found.referrals:
        item = applications.get(referral.id)
        if item is not None and not item.is_draft:
            shown.add(str(referral.id))
    return shown
