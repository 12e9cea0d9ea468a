"""The support case's level and status, and what every step of the Case aggregate stands on:
its parts, the lookups and the recording of events. Plain Python."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from services.cases.domain import events
from services.cases.domain.events import Event
from services.cases.domain.intervention import Intervention
from services.cases.domain.plan import DevelopmentPlan, PlanStatus
from services.cases.domain.referral import Referral
from shared.errors import StateConflict


class SupportLevel(StrEnum):
    BASIC = "basic"
    EXTRA = "extra"


class CaseStatus(StrEnum):
    OPEN = "open"
    REFERRED = "referred"
    CLOSED = "closed"


class CaseState:
    """The state of a Case (set by model.Case) with its lookups and internals."""

    id: UUID
    partnership_id: UUID
    school_id: UUID
    level: str
    status: str
    interventions: list[Intervention]
    plans: list[DevelopmentPlan]
    referrals: list[Referral]
    events: list[Event]

    # -- lookups --------------------------------------------------------------------------------

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

    def _record(self, event_type: type[Event], **payload: object) -> None:
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
