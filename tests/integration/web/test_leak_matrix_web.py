"""Issue 12: the leak matrix gains the web pages. Every staff role of partnership A (coordinator,
teacher, director, consultant, administrator) and the staff of partnership B open the pages of
pupils, cases and plans that are not theirs (another school's, another partnership's, and for the
teacher the pupils not assigned to them): each answers the calm 404 page and its body holds no
name of the pupil. The same pages opened by their own coordinator show the name (so the attempts
mean something). Prints "web matrix: N attempts, 0 leaks"."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.web.conftest import Browser
from tests.support import api_flows as f

# Who may not see which pupils (keys of world.pupils, and "fenna": the teacher's own pupil).
FORBIDDEN = {
    "coordinator_a1": ("a2", "b1"),
    "teacher_a1": ("a1", "a1_other", "a2", "b1"),  # only the pupils assigned to them
    "director_a1": ("a2", "b1"),
    "consultant_a": ("b1",),
    "admin_a": ("b1",),
    "coordinator_a2": ("a1", "a1_other", "fenna", "b1"),
    "coordinator_b1": ("a1", "a1_other", "a2", "fenna"),
    "admin_b": ("a1", "a1_other", "a2", "fenna"),
}
OWNER = {"a1": "coordinator_a1", "a1_other": "coordinator_a1", "a2": "coordinator_a2"}
OWNER |= {"b1": "coordinator_b1", "fenna": "coordinator_a1"}
NAMES = {"a1": "Kind a1", "a1_other": "Kind a1_other", "a2": "Kind a2", "b1": "Kind b1"}
NAMES["fenna"] = "Fenna"


def _pages(pupil: str, ids: dict[str, str]) -> list[str]:
    case, plan, intervention = ids["case"], ids["plan"], ids["intervention"]
    plan_page = f"/trajecten/{case}/opp/{plan}"
    return [
        f"/leerlingen/{ids['pupil']}",
        f"/leerlingen/{ids['pupil']}/traject-openen",
        f"/trajecten/{case}",
        f"/trajecten/{case}/interventies/nieuw",
        f"/trajecten/{case}/interventies/{intervention}/evalueren",
        f"/trajecten/{case}/opp/nieuw",
        plan_page,
        *(
            f"{plan_page}/{step}"
            for step in ("oogo", "leerling-gehoord", "instemming-vragen", "instemming", "evalueren")
        ),
    ]


@pytest.fixture
def targets(world) -> dict[str, dict[str, str]]:
    """Every pupil with a case, a running intervention and a plan (drafted, consulted, heard)."""
    teacher = str(world.users["teacher_a1"])
    world.pupils["fenna"] = f.register_pupil(
        world, "Fenna", family_name="Jansen", staff=[{"user_id": teacher, "role": "teacher"}]
    )
    out = {}
    for pupil, owner in OWNER.items():
        case = f.open_case(world, pupil, who=owner)
        intervention = f.start_intervention(world, case["id"], who=owner)
        plan = f.ready_plan(world, case["id"], who=owner)
        out[pupil] = {
            "pupil": str(world.pupils[pupil]),
            "case": case["id"],
            "plan": plan["id"],
            "intervention": intervention["id"],
        }
    return out


def _signed_in(web_app, web_settings, who: str) -> Browser:
    browser = Browser(web_app.test_client(), web_settings)
    browser.login(who)
    return browser


def _leak(response: Any, name: str) -> bool:
    body = response.get_data(as_text=True)
    return response.status_code != 404 or name in body or "Test" in body.split("<main", 1)[-1]


def test_no_role_sees_another_schools_or_partnerships_pupils_on_the_web(
    world, web_app, web_settings, targets, capsys
):
    attempts, leaks = 0, []
    for who, forbidden in FORBIDDEN.items():
        browser = _signed_in(web_app, web_settings, who)
        for pupil in forbidden:
            for page in _pages(pupil, targets[pupil]):
                attempts += 1
                response = browser.get(page)
                if _leak(response, NAMES[pupil]):
                    leaks.append((who, page, response.status_code))
        # The lists, searched by a part of the names that is not the name itself (a search box
        # shows what was typed).
        listing = "".join(
            browser.get(path).get_data(as_text=True)
            for path in ("/", "/leerlingen", "/leerlingen?q=Kind", "/leerlingen?q=Jansen")
        )
        for pupil in forbidden:
            attempts += 1
            if NAMES[pupil] in listing:
                leaks.append((who, "/leerlingen", NAMES[pupil]))
    with capsys.disabled():
        print(f"\nweb matrix: {attempts} attempts, {len(leaks)} leaks")
        for leak in leaks:
            print("LEAK", leak)
    assert attempts > 250
    assert leaks == []


def test_the_same_pages_show_the_pupil_to_their_own_staff(world, web_app, web_settings, targets):
    """The matrix's attempts are meaningful: the owner's coordinator gets every page with the
    name, and the teacher sees the pupil assigned to them, and only that one, in their list."""
    for pupil, owner in OWNER.items():
        browser = _signed_in(web_app, web_settings, owner)
        for page in _pages(pupil, targets[pupil]):
            response = browser.get(page, follow_redirects=True)  # a step not due: its plan
            assert response.status_code == 200, (owner, page, response.status_code)
            assert NAMES[pupil] in response.get_data(as_text=True), (owner, page)
    teacher = _signed_in(web_app, web_settings, "teacher_a1")
    listing = teacher.get("/leerlingen").get_data(as_text=True)
    assert "Fenna" in listing
    assert "Kind a1" not in listing
    page = teacher.get(f"/leerlingen/{targets['fenna']['pupil']}")
    assert page.status_code == 200 and "Fenna" in page.get_data(as_text=True)


def _admin_pages(world) -> list[str]:
    """The administrator's pages about partnership A's schools and accounts."""
    school, account = world.school_a1, world.users["coordinator_a1"]
    return [
        "/beheer",
        "/beheer/scholen",
        f"/beheer/scholen/{school}",
        "/beheer/accounts",
        f"/beheer/accounts/{account}",
        "/beheer/instellingen",
        "/beheer/sop",
        f"/beheer/sop/{school}",
        "/beheer/import",
    ]


def test_the_administrators_pages_leak_nothing_to_other_roles_or_partnerships(
    world, web_app, web_settings, capsys
):
    """Issue 12's administrator pages: every other role of partnership A gets the refusal page,
    partnership B's administrator gets their own lists (never A's schools or accounts) and a 404
    for A's school, account and SOP; partnership A's administrator sees them (so it means
    something)."""
    secrets = ("School A1", "coordinator_a1@test.nl", "SWV A")
    attempts, leaks = 0, []
    for who in ("coordinator_a1", "teacher_a1", "director_a1", "consultant_a", "admin_b"):
        browser = _signed_in(web_app, web_settings, who)
        for page in _admin_pages(world):
            attempts += 1
            response = browser.get(page)
            main = response.get_data(as_text=True).split("<main", 1)[-1]
            own_list = who == "admin_b" and page.count("/") <= 2  # a list, not one of A's things
            expected = (200,) if own_list else (403, 404)
            if response.status_code not in expected or any(s in main for s in secrets):
                leaks.append((who, page, response.status_code))
    with capsys.disabled():
        print(f"\nweb admin matrix: {attempts} attempts, {len(leaks)} leaks")
    assert leaks == []
    owner = _signed_in(web_app, web_settings, "admin_a")
    shown = "".join(owner.get(p).get_data(as_text=True) for p in _admin_pages(world))
    assert all(s in shown for s in secrets)
