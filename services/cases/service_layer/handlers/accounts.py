"""Use cases on the partnership, its schools and users: settings, accounts, signing in and
the second factor."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from services.cases.domain import commands, events, second_factor
from services.cases.domain.school import Partnership, School, User
from services.cases.domain.second_factor import SecretBox
from services.cases.service_layer.handlers.access import _school_for
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork
from shared.auth import SCHOOL_ROLES, Principal, Role, Validity, check_password, hash_password
from shared.errors import Forbidden, NotFound, Problems, RuleViolation, StateConflict, Unauthorized


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
