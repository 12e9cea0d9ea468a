"""What a message carries besides its text: a meeting's calendar invitation (with the place and
video link fetched from the cases service at send time), and the compiled report a policy attaches
as a PDF (fetched at send time). The planned rows keep only ids: no free text is stored here."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

from services.notifications.domain.invitation import (
    FILENAME,
    MeetingPlace,
    build_invitation,
    choose_organizer,
    evaluation_of,
)
from services.notifications.domain.notification import NotificationRow

log = logging.getLogger(__name__)


class AttachmentUnavailable(Exception):
    """Something the message carries cannot be fetched now: try the delivery again later."""


class ReportUnavailable(AttachmentUnavailable):
    """The reports service cannot hand over a report now (down, 5xx): try the delivery again."""


class MeetingUnavailable(AttachmentUnavailable):
    """The cases service cannot tell a meeting's place now (down, 5xx): try the delivery again."""


class ReportSource(Protocol):
    def report_pdf(self, report_id: UUID, language: str) -> bytes | None: ...


class MeetingSource(Protocol):
    def meeting_place(self, evaluation_id: UUID) -> MeetingPlace | None: ...


def attachments_for(
    row: NotificationRow,
    with_report: list[NotificationRow],
    language: str,
    mail_url: str,
    now: datetime,
    reports: ReportSource | None,
    meetings: MeetingSource | None = None,
    organizer: str = "",
) -> list[tuple[str, bytes]]:
    """What the message carries: a meeting's invitation (its place fetched fresh; from the
    partnership's meeting organizer, else `organizer`, else the mail transport's sender), and
    the compiled reports its policy attaches (fetched fresh, in the recipient's language; rows
    keep only the report's id). Raises AttachmentUnavailable while a source cannot answer."""
    found = []
    invitation = _invitation(row, language, organizer, sender_of(mail_url), now, meetings)
    if invitation is not None:
        found.append(invitation)
    for item in with_report:
        report = _report_pdf(item, language, reports)
        if report is not None:
            found.append(report)
    return found


REPORT_FILENAME = {"nl": "opbrengstrapportage-{}.pdf", "en": "outcome-report-{}.pdf"}


def _report_pdf(
    row: NotificationRow, language: str, reports: ReportSource | None
) -> tuple[str, bytes] | None:
    """The report of a `report.ready` row as a named PDF; None (the link only) when the report
    is gone. Raises ReportUnavailable while the reports service cannot answer."""
    context = row.context
    lang = "en" if language == "en" else "nl"
    if reports is None:
        log.warning("notification %s: no reports service configured; link only", row.id)
        return None
    content = reports.report_pdf(UUID(context["report_id"]), lang)
    if content is None:
        log.warning(
            "notification %s: report %s is gone; sent with the link only",
            row.id,
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


def sender_of(mail_url: str) -> str:
    """The mail transport's sending address (its `from`), or empty."""
    return parse_qs(urlsplit(mail_url).query).get("from", [""])[0]


def _invitation(
    row: NotificationRow,
    language: str,
    organizer: str,
    sender: str,
    now: datetime,
    meetings: MeetingSource | None,
) -> tuple[str, bytes] | None:
    """The calendar invitation (.ics) an e-mail about an evaluation meeting carries (the message
    of the change itself; its reminders carry none), to its recipient, from the partnership's
    organizer (asked of the cases service with the place), else `organizer`, else `sender`."""
    meeting = row.context.get("meeting")
    if meeting is None or row.channel != "email" or row.kind != "now":
        return None
    place = _place(row, meeting, meetings)
    own = place.organizer if place is not None else None
    content = build_invitation(
        meeting,
        language,
        choose_organizer(own, organizer, sender),
        now,
        place if meeting.get("has_location") else None,
        attendee=row.address,
    )
    return FILENAME, content


def _place(
    row: NotificationRow, meeting: dict[str, Any], meetings: MeetingSource | None
) -> MeetingPlace | None:
    """The meeting's place and video link as the cases service has them now (the place of the
    latest change: a calendar keeps only the highest sequence anyway), with the partnership's
    meeting organizer; None when the meeting is gone. Raises MeetingUnavailable while the cases
    service cannot answer."""
    if meetings is None:
        log.warning("notification %s: no cases service to ask; invitation without place", row.id)
        return None
    place = meetings.meeting_place(UUID(evaluation_of(meeting)))
    if place is None:
        log.warning("notification %s: the meeting is gone; invitation without place", row.id)
    return place
