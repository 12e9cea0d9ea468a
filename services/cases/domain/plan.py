"""The development plan (ontwikkelingsperspectiefplan, OPP) with its scenarios, the parents'
consent (rule 4) and its evaluations (rules 6, 7). Plain Python: the plan keeps its own rules
and state; the Case, its aggregate root, records the events."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

from services.cases.domain import parents
from services.cases.domain.consent import Consent, ConsentChannel
from services.cases.domain.evaluation import (
    Decision,
    PlanEvaluation,
    one_year_after,
    require_yearly_evaluation,
    yearly_evaluation_gaps,
)
from shared.clock import school_year_of
from shared.errors import Problems, RuleViolation, StateConflict


class PlanStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_CONSENT = "awaiting_consent"
    ACTIVE = "active"
    DECLINED = "declined"
    CLOSED = "closed"


@dataclass
class Scenario:
    """An expected effect and the date by which it must be visible (tijdspad)."""

    expected_effect: str
    review_by: date
    id: UUID | None = None

    def __post_init__(self) -> None:
        self.id = self.id or uuid4()


def check_plan_dates(
    *,
    created_on: date,
    agreed_end_date: date,
    scenarios: list[Scenario],
    evaluation_dates: list[date],
) -> None:
    """A new plan's dates: its end after its creation, scenarios and evaluations within it
    (evaluations on different days), and rule 6 kept by the evaluation dates."""
    problems = Problems()
    problems.check(
        agreed_end_date > created_on,
        "agreed_end_date",
        "Must be after the plan's creation date.",
    )
    for i, scenario in enumerate(scenarios):
        problems.check(
            created_on < scenario.review_by <= agreed_end_date,
            f"scenarios.{i}.review_by",
            "Must be after the creation date and not after the agreed end date.",
        )
    for i, day in enumerate(evaluation_dates):
        problems.check(
            created_on <= day <= agreed_end_date,
            f"evaluation_dates.{i}",
            "Must fall between the creation date and the agreed end date.",
        )
    problems.check(
        len(set(evaluation_dates)) == len(evaluation_dates),
        "evaluation_dates",
        "Dates must differ.",
    )
    problems.raise_if_any("The development plan breaks one or more rules.")
    require_yearly_evaluation(
        yearly_evaluation_gaps(
            since=created_on,
            on=created_on,
            ends_on=agreed_end_date,
            held=[],
            scheduled=evaluation_dates,
        ),
        "evaluation_dates",
    )


class DevelopmentPlan:
    """An ontwikkelingsperspectiefplan (OPP) with its legal parts, scenarios and evaluations."""

    def __init__(
        self,
        *,
        case_id: UUID,
        exit_destination: str,
        hindering_factors: list[str],
        supporting_factors: list[str],
        action_plan: str,
        deviations: str | None,
        agreed_end_date: date,
        created_on: date,
        scenarios: list[Scenario],
        id: UUID | None = None,
    ) -> None:
        self.id = id or uuid4()
        self.case_id = case_id
        self.status = PlanStatus.DRAFT.value
        self.exit_destination = exit_destination
        self.hindering_factors = hindering_factors
        self.supporting_factors = supporting_factors
        self.action_plan = action_plan
        self.deviations = deviations
        self.action_plan_version = 1
        self.consented_version: int | None = None
        self.agreed_end_date = agreed_end_date
        self.created_on = created_on
        self.scenarios = scenarios
        self.evaluations: list[PlanEvaluation] = []
        self.consents: list[Consent] = []
        self.consultation_on: date | None = None
        self.consultation_participants: list[str] = []
        self.pupil_view_on: date | None = None
        self.pupil_view_summary: str | None = None
        self.consent_requested_on: date | None = None
        self.activated_on: date | None = None
        self.closed_on: date | None = None
        self.close_reason: str | None = None
        # The parents' own view (ouderdeel, domain.parents): text, which guardian, when.
        self.parents_view_text: str | None = None
        self.parents_view_guardian_id: UUID | None = None
        self.parents_view_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status != PlanStatus.CLOSED

    @property
    def parents_view(self) -> parents.ParentsView | None:
        """The parents' own view, as the API shows it (None until they wrote one)."""
        if not self.parents_view_text:
            return None
        return parents.ParentsView(
            self.parents_view_text, self.parents_view_guardian_id, self.parents_view_at
        )

    @property
    def action_plan_hash(self) -> str:
        """The hash of the action plan's text as a guardian reads it (its version included): an
        online answer names it, so an answer to a text that changed since is refused."""
        content = {
            "plan_id": str(self.id),
            "version": self.action_plan_version,
            "action_plan": self.action_plan,
            "deviations": self.deviations or "",
        }
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    @property
    def consent_required(self) -> bool:
        """Whether the current action plan still waits for the parents' consent."""
        return self.consented_version != self.action_plan_version

    @property
    def consent_status(self) -> str:
        """Where the parents' consent on the current action plan stands: `requested` (instemming
        gevraagd), `declined`, `agreed`, or `not_requested` (the coordinator still has to ask)."""
        if not self.consent_required:
            return "agreed"
        if self.consent_requested_on is not None:
            return "requested"
        latest = self.consents[-1] if self.consents else None
        if latest is not None and latest.action_plan_version == self.action_plan_version:
            return latest.decision
        return "not_requested"

    @property
    def consent_requested_version(self) -> int | None:
        """The action plan version the parents are asked to consent to, while they are."""
        return self.action_plan_version if self.consent_status == "requested" else None

    def require_active(self, message: str) -> None:
        if self.status != PlanStatus.ACTIVE:
            raise StateConflict(message, code="plan_not_active")

    # -- the plan's parts -----------------------------------------------------------------------

    def record_consultation(self, *, held_on: date, participants: list[str], today: date) -> None:
        """The consultation with the parents (OOGO)."""
        if held_on > today:
            raise RuleViolation(
                "The consultation cannot be recorded before it took place.",
                errors={"held_on": ["Cannot be in the future."]},
            )
        self.consultation_on = held_on
        self.consultation_participants = participants

    def record_pupil_view(self, *, heard_on: date, summary: str | None, today: date) -> None:
        """The pupil was heard (hoorrecht)."""
        if heard_on > today:
            raise RuleViolation(
                "The pupil's view cannot be recorded before it was heard.",
                errors={"heard_on": ["Cannot be in the future."]},
            )
        self.pupil_view_on = heard_on
        self.pupil_view_summary = summary

    def record_parents_view(self, *, text: str, guardian_id: UUID, at: datetime) -> None:
        self.parents_view_text = parents.checked_parents_view(text)
        self.parents_view_guardian_id = guardian_id
        self.parents_view_at = at

    def change_action_plan(self, *, action_plan: str, deviations: str | None) -> None:
        """A new version of the action plan, which needs fresh consent (rule 4)."""
        self.action_plan = action_plan
        self.deviations = deviations
        self.action_plan_version += 1
        self.consent_requested_on = None
        if self.status in (PlanStatus.AWAITING_CONSENT, PlanStatus.DECLINED):
            self.status = PlanStatus.DRAFT.value

    # -- consent (rule 4) -----------------------------------------------------------------------

    def require_consent_ready(self) -> None:
        if not self.consent_required:
            raise StateConflict(
                "The parents already agreed to this version of the action plan.",
                code="consent_already_given",
            )
        problems = Problems()
        problems.check(
            self.consultation_on is not None,
            "consultation",
            "Record the consultation with the parents (OOGO) first.",
        )
        problems.check(
            self.pupil_view_on is not None, "pupil_view", "Record that the pupil was heard first."
        )
        if problems.errors:
            raise StateConflict(
                "The plan is not ready for the parents' consent.",
                code="plan_incomplete",
                errors=problems.errors,
            )

    def request_consent(self, *, requested_on: date) -> None:
        self.require_consent_ready()
        self.consent_requested_on = requested_on
        if self.status != PlanStatus.ACTIVE:
            self.status = PlanStatus.AWAITING_CONSENT.value

    def check_answer(
        self,
        *,
        decision: str,
        guardian_ids: list[str],
        how: ConsentChannel,
        needed: frozenset[str] | None,
        recorded_on: date,
        today: date,
    ) -> None:
        """Whether the parents' answer can be recorded: not a second agreement of the same
        guardian (under `all`), not on a text that changed since it was read, not ahead."""
        self._require_new_agreement(decision, guardian_ids, needed)
        if how.channel == "online" and how.content_hash != self.action_plan_hash:
            raise StateConflict(
                "The action plan changed since it was read; read the new version.",
                code="action_plan_changed",
                errors={"content_hash": ["Not the current version of the action plan."]},
            )
        self.require_consent_ready()
        if recorded_on > today:
            raise RuleViolation(
                "Consent cannot be recorded ahead of time.",
                errors={"recorded_on": ["Cannot be in the future."]},
            )

    def _require_new_agreement(
        self, decision: str, guardian_ids: list[str], needed: frozenset[str] | None
    ) -> None:
        """Under `all`, a guardian who already agreed to this version cannot agree again."""
        if not needed or decision != "agreed":
            return
        agreed = parents.agreed_so_far(self.consents, self.action_plan_version)
        if set(guardian_ids) <= agreed:
            raise StateConflict(
                "This guardian already agreed to this version; the others are awaited.",
                code="already_agreed",
            )

    def add_answer(
        self, *, decision: str, recorded_on: date, guardian_ids: list[str], how: ConsentChannel
    ) -> None:
        self.consents.append(
            Consent(
                plan_id=self.id,
                action_plan_version=self.action_plan_version,
                decision=decision,
                recorded_on=recorded_on,
                guardian_ids=guardian_ids,
                how=how,
            )
        )

    def settle_consent(
        self, *, decision: str, recorded_on: date, needed: frozenset[str] | None
    ) -> bool:
        """Carry out the answer just added; True when it activated this version of the plan.
        Under `all`, an agreement leaves the request standing for the guardians not heard yet."""
        if decision == "agreed" and parents.still_awaited(
            self.consents, self.action_plan_version, needed
        ):
            return False
        self.consent_requested_on = None
        if decision != "agreed":
            if self.status != PlanStatus.ACTIVE:
                self.status = PlanStatus.DECLINED.value
            return False
        self.consented_version = self.action_plan_version
        self.status = PlanStatus.ACTIVE.value
        self.activated_on = self.activated_on or recorded_on
        return True

    # -- evaluations (rules 6, 7) ---------------------------------------------------------------

    def scheduled_evaluations(self) -> list[PlanEvaluation]:
        return sorted(
            (e for e in self.evaluations if e.status == "scheduled"), key=lambda e: e.due_on
        )

    def check_evaluation(
        self,
        *,
        held_on: date,
        decision: str,
        next_evaluation_on: date | None,
        referral_destination: str | None,
        today: date,
    ) -> None:
        """Rule 7: an evaluation held in the plan's time, with what its decision needs."""
        problems = Problems()
        problems.check(held_on <= today, "held_on", "Cannot be in the future.")
        problems.check(
            held_on >= (self.activated_on or self.created_on),
            "held_on",
            "Cannot be before the plan took effect.",
        )
        if decision == Decision.CONTINUE:
            problems.check(
                next_evaluation_on is not None and next_evaluation_on > held_on,
                "next_evaluation_on",
                "Continuing needs a next evaluation date after this one.",
            )
            problems.check(
                next_evaluation_on is None or next_evaluation_on <= self.agreed_end_date,
                "next_evaluation_on",
                "Must not be after the plan's agreed end date.",
            )
        if decision == Decision.REFER:
            problems.check(
                referral_destination is not None,
                "referral_destination",
                "A referral needs a destination.",
            )
        problems.raise_if_any("The evaluation breaks one or more rules.")

    def scheduled_evaluation(self, evaluation_id: UUID) -> PlanEvaluation:
        for evaluation in self.evaluations:
            if evaluation.id == evaluation_id:
                evaluation.require_scheduled()
                return evaluation
        raise StateConflict("No such evaluation on this plan.", code="evaluation_not_found")

    def add_evaluation(self, due_on: date) -> PlanEvaluation:
        evaluation = PlanEvaluation(plan_id=self.id, due_on=due_on)
        self.evaluations.append(evaluation)
        return evaluation

    def check_evaluation_date(self, due_on: date, today: date) -> None:
        problems = Problems()
        problems.check(due_on >= today, "due_on", "Cannot be in the past.")
        problems.check(
            due_on <= self.agreed_end_date,
            "due_on",
            "Must not be after the plan's agreed end date.",
        )
        problems.check(
            all(e.due_on != due_on for e in self.scheduled_evaluations()),
            "due_on",
            "An evaluation is already scheduled on this date.",
        )
        problems.raise_if_any("The evaluation date breaks one or more rules.")

    def check_new_schedule(
        self, due_on: date, today: date, moving: PlanEvaluation | None = None
    ) -> None:
        """An evaluation (moved) to `due_on`: a valid date that keeps rule 6."""
        self.check_evaluation_date(due_on, today)
        scheduled = [e.due_on for e in self.scheduled_evaluations() if e is not moving]
        require_yearly_evaluation(self.evaluation_gaps(today, [*scheduled, due_on]), "due_on")

    def evaluation_to_hold(self, evaluation_id: UUID | None) -> UUID | None:
        """The evaluation an evaluation held now settles: the one named (still scheduled), or
        else the first one scheduled; None when none is (it is added as it is held)."""
        if evaluation_id is not None:
            self.scheduled_evaluation(evaluation_id)  # it exists and is still scheduled
            return evaluation_id
        scheduled = self.scheduled_evaluations()
        return scheduled[0].id if scheduled else None

    def check_continuation(
        self, evaluation_id: UUID | None, next_evaluation_on: date, held_on: date, today: date
    ) -> None:
        """Rule 6 on continuing: the evaluations left with the next one keep the rule."""
        left = [e.due_on for e in self.scheduled_evaluations() if e.id != evaluation_id]
        gaps = self.evaluation_gaps(today, [*left, next_evaluation_on], held_on=held_on)
        require_yearly_evaluation(gaps, "next_evaluation_on")

    def evaluation_gaps(
        self, today: date, scheduled: list[date], held_on: date | None = None
    ) -> list[str]:
        """Rule 6 on a change: what the plan's evaluations, with `scheduled` as the dates still
        to come (and one just held on `held_on`), leave without an evaluation from now on. The
        school year is today's, or that of the evaluation just held (recorded afterwards). A plan
        that already drifted past 12 months (it is flagged) is measured from today."""
        held = [e.held_on for e in self.evaluations if e.held_on is not None]
        held += [held_on] if held_on is not None else []
        since = max(held, default=self.activated_on or self.created_on)
        if one_year_after(since) < today:
            since = today
        return yearly_evaluation_gaps(
            since=since,
            on=held_on or today,
            ends_on=self.agreed_end_date,
            held=held,
            scheduled=scheduled,
        )

    def evaluation_missing(self, today: date) -> bool:
        """Rule 6: an active plan needs an evaluation scheduled or held in this school year."""
        if self.status != PlanStatus.ACTIVE:
            return False
        year = school_year_of(today)
        return not any(
            (e.status == "scheduled" and e.due_on in year)
            or (e.status == "held" and e.held_on in year)
            for e in self.evaluations
        )

    # -- closing and retention ------------------------------------------------------------------

    def close(self, closed_on: date, reason: str) -> list[PlanEvaluation]:
        """Close the plan; returns the evaluations still scheduled, now cancelled."""
        cancelled = []
        for evaluation in self.evaluations:
            if evaluation.status == "scheduled":
                evaluation.status = "cancelled"
                cancelled.append(evaluation)
        self.status = PlanStatus.CLOSED.value
        self.closed_on = closed_on
        self.close_reason = reason
        return cancelled

    def anonymise(self) -> None:
        """Blank the free text about the pupil: factors, action plan, scenarios, views."""
        self.hindering_factors = []
        self.supporting_factors = []
        self.action_plan = ""
        self.deviations = None
        self.consultation_participants = []
        self.pupil_view_summary = None
        self.parents_view_text = None
        for scenario in self.scenarios:
            scenario.expected_effect = ""
        for evaluation in self.evaluations:
            evaluation.anonymise()
