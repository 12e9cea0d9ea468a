"""A report as a PDF (A4, reportlab) that a school board can put on the table: a header (title,
school or partnership, period, the day it was compiled, language), the key figures, bar charts
(reportlab.graphics) and every figure in a table. The numbers are the report's own, "<5" where it
suppresses and "x" where it hides a count so that no "<5" can be worked out; the charts leave
suppressed counts out and say so in a footnote (domain/charts.py).

Built with invariant=1: the same report gives the same bytes (no creation time, a fixed file id).
"""

from __future__ import annotations

import copy
import io
import textwrap
from collections.abc import Callable
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import BarChart, HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.textlabels import NA_Label
from reportlab.graphics.shapes import Drawing, Group, Hatching, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from services.reports.domain import charts, labels
from services.reports.domain.charts import Chart, Look, Pattern, Scope
from services.reports.domain.report import Shown
from services.reports.domain.table import Path, flatten

MIMETYPE = "application/pdf"
MARGIN = 1.6 * cm
WIDTH = A4[0] - 2 * MARGIN
# Bars take their series' look (domain/charts.py); the tables stay grey, so colour means a chart.
HATCH_ANGLES: dict[Pattern, tuple[float, ...]] = {
    Pattern.SOLID: (),
    Pattern.HATCHED: (45,),
    Pattern.CROSS_HATCHED: (45, 135),
}
GRID = colors.HexColor("#B0B0B0")
HEADER_FILL = colors.HexColor("#EEEEEE")

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
    "page": ("Pagina {n}", "Page {n}"),
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
    "dash": (
        "– : geen gegevens, of weggelaten omdat het op 1 tot 4 gevallen berust.",
        "– : no data, or left out as it rests on 1 to 4 cases.",
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


def _t(key: str, lang: str) -> str:
    return TEXTS[key][labels.LANGUAGES.index(lang)]


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", base["Normal"], fontSize=9, leading=12)
    return {
        "title": ParagraphStyle("title", base["Title"], fontSize=16, leading=20, alignment=0),
        "h2": ParagraphStyle(
            "h2", base["Heading2"], fontSize=12, spaceBefore=8, spaceAfter=4, keepWithNext=1
        ),
        "legend": ParagraphStyle(
            "legend", body, fontSize=7, leading=9, textColor=colors.dimgrey, keepWithNext=1
        ),
        "h3": ParagraphStyle(
            "h3", base["Heading3"], fontSize=10, spaceBefore=4, spaceAfter=2, keepWithNext=1
        ),
        "body": body,
        "cell": ParagraphStyle("cell", body, fontSize=8, leading=10),
        "note": ParagraphStyle("note", body, fontSize=7, leading=9, textColor=colors.dimgrey),
        "explanation": ParagraphStyle("explanation", body, fontSize=8, leading=10, spaceAfter=3),
    }


def document(report: dict[str, Any], period_kind: str | None = None) -> bytes:
    """The report (a school's or the partnership's, in its `language`) as the bytes of a PDF;
    `period_kind` marks a periodic report as compiled ('month', 'quarter', 'school_year')."""
    lang = report["language"]
    start, end = _day(report["period"]["start"]), _day(report["period"]["end"])
    subject = labels.school(report) if report["kind"] == "school" else labels.partnership(report)
    title = labels.title(report["kind"], subject, start, end, lang)
    s = _styles()
    story: list[Flowable] = [
        Paragraph(escape(title), s["title"]),
        *_header(report, period_kind, s),
        *_key_figures(report, s),
        *_charts(charts.report_charts(report), lang, s),
        Paragraph(_t("all_figures", lang), s["h2"]),
        Paragraph(escape(_t("dash", lang)), s["legend"]),
        _figures_table(charts.scopes(report), None, lang, s),
        *_explanations(lang, s),
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        lang=lang,
        invariant=1,
    )
    footer = _footer(lang)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _explanations(lang: str, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    """What each figure counts: its label in bold, then the explanation, one paragraph each."""
    return [
        Paragraph(escape(labels.explanation_header("title", lang)), s["h2"]),
        *(
            Paragraph(f"<b>{escape(label)}</b>: {escape(text)}", s["explanation"])
            for label, text in labels.explanations(lang)
        ),
    ]


def _day(value: date | str) -> date:
    """A date from a report, whether fresh (a date) or stored as JSON (ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _header(
    report: dict[str, Any], period_kind: str | None, s: dict[str, ParagraphStyle]
) -> list[Flowable]:
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
    rows = [
        [Paragraph(f"<b>{escape(k)}</b>", s["body"]), Paragraph(escape(v), s["body"])]
        for k, v in lines
    ]
    note = _t(
        "exact" if report["kind"] == "school" and not report["suppressed"] else "suppressed", lang
    )
    table = Table(rows, colWidths=[4.5 * cm, WIDTH - 4.5 * cm], hAlign="LEFT")
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])
    )
    return [table, Spacer(1, 4), Paragraph(escape(note), s["note"])]


def _key_figures(report: dict[str, Any], s: dict[str, ParagraphStyle]) -> list[Flowable]:
    lang = report["language"]
    if report["kind"] == "school":
        table = _figures_table(charts.scopes(report), HEADLINE, lang, s)
        return [Paragraph(_t("key_figures", lang), s["h2"]), table]
    rows = [(labels.school(x), x["figures"]) for x in report["schools"]]
    rows.append((labels.column("total", lang), report["total"]["figures"]))
    header = [labels.column("scope", lang), *(labels.figure(p, lang) for p in PER_SCHOOL)]
    body = [[name, *(_shown(_at(f, p), p, lang) for p in PER_SCHOOL)] for name, f in rows]
    first = 4.6 * cm
    widths = [first] + [(WIDTH - first) / len(PER_SCHOOL)] * len(PER_SCHOOL)
    table = _table(header, body, widths, s, small=True)
    table.setStyle(TableStyle([("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold")]))
    return [Paragraph(_t("key_figures_per_school", lang), s["h2"]), table]


def _figures_table(
    scopes: list[Scope], only: list[Path] | None, lang: str, s: dict[str, ParagraphStyle]
) -> Table:
    """Figures as rows, scopes as columns: the given paths, or every figure of the scopes."""
    paths: list[Path] = list(only or [])
    if only is None:
        for _, sections in scopes:
            paths.extend(p for p, _ in flatten(sections) if p not in paths)
    header = [_t("figure", lang), *(name for name, _ in scopes)]
    body = [
        [labels.figure(p, lang), *(_shown(_at(f, p), p, lang) for _, f in scopes)] for p in paths
    ]
    column = 4.4 * cm
    widths = [WIDTH - column * len(scopes)] + [column] * len(scopes)
    return _table(header, body, widths, s)


def _at(sections: dict[str, Any], path: Path) -> Shown:
    """A figure by its path; one a scope lacks (a domain with nothing there) is 0."""
    value: Any = sections
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return 0
        value = value[key]
    return value


def _shown(value: Shown, path: Path, lang: str) -> str:
    """A figure as text: "<5" and "x" as they are, a figure left out as a dash, a share as a
    percentage, with a decimal comma in Dutch."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if path[-1].startswith("share_"):
        text = f"{value * 100:.1f}%"
    else:
        text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace(".", ",") if lang == "nl" else text


def _table(
    header: list[str],
    body: list[list[str]],
    widths: list[float],
    s: dict[str, ParagraphStyle],
    small: bool = False,
) -> Table:
    cell = ParagraphStyle("small", s["cell"], fontSize=6.5, leading=8) if small else s["cell"]
    right = ParagraphStyle("right", cell, alignment=2)  # over the numbers
    head = [Paragraph(f"<b>{escape(h)}</b>", right if i else cell) for i, h in enumerate(header)]
    rows = [[Paragraph(escape(r[0]), cell), *r[1:]] for r in body]
    table = Table([head, *rows], colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (1, 1), (-1, -1), 7 if small else 8),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, GRID),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 if small else 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3 if small else 6),
            ]
        )
    )
    return table


def _charts(items: list[Chart], lang: str, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The first chart across the page, the others side by side below it."""
    first, *rest = items
    out: list[Flowable] = [Spacer(1, 6), KeepTogether(_chart_block(first, WIDTH, lang, s))]
    half = WIDTH / 2
    for i in range(0, len(rest), 2):
        pair = [_chart_block(c, half - 6, lang, s) for c in rest[i : i + 2]]
        grid = Table([pair], colWidths=[half] * len(pair), hAlign="LEFT")
        grid.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
        )
        out.append(grid)
    return out


def _chart_block(
    chart: Chart, width: float, lang: str, s: dict[str, ParagraphStyle]
) -> list[Flowable]:
    """A chart's title, its drawing (or a line saying there is nothing to draw) and footnote."""
    block: list[Flowable] = [Paragraph(escape(chart.title), s["h3"])]
    if chart.categories:
        block.append(_drawing(chart, width, lang))
    else:
        block.append(Paragraph(escape(_t("no_data", lang)), s["body"]))
    note = charts.footnote(chart, lang)
    if note:
        block.append(Paragraph(escape(note), s["note"]))
    return block


def _patterned(x: float, y: float, width: float, height: float, look: Look) -> Group:
    """A rectangle in the look's colour with its pattern drawn over it in white lines."""
    group = Group(
        Rect(x, y, width, height, fillColor=colors.HexColor(look.colour), strokeColor=None)
    )
    angles = HATCH_ANGLES[look.pattern]
    if angles and abs(width) > 0.5 and abs(height) > 0.5:
        corners = [x, y, x + width, y, x + width, y + height, x, y + height]
        lines = Hatching(spacings=2.6, angles=angles, xyLists=corners)
        lines.strokeColor, lines.strokeWidth = colors.white, 0.7
        group.add(lines)
    return group


class _PatternLegend(Legend):
    """A legend whose swatches show each series' pattern as well as its colour."""

    _looks: dict[str, Look]

    def _defaultSwatch(  # noqa: N802 - reportlab's name
        self,
        x: float,
        thisy: float,
        dx: float,
        dy: float,
        fillColor: Any,
        **_: Any,  # noqa: N803
    ) -> Group:
        return _patterned(x, thisy, dx, dy, self._looks[fillColor.hexval()])


class _Marked:
    """A bar chart that draws each bar in its series' look and writes each left-out bar's own
    marker ("<5" or "x") where it would be."""

    _markers: list[tuple[str | None, ...]]
    _looks: list[Look]

    def _makeBar(  # noqa: N802 - reportlab's name
        self,
        g: Any,
        x: float,
        y: float,
        width: float,
        height: float,
        rowNo: int,
        style: Any,  # noqa: N803
    ) -> None:
        g.add(_patterned(x, y, width, height, self._looks[rowNo]))

    def _addNABarLabel(  # noqa: N802 - reportlab's name
        self,
        g: Any,
        rowNo: int,
        colNo: int,
        *args: Any,
        **kw: Any,  # noqa: N803
    ) -> Any:
        label = copy.copy(kw.pop("na", None) or self.naLabel)  # type: ignore[attr-defined]
        markers = self._markers[rowNo] if rowNo < len(self._markers) else ()
        label.text = (markers[colNo] if colNo < len(markers) else None) or label.text
        return super()._addNABarLabel(g, rowNo, colNo, *args, na=label, **kw)  # type: ignore[misc]


class _HorizontalBars(_Marked, HorizontalBarChart):
    pass


class _VerticalBars(_Marked, VerticalBarChart):
    pass


def _drawing(chart: Chart, width: float, lang: str) -> Drawing:
    """The effect per domain as horizontal bars (long domain names read best on the left), its
    legend on the right; the others as vertical bars, the legend below."""
    n = len(chart.series)
    if chart.key == "effect_by_domain":
        bars: BarChart = _HorizontalBars()
        bars.x, bars.y, bars.width = 150, 18, width - 150 - 130
        bars.height = len(chart.categories) * (9 * n + 10)
        bars.categoryAxis.reverseDirection = 1  # the first domain on top ...
        order = list(reversed(range(n)))  # ... and its bars in the legend's order
        bars.categoryAxis.labels.boxAnchor = "e"
        bars.categoryAxis.labels.textAnchor = "end"
        bars.categoryAxis.labels.dx = -4
        names = [textwrap.fill(c, 34) for c in chart.categories]
        drawing = Drawing(width, bars.y + bars.height + 4)
        legend = _legend(chart, width - 112, drawing.height - 2)
        anchor = "w"
    else:
        legend_height = 10 * n + 4
        bars = _VerticalBars()
        bars.x, bars.y, bars.width, bars.height = 24, legend_height + 30, width - 30, 105
        order = list(range(n))
        bars.categoryAxis.labels.boxAnchor = "n"
        bars.categoryAxis.labels.dy = -3
        wrap = max(int(bars.width / len(chart.categories) / 3.6), 8)
        names = [textwrap.fill(c, wrap) for c in chart.categories]
        drawing = Drawing(width, bars.y + bars.height + 8)
        legend = _legend(chart, 4, legend_height)
        anchor = "s"
    bars.data = [list(chart.series[i].values) for i in order]
    bars._markers = [chart.series[i].markers for i in order]
    bars._looks = [chart.series[i].look for i in order]
    for position, i in enumerate(order):
        bars.bars[position].fillColor = colors.HexColor(chart.series[i].look.colour)
        bars.bars[position].strokeColor = None
    bars.categoryAxis.categoryNames = names
    _style(bars, chart, anchor, lang)
    drawing.add(bars)
    drawing.add(legend)
    if not chart.has_bars() and not chart.left_out and not chart.withheld:
        x, y = bars.x + bars.width / 2, bars.y + bars.height / 2
        note = String(x, y, _t("no_data", lang), textAnchor="middle", fontSize=8)
        note.fillColor = colors.dimgrey
        drawing.add(note)
    return drawing


def _style(bars: BarChart, chart: Chart, anchor: str, lang: str) -> None:
    """Axes, grid, a value at each bar's end, and "<5" or "x" where a suppressed bar is left
    out."""
    bars.categoryAxis.labels.fontSize = 7
    bars.categoryAxis.strokeColor = GRID
    _scale(bars, chart)
    bars.barLabelFormat = _formatter(lang)
    bars.barLabels.fontSize = 6.5
    bars.barLabels.boxAnchor = anchor
    bars.barLabels.nudge = 2
    bars.naLabel = NA_Label()
    bars.naLabel.text = ""  # each left-out bar's own marker (_Marked); a dash-less gap otherwise
    bars.naLabel.fontSize = 6.5
    bars.naLabel.boxAnchor = anchor
    bars.naLabel.nudge = 2
    bars.naLabel.fillColor = colors.dimgrey
    bars.barSpacing = 1
    bars.groupSpacing = 6


def _scale(bars: BarChart, chart: Chart) -> None:
    """A value axis from 0 in whole steps, 0 to 1 when there is nothing to draw."""
    highest = chart.highest()
    step = 1 if highest <= 5 else -(-int(highest) // 5)
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = max(step * -(-int(highest * 1.15 + 0.5) // step), 1)
    bars.valueAxis.valueStep = step
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.strokeColor = GRID
    bars.valueAxis.visibleGrid = 1
    bars.valueAxis.gridStrokeColor = colors.HexColor("#E4E4E4")


def _formatter(lang: str) -> Callable[[float], str]:
    def label(value: float) -> str:
        text = f"{value:g}"
        return text.replace(".", ",") if lang == "nl" else text

    return label


def _legend(chart: Chart, x: float, top: float) -> Legend:
    legend = _PatternLegend()
    legend._looks = {colors.HexColor(s.look.colour).hexval(): s.look for s in chart.series}
    legend.x, legend.y = x, top
    legend.boxAnchor = "nw"
    legend.alignment = "right"
    legend.columnMaximum = len(chart.series)
    legend.fontSize = 7
    legend.deltay = 10
    legend.dx = legend.dy = 7
    legend.dxTextSpace = 4
    legend.colorNamePairs = [(colors.HexColor(s.look.colour), s.name) for s in chart.series]
    return legend


def _footer(lang: str) -> Callable[[Canvas, Any], None]:
    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.dimgrey)
        canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, _t("page", lang).format(n=doc.page))
        canvas.restoreState()

    return draw
