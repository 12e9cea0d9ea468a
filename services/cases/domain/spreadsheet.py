"""What an import's file is once read (adapters/spreadsheet.py reads CSV and XLSX): its header
and data rows, and the limits a file must keep."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.errors import AppError

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


class FileTooLarge(AppError):
    """The uploaded file is larger than an import accepts (413)."""

    status = 413
    code = "file_too_large"


def file_too_large() -> FileTooLarge:
    """The error for a file over MAX_FILE_BYTES."""
    message = f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB."
    return FileTooLarge(message, errors={"file": [message]})


@dataclass(frozen=True)
class Sheet:
    """The header and the non-blank data rows of a file, each with its spreadsheet row number."""

    headers: list[str]
    rows: list[tuple[int, list[Any]]]


def is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())
