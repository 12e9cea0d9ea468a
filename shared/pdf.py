"""Accessible PDFs from HTML, shared by the services that hand documents out (the reports'
outcome reports, issue 17 item 9; the cases service's OPP, issue 13): WeasyPrint writes a tagged
PDF (PDF/UA-1) with every font embedded and the text in reading order. A template sets the
document's language (`<html lang>`), its title (`<title>`) and the font: `FONT_FAMILY`, DejaVu
Sans, which has Latin, Cyrillic and Arabic glyphs.

WeasyPrint needs Pango (Debian: libpango-1.0-0, libpangoft2-1.0-0; scripts/ensure-system-libs).
Without it `render` raises PdfUnavailable (a 503), and nothing else of a service is affected.

The same HTML gives the same bytes: a file identifier from the content, no creation time, and
structure IDs numbered in order.
"""

from __future__ import annotations

import hashlib
from typing import Any

from shared.errors import ServiceUnavailable

MIMETYPE = "application/pdf"
VARIANT = "pdf/ua-1"
FONT_FAMILY = '"DejaVu Sans", sans-serif'
DOC_503 = {"description": "The server lacks the system libraries the PDF needs (Pango)"}


class PdfUnavailable(ServiceUnavailable):
    """The PDF cannot be made on this machine: WeasyPrint's system libraries are missing."""

    code = "pdf_unavailable"


def weasyprint(what: str = "PDF documents") -> Any:
    """WeasyPrint, imported when first needed: it loads Pango (a C library) on import."""
    try:
        import weasyprint as module
    # OSError: cannot load library 'libpango-1.0-0' (or libpangoft2); ImportError: not installed.
    except (OSError, ImportError) as err:
        raise PdfUnavailable(
            f"{what} cannot be made on this server: the system libraries WeasyPrint needs "
            "(Pango: libpango-1.0-0, libpangoft2-1.0-0) are missing; an operator installs them "
            "with scripts/ensure-system-libs."
        ) from err
    return module


def render(source: str, what: str = "PDF documents") -> bytes:
    """The HTML `source` as the bytes of a tagged PDF (PDF/UA-1), the same bytes each time."""
    module = weasyprint(what)
    identifier = hashlib.md5(source.encode(), usedforsecurity=False).hexdigest().encode()
    out: bytes = module.HTML(string=source).write_pdf(
        pdf_variant=VARIANT, pdf_identifier=identifier, finisher=steady_ids
    )
    return out


def steady_ids(_document: Any, pdf: Any) -> None:
    """Number the structure elements' IDs in order (WeasyPrint takes Python's id() of a table's
    header cell, which differs from run to run), and the data cells' references to them alike."""
    numbers: dict[str, str] = {}
    for obj in pdf.objects:
        if isinstance(obj, dict) and "ID" in obj and hasattr(obj["ID"], "string"):
            numbers.setdefault(str(obj["ID"].string), str(len(numbers) + 1))
            obj["ID"].string = numbers[str(obj["ID"].string)]
    for obj in pdf.objects:
        attributes = obj.get("A") if isinstance(obj, dict) else None
        if isinstance(attributes, dict) and "Headers" in attributes:
            for header in attributes["Headers"]:
                header.string = numbers.get(str(header.string), header.string)


def attachment(filename: str) -> dict[str, str]:
    """The Content-Disposition header of a download named `filename` (ASCII, no quotes)."""
    safe = "".join(ch for ch in filename if ch.isascii() and (ch.isalnum() or ch in "-_."))
    return {"Content-Disposition": f'attachment; filename="{safe or "document.pdf"}"'}
