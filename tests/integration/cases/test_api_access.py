"""Who sees and changes what, over HTTP: partnership, school and (for parents) their own child.

Out of scope answers 404 (never telling whether the thing exists); in sight but read-only answers
403; list endpoints simply leave other people's rows out. Refused writes write nothing.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest

from services.cases.adapters import orm
from shared.auth import Principal, Role, issue_token
from tests.conftest import JWT_SECRET, NOW
from tests.support import api_flows as f
from tests.support.api_flows import NothingWritten, assert_error
from tests.support.documents import PDF, upload

SOON = "2030-01-01"  # a `before` for the due list that includes everything


@dataclass
class Story:
    """Cases of every kind in both partnerships, made over HTTP by the schools' coordinators."""

    cases: dict[str, str] = field(default_factory=dict)
    plans: dict[str, str] = field(default_factory=dict)
    evaluations: dict[str, str] = field(default_factory=dict)
    interventions: dict[str, str] = field(default_factory=dict)
    referrals: dict[str, str] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)  # one per case, not shared
    applications: dict[str, str] = field(default_factory=dict)  # TLV applications, submitted


@pytest.fixture
def story(world) -> Story:
    s = Story()
    # a1: an active plan with an extra intervention.
    case, plan = f.case_with_active_plan(world, "a1")
    item = f.start_intervention(
        world,
        case["id"],
        domain="reading_dyslexia_combined",
        starts_on="2026-10-05",
        evaluate_by="2027-01-15",
    )
    s.cases["a1"], s.plans["a1"], s.interventions["a1"] = case["id"], plan["id"], item["id"]
    s.evaluations["a1"] = plan["evaluations"][0]["id"]
    # a1_other: referred (closed plan, a referral).
    case, referral = f.referred_case(world, "a1_other")
    s.cases["a1_other"], s.plans["a1_other"] = case["id"], case["plans"][0]["id"]
    s.referrals["a1_other"] = referral["id"]
    # a2: a basic intervention at the other school of partnership A.
    case = f.open_case(world, "a2", "coordinator_a2")
    item = f.start_intervention(world, case["id"], "coordinator_a2")
    s.cases["a2"], s.interventions["a2"] = case["id"], item["id"]
    # b1: partnership B, an active plan with an extra intervention.
    case, plan = f.case_with_active_plan(world, "b1", "coordinator_b1")
    item = f.start_intervention(
        world,
        case["id"],
        "coordinator_b1",
        domain="reading_dyslexia_combined",
        starts_on="2026-10-05",
        evaluate_by="2027-01-15",
    )
    s.cases["b1"], s.plans["b1"], s.interventions["b1"] = case["id"], plan["id"], item["id"]
    s.evaluations["b1"] = plan["evaluations"][0]["id"]
    for key, coordinator in (
        ("a1", "coordinator_a1"),
        ("a1_other", "coordinator_a1"),
        ("a2", "coordinator_a2"),
        ("b1", "coordinator_b1"),
    ):
        path = f"/api/v1/cases/{s.cases[key]}/documents"
        doc = f.call_ok(world, coordinator, "POST", path, 201, data=upload(PDF, f"{key}.pdf"))
        s.documents[key] = doc["id"]
    # a1_other: the referral's TLV application (issue 14) with its unshared document, submitted.
    application = f"/api/v1/referrals/{s.referrals['a1_other']}/application"
    body = {"document_ids": [s.documents["a1_other"]], "motivation": "Vertrouwelijke reden."}
    s.applications["a1_other"] = f.call_ok(
        world, "coordinator_a1", "POST", application, 201, json=body
    )["id"]
    f.call_ok(world, "director_a1", "POST", f"{application}/sign-off", 200, json={})
    f.call_ok(world, "coordinator_a1", "POST", f"{application}/submit", 200, json={})
    return s


def application_paths(s: Story, key: str) -> tuple[list[str], list[tuple[str, str, Any]]]:
    """The TLV application of one pupil's referral: its reads, and the school's writes (the
    director's sign-off and the consultant's advices and decision are in `application_steps`)."""
    if key not in s.applications:
        return [], []
    base = f"/api/v1/referrals/{s.referrals[key]}/application"
    writes = [
        ("POST", base, {}),
        ("PATCH", base, {"motivation": "Anders."}),
        ("POST", f"{base}/parents-view", {"text": "Onze kijk."}),
        ("POST", f"{base}/parents-agreement", {"decision": "agreed"}),
        ("POST", f"{base}/submit", {}),
    ]
    return [base], writes


def application_steps(s: Story, key: str) -> list[tuple[str, str, Any]]:
    """The director's and the partnership's own steps on one pupil's application."""
    if key not in s.applications:
        return []
    base = f"/api/v1/referrals/{s.referrals[key]}/application"
    advice = {"adviser_role": "psycholoog", "adviser_name": "X", "conclusion": "Toelaatbaar."}
    decision = {
        "decision": "granted",
        "school_type": "sbo",
        "valid_from": "2026-11-01",
        "valid_until": "2028-07-31",
    }
    return [
        ("POST", f"{base}/sign-off", {}),
        ("POST", f"{base}/advices", advice),
        ("POST", f"{base}/decision", decision),
        ("GET", f"{base}/decision-letter.pdf", None),
    ]


def document_paths(s: Story, key: str) -> tuple[list[str], list[tuple[str, str, Any]]]:
    """The document endpoints of one pupil's case: its reads, and its writes (with a body)."""
    doc = f"/api/v1/documents/{s.documents[key]}"
    reads = [f"/api/v1/cases/{s.cases[key]}/documents", doc, f"{doc}/content"]
    writes = [("DELETE", doc, None), ("PUT", f"{doc}/sharing", {"shared": True})]
    return reads, writes


def reads(world, s: Story, key: str) -> list[str]:
    """Every GET of one pupil's records."""
    paths = [
        f"/api/v1/pupils/{world.pupils[key]}",
        f"/api/v1/cases/{s.cases[key]}",
        f"/api/v1/cases/{s.cases[key]}/timeline",
    ]
    if key in s.plans:
        paths.append(f"/api/v1/development-plans/{s.plans[key]}")
        paths.append(f"/api/v1/development-plans/{s.plans[key]}/document.pdf")  # the OPP as PDF
    if key in s.evaluations:
        plan = f"/api/v1/development-plans/{s.plans[key]}"
        paths.append(f"{plan}/evaluations/{s.evaluations[key]}")
    return paths + application_paths(s, key)[0]


def writes(world, s: Story, key: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Every write on one pupil's records, each valid in shape."""
    case = s.cases[key]
    out: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/api/v1/cases", {"pupil_id": str(world.pupils[key]), "opened_on": "2026-10-01"}),
        ("POST", f"/api/v1/cases/{case}/interventions", f.intervention_body()),
        ("POST", f"/api/v1/cases/{case}/close", {"closed_on": "2026-10-14", "reason": "other"}),
        ("POST", f"/api/v1/cases/{case}/development-plans", f.plan_body()),
    ]
    if key in s.interventions:
        out.append(
            (
                "POST",
                f"/api/v1/interventions/{s.interventions[key]}/evaluation",
                {"outcome": "effective", "evaluated_on": "2026-10-14"},
            )
        )
    if key in s.plans:
        plan = f"/api/v1/development-plans/{s.plans[key]}"
        out += [
            ("POST", f"{plan}/consultation", {"held_on": "2026-10-01", "participants": ["x"]}),
            ("POST", f"{plan}/pupil-view", {"heard_on": "2026-10-01"}),
            ("POST", f"{plan}/action-plan", {"action_plan": "Anders."}),
            ("POST", f"{plan}/consent-request", {"requested_on": "2026-10-01"}),
            ("POST", f"{plan}/consent", f.consent_body(world, pupil=key)),
            ("POST", f"{plan}/evaluations", {"due_on": "2026-11-20"}),
            ("POST", f"{plan}/evaluation", {"held_on": "2026-10-14", "decision": "back_to_basic"}),
        ]
    if key in s.evaluations:
        plan = f"/api/v1/development-plans/{s.plans[key]}"
        out.append(("PATCH", f"{plan}/evaluations/{s.evaluations[key]}", {"due_on": "2026-11-20"}))
    if key in s.referrals:
        out.append(
            (
                "POST",
                f"/api/v1/referrals/{s.referrals[key]}/admission-statement",
                {"valid_from": "2026-11-01", "valid_until": "2027-07-31"},
            )
        )
    return out + application_paths(s, key)[1]


def listed_cases(world, who: str, query: str = "") -> set[str]:
    response = world.call(who, "GET", f"/api/v1/cases?page_size=500{query}")
    assert response.status_code == 200, response.json
    return {c["id"] for c in response.json["items"]}


def due_cases(world, who: str) -> set[str]:
    response = world.call(who, "GET", f"/api/v1/evaluations/due?before={SOON}&page_size=500")
    assert response.status_code == 200, response.json
    return {item["case_id"] for item in response.json["items"]}


def listed_pupils(world, who: str) -> set[str]:
    response = world.call(who, "GET", "/api/v1/pupils?page_size=500")
    assert response.status_code == 200, response.json
    return {p["id"] for p in response.json["items"]}


def service_token(world) -> str:
    principal = Principal(user_id=uuid.uuid4(), role=Role.SERVICE, partnership_id=None)
    world.tokens["service"] = issue_token(principal, JWT_SECRET, NOW)
    return world.tokens["service"]


# -- schools -----------------------------------------------------------------------------------


def test_coordinator_of_another_school_neither_reads_nor_writes(world, container, story):
    who = "coordinator_a2"
    with NothingWritten(container):
        for key in ("a1", "a1_other"):
            for path in reads(world, story, key):
                assert_error(world.call(who, "GET", path), 404, "not_found")
            for method, path, body in writes(world, story, key):
                assert_error(world.call(who, method, path, json=body), 404, "not_found")
    assert listed_cases(world, who) == {story.cases["a2"]}
    assert listed_cases(world, who, f"&school_id={world.school_a1}") == set()
    assert due_cases(world, who) == {story.cases["a2"]}
    assert listed_pupils(world, who) == {str(world.pupils["a2"])}


def assign_teacher(world, story: Story, who: str = "teacher_a1") -> str:
    """A pupil of school a1 with a case, whose teacher is `who`: their one assigned pupil."""
    body = {
        "school_id": str(world.school_a1),
        "given_name": "Kind",
        "family_name": "Toegewezen",
        "date_of_birth": "2017-03-01",
        "group": "groep 4",
        "enrolled_on": "2021-08-23",
        "guardians": [{"name": "Ouder T", "email": "ouder.t@test.nl", "phone": "0612345678"}],
        "staff": [{"user_id": str(world.users[who]), "role": "teacher"}],
    }
    pupil = f.call_ok(world, "coordinator_a1", "POST", "/api/v1/pupils", 201, json=body)
    world.pupils["a1_taught"] = pupil["id"]
    story.cases["a1_taught"] = f.open_case(world, "a1_taught")["id"]
    return "a1_taught"


def test_director_reads_their_school_but_never_writes(world, container, story):
    who = "director_a1"
    for key in ("a1", "a1_other"):
        for path in reads(world, story, key):
            assert world.call(who, "GET", path).status_code == 200, path
    assert listed_cases(world, who) == {story.cases["a1"], story.cases["a1_other"]}
    assert due_cases(world, who) == {story.cases["a1"]}
    _never_writes(world, container, story, who)


def test_a_teacher_reads_only_the_pupils_they_are_assigned_to(world, container, story):
    """docs/SECURITY.md: a teacher sees "only the pupils they are assigned to" — not the other
    pupils of their school, nor their guardians' e-mail addresses and phone numbers."""
    who = "teacher_a1"
    taught = assign_teacher(world, story)
    for path in reads(world, story, taught):
        assert world.call(who, "GET", path).status_code == 200, path
    assert listed_cases(world, who) == {story.cases[taught]}
    assert listed_pupils(world, who) == {world.pupils[taught]}
    assert listed_cases(world, who, f"&pupil_id={world.pupils['a1']}") == set()
    assert due_cases(world, who) == set()
    for key in ("a1", "a1_other"):  # the same school, not assigned: out of sight
        for path in reads(world, story, key):
            assert_error(world.call(who, "GET", path), 404, "not_found")
    with NothingWritten(container):
        for key in ("a1", "a1_other", "a2"):
            for method, path, body in writes(world, story, key):
                assert_error(world.call(who, method, path, json=body), 404, "not_found")
        for method, path, body in writes(world, story, taught):
            assert_error(world.call(who, method, path, json=body), 403, "forbidden")


def test_a_teacher_assigned_later_sees_the_pupil_at_once_with_the_same_token(
    world, container, story
):
    """The assignment is read on every request, not frozen into the token at log-in."""
    who = "teacher_a1"
    pupil = world.pupils["a1"]
    assert_error(world.call(who, "GET", f"/api/v1/pupils/{pupil}"), 404, "not_found")
    with container.engine.begin() as conn:
        conn.execute(
            orm.pupil_staff.insert().values(
                pupil_id=pupil, user_id=world.users[who], role="teacher"
            )
        )
    assert world.call(who, "GET", f"/api/v1/pupils/{pupil}").status_code == 200
    assert listed_cases(world, who) == {story.cases["a1"]}


def _never_writes(world, container, story: Story, who: str) -> None:
    with NothingWritten(container):
        for key in ("a1", "a1_other"):
            for method, path, body in writes(world, story, key):
                assert_error(world.call(who, method, path, json=body), 403, "forbidden")
        for method, path, body in writes(world, story, "a2"):  # the other school: out of sight
            assert_error(world.call(who, method, path, json=body), 404, "not_found")


# -- partnership staff -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["consultant_a", "admin_a"])
def test_partnership_staff_read_all_of_their_partnership_and_none_of_another(
    world, container, story, who
):
    own = {story.cases[k] for k in ("a1", "a1_other", "a2")}
    assert listed_cases(world, who) == own
    assert due_cases(world, who) == {story.cases["a1"], story.cases["a2"]}
    assert listed_pupils(world, who) == {str(world.pupils[k]) for k in ("a1", "a1_other", "a2")}
    for key in ("a1", "a1_other", "a2"):
        for path in reads(world, story, key):
            assert world.call(who, "GET", path).status_code == 200, path
    with NothingWritten(container):
        for path in reads(world, story, "b1"):
            assert_error(world.call(who, "GET", path), 404, "not_found")
        for key, status in (("a1", 403), ("a2", 403), ("b1", 404)):
            for method, path, body in writes(world, story, key):
                assert_error(world.call(who, method, path, json=body), status)


@pytest.mark.parametrize("who", ["consultant_a", "admin_a"])
def test_an_unshared_document_is_invisible_to_the_partnership(world, container, story, who):
    """Issue 14: the partnership sees a document only once the parents shared it."""
    for key in ("a1", "a1_other", "a2"):
        listing, *details = document_paths(story, key)[0]
        assert f.call_ok(world, who, "GET", listing, 200)["items"] == []
        for path in details:
            assert_error(world.call(who, "GET", path), 404, "not_found")
    share = f"/api/v1/documents/{story.documents['a1']}/sharing"
    f.call_ok(world, "guardian_a1", "PUT", share, 200, json={"shared": True})
    listing = f"/api/v1/cases/{story.cases['a1']}/documents"
    shown = f.call_ok(world, who, "GET", listing, 200)["items"]
    assert [d["id"] for d in shown] == [story.documents["a1"]]
    # Inside the TLV application too: the school chose a1_other's document, nobody shared it.
    application = f"/api/v1/referrals/{story.referrals['a1_other']}/application"
    seen = f.call_ok(world, who, "GET", application, 200)
    assert seen["documents"] == [] and story.documents["a1_other"] not in json.dumps(seen)
    school = f.call_ok(world, "director_a1", "GET", application, 200)
    assert [d["id"] for d in school["documents"]] == [story.documents["a1_other"]]
    with NothingWritten(container):  # seen, never changed
        for method, path, body in document_paths(story, "a1")[1]:
            assert_error(world.call(who, method, path, json=body), 403, "forbidden")


# -- parents -----------------------------------------------------------------------------------


def test_guardian_sees_only_their_own_childs_case(world, container, story):
    who = "guardian_a1"
    assert listed_cases(world, who) == {story.cases["a1"]}
    assert due_cases(world, who) == {story.cases["a1"]}
    for path in reads(world, story, "a1"):
        assert world.call(who, "GET", path).status_code == 200, path
    with NothingWritten(container):
        for key in ("a1_other", "a2", "b1"):
            for path in reads(world, story, key):
                assert_error(world.call(who, "GET", path), 404, "not_found")
            for method, path, body in writes(world, story, key):
                assert_error(world.call(who, method, path, json=body), 404, "not_found")
        for method, path, body in writes(world, story, "a1"):  # their own child: read-only
            assert_error(world.call(who, method, path, json=body), 403, "forbidden")
        assert_error(world.call(who, "GET", "/api/v1/events"), 403, "forbidden")


# -- partnerships never see each other ---------------------------------------------------------


def _foreign_ids(world, story: Story, side: str) -> set[str]:
    """Every id of one partnership's side ('a' or 'b') that the other side must never see."""
    keys = ("a1", "a1_other", "a2") if side == "a" else ("b1",)
    ids = {str(world.partnership_a if side == "a" else world.partnership_b)}
    ids |= {
        str(s) for s in ((world.school_a1, world.school_a2) if side == "a" else (world.school_b1,))
    }
    ids |= {str(world.pupils[k]) for k in keys} | {str(world.guardians[k]) for k in keys}
    ids |= {str(u) for k, u in world.users.items() if f"_{side}" in k}
    for table in (
        story.cases,
        story.plans,
        story.evaluations,
        story.interventions,
        story.referrals,
        story.documents,
        story.applications,
    ):
        ids |= {v for k, v in table.items() if k in keys}
    return ids


def _attempts(world, story: Story, side: str) -> list[tuple[str, str, str, Any]]:
    """(method, path, kind, body) aimed at one side's data: 'detail' and 'write' expect 404."""
    keys = ("a1", "a1_other", "a2") if side == "a" else ("b1",)
    schools = (world.school_a1, world.school_a2) if side == "a" else (world.school_b1,)
    partnership = world.partnership_a if side == "a" else world.partnership_b
    out: list[tuple[str, str, str, Any]] = []
    for key in keys:
        out += [("GET", path, "detail", None) for path in reads(world, story, key)]
        out += [(m, p, "write", b) for m, p, b in writes(world, story, key)]
        out.append(("GET", f"/api/v1/cases?pupil_id={world.pupils[key]}", "list", None))
        if key in story.plans:  # service accounts only: any other caller is refused
            consent = f"/api/v1/internal/plans/{story.plans[key]}/consent"
            out.append(("GET", consent, "list", None))
            # The guardian's own writes (issue 13): a 404 for anyone but the child's guardian.
            plan = f"/api/v1/development-plans/{story.plans[key]}"
            agree = {"decision": "agreed", "content_hash": "0" * 64}
            out.append(("POST", f"{plan}/online-consent", "write", agree))
            out.append(("POST", f"{plan}/parents-view", "write", {"text": "Onze kijk."}))
        doc_reads, doc_writes = document_paths(story, key)
        out += [("GET", path, "detail", None) for path in doc_reads]
        out += [(m, p, "write", b) for m, p, b in doc_writes]
        out += [(m, p, "detail" if m == "GET" else "write", b) for m, p, b in
                application_steps(story, key)]  # fmt: skip
    for school in schools:
        out += [
            ("GET", f"/api/v1/schools/{school}/support-profiles", "detail", None),
            ("GET", f"/api/v1/cases?school_id={school}", "list", None),
            ("GET", f"/api/v1/pupils?school_id={school}", "list", None),
            ("GET", f"/api/v1/evaluations/due?before={SOON}&school_id={school}", "list", None),
            ("GET", f"/api/v1/caseload?school_id={school}", "list", None),
            ("GET", f"/api/v1/applications?school_id={school}", "list", None),
            ("GET", f"/api/v1/internal/audience?school_id={school}", "list", None),
        ]
    out += [
        ("GET", f"/api/v1/partnerships/{partnership}", "detail", None),
        ("GET", f"/api/v1/partnerships/{partnership}/domains", "detail", None),
        ("GET", "/api/v1/caseload?page_size=500", "list", None),
        ("GET", "/api/v1/applications?page_size=500", "list", None),
        ("GET", f"/api/v1/partnerships/{partnership}/code-lists", "detail", None),
        (
            "PATCH",
            f"/api/v1/partnerships/{partnership}/settings",
            "write",
            {"plan_deadline_weeks": 2},
        ),
        ("GET", "/api/v1/cases?page_size=500", "list", None),
        ("GET", "/api/v1/pupils?page_size=500", "list", None),
        ("GET", f"/api/v1/evaluations/due?before={SOON}&page_size=500", "list", None),
        ("GET", "/api/v1/schools", "list", None),
        ("GET", "/api/v1/users", "list", None),
        ("GET", "/api/v1/events?limit=5000", "list", None),
        ("GET", f"/api/v1/internal/audience?case_id={story.cases[keys[0]]}", "list", None),
    ]
    return out


def test_nothing_of_one_partnership_is_visible_to_the_other(world, container, story, capsys):
    callers = {
        "b": ["coordinator_b1", "admin_b"],
        "a": [
            "coordinator_a1",
            "teacher_a1",
            "director_a1",
            "consultant_a",
            "admin_a",
            "guardian_a1",
        ],
    }
    attempts, leaks = 0, []
    with NothingWritten(container):
        for own, other in (("b", "a"), ("a", "b")):
            foreign = _foreign_ids(world, story, other)
            for who in callers[own]:
                for method, path, kind, body in _attempts(world, story, other):
                    attempts += 1
                    response = world.call(who, method, path, json=body)
                    text = response.get_data(as_text=True)
                    seen = sorted(i for i in foreign if i in text)
                    wrong_status = (
                        response.status_code >= 500
                        or (kind in ("detail", "write") and response.status_code != 404)
                        or (kind == "list" and response.status_code not in (200, 403))
                    )
                    if seen or wrong_status or not response.is_json:
                        leaks.append((who, method, path, response.status_code, seen))
    with capsys.disabled():
        print(f"\ncross-tenant matrix: {attempts} attempts, {len(leaks)} leaks")
    assert attempts > 300
    assert leaks == []


def test_a_teacher_reaches_nothing_of_the_unassigned_pupils_of_their_own_school(
    world, container, story, capsys
):
    """The leak matrix within one school: its teacher (assigned to one pupil) aims every read
    and list of the cases API at the school's other pupils; none of their ids or guardians'
    addresses may show."""
    who = "teacher_a1"
    assign_teacher(world, story)
    keys = ("a1", "a1_other")
    hidden = {str(world.pupils[k]) for k in keys} | {str(world.guardians[k]) for k in keys}
    hidden |= {"guardian_a1@test.nl", "other.parent@test.nl"}
    for table in (story.cases, story.plans, story.evaluations, story.interventions):
        hidden |= {v for k, v in table.items() if k in keys}
    hidden |= {v for k, v in story.documents.items() if k in keys}
    hidden |= {v for k, v in story.applications.items() if k in keys}
    attempts, leaks = 0, []
    with NothingWritten(container):
        for method, path, kind, body in _attempts(world, story, "a"):
            if kind == "detail" and "/schools/" in path or "/partnerships/" in path:
                continue  # school-level data: a teacher's own school is theirs to read
            attempts += 1
            response = world.call(who, method, path, json=body)
            seen = sorted(i for i in hidden if i in response.get_data(as_text=True))
            wrong = response.status_code >= 500 or (
                kind in ("detail", "write") and response.status_code not in (403, 404)
            )
            if seen or wrong:
                leaks.append((method, path, response.status_code, seen[:3]))
    with capsys.disabled():
        print(f"\nteacher, unassigned pupils: {attempts} attempts, {len(leaks)} leaks")
    assert attempts > 40
    assert leaks == []


# -- the event log -----------------------------------------------------------------------------


def _log(world, who: str) -> list[dict[str, Any]]:
    response = world.call(who, "GET", "/api/v1/events?limit=5000")
    assert response.status_code == 200, response.json
    return [item["envelope"] for item in response.json["items"]]


def test_event_log_is_for_administrators_of_their_own_partnership_and_services(
    world, container, story
):
    log_a, log_b = _log(world, "admin_a"), _log(world, "admin_b")
    assert log_a and {e["partnership_id"] for e in log_a} == {str(world.partnership_a)}
    assert log_b and {e["partnership_id"] for e in log_b} == {str(world.partnership_b)}
    assert story.cases["b1"] not in json.dumps(log_a) and story.cases["a1"] not in json.dumps(log_b)
    service_token(world)
    everything = _log(world, "service")
    assert len(everything) == len(log_a) + len(log_b) == f.row_counts(container)["outbox"]
    assert {e["id"] for e in everything} == {e["id"] for e in log_a} | {e["id"] for e in log_b}
    for who in (
        "coordinator_a1",
        "teacher_a1",
        "director_a1",
        "consultant_a",
        "coordinator_b1",
        "guardian_a1",
    ):
        assert_error(world.call(who, "GET", "/api/v1/events"), 403, "forbidden")
