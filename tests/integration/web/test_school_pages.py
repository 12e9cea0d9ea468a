"""The coordinator's pages, built from the cases API with her own token. Today is 2026-10-15."""

from __future__ import annotations

import re

from services.cases.service_layer import scheduling
from tests.support import api_flows as f


def _text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def test_mijn_leerlingen_lists_the_pupils_in_support_with_dutch_flags(world, browser):
    late = f.open_case(world, "a1")
    f.start_intervention(world, late["id"], domain="gifted", evaluate_by="2026-10-01")
    f.register_pupil(world, "Noor", group="groep 7")
    f.open_case(world, "Noor", opened_on="2026-10-01")
    f.open_case(world, "a2", "coordinator_a2")  # another school: not hers
    browser.login("coordinator_a1")
    assert browser.get("/").headers["Location"] == "/leerlingen"
    page = _text(browser.get("/leerlingen"))
    assert '<html lang="nl" dir="ltr">' in page and "Naar de inhoud" in page
    assert "2 leerlingen" in page
    assert "Kind a1 Test" in page and "Noor Test" in page and "Kind a2" not in page
    assert "evaluatie te laat" in page and "interventie buiten het SOP" in page
    assert "1 oktober 2026" in page  # the next due date, as people write it
    assert "evaluation_overdue" not in page.replace('value="evaluation_overdue"', "")
    found = _text(browser.get("/leerlingen?q=noor"))
    assert "1 leerling" in found and "Kind a1" not in found
    flagged = _text(browser.get("/leerlingen?flag=evaluation_overdue"))
    assert "Kind a1 Test" in flagged and "Noor Test" not in flagged


def test_forty_pupils_are_paginated_25_per_page(world, browser):
    for n in range(40):
        name = f"Leerling{n:02d}"
        f.register_pupil(world, name)
        f.open_case(world, name)
    browser.login("coordinator_a1")
    first = _text(browser.get("/leerlingen"))
    assert "40 leerlingen" in first and "Pagina 1 van 2" in first
    assert len(re.findall(r'<tr>\s*<th scope="row"', first)) == 25
    second = _text(browser.get("/leerlingen?page=2"))
    assert len(re.findall(r'<tr>\s*<th scope="row"', second)) == 15
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_the_pupil_page_shows_group_guardians_and_cases(world, browser):
    case = f.open_case(world, "a1")
    browser.login("coordinator_a1")
    page = _text(browser.get(f"/leerlingen/{world.pupils['a1']}"))
    assert "<h1>Kind a1 Test</h1>" in page and "groep 4" in page
    assert "Ouder a1" in page and "guardian_a1@test.nl" in page
    assert f"/trajecten/{case['id']}" in page and "Traject van 1 september 2026" in page


def test_another_schools_pupil_is_not_found(world, browser):
    browser.login("coordinator_a1")
    response = browser.get(f"/leerlingen/{world.pupils['a2']}")
    assert response.status_code == 404 and "Kind a2" not in response.get_data(as_text=True)


def test_the_case_page_tells_its_timeline_in_sentences_never_event_codes(world, browser):
    case = f.open_case(world, "a1")
    item = f.start_intervention(world, case["id"])
    f.evaluate_intervention(world, item["id"], "partly_effective")
    browser.login("coordinator_a1")
    page = _text(browser.get(f"/trajecten/{case['id']}"))
    assert "1 sep 2026</span>: Traject geopend (basisondersteuning)." in page
    assert (
        "Interventie Leesproblemen en dyslexie gestart (basisondersteuning), "
        "evaluatie uiterlijk 2 november 2026." in page
    )
    assert "Interventie Leesproblemen en dyslexie geëvalueerd: deels effectief." in page
    for code in ("case.opened", "intervention.started", "reading_dyslexia", "partly_effective"):
        assert code not in page


def test_the_timeline_says_who_did_each_step(world, browser, container):
    case = f.open_case(world, "a1")
    f.start_intervention(world, case["id"], starts_on="2026-10-01", evaluate_by="2026-10-20")
    scheduling.emit_scheduled_notices(container.uow())  # a reminder: the system's
    browser.login("coordinator_a1")
    page = _text(browser.get(f"/trajecten/{case['id']}"))
    opened = page.split("Traject geopend")[1].split("</li>")[0]
    assert '<span class="timeline__by">(door coordinator_a1)</span>' in opened
    started = page.split("Interventie Leesproblemen en dyslexie gestart")[1].split("</li>")[0]
    assert "(door coordinator_a1)" in started
    reminder = page.split("Herinnering:")[1].split("</li>")[0]
    assert "(door het systeem)" in reminder
    here = f"/trajecten/{case['id']}"
    english = browser.post("/taal", {"lang": "en", "next": here}, form_page=here)
    assert english.status_code == 302
    assert "(by the system)" in _text(browser.get(f"/trajecten/{case['id']}"))


def test_starting_an_intervention_defaults_within_the_partnerships_maximum(world, browser):
    case = f.open_case(world, "a1")
    browser.login("coordinator_a1")
    page = _text(browser.get(f"/trajecten/{case['id']}/interventies/nieuw"))
    assert 'value="2026-10-15"' in page  # today
    assert 'value="2026-12-24"' in page  # today + the partnership's 10 weeks
    assert "Binnen 10 weken na de start." in page
    assert '<option value="reading_dyslexia">Leesproblemen en dyslexie</option>' in page
    assert "reading_dyslexia_combined" not in page  # extra domains are not offered here


def test_the_api_s_field_error_shows_at_the_field_and_in_the_summary_in_dutch(world, browser):
    case = f.open_case(world, "a1")
    browser.login("coordinator_a1")
    path = f"/trajecten/{case['id']}/interventies/nieuw"
    body = {"domain": "reading_dyslexia", "goal": "Leest vlot.", "starts_on": "2026-10-15"}
    response = browser.post(path, {**body, "evaluate_by": "2027-02-01"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    message = (
        "Een korte interventie wordt binnen 10 weken geëvalueerd (uiterlijk 24 december 2026)."
    )
    assert f'<a href="#f-evaluate_by">{message}</a>' in page  # the summary links to the field
    assert f'id="f-evaluate_by-error"><span class="visually-hidden">Fout:</span> {message}' in page
    assert "<title>Fout: Interventie starten" in page
    assert 'value="Leest vlot."' not in page and "Leest vlot.</textarea>" in page  # kept
    assert (
        f.call_ok(world, "coordinator_a1", "GET", f"/api/v1/cases/{case['id']}", 200)[
            "interventions"
        ]
        == []
    )


def test_missing_fields_are_caught_before_the_api_with_the_count_in_the_title(world, browser):
    case = f.open_case(world, "a1")
    browser.login("coordinator_a1")
    path = f"/trajecten/{case['id']}/interventies/nieuw"
    response = browser.post(path, {"domain": "", "goal": "", "starts_on": "x", "evaluate_by": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "<title>4 fouten: Interventie starten" in page
    assert 'href="#f-goal">Beschrijf het doel van de interventie.' in page


def test_a_correct_intervention_is_started_through_the_api(world, browser):
    case = f.open_case(world, "a1")
    browser.login("coordinator_a1")
    path = f"/trajecten/{case['id']}/interventies/nieuw"
    body = {
        "domain": "math_dyscalculia",
        "goal": "Automatiseert de tafels tot 10.",
        "starts_on": "2026-10-15",
        "evaluate_by": "2026-12-10",
    }
    response = browser.post(path, body)
    assert (
        response.status_code == 302 and response.headers["Location"] == f"/trajecten/{case['id']}"
    )
    [item] = f.call_ok(world, "coordinator_a1", "GET", f"/api/v1/cases/{case['id']}", 200)[
        "interventions"
    ]
    assert (item["domain"], item["evaluate_by"], item["goal"]) == (
        "math_dyscalculia",
        "2026-12-10",
        "Automatiseert de tafels tot 10.",
    )
    page = _text(browser.get(f"/trajecten/{case['id']}"))
    assert "De interventie is gestart." in page and "Rekenproblemen en dyscalculie" in page


def test_english_when_the_user_chooses_it(world, browser):
    f.open_case(world, "a1")
    browser.login("coordinator_a1")
    browser.post("/taal", {"lang": "en", "next": "/leerlingen"}, form_page="/leerlingen")
    page = _text(browser.get("/leerlingen"))
    assert (
        '<html lang="en" dir="ltr">' in page and "<h1>My pupils</h1>" in page and "1 pupil" in page
    )


def test_evaluating_an_intervention_records_its_effect_through_the_api(world, browser):
    case = f.open_case(world, "a1")
    item = f.start_intervention(world, case["id"])
    browser.login("coordinator_a1")
    page = _text(browser.get(f"/trajecten/{case['id']}"))
    path = f"/trajecten/{case['id']}/interventies/{item['id']}/evalueren"
    assert path in page
    form = _text(browser.get(path))
    assert 'name="outcome" value="not_effective"' in form and "deels effectief" in form
    assert 'Toelichting <span class="optional">(niet verplicht)</span>' in form
    early = browser.post(path, {"outcome": "effective", "evaluated_on": "2026-09-01", "note": ""})
    assert early.status_code == 422
    assert "Mag niet voor de start van de interventie liggen." in early.get_data(as_text=True)
    none = browser.post(path, {"outcome": "", "evaluated_on": "2026-10-14", "note": ""})
    assert 'href="#f-outcome">Kies hoe het ging.' in none.get_data(as_text=True)
    done = browser.post(
        path, {"outcome": "not_effective", "evaluated_on": "2026-10-14", "note": ""}
    )
    assert done.status_code == 302
    [evaluated] = f.call_ok(world, "coordinator_a1", "GET", f"/api/v1/cases/{case['id']}", 200)[
        "interventions"
    ]
    assert (evaluated["status"], evaluated["outcome"], evaluated["evaluated_on"]) == (
        "evaluated",
        "not_effective",
        "2026-10-14",
    )
    assert "niet effectief" in _text(browser.get(f"/trajecten/{case['id']}"))


def test_opening_a_case_for_a_pupil_without_one(world, browser):
    browser.login("coordinator_a1")
    pupil_page = _text(browser.get(f"/leerlingen/{world.pupils['a1']}"))
    path = f"/leerlingen/{world.pupils['a1']}/traject-openen"
    assert path in pupil_page
    early = browser.post(path, {"opened_on": "2020-01-01"})
    assert early.status_code == 422
    assert "Mag niet voor de inschrijving van de leerling liggen." in early.get_data(as_text=True)
    opened = browser.post(path, {"opened_on": "2026-10-01", "needs_extra_support": "ja"})
    assert opened.status_code == 302
    [case] = f.call_ok(
        world, "coordinator_a1", "GET", f"/api/v1/cases?pupil_id={world.pupils['a1']}", 200
    )["items"]
    assert opened.headers["Location"] == f"/trajecten/{case['id']}"
    assert (case["opened_on"], case["plan_due_by"]) == ("2026-10-01", "2026-11-12")
    assert path not in _text(browser.get(f"/leerlingen/{world.pupils['a1']}"))  # one open case
    again = browser.post(path, {"opened_on": "2026-10-02"})
    assert "Deze leerling heeft al een lopend traject." in again.get_data(as_text=True)


def test_a_domain_outside_the_schools_sop_asks_for_a_confirmation_before_saving(world, browser):
    case = f.open_case(world, "a1")
    browser.login("coordinator_a1")
    path = f"/trajecten/{case['id']}/interventies/nieuw"
    form = _text(browser.get(path))
    assert "Meer- en hoogbegaafdheid (niet in het SOP van de school)</option>" in form
    assert "Leesproblemen en dyslexie</option>" in form
    body = {
        "domain": "gifted",
        "goal": "Werkt aan een verrijkingsopdracht.",
        "starts_on": "2026-10-15",
        "evaluate_by": "2026-12-10",
    }
    warned = _text(browser.post(path, body))
    assert "Meer- en hoogbegaafdheid staat niet in het schoolondersteuningsprofiel" in warned
    assert 'name="outside_confirmed" value="gifted"' in warned
    assert "Toch starten, buiten het SOP" in warned
    api_case = f"/api/v1/cases/{case['id']}"
    assert f.call_ok(world, "coordinator_a1", "GET", api_case, 200)["interventions"] == []
    # A confirmation of another domain does not count for this one.
    again = _text(browser.post(path, {**body, "outside_confirmed": "medical_protocol"}))
    assert "Toch starten, buiten het SOP" in again
    started = browser.post(path, {**body, "outside_confirmed": "gifted"})
    assert started.status_code == 302
    [item] = f.call_ok(world, "coordinator_a1", "GET", api_case, 200)["interventions"]
    assert (item["domain"], item["outside_support_profile"]) == ("gifted", True)
