"""A referral to a more specialised setting (rule 7, decision `refer`), towards an admission
statement (toelaatbaarheidsverklaring, TLV). Plain Python; the Case records the events."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from shared.errors import RuleViolation


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

    def grant_admission_statement(self, *, valid_from: date, valid_until: date) -> None:
        """The admission statement granted on this referral, with its validity."""
        if valid_until <= valid_from:
            raise RuleViolation(
                "The admission statement ends before it starts.",
                errors={"valid_until": ["Must be after valid_from."]},
            )
        self.admission_statement_from = valid_from
        self.admission_statement_until = valid_until
