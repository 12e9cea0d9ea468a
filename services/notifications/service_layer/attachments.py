"""What a message carries besides its text: a meeting's calendar invitation, and the compiled
report a policy attaches as a PDF (fetched at send time; the planned rows keep only ids)."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

from services.notifications.domain.invitation import FILENAME, build_invitation

log = logging.getLogger(__name__)


class ReportUnavailable(Exception):
    """The reports service cannot hand over a report now (down, 5xx): try the delivery again."""


class ReportSource(Protocol):
    def report_pdf(self, report_id: UUID, language: str) -> bytes | None: ...


def attachments_for(
    row: dict[str, Any],
    with_report: list[dict[str, Any]],
    language: str,
    mail_url: str,
    now: datetime,
    reports: ReportSource | None,
) -> list[tuple[str, bytes]]:
    """What the message carries: a meeting's invitation, and the compiled reports its policy
    attaches (fetched fresh, in the recipient's language; rows keep only the report's id)."""
    found = []
    invitation = _invitation(row, language, mail_url, now)
    if invitation is not None:
        found.append(invitation)
    for item in with_report:
        report = _report_pdf(item, language, reports)
        if report is not None:
            found.append(report)
    return found


REPORT_FILENAME = {"nl": "opbrengstrapportage-{}.pdf", "en": "outcome-report-{}.pdf"}


def _report_pdf(
    row: dict[str, Any], language: str, reports: ReportSource | None
) -> tuple[str, bytes] | None:
    """The report of a `report.ready` row as a named PDF; None (the link only) when the report
    is gone. Raises ReportUnavailable while the reports service cannot answer."""
    context = row["context"]
    lang = "en" if language == "en" else "nl"
    if reports is None:
        log.warning("notification %s: no reports service configured; link only", row["id"])
        return None
    content = reports.report_pdf(UUID(context["report_id"]), lang)
    if content is None:
        log.warning(
            "notification %s: report %s is gone; sent with the link only",
            row["id"],
            context["report_id"],
        )
        return None
    start = date.fromisoformat(context["period_start"])
    end = date.fromisoformat(context["period_end"])
    return REPORT_FILENAME[lang].format(period_label(start, end, lang)), content


def period_label(start: date, end: date, language: str) -> str:
    """A report's period as a file name part: 2026-09 (a month), 2026-K3 / 2026-Q3 (a quarter),
    2025-2026 (a school year), otherwise both dates."""
    if start.day == 1 and end == _month_end(start):
        return f"{start:%Y-%m}"
    if start.day == 1 and start.month % 3 == 1 and end == _month_end(start, plus=2):
        return f"{start.year}-{'Q' if language == 'en' else 'K'}{start.month // 3 + 1}"
    if (start.month, start.day, end.month, end.day) == (8, 1, 7, 31) and end.year == start.year + 1:
        return f"{start.year}-{end.year}"
    return f"{start.isoformat()}-{end.isoformat()}"


def _month_end(day: date, plus: int = 0) -> date:
    """The last day of the month `plus` months after `day`'s."""
    after = day.month + plus  # the month after, counted from 0 (January = 0)
    first_after = date(day.year + after // 12, after % 12 + 1, 1)
    return first_after - timedelta(days=1)


def _invitation(
    row: dict[str, Any], language: str, mail_url: str, now: datetime
) -> tuple[str, bytes] | None:
    """The calendar invitation (.ics) an e-mail about an evaluation meeting carries; the
    organizer is the school's sending address (the mail transport's `from`)."""
    meeting = row["context"].get("meeting")
    if meeting is None or row["channel"] != "email":
        return None
    sender = parse_qs(urlsplit(mail_url).query).get("from", [None])[0]
    return FILENAME, build_invitation(meeting, language, sender, now)
