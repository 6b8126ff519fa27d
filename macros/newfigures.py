"""Figures and tables for the funding, formula and after-liquidation pages.

Every number is an engine figure (a `figure` span the site's tests recompute) or a stated input
(an `assumed` span). The inputs live here, named and sourced, so no page types a number into a
macro call: the teaching scenario comes from `calculators.scenarios.TEACHING`, the rest below.
"""

import html

import calculators
from calculators import formatting as fmt
from calculators.engine import state_at
from calculators.lending import price_for_liquidation
from calculators.scenarios import LENDING_EXAMPLE, TEACHING
from calculators.tiers import PRESETS

# How far past the liquidation price the widget takes its "one liquidation" figures; the page does the same.
from calculators.web.lending import PAST_THE_TRIGGER

from .figures import figure, scenario, teaching_args
from .tables import COMPARISON_FEE, _table

# Funding: 0.01 % per eight-hour interval is the interest-rate baseline in Bybit's own example
# (help.bybit.com, "What is funding rate and predicted rate?", read 2026-12-01), and eight hours
# is the interval that page states. Held for a month, that is what the position pays.
FUNDING_RATE = 0.0001
FUNDING_INTERVALS_PER_DAY = 3
FUNDING_DAYS = 30

# Brackets: the shipped Binance BTCUSDT preset. The "large" position opens at twice the floor of
# its fourth bracket, so it sits well inside a bracket with a higher maintenance rate.
TIER_PRESET = PRESETS["binance-btcusdt-2024-10"]
LARGE_QUANTITY = 2 * TIER_PRESET.tiers[3].floor / TEACHING.entry_price

# Cross margin: the account holds this many times the isolated position's margin.
CROSS_WALLET_MULTIPLE = 3

# Margin ratio table: the venues whose own definitions of the ratio the page quotes.
RATIO_MOVES = (0.0, 0.02, 0.05, 0.08)


def _assumed(text: str) -> str:
    return f'<span class="assumed">{html.escape(text)}</span>'


# --- funding ------------------------------------------------------------------------------------


def funding_rate() -> str:
    """The example funding rate per interval (an input with a source, not a result)."""
    return _assumed(fmt.percent(FUNDING_RATE))


def funding_days() -> str:
    return str(FUNDING_DAYS)


def funding_intervals() -> str:
    """How many funding intervals the example month holds."""
    return str(FUNDING_INTERVALS_PER_DAY * FUNDING_DAYS)


def _funding_total() -> float:
    notional = TEACHING.quantity * TEACHING.entry_price
    return notional * FUNDING_RATE * FUNDING_INTERVALS_PER_DAY * FUNDING_DAYS


def funding_per_interval() -> str:
    """Funding paid each interval by the teaching position: notional x rate (an input)."""
    notional = TEACHING.quantity * TEACHING.entry_price
    return _assumed(fmt.amount(notional * FUNDING_RATE, TEACHING.quote))


def funding_total() -> str:
    """Funding paid over the example month (an input to the engine)."""
    return _assumed(fmt.amount(_funding_total(), TEACHING.quote))


def funding_figure(field: str = "price", fmt_name: str = "price", leverage=10, received: bool = False) -> str:
    """The teaching position after a month of funding paid (or received) out of its margin."""
    paid = -_funding_total() if received else _funding_total()
    return scenario(field, fmt_name, leverage, funding_paid=paid)


# --- fees ---------------------------------------------------------------------------------------


def taker_fee() -> str:
    """The illustrative taker fee used in the site's venue comparison (an input)."""
    return _assumed(fmt.percent(COMPARISON_FEE, 3))


def fee_reserve(field: str = "price", fmt_name: str = "price", venue="okx", leverage=10, with_fee: bool = True) -> str:
    """A venue that reserves the closing fee inside maintenance, with and without that fee."""
    return scenario(field, fmt_name, leverage, venue=venue, taker_fee_rate=COMPARISON_FEE if with_fee else 0.0)


# --- brackets and cross margin --------------------------------------------------------------------


def tier_figure(field: str = "adverse_move", fmt_name: str = "percent", size: str = "small", leverage=10) -> str:
    """The teaching position (small) or a much larger one (large) under the preset's brackets."""
    quantity = TEACHING.quantity if size == "small" else LARGE_QUANTITY
    return figure(
        field,
        fmt_name,
        venue=TIER_PRESET.venue,
        side="long",
        entry_price=TEACHING.entry_price,
        quantity=quantity,
        leverage=leverage,
        tiers=TIER_PRESET.name,
    )


def tier_preset_date() -> str:
    return TIER_PRESET.as_of


def cross_multiple() -> str:
    return str(CROSS_WALLET_MULTIPLE)


def cross_figure(field: str = "price", fmt_name: str = "price", leverage=10) -> str:
    """The teaching position in cross margin, backed by a wallet several times its margin.

    Assumes no other open positions (the engine's cross estimate holds them fixed)."""
    wallet = TEACHING.quantity * TEACHING.entry_price / leverage * CROSS_WALLET_MULTIPLE
    return figure(
        field,
        fmt_name,
        venue=TEACHING.venue,
        side="long",
        entry_price=TEACHING.entry_price,
        quantity=TEACHING.quantity,
        margin=wallet,
        margin_mode="cross",
        maintenance_margin_rate=TEACHING.maintenance_margin_rate,
    )


# --- margin ratio, two definitions ------------------------------------------------------------------


def _ratio_results(leverage):
    common = teaching_args(leverage)
    binance = calculators.liquidation_price(**common)
    okx = calculators.liquidation_price(**{**common, "venue": "okx", "taker_fee_rate": COMPARISON_FEE})
    return binance, okx


def margin_ratio_rows(leverage=10):
    """(price, binance ratio or None, okx ratio or None) down to both venues' triggers.

    Binance: maintenance / equity, rising to 100 %. OKX: equity / (maintenance + fee to close),
    falling to 100 %. None once the price is past that venue's trigger (already liquidated)."""
    binance, okx = _ratio_results(leverage)
    prices = [TEACHING.entry_price * (1 - m) for m in RATIO_MOVES]
    prices += [binance.price, okx.price]
    rows = []
    for price in sorted(set(prices), reverse=True):
        b_equity, b_maintenance = state_at(binance, price)
        o_equity, o_requirement = state_at(okx, price)
        b_ratio = b_maintenance / b_equity if price >= binance.price else None
        o_ratio = o_equity / o_requirement if price >= okx.price else None
        rows.append((price, b_ratio, o_ratio))
    return binance, okx, rows


def margin_ratio_table(leverage=10) -> str:
    binance, okx, rows = margin_ratio_rows(leverage)
    body = [
        (
            i,
            (
                fmt.price(price),
                fmt.percent((TEACHING.entry_price - price) / TEACHING.entry_price),
                "liquidated" if b is None else fmt.percent(b, 1),
                "liquidated" if o is None else fmt.percent(o, 1),
            ),
        )
        for i, (price, b, o) in enumerate(rows)
    ]
    note = (
        f'<p class="assumptions">The same {fmt.leverage(leverage)} isolated long of '
        f"{TEACHING.quantity:g} {TEACHING.base} at {fmt.price(TEACHING.entry_price, 0)} {TEACHING.quote}, "
        "maintenance rate "
        f"{fmt.percent(TEACHING.maintenance_margin_rate)}. Binance column: Binance's convention and its ratio, "
        f"maintenance divided by margin balance. OKX column: OKX's convention with a taker fee of "
        f"{fmt.percent(COMPARISON_FEE, 3)} reserved, and its ratio, equity divided by maintenance plus the fee "
        f"to close. Liquidation prices: {fmt.price(binance.price)} (Binance), {fmt.price(okx.price)} (OKX).</p>"
    )
    headers = (f"Mark price ({TEACHING.quote})", "Move against you", "Binance margin ratio", "OKX margin ratio")
    return note + _table("margin-ratio", headers, body)


# --- DeFi lending -------------------------------------------------------------------------------


def lending_input(name: str) -> str:
    """One of the lending example's stated inputs: "collateral_value", "debt_value", "collateral_price",
    "collateral_amount", "liquidation_threshold" or "liquidation_bonus"."""
    e = LENDING_EXAMPLE
    texts = {
        "collateral_value": "$" + fmt.price(e.collateral_amount * e.collateral_price, 0),
        "debt_value": "$" + fmt.price(e.debt_amount * e.debt_price, 0),
        "collateral_price": "$" + fmt.price(e.collateral_price, 0),
        "collateral_amount": f"{e.collateral_amount:g}",
        "liquidation_threshold": fmt.percent(e.liquidation_threshold, 0),
        "liquidation_bonus": fmt.percent(e.liquidation_bonus, 0),
    }
    return _assumed(texts[name])


def lending_figure(field: str, fmt_name: str = "price", fn: str = "health_factor", at_trigger: bool = False) -> str:
    """A figure of the lending example from `calculators.<fn>` (health_factor, price_for_liquidation or
    lending_liquidation); `at_trigger` moves the collateral price just past its liquidation price first."""
    book = LENDING_EXAMPLE.book()
    if at_trigger:
        trigger = price_for_liquidation(**book).price
        assert trigger is not None  # the example has a liquidation price
        moved = {**book["collaterals"][0], "price": trigger * (1 - PAST_THE_TRIGGER)}
        book = {**book, "collaterals": [moved]}
    return figure(field, fmt_name, fn=fn, **book)


MACROS = (
    funding_rate,
    funding_days,
    funding_intervals,
    funding_per_interval,
    funding_total,
    funding_figure,
    taker_fee,
    fee_reserve,
    tier_figure,
    tier_preset_date,
    cross_multiple,
    cross_figure,
    margin_ratio_table,
    lending_input,
    lending_figure,
)
