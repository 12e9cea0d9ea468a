"""The XLSX downloads of the reports API over the hand-computed history of test_figures: the
workbook opens with openpyxl and holds, cell by cell, the figures of the JSON report (which in turn
are the hand-computed ones), "<5" cells where the partnership's report suppresses and "x" where it
hides a count so that no "<5" can be worked out by subtraction; the same
arguments and authorization as the CSV (422 for a period ending before it starts, 403 for a
teacher, 404 outside the caller's scope).

The service's clock stands at 15 May 2026, the day test_figures compiles its reports on, so an
evaluation due later in the period is still to come in these downloads too.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from openpyxl import load_workbook

from services.reports.domain import labels
from services.reports.domain.table import flatten
from shared.auth import Principal, Role, issue_token
from shared.clock import FixedClock
from tests.conftest import JWT_SECRET
from tests.integration.reports.test_figures import (
    AVERAGE,
    SCHOOL_A_EXACT,
    SCHOOL_A_IN_PARTNERSHIP,
    SCHOOL_B_SUPPRESSED,
    TOTAL,
    A,
    B,
    C,
    X,
    project_history,
    zeros,
)
from tests.support.api_flows import assert_error
from tests.unit.reports.builders import PARTNERSHIP

AT = datetime(2026, 5, 15, 8, 0, tzinfo=UTC)  # test_figures' AS_OF, in the morning
PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCHOOL_XLSX = f"/api/v1/reports/schools/{A}/export.xlsx"
PARTNERSHIP_XLSX = "/api/v1/reports/partnership/export.xlsx"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(AT)


def token(role: Role, schools=()) -> dict[str, str]:
    principal = Principal(uuid4(), role, PARTNERSHIP, frozenset(schools))
    return {"Authorization": f"Bearer {issue_token(principal, JWT_SECRET, AT, timedelta(hours=1))}"}


ADMIN = token(Role.ADMIN)
COORDINATOR_A = token(Role.COORDINATOR, schools=[A])
TEACHER_A = token(Role.TEACHER, schools=[A])


@pytest.fixture
def client(reports, reports_client):
    project_history(reports)
    return reports_client


def get(client, path: str, headers: dict[str, str], **params: str):
    return client.get(path, query_string={**PERIOD, **params}, headers=headers)


def read_xlsx(response, filename: str) -> tuple[str, list[str], list[list[Any]], Any]:
    """The title, header and rows of the workbook's report sheet, and the sheet itself."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    book = load_workbook(io.BytesIO(response.get_data()))
    # The report, then what its figures mean (test_explanations.py).
    assert book.sheetnames in (["Rapport", "Toelichting"], ["Rapport", "Explanation"])
    sheet = book["Rapport"]
    (title, *rest), header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert all(v is None for v in rest)
    assert all(cell.font.bold for cell in sheet[2])  # the header
    assert sheet.freeze_panes == "B3"  # the title and header rows, and the scope column
    return title, header, rows, sheet


def expected(sections: dict[str, Any], header: list[str], lang: str) -> dict[str, Any]:
    """A scope's figures by column label, as the workbook should hold them: a figure the scope
    lacks (a domain without interventions there) is 0, a figure left out an empty cell."""
    by_label = {
        labels.figure(path, lang): "–" if value is None else value
        for path, value in flatten(sections)
    }
    assert set(by_label) <= set(header[3:])
    return {label: by_label.get(label, 0) for label in header[3:]}


def assert_cells(row: list[Any], header: list[str], sections: dict[str, Any], lang: str) -> None:
    cells = dict(zip(header[3:], row[3:], strict=True))
    assert cells == expected(sections, header, lang)
    for label, value in cells.items():  # numbers as numbers, suppressed counts as text
        assert value in ("<5", "x", "–") or isinstance(value, int | float), (
            label,
            value,
        )
    assert row[1:3] == [datetime(2026, 1, 1), datetime(2026, 6, 30)]


def test_the_school_report_as_a_dutch_workbook(client):
    title, header, rows, sheet = read_xlsx(
        get(client, SCHOOL_XLSX, COORDINATOR_A), f"rapportage-{A}-2026-01-01-2026-06-30.xlsx"
    )
    assert title == f"Opbrengstrapportage school {A}, 1 januari 2026 t/m 30 juni 2026"
    csv_text = get_csv(client, f"/api/v1/reports/schools/{A}/export.csv")
    csv_header = next(csv.reader(io.StringIO(csv_text), delimiter=";"))
    assert header == csv_header  # the same labels as the CSV
    school, average = rows
    assert (school[0], average[0]) == (str(A), "Gemiddelde per school in het samenwerkingsverband")

    # The JSON report is the hand-computed one; the workbook holds the same, cell by cell.
    body = get(client, f"/api/v1/reports/schools/{A}", COORDINATOR_A).json
    assert body["figures"] == SCHOOL_A_EXACT
    assert body["partnership_average"]["figures"] == AVERAGE
    assert_cells(school, header, body["figures"], "nl")
    assert_cells(average, header, body["partnership_average"]["figures"], "nl")

    figures = dict(zip(header, school, strict=True))
    assert figures["Basisinterventies gestart"] == 5
    assert figures["Mediane duur (dagen)"] == 59.5
    assert figures["Aandeel op tijd geëvalueerd"] == 0.75
    share = header.index("Aandeel op tijd geëvalueerd") + 1
    assert sheet.cell(3, share).number_format == "0.0%"  # shown as 75.0%
    assert sheet.cell(3, header.index("Basisinterventies gestart") + 1).data_type == "n"
    assert dict(zip(header, average, strict=True))["Effect: Deels effectief"] == "<5"
    assert dict(zip(header, average, strict=True))["Effect: Effectief"] == "x"  # 10 - x - <5 - <5
    assert all(sheet.column_dimensions[c].width >= 10 for c in "ABCD")


def test_the_partnership_report_as_an_english_workbook_with_small_numbers_suppressed(client):
    title, header, rows, sheet = read_xlsx(
        get(client, PARTNERSHIP_XLSX, ADMIN, lang="en"),
        "rapportage-samenwerkingsverband-2026-01-01-2026-06-30.xlsx",
    )
    assert title == (f"Outcome report of partnership {PARTNERSHIP}, 1 January 2026 to 30 June 2026")
    assert header[:3] == ["School", "Period start", "Period end"]
    by_scope = {row[0]: row for row in rows}
    assert list(by_scope) == [str(s) for s in sorted([A, B, C])] + ["Partnership total"]
    assert str(X) not in by_scope  # another partnership's school

    body = get(client, "/api/v1/reports/partnership", ADMIN, lang="en").json
    figures = {s["school_id"]: s["figures"] for s in body["schools"]}
    assert figures == {
        str(A): SCHOOL_A_IN_PARTNERSHIP,
        str(B): SCHOOL_B_SUPPRESSED,
        str(C): zeros(),
    }
    assert body["total"]["figures"] == TOTAL
    for school_id, sections in figures.items():
        assert_cells(by_scope[school_id], header, sections, "en")
    assert_cells(by_scope["Partnership total"], header, body["total"]["figures"], "en")

    a = dict(zip(header, by_scope[str(A)], strict=True))
    assert a["Basic interventions started"] == "x"  # 11 - A's 5 would give B's hidden 6 back
    assert a["Basic interventions evaluated"] == "<5"
    assert a["Median duration (days)"] == "–"  # over fewer than 5 rows: left out
    assert a["Referrals to: Special primary education (sbo)"] == "<5"
    b = dict(zip(header, by_scope[str(B)], strict=True))
    # B's evaluated is hidden (10 - 6 would give A's "<5"), and its share with it.
    assert (b["Basic interventions evaluated"], b["Evaluated on time"]) == (
        "x",
        6,
    )
    assert (b["Share evaluated on time"], b["Median duration (days)"]) == ("–", 31.5)
    assert b["Referrals to: Special primary education (sbo)"] == 0
    total = dict(zip(header, by_scope["Partnership total"], strict=True))
    assert (total["Basic interventions started"], total["Median duration (days)"]) == (11, 38.5)
    assert total["Share evaluated on time"] == "–"  # 1 of 10 evaluated late
    for marker in ("<5", "x", "–"):  # text, aligned right with the numbers
        cells = [c for row in sheet.iter_rows(min_row=3) for c in row if c.value == marker]
        assert cells and all(c.data_type == "s" for c in cells), marker
        assert all(c.alignment.horizontal == "right" for c in cells), marker


def test_a_period_ending_before_it_starts_is_a_422(client):
    params = {"start": "2026-06-30", "end": "2026-01-01"}
    for path, who in [(SCHOOL_XLSX, COORDINATOR_A), (PARTNERSHIP_XLSX, ADMIN)]:
        response = client.get(path, query_string=params, headers=who)
        assert_error(response, 422, "validation_error", field="end")


def test_a_teacher_gets_no_workbook(client):
    assert_error(get(client, SCHOOL_XLSX, TEACHER_A), 403, "forbidden")
    assert_error(get(client, PARTNERSHIP_XLSX, TEACHER_A), 403, "forbidden")


def test_the_schools_staff_get_neither_the_partnership_workbook_nor_another_schools(client):
    assert_error(get(client, PARTNERSHIP_XLSX, COORDINATOR_A), 403, "forbidden")
    assert_error(get(client, f"/api/v1/reports/schools/{B}/export.xlsx", COORDINATOR_A), 404)


def test_a_period_without_activity_is_a_workbook_of_zeros(client):
    params = {"start": "2026-07-20", "end": "2026-07-31"}
    response = client.get(SCHOOL_XLSX, query_string=params, headers=COORDINATOR_A)
    _, header, (school, _average), _ = read_xlsx(
        response, f"rapportage-{A}-2026-07-20-2026-07-31.xlsx"
    )
    figures = dict(zip(header, school, strict=True))
    assert figures["Basisinterventies gestart"] == 0
    assert figures["OPP's actief op de einddatum"] == 1  # plan P1 stays active
    assert figures["Mediane duur (dagen)"] == "–"


def test_the_workbooks_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert (
        XLSX
        in paths["/api/v1/reports/schools/{school_id}/export.xlsx"]["get"]["responses"]["200"][
            "content"
        ]
    )
    assert "/api/v1/reports/partnership/export.xlsx" in paths


def get_csv(client, path: str) -> str:
    response = get(client, path, COORDINATOR_A)
    assert response.status_code == 200
    return response.get_data(as_text=True)[1:]  # without the BOM
