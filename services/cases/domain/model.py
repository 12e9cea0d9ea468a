"""The support case (ondersteuningstraject) aggregate: interventions, development plans (OPP),
consent, evaluations and referrals. Plain Python; rules of DESIGN.md §4 live here."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from services.cases.domain import events, parents
from services.cases.domain.school import PartnershipSettings, Pupil, SupportProfile
from shared.clock import school_year_of
from shared.errors import Problems, RuleViolation, StateConflict


class SupportLevel(StrEnum):
    BASIC = "basic"
    EXTRA = "extra"


class CaseStatus(StrEnum):
    OPEN = "open"
    REFERRED = "referred"
    CLOSED = "closed"


class Outcome(StrEnum):
    EFFECTIVE = "effective"
    PARTLY_EFFECTIVE = "partly_effective"
    NOT_EFFECTIVE = "not_effective"


class PlanStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_CONSENT = "awaiting_consent"
    ACTIVE = "active"
    DECLINED = "declined"
    CLOSED = "closed"


class Decision(StrEnum):
    CONTINUE = "continue"
    BACK_TO_BASIC = "back_to_basic"
    REFER = "refer"


RULE_6 = "rule_6_yearly_evaluation"


def one_year_after(day: date) -> date:
    """The same day a year later (28 February for 29 February); never past date.max."""
    if day.year >= date.max.year:
        return date.max
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def yearly_evaluation_gaps(
    *, since: date, on: date, ends_on: date, held: list[date], scheduled: list[date]
) -> list[str]:
    """Rule 6: what leaves the school year of `on`, or 12 months after `since`, without an
    evaluation. Each next evaluation lies within 12 months of the one before it (the first
    within 12 months of `since`); the school year of `on` holds one, held or scheduled, when
    the plan runs in it. Empty when the dates keep the rule."""
    gaps = []
    year = school_year_of(on)
    if ends_on >= on and not any(day in year for day in held + scheduled):
        gaps.append(f"Rule 6: no evaluation in the school year {year.label} (1 Aug–31 Jul).")
    previous = since
    for day in sorted(d for d in scheduled if d >= since):
        if day > one_year_after(previous):
            gaps.append(
                f"Rule 6: more than 12 months without an evaluation "
                f"({previous.isoformat()} to {day.isoformat()})."
            )
        previous = day
    return gaps


def _require_yearly_evaluation(gaps: list[str], field: str) -> None:
    if gaps:
        raise RuleViolation(
            "Rule 6: a plan is evaluated with the parents at least once per school year "
            "(1 Aug–31 Jul) and within every 12 months.",
            code=RULE_6,
            errors={field: gaps},
        )


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


@dataclass
class Scenario:
    """An expected effect and the date by which it must be visible (tijdspad)."""

    expected_effect: str
    review_by: date
    id: UUID | None = None

    def __post_init__(self) -> None:
        self.id = self.id or uuid4()


class PlanEvaluation:
    """A scheduled evaluation of a plan with the parents, and, once held, its decision."""

    def __init__(self, *, plan_id: UUID, due_on: date, id: UUID | None = None) -> None:
        self.id = id or uuid4()
        self.plan_id = plan_id
        self.due_on = due_on
        self.status = "scheduled"
        self.held_on: date | None = None
        self.decision: str | None = None
        self.next_evaluation_on: date | None = None
        self.note: str | None = None
        # The meeting (evaluatiegesprek) sent as a calendar invitation; the sequence counts
        # every change, so calendars update the same entry (RFC 5545 SEQUENCE).
        self.meeting_starts_at: datetime | None = None
        self.meeting_minutes: int | None = None
        self.meeting_location: str | None = None
        self.meeting_video_url: str | None = None
        self.meeting_sequence = 0
        self.meeting_cancelled = False

    @property
    def has_meeting(self) -> bool:
        return self.meeting_starts_at is not None and not self.meeting_cancelled


def meeting_payload(case_id: UUID, plan_id: UUID, evaluation: Any) -> dict[str, object]:
    """What every meeting event carries: an evaluation's meeting (a PlanEvaluation, or a row with
    its columns and id), the instant in UTC, and only whether a place was given, never the place."""
    return {
        "case_id": case_id,
        "plan_id": plan_id,
        "evaluation_id": evaluation.id,
        "starts_at": evaluation.meeting_starts_at.astimezone(UTC),
        "duration_minutes": evaluation.meeting_minutes,
        "sequence": evaluation.meeting_sequence,
        "has_location": bool(evaluation.meeting_location or evaluation.meeting_video_url),
    }


class Consent:
    """The parents' answer on one version of the action plan."""

    def __init__(
        self,
        *,
        plan_id: UUID,
        action_plan_version: int,
        decision: str,
        recorded_on: date,
        guardian_ids: list[str],
        how: ConsentChannel | None = None,
        id: UUID | None = None,
    ) -> None:
        how = how or ConsentChannel()
        self.id = id or uuid4()
        self.plan_id = plan_id
        self.action_plan_version = action_plan_version
        self.decision = decision
        self.recorded_on = recorded_on
        self.guardian_ids = guardian_ids
        self.channel = how.channel
        self.content_hash = how.content_hash
        self.recorded_at = how.recorded_at
        self.from_address = how.from_address
        self.recorded_by = how.recorded_by
        self.reason = how.reason


@dataclass(frozen=True)
class ConsentChannel:
    """How an answer came: on paper (typed in by the coordinator) or online, where the guardian
    read one exact version of the action plan (its hash), at a moment, from an address."""

    channel: str = "paper"
    content_hash: str | None = None
    recorded_at: datetime | None = None
    from_address: str | None = None
    recorded_by: UUID | None = None
    reason: str | None = None


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

    def scheduled_evaluations(self) -> list[PlanEvaluation]:
        return sorted(
            (e for e in self.evaluations if e.status == "scheduled"), key=lambda e: e.due_on
        )

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


class Referral:
    """A referral to a more specialised setting, towards an admission statement (TLV)."""

    def __init__(
        self,
        *,
        case_id: UUID,
        plan_id: UUID,
        destination: str,
        requested_on: date,
        id: UUID | None = None,
    ) -> None:
        self.id = id or uuid4()
        self.case_id = case_id
        self.plan_id = plan_id
        self.destination = destination
        self.requested_on = requested_on
        self.admission_statement_from: date | None = None
        self.admission_statement_until: date | None = None


class Case:
    """A pupil's support trajectory. All changes go through its methods, which record events."""

    def __init__(
        self,
        *,
        partnership_id: UUID,
        school_id: UUID,
        pupil_id: UUID,
        opened_on: date,
        plan_due_by: date | None = None,
        id: UUID | None = None,
    ) -> None:
        self.id = id or uuid4()
        self.partnership_id = partnership_id
        self.school_id = school_id
        self.pupil_id = pupil_id
        self.level = SupportLevel.BASIC.value
        self.status = CaseStatus.OPEN.value
        self.opened_on = opened_on
        self.closed_on: date | None = None
        self.plan_due_by = plan_due_by
        self.interventions: list[Intervention] = []
        self.plans: list[DevelopmentPlan] = []
        self.referrals: list[Referral] = []
        self.version = 1
        self.events: list[events.Event] = []

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        pupil: Pupil,
        opened_on: date,
        needs_extra_support: bool,
        settings: PartnershipSettings,
        today: date,
    ) -> Case:
        """Open a case; when extra support is needed, the plan deadline of rule 5 is set."""
        problems = Problems()
        problems.check(
            opened_on >= pupil.enrolled_on, "opened_on", "Cannot be before the pupil's enrolment."
        )
        problems.check(opened_on <= today, "opened_on", "Cannot be in the future.")
        problems.raise_if_any("The case cannot be opened.")
        plan_due_by = None
        if needs_extra_support:
            new_pupil_deadline = pupil.enrolled_on + timedelta(weeks=settings.new_pupil_plan_weeks)
            if opened_on <= new_pupil_deadline:
                plan_due_by = new_pupil_deadline
            else:
                plan_due_by = opened_on + timedelta(weeks=settings.plan_deadline_weeks)
        case = cls(
            partnership_id=pupil.partnership_id,
            school_id=pupil.school_id,
            pupil_id=pupil.id,
            opened_on=opened_on,
            plan_due_by=plan_due_by,
        )
        case._record(
            events.CaseOpened,
            case_id=case.id,
            pupil_id=pupil.id,
            level=case.level,
            opened_on=opened_on,
            plan_due_by=plan_due_by,
        )
        return case

    def close(
        self,
        closed_on: date,
        reason: str,
        today: date | None = None,
        now: datetime | None = None,
    ) -> None:
        """Close the case; an open plan closes with it and pending evaluations are cancelled,
        with their meetings still ahead at `now`."""
        if self.status == CaseStatus.CLOSED:
            raise StateConflict("The case is already closed.", code="case_closed")
        problems = Problems()
        problems.check(
            closed_on >= self.opened_on, "closed_on", "Must not be before the opening date."
        )
        problems.check(today is None or closed_on <= today, "closed_on", "Cannot be in the future.")
        problems.raise_if_any("The case cannot be closed as given.")
        for plan in self.plans:
            if plan.is_open:
                self._close_plan(plan, closed_on, "case_closed", now)
        for intervention in self.interventions:
            if intervention.status == "active":
                intervention.status = "stopped"
        self.status = CaseStatus.CLOSED.value
        self.closed_on = closed_on
        self._record(events.CaseClosed, case_id=self.id, closed_on=closed_on, reason=reason)

    # -- interventions (rules 1, 2, 8) ----------------------------------------------------------

    def start_intervention(
        self,
        *,
        domain: str,
        goal: str,
        starts_on: date,
        evaluate_by: date,
        settings: PartnershipSettings,
        profile: SupportProfile | None,
    ) -> Intervention:
        """Start an intervention at the case's level; extra ones need an active plan."""
        self._require_open()
        problems = Problems()
        problems.check(evaluate_by > starts_on, "evaluate_by", "Must be after starts_on.")
        problems.check(
            starts_on >= self.opened_on, "starts_on", "Cannot be before the case was opened."
        )
        plan = self.active_plan()
        if self.level == SupportLevel.BASIC:
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
        else:
            if plan is None:
                raise StateConflict(
                    "Extra interventions need an active development plan.", code="plan_not_active"
                )
            problems.check(
                domain in settings.extra_domains,
                "domain",
                f"'{domain}' is not an extra support domain of the partnership.",
            )
            problems.check(
                evaluate_by <= plan.agreed_end_date,
                "evaluate_by",
                "Must not be after the plan's agreed end date.",
            )
        problems.raise_if_any("The intervention breaks one or more rules.")
        outside = profile is None or not profile.offers(domain)
        item = Intervention(
            case_id=self.id,
            level=self.level,
            domain=domain,
            goal=goal,
            starts_on=starts_on,
            evaluate_by=evaluate_by,
            plan_id=plan.id if plan and self.level == SupportLevel.EXTRA else None,
            outside_support_profile=outside,
        )
        self.interventions.append(item)
        self._record(
            events.InterventionStarted,
            case_id=self.id,
            intervention_id=item.id,
            level=item.level,
            domain=domain,
            starts_on=starts_on,
            evaluate_by=evaluate_by,
            plan_id=item.plan_id,
        )
        if outside:
            self._record(
                events.InterventionOutsideSupportProfile,
                case_id=self.id,
                intervention_id=item.id,
                domain=domain,
                support_profile_id=profile.id if profile else None,
            )
        return item

    def evaluate_intervention(
        self,
        intervention_id: UUID,
        *,
        outcome: str,
        note: str | None,
        evaluated_on: date,
        today: date,
        evaluated_by: UUID | None = None,
    ) -> None:
        """Record an intervention's effect; `evaluated_by` is the user who recorded it."""
        item = self.intervention(intervention_id)
        if item.status != "active":
            raise StateConflict(
                "The intervention was already evaluated or stopped.", code="intervention_not_active"
            )
        problems = Problems()
        problems.check(
            evaluated_on >= item.starts_on,
            "evaluated_on",
            "Cannot be before the intervention started.",
        )
        problems.check(evaluated_on <= today, "evaluated_on", "Cannot be in the future.")
        problems.raise_if_any("The evaluation breaks one or more rules.")
        item.status = "evaluated"
        item.outcome = outcome
        item.evaluation_note = note
        item.evaluated_on = evaluated_on
        self._record(
            events.InterventionEvaluated,
            case_id=self.id,
            intervention_id=item.id,
            outcome=outcome,
            evaluated_on=evaluated_on,
            evaluate_by=item.evaluate_by,
            evaluated_by=evaluated_by,
        )

    # -- development plans (rules 2, 3, 4, 6, 7) ------------------------------------------------

    def create_plan(
        self,
        *,
        exit_destination: str,
        hindering_factors: list[str],
        supporting_factors: list[str],
        action_plan: str,
        deviations: str | None,
        scenarios: list[Scenario],
        agreed_end_date: date,
        evaluation_dates: list[date],
        created_on: date,
    ) -> DevelopmentPlan:
        """Draft a development plan with its legal parts, scenarios and evaluation dates."""
        self._require_open()
        if any(p.is_open for p in self.plans):
            raise StateConflict(
                "The case already has an open development plan.", code="plan_exists"
            )
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
        _require_yearly_evaluation(
            yearly_evaluation_gaps(
                since=created_on,
                on=created_on,
                ends_on=agreed_end_date,
                held=[],
                scheduled=evaluation_dates,
            ),
            "evaluation_dates",
        )
        plan = DevelopmentPlan(
            case_id=self.id,
            exit_destination=exit_destination,
            hindering_factors=hindering_factors,
            supporting_factors=supporting_factors,
            action_plan=action_plan,
            deviations=deviations,
            agreed_end_date=agreed_end_date,
            created_on=created_on,
            scenarios=scenarios,
        )
        self.plans.append(plan)
        self._record(
            events.PlanCreated,
            case_id=self.id,
            plan_id=plan.id,
            created_on=created_on,
            agreed_end_date=agreed_end_date,
        )
        for day in sorted(evaluation_dates):
            self._schedule(plan, day)
        return plan

    def record_consultation(
        self, plan_id: UUID, *, held_on: date, participants: list[str], today: date
    ) -> None:
        """Record the consultation with the parents (OOGO)."""
        plan = self._open_plan(plan_id)
        if held_on > today:
            raise RuleViolation(
                "The consultation cannot be recorded before it took place.",
                errors={"held_on": ["Cannot be in the future."]},
            )
        plan.consultation_on = held_on
        plan.consultation_participants = participants
        self._record(events.ConsultationRecorded, case_id=self.id, plan_id=plan.id, held_on=held_on)

    def record_pupil_view(
        self, plan_id: UUID, *, heard_on: date, summary: str | None, today: date
    ) -> None:
        """Record that the pupil was heard (hoorrecht)."""
        plan = self._open_plan(plan_id)
        if heard_on > today:
            raise RuleViolation(
                "The pupil's view cannot be recorded before it was heard.",
                errors={"heard_on": ["Cannot be in the future."]},
            )
        plan.pupil_view_on = heard_on
        plan.pupil_view_summary = summary
        self._record(events.PupilViewRecorded, case_id=self.id, plan_id=plan.id, heard_on=heard_on)

    def change_action_plan(
        self, plan_id: UUID, *, action_plan: str, deviations: str | None, today: date
    ) -> None:
        """Change the action plan; the new version needs fresh consent (rule 4). An active
        plan's parents are asked at once; the version they agreed to stays in force meanwhile."""
        plan = self._open_plan(plan_id)
        plan.action_plan = action_plan
        plan.deviations = deviations
        plan.action_plan_version += 1
        plan.consent_requested_on = None
        if plan.status in (PlanStatus.AWAITING_CONSENT, PlanStatus.DECLINED):
            plan.status = PlanStatus.DRAFT.value
        self._record(
            events.ActionPlanChanged,
            case_id=self.id,
            plan_id=plan.id,
            action_plan_version=plan.action_plan_version,
        )
        if plan.status == PlanStatus.ACTIVE:
            self.request_consent(plan.id, requested_on=today)

    def request_consent(self, plan_id: UUID, *, requested_on: date) -> None:
        """Ask the parents to consent to the current action plan."""
        plan = self._open_plan(plan_id)
        self._require_consent_ready(plan)
        plan.consent_requested_on = requested_on
        if plan.status != PlanStatus.ACTIVE:
            plan.status = PlanStatus.AWAITING_CONSENT.value
        self._record(
            events.ConsentRequested,
            case_id=self.id,
            plan_id=plan.id,
            action_plan_version=plan.action_plan_version,
            requested_on=requested_on,
        )

    def record_consent(
        self,
        plan_id: UUID,
        *,
        decision: str,
        recorded_on: date,
        guardian_ids: list[str],
        today: date,
        how: ConsentChannel | None = None,
        needed: frozenset[str] | None = None,
    ) -> None:
        """Record the parents' answer; agreement activates the plan (rule 4). An online answer
        names the hash of the text the guardian read: a stale one is refused (409). `needed`:
        the guardians with parental authority when every one of them must agree (the
        partnership's `consent_from` is `all`); the plan waits for the last of them."""
        plan = self._open_plan(plan_id)
        how = how or ConsentChannel()
        self._require_new_agreement(plan, decision, guardian_ids, needed)
        if how.channel == "online" and how.content_hash != plan.action_plan_hash:
            raise StateConflict(
                "The action plan changed since it was read; read the new version.",
                code="action_plan_changed",
                errors={"content_hash": ["Not the current version of the action plan."]},
            )
        self._require_consent_ready(plan)
        if recorded_on > today:
            raise RuleViolation(
                "Consent cannot be recorded ahead of time.",
                errors={"recorded_on": ["Cannot be in the future."]},
            )
        plan.consents.append(
            Consent(
                plan_id=plan.id,
                action_plan_version=plan.action_plan_version,
                decision=decision,
                recorded_on=recorded_on,
                guardian_ids=guardian_ids,
                how=how,
            )
        )
        self._record(
            events.ConsentRecorded,
            case_id=self.id,
            plan_id=plan.id,
            action_plan_version=plan.action_plan_version,
            decision=decision,
            recorded_on=recorded_on,
            requested_on=plan.consent_requested_on,
            channel=how.channel,
        )
        if decision == "agreed" and parents.still_awaited(
            plan.consents, plan.action_plan_version, needed
        ):
            return  # the request stands for the guardians who have not agreed yet
        plan.consent_requested_on = None
        if decision != "agreed":
            if plan.status != PlanStatus.ACTIVE:
                plan.status = PlanStatus.DECLINED.value
            return
        plan.consented_version = plan.action_plan_version
        plan.status = PlanStatus.ACTIVE.value
        plan.activated_on = plan.activated_on or recorded_on
        self._record(
            events.PlanActivated,
            case_id=self.id,
            plan_id=plan.id,
            action_plan_version=plan.action_plan_version,
            activated_on=recorded_on,
        )
        self._change_level(SupportLevel.EXTRA, recorded_on)

    @staticmethod
    def _require_new_agreement(
        plan: DevelopmentPlan, decision: str, guardian_ids: list[str], needed: frozenset[str] | None
    ) -> None:
        """Under `all`, a guardian who already agreed to this version cannot agree again."""
        if not needed or decision != "agreed":
            return
        agreed = parents.agreed_so_far(plan.consents, plan.action_plan_version)
        if set(guardian_ids) <= agreed:
            raise StateConflict(
                "This guardian already agreed to this version; the others are awaited.",
                code="already_agreed",
            )

    def record_parents_view(
        self, plan_id: UUID, *, text: str, guardian_id: UUID, at: datetime
    ) -> None:
        """The parents write (or rewrite) their own view on the plan. Never an event: it is
        free text about the pupil, read only through the plan."""
        plan = self._open_plan(plan_id)
        plan.parents_view_text = parents.checked_parents_view(text)
        plan.parents_view_guardian_id = guardian_id
        plan.parents_view_at = at

    def schedule_evaluation(self, plan_id: UUID, *, due_on: date, today: date) -> PlanEvaluation:
        """Schedule an extra evaluation of the plan."""
        plan = self._open_plan(plan_id)
        self._check_evaluation_date(plan, due_on, today)
        scheduled = [e.due_on for e in plan.scheduled_evaluations()] + [due_on]
        _require_yearly_evaluation(plan.evaluation_gaps(today, scheduled), "due_on")
        return self._schedule(plan, due_on)

    def reschedule_evaluation(
        self, plan_id: UUID, evaluation_id: UUID, *, due_on: date, today: date
    ) -> None:
        """Move a scheduled evaluation to another date."""
        plan = self._open_plan(plan_id)
        evaluation = self._scheduled_evaluation(plan, evaluation_id)
        self._check_evaluation_date(plan, due_on, today)
        scheduled = [e.due_on for e in plan.scheduled_evaluations() if e is not evaluation]
        _require_yearly_evaluation(plan.evaluation_gaps(today, [*scheduled, due_on]), "due_on")
        previous, evaluation.due_on = evaluation.due_on, due_on
        self._record(
            events.PlanEvaluationRescheduled,
            case_id=self.id,
            plan_id=plan.id,
            evaluation_id=evaluation.id,
            due_on=due_on,
            previous_due_on=previous,
        )

    def plan_meeting(
        self,
        plan_id: UUID,
        evaluation_id: UUID,
        *,
        starts_at: datetime,
        minutes: int,
        location: str | None,
        video_url: str | None,
        now: datetime,
    ) -> None:
        """Plan, or move, the meeting of a scheduled evaluation of an active plan."""
        plan = self._open_plan(plan_id)
        if plan.status != PlanStatus.ACTIVE:
            raise StateConflict(
                "Only an active plan's evaluation gets a meeting.", code="plan_not_active"
            )
        evaluation = self._scheduled_evaluation(plan, evaluation_id)
        problems = Problems()
        problems.check(starts_at.tzinfo is not None, "starts_at", "Give a time zone offset.")
        problems.check(
            starts_at.tzinfo is None or starts_at > now, "starts_at", "Must be in the future."
        )
        problems.check(15 <= minutes <= 240, "duration_minutes", "15 to 240 minutes.")
        problems.raise_if_any("The meeting breaks one or more rules.")
        starts_at = starts_at.astimezone(UTC)
        moved = evaluation.meeting_starts_at is not None
        if moved:
            evaluation.meeting_sequence += 1
        evaluation.meeting_starts_at = starts_at
        evaluation.meeting_minutes = minutes
        evaluation.meeting_location = location
        evaluation.meeting_video_url = video_url
        evaluation.meeting_cancelled = False
        self._record(
            events.MeetingMoved if moved else events.MeetingPlanned,
            **self._meeting_payload(plan, evaluation),
        )

    def cancel_meeting(self, plan_id: UUID, evaluation_id: UUID) -> None:
        """Cancel the planned meeting of an evaluation (the evaluation itself stays)."""
        plan = self._open_plan(plan_id)
        evaluation = self._scheduled_evaluation(plan, evaluation_id)
        if not evaluation.has_meeting:
            raise StateConflict("No meeting is planned.", code="meeting_not_planned")
        self._record_meeting_cancelled(plan, evaluation)

    def _record_meeting_cancelled(self, plan: DevelopmentPlan, evaluation: PlanEvaluation) -> None:
        evaluation.meeting_sequence += 1
        evaluation.meeting_cancelled = True
        self._record(events.MeetingCancelled, **self._meeting_payload(plan, evaluation))

    def _call_off_meeting(
        self, plan: DevelopmentPlan, evaluation: PlanEvaluation, now: datetime | None
    ) -> None:
        """An evaluation held before its meeting, or cancelled with its plan, no longer meets:
        a meeting still ahead is cancelled, so its calendar invitations are withdrawn too."""
        starts_at = evaluation.meeting_starts_at
        if now is not None and evaluation.has_meeting and starts_at is not None:
            if starts_at.astimezone(UTC) > now:
                self._record_meeting_cancelled(plan, evaluation)

    def _meeting_payload(
        self, plan: DevelopmentPlan, evaluation: PlanEvaluation
    ) -> dict[str, object]:
        assert evaluation.meeting_starts_at is not None and evaluation.meeting_minutes is not None
        return meeting_payload(self.id, plan.id, evaluation)

    def evaluate_plan(
        self,
        plan_id: UUID,
        *,
        evaluation_id: UUID | None,
        held_on: date,
        decision: str,
        note: str | None,
        next_evaluation_on: date | None,
        referral_destination: str | None,
        today: date,
        now: datetime | None = None,
    ) -> Referral | None:
        """Evaluate an active plan with the parents and carry out the decision (rule 7); a
        meeting of the evaluation still ahead at `now` is cancelled."""
        plan = self._open_plan(plan_id)
        if plan.status != PlanStatus.ACTIVE:
            raise StateConflict("Only an active plan can be evaluated.", code="plan_not_active")
        problems = Problems()
        problems.check(held_on <= today, "held_on", "Cannot be in the future.")
        problems.check(
            held_on >= (plan.activated_on or plan.created_on),
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
                next_evaluation_on is None or next_evaluation_on <= plan.agreed_end_date,
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
        if evaluation_id is not None:
            self._scheduled_evaluation(plan, evaluation_id)  # it exists and is still scheduled
        elif plan.scheduled_evaluations():
            evaluation_id = plan.scheduled_evaluations()[0].id
        if decision == Decision.CONTINUE:
            assert next_evaluation_on is not None
            left = [e.due_on for e in plan.scheduled_evaluations() if e.id != evaluation_id]
            gaps = plan.evaluation_gaps(today, [*left, next_evaluation_on], held_on=held_on)
            _require_yearly_evaluation(gaps, "next_evaluation_on")
        evaluation = (
            self._scheduled_evaluation(plan, evaluation_id)
            if evaluation_id is not None
            else self._schedule(plan, held_on)
        )
        evaluation.status = "held"
        evaluation.held_on = held_on
        evaluation.decision = decision
        evaluation.note = note
        evaluation.next_evaluation_on = next_evaluation_on
        self._record(
            events.PlanEvaluated,
            case_id=self.id,
            plan_id=plan.id,
            evaluation_id=evaluation.id,
            due_on=evaluation.due_on,
            held_on=held_on,
            decision=decision,
            next_evaluation_on=next_evaluation_on,
        )
        self._call_off_meeting(plan, evaluation, now)
        if decision == Decision.CONTINUE:
            assert next_evaluation_on is not None
            if all(e.due_on != next_evaluation_on for e in plan.scheduled_evaluations()):
                self._schedule(plan, next_evaluation_on)
            return None
        if decision == Decision.BACK_TO_BASIC:
            self._close_plan(plan, held_on, "back_to_basic", now)
            self._change_level(SupportLevel.BASIC, held_on)
            return None
        assert referral_destination is not None
        referral = Referral(
            case_id=self.id, plan_id=plan.id, destination=referral_destination, requested_on=held_on
        )
        self.referrals.append(referral)
        self._record(
            events.ReferralRequested,
            case_id=self.id,
            referral_id=referral.id,
            plan_id=plan.id,
            destination=referral_destination,
            requested_on=held_on,
        )
        self._close_plan(plan, held_on, "referred", now)
        self.status = CaseStatus.REFERRED.value
        return referral

    def record_admission_statement(
        self, referral_id: UUID, *, valid_from: date, valid_until: date
    ) -> None:
        """Record the admission statement (TLV) granted on a referral, with its validity."""
        referral = next((r for r in self.referrals if r.id == referral_id), None)
        if referral is None:
            raise StateConflict("No such referral on this case.", code="referral_not_found")
        if valid_until <= valid_from:
            raise RuleViolation(
                "The admission statement ends before it starts.",
                errors={"valid_until": ["Must be after valid_from."]},
            )
        referral.admission_statement_from = valid_from
        referral.admission_statement_until = valid_until
        self._record(
            events.AdmissionStatementRecorded,
            case_id=self.id,
            referral_id=referral.id,
            valid_from=valid_from,
            valid_until=valid_until,
        )

    # -- retention (rule 9) ----------------------------------------------------------------------

    def anonymise(self) -> None:
        """Blank every free text about the pupil: goals, notes, factors, the action plan,
        scenarios, the pupil's view and who attended. Codes, dates and decisions stay."""
        if self.status != CaseStatus.CLOSED:
            raise StateConflict("Only a closed case is anonymised.", code="case_not_closed")
        for item in self.interventions:
            item.goal = ""
            item.evaluation_note = None
        for plan in self.plans:
            plan.hindering_factors = []
            plan.supporting_factors = []
            plan.action_plan = ""
            plan.deviations = None
            plan.consultation_participants = []
            plan.pupil_view_summary = None
            plan.parents_view_text = None
            for scenario in plan.scenarios:
                scenario.expected_effect = ""
            for evaluation in plan.evaluations:
                evaluation.note = None
                evaluation.meeting_location = None
                evaluation.meeting_video_url = None

    # -- lookups --------------------------------------------------------------------------------

    @property
    def awaits_plan(self) -> bool:
        """Rule 5: the case has a plan deadline and no plan has taken effect yet."""
        return (
            self.plan_due_by is not None
            and self.status == CaseStatus.OPEN
            and all(p.activated_on is None for p in self.plans)
        )

    def active_plan(self) -> DevelopmentPlan | None:
        return next((p for p in self.plans if p.status == PlanStatus.ACTIVE), None)

    def plan(self, plan_id: UUID) -> DevelopmentPlan:
        for plan in self.plans:
            if plan.id == plan_id:
                return plan
        raise StateConflict("No such development plan on this case.", code="plan_not_found")

    def intervention(self, intervention_id: UUID) -> Intervention:
        for item in self.interventions:
            if item.id == intervention_id:
                return item
        raise StateConflict("No such intervention on this case.", code="intervention_not_found")

    # -- internals ------------------------------------------------------------------------------

    def _record(self, event_type: type[events.Event], **payload: object) -> None:
        self.events.append(
            event_type(
                partnership_id=self.partnership_id,  # type: ignore[call-arg]
                school_id=self.school_id,
                **payload,
            )
        )

    def _require_open(self) -> None:
        if self.status != CaseStatus.OPEN:
            raise StateConflict(
                f"The case is {self.status}; it cannot change.", code=f"case_{self.status}"
            )

    def _open_plan(self, plan_id: UUID) -> DevelopmentPlan:
        self._require_open()
        plan = self.plan(plan_id)
        if not plan.is_open:
            raise StateConflict("The development plan is closed.", code="plan_closed")
        return plan

    @staticmethod
    def _require_consent_ready(plan: DevelopmentPlan) -> None:
        if not plan.consent_required:
            raise StateConflict(
                "The parents already agreed to this version of the action plan.",
                code="consent_already_given",
            )
        problems = Problems()
        problems.check(
            plan.consultation_on is not None,
            "consultation",
            "Record the consultation with the parents (OOGO) first.",
        )
        problems.check(
            plan.pupil_view_on is not None, "pupil_view", "Record that the pupil was heard first."
        )
        if problems.errors:
            raise StateConflict(
                "The plan is not ready for the parents' consent.",
                code="plan_incomplete",
                errors=problems.errors,
            )

    def _check_evaluation_date(self, plan: DevelopmentPlan, due_on: date, today: date) -> None:
        problems = Problems()
        problems.check(due_on >= today, "due_on", "Cannot be in the past.")
        problems.check(
            due_on <= plan.agreed_end_date,
            "due_on",
            "Must not be after the plan's agreed end date.",
        )
        problems.check(
            all(e.due_on != due_on for e in plan.scheduled_evaluations()),
            "due_on",
            "An evaluation is already scheduled on this date.",
        )
        problems.raise_if_any("The evaluation date breaks one or more rules.")

    def _scheduled_evaluation(self, plan: DevelopmentPlan, evaluation_id: UUID) -> PlanEvaluation:
        for evaluation in plan.evaluations:
            if evaluation.id == evaluation_id:
                if evaluation.status != "scheduled":
                    raise StateConflict(
                        "The evaluation was already held or cancelled.",
                        code="evaluation_not_scheduled",
                    )
                return evaluation
        raise StateConflict("No such evaluation on this plan.", code="evaluation_not_found")

    def _schedule(self, plan: DevelopmentPlan, due_on: date) -> PlanEvaluation:
        evaluation = PlanEvaluation(plan_id=plan.id, due_on=due_on)
        plan.evaluations.append(evaluation)
        self._record(
            events.PlanEvaluationScheduled,
            case_id=self.id,
            plan_id=plan.id,
            evaluation_id=evaluation.id,
            due_on=due_on,
        )
        return evaluation

    def _close_plan(
        self, plan: DevelopmentPlan, closed_on: date, reason: str, now: datetime | None = None
    ) -> None:
        for evaluation in plan.evaluations:
            if evaluation.status == "scheduled":
                evaluation.status = "cancelled"
                self._call_off_meeting(plan, evaluation, now)
        for item in self.interventions:
            if item.plan_id == plan.id and item.status == "active":
                item.status = "stopped"
        plan.status = PlanStatus.CLOSED.value
        plan.closed_on = closed_on
        plan.close_reason = reason
        self._record(
            events.PlanClosed, case_id=self.id, plan_id=plan.id, closed_on=closed_on, reason=reason
        )

    def _change_level(self, level: SupportLevel, on: date) -> None:
        if self.level == level:
            return
        previous, self.level = self.level, level.value
        self._record(
            events.CaseLevelChanged,
            case_id=self.id,
            from_level=previous,
            to_level=level.value,
            changed_on=on,
        )
