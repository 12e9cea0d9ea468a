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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.web.pages.admin_messages import periods, upstream
from services.web.pages.admin_messages.blueprint import blp
from services.web.pages.admin_messages.common import school_names
from services.web.pages.common import container, current_language, current_user, render
from shared.auth import PARTNERSHIP_ROLES, Role
from shared.clock import local_today
from shared.dates import MONTHS

SCHEDULES = "/api/v1/reports/schedules"
FORMATS = {"csv": "export.csv", "xlsx": "export.xlsx", "pdf": "report.pdf"}
SCHEDULE_EDITORS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.DIRECTOR})
KIND_TEXTS = {
    "month": _l("maand"),
    "quarter": _l("kwartaal"),
    "school_year": _l("schooljaar"),
}
SOURCE_TEXTS = {
    "school": _l("eigen schema"),
    "partnership": _l("standaard van het samenwerkingsverband"),
    "setting": _l("instelling van de dienst"),
}
SAVED = {
    "default": _l("De standaard van het samenwerkingsverband is opgeslagen."),
    "school": _l("Het rapportageschema van %(name)s is opgeslagen."),
    "reset": _l("%(name)s volgt weer de standaard."),
}


def kind_label(kind: str) -> str:
    """'kwartaal' / 'quarter'."""
    return str(KIND_TEXTS.get(kind, kind))


def source_label(source: str) -> str:
    """Where a school's effective schedule comes from, in words."""
    return str(SOURCE_TEXTS.get(source, source))


def kinds_label(kinds: list[str]) -> str:
    """'kwartaal, schooljaar', or 'geen' for none."""
    if not kinds:
        return _("geen")
    return ", ".join(kind_label(k) for k in kinds)


def period_label(period: periods.ReportPeriod) -> str:
    """'Maand: september 2026', 'Kwartaal: juli t/m september 2026', 'Schooljaar 2025-2026'."""
    language = current_language()
    month = MONTHS[language]
    if period.kind == "month":
        return _("Maand: %(month)s", month=f"{month[period.start.month - 1]} {period.end.year}")
    if period.kind == "quarter":
        first, last = month[period.start.month - 1], month[period.end.month - 1]
        return _(
            "Kwartaal: %(first)s t/m %(last)s %(year)s",
            first=first,
            last=last,
            year=period.end.year,
        )
    return _("Schooljaar %(label)s", label=f"{period.start.year}-{period.end.year}")


def _role() -> Role | None:
    p = current_user()
    return p.role if p is not None else None


@blp.get("/beheer/rapporten")
def report_schedules() -> Any:
    """The schedules (partnership default, each school's own and effective) and the downloads."""
    return _page()


def _page(refusal: upstream.Answer | None = None) -> Any:
    """The reports page; after a refused form or download, with the API's status and its
    message."""
    if refusal is not None:
        flash(refusal.message(), "error")
    overview = upstream.call("reports", "GET", SCHEDULES)
    today = local_today(container().clock)
    names = school_names()
    entries = overview.body["schools"] if overview.ok else []
    for entry in entries:
        entry["name"] = names.get(entry["school_id"]) or entry.get("school_name") or ""
    entries.sort(key=lambda e: (e["name"], e["school_id"]))
    role = _role()
    subjects = (
        [("partnership", _("Heel het samenwerkingsverband"))] if role in PARTNERSHIP_ROLES else []
    )
    subjects += [(e["school_id"], e["name"]) for e in entries]
    status = 200 if overview.ok else overview.status
    return render(
        "admin/messages/reports.html",
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
        active="report_schedules",
    )


def _kinds() -> list[str]:
    return [k for k in request.form.getlist("kinds") if k]


def _done(answer: upstream.Answer, success: str, **values: Any) -> Any:
    """Back to the page after a change; the page with the API's refusal (and status) if not."""
    if not answer.ok:
        return _page(answer)
    flash(str(SAVED[success]) % values if values else str(SAVED[success]), "success")
    return redirect(url_for("admin_messages.report_schedules"))


@blp.post("/beheer/rapporten/schema/samenwerkingsverband")
def set_default_schedule() -> Any:
    """Set the partnership's default schedule, as `PUT .../schedules/partnership`."""
    answer = upstream.call("reports", "PUT", f"{SCHEDULES}/partnership", json={"kinds": _kinds()})
    return _done(answer, "default")


@blp.post("/beheer/rapporten/schema/scholen/<uuid:school_id>")
def set_school_schedule(school_id: UUID) -> Any:
    """Set a school's own schedule, or drop it (`reset`) so the default applies again."""
    path = f"{SCHEDULES}/schools/{school_id}"
    name = school_names().get(str(school_id), "")
    if request.form.get("action") == "reset":
        return _done(upstream.call("reports", "DELETE", path), "reset", name=name)
    answer = upstream.call("reports", "PUT", path, json={"kinds": _kinds()})
    return _done(answer, "school", name=name)


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


@blp.get("/beheer/rapporten/download")
def report_download() -> Any:
    """A school's (or the partnership's) report over a period as CSV, Excel or PDF, fetched with
    the user's token and passed on with the reports service's Content-Type and file name."""
    file = FORMATS.get(request.args.get("format", ""))
    start, end = _period_args()
    path = _download_path(request.args.get("school_id", ""), file)
    if path is None or start is None or end is None:
        return _page(
            upstream.Answer(
                422,
                problems={
                    "_": [_("Kies een school, een bestandsvorm en een begin- en einddatum.")]
                },
            )
        )
    params = {"start": start.isoformat(), "end": end.isoformat(), "lang": current_language()}
    fetched = upstream.download(path, params)
    if isinstance(fetched, upstream.Answer):
        return _page(fetched)
    response = Response(fetched.chunks, 200, fetched.headers)  # streamed as it arrives
    response.headers["Cache-Control"] = "no-store"  # pupils' figures: never kept by a cache
    return response
