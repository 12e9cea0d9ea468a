"""The imperative mapping of the plain domain classes onto the tables of `tables.py`.

Imperative mapping keeps `domain/` free of SQLAlchemy while the aggregate (a case with its
interventions, plans, evaluations, consents and referrals) loads and saves as one object graph.
The tables are re-exported here: the rest of the service reads them as `orm.cases` and so on.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import registry, relationship

from services.cases.adapters.tables import (
    audit_log,
    calendar_feeds,
    cases,
    consents,
    development_plans,
    documents_table,
    guardian_sign_in_links,
    guardians,
    interventions,
    metadata,
    outbox,
    partnerships,
    plan_evaluations,
    pupil_staff,
    pupils,
    referrals,
    scenarios,
    scheduled_notices,
    schools,
    support_profiles,
    tlv_advices,
    tlv_applications,
    tlv_parent_answers,
    users,
)
from services.cases.domain import (
    consent,
    documents,
    evaluation,
    intervention,
    model,
    plan,
    referral,
    school,
    tlv,
)

__all__ = [
    "audit_log",
    "calendar_feeds",
    "cases",
    "consents",
    "development_plans",
    "documents_table",
    "guardian_sign_in_links",
    "guardians",
    "interventions",
    "mapper_registry",
    "metadata",
    "outbox",
    "partnerships",
    "plan_evaluations",
    "pupil_staff",
    "pupils",
    "referrals",
    "scenarios",
    "scheduled_notices",
    "schools",
    "start_mappers",
    "support_profiles",
    "tlv_advices",
    "tlv_applications",
    "tlv_parent_answers",
    "users",
]

mapper_registry = registry(metadata=metadata)


def _init_events(target: Any, _context: Any) -> None:
    target.events = []


_started = False


def start_mappers() -> None:
    """Map the domain classes onto the tables, once per process."""
    global _started
    if _started:
        return
    _started = True
    _map_school()
    _map_case()
    _map_tlv()
    for cls in (model.Case, school.Pupil, school.SupportProfile, tlv.TlvApplication):
        event.listen(cls, "load", _init_events)


def _map_school() -> None:
    """Partnerships, schools and their profiles, accounts, pupils (with guardians and staff) and
    the documents of cases."""
    m = mapper_registry.map_imperatively
    m(school.Partnership, partnerships)
    m(school.School, schools)
    m(school.SupportProfile, support_profiles)
    m(school.User, users)
    m(school.Guardian, guardians)
    m(school.StaffAssignment, pupil_staff)
    m(documents.Document, documents_table)
    m(
        school.Pupil,
        pupils,
        properties={
            "guardians": relationship(
                school.Guardian, cascade="all, delete-orphan", order_by=guardians.c.name
            ),
            "staff": relationship(school.StaffAssignment, cascade="all, delete-orphan"),
        },
    )


def _map_case() -> None:
    """The case aggregate: interventions, plans (scenarios, evaluations, consents), referrals."""
    m = mapper_registry.map_imperatively
    m(intervention.Intervention, interventions)
    m(plan.Scenario, scenarios)
    m(evaluation.PlanEvaluation, plan_evaluations)
    m(consent.Consent, consents)
    m(referral.Referral, referrals)
    m(
        plan.DevelopmentPlan,
        development_plans,
        properties={
            "parents_view_text": development_plans.c.parents_view,
            "scenarios": relationship(
                plan.Scenario,
                cascade="all, delete-orphan",
                order_by=scenarios.c.position,
                collection_class=_positioned_list(),
            ),
            "evaluations": relationship(
                evaluation.PlanEvaluation,
                cascade="all, delete-orphan",
                order_by=plan_evaluations.c.due_on,
            ),
            "consents": relationship(
                consent.Consent, cascade="all, delete-orphan", order_by=consents.c.recorded_on
            ),
        },
    )
    m(
        model.Case,
        cases,
        properties={
            "interventions": relationship(
                intervention.Intervention,
                cascade="all, delete-orphan",
                order_by=interventions.c.starts_on,
            ),
            "plans": relationship(
                plan.DevelopmentPlan,
                cascade="all, delete-orphan",
                order_by=development_plans.c.created_on,
            ),
            "referrals": relationship(referral.Referral, cascade="all, delete-orphan"),
        },
    )


def _map_tlv() -> None:
    """TLV applications with their advices and the parents' answers."""
    m = mapper_registry.map_imperatively
    m(tlv.Advice, tlv_advices)
    m(tlv.ParentsAnswer, tlv_parent_answers)
    m(
        tlv.TlvApplication,
        tlv_applications,
        properties={
            "parents_view_text": tlv_applications.c.parents_view,
            "advices": relationship(
                tlv.Advice,
                cascade="all, delete-orphan",
                order_by=tlv_advices.c.position,
            ),
            "answers": relationship(
                tlv.ParentsAnswer,
                cascade="all, delete-orphan",
                order_by=tlv_parent_answers.c.position,
            ),
        },
    )


def _positioned_list() -> Any:
    from sqlalchemy.ext.orderinglist import ordering_list

    return ordering_list("position")
