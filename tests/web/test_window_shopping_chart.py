"""apps/web/chart.py: the income chart as a pure function from points to an SVG string."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from apps.web.chart import Band, LineChart, Marker, Series, Tick, nice_step, render, swatch

SVG = "{http://www.w3.org/2000/svg}"


def chart(**changes: object) -> LineChart:
    base: dict[str, object] = {
        "title": "What if <my> income changes?",
        "description": "Help & prices",
        "xs": (Decimal(10_000), Decimal(20_000), Decimal(30_000), Decimal(40_000)),
        "series": (
            Series("help", "Help", (None, Decimal(500), Decimal(400), Decimal(0)), "#005ea2"),
            Series("price", "Price", (None, None, Decimal(100), Decimal(900)), "#b50909", "8 4"),
        ),
        "x_ticks": (Tick(Decimal(20_000), ("100%", "$20k")),),
        "bands": (Band(Decimal(10_000), Decimal(15_000), "MassHealth"),),
        "markers": (Marker(Decimal(15_000), "1", "MassHealth ends"),),
        "you_x": Decimal(25_000),
        "you_values": (Decimal(450), None),
    }
    base.update(changes)
    return LineChart(**base)  # type: ignore[arg-type]


def test_render_is_well_formed_accessible_svg() -> None:
    svg = render(chart())
    root = ET.fromstring(svg)  # well-formed XML: text is escaped
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-title chart-desc"
    assert root.get("data-points") == "4"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == "What if <my> income changes?"
    assert desc is not None and desc.text == "Help & prices"
    assert "&lt;my&gt;" in svg


def test_gaps_split_a_line_and_points_are_counted() -> None:
    root = ET.fromstring(render(chart()))
    groups = {g.get("data-series"): g for g in root.iter(f"{SVG}g") if g.get("data-series")}
    help_lines = groups["help"].findall(f"{SVG}polyline")
    assert len(help_lines) == 1
    assert len(help_lines[0].get("points", "").split()) == 3
    assert groups["help"].get("data-count") == "3"
    price = groups["price"].findall(f"{SVG}polyline")
    assert [len(p.get("points", "").split()) for p in price] == [2]
    assert price[0].get("stroke-dasharray") == "8 4"

    gap = chart(
        series=(Series("s", "S", (Decimal(1), None, Decimal(2), Decimal(3)), "#000000"),),
        you_values=(),
    )
    lines = ET.fromstring(render(gap)).iter(f"{SVG}polyline")
    assert [len(p.get("points", "").split()) for p in lines] == [1, 2]


def test_coordinates_are_scaled_into_the_plot() -> None:
    svg = render(chart())
    points = [
        (float(x), float(y))
        for attr in re.findall(r'\spoints="([^"]+)"', svg)
        for x, y in (pair.split(",") for pair in attr.split())
    ]
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    assert min(xs) >= 0 and max(xs) <= 560
    assert min(ys) >= 0 and max(ys) <= 420
    # larger values are higher up (smaller y)
    root = ET.fromstring(svg)
    price = next(g for g in root.iter(f"{SVG}g") if g.get("data-series") == "price")
    line = price.find(f"{SVG}polyline")
    assert line is not None
    (_, y1), (_, y2) = (map(float, p.split(",")) for p in line.get("points", "").split())
    assert y2 < y1


def test_markers_band_and_your_income() -> None:
    root = ET.fromstring(render(chart()))
    markers = [g for g in root.iter(f"{SVG}g") if g.get("class") == "marker"]
    assert len(markers) == 1
    assert [t.text for t in markers[0].iter(f"{SVG}text")] == ["1"]
    assert [r for r in root.iter(f"{SVG}rect") if r.get("class") == "band"]
    you = [g for g in root.iter(f"{SVG}g") if g.get("class") == "you"]
    assert len(you) == 1
    assert len(you[0].findall(f"{SVG}circle")) == 1  # one value at your income
    outside = ET.fromstring(render(chart(you_x=Decimal(90_000))))
    assert not [g for g in outside.iter(f"{SVG}g") if g.get("class") == "you"]


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="series help: 2 values for 4 x values"):
        render(chart(series=(Series("help", "Help", (1, 2), "#000000"),)))
    with pytest.raises(ValueError, match="at least one x value"):
        render(chart(xs=(), series=()))


def test_all_empty_series_still_render() -> None:
    svg = render(chart(series=(Series("help", "Help", (None,) * 4, "#000000"),), you_values=()))
    ET.fromstring(svg)


@pytest.mark.parametrize(
    ("span", "step"), [(3000, 1000), (2400, 500), (900, 200), (120, 25), (0, 1)]
)
def test_nice_step(span: float, step: float) -> None:
    assert nice_step(span) == step


def test_swatch_is_decorative() -> None:
    s = swatch(Series("x", "X", (), "#005ea2", "2 6"))
    root = ET.fromstring(s)
    assert root.get("aria-hidden") == "true"
    assert 'stroke-dasharray="2 6"' in s
