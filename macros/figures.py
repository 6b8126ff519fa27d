"""Figures quoted in prose. Each renders as a span that carries the engine call it came from
(`data-figure`), so the site's tests can recompute every number a page quotes."""

import html
import json

import calculators
from calculators import formatting
from calculators.scenarios import TEACHING


def figure(field: str, fmt: str = "percent", *, fn: str = "liquidation_price", **args) -> str:
    """Call `calculators.<fn>(**args)`, take `field` of the result, format it with `fmt`."""
    result = getattr(calculators, fn)(**args)
    if isinstance(result, list):  # leverage_ladder: the figure comes from its (only) row
        result = result[0]
    value = getattr(result, field)
    text = getattr(formatting, fmt)(value)
    spec = json.dumps({"fn": fn, "args": args, "field": field, "format": fmt}, sort_keys=True)
    return f'<span class="figure" data-figure="{html.escape(spec)}">{text}</span>'


def teaching_args(leverage, side="long", **overrides) -> dict:
    """The site's stated teaching scenario: a position inside the first bracket, default margin."""
    args = {
        "venue": TEACHING.venue,
        "side": side,
        "entry_price": TEACHING.entry_price,
        "quantity": TEACHING.quantity,
        "leverage": leverage,
        "maintenance_margin_rate": TEACHING.maintenance_margin_rate,
    }
    args.update(overrides)
    return args


def move(leverage, side="long", **overrides) -> str:
    """Adverse move that liquidates `leverage`x, e.g. {{ move(10) }} -> '9.64%'."""
    return figure("adverse_move", "percent", **teaching_args(leverage, side, **overrides))


def liq_price(leverage, side="long", **overrides) -> str:
    """Liquidation price at the example entry, e.g. {{ liq_price(10) }}."""
    return figure("price", "price", **teaching_args(leverage, side, **overrides))


def bankruptcy(leverage, side="long", **overrides) -> str:
    return figure("bankruptcy_price", "price", **teaching_args(leverage, side, **overrides))


def textbook(leverage, maintenance_margin_rate=None) -> str:
    """The rule of thumb 1/L - m, from the ladder row (never typed by hand)."""
    rate = TEACHING.maintenance_margin_rate if maintenance_margin_rate is None else maintenance_margin_rate
    return figure(
        "textbook_move",
        "percent",
        fn="leverage_ladder",
        leverages=[leverage],
        venue=TEACHING.venue,
        maintenance_margin_rate=rate,
    )


def mmr() -> str:
    """The teaching maintenance rate, e.g. '0.40%' (an assumption with a source, not a result)."""
    return f'<span class="assumed">{formatting.percent(TEACHING.maintenance_margin_rate)}</span>'


def entry() -> str:
    """The example entry price with its unit."""
    return f"{formatting.price(TEACHING.entry_price, 0)} {TEACHING.quote}"


def venue_name() -> str:
    """The teaching scenario's venue, by name."""
    return _venue_name()


def zero_buffer_leverage() -> str:
    """The leverage at which 1/L equals the teaching maintenance rate (liquidated at entry)."""
    return formatting.leverage(round(1 / TEACHING.maintenance_margin_rate, 6))


def assumptions() -> str:
    """One sentence stating the scenario every figure on a page assumes."""
    return (
        f"Figures assume an isolated linear (USDT-margined) position of {TEACHING.quantity:g} {TEACHING.base} "
        f"opened at {entry()} with margin "
        f"equal to its value divided by the leverage, {_venue_name()}'s convention, a maintenance "
        f"margin rate of {mmr()} ({TEACHING.source}) and no fees or funding."
    )


def _venue_name() -> str:
    return calculators.VENUES[TEACHING.venue].name


MACROS = (move, liq_price, bankruptcy, textbook, mmr, entry, venue_name, zero_buffer_leverage, assumptions, figure)
