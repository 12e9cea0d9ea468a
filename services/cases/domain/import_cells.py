"""The cells of an import's row: text, dates and groups as a school administration writes them,
and `RowCells`, which reads one row's fields and collects every problem of the row.

Groups (rule, see `normalise_group`): primary "1".."8", "groep 1".."groep 8", a class of a year
such as "4a" or "groep 8B", and combination groups such as "1/2" or "groep 5-6"; stored as
"groep 4", "groep 4a", "groep 1/2". Secondary: a year 1-6 with a level, such as "1 havo",
"3 vmbo-kb" or "2 havo/vwo"; stored lowercase with one space.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from services.cases.domain.spreadsheet import is_blank

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
_PRIMARY = re.compile(r"^(?:groep\s*)?([1-8](?:\s*[/-]\s*[1-8]){0,2})\s*([a-z])?$")
_LEVEL = r"(?:vmbo(?:-(?:bb|kb|gl|tl|gt|b|k|t))?|mavo|havo|vwo|atheneum|gymnasium|pro)"
_SECONDARY = re.compile(rf"^([1-6])\s*({_LEVEL}(?:\s*/\s*{_LEVEL})?)$")
_DMY = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_EXCEL_EPOCH = date(1899, 12, 30)


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


class RowCells:
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
