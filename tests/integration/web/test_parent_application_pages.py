"""A child's TLV application on the parents' pages (issue 14): the parent (of pupil a1_other,
signed in by the e-mailed link) finds it on the child's page, reads it with the documents and
whether the partnership may see each, shares one, gives their view and agrees online, and after
the decision reads it and downloads the letter in the language of the pages. The outcome is
checked in the cases API."""

from __future__ import annotations

import re
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.integration.web.test_parent_pages import _sign_in
from tests.support import api_flows as f
from tests.support import documents as files

COORD, DIRECTOR, CONSULTANT = "coordinator_a1", "director_a1", "consultant_a"


def _text(response, status: int = 200) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:3000]
    return response.get_data(as_text=True)


@pytest.fixture
def application(world) -> dict[str, Any]:
    """A referred case of a1_other with two documents, its application started with both."""
    case, referral = f.referred_case(world, "a1_other")
    path = f"/api/v1/cases/{case['id']}/documents"
    report = f.call_ok(world, COORD, "POST", path, 201, data=files.upload(files.PDF, "rapport.pdf"))
    photo = f.call_ok(world, COORD, "POST", path, 201, data=files.upload(files.PNG, "obs.png"))
    api = f"/api/v1/referrals/{referral['id']}/application"
    body = {"document_ids": [report["id"], photo["id"]]}
    f.call_ok(world, COORD, "POST", api, 201, json=body)
    return {"referral": referral["id"], "report": report["id"], "photo": photo["id"], "api": api}


def test_the_parent_reads_shares_gives_their_view_and_agrees(
    world, browser, web_app, container, web_settings, clock, application
):
    _sign_in(browser, web_app, container, web_settings, clock)
    child = _text(browser.get(f"/ouders/kinderen/{world.pupils['a1_other']}"))
    page = f"/ouders/aanvragen/{application['referral']}"
    assert "Aanvraag voor een andere school" in child and f'href="{page}"' in child
    shown = _text(browser.get(page))
    assert "rapport.pdf" in shown and "obs.png" in shown
    assert shown.count("Niet gedeeld: het samenwerkingsverband ziet dit document niet.") == 2
    token = browser.csrf(f"/ouders/kinderen/{world.pupils['a1_other']}")
    shared = browser.client.post(
        f"/ouders/documenten/{application['report']}/delen",
        data={"shared": "yes", "pupil_id": str(world.pupils["a1_other"]), "csrf_token": token},
    )
    assert shared.status_code == 302
    assert "Gedeeld met het samenwerkingsverband." in _text(browser.get(page))

    empty = browser.post(f"{page}/zienswijze", {"text": "  "})
    assert "Schrijf wat u van de aanvraag vindt." in _text(empty, 422)
    view = "Wij vinden een kleinere klas goed voor onze zoon."
    assert browser.post(f"{page}/zienswijze", {"text": view}).status_code == 302
    none = browser.post(f"{page}/instemming", {})
    assert "Kies of u instemt of niet." in _text(none, 422)
    assert browser.post(f"{page}/instemming", {"decision": "agreed"}).status_code == 302
    stored = f.call_ok(world, COORD, "GET", application["api"], 200)
    assert stored["parents_view"]["text"] == view and stored["parents_view"]["channel"] == "online"
    assert stored["parents_agreement"]["status"] == "agreed"
    assert stored["parents_agreement"]["answers"][0]["channel"] == "online"
    assert "Ouders stemmen in" in _text(browser.get(page))
    # Someone else's (or no) application: not found.
    assert browser.get(f"/ouders/aanvragen/{uuid.uuid4()}").status_code == 404


def test_after_the_decision_the_parent_reads_it_and_downloads_the_letter(
    world, browser, web_app, container, web_settings, clock, application, tmp_path
):
    api = application["api"]
    f.call_ok(world, DIRECTOR, "POST", f"{api}/sign-off", 200, json={})
    f.call_ok(world, COORD, "POST", f"{api}/submit", 200, json={})
    for role in ("psycholoog", "deskundige"):
        body = {"adviser_role": role, "adviser_name": "Drs. K. Jansen", "conclusion": "Ja."}
        f.call_ok(world, CONSULTANT, "POST", f"{api}/advices", 201, json=body)
    grant = {"decision": "granted", "school_type": "sbo", "valid_from": "2026-11-01",
             "valid_until": "2028-07-31"}  # fmt: skip
    f.call_ok(world, CONSULTANT, "POST", f"{api}/decision", 200, json=grant)
    _sign_in(browser, web_app, container, web_settings, clock)
    page = f"/ouders/aanvragen/{application['referral']}"
    shown = _text(browser.get(page))
    assert (
        "Het samenwerkingsverband geeft de verklaring: speciaal basisonderwijs (sbo), van "
        "1 november 2026 tot en met 31 juli 2028." in shown
    )
    assert f"{page}/zienswijze" not in shown and f"{page}/instemming" not in shown
    assert browser.get(f"{page}/instemming").status_code == 302  # too late to answer
    letter = browser.get(f"{page}/besluit.pdf")
    assert letter.status_code == 200 and letter.data.startswith(b"%PDF")
    assert "Besluit op de aanvraag" in _pdf_text(letter.data, tmp_path)
    # The letter comes in the language the parent reads the pages in, Arabic as any of the six.
    for lang, title in (("ar", "قرار بشأن طلب إفادة القبول"), ("tr", "Kabul belgesi (TLV)")):
        switched = browser.post("/ouders/taal", {"lang": lang, "next": page}, form_page=page)
        assert switched.status_code == 302
        letter = browser.get(f"{page}/besluit.pdf")
        assert letter.status_code == 200, letter.get_data(as_text=True)[:500]
        text = _pdf_text(letter.data, tmp_path)
        assert title in text and "Besluit op de aanvraag" not in text, text[:300]


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    """The PDF's text by poppler's pdftotext, on one line, without its bidi marks."""
    saved = tmp_path / f"letter-{len(list(tmp_path.iterdir()))}.pdf"
    saved.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(saved), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(re.sub("[\u202a-\u202e]", "", out).split())
