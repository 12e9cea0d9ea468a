"""Use cases of the cases service. Each checks the caller's scope, changes one aggregate through
its methods, and commits; the unit of work writes the recorded events to the outbox."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from services.cases.domain import commands, events, parents, second_factor
from services.cases.domain.catalog import EXIT_DESTINATIONS, REFERRAL_DESTINATIONS
from services.cases.domain.model import Case
from services.cases.domain.plan import Scenario
from services.cases.domain.referral import Referral
from services.cases.domain.school import (
    Guardian,
    Partnership,
    PartnershipSettings,
    Pupil,
    School,
    StaffAssignment,
    SupportProfile,
    User,
    current_profile,
)
from services.cases.domain.second_factor import SecretBox
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork
from shared.auth import (
    SCHOOL_ROLES,
    STAFF_ROLES,
    Principal,
    Role,
    Validity,
    check_password,
    hash_password,
)
from shared.clock import local_today
from shared.errors import Forbidden, NotFound, Problems, RuleViolation, StateConflict, Unauthorized

# -- access ------------------------------------------------------------------------------------


def _writable_case(uow: AbstractUnitOfWork, case: Case | None, actor: Principal) -> Case:
    """The case if the actor may change it; 404 when out of sight, 403 when read-only."""
    if case is None or not actor.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
        raise NotFound("No such case.")
    if not actor.writes_pupil(case.partnership_id, case.school_id):
        raise Forbidden("Only the school's coordinator may change a case.")
    return case


def _carries_out(
    uow: AbstractUnitOfWork, case: Case | None, intervention_id: UUID, actor: Principal
) -> bool:
    """Whether the actor is a teacher who carries out this basic intervention: a teacher of the
    school assigned to the pupil. They record how it went; everything else stays the
    coordinator's."""
    if case is None or actor.role is not Role.TEACHER:
        return False
    if not actor.sees_school(case.partnership_id, case.school_id):
        return False
    if case.intervention(intervention_id).level != "basic":
        return False
    pupil = uow.repo.pupil(case.pupil_id)
    return pupil is not None and any(
        s.user_id == actor.user_id and s.role == Role.TEACHER.value for s in pupil.staff
    )


def _settings(uow: AbstractUnitOfWork, partnership_id: UUID) -> PartnershipSettings:
    partnership = uow.repo.partnership(partnership_id)
    assert partnership is not None, "every school belongs to a partnership"
    return partnership.settings


def _school_for(uow: AbstractUnitOfWork, school_id: UUID, actor: Principal) -> School:
    school = uow.repo.school(school_id)
    if school is None or not actor.sees_school(school.partnership_id, school.id):
        raise NotFound("No such school.")
    return school


# -- partnership, schools, users -------------------------------------------------------------


def create_partnership(cmd: commands.CreatePartnership, uow: AbstractUnitOfWork) -> UUID:
    """Create a partnership with its first administrator (used by the bootstrap command)."""
    with uow:
        if uow.repo.user_by_email(cmd.admin_email):
            raise StateConflict("A user with this e-mail exists.", code="email_taken")
        partnership = Partnership(name=cmd.name)
        uow.repo.add(partnership)
        uow.emit(
            events.PartnershipRegistered(
                partnership_id=partnership.id, school_id=None, name=partnership.name
            )
        )
        uow.repo.add(
            User(
                partnership_id=partnership.id,
                role=Role.ADMIN.value,
                email=cmd.admin_email.strip().lower(),
                name=cmd.admin_name,
                password_hash=hash_password(cmd.admin_password),
            )
        )
        uow.commit()
        return partnership.id


def update_partnership_settings(
    cmd: commands.UpdatePartnershipSettings, uow: AbstractUnitOfWork, actor: Principal
) -> None:
    """Change a partnership's settings (domain lists, deadlines, horizons)."""
    with uow:
        partnership = uow.repo.partnership(cmd.partnership_id)
        if partnership is None or not actor.sees_partnership(partnership.id):
            raise NotFound("No such partnership.")
        if not actor.administers(partnership.id):
            raise Forbidden("Only the partnership's administrator may change its settings.")
        partnership.settings = dataclasses.replace(partnership.settings, **cmd.changes)
        uow.commit()


def create_school(cmd: commands.CreateSchool, uow: AbstractUnitOfWork, actor: Principal) -> UUID:
    """Add a school to the partnership."""
    if not actor.administers(cmd.partnership_id):
        raise Forbidden("Only the partnership's administrator may add schools.")
    with uow:
        school = School(
            partnership_id=cmd.partnership_id, name=cmd.name, region=cmd.region, brin=cmd.brin
        )
        uow.repo.add(school)
        uow.emit(
            events.SchoolRegistered(
                partnership_id=school.partnership_id,
                school_id=school.id,
                name=school.name,
                brin=school.brin,
                region=school.region,
            )
        )
        uow.commit()
        return school.id


def create_user(cmd: commands.CreateUser, uow: AbstractUnitOfWork, actor: Principal) -> UUID:
    """Create a staff or guardian account in the administrator's partnership."""
    if actor.role is not Role.ADMIN or actor.partnership_id is None:
        raise Forbidden("Only a partnership administrator may create accounts.")
    problems = Problems()
    role = Role(cmd.role)
    problems.check(
        role not in SCHOOL_ROLES or cmd.school_id is not None,
        "school_id",
        "School staff need a school.",
    )
    problems.check(
        role in SCHOOL_ROLES or cmd.school_id is None,
        "school_id",
        "Only school staff belong to a school.",
    )
    problems.check(role is not Role.SERVICE, "role", "Service accounts are made by command.")
    problems.raise_if_any("The account cannot be created.")
    with uow:
        if cmd.school_id is not None:
            _school_for(uow, cmd.school_id, actor)
        email = cmd.email.strip().lower()
        if uow.repo.user_by_email(email):
            raise StateConflict(
                "A user with this e-mail exists.",
                code="email_taken",
                errors={"email": ["Already in use."]},
            )
        user = User(
            partnership_id=actor.partnership_id,
            school_id=cmd.school_id,
            role=role.value,
            email=email,
            name=cmd.name,
            password_hash=hash_password(cmd.password) if cmd.password else None,
            language=cmd.language,
            phone=cmd.phone,
        )
        uow.repo.add(user)
        uow.commit()
        return user.id


def _administered_user(uow: AbstractUnitOfWork, user_id: UUID, actor: Principal) -> User:
    """An account of the actor's partnership that the actor administers; 404 when it is another
    partnership's, 403 when the actor is no administrator."""
    user = uow.repo.user(user_id)
    if user is None or user.partnership_id != actor.partnership_id:
        raise NotFound("No such user.")
    if not actor.administers(user.partnership_id):
        raise Forbidden("Only the partnership's administrator changes accounts.")
    return user


def set_user_active(
    cmd: commands.SetUserActive,
    uow: AbstractUnitOfWork,
    actor: Principal,
    on_change: Callable[[UUID, Validity], None],
) -> Validity:
    """Disable or re-enable an account of the administrator's partnership. A disable refuses
    every token issued so far, and they stay refused after a re-enable (the user logs in again):
    the account's `tokens_valid_after`, in this database, is the durable truth.

    `on_change` runs before the commit with the account's new validity (it writes the other
    services' cache through, see shared.revocation): if it fails nothing changes, and if the
    commit fails the account is refused in the other services for a minute but still active
    here, the safe side. Returns the validity, for the caller to write through once more."""
    with uow:
        user = _administered_user(uow, cmd.user_id, actor)
        if user.id == actor.user_id and not cmd.active:
            raise RuleViolation(
                "Administrators cannot disable their own account.",
                code="own_account",
                errors={"active": ["Ask another administrator."]},
            )
        if cmd.active:
            user.enable()
        else:
            user.disable(uow.clock.now())
        validity = Validity(user.active, user.tokens_valid_after)
        on_change(user.id, validity)
        uow.commit()
        return validity


def authenticate(email: str, password: str, uow: AbstractUnitOfWork) -> Principal:
    """Check credentials and return the principal a token is issued for."""
    with uow:
        return principal_of(_by_credentials(email, password, uow), uow)


def _by_credentials(email: str, password: str, uow: AbstractUnitOfWork) -> User:
    """The active user with this e-mail address and password (inside an open unit of work)."""
    user = uow.repo.user_by_email(email.strip().lower())
    ok = check_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        raise Unauthorized("The e-mail address or password is wrong.", code="invalid_credentials")
    return user


@dataclass(frozen=True)
class LogInResult:
    """Who logged in, and the recovery codes made when this log-in confirmed an enrolment of the
    second factor (shown to the user once, never stored in the clear)."""

    principal: Principal
    recovery_codes: list[str]


def log_in(
    cmd: commands.LogIn, uow: AbstractUnitOfWork, now: datetime, box: SecretBox
) -> LogInResult:
    """Check the password and, when the account has or needs one, the second factor."""
    with uow:
        user = _by_credentials(cmd.email, cmd.password, uow)
        partnership = uow.repo.partnership(user.partnership_id)
        demanded = partnership is not None and partnership.settings.staff_second_factor_required
        required = second_factor.required_for(user.role, demanded)
        state = user.second_factor()
        before = dataclasses.replace(state, recovery_code_hashes=list(state.recovery_code_hashes))
        codes = second_factor.check_at_log_in(state, required, cmd.code, now, box)
        if state != before:
            user.keep_second_factor(state)
            uow.commit()
        return LogInResult(principal_of(user, uow), codes)


def enrol_second_factor(
    cmd: commands.EnrolSecondFactor, uow: AbstractUnitOfWork, box: SecretBox
) -> second_factor.Enrolment:
    """A new TOTP secret for a staff account, pending until a log-in confirms it with a code."""
    with uow:
        user = _by_credentials(cmd.email, cmd.password, uow)
        if Role(user.role) not in second_factor.SECOND_FACTOR_ROLES:
            raise Forbidden("Only staff accounts use a second factor.")
        state = user.second_factor()
        if state.enabled:
            raise StateConflict(
                "This account already has a second factor; an administrator can remove it.",
                code="second_factor_enabled",
            )
        enrolment = second_factor.start_enrolment(state, user.email, box)
        user.keep_second_factor(state)
        uow.commit()
        return enrolment


def disable_second_factor(
    cmd: commands.DisableSecondFactor, uow: AbstractUnitOfWork, actor: Principal
) -> None:
    """Remove an account's second factor (the administrator, e.g. for a lost phone)."""
    with uow:
        user = _administered_user(uow, cmd.user_id, actor)
        state = user.second_factor()
        second_factor.disable(state)
        user.keep_second_factor(state)
        uow.commit()


def principal_of(user: User, uow: AbstractUnitOfWork) -> Principal:
    """The scope of a user: their school, a guardian's own children, a teacher's assigned
    pupils."""
    pupils: list[UUID] = []
    if user.role == Role.GUARDIAN:
        pupils = uow.repo.guardian_pupils(user.id)
    elif user.role == Role.TEACHER:
        pupils = uow.repo.assigned_pupils(user.id)
    return Principal(
        user_id=user.id,
        role=Role(user.role),
        partnership_id=user.partnership_id,
        school_ids=frozenset([user.school_id] if user.school_id else []),
        pupil_ids=frozenset(pupils),
    )


# -- support profiles and pupils --------------------------------------------------------------


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


# -- cases and interventions ------------------------------------------------------------------


def open_case(cmd: commands.OpenCase, uow: AbstractUnitOfWork, actor: Principal) -> UUID:
    """Open a support case for a pupil who has none open."""
    with uow:
        pupil = uow.repo.pupil(cmd.pupil_id)
        if pupil is None or not actor.sees_pupil(pupil.partnership_id, pupil.school_id, pupil.id):
            raise NotFound("No such pupil.")
        if not actor.writes_pupil(pupil.partnership_id, pupil.school_id):
            raise Forbidden("Only the school's coordinator may open a case.")
        if uow.cases.open_case_of(pupil.id) is not None:
            raise StateConflict("The pupil already has an open case.", code="case_exists")
        case = Case.open(
            pupil=pupil,
            opened_on=cmd.opened_on,
            needs_extra_support=cmd.needs_extra_support,
            settings=_settings(uow, pupil.partnership_id),
            today=local_today(uow.clock),
        )
        uow.cases.add(case)
        uow.commit()
        return case.id


def close_case(cmd: commands.CloseCase, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """Close a case (and its open plan)."""
    with uow:
        case = _writable_case(uow, uow.cases.get(cmd.case_id, for_update=True), actor)
        case.close(cmd.closed_on, cmd.reason, today=local_today(uow.clock), now=uow.clock.now())
        uow.commit()


def start_intervention(
    cmd: commands.StartIntervention, uow: AbstractUnitOfWork, actor: Principal
) -> UUID:
    """Start a basic or (under an active plan) extra intervention."""
    with uow:
        case = _writable_case(uow, uow.cases.get(cmd.case_id, for_update=True), actor)
        profile = current_profile(uow.repo.profiles(case.school_id), cmd.starts_on)
        item = case.start_intervention(
            domain=cmd.domain,
            goal=cmd.goal,
            starts_on=cmd.starts_on,
            evaluate_by=cmd.evaluate_by,
            settings=_settings(uow, case.partnership_id),
            profile=profile,
        )
        uow.commit()
        return item.id


def evaluate_intervention(
    cmd: commands.EvaluateIntervention, uow: AbstractUnitOfWork, actor: Principal
) -> UUID:
    """Record the effect of an intervention; returns its case id."""
    with uow:
        case = uow.cases.by_intervention(cmd.intervention_id)
        if not _carries_out(uow, case, cmd.intervention_id, actor):
            case = _writable_case(uow, case, actor)
        assert case is not None
        case.evaluate_intervention(
            cmd.intervention_id,
            outcome=cmd.outcome,
            note=cmd.note,
            evaluated_on=cmd.evaluated_on,
            today=local_today(uow.clock),
            evaluated_by=actor.user_id,
        )
        uow.commit()
        return case.id


# -- development plans ------------------------------------------------------------------------


def create_development_plan(
    cmd: commands.CreateDevelopmentPlan, uow: AbstractUnitOfWork, actor: Principal
) -> UUID:
    """Draft a development plan (OPP) on a case."""
    if cmd.exit_destination not in EXIT_DESTINATIONS:
        raise RuleViolation(
            "Unknown exit destination.",
            errors={"exit_destination": [f"Must be one of: {', '.join(EXIT_DESTINATIONS)}."]},
        )
    with uow:
        case = _writable_case(uow, uow.cases.get(cmd.case_id, for_update=True), actor)
        plan = case.create_plan(
            exit_destination=cmd.exit_destination,
            hindering_factors=cmd.hindering_factors,
            supporting_factors=cmd.supporting_factors,
            action_plan=cmd.action_plan,
            deviations=cmd.deviations,
            scenarios=[Scenario(s["expected_effect"], s["review_by"]) for s in cmd.scenarios],
            agreed_end_date=cmd.agreed_end_date,
            evaluation_dates=cmd.evaluation_dates,
            created_on=cmd.created_on,
        )
        uow.commit()
        return plan.id


def _plan_case(uow: AbstractUnitOfWork, plan_id: UUID, actor: Principal) -> Case:
    case = uow.cases.by_plan(plan_id)
    if case is None or not actor.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
        raise NotFound("No such development plan.")
    return _writable_case(uow, case, actor)


def record_consultation(
    cmd: commands.RecordConsultation, uow: AbstractUnitOfWork, actor: Principal
) -> None:
    """Record the consultation with the parents (OOGO)."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        case.record_consultation(
            cmd.plan_id,
            held_on=cmd.held_on,
            participants=cmd.participants,
            today=local_today(uow.clock),
        )
        uow.commit()


def record_pupil_view(
    cmd: commands.RecordPupilView, uow: AbstractUnitOfWork, actor: Principal
) -> None:
    """Record that the pupil was heard."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        case.record_pupil_view(
            cmd.plan_id, heard_on=cmd.heard_on, summary=cmd.summary, today=local_today(uow.clock)
        )
        uow.commit()


def change_action_plan(
    cmd: commands.ChangeActionPlan, uow: AbstractUnitOfWork, actor: Principal
) -> None:
    """Change the action plan; it needs the parents' consent again (asked at once when active)."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        case.change_action_plan(
            cmd.plan_id,
            action_plan=cmd.action_plan,
            deviations=cmd.deviations,
            today=local_today(uow.clock),
        )
        uow.commit()


def request_consent(
    cmd: commands.RequestConsent, uow: AbstractUnitOfWork, actor: Principal
) -> None:
    """Ask the parents for consent on the current action plan."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        case.request_consent(cmd.plan_id, requested_on=cmd.requested_on)
        uow.commit()


def record_consent(cmd: commands.RecordConsent, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """Record the parents' consent (agreed or declined)."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        pupil = uow.repo.pupil(case.pupil_id)
        assert pupil is not None
        known = {g.id for g in pupil.guardians}
        unknown = [str(g) for g in cmd.guardian_ids if g not in known]
        if unknown:
            raise RuleViolation(
                "Consent is given by the pupil's own guardians.",
                errors={"guardian_ids": [f"Not a guardian of this pupil: {g}" for g in unknown]},
            )
        case.record_consent(
            cmd.plan_id,
            decision=cmd.decision,
            recorded_on=cmd.recorded_on,
            guardian_ids=[str(g) for g in cmd.guardian_ids],
            today=local_today(uow.clock),
            needed=consent_needed(uow, case, pupil),
        )
        uow.commit()


def consent_needed(uow: AbstractUnitOfWork, case: Case, pupil: Pupil) -> frozenset[str] | None:
    """Whose agreement counts for this pupil's plans: None when one guardian's suffices (the
    partnership's `consent_from` is `one`), else every guardian's with parental authority."""
    partnership = uow.repo.partnership(case.partnership_id)
    rule = partnership.settings.consent_from if partnership is not None else "one"
    return parents.needed_guardians(rule, pupil.guardians)


def schedule_evaluation(
    cmd: commands.ScheduleEvaluation, uow: AbstractUnitOfWork, actor: Principal
) -> UUID:
    """Schedule an evaluation of the plan."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        evaluation = case.schedule_evaluation(
            cmd.plan_id, due_on=cmd.due_on, today=local_today(uow.clock)
        )
        uow.commit()
        return evaluation.id


def reschedule_evaluation(
    cmd: commands.RescheduleEvaluation, uow: AbstractUnitOfWork, actor: Principal
) -> None:
    """Move a scheduled evaluation."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        case.reschedule_evaluation(
            cmd.plan_id, cmd.evaluation_id, due_on=cmd.due_on, today=local_today(uow.clock)
        )
        uow.commit()


def plan_meeting(cmd: commands.PlanMeeting, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """Plan or move the meeting of a scheduled evaluation (a calendar invitation follows)."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        case.plan_meeting(
            cmd.plan_id,
            cmd.evaluation_id,
            starts_at=cmd.starts_at,
            minutes=cmd.duration_minutes,
            location=cmd.location,
            video_url=cmd.video_url,
            now=uow.clock.now(),
        )
        uow.commit()


def cancel_meeting(cmd: commands.CancelMeeting, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """Cancel the meeting of an evaluation (the invitation is withdrawn)."""
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        case.cancel_meeting(cmd.plan_id, cmd.evaluation_id)
        uow.commit()


def evaluate_plan(
    cmd: commands.EvaluatePlan, uow: AbstractUnitOfWork, actor: Principal
) -> Referral | None:
    """Evaluate the plan with the parents: continue, back to basic, or refer."""
    if cmd.referral_destination and cmd.referral_destination not in REFERRAL_DESTINATIONS:
        raise RuleViolation(
            "Unknown referral destination.",
            errors={
                "referral_destination": [f"Must be one of: {', '.join(REFERRAL_DESTINATIONS)}."]
            },
        )
    with uow:
        case = _plan_case(uow, cmd.plan_id, actor)
        referral = case.evaluate_plan(
            cmd.plan_id,
            evaluation_id=cmd.evaluation_id,
            held_on=cmd.held_on,
            decision=cmd.decision,
            note=cmd.note,
            next_evaluation_on=cmd.next_evaluation_on,
            referral_destination=cmd.referral_destination,
            today=local_today(uow.clock),
            now=uow.clock.now(),
        )
        uow.commit()
        return referral


def record_admission_statement(
    cmd: commands.RecordAdmissionStatement, uow: AbstractUnitOfWork, actor: Principal
) -> UUID:
    """Record the admission statement (TLV) of a referral; returns the case id."""
    with uow:
        case = uow.cases.by_referral(cmd.referral_id)
        if case is None or not actor.sees_pupil(case.partnership_id, case.school_id, case.pupil_id):
            raise NotFound("No such referral.")
        case = _writable_case(uow, case, actor)
        if uow.applications.by_referral(cmd.referral_id) is not None:
            raise StateConflict(
                "This referral has a TLV application: the partnership's decision on it records "
                "the admission statement.",
                code="application_exists",
            )
        case.record_admission_statement(
            cmd.referral_id, valid_from=cmd.valid_from, valid_until=cmd.valid_until
        )
        uow.commit()
        return case.id


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
