"""A report as an accessible PDF (A4, PDF/UA-1) that a school board can put on the table and a
screen reader can read: an HTML template (templates/report.html) rendered by WeasyPrint as tagged
PDF with its fonts embedded and the text in reading order (issue 17, item 9). A header (title,
school or partnership, period, the day it was compiled, language), the key figures, bar charts
(SVG images with alt text, adapters/chart_svg.py), every figure in a table (header cells tagged
as such) and what each figure counts. The numbers are the report's own, written as every other
download writes them (domain/formats.py): "<5" where it suppresses, "x" where it hides a count so
that no "<5" can be worked out, "–" for a figure left out; the charts leave suppressed counts out
and say so in a footnote (domain/charts.py).

The tagged-PDF part (WeasyPrint, Pango missing as PdfUnavailable, the same bytes for the same
report) is shared/pdf.py, which the cases service's OPP document uses too.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from services.reports.adapters import chart_svg
from services.reports.domain import charts, formats, labels
from services.reports.domain.charts import Chart, Scope
from services.reports.domain.report import (
    TLV,
    TLV_CATEGORIES,
    TLV_DECISIONS,
    TLV_SCHOOL_TYPES,
    Shown,
)
from services.reports.domain.table import Path, flatten
from shared import pdf as shared_pdf
from shared.pdf import MIMETYPE, PdfUnavailable  # noqa: F401 - re-exported

# The page's width inside its margins, in points (A4 is 595 pt wide, 16 mm margins each side).
WIDTH = 595.28 - 2 * 45.35

TEXTS: dict[str, tuple[str, str]] = {
    "school": ("School", "School"),
    "partnership": ("Samenwerkingsverband", "Partnership"),
    "period": ("Periode", "Period"),
    "compiled": ("Opgesteld op", "Compiled on"),
    "language": ("Taal", "Language"),
    "language_name": ("Nederlands", "English"),
    "periodic": ("Periodieke rapportage", "Periodic report"),
    "key_figures": ("Kerncijfers", "Key figures"),
    "key_figures_per_school": ("Kerncijfers per school", "Key figures per school"),
    "all_figures": ("Alle cijfers", "All figures"),
    "figure": ("Cijfer", "Figure"),
    "no_data": ("Geen gegevens in deze periode.", "No data in this period."),
    "page": ("Pagina", "Page"),
    "exact": (
        "De cijfers van de school zijn exact. In het gemiddelde van het samenwerkingsverband staat "
        "een aantal van 1 tot 4 als <5; x: onderdrukt om terugrekenen te voorkomen.",
        "The school's figures are exact. In the partnership's average a count of 1 to 4 reads <5; "
        "x: suppressed to prevent back-calculation.",
    ),
    "suppressed": (
        "Een aantal van 1 tot 4 staat als <5 (kleine aantallen); x: onderdrukt om terugrekenen te "
        "voorkomen.",
        "A count of 1 to 4 reads <5 (small numbers); x: suppressed to prevent back-calculation.",
    ),
}
PERIOD_KINDS: dict[str, tuple[str, str]] = {
    "month": ("maand", "month"),
    "quarter": ("kwartaal", "quarter"),
    "school_year": ("schooljaar", "school year"),
}
HEADLINE: list[Path] = [
    ("interventions", "started"),
    ("interventions", "evaluated"),
    ("interventions", "share_evaluated_on_time"),
    ("interventions", "median_days"),
    ("development_plans", "new"),
    ("development_plans", "active"),
    ("plan_evaluations", "due"),
    ("plan_evaluations", "overdue"),
    ("referrals", "requested"),
]
PER_SCHOOL: list[Path] = [HEADLINE[i] for i in (0, 1, 2, 4, 7, 8)]
# The section on TLV applications and decisions: every figure beside the average in a school's
# report; per school in the partnership's (the categories, too many columns for a row per
# school, are in its table of all figures and in every download).
TLV_FIGURES: list[Path] = [
    (TLV, "submitted"),
    (TLV, "submitted_without_agreement"),
    (TLV, "decided"),
    *((TLV, d) for d in TLV_DECISIONS),
    *((TLV, "granted_by_school_type", t) for t in TLV_SCHOOL_TYPES),
    *((TLV, "so_by_category", c) for c in TLV_CATEGORIES),
    (TLV, "median_days_to_decision"),
    (TLV, "decided_late"),
]
TLV_PER_SCHOOL: list[Path] = [TLV_FIGURES[i] for i in (0, 1, 3, 4, 5, 6, 10, 11)]


def _t(key: str, lang: str) -> str:
    return TEXTS[key][labels.LANGUAGES.index(lang)]


@cache
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("services.reports.adapters", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
    )


def html(report: dict[str, Any], period_kind: str | None = None) -> str:
    """The report (a school's or the partnership's, in its `language`) as the HTML the PDF is
    made of; `period_kind` marks a periodic report as compiled ('month', 'quarter',
    'school_year')."""
    lang = report["language"]
    start, end = _day(report["period"]["start"]), _day(report["period"]["end"])
    subject = labels.school(report) if report["kind"] == "school" else labels.partnership(report)
    return (
        _templates()
        .get_template("report.html")
        .render(
            lang=lang,
            title=labels.title(report["kind"], subject, start, end, lang),
            page_label=_t("page", lang),
            header=_header(report, period_kind),
            note=_t(_note(report), lang),
            key_figures=_key_figures(report),
            tlv=_tlv(report),
            charts=[_chart(c, i == 0, lang) for i, c in enumerate(charts.report_charts(report))],
            no_data=_t("no_data", lang),
            all_figures=_figures_table(_t("all_figures", lang), charts.scopes(report), None, lang),
            dash=f"{formats.HIDDEN} : {labels.marker(formats.HIDDEN, lang)}.",
            explanations_title=labels.explanation_header("title", lang),
            explanations=labels.explanations(lang),
        )
    )


def document(report: dict[str, Any], period_kind: str | None = None) -> bytes:
    """The report as the bytes of a tagged PDF (PDF/UA-1); see `html`. The same report gives the
    same bytes (shared/pdf.py)."""
    return shared_pdf.render(html(report, period_kind), "PDF reports")


def _note(report: dict[str, Any]) -> str:
    """Which note on suppression the header carries."""
    return "exact" if report["kind"] == "school" and not report["suppressed"] else "suppressed"


def _day(value: date | str) -> date:
    """A date from a report, whether fresh (a date) or stored as JSON (ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _header(report: dict[str, Any], period_kind: str | None) -> list[tuple[str, str]]:
    lang = report["language"]
    start, end = _day(report["period"]["start"]), _day(report["period"]["end"])
    period = labels.TITLES["period"][labels.LANGUAGES.index(lang)]
    lines = [
        (_t("partnership", lang), labels.partnership(report)),
        (
            _t("period", lang),
            period.format(start=labels.day(start, lang), end=labels.day(end, lang)),
        ),
        (_t("compiled", lang), labels.day(_day(report["as_of"]), lang)),
        (_t("language", lang), _t("language_name", lang)),
    ]
    if report["kind"] == "school":
        lines.insert(0, (_t("school", lang), labels.school(report)))
    if period_kind:
        kind = PERIOD_KINDS[period_kind][labels.LANGUAGES.index(lang)]
        lines.append((_t("periodic", lang), kind))
    return lines


def _key_figures(report: dict[str, Any]) -> dict[str, Any]:
    lang = report["language"]
    if report["kind"] == "school":
        return _figures_table(_t("key_figures", lang), charts.scopes(report), HEADLINE, lang)
    return _per_school_table(_t("key_figures_per_school", lang), report, PER_SCHOOL)


def _tlv(report: dict[str, Any]) -> dict[str, Any]:
    """The section "Toelaatbaarheidsverklaringen": the school beside the average, or a row per
    school and the total."""
    lang = report["language"]
    title = labels.section(TLV, lang)
    if report["kind"] == "school":
        return _figures_table(title, charts.scopes(report), TLV_FIGURES, lang)
    return _per_school_table(title, report, TLV_PER_SCHOOL)


def _per_school_table(title: str, report: dict[str, Any], paths: list[Path]) -> dict[str, Any]:
    """A partnership's figures as a row per school, the total last, a column per path."""
    lang = report["language"]
    rows = [(labels.school(x), x["figures"]) for x in report["schools"]]
    rows.append((labels.column("total", lang), report["total"]["figures"]))
    return {
        "title": title,
        "header": [labels.column("scope", lang), *(labels.figure(p, lang) for p in paths)],
        "rows": [[name, *(formats.shown(_at(f, p), p, lang) for p in paths)] for name, f in rows],
        "small": True,
        "total_last": True,
    }


def _figures_table(
    title: str, scopes: list[Scope], only: list[Path] | None, lang: str
) -> dict[str, Any]:
    """Figures as rows, scopes as columns: the given paths, or every figure of the scopes."""
    paths: list[Path] = list(only or [])
    if only is None:
        for _, sections in scopes:
            paths.extend(p for p, _ in flatten(sections) if p not in paths)
    return {
        "title": title,
        "header": [_t("figure", lang), *(name for name, _ in scopes)],
        "rows": [
            [labels.figure(p, lang), *(formats.shown(_at(f, p), p, lang) for _, f in scopes)]
            for p in paths
        ],
        "small": False,
        "total_last": False,
    }


def _at(sections: dict[str, Any], path: Path) -> Shown:
    """A figure by its path; one a scope lacks (a domain with nothing there) is 0."""
    value: Any = sections
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return 0
        value = value[key]
    return value


def _chart(chart: Chart, whole: bool, lang: str) -> dict[str, Any]:
    """A chart's title, its image and alt text (none when there is nothing to draw: a line says
    so) and its footnote."""
    drawable = bool(chart.categories) and (chart.has_bars() or chart.left_out or chart.withheld)
    width = WIDTH if whole else WIDTH / 2 - 6
    return {
        "title": chart.title,
        "image": chart_svg.data_uri(chart_svg.svg(chart, width, lang)) if drawable else None,
        "alt": charts.description(chart, lang),
        "footnote": charts.footnote(chart, lang),
    }
