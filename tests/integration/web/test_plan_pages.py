"""The development plan (OPP) and its steps as pages, with the coordinator's own token: rows
added without JavaScript, the API's refusals at the field, and the plan's state from the API.
Today is 2026-10-15."""

from __future__ import annotations

import re
import subprocess

from tests.support import api_flows as f

PLAN_FORM = {
    "exit_destination": "regular_primary",
    "hindering_factors": "Leest langzaam\nSnel afgeleid",
    "supporting_factors": "Gemotiveerd",
    "action_plan": "Dagelijks 20 minuten extra leesinstructie.",
    "deviations": "",
    "created_on": "2026-10-15",
    "agreed_end_date": "2027-07-01",
    "scenarios-0-expected_effect": "Leest AVI M3 vlot",
    "scenarios-0-review_by": "2027-01-29",
    "scenarios-1-expected_effect": "Leest AVI E3 vlot",
    "scenarios-1-review_by": "2027-06-25",
    "evaluation_dates-0": "2027-01-29",
    "evaluation_dates-1": "",
}


def _text(response, status: int = 200) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:3000]
    return response.get_data(as_text=True)


def _plan(world, case_id: str) -> dict:
    [plan] = f.call_ok(world, f.COORDINATOR, "GET", f"/api/v1/cases/{case_id}", 200)["plans"]
    return plan


def test_the_plan_form_adds_a_scenario_row_without_javascript_and_keeps_what_was_typed(
    world, browser
):
    case = f.open_case(world, "a1")
    browser.login("coordinator_a1")
    path = f"/trajecten/{case['id']}/opp/nieuw"
    page = _text(browser.get(path))
    assert "Regulier basisonderwijs" in page  # the exit destinations by their labels
    assert page.count('name="scenarios-') == 4  # two rows of two fields
    more = _text(browser.post(path, {**PLAN_FORM, "action": "add_scenarios"}))
    assert 'name="scenarios-2-expected_effect"' in more and "Scenario 3" in more
    assert "Leest AVI E3 vlot" in more and "error-summary" not in more
    assert f.call_ok(world, f.COORDINATOR, "GET", f"/api/v1/cases/{case['id']}", 200)["plans"] == []


def test_the_apis_refusal_of_a_scenario_appears_at_that_scenarios_field(world, browser):
    case = f.open_case(world, "a1")
    browser.login("coordinator_a1")
    path = f"/trajecten/{case['id']}/opp/nieuw"
    late = {**PLAN_FORM, "scenarios-1-review_by": "2027-09-01", "action": "save"}
    page = _text(browser.post(path, late), 422)
    assert re.search(r"<title>Fout: OPP opstellen", page)
    error = re.search(r'id="f-scenarios-1-review_by-error">(.*?)</p>', page, re.S)
    assert error and "niet na de afgesproken einddatum" in error.group(1)
    assert 'href="#f-scenarios-1-review_by"' in page  # the summary links to the field
    assert "Leest AVI E3 vlot" in page
    assert f.call_ok(world, f.COORDINATOR, "GET", f"/api/v1/cases/{case['id']}", 200)["plans"] == []


def test_the_trajectory_from_plan_to_referral_through_the_pages(world, browser):
    case = f.open_case(world, "a1")
    browser.login("coordinator_a1")
    created = browser.post(f"/trajecten/{case['id']}/opp/nieuw", {**PLAN_FORM, "action": "save"})
    assert created.status_code == 302, created.get_data(as_text=True)[:3000]
    plan = _plan(world, case["id"])
    base = f"/trajecten/{case['id']}/opp/{plan['id']}"
    assert created.headers["Location"] == base
    assert plan["hindering_factors"] == ["Leest langzaam", "Snel afgeleid"]
    assert [s["review_by"] for s in plan["scenarios"]] == ["2027-01-29", "2027-06-25"]
    page = _text(browser.get(base))
    assert "concept" in page and "Nog niet gevraagd." in page

    # consent before the OOGO: the API's refusal, in Dutch, in the summary
    early = _text(browser.post(f"{base}/instemming-vragen", {"requested_on": "2026-10-15"}), 422)
    assert "Leg eerst het OOGO met de ouders vast." in early
    steps = [
        ("oogo", {"held_on": "2026-10-15", "participants": "ouders\nintern begeleider"}),
        ("leerling-gehoord", {"heard_on": "2026-10-15", "summary": ""}),
        ("instemming-vragen", {"requested_on": "2026-10-15"}),
    ]
    for step, data in steps:
        assert browser.post(f"{base}/{step}", data).status_code == 302, step
    guardian = str(world.guardians["a1"])
    form = _text(browser.get(f"{base}/instemming"))
    assert f'value="{guardian}" checked' in form
    consent = {"decision": "agreed", "recorded_on": "2026-10-15", "guardian_ids": guardian}
    assert browser.post(f"{base}/instemming", consent).status_code == 302
    plan = _plan(world, case["id"])
    assert (plan["status"], plan["consultation_participants"]) == (
        "active",
        ["ouders", "intern begeleider"],
    )
    assert "De ouders stemmen in met het handelingsdeel (versie 1" in _text(browser.get(base))

    evaluation = plan["evaluations"][0]["id"]
    meeting = f"{base}/evaluaties/{evaluation}/gesprek"
    past = {"meeting_on": "2026-10-01", "starts_at": "15:00", "duration_minutes": "45"}
    refused = _text(browser.post(meeting, {**past, "location": "", "video_url": ""}), 422)
    assert re.search(r'id="f-meeting_on-error">.*Moet in de toekomst liggen', refused, re.S)
    good = {**past, "meeting_on": "2027-01-28", "location": "Lokaal 3", "video_url": ""}
    assert browser.post(meeting, good).status_code == 302
    meeting_row = _plan(world, case["id"])["evaluations"][0]["meeting"]
    assert meeting_row["starts_at"] == "2027-01-28T14:00:00+00:00"  # 15:00 in Amsterdam

    refer = {"evaluation_id": evaluation, "held_on": "2026-10-15", "decision": "refer"}
    missing = _text(browser.post(f"{base}/evalueren", {**refer, "referral_destination": ""}), 422)
    assert "Kies waarheen de leerling wordt verwezen." in missing
    done = browser.post(f"{base}/evalueren", {**refer, "referral_destination": "sbo", "note": ""})
    assert done.status_code == 302
    case_now = f.call_ok(world, f.COORDINATOR, "GET", f"/api/v1/cases/{case['id']}", 200)
    assert case_now["status"] == "referred"
    assert [r["destination"] for r in case_now["referrals"]] == ["sbo"]
    case_page = _text(browser.get(f"/trajecten/{case['id']}"))
    assert "Verwezen naar Speciaal basisonderwijs (sbo)" in case_page


def test_continuing_needs_the_next_date_and_the_tlv_is_recorded_on_the_referral(world, browser):
    case, plan = f.case_with_active_plan(world, "a1")
    browser.login("coordinator_a1")
    base = f"/trajecten/{case['id']}/opp/{plan['id']}"
    go_on = {"held_on": "2026-10-14", "decision": "continue", "next_evaluation_on": ""}
    refused = _text(browser.post(f"{base}/evalueren", go_on), 422)
    assert re.search(r'id="f-next_evaluation_on-error">.*Vul een datum in', refused, re.S)
    too_late = {**go_on, "next_evaluation_on": "2027-08-01"}  # after the agreed end date
    refused = _text(browser.post(f"{base}/evalueren", too_late), 422)
    error = re.search(r'id="f-next_evaluation_on-error">(.*?)</p>', refused, re.S)
    assert error and "niet na de afgesproken einddatum" in error.group(1)
    next_date = {**go_on, "next_evaluation_on": "2027-02-01"}
    assert browser.post(f"{base}/evalueren", next_date).status_code == 302
    evaluations = _plan(world, case["id"])["evaluations"]
    assert "2027-02-01" in [e["due_on"] for e in evaluations if e["status"] == "scheduled"]

    _case, referral = f.referred_case(world, "a1_other")
    tlv = f"/trajecten/{_case['id']}/verwijzingen/{referral['id']}/tlv"
    wrong = {"valid_from": "2026-11-01", "valid_until": "2026-10-01"}
    refused = _text(browser.post(tlv, wrong), 422)
    assert re.search(
        r'id="f-valid_until-error">.*Moet na de datum &#39;geldig vanaf&#39;', refused, re.S
    )
    assert (
        browser.post(tlv, {"valid_from": "2026-11-01", "valid_until": "2027-08-01"}).status_code
        == 302
    )
    [done] = f.call_ok(world, f.COORDINATOR, "GET", f"/api/v1/cases/{_case['id']}", 200)[
        "referrals"
    ]
    assert (done["admission_statement_from"], done["admission_statement_until"]) == (
        "2026-11-01",
        "2027-08-01",
    )


def test_the_plan_page_speaks_english_when_chosen(world, browser):
    case, plan = f.case_with_active_plan(world, "a1")
    browser.login("coordinator_a1")
    browser.post("/taal", {"lang": "en", "next": "/leerlingen"}, form_page="/leerlingen")
    page = _text(browser.get(f"/trajecten/{case['id']}/opp/{plan['id']}"))
    assert '<html lang="en" dir="ltr">' in page and "Development plan of Kind a1 Test" in page
    assert "The parents agree with the action plan (version 1, " in page
    assert "Regular primary education" in page


def test_the_plan_downloads_as_a_pdf_in_the_pages_language(world, browser, tmp_path):
    case, plan = f.case_with_active_plan(world, "a1")
    browser.login("coordinator_a1")
    plan_page = f"/trajecten/{case['id']}/opp/{plan['id']}"
    download = f"{plan_page}/opp.pdf"
    assert f'href="{download}" download>Het plan als PDF downloaden' in _text(
        browser.get(plan_page)
    )
    for lang, heading in (("nl", "Handelingsdeel"), ("en", "Action plan")):
        browser.post("/taal", {"lang": lang, "next": "/leerlingen"}, form_page="/leerlingen")
        response = browser.get(download)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        disposition = response.headers["Content-Disposition"]
        assert disposition == f'attachment; filename="OPP-{plan["id"][:8]}-2026-10-15.pdf"'
        saved = tmp_path / f"{lang}.pdf"
        saved.write_bytes(response.get_data())
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(saved), "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        assert heading in text and "Kind a1 Test" in text, text[:500]
