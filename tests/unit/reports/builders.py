"""Envelopes for the reports tests, each passed through the event catalog (to JSON and back) so a
payload the producer could not send fails here too. Dates are given as ISO strings."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from shared.events import CATALOG, Envelope, Subject

PARTNERSHIP = UUID("00000000-0000-4000-8000-00000000000a")
OTHER_PARTNERSHIP = UUID("00000000-0000-4000-8000-00000000000b")
SCHOOL = UUID("00000000-0000-4000-8000-0000000000a1")
OCCURRED = datetime(2026, 10, 15, 8, 0, tzinfo=UTC)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SUBJECT_FIELD = {
    "case": "case_id",
    "intervention": "intervention_id",
    "development_plan": "plan_id",
    "referral": "referral_id",
    "pupil": "pupil_id",
    "support_profile": "support_profile_id",
}


def d(value: str) -> date:
    return date.fromisoformat(value)


def envelope(
    type_: str,
    school_id: UUID | None = SCHOOL,
    partnership_id: UUID = PARTNERSHIP,
    **data: Any,
) -> Envelope:
    """A validated envelope of a catalog type; ISO date strings become dates."""
    spec = CATALOG[type_]
    data = {k: d(v) if isinstance(v, str) and ISO_DATE.match(v) else v for k, v in data.items()}
    built = Envelope(
        id=uuid4(),
        type=type_,
        version=spec.version,
        occurred_at=OCCURRED,
        partnership_id=partnership_id,
        school_id=school_id,
        subject=Subject(spec.subject_kind, data[SUBJECT_FIELD[spec.subject_kind]]),
        data=data,
    )
    return Envelope.from_json(built.to_json())


class Story:
    """The events of one case at one school, written as a coordinator would tell them."""

    def __init__(self, school_id: UUID = SCHOOL, partnership_id: UUID = PARTNERSHIP) -> None:
        self.school_id = school_id
        self.partnership_id = partnership_id
        self.case_id = uuid4()
        self.events: list[Envelope] = []

    def _add(self, type_: str, **data: Any) -> Envelope:
        e = envelope(type_, self.school_id, self.partnership_id, case_id=self.case_id, **data)
        self.events.append(e)
        return e

    def intervention(
        self,
        domain: str,
        started: str,
        evaluate_by: str,
        evaluated: str | None = None,
        outcome: str | None = None,
        *,
        level: str = "basic",
        outside: bool = False,
    ) -> UUID:
        """Start an intervention, maybe flagged outside the profile, maybe evaluated."""
        iid = uuid4()
        self._add(
            "intervention.started",
            intervention_id=iid,
            level=level,
            domain=domain,
            starts_on=started,
            evaluate_by=evaluate_by,
            plan_id=None,
        )
        if outside:
            self._add(
                "intervention.outside_support_profile",
                intervention_id=iid,
                domain=domain,
                support_profile_id=None,
            )
        if evaluated:
            self._add(
                "intervention.evaluated",
                intervention_id=iid,
                outcome=outcome,
                evaluated_on=evaluated,
                evaluate_by=evaluate_by,
            )
        return iid

    def plan(self, created: str, agreed_end: str = "2027-07-31") -> UUID:
        pid = uuid4()
        self._add(
            "development_plan.created", plan_id=pid, created_on=created, agreed_end_date=agreed_end
        )
        return pid

    def consent(
        self, plan_id: UUID, requested: str, answered: str, decision: str, version: int = 1
    ) -> None:
        """Ask the parents and record their answer; an agreement activates the plan."""
        self._add(
            "development_plan.consent_requested",
            plan_id=plan_id,
            action_plan_version=version,
            requested_on=requested,
        )
        self._add(
            "development_plan.consent_recorded",
            plan_id=plan_id,
            action_plan_version=version,
            decision=decision,
            recorded_on=answered,
            requested_on=requested,
        )
        if decision == "agreed":
            self._add(
                "development_plan.activated",
                plan_id=plan_id,
                action_plan_version=version,
                activated_on=answered,
            )

    def schedule(self, plan_id: UUID, due: str) -> UUID:
        eid = uuid4()
        self._add(
            "development_plan.evaluation_scheduled", plan_id=plan_id, evaluation_id=eid, due_on=due
        )
        return eid

    def reschedule(self, plan_id: UUID, evaluation_id: UUID, due: str, previous: str) -> None:
        self._add(
            "development_plan.evaluation_rescheduled",
            plan_id=plan_id,
            evaluation_id=evaluation_id,
            due_on=due,
            previous_due_on=previous,
        )

    def evaluate(
        self,
        plan_id: UUID,
        evaluation_id: UUID,
        due: str,
        held: str,
        decision: str,
        next_on: str | None = None,
    ) -> None:
        self._add(
            "development_plan.evaluated",
            plan_id=plan_id,
            evaluation_id=evaluation_id,
            due_on=due,
            held_on=held,
            decision=decision,
            next_evaluation_on=next_on,
        )

    def close_plan(self, plan_id: UUID, closed: str, reason: str) -> None:
        self._add("development_plan.closed", plan_id=plan_id, closed_on=closed, reason=reason)

    def refer(self, plan_id: UUID, destination: str, requested: str) -> UUID:
        rid = uuid4()
        self._add(
            "referral.requested",
            referral_id=rid,
            plan_id=plan_id,
            destination=destination,
            requested_on=requested,
        )
        return rid

    def admission_statement(self, referral_id: UUID, valid_from: str, valid_until: str) -> None:
        self._add(
            "referral.admission_statement_recorded",
            referral_id=referral_id,
            valid_from=valid_from,
            valid_until=valid_until,
        )

    def submit(
        self,
        referral_id: UUID,
        submitted: str,
        decide_by: str,
        *,
        parents_agreed: bool = True,
    ) -> None:
        """The school submits its TLV application to the partnership."""
        self._add(
            "referral.submitted",
            referral_id=referral_id,
            submitted_on=submitted,
            parents_agreed=parents_agreed,
            decide_by=decide_by,
        )

    def advise(
        self, referral_id: UUID, recorded: str, *, complete: bool, role: str = "orthopedagoog"
    ) -> None:
        """A consultant records one of the two expert advices."""
        self._add(
            "referral.advice_recorded",
            referral_id=referral_id,
            advice_id=uuid4(),
            adviser_role=role,
            recorded_on=recorded,
            complete=complete,
        )

    def decide(
        self,
        referral_id: UUID,
        decision: str,
        decided: str,
        submitted: str,
        *,
        parents_agreed: bool = True,
        school_type: str | None = None,
        category: str | None = None,
        valid: tuple[str, str] | None = None,
    ) -> None:
        """The partnership decides; a grant names the type of school (and for so the category)
        and the statement's validity."""
        valid_from, valid_until = valid or (None, None)
        self._add(
            "referral.decided",
            referral_id=referral_id,
            decision=decision,
            decided_on=decided,
            submitted_on=submitted,
            parents_agreed=parents_agreed,
            school_type=school_type,
            category=category,
            valid_from=valid_from,
            valid_until=valid_until,
        )

    def tlv(
        self,
        submitted: str,
        decided: str | None = None,
        decision: str = "granted",
        *,
        decide_by: str | None = None,
        parents_agreed: bool = True,
        school_type: str | None = "sbo",
        category: str | None = None,
    ) -> UUID:
        """A TLV application from submission through two advices (the second on the day of the
        decision) to the decision, if `decided`; `decide_by` six weeks after submission unless
        given. A refusal has no school type, category or validity."""
        rid = uuid4()
        deadline = decide_by or (d(submitted) + timedelta(weeks=6)).isoformat()
        self.submit(rid, submitted, deadline, parents_agreed=parents_agreed)
        if decided is None:
            return rid
        self.advise(rid, submitted, complete=False)
        self.advise(rid, decided, complete=True, role="deskundige")
        granted = decision == "granted"
        self.decide(
            rid,
            decision,
            decided,
            submitted,
            parents_agreed=parents_agreed,
            school_type=school_type if granted else None,
            category=category if granted and school_type == "so" else None,
            valid=("2026-08-01", "2027-07-31") if granted else None,
        )
        return rid
