"""Every form page of the school × every staff role of the partnership, held against the cases
API: a role the API refuses a save gets the refusal page (403 "Geen toegang"), never a form that
would fail on save, and the case, pupil and plan pages show it no button to such a form; a role
the API lets save gets the form. The pupils are assigned to the teacher, so what the teacher is
refused is about the role, not about which pupils they see."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.integration.web.conftest import Browser
from tests.support import api_flows as f

ROLES = ("coordinator_a1", "teacher_a1", "director_a1", "consultant_a", "admin_a")
FORM = re.compile(r'<form method="post"')


def _main(html: str) -> str:
    """The page's own content (the header and footer hold the log-out and language forms)."""
    return html.split("<main", 1)[-1].split("</main>", 1)[0]


def _assigned(world, name: str) -> str:
    staff = [
        {"user_id": str(world.users["coordinator_a1"]), "role": "coordinator"},
        {"user_id": str(world.users["teacher_a1"]), "role": "teacher"},
    ]
    return f.register_pupil(world, name, staff=staff)


@pytest.fixture
def forms(world) -> dict[str, Any]:
    """The form pages (web path → the API call its save makes, and who may make it) over a
    basic case with a running intervention, a case with an active plan, a referred case and a
    pupil without a case."""
    for name in ("Lotte", "Sem", "Noor", "Daan"):
        _assigned(world, name)
    basic = f.open_case(world, "Lotte")
    item = f.start_intervention(world, basic["id"])
    active, plan = f.case_with_active_plan(world, "Sem")
    referred, referral = f.referred_case(world, "Noor")
    evaluation = next(e for e in plan["evaluations"] if e["status"] == "scheduled")
    case, pupil = f"/trajecten/{basic['id']}", f"/leerlingen/{world.pupils['Daan']}"
    at_plan, api_plan = (
        f"/trajecten/{active['id']}/opp/{plan['id']}",
        (f"/api/v1/development-plans/{plan['id']}"),
    )
    coordinator = {"coordinator_a1"}
    pages = {
        f"{pupil}/traject-openen": (
            "POST",
            "/api/v1/cases",
            {"pupil_id": str(world.pupils["Daan"]), "opened_on": "2026-10-01"},
            coordinator,
        ),
        f"{case}/interventies/nieuw": (
            "POST",
            f"/api/v1/cases/{basic['id']}/interventions",
            f.intervention_body(),
            coordinator,
        ),
        f"{case}/interventies/{item['id']}/evalueren": (
            "POST",
            f"/api/v1/interventions/{item['id']}/evaluation",
            {"outcome": "effective", "evaluated_on": "2026-10-12", "note": None},
            coordinator | {"teacher_a1"},  # the teacher carries out a basic intervention
        ),
        f"{case}/opp/nieuw": (
            "POST",
            f"/api/v1/cases/{basic['id']}/development-plans",
            f.plan_body(),
            coordinator,
        ),
        f"{at_plan}/oogo": (
            "POST",
            f"{api_plan}/consultation",
            {"held_on": "2026-10-01", "participants": ["Ouder"]},
            coordinator,
        ),
        f"{at_plan}/leerling-gehoord": (
            "POST",
            f"{api_plan}/pupil-view",
            {"heard_on": "2026-10-01"},
            coordinator,
        ),
        f"{at_plan}/instemming-vragen": (
            "POST",
            f"{api_plan}/consent-request",
            {"requested_on": "2026-10-01"},
            coordinator,
        ),
        f"{at_plan}/instemming": (
            "POST",
            f"{api_plan}/consent",
            f.consent_body(world, pupil="Sem"),
            coordinator,
        ),
        f"{at_plan}/evaluaties/{evaluation['id']}/gesprek": (
            "PUT",
            f"{api_plan}/evaluations/{evaluation['id']}/meeting",
            {"starts_at": "2026-11-30T15:00:00+01:00", "duration_minutes": 45},
            coordinator,
        ),
        f"{at_plan}/evalueren": (
            "POST",
            f"{api_plan}/evaluation",
            {"held_on": "2026-10-14", "decision": "continue", "next_evaluation_on": "2027-01-10"},
            coordinator,
        ),
        f"/trajecten/{referred['id']}/verwijzingen/{referral['id']}/tlv": (
            "POST",
            f"/api/v1/referrals/{referral['id']}/admission-statement",
            {"valid_from": "2026-10-15", "valid_until": "2028-08-01"},
            coordinator,
        ),
    }
    views = [pupil, case, f"/trajecten/{active['id']}", at_plan, f"/trajecten/{referred['id']}"]
    return {"pages": pages, "views": views}


def _signed_in(web_app, web_settings, who: str) -> Browser:
    browser = Browser(web_app.test_client(), web_settings)
    browser.login(who)
    return browser


@pytest.mark.parametrize("who", ROLES)
def test_a_role_gets_only_the_forms_the_api_lets_it_save(world, web_app, web_settings, forms, who):
    browser = _signed_in(web_app, web_settings, who)
    for page, (method, api_path, body, allowed) in forms["pages"].items():
        response = browser.get(page)
        html = _main(response.get_data(as_text=True))
        if who in allowed:
            assert response.status_code == 200, (who, page, response.status_code)
            assert FORM.search(html), (who, page)
            continue
        # The API refuses this role the save the form would make (nothing changes) ...
        refused = world.call(who, method, api_path, json=body)
        assert refused.status_code == 403, (who, api_path, refused.status_code, refused.json)
        # ... so the web refuses the form, on GET and on POST alike.
        assert response.status_code == 403, (who, page, response.status_code)
        assert "Geen toegang" in html and not FORM.search(html), (who, page)
        posted = browser.client.post(page, data={"csrf_token": browser.csrf(forms["views"][1])})
        assert posted.status_code == 403, (who, page, posted.status_code)


@pytest.mark.parametrize("who", ROLES)
def test_the_pages_show_a_role_only_the_buttons_to_its_forms(
    world, web_app, web_settings, forms, who
):
    browser = _signed_in(web_app, web_settings, who)
    shown = set()
    for view in forms["views"]:
        response = browser.get(view)
        assert response.status_code == 200, (who, view, response.status_code)
        shown |= set(re.findall(r'href="([^"#?]+)"', response.get_data(as_text=True)))
    links = shown & set(forms["pages"])
    allowed = {page for page, (*_call, may) in forms["pages"].items() if who in may}
    assert links <= allowed, (who, sorted(links - allowed))
    if who == "coordinator_a1":  # the buttons are there for the one who may (so this means
        # something): all but the consent steps of a plan that is already agreed
        consent = ("/instemming-vragen", "/instemming")
        missing = {p for p in allowed - links if not p.endswith(consent)}
        assert missing == set(), sorted(missing)
    if who == "teacher_a1":
        assert any(p.endswith("/evalueren") and "/interventies/" in p for p in links)
