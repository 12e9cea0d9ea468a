"""The TLV application (issue 14, DESIGN rule 10): the school's request for an admission
statement (toelaatbaarheidsverklaring) on a referral, and the partnership's handling of it.

One `TlvApplication` per referral, an aggregate of its own with its own version (optimistic
concurrency, apart from the case's). The school's coordinator assembles the draft from the
referral's case: the plan and its evaluations by reference, documents of that case chosen by id,
the parents' view (zienswijze: written by a parent online or recorded by the school); the
director signs it off and the parents agree or decline (online or from paper; the partnership's
`consent_from` may ask every guardian with parental authority). The coordinator submits — also
without the parents' agreement, which is then flagged (`parents_agreed: false`) up to the
decision — and the partnership decides within its `tlv_decision_weeks`. Its consultants record
two expert advices (at least one by an orthopedagoog or psycholoog); the application is then
ready for the decision: granted (SBO, or SO with a category; valid for at least one school year,
ending on 31 July) or refused.

Plain Python: free texts (the school's motivation, the parents' view, the advices) stay here;
the events carry ids, codes and dates only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID, uuid4

from services.cases.domain import events, parents
from shared.errors import Problems, RuleViolation, StateConflict

ADVISER_ROLES = ("orthopedagoog", "psycholoog", "deskundige")
BEHAVIOURAL_EXPERTS = ("orthopedagoog", "psycholoog")  # one of the two advices (WPO art. 18a)
DECISIONS = ("granted", "refused")
SCHOOL_TYPES = ("sbo", "so")  # speciaal basisonderwijs, speciaal onderwijs
CATEGORIES = ("low", "medium", "high")  # bekostigingscategorie, SO only
AGREEMENT = ("agreed", "declined")
MOTIVATION_MAX = 8000
CONCLUSION_MAX = 8000
REQUIRED_ADVICES = 2


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    READY_FOR_DECISION = "ready_for_decision"
    DECIDED = "decided"


class Advice:
    """One expert advice: the adviser's role (a code), their name, the conclusion."""

    def __init__(
        self,
        *,
        adviser_role: str,
        adviser_name: str,
        conclusion: str,
        recorded_on: date,
        recorded_by: UUID,
        id: UUID | None = None,
    ) -> None:
        self.id = id or uuid4()
        self.adviser_role = adviser_role
        self.adviser_name = adviser_name
        self.conclusion = conclusion
        self.recorded_on = recorded_on
        self.recorded_by = recorded_by
        self.position = 0  # its place among the application's advices


class ParentsAnswer:
    """The parents' answer to the application: agreed or declined, online by a guardian or
    recorded from paper by the coordinator, for which guardian records."""

    def __init__(
        self,
        *,
        decision: str,
        channel: str,
        guardian_ids: list[str],
        recorded_on: date,
        recorded_by: UUID,
        recorded_at: datetime | None = None,
        id: UUID | None = None,
    ) -> None:
        self.id = id or uuid4()
        self.decision = decision
        self.channel = channel
        self.guardian_ids = guardian_ids
        self.recorded_on = recorded_on
        self.recorded_by = recorded_by
        self.recorded_at = recorded_at
        self.position = 0  # its place among the application's answers (the last one counts)


@dataclass(frozen=True)
class Grant:
    """What a decision carries besides granted/refused."""

    school_type: str | None = None
    category: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None


def minimum_end(valid_from: date) -> date:
    """The earliest end of a statement starting `valid_from`: the first 31 July at least one
    year on (the partnership's policy: at least one school year, ending on 31 July)."""
    year_later = _year_after(valid_from) - timedelta(days=1)
    end = date(year_later.year, 7, 31)
    return end if end >= year_later else date(year_later.year + 1, 7, 31)


def _year_after(day: date) -> date:
    if day.year >= date.max.year - 1:
        return date.max - timedelta(days=400)
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def check_grant(decision: str, grant: Grant) -> None:
    """The decision's fields by the partnership's policy; all problems together (422)."""
    problems = Problems()
    if decision == "refused":
        for name in ("school_type", "category", "valid_from", "valid_until"):
            problems.check(getattr(grant, name) is None, name, "Not for a refused application.")
        problems.raise_if_any("A refusal carries no type, category or validity.")
        return
    problems.check(grant.school_type in SCHOOL_TYPES, "school_type", "Choose sbo or so.")
    if grant.school_type == "so":
        problems.check(
            grant.category in CATEGORIES, "category", "A special school needs a category."
        )
    elif grant.category is not None:
        problems.add("category", "Only a special school (so) has a category.")
    problems.check(grant.valid_from is not None, "valid_from", "Give the start date.")
    problems.check(grant.valid_until is not None, "valid_until", "Give the end date.")
    if grant.valid_from is not None and grant.valid_until is not None:
        until = grant.valid_until
        problems.check((until.month, until.day) == (7, 31), "valid_until", "Must end on 31 July.")
        earliest = minimum_end(grant.valid_from)
        problems.check(
            until >= earliest,
            "valid_until",
            f"Must cover at least one school year: at the earliest {earliest.isoformat()}.",
        )
    problems.raise_if_any("The decision breaks the partnership's policy.")


def agreed_so_far(answers: list[ParentsAnswer]) -> set[str]:
    """The guardians who agreed since the last decline (a decline asks everyone again)."""
    agreed: set[str] = set()
    for answer in answers:
        if answer.decision == "agreed":
            agreed.update(str(g) for g in answer.guardian_ids)
        else:
            agreed.clear()
    return agreed


def checked_text(value: str | None, name: str, limit: int, required: bool = False) -> str | None:
    """A free text trimmed; empty is None (or refused when required), too long refused."""
    text = (value or "").strip()
    problems = Problems()
    problems.check(bool(text) or not required, name, "Cannot be empty.")
    problems.check(len(text) <= limit, name, f"At most {limit} characters.")
    problems.raise_if_any("The text is not valid.")
    return text or None


class TlvApplication:
    """The TLV application of one referral, from the school's draft to the partnership's
    decision. Every change counts a new `version`."""

    def __init__(
        self,
        *,
        referral_id: UUID,
        case_id: UUID,
        partnership_id: UUID,
        school_id: UUID,
        pupil_id: UUID,
        plan_id: UUID,
        created_on: date,
        created_by: UUID,
        id: UUID | None = None,
    ) -> None:
        self.id = id or uuid4()
        self.referral_id = referral_id
        self.case_id = case_id
        self.partnership_id = partnership_id
        self.school_id = school_id
        self.pupil_id = pupil_id
        self.plan_id = plan_id
        self.status = ApplicationStatus.DRAFT.value
        self.created_on = created_on
        self.created_by = created_by
        self.document_ids: list[str] = []
        self.motivation: str | None = None
        # The parents' view (zienswijze): its text, and who gave it — a guardian online
        # (`parents_view_guardian_id`) or the school recording it (`parents_view_channel`).
        self.parents_view_text: str | None = None
        self.parents_view_channel: str | None = None
        self.parents_view_guardian_id: UUID | None = None
        self.parents_view_by: UUID | None = None
        self.parents_view_at: datetime | None = None
        self.signed_off_by: UUID | None = None
        self.signed_off_on: date | None = None
        self.answers: list[ParentsAnswer] = []
        self.needed_guardian_ids: list[str] | None = None
        self.submitted_on: date | None = None
        self.submitted_by: UUID | None = None
        self.parents_agreed: bool | None = None
        self.decide_by: date | None = None
        self.advices: list[Advice] = []
        self.decision: str | None = None
        self.decided_on: date | None = None
        self.decided_by: UUID | None = None
        self.school_type: str | None = None
        self.category: str | None = None
        self.valid_from: date | None = None
        self.valid_until: date | None = None
        self.version = 1
        self.events: list[events.Event] = []

    # -- the school's draft ----------------------------------------------------------------------

    def assemble(
        self, *, document_ids: list[UUID] | None, motivation: str | None, case_documents: set[UUID]
    ) -> None:
        """Choose the documents (of this case only) and write the school's motivation. A
        changed draft needs the director's sign-off again."""
        self._require_draft()
        problems = Problems()
        if document_ids is not None:
            foreign = [str(d) for d in document_ids if d not in case_documents]
            problems.check(
                not foreign,
                "document_ids",
                f"Not a document of this case: {', '.join(sorted(foreign))}.",
            )
        problems.raise_if_any("The application's documents are not valid.")
        if document_ids is not None:
            self.document_ids = list(dict.fromkeys(str(d) for d in document_ids))
        if motivation is not None:
            self.motivation = checked_text(motivation, "motivation", MOTIVATION_MAX)
        self.signed_off_by = None
        self.signed_off_on = None
        self._touch()

    def record_parents_view(
        self,
        text: str,
        *,
        at: datetime,
        by: UUID,
        guardian_id: UUID | None,
    ) -> None:
        """The parents' view (zienswijze): a guardian's own words online (`guardian_id`), or
        recorded by the school (None). Never an event: free text about the pupil."""
        self._require_draft()
        self.parents_view_text = parents.checked_parents_view(text)
        self.parents_view_channel = "online" if guardian_id else "school"
        self.parents_view_guardian_id = guardian_id
        self.parents_view_by = by
        self.parents_view_at = at
        self._touch()

    def sign_off(self, *, director_id: UUID, on: date, today: date) -> None:
        """The school's director signs the application off."""
        self._require_draft()
        if on > today:
            raise RuleViolation(
                "A sign-off cannot be dated ahead.",
                errors={"signed_on": ["Cannot be in the future."]},
            )
        self.signed_off_by = director_id
        self.signed_off_on = on
        self._touch()

    def record_parents_answer(
        self, answer: ParentsAnswer, *, today: date, needed: frozenset[str] | None
    ) -> None:
        """The parents agree or decline (online or from paper). `needed`: under the
        partnership's `consent_from: all`, every guardian with parental authority must agree."""
        self._require_draft()
        problems = Problems()
        problems.check(answer.decision in AGREEMENT, "decision", "Choose agreed or declined.")
        problems.check(answer.recorded_on <= today, "recorded_on", "Cannot be in the future.")
        problems.check(bool(answer.guardian_ids), "guardian_ids", "Name the guardian(s).")
        problems.raise_if_any("The parents' answer is not valid.")
        if needed and answer.decision == "agreed":
            if set(answer.guardian_ids) <= agreed_so_far(self.answers):
                raise StateConflict(
                    "This guardian already agreed; the others are awaited.",
                    code="already_agreed",
                )
        self.needed_guardian_ids = sorted(needed) if needed else None
        answer.position = len(self.answers)
        self.answers = [*self.answers, answer]
        self._touch()

    @property
    def agreement_status(self) -> str:
        """`agreed` (every needed guardian, or one), `declined`, `awaited` (some of the needed
        guardians agreed) or `none`."""
        if not self.answers:
            return "none"
        if self.answers[-1].decision == "declined":
            return "declined"
        return "awaited" if self.awaited_guardian_ids else "agreed"

    @property
    def awaited_guardian_ids(self) -> list[str]:
        """Under `consent_from: all`: the guardians whose agreement is still missing."""
        if not self.answers or self.answers[-1].decision == "declined":
            return []
        return sorted(set(self.needed_guardian_ids or ()) - agreed_so_far(self.answers))

    def submit(self, *, on: date, by: UUID, today: date, decision_weeks: int) -> None:
        """Send the application to the partnership: signed off by the director; without the
        parents' agreement allowed, and flagged up to the decision."""
        self._require_draft()
        problems = Problems()
        problems.check(on <= today, "submitted_on", "Cannot be in the future.")
        problems.check(on >= self.created_on, "submitted_on", "Cannot be before the draft.")
        problems.raise_if_any("The submission date is not valid.")
        if self.signed_off_on is None:
            raise StateConflict(
                "The director has not signed the application off yet.",
                code="application_incomplete",
                errors={"sign_off": ["The school's director signs the application off first."]},
            )
        self.status = ApplicationStatus.SUBMITTED.value
        self.submitted_on = on
        self.submitted_by = by
        self.parents_agreed = self.agreement_status == "agreed"
        self.decide_by = on + timedelta(weeks=decision_weeks)
        self._record(
            events.ReferralSubmitted,
            submitted_on=on,
            parents_agreed=self.parents_agreed,
            decide_by=self.decide_by,
        )
        self._touch()

    # -- the partnership's handling ---------------------------------------------------------------

    def record_advice(self, advice: Advice, *, today: date) -> None:
        """A consultant records one of the two expert advices; with the second the application
        is ready for the decision. At least one comes from an orthopedagoog or psycholoog."""
        if self.status != ApplicationStatus.SUBMITTED:
            raise self._wrong_state("Advices are recorded on a submitted application.")
        assert self.submitted_on is not None
        problems = Problems()
        problems.check(advice.adviser_role in ADVISER_ROLES, "adviser_role", "Unknown role.")
        problems.check(advice.recorded_on <= today, "recorded_on", "Cannot be in the future.")
        problems.check(
            advice.recorded_on >= self.submitted_on,
            "recorded_on",
            "Cannot be before the application was submitted.",
        )
        roles = [a.adviser_role for a in self.advices] + [advice.adviser_role]
        if len(roles) == REQUIRED_ADVICES:
            problems.check(
                any(r in BEHAVIOURAL_EXPERTS for r in roles),
                "adviser_role",
                "One of the two advices comes from an orthopedagoog or a psycholoog.",
            )
        advice.adviser_name = checked_text(advice.adviser_name, "adviser_name", 200, True) or ""
        advice.conclusion = (
            checked_text(advice.conclusion, "conclusion", CONCLUSION_MAX, True) or ""
        )
        problems.raise_if_any("The advice is not valid.")
        advice.position = len(self.advices)
        self.advices = [*self.advices, advice]
        complete = len(self.advices) == REQUIRED_ADVICES
        if complete:
            self.status = ApplicationStatus.READY_FOR_DECISION.value
        self._record(
            events.AdviceRecorded,
            advice_id=advice.id,
            adviser_role=advice.adviser_role,
            recorded_on=advice.recorded_on,
            complete=complete,
        )
        self._touch()

    def decide(
        self, decision: str, grant: Grant, *, decided_on: date, by: UUID, today: date
    ) -> None:
        """The partnership decides: granted (type, category, validity by policy) or refused.
        A grant's admission statement is recorded on the referral by the caller (Case)."""
        if self.status != ApplicationStatus.READY_FOR_DECISION:
            raise self._wrong_state("The decision follows the two expert advices.")
        assert self.submitted_on is not None and self.parents_agreed is not None
        problems = Problems()
        problems.check(decision in DECISIONS, "decision", "Choose granted or refused.")
        problems.check(decided_on <= today, "decided_on", "Cannot be in the future.")
        problems.check(
            decided_on >= self.submitted_on,
            "decided_on",
            "Cannot be before the application was submitted.",
        )
        problems.raise_if_any("The decision is not valid.")
        check_grant(decision, grant)
        self.status = ApplicationStatus.DECIDED.value
        self.decision, self.decided_on, self.decided_by = decision, decided_on, by
        self.school_type, self.category = grant.school_type, grant.category
        self.valid_from, self.valid_until = grant.valid_from, grant.valid_until
        self._record(
            events.ReferralDecided,
            decision=decision,
            decided_on=decided_on,
            submitted_on=self.submitted_on,
            parents_agreed=self.parents_agreed,
            school_type=grant.school_type,
            category=grant.category,
            valid_from=grant.valid_from,
            valid_until=grant.valid_until,
        )
        self._touch()

    # -- retention (rule 9) ----------------------------------------------------------------------

    def anonymise(self) -> None:
        """Blank the free texts (motivation, parents' view, advisers and conclusions); codes,
        dates and the decision stay for the anonymous facts. No new version: nobody edits an
        anonymised application."""
        self.motivation = None
        self.parents_view_text = None
        for advice in self.advices:
            advice.adviser_name = ""
            advice.conclusion = ""

    # -- internals --------------------------------------------------------------------------------

    def _require_draft(self) -> None:
        if self.status != ApplicationStatus.DRAFT:
            raise StateConflict(
                "The application was submitted; the school's part can no longer change.",
                code="application_submitted",
            )

    def _wrong_state(self, message: str) -> StateConflict:
        return StateConflict(f"{message} It is {self.status}.", code=f"application_{self.status}")

    def _touch(self) -> None:
        self.version += 1

    def _record(self, event_type: type[events.Event], **payload: object) -> None:
        self.events.append(
            event_type(
                partnership_id=self.partnership_id,  # type: ignore[call-arg]
                school_id=self.school_id,
                case_id=self.case_id,
                referral_id=self.referral_id,
                **payload,
            )
        )
