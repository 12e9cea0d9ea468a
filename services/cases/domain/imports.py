"""Bulk import of pupils (with guardians) and staff from a school administration's export.

Pure parsing, column mapping and row validation; no framework, no database. The use case in
service_layer/imports.py looks up existing pupils and accounts and decides create/update.

Reading the files themselves is in adapters/spreadsheet.py (the use case is given the reader);
the cells of a row (text, dates, groups) are read in import_cells.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar
from uuid import UUID

from services.cases.domain.import_cells import (  # noqa: F401  (part of this module's interface)
    EMAIL,
    LANGUAGES,
    PHONE,
    RowCells,
    cell_text,
    normalise_group,
    parse_date,
)
from services.cases.domain.school import Guardian, Pupil, User
from services.cases.domain.spreadsheet import (  # noqa: F401  (part of this module's interface)
    MAX_FILE_BYTES,
    MAX_ROWS,
    FileTooLarge,
    Sheet,
    file_too_large,
    is_blank,
)
from shared.errors import RuleViolation

PUPIL_NUMBER = re.compile(r"^[A-Za-z0-9-]{1,32}$")
ROLES = {
    "leerkracht": "teacher",
    "teacher": "teacher",
    "intern begeleider": "coordinator",
    "ib": "coordinator",
    "ib'er": "coordinator",
    "ib-er": "coordinator",
    "coordinator": "coordinator",
    "directeur": "director",
    "directie": "director",
    "director": "director",
}


_Row_T = TypeVar("_Row_T", "PupilRow", "StaffRow")


# -- commands ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetImport:
    """What both imports take: the school, the file as uploaded, the mapping of fields to its
    headers, and whether to only report what would change."""

    school_id: UUID
    content: bytes
    filename: str = ""
    mapping: Mapping[str, str | None] | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class ImportPupils(SheetImport):
    """Import a school's pupils with their guardians from a CSV or XLSX export."""


@dataclass(frozen=True)
class ImportStaff(SheetImport):
    """Import a school's staff (teachers, coordinators, directors) from a CSV or XLSX export."""


# -- column mapping ----------------------------------------------------------------------------


def _key(header: str) -> str:
    """Headers compare case-insensitively, ignoring spaces and punctuation ("E-mail ouder 1")."""
    return re.sub(r"[^0-9a-z]", "", header.casefold())


def _guardian_aliases(n: int) -> dict[str, list[str]]:
    return {
        f"guardian{n}_name": [f"Naam ouder {n}", f"Naam ouder/verzorger {n}", f"Ouder {n}"],
        f"guardian{n}_email": [f"E-mail ouder {n}", f"E-mailadres ouder {n}"],
        f"guardian{n}_phone": [f"Telefoon ouder {n}", f"Telefoonnummer ouder {n}"],
        f"guardian{n}_language": [f"Taal ouder {n}"],
    }


# Field -> the usual Dutch headers, in order of preference (Roepnaam, the name a pupil is called
# by, wins over Voornaam when a file has both). The field's own name is always accepted too.
PUPIL_COLUMNS: dict[str, list[str]] = {
    "pupil_number": ["Leerlingnummer", "Leerling nummer", "Leerlingnr"],
    "given_name": ["Roepnaam", "Voornaam", "Voornamen"],
    "prefix": ["Tussenvoegsel", "Tussenvoegsels", "Voorvoegsel"],
    "family_name": ["Achternaam", "Geslachtsnaam", "Familienaam"],
    "date_of_birth": ["Geboortedatum"],
    "group": ["Groep", "Klas", "Jaargroep", "Stamgroep"],
    "enrolled_on": ["Datum inschrijving", "Inschrijfdatum", "Datum van inschrijving"],
    **_guardian_aliases(1),
    **_guardian_aliases(2),
}
PUPIL_REQUIRED = (
    "pupil_number",
    "given_name",
    "family_name",
    "date_of_birth",
    "group",
    "guardian1_name",
)

STAFF_COLUMNS: dict[str, list[str]] = {
    "name": ["Naam", "Volledige naam"],
    "email": ["E-mail", "E-mailadres"],
    "role": ["Rol", "Functie"],
    "phone": ["Telefoon", "Telefoonnummer", "Mobiel"],
    "language": ["Taal"],
}
STAFF_REQUIRED = ("name", "email", "role")


def map_columns(
    headers: Sequence[str],
    columns: Mapping[str, list[str]],
    required: Iterable[str],
    overrides: Mapping[str, str | None] | None = None,
) -> dict[str, int]:
    """Field -> column index; `overrides` maps a field to the header to use (None: ignore it)."""
    position: dict[str, int] = {}
    for i, header in enumerate(headers):
        position.setdefault(_key(header), i)
    errors: dict[str, list[str]] = {}
    found: dict[str, int] = {}
    for name, wanted in (overrides or {}).items():
        if name not in columns:
            errors.setdefault(f"mapping.{name}", []).append("Not a field of this import.")
        elif wanted is not None and _key(str(wanted)) not in position:
            errors.setdefault(f"mapping.{name}", []).append(f"No column '{wanted}' in the file.")
        elif wanted is not None:
            found[name] = position[_key(str(wanted))]
    for name, aliases in columns.items():
        if overrides is not None and name in overrides:
            continue
        index = next((position[_key(a)] for a in [*aliases, name] if _key(a) in position), None)
        if index is not None:
            found[name] = index
    for name in required:
        if name not in found and f"mapping.{name}" not in errors:
            usual = ", ".join(f'"{a}"' for a in columns[name])
            errors[f"mapping.{name}"] = [f"No column for this field (usually {usual})."]
    if errors:
        raise RuleViolation(
            "The file's columns do not fit the import; adjust the mapping.",
            code="invalid_mapping",
            errors=errors,
        )
    return found


# -- pupil rows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuardianRow:
    name: str
    email: str | None
    phone: str | None
    language: str

    def key(self) -> tuple[str, str, str, str]:
        return (self.name, self.email or "", self.phone or "", self.language)


@dataclass(frozen=True)
class PupilRow:
    row: int
    pupil_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    group: str
    enrolled_on: date | None  # None: not in the file
    guardians: list[GuardianRow]


@dataclass
class Rejected:
    row: int
    key: str | None
    errors: dict[str, list[str]] = field(default_factory=dict)


def parse_pupil_rows(
    sheet: Sheet, columns: Mapping[str, int], today: date
) -> tuple[list[PupilRow], list[Rejected]]:
    """Validate every row; a number used on more than one row rejects all those rows."""
    good: list[PupilRow] = []
    rejected: list[Rejected] = []
    for number, cells in sheet.rows:
        row = RowCells(number, cells, columns)
        parsed = _pupil_row(row, today)
        if parsed is None:
            rejected.append(
                Rejected(number, cell_text(row.raw("pupil_number")) or None, row.errors)
            )
        else:
            good.append(parsed)
    return _without_duplicates(good, rejected, "pupil_number"), rejected


def _pupil_row(row: RowCells, today: date) -> PupilRow | None:
    """The row as a pupil, or None when it has a problem (each in `row.errors`, in field order)."""
    number = _pupil_number(row)
    given = row.text("given_name", 100, required=True)
    family = _family_name(row)
    born = _date_of_birth(row, today)
    group = _group(row)
    enrolled = _enrolled_on(row, born, today)
    guardians = _guardians(row)
    if row.errors or born is None or group is None:
        return None
    return PupilRow(row.number, number, given, family, born, group, enrolled, guardians)


def _pupil_number(row: RowCells) -> str:
    number = row.text("pupil_number", 32, required=True)
    if number and not PUPIL_NUMBER.match(number):
        row.fail("pupil_number", "Only letters, digits and '-', at most 32.")
    return number


def _family_name(row: RowCells) -> str:
    """The family name with its tussenvoegsel in front ("de Jong")."""
    prefix = row.text("prefix", 50)
    family = row.text("family_name", 100, required=True)
    family = f"{prefix} {family}" if prefix and family else family
    if len(family) > 100:
        row.fail("family_name", "Longer than 100 characters with the tussenvoegsel.")
    return family


def _date_of_birth(row: RowCells, today: date) -> date | None:
    born = row.day("date_of_birth")
    if born is None and "date_of_birth" not in row.errors:
        row.fail("date_of_birth", "Missing.")
    elif born is not None and not date(1900, 1, 1) <= born < today:
        row.fail("date_of_birth", "Must be in the past." if born >= today else "Not plausible.")
    return born


def _group(row: RowCells) -> str | None:
    group_text = row.text("group", 40, required=True)
    group = normalise_group(group_text) if group_text else None
    if group_text and group is None:
        row.fail("group", f"Unknown group '{group_text}' (e.g. 'groep 4', '4a', '1 havo').")
    return group


def _enrolled_on(row: RowCells, born: date | None, today: date) -> date | None:
    enrolled = row.day("enrolled_on")
    if enrolled is not None and born is not None and enrolled < born:
        row.fail("enrolled_on", "Cannot be before the date of birth.")
    if enrolled is not None and enrolled > today + timedelta(days=366):
        row.fail("enrolled_on", "Must be within a year from today.")
    return enrolled


def _guardians(row: RowCells) -> list[GuardianRow]:
    guardians = [g for n in (1, 2) if (g := _guardian(row, n)) is not None]
    if not guardians and "guardian1_name" not in row.errors:
        row.fail("guardian1_name", "At least one guardian is needed.")
    return guardians


def _guardian(row: RowCells, n: int) -> GuardianRow | None:
    prefix = f"guardian{n}_"
    if all(is_blank(row.raw(prefix + part)) for part in ("name", "email", "phone", "language")):
        return None
    name = row.text(prefix + "name", 200, required=True)
    return GuardianRow(
        name,
        row.email(prefix + "email"),
        row.phone(prefix + "phone"),
        row.language(prefix + "language"),
    )


# -- comparing and applying pupils -------------------------------------------------------------


def pupil_changes(pupil: Pupil, row: PupilRow) -> list[str]:
    """The fields of an existing pupil the row would change (empty: unchanged)."""
    changes = [
        name
        for name in ("given_name", "family_name", "date_of_birth", "group")
        if getattr(pupil, name) != getattr(row, name)
    ]
    if row.enrolled_on is not None and pupil.enrolled_on != row.enrolled_on:
        changes.append("enrolled_on")
    if _guardians_differ(pupil, row):
        changes.append("guardians")
    return changes


def _guardians_differ(pupil: Pupil, row: PupilRow) -> bool:
    current = sorted((g.name, g.email or "", g.phone or "", g.language) for g in pupil.guardians)
    return current != sorted(g.key() for g in row.guardians)


def update_pupil(pupil: Pupil, row: PupilRow, accounts: Mapping[str, UUID]) -> None:
    """Apply a row to an existing pupil. Guardians are matched by e-mail, else by name, so a
    guardian who stays keeps their id (consents refer to it)."""
    pupil.given_name = row.given_name
    pupil.family_name = row.family_name
    pupil.date_of_birth = row.date_of_birth
    pupil.group = row.group
    if row.enrolled_on is not None:
        pupil.enrolled_on = row.enrolled_on
    if not _guardians_differ(pupil, row):
        return
    remaining = list(pupil.guardians)
    result: list[Guardian] = []
    for wanted in row.guardians:
        match = next((g for g in remaining if _same_guardian(g, wanted)), None)
        if match is None:
            result.append(new_guardian(wanted, accounts))
            continue
        remaining.remove(match)
        if match.email != wanted.email:
            match.user_id = accounts.get(wanted.email or "")
        match.name, match.email = wanted.name, wanted.email
        match.phone, match.language = wanted.phone, wanted.language
        result.append(match)
    pupil.guardians = result


def _same_guardian(guardian: Guardian, wanted: GuardianRow) -> bool:
    if guardian.email and wanted.email:
        return guardian.email.lower() == wanted.email
    return guardian.name.casefold() == wanted.name.casefold()


def new_guardian(row: GuardianRow, accounts: Mapping[str, UUID]) -> Guardian:
    """A guardian from a row, linked to their guardian account (same partnership) if one exists."""
    return Guardian(
        name=row.name,
        email=row.email,
        phone=row.phone,
        language=row.language,
        user_id=accounts.get(row.email or ""),
    )


# -- staff rows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    row: int
    name: str
    email: str
    role: str
    phone: str | None
    language: str


def parse_staff_rows(
    sheet: Sheet, columns: Mapping[str, int]
) -> tuple[list[StaffRow], list[Rejected]]:
    """Validate every row; an e-mail used on more than one row rejects all those rows."""
    good: list[StaffRow] = []
    rejected: list[Rejected] = []
    for number, cells in sheet.rows:
        row = RowCells(number, cells, columns)
        name = row.text("name", 200, required=True)
        email = row.email("email")
        if email is None and "email" not in row.errors:
            row.fail("email", "Missing.")
        role_text = row.text("role", 50, required=True)
        role = ROLES.get(role_text.casefold())
        if role_text and role is None:
            row.fail(
                "role", f"Unknown role '{role_text}' (leerkracht, intern begeleider, directeur)."
            )
        phone, language = row.phone("phone"), row.language("language")
        if row.errors or email is None or role is None:
            rejected.append(
                Rejected(number, email or cell_text(row.raw("email")) or None, row.errors)
            )
        else:
            good.append(StaffRow(number, name, email, role, phone, language))
    return _without_duplicates(good, rejected, "email"), rejected


def _without_duplicates(
    good: list[_Row_T], rejected: list[Rejected], key_field: str
) -> list[_Row_T]:
    """Reject every row whose key (pupil number, e-mail) is on more than one row: which of them
    is right cannot be known. `rejected` is extended and sorted by row in place."""
    rows_by_key: dict[str, list[int]] = {}
    for item in good:
        rows_by_key.setdefault(getattr(item, key_field), []).append(item.row)
    for r in rejected:
        if r.key:
            rows_by_key.setdefault(r.key, []).append(r.row)
    kept = []
    for item in good:
        key = getattr(item, key_field)
        if len(rows_by_key[key]) > 1:
            rejected.append(Rejected(item.row, key))
        else:
            kept.append(item)
    for r in rejected:
        rows = rows_by_key.get(r.key or "", [])
        if len(rows) > 1:
            others = ", ".join(str(n) for n in sorted(rows) if n != r.row)
            r.errors.setdefault(key_field, []).append(f"Also on row {others} of the file.")
    rejected.sort(key=lambda r: r.row)
    return kept


def staff_changes(user: User, row: StaffRow) -> list[str]:
    """The fields of an existing account the row would change (empty: unchanged)."""
    return [n for n in ("name", "role", "phone", "language") if getattr(user, n) != getattr(row, n)]
