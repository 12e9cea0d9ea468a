"""Reading a school administration's export: XLSX (the first sheet, the one shown when opened)
or CSV. A CSV's encoding is UTF-8 (with or without BOM), else Windows-1252; its separator is
whichever of `;`, `,` and tab occurs most often on the header line. Row numbers are the
spreadsheet's own: the header is row 1 (blank rows count). What a file is once read (`Sheet`)
and the limits it must keep are the domain's (domain/spreadsheet.py)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from services.cases.domain.spreadsheet import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    FileTooLarge,
    Sheet,
    file_too_large,
    is_blank,
)
from shared.errors import AppError, RuleViolation

MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024  # a zip bomb stops here, before openpyxl reads it


def read_sheet(content: bytes, filename: str = "", max_rows: int = MAX_ROWS) -> Sheet:
    """Read a CSV or XLSX file; a file that is neither, empty or too long is refused (422/413)."""
    if len(content) > MAX_FILE_BYTES:
        raise file_too_large()
    name = filename.lower()
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise _unsupported("This is an old Excel (.xls) file: save it as .xlsx or .csv.")
    if content.startswith(b"PK\x03\x04"):
        rows: Iterator[tuple[int, list[Any]]] = _xlsx_rows(content)
    elif name.endswith((".xlsx", ".xlsm", ".xls", ".ods", ".pdf", ".doc", ".docx")):
        raise _unsupported("Only CSV and XLSX files can be imported.")
    else:
        rows = _csv_rows(content)
    return _sheet(rows, max_rows)


def _unsupported(message: str) -> RuleViolation:
    return RuleViolation(message, code="unsupported_file", errors={"file": [message]})


def _sheet(rows: Iterator[tuple[int, list[Any]]], max_rows: int) -> Sheet:
    headers: list[str] | None = None
    data: list[tuple[int, list[Any]]] = []
    for number, cells in rows:
        if all(is_blank(c) for c in cells):
            continue
        if headers is None:
            headers = ["" if c is None else str(c).strip() for c in cells]
            continue
        if len(data) >= max_rows:
            raise RuleViolation(
                f"The file has more than {max_rows} rows; split it into smaller files.",
                code="too_many_rows",
                errors={"file": [f"At most {max_rows} rows per import."]},
            )
        data.append((number, cells))
    if headers is None:
        raise RuleViolation("The file is empty.", code="empty_file", errors={"file": ["Empty."]})
    return Sheet(headers, data)


def decode_text(content: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252; binary content is refused."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise _unsupported("The file is not a CSV or XLSX file.") from None
    if re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", text):
        raise _unsupported("The file is not a CSV or XLSX file.")
    return text


def sniff_separator(text: str) -> str:
    """The separator of the header line: the most frequent of `;`, `,` and tab (`;` on a tie)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda sep: counts[sep])  # dict order breaks ties: ; before , before tab


def _csv_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    text = decode_text(content)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_separator(text))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as err:
        message = f"The CSV file cannot be read near row {reader.line_num}: {err}."
        raise RuleViolation(message, code="unsupported_file", errors={"file": [message]}) from None


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    import openpyxl  # imported here: only XLSX uploads need it

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_XLSX_UNPACKED_BYTES:
            message = "The XLSX file unpacks to more than an import accepts."
            raise FileTooLarge(message, errors={"file": [message]})
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except AppError:
        raise
    except Exception:  # noqa: BLE001 - any failure to open means "not a readable XLSX"
        raise _unsupported("The file is not a readable XLSX file.") from None
    try:
        sheet = book.active or book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    finally:
        book.close()
