"""The dates now scheduled, for the notifications service's policy simulation."""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from services.cases.adapters import due_dates, orm
from services.cases.adapters.due_dates import DueDates
from services.cases.adapters.queries.base import Page, chunks, local_days
from services.cases.domain.evaluation import meeting_payload
from shared.clock import AMSTERDAM
from shared.events import payload_schema

# The event that sets each kind of date, as a consumer receives it (a rescheduled plan evaluation
# is told by the outbox: `development_plan.evaluation_rescheduled`, with its previous date).
SCHEDULED_BY = {
    "intervention": "intervention.started",
    "plan_evaluation": "development_plan.evaluation_scheduled",
    "admission_statement": "referral.admission_statement_recorded",
    "support_profile": "support_profile.published",
}
PLAN_EVALUATION_EVENTS = (
    "development_plan.evaluation_scheduled",
    "development_plan.evaluation_rescheduled",
)


def scheduled_dates(
    session: Session, partnership_id: UUID, start: date, end: date, page: int, page_size: int
) -> Page:
    """The dates now scheduled for open subjects of one partnership, from `start` to `end` (both
    inclusive), by date: evaluations of active interventions and scheduled plan evaluations of
    open plans in open cases, the meetings planned for those evaluations (on the meeting's day in
    Amsterdam), the end of recorded admission statements (TLV) of open cases and the review date
    of each school's current support profile. Each item is the event that set the date, as a
    consumer saw it (type and payload: ids, codes, dates and instants; never names or places)."""
    keys = _scheduled_keys(partnership_id, start, end).subquery()
    total = session.execute(select(func.count()).select_from(keys)).scalar_one()
    query = (
        select(keys.c.kind, keys.c.id)
        .order_by(keys.c.due_on, keys.c.kind, keys.c.id)
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    order = [(row.kind, row.id) for row in session.execute(query)]
    found: dict[tuple[str, UUID], dict[str, Any]] = {}
    for kind, ids in _ids_by_kind(order).items():
        for item in _SCHEDULED_DETAILS[kind](session, ids):
            found[(kind, item["subject_id"])] = item
    regions = _regions(session, {item["school_id"] for item in found.values()})
    items = []
    for key in order:
        item = found[key]
        item["region"] = regions.get(item["school_id"])
        items.append(item)
    return Page(items, page, page_size, total)


def _scheduled_keys(partnership_id: UUID, start: date, end: date) -> Any:
    """(kind, id, due_on, ...) of every scheduled date in the window, as one union."""
    dates = DueDates(partnership_id, due_dates.between(start, end))
    return union_all(
        dates.interventions(),
        dates.plan_evaluations(plans="open"),
        dates.meetings(*local_days(start, end)),
        dates.admission_statements(statements_of_closed_cases=False),
        dates.support_profiles(),
    )


def _ids_by_kind(keys: list[tuple[str, UUID]]) -> dict[str, list[UUID]]:
    out: dict[str, list[UUID]] = {}
    for kind, subject_id in keys:
        out.setdefault(kind, []).append(subject_id)
    return out


def _scheduled(
    kind: str,
    subject_id: UUID,
    school_id: UUID,
    case_id: UUID | None,
    day: date,
    payload: dict[str, Any],
    told: tuple[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One item: the payload in the wire form of its event type, or the event as the outbox
    `told` it (type and wire-form payload)."""
    event_type, data = told or (
        SCHEDULED_BY[kind],
        payload_schema(SCHEDULED_BY[kind]).dump(payload),
    )
    return {
        "subject_kind": kind,
        "subject_id": subject_id,
        "school_id": school_id,
        "case_id": case_id,
        "date": day,
        "event_type": event_type,
        "data": data,
    }


def _intervention_dates(session: Session, ids: list[UUID]) -> list[dict[str, Any]]:
    i, c = orm.interventions.c, orm.cases.c
    query = (
        select(i.id, i.case_id, i.plan_id, i.level, i.domain, i.starts_on, i.evaluate_by)
        .add_columns(c.school_id)
        .join_from(orm.interventions, orm.cases, i.case_id == c.id)
        .where(i.id.in_(ids))
    )
    return [
        _scheduled(
            "intervention",
            row.id,
            row.school_id,
            row.case_id,
            row.evaluate_by,
            {
                "case_id": row.case_id,
                "intervention_id": row.id,
                "level": row.level,
                "domain": row.domain,
                "starts_on": row.starts_on,
                "evaluate_by": row.evaluate_by,
                "plan_id": row.plan_id,
            },
        )
        for row in session.execute(query)
    ]


def _evaluation_dates(session: Session, ids: list[UUID]) -> list[dict[str, Any]]:
    e, p, c = orm.plan_evaluations.c, orm.development_plans.c, orm.cases.c
    query = (
        select(e.id, e.plan_id, e.due_on, p.case_id, c.school_id)
        .join_from(orm.plan_evaluations, orm.development_plans, e.plan_id == p.id)
        .join(orm.cases, p.case_id == c.id)
        .where(e.id.in_(ids))
    )
    rows = list(session.execute(query))
    told = _last_evaluation_events(session, {row.case_id for row in rows})
    items = []
    for row in rows:
        event = told.get(str(row.id))
        if event is not None and event[1]["due_on"] != row.due_on.isoformat():
            event = None  # the log tells another date: tell it as scheduling it would have
        payload = {
            "case_id": row.case_id,
            "plan_id": row.plan_id,
            "evaluation_id": row.id,
            "due_on": row.due_on,
        }
        items.append(
            _scheduled(
                "plan_evaluation", row.id, row.school_id, row.case_id, row.due_on, payload, event
            )
        )
    return items


def _last_evaluation_events(
    session: Session, case_ids: set[UUID]
) -> dict[str, tuple[str, dict[str, Any]]]:
    """Per evaluation id, the last scheduling or rescheduling event of these cases' outbox."""
    o = orm.outbox.c
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    for chunk in chunks(sorted(case_ids), 500):
        query = (
            select(o.type, o.envelope)
            .where(o.case_id.in_(chunk), o.type.in_(PLAN_EVALUATION_EVENTS))
            .order_by(o.seq)
        )
        for event_type, raw in session.execute(query):
            data = json.loads(raw)["data"]
            out[data["evaluation_id"]] = (event_type, data)
    return out


def _meeting_dates(session: Session, ids: list[UUID]) -> list[dict[str, Any]]:
    """A planned meeting, told as its last event: planned, or moved once it has a sequence."""
    e, p, c = orm.plan_evaluations.c, orm.development_plans.c, orm.cases.c
    query = (
        select(e.id, e.plan_id, p.case_id, c.school_id, e.meeting_starts_at, e.meeting_minutes)
        .add_columns(e.meeting_sequence, e.meeting_location, e.meeting_video_url)
        .join_from(orm.plan_evaluations, orm.development_plans, e.plan_id == p.id)
        .join(orm.cases, p.case_id == c.id)
        .where(e.id.in_(ids))
    )
    items = []
    for row in session.execute(query):
        event_type = (
            "development_plan.meeting_moved"
            if row.meeting_sequence
            else "development_plan.meeting_planned"
        )
        payload = meeting_payload(row.case_id, row.plan_id, row)
        told = (event_type, payload_schema(event_type).dump(payload))
        day = row.meeting_starts_at.astimezone(AMSTERDAM).date()
        items.append(_scheduled("meeting", row.id, row.school_id, row.case_id, day, payload, told))
    return items


def _statement_dates(session: Session, ids: list[UUID]) -> list[dict[str, Any]]:
    r, c = orm.referrals.c, orm.cases.c
    query = (
        select(r.id, r.case_id, r.admission_statement_from, r.admission_statement_until)
        .add_columns(c.school_id)
        .join_from(orm.referrals, orm.cases, r.case_id == c.id)
        .where(r.id.in_(ids))
    )
    return [
        _scheduled(
            "admission_statement",
            row.id,
            row.school_id,
            row.case_id,
            row.admission_statement_until,
            {
                "case_id": row.case_id,
                "referral_id": row.id,
                "valid_from": row.admission_statement_from,
                "valid_until": row.admission_statement_until,
            },
        )
        for row in session.execute(query)
    ]


def _profile_dates(session: Session, ids: list[UUID]) -> list[dict[str, Any]]:
    sp = orm.support_profiles.c
    query = select(sp.id, sp.school_id, sp.version, sp.valid_from, sp.review_by).where(
        sp.id.in_(ids)
    )
    return [
        _scheduled(
            "support_profile",
            row.id,
            row.school_id,
            None,
            row.review_by,
            {
                "support_profile_id": row.id,
                "version": row.version,
                "valid_from": row.valid_from,
                "review_by": row.review_by,
            },
        )
        for row in session.execute(query)
    ]


_SCHEDULED_DETAILS = {
    "intervention": _intervention_dates,
    "plan_evaluation": _evaluation_dates,
    "meeting": _meeting_dates,
    "admission_statement": _statement_dates,
    "support_profile": _profile_dates,
}


def _regions(session: Session, school_ids: set[UUID]) -> dict[UUID, str]:
    """The holiday region (noord, midden, zuid) of each school."""
    if not school_ids:
        return {}
    s = orm.schools.c
    query = select(s.id, s.region).where(s.id.in_(school_ids))
    return {row.id: row.region for row in session.execute(query)}
