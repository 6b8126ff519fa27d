"""Figures quoted in prose. Each renders as a span that carries the engine call it came from
(`data-figure`), so the site's tests can recompute every number a page quotes."""

import html
import json
from collections.abc import Callable

import calculators
from calculators import formatting
from calculators.scenarios import AVERAGING_DOWN, TEACHING, TEACHING_PRESET
from calculators.tiers import PRESETS


def figure(field: str, fmt: str = "percent", *, fn: str = "liquidation_price", row: int = 0, **args) -> str:
    """Call `calculators.<fn>(**args)`, take `field` of the result (a dotted path such as
    "result.loss_at_liquidation" reaches inside it), format it with `fmt`. Functions that answer with
    a list (leverage_ladder's rows, build_position's states) give the figure of row `row`."""
    value = figure_value(fn, args, field, row)
    text = getattr(formatting, fmt)(value)
    spec = json.dumps({"fn": fn, "args": args, "field": field, "format": fmt, "row": row}, sort_keys=True)
    return f'<span class="figure" data-figure="{html.escape(spec)}">{text}</span>'


def figure_value(fn: str, args: dict, field: str, row: int = 0):
    """The raw value a figure shows; the site's tests recompute every span through this same path."""
    result = getattr(calculators, fn)(**args)
    if isinstance(result, list):
        result = result[row]
    for part in field.split("."):
        result = getattr(result, part)
    return result


def averaging(field: str, fmt: str = "price", mode: str = "isolated", step: int = 1) -> str:
    """The position-sizing page's averaging-down example after `step` (0: the open, 1: the add),
    computed by build_position in cross margin (the wallet backs everything) or isolated margin
    (each leg brings its own margin at the example's leverage)."""
    args: dict = {
        "venue": TEACHING.venue,
        "side": "long",
        "steps": AVERAGING_DOWN.steps(),
        "margin_mode": mode,
        "maintenance_margin_rate": TEACHING.maintenance_margin_rate,
    }
    if mode == "cross":
        args["wallet_balance"] = AVERAGING_DOWN.cross_wallet
    else:
        args["leverage"] = AVERAGING_DOWN.leverage
    return figure(field, fmt, fn="build_position", row=step, **args)


def averaging_input(name: str) -> str:
    """An input of the averaging example (the add price, the wallet), as stated, never computed."""
    value = getattr(AVERAGING_DOWN, name)
    return formatting.price(value, 0) if name != "add_quantity" else f"{value:g} {TEACHING.base}"


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
    if args["leverage"] is None:  # the caller states the margin instead
        del args["leverage"]
    return args


def move(leverage, side="long", **overrides) -> str:
    """Adverse move that liquidates `leverage`x, e.g. {{ move(10) }} -> '9.64%'."""
    return figure("adverse_move", "percent", **teaching_args(leverage, side, **overrides))


def liq_price(leverage, side="long", **overrides) -> str:
    """Liquidation price at the example entry, e.g. {{ liq_price(10) }}."""
    return figure("price", "price", **teaching_args(leverage, side, **overrides))


def bankruptcy(leverage, side="long", **overrides) -> str:
    return figure("bankruptcy_price", "price", **teaching_args(leverage, side, **overrides))


def scenario(field: str, fmt: str = "amount", leverage=10, side="long", **overrides) -> str:
    """Any field of the teaching scenario's result, e.g. {{ scenario("initial_margin", "amount") }}.

    Pages change the scenario only through named overrides (extra_margin, funding_paid, ...);
    the venue, entry, size and maintenance rate always come from `TEACHING`."""
    return figure(field, fmt, **teaching_args(leverage, side, **overrides))


def inverse_move(leverage, side="long") -> str:
    """Adverse move of the same position as an inverse (coin-margined) contract: the same dollar
    value, counted in one-dollar contracts."""
    contracts = TEACHING.quantity * TEACHING.entry_price
    return move(leverage, side, contract="inverse", quantity=contracts)


def bracket_move(leverage, quantity=None) -> str:
    """Adverse move with the shipped bracket table instead of a fixed rate, so a larger position
    falls into the bracket its size puts it in."""
    args = teaching_args(leverage, quantity=TEACHING.quantity if quantity is None else quantity)
    del args["maintenance_margin_rate"]
    return figure("adverse_move", "percent", **args, tiers=TEACHING_PRESET)


def quantity() -> str:
    """The teaching position's size with its unit, e.g. '0.5 BTC'."""
    return f"{TEACHING.quantity:g} {TEACHING.base}"


def position_value() -> str:
    """The teaching position's value at entry, e.g. '30,000 USDT'."""
    return f"{formatting.price(TEACHING.quantity * TEACHING.entry_price, 0)} {TEACHING.quote}"


def first_bracket_cap() -> str:
    """Where the first bracket of the teaching preset ends, e.g. '50,000 USDT'."""
    return f"{formatting.price(PRESETS[TEACHING_PRESET].tiers[0].cap, 0)} {TEACHING.quote}"


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


MACROS: tuple[Callable[..., str], ...] = (
    move,
    liq_price,
    bankruptcy,
    scenario,
    inverse_move,
    bracket_move,
    quantity,
    position_value,
    first_bracket_cap,
    textbook,
    mmr,
    entry,
    venue_name,
    zero_buffer_leverage,
    assumptions,
    figure,
)


# --- sources ------------------------------------------------------------------------------------
# The venue pages behind the rules the prose states, with the date each was read. A page lists
# the ones it relies on with {{ sources("key", ...) }} at its end; calculators/tiers.py and the
# venue tests cite the same pages for the numbers.

READ_ON = "2026-12-01"

SOURCES = {
    "binance-liquidation-price": (
        "Binance: How to Calculate Liquidation Price of USDⓈ-M Futures Contracts",
        "https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93",
    ),
    "binance-brackets": (
        "Binance: Leverage and Margin of USDⓈ-M Futures (BTCUSDT brackets)",
        "https://www.binance.com/en/futures/trading-rules/perpetual/leverage-margin",
    ),
    "binance-liquidation-protocols": (
        "Binance: Liquidation Protocols (mark price trigger, margin ratio, liquidation fee)",
        "https://www.binance.com/en/support/faq/360033525271",
    ),
    "binance-insurance-fund": (
        "Binance: Introduction to Futures Insurance Funds",
        "https://www.binance.com/en/support/faq/360033525371",
    ),
    "binance-funding": (
        "Binance: Introduction to Binance Futures Funding Rates",
        "https://www.binance.com/en/support/faq/360033525031",
    ),
    "bybit-liquidation-price": (
        "Bybit: Liquidation Price (USDT Contract)",
        "https://www.bybit.com/en/help-center/article/Liquidation-Price-USDT-Contract",
    ),
    "bybit-uta-liquidation-price": (
        "Bybit: Liquidation Price Calculation under Isolated Mode (Unified Trading Account)",
        "https://www.bybit.com/en/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account",
    ),
    "bybit-insurance-fund": (
        "Bybit: Insurance Fund",
        "https://www.bybit.com/en/help-center/article/Insurance-Fund",
    ),
    "okx-margin-ratio": (
        "OKX: Tiered maintenance margin ratio rules (margin ratio, liquidation at 100%)",
        "https://www.okx.com/help/v-tiered-maintenance-margin-ratio-rules",
    ),
    "gate-liquidation-price": (
        "Gate: Liquidation Price / Bankruptcy Price",
        "https://www.gate.io/help/futures/futures/27724/liquidation-price-bankruptcy-price",
    ),
    "dydx-margin": (
        "dYdX Chain documentation: Margin",
        "https://docs.dydx.exchange/concepts-trading/margin",
    ),
    "dydx-liquidations": (
        "dYdX: Liquidations on dYdX Chain",
        "https://help.dydx.exchange/en/articles/8580691-liquidations-on-dydx-chain",
    ),
    "hyperliquid-liquidations": (
        "Hyperliquid Docs: Liquidations",
        "https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations",
    ),
    "phemex-liquidation-price": (
        "Phemex: Liquidation price for USDT-M perpetual contracts",
        "https://phemex.com/help-center/liq-price-for-USDTM",
    ),
    "bitmex-insurance-fund": (
        "BitMEX blog: BitMEX Insurance Fund, Your Questions Answered",
        "https://blog.bitmex.com/bitmex-insurance-fund-your-questions-answered/",
    ),
    "adl-october-2025": (
        "Autodeleveraging: Impossibilities and Optimization (arXiv 2512.01112), Hyperliquid's ADL on 10 Oct 2025",
        "https://arxiv.org/abs/2512.01112",
    ),
}

# What every page quoting the teaching scenario rests on: its formula and its bracket.
SCENARIO_SOURCES = ("binance-liquidation-price", "binance-brackets")


def sources(*keys: str) -> str:
    """The page's "Sources" list: the scenario's two pages first, then the ones named."""
    unknown = [k for k in keys if k not in SOURCES]
    if unknown:
        raise KeyError(f"unknown source {unknown}; add it to macros/figures.py SOURCES")
    chosen = list(dict.fromkeys((*SCENARIO_SOURCES, *keys)))
    items = "".join(
        f'<li><a href="{html.escape(SOURCES[k][1])}">{html.escape(SOURCES[k][0])}</a>, read {READ_ON}</li>'
        for k in chosen
    )
    title = '<p class="sources-title"><strong>Sources</strong></p>'
    return f'<div class="sources" id="sources">{title}<ul>{items}</ul></div>'


MACROS = (*MACROS, sources, averaging, averaging_input)
