"""The read model of the reports service: which facts each event changes, and how.

An event becomes a list of `Upsert`s, one per fact row it touches. An upsert creates the row when
it is missing and otherwise changes only the columns the event knows, each by its `Merge` rule, so
the facts come out the same whichever event of a subject arrives first (an `intervention.evaluated`
whose `intervention.started` is still on its way creates the row; the started event fills in the
rest later). Two events of the same type on one subject (two consent answers, two reschedules) are
applied in arrival order; the stream keeps each subject's order, and only a retried entry can
overtake a later one. Report counts never depend on that: consent answers are facts of their own.

Events carry no pupil identifiers, and neither does the read model. The only names it holds are
schools' (from `school.registered`) and partnerships' (from `partnership.registered`): an
organisation's name is not personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from uuid import UUID

from shared.events import Envelope


class Merge(StrEnum):
    """How a column of an existing row takes the event's value."""

    SET = "set"  # the event's value wins
    KEEP = "keep"  # only fills an empty column
    EARLIEST = "earliest"  # the earlier of the two dates
    UNLESS_HELD = "unless_held"  # a plan evaluation's due date, frozen once it was held


class Fact(StrEnum):
    """The fact tables; each row is keyed by the id of what it describes."""

    PARTNERSHIPS = "partnerships"
    SCHOOLS = "schools"
    INTERVENTIONS = "interventions"
    PLANS = "development_plans"
    CONSENTS = "plan_consents"
    EVALUATIONS = "plan_evaluations"
    REFERRALS = "referrals"


@dataclass(frozen=True)
class Upsert:
    """Create or change one fact row: `values` by column, each merged by its rule (default SET)."""

    fact: Fact
    key: UUID
    values: dict[str, Any]
    rules: dict[str, Merge] = field(default_factory=dict)

    def rule(self, column: str) -> Merge:
        """The merge rule of a column."""
        return self.rules.get(column, Merge.SET)


def _scope(envelope: Envelope) -> dict[str, Any]:
    return {
        "partnership_id": envelope.partnership_id,
        "school_id": envelope.school_id,
        "case_id": envelope.data["case_id"],
    }


def _intervention(e: Envelope, **values: Any) -> list[Upsert]:
    return [Upsert(Fact.INTERVENTIONS, e.data["intervention_id"], {**_scope(e), **values})]


def _plan(e: Envelope, rules: dict[str, Merge] | None = None, **values: Any) -> list[Upsert]:
    return [Upsert(Fact.PLANS, e.data["plan_id"], {**_scope(e), **values}, rules or {})]


def _evaluation(e: Envelope, rules: dict[str, Merge] | None = None, **values: Any) -> Upsert:
    values = {**_scope(e), "plan_id": e.data["plan_id"], **values}
    return Upsert(Fact.EVALUATIONS, e.data["evaluation_id"], values, rules or {})


def _referral(e: Envelope, rules: dict[str, Merge] | None = None, **values: Any) -> list[Upsert]:
    return [Upsert(Fact.REFERRALS, e.data["referral_id"], {**_scope(e), **values}, rules or {})]


def _school_registered(e: Envelope) -> list[Upsert]:
    # The subject is the school; its name and BRIN code replace what an earlier one said.
    values = {"partnership_id": e.partnership_id, "name": e.data["name"], "brin": e.data["brin"]}
    return [Upsert(Fact.SCHOOLS, e.subject.id, values, {"partnership_id": Merge.KEEP})]


def _partnership_registered(e: Envelope) -> list[Upsert]:
    # The subject is the partnership; a later registration's name replaces an earlier one's.
    return [Upsert(Fact.PARTNERSHIPS, e.subject.id, {"name": e.data["name"]})]


def _intervention_started(e: Envelope) -> list[Upsert]:
    d = e.data
    return _intervention(
        e,
        level=d["level"],
        domain=d["domain"],
        plan_id=d["plan_id"],
        started_on=d["starts_on"],
        evaluate_by=d["evaluate_by"],
    )


def _intervention_outside(e: Envelope) -> list[Upsert]:
    return _intervention(e, domain=e.data["domain"], outside_support_profile=True)


def _intervention_evaluated(e: Envelope) -> list[Upsert]:
    d = e.data
    return _intervention(
        e, evaluate_by=d["evaluate_by"], evaluated_on=d["evaluated_on"], outcome=d["outcome"]
    )


def _plan_created(e: Envelope) -> list[Upsert]:
    d = e.data
    return _plan(e, created_on=d["created_on"], agreed_end_date=d["agreed_end_date"])


def _plan_activated(e: Envelope) -> list[Upsert]:
    # A changed action plan is agreed to again and re-activates the plan: the first date counts.
    return _plan(e, {"activated_on": Merge.EARLIEST}, activated_on=e.data["activated_on"])


def _plan_closed(e: Envelope) -> list[Upsert]:
    return _plan(e, closed_on=e.data["closed_on"], close_reason=e.data["reason"])


def _consent_requested(e: Envelope) -> list[Upsert]:
    return _plan(e, consent_requested_on=e.data["requested_on"])


def _consent_recorded(e: Envelope) -> list[Upsert]:
    d = e.data
    answer = Upsert(
        Fact.CONSENTS,
        e.id,  # every answer is a fact of its own, keyed by its event
        {
            "partnership_id": e.partnership_id,
            "school_id": e.school_id,
            "plan_id": d["plan_id"],
            "action_plan_version": d["action_plan_version"],
            "requested_on": d["requested_on"],
            "recorded_on": d["recorded_on"],
            "decision": d["decision"],
        },
    )
    latest = _plan(
        e,
        consent_requested_on=d["requested_on"],
        consent_recorded_on=d["recorded_on"],
        consent_decision=d["decision"],
    )
    return [answer, *latest]


def _evaluation_scheduled(e: Envelope) -> list[Upsert]:
    return [_evaluation(e, {"due_on": Merge.KEEP}, due_on=e.data["due_on"])]


def _evaluation_rescheduled(e: Envelope) -> list[Upsert]:
    return [_evaluation(e, {"due_on": Merge.UNLESS_HELD}, due_on=e.data["due_on"])]


def _plan_evaluated(e: Envelope) -> list[Upsert]:
    d = e.data
    return [
        _evaluation(e, due_on=d["due_on"], held_on=d["held_on"], decision=d["decision"]),
    ]


def _referral_requested(e: Envelope) -> list[Upsert]:
    d = e.data
    return _referral(
        e, plan_id=d["plan_id"], requested_on=d["requested_on"], destination=d["destination"]
    )


def _admission_statement(e: Envelope) -> list[Upsert]:
    d = e.data
    return _referral(e, valid_from=d["valid_from"], valid_until=d["valid_until"])


def _referral_submitted(e: Envelope) -> list[Upsert]:
    # The application's own event tells its date and flag; a later submission of the same
    # referral (after a refusal) replaces them.
    d = e.data
    return _referral(
        e,
        submitted_on=d["submitted_on"],
        parents_agreed=d["parents_agreed"],
        decide_by=d["decide_by"],
    )


def _referral_advice_recorded(e: Envelope) -> list[Upsert]:
    # Only the day the application became complete (both advices in) is a fact of the reports;
    # the first such day counts, whichever advice event arrives first.
    d = e.data
    if not d["complete"]:
        return []
    return _referral(e, {"complete_on": Merge.EARLIEST}, complete_on=d["recorded_on"])


def _referral_decided(e: Envelope) -> list[Upsert]:
    # The decision repeats the application's date and flag, so a decision that overtakes its
    # `referral.submitted` still creates a whole row; the submitted event's own values win
    # (KEEP here, SET there). A refusal has no validity: it leaves a recorded one alone.
    d = e.data
    values = {
        "decision": d["decision"],
        "decided_on": d["decided_on"],
        "school_type": d["school_type"],
        "category": d["category"],
        "submitted_on": d["submitted_on"],
        "parents_agreed": d["parents_agreed"],
    }
    if d["valid_from"] is not None:
        values |= {"valid_from": d["valid_from"], "valid_until": d["valid_until"]}
    rules = {"submitted_on": Merge.KEEP, "parents_agreed": Merge.KEEP}
    return _referral(e, rules, **values)


PROJECTIONS: dict[str, Callable[[Envelope], list[Upsert]]] = {
    "partnership.registered": _partnership_registered,
    "school.registered": _school_registered,
    "intervention.started": _intervention_started,
    "intervention.outside_support_profile": _intervention_outside,
    "intervention.evaluated": _intervention_evaluated,
    "development_plan.created": _plan_created,
    "development_plan.activated": _plan_activated,
    "development_plan.closed": _plan_closed,
    "development_plan.consent_requested": _consent_requested,
    "development_plan.consent_recorded": _consent_recorded,
    "development_plan.evaluation_scheduled": _evaluation_scheduled,
    "development_plan.evaluation_rescheduled": _evaluation_rescheduled,
    "development_plan.evaluated": _plan_evaluated,
    "referral.requested": _referral_requested,
    "referral.admission_statement_recorded": _admission_statement,
    "referral.submitted": _referral_submitted,
    "referral.advice_recorded": _referral_advice_recorded,
    "referral.decided": _referral_decided,
}


def changes_for(envelope: Envelope) -> list[Upsert]:
    """The fact rows an event creates or changes; events the reports do not use change nothing
    but the list of the partnership's schools."""
    changes: list[Upsert] = []
    if envelope.school_id is not None:
        changes.append(
            Upsert(
                Fact.SCHOOLS,
                envelope.school_id,
                {"partnership_id": envelope.partnership_id},
                {"partnership_id": Merge.KEEP},
            )
        )
    project = PROJECTIONS.get(envelope.type)
    if project is not None:
        changes.extend(project(envelope))
    return changes
