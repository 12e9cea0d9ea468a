"""The reports explain each figure in the report itself (issue 11, item 16): the PDF ends with
"Toelichting bij de cijfers" (each figure's label and what it counts), the workbook has a second
sheet "Toelichting", and the CSV downloads have a companion, `GET
/api/v1/reports/definitions.csv`; all in Dutch, or English with `lang=en`.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from uuid import uuid4

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook

from services.reports.domain import labels
from shared.auth import Principal, Role, issue_token
from tests.conftest import JWT_SECRET, NOW
from tests.integration.reports.test_figures import A, project_history
from tests.unit.reports.builders import PARTNERSHIP

PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}


def headers(role: Role, schools=()) -> dict[str, str]:
    principal = Principal(uuid4(), role, PARTNERSHIP, frozenset(schools))
    return {
        "Authorization": f"Bearer {issue_token(principal, JWT_SECRET, NOW, timedelta(hours=1))}"
    }


ADMIN = headers(Role.ADMIN)
COORDINATOR_A = headers(Role.COORDINATOR, [A])


@pytest.fixture
def client(reports, reports_client):
    project_history(reports)
    return reports_client


def download(client, path: str, who=COORDINATOR_A, **params: str) -> bytes:
    response = client.get(path, query_string={**PERIOD, **params}, headers=who)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data()


def pdf_text(data: bytes) -> str:
    doc = pdfium.PdfDocument(data)
    try:
        raw = " ".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()
    return re.sub(r"\s+", " ", raw)


@pytest.mark.parametrize(
    "path, who",
    [
        (f"/api/v1/reports/schools/{A}/report.pdf", COORDINATOR_A),
        ("/api/v1/reports/partnership/report.pdf", ADMIN),
    ],
)
@pytest.mark.parametrize("lang", labels.LANGUAGES)
def test_the_pdf_explains_every_figure(client, path, who, lang):
    text = pdf_text(download(client, path, who, lang=lang))
    assert labels.explanation_header("title", lang) in text
    for label, meaning in labels.explanations(lang):
        assert f"{label}: {meaning}" in text, label


@pytest.mark.parametrize("lang, sheet", [("nl", "Toelichting"), ("en", "Explanation")])
def test_the_workbook_has_a_sheet_of_explanations(client, lang, sheet):
    data = download(client, f"/api/v1/reports/schools/{A}/export.xlsx", lang=lang)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Rapport", sheet]
    rows = [tuple(r) for r in book[sheet].iter_rows(values_only=True)]
    header = tuple(labels.explanation_header(k, lang) for k in ("figure", "meaning"))
    assert rows == [header, *labels.explanations(lang)]
    # Each column of the report's own sheet is explained there (a domain's by its domain figure).
    report = book["Rapport"]
    explained = {label for label, _ in rows[1:]}
    for cell in report[2][3:]:
        assert (
            cell.value in explained
            or cell.value.split(":")[0] in explained
            or (
                ":" in cell.value
                and labels.figure(("interventions", "by_domain"), lang) in explained
            )
        ), cell.value


def test_the_csv_downloads_have_a_definitions_companion(client):
    raw = download(client, "/api/v1/reports/definitions.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    assert rows[0] == ["Cijfer", "Toelichting"]
    assert [tuple(r) for r in rows[1:]] == labels.explanations("nl")
    csv_header = next(
        csv.reader(
            io.StringIO(
                download(client, f"/api/v1/reports/schools/{A}/export.csv").decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert "OPP-evaluaties op tijd" in csv_header and "OPP-evaluaties op tijd" in dict(rows)

    raw = download(client, "/api/v1/reports/definitions.csv", ADMIN, lang="en").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=","))
    assert rows[0] == ["Figure", "Meaning"]
    assert dict(rows)["Plan evaluations overdue"].startswith("Of the plan evaluations due")


def test_the_definitions_are_for_those_who_may_read_reports(client):
    teacher = headers(Role.TEACHER, [A])
    response = client.get("/api/v1/reports/definitions.csv", headers=teacher)
    assert response.status_code == 403
    assert client.get("/api/v1/reports/definitions.csv").status_code == 401
