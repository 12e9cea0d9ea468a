"""The cases API as the web pages need it: typed rows, parsed dates."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import requests

from services.web.clients.base import ApiClient, ApiError, SessionEnded
from services.web.clients.plans import Plan, Referral
from shared.login_limiter import LOGIN_CLIENT_HEADER


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Page:
    """One page of a list and the total over all pages."""

    items: list[Any]
    page: int
    page_size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class CaseloadRow:
    case_id: UUID
    pupil_id: UUID
    given_name: str
    family_name: str
    group: str
    level: str
    status: str
    next_due_on: date | None
    next_due_kind: str | None
    flags: tuple[str, ...]

    @classmethod
    def of(cls, row: dict[str, Any]) -> CaseloadRow:
        return cls(
            UUID(row["case_id"]),
            UUID(row["pupil_id"]),
            row["given_name"],
            row["family_name"],
            row["group"],
            row["level"],
            row["status"],
            _date(row.get("next_due_on")),
            row.get("next_due_kind"),
            tuple(row.get("flags", ())),
        )


@dataclass(frozen=True)
class Guardian:
    name: str
    email: str | None
    phone: str | None
    id: UUID | None = None


@dataclass(frozen=True)
class Pupil:
    id: UUID
    school_id: UUID
    given_name: str
    family_name: str
    group: str
    date_of_birth: date | None
    guardians: tuple[Guardian, ...]

    @classmethod
    def of(cls, row: dict[str, Any]) -> Pupil:
        guardians = tuple(
            Guardian(
                g["name"], g.get("email"), g.get("phone"), UUID(g["id"]) if g.get("id") else None
            )
            for g in row.get("guardians", ())
        )
        return cls(
            UUID(row["id"]),
            UUID(row["school_id"]),
            row["given_name"],
            row["family_name"],
            row["group"],
            _date(row.get("date_of_birth")),
            guardians,
        )


@dataclass(frozen=True)
class Intervention:
    id: UUID
    level: str
    domain: str
    goal: str
    starts_on: date | None
    evaluate_by: date | None
    status: str
    outcome: str | None
    outside_support_profile: bool

    @classmethod
    def of(cls, row: dict[str, Any]) -> Intervention:
        return cls(
            UUID(row["id"]),
            row["level"],
            row["domain"],
            row["goal"],
            _date(row.get("starts_on")),
            _date(row.get("evaluate_by")),
            row["status"],
            row.get("outcome"),
            bool(row.get("outside_support_profile")),
        )


@dataclass(frozen=True)
class Case:
    id: UUID
    pupil_id: UUID
    school_id: UUID
    level: str
    status: str
    opened_on: date | None
    closed_on: date | None
    plan_due_by: date | None
    interventions: tuple[Intervention, ...] = field(default=())
    plans: tuple[Plan, ...] = field(default=())
    referrals: tuple[Referral, ...] = field(default=())

    @classmethod
    def of(cls, row: dict[str, Any]) -> Case:
        return cls(
            UUID(row["id"]),
            UUID(row["pupil_id"]),
            UUID(row["school_id"]),
            row["level"],
            row["status"],
            _date(row.get("opened_on")),
            _date(row.get("closed_on")),
            _date(row.get("plan_due_by")),
            tuple(Intervention.of(i) for i in row.get("interventions", ())),
            tuple(Plan.of(p) for p in row.get("plans", ())),
            tuple(Referral.of(r) for r in row.get("referrals", ())),
        )


@dataclass(frozen=True)
class TimelineEntry:
    type: str
    occurred_at: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Domain:
    code: str
    level: str
    label_nl: str
    label_en: str
    in_support_profile: bool | None = None  # None: no school asked about

    def label(self, language: str) -> str:
        return self.label_en if language == "en" else self.label_nl


class CasesClient:
    """The cases API as one signed-in user."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    def caseload(self, **filters: Any) -> Page:
        body = self.api.get("/api/v1/caseload", **filters)
        items = [CaseloadRow.of(r) for r in body["items"]]
        return Page(items, body["page"], body["page_size"], body["total"])

    def pupil(self, pupil_id: UUID) -> Pupil:
        return Pupil.of(self.api.get(f"/api/v1/pupils/{pupil_id}"))

    def cases_of(self, pupil_id: UUID) -> list[Case]:
        body = self.api.get("/api/v1/cases", pupil_id=str(pupil_id), page_size=100)
        return [Case.of(r) for r in body["items"]]

    def case(self, case_id: UUID) -> Case:
        return Case.of(self.api.get(f"/api/v1/cases/{case_id}"))

    def timeline(self, case_id: UUID) -> list[TimelineEntry]:
        rows = self.api.get(f"/api/v1/cases/{case_id}/timeline")
        return [TimelineEntry(r["type"], r["occurred_at"], r.get("data") or {}) for r in rows]

    def domains(
        self, partnership_id: UUID, school_id: UUID | None = None, on: str | None = None
    ) -> list[Domain]:
        """The partnership's domains; with a school, whether its SOP offers each `on` a day."""
        path = f"/api/v1/partnerships/{partnership_id}/domains"
        rows = self.api.get(path, school_id=str(school_id) if school_id else None, on=on)
        return [
            Domain(r["code"], r["level"], r["label_nl"], r["label_en"], r.get("in_support_profile"))
            for r in rows
        ]

    def partnership_settings(self, partnership_id: UUID) -> dict[str, Any]:
        return self.api.get(f"/api/v1/partnerships/{partnership_id}")["settings"]

    def start_intervention(self, case_id: UUID, body: dict[str, Any]) -> Intervention:
        return Intervention.of(self.api.post(f"/api/v1/cases/{case_id}/interventions", body))

    def evaluate_intervention(self, intervention_id: UUID, body: dict[str, Any]) -> Intervention:
        path = f"/api/v1/interventions/{intervention_id}/evaluation"
        return Intervention.of(self.api.post(path, body))

    def open_case(self, body: dict[str, Any]) -> Case:
        return Case.of(self.api.post("/api/v1/cases", body))


def log_in(
    http: requests.Session, base_url: str, email: str, password: str, service: str, browser: str
) -> dict[str, Any]:
    """Exchange e-mail and password for the user's token (the cases token endpoint). The service
    token makes the cases service count failed log-ins per `browser` address, not per web app."""
    client = ApiClient(http, base_url, service)
    try:
        body = client.request(
            "POST",
            "/api/v1/auth/token",
            json={"email": email, "password": password},
            headers={LOGIN_CLIENT_HEADER: browser},
        )
    except SessionEnded as err:  # here a 401 is a wrong e-mail address or password
        raise ApiError(401, "unauthorized") from err
    if not isinstance(body, dict) or "access_token" not in body:
        raise ApiError(503, "unavailable")
    return body
