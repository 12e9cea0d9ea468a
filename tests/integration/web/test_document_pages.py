"""Documents on the pages (issue 14): the coordinator attaches, downloads and removes them on the
case page (a refused file explained at the field); the parent shares one; the consultant sees
exactly that one. The outcome is checked in the cases API."""

from __future__ import annotations

import io

from tests.integration.web.test_parent_pages import _sign_in
from tests.support import api_flows as f
from tests.support import documents as files

COORD = "coordinator_a1"


def _text(response, status: int = 200) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:3000]
    return response.get_data(as_text=True)


def _attach(browser, case_id: str, content: bytes, name: str):
    page = f"/trajecten/{case_id}"
    token = browser.csrf(page)
    data = {"file": (io.BytesIO(content), name), "csrf_token": token}
    return browser.client.post(f"{page}/documenten", data=data, content_type="multipart/form-data")


def _api_documents(world, who: str, case_id: str) -> list[dict]:
    return f.call_ok(world, who, "GET", f"/api/v1/cases/{case_id}/documents", 200)["items"]


def test_coordinator_attaches_parent_shares_consultant_sees_that_one(
    world, browser, web_app, container, web_settings, clock
):
    case = f.open_case(world, "a1_other")
    browser.login(COORD)
    assert "Nog geen documenten." in _text(browser.get(f"/trajecten/{case['id']}"))
    for content, name in ((files.PDF, "verslag.pdf"), (files.PNG, "observatie.png")):
        answer = _attach(browser, case["id"], content, name)
        assert answer.status_code == 302, answer.get_data(as_text=True)[:2000]
        assert answer.headers["Location"].endswith(f"/trajecten/{case['id']}#documenten")
    page = _text(browser.get(f"/trajecten/{case['id']}"))
    assert "verslag.pdf" in page and "observatie.png" in page
    assert "Ouders hebben nog niet gekozen" in page

    refused = _text(_attach(browser, case["id"], files.EXECUTABLE, "rapport.pdf"), 422)
    assert "Er is een probleem" in refused and "Dit soort bestand kan niet" in refused
    assert 'aria-invalid="true"' in refused
    empty = _text(_attach(browser, case["id"], b"", ""), 422)
    assert "Kies een bestand." in empty
    assert len(_api_documents(world, COORD, case["id"])) == 2

    docs = {d["filename"]: d for d in _api_documents(world, COORD, case["id"])}
    download = browser.get(f"/trajecten/{case['id']}/documenten/{docs['verslag.pdf']['id']}")
    assert download.status_code == 200 and download.data == files.PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"

    # The parent (of pupil a1_other) shares the report only.
    parent = web_app.test_client()
    browser.client, coordinator_client = parent, browser.client
    _sign_in(browser, web_app, container, web_settings, clock)
    child = _text(browser.get(f"/ouders/kinderen/{world.pupils['a1_other']}"))
    assert "verslag.pdf" in child and "Delen met het samenwerkingsverband" in child
    token = browser.csrf(f"/ouders/kinderen/{world.pupils['a1_other']}")
    shared = parent.post(
        f"/ouders/documenten/{docs['verslag.pdf']['id']}/delen",
        data={"shared": "yes", "pupil_id": str(world.pupils["a1_other"]), "csrf_token": token},
    )
    assert shared.status_code == 302
    child = _text(browser.get(f"/ouders/kinderen/{world.pupils['a1_other']}"))
    assert "Gedeeld met het samenwerkingsverband." in child
    own = parent.get(f"/ouders/documenten/{docs['observatie.png']['id']}")
    assert own.status_code == 200 and own.data == files.PNG

    # The consultant sees exactly the shared one, on the page and in the API.
    consultant = web_app.test_client()
    browser.client = consultant
    browser.login("consultant_a")
    page = _text(browser.get(f"/trajecten/{case['id']}"))
    assert "verslag.pdf" in page and "observatie.png" not in page
    assert "Toevoegen" not in page and "Verwijderen" not in page
    assert [d["filename"] for d in _api_documents(world, "consultant_a", case["id"])] == [
        "verslag.pdf"
    ]
    hidden = consultant.get(f"/trajecten/{case['id']}/documenten/{docs['observatie.png']['id']}")
    assert hidden.status_code == 404

    # The coordinator removes one.
    browser.client = coordinator_client
    token = browser.csrf(f"/trajecten/{case['id']}")
    removed = coordinator_client.post(
        f"/trajecten/{case['id']}/documenten/{docs['observatie.png']['id']}/verwijderen",
        data={"csrf_token": token},
    )
    assert removed.status_code == 302
    assert [d["filename"] for d in _api_documents(world, COORD, case["id"])] == ["verslag.pdf"]


def test_a_file_over_the_limit_is_explained_not_sent(world, browser, web_app):
    case = f.open_case(world, "a1")
    browser.login(COORD)
    big = files.PDF + b"0" * (web_app.extensions["web"].settings.document_max_bytes)
    page = _text(_attach(browser, case["id"], big, "groot.pdf"), 422)
    assert "Het bestand is groter dan 10 MB." in page
    assert _api_documents(world, COORD, case["id"]) == []
