"""Report schedules: which periodic reports (month, quarter, school year) each school gets. The
partnership's administrator sets the partnership's default; a school's director or coordinator
(or the administrator) sets the school's own, which wins. Neither set: the service's setting
(REPORTS_PERIODS)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from services.reports.api.reports import school_partnership
from services.reports.api.schemas import (
    ScheduleInSchema,
    SchedulesSchema,
    SchoolScheduleSchema,
    StoredScheduleSchema,
)
from services.reports.bootstrap import Container
from services.reports.domain.schedule import StoredSchedule, ordered, schedules_of
from shared.auth import PARTNERSHIP_ROLES, Role
from shared.errors import Forbidden
from shared.web import principal

blp = Blueprint(
    "schedules",
    __name__,
    url_prefix="/api/v1/reports/schedules",
    description="Which periodic reports each school gets: its own schedule, else the "
    "partnership's default.",
)
SCHOOL_LEADERS = frozenset({Role.DIRECTOR, Role.COORDINATOR})
NOT_YOURS = "Report schedules are for the partnership's staff and the school's leadership."


def _c() -> Container:
    return current_app.extensions["reports"]


def _reader_partnership() -> UUID:
    """The caller's partnership, if they may see schedules at all."""
    p = principal()
    if p.partnership_id is None or p.role not in PARTNERSHIP_ROLES | SCHOOL_LEADERS:
        raise Forbidden(NOT_YOURS)
    return p.partnership_id


def _school_to_change(school_id: UUID) -> UUID:
    """The caller's partnership if they may change this school's schedule: the partnership's
    administrator for its schools, a director or coordinator for their own (404 for any other
    school, as the reports do)."""
    return school_partnership(
        school_id,
        frozenset({Role.ADMIN}),
        "A school's schedule is set by its leadership or the administrator.",
    )


def _stored(s: StoredSchedule | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {
        "kinds": [k.value for k in s.kinds],
        "updated_at": s.updated_at,
        "updated_by": s.updated_by,
    }


def _overview(partnership_id: UUID, school_ids: list[UUID] | None = None) -> dict[str, Any]:
    """The partnership's default and, for each school (the partnership's known schools and any
    with a schedule of its own, unless `school_ids` names them), its own and effective schedule."""
    c = _c()
    with c.store() as store:
        stored = store.schedules(partnership_id)
    own = {s.school_id: s for s in stored if s.school_id is not None}
    default = next((s for s in stored if s.school_id is None), None)
    with c.reader() as reader:
        if school_ids is None:
            school_ids = sorted({*reader.schools_of(partnership_id), *own})
        names = reader.school_names(school_ids)
    resolved = schedules_of(c.settings.periodic_kinds, stored)
    schools = []
    for school_id in school_ids:
        effective = resolved.effective(partnership_id, school_id)
        schools.append(
            {
                "school_id": school_id,
                "school_name": names.get(school_id),
                "own": _stored(own.get(school_id)),
                "effective": {
                    "kinds": [k.value for k in effective.kinds],
                    "source": effective.source.value,
                },
            }
        )
    return {
        "partnership_id": partnership_id,
        "setting": [k.value for k in resolved.setting],
        "partnership": _stored(default),
        "schools": schools,
    }


def _visible_schools() -> list[UUID] | None:
    """None for the partnership's staff (every school); a school leader's own schools."""
    p = principal()
    return None if p.role in PARTNERSHIP_ROLES else sorted(p.school_ids)


def _set(partnership_id: UUID, school_id: UUID | None, kinds: list[str]) -> None:
    c = _c()
    with c.store() as store:
        store.set_schedule(partnership_id, school_id, ordered(kinds), c.clock.now(), _user())
        store.commit()


def _user() -> UUID:
    return principal().user_id


def _school_entry(partnership_id: UUID, school_id: UUID) -> dict[str, Any]:
    [entry] = _overview(partnership_id, [school_id])["schools"]
    return entry


@blp.route("")
class Schedules(MethodView):
    @blp.response(200, SchedulesSchema)
    def get(self) -> dict[str, Any]:
        """The partnership's default and every school's own and effective schedule (a director
        or coordinator sees their own school's)."""
        return _overview(_reader_partnership(), _visible_schools())


@blp.route("/partnership")
class PartnershipSchedule(MethodView):
    @blp.arguments(ScheduleInSchema)
    @blp.response(200, StoredScheduleSchema)
    def put(self, data: dict[str, Any]) -> dict[str, Any] | None:
        """Set the partnership's default: schools without a schedule of their own get these
        periodic reports (administrators only)."""
        p = principal()
        if p.partnership_id is None or p.role is not Role.ADMIN:
            raise Forbidden("The partnership's default is set by its administrator.")
        _set(p.partnership_id, None, data["kinds"])
        return _overview(p.partnership_id, [])["partnership"]


@blp.route("/schools/<uuid:school_id>")
class SchoolSchedule(MethodView):
    @blp.arguments(ScheduleInSchema)
    @blp.response(200, SchoolScheduleSchema)
    def put(self, data: dict[str, Any], school_id: UUID) -> dict[str, Any]:
        """Set the school's own schedule, which wins over the partnership's default (the school's
        director or coordinator, or the administrator)."""
        partnership_id = _school_to_change(school_id)
        _set(partnership_id, school_id, data["kinds"])
        return _school_entry(partnership_id, school_id)

    @blp.response(200, SchoolScheduleSchema)
    def delete(self, school_id: UUID) -> dict[str, Any]:
        """Drop the school's own schedule: the partnership's default applies again."""
        partnership_id = _school_to_change(school_id)
        with _c().store() as store:
            store.delete_schedule(partnership_id, school_id)
            store.commit()
        return _school_entry(partnership_id, school_id)
