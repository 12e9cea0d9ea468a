"""A parent in a real browser (issue 13): Debian's Chromium at phone width against the cases
service (gunicorn + relay), notifications (consumer, Celery worker, beat) with a real SMTP server,
and the web app under gunicorn, all on one clock file.

The coordinator asks consent (through the API); the parent asks for a sign-in link on the web
page; the e-mail arrives; the parent follows its link, reads the plan and agrees; the plan becomes
active and the stream holds `development_plan.consent_recorded` with channel `online` once. A
reused and an expired link are refused with a clear page, another family's child is a 404. Every
parent page is screenshotted to test-artifacts/web/parent-*.png and passes axe-core."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from shared.events import Envelope
from shared.streams import ENVELOPE_FIELD
from tests.e2e.conftest import CasesStack, new_walk, start_web
from tests.e2e.test_notifications import (  # noqa: F401  (stack: a fixture used here)
    GUARDIAN,
    PASSWORD,
    Stack,
    _plan,
    _story_until_plan,
    stack,
)
from tests.e2e.test_web_seed_story import download_plan
from tests.support.processes import wait_until

SIGN_IN_SUBJECT = "Uw inloglink voor de ouderpagina's"
LINK = re.compile(r"(http://127\.0\.0\.1:\d+/ouders/inloggen/\S+)")


@pytest.fixture
def web_url(cases_stack: CasesStack) -> str:
    """The web app under gunicorn, on the shared clock file, asking the cases service."""
    return start_web(cases_stack)


@pytest.fixture
def notifications_extra_env(web_url: str) -> dict[str, str]:
    """Sign-in links in the e-mails point at this web app."""
    return {"WEB_PUBLIC_URL": web_url}


def _sign_in_links(running: Stack, count: int, to: str = GUARDIAN) -> list[str]:
    def arrived() -> list[str]:
        mails = [m for m in running.mail.to(to) if m.subject == SIGN_IN_SUBJECT]
        found = [LINK.search(m.body) for m in mails]
        return [f.group(1) for f in found if f] if len(mails) >= count else []

    return wait_until(arrived, timeout=30, message=f"{count} sign-in e-mail(s)")


def _stream(running: Stack) -> list[Envelope]:
    entries = running.cases.redis.xrange(running.cases.stream)
    return [Envelope.from_json(fields[ENVELOPE_FIELD]) for _id, fields in entries]


def _consent_recorded(running: Stack) -> list[Envelope]:
    return [e for e in _stream(running) if e.type == "development_plan.consent_recorded"]


def test_a_parent_signs_in_by_link_reads_the_plan_and_agrees(
    stack: Stack,  # noqa: F811
    web_url: str,
    chromium: Browser,
    tmp_path: Path,
) -> None:
    stack.at(2026, 10, 15, 8)  # Thursday 10:00 in Amsterdam
    ib, pupil, case = _story_until_plan(stack, date(2026, 11, 26))
    plan = _plan(ib, case, pupil, date(2026, 11, 26))
    base = f"/api/v1/development-plans/{plan['id']}"
    ib.post(f"{base}/consultation", {"held_on": "2026-10-14", "participants": ["Eva", "IB"]})
    ib.post(f"{base}/pupil-view", {"heard_on": "2026-10-14"})
    ib.post(f"{base}/consent-request", {"requested_on": "2026-10-15"})
    other = ib.post(
        "/api/v1/pupils",
        {
            "school_id": pupil["school_id"],
            "given_name": "Sem",
            "family_name": "Jansen",
            "date_of_birth": "2017-06-01",
            "group": "groep 4",
            "enrolled_on": "2021-08-23",
            "guardians": [{"name": "Ouder Jansen", "email": "jansen@voorbeeld.nl"}],
        },
        expect=201,
    )

    # at phone width; the screenshots show this run only
    walk = new_walk(chromium, "parent-*.png", width=390, height=844)
    page, context = walk.page, walk.page.context

    # -- ask for a link: the same answer for any address ------------------------------------
    page.goto(f"{web_url}/ouders/")
    expect(page).to_have_url(re.compile(r"/ouders/inloggen$"))
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    walk.check("parent-01-inloggen")
    page.get_by_label("E-mailadres").fill(GUARDIAN)
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    expect(page.locator("#link-sent")).to_be_visible()
    walk.check("parent-02-link-gestuurd")
    [link] = _sign_in_links(stack, 1)

    # -- the link: a button (opening it spends nothing), then their own child ---------------
    page.goto(link)
    walk.check("parent-03-link")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn kinderen")
    expect(page.locator("#children")).to_contain_text("Daan Mulder")
    expect(page.locator("#children")).not_to_contain_text("Sem")
    walk.check("parent-04-kinderen")
    page.get_by_role("link", name="Daan Mulder").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Daan Mulder")
    expect(page.locator("main")).to_contain_text("Begeleiding in kleine groep.")
    walk.check("parent-05-kind")

    # -- consent: read the exact version and agree ------------------------------------------
    page.get_by_role("link", name="Lees het plan en geef uw antwoord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Instemming met het handelingsdeel")
    walk.check("parent-06-instemming")
    page.get_by_label("Ik stem in met dit plan").check()
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator(".notice--success")).to_contain_text("Uw instemming is vastgelegd")
    walk.check("parent-07-vastgelegd")
    text = download_plan(
        page, page.get_by_role("link", name="Het hele plan als PDF downloaden"), tmp_path
    )
    assert "Daan Mulder" in text and "Ingestemd" in text and "Online" in text

    agreed = ib.get(base)
    assert agreed["status"] == "active"
    assert agreed["consents"][-1]["channel"] == "online"
    wait_until(lambda: _consent_recorded(stack), timeout=15, message="consent_recorded published")
    recorded = _consent_recorded(stack)
    assert [e.data["channel"] for e in recorded] == ["online"]

    # -- another family's child: not found ---------------------------------------------------
    response = page.goto(f"{web_url}/ouders/kinderen/{other['id']}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    walk.check("parent-08-niet-gevonden")

    # -- signed out, the same link again: refused with a clear page -------------------------
    page.goto(f"{web_url}/ouders/")
    page.get_by_role("button", name="Uitloggen", exact=True).click()
    expect(page).to_have_url(re.compile(r"/ouders/inloggen"))
    page.goto(link)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze inloglink werkt niet meer")
    walk.check("parent-09-link-gebruikt")

    # -- a fresh link opened too late: refused too -------------------------------------------
    page.goto(f"{web_url}/ouders/inloggen")
    page.get_by_label("E-mailadres").fill(GUARDIAN)
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    expect(page.locator("#link-sent")).to_be_visible()
    late = _sign_in_links(stack, 2)[1]
    stack.at(2026, 10, 15, 8, 25)  # 25 minutes later: the link lived 20
    page.goto(late)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Deze inloglink werkt niet meer")
    assert len(_consent_recorded(stack)) == 1
    context.close()


CONSENT_SUBJECT = "Uw instemming gevraagd met het plan voor Daan"
OWN_VIEW = "Daan leest thuis graag strips; hardop lezen in de klas vindt hij eng."
SECOND = "Begeleiding in kleine groep, twee keer per week met de RT'er."


def _consent_requests(running: Stack, count: int) -> int:
    def arrived() -> int:
        mails = [m for m in running.mail.to(GUARDIAN) if m.subject == CONSENT_SUBJECT]
        return len(mails) if len(mails) >= count else 0

    return wait_until(arrived, timeout=30, message=f"{count} consent request e-mail(s)")


def _parent_signs_in(page: Any, web_url: str, running: Stack, email: str, nth: int) -> None:
    page.goto(f"{web_url}/ouders/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    expect(page.locator("#link-sent")).to_be_visible()
    link = _sign_in_links(running, nth, to=email)[nth - 1]
    page.goto(link)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn kinderen")


def test_a_parent_declines_writes_their_view_and_agrees_to_the_changed_plan(
    stack: Stack,  # noqa: F811
    web_url: str,
    chromium: Browser,
) -> None:
    """Decline, then a changed plan asks again: a new consent request message arrives and the
    new version can be agreed. The parents' own view reaches the coordinator's plan page and not
    the stream. Another family's guardian, signed in by their own link, cannot see Daan; and
    "sign out everywhere" ends the parent's session."""
    stack.at(2026, 10, 15, 8)
    ib, pupil, case = _story_until_plan(stack, date(2026, 11, 26))
    plan = _plan(ib, case, pupil, date(2026, 11, 26))
    base = f"/api/v1/development-plans/{plan['id']}"
    ib.post(f"{base}/consultation", {"held_on": "2026-10-14", "participants": ["Eva", "IB"]})
    ib.post(f"{base}/pupil-view", {"heard_on": "2026-10-14"})
    ib.post(f"{base}/consent-request", {"requested_on": "2026-10-15"})
    ib.post(
        "/api/v1/pupils",
        {
            "school_id": pupil["school_id"],
            "given_name": "Sem",
            "family_name": "Jansen",
            "date_of_birth": "2017-06-01",
            "group": "groep 4",
            "enrolled_on": "2021-08-23",
            "guardians": [{"name": "Ouder Jansen", "email": "jansen@voorbeeld.nl"}],
        },
        expect=201,
    )
    _consent_requests(stack, 1)

    walk = new_walk(chromium, "parent-1*.png", width=390, height=844)
    page = walk.page
    _parent_signs_in(page, web_url, stack, GUARDIAN, 1)

    # -- decline, with a reason ----------------------------------------------------------------
    page.get_by_role("link", name="Daan Mulder").click()
    page.get_by_role("link", name="Lees het plan en geef uw antwoord").click()
    page.get_by_label("Ik stem niet in").check()
    page.get_by_label("Waarom niet?").fill("Liever eerst een gesprek.")
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator(".notice--success")).to_contain_text("u stemt niet in")
    assert ib.get(base)["status"] == "declined"

    # -- the parents' own view ------------------------------------------------------------------
    page.get_by_role("link", name="Uw kijk toevoegen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Het deel van de ouders")
    walk.check("parent-10-ouderdeel")
    page.get_by_label("Uw kijk op wat uw kind nodig heeft").fill(OWN_VIEW)
    page.get_by_role("button", name="Bewaren").click()
    expect(page.locator(".notice--success")).to_contain_text("Uw kijk staat nu bij het plan")
    expect(page.locator("main")).to_contain_text(OWN_VIEW)
    walk.check("parent-11-kind-met-ouderdeel")

    # -- the school changes the plan and asks again: a new message, the new version agreed -----
    ib.post(f"{base}/action-plan", {"action_plan": SECOND})
    ib.post(f"{base}/consent-request", {"requested_on": "2026-10-15"})
    assert _consent_requests(stack, 2) == 2
    page.reload()
    page.get_by_role("link", name="Lees het plan en geef uw antwoord").click()
    expect(page.locator("#action-plan")).to_contain_text(SECOND)
    page.get_by_label("Ik stem in met dit plan").check()
    page.get_by_role("button", name="Antwoord versturen").click()
    expect(page.locator(".notice--success")).to_contain_text("Uw instemming is vastgelegd")
    agreed = ib.get(base)
    assert (agreed["status"], agreed["consented_version"]) == ("active", 2)
    wait_until(lambda: len(_consent_recorded(stack)) == 2, timeout=15, message="two answers")
    answers = [(e.data["decision"], e.data["channel"]) for e in _consent_recorded(stack)]
    assert answers == [("declined", "online"), ("agreed", "online")]
    stream = "\n".join(e.to_json() for e in _stream(stack))
    assert "strips" not in stream and "parents_view" not in stream

    # -- the coordinator sees the parents' view and who answered when --------------------------
    staff = new_walk(chromium, "parent-12*.png")
    staff.page.goto(f"{web_url}/inloggen")
    staff.page.get_by_label("E-mailadres").fill("ib@regenboog.test")
    staff.page.get_by_label("Wachtwoord").fill(PASSWORD)
    staff.page.get_by_role("button", name="Inloggen").click()
    staff.page.goto(f"{web_url}/trajecten/{case['id']}/opp/{plan['id']}")
    expect(staff.page.locator("#parents-view")).to_have_text(OWN_VIEW)
    expect(staff.page.locator("#consents tbody tr")).to_have_count(2)
    expect(staff.page.locator("#consents")).to_contain_text("Eva Mulder")
    expect(staff.page.locator("#consents")).to_contain_text("online")
    staff.check("parent-12-opp-coordinator")
    staff.page.context.close()

    # -- another family's guardian, by their own link: not Daan ---------------------------------
    other = new_walk(chromium, width=390, height=844)
    _parent_signs_in(other.page, web_url, stack, "jansen@voorbeeld.nl", 1)
    expect(other.page.locator("#children")).to_contain_text("Sem Jansen")
    expect(other.page.locator("#children")).not_to_contain_text("Daan")
    for path in (
        f"/ouders/kinderen/{pupil['id']}",
        f"/ouders/plannen/{plan['id']}/instemming",
        f"/ouders/plannen/{plan['id']}/ouderdeel",
    ):
        response = other.page.goto(f"{web_url}{path}")
        assert response is not None and response.status == 404, path
        expect(other.page.locator("main")).not_to_contain_text("Daan")
    other.page.context.close()

    # -- sign out everywhere -------------------------------------------------------------------
    page.goto(f"{web_url}/ouders/")
    walk.check("parent-13-kinderen-overal-uitloggen")
    page.get_by_role("button", name="Overal uitloggen").click()
    expect(page.locator(".notice--success")).to_contain_text("U bent overal uitgelogd")
    page.goto(f"{web_url}/ouders/")
    expect(page).to_have_url(re.compile(r"/ouders/inloggen$"))
    page.context.close()


def test_the_parent_flow_in_arabic_is_right_to_left_and_accessible(
    stack: Stack,  # noqa: F811
    web_url: str,
    chromium: Browser,
) -> None:
    """Issue 13: the parent picks العربية on the sign-in page; every page after it is Arabic,
    `<html lang="ar" dir="rtl">`, and passes axe-core (no serious or critical violations)."""
    stack.at(2026, 10, 15, 8)
    ib, pupil, case = _story_until_plan(stack, date(2026, 11, 26))
    plan = _plan(ib, case, pupil, date(2026, 11, 26))
    base = f"/api/v1/development-plans/{plan['id']}"
    ib.post(f"{base}/consultation", {"held_on": "2026-10-14", "participants": ["Eva", "IB"]})
    ib.post(f"{base}/pupil-view", {"heard_on": "2026-10-14"})
    ib.post(f"{base}/consent-request", {"requested_on": "2026-10-15"})

    walk = new_walk(chromium, "parent-ar-*.png", width=390, height=844)
    page, html = walk.page, walk.page.locator("html")

    def arabic(name: str) -> None:
        expect(html).to_have_attribute("lang", "ar")
        expect(html).to_have_attribute("dir", "rtl")
        walk.check(name)

    page.goto(f"{web_url}/ouders/inloggen")
    expect(html).to_have_attribute("dir", "ltr")
    page.get_by_role("button", name="العربية").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("تسجيل الدخول لأولياء الأمور")
    arabic("parent-ar-01-inloggen")
    page.get_by_label("البريد الإلكتروني").fill(GUARDIAN)
    page.get_by_role("button", name="أرسلوا لي رابط تسجيل الدخول").click()
    expect(page.locator("#link-sent")).to_be_visible()
    [link] = _sign_in_links(stack, 1)

    page.goto(link)
    arabic("parent-ar-02-link")
    page.get_by_role("button", name="تسجيل الدخول").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("أطفالي")
    arabic("parent-ar-03-kinderen")
    page.get_by_role("link", name="Daan Mulder").click()
    expect(page.locator("main")).to_contain_text("خطة منظور التطوّر (OPP)")
    expect(page.locator("main")).to_contain_text("Begeleiding in kleine groep.")  # as written
    arabic("parent-ar-04-kind")
    page.get_by_role("link", name="اقرأوا الخطة وقدّموا جوابكم").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("الموافقة على جزء الإجراءات")
    arabic("parent-ar-05-instemming")
    page.get_by_label("أوافق على هذه الخطة").check()
    page.get_by_role("button", name="إرسال الجواب").click()
    expect(page.locator(".notice--success")).to_contain_text("سُجّلت موافقتكم")
    arabic("parent-ar-06-vastgelegd")
    assert ib.get(base)["status"] == "active"
    page.context.close()
