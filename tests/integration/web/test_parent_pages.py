"""The parents' pages (issue 13): sign in through the e-mailed link (asking for one answers the
same for any address), only their own children, the trajectory in plain words, consent online
on the exact version read. The link is signed the way the notifications service signs it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import text

from services.notifications.service_layer.handlers import DeliveryRules, sign_in_link
from services.web.pages.parents.sign_in import link_requests
from tests.support import api_flows as f

OTHER = "other.parent@test.nl"  # the guardian of pupil a1_other


def _text(response, status: int = 200) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _link_ids(container) -> list[str]:
    with container.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT envelope FROM outbox WHERE type = 'guardian.sign_in_requested'")
        ).scalars()
        return [json.loads(r)["data"]["link_id"] for r in rows]


def _ask(browser, web_app, email: str) -> str:
    page = _text(browser.post("/ouders/inloggen", {"email": email}))
    link_requests(web_app).wait()
    return page


def _e_mailed_link(container, web_settings, clock) -> str:
    """The path of the newest link, as the notifications service writes it into the e-mail."""
    rules = DeliveryRules("", "", "", link_secret=web_settings.jwt_secret, web_url="")
    context = {
        "link_id": _link_ids(container)[-1],
        "link_expires_at": (clock.now() + timedelta(minutes=20)).isoformat(),
    }
    url = sign_in_link(rules, context, clock.now())
    assert url is not None
    return url


def _sign_in(browser, web_app, container, web_settings, clock) -> str:
    _ask(browser, web_app, OTHER)
    link = _e_mailed_link(container, web_settings, clock)
    assert "Inloggen" in _text(browser.get(link))  # opening the link spends nothing
    answer = browser.post(link, {})
    assert answer.status_code == 302 and answer.headers["Location"] == "/ouders/"
    return link


def test_asking_for_a_link_answers_the_same_for_any_address(world, browser, web_app, container):
    unknown = _ask(browser, web_app, "nobody@test.nl")
    known = _ask(browser, web_app, OTHER)
    assert 'id="link-sent"' in known
    assert known == unknown
    assert len(_link_ids(container)) == 1
    refused = _text(browser.post("/ouders/inloggen", {"email": "geen adres"}), 422)
    assert "Vul uw e-mailadres in" in refused


def test_the_link_signs_in_once_and_shows_only_their_own_child(
    world, browser, web_app, container, web_settings, clock
):
    link = _sign_in(browser, web_app, container, web_settings, clock)
    home = _text(browser.get("/ouders/"))
    assert "Kind a1_other Test" in home and "Kind a1 Test" not in home
    assert _text(browser.get(f"/ouders/kinderen/{world.pupils['a1']}"), 404)
    assert browser.get("/leerlingen").headers["Location"] == "/ouders/"  # no staff pages
    # Signed out, the same link again: refused with a clear page.
    assert browser.post("/ouders/uitloggen", {}, form_page="/ouders/").status_code == 302
    again = browser.post(link, {})
    assert again.headers["Location"] == "/ouders/link-verlopen"
    assert "Deze inloglink werkt niet meer" in _text(browser.get(again.headers["Location"]), 410)
    assert browser.get("/ouders/").headers["Location"] == "/ouders/inloggen"


def test_an_expired_link_is_refused(world, browser, web_app, container, web_settings, clock):
    _ask(browser, web_app, OTHER)
    link = _e_mailed_link(container, web_settings, clock)
    clock.advance(timedelta(minutes=21))
    assert browser.post(link, {}).headers["Location"] == "/ouders/link-verlopen"


@pytest.fixture
def asked(world):
    """A plan for a1_other whose action plan waits for the parents' consent."""
    case = f.open_case(world, "a1_other")
    plan = f.ready_plan(world, case["id"])
    f.request_consent(world, plan["id"])
    return plan


def test_a_parent_reads_the_plan_and_agrees_online(
    world, browser, web_app, container, web_settings, clock, asked
):
    _sign_in(browser, web_app, container, web_settings, clock)
    child = _text(browser.get(f"/ouders/kinderen/{world.pupils['a1_other']}"))
    assert "Het ontwikkelingsperspectiefplan (OPP)" in child
    assert asked["action_plan"] in child  # the school's own text, as written
    consent_page = f"/ouders/plannen/{asked['id']}/instemming"
    assert consent_page in child
    page = _text(browser.get(consent_page))
    assert asked["action_plan_hash"] in page
    answer = browser.post(
        consent_page,
        {"decision": "agreed", "content_hash": asked["action_plan_hash"]},
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)
    plan = f.call_ok(
        world, "coordinator_a1", "GET", f"/api/v1/development-plans/{asked['id']}", 200
    )
    assert plan["status"] == "active"
    assert plan["consents"][-1]["channel"] == "online"
    assert "Uw instemming is vastgelegd" in _text(browser.get(answer.headers["Location"]))


def test_the_consent_link_of_the_e_mail_lands_on_the_consent_page_after_signing_in(
    world, browser, web_app, container, web_settings, clock, asked
):
    """The consent request links straight to the consent page: without a session the parent
    signs in by e-mailed link (in this browser) and lands there, once; later sign-ins go home."""
    consent_page = f"/ouders/plannen/{asked['id']}/instemming"
    assert browser.get(consent_page).headers["Location"] == "/ouders/inloggen"
    _ask(browser, web_app, OTHER)
    link = _e_mailed_link(container, web_settings, clock)
    answer = browser.post(link, {})
    assert answer.status_code == 302 and answer.headers["Location"] == consent_page
    assert asked["action_plan_hash"] in _text(browser.get(consent_page))

    assert browser.post("/ouders/uitloggen", {}, form_page="/ouders/").status_code == 302
    _sign_in(browser, web_app, container, web_settings, clock)  # lands on /ouders/ again


def test_a_plan_changed_while_reading_is_not_agreed_to(
    world, browser, web_app, container, web_settings, clock, asked
):
    _sign_in(browser, web_app, container, web_settings, clock)
    consent_page = f"/ouders/plannen/{asked['id']}/instemming"
    _text(browser.get(consent_page))
    f.plan_action(world, asked["id"], "action-plan", {"action_plan": "Nieuwe aanpak."})
    f.request_consent(world, asked["id"])
    answer = browser.post(
        consent_page, {"decision": "agreed", "content_hash": asked["action_plan_hash"]}
    )
    assert "Het plan is intussen veranderd" in _text(answer, 409)
    plan = f.call_ok(
        world, "coordinator_a1", "GET", f"/api/v1/development-plans/{asked['id']}", 200
    )
    assert plan["status"] == "awaiting_consent" and plan["consents"] == []


def test_a_parent_declines_with_a_reason(
    world, browser, web_app, container, web_settings, clock, asked
):
    _sign_in(browser, web_app, container, web_settings, clock)
    consent_page = f"/ouders/plannen/{asked['id']}/instemming"
    body = {"decision": "declined", "content_hash": asked["action_plan_hash"], "reason": "Te veel"}
    assert browser.post(consent_page, body).status_code == 302
    plan = f.call_ok(
        world, "coordinator_a1", "GET", f"/api/v1/development-plans/{asked['id']}", 200
    )
    assert plan["status"] == "declined"
    assert (plan["consents"][-1]["decision"], plan["consents"][-1]["reason"]) == (
        "declined",
        "Te veel",
    )


def test_the_session_ends_with_the_guardians_token(
    world, browser, web_app, container, web_settings, clock
):
    _sign_in(browser, web_app, container, web_settings, clock)
    assert browser.get("/ouders/").status_code == 200
    clock.advance(timedelta(hours=2, minutes=1))  # CASES_GUARDIAN_SESSION_SECONDS: 2 hours
    assert browser.get("/ouders/").headers["Location"] == "/ouders/inloggen"


def test_the_childs_page_says_it_in_words(world, browser, web_app, container, web_settings, clock):
    case = f.open_case(world, "a1_other")
    tried = f.start_intervention(world, case["id"])
    f.evaluate_intervention(world, tried["id"], "partly_effective")
    plan = f.ready_plan(world, case["id"])
    f.request_consent(world, plan["id"])
    _sign_in(browser, web_app, container, web_settings, clock)
    page = _text(browser.get(f"/ouders/kinderen/{world.pupils['a1_other']}"))
    assert "Regulier basisonderwijs" in page and "regular_primary" not in page
    assert "Leestempo naar groepsniveau · deels effectief" in page  # an outcome, in words
    assert "AVI E4 gehaald · zichtbaar uiterlijk 15 januari 2027" in page
    assert "Evaluatie gepland uiterlijk 1 december 2026" in page
