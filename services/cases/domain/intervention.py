"""Interventions of a support case and their rules (DESIGN.md §4, rules 1, 2 and 8): short
basic ones within the partnership's basic domains, extra ones only under an active plan.
Plain Python; the Case, the aggregate root, records the events."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID, uuid4

from services.cases.domain.school import PartnershipSettings
from shared.errors import Problems, StateConflict


class Outcome(StrEnum):
    EFFECTIVE = "effective"
    PARTLY_EFFECTIVE = "partly_effective"
    NOT_EFFECTIVE = "not_effective"


class Intervention:
    """A short basic intervention, or an extra one under an active plan."""

    def __init__(
        self,
        *,
        case_id: UUID,
        level: str,
        domain: str,
        goal: str,
        starts_on: date,
        evaluate_by: date,
        plan_id: UUID | None,
        outside_support_profile: bool,
        id: UUID | None = None,
    ) -> None:
        self.id = id or uuid4()
        self.case_id = case_id
        self.level = level
        self.domain = domain
        self.goal = goal
        self.starts_on = starts_on
        self.evaluate_by = evaluate_by
        self.plan_id = plan_id
        self.outside_support_profile = outside_support_profile
        self.status = "active"
        self.outcome: str | None = None
        self.evaluation_note: str | None = None
        self.evaluated_on: date | None = None

    def evaluate(self, *, outcome: str, note: str | None, evaluated_on: date, today: date) -> None:
        """Record the intervention's effect; only an active one is evaluated."""
        if self.status != "active":
            raise StateConflict(
                "The intervention was already evaluated or stopped.", code="intervention_not_active"
            )
        problems = Problems()
        problems.check(
            evaluated_on >= self.starts_on,
            "evaluated_on",
            "Cannot be before the intervention started.",
        )
        problems.check(evaluated_on <= today, "evaluated_on", "Cannot be in the future.")
        problems.raise_if_any("The evaluation breaks one or more rules.")
        self.status = "evaluated"
        self.outcome = outcome
        self.evaluation_note = note
        self.evaluated_on = evaluated_on

    def stop(self) -> None:
        """An active intervention stops with its plan or its case."""
        if self.status == "active":
            self.status = "stopped"

    def anonymise(self) -> None:
        self.goal = ""
        self.evaluation_note = None


def check_basic_intervention(
    problems: Problems,
    *,
    domain: str,
    starts_on: date,
    evaluate_by: date,
    settings: PartnershipSettings,
) -> None:
    """Rules 1 and 2 at the basic level: a basic domain, evaluated within the short term; an
    extra domain waits for an active plan (409)."""
    if domain in settings.extra_domains and domain not in settings.basic_domains:
        raise StateConflict(  # rule 2: an extra intervention before the plan is active
            "Extra interventions need an active development plan.", code="plan_not_active"
        )
    problems.check(
        domain in settings.basic_domains,
        "domain",
        f"'{domain}' is not a basic support domain of the partnership.",
    )
    weeks = timedelta(weeks=settings.short_intervention_max_weeks)
    limit = starts_on + weeks if date.max - weeks >= starts_on else date.max
    problems.check(
        evaluate_by <= limit,
        "evaluate_by",
        f"A short intervention is evaluated within "
        f"{settings.short_intervention_max_weeks} weeks "
        f"(at the latest {limit.isoformat()}).",
    )


def check_extra_intervention(
    problems: Problems,
    *,
    domain: str,
    evaluate_by: date,
    settings: PartnershipSettings,
    plan_end_date: date | None,
) -> None:
    """Rule 2 at the extra level: an extra domain, under an active plan (409 without one),
    evaluated by the plan's agreed end date."""
    if plan_end_date is None:
        raise StateConflict(
            "Extra interventions need an active development plan.", code="plan_not_active"
        )
    problems.check(
        domain in settings.extra_domains,
        "domain",
        f"'{domain}' is not an extra support domain of the partnership.",
    )
    problems.check(
        evaluate_by <= plan_end_date,
        "evaluate_by",
        "Must not be after the plan's agreed end date.",
    )
