"""Dates written out for people, in Dutch or English: one place for month and weekday names."""

from __future__ import annotations

from datetime import date

MONTHS: dict[str, tuple[str, ...]] = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus")
    + ("september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August")
    + ("September", "October", "November", "December"),
}
WEEKDAYS: dict[str, tuple[str, ...]] = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def written(day: date, lang: str) -> str:
    """'15 oktober 2026' (nl) or '15 October 2026' (en)."""
    return f"{day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def written_with_weekday(day: date, lang: str) -> str:
    """'donderdag 15 oktober 2026' (nl) or 'Thursday 15 October 2026' (en)."""
    return f"{WEEKDAYS[lang][day.weekday()]} {written(day, lang)}"
