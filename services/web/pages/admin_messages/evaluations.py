"""Upcoming evaluations per school, by week, and the user's calendar subscription (iCalendar
feed). Both come from the cases service, asked with the user's own token: its
`GET /api/v1/schools/<id>/evaluations/upcoming` decides which pupils the user sees (a teacher:
only their own), its `POST|DELETE /api/v1/me/calendar-feed` makes, rotates and revokes the feed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.web.pages.admin_messages import periods, upstream
from services.web.pages.admin_messages.blueprint import blp
from services.web.pages.admin_messages.common import school_names
from services.web.pages.common import container, current_language, render
from shared.clock import local_today

DEFAULT_WEEKS = 8
OVERDUE_DAYS_BACK = 365  # the API lists at most a year at once
KINDS = {
    "intervention": _l("Evaluatie interventie"),
    "plan_evaluation": _l("Evaluatie OPP"),
    "meeting": _l("Evaluatiegesprek OPP"),
}


def _period(today: date) -> tuple[date, date, list[str]]:
    """The chosen from..to (default: today and eight weeks on); problems when it makes no sense."""
    problems = []
    start = periods.parse_day(request.args.get("from")) or today
    end = periods.parse_day(request.args.get("to")) or start + timedelta(weeks=DEFAULT_WEEKS)
    if request.args.get("from") and periods.parse_day(request.args.get("from")) is None:
        problems.append(_("Vul een datum in als jjjj-mm-dd."))
    if request.args.get("to") and periods.parse_day(request.args.get("to")) is None:
        problems.append(_("Vul een datum in als jjjj-mm-dd."))
    if end < start:
        problems.append(
            _("De einddatum ligt voor de begindatum; de standaardperiode wordt getoond.")
        )
        end = start + timedelta(weeks=DEFAULT_WEEKS)
    return start, end, problems


def _chosen_school(known: dict[str, str]) -> str | None:
    """The school asked for (any id: the API decides), else the first the user sees by name."""
    wanted = request.args.get("school_id", "").strip()
    if wanted:
        try:
            return str(UUID(wanted))  # only an id goes into the API's path
        except ValueError:
            return str(UUID(int=0))  # no school has it: the API answers 404
    ordered = sorted(known.items(), key=lambda kv: (kv[1], kv[0]))
    return ordered[0][0] if ordered else None


def _upcoming(school_id: str, start: date, end: date) -> upstream.Answer:
    path = f"/api/v1/schools/{school_id}/evaluations/upcoming"
    return upstream.all_items("cases", path, {"from": start.isoformat(), "to": end.isoformat()})


def _overdue(school_id: str, start: date, today: date) -> list[dict[str, Any]]:
    """Evaluations still open whose date passed before the chosen period (at most a year back)."""
    last = min(start, today) - timedelta(days=1)
    first = today - timedelta(days=OVERDUE_DAYS_BACK)
    if last < first:
        return []
    answer = _upcoming(school_id, first, last)
    return [i for i in answer.body["items"] if i["overdue"]] if answer.ok else []


@blp.get("/evaluaties")
def evaluations() -> Any:
    """The chosen school's evaluations of the coming weeks, by week, overdue ones first."""
    return _page()


def _page(refusal: upstream.Answer | None = None) -> Any:
    """The evaluations page; after a refused form, with the API's status (its message is
    flashed)."""
    if refusal is not None:
        flash(refusal.message(), "error")
    today = local_today(container().clock)
    start, end, problems = _period(today)
    known = school_names()
    school_id = _chosen_school(known)
    weeks: list[periods.Week] = []
    overdue: list[dict[str, Any]] = []
    refused: str | None = None
    status = 200
    if school_id is not None:
        answer = _upcoming(school_id, start, end)
        if answer.ok:
            weeks = periods.by_week(answer.body["items"], start, end)
            overdue = _overdue(school_id, start, today)
        else:
            refused, status = answer.message(), answer.status
    if refusal is not None:
        status = refusal.status
    return render(
        "admin/messages/evaluations.html",
        status,
        schools=known,
        school_id=school_id,
        start=start,
        end=end,
        today=today,
        weeks=weeks,
        overdue=overdue,
        problems=problems,
        refused=refused,
        kind_label=lambda kind: str(KINDS.get(kind) or _("Evaluatie")),
        long_date=lambda day: periods.long_date(_day(day), current_language()),
        short_date=lambda day: periods.short_date(_day(day), current_language()),
        clock_time=periods.local_clock,
        active="evaluations",
    )


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


@blp.post("/evaluaties/agenda")
def create_feed() -> Any:
    """Make (or renew) the user's calendar feed and show its secret URL this once."""
    answer = upstream.call("cases", "POST", "/api/v1/me/calendar-feed")
    if not answer.ok:
        return _page(answer)
    url = answer.body["url"]
    if current_language() == "en":
        url = f"{url}?lang=en"  # the feed's own texts in English too
    webcal = "webcal://" + url.split("://", 1)[1] if "://" in url else url
    return render(
        "admin/messages/calendar_feed.html",
        feed_url=url,
        webcal_url=webcal,
        active="evaluations",
    )


@blp.post("/evaluaties/agenda/stoppen")
def revoke_feed() -> Any:
    """Stop the user's calendar feed: its URL answers nothing from now on."""
    answer = upstream.call("cases", "DELETE", "/api/v1/me/calendar-feed")
    if not answer.ok:
        return _page(answer)
    flash(_("Het agenda-abonnement is opgeheven; de link werkt niet meer."), "success")
    return redirect(url_for("admin_messages.evaluations"))
