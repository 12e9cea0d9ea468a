"""The reports API as the web pages need it: a school's outcome report, its key figures typed.
A figure is a whole number, or "<5" / "x" where the report suppresses small numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from services.web.clients.base import ApiClient

Figure = int | float | str
SCHEDULES = "/api/v1/reports/schedules"


@dataclass(frozen=True)
class KeyFigures:
    """The figures a director looks at first, over the report's period."""

    interventions_started: Figure
    interventions_evaluated: Figure
    effective: Figure
    plans_new: Figure
    plans_active: Figure
    plan_evaluations_due: Figure
    plan_evaluations_overdue: Figure
    referrals: Figure

    @classmethod
    def of(cls, figures: dict[str, Any]) -> KeyFigures:
        interventions = figures.get("interventions", {})
        plans = figures.get("development_plans", {})
        evaluations = figures.get("plan_evaluations", {})
        return cls(
            interventions.get("started", 0),
            interventions.get("evaluated", 0),
            interventions.get("by_outcome", {}).get("effective", 0),
            plans.get("new", 0),
            plans.get("active", 0),
            evaluations.get("due", 0),
            evaluations.get("overdue", 0),
            figures.get("referrals", {}).get("requested", 0),
        )


@dataclass(frozen=True)
class SchoolReport:
    school_id: UUID
    start: date
    end: date
    as_of: date
    figures: KeyFigures


class ReportsClient:
    """The reports API as one signed-in user."""

    def __init__(self, api: ApiClient) -> None:
        self.api = api

    def school_report(self, school_id: UUID, start: date, end: date, lang: str) -> SchoolReport:
        """The school's outcome report over [start, end], as the reports service compiles it."""
        body = self.api.get(
            f"/api/v1/reports/schools/{school_id}",
            start=start.isoformat(),
            end=end.isoformat(),
            lang=lang,
        )
        return SchoolReport(
            UUID(body["school_id"]),
            date.fromisoformat(body["period"]["start"]),
            date.fromisoformat(body["period"]["end"]),
            date.fromisoformat(body["as_of"]),
            KeyFigures.of(body.get("figures") or {}),
        )

    # -- report schedules and downloads (the administrators' and school leaders' page) ----------

    def schedules(self) -> dict[str, Any]:
        """The partnership's default schedule and each school's own and effective one."""
        return self.api.get(SCHEDULES)

    def set_default_schedule(self, kinds: list[str]) -> Any:
        return self.api.request("PUT", f"{SCHEDULES}/partnership", json={"kinds": kinds})

    def set_school_schedule(self, school_id: UUID, kinds: list[str]) -> Any:
        return self.api.request("PUT", f"{SCHEDULES}/schools/{school_id}", json={"kinds": kinds})

    def reset_school_schedule(self, school_id: UUID) -> Any:
        return self.api.request("DELETE", f"{SCHEDULES}/schools/{school_id}")

    def download(self, path: str) -> tuple[bytes, str, str]:
        """A report file (CSV, Excel, PDF): its bytes, media type and Content-Disposition."""
        return self.api.download(path)
