"""A line chart as an inline SVG string: a pure function of its data points (no Django, no I/O).

Used by the window-shopping page for "What if my income changes?". The SVG is an image for
assistive technology (``role="img"`` with ``<title>`` and ``<desc>``); the page shows the same
figures in a table. Lines differ by dash pattern as well as colour (WCAG 1.4.1), every colour has
at least 3:1 contrast against white (WCAG 1.4.11), and the text is large enough to read when the
chart shrinks to a 375 px wide screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from html import escape

Number = Decimal | float | int

WIDTH, HEIGHT = 560, 420
LEFT, RIGHT, TOP, BOTTOM = 78, 44, 80, 70
FONT = 17
MARK_ROW = 22  # vertical distance between staggered change markers


@dataclass(frozen=True, slots=True)
class Series:
    key: str  # a stable name, used as a CSS class and data attribute
    label: str
    values: tuple[Number | None, ...]  # one per x; None leaves a gap
    color: str
    dash: str = ""  # stroke-dasharray; "" for a solid line
    width: float = 3


@dataclass(frozen=True, slots=True)
class Band:
    """A shaded stretch of the x axis, e.g. where everyone may get MassHealth."""

    x0: Number
    x1: Number
    label: str


@dataclass(frozen=True, slots=True)
class Marker:
    """A vertical line at x with a short label (a number the page explains in a list)."""

    x: Number
    label: str
    title: str = ""


@dataclass(frozen=True, slots=True)
class Tick:
    x: Number
    lines: tuple[str, ...]  # one or two lines of text under the axis


@dataclass(frozen=True, slots=True)
class LineChart:
    title: str
    description: str
    xs: tuple[Number, ...]
    series: tuple[Series, ...]
    x_ticks: tuple[Tick, ...] = ()
    bands: tuple[Band, ...] = ()
    markers: tuple[Marker, ...] = ()
    you_x: Number | None = None  # the household's own x, drawn as a solid vertical line
    you_values: tuple[Number | None, ...] = ()  # the series at you_x (dots on the lines)
    you_label: str = "You"
    x_label: str = ""
    id: str = "chart"


def nice_step(span: float, target: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about ``target`` ticks."""
    if span <= 0:
        return 1.0
    raw = span / target
    power = 10.0 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return 10.0 * power


def money_tick(value: float) -> str:
    return f"${value:,.0f}"


def _f(value: float) -> str:
    """A coordinate with at most one decimal place."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def render(chart: LineChart) -> str:
    """The chart as an ``<svg>`` element (a string of markup, text escaped)."""
    xs = [float(x) for x in chart.xs]
    if not xs:
        raise ValueError("a chart needs at least one x value")
    for s in chart.series:
        if len(s.values) != len(xs):
            raise ValueError(f"series {s.key}: {len(s.values)} values for {len(xs)} x values")
    x_min, x_max = min(xs), max(xs)
    if x_max == x_min:
        x_max = x_min + 1
    values = [float(v) for s in chart.series for v in s.values if v is not None]
    values += [float(v) for v in chart.you_values if v is not None]
    y_top = max([*values, 0.0])
    step = nice_step(y_top if y_top > 0 else 100)
    y_max = max(step, math.ceil(y_top / step) * step)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def px(x: float) -> float:
        return LEFT + (x - x_min) / (x_max - x_min) * plot_w

    def py(y: float) -> float:
        return TOP + plot_h - y / y_max * plot_h

    title_id, desc_id = f"{chart.id}-title", f"{chart.id}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" class="line-chart" '
        f'id="{escape(chart.id)}" data-points="{len(xs)}" '
        f'font-family="Source Sans Pro Web, Helvetica Neue, Helvetica, Roboto, Arial, sans-serif" '
        f'font-size="{FONT}">',
        f'<title id="{title_id}">{escape(chart.title)}</title>',
        f'<desc id="{desc_id}">{escape(chart.description)}</desc>',
    ]
    # Shaded bands (behind everything).
    for band in chart.bands:
        x0, x1 = px(float(band.x0)), px(float(band.x1))
        out.append(
            f'<rect class="band" x="{_f(x0)}" y="{TOP}" width="{_f(max(x1 - x0, 0))}" '
            f'height="{plot_h}" fill="#e7f6f8"/>'
        )
        if x1 - x0 > 70:
            out.append(
                f'<text x="{_f((x0 + x1) / 2)}" y="{TOP + 22}" text-anchor="middle" '
                f'fill="#1b1b1b">{escape(band.label)}</text>'
            )
    # Grid and y axis.
    tick = 0.0
    while tick <= y_max + step / 1000:
        y = py(tick)
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_f(y)}" y2="{_f(y)}" '
            f'stroke="{"#565c65" if tick == 0 else "#dfe1e2"}" stroke-width="1"/>'
        )
        out.append(
            f'<text x="{LEFT - 8}" y="{_f(y + 6)}" text-anchor="end" fill="#1b1b1b">'
            f"{escape(money_tick(tick))}</text>"
        )
        tick += step
    # X ticks.
    for t in chart.x_ticks:
        x = px(float(t.x))
        out.append(
            f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{TOP + plot_h}" y2="{TOP + plot_h + 6}" '
            f'stroke="#565c65"/>'
        )
        for i, line in enumerate(t.lines):
            out.append(
                f'<text x="{_f(x)}" y="{TOP + plot_h + 24 + i * (FONT + 3)}" '
                f'text-anchor="middle" fill="#1b1b1b">{escape(line)}</text>'
            )
    if chart.x_label:
        out.append(
            f'<text x="{_f(LEFT + plot_w / 2)}" y="{HEIGHT - 4}" text-anchor="middle" '
            f'fill="#1b1b1b" font-weight="bold">{escape(chart.x_label)}</text>'
        )
    # Change markers: dashed lines, numbered circles staggered when close.
    last_x: list[float] = []
    for m in chart.markers:
        x = px(float(m.x))
        row = 0
        while row < len(last_x) and x - last_x[row] < 26:
            row += 1
        if row == len(last_x):
            last_x.append(x)
        else:
            last_x[row] = x
        cy = TOP - 14 - (row % 3) * MARK_ROW  # three rows of markers above the plot
        out.append(
            f'<g class="marker" data-x="{escape(str(m.x))}">'
            f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{_f(cy + 11)}" y2="{TOP + plot_h}" '
            f'stroke="#71767a" stroke-width="1.5" stroke-dasharray="4 4"/>'
            f'<circle cx="{_f(x)}" cy="{_f(cy)}" r="11" fill="#ffffff" stroke="#565c65"/>'
            f'<text x="{_f(x)}" y="{_f(cy + 5)}" text-anchor="middle" font-size="14" '
            f'fill="#1b1b1b">{escape(m.label)}</text></g>'
        )
    # The lines.
    for s in chart.series:
        segments: list[list[str]] = [[]]
        for x, v in zip(xs, s.values, strict=True):
            if v is None:
                if segments[-1]:
                    segments.append([])
                continue
            segments[-1].append(f"{_f(px(x))},{_f(py(float(v)))}")
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        out.append(
            f'<g class="series series-{escape(s.key)}" data-series="{escape(s.key)}" '
            f'data-count="{sum(len(seg) for seg in segments)}">'
        )
        for seg in segments:
            if not seg:
                continue
            out.append(
                f'<polyline fill="none" stroke="{s.color}" stroke-width="{s.width}" '
                f'stroke-linejoin="round" stroke-linecap="round"{dash} '
                f'points="{" ".join(seg)}"/>'
            )
        out.append("</g>")
    # The household's own income.
    if chart.you_x is not None and x_min <= float(chart.you_x) <= x_max:
        x = px(float(chart.you_x))
        out.append(
            f'<g class="you"><line x1="{_f(x)}" x2="{_f(x)}" y1="{TOP}" y2="{TOP + plot_h}" '
            f'stroke="#1b1b1b" stroke-width="2"/>'
        )
        for s, v in zip(chart.series, chart.you_values, strict=False):
            if v is not None:
                out.append(
                    f'<circle cx="{_f(x)}" cy="{_f(py(float(v)))}" r="6" fill="{s.color}" '
                    f'stroke="#ffffff" stroke-width="2"/>'
                )
        anchor, dx = ("start", 6) if x < LEFT + plot_w * 0.7 else ("end", -6)
        out.append(
            f'<text x="{_f(x + dx)}" y="{TOP + 18}" text-anchor="{anchor}" fill="#1b1b1b" '
            f'font-weight="bold">{escape(chart.you_label)}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


def swatch(series: Series, width: int = 36, height: int = 12) -> str:
    """A small legend sample of a series' line (decorative: hidden from assistive technology)."""
    dash = f' stroke-dasharray="{series.dash}"' if series.dash else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false">'
        f'<line x1="2" x2="{width - 2}" y1="{height / 2}" y2="{height / 2}" '
        f'stroke="{series.color}" stroke-width="{series.width}" stroke-linecap="round"{dash}/>'
        "</svg>"
    )
