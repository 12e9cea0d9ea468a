"""The parents' part on the pages (issue 13): parents write their own view (ouderdeel) from
their pages and the coordinator reads it on the plan page, with who answered the consent request
and when; the text never reaches the event stream. A parent signs out everywhere. Over the
sign-in link limit the page says what it always says."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from tests.integration.cases.test_guardian_sign_in import sign_in
from tests.integration.cases.test_parents_part import answer_online, two_parents
from tests.integration.web.conftest import Browser
from tests.integration.web.test_parent_pages import OTHER, _ask, _link_ids, _sign_in, _text
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


def test_over_the_link_limit_the_page_says_the_same(world, browser, web_app, container):
    limit = container.settings.guardian_links_per_address
    pages = [_ask(browser, web_app, OTHER) for _ in range(limit + 2)]
    assert 'id="link-sent"' in pages[0]
    assert all(page == pages[0] for page in pages)
    assert len(_link_ids(container)) == limit  # no link beyond the limit


def test_the_plan_page_names_the_guardians_still_awaited(
    world, client, web_app, web_settings, container, clock
):
    settings = f"/api/v1/partnerships/{world.partnership_a}/settings"
    f.call_ok(world, "admin_a", "PATCH", settings, 200, json={"consent_from": "all"})
    case = f.open_case(world, two_parents(world))
    plan = f.ready_plan(world, case["id"])
    f.request_consent(world, plan["id"])
    world.tokens["moeder"] = sign_in(client, container, clock, "moeder.twee@test.nl")
    assert answer_online(world, "moeder", plan["id"]).status_code == 200
    coordinator = Browser(web_app.test_client(), web_settings)
    coordinator.login("coordinator_a1")
    page = _text(coordinator.get(f"/trajecten/{case['id']}/opp/{plan['id']}"))
    assert "Alle ouders met gezag moeten instemmen." in page
    awaited = page.split('id="consent-awaited"', 1)[1].split("</p>", 1)[0]
    assert "Vader Twee" in awaited and "Moeder Twee" not in awaited
    assert "Stiefouder Twee" not in awaited  # no parental authority: not asked to agree
    assert "Moeder Twee" in page.split('id="consents"', 1)[1]


def test_under_all_a_parent_who_agreed_hears_the_other_is_awaited(
    world, browser, web_app, web_settings, container, clock
):
    settings = f"/api/v1/partnerships/{world.partnership_a}/settings"
    f.call_ok(world, "admin_a", "PATCH", settings, 200, json={"consent_from": "all"})
    case = f.open_case(world, two_parents(world))
    plan = f.ready_plan(world, case["id"])
    f.request_consent(world, plan["id"])
    _sign_in_as(browser, web_app, container, web_settings, clock, "moeder.twee@test.nl")
    consent_page = f"/ouders/plannen/{plan['id']}/instemming"
    body = {"decision": "agreed", "content_hash": plan["action_plan_hash"]}
    first = browser.post(consent_page, body)
    assert first.status_code == 302
    child = _text(browser.get(first.headers["Location"]))
    assert "zodra ook de andere ouder met gezag heeft ingestemd" in child
    again = browser.post(consent_page, body)
    assert again.status_code == 302
    assert "De school wacht nog op het antwoord van de andere ouder" in _text(
        browser.get(again.headers["Location"])
    )
    shown = f.call_ok(
        world, "coordinator_a1", "GET", f"/api/v1/development-plans/{plan['id']}", 200
    )
    assert shown["status"] == "awaiting_consent" and len(shown["consents"]) == 1


def _sign_in_as(browser, web_app, container, web_settings, clock, email: str) -> None:
    from tests.integration.web.test_leak_matrix_parents import _sign_in as sign_in_by_link

    sign_in_by_link(browser, web_app, container, web_settings, clock, email)


def test_the_administrator_chooses_whose_consent_counts(world, web_app, web_settings):
    admin = Browser(web_app.test_client(), web_settings)
    admin.login("admin_a")
    page = _text(admin.get("/beheer/instellingen"))
    assert "Alle ouders met gezag moeten instemmen" in page
    assert 'name="consent_from" value="one" checked' in page  # the default
    path = f"/api/v1/partnerships/{world.partnership_a}"
    settings = f.call_ok(world, "admin_a", "GET", path, 200)["settings"]
    form = {name: str(value) for name, value in settings.items() if isinstance(value, int)}
    form |= {
        "basic_domains": "\n".join(settings["basic_domains"]),
        "extra_domains": "\n".join(settings["extra_domains"]),
        "consent_from": "all",
    }
    form.pop("staff_second_factor_required", None)
    saved = admin.post("/beheer/instellingen", form)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:3000]
    assert f.call_ok(world, "admin_a", "GET", path, 200)["settings"]["consent_from"] == "all"
    assert 'name="consent_from" value="all" checked' in _text(admin.get("/beheer/instellingen"))
