"""Compiling outcome reports: a school's own report (exact) beside the partnership's average per
school, and the partnership's report per school plus totals. What leaves the school — the average
and the partnership's report — has its small numbers suppressed (domain/report.py), and enough
other counts hidden that none can be worked out by subtraction (domain/suppression.py)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from services.reports.domain import labels, suppression
from services.reports.domain.report import Figures, Period, View, render, total
from services.reports.domain.table import Table, table
from shared import metrics


class FactReader(Protocol):
    """Aggregations over the read model (done by the database)."""

    def schools_of(self, partnership_id: UUID) -> list[UUID]: ...

    def partnership_of(self, school_id: UUID) -> UUID | None: ...

    def school_names(self, school_ids: list[UUID]) -> dict[UUID, str]: ...

    def partnership_name(self, partnership_id: UUID) -> str | None: ...

    def figures(
        self, partnership_id: UUID, school_ids: list[UUID], period: Period, as_of: date
    ) -> dict[UUID, Figures]: ...

    def own_and_rest(
        self,
        partnership_id: UUID,
        school_id: UUID,
        school_ids: list[UUID],
        period: Period,
        as_of: date,
    ) -> tuple[Figures, Figures]:
        """One school's figures and the other schools' together (what a school report needs)."""
        ...


ReaderFactory = Callable[[], AbstractContextManager[FactReader]]


def _head(
    kind: str, reader: FactReader, partnership_id: UUID, period: Period, as_of: date, lang: str
) -> dict[str, Any]:
    return {
        "kind": kind,
        "partnership_id": partnership_id,
        # None until `partnership.registered` told it
        "partnership_name": reader.partnership_name(partnership_id),
        "period": {"start": period.start, "end": period.end},
        "as_of": as_of,
        "language": lang,
    }


@metrics.timed(metrics.REPORT_COMPILE, "school")
def school_report(
    readers: ReaderFactory,
    partnership_id: UUID,
    school_id: UUID,
    period: Period,
    as_of: date,
    *,
    exact: bool,
    lang: str = "nl",
) -> dict[str, Any]:
    """A school's report beside the partnership's average per school (always suppressed);
    `exact=False` suppresses the school's own figures too, for a copy that leaves the school."""
    with readers() as reader:
        schools = reader.schools_of(partnership_id)
        own, rest = reader.own_and_rest(partnership_id, school_id, schools, period, as_of)
        names = reader.school_names([school_id])
        head = _head("school", reader, partnership_id, period, as_of, lang)
    per = max(len(schools), 1)
    everyone = own + rest
    own_mask, average_mask = suppression.school_masks(own, everyone, exact=exact)
    return {
        **head,
        "school_id": school_id,
        "school_name": names.get(school_id),  # None until `school.registered` told it
        "suppressed": not exact,
        "figures": render(own, View(suppress=not exact), own_mask),
        "partnership_average": {
            "schools": len(schools),
            "figures": render(everyone, View(suppress=True, per=per), average_mask),
        },
        "labels": labels.labels(lang),
    }


@metrics.timed(metrics.REPORT_COMPILE, "partnership")
def partnership_report(
    readers: ReaderFactory, partnership_id: UUID, period: Period, as_of: date, lang: str = "nl"
) -> dict[str, Any]:
    """Every school of the partnership and the totals, small numbers suppressed."""
    with readers() as reader:
        schools = reader.schools_of(partnership_id)
        by_school = reader.figures(partnership_id, schools, period, as_of)
        names = reader.school_names(schools)
        head = _head("partnership", reader, partnership_id, period, as_of, lang)
    view = View(suppress=True)
    everyone = total(list(by_school.values()))
    masks, total_mask = suppression.partnership_masks([by_school[s] for s in schools], everyone)
    return {
        **head,
        "suppressed": True,
        "schools": [
            {
                "school_id": school_id,
                "school_name": names.get(school_id),
                "figures": render(by_school[school_id], view, mask),
            }
            for school_id, mask in zip(schools, masks, strict=True)
        ],
        "total": {"schools": len(schools), "figures": render(everyone, view, total_mask)},
        "labels": labels.labels(lang),
    }


def school_table(report: dict[str, Any]) -> Table:
    """The school's row (by its name) and the partnership's average row."""
    lang = report["language"]
    rows = [
        (labels.school(report), report["figures"]),
        (labels.column("average", lang), report["partnership_average"]["figures"]),
    ]
    return _table(report, rows)


def partnership_table(report: dict[str, Any]) -> Table:
    """One row per school (by its name) and the totals."""
    rows = [(labels.school(s), s["figures"]) for s in report["schools"]]
    rows.append((labels.column("total", report["language"]), report["total"]["figures"]))
    return _table(report, rows)


def _table(report: dict[str, Any], rows: list[tuple[str, dict[str, Any]]]) -> Table:
    period = report["period"]
    return table(rows, period["start"].isoformat(), period["end"].isoformat(), report["language"])
