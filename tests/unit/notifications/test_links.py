"""Issue 12, deep links: every message about a case links to its page in the web front end (the
plan's page when it is about a plan; staff's messages about a TLV application to the application's
page, issue 14), never to a JSON endpoint; group channels carry the link too, for it holds only
ids and needs a log-in. Guardians do not sign in to the staff pages."""

from __future__ import annotations

from typing import Any

import pytest

from services.notifications.domain import tlv
from services.notifications.domain.planning import plan_event
from services.notifications.domain.template_keys import template_event
from services.notifications.domain.templates import DEFAULTS, SAMPLE_CONTEXT, render
from services.notifications.service_layer.messages import DeliveryRules, linked_context
from shared.events import CATALOG
from shared.web_links import link_for
from tests.conftest import NOW
from tests.unit.notifications.builders import (
    CASE,
    COORDINATOR,
    GUARDIAN,
    NO_HOLIDAYS,
    PLAN,
    audience,
    envelope,
    notification_row,
    policy,
)

WEB = "https://school.example.nl"
RULES = DeliveryRules(mail_url="", sms_url="", public_url="", web_url=WEB)
GROUP_URL = "json://hooks.example.test/zorgteam"


def _event_type(template: str) -> str:
    return template_event(template)


WITH_A_CASE = sorted(
    t
    for t in DEFAULTS
    if _event_type(t) in CATALOG and "case_id" in CATALOG[_event_type(t)].schema().fields
)


def _rows(event_type: str) -> list[Any]:
    """The rows planned for the coordinator, a guardian and a group channel, as stored."""
    p = policy(
        key="links",
        event_types=[event_type],
        recipient_roles=["coordinator", "guardian"],
        channels={"coordinator": ["email"], "guardian": ["email"]},
        lead_times_days=[],
        group_urls=[GROUP_URL],
        critical=True,  # at once, whatever the hour
    )
    rows = plan_event(envelope(event_type), [p], audience(COORDINATOR, GUARDIAN), NO_HOLIDAYS, NOW)
    assert {r.recipient_kind for r in rows} == {"user", "guardian", "group"}
    return rows


def _page(event_type: str, context: dict[str, Any] | None = None) -> str:
    if context and context.get("referral_id"):  # staff's messages about a TLV application
        return f"{WEB}/trajecten/{CASE}/verwijzingen/{context['referral_id']}/aanvraag"
    has_plan = "plan_id" in CATALOG[event_type].schema().fields
    return f"{WEB}/trajecten/{CASE}/opp/{PLAN}" if has_plan else f"{WEB}/trajecten/{CASE}"


def test_there_are_templates_about_cases():
    assert len(WITH_A_CASE) > 30


@pytest.mark.parametrize("template", WITH_A_CASE)
def test_every_default_text_about_a_case_links_to_its_web_page(template):
    event_type = _event_type(template)
    for row in _rows(event_type):
        if tlv.template_for(template, row.recipient_kind) != template:
            continue  # this recipient reads another version (guardians: a decision's own)
        context = linked_context(notification_row(row), RULES)
        for language in ("nl", "en"):
            message = render(template, language, context, group=row.channel == "group")
            text = message.subject + message.body
            assert "/api/v1/" not in text
            if row.recipient_kind == "guardian":
                assert WEB not in text  # no staff page for parents
            else:
                page = _page(event_type, row.context)
                assert page in message.body, (template, row.recipient_kind)


def test_no_default_text_of_any_event_names_an_api_address():
    """report.ready linked to the reports API's JSON; now it says where to look after log-in."""
    for template in DEFAULTS:
        context = SAMPLE_CONTEXT | {"reports_url": "http://127.0.0.1:8003", "link": f"{WEB}/"}
        for language in ("nl", "en"):
            message = render(template, language, context)
            assert "/api/v1/" not in message.subject + message.body, template


def test_no_web_address_configured_means_no_link():
    [row, *_] = _rows("case.opened")
    context = linked_context(
        notification_row(row, recipient_kind="user"),
        DeliveryRules(mail_url="", sms_url="", public_url=""),
    )
    assert context.get("link") is None


def test_a_report_message_links_to_the_reports_web_page_and_others_to_the_home_page():
    report = "00000000-0000-4000-8000-000000000001"
    row = notification_row(context={"report_id": report})
    assert linked_context(row, RULES)["link"] == f"{WEB}/rapporten/{report}"
    assert linked_context(notification_row(context={}), RULES)["link"] == f"{WEB}/"


REFERRAL = "00000000-0000-4000-8000-0000000000aa"
APPLICATION_EVENTS = ("referral.submitted", "referral.advice_recorded", "referral.decided")


def test_link_for_a_tlv_application_is_the_schools_application_page():
    application = f"{WEB}/trajecten/{CASE}/verwijzingen/{REFERRAL}/aanvraag"
    assert link_for(WEB, {"case_id": CASE, "referral_id": REFERRAL}) == application
    assert link_for(f"{WEB}/", {"case_id": CASE, "plan_id": PLAN, "referral_id": REFERRAL}) == (
        application
    )
    # Without the case's id there is no such page: the home page, as for no ids at all.
    assert link_for(WEB, {"referral_id": REFERRAL}) == f"{WEB}/"
    assert link_for(WEB, {"case_id": CASE}) == f"{WEB}/trajecten/{CASE}"
    assert link_for("", {"case_id": CASE, "referral_id": REFERRAL}) is None
    with pytest.raises(ValueError):  # ids only: nothing else gets into the address
        link_for(WEB, {"case_id": CASE, "referral_id": "../beheer"})


@pytest.mark.parametrize("event_type", APPLICATION_EVENTS)
def test_staff_messages_about_an_application_link_to_its_page(event_type):
    """Staff rows carry the referral's id and link to the application's page; the guardian's
    reads the parents' page (its own link), the group channel keeps the case's page."""
    data = {"complete": True} if event_type == "referral.advice_recorded" else {}
    p = policy(
        key="links",
        event_types=[event_type],
        recipient_roles=["coordinator", "guardian"],
        channels={"coordinator": ["email"], "guardian": ["email"]},
        lead_times_days=[],
        group_urls=[GROUP_URL],
        critical=True,
    )
    event = envelope(event_type, referral_id=REFERRAL, **data)
    rows = plan_event(event, [p], audience(COORDINATOR, GUARDIAN), NO_HOLIDAYS, NOW)
    links = {r.recipient_kind: linked_context(notification_row(r), RULES).get("link") for r in rows}
    assert links["user"] == f"{WEB}/trajecten/{CASE}/verwijzingen/{REFERRAL}/aanvraag"
    assert links["group"] == f"{WEB}/trajecten/{CASE}"
    assert links.get("guardian") is None
    assert [r for r in rows if r.recipient_kind == "group"][0].context.get("referral_id") is None


@pytest.mark.parametrize(
    "event_type", ["referral.admission_statement_recorded", "referral.requested"]
)
def test_the_admission_statements_messages_keep_the_case_page(event_type):
    for row in _rows(event_type):
        assert "referral_id" not in row.context
        if row.recipient_kind == "user":
            link = linked_context(notification_row(row, recipient_kind="user"), RULES)
            assert link["link"] in (f"{WEB}/trajecten/{CASE}", f"{WEB}/trajecten/{CASE}/opp/{PLAN}")
