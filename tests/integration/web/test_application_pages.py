"""The TLV application on the pages (issue 14), against the real cases API: the coordinator
starts it on a referred case, chooses two documents (the parent shared one), records the parents'
view, the director signs off, the coordinator submits without the parents' agreement (a warning,
a ticked box); the consultant finds it flagged in the partnership's list, sees exactly the shared
document, records two advices and the decision (the API's field errors at the field), and
downloads the letter. The outcome is checked in the API. Today is 2026-10-15."""

from __future__ import annotations

import html
from typing import Any

import pytest

from tests.integration.web.conftest import Browser
from tests.integration.web.test_parent_pages import _sign_in
from tests.support import api_flows as f
from tests.support import documents as files

COORD, DIRECTOR, CONSULTANT, PARENT = "coordinator_a1", "director_a1", "consultant_a", "guardian_a1"


def _text(response, status: int = 200) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:3000]
    return response.get_data(as_text=True)


def _main(html: str) -> str:
    return html.split("<main", 1)[-1].split("</main>", 1)[0]


def _as(web_app, web_settings, who: str) -> Browser:
    browser = Browser(web_app.test_client(), web_settings)
    browser.login(who)
    return browser


@pytest.fixture
def referral(world) -> dict[str, Any]:
    """A referred case of pupil a1 with two documents; the parent shared the report only."""
    case, referral = f.referred_case(world, "a1")
    path = f"/api/v1/cases/{case['id']}/documents"
    report = f.call_ok(world, COORD, "POST", path, 201, data=files.upload(files.PDF, "rapport.pdf"))
    photo = f.call_ok(world, COORD, "POST", path, 201, data=files.upload(files.PNG, "obs.png"))
    share = f"/api/v1/documents/{report['id']}/sharing"
    f.call_ok(world, PARENT, "PUT", share, 200, json={"shared": True})
    page = f"/trajecten/{case['id']}/verwijzingen/{referral['id']}/aanvraag"
    return {
        "case": case,
        "id": referral["id"],
        "report": report["id"],
        "photo": photo["id"],
        "page": page,
    }


def _api(world, who: str, referral: dict[str, Any]) -> dict[str, Any]:
    path = f"/api/v1/referrals/{referral['id']}/application"
    return f.call_ok(world, who, "GET", path, 200)


def _school_part(world, web_app, web_settings, referral: dict[str, Any]) -> Browser:
    """Start, choose both documents, record the parents' view; the director signs off."""
    ib = _as(web_app, web_settings, COORD)
    page = referral["page"]
    case_page = _text(ib.get(f"/trajecten/{referral['case']['id']}"))
    assert f'href="{page}"' in case_page and "Aanvraag TLV" in case_page
    assert "Aanvraag starten" in _text(ib.get(page))
    assert ib.post(f"{page}/starten", {}, form_page=page).status_code == 302
    form = _text(ib.get(f"{page}/documenten"))
    assert "rapport.pdf" in form and "obs.png" in form
    assert "Gedeeld door ouders" in form and "Ouders hebben nog niet gekozen" in form
    token = ib.csrf(f"{page}/documenten")
    etag = _etag(ib, f"{page}/documenten")
    chosen = ib.client.post(
        f"{page}/documenten",
        data={
            "csrf_token": token,
            "etag": etag,
            "document_ids": [referral["report"], referral["photo"]],
            "motivation": "Wij kunnen niet bieden wat hij nodig heeft.",
        },
    )
    assert chosen.status_code == 302, chosen.get_data(as_text=True)[:2000]
    empty = ib.post(f"{page}/zienswijze", {"text": ""}, form_page=f"{page}/zienswijze")
    assert "Schrijf op wat de ouders vinden." in _text(empty, 422)
    text = "De ouders willen eerst een kijkje nemen op de school."
    assert ib.post(f"{page}/zienswijze", {"text": text}).status_code == 302
    tasks = _text(ib.get(page))
    assert "2 documenten gekozen" in tasks and "vastgelegd door de school" in tasks
    assert "Kan zodra de directeur heeft ondertekend." in tasks
    assert f"{page}/ondertekenen" not in tasks  # the director's step
    assert _text(ib.get(f"{page}/ondertekenen"), 403)

    director = _as(web_app, web_settings, DIRECTOR)
    listed = _text(director.get("/school/aanvragen"))
    assert "Kind a1 Test" in listed and "nog niet ondertekend" in listed
    assert f"{page}/ondertekenen" in _text(director.get(page))
    assert _text(director.get(f"{page}/documenten"), 403)
    assert director.post(f"{page}/ondertekenen", {"signed_on": "2026-10-15"}).status_code == 302
    assert _api(world, COORD, referral)["sign_off"]["signed_on"] == "2026-10-15"
    return ib


def _etag(browser: Browser, path: str) -> str:
    page = browser.get(path).get_data(as_text=True)
    return html.unescape(page.split('name="etag" value="', 1)[1].split('"', 1)[0])


def test_the_school_assembles_signs_off_and_submits_without_the_parents(
    world, web_app, web_settings, referral
):
    ib = _school_part(world, web_app, web_settings, referral)
    page = referral["page"]
    form = _text(ib.get(f"{page}/indienen"))
    assert "Let op: de ouders hebben niet ingestemd met deze aanvraag." in form
    unticked = ib.post(f"{page}/indienen", {"submitted_on": "2026-10-15"})
    assert "Vink aan dat u de aanvraag indient zonder instemming" in _text(unticked, 422)
    assert _api(world, COORD, referral)["status"] == "draft"  # nothing sent
    sent = ib.post(f"{page}/indienen", {"submitted_on": "2026-10-15", "without_parents": "ja"})
    assert sent.status_code == 302
    shown = _api(world, COORD, referral)
    assert (shown["status"], shown["parents_agreed"]) == ("submitted", False)
    assert {d["id"] for d in shown["documents"]} == {referral["report"], referral["photo"]}
    tasks = _text(ib.get(page))
    assert "Ingediend zonder instemming van de ouders." in tasks
    assert f"{page}/documenten" not in tasks and f"{page}/indienen" not in tasks  # no changes
    timeline = _text(ib.get(f"/trajecten/{referral['case']['id']}"))
    assert "Aanvraag TLV ingediend bij het samenwerkingsverband; besluit uiterlijk 26 november" in (
        timeline
    )
    assert "Zonder instemming van de ouders." in timeline


def test_paper_agreement_lets_the_coordinator_submit_without_the_warning(
    world, web_app, web_settings, referral
):
    ib = _school_part(world, web_app, web_settings, referral)
    page = referral["page"]
    missing = ib.post(f"{page}/instemming", {"recorded_on": "2026-10-14"})
    missing_text = _text(missing, 422)
    assert "Kies wat de ouders hebben geantwoord." in missing_text
    assert '<a href="#f-decision">' in missing_text
    token = ib.csrf(f"{page}/instemming")
    agreed = ib.client.post(
        f"{page}/instemming",
        data={
            "csrf_token": token,
            "decision": "agreed",
            "recorded_on": "2026-10-14",
            "guardian_ids": [str(world.guardians["a1"])],
        },
    )
    assert agreed.status_code == 302, agreed.get_data(as_text=True)[:2000]
    assert _api(world, COORD, referral)["parents_agreement"]["status"] == "agreed"
    form = _text(ib.get(f"{page}/indienen"))
    assert "Let op" not in form and "without_parents" not in form
    assert ib.post(f"{page}/indienen", {"submitted_on": "2026-10-15"}).status_code == 302
    assert _api(world, COORD, referral)["parents_agreed"] is True


def test_the_consultant_sees_the_shared_document_advises_and_decides(
    world, web_app, web_settings, referral
):
    ib = _school_part(world, web_app, web_settings, referral)
    page = referral["page"]
    ib.post(f"{page}/indienen", {"submitted_on": "2026-10-15", "without_parents": "ja"})
    swv = _as(web_app, web_settings, CONSULTANT)
    listed = _text(swv.get("/samenwerkingsverband/aanvragen"))
    assert "Kind a1 Test" in listed and "zonder instemming ouders" in listed
    assert "26 november 2026" in listed and "Aanvragen TLV" in listed
    at = f"/samenwerkingsverband/aanvragen/{referral['id']}"
    assert f'href="{at}"' in listed
    shown = _main(_text(swv.get(at)))
    assert "rapport.pdf" in shown and "obs.png" not in shown  # exactly the shared one
    assert "Ingediend zonder instemming van de ouders." in shown
    assert "Geëvalueerd op 14 oktober 2026: verwijzen" in shown
    assert "Advies vastleggen (1 van 2)" in shown
    assert "Besluit vastleggen" not in shown

    advice = {"adviser_name": "Drs. K. Jansen", "conclusion": "Toelaatbaar.", "recorded_on": ""}
    blank = swv.post(f"{at}/advies", {**advice, "adviser_name": ""})
    assert "Vul de naam van de adviseur in." in _text(blank, 422)
    first = swv.post(
        f"{at}/advies", {**advice, "adviser_role": "deskundige", "recorded_on": "2026-10-15"}
    )
    assert first.status_code == 302
    # The second must come from an orthopedagoog or psycholoog: the API's words, at the field.
    wrong = swv.post(
        f"{at}/advies", {**advice, "adviser_role": "deskundige", "recorded_on": "2026-10-15"}
    )
    wrong_text = _text(wrong, 422)
    assert "Eén van de twee adviezen komt van een orthopedagoog of een psycholoog." in wrong_text
    assert 'id="f-adviser_role-error"' in wrong_text
    second = swv.post(
        f"{at}/advies", {**advice, "adviser_role": "psycholoog", "recorded_on": "2026-10-15"}
    )
    assert second.status_code == 302
    assert _api(world, CONSULTANT, referral)["status"] == "ready_for_decision"

    decision = {
        "decision": "granted",
        "decided_on": "2026-10-15",
        "school_type": "so",
        "valid_from": "2026-11-01",
        "valid_until": "2028-07-31",
    }
    no_category = _text(swv.post(f"{at}/besluit", decision), 422)
    assert "Kies de categorie" in no_category and 'href="#f-category"' in no_category
    not_july = _text(
        swv.post(f"{at}/besluit", {**decision, "category": "high", "valid_until": "2028-06-30"}),
        422,
    )
    assert "De verklaring loopt tot en met 31 juli." in not_july
    assert 'id="f-valid_until-error"' in not_july
    assert _api(world, CONSULTANT, referral)["status"] == "ready_for_decision"
    done = swv.post(f"{at}/besluit", {**decision, "category": "high"})
    assert done.status_code == 302, done.get_data(as_text=True)[:2000]
    decided = _api(world, CONSULTANT, referral)
    assert decided["decision"]["school_type"] == "so" and decided["decision"]["category"] == "high"
    letter = swv.get(f"{at}/besluitbrief.pdf")
    assert letter.status_code == 200 and letter.data.startswith(b"%PDF")
    assert letter.headers["Content-Type"] == "application/pdf"
    timeline = _text(ib.get(f"/trajecten/{referral['case']['id']}"))
    assert "Deskundigenadvies vastgelegd (deskundige)." in timeline
    assert "Beide adviezen zijn binnen" in timeline
    assert (
        "TLV toegekend: speciaal onderwijs (so), categorie hoog, geldig van 1 november 2026 "
        "tot en met 31 juli 2028." in timeline
    )


def test_roles_get_only_their_own_application_forms(world, web_app, web_settings, referral):
    _school_part(world, web_app, web_settings, referral)
    at = f"/samenwerkingsverband/aanvragen/{referral['id']}"
    for who in (COORD, DIRECTOR, "teacher_a1", "admin_a"):
        browser = _as(web_app, web_settings, who)
        for form in ("advies", "besluit"):
            response = browser.get(f"{at}/{form}")
            assert response.status_code == 403, (who, form, response.status_code)
            assert "Geen toegang" in response.get_data(as_text=True)
    teacher = _as(web_app, web_settings, "teacher_a1")  # not the pupil's teacher: not found
    for step in ("documenten", "zienswijze", "instemming", "indienen", "ondertekenen"):
        response = teacher.get(f"{referral['page']}/{step}")
        assert response.status_code in (403, 404) and 'name="etag"' not in response.get_data(
            as_text=True
        )
    assert teacher.get(referral["page"]).status_code == 404  # teachers read no applications
    ib = _as(web_app, web_settings, COORD)
    assert "Kind a1 Test" in _text(ib.get("/school/aanvragen"))  # the school's list, in the nav
    assert teacher.get("/school/aanvragen").status_code == 404
    consultant = _as(web_app, web_settings, CONSULTANT)
    redirected = consultant.get(referral["page"])  # the partnership's own page
    assert redirected.headers["Location"] == f"/samenwerkingsverband/aanvragen/{referral['id']}"
    # The administrator, whom the deadline's escalation links here (shared.web_links), likewise.
    admin = _as(web_app, web_settings, "admin_a").get(referral["page"])
    assert admin.headers["Location"] == f"/samenwerkingsverband/aanvragen/{referral['id']}"
    for step in ("documenten", "zienswijze", "instemming", "indienen", "ondertekenen"):
        assert consultant.get(f"{referral['page']}/{step}").status_code == 403


OUTSIDERS = ("coordinator_a2", "coordinator_b1", "admin_b", "teacher_a1")


def _no_leak(response: Any) -> bool:
    main = _main(response.get_data(as_text=True))
    return response.status_code in (403, 404) and "Kind a1" not in main and "rapport" not in main


def test_no_one_else_reads_an_application_on_the_web(
    world, web_app, web_settings, container, clock, referral, capsys
):
    """The leak matrix of the application pages: other schools' and partnerships' staff, a
    teacher, the partnership before submission and another child's parent get 403/404 with no
    name and no document, on every page and in the lists."""
    api = f"/api/v1/referrals/{referral['id']}/application"
    f.call_ok(world, COORD, "POST", api, 201, json={"document_ids": [referral["report"]]})
    school = [referral["page"]] + [
        f"{referral['page']}/{step}"
        for step in ("documenten", "zienswijze", "instemming", "ondertekenen", "indienen")
    ]
    at = f"/samenwerkingsverband/aanvragen/{referral['id']}"
    partnership = [at, f"{at}/advies", f"{at}/besluit", f"{at}/besluitbrief.pdf"]
    parents = f"/ouders/aanvragen/{referral['id']}"
    attempts, leaks = 0, []
    for who in (*OUTSIDERS, CONSULTANT):  # the consultant: a draft is the school's
        browser = _as(web_app, web_settings, who)
        for page in school + partnership:
            attempts += 1
            response = browser.get(page)
            if who in (CONSULTANT, "admin_b") and page == referral["page"]:
                # The partnership's staff are sent to their own page of it, which judges them.
                assert response.headers["Location"] == at
                response = browser.get(at)
            if not _no_leak(response):
                leaks.append((who, page, response.status_code))
        for listing in ("/school/aanvragen", "/samenwerkingsverband/aanvragen"):
            attempts += 1
            if "Kind a1" in _main(browser.get(listing).get_data(as_text=True)):
                leaks.append((who, listing, "name"))
    parent = Browser(web_app.test_client(), web_settings)  # a1_other's parent, not a1's
    _sign_in(parent, web_app, container, web_settings, clock)
    for page in (
        parents,
        f"{parents}/zienswijze",
        f"{parents}/instemming",
        f"{parents}/besluit.pdf",
    ):
        attempts += 1
        if not _no_leak(parent.get(page)):
            leaks.append(("other parent", page))
    with capsys.disabled():
        print(f"\napplication pages: {attempts} attempts, {len(leaks)} leaks")
    assert attempts > 60 and leaks == []


def test_with_an_application_the_school_types_no_admission_statement(
    world, web_app, web_settings, referral
):
    ib = _as(web_app, web_settings, COORD)
    form = f"/trajecten/{referral['case']['id']}/verwijzingen/{referral['id']}/tlv"
    assert ib.get(form).status_code == 200  # no application yet: the school records it
    ib.post(f"{referral['page']}/starten", {}, form_page=referral["page"])
    moved = ib.get(form)
    assert moved.status_code == 302 and moved.headers["Location"] == referral["page"]


def test_a_consultant_sees_the_case_pages_link_once_the_application_is_submitted(
    world, web_app, web_settings, referral
):
    """The case page links a consultant to the application only when the partnership may read
    it: not before the school starts one, not to its draft (that would say "Niet gevonden")."""
    case_page = f"/trajecten/{referral['case']['id']}"
    target = f'href="/samenwerkingsverband/aanvragen/{referral["id"]}"'
    consultant = _as(web_app, web_settings, CONSULTANT)
    before = _main(_text(consultant.get(case_page)))
    assert "Verwezen naar" in before and target not in before and "Aanvraag TLV" not in before
    api = f"/api/v1/referrals/{referral['id']}/application"
    f.call_ok(world, COORD, "POST", api, 201, json={"document_ids": [referral["report"]]})
    draft = _main(_text(consultant.get(case_page)))
    assert target not in draft and "Aanvraag TLV" not in draft
    school = _main(_text(_as(web_app, web_settings, COORD).get(case_page)))
    assert f'href="{referral["page"]}"' in school  # the school's own link to its draft stays
    f.call_ok(world, DIRECTOR, "POST", f"{api}/sign-off", 200, json={})
    f.call_ok(world, COORD, "POST", f"{api}/submit", 200, json={})
    submitted = _main(_text(consultant.get(case_page)))
    assert target in submitted and "Aanvraag TLV" in submitted
    opened = consultant.get(f"/samenwerkingsverband/aanvragen/{referral['id']}")
    assert "Kind a1 Test" in _text(opened)
