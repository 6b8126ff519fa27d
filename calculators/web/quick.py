"""The home page's quick check: side, entry and leverage in; liquidation price, move and the odds of
being touched out. Everything else is a stated default, and a link opens the full calculator with
the same numbers."""

from dataclasses import dataclass

from .. import formatting as fmt
from ..engine import LiquidationResult, liquidation_price
from ..errors import InputError
from ..markets import BTC
from ..odds import liquidation_odds
from ..venues import VENUES
from . import handoff, markup, odds_view
from .form import Field, all_errors, parse
from .registry import Widget

PAGE = ""  # the home page
VENUE = "binance"
# In the first maintenance bracket at any ordinary BTC price; in isolated margin at a fixed leverage
# the liquidation price does not depend on the size there, so the answer is the visitor's own.
QUANTITY = 0.1
HORIZON_DAYS = 30.0

FIELDS = (
    Field("side", "Side", "select", "long", options=(("long", "Long"), ("short", "Short"))),
    Field("entry_price", "Entry price", default="60000", unit="USDT"),
    Field("leverage", "Leverage", default="10", unit="x"),
)
GROUPS = {"main": "Your trade"}


@dataclass(frozen=True, slots=True)
class Quick:
    result: LiquidationResult
    odds: float | None


def compute(values: dict) -> tuple[Quick | None, dict]:
    return all_errors(_compute_once, FIELDS, values)


def _compute_once(values: dict) -> tuple[Quick | None, dict]:
    kwargs, errors = parse(FIELDS, values)
    if errors:
        return None, errors
    try:
        result = liquidation_price(
            venue=VENUE, quantity=QUANTITY, maintenance_margin_rate=VENUES[VENUE].maintenance_rate, **kwargs
        )
        odds = liquidation_odds(result, BTC.annualised_volatility, HORIZON_DAYS)
    except InputError as error:
        return None, {error.field if error.field in {f.name for f in FIELDS} else "_": error.message}
    return Quick(result, odds), {}


def render_result(quick: Quick) -> str:
    r = quick.result
    price = fmt.amount(r.liquidated_at, "USDT") if r.price is not None else "none: the margin covers any fall"
    move = fmt.percent(r.adverse_move) if r.adverse_move is not None else "none"
    direction = "fall" if r.side == "long" else "rise"
    rows = (
        ("price", "Liquidation price", r.liquidated_at, price),
        ("adverse_move", f"A {direction} of", r.adverse_move, move),
        ("touch_odds", f"Odds it is touched within {HORIZON_DAYS:g} days", quick.odds, odds_view.odds_text(quick.odds)),
    )
    figures = "".join(
        f'<div class="figure-row"><dt>{label}</dt><dd data-out="{key}" data-value="{_raw(value)}">'
        f"{markup.escape(text)}</dd></div>"
        for key, label, value, text in rows
    )
    venue = VENUES[VENUE]
    assumed = (
        f"Assumes {venue.name}'s convention, isolated margin, margin = value ÷ leverage, maintenance "
        f"{fmt.percent(venue.maintenance_rate)} (BTC, first bracket), no fees or funding. The odds are a model: "
        f"a random walk with no drift at BTC's realised volatility in {BTC.period} "
        f"({fmt.percent(BTC.annualised_volatility, 1)} a year); fat tails, jumps and intraday wicks make "
        "real odds higher."
    )
    link = handoff.href(
        PAGE,
        handoff.CALCULATOR_PAGE,
        {
            "side": r.side,
            "entry_price": handoff.number_text(r.entry_price),
            "leverage": handoff.number_text(r.leverage),
        },
    )
    return (
        f'<dl class="result-figures quick-figures">{figures}</dl>'
        f'<p class="assumptions quick-assumptions">{markup.escape(assumed)}</p>'
        f'<p class="result-handoff"><a class="md-button" href="{markup.escape(link)}" data-out="to_calculator">'
        "Open the full calculator with these numbers</a></p>" + handoff.to_pause(r, from_page=PAGE)
    )


def _raw(value: float | None) -> str:
    return "" if value is None else repr(value)


WIDGET = Widget(
    kind="quick",
    title="Quick liquidation check",
    prefix="quick",
    fields=FIELDS,
    groups=GROUPS,
    compute=lambda values, request: compute(values),
    render=render_result,
    behaviours=("live-on-start",),
    page=PAGE,
)
