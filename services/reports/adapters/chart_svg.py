"""A report's bar charts (domain/charts.py) as SVG images for the PDF's HTML: each series in its
look (colour and pattern, white hatching drawn over the colour), a value at each bar's end, the
marker ("<5", "x") where a suppressed bar is left out, the axis from 0 in whole steps, and a
legend. The chart's meaning in words is its alt text (charts.description), not part of the image.

The effect per domain lies down (long domain names read best on the left, the legend on the
right); the others stand up, the legend below. Sizes are in points, as drawn on the page.
"""

from __future__ import annotations

import base64
import math
import textwrap
from xml.sax.saxutils import escape, quoteattr

from services.reports.domain import formats
from services.reports.domain.charts import Chart, Look, Pattern

FONT = 'font-family="DejaVu Sans, sans-serif"'
GRID, GRID_LIGHT, GREY = "#B0B0B0", "#E4E4E4", "#555555"
HATCH_SPACING, HATCH_WIDTH = 2.6, 0.7
ANGLES: dict[Pattern, tuple[int, ...]] = {
    Pattern.SOLID: (),
    Pattern.HATCHED: (45,),
    Pattern.CROSS_HATCHED: (45, 135),
}


def data_uri(svg: str) -> str:
    """An SVG document as a data: URI for an <img>."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def svg(chart: Chart, width: float, lang: str) -> str:
    """The chart as an SVG document `width` points wide."""
    if chart.key == "effect_by_domain":
        body, height = _horizontal(chart, width, lang)
    else:
        body, height = _vertical(chart, width, lang)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}pt" height="{height:g}pt" '
        f'viewBox="0 0 {width:g} {height:g}">{"".join(body)}</svg>'
    )


def _scale(chart: Chart) -> tuple[float, float]:
    """The value axis: (highest value drawn, step), from 0 in whole steps; 0 to 1 when empty."""
    highest = chart.highest()
    step = 1 if highest <= 5 else -(-int(highest) // 5)
    top = max(step * -(-int(highest * 1.15 + 0.5) // step), 1)
    return float(top), float(step)


def _number(value: float, lang: str) -> str:
    if float(value).is_integer():
        return formats.count(int(value), lang)
    return formats.decimal(value, lang)


def _text(x: float, y: float, text: str, size: float = 7, anchor: str = "start", **kw: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in kw.items())
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" {FONT} font-size="{size:g}" '
        f'text-anchor="{anchor}"{extra}>{escape(text)}</text>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 0.5) -> str:
    return (
        f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}" '
        f'stroke="{colour}" stroke-width="{width:g}"/>'
    )


def _bar(x: float, y: float, w: float, h: float, look: Look) -> list[str]:
    """A rectangle in the look's colour, its pattern in white lines over it."""
    if w <= 0 or h <= 0:
        return []  # a zero: its value label alone
    out = [f'<rect x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}" fill="{look.colour}"/>']
    if w < 0.5 or h < 0.5:
        return out
    step = HATCH_SPACING * math.sqrt(2)
    x1, y1 = x + w, y + h
    for angle in ANGLES[look.pattern]:
        if angle == 45:  # lines y = x - c
            c = x - y1
            while c <= x1 - y:
                a, b = max(x, y + c), min(x1, y1 + c)
                if b > a:
                    out.append(_line(a, a - c, b, b - c, "#FFFFFF", HATCH_WIDTH))
                c += step
        else:  # 135: lines y = c - x
            c = x + y
            while c <= x1 + y1:
                a, b = max(x, c - y1), min(x1, c - y)
                if b > a:
                    out.append(_line(a, c - a, b, c - b, "#FFFFFF", HATCH_WIDTH))
                c += step
    return out


def _legend(chart: Chart, x: float, y: float) -> list[str]:
    """A swatch and a name per series, one below the other from (x, y)."""
    out: list[str] = []
    for i, series in enumerate(chart.series):
        top = y + i * 10
        out += _bar(x, top, 7, 7, series.look)
        out.append(_text(x + 11, top + 6.2, series.name))
    return out


def _horizontal(chart: Chart, width: float, lang: str) -> tuple[list[str], float]:
    n = max(len(chart.series), 1)
    left, right, bottom = 150.0, 130.0, 16.0
    plot_w = width - left - right
    group = 9 * n + 10
    plot_h = max(len(chart.categories), 1) * group
    height = plot_h + bottom + 6
    top, step = _scale(chart)
    scale = plot_w / top
    out = _axis_horizontal(left, plot_w, plot_h, top, step, lang)
    for c, name in enumerate(chart.categories):
        y0 = 3 + c * group
        for line_no, part in enumerate(textwrap.wrap(name, 34)[:3]):
            out.append(_text(left - 4, y0 + 7 + line_no * 8, part, anchor="end"))
        for i, series in enumerate(chart.series):
            y = y0 + i * 9
            value = series.values[c]
            if value is None:
                marker = series.markers[c] if c < len(series.markers) else None
                if marker:
                    out.append(_text(left + 2, y + 6.5, marker, 6.5, fill=GREY))
                continue
            out += _bar(left, y, value * scale, 8, series.look)
            out.append(_text(left + value * scale + 2, y + 6.5, series.texts[c], 6.5))
    out += _legend(chart, width - right + 18, 2)
    return out, height


def _axis_horizontal(
    left: float, plot_w: float, plot_h: float, top: float, step: float, lang: str
) -> list[str]:
    out: list[str] = []
    value = 0.0
    while value <= top + 1e-9:
        x = left + value / top * plot_w
        out.append(_line(x, 0, x, plot_h, GRID_LIGHT))
        out.append(_text(x, plot_h + 10, _number(value, lang), anchor="middle"))
        value += step
    out.append(_line(left, 0, left, plot_h, GRID))
    return out


def _vertical(chart: Chart, width: float, lang: str) -> tuple[list[str], float]:
    n = max(len(chart.series), 1)
    left, plot_top, plot_h = 24.0, 8.0, 105.0
    plot_w = width - left - 6
    cats = max(len(chart.categories), 1)
    wrap = max(int(plot_w / cats / 3.6), 8)
    names = [textwrap.wrap(c, wrap)[:3] for c in chart.categories]
    label_h = 8 * max((len(x) for x in names), default=1) + 4
    legend_y = plot_top + plot_h + label_h + 4
    height = legend_y + 10 * n + 2
    top, step = _scale(chart)
    base = plot_top + plot_h
    out: list[str] = []
    value = 0.0
    while value <= top + 1e-9:
        y = base - value / top * plot_h
        out.append(_line(left, y, left + plot_w, y, GRID_LIGHT))
        out.append(_text(left - 3, y + 2.5, _number(value, lang), anchor="end"))
        value += step
    out.append(_line(left, base, left + plot_w, base, GRID))
    slot = plot_w / cats
    bar_w = min((slot - 8) / n, 28)
    for c, lines in enumerate(names):
        x0 = left + c * slot + (slot - bar_w * n) / 2
        for line_no, part in enumerate(lines):
            out.append(
                _text(left + (c + 0.5) * slot, base + 9 + line_no * 8, part, anchor="middle")
            )
        for i, series in enumerate(chart.series):
            x = x0 + i * bar_w
            v = series.values[c]
            mid = x + bar_w / 2
            if v is None:
                marker = series.markers[c] if c < len(series.markers) else None
                if marker:
                    out.append(_text(mid, base - 2, marker, 6.5, "middle", fill=GREY))
                continue
            h = v / top * plot_h
            out += _bar(x + 0.5, base - h, bar_w - 1, h, series.look)
            out.append(_text(mid, base - h - 2, series.texts[c], 6.5, "middle"))
    out += _legend(chart, left, legend_y)
    return out, height
