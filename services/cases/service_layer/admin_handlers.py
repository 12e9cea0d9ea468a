"""The administrator's changes to schools and accounts after they were made: a school's name,
region or BRIN, and a staff account's role. (Creating them is in handlers.)"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from services.cases.domain import commands
from services.cases.service_layer.handlers.access import _school_for
from services.cases.service_layer.handlers.accounts import _administered_user
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork
from shared.auth import PARTNERSHIP_ROLES, SCHOOL_ROLES, Principal, Role, Validity
from shared.errors import Forbidden, Problems, RuleViolation

# The roles an administrator may give a staff account (guardian and service accounts are made
# their own way and keep their role).
ASSIGNABLE = frozenset({*SCHOOL_ROLES, *PARTNERSHIP_ROLES})


def update_school(cmd: commands.UpdateSchool, uow: AbstractUnitOfWork, actor: Principal) -> None:
    """Change a school's name, region or BRIN (the partnership's administrator)."""
    with uow:
        school = _school_for(uow, cmd.school_id, actor)
        if not actor.administers(school.partnership_id):
            raise Forbidden("Only the partnership's administrator may change schools.")
        for name in ("name", "region", "brin"):
            if name in cmd.changes:
                setattr(school, name, cmd.changes[name])
        uow.commit()


def change_user_role(
    cmd: commands.ChangeUserRole,
    uow: AbstractUnitOfWork,
    actor: Principal,
    on_change: Callable[[UUID, Validity], None],
) -> Validity:
    """Give a staff account another role (and school). A token names its role and schools, so
    every token issued so far is refused from now on (as on a disable; `on_change` writes the
    other services' cache through before the commit) and the user logs in again."""
    with uow:
        user = _administered_user(uow, cmd.user_id, actor)
        if user.id == actor.user_id:
            raise RuleViolation(
                "Administrators cannot change their own role.",
                code="own_account",
                errors={"role": ["Ask another administrator."]},
            )
        role = Role(cmd.role)
        problems = Problems()
        problems.check(
            Role(user.role) in ASSIGNABLE, "role", "Only a staff account's role can change."
        )
        problems.check(role in ASSIGNABLE, "role", "Not a staff role.")
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
        problems.raise_if_any("The role cannot change.")
        if cmd.school_id is not None:
            _school_for(uow, cmd.school_id, actor)  # 404 for another partnership's school
        user.role = role.value
        user.school_id = cmd.school_id
        user.tokens_valid_after = uow.clock.now()
        validity = Validity(user.active, user.tokens_valid_after)
        on_change(user.id, validity)
        uow.commit()
        return validity
