"""A report as a table: one row per scope (a school, the total, the average), one column per
figure, with labels in the chosen language. Downloads (CSV, XLSX; PDF later) render this."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from services.reports.domain import labels
from services.reports.domain.report import Shown

Path = tuple[str, ...]


def flatten(sections: dict[str, Any], prefix: Path = ()) -> Iterator[tuple[Path, Shown]]:
    """Each figure of rendered sections with its path, in the report's order."""
    for key, value in sections.items():
        if isinstance(value, dict):
            yield from flatten(value, (*prefix, key))
        else:
            yield (*prefix, key), value


@dataclass(frozen=True)
class Table:
    """Labelled header and rows, ready to be written out; `keys` names each column: the fixed
    columns by their key ('scope', 'start', 'end'), a figure by its path in the report."""

    header: list[str]
    rows: list[list[Shown]]
    keys: list[Path] = field(default_factory=list)


def table(rows: list[tuple[str, dict[str, Any]]], start: str, end: str, lang: str) -> Table:
    """A table of (scope label, rendered sections) rows over one period. A figure a row lacks
    (a domain with nothing at that school) is 0 there."""
    flat = [(scope, dict(flatten(sections))) for scope, sections in rows]
    paths: list[Path] = []
    for _, figures in flat:
        paths.extend(p for p in figures if p not in paths)
    header = [labels.column(k, lang) for k in ("scope", "start", "end")]
    header += [labels.figure(p, lang) for p in paths]
    body = [[scope, start, end, *(figures.get(p, 0) for p in paths)] for scope, figures in flat]
    keys: list[Path] = [("scope",), ("start",), ("end",), *paths]
    return Table(header, body, keys)
