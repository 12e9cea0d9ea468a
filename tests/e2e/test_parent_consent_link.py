"""The consent request a parent receives (issue 13), end to end: the cases service, notifications
(consumer, Celery worker, beat) and the web app as real processes, a real SMTP server, Debian's
Chromium at phone width.

The message as the SMTP server received it holds the four parts: the link to the plan's consent
page (on a line of its own), the day the school hopes for an answer by (14 days after the
request, in Dutch), the school and its contact (its coordinator), and where to go on disagreeing
(the school, the partnership by name, the Geschillencommissie passend onderwijs). Following the
link without a session leads through the e-mailed sign-in to that consent page."""

from __future__ import annotations

import re
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import CasesStack, new_walk, start_web
from tests.e2e.test_notifications import (  # noqa: F401  (stack: a fixture used here)
    GUARDIAN,
    Stack,
    _plan,
    _story_until_plan,
    stack,
)
from tests.e2e.test_parents import _sign_in_links
from tests.support.mail import ReceivedMail
from tests.support.processes import wait_until

SUBJECT = "Uw instemming gevraagd met het plan voor Daan"


@pytest.fixture
def web_url(cases_stack: CasesStack) -> str:
    return start_web(cases_stack)


@pytest.fixture
def notifications_extra_env(web_url: str) -> dict[str, str]:
    return {"WEB_PUBLIC_URL": web_url}


def _consent_request(running: Stack) -> ReceivedMail:
    def arrived() -> list[ReceivedMail]:
        return [m for m in running.mail.to(GUARDIAN) if m.subject == SUBJECT]

    [mail] = wait_until(arrived, timeout=30, message="the consent request e-mail")
    return mail


def test_the_consent_request_says_how_by_when_whom_and_where_and_its_link_leads_to_the_plan(
    stack: Stack,  # noqa: F811
    web_url: str,
    chromium: Browser,
) -> None:
    stack.at(2026, 10, 15, 8)  # Thursday 10:00 in Amsterdam
    ib, pupil, case = _story_until_plan(stack, date(2026, 11, 26))
    plan = _plan(ib, case, pupil, date(2026, 11, 26))
    base = f"/api/v1/development-plans/{plan['id']}"
    ib.post(f"{base}/consultation", {"held_on": "2026-10-14", "participants": ["Eva", "IB"]})
    ib.post(f"{base}/pupil-view", {"heard_on": "2026-10-14"})
    ib.post(f"{base}/consent-request", {"requested_on": "2026-10-15"})

    mail = _consent_request(stack)
    received = message_from_bytes(mail.raw, policy=policy.strict)
    assert isinstance(received, EmailMessage)
    lines = mail.body.splitlines()
    link = f"{web_url}/ouders/plannen/{plan['id']}/instemming"
    assert link in lines  # 1. the consent page, alone on its line
    assert "De school hoort graag uiterlijk 29 oktober 2026 van u." in lines  # 2. by when
    assert "Vragen? Neem contact op met Fatima (IB) van OBS De Regenboog:" in lines  # 3.
    assert "ib@regenboog.test" in lines
    text = "\n".join(lines)  # 4. disagreeing: the school, the partnership, the committee
    assert "Bespreek het eerst met de school" in text
    assert "samenwerkingsverband SWV E2E" in text
    assert "Geschillencommissie passend onderwijs:\nhttps://onderwijsgeschillen.nl" in text
    assert "Mulder" not in text.replace("Beste Eva Mulder,", "")  # the first name only
    assert "2017" not in text

    # -- the link in a browser without a session: sign in by e-mail, land on the plan ---------
    walk = new_walk(chromium, "parent-consent-link-*.png", width=390, height=844)
    page = walk.page
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/ouders/inloggen$"))
    page.get_by_label("E-mailadres").fill(GUARDIAN)
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    expect(page.locator("#link-sent")).to_be_visible()
    [sign_in] = _sign_in_links(stack, 1)
    page.goto(sign_in)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Instemming met het handelingsdeel")
    walk.check("parent-consent-link-01-instemming")
    page.context.close()
