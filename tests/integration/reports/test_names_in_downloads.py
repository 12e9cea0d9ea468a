"""The downloads name the partnership and its schools (issue 11, item 15): a board reads
"Opbrengstrapportage samenwerkingsverband SWV Passend Onderwijs Haarlemmermeer", not an id, and
every school row by its name. The names come from `partnership.registered` and
`school.registered` (an organisation's name is not personal data); a rebuild from the event log
keeps them; and the cases service sends the partnership's name when it makes one.

The history is test_figures.py's: schools A, B and C of partnership P, all registered by name
here. No UUID may appear in the PDF's text, the CSV or the workbook where a name is known.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from uuid import UUID, uuid4

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook

from services.reports.service_layer.projector import project
from services.reports.service_layer.rebuild import rebuild
from shared.auth import Principal, Role, issue_token
from shared.events import Envelope, Subject
from tests.conftest import JWT_SECRET, NOW
from tests.integration.reports.conftest import reports_container
from tests.integration.reports.helpers import dump
from tests.integration.reports.test_figures import (
    A,
    B,
    C,
    other_schools,
    school_a_interventions,
    school_a_plans,
    school_b,
)
from tests.integration.reports.test_replay import run_live
from tests.unit.reports.builders import PARTNERSHIP
from tests.unit.reports.fakes import FakeEventLog

PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}
SWV = "SWV Passend Onderwijs Haarlemmermeer"
NAMES = {A: "OBS De Regenboog", B: "CBS Het Kompas", C: "Daltonschool De Linde"}
UUID_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def registration(type_: str, kind: str, subject: UUID, school_id: UUID | None, **data) -> Envelope:
    built = Envelope(
        id=uuid4(),
        type=type_,
        version=1,
        occurred_at=NOW,
        partnership_id=PARTNERSHIP,
        school_id=school_id,
        subject=Subject(kind, subject),
        data=data,
    )
    return Envelope.from_json(built.to_json())  # through the catalog, as the consumer reads it


def history() -> list[Envelope]:
    stories = [*school_a_interventions(), *school_a_plans(), *school_b()]
    return [
        registration("partnership.registered", "partnership", PARTNERSHIP, None, name="SWV Oud"),
        *[
            registration("school.registered", "school", s, s, name=n, brin=None, region="noord")
            for s, n in NAMES.items()
        ],
        *[e for s in stories for e in s.events],
        *other_schools(),
        # A later registration's name wins (as for a school).
        registration("partnership.registered", "partnership", PARTNERSHIP, None, name=SWV),
    ]


@pytest.fixture
def events(reports) -> list[Envelope]:
    events = history()
    for e in events:
        assert project(e, reports.store, NOW)
    return events


def headers(role: Role, schools=()) -> dict[str, str]:
    principal = Principal(uuid4(), role, PARTNERSHIP, frozenset(schools))
    return {
        "Authorization": f"Bearer {issue_token(principal, JWT_SECRET, NOW, timedelta(hours=1))}"
    }


ADMIN = headers(Role.ADMIN)


def download(client, path: str, **params: str) -> bytes:
    response = client.get(path, query_string={**PERIOD, **params}, headers=ADMIN)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data()


def pdf_lines(data: bytes) -> list[str]:
    doc = pdfium.PdfDocument(data)
    try:
        raw = "\n".join(page.get_textpage().get_text_range() for page in doc)
    finally:
        doc.close()
    return [line.strip() for line in raw.replace("\r", "").split("\n")]


def sheet_cells(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    return [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]


def test_the_partnership_pdf_names_the_partnership_and_every_school(reports_client, events):
    for lang, title in (
        ("nl", f"Opbrengstrapportage samenwerkingsverband {SWV}"),
        ("en", f"Outcome report of partnership {SWV}"),
    ):
        lines = pdf_lines(
            download(reports_client, "/api/v1/reports/partnership/report.pdf", lang=lang)
        )
        text = " ".join(lines)
        assert title in text, lines
        assert f"{'Samenwerkingsverband' if lang == 'nl' else 'Partnership'} {SWV}" in lines
        for name in NAMES.values():
            assert any(line.startswith(name) for line in lines), (name, lines)
        assert not UUID_TEXT.search(text), UUID_TEXT.findall(text)


def test_the_school_pdf_names_the_school_and_its_partnership(reports_client, events):
    lines = pdf_lines(download(reports_client, f"/api/v1/reports/schools/{A}/report.pdf"))
    text = " ".join(lines)
    assert "Opbrengstrapportage school OBS De Regenboog" in text
    assert "School OBS De Regenboog" in lines
    assert f"Samenwerkingsverband {SWV}" in lines
    assert not UUID_TEXT.search(text), UUID_TEXT.findall(text)


def test_the_csv_and_the_workbook_name_every_school(reports_client, events):
    raw = download(reports_client, "/api/v1/reports/partnership/export.csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw), delimiter=";"))
    assert [r[0] for r in rows[1:]] == [*NAMES.values(), "Totaal samenwerkingsverband"]
    assert not UUID_TEXT.search(raw)

    cells = sheet_cells(download(reports_client, "/api/v1/reports/partnership/export.xlsx"))
    assert cells[0].startswith(f"Opbrengstrapportage samenwerkingsverband {SWV}, ")
    for name in NAMES.values():
        assert name in cells
    assert not [c for c in cells if UUID_TEXT.search(c)]

    raw = download(reports_client, f"/api/v1/reports/schools/{B}/export.csv").decode("utf-8-sig")
    assert [r[0] for r in csv.reader(io.StringIO(raw), delimiter=";")][1] == "CBS Het Kompas"
    assert not UUID_TEXT.search(raw)
    cells = sheet_cells(download(reports_client, f"/api/v1/reports/schools/{B}/export.xlsx"))
    assert cells[0].startswith("Opbrengstrapportage school CBS Het Kompas, ")
    assert "CBS Het Kompas" in cells
    assert not [c for c in cells if UUID_TEXT.search(c)]


def test_the_json_reports_carry_the_partnerships_name(reports_client, events):
    path = "/api/v1/reports/partnership"
    body = reports_client.get(path, query_string=PERIOD, headers=ADMIN).json
    assert body["partnership_name"] == SWV
    assert [s["school_name"] for s in body["schools"]] == list(NAMES.values())
    body = reports_client.get(
        f"/api/v1/reports/schools/{C}", query_string=PERIOD, headers=ADMIN
    ).json
    assert (body["partnership_name"], body["school_name"]) == (SWV, "Daltonschool De Linde")


@pytest.fixture
def rebuilt(db_kind, reports_databases, stream_name, clock):
    c = reports_container(db_kind, reports_databases, stream_name, clock)
    yield c
    c.engine.dispose()
    c.redis.close()


def test_a_rebuild_from_the_log_keeps_the_partnerships_name(reports, events, rebuilt):
    done = rebuild(FakeEventLog(events), rebuilt.store, lambda: NOW, page_size=7)
    assert done.events == len(events)
    assert dump(rebuilt) == dump(reports)
    assert [(r["partnership_id"], r["name"]) for r in dump(rebuilt)["partnerships"]] == [
        (PARTNERSHIP, SWV)
    ]


def test_the_cases_service_names_the_partnerships_it_makes(container, world, reports, stream_name):
    """The producer's side: partnerships made through the cases handlers (the world's two) arrive
    with their names through the relay and the reports consumer."""
    run_live(container, reports, stream_name)
    names = {r["partnership_id"]: r["name"] for r in dump(reports)["partnerships"]}
    assert names == {world.partnership_a: "SWV A", world.partnership_b: "SWV B"}
