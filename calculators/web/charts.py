"""Accessible inline SVG charts, drawn from the engine's own results (standard library only).

The same functions run at build time (macros) and in the visitor's browser (Pyodide), so a chart is
identical with or without JavaScript. Every chart is a `<figure class="chart chart-NAME">` holding an
`<svg role="img">` whose `<title>` and `<desc>` name the key figures, and a text alternative (a caption,
and for the larger charts a data table in a `<details>`), so screen readers and readers without SVG get
the numbers.

Rules every chart keeps (tests/test_charts.py checks them):
- Colours only through CSS custom properties `var(--chart-NAME)`, defined for the light and the dark
  palette in docs/assets/stylesheets/site.css; no script, no event attributes, nothing external.
- Marker positions come from the engine (result.price, result.bankruptcy_price, `state_at`, ladder
  rows, path steps); the charts only scale them. Each marker carries `data-value` (and the plot its
  scales as `data-x-domain`/`data-x-range`...) so a test can check the position against the engine.
- One coordinate system: a viewBox WIDTH units wide, text FONT units high. The figure is never drawn
  narrower than MIN_RENDER_WIDTH CSS pixels on a 390 px phone (page and widget padding taken off),
  so text renders at FONT * MIN_RENDER_WIDTH / WIDTH >= 12 px there.
- Labels are placed by `_place`, which stacks them in lanes so that no two overlap (estimated with
  `text_width`, a deliberately generous width per character).
"""

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard

from .. import formatting as fmt
from ..comparisons import PathStep
from ..engine import LINEAR, LiquidationResult, _lines, state_at
from ..errors import InputError
from ..ladder import LadderRow
from ..markets import TypicalMove
from ..odds import typical_move
from ..positions import PositionState
from ..stops import planned_exit
from . import markup

if TYPE_CHECKING:  # the lending engine is imported by the one chart that needs it, so a page's worker
    from ..lending import PriceResult  # without the lending widget never compiles it

WIDTH = 360  # viewBox width
FONT = 14  # font size in viewBox units
LINE = 17  # line height of multi-line labels
CHAR_WIDTH = 0.62  # estimated advance of one character, in em: generous for a system sans-serif
ASCENT = 0.8  # of FONT above the baseline (used for label boxes)
DESCENT = 0.25  # of FONT below the baseline
MIN_RENDER_WIDTH = 316  # 390 px phone - page margins (2 x 16) - widget padding (2 x 20) - border
GAP = 4  # between neighbouring labels
MIN_MOVE = 0.001  # log axes of moves start at 0.1 % at most (see _on_log_axis)

# Every colour a chart may use; site.css defines --chart-NAME for both palettes.
COLOURS = (
    "text",
    "muted",
    "grid",
    "long",
    "short",
    "liquidation",
    "bankruptcy",
    "entry",
    "stop",
    "equity",
    "maintenance",
    "band",
    "mine",
)

# Typical-move bands: one standard deviation over each window (odds.typical_move).
BAND_WINDOWS = ((1, "day"), (7, "week"), (30, "month"))

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


# --- shared helpers: scales, ticks, text ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scale:
    """Maps data values in [lo, hi] to coordinates in [start, end], linearly or on a log scale."""

    lo: float
    hi: float
    start: float
    end: float
    log: bool = False

    def __call__(self, value: float) -> float:
        if self.log:
            t = (math.log(value) - math.log(self.lo)) / (math.log(self.hi) - math.log(self.lo))
        else:
            t = (value - self.lo) / (self.hi - self.lo)
        return self.start + t * (self.end - self.start)

    def attrs(self, axis: str) -> str:
        """data-* attributes that let a reader (or a test) redo the mapping."""
        kind = "log" if self.log else "linear"
        return (
            f' data-{axis}-domain="{self.lo!r} {self.hi!r}" data-{axis}-range="{self.start!r} {self.end!r}"'
            f' data-{axis}-scale="{kind}"'
        )

    def ticks(self, count: int = 5) -> list[float]:
        """Round values inside the domain: 1-2-5 steps (linear) or 1, 2, 5 per decade (log)."""
        if self.log:
            values = []
            for decade in range(math.floor(math.log10(self.lo)) - 1, math.ceil(math.log10(self.hi)) + 1):
                for mantissa in (1, 2, 5):
                    values.append(mantissa * 10.0**decade)
        else:
            step = _nice_step((self.hi - self.lo) / max(1, count))
            first = math.ceil(self.lo / step)
            values = [k * step for k in range(first, math.floor(self.hi / step) + 1)]
        tolerance = 1e-9 * abs(self.hi - self.lo)
        return [v for v in values if self.lo - tolerance <= v <= self.hi + tolerance]


def _nice_step(raw: float) -> float:
    if raw <= 0 or not math.isfinite(raw):
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for mantissa in (1, 2, 5, 10):
        if raw <= mantissa * power:
            return mantissa * power
    return 10 * power


def linear_scale(values: Sequence[float], start: float, end: float, *, pad: float = 0.06) -> Scale:
    """A linear scale over the values' range, widened by `pad` of the span at both ends."""
    lo, hi = min(values), max(values)
    span = hi - lo
    if span <= 0:
        span = abs(hi) or 1.0
    return Scale(lo - pad * span, hi + pad * span, start, end)


def log_scale(values: Sequence[float], start: float, end: float) -> Scale:
    """A log scale from the 1-2-5 value at or below the smallest to the one at or above the largest."""
    lo, hi = _round_log(min(values), down=True), _round_log(max(values), down=False)
    if hi <= lo:
        hi = lo * 10
    return Scale(lo, hi, start, end, log=True)


def _round_log(value: float, *, down: bool) -> float:
    decade = 10.0 ** math.floor(math.log10(value))
    steps = (1, 2, 5, 10)
    if down:
        return max(m * decade for m in steps if m * decade <= value * (1 + 1e-12))
    return min(m * decade for m in steps if m * decade >= value * (1 - 1e-12))


def text_width(text: str) -> float:
    """Generous width estimate of one line of text, in viewBox units."""
    return len(text) * FONT * CHAR_WIDTH


def label_box(x: float, y: float, lines: Sequence[str], anchor: str) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a label whose first baseline is at y."""
    width = max(text_width(line) for line in lines)
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return left, y - ASCENT * FONT, left + width, y + (len(lines) - 1) * LINE + DESCENT * FONT


def label_height(lines: int) -> float:
    return (lines - 1) * LINE + (ASCENT + DESCENT) * FONT


@dataclass(frozen=True, slots=True)
class Placed:
    x: float  # anchor x (text-anchor middle)
    y: float  # first baseline
    lane: int


def _place(xs: Sequence[float], texts: Sequence[Sequence[str]], *, top: float, lines: int) -> list[Placed]:
    """Put labels as close as they can be to xs (text-anchor middle), never overlapping.

    First one row: labels keep their left-to-right order and are pushed apart just enough to clear
    each other by GAP, then pulled back inside the viewBox. When they cannot all fit in one row, they
    are dealt round-robin (in x order) into 2, 3, ... rows stacked downwards from `top`, each row
    pushed apart the same way.
    """
    if not xs:
        return []
    order = sorted(range(len(xs)), key=lambda i: xs[i])
    halves = {i: max(text_width(line) for line in texts[i]) / 2 for i in order}
    placed: dict[int, Placed] = {}
    for lanes in range(1, len(order) + 1):
        rows = [order[k::lanes] for k in range(lanes)]
        spread = [_spread([xs[i] for i in row], [halves[i] for i in row]) for row in rows]
        if all(xs_row is not None for xs_row in spread) or lanes == len(order):
            for lane, (row, row_xs) in enumerate(zip(rows, spread, strict=True)):
                y = top + lane * (label_height(lines) + GAP) + ASCENT * FONT
                for i, x in zip(row, row_xs or [], strict=True):
                    placed[i] = Placed(x, y, lane)
            break
    else:  # not reached: one label per row always fits (each is clamped into the viewBox)
        raise AssertionError("labels do not fit")
    return [placed[i] for i in range(len(xs))]


def _spread(
    wanted: Sequence[float], halves: Sequence[float], low: float = 0.0, high: float = WIDTH
) -> list[float] | None:
    """Centres as near `wanted` (sorted) as possible, clear of each other by GAP and inside [low, high];
    None when the labels do not fit there together. Works for x (widths) and y (heights) alike."""
    if len(halves) > 1 and sum(2 * h for h in halves) + GAP * (len(halves) - 1) > high - low - 2:
        return None
    # max() last: a label wider than the room (absurd figures only) starts at its low edge.
    xs = [max(min(x, high - h - 1), low + h + 1) for x, h in zip(wanted, halves, strict=True)]
    for k in range(1, len(xs)):  # push up the axis
        xs[k] = max(xs[k], xs[k - 1] + halves[k - 1] + GAP + halves[k])
    if xs and xs[-1] > high - halves[-1] - 1:  # pull back from the far edge
        xs[-1] = high - halves[-1] - 1
        for k in range(len(xs) - 2, -1, -1):
            xs[k] = min(xs[k], xs[k + 1] - halves[k + 1] - GAP - halves[k])
    return xs


def _lanes_height(placed: Sequence[Placed], lines: int) -> float:
    lanes = 1 + max((p.lane for p in placed), default=-1)
    return lanes * (label_height(lines) + GAP)


def _n(value: float) -> str:
    """A coordinate: two decimals are well below a pixel at any size the figure is drawn."""
    return f"{value:.2f}"


def _text(x: float, y: float, lines: Sequence[str], colour: str, *, anchor: str = "middle", cls: str = "") -> str:
    klass = f' class="{cls}"' if cls else ""
    first, *rest = lines
    spans = "".join(f'<tspan x="{_n(x)}" dy="{LINE}">{markup.escape(line)}</tspan>' for line in rest)
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" fill="var(--chart-{colour})"{klass}>'
        f"{markup.escape(first)}{spans}</text>"
    )


def _line(
    x1: float, y1: float, x2: float, y2: float, colour: str, *, width: float = 1, dash: str = "", extra=""
) -> str:
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="var(--chart-{colour})" '
        f'stroke-width="{width:g}"{dashes}{extra}/>'
    )


def _polyline(points: Sequence[tuple[float, float]], colour: str, *, width: float = 2, dash: str = "") -> str:
    if len(points) < 2:
        return ""
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
    return (
        f'<polyline points="{coords}" fill="none" stroke="var(--chart-{colour})" stroke-width="{width:g}"'
        f' stroke-linejoin="round"{dashes}/>'
    )


def _check_prefix(id_prefix: str) -> str:
    if not isinstance(id_prefix, str) or not _ID.match(id_prefix):
        raise InputError("id_prefix", "A chart id prefix starts with a letter and uses only letters, digits, - and _.")
    return id_prefix


def _figure(name: str, prefix: str, height: float, title: str, desc: str, body: str, caption: str, extra: str) -> str:
    """The figure: the SVG (role img, labelled by its title and description), a caption, extras."""
    svg = (
        f'<svg role="img" aria-labelledby="{prefix}-title {prefix}-desc" viewBox="0 0 {WIDTH} {_n(height)}"'
        f' font-size="{FONT}" class="chart-svg" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{prefix}-title">{markup.escape(title)}</title>'
        f'<desc id="{prefix}-desc">{markup.escape(desc)}</desc>'
        f"{body}</svg>"
    )
    return (
        f'<figure class="chart chart-{name}" id="{prefix}">{svg}'
        f'<figcaption class="chart-caption">{caption}</figcaption>{extra}</figure>'
    )


def _data_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Every number behind the chart as a table, folded in a <details>: the title and description give
    the key figures, and anyone (with or without a screen reader or SVG) can open this for the rest."""
    summary = "The figures behind this chart"
    head = "".join(f'<th scope="col">{markup.escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{markup.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<details class="chart-data"><summary>{markup.escape(summary)}</summary>'
        # A wide table scrolls inside its own box, which keyboard users can reach and scroll (axe:
        # scrollable-region-focusable), named after its chart so that two on one page differ.
        f'<div class="table-scroll" tabindex="0" role="region" aria-label="Figures: {markup.escape(title)}">'
        f'<table class="chart-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div></details>"
    )


def _x_ticks(scale: Scale, y: float, label: Callable[[float], str]) -> str:
    """Tick labels under an axis, dropping any that would run into the previous one."""
    parts, last_right = [], -math.inf
    for value in scale.ticks():
        x = scale(value)
        text = label(value)
        half = text_width(text) / 2
        centre = min(max(x, half + 1), WIDTH - half - 1)  # the end labels stay inside the viewBox
        if centre - half < last_right + GAP:
            continue
        last_right = centre + half
        parts.append(_line(x, y - FONT - 2, x, y - FONT + 2, "muted"))
        parts.append(_text(centre, y, [text], "muted", cls="tick"))
    return "".join(parts)


def _y_ticks(scale: Scale, left: float, right: float, label: Callable[[float], str]) -> str:
    """Grid lines across the plot and their labels at the left, dropping any that would collide."""
    parts, last_top = [], math.inf
    for value in scale.ticks():
        y = scale(value)
        baseline = y + FONT * (ASCENT - DESCENT) / 2
        _, top, _, bottom = label_box(left - 4, baseline, [label(value)], "end")
        if bottom > last_top - 1 or top < 0:
            continue
        last_top = top
        parts.append(_line(left, y, right, y, "grid"))
        parts.append(_text(left - 4, baseline, [label(value)], "muted", anchor="end", cls="tick"))
    return "".join(parts)


def _tick_format(scale: Scale) -> Callable[[float], str]:
    """Plain numbers with as many decimals as the tick step needs: 54,000 / 0.002."""
    ticks = scale.ticks()
    step = abs(ticks[1] - ticks[0]) if len(ticks) > 1 else abs(scale.hi - scale.lo) or 1.0
    digits = max(0, -math.floor(math.log10(step) + 1e-9))
    return lambda v: f"{v:,.{digits}f}".replace("-", "−")


def _short_price(value: float) -> str:
    """A price in few characters, for crowded axes: no cents from 1,000 up."""
    return fmt.price(value, 0) if abs(value) >= 1000 else fmt.price(value)


def _price(value: float | None) -> str:
    """fmt.price, except for absurd prices (the engine allows any finite one), which would make labels
    wider than the chart: those get three significant figures."""
    text = fmt.price(value)
    return text if len(text) <= 16 or value is None else f"{value:.3g}"


def _away(price: float, entry: float) -> str:
    """How far a price sits from entry, in words: '9.60% below entry'."""
    change = (price - entry) / entry
    if change == 0:
        return "at entry"
    size = fmt.percent(abs(change)) if abs(change) < 100 else f"{abs(change) * 100:.3g}%"
    return f"{size} {'below' if change < 0 else 'above'} entry"


# --- the leverage curve ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Band:
    days: int
    window: str  # "day", "week", "month"
    move: float  # one standard deviation over the window (fraction)


def typical_bands(reference: TypicalMove) -> list[Band]:
    """The day, week and month typical moves of an asset (odds.typical_move: sigma * sqrt(T / 365))."""
    return [Band(days, word, typical_move(reference.annualised_volatility, days)) for days, word in BAND_WINDOWS]


def _first_leverage_within(rows: Sequence[LadderRow], move: float) -> float | None:
    """The lowest leverage whose long liquidation move is no bigger than `move` (from the rows)."""
    for row in sorted(rows, key=lambda r: r.leverage):
        if row.long_adverse_move is not None and row.long_adverse_move <= move:
            return row.leverage
    return None


def leverage_curve(rows: Sequence[LadderRow], *, bands: TypicalMove | None = None, id_prefix: str) -> str:
    """The move that liquidates a long and a short at each leverage (rows from `leverage_ladder`), with
    the asset's typical day, week and month moves as horizontal bands. Both axes are logarithmic: the
    moves run from about 100 % at 1x to under 1 % at 100x, and the bands sit between."""
    prefix = _check_prefix(id_prefix)
    if not rows:
        raise InputError("leverages", "The leverage curve needs at least one ladder row.")
    band_list = typical_bands(bands) if bands is not None else []
    left, right, top, bottom = 46.0, WIDTH - 8.0, 28.0, 222.0
    height = bottom + 46 + LINE + 6
    moves = [m for r in rows for m in (r.long_adverse_move, r.short_adverse_move) if _on_log_axis(m)]
    moves += [b.move for b in band_list]
    if not moves:
        moves = [0.01, 1.0]
    leverages = [r.leverage for r in rows]
    low, high = min(leverages), max(leverages)
    x = Scale(low, high if high > low else low * 10, left, right, log=True)
    y = log_scale(moves, bottom, top)

    parts = [f'<g class="plot"{x.attrs("x")}{y.attrs("y")}>']
    parts.append(_y_ticks(y, left, right, _percent_tick))
    parts.append(_line(left, bottom, right, bottom, "muted"))
    parts.append(_x_ticks(x, bottom + 7 + FONT, fmt.leverage))
    parts.append(_text(left, top - 10, ["Move that liquidates (log scale)"], "text", anchor="start"))
    parts.append(_text((left + right) / 2, bottom + 42, ["Leverage (log scale)"], "text"))

    band_rows = []
    # Band labels sit just above their lines, nudged apart when the bands crowd together.
    half_height = (ASCENT + DESCENT) * FONT / 2
    to_centre = (ASCENT - DESCENT) * FONT / 2  # from a baseline up to the middle of the text
    wanted = [y(band.move) - 4 - to_centre for band in band_list]
    order = sorted(range(len(band_list)), key=lambda i: wanted[i])
    spread = _spread([wanted[i] for i in order], [half_height] * len(order), top - 6, bottom)
    centres = dict(zip(order, spread or [wanted[i] for i in order], strict=True))
    for i, band in enumerate(band_list):
        by = y(band.move)
        parts.append(
            f'<rect class="band" x="{_n(left)}" y="{_n(by)}" width="{_n(right - left)}" height="{_n(bottom - by)}"'
            f' fill="var(--chart-band)" fill-opacity="0.08" data-value="{band.move!r}"/>'
        )
        parts.append(_line(left, by, right, by, "band", dash="4 3"))
        label = f"{band.window} {fmt.percent(band.move, 1)}"
        parts.append(_text(right - 2, centres[i] + to_centre, [label], "band", anchor="end"))
        band_rows.append((band, _first_leverage_within(rows, band.move)))

    # The long underneath and wider: for linear contracts the two curves nearly coincide.
    for side, colour, dash, stroke in (("long", "long", "", 5.0), ("short", "short", "6 4", 2.0)):
        segment: list[tuple[float, float]] = []
        for row in sorted(rows, key=lambda r: r.leverage):
            move = row.long_adverse_move if side == "long" else row.short_adverse_move
            if not _on_log_axis(move):
                parts.append(_polyline(segment, colour, dash=dash, width=stroke))
                segment = []
                continue
            segment.append((x(row.leverage), y(move)))
        parts.append(_polyline(segment, colour, dash=dash, width=stroke))
    # Legend: its own row under the axis title, where no curve or band can run through it.
    legend_y = height - 6
    short_x = left + 36 + text_width("long") + 20
    parts.append(_line(left, legend_y - 5, left + 22, legend_y - 5, "long", width=5))
    parts.append(_text(left + 28, legend_y, ["long"], "long", anchor="start"))
    parts.append(_line(short_x, legend_y - 5, short_x + 22, legend_y - 5, "short", width=2, dash="6 4"))
    parts.append(_text(short_x + 28, legend_y, ["short"], "short", anchor="start"))
    parts.append("</g>")

    first, last = min(rows, key=lambda r: r.leverage), max(rows, key=lambda r: r.leverage)
    title = f"Move that liquidates a position, {fmt.leverage(low)} to {fmt.leverage(high)}"
    desc = (
        f"At {fmt.leverage(first.leverage)} {_fall(first.long_adverse_move)} and {_rise(first.short_adverse_move)}; "
        f"at {fmt.leverage(last.leverage)} {_fall(last.long_adverse_move)} and {_rise(last.short_adverse_move)}."
    )
    caption = markup.escape(desc)
    if bands is not None:
        crossings = "; ".join(
            f"a typical {b.window}'s move ({fmt.percent(b.move)}) "
            + (
                f"is enough to liquidate a long from {fmt.leverage(lev)} up"
                if lev
                else "liquidates none of these longs"
            )
            for b, lev in band_rows
        )
        model = (
            f"Typical move: one standard deviation of {bands.asset}'s daily returns ({bands.period}, "
            f"{fmt.percent(bands.annualised_volatility, 1)} a year, {bands.source}) times the square root of the "
            "days. A model: real moves have fat tails and wicks, so they reach liquidation more often."
        )
        desc += f" {crossings[0].upper()}{crossings[1:]}. {model}"
        caption = (
            f"{markup.escape(desc)} Source: "
            f'<a href="{markup.escape(bands.url)}">{markup.escape(bands.source)}, {markup.escape(bands.asset)} '
            f"volatility ({markup.escape(bands.period)})</a>."
        )
    table = _data_table(
        title,
        ("Leverage", "Long: move to liquidation", "Short: move to liquidation"),
        [(fmt.leverage(r.leverage), _move(r.long_adverse_move), _move(r.short_adverse_move)) for r in rows],
    )
    return _figure("leverage-curve", prefix, height, title, desc, "".join(parts), caption, table)


def _on_log_axis(move: float | None) -> TypeGuard[float]:
    """Moves drawn on a log axis: from MIN_MOVE up. Smaller ones (no buffer, or rounding dust such as
    1e-16 where 1/L equals the rate) would stretch the axis over many empty decades; the table and the
    description still give them."""
    return move is not None and move >= MIN_MOVE


def _percent_tick(value: float) -> str:
    """1%, 0.5%, 0.2%: as many decimals as the tick needs."""
    return fmt.percent(value, max(0, -math.floor(math.log10(value * 100) + 1e-9)))


def _fall(move: float | None) -> str:
    if move is None:
        return "a long has no liquidation price"
    if move == 0:
        return "a long has no buffer (liquidated as it opens)"
    return f"a long is liquidated by a {fmt.percent(move)} fall"


def _rise(move: float | None) -> str:
    if move is None:
        return "a short has none"
    if move == 0:
        return "a short has no buffer"
    return f"a short by a {fmt.percent(move)} rise"


def _move(move: float | None) -> str:
    return "none (no liquidation price)" if move is None else fmt.percent(move)


# --- the price line ------------------------------------------------------------------------------


def price_line(result: LiquidationResult, *, stop_price: float | None = None, id_prefix: str) -> str:
    """One horizontal price line with entry, the stop (if any), liquidation and bankruptcy marked,
    each with its price and its distance from entry. A stop is checked by `stops.planned_exit`."""
    prefix = _check_prefix(id_prefix)
    entry = result.entry_price
    check = planned_exit(result, stop_price) if stop_price is not None else None
    marks: list[tuple[str, str, float]] = [("entry", "Entry", entry)]
    if check is not None:
        marks.append(("stop", "Stop", check.exit_price))
    liquidated_at = result.liquidated_at  # at entry when there is no buffer
    if liquidated_at is not None:
        marks.append(("liquidation", "Liquidation", liquidated_at))
    if result.bankruptcy_price is not None:
        marks.append(("bankruptcy", "Bankruptcy", result.bankruptcy_price))
    scale = linear_scale([m[2] for m in marks], 12, WIDTH - 12, pad=0.1)
    if scale.lo <= 0:  # a price axis has no room below zero
        scale = Scale(0.0, scale.hi, scale.start, scale.end)

    texts = [[name, _price(value)] + ([] if key == "entry" else [_away(value, entry)]) for key, name, value in marks]
    above = [i for i, m in enumerate(marks) if m[0] in ("entry", "stop")]
    below = [i for i, m in enumerate(marks) if m[0] not in ("entry", "stop")]
    placed_above = _place([scale(marks[i][2]) for i in above], [texts[i] for i in above], top=6, lines=3)
    line_y = 6 + _lanes_height(placed_above, 3) + 14
    placed_below = _place([scale(marks[i][2]) for i in below], [texts[i] for i in below], top=line_y + 14, lines=3)
    height = line_y + 14 + max(_lanes_height(placed_below, 3), 10) + 4

    parts = [f'<g class="plot"{scale.attrs("x")}>']
    parts.append(_line(scale.start, line_y, scale.end, line_y, "muted", width=2))
    if liquidated_at is not None:
        # The buffer: the stretch of price the position survives.
        parts.append(_line(scale(entry), line_y, scale(liquidated_at), line_y, "long", width=6))
    for indexes, placed, downward in ((above, placed_above, False), (below, placed_below, True)):
        for i, spot in zip(indexes, placed, strict=True):
            key, _, value = marks[i]
            mx = scale(value)
            label_edge = spot.y - ASCENT * FONT - 2 if downward else spot.y + 2 * LINE + DESCENT * FONT + 2
            tick_end = line_y + 8 if downward else line_y - 8
            parts.append(
                _line(
                    mx, line_y - 8 if downward else line_y + 8, mx, tick_end, key, width=3,
                    extra=f' class="marker marker-{key}" data-value="{value!r}"',
                )
            )  # fmt: skip
            # The leader ends at the nearest point of the label's edge (labels may be pushed aside).
            half = max(text_width(line) for line in texts[i]) / 2
            parts.append(_line(mx, tick_end, min(max(mx, spot.x - half + 2), spot.x + half - 2), label_edge, key))
            parts.append(_text(spot.x, spot.y, texts[i], key))
    parts.append("</g>")

    side = result.side
    bits = [f"entry {_price(entry)}"]
    if check is not None:
        bits.append(f"stop {_price(check.exit_price)} ({_away(check.exit_price, entry)})")
    bits.append(
        f"liquidation {_price(liquidated_at)} ({_away(liquidated_at, entry)})"
        if liquidated_at is not None
        else "no liquidation price"
    )
    bits.append(
        f"bankruptcy {_price(result.bankruptcy_price)} ({_away(result.bankruptcy_price, entry)})"
        if result.bankruptcy_price is not None
        else "no bankruptcy price"
    )
    title = f"Where this {fmt.leverage(result.leverage)} {side} is stopped, liquidated and bankrupt"
    desc = "Prices on one line: " + "; ".join(bits) + "."
    if check is not None:
        desc += (
            " The stop comes first."
            if check.first == "planned"
            else " The stop is past the liquidation price: liquidation comes first."
        )
    return _figure("price-line", prefix, height, title, desc, "".join(parts), markup.escape(desc), "")


# --- show the math -------------------------------------------------------------------------------


# Charts are drawn for positions a person could hold: prices, sizes and margins up to 1e12 in size.
# Absurd inputs (1e308) still get their figures, from the engine, but no picture.
DRAWABLE = 1e12


def drawable(result: LiquidationResult, *prices: float | None) -> bool:
    """Whether the position's numbers, and any other price to mark (a stop), are small enough to draw
    (every coordinate stays finite)."""
    values = (
        result.entry_price,
        result.price,
        result.bankruptcy_price,
        result.notional,
        result.margin,
        result.quantity,
        *prices,
    )
    if not all(v is None or (math.isfinite(v) and abs(v) < DRAWABLE) for v in values) or result.entry_price <= 1e-9:
        return False
    # The lines drawn: equity and maintenance at the marked prices (cross inputs can make them huge).
    marked = [p for p in (result.entry_price, result.price, result.bankruptcy_price, *prices) if p is not None]
    return all(math.isfinite(v) and abs(v) < DRAWABLE for p in marked for v in state_at(result, p))


def show_the_math(result: LiquidationResult, *, id_prefix: str) -> str:
    """Equity and maintenance against the mark price (the engine's own lines, sampled with `state_at`),
    crossing at the liquidation price, with the equation filled in with this position's numbers."""
    prefix = _check_prefix(id_prefix)
    entry = result.entry_price
    s = 1 if result.side == "long" else -1
    keys = [entry] + [p for p in (result.price, result.bankruptcy_price) if p is not None]
    far = max(abs(p - entry) for p in keys) or 0.5 * entry  # no liquidation price: half the entry either way
    low, high = min(keys) - 0.25 * far, max(keys) + 0.25 * far
    if s == 1:
        low = min(low, entry - far * 1.25)
    else:
        high = max(high, entry + far * 1.25)
    low = max(low, entry * 1e-3)
    prices = [low + (high - low) * k / 48 for k in range(49)] + keys
    prices.sort()
    states = [(p, *state_at(result, p)) for p in prices]

    values = [v for _, e, m in states for v in (e, m)] + [0.0]
    y_domain = linear_scale(values, 1, 0, pad=0.05)  # positions come later; the ticks' text does not
    y_format = _tick_format(y_domain)
    left = 10 + max(text_width(y_format(v)) for v in y_domain.ticks() or [0.0])
    right = WIDTH - 10.0
    labels_top = 4.0
    marker_prices = [("entry", "Entry", entry)]
    if result.price is not None:
        marker_prices.append(("liquidation", "Liquidation", result.price))
    if result.bankruptcy_price is not None:
        marker_prices.append(("bankruptcy", "Bankruptcy", result.bankruptcy_price))
    x = Scale(low, high, left, right)
    texts = [[name, _price(value)] for _, name, value in marker_prices]
    placed = _place([x(v) for _, _, v in marker_prices], texts, top=labels_top, lines=2)
    top = labels_top + _lanes_height(placed, 2) + 6
    bottom = top + 190
    height = bottom + 46 + LINE + 6
    y = Scale(y_domain.lo, y_domain.hi, bottom, top)

    parts = [f'<g class="plot"{x.attrs("x")}{y.attrs("y")}>']
    parts.append(_y_ticks(y, left, right, y_format))
    parts.append(_line(left, y(0.0), right, y(0.0), "muted"))
    parts.append(_x_ticks(x, bottom + 7 + FONT, _tick_format(x)))
    parts.append(_text((left + right) / 2, bottom + 42, ["Mark price"], "text"))
    parts.append(_polyline([(x(p), y(e)) for p, e, _ in states], "equity", width=2.5))
    parts.append(_polyline([(x(p), y(m)) for p, _, m in states], "maintenance", width=2.5, dash="7 4"))
    for (key, _, value), spot, text in zip(marker_prices, placed, texts, strict=True):
        equity, _ = state_at(result, value)
        mx, my = x(value), y(equity)
        parts.append(_line(mx, spot.y + LINE + DESCENT * FONT + 2, mx, my, key, dash="2 3"))
        parts.append(
            f'<circle class="marker marker-{key}" cx="{_n(mx)}" cy="{_n(my)}" r="5" fill="var(--chart-{key})"'
            f' data-value="{value!r}" data-y-value="{equity!r}"/>'
        )
        parts.append(_text(spot.x, spot.y, text, key))
    # Legend: its own row under the axis title, where no line can run through it.
    legend_y = height - 6
    equity_x = 4.0
    maintenance_x = equity_x + 36 + text_width("equity") + 20
    parts.append(_line(equity_x, legend_y - 5, equity_x + 22, legend_y - 5, "equity", width=2.5))
    parts.append(_text(equity_x + 28, legend_y, ["equity"], "equity", anchor="start"))
    swatch = (maintenance_x, legend_y - 5, maintenance_x + 22, legend_y - 5)
    parts.append(_line(*swatch, "maintenance", width=2.5, dash="7 4"))
    parts.append(_text(maintenance_x + 28, legend_y, ["maintenance"], "maintenance", anchor="start"))
    parts.append("</g>")

    equation = _equation(result)
    title = f"Equity and maintenance of this {fmt.leverage(result.leverage)} {result.side} against the price"
    if result.price is not None:
        _, at_trigger = state_at(result, result.price)
        desc = (
            f"Equity is {_price(state_at(result, entry)[0])} at the entry price {_price(entry)} and falls as "
            f"the price moves against the {result.side}; it meets the maintenance requirement "
            f"({_price(at_trigger)}) at {_price(result.price)}: the liquidation price."
        )
    else:
        where = "at every price above zero" if s == 1 else "however high the price goes"
        desc = f"Equity stays above the maintenance requirement {where}: no liquidation price."
    if result.bankruptcy_price is not None:
        desc += f" Equity reaches zero at {_price(result.bankruptcy_price)}: the bankruptcy price."
    if result.contract != LINEAR:
        desc += " Equity and maintenance are in the coin (an inverse contract)."
    caption = markup.escape(desc) + equation
    return _figure("show-the-math", prefix, height, title, desc, "".join(parts), caption, "")


def _equation(result: LiquidationResult) -> str:
    """The engine's two lines with this position's numbers, and where they meet."""
    e0, e1, m0, m1 = _lines(result._position, result.maintenance_margin_rate, result.maintenance_amount)
    linear = result.contract == LINEAR
    var = "P" if linear else "(1/P)"
    lines = [
        f"equity(P) = {_coef(e0)} {_signed(e1)} × {var}",
        f"maintenance(P) = {_coef(m0)} {_signed(m1)} × {var}",
    ]
    if result.price is not None:
        solved = "P" if linear else "1/P"
        lines.append(
            f"equity(P) = maintenance(P) where {solved} = ({_coef(m0)} − {_term(e0)}) ÷ ({_coef(e1)} − {_term(m1)}),"
            f" that is P = {fmt.price(result.price)}"
        )
    unit = "the quote currency" if linear else "the coin"
    items = "".join(f"<li><code>{markup.escape(line)}</code></li>" for line in lines)
    return f'<ul class="chart-equation" aria-label="The equation, in {unit}">{items}</ul>'


def _coef(value: float) -> str:
    """A coefficient of the engine's lines: six significant figures (some are tiny, some large)."""
    return f"{value:,.6g}".replace("-", "−")


def _term(value: float) -> str:
    """A coefficient after a minus sign: negative ones in brackets."""
    return f"({_coef(value)})" if value < 0 else _coef(value)


def _signed(value: float) -> str:
    return f"− {_coef(-value)}" if value < 0 else f"+ {_coef(value)}"


# --- the liquidation path ------------------------------------------------------------------------


def path_chart(steps: Sequence[PathStep], *, id_prefix: str) -> str:
    """The forced-liquidation path (`comparisons.liquidation_path`): one bar per step, its height the
    margin ratio (maintenance / equity), with the step's price and move under it; liquidation at 100 %."""
    prefix = _check_prefix(id_prefix)
    if not steps:
        raise InputError("steps", "The path chart needs at least one step.")
    left, right, top = 46.0, WIDTH - 8.0, 30.0
    bottom = top + 170
    ratios = [st.margin_ratio for st in steps]
    y = Scale(0.0, max([1.0, *ratios]) * 1.12, bottom, top)
    slot = (right - left) / len(steps)
    centres = [left + slot * (k + 0.5) for k in range(len(steps))]
    texts = [[_step_name(st), _short_price(st.price)] for st in steps]
    placed = _place(centres, texts, top=bottom + 9, lines=2)  # below the lowest y tick's label
    height = bottom + 9 + _lanes_height(placed, 2)
    values = [fmt.percent(st.margin_ratio, 1) for st in steps]
    # Each bar's ratio above it, when every one fits its slot; the table below has them all anyway.
    show_values = all(text_width(v) + GAP <= slot for v in values)

    parts = [f'<g class="plot"{y.attrs("y")}>']
    parts.append(_y_ticks(y, left, right, lambda v: fmt.percent(v, 0)))
    parts.append(_line(left, bottom, right, bottom, "muted"))
    parts.append(_line(left, y(1.0), right, y(1.0), "liquidation", width=1.5, dash="6 3"))
    parts.append(_text(2, top - 12, ["Margin ratio; liquidation at 100%"], "text", anchor="start"))
    bar = min(34.0, slot * 0.6)
    for st, cx, spot, text in zip(steps, centres, placed, texts, strict=True):
        by = y(max(0.0, st.margin_ratio))
        colour = "liquidation" if st.margin_ratio >= 1 - 1e-9 else "maintenance"  # the trigger, up to rounding
        parts.append(
            f'<rect class="marker marker-step" x="{_n(cx - bar / 2)}" y="{_n(by)}" width="{_n(bar)}"'
            f' height="{_n(bottom - by)}" fill="var(--chart-{colour})" data-value="{st.margin_ratio!r}"/>'
        )
        if show_values:
            parts.append(_text(cx, by - 5, [fmt.percent(st.margin_ratio, 1)], colour))
        parts.append(_text(spot.x, spot.y, text, "text"))
    parts.append("</g>")

    last = steps[-1]
    title = "How the margin ratio climbs to liquidation"
    desc = "The margin ratio goes " + ", ".join(
        f"{fmt.percent(st.margin_ratio, 1)} at {fmt.price(st.price)}" for st in steps
    )
    if last.label == "Liquidation triggers":
        desc += f"; liquidation triggers at 100%, {fmt.percent(last.move)} against the position."
    else:
        desc += "; liquidation lies further on."
    table = _data_table(
        title,
        ("Step", "Mark price", "Move against you", "Equity", "Maintenance", "Margin ratio"),
        [
            (
                st.label,
                fmt.price(st.price),
                fmt.percent(st.move),
                fmt.price(st.equity),
                fmt.price(st.maintenance),
                fmt.percent(st.margin_ratio, 1),
            )
            for st in steps
        ],
    )
    return _figure("path", prefix, height, title, desc, "".join(parts), markup.escape(desc), table)


def _step_name(step: PathStep) -> str:
    if step.label == "Liquidation triggers":
        return "Liquidation"
    return "Entry" if step.move == 0 else f"−{fmt.percent(step.move)}"


# --- a position built step by step ----------------------------------------------------------------

_STEP_NAMES = {
    "open": "Open",
    "add": "Add",
    "reduce": "Reduce",
    "close": "Close",
    "add_margin": "+Margin",
    "remove_margin": "−Margin",
    "funding": "Funding",
}


def steps_chart(states: Sequence[PositionState], *, id_prefix: str) -> str:
    """The position after each step (`positions.build_position`): one slot per step with the step's price
    (a dot), the average entry (a dash) and the liquidation price (a line from step to step)."""
    prefix = _check_prefix(id_prefix)
    if not states:
        raise InputError("steps", "The steps chart needs at least one step.")
    keys = [p for st in states for p in (st.mark_price, st.entry_price, st.liquidation_price) if p is not None]
    y_domain = linear_scale(keys, 1, 0, pad=0.08)
    y_format = _tick_format(y_domain)
    left = 10 + max(text_width(y_format(v)) for v in y_domain.ticks() or [0.0])
    right, top = WIDTH - 8.0, 12.0
    bottom = top + 180
    y = Scale(y_domain.lo, y_domain.hi, bottom, top)
    slot = (right - left) / len(states)
    centres = [left + slot * (k + 0.5) for k in range(len(states))]
    texts = [[f"{st.step + 1}. {_STEP_NAMES.get(st.kind, st.kind)}"] for st in states]
    placed = _place(centres, texts, top=bottom + 8, lines=1)
    legend_y = bottom + 8 + _lanes_height(placed, 1) + LINE
    height = legend_y + 2 * LINE + 4

    parts = [f'<g class="plot"{y.attrs("y")}>']
    parts.append(_y_ticks(y, left, right, y_format))
    parts.append(_line(left, bottom, right, bottom, "muted"))
    liquidation = [
        (cx, y(st.liquidation_price)) for st, cx in zip(states, centres, strict=True) if st.liquidation_price
    ]
    parts.append(_polyline(liquidation, "liquidation", width=2.5))
    half = min(14.0, slot * 0.3)
    for st, cx, spot, text in zip(states, centres, placed, texts, strict=True):
        if st.entry_price is not None:
            ey = y(st.entry_price)
            parts.append(
                _line(
                    cx - half,
                    ey,
                    cx + half,
                    ey,
                    "entry",
                    width=2.5,
                    extra=f' class="marker marker-entry" data-value="{st.entry_price!r}"',
                )
            )
        if st.liquidation_price is not None:
            parts.append(
                f'<circle class="marker marker-liquidation" cx="{_n(cx)}" cy="{_n(y(st.liquidation_price))}" r="5"'
                f' fill="var(--chart-liquidation)" data-value="{st.liquidation_price!r}"/>'
            )
        parts.append(
            f'<circle class="marker marker-mark" cx="{_n(cx)}" cy="{_n(y(st.mark_price))}" r="4"'
            f' fill="none" stroke="var(--chart-stop)" stroke-width="2" data-value="{st.mark_price!r}"/>'
        )
        parts.append(_text(spot.x, spot.y, text, "text"))
    # Legend: two rows under the step names, where nothing else is drawn.
    x0 = 4.0
    parts.append(_line(x0, legend_y - 5, x0 + 22, legend_y - 5, "liquidation", width=2.5))
    parts.append(_text(x0 + 28, legend_y, ["liquidation price"], "liquidation", anchor="start"))
    x1 = x0 + 28 + text_width("liquidation price") + 14
    parts.append(_line(x1, legend_y - 5, x1 + 22, legend_y - 5, "entry", width=2.5))
    parts.append(_text(x1 + 28, legend_y, ["average entry"], "entry", anchor="start"))
    row2 = legend_y + LINE + 2
    parts.append(
        f'<circle cx="{_n(x0 + 11)}" cy="{_n(row2 - 5)}" r="4" fill="none" stroke="var(--chart-stop)"'
        ' stroke-width="2"/>'
    )
    parts.append(_text(x0 + 28, row2, ["the step's price"], "stop", anchor="start"))
    parts.append("</g>")

    title = "The liquidation price after each step"
    said = [
        f"after step {st.step + 1} ({st.kind.replace('_', ' ')} at {_price(st.mark_price)}): "
        + (
            f"liquidation {_price(st.liquidation_price)}"
            if st.liquidation_price is not None
            else "no liquidation price"
        )
        for st in states
    ]
    desc = "The liquidation price " + "; ".join(said) + "."
    table = _data_table(
        title,
        ("Step", "Price", "Average entry", "Liquidation price", "Move left"),
        [
            (
                f"{st.step + 1}. {st.kind.replace('_', ' ')}",
                fmt.price(st.mark_price),
                fmt.price(st.entry_price),
                fmt.price(st.liquidation_price),
                fmt.percent(st.move_to_liquidation),
            )
            for st in states
        ],
    )
    return _figure("steps", prefix, height, title, desc, "".join(parts), markup.escape(desc), table)


# --- the ladder sparkline ------------------------------------------------------------------------


# In place of the sparkline when no row leaves the long any room (a maintenance rate at or above the
# initial margin of every leverage listed): a curve of nothing would say less than this sentence.
NO_ROOM_NOTE = (
    "No leverage in this ladder leaves a long any room before liquidation at this maintenance rate, "
    "so there is no curve to draw: the table gives each row."
)


def ladder_sparkline(rows: Sequence[LadderRow], mine: float, *, id_prefix: str) -> str:
    """A small curve of the long's move to liquidation against leverage (log-log, like the leverage
    curve), with the visitor's leverage marked (its row, or the nearest row when it is not in the list).
    Without a single row to draw, the NO_ROOM_NOTE sentence instead."""
    prefix = _check_prefix(id_prefix)
    points = [(r.leverage, r.long_adverse_move or 0.0) for r in rows if _on_log_axis(r.long_adverse_move)]
    if not points:
        return f'<p data-out="no-curve">{markup.escape(NO_ROOM_NOTE)}</p>'
    left, right, top, bottom = 8.0, WIDTH - 8.0, 8.0, 84.0
    height = bottom + 4 + LINE + 6
    levs = [p[0] for p in points]
    low, high = min(levs), max(levs)
    x = Scale(low, high if high > low else low * 10, left, right, log=True)
    y = log_scale([p[1] for p in points], bottom, top)
    # The row the ladder widget highlights: your leverage, else round(mine), else the nearest.
    row = next((r for r in rows if r.leverage == mine), None) or next(
        (r for r in rows if r.leverage == round(mine)), None
    )
    row = row or min(rows, key=lambda r: (abs(r.leverage - mine), r.leverage))
    exact = row.leverage == mine

    parts = [f'<g class="plot"{x.attrs("x")}{y.attrs("y")}>']
    parts.append(_polyline([(x(lev), y(move)) for lev, move in points], "long"))
    label = f"{fmt.leverage(row.leverage)}: {_move(row.long_adverse_move)}"
    baseline = bottom + 4 + ASCENT * FONT
    taken: list[tuple[float, float]] = []  # horizontal extents of the labels drawn so far
    if row.long_adverse_move is not None and _on_log_axis(row.long_adverse_move):
        mx, my = x(row.leverage), y(row.long_adverse_move)
        parts.append(
            f'<circle class="marker marker-mine" cx="{_n(mx)}" cy="{_n(my)}" r="5" fill="var(--chart-mine)"'
            f' data-value="{row.leverage!r}" data-y-value="{row.long_adverse_move!r}"/>'
        )
        spot = _place([mx], [[label]], top=bottom + 4, lines=1)[0]
        parts.append(_text(spot.x, spot.y, [label], "mine"))
        box = label_box(spot.x, spot.y, [label], "middle")
        taken.append((box[0], box[2]))
    # The end labels give way to the visitor's label where they would meet it.
    for value, anchor_x, anchor in ((low, left, "start"), (high, right, "end")):
        words = fmt.leverage(value)
        box = label_box(anchor_x, baseline, [words], anchor)
        if all(box[2] + GAP <= a or b + GAP <= box[0] for a, b in taken):
            parts.append(_text(anchor_x, baseline, [words], "muted", anchor=anchor))
            taken.append((box[0], box[2]))
    parts.append("</g>")
    body = "".join(parts)

    title = f"Long: move to liquidation from {fmt.leverage(low)} to {fmt.leverage(high)}"
    nearest = "" if exact else f" (the nearest row to your {fmt.leverage(mine)})"
    desc = (
        f"A long is liquidated after a fall of {_move(points[0][1])} at {fmt.leverage(low)} and "
        f"{_move(points[-1][1])} at {fmt.leverage(high)}; at {fmt.leverage(row.leverage)}{nearest}, "
        f"after {_move(row.long_adverse_move)}."
    )
    return _figure("sparkline", prefix, height, title, desc, body, markup.escape(desc), "")


# --- the health factor of a loan against one price -------------------------------------------------

HEALTH_SAMPLES = 41  # points on the curve: enough for a smooth 1 / price (a debt's price moving)
HEALTH_DRAWABLE = 1e6  # health factors above this (a dust debt) get their figures but no picture


def _priced(book: Mapping[str, Any], moving: str, price: float) -> dict[str, Any]:
    """The same book with the price of `moving` ("collaterals.0", "debts.1") set to `price`."""
    kind, _, index = moving.partition(".")
    entries = [dict(entry) for entry in book[kind]]
    entries[int(index)]["price"] = price
    return {**book, kind: entries}


def health_drawable(price: "PriceResult") -> bool:
    """Whether the loan's prices and health factor are sizes a chart can scale (`health_chart` needs a debt)."""
    marked = [p for p in (price.current_price, price.price) if p is not None]
    hf = price.health_factor
    return (
        hf is not None and 0 <= hf < HEALTH_DRAWABLE and all(1e-9 < p < DRAWABLE and math.isfinite(p) for p in marked)
    )


def health_chart(book: Mapping[str, Any], price: "PriceResult", *, id_prefix: str) -> str:
    """The health factor against the price that moves (`price.moving`, every other price held): the curve
    from `lending.health_factor`, today's price and health factor, the liquidation price where the curve
    meets 1 (`lending.price_for_liquidation`), and the room between them on the price axis."""
    from ..lending import health_factor

    prefix = _check_prefix(id_prefix)
    if not health_drawable(price):
        raise InputError("debts", "The health factor chart needs a debt, and prices and a health factor it can draw.")
    collateral = price.direction == "fall"
    current, trigger, hf_now = price.current_price, price.price, price.health_factor
    assert hf_now is not None  # health_drawable
    marked = [current] + ([trigger] if trigger is not None else [])
    lo, hi = min(marked) * 0.6, max(marked) * 1.25
    prices = sorted({lo + (hi - lo) * k / (HEALTH_SAMPLES - 1) for k in range(HEALTH_SAMPLES)} | set(marked))
    curve = [(p, health_factor(**_priced(book, price.moving, p)).health_factor) for p in prices]
    points = [(p, hf) for p, hf in curve if hf is not None]

    y_domain = linear_scale([0.0, 1.5] + [hf for _, hf in points], 0, 1, pad=0.04)
    y_format = _tick_format(y_domain)
    left = 10 + max(text_width(y_format(v)) for v in y_domain.ticks() or [0.0])
    right = WIDTH - 10.0
    x = Scale(lo, hi, left, right)
    what = "Collateral" if collateral else "Debt"
    today = ["Today $" + _short_price(current), "health factor " + fmt.ratio(hf_now)]
    if trigger is None:
        texts, xs = [today], [x(current)]
    else:
        words = f"{fmt.percent(price.move)} {price.direction}" if price.move else "already past it"
        texts, xs = [today, ["Liquidation $" + _short_price(trigger), words]], [x(current), x(trigger)]
    placed = _place(xs, texts, top=4, lines=2)
    top = 4 + _lanes_height(placed, 2) + 12
    bottom = top + 150
    y = Scale(y_domain.lo, y_domain.hi, bottom, top)
    x_labels = bottom + FONT + 8
    height = x_labels + LINE + 8

    parts = [f'<g class="plot"{x.attrs("x")}{y.attrs("y")}>']
    parts.append(_y_ticks(y, left, right, y_format))
    parts.append(_line(left, bottom, right, bottom, "muted"))
    parts.append(_x_ticks(x, x_labels, _tick_format(x)))
    one = y(1.0)
    parts.append(_line(left, one, right, one, "liquidation", width=1.5, dash="5 3"))
    # Its label at the right, on the side of the line the curve leaves free there (a collateral's curve
    # rises to the right of the liquidation price, a debt's falls).
    below, above = one + FONT + 2, one - 5
    fits_below = below + DESCENT * FONT <= bottom - 2
    fits_above = above - ASCENT * FONT >= top
    label_y = below if (collateral and fits_below) or not fits_above else above
    parts.append(_text(right - 2, label_y, ["health factor 1"], "liquidation", anchor="end"))
    if trigger is not None and price.move:
        # The room: the stretch of price between today and liquidation, on the price axis.
        parts.append(_line(x(current), bottom, x(trigger), bottom, "long", width=6))
    parts.append(_polyline([(x(p), y(hf)) for p, hf in points], "equity", width=2.5))
    spots = [("entry", current, hf_now)] + ([("liquidation", trigger, 1.0)] if trigger is not None else [])
    for (key, value, hf), spot, text in zip(spots, placed, texts, strict=True):
        mx, my = x(value), y(hf)
        parts.append(_line(mx, my, mx, top - 2, key, dash="2 2"))
        half = max(text_width(line) for line in text) / 2
        label_bottom = spot.y + LINE + DESCENT * FONT + 2
        parts.append(_line(mx, top - 2, min(max(mx, spot.x - half + 2), spot.x + half - 2), label_bottom, key))
        parts.append(
            f'<circle class="marker marker-{key}" cx="{_n(mx)}" cy="{_n(my)}" r="5" fill="var(--chart-{key})"'
            f' data-value="{value!r}" data-y-value="{hf!r}"/>'
        )
        parts.append(_text(spot.x, spot.y, text, key))
    parts.append("</g>")

    noun = "collateral" if collateral else "debt"
    title = f"Health factor against the {noun} price"
    if trigger is None:
        where = f"no {noun} price makes it 1"
    elif price.move:
        where = f"it reaches 1, where liquidation starts, at ${_price(trigger)}, a {price.direction} of "
        where += fmt.percent(price.move)
    else:
        where = f"it is below 1 already, and would be back at 1 only at ${_price(trigger)}"
    desc = (
        f"Health factor as the {noun} price moves, every other price held: today ${_price(current)}, "
        f"health factor {fmt.ratio(hf_now)}; {where}."
    )
    shown = sorted({*x.ticks(), *marked})
    table = _data_table(
        title,
        (f"{what} price", "Health factor"),
        [(fmt.price(p), fmt.ratio(health_factor(**_priced(book, price.moving, p)).health_factor)) for p in shown],
    )
    return _figure("health", prefix, height, title, desc, "".join(parts), markup.escape(desc), table)
