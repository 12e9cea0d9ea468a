"""The parents' part on the pages (issue 13): parents write their own view (ouderdeel) from
their pages and the coordinator reads it on the plan page, with who answered the consent request
and when; the text never reaches the event stream. A parent signs out everywhere."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from tests.integration.web.conftest import Browser
from tests.integration.web.test_parent_pages import _sign_in, _text
from tests.support import api_flows as f

VIEW = "Thuis bouwt hij urenlang met lego; lezen voelt voor hem als falen. Graag kleine stapjes."


def _outbox(container) -> str:
    with container.engine.connect() as conn:
        return "\n".join(conn.execute(text("SELECT envelope FROM outbox")).scalars())


def test_parents_write_their_view_and_the_coordinator_reads_it(
    world, browser, web_app, web_settings, container, clock
):
    case = f.open_case(world, "a1_other")
    plan = f.ready_plan(world, case["id"])
    f.request_consent(world, plan["id"])
    _sign_in(browser, web_app, container, web_settings, clock)
    child_page = f"/ouders/kinderen/{world.pupils['a1_other']}"
    own_view = f"/ouders/plannen/{plan['id']}/ouderdeel"
    assert own_view in _text(browser.get(child_page))
    assert "Het deel van de ouders" in _text(browser.get(own_view))
    empty = _text(browser.post(own_view, {"text": "  "}), 422)
    assert "Schrijf uw kijk op wat uw kind nodig heeft." in empty
    answer = browser.post(own_view, {"text": VIEW})
    assert answer.status_code == 302 and answer.headers["Location"] == child_page
    assert VIEW in _text(browser.get(child_page))
    agreed = browser.post(
        f"/ouders/plannen/{plan['id']}/instemming",
        {"decision": "agreed", "content_hash": plan["action_plan_hash"]},
    )
    assert agreed.status_code == 302

    coordinator = Browser(web_app.test_client(), web_settings)
    coordinator.login("coordinator_a1")
    page = _text(coordinator.get(f"/trajecten/{case['id']}/opp/{plan['id']}"))
    assert VIEW in page and "Geschreven door Ouder a1_other" in page
    assert 'id="consents"' in page and "Ouder a1_other" in page and "online" in page
    assert "De instemming van één ouder is genoeg." in page
    assert "lego" not in _outbox(container)


def test_another_familys_plan_has_no_page_for_them(
    world, browser, web_app, web_settings, container, clock
):
    case = f.open_case(world, "a1")
    plan = f.ready_plan(world, case["id"])
    _sign_in(browser, web_app, container, web_settings, clock)
    own_view = f"/ouders/plannen/{plan['id']}/ouderdeel"
    assert browser.get(own_view).status_code == 404
    assert browser.post(own_view, {"text": VIEW}, form_page="/ouders/").status_code == 404
    path = f"/api/v1/development-plans/{plan['id']}"
    shown = f.call_ok(world, "coordinator_a1", "GET", path, 200)
    assert shown["parents_view"] is None


def test_a_parent_signs_out_everywhere(world, browser, web_app, web_settings, container, clock):
    _sign_in(browser, web_app, container, web_settings, clock)
    phone = Browser(web_app.test_client(), web_settings)
    _sign_in(phone, web_app, container, web_settings, clock)
    assert phone.get("/ouders/").status_code == 200
    out = browser.post("/ouders/overal-uitloggen", {}, form_page="/ouders/")
    assert out.headers["Location"] == "/ouders/inloggen"
    assert "U bent overal uitgelogd." in _text(browser.get(out.headers["Location"]))
    # The other device's session ends on its next page: the cases service refuses its token.
    assert phone.get("/ouders/").headers["Location"] == "/ouders/inloggen"
    clock.advance(timedelta(seconds=1))
    _sign_in(phone, web_app, container, web_settings, clock)  # a new link works again
    assert phone.get("/ouders/").status_code == 200
