"""Read side of the cases service: scoped lists, details, the case timeline and the event log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import Select, and_, exists, func, or_, select, union_all
from sqlalchemy.orm import Session

from services.cases.adapters import due_dates, orm
from services.cases.adapters.due_dates import DueDates
from services.cases.adapters.repositories import (
    SqlAlchemyCaseRepository,
    SqlAlchemyRepository,
    _case_query,
)
from services.cases.domain import caseload as caseload_domain
from services.cases.domain import legal as legal_domain
from services.cases.domain import parents
from services.cases.domain.evaluation import meeting_payload
from services.cases.domain.model import Case
from services.cases.domain.plan import DevelopmentPlan
from services.cases.domain.school import Partnership, Pupil, School
from shared.auth import PARTNERSHIP_ROLES, Principal, Role
from shared.clock import AMSTERDAM
from shared.errors import Forbidden, NotFound
from shared.events import payload_schema


@dataclass(frozen=True)
class Page:
    items: list[Any]
    page: int
    page_size: int
    total: int


def scope(query: Select, principal: Principal, table: Any) -> Select:
    """Limit a query on a table with partnership_id/school_id/pupil_id (or the pupils table) to
    the caller's scope: a guardian's children, a teacher's assigned pupils of their school."""
    if principal.role is Role.SERVICE:
        return query
    query = query.where(table.c.partnership_id == principal.partnership_id)
    if principal.role in PARTNERSHIP_ROLES:
        return query
    pupil_col = table.c.id if table is orm.pupils else table.c.pupil_id
    if principal.role is Role.GUARDIAN:
        return query.where(pupil_col.in_(principal.pupil_ids))
    query = query.where(table.c.school_id.in_(principal.school_ids))
    if principal.role is Role.TEACHER:  # only the pupils they are assigned to
        query = query.where(pupil_col.in_(principal.pupil_ids))
    return query


def paginate(session: Session, query: Select, page: int, page_size: int) -> Page:
    """Run one page of a query and count the whole."""
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    items = list(session.execute(query.limit(page_size).offset((page - 1) * page_size)).scalars())
    return Page(items, page, page_size, total)


def list_cases(session: Session, principal: Principal, args: dict[str, Any]) -> Page:
    """Cases in scope, filtered by school, pupil, level and status, newest first."""
    c = orm.cases.c
    query = scope(select(Case), principal, orm.cases)
    for key in ("school_id", "pupil_id", "level", "status"):
        if args.get(key) is not None:
            query = query.where(getattr(c, key) == args[key])
    query = query.order_by(c.opened_on.desc(), c.id)
    return paginate(session, query, args["page"], args["page_size"])


def get_case(session: Session, principal: Principal, case_id: UUID, today: date) -> Case:
    """One case with everything in it, if the caller may see it."""
    case = SqlAlchemyCaseRepository(session).get(case_id)
    if case is None or not principal.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
        raise NotFound("No such case.")
    if case.plans:  # whose consent counts matters only to plans: no more reads without them
        needed = _needed(session, case)
        for plan in case.plans:
            _flag(plan, today, needed)
    return case


def get_plan(session: Session, principal: Principal, plan_id: UUID, today: date) -> DevelopmentPlan:
    """One development plan, if the caller may see its case."""
    case = SqlAlchemyCaseRepository(session).by_plan(plan_id)
    if case is None or not principal.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
        raise NotFound("No such development plan.")
    plan = case.plan(plan_id)
    _flag(plan, today, _needed(session, case))
    plan.case_version = case.version  # type: ignore[attr-defined]  # its ETag (If-Match)
    return plan


def _needed(session: Session, case: Case) -> tuple[str, frozenset[str] | None]:
    """The partnership's `consent_from` and, under `all`, whose agreement counts."""
    partnership = session.get(Partnership, case.partnership_id)
    rule = partnership.settings.consent_from if partnership is not None else "one"
    if rule != "all":  # one guardian's agreement: nobody in particular is awaited
        return rule, None
    pupil = session.get(Pupil, case.pupil_id)
    return rule, parents.needed_guardians(rule, pupil.guardians if pupil else [])


def _flag(plan: DevelopmentPlan, today: date, needed: tuple[str, frozenset[str] | None]) -> None:
    plan.evaluation_missing_flag = plan.evaluation_missing(today)  # type: ignore[attr-defined]
    plan.consent_from = needed[0]  # type: ignore[attr-defined]
    awaited = (
        parents.still_awaited(plan.consents, plan.action_plan_version, needed[1])
        if plan.consent_status == "requested"
        else frozenset()
    )
    plan.consent_awaited_guardian_ids = sorted(awaited)  # type: ignore[attr-defined]


def _left_with_open_case() -> Any:
    """Pupils who left while a case of theirs is still open: their data waits for the case to be
    closed before the retention period can run (rule 9)."""
    u, c = orm.pupils.c, orm.cases.c
    still_open = exists().where(c.pupil_id == u.id, c.status != "closed")
    return and_(u.left_on.is_not(None), still_open)


def list_pupils(session: Session, principal: Principal, args: dict[str, Any]) -> Page:
    """Pupils in scope, by family name (only those who left with a case open, when asked)."""
    query = scope(select(Pupil), principal, orm.pupils)
    if args.get("school_id") is not None:
        query = query.where(orm.pupils.c.school_id == args["school_id"])
    if args.get("left_with_open_case") is not None:
        flagged = _left_with_open_case()
        query = query.where(flagged if args["left_with_open_case"] else ~flagged)
    query = query.order_by(orm.pupils.c.family_name, orm.pupils.c.given_name, orm.pupils.c.id)
    page = paginate(session, query, args["page"], args["page_size"])
    _flag_pupils(session, page.items)
    return page


def get_pupil(session: Session, principal: Principal, pupil_id: UUID) -> Pupil:
    """One pupil, if the caller may see them."""
    pupil = SqlAlchemyRepository(session).pupil(pupil_id)
    if pupil is None or not principal.sees_pupil(pupil.partnership_id, pupil.school_id, pupil.id):
        raise NotFound("No such pupil.")
    _flag_pupils(session, [pupil])
    return pupil


def _flag_pupils(session: Session, pupils: list[Pupil]) -> None:
    ids = [p.id for p in pupils]
    query = select(orm.pupils.c.id).where(orm.pupils.c.id.in_(ids), _left_with_open_case())
    flagged = set(session.execute(query).scalars()) if ids else set()
    for pupil in pupils:
        pupil.left_with_open_case_flag = pupil.id in flagged  # type: ignore[attr-defined]


def due_evaluations(
    session: Session, principal: Principal, args: dict[str, Any], today: date
) -> Page:
    """Interventions and plan evaluations due before a date (overdue ones included)."""
    c, i, p, e = (orm.cases.c, orm.interventions.c, orm.development_plans.c, orm.plan_evaluations.c)
    case_cols = (c.id.label("case_id"), c.school_id, c.pupil_id)
    interventions = (
        select(
            func.cast("intervention", orm.String(20)).label("kind"),  # type: ignore[arg-type]
            i.id,
            *case_cols,
            i.plan_id,
            i.evaluate_by.label("due_on"),
        )
        .join_from(orm.interventions, orm.cases, i.case_id == c.id)
        .where(i.status == "active", i.evaluate_by < args["before"], c.status != "closed")
    )
    plans = (
        select(
            func.cast("plan_evaluation", orm.String(20)).label("kind"),  # type: ignore[arg-type]
            e.id,
            *case_cols,
            e.plan_id,
            e.due_on,
        )
        .join_from(orm.plan_evaluations, orm.development_plans, e.plan_id == p.id)
        .join(orm.cases, p.case_id == c.id)
        .where(
            e.status == "scheduled",
            p.status == "active",
            e.due_on < args["before"],
            c.status != "closed",
        )
    )
    parts = []
    for part in (interventions, plans):
        part = scope(part, principal, orm.cases)
        if args.get("school_id") is not None:
            part = part.where(c.school_id == args["school_id"])
        parts.append(part)
    combined = union_all(*parts).subquery()
    query = select(combined).order_by(combined.c.due_on, combined.c.id)
    total = session.execute(select(func.count()).select_from(combined)).scalar_one()
    offset = (args["page"] - 1) * args["page_size"]
    rows = session.execute(query.limit(args["page_size"]).offset(offset)).mappings()
    items = [{**row, "overdue": row["due_on"] < today} for row in rows]
    return Page(items, args["page"], args["page_size"], total)


def timeline(session: Session, principal: Principal, case_id: UUID) -> list[dict[str, Any]]:
    """Every event that concerned a case, in order, each with who caused it (`actor`)."""
    case = session.get(Case, case_id)
    if case is None or not principal.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
        raise NotFound("No such case.")
    o = orm.outbox.c
    u = orm.users.c
    rows = session.execute(
        select(o.seq, o.envelope, o.actor_role, u.name)
        .outerjoin(orm.users, u.id == o.actor_id)
        .where(o.case_id == case_id)
        .order_by(o.seq)
    )
    entries = []
    for seq, raw, role, name in rows:
        envelope = json.loads(raw)
        entries.append(
            {
                "seq": seq,
                "type": envelope["type"],
                "occurred_at": envelope["occurred_at"],
                "subject": envelope["subject"],
                "data": envelope["data"],
                "actor": actor_of(role, name),
            }
        )
    return entries


GUARDIAN_NAME = "ouder/verzorger"
SYSTEM_NAME = "het systeem"


def actor_of(role: str | None, name: str | None) -> dict[str, Any] | None:
    """Who caused an event, as the timeline names them: a staff member by name, a guardian as
    "ouder/verzorger", a scheduled task as "het systeem"; None for events from before this was
    kept (or a user since removed)."""
    if role == "system":
        return {"kind": "system", "role": None, "name": SYSTEM_NAME}
    if role == Role.GUARDIAN.value:
        return {"kind": "guardian", "role": role, "name": GUARDIAN_NAME}
    if role is None or name is None:
        return None
    return {"kind": "staff", "role": role, "name": name}


def event_log(session: Session, principal: Principal, after: int, limit: int) -> dict[str, Any]:
    """The outbox as a replayable log: events after a sequence number, oldest first."""
    o = orm.outbox.c
    query = select(o.seq, o.envelope).where(o.seq > after).order_by(o.seq).limit(limit)
    if principal.role is not Role.SERVICE:
        query = query.where(o.partnership_id == principal.partnership_id)
    items = [{"seq": seq, "envelope": json.loads(raw)} for seq, raw in session.execute(query)]
    return {"items": items, "next_after": items[-1]["seq"] if items else after}


# -- the DUO (ROD) export of development plans --------------------------------------------------

PUPIL_NUMBER_MISSING = "leerlingnummer ontbreekt"
PUPIL_ANONYMISED = "leerling geanonimiseerd (bewaartermijn verstreken)"


@dataclass(frozen=True)
class RodRow:
    """One development plan as a school registers it with DUO (ROD): its start and end dates by
    the school's own pupil number. No names, birth dates or free text."""

    pupil_number: str | None
    plan_id: UUID
    start_date: date
    end_date: date | None
    start_in_period: bool
    end_in_period: bool
    problems: list[str]


def rod_school(session: Session, principal: Principal, school_id: UUID) -> School:
    """The school whose export the caller may read: its coordinator or director, or an
    administrator of its partnership. Another partnership's (or no) school is 404, like every
    school path; anyone else of the same partnership is refused with 403."""
    school = session.get(School, school_id)
    if school is None or principal.partnership_id != school.partnership_id:
        raise NotFound("No such school.")
    school_staff = principal.role in (Role.COORDINATOR, Role.DIRECTOR) and principal.sees_school(
        school.partnership_id, school.id
    )
    if not (principal.administers(school.partnership_id) or school_staff):
        raise Forbidden(
            "Only the school's coordinator or director, or the partnership's administrator, "
            "exports development plans for DUO."
        )
    return school


def rod_export(session: Session, school_id: UUID, start: date, end: date) -> list[RodRow]:
    """Development plans of a school whose start or end falls in [start, end] (both inclusive).

    A plan starts when it took effect: the day the parents' consent activated it (`activated_on`,
    rule 4; later fresh consents keep the first date). It ends on the day it was closed
    (`closed_on`: back to basic support, a referral, or its case closed); a running plan has no
    end yet. A plan that never took effect (a draft, declined, or closed before consent) was
    never in force, so there is nothing to register: it is left out. A plan running through the
    whole period is left out too: nothing about it changes in the period.

    The number is the pupil's number in the school's own administration, the key DUO knows the
    pupil by. Without one the row is still listed, with a problem, so the school can add the
    number before registering. A pupil anonymised after the retention period (rule 9) has lost
    the number; such a plan is listed (only when its dates fall in the period, which for an
    anonymised pupil means a look back years ago) with both problems, for completeness: it is
    out of scope of registration by then.
    """
    p, c, u = orm.development_plans.c, orm.cases.c, orm.pupils.c
    starts_in = and_(p.activated_on >= start, p.activated_on <= end)
    ends_in = and_(p.closed_on.is_not(None), p.closed_on >= start, p.closed_on <= end)
    query = (
        select(u.pupil_number, u.anonymised_on, p.id, p.activated_on, p.closed_on)
        .join_from(orm.development_plans, orm.cases, p.case_id == c.id)
        .join(orm.pupils, c.pupil_id == u.id)
        .where(c.school_id == school_id, p.activated_on.is_not(None), or_(starts_in, ends_in))
        .order_by(p.activated_on, p.id)
    )
    rows = []
    for number, anonymised_on, plan_id, started, ended in session.execute(query):
        problems = [] if number else [PUPIL_NUMBER_MISSING]
        if anonymised_on is not None:
            problems.append(PUPIL_ANONYMISED)
        rows.append(
            RodRow(
                pupil_number=number or None,
                plan_id=plan_id,
                start_date=started,
                end_date=ended,
                start_in_period=start <= started <= end,
                end_in_period=ended is not None and start <= ended <= end,
                problems=problems,
            )
        )
    return rows


# -- upcoming evaluations per school, and the per-user calendar feed ----------------------------


def school_for_calendar(session: Session, principal: Principal, school_id: UUID) -> School:
    """The school whose upcoming evaluations the caller may list: its own staff, or the
    partnership's administrator or consultant. Another partnership's (or no) school is 404;
    a guardian, or staff of another school of the same partnership, is refused with 403."""
    school = session.get(School, school_id)
    if school is None or not principal.sees_partnership(school.partnership_id):
        raise NotFound("No such school.")
    if principal.role is Role.GUARDIAN:
        raise Forbidden("Parents see their own child's dates on the child's case.")
    if not principal.sees_school(school.partnership_id, school.id):
        raise Forbidden("Only staff of the school, or of the partnership, see its evaluations.")
    return school


def calendar_scope(query: Select, principal: Principal) -> Select:
    """`scope` on cases (a teacher: only the pupils they are assigned to)."""
    return scope(query, principal, orm.cases)


def pupil_display(given_name: str, family_name: str) -> str:
    """A pupil as a coordinator's list names them: first name and initial ('Sanne J.')."""
    initial = family_name.strip()[:1]
    return f"{given_name} {initial}." if initial else given_name


def _local_days(start: date, end: date) -> tuple[datetime, datetime]:
    """The days from `start` to `end` in Amsterdam as instants: the first one's midnight and the
    midnight after the last (exclusive)."""
    return (
        datetime.combine(start, time(0), AMSTERDAM),
        datetime.combine(end + timedelta(days=1), time(0), AMSTERDAM),
    )


def upcoming_evaluations(
    session: Session,
    principal: Principal,
    start: date,
    end: date,
    today: date,
    school_id: UUID | None = None,
) -> list[dict[str, Any]]:
    """Evaluation dates of active interventions and plans, and planned evaluation meetings, on
    the days from `start` to `end` (Europe/Amsterdam, both inclusive), by date and time.

    A plan evaluation with a planned meeting is one item, of kind `meeting`, on the meeting's day;
    a cancelled meeting falls back to the evaluation's due date. Overdue: the due date has passed
    without an evaluation being recorded."""
    c, i, p, e, u = (
        orm.cases.c,
        orm.interventions.c,
        orm.development_plans.c,
        orm.plan_evaluations.c,
        orm.pupils.c,
    )
    case_cols = (c.id.label("case_id"), c.school_id, c.pupil_id, u.given_name, u.family_name)
    open_case = c.status != "closed"
    first_at, after_at = _local_days(start, end)
    interventions = (
        select(i.id, i.plan_id, i.evaluate_by.label("due_on"), *case_cols)
        .join_from(orm.interventions, orm.cases, i.case_id == c.id)
        .join(orm.pupils, c.pupil_id == u.id)
        .where(open_case, i.status == "active", i.evaluate_by.between(start, end))
    )
    has_meeting = e.meeting_starts_at.is_not(None) & ~e.meeting_cancelled
    evaluations = (
        select(
            e.id,
            e.plan_id,
            e.due_on,
            e.meeting_starts_at,
            e.meeting_minutes,
            e.meeting_sequence,
            e.meeting_cancelled,
            *case_cols,
        )
        .join_from(orm.plan_evaluations, orm.development_plans, e.plan_id == p.id)
        .join(orm.cases, p.case_id == c.id)
        .join(orm.pupils, c.pupil_id == u.id)
        .where(
            open_case,
            p.status == "active",
            e.status == "scheduled",
            or_(
                ~has_meeting & e.due_on.between(start, end),
                has_meeting & (e.meeting_starts_at >= first_at) & (e.meeting_starts_at < after_at),
            ),
        )
    )
    if school_id is not None:
        interventions = interventions.where(c.school_id == school_id)
        evaluations = evaluations.where(c.school_id == school_id)
    items = [
        _upcoming("intervention", row, row.due_on, today, intervention_id=row.id)
        for row in session.execute(calendar_scope(interventions, principal))
    ]
    for row in session.execute(calendar_scope(evaluations, principal)):
        if row.meeting_starts_at is not None and row.meeting_minutes and not row.meeting_cancelled:
            starts = row.meeting_starts_at  # UTC, as instants are shown
            items.append(
                _upcoming(
                    "meeting",
                    row,
                    starts.astimezone(AMSTERDAM).date(),
                    today,
                    evaluation_id=row.id,
                    starts_at=starts,
                    ends_at=starts + timedelta(minutes=row.meeting_minutes),
                    sequence=row.meeting_sequence,
                )
            )
        else:
            items.append(_upcoming("plan_evaluation", row, row.due_on, today, evaluation_id=row.id))
    items.sort(key=_order)
    return items


def _upcoming(kind: str, row: Any, day: date, today: date, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "kind": kind,
        "id": row.id,
        "date": day,
        "due_on": row.due_on,
        "starts_at": None,
        "ends_at": None,
        "sequence": 0,
        "case_id": row.case_id,
        "plan_id": row.plan_id,
        "intervention_id": None,
        "evaluation_id": None,
        "school_id": row.school_id,
        "pupil_id": row.pupil_id,
        "pupil": pupil_display(row.given_name, row.family_name),
        "overdue": row.due_on < today,
    }
    item.update(extra)
    return item


def _order(item: dict[str, Any]) -> tuple[Any, ...]:
    """By day; a day's all-day items first, then its meetings by time."""
    return (item["date"], item["starts_at"] is not None, item["starts_at"] or 0, str(item["id"]))


# -- dates now scheduled, for the notifications service's policy simulation ---------------------

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
        dates.meetings(*_local_days(start, end)),
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
    for chunk in _chunks(sorted(case_ids), 500):
        query = (
            select(o.type, o.envelope)
            .where(o.case_id.in_(chunk), o.type.in_(PLAN_EVALUATION_EVENTS))
            .order_by(o.seq)
        )
        for event_type, raw in session.execute(query):
            data = json.loads(raw)["data"]
            out[data["evaluation_id"]] = (event_type, data)
    return out


def _chunks(values: list[Any], size: int) -> list[list[Any]]:
    return [values[n : n + size] for n in range(0, len(values), size)]


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


def caseload(session: Session, principal: Principal, args: dict[str, Any], today: date) -> Page:
    """The pupils in support in scope (cases not closed) with each case's standing: next due
    date and flags (domain.caseload), searchable by name and filtered by school, level and flag;
    what is due first comes first."""
    c, p = orm.cases.c, orm.pupils.c
    query = (
        scope(_case_query(), principal, orm.cases)
        .join(orm.pupils, p.id == c.pupil_id)
        .where(c.status != "closed", p.anonymised_on.is_(None))
    )
    for key in ("school_id", "level", "status"):
        if args.get(key) is not None:
            query = query.where(getattr(c, key) == args[key])
    for word in (args.get("q") or "").split()[:5]:
        pattern = f"%{word.lower()}%"
        query = query.where(
            or_(func.lower(p.given_name).like(pattern), func.lower(p.family_name).like(pattern))
        )
    cases = list(session.execute(query).scalars().unique())
    horizons = _horizons(session, {case.partnership_id for case in cases})
    rows = []
    for case in cases:
        found = caseload_domain.standing(case, today, horizons[case.partnership_id])
        if args.get("flag") and args["flag"] not in found.flags:
            continue
        rows.append((case, found))
    pupils = _pupil_names(session, [case.pupil_id for case, _ in rows])
    rows.sort(key=lambda r: (r[1].next_due_on or date.max, pupils[r[0].pupil_id]["family_name"]))
    start = (args["page"] - 1) * args["page_size"]
    items = [
        _caseload_row(case, found, pupils[case.pupil_id])
        for case, found in rows[start : start + args["page_size"]]
    ]
    return Page(items, args["page"], args["page_size"], len(rows))


def _horizons(session: Session, partnership_ids: set[UUID]) -> dict[UUID, int]:
    """Each partnership's evaluation horizon in days: how near a deadline counts as near."""
    found = {pid: session.get(Partnership, pid) for pid in partnership_ids}
    return {pid: p.settings.evaluation_horizon_days if p else 14 for pid, p in found.items()}


def _pupil_names(session: Session, pupil_ids: list[UUID]) -> dict[UUID, dict[str, Any]]:
    p = orm.pupils.c
    names: dict[UUID, dict[str, Any]] = {}
    for chunk in _chunks(pupil_ids, 500):
        query = select(p.id, p.given_name, p.family_name, p.group).where(p.id.in_(chunk))
        names.update({row.id: dict(row._mapping) for row in session.execute(query)})
    return names


def _caseload_row(case: Case, found: caseload_domain.Standing, pupil: dict[str, Any]) -> Any:
    return {
        "case_id": case.id,
        "pupil_id": case.pupil_id,
        "school_id": case.school_id,
        "given_name": pupil["given_name"],
        "family_name": pupil["family_name"],
        "group": pupil["group"],
        "level": case.level,
        "status": case.status,
        "opened_on": case.opened_on,
        "next_due_on": found.next_due_on,
        "next_due_kind": found.next_due_kind,
        "flags": list(found.flags),
    }


# -- the law at a glance ----------------------------------------------------------------------


def legal_school(session: Session, principal: Principal, school_id: UUID) -> School:
    """The school whose plans' legal state the caller may read: its coordinator or director, or
    the partnership's consultant or administrator. A school out of sight is 404; a teacher is
    refused with 403."""
    school = session.get(School, school_id)
    if school is None or not principal.sees_school(school.partnership_id, school.id):
        raise NotFound("No such school.")
    if principal.role not in (Role.COORDINATOR, Role.DIRECTOR, Role.CONSULTANT, Role.ADMIN):
        raise Forbidden("Only the school's leaders and the partnership's staff see this.")
    return school


def legal_status(session: Session, school_id: UUID, today: date) -> list[dict[str, Any]]:
    """Every open plan of the school's open cases with the rules it meets or misses
    (domain.legal), by the pupil's family name."""
    c, p = orm.cases.c, orm.pupils.c
    query = (
        _case_query()
        .join(orm.pupils, p.id == c.pupil_id)
        .where(c.school_id == school_id, c.status != "closed", p.anonymised_on.is_(None))
    )
    rows = []
    for case in session.execute(query).scalars().unique():
        plans = legal_domain.open_plans(case)
        if not plans:
            continue
        pupil = session.get(Pupil, case.pupil_id)
        assert pupil is not None
        for plan in plans:
            state = legal_domain.plan_legal_state(
                case, plan, has_pupil_number=bool(pupil.pupil_number), today=today
            )
            rows.append(
                {
                    "case_id": case.id,
                    "plan_id": plan.id,
                    "pupil_id": pupil.id,
                    "given_name": pupil.given_name,
                    "family_name": pupil.family_name,
                    "group": pupil.group,
                    "plan_status": state.plan_status,
                    "activated_on": plan.activated_on,
                    "complete": state.complete,
                    "rules": state.rules,
                }
            )
    return sorted(rows, key=lambda r: (r["family_name"].lower(), r["given_name"].lower()))
