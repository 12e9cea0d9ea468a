"""What a consent request to a guardian says besides its planned context (issue 13): the consent
page's link, and the cases service's answer-by day, contact and partnership, asked at send time."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from services.notifications.domain.notification import NotificationRow
from services.notifications.domain.templates import render
from services.notifications.service_layer.consent_check import (
    ConsentState,
    ConsentUnavailable,
    consent_request_details,
)
from tests.unit.notifications.builders import notification_row

PLAN = UUID("1a2b3c4d-0000-4000-8000-000000000002")
WEB = "https://web.swv.example/"
STATE = ConsentState(
    2,
    frozenset({1}),
    answer_by=date(2026, 10, 29),
    school_name="OBS De Regenboog",
    partnership_name="SWV Amstelland",
    contact_name="Fatima el Amrani",
    contact_email="ib@regenboog.example",
    contact_phone=None,
)


class Cases:
    def __init__(self, state: ConsentState | None = STATE, down: bool = False) -> None:
        self.state, self.down, self.asked = state, down, 0

    def consent_state(self, plan_id: UUID) -> ConsentState | None:
        self.asked += 1
        if self.down:
            raise ConsentUnavailable("cases service: ConnectionError")
        return self.state


def row(
    kind: str = "guardian", event: str = "development_plan.consent_requested"
) -> NotificationRow:
    return notification_row(event_type=event, recipient_kind=kind, plan_id=PLAN)


def test_a_guardians_request_gets_the_link_the_day_the_contact_and_the_partnership():
    details = consent_request_details(row(), Cases(), WEB)
    assert details == {
        "consent_url": f"https://web.swv.example/ouders/plannen/{PLAN}/instemming",
        "answer_by": "2026-10-29",
        "contact_name": "Fatima el Amrani",
        "contact_email": "ib@regenboog.example",
        "contact_phone": None,
        "partnership": "SWV Amstelland",
        "school": "OBS De Regenboog",
    }
    context = {"recipient_name": "Eva Mulder", "pupil": "Daan", **details}
    body = render("development_plan.consent_requested", "en", context).body
    assert "The school hopes to hear from you by 29 October 2026." in body.splitlines()
    assert "Please contact Fatima el Amrani at OBS De Regenboog:" in body
    assert "None" not in body


def test_other_messages_and_staff_get_nothing_and_ask_nothing():
    cases = Cases()
    assert consent_request_details(row(kind="user"), cases, WEB) == {}
    assert consent_request_details(row(event="case.opened"), cases, WEB) == {}
    assert cases.asked == 0


def test_without_an_answer_from_cases_only_the_link_and_down_is_tried_again():
    assert consent_request_details(row(), Cases(state=None), WEB) == {
        "consent_url": f"https://web.swv.example/ouders/plannen/{PLAN}/instemming"
    }
    assert consent_request_details(row(), None, "") == {}
    with pytest.raises(ConsentUnavailable):
        consent_request_details(row(), Cases(down=True), WEB)
