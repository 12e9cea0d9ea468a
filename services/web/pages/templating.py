"""What every template may use: the words for codes and dates in the user's language."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_decimal

from services.web.pages.common import LANGUAGE_NAMES, current_language, form_etag, text_direction
from services.web.pages.school import labels
from shared.clock import AMSTERDAM


def day(value: date | None) -> str:
    """A date as people write it: 12 oktober 2026."""
    return format_date(value, "d MMMM yyyy") if value else ""


def short_day(value: date | None) -> str:
    """A date in a timeline: 12 okt 2026."""
    return format_date(value, "d MMM yyyy").replace(".", "") if value else ""


def sentence(value: object) -> str:
    """A label at the start of a sentence or heading: its first letter a capital, the rest as
    written ("OPP-termijn dichtbij", never "Opp-termijn")."""
    text = str(value)
    return text[:1].upper() + text[1:]


def local_date(value: datetime) -> date:
    """The day an instant falls on in the Netherlands."""
    return value.astimezone(AMSTERDAM).date()


def file_size(size: int) -> str:
    """A file's size as people read it: 840 KB, 2,4 MB (in the page's language)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{format_decimal(size / (1024 * 1024), '#,##0.0')} MB"


def install_templating(app: Flask) -> None:
    app.jinja_env.globals.update(
        current_language=current_language,
        text_direction=text_direction,
        language_names=list(LANGUAGE_NAMES),
        form_etag=form_etag,
        day=day,
        short_day=short_day,
        sentence=sentence,
        local_date=local_date,
        file_size=file_size,
        label=labels.label,
        levels=labels.LEVELS,
        case_statuses=labels.CASE_STATUSES,
        flags=labels.FLAGS,
        due_kinds=labels.DUE_KINDS,
        intervention_statuses=labels.INTERVENTION_STATUSES,
        outcomes=labels.OUTCOMES,
        application_statuses=labels.APPLICATION_STATUSES,
        agreement_statuses=labels.AGREEMENT_STATUSES,
        tlv_decisions=labels.TLV_DECISIONS,
        school_types=labels.SCHOOL_TYPES,
        categories=labels.CATEGORIES,
        adviser_roles=labels.ADVISER_ROLES,
    )
