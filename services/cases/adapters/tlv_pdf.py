"""The decision letter on a TLV application as an accessible PDF (issue 14):
templates/tlv_letter.html, filled from domain/tlv_letter.py, written by WeasyPrint as tagged
PDF/UA-1 through shared/pdf.py, like the OPP (plan_pdf.py)."""

from __future__ import annotations

from typing import Any

from services.cases.adapters.plan_pdf import _templates
from shared import pdf

MIMETYPE = pdf.MIMETYPE


def html(context: dict[str, Any]) -> str:
    """The letter's HTML (see domain/tlv_letter.letter for `context`)."""
    return _templates().get_template("tlv_letter.html").render(font=pdf.FONT_FAMILY, **context)


def document(context: dict[str, Any]) -> bytes:
    """The letter as the bytes of a tagged PDF; the same decision gives the same bytes."""
    return pdf.render(html(context), "The decision letter")
