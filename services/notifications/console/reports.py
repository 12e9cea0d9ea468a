"""Report schedules and report downloads in the browser, through the reports API with the user's
own token: `GET /api/v1/reports/schedules` shows what the user may see (the administrator every
school, a school's leadership their own), `PUT|DELETE .../schedules/...` change what the API lets
them change, and the downloads are fetched server-side and passed on as they come (a browser
cannot send the bearer token with a plain link)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from flask import Response, flash, redirect, request, url_for

from services.notifications.console import periods, upstream
from services.notifications.console.cases import schools
from services.notifications.console.web import (
    blp,
    container,
    current_principal,
    lang,
    render,
    t,
)
from shared.auth import PARTNERSHIP_ROLES, Role
from shared.clock import local_today
from shared.dates import MONTHS

SCHEDULES = "/api/v1/reports/schedules"
FORMATS = {"csv": "export.csv", "xlsx": "export.xlsx", "pdf": "report.pdf"}
SCHEDULE_EDITORS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.DIRECTOR})
KIND_TEXTS = {
    "month": "reports.kind_month",
    "quarter": "reports.kind_quarter",
    "school_year": "reports.kind_school_year",
}
SOURCE_TEXTS = {
    "school": "reports.source_school",
    "partnership": "reports.source_partnership",
    "setting": "reports.source_setting",
}


def kind_label(kind: str) -> str:
    """'kwartaal' / 'quarter'."""
    return t(KIND_TEXTS.get(kind, kind))


def source_label(source: str) -> str:
    """Where a school's effective schedule comes from, in words."""
    return t(SOURCE_TEXTS.get(source, source))


def kinds_label(kinds: list[str]) -> str:
    """'kwartaal, schooljaar', or 'geen' for none."""
    if not kinds:
        return t("reports.kind_none")
    return ", ".join(kind_label(k) for k in kinds)


def period_label(period: periods.ReportPeriod) -> str:
    """'Maand: september 2026', 'Kwartaal: juli t/m september 2026', 'Schooljaar 2025-2026'."""
    language = lang()
    month = MONTHS[language]
    if period.kind == "month":
        return t("reports.period_month", month=f"{month[period.start.month - 1]} {period.end.year}")
    if period.kind == "quarter":
        first, last = month[period.start.month - 1], month[period.end.month - 1]
        return t("reports.period_quarter", first=first, last=last, year=period.end.year)
    return t("reports.period_school_year", label=f"{period.start.year}-{period.end.year}")


def _role() -> Role | None:
    p = current_principal()
    return p.role if p is not None else None


@blp.get("/reports")
def reports() -> Any:
    """The schedules (partnership default, each school's own and effective) and the downloads."""
    return _page()


def _page(refusal: upstream.Answer | None = None) -> Any:
    """The reports page; after a refused form or download, with the API's status and its
    message."""
    if refusal is not None:
        flash(refusal.message(), "error")
    overview = upstream.call("reports", "GET", SCHEDULES)
    today = local_today(container().clock)
    names = schools()
    entries = overview.body["schools"] if overview.ok else []
    for entry in entries:
        entry["name"] = names.get(entry["school_id"]) or entry.get("school_name") or ""
    entries.sort(key=lambda e: (e["name"], e["school_id"]))
    role = _role()
    subjects = [("partnership", t("reports.partnership"))] if role in PARTNERSHIP_ROLES else []
    subjects += [(e["school_id"], e["name"]) for e in entries]
    status = 200 if overview.ok else overview.status
    return render(
        "reports.html",
        refusal.status if refusal is not None else status,
        overview=overview.body if overview.ok else None,
        refused=None if overview.ok else overview.message(),
        entries=entries,
        periods=periods.report_periods(today),
        today=today,
        may_set_default=role is Role.ADMIN,
        may_set_school=role in SCHEDULE_EDITORS,
        subjects=subjects if overview.ok else [],
        kinds=list(KIND_TEXTS),
        kind_label=kind_label,
        kinds_label=kinds_label,
        source_label=source_label,
        period_label=period_label,
        formats=FORMATS,
        section="reports",
    )


def _kinds() -> list[str]:
    return [k for k in request.form.getlist("kinds") if k]


def _done(answer: upstream.Answer, success: str, **values: Any) -> Any:
    """Back to the page after a change; the page with the API's refusal (and status) if not."""
    if not answer.ok:
        return _page(answer)
    flash(t(success, **values), "success")
    return redirect(url_for("console.reports"))


@blp.post("/reports/schedules/partnership")
def set_default_schedule() -> Any:
    """Set the partnership's default schedule, as `PUT .../schedules/partnership`."""
    answer = upstream.call("reports", "PUT", f"{SCHEDULES}/partnership", json={"kinds": _kinds()})
    return _done(answer, "reports.default_saved")


@blp.post("/reports/schedules/schools/<uuid:school_id>")
def set_school_schedule(school_id: UUID) -> Any:
    """Set a school's own schedule, or drop it (`reset`) so the default applies again."""
    path = f"{SCHEDULES}/schools/{school_id}"
    name = schools().get(str(school_id), "")
    if request.form.get("action") == "reset":
        return _done(upstream.call("reports", "DELETE", path), "reports.school_reset", name=name)
    answer = upstream.call("reports", "PUT", path, json={"kinds": _kinds()})
    return _done(answer, "reports.school_saved", name=name)


def _period_args() -> tuple[date | None, date | None]:
    return periods.parse_day(request.args.get("start")), periods.parse_day(request.args.get("end"))


def _download_path(scope: str, file: str | None) -> str | None:
    """The reports API's path of a school's (or, for 'partnership', the partnership's) file."""
    if file is None:
        return None
    if scope == "partnership":
        return f"/api/v1/reports/partnership/{file}"
    try:
        return f"/api/v1/reports/schools/{UUID(scope)}/{file}"
    except ValueError:
        return None


@blp.get("/reports/download")
def report_download() -> Any:
    """A school's (or the partnership's) report over a period as CSV, Excel or PDF, fetched with
    the user's token and passed on with the reports service's Content-Type and file name."""
    file = FORMATS.get(request.args.get("format", ""))
    start, end = _period_args()
    path = _download_path(request.args.get("school_id", ""), file)
    if path is None or start is None or end is None:
        return _page(upstream.Answer(422, problems={"_": [t("reports.bad_request")]}))
    params = {"start": start.isoformat(), "end": end.isoformat(), "lang": lang()}
    fetched = upstream.download(path, params)
    if isinstance(fetched, upstream.Answer):
        return _page(fetched)
    response = Response(fetched.chunks, 200, fetched.headers)  # streamed as it arrives
    response.headers["Cache-Control"] = "no-store"  # pupils' figures: never kept by a cache
    return response
