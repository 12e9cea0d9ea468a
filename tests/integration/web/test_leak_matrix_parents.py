"""Issue 13: the leak matrix covers the parents' pages and the guardians' API endpoints.

Three families, each with a plan waiting for consent and the parents' own view written: a1 and
a1_other at the same school of partnership A, b1 in partnership B. Every parent page and every
guardian endpoint of one family is tried by the guardian of another family of the same school and
by the guardian of the other partnership (signed in the way parents sign in: by an e-mailed
link), and by staff where they have no business (the parents' pages; the guardian's own writes).
Each answers 404 (or, for staff on the parents' pages, the parents' sign-in page) and shows no
name, plan text or parents' view of the child. The same pages for their own guardian show the
child (so the attempts mean something). Prints "parents matrix: N attempts, 0 leaks"."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import text

from services.notifications.service_layer.handlers import DeliveryRules, sign_in_link
from services.web.pages.parents.sign_in import link_requests
from tests.integration.web.conftest import Browser
from tests.support import api_flows as f

FAMILIES = {"a1": "guardian_a1@test.nl", "a1_other": "other.parent@test.nl"}
FAMILIES["b1"] = "parent.b1@test.nl"
OWNER = {"a1": "coordinator_a1", "a1_other": "coordinator_a1", "b1": "coordinator_b1"}
STAFF = ("coordinator_a1", "teacher_a1", "director_a1", "consultant_a", "admin_a")
STAFF += ("coordinator_b1", "admin_b")


def _secret_words(pupil: str) -> set[str]:
    return {f"Kind {pupil} ", f"Plan-{pupil}-geheim", f"Ouderdeel-{pupil}-geheim"}


@pytest.fixture
def families(world, browser, web_app, web_settings, container, clock) -> dict[str, Any]:
    """Per family: a plan asking consent, the parents' view written, a signed-in browser and
    the guardian's bearer token (read from its web session's calls: the browser is the way)."""
    out: dict[str, Any] = {}
    for pupil, coordinator in OWNER.items():
        case = f.open_case(world, pupil, who=coordinator)
        plan = f.ready_plan(world, case["id"], who=coordinator)
        body = {"action_plan": f"Plan-{pupil}-geheim: dagelijks lezen."}
        f.plan_action(world, plan["id"], "action-plan", body, who=coordinator)
        plan = f.request_consent(world, plan["id"], who=coordinator)
        guardian = Browser(web_app.test_client(), web_settings)
        _sign_in(guardian, web_app, container, web_settings, clock, FAMILIES[pupil])
        written = guardian.post(
            f"/ouders/plannen/{plan['id']}/ouderdeel",
            {"text": f"Ouderdeel-{pupil}-geheim: thuis gaat het goed."},
        )
        assert written.status_code == 302, written.get_data(as_text=True)[:500]
        out[pupil] = {"plan": plan, "browser": guardian, "pupil": str(world.pupils[pupil])}
    return out


def _link_ids(container) -> list[str]:
    with container.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT envelope FROM outbox WHERE type = 'guardian.sign_in_requested'")
        ).scalars()
        return [json.loads(r)["data"]["link_id"] for r in rows]


def _sign_in(browser, web_app, container, web_settings, clock, email: str) -> None:
    browser.post("/ouders/inloggen", {"email": email})
    link_requests(web_app).wait()
    rules = DeliveryRules("", "", "", link_secret=web_settings.jwt_secret, web_url="")
    context = {
        "link_id": _link_ids(container)[-1],
        "link_expires_at": (clock.now() + timedelta(minutes=20)).isoformat(),
    }
    link = sign_in_link(rules, context, clock.now())
    assert link is not None
    answer = browser.post(link, {}, form_page=link)
    assert answer.headers["Location"] == "/ouders/", (email, answer.status_code)


def _pages(target: dict[str, Any]) -> list[tuple[str, str, dict[str, str] | None]]:
    plan = target["plan"]
    consent = f"/ouders/plannen/{plan['id']}/instemming"
    own_view = f"/ouders/plannen/{plan['id']}/ouderdeel"
    agree = {"decision": "agreed", "content_hash": plan["action_plan_hash"]}
    return [
        ("GET", f"/ouders/kinderen/{target['pupil']}", None),
        ("GET", consent, None),
        ("POST", consent, agree),
        ("GET", own_view, None),
        ("POST", own_view, {"text": "Overschreven door een ander."}),
    ]


def _open(browser: Browser, method: str, path: str, body: dict[str, str] | None) -> Any:
    if method == "GET":
        return browser.get(path)
    return browser.post(path, body or {}, form_page="/ouders/")


def _shows(response: Any, pupil: str) -> list[str]:
    body = response.get_data(as_text=True)
    return sorted(w for w in _secret_words(pupil) if w in body)


def test_no_guardian_or_staff_reaches_another_familys_parent_pages(
    world, web_app, web_settings, families, capsys
):
    attempts, leaks = 0, []
    for who, own in families.items():
        for pupil, target in families.items():
            if pupil == who:
                continue
            for method, path, body in _pages(target):
                attempts += 1
                response = _open(own["browser"], method, path, body)
                if response.status_code != 404 or _shows(response, pupil):
                    leaks.append((who, method, path, response.status_code))
            listing = own["browser"].get("/ouders/")
            attempts += 1
            if _shows(listing, pupil):
                leaks.append((who, "GET", "/ouders/", pupil))
    for staff in STAFF:
        browser = Browser(web_app.test_client(), web_settings)
        browser.login(staff)
        for target in families.values():
            for method, path, _body in _pages(target):
                if method != "GET":
                    continue  # the pages' forms need the parents' CSRF page: not reachable
                attempts += 1
                response = browser.get(path)
                location = response.headers.get("Location", "")
                if response.status_code != 302 or not location.endswith("/ouders/inloggen"):
                    leaks.append((staff, method, path, response.status_code))
    _report(capsys, "parents matrix", attempts, leaks)
    assert attempts > 60
    assert leaks == []


def test_guardian_and_staff_tokens_reach_no_other_familys_api(world, families, capsys):
    """The API behind the pages, with bearer tokens: guardian_a1's own account (family a1), and
    every staff token on the guardian-only writes."""
    attempts, leaks = 0, []
    for pupil in ("a1_other", "b1"):
        plan = families[pupil]["plan"]
        base = f"/api/v1/development-plans/{plan['id']}"
        tries = [
            ("GET", base, None),
            ("GET", f"/api/v1/pupils/{families[pupil]['pupil']}", None),
            ("GET", f"/api/v1/cases/{plan['case_id']}", None),
            ("POST", f"{base}/online-consent", {"decision": "agreed", "content_hash": "0" * 64}),
            ("POST", f"{base}/parents-view", {"text": "Van een ander."}),
        ]
        for method, path, body in tries:
            attempts += 1
            response = world.call("guardian_a1", method, path, json=body)
            shown = _shows(response, pupil) or plan["id"] in response.get_data(as_text=True)
            if response.status_code != 404 or shown:
                leaks.append(("guardian_a1", method, path, response.status_code))
    for staff in STAFF:
        for target in families.values():
            base = f"/api/v1/development-plans/{target['plan']['id']}"
            for path, body in (
                (f"{base}/online-consent", {"decision": "agreed", "content_hash": "0" * 64}),
                (f"{base}/parents-view", {"text": "Door de school geschreven."}),
            ):
                attempts += 1
                response = world.call(staff, "POST", path, json=body)
                if response.status_code not in (403, 404):
                    leaks.append((staff, "POST", path, response.status_code))
        attempts += 1
        out = world.call(staff, "POST", "/api/v1/auth/guardian-sign-out")
        if out.status_code != 403:
            leaks.append((staff, "POST", "guardian-sign-out", out.status_code))
    _report(capsys, "parents API matrix", attempts, leaks)
    assert attempts > 40
    assert leaks == []
    for pupil, target in families.items():  # nothing was overwritten by anyone else
        plan = f.call_ok(
            world, OWNER[pupil], "GET", f"/api/v1/development-plans/{target['plan']['id']}", 200
        )
        assert plan["parents_view"]["text"].startswith(f"Ouderdeel-{pupil}-geheim")
        assert plan["consents"] == []


def test_their_own_guardian_sees_every_page(families):
    for pupil, target in families.items():
        for method, path, _body in _pages(target):
            if method == "GET":
                response = target["browser"].get(path)
                assert response.status_code == 200, (pupil, path, response.status_code)
        child = target["browser"].get(f"/ouders/kinderen/{target['pupil']}")
        assert _shows(child, pupil) == sorted(_secret_words(pupil)), pupil


def _report(capsys, name: str, attempts: int, leaks: list[Any]) -> None:
    with capsys.disabled():
        print(f"\n{name}: {attempts} attempts, {len(leaks)} leaks")
        for leak in leaks:
            print("LEAK", leak)
