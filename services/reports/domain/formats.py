"""How a report's numbers are written for people, once for every output (CSV, XLSX, PDF, the JSON
body's labels), per language (issue 17, item 8).

- a count: a whole number, thousands grouped: "1.234" in Dutch, "1,234" in English;
- a median, or an average per school: one decimal, "44,0" / "44.0", "3,7" / "3.7";
- a share (a fraction from 0 to 1 in the report): a percentage with one decimal, "42,9%" /
  "42.9%"; a spreadsheet reads both as 0.429;
- a hidden cell (a median or share left out as it rests on 1 to 4 cases, or as it would give a
  hidden count back): "–", an en dash, in every output and both languages;
- "<5" and "x" (suppressed counts) as they are.

A workbook keeps real numbers (so that Excel and LibreOffice can compute with them) and shows them
alike through the number formats below, which each spreadsheet writes in its reader's locale.
"""

from __future__ import annotations

from enum import StrEnum

from services.reports.domain.report import Path, Shown

HIDDEN = "–"  # en dash


class Kind(StrEnum):
    """What a figure is, which decides how it is written."""

    COUNT = "count"
    DECIMAL = "decimal"  # a median, or a count averaged per school
    SHARE = "share"


# The number formats of a workbook's cells, the same shapes as the text below.
XLSX_FORMATS: dict[Kind, str] = {
    Kind.COUNT: "#,##0",
    Kind.DECIMAL: "#,##0.0",
    Kind.SHARE: "0.0%",
}
# (decimal mark, thousands separator) per language.
SEPARATORS: dict[str, tuple[str, str]] = {"nl": (",", "."), "en": (".", ",")}


def kind(path: Path, value: Shown) -> Kind:
    """A figure's kind by its path in the report (and, for a count averaged per school, its
    value: a fraction of a count is an average)."""
    last = path[-1] if path else ""
    if last.startswith("share_"):
        return Kind.SHARE
    if last.startswith("median_") or isinstance(value, float):
        return Kind.DECIMAL
    return Kind.COUNT


def _localised(text: str, lang: str) -> str:
    """Python's "1,234.5" in the language's separators."""
    mark, group = SEPARATORS[lang]
    return text.replace(",", "\0").replace(".", mark).replace("\0", group)


def count(value: int, lang: str) -> str:
    """A count: '1.234' (nl), '1,234' (en)."""
    return _localised(f"{value:,d}", lang)


def decimal(value: float, lang: str) -> str:
    """A median or an average per school, with one decimal: '44,0' (nl), '44.0' (en)."""
    return _localised(f"{value:,.1f}", lang)


def share(value: float, lang: str) -> str:
    """A share (0 to 1) as a percentage with one decimal: '42,9%' (nl), '42.9%' (en)."""
    return _localised(f"{value * 100:,.1f}", lang) + "%"


def shown(value: Shown, path: Path, lang: str) -> str:
    """A figure as people read it: a marker ("<5", "x") as it is, a hidden one as "–", a number
    by its kind."""
    if value is None:
        return HIDDEN
    if isinstance(value, str):
        return value
    k = kind(path, value)
    if k is Kind.SHARE:
        return share(value, lang)
    if k is Kind.DECIMAL:
        return decimal(value, lang)
    return count(int(value), lang)


def xlsx_format(path: Path, value: Shown) -> str:
    """The number format of a figure's cell in a workbook."""
    return XLSX_FORMATS[kind(path, value)]
