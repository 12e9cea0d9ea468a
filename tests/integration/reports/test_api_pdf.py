"""The PDF downloads of the reports API over the hand-computed history of test_figures: the first
page, rendered to an image with pypdfium2, is not blank and holds colour (the charts); the text
holds the labels in the requested language and, figure by figure, the numbers of the JSON report
(which in turn are the hand-computed ones), "<5" where it suppresses and "x" where it hides a count
so that no "<5" can be worked out; the same arguments and
authorization as the other downloads (422 for a period ending before it starts, 403 for a teacher,
404 outside the caller's scope); the periodic report as compiled is a PDF too.

The service's clock stands at 15 May 2026, the day test_figures compiles its reports on.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pypdfium2 as pdfium
import pytest
from sqlalchemy import select

from services.reports.adapters import orm, pdf
from services.reports.domain import formats, labels
from services.reports.domain.table import flatten
from services.reports.service_layer import periodic
from shared.auth import Principal, Role, issue_token
from shared.clock import FixedClock
from tests.conftest import JWT_SECRET, ROOT
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
JULY_1 = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)  # the periodic reports of June are due
PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}
SCHOOL_PDF = f"/api/v1/reports/schools/{A}/report.pdf"
PARTNERSHIP_PDF = "/api/v1/reports/partnership/report.pdf"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(AT)


@pytest.fixture
def client(reports, reports_client):
    project_history(reports)
    return reports_client


def token(role: Role, schools=(), at: datetime = AT) -> dict[str, str]:
    principal = Principal(uuid.uuid4(), role, PARTNERSHIP, frozenset(schools))
    return {"Authorization": f"Bearer {issue_token(principal, JWT_SECRET, at, timedelta(hours=1))}"}


ADMIN = token(Role.ADMIN)
COORDINATOR_A = token(Role.COORDINATOR, schools=[A])
TEACHER_A = token(Role.TEACHER, schools=[A])


def get(client, path: str, headers: dict[str, str], **params: str):
    return client.get(path, query_string={**PERIOD, **params}, headers=headers)


@dataclass(frozen=True)
class Pdf:
    """What a test reads of a PDF: each page's lines of text, and of the first page rendered to
    an image the share of pixels that are not (nearly) white and the share that are coloured
    (saturated, as the charts' bars; text and tables are grey)."""

    pages: list[list[str]]
    dark: float
    coloured: float

    def lines(self, pages: slice = slice(None)) -> list[str]:
        return [line for page in self.pages[pages] for line in page]


ARTIFACTS = ROOT / "test-artifacts" / "reports"


def read_pdf(response, filename: str, artifact: str | None = None) -> Pdf:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
    data = response.get_data()
    assert data.startswith(b"%PDF-")
    doc = pdfium.PdfDocument(data)
    try:
        assert len(doc) >= 1
        width, height = doc[0].get_size()
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        pages = []
        for page in doc:
            raw = page.get_textpage().get_text_range()
            pages.append([line.strip() for line in raw.replace("\r", "").split("\n")])
        image = doc[0].render(scale=1).to_pil().convert("RGB")
        # Kept for a reader of the CI run: what the first page looked like.
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        image.save(ARTIFACTS / (artifact or f"{filename}.png"))
    finally:
        doc.close()
    pixels = image.width * image.height
    dark = sum(image.convert("L").histogram()[:200]) / pixels
    coloured = sum(image.convert("HSV").split()[1].histogram()[100:]) / pixels
    return Pdf(pages, dark, coloured)


def shown(value: Any, path: tuple[str, ...], lang: str) -> str:
    """A figure as every download writes it (domain/formats.py)."""
    return formats.shown(value, path, lang)


def figure_lines(columns: list[dict[str, Any]], lang: str) -> list[str]:
    """The lines of the table of all figures: a figure's label, then its value per column."""
    paths = [p for p, _ in flatten(columns[0])]
    for sections in columns[1:]:
        paths += [p for p, _ in flatten(sections) if p not in paths]
    return [
        " ".join([labels.figure(p, lang), *(shown(at(s, p), p, lang) for s in columns)])
        for p in paths
    ]


def at(sections: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = sections
    for key in path:
        value = value.get(key, 0) if isinstance(value, dict) else 0
    return value


def test_the_school_report_as_a_dutch_pdf_with_charts(client):
    doc = read_pdf(
        get(client, SCHOOL_PDF, COORDINATOR_A), f"rapportage-{A}-2026-01-01-2026-06-30.pdf"
    )
    assert doc.dark > 0.03, doc.dark  # a page of text, tables and charts, not a blank one
    assert doc.coloured > 0.005, doc.coloured  # the charts' bars

    first = doc.lines(slice(0, 1))
    assert any(line.startswith("Opbrengstrapportage school") for line in first), first
    for line in [
        "Kerncijfers",
        f"School {A}",
        "Periode 1 januari 2026 t/m 30 juni 2026",
        "Opgesteld op 15 mei 2026",
        "Taal Nederlands",
        "Effect van geëvalueerde basisinterventies per domein",
        "Besluit na OPP-evaluatie",
        "OPP-evaluaties op tijd en te laat",
    ]:
        assert line in first, (line, first)
    # A domain in the chart, by its Dutch label (after the page's text: a chart's labels do not
    # mix into the tables' figures, issue 17 item 9).
    assert any(line.startswith("Leesproblemen en dyslexie") for line in first), first
    # The average's suppressed decisions are not drawn, and a footnote says so.
    footnotes = " ".join(first)
    assert "Niet getekend, want een aantal van 1 tot 4 (<5): Gemiddelde per school" in footnotes
    assert "x: onderdrukt om terugrekenen te voorkomen" in footnotes  # the legend under the header

    # The JSON report is the hand-computed one; the PDF's table holds the same, figure by figure.
    body = get(client, f"/api/v1/reports/schools/{A}", COORDINATOR_A).json
    assert body["figures"] == SCHOOL_A_EXACT
    assert body["partnership_average"]["figures"] == AVERAGE
    lines = doc.lines()
    expected = figure_lines([body["figures"], body["partnership_average"]["figures"]], "nl")
    assert len(expected) == 55  # every figure, the by-domain and TLV ones too
    missing = [line for line in expected if line not in lines]
    assert not missing, (missing, lines)
    # A few by hand: exact for the school, "<5" in the average, decimal commas.
    assert "Basisinterventies gestart 5 3,7" in lines
    assert "Aandeel op tijd geëvalueerd 75,0% –" in lines  # 10 evaluated, 1 late: hidden
    assert "Effect: Effectief 2 x" in lines
    assert "Mediane duur (dagen) 59,5 38,5" in lines
    assert "Effect: Deels effectief 1 <5" in lines
    assert "Mediane dagen tot antwoord ouders 14,0 –" in lines


def test_the_partnership_report_as_an_english_pdf_with_small_numbers_suppressed(client):
    doc = read_pdf(
        get(client, PARTNERSHIP_PDF, ADMIN, lang="en"),
        "rapportage-samenwerkingsverband-2026-01-01-2026-06-30.pdf",
    )
    # Every count the total's charts would draw is hidden here ("<5" or "x"): no bars, only the
    # legends' colours, and each chart's footnote names what it leaves out.
    assert doc.dark > 0.03 and doc.coloured > 0.0002, (doc.dark, doc.coloured)

    body = get(client, "/api/v1/reports/partnership", ADMIN, lang="en").json
    figures = {s["school_id"]: s["figures"] for s in body["schools"]}
    assert figures == {
        str(A): SCHOOL_A_IN_PARTNERSHIP,
        str(B): SCHOOL_B_SUPPRESSED,
        str(C): zeros(),
    }
    assert body["total"]["figures"] == TOTAL

    lines = doc.lines()
    assert any(line.startswith("Outcome report of partnership") for line in lines)
    for line in [
        "Key figures per school",
        "All figures",
        "Language English",
        "Compiled on 15 May 2026",
    ]:
        assert line in lines, line
    assert "Effect of evaluated basic interventions per domain" in lines
    assert not {"Kerncijfers per school", "Alle cijfers", "Taal Nederlands"} & set(lines)
    assert str(X) not in " ".join(lines)  # another partnership's school

    # A row per school of key figures, and the total; then every figure of the total.
    for school in body["schools"]:
        row = [shown(at(school["figures"], p), p, "en") for p in pdf.PER_SCHOOL]
        assert " ".join([school.get("school_name") or school["school_id"], *row]) in lines
    missing = [line for line in figure_lines([TOTAL], "en") if line not in lines]
    assert not missing, (missing, lines)
    assert f"{A} x <5 – <5 <5 <5" in lines  # school A: its 5 started hidden too (test_figures)
    assert f"{B} x x – 0 0 <5" in lines  # B's 6 started and evaluated would give A's back
    assert "Share evaluated on time –" in lines
    assert "Effect: Partly effective <5" in lines
    assert "Effect: Effective x" in lines
    text = " ".join(lines)
    assert "Not drawn, as a count of 1 to 4 (<5):" in text
    assert "Not drawn, as suppressed to prevent back-calculation (x):" in text


def test_the_same_report_gives_the_same_bytes(client):
    first = get(client, SCHOOL_PDF, COORDINATOR_A).get_data()
    assert get(client, SCHOOL_PDF, COORDINATOR_A).get_data() == first
    assert get(client, SCHOOL_PDF, COORDINATOR_A, lang="en").get_data() != first


def test_a_period_without_activity_is_a_valid_pdf_of_zeros(client):
    params = {"start": "2026-07-20", "end": "2026-07-31"}
    response = client.get(SCHOOL_PDF, query_string=params, headers=COORDINATOR_A)
    doc = read_pdf(response, f"rapportage-{A}-2026-07-20-2026-07-31.pdf")
    assert doc.dark > 0.02, doc.dark
    lines = doc.lines()
    assert "Periode 20 juli 2026 t/m 31 juli 2026" in lines
    assert "Basisinterventies gestart 0 0,0" in lines  # an average per school: one decimal
    assert "OPP's actief op de einddatum 1 <5" in lines  # plan P1 stays active
    assert "Mediane duur (dagen) – –" in lines
    assert "Geen gegevens in deze periode." in lines


def test_a_period_ending_before_it_starts_is_a_422(client):
    params = {"start": "2026-06-30", "end": "2026-01-01"}
    for path, who in [(SCHOOL_PDF, COORDINATOR_A), (PARTNERSHIP_PDF, ADMIN)]:
        response = client.get(path, query_string=params, headers=who)
        assert_error(response, 422, "validation_error", field="end")
    assert_error(get(client, SCHOOL_PDF, COORDINATOR_A, lang="de"), 422, field="lang")


def test_a_teacher_gets_no_pdf_and_staff_only_their_own(client):
    assert_error(get(client, SCHOOL_PDF, TEACHER_A), 403, "forbidden")
    assert_error(get(client, PARTNERSHIP_PDF, TEACHER_A), 403, "forbidden")
    assert_error(get(client, PARTNERSHIP_PDF, COORDINATOR_A), 403, "forbidden")
    assert_error(get(client, f"/api/v1/reports/schools/{B}/report.pdf", COORDINATOR_A), 404)


def test_a_compiled_report_as_a_pdf(reports, client, clock):
    clock.set(JULY_1)
    today = clock.now().date()
    periodic.compile_due(reports.store, reports.reader, ("quarter",), today, clock.now())
    t = orm.compiled_reports
    with reports.engine.connect() as conn:
        rows = conn.execute(select(t.c.report_id, t.c.school_id)).all()
    by_school = {school_id: report_id for report_id, school_id in rows}
    path = f"/api/v1/reports/compiled/{by_school[A]}/report.pdf"
    coordinator = token(Role.COORDINATOR, [A], at=JULY_1)

    doc = read_pdf(
        client.get(path, headers=coordinator), f"rapportage-{A}-2026-04-01-2026-06-30.pdf"
    )
    lines = doc.lines()
    assert "Periode 1 april 2026 t/m 30 juni 2026" in lines
    assert "Periodieke rapportage kwartaal" in lines
    compiled = client.get(f"/api/v1/reports/compiled/{by_school[A]}", headers=coordinator).json
    body = compiled["report"]
    assert body["figures"]["interventions"]["started"] == 1  # I6, started 4 May
    expected = figure_lines([body["figures"], body["partnership_average"]["figures"]], "nl")
    missing = [line for line in expected if line not in lines]
    assert not missing, (missing, lines)

    english = read_pdf(
        client.get(path, query_string={"lang": "en"}, headers=coordinator),
        f"rapportage-{A}-2026-04-01-2026-06-30.pdf",
    )
    assert "Periodic report quarter" in english.lines()
    assert "Basic interventions started 1 <5" in english.lines()

    admin = token(Role.ADMIN, at=JULY_1)
    assert client.get(path, headers=admin).status_code == 200
    assert_error(client.get(path, headers=token(Role.COORDINATOR, [B], at=JULY_1)), 404)
    assert_error(client.get(path, headers=token(Role.TEACHER, [A], at=JULY_1)), 403, "forbidden")
    other = f"/api/v1/reports/compiled/{by_school[X]}/report.pdf"  # another partnership's
    assert_error(client.get(other, headers=admin), 404)
    missing_report = f"/api/v1/reports/compiled/{uuid.uuid4()}/report.pdf"
    assert_error(client.get(missing_report, headers=admin), 404)


def test_the_pdfs_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in [
        "/api/v1/reports/schools/{school_id}/report.pdf",
        "/api/v1/reports/partnership/report.pdf",
        "/api/v1/reports/compiled/{report_id}/report.pdf",
    ]:
        assert "application/pdf" in paths[path]["get"]["responses"]["200"]["content"], path
