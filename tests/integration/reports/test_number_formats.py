"""One report, every output, one way of writing each number per language (issue 17, item 8): the
CSV's text, the workbook's numbers as its number formats show them in that language, and the
PDF's table say the same for every figure of school A's report beside the partnership's average
(test_figures' hand-computed history): a share "75,0%" / "75.0%" (a fraction in the workbook,
shown as a percentage), a median or an average per school with one decimal ("14,0", "3,7"), a
count as a whole number, a figure left out "–" everywhere (never an empty cell in one and a dash
in the other); and the JSON labels explain the "–".
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from services.reports.domain import labels
from tests.integration.reports.test_api_pdf import (
    COORDINATOR_A,
    PERIOD,
    SCHOOL_PDF,
    A,
    clock,  # noqa: F401 - the fixture
    read_pdf,
)
from tests.integration.reports.test_figures import project_history

SCHOOL = f"/api/v1/reports/schools/{A}"
SEPARATORS = {"nl": (",", "."), "en": (".", ",")}


@pytest.fixture
def client(reports, reports_client):
    project_history(reports)
    return reports_client


def get(client, path: str, lang: str):
    response = client.get(path, query_string={**PERIOD, "lang": lang}, headers=COORDINATOR_A)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response


def csv_rows(client, lang: str) -> list[list[str]]:
    text = get(client, f"{SCHOOL}/export.csv", lang).get_data(as_text=True)
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";" if lang == "nl" else ","))


def as_shown(value: Any, number_format: str, lang: str) -> str:
    """A workbook cell as a spreadsheet in that language shows it (the formats used here)."""
    if value is None:
        return ""  # an empty cell
    if isinstance(value, str):
        return value
    mark, group = SEPARATORS[lang]
    text = {
        "#,##0": f"{value:,.0f}",
        "#,##0.0": f"{value:,.1f}",
        "0.0%": f"{value * 100:.1f}%",
        "0": f"{value:.0f}",
        "0.0": f"{value:.1f}",
    }.get(number_format, f"{value} in format {number_format}")
    return text.replace(",", "\0").replace(".", mark).replace("\0", group)


def xlsx_rows(client, lang: str) -> tuple[list[str], list[list[str]]]:
    book = load_workbook(io.BytesIO(get(client, f"{SCHOOL}/export.xlsx", lang).get_data()))
    sheet = book["Rapport"]
    header = [c.value for c in sheet[2]]
    rows = []
    for row in sheet.iter_rows(min_row=3):
        rows.append(
            [row[0].value]
            + [as_shown(c.value, c.number_format, lang) for c in row[3:]]
            + [type(c.value).__name__ for c in row[3:]]
        )
    return header, rows


@pytest.mark.parametrize("lang", labels.LANGUAGES)
def test_every_output_of_one_report_writes_each_number_alike(client, lang):
    header, school, average = csv_rows(client, lang)
    figures = header[3:]
    n = len(figures)

    # The workbook: the same text once its number formats are applied, and real numbers.
    xlsx_header, (x_school, x_average) = xlsx_rows(client, lang)
    assert xlsx_header == header
    for csv_row, xlsx_row in [(school, x_school), (average, x_average)]:
        assert xlsx_row[1 : n + 1] == csv_row[3:]
        kinds = dict(zip(figures, xlsx_row[n + 1 :], strict=True))
        for label, text in zip(figures, csv_row[3:], strict=True):
            expected_kind = "str" if text in ("<5", "x", "–") else ("int", "float")
            assert kinds[label] in expected_kind, (label, text, kinds[label])

    # The PDF: its table of all figures, a line per figure: label, school, average.
    filename = f"rapportage-{A}-2026-01-01-2026-06-30.pdf"
    doc = read_pdf(get(client, SCHOOL_PDF, lang), filename, artifact=f"school-{lang}.png")
    lines = doc.lines()
    missing = [
        " ".join([label, s, a])
        for label, s, a in zip(figures, school[3:], average[3:], strict=True)
        if " ".join([label, s, a]) not in lines
    ]
    assert not missing, (missing, lines)

    # By hand, per kind of number.
    by_label = {label: (s, a) for label, s, a in zip(figures, school[3:], average[3:], strict=True)}
    share = labels.figure(("interventions", "share_evaluated_on_time"), lang)
    median = labels.figure(("consent", "median_days_to_answer"), lang)
    started = labels.figure(("interventions", "started"), lang)
    decimal = "," if lang == "nl" else "."
    assert by_label[share] == (f"75{decimal}0%", "–")  # the average's: over 1 to 4, left out
    assert by_label[median] == (f"14{decimal}0", "–")  # one decimal, also when it is whole
    assert by_label[started] == ("5", f"3{decimal}7")  # a count; an average per school

    # The JSON body's labels say what "–" means, as every download's explanations do.
    body = get(client, SCHOOL, lang).json
    assert body["labels"]["markers"]["–"] == labels.marker("–", lang)
    assert ("–", labels.marker("–", lang)) in labels.explanations(lang)
