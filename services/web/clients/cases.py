"""The cases API as the web pages need it: typed rows, parsed dates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

import requests

from services.web.clients.base import ApiClient, ApiError, SessionEnded, optional_date
from services.web.clients.plans import Plan, Referral
from shared.login_limiter import LOGIN_CLIENT_HEADER


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

    @classmethod
    def of(cls, body: dict[str, Any], row: Callable[[dict[str, Any]], Any]) -> Page:
        """A paged API answer with each item read by `row`."""
        return cls([row(r) for r in body["items"]], body["page"], body["page_size"], body["total"])


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
    school_id: UUID | None = None

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
            optional_date(row.get("next_due_on")),
            row.get("next_due_kind"),
            tuple(row.get("flags", ())),
            UUID(row["school_id"]) if row.get("school_id") else None,
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
            optional_date(row.get("date_of_birth")),
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
            optional_date(row.get("starts_on")),
            optional_date(row.get("evaluate_by")),
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
            optional_date(row.get("opened_on")),
            optional_date(row.get("closed_on")),
            optional_date(row.get("plan_due_by")),
            tuple(Intervention.of(i) for i in row.get("interventions", ())),
            tuple(Plan.of(p) for p in row.get("plans", ())),
            tuple(Referral.of(r) for r in row.get("referrals", ())),
        )


@dataclass(frozen=True)
class TimelineEntry:
    type: str
    occurred_at: str
    data: dict[str, Any]
    # Who caused it: {"kind": "staff"|"guardian"|"system", "name": ...}; None when unknown.
    actor: dict[str, Any] | None = None


@dataclass(frozen=True)
class Domain:
    code: str
    level: str
    label_nl: str
    label_en: str
    in_support_profile: bool | None = None  # None: no school asked about

    def label(self, language: str) -> str:
        return self.label_en if language == "en" else self.label_nl


@dataclass(frozen=True)
class DueItem:
    """An intervention's or a plan's evaluation that is due, and whether it is overdue."""

    kind: str
    id: UUID
    case_id: UUID
    pupil_id: UUID
    school_id: UUID
    due_on: date
    overdue: bool

    @classmethod
    def of(cls, row: dict[str, Any]) -> DueItem:
        return cls(
            row["kind"],
            UUID(row["id"]),
            UUID(row["case_id"]),
            UUID(row["pupil_id"]),
            UUID(row["school_id"]),
            date.fromisoformat(row["due_on"]),
            bool(row["overdue"]),
        )


@dataclass(frozen=True)
class School:
    id: UUID
    name: str
    brin: str | None


@dataclass(frozen=True)
class SupportProfile:
    version: int
    valid_from: date
    review_by: date


@dataclass(frozen=True)
class LegalPlan:
    """One open plan and, per rule (consent, evaluation, pupil_heard, deadline, rod), whether it
    is met, missed, pending or not applicable: the cases service decides."""

    case_id: UUID
    pupil_id: UUID
    given_name: str
    family_name: str
    group: str
    plan_status: str
    activated_on: date | None
    complete: bool
    rules: dict[str, str]

    @classmethod
    def of(cls, row: dict[str, Any]) -> LegalPlan:
        return cls(
            UUID(row["case_id"]),
            UUID(row["pupil_id"]),
            row["given_name"],
            row["family_name"],
            row["group"],
            row["plan_status"],
            optional_date(row.get("activated_on")),
            bool(row["complete"]),
            dict(row["rules"]),
        )


@dataclass(frozen=True)
class LegalStatus:
    school_id: UUID
    school_name: str
    as_of: date
    missing: int
    items: list[LegalPlan]


class CasesClient:
    """The cases API as one signed-in user."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    def caseload(self, **filters: Any) -> Page:
        body = self.api.get("/api/v1/caseload", **filters)
        return Page.of(body, CaseloadRow.of)

    def pupil(self, pupil_id: UUID) -> Pupil:
        return Pupil.of(self.api.get(f"/api/v1/pupils/{pupil_id}"))

    def cases_of(self, pupil_id: UUID) -> list[Case]:
        body = self.api.get("/api/v1/cases", pupil_id=str(pupil_id), page_size=100)
        return [Case.of(r) for r in body["items"]]

    def case(self, case_id: UUID) -> Case:
        return Case.of(self.api.get(f"/api/v1/cases/{case_id}"))

    def timeline(self, case_id: UUID) -> list[TimelineEntry]:
        rows = self.api.get(f"/api/v1/cases/{case_id}/timeline")
        return [
            TimelineEntry(r["type"], r["occurred_at"], r.get("data") or {}, r.get("actor"))
            for r in rows
        ]

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

    def due(self, before: date, school_id: UUID | None = None, page_size: int = 100) -> Page:
        """Evaluations due before a day (overdue ones first), in the caller's scope."""
        body = self.api.get(
            "/api/v1/evaluations/due",
            before=before.isoformat(),
            school_id=str(school_id) if school_id else None,
            page_size=page_size,
        )
        return Page.of(body, DueItem.of)

    def count(self, **filters: Any) -> int:
        """How many pupils in support match the filters (the caseload's total)."""
        return int(self.api.get("/api/v1/caseload", page_size=1, **filters)["total"])

    def schools(self) -> list[School]:
        """The schools the caller may see, by name."""
        rows = self.api.get("/api/v1/schools")
        return [School(UUID(r["id"]), r["name"], r.get("brin")) for r in rows]

    def support_profile(self, school_id: UUID) -> SupportProfile | None:
        """The newest version of the school's support profile (SOP), if any."""
        rows = self.api.get(f"/api/v1/schools/{school_id}/support-profiles")
        if not rows:
            return None
        row = rows[0]
        return SupportProfile(
            int(row["version"]),
            date.fromisoformat(row["valid_from"]),
            date.fromisoformat(row["review_by"]),
        )

    def legal_status(self, school_id: UUID) -> LegalStatus:
        """Every open plan of the school with the legal rules it meets or misses."""
        body = self.api.get(f"/api/v1/schools/{school_id}/legal-status")
        return LegalStatus(
            UUID(body["school_id"]),
            body["school_name"],
            date.fromisoformat(body["as_of"]),
            int(body["missing"]),
            [LegalPlan.of(r) for r in body["items"]],
        )

    def legal_status_xlsx(self, school_id: UUID) -> tuple[bytes, str, str]:
        """The same as the cases service's workbook: bytes, media type, disposition."""
        return self.api.download(f"/api/v1/schools/{school_id}/legal-status.xlsx")

    def pupils(self) -> list[Pupil]:
        """The pupils the user may see (a guardian: their own children)."""
        body = self.api.get("/api/v1/pupils", page_size=100)
        return [Pupil.of(r) for r in body["items"]]

    def case_with_plans(self, case_id: UUID) -> dict[str, Any]:
        """A case as the API writes it, with its development plans (the parents' pages)."""
        return dict(self.api.get(f"/api/v1/cases/{case_id}"))

    def plan(self, plan_id: UUID) -> dict[str, Any]:
        return dict(self.api.get(f"/api/v1/development-plans/{plan_id}"))

    def answer_online(self, plan_id: UUID, body: dict[str, Any]) -> dict[str, Any]:
        """A guardian's answer on the version they read (409 when it changed meanwhile)."""
        return dict(self.api.post(f"/api/v1/development-plans/{plan_id}/online-consent", body))

    def open_case(self, body: dict[str, Any]) -> Case:
        return Case.of(self.api.post("/api/v1/cases", body))


def _with_token(body: Any) -> dict[str, Any]:
    """A token endpoint's answer; ApiError 503 when it carries no bearer token."""
    if not isinstance(body, dict) or "access_token" not in body:
        raise ApiError(503, "unavailable")
    return body


def log_in(
    http: requests.Session,
    base_url: str,
    email: str,
    password: str,
    service: str,
    browser: str,
    code: str | None = None,
) -> dict[str, Any]:
    """Exchange e-mail, password and (when the account has one) the second factor's code for
    the user's token (the cases token endpoint). The service token makes the cases service count
    failed log-ins per `browser` address, not per web app. A 401 is an ApiError with the API's
    code: `second_factor_required`, `second_factor_invalid`,
    `second_factor_enrolment_required`, or a wrong e-mail address or password."""
    client = ApiClient(http, base_url, service)
    body: dict[str, Any] = {"email": email, "password": password}
    if code:
        body["code"] = code
    try:
        answer = client.request(
            "POST", "/api/v1/auth/token", json=body, headers={LOGIN_CLIENT_HEADER: browser}
        )
    except SessionEnded as err:  # here a 401 is a wrong e-mail address, password or code
        raise ApiError(401, err.code or "unauthorized") from err
    return _with_token(answer)


def enrol_second_factor(
    http: requests.Session, base_url: str, email: str, password: str, service: str, browser: str
) -> dict[str, str]:
    """A new TOTP secret for the account ({"secret", "otpauth_uri"}), pending until a log-in
    with a code from the app confirms it (the cases enrolment endpoint, under the log-in
    limits)."""
    client = ApiClient(http, base_url, service)
    try:
        answer = client.request(
            "POST",
            "/api/v1/auth/second-factor/enrolment",
            json={"email": email, "password": password},
            headers={LOGIN_CLIENT_HEADER: browser},
        )
    except SessionEnded as err:
        raise ApiError(401, err.code or "unauthorized") from err
    if not isinstance(answer, dict) or "secret" not in answer:
        raise ApiError(503, "unavailable")
    return {"secret": str(answer["secret"]), "otpauth_uri": str(answer.get("otpauth_uri", ""))}


def ask_guardian_link(http: requests.Session, base_url: str, email: str, service: str) -> None:
    """Ask the cases service to e-mail a guardian's sign-in link (the same answer for any
    address; the web front end's service token)."""
    ApiClient(http, base_url, service).post("/api/v1/auth/guardian-link", {"email": email})


def guardian_session(
    http: requests.Session, base_url: str, token: str, service: str
) -> dict[str, Any]:
    """Spend a sign-in link's token, once, for the guardian's bearer token; ApiError 401 when
    the link is used, expired or not ours."""
    client = ApiClient(http, base_url, service)
    try:
        body = client.post("/api/v1/auth/guardian-session", {"token": token})
    except SessionEnded as err:  # here a 401 is a spent or forged link
        raise ApiError(401, "link_spent") from err
    return _with_token(body)
