"""The pure rules of an upload (issue 14): type from the content, safe names, active content."""

from __future__ import annotations

import pytest

from services.cases.domain import documents as d
from services.cases.service_layer.documents import discard
from shared.errors import AppError, ServiceUnavailable
from tests.support import documents as files


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (files.PDF, d.PDF),
        (files.PNG, d.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", d.JPEG),
        (files.office("word"), d.DOCX),
        (files.office("xl"), d.XLSX),
        (files.office("ppt"), d.PPTX),
        (files.EXECUTABLE, None),
        (b"#!/bin/sh\nrm -rf /\n", None),
        (b"PK\x03\x04 not really a zip", None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 legacy office", None),
    ],
)
def test_the_type_is_judged_from_the_first_bytes(content, kind):
    assert d.sniff(content) is kind


def test_an_opendocument_is_known_by_its_mimetype_entry():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", d.ODT.mime)
        archive.writestr("content.xml", "<x/>")
    assert d.sniff(out.getvalue()) is d.ODT


@pytest.mark.parametrize(
    "content",
    [
        files.PDF_WITH_JAVASCRIPT,
        files.PDF_WITH_HIDDEN_JAVASCRIPT,
        files.PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/Launch/F(x.exe)>>"),
        files.PDF.replace(b"/Type/Catalog", b"/Type/Catalog/Names<</EmbeddedFiles 9 0 R>>"),
    ],
)
def test_a_pdf_that_runs_something_is_refused(content):
    with pytest.raises(AppError) as err:
        d.check_upload("brief.pdf", content, d.DEFAULT_MAX_BYTES)
    assert err.value.code == "active_content"


def test_a_plain_pdf_with_an_innocent_word_like_jsx_is_accepted():
    content = files.PDF.replace(b"/Type/Page/", b"/Type/Page/JSXNote 1/")
    assert d.check_upload("brief.pdf", content, d.DEFAULT_MAX_BYTES) == (d.PDF, "brief.pdf")


@pytest.mark.parametrize(
    "name", ["../x.pdf", "a/b.pdf", "..\\x.pdf", "..", "", "  ", "x\x00.pdf", "a\nb.pdf", "x" * 201]
)
def test_a_name_with_a_path_or_control_characters_is_refused(name):
    with pytest.raises(AppError) as err:
        d.check_upload(name, files.PDF, d.DEFAULT_MAX_BYTES)
    assert err.value.code == "unsafe_file_name"


def test_a_name_keeps_its_letters_and_gets_the_real_extension():
    assert d.clean_name("Verslag ÖBB.pdf", d.PDF) == "Verslag ÖBB.pdf"
    assert d.clean_name("foto.PNG", d.PNG) == "foto.PNG"
    assert d.clean_name("rapport.exe", d.PDF) == "rapport.exe.pdf"


def test_size_limits_are_checked_before_anything_else_but_emptiness():
    with pytest.raises(AppError) as err:
        d.check_upload("x.pdf", b"", 10)
    assert err.value.code == "empty_file"
    with pytest.raises(AppError) as err:
        d.check_upload("../x.pdf", files.EXECUTABLE, 10)
    assert (err.value.code, err.value.status) == ("file_too_large", 413)
    assert d.readable_size(10 * 1024 * 1024) == "10 MB" and d.readable_size(262144) == "256 KB"


def test_storage_keys_are_random_hex():
    keys = {d.new_storage_key() for _ in range(100)}
    assert len(keys) == 100 and all(len(k) == 32 and int(k, 16) >= 0 for k in keys)


class FakeStorageDown:
    """A document store that does not answer (our own interface)."""

    def delete(self, key: str) -> None:
        raise ServiceUnavailable("The document store does not answer.")


def test_an_object_whose_row_is_gone_is_left_behind_with_a_log_line(caplog):
    discard(FakeStorageDown(), "ab" * 16)  # type: ignore[arg-type]
    assert "document object left behind: " + "ab" * 16 in caplog.text
