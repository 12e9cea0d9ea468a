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
import zlib
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from tests.integration.reports.test_api_pdf import (
    ADMIN,
    ARTIFACTS,
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
    # Page 1, for a reader of the CI run (test-artifacts/reports/).
    doc = pdfium.PdfDocument(response.get_data())
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = "school" if "/schools/" in path else "partnership"
        doc[0].render(scale=2).to_pil().save(ARTIFACTS / f"page-1-{name}-{lang}.png")
    finally:
        doc.close()
    return out


def run(*args: str | Path) -> str:
    return subprocess.run(
        [str(a) for a in args], check=True, capture_output=True, text=True, timeout=60
    ).stdout


def unpacked(data: bytes) -> bytes:
    """The PDF with its compressed streams (the object streams that hold the structure tree
    among them) inflated, to read the tags."""
    parts = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            pass  # not Flate (none here), or an image
    return b"\n".join(parts)


REPORTS = [
    pytest.param(SCHOOL_PDF, COORDINATOR_A, "nl", id="school-nl"),
    pytest.param(PARTNERSHIP_PDF, ADMIN, "nl", id="partnership-nl"),
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

    data = unpacked(pdf.read_bytes())
    assert b"/Lang (" + lang.encode() + b")" in data  # the document's language
    # Header cells tagged as such, and the data cells pointing at theirs.
    assert b"/S /TH" in data and b"/Headers [" in data
    # The charts: figures, each with alt text (UTF-16 hex where it holds more than ASCII).
    figures = re.findall(rb"/S /Figure[^\n]*", data)
    assert len(figures) >= 3, figures
    assert all(re.search(rb"/Alt [(<]", f) for f in figures), figures


def test_the_text_reads_in_order(client, tmp_path):
    pdf = pdf_file(client, tmp_path, SCHOOL_PDF, COORDINATOR_A, "nl")

    # The logical order, as a screen reader follows it: the structure tree's text, in order.
    tree = run("pdfinfo", "-struct-text", pdf)
    texts = re.findall(r'^\s*"(.*)"$', tree, re.M)
    assert texts, tree

    def after(earlier: str, later: str) -> None:
        assert earlier in texts and later in texts, (earlier, later, texts)
        assert texts.index(earlier) < texts.index(later), (earlier, later, texts)

    assert texts[0] == "Opbrengstrapportage school"  # the title first, no page number before it
    after("Kerncijfers", "Cijfer")
    # The key figures: the header cells, then each row's label, then its figures.
    row = texts.index("Basisinterventies gestart")
    assert texts[row - 3 : row] == ["Gemiddelde per school", "in het", "samenwerkingsverband"]
    assert texts[row : row + 3] == ["Basisinterventies gestart", "5", "3,7"]
    assert texts[texts.index("Aandeel op tijd geëvalueerd") + 1 :][:2] == ["75,0%", "–"]
    # A chart: its title, then the figure (alt text and all), then its footnote.
    after("Verwijzingen", "Effect van geëvalueerde basisinterventies per domein")
    title = tree.index('"Besluit na OPP-evaluatie"')
    figure = tree.index("Figure:", title)
    footnote = tree.index('"Niet getekend', title)
    assert title < figure < footnote < tree.index('"OPP-evaluaties op tijd en te laat"'), tree

    # The order a plain extraction sees (the content stream's): the same.
    stream = run("pdftotext", "-raw", "-f", "1", "-l", "1", pdf, "-")
    raw = [line.strip() for line in stream.splitlines() if line.strip()]
    assert raw[0] == "Opbrengstrapportage school", raw  # not the page number
    header = next(i for i, line in enumerate(raw) if line.startswith("Cijfer School"))
    assert raw.index("Basisinterventies gestart 5 3,7") > header, raw
    # The charts' labels and values do not break into the text between the headings.
    first, second = (raw.index(t) for t in CHART_TITLES)
    assert raw[first + 1] == CHART_TITLES[1], raw[first : second + 1]


CHART_TITLES = ("Effect van geëvalueerde basisinterventies per domein", "Besluit na OPP-evaluatie")


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
