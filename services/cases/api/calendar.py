"""Upcoming evaluations per school, and per-user iCalendar feeds (RFC 5545) to subscribe to.

The list is an authenticated, audited read and names pupils as a coordinator expects ("Sanne J.").
A feed is fetched by a calendar program with a secret URL and may be synced to third-party
servers, so it names no pupil: each event says what is due and a short case reference, and links
to the case, where the authenticated API shows the rest.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from flask import Response, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from services.cases.adapters import audit as audit_trail
from services.cases.adapters import queries
from services.cases.adapters.repositories import SqlAlchemyCalendarFeeds, SqlAlchemyRepository
from services.cases.api.common import actor, container, read_session, today
from services.cases.domain.school import User
from shared.auth import STAFF_ROLES, Principal, Role
from shared.errors import Forbidden, NotFound, Problems
from shared.ical import all_day_event, new_calendar, timed_event, to_ics, uid
from shared.web import PageArgsSchema, page_schema
from shared.web_links import page_url

blp = Blueprint(
    "calendar",
    __name__,
    url_prefix="/api/v1",
    description="Upcoming evaluations per school, and calendar feeds (iCalendar) to subscribe to.",
)

DEFAULT_WEEKS = 8
FEED_DAYS_BACK = 28  # recent and overdue evaluations stay visible for a while
FEED_DAYS_AHEAD = 365
FEED_ROLES = STAFF_ROLES | {Role.ADMIN}
PRODID = "-//Passend onderwijs//Evaluaties//NL"
_SANE_DATES = validate.Range(min=date(1900, 1, 1), max=date(9000, 12, 31))

SUMMARY = {
    "intervention": {"nl": "Evaluatie interventie", "en": "Intervention evaluation"},
    "plan_evaluation": {"nl": "Evaluatie OPP", "en": "Development plan evaluation"},
    "meeting": {"nl": "Evaluatiegesprek OPP", "en": "Development plan evaluation meeting"},
}
CASE_WORD = {"nl": "dossier", "en": "case"}
CASE_LINK = {"nl": "Het dossier (na inloggen): {url}", "en": "The case (after logging in): {url}"}
CALENDAR_NAME = {"nl": "Evaluaties passend onderwijs", "en": "Evaluations passend onderwijs"}


class UpcomingArgsSchema(PageArgsSchema):
    start = fields.Date(data_key="from", load_default=None, validate=_SANE_DATES)
    end = fields.Date(data_key="to", load_default=None, validate=_SANE_DATES)


class UpcomingEvaluationSchema(Schema):
    kind = fields.String(metadata={"description": "intervention, plan_evaluation or meeting"})
    id = fields.UUID(metadata={"description": "The intervention or plan evaluation"})
    date = fields.Date(metadata={"description": "The due date, or the meeting's day"})
    due_on = fields.Date()
    starts_at = fields.DateTime(allow_none=True, metadata={"description": "Meetings only"})
    ends_at = fields.DateTime(allow_none=True, metadata={"description": "Meetings only"})
    case_id = fields.UUID()
    plan_id = fields.UUID(allow_none=True)
    intervention_id = fields.UUID(allow_none=True)
    evaluation_id = fields.UUID(allow_none=True)
    school_id = fields.UUID()
    pupil_id = fields.UUID()
    pupil = fields.String(metadata={"description": "First name and initial of the family name"})
    overdue = fields.Boolean()


UpcomingPageSchema = page_schema(UpcomingEvaluationSchema, "UpcomingEvaluationPage")


class CalendarFeedSchema(Schema):
    url = fields.Url(metadata={"description": "Secret: whoever has it reads the feed"})
    created_at = fields.DateTime()


class FeedArgsSchema(Schema):
    lang = fields.String(load_default="nl", validate=validate.OneOf(["nl", "en"]))


@blp.route("/schools/<uuid:school_id>/evaluations/upcoming")
class UpcomingEvaluations(MethodView):
    @blp.arguments(UpcomingArgsSchema, location="query")
    @blp.response(200, UpcomingPageSchema)
    def get(self, args: dict[str, Any], school_id: UUID) -> queries.Page:
        """Evaluation dates and planned evaluation meetings of a school, by date (default: the
        next eight weeks)."""
        start, end = _period(args["start"], args["end"])
        with read_session() as session:
            queries.school_for_calendar(session, actor(), school_id)
            items = queries.upcoming_evaluations(session, actor(), start, end, today(), school_id)
        first = (args["page"] - 1) * args["page_size"]
        page = items[first : first + args["page_size"]]
        return queries.Page(page, args["page"], args["page_size"], len(items))


def _period(start: date | None, end: date | None) -> tuple[date, date]:
    """from..to, both inclusive; defaults today and eight weeks on; at most one year."""
    start = start or today()
    end = end or start + timedelta(weeks=DEFAULT_WEEKS)
    problems = Problems()
    problems.check(end >= start, "to", "Must not be before 'from'.")
    problems.check(end <= _year_after(start), "to", "At most one year after 'from'.")
    problems.raise_if_any("The period is not valid.")
    return start, end


def _year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@blp.route("/me/calendar-feed")
class MyCalendarFeed(MethodView):
    @blp.response(201, CalendarFeedSchema)
    def post(self) -> dict[str, Any]:
        """Create the caller's calendar feed, or rotate its secret URL (the old one stops)."""
        who = actor()
        if who.role not in FEED_ROLES:
            raise Forbidden("Calendar feeds are for staff of the schools and the partnership.")
        token = secrets.token_urlsafe(32)
        c = container()
        now = c.clock.now()
        with c.sessions.begin() as session:
            SqlAlchemyCalendarFeeds(session).replace(who.user_id, feed_hash(token), now)
        path = url_for("calendar.CalendarFeed", token=token)
        url = f"{_public_base()}{path}"
        return {"url": url, "created_at": now}

    @blp.response(204)
    def delete(self) -> None:
        """Revoke the caller's calendar feed: its URL answers 404 from now on."""
        with container().sessions.begin() as session:
            SqlAlchemyCalendarFeeds(session).remove(actor().user_id)


def feed_hash(token: str) -> str:
    """What is stored of a feed's secret: its sha256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@blp.route("/calendar/<token>.ics")
class CalendarFeed(MethodView):
    @blp.arguments(FeedArgsSchema, location="query")
    @blp.response(
        200,
        {"type": "string"},
        content_type="text/calendar",
        description="An iCalendar (RFC 5545) file",
    )
    @blp.doc(security=[])
    def get(self, args: dict[str, Any], token: str) -> Response:
        """A user's evaluations as an iCalendar feed, by the secret URL (no bearer token)."""
        c = container()
        with c.read_sessions() as session:
            user_id = SqlAlchemyCalendarFeeds(session).owner(feed_hash(token))
            user = session.get(User, user_id) if user_id is not None else None
            if user is None:
                raise NotFound("No such calendar feed.")
            principal = feed_principal(user, SqlAlchemyRepository(session).assigned_pupils)
            if principal is None:
                _audit(user, 404)
                raise NotFound("No such calendar feed.")
            day = today()
            start, end = day - timedelta(days=FEED_DAYS_BACK), day + timedelta(days=FEED_DAYS_AHEAD)
            items = queries.upcoming_evaluations(session, principal, start, end, day)
        body = render_feed(items, args["lang"], c.clock.now(), c.settings.web_url)
        _audit(user, 200)
        headers = {"Content-Disposition": 'inline; filename="evaluaties.ics"'}
        return Response(body, 200, headers, mimetype="text/calendar")


def feed_principal(user: User, assigned: Callable[[UUID], list[UUID]]) -> Principal | None:
    """The feed owner's scope as it is now (a disabled account, or a parent, has none; a
    teacher's holds the pupils they are assigned to now)."""
    role = Role(user.role)
    if not user.active or role not in FEED_ROLES:
        return None
    return Principal(
        user_id=user.id,
        role=role,
        partnership_id=user.partnership_id,
        school_ids=frozenset([user.school_id] if user.school_id else []),
        pupil_ids=frozenset(assigned(user.id)) if role is Role.TEACHER else frozenset(),
    )


def _audit(user: User, status: int) -> None:
    """Who read which evaluations through their feed; the path template, never the secret."""
    c = container()
    audit_trail.record(
        c.audit_engine,
        at=c.clock.now(),
        partnership_id=user.partnership_id,
        user_id=user.id,
        role=user.role,
        action="read",
        method=request.method,
        endpoint="/api/v1/calendar/<token>.ics",
        resource_id=None,
        status=status,
        ip=(request.remote_addr or "")[:45] or None,
    )


def render_feed(items: list[dict[str, Any]], lang: str, stamp: datetime, web_url: str) -> bytes:
    """One VEVENT per item: all-day for a due date, timed (Europe/Amsterdam) for a meeting. The
    summary names the kind and a short case reference; no pupil's name or id. URL and DESCRIPTION
    link to the web page of the case (or of its plan), which asks for a log-in."""
    cal = new_calendar(PRODID)
    cal.add("name", CALENDAR_NAME[lang])
    cal.add("x-wr-calname", CALENDAR_NAME[lang])
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for item in items:
        if item["kind"] == "meeting":
            minutes = int((item["ends_at"] - item["starts_at"]).total_seconds() // 60)
            event = timed_event(
                uid(item["id"]), item["starts_at"], minutes, stamp, item["sequence"]
            )
        else:
            event = all_day_event(uid(item["id"]), item["date"], stamp)
        reference = str(item["case_id"])[:8]
        event.add("summary", f"{SUMMARY[item['kind']][lang]} – {CASE_WORD[lang]} {reference}")
        case_url = page_url(web_url, item["case_id"], item.get("plan_id"))
        event.add("description", CASE_LINK[lang].format(url=case_url))
        event.add("url", case_url)
        cal.add_component(event)
    return to_ics(cal)


def _public_base() -> str:
    """Where users reach this service: CASES_PUBLIC_URL behind a proxy, else the request's host."""
    return container().settings.public_url or request.host_url.rstrip("/")
