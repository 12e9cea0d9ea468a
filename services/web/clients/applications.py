"""The cases API's TLV applications (issue 14) as the pages need them: typed rows with parsed
dates, and one call per step (the school's draft, the parents' view and answer, the director's
sign-off, the submission, the partnership's advices and decision, the letter)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from uuid import UUID

from services.web.clients.base import ApiClient, ApiError, optional_date
from services.web.clients.cases import Page


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _any_date(value: str | None) -> date | None:
    """An ISO date; an HTTP date ("Wed, 14 Oct 2026 00:00:00 GMT", how Flask's JSON writes an
    untyped date, as the API's first version did for the plan's evaluations) is read too."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return parsedate_to_datetime(value).date()


@dataclass(frozen=True)
class ApplicationDocument:
    id: UUID
    filename: str
    shared_with_partnership: bool


@dataclass(frozen=True)
class ApplicationParentsView:
    """The parents' view (zienswijze): written online by a guardian or recorded by the school."""

    text: str
    channel: str
    guardian_id: str | None
    recorded_at: datetime | None


@dataclass(frozen=True)
class ParentsAnswer:
    decision: str
    channel: str
    guardian_ids: tuple[str, ...]
    recorded_on: date | None
    recorded_at: datetime | None


@dataclass(frozen=True)
class Advice:
    id: UUID
    adviser_role: str
    adviser_name: str
    conclusion: str
    recorded_on: date | None


@dataclass(frozen=True)
class TlvDecision:
    decision: str
    decided_on: date | None
    school_type: str | None
    category: str | None
    valid_from: date | None
    valid_until: date | None


@dataclass(frozen=True)
class HeldEvaluation:
    id: str
    held_on: date | None
    decision: str | None


@dataclass(frozen=True)
class Application:
    id: UUID
    referral_id: UUID
    case_id: UUID
    school_id: UUID
    pupil_id: UUID
    pupil_name: str
    school_name: str
    plan_id: UUID | None
    status: str
    created_on: date | None
    motivation: str | None
    documents: tuple[ApplicationDocument, ...]
    parents_view: ApplicationParentsView | None
    signed_on: date | None
    signed_by: str | None
    signed_by_name: str | None
    agreement_status: str  # agreed, declined, awaited or none
    awaited_guardian_ids: tuple[str, ...]
    answers: tuple[ParentsAnswer, ...]
    submitted_on: date | None
    parents_agreed: bool | None
    decide_by: date | None
    overdue: bool
    advices: tuple[Advice, ...]
    decision: TlvDecision | None
    evaluations: tuple[HeldEvaluation, ...]
    destination: str | None
    requested_on: date | None
    version: int

    @classmethod
    def of(cls, row: dict[str, Any]) -> Application:
        agreement = row.get("parents_agreement") or {}
        sign_off = row.get("sign_off") or {}
        plan = row.get("plan") or {}
        return cls(
            id=UUID(row["id"]),
            referral_id=UUID(row["referral_id"]),
            case_id=UUID(row["case_id"]),
            school_id=UUID(row["school_id"]),
            pupil_id=UUID(row["pupil_id"]),
            pupil_name=row.get("pupil_name") or "",
            school_name=row.get("school_name") or "",
            plan_id=UUID(row["plan_id"]) if row.get("plan_id") else None,
            status=row["status"],
            created_on=optional_date(row.get("created_on")),
            motivation=row.get("motivation"),
            documents=tuple(
                ApplicationDocument(
                    UUID(d["id"]), d["filename"], bool(d.get("shared_with_partnership"))
                )
                for d in row.get("documents") or ()
            ),
            parents_view=_view(row.get("parents_view")),
            signed_on=optional_date(sign_off.get("signed_on")),
            signed_by=sign_off.get("director_id"),
            signed_by_name=sign_off.get("director_name"),
            agreement_status=agreement.get("status") or "none",
            awaited_guardian_ids=tuple(agreement.get("awaited_guardian_ids") or ()),
            answers=tuple(_answer(a) for a in agreement.get("answers") or ()),
            submitted_on=optional_date(row.get("submitted_on")),
            parents_agreed=row.get("parents_agreed"),
            decide_by=optional_date(row.get("decide_by")),
            overdue=bool(row.get("overdue")),
            advices=tuple(_advice(a) for a in row.get("advices") or ()),
            decision=_decision(row.get("decision")),
            evaluations=tuple(
                HeldEvaluation(str(e.get("id", "")), _any_date(e.get("held_on")), e.get("decision"))
                for e in plan.get("evaluations") or ()
            ),
            destination=row.get("destination"),
            requested_on=optional_date(row.get("requested_on")),
            version=int(row.get("version", 1)),
        )

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"

    @property
    def without_parents(self) -> bool:
        """Submitted without the parents' agreement: flagged up to the decision."""
        return self.parents_agreed is False

    @property
    def awaits_advice(self) -> bool:
        return self.status == "submitted" and len(self.advices) < 2


def _view(row: dict[str, Any] | None) -> ApplicationParentsView | None:
    if not row or not row.get("text"):
        return None
    gid = row.get("guardian_id")
    return ApplicationParentsView(
        row["text"],
        row.get("channel") or "school",
        str(gid) if gid else None,
        _moment(row.get("recorded_at")),
    )


def _answer(row: dict[str, Any]) -> ParentsAnswer:
    return ParentsAnswer(
        row["decision"],
        row.get("channel") or "paper",
        tuple(str(g) for g in row.get("guardian_ids") or ()),
        optional_date(row.get("recorded_on")),
        _moment(row.get("recorded_at")),
    )


def _advice(row: dict[str, Any]) -> Advice:
    return Advice(
        UUID(row["id"]),
        row["adviser_role"],
        row.get("adviser_name") or "",
        row.get("conclusion") or "",
        optional_date(row.get("recorded_on")),
    )


def _decision(row: dict[str, Any] | None) -> TlvDecision | None:
    if not row or not row.get("decision"):
        return None
    return TlvDecision(
        row["decision"],
        optional_date(row.get("decided_on")),
        row.get("school_type"),
        row.get("category"),
        optional_date(row.get("valid_from")),
        optional_date(row.get("valid_until")),
    )


class ApplicationsClient:
    """The TLV applications of the cases API as one signed-in user (staff or guardian)."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    @staticmethod
    def _path(referral_id: UUID, step: str = "") -> str:
        return f"/api/v1/referrals/{referral_id}/application" + (f"/{step}" if step else "")

    def get(self, referral_id: UUID) -> Application | None:
        """The referral's application; None when the school has not started one."""
        try:
            return Application.of(self.api.get(self._path(referral_id)))
        except ApiError as err:
            if err.status == 404:
                return None
            raise

    def start(self, referral_id: UUID) -> Application:
        return Application.of(self.api.post(self._path(referral_id), {}))

    def change(self, referral_id: UUID, body: dict[str, Any]) -> Application:
        """The school's draft: the chosen documents, the motivation."""
        return Application.of(self.api.request("PATCH", self._path(referral_id), json=body))

    def step(self, referral_id: UUID, step: str, body: dict[str, Any]) -> Application:
        """POST one step: parents-view, sign-off, parents-agreement, submit, advices, decision."""
        return Application.of(self.api.post(self._path(referral_id, step), body))

    def letter(self, referral_id: UUID, lang: str) -> tuple[bytes, str, str]:
        """The decision letter (PDF) in `lang` (nl, en, tr, ar, pl or uk, as the OPP)."""
        path = self._path(referral_id, "decision-letter.pdf")
        return self.api.download(path, {"lang": lang})

    def listing(self, **filters: Any) -> Page:
        """The applications the user may see (status, school_id, page)."""
        body = self.api.get("/api/v1/applications", **filters)
        return Page.of(body, Application.of)
