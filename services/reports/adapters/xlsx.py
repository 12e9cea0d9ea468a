"""A report's table as an Excel workbook (openpyxl): a sheet "Rapport" with a title row, a bold
and frozen header row with the CSV's labels, and a row per scope; and a sheet "Toelichting" (in
English "Explanation") saying what each figure counts and what "<5", "x" and "–" mean. Counts,
averages, medians and shares are numbers (a share a fraction shown as a percentage), in the number
formats of domain/formats.py, so a spreadsheet computes with them and shows them as the CSV and
the PDF write them; the period's dates are dates; a suppressed count is the text "<5" (or "x":
hidden so that no "<5" can be worked out) and a figure left out (a median over too few rows) the
text "–", as in the PDF."""

from __future__ import annotations

import io
import math
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from services.reports.domain import formats, labels
from services.reports.domain.table import Path, Table

SHEET = "Rapport"
EXPLANATION_SHEETS = {"nl": "Toelichting", "en": "Explanation"}
MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TITLE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3
DATE_FORMAT = "yyyy-mm-dd"
MIN_WIDTH, MAX_WIDTH, FIRST_MAX_WIDTH = 10, 24, 52


def workbook(table: Table, title: str, lang: str) -> bytes:
    """The table, and what its figures mean, as the bytes of an .xlsx file."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.cell(TITLE_ROW, 1, title).font = Font(bold=True, size=14)
    for col, label in enumerate(table.header, start=1):
        cell = sheet.cell(HEADER_ROW, col, label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(table.rows, start=FIRST_ROW):
        for col, value in enumerate(row, start=1):
            _write(sheet.cell(r, col), _value(table, col - 1, value), table.keys[col - 1])
    _size(sheet, table)
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 2)  # the header and the scope column stay put
    _explanations(book, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _explanations(book: Workbook, lang: str) -> None:
    """A second sheet: each figure's label beside what it counts, then the markers."""
    sheet = book.create_sheet(EXPLANATION_SHEETS[lang])
    for col, key in enumerate(("figure", "meaning"), start=1):
        sheet.cell(1, col, labels.explanation_header(key, lang)).font = Font(bold=True)
    for r, (label, text) in enumerate(labels.explanations(lang), start=2):
        sheet.cell(r, 1, label).alignment = Alignment(vertical="top", wrap_text=True)
        sheet.cell(r, 2, text).alignment = Alignment(vertical="top", wrap_text=True)
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 100
    sheet.freeze_panes = "A2"


def _value(table: Table, column: int, value: object) -> object:
    """The period's dates (ISO text in the table) as dates; anything else as it is."""
    if table.keys and table.keys[column] in {("start",), ("end",)} and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def _write(cell: Any, value: object, path: Path) -> None:
    if value is None:
        value = formats.HIDDEN
    cell.value = value
    if isinstance(value, str):
        if cell.column > 1:
            cell.alignment = Alignment(horizontal="right")  # "<5", "x", "–" line up with numbers
        return
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, int | float):
        cell.number_format = formats.xlsx_format(path, value)


def _size(sheet: Any, table: Table) -> None:
    """Columns as wide as their values (the first, with the scopes, in full; the others up to a
    limit, their header wrapping), and a header row tall enough for the longest label."""
    lines = 1
    for col, label in enumerate(table.header, start=1):
        values = [len(_text(row[col - 1])) for row in table.rows]
        longest_word = max((len(w) for w in label.split()), default=0)
        if col == 1:
            width = min(max([len(label), *values]) + 2, FIRST_MAX_WIDTH)
        else:
            width = min(max([MIN_WIDTH, longest_word + 2, *(v + 2 for v in values)]), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(col)].width = width
        lines = max(lines, math.ceil(len(label) / (width - 1)))
    sheet.row_dimensions[HEADER_ROW].height = 15 * lines


def _text(value: object) -> str:
    return formats.HIDDEN if value is None else str(value)
