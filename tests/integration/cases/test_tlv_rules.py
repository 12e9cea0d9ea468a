"""The TLV application's rules and roles over HTTP (issue 14), on SQLite and PostgreSQL: bad
input and wrong states answer the JSON errors of DESIGN.md §5 and write nothing; a stale If-Match
is a 412; each role does only its own part; the parents' agreement online or from paper (and
the partnership's `consent_from: all`); the partnership's `tlv_decision_weeks`; the lists; the
audit trail; retention blanks the application's texts."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from services.cases.service_layer import retention
from shared.auth import Principal, Role, issue_token
from tests.conftest import JWT_SECRET, NOW
from tests.integration.cases.test_parents_part import two_parents
from tests.support import api_flows as f
from tests.support import documents as files
from tests.support.api_flows import NothingWritten, assert_error
from tests.support.tlv_flows import (
    CONSULTANT,
    COORD,
    DIRECTOR,
    GRANT,
    PARENT,
    advise,
    app_path,
    make_referral,
    start,
    submitted,
)
from tests.support.world import _token


@pytest.fixture
def referral(world) -> dict[str, Any]:
    return make_referral(world)


def test_bad_input_and_wrong_states_write_nothing(world, container, referral):
    other, _ = f.referred_case(world, "a1_other")
    path = f"/api/v1/cases/{other['id']}/documents"
    foreign = f.call_ok(world, COORD, "POST", path, 201, data=files.upload(files.PDF, "x.pdf"))
    with NothingWritten(container):
        for body, field in (
            ({"document_ids": [foreign["id"]]}, "document_ids"),  # another case's
            ({"document_ids": [str(uuid.uuid4())]}, "document_ids"),
            ({"document_ids": "alles"}, "document_ids"),
            ({"motivation": "x" * 9000}, "motivation"),
        ):
            assert_error(world.call(COORD, "POST", app_path(referral), json=body), 422, None, field)
        unknown = f"/api/v1/referrals/{uuid.uuid4()}/application"
        assert_error(world.call(COORD, "POST", unknown, json={}), 404, "not_found")
    start(world, referral)
    with NothingWritten(container):
        assert_error(
            world.call(COORD, "POST", app_path(referral), json={}), 409, "application_exists"
        )
        submit = app_path(referral, "/submit")
        assert_error(
            world.call(COORD, "POST", submit, json={}), 409, "application_incomplete", "sign_off"
        )
        assert_error(advise(world, referral, "psycholoog"), 404, "not_found")  # a draft: school's
        view = app_path(referral, "/parents-view")
        assert_error(world.call(PARENT, "POST", view, json={"text": "  "}), 422, None, "text")
        agree = app_path(referral, "/parents-agreement")
        assert_error(
            world.call(PARENT, "POST", agree, json={"decision": "ja"}), 422, None, "decision"
        )
        signed_ahead = {"signed_on": "2026-10-16"}
        sign = app_path(referral, "/sign-off")
        assert_error(world.call(DIRECTOR, "POST", sign, json=signed_ahead), 422, None, "signed_on")
    f.call_ok(world, DIRECTOR, "POST", sign, 200, json={})
    f.call_ok(world, COORD, "POST", submit, 200, json={})
    decision = app_path(referral, "/decision")
    with NothingWritten(container):
        assert_error(
            world.call(CONSULTANT, "POST", decision, json=GRANT), 409, "application_submitted"
        )
        body = {"adviser_role": "huisarts", "adviser_name": "X", "conclusion": "Y"}
        advices = app_path(referral, "/advices")
        assert_error(world.call(CONSULTANT, "POST", advices, json=body), 422, None, "adviser_role")
        assert_error(
            world.call(COORD, "PATCH", app_path(referral), json={}), 409, "application_submitted"
        )
    advise(world, referral, "deskundige")
    with NothingWritten(container):
        assert_error(advise(world, referral, "deskundige"), 422, "rule_violation", "adviser_role")
    advise(world, referral, "orthopedagoog")
    with NothingWritten(container):
        for body, fields in (
            ({**GRANT, "school_type": "sbo"}, {"category"}),
            ({**GRANT, "category": None}, {"category"}),
            ({**GRANT, "valid_until": "2027-07-31"}, {"valid_until"}),
            ({**GRANT, "valid_until": "2028-06-30"}, {"valid_until"}),
            ({"decision": "refused", "valid_from": "2026-11-01"}, {"valid_from"}),
            ({"decision": "granted"}, {"school_type", "valid_from", "valid_until"}),
        ):
            answer = world.call(CONSULTANT, "POST", decision, json=body)
            assert set(assert_error(answer, 422)["errors"]) == fields, body


def test_a_stale_version_is_refused_and_writes_nothing(world, container, referral):
    created = world.call(COORD, "POST", app_path(referral), json={"motivation": "Eerste"})
    etag = created.headers["ETag"]
    assert etag == f'"application-v{created.json["version"]}"'
    changed = world.call(COORD, "PATCH", app_path(referral), json={"motivation": "Tweede"},
                         headers={"If-Match": etag})  # fmt: skip
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    with NothingWritten(container):
        for header in (etag, '"case-v1"', "onzin"):
            stale = world.call(COORD, "PATCH", app_path(referral), json={"motivation": "Derde"},
                               headers={"If-Match": header})  # fmt: skip
            assert_error(stale, 412, "edited_elsewhere")
        sign = world.call(DIRECTOR, "POST", app_path(referral, "/sign-off"), json={},
                          headers={"If-Match": etag})  # fmt: skip
        assert_error(sign, 412, "edited_elsewhere")
    shown = world.call(COORD, "GET", app_path(referral))
    assert shown.json["motivation"] == "Tweede" and shown.headers["ETag"] == changed.headers["ETag"]


def test_each_role_does_only_its_own_part(world, container):
    teacher = str(world.users["teacher_a1"])
    f.register_pupil(world, "Fenna", staff=[{"user_id": teacher, "role": "teacher"}])
    _, ref = f.referred_case(world, "Fenna")
    referral = {"id": ref["id"]}
    assert (
        world.call("teacher_a1", "GET", f"/api/v1/pupils/{world.pupils['Fenna']}").status_code
        == 200
    )
    with NothingWritten(container):
        for who in (DIRECTOR, CONSULTANT, "admin_a"):
            assert_error(world.call(who, "POST", app_path(referral), json={}), 403)
        assert_error(world.call("teacher_a1", "POST", app_path(referral), json={}), 404)
    f.call_ok(world, COORD, "POST", app_path(referral), 201, json={})
    with NothingWritten(container):
        assert_error(world.call("teacher_a1", "GET", app_path(referral)), 404, "not_found")
        for who in (COORD,):
            answer = world.call(who, "POST", app_path(referral, "/sign-off"), json={})
            assert_error(answer, 403, "forbidden")
        for who in (DIRECTOR,):
            for action in ("/submit",):
                assert_error(world.call(who, "POST", app_path(referral, action), json={}), 403)
            assert_error(world.call(who, "PATCH", app_path(referral), json={}), 403)
        body = {"text": "Onze kijk"}
        assert_error(
            world.call(DIRECTOR, "POST", app_path(referral, "/parents-view"), json=body), 403
        )
    f.call_ok(world, DIRECTOR, "POST", app_path(referral, "/sign-off"), 200, json={})
    f.call_ok(world, COORD, "POST", app_path(referral, "/submit"), 200, json={})
    assert f.call_ok(world, "admin_a", "GET", app_path(referral), 200)["status"] == "submitted"
    with NothingWritten(container):
        for who in (COORD, DIRECTOR, "admin_a"):
            body = {"adviser_role": "psycholoog", "adviser_name": "X", "conclusion": "Y"}
            advices = app_path(referral, "/advices")
            assert_error(world.call(who, "POST", advices, json=body), 403, "forbidden")
            assert_error(world.call(who, "POST", app_path(referral, "/decision"), json=GRANT), 403)


def test_the_parents_agreement_from_paper_and_under_consent_from_all(world, container):
    pupil = two_parents(world)
    case, ref = f.referred_case(world, pupil)
    settings = f"/api/v1/partnerships/{world.partnership_a}/settings"
    f.call_ok(world, "admin_a", "PATCH", settings, 200, json={"consent_from": "all"})
    referral = {"id": ref["id"]}
    f.call_ok(world, COORD, "POST", app_path(referral), 201, json={})
    guardians = f.call_ok(world, COORD, "GET", f"/api/v1/pupils/{world.pupils[pupil]}", 200)
    by = {g["name"]: g["id"] for g in guardians["guardians"]}
    mother, father, step = by["Moeder Twee"], by["Vader Twee"], by["Stiefouder Twee"]
    agree = app_path(referral, "/parents-agreement")
    with NothingWritten(container):
        body = {"decision": "agreed", "guardian_ids": [str(world.guardians["a1"])]}
        assert_error(world.call(COORD, "POST", agree, json=body), 422, None, "guardian_ids")
        assert_error(world.call(COORD, "POST", agree, json={"decision": "agreed"}), 422)
    body = {"decision": "agreed", "guardian_ids": [mother], "recorded_on": "2026-10-12"}
    first = f.call_ok(world, COORD, "POST", agree, 200, json=body)
    assert first["parents_agreement"]["status"] == "awaited"
    assert first["parents_agreement"]["awaited_guardian_ids"] == [father]
    (paper,) = first["parents_agreement"]["answers"]
    assert (paper["channel"], paper["recorded_on"], paper["guardian_ids"]) == (
        "paper", "2026-10-12", [mother],
    )  # fmt: skip
    assert step not in first["parents_agreement"]["awaited_guardian_ids"]
    both = f.call_ok(world, COORD, "POST", agree, 200, json={**body, "guardian_ids": [father]})
    assert both["parents_agreement"]["status"] == "agreed"
    f.call_ok(world, DIRECTOR, "POST", app_path(referral, "/sign-off"), 200, json={})
    sent = f.call_ok(world, COORD, "POST", app_path(referral, "/submit"), 200, json={})
    assert sent["parents_agreed"] is True


def test_a_guardian_declines_online_and_the_partnership_sets_the_decision_weeks(
    world, container, referral
):
    settings = f"/api/v1/partnerships/{world.partnership_a}/settings"
    with NothingWritten(container):
        for bad in (0, 53, "zes"):
            answer = world.call("admin_a", "PATCH", settings, json={"tlv_decision_weeks": bad})
            assert_error(answer, 422, None, "tlv_decision_weeks")
    shown = f.call_ok(world, "admin_a", "GET", f"/api/v1/partnerships/{world.partnership_a}", 200)
    assert shown["settings"]["tlv_decision_weeks"] == 6
    f.call_ok(world, "admin_a", "PATCH", settings, 200, json={"tlv_decision_weeks": 8})
    start(world, referral)
    agree = app_path(referral, "/parents-agreement")
    online = f.call_ok(world, PARENT, "POST", agree, 200, json={"decision": "declined"})
    (answer,) = online["parents_agreement"]["answers"]
    assert (answer["channel"], answer["guardian_ids"]) == ("online", [str(world.guardians["a1"])])
    assert answer["recorded_at"] is not None and online["parents_agreement"]["status"] == "declined"
    f.call_ok(world, DIRECTOR, "POST", app_path(referral, "/sign-off"), 200, json={})
    sent = f.call_ok(world, COORD, "POST", app_path(referral, "/submit"), 200, json={})
    assert (sent["parents_agreed"], sent["decide_by"]) == (False, "2026-12-10")


def listed(world, who: str, query: str = "") -> list[str]:
    answer = world.call(who, "GET", f"/api/v1/applications?page_size=50{query}")
    assert answer.status_code == 200, answer.json
    return [item["referral_id"] for item in answer.json["items"]]


def test_the_lists_show_each_their_own(world, container, referral):
    start(world, referral)
    _, other = f.referred_case(world, "a1_other")
    submitted(world, {"id": other["id"]})
    _, foreign = f.referred_case(world, "b1", "coordinator_b1")
    f.call_ok(world, "coordinator_b1", "POST", f"/api/v1/referrals/{foreign['id']}/application",
              201, json={})  # fmt: skip
    assert sorted(listed(world, COORD)) == sorted([referral["id"], other["id"]])
    assert listed(world, COORD, "&status=draft") == [referral["id"]]
    assert sorted(listed(world, DIRECTOR)) == sorted([referral["id"], other["id"]])
    assert listed(world, CONSULTANT) == [other["id"]]  # never a school's draft
    assert listed(world, CONSULTANT, "&status=draft") == []
    assert listed(world, CONSULTANT, f"&school_id={world.school_a2}") == []
    assert listed(world, "coordinator_a2") == []
    assert listed(world, COORD, f"&school_id={world.school_a2}") == []
    assert listed(world, "coordinator_b1") == [foreign["id"]]
    page = world.call(CONSULTANT, "GET", "/api/v1/applications").json
    assert page["total"] == 1 and page["items"][0]["decide_by"] == "2026-11-26"
    for who in ("teacher_a1", PARENT):
        assert_error(world.call(who, "GET", "/api/v1/applications"), 403, "forbidden")
    assert_error(world.call(COORD, "GET", "/api/v1/applications?status=klaar"), 422)


def _audit(container) -> list[tuple[str, str, str]]:
    with container.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT action, method, endpoint FROM audit_log ORDER BY seq"))
        return [tuple(r) for r in rows if "application" in r[2]]


def test_every_read_and_write_is_audited(world, container, referral):
    submitted(world, referral)
    world.call(CONSULTANT, "GET", app_path(referral))
    world.call(CONSULTANT, "GET", "/api/v1/applications")
    base = "/api/v1/referrals/<uuid:referral_id>/application"
    assert _audit(container) == [
        ("write", "POST", base),
        ("write", "POST", f"{base}/sign-off"),
        ("write", "POST", f"{base}/submit"),
        ("read", "GET", base),
        ("read", "GET", "/api/v1/applications"),
    ]


def test_retention_blanks_the_applications_texts_with_the_case(world, container, clock, referral):
    submitted(world, referral)
    f.call_ok(world, PARENT, "GET", app_path(referral), 200)
    advise(world, referral, "psycholoog")
    advise(world, referral, "deskundige")
    f.call_ok(world, CONSULTANT, "POST", app_path(referral, "/decision"), 200, json=GRANT)
    case_id = referral["case"]["id"]
    f.call_ok(world, COORD, "POST", f"/api/v1/cases/{case_id}/close", 200,
              json={"closed_on": "2026-10-15", "reason": "referred_placed"})  # fmt: skip
    f.call_ok(world, COORD, "POST", f"/api/v1/pupils/{world.pupils['a1']}/leave", 200,
              json={"left_on": "2026-10-15"})  # fmt: skip
    clock.advance(timedelta(days=365 * 3 + 1))
    world.tokens[COORD] = _token(world.client, f"{COORD}@test.nl")
    assert retention.anonymise_due(container.uow(), container.document_storage) == 1
    with container.engine.connect() as conn:
        app = conn.execute(sa.text("SELECT motivation, parents_view, decision, category "
                                   "FROM tlv_applications")).one()  # fmt: skip
        advices = conn.execute(sa.text("SELECT adviser_name, conclusion, adviser_role "
                                       "FROM tlv_advices ORDER BY position")).all()  # fmt: skip
    assert tuple(app) == (None, None, "granted", "high")
    assert [tuple(a) for a in advices] == [("", "", "psycholoog"), ("", "", "deskundige")]


def test_a_closed_case_takes_no_new_application(world, container, referral):
    close = f"/api/v1/cases/{referral['case']['id']}/close"
    f.call_ok(world, COORD, "POST", close, 200,
              json={"closed_on": "2026-10-15", "reason": "referred_placed"})  # fmt: skip
    with NothingWritten(container):
        assert_error(world.call(COORD, "POST", app_path(referral), json={}), 409, "case_closed")


def test_a_parent_reads_gives_their_view_and_answers_but_does_nothing_else(
    world, container, referral
):
    with NothingWritten(container):
        assert_error(world.call(PARENT, "POST", app_path(referral), json={}), 403, "forbidden")
    start(world, referral)
    advice = {"adviser_role": "psycholoog", "adviser_name": "X", "conclusion": "Y"}
    with NothingWritten(container):
        for method, suffix, body in (
            ("PATCH", "", {"motivation": "Anders"}),
            ("POST", "/sign-off", {}),
            ("POST", "/submit", {}),
            ("POST", "/advices", advice),
            ("POST", "/decision", GRANT),
        ):
            answer = world.call(PARENT, method, app_path(referral, suffix), json=body)
            assert_error(answer, 403, "forbidden")
    for who in ("guardian_a1",):
        assert f.call_ok(world, who, "GET", app_path(referral), 200)["status"] == "draft"


def test_a_service_reads_where_an_application_stands(world, container, referral):
    principal = Principal(user_id=uuid.uuid4(), role=Role.SERVICE, partnership_id=None)
    world.tokens["service"] = issue_token(principal, JWT_SECRET, NOW)
    state = f"/api/v1/internal/applications/{referral['id']}"
    assert_error(world.call("service", "GET", state), 404, "not_found")
    submitted(world, referral)
    assert f.call_ok(world, "service", "GET", state, 200) == {
        "referral_id": referral["id"],
        "case_id": referral["case"]["id"],
        "status": "submitted",
        "submitted_on": "2026-10-15",
        "parents_agreed": False,
        "decide_by": "2026-11-26",
        "decision": None,
        "decided_on": None,
    }
    for who in (COORD, CONSULTANT, PARENT):
        assert_error(world.call(who, "GET", state), 403, "forbidden")
    assert_error(world.call("service", "GET", app_path(referral)), 403, "forbidden")


def test_with_an_application_the_school_no_longer_types_in_the_admission_statement(
    world, container, referral
):
    direct = f"/api/v1/referrals/{referral['id']}/admission-statement"
    body = {"valid_from": "2026-11-01", "valid_until": "2027-07-31"}
    start(world, referral)
    with NothingWritten(container):
        assert_error(world.call(COORD, "POST", direct, json=body), 409, "application_exists")
    _, other = f.referred_case(world, "a1_other")  # no application: as before
    f.call_ok(world, COORD, "POST", f"/api/v1/referrals/{other['id']}/admission-statement", 200,
              json=body)  # fmt: skip
