"""Evaluation meetings: the invitation goes at once, and reminders are counted back from the
meeting's start (not from the evaluation's date); the invitation carries the place fetched at
send time, reminders carry no invitation.

Now is Thursday 15 October 2026, 10:00 in Amsterdam; region noord has its autumn holiday from
Saturday 17 to Sunday 25 October 2026.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from icalendar import Calendar

from services.notifications.domain.invitation import (
    MeetingPlace,
    build_invitation,
    choose_organizer,
)
from services.notifications.domain.notification import NotificationRow
from services.notifications.domain.planning import plan_event
from services.notifications.domain.policy import Policy, default_policies
from services.notifications.domain.templates import render
from services.notifications.service_layer.attachments import MeetingUnavailable, attachments_for
from shared.errors import RuleViolation
from shared.events import CATALOG
from tests.conftest import NOW
from tests.unit.notifications.builders import (
    COORDINATOR,
    EVALUATION,
    GUARDIAN,
    NO_HOLIDAYS,
    PARTNERSHIP,
    TEACHER,
    audience,
    envelope,
    local,
    noord_autumn,
    notification_row,
)

PLANNED = "development_plan.meeting_planned"
MOVED = "development_plan.meeting_moved"
CANCELLED = "development_plan.meeting_cancelled"
MAIL_URL = "mailto://127.0.0.1:2525?from=noreply@swv.test&mode=insecure"


def meeting_policy(**changes: Any) -> Policy:
    """The default `evaluation_meeting` policy, changed as told."""
    [p] = [p for p in default_policies(PARTNERSHIP) if p.key == "evaluation_meeting"]
    for name, value in changes.items():
        setattr(p, name, value)
    return p


def meeting(event_type: str, starts_at: datetime, **kwargs: Any):
    data: dict[str, Any] = {
        "starts_at": starts_at.isoformat(),
        "duration_minutes": 45,
        "sequence": 1 if event_type != PLANNED else 0,
        "has_location": True,
        **kwargs,
    }
    return envelope(event_type, **data)


def plan(event, p: Policy | None = None, calendar=NO_HOLIDAYS, now: datetime = NOW):
    return plan_event(event, [p or meeting_policy()], audience(), calendar, now)


def reminders(rows) -> dict[str, set[datetime]]:
    found: dict[str, set[datetime]] = {}
    for row in rows:
        if row.kind != "now":
            found.setdefault(row.kind, set()).add(row.send_at)
    return found


def test_the_default_policy_reminds_one_day_before_the_meeting_at_the_send_hour():
    p = meeting_policy()
    assert p.lead_times_days == [1] and p.send_hour == 8
    p.validate(set(CATALOG))
    rows = plan(meeting(PLANNED, local(2026, 11, 3, 15, 30)))  # a Tuesday afternoon

    now_rows = [r for r in rows if r.kind == "now"]
    lead_rows = [r for r in rows if r.kind == "lead:1"]
    assert len(now_rows) == len(lead_rows) == 4  # two guardians, the teacher, the coordinator
    assert {r.recipient_role for r in lead_rows} == {"guardian", "teacher", "coordinator"}
    assert reminders(rows) == {"lead:1": {local(2026, 11, 2, 8)}}  # Monday, 08:00
    for row in lead_rows:
        # The meeting is its own subject: the evaluation's date and reminders are not touched.
        assert (row.subject_kind, row.subject_id) == ("meeting", EVALUATION)
        assert row.due_on == date(2026, 11, 3)  # the meeting's day in Amsterdam
        assert row.template == f"{PLANNED}.lead"
        assert datetime.fromisoformat(row.context["meeting_at"]) == local(2026, 11, 3, 15, 30)
    for row in now_rows:  # the invitation itself goes at once
        assert row.subject_kind == "event" and row.template == PLANNED
        assert row.send_at == NOW


def test_the_meetings_day_counts_in_amsterdam_not_in_utc():
    # 00:30 on Wednesday 4 November in Amsterdam is still Tuesday in UTC.
    rows = plan(meeting(PLANNED, local(2026, 11, 4, 0, 30)))
    assert reminders(rows) == {"lead:1": {local(2026, 11, 3, 8)}}
    assert {r.due_on for r in rows if r.kind != "now"} == {date(2026, 11, 4)}


def test_a_weekend_defers_the_reminder_to_the_meetings_morning_but_never_past_the_start():
    monday_afternoon = plan(meeting(PLANNED, local(2026, 11, 2, 15, 0)))
    assert reminders(monday_afternoon) == {"lead:1": {local(2026, 11, 2, 8)}}

    # At 08:00 itself the Monday morning is too late: the last allowed day before, Friday.
    monday_eight = plan(meeting(PLANNED, local(2026, 11, 2, 8, 0)))
    assert reminders(monday_eight) == {"lead:1": {local(2026, 10, 30, 8)}}


def test_a_holiday_defers_past_it_or_reminds_before_it():
    after_the_holiday = local(2026, 10, 26, 9, 0)  # Monday after noord's autumn holiday
    rows = plan(meeting(PLANNED, after_the_holiday), calendar=noord_autumn())
    assert reminders(rows) == {"lead:1": {local(2026, 10, 26, 8)}}

    early = local(2026, 10, 26, 7, 45)
    rows = plan(meeting(PLANNED, early), calendar=noord_autumn())
    assert reminders(rows) == {"lead:1": {local(2026, 10, 16, 8)}}  # the Friday before it


def test_a_send_hour_after_the_start_reminds_the_day_before():
    rows = plan(meeting(PLANNED, local(2026, 11, 3, 7, 30)), meeting_policy(lead_times_days=[0]))
    assert reminders(rows) == {"lead:0": {local(2026, 11, 2, 8)}}


def test_no_reminder_is_sent_after_the_start_or_in_the_past():
    # Tomorrow 07:30: the day before is today, whose 08:00 has passed; the invitation says it all.
    rows = plan(meeting(PLANNED, local(2026, 10, 16, 7, 30)), meeting_policy(lead_times_days=[0]))
    assert reminders(rows) == {}
    assert {r.kind for r in rows} == {"now"}
    rows = plan(meeting(PLANNED, local(2026, 10, 16, 14, 0)))  # lead 1 would be today 08:00
    assert reminders(rows) == {}

    starts = local(2026, 11, 10, 9, 0)
    for leads in ([0], [1], [14, 7, 3, 1, 0], [365]):
        p = meeting_policy(lead_times_days=leads, skip_weekends=True)
        for row in plan(meeting(PLANNED, starts), p, noord_autumn()):
            assert NOW <= row.send_at < starts, (leads, row.kind, row.send_at)


def test_reminders_pushed_onto_one_moment_go_as_one():
    # Saturday and Sunday both land on Monday 08:00: the reminder closest to the meeting stays.
    rows = plan(meeting(PLANNED, local(2026, 11, 2, 15, 0)), meeting_policy(lead_times_days=[2, 1]))
    assert reminders(rows) == {"lead:1": {local(2026, 11, 2, 8)}}


def test_a_moved_meeting_plans_its_reminders_from_the_new_start_with_new_keys():
    first = plan(meeting(PLANNED, local(2026, 11, 3, 15, 30)))
    moved = plan(meeting(MOVED, local(2026, 11, 12, 10, 0)))
    assert reminders(moved) == {"lead:1": {local(2026, 11, 11, 8)}}
    assert {r.template for r in moved if r.kind != "now"} == {f"{MOVED}.lead"}
    first_keys = {r.dedupe_key for r in first if r.kind != "now"}
    moved_keys = {r.dedupe_key for r in moved if r.kind != "now"}
    assert first_keys.isdisjoint(moved_keys)
    # Moved within the same day: the same reminder (the move cancels the old row first).
    same_day = plan(meeting(MOVED, local(2026, 11, 3, 9, 0)))
    assert {r.dedupe_key for r in same_day if r.kind != "now"} == first_keys


def test_a_cancelled_meeting_plans_no_reminder():
    rows = plan(meeting(CANCELLED, local(2026, 11, 3, 15, 30)))
    assert {r.kind for r in rows} == {"now"}
    assert {r.template for r in rows} == {CANCELLED}


def test_a_replayed_meeting_event_plans_its_reminders_but_no_late_invitation():
    old = meeting(PLANNED, local(2026, 11, 3, 15, 30), occurred_at=NOW - timedelta(days=5))
    rows = plan(old)
    assert {r.kind for r in rows} == {"lead:1"}


def test_without_lead_times_only_the_invitation_goes():
    rows = plan(meeting(PLANNED, local(2026, 11, 3, 15, 30)), meeting_policy(lead_times_days=[]))
    assert {r.kind for r in rows} == {"now"}


def test_lead_times_need_a_meeting_that_is_planned_not_only_cancelled():
    meeting_policy(event_types=[PLANNED], lead_times_days=[2, 1]).validate(set(CATALOG))
    with pytest.raises(RuleViolation) as err:
        meeting_policy(event_types=[CANCELLED], lead_times_days=[1]).validate(set(CATALOG))
    assert "Lead times need an event type with a due date." in err.value.errors["lead_times_days"]


def test_the_reminder_text_names_the_meetings_time_in_both_languages():
    [row] = [
        r
        for r in plan(meeting(PLANNED, local(2026, 11, 3, 15, 30)))
        if r.kind != "now" and r.recipient_id == str(GUARDIAN.id)
    ]
    nl = render(row.template, "nl", row.context)
    en = render(row.template, "en", row.context)
    assert nl.subject == "Herinnering: evaluatiegesprek 3 november 2026 om 15:30"
    assert en.subject == "Reminder: evaluation meeting 3 November 2026 at 15:30"
    assert "Emma" in nl.body and "Emma" in en.body


# -- the invitation at send time ------------------------------------------------------------------


class FakeMeetings:
    """The cases service's meetings endpoint: a place per evaluation, or down."""

    def __init__(self, places: dict[UUID, MeetingPlace] | None = None, down: bool = False) -> None:
        self.places = places or {}
        self.down = down
        self.asked: list[UUID] = []

    def meeting_place(self, evaluation_id: UUID) -> MeetingPlace | None:
        self.asked.append(evaluation_id)
        if self.down:
            raise MeetingUnavailable("cases service: ConnectionError")
        return self.places.get(evaluation_id)


def as_delivered(row) -> NotificationRow:
    """A planned row as the store hands it to the delivery (JSON context)."""
    return notification_row(row)


def invitation_rows(**kwargs: Any):
    rows = plan(meeting(PLANNED, local(2026, 11, 3, 15, 30), **kwargs))
    guardian = [r for r in rows if r.recipient_id == str(GUARDIAN.id) and r.channel == "email"]
    [now_row] = [r for r in guardian if r.kind == "now"]
    [lead_row] = [r for r in guardian if r.kind != "now"]
    return as_delivered(now_row), as_delivered(lead_row)


def vevent(files: list[tuple[str, bytes]]):
    [(name, content)] = files
    assert name == "uitnodiging.ics"
    [event] = Calendar.from_ical(content).walk("VEVENT")
    return event


def test_the_invitation_carries_the_place_and_video_link_fetched_at_send_time():
    place = MeetingPlace("Lokaal 12, De Linde", "https://meet.example.nl/opp-12")
    meetings = FakeMeetings({EVALUATION: place})
    now_row, _ = invitation_rows()
    assert "Lokaal" not in repr(now_row)  # the planned row holds no place

    event = vevent(attachments_for(now_row, [], "nl", MAIL_URL, NOW, None, meetings))
    assert meetings.asked == [EVALUATION]
    assert str(event["LOCATION"]) == "Lokaal 12, De Linde"
    assert str(event["URL"]) == "https://meet.example.nl/opp-12"
    assert str(event["DESCRIPTION"]) == "Videolink: https://meet.example.nl/opp-12"
    english = vevent(attachments_for(now_row, [], "en", MAIL_URL, NOW, None, meetings))
    assert str(english["DESCRIPTION"]) == "Video link: https://meet.example.nl/opp-12"


def test_without_a_place_the_invitation_has_none_but_the_organizer_is_asked():
    own = MeetingPlace("Lokaal 12", None, '"SWV Zuid" <ib@swv-zuid.test>')
    meetings = FakeMeetings({EVALUATION: own})
    now_row, _ = invitation_rows(has_location=False)
    event = vevent(attachments_for(now_row, [], "nl", MAIL_URL, NOW, None, meetings))
    assert meetings.asked == [EVALUATION]
    assert "LOCATION" not in event and "URL" not in event and "DESCRIPTION" not in event
    assert str(event["ORGANIZER"]) == "mailto:ib@swv-zuid.test"
    with pytest.raises(MeetingUnavailable):  # tried again later: the replies need their address
        attachments_for(now_row, [], "nl", MAIL_URL, NOW, None, FakeMeetings(down=True))


def test_the_organizer_is_the_partnerships_else_the_services_else_the_sender():
    assert choose_organizer("ib@swv.test", "School <s@x.test>", "noreply@x.test") == "ib@swv.test"
    assert choose_organizer(None, "School <s@x.test>", "noreply@x.test") == "School <s@x.test>"
    assert choose_organizer(None, "", "noreply@x.test") == "noreply@x.test"
    assert choose_organizer("", "", "") is None


@pytest.mark.parametrize(
    ("partnership", "service", "expected"),
    [
        ('"Stichting Ö, Zuid" <ib@swv.test>', "IB <ib@school.test>", "ib@swv.test"),
        (None, "IB <ib@school.test>", "ib@school.test"),
        (None, "", "noreply@swv.test"),  # MAIL_URL's from
    ],
)
def test_the_invitation_names_the_chosen_organizer(partnership, service, expected):
    meetings = FakeMeetings({EVALUATION: MeetingPlace("Lokaal 12", None, partnership)})
    now_row, _ = invitation_rows()
    files = attachments_for(now_row, [], "nl", MAIL_URL, NOW, None, meetings, organizer=service)
    organizer = vevent(files)["ORGANIZER"]
    assert str(organizer) == f"mailto:{expected}"
    if partnership:
        assert organizer.params["CN"] == "Stichting Ö, Zuid"


def test_a_meeting_gone_sends_the_invitation_without_place_and_cases_down_raises():
    now_row, _ = invitation_rows()
    event = vevent(attachments_for(now_row, [], "nl", MAIL_URL, NOW, None, FakeMeetings()))
    assert "LOCATION" not in event
    with pytest.raises(MeetingUnavailable):
        attachments_for(now_row, [], "nl", MAIL_URL, NOW, None, FakeMeetings(down=True))


def test_a_reminder_carries_no_invitation_and_asks_nothing():
    meetings = FakeMeetings(down=True)
    _, lead_row = invitation_rows()
    assert attachments_for(lead_row, [], "nl", MAIL_URL, NOW, None, meetings) == []
    assert meetings.asked == []


def test_group_channels_and_sms_never_get_the_invitation_or_the_place():
    meetings = FakeMeetings({EVALUATION: MeetingPlace("Lokaal 12", None)})
    p = meeting_policy(
        channels={"guardian": ["email", "sms"], "coordinator": ["email"], "teacher": ["email"]},
        group_urls=["json://127.0.0.1:9/hook"],
    )
    rows = plan_event(
        meeting(PLANNED, local(2026, 11, 3, 15, 30)),
        [p],
        audience(GUARDIAN, TEACHER, COORDINATOR),
        NO_HOLIDAYS,
        NOW,
    )
    others = [r for r in rows if r.channel in ("sms", "group") and r.kind == "now"]
    assert {r.channel for r in others} == {"sms", "group"}
    for row in others:
        assert attachments_for(as_delivered(row), [], "nl", MAIL_URL, NOW, None, meetings) == []
    assert meetings.asked == []


def test_an_invitation_without_place_is_still_a_valid_calendar():
    meeting_context = {
        "evaluation_id": str(uuid4()),
        "uid": "x@passend-onderwijs",
        "starts_at": "2026-11-03T14:30:00+00:00",
        "duration_minutes": 45,
        "sequence": 0,
        "cancelled": False,
        "has_location": False,
    }
    event = Calendar.from_ical(build_invitation(meeting_context, "nl", None, NOW)).walk("VEVENT")
    assert [str(e["UID"]) for e in event] == ["x@passend-onderwijs"]
