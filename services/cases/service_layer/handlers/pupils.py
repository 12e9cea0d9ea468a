"""Use cases on support profiles and pupils: publishing a profile, registering a pupil,
recording that a pupil left and revoking a guardian's links."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from services.cases.domain import commands
from services.cases.domain.school import Guardian, Pupil, StaffAssignment, SupportProfile
from services.cases.service_layer.handlers.access import _school_for, _settings
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork
from shared.auth import STAFF_ROLES, Principal, Role
from shared.clock import local_today
from shared.errors import Forbidden, NotFound, Problems


def publish_support_profile(
    cmd: commands.PublishSupportProfile, uow: AbstractUnitOfWork, actor: Principal
) -> UUID:
    """Publish a new version of a school's support profile (SOP)."""
    with uow:
        school = _school_for(uow, cmd.school_id, actor)
        if not (
            actor.administers(school.partnership_id)
            or (
                actor.role in (Role.COORDINATOR, Role.DIRECTOR)
                and actor.sees_school(school.partnership_id, school.id)
            )
        ):
            raise Forbidden("Only the school's director or coordinator may publish its profile.")
        previous = max((p.version for p in uow.repo.profiles(school.id)), default=0)
        profile = SupportProfile.publish(
            school=school,
            settings=_settings(uow, school.partnership_id),
            previous_version=previous,
            basic_domains=cmd.basic_domains,
            extra_domains=cmd.extra_domains,
            valid_from=cmd.valid_from,
            review_by=cmd.review_by,
            published_on=local_today(uow.clock),
        )
        uow.repo.add(profile)
        uow.commit()
        return profile.id


def register_pupil(cmd: commands.RegisterPupil, uow: AbstractUnitOfWork, actor: Principal) -> UUID:
    """Register a pupil with guardians and the staff around them."""
    with uow:
        school = _school_for(uow, cmd.school_id, actor)
        if not actor.writes_pupil(school.partnership_id, school.id):
            raise Forbidden("Only the school's coordinator may register pupils.")
        problems = Problems()
        if cmd.pupil_number and uow.repo.pupil_number_taken(school.id, cmd.pupil_number):
            problems.add("pupil_number", "Another pupil of this school has this number.")
        staff = []
        for i, member in enumerate(cmd.staff):
            user = uow.repo.user(member["user_id"])
            fits = (
                user is not None
                and user.active
                and user.partnership_id == school.partnership_id
                and user.role in STAFF_ROLES
                and user.role == member["role"]
                and user.school_id in (None, school.id)
            )
            problems.check(
                fits,
                f"staff.{i}.user_id",
                "Not an active staff member of this school or partnership in that role.",
            )
            staff.append(StaffAssignment(user_id=member["user_id"], role=member["role"]))
        problems.raise_if_any("The pupil cannot be registered.")
        guardians = [Guardian(**g) for g in cmd.guardians]
        for guardian in guardians:
            account = uow.repo.user_by_email(guardian.email) if guardian.email else None
            if (
                account
                and account.role == Role.GUARDIAN
                and (account.partnership_id == school.partnership_id)
            ):
                guardian.user_id = account.id
        pupil = Pupil.register(
            local_today(uow.clock),
            partnership_id=school.partnership_id,
            school_id=school.id,
            given_name=cmd.given_name,
            family_name=cmd.family_name,
            date_of_birth=cmd.date_of_birth,
            group=cmd.group,
            enrolled_on=cmd.enrolled_on,
            pupil_number=cmd.pupil_number,
            guardians=guardians,
            staff=staff,
        )
        uow.repo.add(pupil)
        uow.commit()
        return pupil.id


def record_leaving(
    pupil_id: UUID, left_on: date, uow: AbstractUnitOfWork, actor: Principal
) -> None:
    """Record that a pupil left the school (the start of the retention period); a case still
    open is flagged to the coordinator and the administrator (`pupil.left_with_open_case`)."""
    with uow:
        pupil = uow.repo.pupil(pupil_id)
        if pupil is None or not actor.sees_pupil(pupil.partnership_id, pupil.school_id, pupil.id):
            raise NotFound("No such pupil.")
        if not actor.writes_pupil(pupil.partnership_id, pupil.school_id):
            raise Forbidden("Only the school's coordinator records that a pupil left.")
        open_case = uow.cases.open_case_of(pupil.id)
        pupil.leave(left_on, local_today(uow.clock), open_case.id if open_case else None)
        uow.commit()


def revoke_guardian_links(
    pupil_id: UUID, guardian_id: UUID, uow: AbstractUnitOfWork, actor: Principal
) -> None:
    """Stop every preference link sent to one guardian so far (a forwarded or leaked message);
    the links in later messages work. The school's coordinator or the partnership's
    administrator."""
    with uow:
        pupil = uow.repo.pupil(pupil_id)
        if pupil is None or not actor.sees_pupil(pupil.partnership_id, pupil.school_id, pupil.id):
            raise NotFound("No such pupil.")
        guardian = next((g for g in pupil.guardians if g.id == guardian_id), None)
        if guardian is None:
            raise NotFound("No such guardian of this pupil.")
        if not (
            actor.writes_pupil(pupil.partnership_id, pupil.school_id)
            or actor.administers(pupil.partnership_id)
        ):
            raise Forbidden("Only the school's coordinator or the administrator revokes links.")
        guardian.revoke_links(uow.clock.now())
        uow.commit()
