"""The parents' answers on a development plan's action plan (rule 4): each answer on one
version, and how it came (on paper or online). Plain Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID, uuid4


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
