"""Issue 12, two people, one plan: each form carries the ETag of the case it was built from and
sends it as If-Match; when a colleague saved in between, the save is refused with a clear Dutch
message at the top and the form keeps what the user typed. Saving again, after that message, is
a deliberate choice and goes through."""

from __future__ import annotations

import html
import re

from tests.integration.web.conftest import Browser
from tests.support import api_flows as f

ETAG = re.compile(r'name="etag" value="([^"]*)"')
MESSAGE = "Iemand anders heeft dit plan intussen gewijzigd."
OOGO = {"held_on": "2026-10-15", "participants": "ouders\nintern begeleider\nmeester Jan"}


def _etag(browser: Browser, path: str) -> str:
    found = ETAG.search(browser.get(path).get_data(as_text=True))
    assert found and found.group(1), path
    return html.unescape(found.group(1))


def _consultation(world, plan_id: str) -> object:
    plan = f.call_ok(world, f.COORDINATOR, "GET", f"/api/v1/development-plans/{plan_id}", 200)
    return plan["consultation_on"]


def test_the_second_save_is_refused_and_the_form_keeps_the_input(world, web_app, web_settings):
    case = f.open_case(world)
    plan = f.create_plan(world, case["id"])
    base = f"/trajecten/{case['id']}/opp/{plan['id']}"
    first, second = (Browser(web_app.test_client(), web_settings) for _ in range(2))
    for browser in (first, second):
        browser.login("coordinator_a1")
    oogo_etag = _etag(first, f"{base}/oogo")  # one opens the OOGO form,
    heard_etag = _etag(second, f"{base}/leerling-gehoord")  # the other the pupil's view
    assert oogo_etag == heard_etag

    heard = {"heard_on": "2026-10-14", "summary": "", "etag": heard_etag}
    assert second.post(f"{base}/leerling-gehoord", heard).status_code == 302

    refused = first.post(f"{base}/oogo", {**OOGO, "etag": oogo_etag})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert MESSAGE in page
    assert page.index(MESSAGE) < page.index('name="participants"')  # at the top
    assert "meester Jan" in page and 'value="2026-10-15"' in page  # what was typed
    assert _consultation(world, plan["id"]) is None  # nothing written
    fresh = html.unescape(ETAG.search(page).group(1))
    assert fresh != oogo_etag

    again = first.post(f"{base}/oogo", {**OOGO, "etag": fresh})  # after looking: deliberate
    assert again.status_code == 302
    assert _consultation(world, plan["id"]) == "2026-10-15"


def test_a_form_corrected_after_a_field_error_keeps_the_etag_it_was_built_from(world, browser):
    """A refused field does not refresh the ETag: a colleague's change in between still stops
    the corrected save."""
    case = f.open_case(world)
    plan = f.create_plan(world, case["id"])
    base = f"/trajecten/{case['id']}/opp/{plan['id']}"
    browser.login("coordinator_a1")
    etag = _etag(browser, f"{base}/oogo")
    wrong = browser.post(f"{base}/oogo", {**OOGO, "held_on": "", "etag": etag})
    assert wrong.status_code == 422
    assert html.unescape(ETAG.search(wrong.get_data(as_text=True)).group(1)) == etag
    f.record_pupil_view(world, plan["id"])  # a colleague, through the API
    refused = browser.post(f"{base}/oogo", {**OOGO, "etag": etag})
    assert MESSAGE in refused.get_data(as_text=True)
    assert _consultation(world, plan["id"]) is None


def test_a_form_without_an_etag_saves_as_before(world, browser):
    case = f.open_case(world)
    plan = f.create_plan(world, case["id"])
    browser.login("coordinator_a1")
    base = f"/trajecten/{case['id']}/opp/{plan['id']}"
    assert browser.post(f"{base}/oogo", OOGO).status_code == 302
