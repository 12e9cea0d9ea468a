"""The reports API over its real read model: who sees which report (403 for roles without reports,
404 for a school outside the caller's scope), a period ending before it starts (422), a period
without activity (a report of zeros), and the CSV downloads.

Partnership P has schools A and B (known from their events); school X is another partnership's.
Tokens are signed as the cases service signs them; the reports service only verifies them.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from services.reports.service_layer.projector import project
from shared.auth import Principal, Role, issue_token
from tests.conftest import JWT_SECRET, NOW
from tests.integration.reports.test_figures import school_a_interventions, school_b
from tests.support.api_flows import assert_error
from tests.unit.reports.builders import OTHER_PARTNERSHIP, PARTNERSHIP, Story

A = UUID("00000000-0000-4000-8000-0000000000a1")  # the builders' school of test_figures
B = UUID("00000000-0000-4000-8000-0000000000b2")
X = UUID("00000000-0000-4000-8000-0000000000f9")
PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}


def token(role: Role, partnership=PARTNERSHIP, schools=()) -> dict[str, str]:
    principal = Principal(uuid4(), role, partnership, frozenset(schools))
    return {
        "Authorization": f"Bearer {issue_token(principal, JWT_SECRET, NOW, timedelta(hours=1))}"
    }


ADMIN = token(Role.ADMIN)
CONSULTANT = token(Role.CONSULTANT)
COORDINATOR_A = token(Role.COORDINATOR, schools=[A])
DIRECTOR_A = token(Role.DIRECTOR, schools=[A])
TEACHER_A = token(Role.TEACHER, schools=[A])
GUARDIAN = token(Role.GUARDIAN)
OTHER_ADMIN = token(Role.ADMIN, partnership=OTHER_PARTNERSHIP)


@pytest.fixture
def client(reports, reports_client):
    x = Story(X, OTHER_PARTNERSHIP)
    x.intervention("gifted", "2026-01-12", "2026-03-09")
    for story in [*school_a_interventions(), *school_b(), x]:
        for e in story.events:
            project(e, reports.store, NOW)
    return reports_client


def get(client, path: str, headers: dict[str, str], **params: str):
    return client.get(path, query_string={**PERIOD, **params}, headers=headers)


@pytest.mark.parametrize("who", [COORDINATOR_A, DIRECTOR_A, ADMIN, CONSULTANT])
def test_the_schools_leadership_and_the_partnership_read_the_school_report(client, who):
    response = get(client, f"/api/v1/reports/schools/{A}", who)
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["school_id"], body["partnership_id"], body["kind"]) == (
        str(A),
        str(PARTNERSHIP),
        "school",
    )
    assert body["period"] == PERIOD and body["as_of"] == "2026-10-15"
    assert body["suppressed"] is False
    assert body["figures"]["interventions"]["started"] == 5  # exact: see test_figures
    assert body["figures"]["interventions"]["median_days"] == 59.5
    assert body["partnership_average"]["schools"] == 2
    assert body["partnership_average"]["figures"]["interventions"]["started"] == 5.5  # 11 / 2
    assert body["labels"]["figures"]["interventions.started"] == "Basisinterventies gestart"


def test_the_labels_follow_the_language(client):
    body = get(client, f"/api/v1/reports/schools/{A}", COORDINATOR_A, lang="en").json
    assert body["language"] == "en"
    assert body["labels"]["codes"]["partly_effective"] == "Partly effective"


@pytest.mark.parametrize("who", [TEACHER_A, GUARDIAN])
def test_teachers_and_guardians_get_no_reports(client, who):
    assert_error(get(client, f"/api/v1/reports/schools/{A}", who), 403, "forbidden")
    assert_error(get(client, "/api/v1/reports/partnership", who), 403, "forbidden")


@pytest.mark.parametrize("who", [COORDINATOR_A, DIRECTOR_A])
def test_school_staff_do_not_get_the_partnership_view(client, who):
    assert_error(get(client, "/api/v1/reports/partnership", who), 403, "forbidden")
    assert_error(get(client, "/api/v1/reports/partnership/export.csv", who), 403, "forbidden")


@pytest.mark.parametrize(
    "who, school",
    [
        (COORDINATOR_A, B),  # another school of the same partnership
        (OTHER_ADMIN, A),  # a school of another partnership
        (ADMIN, X),
        (ADMIN, uuid4()),  # no such school
    ],
)
def test_a_school_outside_the_callers_scope_is_not_found(client, who, school):
    assert_error(get(client, f"/api/v1/reports/schools/{school}", who), 404, "not_found")
    assert_error(get(client, f"/api/v1/reports/schools/{school}/export.csv", who), 404)


def test_no_token_no_report(client):
    assert_error(client.get(f"/api/v1/reports/schools/{A}", query_string=PERIOD), 401)


def test_a_period_ending_before_it_starts_is_a_422(client):
    response = client.get(
        f"/api/v1/reports/schools/{A}",
        query_string={"start": "2026-06-30", "end": "2026-01-01"},
        headers=COORDINATOR_A,
    )
    assert_error(response, 422, "validation_error", field="end")
    response = client.get(
        "/api/v1/reports/partnership/export.csv",
        query_string={"start": "2026-06-30", "end": "2026-06-29"},
        headers=ADMIN,
    )
    assert_error(response, 422, "validation_error", field="end")


def test_missing_or_malformed_arguments_are_a_422_naming_each(client):
    response = client.get(
        f"/api/v1/reports/schools/{A}",
        query_string={"end": "30-06-2026", "lang": "de"},
        headers=COORDINATOR_A,
    )
    body = assert_error(response, 422, "validation_error")
    assert set(body["errors"]) == {"start", "end", "lang"}


def test_a_period_without_activity_is_a_valid_empty_report(client):
    params = {"start": "2030-01-01", "end": "2030-01-01"}
    body = client.get(f"/api/v1/reports/schools/{A}", query_string=params, headers=DIRECTOR_A).json
    assert body["figures"]["interventions"]["started"] == 0
    assert body["figures"]["interventions"]["median_days"] is None
    assert body["figures"]["plan_evaluations"] == {"due": 0, "on_time": 0, "overdue": 0, "open": 0}
    body = client.get("/api/v1/reports/partnership", query_string=params, headers=ADMIN).json
    assert [s["figures"]["interventions"]["started"] for s in body["schools"]] == [0, 0]
    assert body["total"]["figures"]["referrals"] == {"requested": 0, "by_destination": {}}


def test_a_school_not_seen_yet_gives_its_own_staff_an_empty_report(client):
    new_school = uuid4()
    who = token(Role.COORDINATOR, schools=[new_school])
    response = get(client, f"/api/v1/reports/schools/{new_school}", who)
    assert response.status_code == 200
    assert response.json["figures"]["interventions"]["started"] == 0


def test_the_partnership_view_is_suppressed_and_holds_only_its_schools(client):
    body = get(client, "/api/v1/reports/partnership", CONSULTANT).json
    assert body["suppressed"] is True
    schools = {s["school_id"]: s["figures"]["interventions"] for s in body["schools"]}
    assert set(schools) == {str(A), str(B)}
    # A's 5 started read "x": with B's 6 it would give A's reading "<5" back (test_figures).
    assert (schools[str(A)]["started"], schools[str(A)]["evaluated"]) == ("x", "<5")
    assert schools[str(B)]["evaluated"] == "x"  # 10 - B's 6 would be A's "<5" (4)
    assert body["total"]["figures"]["interventions"]["started"] == 11
    assert body["labels"]["markers"]["x"] == "onderdrukt om terugrekenen te voorkomen"
    other = get(client, "/api/v1/reports/partnership", OTHER_ADMIN).json
    assert [s["school_id"] for s in other["schools"]] == [str(X)]


def read_csv(response, delimiter: str) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # so Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_the_school_report_as_dutch_csv(client):
    rows = read_csv(get(client, f"/api/v1/reports/schools/{A}/export.csv", COORDINATOR_A), ";")
    header, school, average = rows
    assert header[:3] == ["School", "Begin periode", "Einde periode"]
    figures = dict(zip(header, school, strict=True))
    assert figures["School"] == str(A)
    assert figures["Basisinterventies gestart"] == "5"
    assert figures["Aandeel op tijd geëvalueerd"] == "75,0%"  # as in the PDF (issue 17, item 8)
    assert figures["Mediane duur (dagen)"] == "59,5"
    assert figures["Leesproblemen en dyslexie: geëvalueerd"] == "3"
    assert figures["OPP-evaluaties te laat"] == "0"  # no plans at school A in this fixture
    averages = dict(zip(header, average, strict=True))
    assert averages["School"] == "Gemiddelde per school in het samenwerkingsverband"
    assert averages["Basisinterventies gestart"] == "5,5"
    assert averages["Effect: Deels effectief"] == "<5"


def test_the_partnership_report_as_english_csv(client):
    response = get(client, "/api/v1/reports/partnership/export.csv", ADMIN, lang="en")
    header, *rows = read_csv(response, ",")
    by_scope = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert list(by_scope) == [str(A), str(B), "Partnership total"]
    # B's 6 started are hidden as "x" (the total's reading 8 - 6 would give A's "<5" back).
    assert by_scope[str(B)]["Basic interventions started"] == "x"
    assert by_scope[str(A)]["Basic interventions evaluated"] == "<5"
    assert by_scope["Partnership total"]["Basic interventions started"] == "11"
    assert by_scope["Partnership total"]["Median duration (days)"] == "38.5"
    assert by_scope[str(B)]["Referrals to: Special education (so)"] == "<5"
    assert by_scope[str(A)]["Referrals to: Special education (so)"] == "0"


def test_the_reports_are_in_the_openapi_document_and_health_answers(client):
    spec = client.get("/api/v1/openapi.json").json
    assert {
        "/api/v1/reports/schools/{school_id}",
        "/api/v1/reports/schools/{school_id}/export.csv",
        "/api/v1/reports/partnership",
        "/api/v1/reports/partnership/export.csv",
    } <= set(spec["paths"])
    assert client.get("/health/ready").json["status"] == "ok"
