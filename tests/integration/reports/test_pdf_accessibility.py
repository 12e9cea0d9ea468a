"""The reports' PDFs meet the basics of accessible PDF (issue 17, item 9), checked by tools
independent of the one that writes them (poppler-utils, installed by scripts/ensure-system-libs):
`pdfinfo` says "Tagged: yes" and the PDF/UA-1 identification is in the metadata, `pdffonts` finds
every font embedded, `pdftotext -layout` reads a table's header before its figures and the
key figures before the charts' labels; the structure tree names header cells (TH) and the
charts are figures with alt text. Without WeasyPrint's system libraries the PDF is a clear 503.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.reports.test_api_pdf import (
    ADMIN,
    COORDINATOR_A,
    PARTNERSHIP_PDF,
    PERIOD,
    SCHOOL_PDF,
    clock,  # noqa: F401 - the fixture
)
from tests.integration.reports.test_figures import project_history
from tests.support.api_flows import assert_error

TOOLS = ("pdfinfo", "pdffonts", "pdftotext")


@pytest.fixture
def client(reports, reports_client):
    project_history(reports)
    return reports_client


@pytest.fixture(scope="module", autouse=True)
def poppler() -> None:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    assert not missing, f"{missing} missing: run scripts/ensure-system-libs (poppler-utils)"


def pdf_file(client, tmp_path: Path, path: str, headers: dict[str, str], lang: str) -> Path:
    response = client.get(path, query_string={**PERIOD, "lang": lang}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    out = tmp_path / f"report-{lang}.pdf"
    out.write_bytes(response.get_data())
    return out


def run(*args: str | Path) -> str:
    return subprocess.run(
        [str(a) for a in args], check=True, capture_output=True, text=True, timeout=60
    ).stdout


REPORTS = [
    pytest.param(SCHOOL_PDF, COORDINATOR_A, "nl", id="school-nl"),
    pytest.param(PARTNERSHIP_PDF, ADMIN, "en", id="partnership-en"),
]


@pytest.mark.parametrize(("path", "headers", "lang"), REPORTS)
def test_the_pdf_is_tagged_pdf_ua_with_every_font_embedded(client, tmp_path, path, headers, lang):
    pdf = pdf_file(client, tmp_path, path, headers, lang)
    info = run("pdfinfo", pdf)
    assert re.search(r"^Tagged:\s+yes$", info, re.M), info
    assert re.search(r"^Title:\s+\S", info, re.M), info  # the document's title, shown by readers
    metadata = run("pdfinfo", "-meta", pdf)
    assert re.search(r"pdfuaid:part\W+1", metadata), metadata  # PDF/UA-1 identification

    fonts = run("pdffonts", pdf).splitlines()[2:]  # after the two header lines
    assert fonts, "no fonts listed"
    for line in fonts:
        # name, type (one or two words), encoding, then emb sub uni and the object id
        emb, _sub, _uni = line.split()[-5:-2]
        assert emb == "yes", line

    data = pdf.read_bytes()
    assert b"/Lang (" + lang.encode() + b")" in data  # the document's language
    # Header cells tagged as such, and the data cells pointing at theirs.
    assert b"/S /TH" in data and b"/Headers [" in data
    # The charts: figures, each with alt text (UTF-16 hex where it holds more than ASCII).
    figures = re.findall(rb"/S /Figure[^\n]*", data)
    assert len(figures) >= 3, figures
    assert all(re.search(rb"/Alt [(<]", f) for f in figures), figures


def test_the_text_reads_in_order(client, tmp_path):
    pdf = pdf_file(client, tmp_path, SCHOOL_PDF, COORDINATOR_A, "nl")
    text = run("pdftotext", "-layout", "-f", "1", "-l", "1", pdf, "-")
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.splitlines()]

    def where(pattern: str) -> int:
        found = [i for i, line in enumerate(lines) if re.fullmatch(pattern, line)]
        assert found, (pattern, lines)
        return found[0]

    # The key figures' header, then its rows, each label with its own figures on its line.
    header = where(r"Cijfer School( .*)?")  # the average's long heading wraps in its column
    started = where(r"Basisinterventies gestart 5 3,7")
    share = where(r"Aandeel op tijd geëvalueerd 75,0% –")
    assert header < started < share
    # The charts after the table, their labels not mixed into its figures.
    chart = where(r"Effect van geëvalueerde basisinterventies per domein")
    assert share < chart
    assert not any("Leesproblemen en dyslexie" in line for line in lines[:chart]), lines


class NoPango:
    """An import hook that fails to import WeasyPrint as it fails where Pango is missing: cffi's
    dlopen raises OSError while the package is imported."""

    def find_spec(self, name: str, *_: object) -> None:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libpango-1.0-0': no such file")


def test_without_its_system_libraries_the_pdf_is_a_503_and_the_rest_works(client, monkeypatch):
    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])

    response = client.get(SCHOOL_PDF, query_string=PERIOD, headers=COORDINATOR_A)
    assert_error(response, 503, "pdf_unavailable")
    assert "libpango-1.0-0" in response.json["message"]
    assert "scripts/ensure-system-libs" in response.json["message"]
    workbook = SCHOOL_PDF.replace("report.pdf", "export.xlsx")
    assert client.get(workbook, query_string=PERIOD, headers=COORDINATOR_A).status_code == 200
