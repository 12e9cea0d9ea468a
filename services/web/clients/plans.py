"""The cases API's development plans (OPP) as the web pages need them: typed rows, parsed dates,
and the steps of the trajectory after basic support (OOGO, pupil's view, consent, meeting,
evaluation, referral)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.web.clients.base import ApiClient, optional_date


@dataclass(frozen=True)
class Scenario:
    expected_effect: str
    review_by: date | None


@dataclass(frozen=True)
class Meeting:
    starts_at: datetime
    duration_minutes: int
    location: str | None
    video_url: str | None
    cancelled: bool


@dataclass(frozen=True)
class PlanEvaluation:
    id: UUID
    due_on: date | None
    status: str
    held_on: date | None
    decision: str | None
    next_evaluation_on: date | None
    meeting: Meeting | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> PlanEvaluation:
        m = row.get("meeting")
        meeting = (
            Meeting(
                datetime.fromisoformat(m["starts_at"]),
                int(m["duration_minutes"]),
                m.get("location"),
                m.get("video_url"),
                bool(m.get("cancelled")),
            )
            if m
            else None
        )
        return cls(
            UUID(row["id"]),
            optional_date(row.get("due_on")),
            row["status"],
            optional_date(row.get("held_on")),
            row.get("decision"),
            optional_date(row.get("next_evaluation_on")),
            meeting,
        )


@dataclass(frozen=True)
class Consent:
    action_plan_version: int
    decision: str
    recorded_on: date | None
    guardian_ids: tuple[str, ...] = ()
    channel: str = "paper"
    recorded_at: datetime | None = None

    @classmethod
    def of(cls, row: dict[str, Any]) -> Consent:
        at = row.get("recorded_at")
        return cls(
            int(row["action_plan_version"]),
            row["decision"],
            optional_date(row.get("recorded_on")),
            tuple(row.get("guardian_ids") or ()),
            row.get("channel") or "paper",
            datetime.fromisoformat(at) if at else None,
        )


@dataclass(frozen=True)
class ParentsView:
    """The parents' own view (ouderdeel) on the plan: their text, which guardian, when."""

    text: str
    guardian_id: str | None
    recorded_at: datetime | None


@dataclass(frozen=True)
class Plan:
    id: UUID
    case_id: UUID
    status: str
    exit_destination: str
    hindering_factors: tuple[str, ...]
    supporting_factors: tuple[str, ...]
    action_plan: str
    deviations: str | None
    action_plan_version: int
    consented_version: int | None
    consent_required: bool
    agreed_end_date: date | None
    created_on: date | None
    scenarios: tuple[Scenario, ...]
    evaluations: tuple[PlanEvaluation, ...]
    consents: tuple[Consent, ...]
    consultation_on: date | None
    consultation_participants: tuple[str, ...]
    pupil_view_on: date | None
    pupil_view_summary: str | None
    consent_requested_on: date | None
    activated_on: date | None
    closed_on: date | None
    parents_view: ParentsView | None = None
    consent_from: str = "one"
    consent_awaited_guardian_ids: tuple[str, ...] = ()

    @classmethod
    def of(cls, row: dict[str, Any]) -> Plan:
        return cls(
            id=UUID(row["id"]),
            case_id=UUID(row["case_id"]),
            status=row["status"],
            exit_destination=row["exit_destination"],
            hindering_factors=tuple(row.get("hindering_factors", ())),
            supporting_factors=tuple(row.get("supporting_factors", ())),
            action_plan=row.get("action_plan", ""),
            deviations=row.get("deviations"),
            action_plan_version=int(row.get("action_plan_version", 1)),
            consented_version=row.get("consented_version"),
            consent_required=bool(row.get("consent_required")),
            agreed_end_date=optional_date(row.get("agreed_end_date")),
            created_on=optional_date(row.get("created_on")),
            scenarios=tuple(
                Scenario(s["expected_effect"], optional_date(s.get("review_by")))
                for s in row.get("scenarios", ())
            ),
            evaluations=tuple(PlanEvaluation.of(e) for e in row.get("evaluations", ())),
            consents=tuple(Consent.of(c) for c in row.get("consents", ())),
            consultation_on=optional_date(row.get("consultation_on")),
            consultation_participants=tuple(row.get("consultation_participants", ())),
            pupil_view_on=optional_date(row.get("pupil_view_on")),
            pupil_view_summary=row.get("pupil_view_summary"),
            consent_requested_on=optional_date(row.get("consent_requested_on")),
            activated_on=optional_date(row.get("activated_on")),
            closed_on=optional_date(row.get("closed_on")),
            parents_view=_parents_view(row.get("parents_view")),
            consent_from=row.get("consent_from") or "one",
            consent_awaited_guardian_ids=tuple(row.get("consent_awaited_guardian_ids") or ()),
        )

    @property
    def is_open(self) -> bool:
        return self.status != "closed"

    @property
    def scheduled(self) -> tuple[PlanEvaluation, ...]:
        """The evaluations still to hold, earliest first."""
        waiting = [e for e in self.evaluations if e.status == "scheduled"]
        return tuple(sorted(waiting, key=lambda e: e.due_on or date.max))

    def evaluation(self, evaluation_id: UUID) -> PlanEvaluation | None:
        return next((e for e in self.evaluations if e.id == evaluation_id), None)


@dataclass(frozen=True)
class Referral:
    id: UUID
    plan_id: UUID
    destination: str
    requested_on: date | None
    admission_statement_from: date | None
    admission_statement_until: date | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> Referral:
        return cls(
            UUID(row["id"]),
            UUID(row["plan_id"]),
            row["destination"],
            optional_date(row.get("requested_on")),
            optional_date(row.get("admission_statement_from")),
            optional_date(row.get("admission_statement_until")),
        )


@dataclass(frozen=True)
class Destination:
    code: str
    label_nl: str
    label_en: str

    def label(self, language: str) -> str:
        return self.label_en if language == "en" else self.label_nl


@dataclass(frozen=True)
class Destinations:
    exit: tuple[Destination, ...]
    referral: tuple[Destination, ...]


def _destinations(rows: list[dict[str, Any]]) -> tuple[Destination, ...]:
    return tuple(Destination(r["code"], r["nl"], r["en"]) for r in rows)


class PlansClient:
    """The development plans of the cases API as one signed-in user."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    def destinations(self, partnership_id: UUID) -> Destinations:
        """The exit and referral destinations with their labels, from the partnership's code
        lists (the same for every partnership today)."""
        body = self.api.get(f"/api/v1/partnerships/{partnership_id}/code-lists")
        return Destinations(
            _destinations(body["exit_destinations"]),
            _destinations(body["referral_destinations"]),
        )

    def create(self, case_id: UUID, body: dict[str, Any]) -> Plan:
        return Plan.of(self.api.post(f"/api/v1/cases/{case_id}/development-plans", body))

    def step(self, plan_id: UUID, path: str, body: dict[str, Any]) -> Plan:
        """POST one step of the plan (consultation, pupil-view, consent-request, consent)."""
        return Plan.of(self.api.post(f"/api/v1/development-plans/{plan_id}/{path}", body))

    def plan_meeting(self, plan_id: UUID, evaluation_id: UUID, body: dict[str, Any]) -> Plan:
        path = f"/api/v1/development-plans/{plan_id}/evaluations/{evaluation_id}/meeting"
        return Plan.of(self.api.request("PUT", path, json=body))

    def evaluate(self, plan_id: UUID, body: dict[str, Any]) -> None:
        self.api.post(f"/api/v1/development-plans/{plan_id}/evaluation", body)

    def record_admission_statement(self, referral_id: UUID, body: dict[str, Any]) -> None:
        self.api.post(f"/api/v1/referrals/{referral_id}/admission-statement", body)


def _parents_view(row: dict[str, Any] | None) -> ParentsView | None:
    if not row or not row.get("text"):
        return None
    at = row.get("recorded_at")
    return ParentsView(
        row["text"], row.get("guardian_id"), datetime.fromisoformat(at) if at else None
    )
