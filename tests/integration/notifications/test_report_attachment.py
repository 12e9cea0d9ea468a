"""A periodic report delivered as a PDF attachment, by policy (issue 4), on the real services.

The cases service (over HTTP: the audience of a school) and the reports service (over HTTP: the
compiled report's PDF, asked with notifications' own service token) run in threads; Redis, both
databases and the SMTP server are real. A case at school A1 starts an intervention in September
2026; the events reach the reports service's read model through the stream, as in production; on
15 October the reports service compiles September for every school and announces `report.ready`
on the stream, and the notifications consumer plans the school's messages. Delivering them fetches
the PDF fresh, in the recipient's language, and attaches it; the link stays in the text.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import pypdfium2 as pdfium
import pytest
import redis
import requests
from sqlalchemy import delete, select

from services.cases.domain import commands as c
from services.cases.service_layer import handlers as h
from services.notifications.config import NotificationsSettings
from services.notifications.service_layer import attachments, handlers
from services.reports.__main__ import consumer as reports_consumer
from services.reports.adapters import orm as reports_orm
from services.reports.bootstrap import Container as ReportsContainer
from services.reports.service_layer import periodic
from services.web.app import create_app as create_web_app
from services.web.config import WebSettings
from shared.auth import service_token
from tests.conftest import JWT_SECRET, REDIS_URL
from tests.integration.notifications.helpers import attempts, bearer, rows
from tests.integration.notifications.test_web_policy_texts import form_of
from tests.integration.web.conftest import Browser
from tests.support.api_flows import assert_error, open_case, start_intervention
from tests.support.cases_server import AppServer
from tests.support.mail import MailServer, ReceivedMail
from tests.support.world import PASSWORD, World

POLICIES = "/api/v1/policies/"
PUBLIC_REPORTS = "https://rapportage.swv.test"  # REPORTS_PUBLIC_URL: the link in the message
COORDINATOR = "coordinator_a1@test.nl"
DIRECTOR = "director_a1@test.nl"
DIRECTOR_EN = "director.en_a1@test.nl"  # a director who reads English
STAFF = (COORDINATOR, DIRECTOR, DIRECTOR_EN)
NL_FILE = "opbrengstrapportage-2026-09.pdf"
EN_FILE = "outcome-report-2026-09.pdf"


# -- the reports service over HTTP, and notifications pointed at it -------------------------------


@pytest.fixture
def notifications_settings(
    notifications_settings: NotificationsSettings, reports_server: AppServer
) -> NotificationsSettings:
    """The conftest's settings, with the reports API this service fetches reports from and the
    public address the messages link to."""
    return dataclasses.replace(
        notifications_settings, reports_api_url=reports_server.url, reports_url=PUBLIC_REPORTS
    )


@pytest.fixture
def compiled(
    container,
    world: World,
    pipeline,
    notifications,
    reports: ReportsContainer,
) -> None:
    """School A1's September in both services, and September compiled for every school."""
    add_english_director(container, world)
    case = open_case(world, "a1")
    start_intervention(world, case["id"])  # starts on 7 September 2026
    pipeline.run()  # relay; notifications gets its default policies and plans the case's rows
    live = reports_consumer(reports, claim_idle_ms=0, block_ms=10, batch=200)
    live.ensure_group()
    while live.run_once():
        pass
    now = reports.clock.now()
    assert periodic.compile_due(reports.store, reports.reader, ("month",), now.date(), now)


def announce(world: World, pipeline, notifications, reports: ReportsContainer) -> UUID:
    """The reports service announces its compiled reports on the stream and the notifications
    consumer plans the messages; returns the id of school A1's report."""
    assert periodic.publish_ready(reports.store, reports.publisher(), reports.clock.now()) >= 1
    pipeline.consume()
    planned = rows(notifications, event_type="report.ready", school_id=world.school_a1)
    assert set(STAFF) <= {r["address"] for r in planned}, planned
    [report_id] = {UUID(r["context"]["report_id"]) for r in planned}
    return report_id


def add_english_director(container, world: World) -> None:
    with container.uow() as uow:
        admin = h.principal_of(uow.repo.user(world.users["admin_a"]), uow)  # type: ignore[arg-type]
    h.create_user(
        c.CreateUser(
            role="director",
            email=DIRECTOR_EN,
            name="Director EN",
            password=PASSWORD,
            school_id=world.school_a1,
            language="en",
        ),
        container.uow(),
        admin,
    )


# -- helpers ------------------------------------------------------------------------------------


def deliver_due(n) -> dict[UUID, str]:
    ids = handlers.due_for_dispatch(
        n.store, n.clock.now(), n.settings.dispatch_batch, n.settings.stale_after_seconds
    )
    return {i: handlers.deliver(i, n.store, n.sender, n.rules, n.clock.now, n.reports) for i in ids}


def report_mails(mail_server: MailServer) -> dict[str, list[ReceivedMail]]:
    """The report messages each of the school's staff received."""
    return {address: mail_server.to(address) for address in STAFF}


def pdf_parts(mail: ReceivedMail) -> dict[str, bytes]:
    return {
        part.get_filename(): part.get_payload(decode=True)
        for part in mail.message.iter_attachments()
    }


def pdf_text(data: bytes) -> str:
    doc = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in doc).replace("\r", "")
    finally:
        doc.close()


def set_report_delivery(
    notifications_client, world: World, value: str, **changes: Any
) -> dict[str, Any]:
    """Switch the default `report_ready` policy through the API, as an administrator would."""
    headers = bearer(world.tokens["admin_a"])
    listed = notifications_client.get(POLICIES, headers=headers)
    assert listed.status_code == 200, listed.json
    [policy] = [p for p in listed.json if p["key"] == "report_ready"]
    assert policy["report_delivery"] == "link"  # the default, also for rows stored before it
    body = {k: v for k, v in policy.items() if k not in ("id", "partnership_id", "group_channels")}
    response = notifications_client.put(
        f"{POLICIES}{policy['id']}",
        json={**body, **changes, "report_delivery": value},
        headers=headers,
    )
    assert response.status_code == 200, response.json
    assert response.json["report_delivery"] == value
    return response.json


def link(report_id: UUID) -> str:
    """The web page of the report (WEB_PUBLIC_URL's default), never the reports API's JSON."""
    return f"http://127.0.0.1:8000/rapporten/{report_id}"


# -- the tests ----------------------------------------------------------------------------------


def test_an_attachment_policy_mails_the_report_as_a_pdf_in_each_recipients_language(
    compiled,
    world,
    pipeline,
    notifications,
    notifications_client,
    reports,
    mail_server,
):
    set_report_delivery(notifications_client, world, "attachment")
    report_id = announce(world, pipeline, notifications, reports)

    delivered = deliver_due(notifications)
    mine = rows(notifications, event_type="report.ready", school_id=world.school_a1)
    assert {delivered[r["id"]] for r in mine} == {"sent"}
    mails = report_mails(mail_server)
    assert {address: len(got) for address, got in mails.items()} == dict.fromkeys(STAFF, 1)
    texts = {}
    for address, [mail] in mails.items():
        parts = pdf_parts(mail)
        expected = EN_FILE if address == DIRECTOR_EN else NL_FILE
        assert list(parts) == [expected], address
        assert parts[expected].startswith(b"%PDF-")
        assert link(report_id) in mail.body  # the text still links the report
        texts[address] = pdf_text(parts[expected])
    # The school's figures, in the recipient's language: one reading intervention started.
    for address in (COORDINATOR, DIRECTOR):
        assert "Opbrengstenrapport" in mails[address][0].subject
        assert "School A1" in texts[address] and "Taal Nederlands" in texts[address]
        assert "Basisinterventies gestart 1" in texts[address]
        assert "Leesproblemen en dyslexie: gestart 1" in texts[address]
    english = texts[DIRECTOR_EN]
    assert "Outcome report of school School A1" in english and "Language English" in english
    assert "Basic interventions started 1" in english
    assert "Reading problems and dyslexia: started 1" in english
    assert "Periodic report month" in english
    assert deliver_due(notifications) == {}  # sent once


def test_a_link_policy_mails_the_link_without_an_attachment(
    compiled,
    world,
    pipeline,
    notifications,
    reports,
    mail_server,
):
    report_id = announce(world, pipeline, notifications, reports)
    deliver_due(notifications)
    mails = report_mails(mail_server)
    assert {address: len(got) for address, got in mails.items()} == dict.fromkeys(STAFF, 1)
    for [mail] in mails.values():
        assert pdf_parts(mail) == {}
        assert link(report_id) in mail.body
        assert "/api/v1/" not in mail.body


def test_the_reports_link_opened_without_a_session_hands_out_the_pdf_after_log_in(
    compiled, world, pipeline, notifications, reports, mail_server, cases_server, reports_server
):
    report_id = announce(world, pipeline, notifications, reports)
    deliver_due(notifications)
    [mail] = mail_server.to(COORDINATOR)
    path = link(report_id).removeprefix("http://127.0.0.1:8000")
    assert path in mail.body
    with web_browser(cases_server.url, reports_server.url, reports.clock) as browser:
        opened = browser.get(path)
        assert opened.status_code == 302
        assert opened.headers["Location"] == f"/inloggen?next={path}"
        assert browser.login("coordinator_a1", next_url=path).headers["Location"] == path
        pdf = browser.get(path)
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert "School A1" in pdf_text(pdf.data)
        other = browser.get(f"/rapporten/{UUID(int=7)}")  # no such report: the calm 404 page
        assert other.status_code == 404


@contextmanager
def web_browser(cases_url: str, reports_url: str, clock) -> Iterator[Browser]:
    """The web front end in front of the cases and reports servers, with its own sessions."""
    prefix = f"test:web:{uuid4().hex}:"
    settings = WebSettings(
        cases_url=cases_url,
        notifications_url="",
        reports_url=reports_url,
        redis_url=REDIS_URL,
        jwt_secret=JWT_SECRET,
        session_secret="web-session-secret-for-tests-only!!",
        session_key_prefix=prefix,
    )
    try:
        yield Browser(create_web_app(settings, clock=clock).test_client(), settings)
    finally:
        r = redis.Redis.from_url(REDIS_URL)
        for key in r.scan_iter(f"{prefix}*"):
            r.delete(key)


def test_group_channels_get_a_reference_never_the_attachment(
    compiled,
    world,
    pipeline,
    notifications,
    notifications_client,
    reports,
    mail_server,
    webhook,
):
    group_url = webhook.apprise_url("/hooks/zorgteam")
    set_report_delivery(notifications_client, world, "attachment", group_urls=[group_url])
    report_id = announce(world, pipeline, notifications, reports)
    deliver_due(notifications)
    group = rows(notifications, event_type="report.ready", channel="group")  # every school's
    assert world.school_a1 in {r["school_id"] for r in group}
    assert {r["status"] for r in group} == {"sent"}
    bodies = webhook.wait_for(len(group))
    assert len(bodies) == len(group)
    for body in bodies:
        assert not body.get("attachments")  # Apprise's json:// would list them here
        assert body["title"].startswith("Melding")  # the neutral reference of group channels
        assert str(report_id) not in str(body)
    assert [list(pdf_parts(m)) for m in mail_server.to(COORDINATOR)] == [[NL_FILE]]


def test_while_the_reports_service_is_down_the_message_waits_then_goes_once(
    compiled,
    world,
    pipeline,
    notifications,
    notifications_client,
    reports,
    reports_server,
    mail_server,
    clock,
):
    set_report_delivery(notifications_client, world, "attachment")
    announce(world, pipeline, notifications, reports)
    reports_server.stop()

    deliver_due(notifications)
    mine = rows(notifications, event_type="report.ready", school_id=world.school_a1)
    assert {r["status"] for r in mine} == {"planned"}  # retried with backoff: not sent, not dead
    assert all(r["send_at"] > clock.now() for r in mine)
    for row in mine:
        [attempt] = attempts(notifications, row["id"])
        assert attempt["outcome"] == "failed"
        assert attempt["error"].startswith("reports service: ConnectionError")
    assert report_mails(mail_server) == {address: [] for address in STAFF}

    reports_server.start()
    clock.advance(timedelta(minutes=5))
    deliver_due(notifications)
    mine = rows(notifications, event_type="report.ready", school_id=world.school_a1)
    assert {r["status"] for r in mine} == {"sent"}
    assert {r["attempts"] for r in mine} == {2}
    mails = report_mails(mail_server)
    assert {address: len(got) for address, got in mails.items()} == dict.fromkeys(STAFF, 1)
    assert all(len(pdf_parts(got[0])) == 1 for got in mails.values())
    clock.advance(timedelta(hours=2))
    assert deliver_due(notifications) == {}
    assert len(mail_server.to(COORDINATOR)) == 1  # exactly one


def test_a_report_that_is_gone_goes_out_as_a_link_with_a_warning(
    compiled,
    world,
    pipeline,
    notifications,
    notifications_client,
    reports,
    mail_server,
    caplog,
):
    set_report_delivery(notifications_client, world, "attachment")
    report_id = announce(world, pipeline, notifications, reports)
    with reports.engine.begin() as conn:
        table = reports_orm.compiled_reports
        conn.execute(delete(table).where(table.c.report_id == report_id))

    with caplog.at_level(logging.WARNING, logger=handlers.log.name):
        deliver_due(notifications)
    mine = rows(notifications, event_type="report.ready", school_id=world.school_a1)
    assert {r["status"] for r in mine} == {"sent"}
    for [mail] in report_mails(mail_server).values():
        assert pdf_parts(mail) == {}
        assert link(report_id) in mail.body
    gone = [r for r in caplog.records if "is gone" in r.getMessage()]
    assert len(gone) == len(STAFF) and str(report_id) in gone[0].getMessage()


def test_the_service_token_reads_compiled_reports_and_nothing_else(
    compiled,
    world,
    reports,
    reports_server,
):
    table = reports_orm.compiled_reports
    with reports.engine.connect() as conn:
        [report_id] = conn.execute(
            select(table.c.report_id).where(table.c.school_id == world.school_a1)
        ).scalars()
    token = service_token("notifications", JWT_SECRET, reports.clock.now(), timedelta(minutes=5))
    http = requests.Session()
    get = lambda path: http.get(f"{reports_server.url}{path}", headers=bearer(token), timeout=10)  # noqa: E731
    assert get(f"/api/v1/reports/compiled/{report_id}/report.pdf?lang=en").status_code == 200
    assert get(f"/api/v1/reports/compiled/{report_id}").status_code == 200
    period = "start=2026-09-01&end=2026-09-30"
    assert get(f"/api/v1/reports/schools/{world.school_a1}?{period}").status_code == 403
    assert get(f"/api/v1/reports/partnership?{period}").status_code == 403
    http.close()


def test_attachment_is_refused_on_a_policy_without_report_ready(
    world, pipeline, notifications_client
):
    pipeline.run()
    headers = bearer(world.tokens["admin_a"])
    body = {
        "key": "started_with_report",
        "name": "Gestart",
        "event_types": ["intervention.started"],
        "recipient_roles": ["coordinator"],
        "channels": {"coordinator": ["email"]},
        "report_delivery": "attachment",
    }
    response = notifications_client.post(POLICIES, json=body, headers=headers)
    assert_error(response, 422, "rule_violation", field="report_delivery")
    assert response.json["errors"]["report_delivery"] == [
        "A report is attached only to messages about report.ready."
    ]
    response = notifications_client.post(
        POLICIES, json={**body, "report_delivery": "fax"}, headers=headers
    )
    assert_error(response, 422, field="report_delivery")
    ok = {**body, "event_types": ["intervention.started", "report.ready"]}
    response = notifications_client.post(POLICIES, json=ok, headers=headers)
    assert response.status_code == 201, response.json
    assert response.json["report_delivery"] == "attachment"
    response = notifications_client.post(
        POLICIES, json={**body, "key": "plain", "report_delivery": "link"}, headers=headers
    )
    assert response.status_code == 201, response.json


def test_the_web_policy_form_sets_the_report_delivery_and_explains_a_refusal_in_dutch(
    world, pipeline, notifications, web
):
    pipeline.run()  # the partnership's default policies
    with notifications.store() as store:
        [policy] = [p for p in store.policies(world.partnership_a) if p.key == "report_ready"]
    web.login("admin_a")
    edit = f"/beheer/berichten/{policy.id}/wijzigen"
    shown = web.get(edit).get_data(as_text=True)
    assert '<option value="link" selected>Als link</option>' in shown
    assert web.post(edit, form_of(shown, report_delivery="attachment")).status_code == 302
    with notifications.store() as store:
        assert store.policy(policy.id).report_delivery == "attachment"
    shown = web.get(edit).get_data(as_text=True)
    assert '<option value="attachment" selected>' in shown

    refused = web.post(edit, form_of(shown, event_types=["intervention.started"]))
    assert refused.status_code == 422
    assert "Een rapport gaat alleen als bijlage mee bij &#39;Rapport klaar&#39;." in (
        refused.get_data(as_text=True)
    )
    with notifications.store() as store:
        assert store.policy(policy.id).event_types == ["report.ready"]  # nothing written


@pytest.mark.parametrize(
    ("start", "end", "nl", "en"),
    [
        ("2026-09-01", "2026-09-30", "2026-09", "2026-09"),
        ("2026-02-01", "2026-02-28", "2026-02", "2026-02"),
        ("2026-07-01", "2026-09-30", "2026-K3", "2026-Q3"),
        ("2026-10-01", "2026-12-31", "2026-K4", "2026-Q4"),
        ("2025-08-01", "2026-07-31", "2025-2026", "2025-2026"),
        ("2026-09-02", "2026-09-30", "2026-09-02-2026-09-30", "2026-09-02-2026-09-30"),
    ],
)
def test_the_attachment_is_named_by_its_period(start, end, nl, en):
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    assert attachments.period_label(first, last, "nl") == nl
    assert attachments.period_label(first, last, "en") == en
