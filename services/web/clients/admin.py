"""The cases API's administrator part as the web pages need it: schools, accounts, partnership
settings, support profiles (SOPs) and the staff/pupil import. Every call is made with the signed-in
administrator's own token; the API decides what they may do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from services.web.clients.base import ApiClient


@dataclass(frozen=True)
class AdminSchool:
    id: UUID
    name: str
    region: str
    brin: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> AdminSchool:
        return cls(UUID(row["id"]), row["name"], row.get("region", ""), row.get("brin"))


@dataclass(frozen=True)
class Account:
    id: UUID
    role: str
    email: str
    name: str
    school_id: UUID | None
    language: str
    active: bool
    second_factor: bool

    @classmethod
    def of(cls, row: dict[str, Any]) -> Account:
        school = row.get("school_id")
        return cls(
            UUID(row["id"]),
            row["role"],
            row["email"],
            row["name"],
            UUID(school) if school else None,
            row.get("language", "nl"),
            bool(row.get("active", True)),
            bool(row.get("second_factor", False)),
        )


@dataclass(frozen=True)
class LabelledCode:
    code: str
    nl: str
    en: str

    def label(self, language: str) -> str:
        return self.en if language == "en" else self.nl


@dataclass(frozen=True)
class Settings:
    """The partnership's name and settings as the API shows them (a dict of setting -> value)."""

    id: UUID
    name: str
    values: dict[str, Any]
    basic_domains: tuple[LabelledCode, ...]
    extra_domains: tuple[LabelledCode, ...]


@dataclass(frozen=True)
class ProfileVersion:
    id: UUID
    version: int
    basic_domains: tuple[str, ...]
    extra_domains: tuple[str, ...]
    valid_from: date
    review_by: date
    published_on: date | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> ProfileVersion:
        published = row.get("published_on")
        return cls(
            UUID(row["id"]),
            int(row["version"]),
            tuple(row.get("basic_domains", ())),
            tuple(row.get("extra_domains", ())),
            date.fromisoformat(row["valid_from"]),
            date.fromisoformat(row["review_by"]),
            date.fromisoformat(published) if published else None,
        )


@dataclass(frozen=True)
class ImportRow:
    row: int
    key: str | None
    status: str
    errors: dict[str, list[str]]
    changes: tuple[str, ...]


@dataclass(frozen=True)
class ImportReport:
    dry_run: bool
    summary: dict[str, int]
    rows: tuple[ImportRow, ...]

    @classmethod
    def of(cls, body: dict[str, Any], key: str) -> ImportReport:
        rows = tuple(
            ImportRow(
                int(r["row"]),
                r.get(key),
                r["status"],
                {str(k): list(v) for k, v in (r.get("errors") or {}).items()},
                tuple(r.get("changes") or ()),
            )
            for r in body.get("rows", ())
        )
        return cls(bool(body.get("dry_run")), dict(body.get("summary", {})), rows)


IMPORT_KINDS = {"staff": "email", "pupils": "pupil_number"}


class AdminClient:
    """The cases API's administrator endpoints as one signed-in administrator."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    # -- schools ----------------------------------------------------------------------------

    def schools(self) -> list[AdminSchool]:
        return [AdminSchool.of(r) for r in self.api.get("/api/v1/schools")]

    def create_school(self, body: dict[str, Any]) -> AdminSchool:
        return AdminSchool.of(self.api.post("/api/v1/schools", body))

    def update_school(self, school_id: UUID, body: dict[str, Any]) -> AdminSchool:
        return AdminSchool.of(self.api.request("PATCH", f"/api/v1/schools/{school_id}", json=body))

    # -- accounts ---------------------------------------------------------------------------

    def accounts(self) -> list[Account]:
        return [Account.of(r) for r in self.api.get("/api/v1/users")]

    def create_account(self, body: dict[str, Any]) -> Account:
        return Account.of(self.api.post("/api/v1/users", body))

    def update_account(self, user_id: UUID, body: dict[str, Any]) -> Account:
        return Account.of(self.api.request("PATCH", f"/api/v1/users/{user_id}", json=body))

    def set_active(self, user_id: UUID, active: bool) -> Account:
        action = "enable" if active else "disable"
        return Account.of(self.api.post(f"/api/v1/users/{user_id}/{action}", None))

    # -- partnership settings ---------------------------------------------------------------

    def settings(self, partnership_id: UUID) -> Settings:
        body = self.api.get(f"/api/v1/partnerships/{partnership_id}")
        lists = self.api.get(f"/api/v1/partnerships/{partnership_id}/code-lists")

        def codes(name: str) -> tuple[LabelledCode, ...]:
            return tuple(LabelledCode(r["code"], r["nl"], r["en"]) for r in lists.get(name, ()))

        return Settings(
            UUID(body["id"]),
            body["name"],
            dict(body.get("settings") or {}),
            codes("basic_domains"),
            codes("extra_domains"),
        )

    def update_settings(self, partnership_id: UUID, changes: dict[str, Any]) -> None:
        self.api.request("PATCH", f"/api/v1/partnerships/{partnership_id}/settings", json=changes)

    # -- support profiles (SOP) -------------------------------------------------------------

    def profiles(self, school_id: UUID) -> list[ProfileVersion]:
        rows = self.api.get(f"/api/v1/schools/{school_id}/support-profiles")
        return [ProfileVersion.of(r) for r in rows]

    def publish_profile(self, school_id: UUID, body: dict[str, Any]) -> ProfileVersion:
        path = f"/api/v1/schools/{school_id}/support-profiles"
        return ProfileVersion.of(self.api.post(path, body))

    # -- imports ----------------------------------------------------------------------------

    def run_import(
        self, school_id: UUID, kind: str, filename: str, content: bytes, *, dry_run: bool
    ) -> ImportReport:
        """Import `kind` ("staff" or "pupils"); with dry_run only the report, nothing changes."""
        path = f"/api/v1/schools/{school_id}/imports/{kind}"
        body = self.api.upload(path, filename, content, dry_run=str(dry_run).lower())
        return ImportReport.of(body, IMPORT_KINDS[kind])
