"""Settings of the reports service."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.reports.domain.schedule import PeriodKind
from shared.config import ConfigError, Settings

PERIOD_KINDS = tuple(k.value for k in PeriodKind)


@dataclass(frozen=True, kw_only=True)
class ReportsSettings(Settings):
    """Where the cases service's event log answers (for a rebuild) and the consumer's identity."""

    cases_url: str = ""  # only `rebuild` needs it; it says so when it is missing
    consumer_group: str = "reports"
    consumer_name: str = "reports-1"
    rebuild_page_size: int = 500
    # A projected event costs tens of µs; the batch's commit (an fsync) and its round trips to
    # Redis are shared by fewer events in smaller batches (nothing of a batch asks cases).
    consumer_batch: int = 500
    # Which periodic reports a school gets (and `report.ready` announces) when neither the school
    # nor its partnership chose a schedule (GET/PUT /api/v1/reports/schedules).
    periodic_kinds: tuple[str, ...] = ("quarter", "school_year")

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ReportsSettings:
        """Read REPORTS_* variables plus the common ones."""
        return cls(
            **cls.common_from_env(env, "REPORTS"),  # type: ignore[arg-type]
            cases_url=env.get("CASES_URL", "").rstrip("/"),
            consumer_group=env.get("REPORTS_CONSUMER_GROUP", "reports"),
            consumer_name=env.get("REPORTS_CONSUMER_NAME", "reports-1"),
            rebuild_page_size=int(env.get("REPORTS_REBUILD_PAGE_SIZE", "500")),
            periodic_kinds=_kinds(env.get("REPORTS_PERIODS", "quarter,school_year")),
        )


def _kinds(value: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in value.split(",") if k.strip())
    unknown = [k for k in kinds if k not in PERIOD_KINDS]
    if unknown:
        raise ConfigError(f"REPORTS_PERIODS: unknown {unknown}; choose from {PERIOD_KINDS}")
    return kinds


@dataclass(frozen=True, kw_only=True)
class ReportsWorkerSettings:
    """What the reports worker and beat need before any task runs: the broker (no database or
    secrets, so importing `services.reports.worker` needs neither)."""

    redis_url: str = "redis://127.0.0.1:6379/0"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ReportsWorkerSettings:
        """Read REDIS_URL."""
        return cls(redis_url=env.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
