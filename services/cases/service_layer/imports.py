"""Bulk import use cases: pupils with guardians (the school's coordinator) and staff (the
partnership's administrator). Every good row of a file is written in one transaction, or none is;
a dry run reports the same row by row and writes nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from services.cases.domain.imports import (
    PUPIL_COLUMNS,
    PUPIL_REQUIRED,
    STAFF_COLUMNS,
    STAFF_REQUIRED,
    ImportPupils,
    ImportStaff,
    PupilRow,
    Rejected,
    Sheet,
    StaffRow,
    map_columns,
    new_guardian,
    parse_pupil_rows,
    parse_staff_rows,
    pupil_changes,
    staff_changes,
    update_pupil,
)
from services.cases.domain.school import Pupil, School, User
from services.cases.service_layer.unit_of_work import AbstractUnitOfWork
from shared.auth import SCHOOL_ROLES, Principal, Role
from shared.clock import local_today, school_year_of
from shared.errors import Forbidden, NotFound, RuleViolation

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"

# Reads an uploaded file (its content and name) into a sheet, refusing what it cannot read:
# adapters/spreadsheet.read_sheet, given by the caller so that this layer opens no files.
SheetReader = Callable[[bytes, str], Sheet]


@dataclass
class RowResult:
    """What happened (or, in a dry run, would happen) to one row of the file."""

    row: int
    status: str
    key: str | None  # the pupil number, or the staff member's e-mail
    errors: dict[str, list[str]] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """The outcome of an import, row by row."""

    dry_run: bool
    rows: list[RowResult]

    @property
    def summary(self) -> dict[str, int]:
        """How many rows were created, updated, unchanged and rejected."""
        counts = dict.fromkeys((CREATED, UPDATED, UNCHANGED, REJECTED), 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts


def _school(uow: AbstractUnitOfWork, school_id: UUID, actor: Principal) -> School:
    school = uow.repo.school(school_id)
    if school is None or not actor.sees_school(school.partnership_id, school.id):
        raise NotFound("No such school.")
    return school


def _rejected(items: list[Rejected]) -> list[RowResult]:
    return [RowResult(r.row, REJECTED, r.key, r.errors) for r in items]


def _finish(uow: AbstractUnitOfWork, dry_run: bool, rows: list[RowResult]) -> ImportReport:
    if not dry_run:
        uow.commit()
    return ImportReport(dry_run, sorted(rows, key=lambda r: r.row))


# -- pupils ------------------------------------------------------------------------------------


def import_pupils(
    cmd: ImportPupils, uow: AbstractUnitOfWork, actor: Principal, read_sheet: SheetReader
) -> ImportReport:
    """Create or update a school's pupils from a file, keyed by the school's pupil number."""
    with uow:
        school = _school(uow, cmd.school_id, actor)
        if not actor.writes_pupil(school.partnership_id, school.id):
            raise Forbidden("Only the school's coordinator may import pupils.")
        sheet = read_sheet(cmd.content, cmd.filename)
        columns = map_columns(sheet.headers, PUPIL_COLUMNS, PUPIL_REQUIRED, cmd.mapping)
        today = local_today(uow.clock)
        good, bad = parse_pupil_rows(sheet, columns, today)
        existing = uow.repo.pupils_by_number(school.id, [r.pupil_number for r in good])
        emails = [g.email for r in good for g in r.guardians if g.email]
        accounts = {
            email: user.id
            for email, user in uow.repo.users_by_email(emails).items()
            if user.role == Role.GUARDIAN and user.partnership_id == school.partnership_id
        }
        enrolled_default = school_year_of(today).start
        results = _rejected(bad)
        for row in good:
            pupil = existing.get(row.pupil_number)
            if pupil is None:
                result, new = _new_pupil(school, row, today, enrolled_default, accounts)
                if new is not None and not cmd.dry_run:
                    uow.repo.add(new)  # Pupil.register recorded pupil.enrolled for the outbox
                results.append(result)
                continue
            changes = pupil_changes(pupil, row)
            if changes and not cmd.dry_run:
                update_pupil(pupil, row, accounts)
            status = UPDATED if changes else UNCHANGED
            results.append(RowResult(row.row, status, row.pupil_number, changes=changes))
        return _finish(uow, cmd.dry_run, results)


def _new_pupil(
    school: School,
    row: PupilRow,
    today: date,
    enrolled_default: date,
    accounts: Mapping[str, UUID],
) -> tuple[RowResult, Pupil | None]:
    """Register through the domain, so its rules and its event apply as for a single pupil."""
    try:
        pupil = Pupil.register(
            today,
            partnership_id=school.partnership_id,
            school_id=school.id,
            given_name=row.given_name,
            family_name=row.family_name,
            date_of_birth=row.date_of_birth,
            group=row.group,
            enrolled_on=row.enrolled_on or enrolled_default,
            pupil_number=row.pupil_number,
            guardians=[new_guardian(g, accounts) for g in row.guardians],
        )
    except RuleViolation as err:
        return RowResult(row.row, REJECTED, row.pupil_number, err.errors), None
    return RowResult(row.row, CREATED, row.pupil_number), pupil


# -- staff -------------------------------------------------------------------------------------


def import_staff(
    cmd: ImportStaff, uow: AbstractUnitOfWork, actor: Principal, read_sheet: SheetReader
) -> ImportReport:
    """Create or update a school's staff accounts from a file, keyed by e-mail address."""
    with uow:
        school = _school(uow, cmd.school_id, actor)
        if not actor.administers(school.partnership_id):
            raise Forbidden("Only the partnership's administrator may import staff.")
        sheet = read_sheet(cmd.content, cmd.filename)
        columns = map_columns(sheet.headers, STAFF_COLUMNS, STAFF_REQUIRED, cmd.mapping)
        good, bad = parse_staff_rows(sheet, columns)
        users = uow.repo.users_by_email([r.email for r in good])
        results = _rejected(bad)
        for row in good:
            user = users.get(row.email)
            if user is None:
                if not cmd.dry_run:
                    uow.repo.add(_new_user(school, row))
                results.append(RowResult(row.row, CREATED, row.email))
                continue
            refusal = _foreign_account(user, school)
            if refusal:
                results.append(RowResult(row.row, REJECTED, row.email, {"email": [refusal]}))
                continue
            changes = staff_changes(user, row)
            if changes and not cmd.dry_run:
                _update_user(user, row)
            status = UPDATED if changes else UNCHANGED
            results.append(RowResult(row.row, status, row.email, changes=changes))
        return _finish(uow, cmd.dry_run, results)


def _foreign_account(user: User, school: School) -> str | None:
    """Why an existing account with the row's e-mail may not be changed by this import, if so.
    The reason never tells whether the account lives in another partnership."""
    if user.partnership_id != school.partnership_id:
        return "This e-mail address is already in use by another account."
    if user.school_id != school.id or Role(user.role) not in SCHOOL_ROLES:
        return "This e-mail address belongs to another account of the partnership."
    return None


def _new_user(school: School, row: StaffRow) -> User:
    """A staff account without a password: the person sets one before logging in."""
    return User(
        partnership_id=school.partnership_id,
        school_id=school.id,
        role=row.role,
        email=row.email,
        name=row.name,
        password_hash=None,
        language=row.language,
        phone=row.phone,
    )


def _update_user(user: User, row: StaffRow) -> None:
    user.name, user.role, user.phone, user.language = row.name, row.role, row.phone, row.language
