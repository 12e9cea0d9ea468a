"""Bulk import of pupils (with guardians) and staff from a school administration's export.

Pure parsing, column mapping and row validation; no framework, no database. The use case in
service_layer/imports.py looks up existing pupils and accounts and decides create/update.

Reading the files themselves is in spreadsheet.py.

Groups (rule, see `normalise_group`): primary "1".."8", "groep 1".."groep 8", a class of a year
such as "4a" or "groep 8B", and combination groups such as "1/2" or "groep 5-6"; stored as
"groep 4", "groep 4a", "groep 1/2". Secondary: a year 1-6 with a level, such as "1 havo",
"3 vmbo-kb" or "2 havo/vwo"; stored lowercase with one space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from services.cases.domain.school import Guardian, Pupil, User
from services.cases.domain.spreadsheet import (  # noqa: F401  (part of this module's interface)
    MAX_FILE_BYTES,
    MAX_ROWS,
    FileTooLarge,
    Sheet,
    decode_text,
    file_too_large,
    is_blank,
    read_sheet,
    sniff_separator,
)
from shared.errors import RuleViolation

PUPIL_NUMBER = re.compile(r"^[A-Za-z0-9-]{1,32}$")
EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"
)
PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
LANGUAGES = {
    "nl": "nl",
    "nederlands": "nl",
    "dutch": "nl",
    "en": "en",
    "engels": "en",
    "english": "en",
}
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
_PRIMARY = re.compile(r"^(?:groep\s*)?([1-8](?:\s*[/-]\s*[1-8]){0,2})\s*([a-z])?$")
_LEVEL = r"(?:vmbo(?:-(?:bb|kb|gl|tl|gt|b|k|t))?|mavo|havo|vwo|atheneum|gymnasium|pro)"
_SECONDARY = re.compile(rf"^([1-6])\s*({_LEVEL}(?:\s*/\s*{_LEVEL})?)$")
_DMY = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_EXCEL_EPOCH = date(1899, 12, 30)


_Row_T = TypeVar("_Row_T", "PupilRow", "StaffRow")


# -- commands ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportPupils:
    """Import a school's pupils with their guardians from a CSV or XLSX export."""

    school_id: UUID
    content: bytes
    filename: str = ""
    mapping: Mapping[str, str | None] | None = None
    dry_run: bool = False


@dataclass(frozen=True)
class ImportStaff:
    """Import a school's staff (teachers, coordinators, directors) from a CSV or XLSX export."""

    school_id: UUID
    content: bytes
    filename: str = ""
    mapping: Mapping[str, str | None] | None = None
    dry_run: bool = False


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


# -- values ------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as trimmed text; whole numbers from XLSX lose their '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return re.sub(r"\s+", " ", str(value)).strip()


def parse_date(value: Any) -> date:
    """dd-mm-yyyy, d-m-yyyy (also with / or .), yyyy-mm-dd, or an Excel date; else ValueError."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + timedelta(days=int(value))  # an Excel serial without date format
    text = cell_text(value)
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    if match := _YMD.match(text):
        year, month, day = (int(g) for g in match.groups())
        return date(year, month, day)
    raise ValueError(text)


def normalise_group(text: str) -> str | None:
    """The group in its stored form ("groep 4", "groep 4a", "groep 1/2", "1 havo"), or None."""
    value = re.sub(r"\s+", " ", text.strip().casefold())
    if match := _PRIMARY.match(value):
        years = re.sub(r"\s", "", match.group(1)).replace("-", "/")
        numbers = years.split("/")
        if any(int(b) != int(a) + 1 for a, b in zip(numbers, numbers[1:], strict=False)):
            return None
        return f"groep {years}{match.group(2) or ''}"
    if match := _SECONDARY.match(value):
        level = re.sub(r"\s", "", match.group(2))
        return f"{match.group(1)} {level}"
    return None


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


class _Row:
    """One data row's cells by field, collecting every problem of the row."""

    def __init__(self, number: int, cells: list[Any], columns: Mapping[str, int]) -> None:
        self.number = number
        self.cells = cells
        self.columns = columns
        self.errors: dict[str, list[str]] = {}

    def raw(self, name: str) -> Any:
        index = self.columns.get(name)
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def text(self, name: str, max_len: int = 200, required: bool = False) -> str:
        value = cell_text(self.raw(name))
        if required and not value:
            self.fail(name, "Missing.")
        elif len(value) > max_len:
            self.fail(name, f"Longer than {max_len} characters.")
        return value

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def email(self, name: str) -> str | None:
        value = self.text(name, 254).lower()
        if value and not EMAIL.match(value):
            self.fail(name, "Not a valid e-mail address.")
        return value or None

    def phone(self, name: str) -> str | None:
        value = self.text(name, 32)
        if value and not PHONE.match(value):
            self.fail(name, "Not a valid phone number.")
        return value or None

    def language(self, name: str) -> str:
        value = self.text(name, 20).casefold()
        if value and value not in LANGUAGES:
            self.fail(name, "Unknown language; use nl or en.")
        return LANGUAGES.get(value, "nl")

    def day(self, name: str) -> date | None:
        raw = self.raw(name)
        if is_blank(raw):
            return None
        try:
            return parse_date(raw)
        except ValueError:
            self.fail(name, "Not a date; use dd-mm-jjjj or jjjj-mm-dd.")
            return None


def parse_pupil_rows(
    sheet: Sheet, columns: Mapping[str, int], today: date
) -> tuple[list[PupilRow], list[Rejected]]:
    """Validate every row; a number used on more than one row rejects all those rows."""
    good: list[PupilRow] = []
    rejected: list[Rejected] = []
    for number, cells in sheet.rows:
        row = _Row(number, cells, columns)
        parsed = _pupil_row(row, today)
        if parsed is None:
            rejected.append(
                Rejected(number, cell_text(row.raw("pupil_number")) or None, row.errors)
            )
        else:
            good.append(parsed)
    return _without_duplicates(good, rejected, "pupil_number"), rejected


def _pupil_row(row: _Row, today: date) -> PupilRow | None:
    number = row.text("pupil_number", 32, required=True)
    if number and not PUPIL_NUMBER.match(number):
        row.fail("pupil_number", "Only letters, digits and '-', at most 32.")
    given = row.text("given_name", 100, required=True)
    prefix = row.text("prefix", 50)
    family = row.text("family_name", 100, required=True)
    family = f"{prefix} {family}" if prefix and family else family
    if len(family) > 100:
        row.fail("family_name", "Longer than 100 characters with the tussenvoegsel.")
    born = row.day("date_of_birth")
    if born is None and "date_of_birth" not in row.errors:
        row.fail("date_of_birth", "Missing.")
    elif born is not None and not date(1900, 1, 1) <= born < today:
        row.fail("date_of_birth", "Must be in the past." if born >= today else "Not plausible.")
    group_text = row.text("group", 40, required=True)
    group = normalise_group(group_text) if group_text else None
    if group_text and group is None:
        row.fail("group", f"Unknown group '{group_text}' (e.g. 'groep 4', '4a', '1 havo').")
    enrolled = row.day("enrolled_on")
    if enrolled is not None and born is not None and enrolled < born:
        row.fail("enrolled_on", "Cannot be before the date of birth.")
    if enrolled is not None and enrolled > today + timedelta(days=366):
        row.fail("enrolled_on", "Must be within a year from today.")
    guardians = [g for n in (1, 2) if (g := _guardian(row, n)) is not None]
    if not guardians and "guardian1_name" not in row.errors:
        row.fail("guardian1_name", "At least one guardian is needed.")
    if row.errors or born is None or group is None:
        return None
    return PupilRow(row.number, number, given, family, born, group, enrolled, guardians)


def _guardian(row: _Row, n: int) -> GuardianRow | None:
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
        row = _Row(number, cells, columns)
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
