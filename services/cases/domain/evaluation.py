"""A development plan's evaluations with the parents (rules 6 and 7) and their meetings
(evaluatiegesprek, sent as calendar invitations). Plain Python; the Case records the events."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4

from shared.clock import school_year_of
from shared.errors import Problems, RuleViolation, StateConflict


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


def require_yearly_evaluation(gaps: list[str], field: str) -> None:
    """Refuse (422, rule 6) when `gaps` names any; `field` is where the error is shown."""
    if gaps:
        raise RuleViolation(
            "Rule 6: a plan is evaluated with the parents at least once per school year "
            "(1 Aug–31 Jul) and within every 12 months.",
            code=RULE_6,
            errors={field: gaps},
        )


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

    def require_scheduled(self) -> None:
        if self.status != "scheduled":
            raise StateConflict(
                "The evaluation was already held or cancelled.",
                code="evaluation_not_scheduled",
            )

    def hold(
        self, *, held_on: date, decision: str, note: str | None, next_evaluation_on: date | None
    ) -> None:
        self.status = "held"
        self.held_on = held_on
        self.decision = decision
        self.note = note
        self.next_evaluation_on = next_evaluation_on

    def plan_meeting(
        self,
        *,
        starts_at: datetime,
        minutes: int,
        location: str | None,
        video_url: str | None,
        now: datetime,
    ) -> bool:
        """Plan, or move, the meeting; True when it moved (it was planned before)."""
        problems = Problems()
        problems.check(starts_at.tzinfo is not None, "starts_at", "Give a time zone offset.")
        problems.check(
            starts_at.tzinfo is None or starts_at > now, "starts_at", "Must be in the future."
        )
        problems.check(15 <= minutes <= 240, "duration_minutes", "15 to 240 minutes.")
        problems.raise_if_any("The meeting breaks one or more rules.")
        moved = self.meeting_starts_at is not None
        if moved:
            self.meeting_sequence += 1
        self.meeting_starts_at = starts_at.astimezone(UTC)
        self.meeting_minutes = minutes
        self.meeting_location = location
        self.meeting_video_url = video_url
        self.meeting_cancelled = False
        return moved

    def cancel_meeting(self) -> None:
        self.meeting_sequence += 1
        self.meeting_cancelled = True

    def meeting_still_ahead(self, now: datetime | None) -> bool:
        """Whether a planned meeting lies after `now` (never when `now` is not given)."""
        starts_at = self.meeting_starts_at
        if now is None or not self.has_meeting or starts_at is None:
            return False
        return starts_at.astimezone(UTC) > now

    def anonymise(self) -> None:
        self.note = None
        self.meeting_location = None
        self.meeting_video_url = None


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
