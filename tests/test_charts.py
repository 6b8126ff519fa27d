"""The inline SVG charts (calculators/web/charts.py): structure, accessibility, colours, and markers
that sit exactly where the engine says.

Positions are checked by redoing the chart's mapping here from the scale the plot publishes
(data-x-domain / data-x-range / data-x-scale), with the textbook formulas for a linear and a log axis,
against values from the engine (result.price, state_at, ladder rows, path steps). Expected prices of the
worked example come from algebra, not from the engine. Label boxes are estimated here from the text and
the chart's published font constants, independently of the chart's own placer.
"""

import math
import re
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from calculators import VENUES, InputError, leverage_ladder, liquidation_price
from calculators.comparisons import liquidation_path
from calculators.engine import state_at
from calculators.lending import price_for_liquidation
from calculators.markets import BTC, SOL
from calculators.web import charts

CSS = Path(__file__).resolve().parent.parent / "docs" / "assets" / "stylesheets" / "site.css"
SVG_NS = "{http://www.w3.org/2000/svg}"
COLOUR = re.compile(r"var\(--chart-([a-z-]+)\)")
SOME = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# The worked example: Binance, linear, isolated long of 0.1 BTC at 60,000 USDT, 10x, maintenance 0.4 %,
# no fees. Margin M = 0.1 * 60,000 / 10 = 600. Liquidation where M + Q (P - E) = m Q P:
# P = (Q E - M) / (Q (1 - m)) = 5,400 / 0.0996 = 54,216.867...; bankruptcy where equity is 0:
# P = E - M / Q = 54,000.
EXAMPLE = {
    "venue": "binance",
    "side": "long",
    "entry_price": 60_000,
    "quantity": 0.1,
    "leverage": 10,
    "maintenance_margin_rate": 0.004,
}
EXAMPLE_LIQUIDATION = 5_400 / 0.0996


def example():
    return liquidation_price(**EXAMPLE)


def ladder(rate=0.004, venue="binance"):
    return leverage_ladder(range(1, 101), venue=venue, maintenance_margin_rate=rate, entry_price=60_000)


def path_steps():
    return liquidation_path(
        venue="binance", side="long", entry_price=60_000, quantity=0.1, leverage=10, maintenance_margin_rate=0.004
    )[1]


# A loan, worked by hand: Aave's own example (calculators/scenarios.py, LENDING_EXAMPLE: "$10,000 of ETH",
# aave.com/help/borrowing/liquidations, read 2026-12-01): 5 ETH at $2,000 with an 80 % liquidation threshold
# against 6,000 USDC at $1. Health factor HF = a p LT / (d q) = 8,000 / 6,000 = 4/3; it reaches 1 at the ETH
# price p = d q / (a LT) = 6,000 / 4 = 1,500, a fall of 25 %. Priced the other way (the debt's price q moving),
# at q = a p LT / d = 4/3.
LOAN: dict[str, Any] = {
    "protocol": "aave-v3",
    "collaterals": [{"amount": 5, "price": 2_000, "liquidation_threshold": 0.8, "liquidation_bonus": 0.05}],
    "debts": [{"amount": 6_000, "price": 1}],
}


def algebra_hf(loan: dict, moving: str, price: float) -> float:
    """HF = sum(a p LT) / sum(d q), with the moving price replaced (one collateral, one debt)."""
    c, d = loan["collaterals"][0], loan["debts"][0]
    p = price if moving == "collaterals.0" else c["price"]
    q = price if moving == "debts.0" else d["price"]
    return c["amount"] * p * c["liquidation_threshold"] / (d["amount"] * q)


def health(loan: dict = LOAN, moving: str = "collaterals.0", id_prefix: str = "health") -> str:
    return charts.health_chart(loan, price_for_liquidation(**loan, moving=moving), id_prefix=id_prefix)


def all_charts() -> dict[str, str]:
    result, rows = example(), ladder()
    return {
        "leverage-curve": charts.leverage_curve(rows, bands=BTC, id_prefix="curve"),
        "price-line": charts.price_line(result, stop_price=57_000, id_prefix="line"),
        "show-the-math": charts.show_the_math(result, id_prefix="math"),
        "path": charts.path_chart(path_steps(), id_prefix="path"),
        "sparkline": charts.ladder_sparkline(rows, 10, id_prefix="spark"),
        "health": health(),
    }


# --- reading the markup ---------------------------------------------------------------------------


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(markup)  # raises on markup that is not well-formed
    for element in root.iter():
        element.tag = element.tag.removeprefix(SVG_NS)
    return root


def svg_of(root: ET.Element) -> ET.Element:
    (svg,) = root.iter("svg")
    return svg


def view_box(svg: ET.Element) -> tuple[float, float]:
    x0, y0, width, height = map(float, svg.get("viewBox", "").split())
    assert (x0, y0) == (0, 0)
    return width, height


def mapping(plot: ET.Element, axis: str):
    """The chart's mapping for one axis, redone from its published domain and range."""
    lo, hi = map(float, plot.get(f"data-{axis}-domain", "").split())
    start, end = map(float, plot.get(f"data-{axis}-range", "").split())
    if plot.get(f"data-{axis}-scale") == "log":
        return lambda v: start + (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * (end - start)
    return lambda v: start + (v - lo) / (hi - lo) * (end - start)


def plot_of(root: ET.Element) -> ET.Element:
    (plot,) = [g for g in root.iter("g") if g.get("class") == "plot"]
    return plot


def markers(root: ET.Element, key: str) -> list[ET.Element]:
    return [e for e in root.iter() if f"marker-{key}" in (e.get("class") or "").split()]


def text_boxes(svg: ET.Element) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every text's box from its lines, the published font size and a generous width per character."""
    boxes = []
    for text in svg.iter("text"):
        lines = [text.text or ""] + [span.text or "" for span in text.iter("tspan")]
        width = max(len(line) for line in lines) * charts.FONT * charts.CHAR_WIDTH
        x, y = float(text.get("x", "nan")), float(text.get("y", "nan"))
        anchor = text.get("text-anchor", "start")
        left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
        top = y - charts.ASCENT * charts.FONT
        bottom = y + (len(lines) - 1) * charts.LINE + charts.DESCENT * charts.FONT
        boxes.append((" / ".join(lines), (left, top, left + width, bottom)))
    return boxes


def check_layout(markup: str) -> None:
    """Finite coordinates; markers and labels inside the viewBox; no two labels overlapping."""
    root = parse(markup)
    svg = svg_of(root)
    width, height = view_box(svg)
    for element in svg.iter():
        for name in ("x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "width", "height"):
            if element.get(name) is not None:
                assert math.isfinite(float(element.get(name, ""))), (element.tag, name)
        if element.get("points"):
            assert all(math.isfinite(float(v)) for pair in element.get("points", "").split() for v in pair.split(","))
    for marker in (e for e in svg.iter() if "marker" in (e.get("class") or "").split()):
        xs = [float(marker.get(n, "")) for n in ("x", "x1", "x2", "cx") if marker.get(n) is not None]
        ys = [float(marker.get(n, "")) for n in ("y", "y1", "y2", "cy") if marker.get(n) is not None]
        assert all(-0.01 <= v <= width + 0.01 for v in xs), marker.attrib
        assert all(-0.01 <= v <= height + 0.01 for v in ys), marker.attrib
    boxes = text_boxes(svg)
    for text, (left, top, right, bottom) in boxes:
        assert left >= -0.01 and right <= width + 0.01 and top >= -0.01 and bottom <= height + 0.01, text
    for (a, box_a), (b, box_b) in combinations(boxes, 2):
        apart = box_a[2] <= box_b[0] or box_b[2] <= box_a[0] or box_a[3] <= box_b[1] or box_b[3] <= box_a[1]
        assert apart, f"labels overlap: {a!r} and {b!r}"


# --- structure and accessibility -------------------------------------------------------------------


@pytest.mark.parametrize("name", list(all_charts()))
def test_figure_structure(name):
    markup = all_charts()[name]
    root = parse(markup)
    assert root.tag == "figure"
    assert root.get("class", "").split() == ["chart", f"chart-{name}"]
    svg = svg_of(root)
    assert svg.get("role") == "img"
    prefix = root.get("id") or ""
    assert prefix
    assert svg.get("aria-labelledby") == f"{prefix}-title {prefix}-desc"
    title, desc = svg.find("title"), svg.find("desc")
    assert title is not None and title.get("id") == f"{prefix}-title" and (title.text or "").strip()
    assert desc is not None and desc.get("id") == f"{prefix}-desc" and (desc.text or "").strip()
    ids = [e.get("id") or "" for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert all(i == prefix or i.startswith(prefix + "-") for i in ids)
    caption = root.find("figcaption")
    assert caption is not None and "".join(caption.itertext()).strip()


@pytest.mark.parametrize("name", list(all_charts()))
def test_nothing_active_or_external(name):
    root = parse(all_charts()[name])
    tags = {e.tag for e in root.iter()}
    assert not tags & {"script", "foreignObject", "image", "use", "iframe", "object", "embed", "style", "link"}
    for element in root.iter():
        for attribute, value in element.attrib.items():
            assert not attribute.lower().startswith("on"), (element.tag, attribute)
            assert attribute not in ("style", "src")
            assert "javascript:" not in value.lower()
    for element in svg_of(root).iter():
        assert not any(a.endswith("href") for a in element.attrib), element.tag
    for link in root.iter("a"):  # source links in the caption: plain https navigation only
        assert link.get("href", "").startswith("https://")


def test_two_charts_on_one_page_have_distinct_ids():
    first = parse(charts.price_line(example(), id_prefix="one"))
    second = parse(charts.price_line(example(), id_prefix="two"))
    ids = [e.get("id") for root in (first, second) for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("bad", ["", "1abc", "a b", 'x"><script>', None])
def test_id_prefix_is_checked(bad):
    with pytest.raises(InputError) as error:
        charts.price_line(example(), id_prefix=bad)
    assert error.value.field == "id_prefix"


def test_text_alternatives_carry_the_numbers():
    figures = all_charts()
    line_desc = svg_of(parse(figures["price-line"])).find("desc")
    assert line_desc is not None
    for text in ("60,000.00", "57,000.00", "54,216.87", "54,000.00", "9.64% below entry", "10.00% below entry"):
        assert text in (line_desc.text or "")
    assert f"{EXAMPLE_LIQUIDATION:,.2f}" == "54,216.87"  # the algebra above, as the site writes it
    math_root = parse(figures["show-the-math"])
    assert "54,216.87" in (svg_of(math_root).find("desc").text or "")  # type: ignore[union-attr]
    equation = "".join(math_root.find("figcaption").itertext())  # type: ignore[union-attr]
    assert "P = 54,216.87" in equation
    # The data tables: one row per ladder rung, one per path step.
    curve_rows = parse(figures["leverage-curve"]).findall(".//tbody/tr")
    assert len(curve_rows) == 100
    path_rows = parse(figures["path"]).findall(".//tbody/tr")
    assert [r.find("td").text for r in path_rows][-1] == "Liquidation triggers"  # type: ignore[union-attr]


def test_readable_on_a_phone():
    # 390 px phone: page margins .8rem (16 px) and widget padding 1rem (20 px) each side, 1 px borders.
    assert charts.MIN_RENDER_WIDTH <= 390 - 2 * 16 - 2 * 20 - 2
    assert charts.FONT * charts.MIN_RENDER_WIDTH / charts.WIDTH >= 12
    for markup in all_charts().values():
        svg = svg_of(parse(markup))
        assert view_box(svg)[0] == charts.WIDTH
        assert svg.get("font-size") == str(charts.FONT)
        assert all(t.get("font-size") is None for t in svg.iter("text"))


@pytest.mark.parametrize("name", list(all_charts()))
def test_layout(name):
    check_layout(all_charts()[name])


# --- colours ------------------------------------------------------------------------------------------


def palettes() -> dict[str, dict[str, str]]:
    css = CSS.read_text(encoding="utf-8")
    block = css[css.index("/* --- charts --- */") :]
    found = {}
    for scheme in ("default", "slate"):
        match = re.search(r'\[data-md-color-scheme="' + scheme + r'"\][^{]*\{([^}]*)\}', block)
        assert match, f"no chart colours for the {scheme} palette"
        found[scheme] = dict(re.findall(r"--chart-([a-z-]+):\s*(#[0-9a-fA-F]{6})", match.group(1)))
    return found


def used_colours(markup: str) -> dict[str, set[str]]:
    """{colour name: {"text", "shape"}} for every paint in the chart; fails on any other paint."""
    used: dict[str, set[str]] = {}
    for element in svg_of(parse(markup)).iter():
        for attribute in ("fill", "stroke", "color", "stop-color"):
            value = element.get(attribute)
            if value is None or (value == "none" and attribute != "color"):
                continue
            match = COLOUR.fullmatch(value)
            assert match, f"{element.tag} {attribute}={value!r}: colours only through var(--chart-...)"
            used.setdefault(match.group(1), set()).add("text" if element.tag == "text" else "shape")
    return used


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# Page backgrounds: Material's white, and its slate hsl(232, 15%, 14%) = #1e2029.
BACKGROUNDS = {"default": "#ffffff", "slate": "#1e2029"}


def test_every_chart_colour_is_defined_for_both_palettes():
    defined = palettes()
    assert set(charts.COLOURS) <= set(defined["default"]) and set(charts.COLOURS) <= set(defined["slate"])
    for markup in all_charts().values():
        for name in used_colours(markup):
            assert name in defined["default"] and name in defined["slate"], name


def test_chart_colours_have_contrast_in_both_palettes():
    """WCAG: text 4.5:1 (1.4.3), lines and shapes that carry meaning 3:1 (1.4.11); the grid is decoration."""
    defined = palettes()
    uses: dict[str, set[str]] = {}
    for markup in all_charts().values():
        for name, kinds in used_colours(markup).items():
            uses.setdefault(name, set()).update(kinds)
    assert "grid" not in {n for n, kinds in uses.items() if "text" in kinds}
    for scheme, background in BACKGROUNDS.items():
        for name, kinds in uses.items():
            ratio = contrast(defined[scheme][name], background)
            if "text" in kinds:
                assert ratio >= 4.5, (scheme, name, ratio)
            elif name != "grid":
                assert ratio >= 3, (scheme, name, ratio)


# --- markers against the engine --------------------------------------------------------------------


def test_price_line_markers_sit_at_the_engine_prices():
    result = example()
    root = parse(charts.price_line(result, stop_price=57_000, id_prefix="p"))
    x = mapping(plot_of(root), "x")
    expected = {
        "entry": result.entry_price,
        "stop": 57_000.0,
        "liquidation": result.price,
        "bankruptcy": result.bankruptcy_price,
    }
    for key, price in expected.items():
        (marker,) = markers(root, key)
        assert float(marker.get("data-value", "")) == price
        assert float(marker.get("x1", "")) == pytest.approx(x(price), abs=0.006)
    assert result.price == pytest.approx(EXAMPLE_LIQUIDATION, rel=1e-12)
    assert result.bankruptcy_price == pytest.approx(54_000, rel=1e-12)


def test_price_line_without_a_liquidation_price():
    result = liquidation_price(**(EXAMPLE | {"leverage": 1}))  # a 1x linear long: no price above zero
    assert result.price is None
    root = parse(charts.price_line(result, id_prefix="p"))
    assert markers(root, "liquidation") == []
    assert "no liquidation price" in (svg_of(root).find("desc").text or "")  # type: ignore[union-attr]


def test_price_line_refuses_a_stop_on_the_wrong_side():
    with pytest.raises(InputError) as error:
        charts.price_line(example(), stop_price=61_000, id_prefix="p")
    assert error.value.field == "stop_price"


@pytest.mark.parametrize(
    "position",
    [
        EXAMPLE,
        EXAMPLE | {"side": "short", "leverage": 50, "venue": "bybit", "maintenance_margin_rate": 0.005},
        EXAMPLE | {"contract": "inverse", "venue": "bybit", "quantity": 6_000, "leverage": 20},
    ],
)
def test_show_the_math_crosses_at_the_liquidation_price(position):
    result = liquidation_price(**position)
    root = parse(charts.show_the_math(result, id_prefix="m"))
    plot = plot_of(root)
    x, y = mapping(plot, "x"), mapping(plot, "y")
    (marker,) = markers(root, "liquidation")
    price = float(marker.get("data-value", ""))
    assert price == result.price
    equity, maintenance = state_at(result, price)
    assert equity == pytest.approx(maintenance, rel=1e-9)  # the lines meet there
    assert float(marker.get("data-y-value", "")) == equity
    assert float(marker.get("cx", "")) == pytest.approx(x(price), abs=0.006)
    assert float(marker.get("cy", "")) == pytest.approx(y(equity), abs=0.006)
    (bankrupt,) = markers(root, "bankruptcy")
    assert float(bankrupt.get("data-value", "")) == result.bankruptcy_price
    assert float(bankrupt.get("cy", "")) == pytest.approx(y(0.0), abs=0.01)  # equity zero there


def test_show_the_math_lines_are_the_engines():
    result = example()
    root = parse(charts.show_the_math(result, id_prefix="m"))
    plot = plot_of(root)
    lo, hi = map(float, plot.get("data-x-domain", "").split())
    start, end = map(float, plot.get("data-x-range", "").split())
    y = mapping(plot, "y")
    equity_line, maintenance_line = [p for p in root.iter("polyline")][:2]
    for line, which in ((equity_line, 0), (maintenance_line, 1)):
        for pair in line.get("points", "").split():
            px, py = map(float, pair.split(","))
            price = lo + (px - start) / (end - start) * (hi - lo)
            # Coordinates are rounded to 0.005 units: allow that much, mapped back through the scale.
            assert py == pytest.approx(y(state_at(result, price)[which]), abs=0.05)


def test_leverage_curve_follows_the_ladder_and_the_bands():
    rows = ladder()
    root = parse(charts.leverage_curve(rows, bands=SOL, id_prefix="c"))
    plot = plot_of(root)
    x, y = mapping(plot, "x"), mapping(plot, "y")
    long_line = next(p for p in root.iter("polyline") if p.get("stroke") == "var(--chart-long)")
    points = [float(v) for pair in long_line.get("points", "").split() for v in pair.split(",")]
    drawn = [r for r in rows if r.long_adverse_move is not None and r.long_adverse_move >= charts.MIN_MOVE]
    assert len(drawn) == 99  # every rung but 1x (no liquidation price) at a 0.4 % rate
    expected = [v for r in drawn for v in (x(r.leverage), y(r.long_adverse_move))]
    assert points == pytest.approx(expected, abs=0.006)
    # Bands: one standard deviation over 1, 7 and 30 days = sigma * sqrt(days / 365).
    bands = [float(r.get("data-value", "")) for r in root.iter("rect") if r.get("class") == "band"]
    sigma = SOL.annualised_volatility
    assert bands == pytest.approx([sigma * math.sqrt(d / 365) for d in (1, 7, 30)], rel=1e-12)
    desc = svg_of(root).find("desc").text or ""  # type: ignore[union-attr]
    assert SOL.source in desc and SOL.period in desc
    # "from Nx": the first rung whose long move fits inside the day band, and the rung below does not.
    day = bands[0]
    first = int(re.search(r"day's move \([^)]*\) is enough to liquidate a long from (\d+)x up", desc).group(1))  # type: ignore[union-attr]
    by_leverage = {r.leverage: r.long_adverse_move for r in rows}
    assert by_leverage[first] <= day < by_leverage[first - 1]  # type: ignore[operator]


def test_path_bars_are_the_steps_margin_ratios():
    steps = path_steps()
    root = parse(charts.path_chart(steps, id_prefix="p"))
    y = mapping(plot_of(root), "y")
    bars = markers(root, "step")
    assert [float(b.get("data-value", "")) for b in bars] == [s.margin_ratio for s in steps]
    for bar, step in zip(bars, steps, strict=True):
        assert float(bar.get("y", "")) == pytest.approx(y(step.margin_ratio), abs=0.006)
    assert steps[-1].margin_ratio == pytest.approx(1.0)  # liquidation triggers at 100 %


@pytest.mark.parametrize(("mine", "row"), [(10, 10), (97, 97), (12.4, 12), (1, None)])
def test_sparkline_marks_your_row(mine, row):
    rows = ladder()
    root = parse(charts.ladder_sparkline(rows, mine, id_prefix="s"))
    found = markers(root, "mine")
    if row is None:  # 1x linear long: no liquidation price, nothing to mark on a log scale
        assert found == []
        return
    (marker,) = found
    plot = plot_of(root)
    x, y = mapping(plot, "x"), mapping(plot, "y")
    move = next(r.long_adverse_move for r in rows if r.leverage == row)
    assert float(marker.get("data-value", "")) == row
    assert float(marker.get("cx", "")) == pytest.approx(x(row), abs=0.006)
    assert float(marker.get("cy", "")) == pytest.approx(y(move), abs=0.006)


# --- any valid position renders -------------------------------------------------------------------

LINEAR_VENUES = [k for k, v in VENUES.items() if "linear" in v.contracts]
VENUE_CONTRACTS = [(k, c) for k, v in VENUES.items() for c in v.contracts]


@SOME
@given(
    venue_contract=st.sampled_from(VENUE_CONTRACTS),
    side=st.sampled_from(["long", "short"]),
    entry=st.floats(0.01, 1e6),
    quantity=st.floats(1e-3, 1e3),
    leverage_share=st.floats(0, 1),
    rate=st.floats(0, 0.05),
    fee=st.floats(0, 0.001),
    stop_share=st.none() | st.floats(0.01, 0.99),
)
def test_any_position_renders(venue_contract, side, entry, quantity, leverage_share, rate, fee, stop_share):
    venue, contract = venue_contract
    leverage = 1 + leverage_share * (VENUES[venue].max_leverage - 1)
    try:
        result = liquidation_price(
            venue=venue,
            side=side,
            contract=contract,
            entry_price=entry,
            quantity=quantity,
            leverage=leverage,
            maintenance_margin_rate=rate,
            taker_fee_rate=fee,
        )
    except InputError:
        assume(False)
        return
    stop = None
    if stop_share is not None:
        far = result.adverse_move if result.adverse_move else 0.5
        stop = entry * (1 - stop_share * far) if side == "long" else entry * (1 + stop_share * far)
        assume(stop != entry and stop > 0)
    check_layout(charts.price_line(result, stop_price=stop, id_prefix="p"))
    check_layout(charts.show_the_math(result, id_prefix="m"))


@SOME
@given(venue=st.sampled_from(LINEAR_VENUES), rate=st.floats(0, 0.05), mine=st.floats(1, 100))
def test_any_ladder_renders(venue, rate, mine):
    try:
        rows = leverage_ladder(range(1, 101), venue=venue, maintenance_margin_rate=rate)
    except InputError:
        assume(False)
        return
    check_layout(charts.leverage_curve(rows, bands=BTC, id_prefix="c"))
    check_layout(charts.leverage_curve(rows, id_prefix="c"))
    if any(r.long_adverse_move is not None and r.long_adverse_move >= charts.MIN_MOVE for r in rows):
        check_layout(charts.ladder_sparkline(rows, mine, id_prefix="s"))


@SOME
@given(
    side=st.sampled_from(["long", "short"]),
    leverage=st.floats(1, 125),
    rate=st.floats(0.001, 0.05),
    moves=st.lists(st.floats(0, 0.5), min_size=0, max_size=8),
)
def test_any_path_renders(side, leverage, rate, moves):
    try:
        _, steps = liquidation_path(
            venue="binance",
            side=side,
            entry_price=60_000,
            quantity=0.1,
            leverage=leverage,
            maintenance_margin_rate=rate,
            moves=moves,
        )
    except InputError:
        assume(False)
        return
    assume(steps)
    check_layout(charts.path_chart(steps, id_prefix="p"))


def test_curve_words_for_rungs_without_a_buffer():
    # 1/100 = 1 % is below a 2.5 % maintenance rate: the 100x rung has no buffer at all.
    rows = ladder(rate=0.025)
    assert rows[-1].long_adverse_move == 0
    desc = svg_of(parse(charts.leverage_curve(rows, id_prefix="c"))).find("desc").text or ""  # type: ignore[union-attr]
    assert "at 100x a long has no buffer (liquidated as it opens) and a short has no buffer" in desc


# --- the health factor chart (lending) ----------------------------------------------------------------


def test_health_chart_marks_today_and_the_liquidation_price_of_the_worked_loan():
    root = parse(health())
    plot = plot_of(root)
    x, y = mapping(plot, "x"), mapping(plot, "y")
    (today,) = markers(root, "entry")
    (trigger,) = markers(root, "liquidation")
    assert float(today.get("data-value", "")) == 2_000
    assert float(today.get("data-y-value", "")) == pytest.approx(4 / 3, rel=1e-12)
    assert float(trigger.get("data-value", "")) == pytest.approx(1_500, rel=1e-12)
    assert float(trigger.get("data-y-value", "")) == 1
    for marker in (today, trigger):
        assert float(marker.get("cx", "")) == pytest.approx(x(float(marker.get("data-value", ""))), abs=0.006)
        assert float(marker.get("cy", "")) == pytest.approx(y(float(marker.get("data-y-value", ""))), abs=0.006)
    # The dashed line at health factor 1 runs across the plot at y(1).
    (one,) = [e for e in root.iter("line") if e.get("stroke-dasharray") == "5 3"]
    assert float(one.get("y1", "")) == float(one.get("y2", "")) == pytest.approx(y(1.0), abs=0.006)
    # The room to fall is drawn on the price axis, from today to the liquidation price.
    (room,) = [e for e in root.iter("line") if e.get("stroke") == "var(--chart-long)"]
    ends = sorted(float(room.get(k, "")) for k in ("x1", "x2"))
    assert ends == pytest.approx(sorted([x(1_500), x(2_000)]), abs=0.006)
    desc = svg_of(root).find("desc").text or ""  # type: ignore[union-attr]
    for text in ("$2,000.00", "1.333", "$1,500.00", "25.00%"):
        assert text in desc
    rows = {r[0].text: r[1].text for r in (row.findall("td") for row in root.findall(".//tbody/tr"))}
    assert rows["2,000.00"] == "1.333" and rows["1,500.00"] == "1.000"


@pytest.mark.parametrize("moving", ["collaterals.0", "debts.0"])
def test_health_curve_is_the_algebra_and_meets_1_at_the_liquidation_price(moving):
    loan = {**LOAN, "debts": [{"amount": 3.2, "price": 1_900}]}  # an ETH-priced debt: both prices can move
    root = parse(health(loan, moving))
    plot = plot_of(root)
    lo, hi = map(float, plot.get("data-x-domain", "").split())
    start, end = map(float, plot.get("data-x-range", "").split())
    y = mapping(plot, "y")
    (curve,) = root.iter("polyline")
    points = [tuple(map(float, pair.split(","))) for pair in curve.get("points", "").split()]
    prices = [lo + (px - start) / (end - start) * (hi - lo) for px, _ in points]
    for (_, py), price in zip(points, prices, strict=True):
        assert py == pytest.approx(y(algebra_hf(loan, moving, price)), abs=0.05)
    # A collateral's fall lowers the health factor (y grows downwards), a debt's rise lowers it too.
    ys = [py for _, py in points]
    assert ys == sorted(ys, reverse=moving == "collaterals.0")
    # HF = 1 where a p LT = d q: p = d q / (a LT) or q = a p LT / d.
    wanted = 3.2 * 1_900 / (5 * 0.8) if moving == "collaterals.0" else 5 * 2_000 * 0.8 / 3.2
    (trigger,) = markers(root, "liquidation")
    assert float(trigger.get("data-value", "")) == pytest.approx(wanted, rel=1e-12)
    assert algebra_hf(loan, moving, wanted) == pytest.approx(1, rel=1e-12)


def test_health_chart_of_a_loan_already_past_its_liquidation_price():
    loan = {**LOAN, "debts": [{"amount": 9_000, "price": 1}]}  # HF = 8,000 / 9,000 < 1
    root = parse(health(loan))
    desc = svg_of(root).find("desc").text or ""  # type: ignore[union-attr]
    assert "0.889" in desc and "below 1 already" in desc and "$2,250.00" in desc  # back at 1 at 9,000 / 4
    assert [e for e in root.iter("line") if e.get("stroke") == "var(--chart-long)"] == []  # no room left
    check_layout(health(loan))


def test_health_chart_when_no_price_of_this_collateral_liquidates():
    # A second collateral worth 10,000 x 0.8 = 8,000 weighted covers the 6,000 debt on its own.
    loan = {**LOAN, "collaterals": LOAN["collaterals"] + [{**LOAN["collaterals"][0], "amount": 10_000, "price": 1}]}
    root = parse(health(loan))
    assert markers(root, "liquidation") == []
    assert "no collateral price makes it 1" in (svg_of(root).find("desc").text or "")  # type: ignore[union-attr]
    check_layout(health(loan))


def test_health_chart_needs_a_debt():
    loan = {**LOAN, "debts": []}
    with pytest.raises(InputError) as error:
        health(loan)
    assert error.value.field == "debts"


@SOME
@given(
    protocol=st.sampled_from(["aave-v3", "compound-v3", "morpho-blue"]),
    amount=st.floats(1e-3, 1e6),
    price=st.floats(1e-3, 1e6),
    threshold=st.floats(0.3, 0.97),
    fill=st.floats(0.05, 3),
    moving=st.sampled_from(["collaterals.0", "debts.0"]),
    debt_price=st.sampled_from([1.0, 0.5, 2_500.0]),
)
def test_any_loan_renders(protocol, amount, price, threshold, fill, moving, debt_price):
    """Any loan, healthy or not: the layout holds and the liquidation marker sits where HF is 1."""
    debt_amount = amount * price * threshold * fill / debt_price
    penalty = {"aave-v3": {"liquidation_bonus": 0.05}, "compound-v3": {"liquidation_factor": 0.95}}
    collateral = {"amount": amount, "price": price, "liquidation_threshold": threshold, **penalty.get(protocol, {})}
    loan = {"protocol": protocol, "collaterals": [collateral], "debts": [{"amount": debt_amount, "price": debt_price}]}
    try:
        result = price_for_liquidation(**loan, moving=moving)
    except InputError:
        assume(False)
        return
    assume(charts.health_drawable(result))
    markup = charts.health_chart(loan, result, id_prefix="h")
    check_layout(markup)
    for marker in markers(parse(markup), "liquidation"):
        trigger = float(marker.get("data-value", ""))
        assert algebra_hf(loan, moving, trigger) == pytest.approx(1, rel=1e-9)
