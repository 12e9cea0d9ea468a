"""The OPP as an accessible PDF (issue 13): templates/plan_document.html, filled from
domain/plan_document.py, written by WeasyPrint as tagged PDF/UA-1 through shared/pdf.py (the
same machinery as the reports' PDFs). Arabic reads right to left (`dir="rtl"`); DejaVu Sans has
its glyphs, and those of Turkish, Polish and Ukrainian."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from services.cases.domain.plan_document import direction
from shared import pdf

MIMETYPE = pdf.MIMETYPE


@cache
def _templates() -> Environment:
    env = Environment(
        loader=PackageLoader("services.cases.adapters", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
    )
    env.filters["direction"] = direction  # the school's texts in their own direction
    return env


def html(context: dict[str, Any]) -> str:
    """The plan document's HTML (see domain/plan_document.document for `context`)."""
    return _templates().get_template("plan_document.html").render(font=pdf.FONT_FAMILY, **context)


def document(context: dict[str, Any]) -> bytes:
    """The plan document as the bytes of a tagged PDF; the same plan gives the same bytes."""
    return pdf.render(html(context), "The plan's PDF")
