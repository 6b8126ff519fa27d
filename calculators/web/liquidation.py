"""The liquidation calculator widget: fields, parsing, and the result block."""

import html

from .. import formatting as fmt
from ..engine import LiquidationResult, liquidation_price
from ..errors import InputError
from ..markets import BTC, typical_days
from ..stops import planned_exit
from ..tiers import PRESETS
from ..venues import VENUES
from .form import Field, all_errors, parse
from .registry import Widget

_BINANCE = PRESETS["binance-btcusdt-2024-10"]
_FIRST_BRACKET = _BINANCE.tiers[0]


def _percent_text(fraction: float) -> str:
    """A rate as the number a trader types into a percent field: 0.004 -> '0.4'."""
    return f"{fraction * 100:g}"


FIELDS = (
    Field(
        "venue",
        "Venue",
        "select",
        "binance",
        options=tuple((k, v.name) for k, v in VENUES.items()),
        help="Each venue computes the price its own way; the result follows that venue's convention.",
    ),
    Field(
        "side",
        "Side",
        "select",
        "long",
        options=(("long", "Long (you gain if the price rises)"), ("short", "Short (you gain if the price falls)")),
    ),
    Field("entry_price", "Entry price", default="60000", unit="USDT"),
    Field(
        "quantity",
        "Position size",
        default="0.1",
        help="In the coin (e.g. 0.1 BTC) or as the position's value in USDT: choose below.",
    ),
    Field(
        "quantity_unit",
        "Size is given in",
        "select",
        "base",
        options=(("base", "Coin (BTC)"), ("quote", "Value (USDT or USD)")),
    ),
    Field("leverage", "Leverage", default="10", unit="x"),
    Field(
        "maintenance_margin_rate",
        "Maintenance margin rate",
        default=_percent_text(_FIRST_BRACKET.rate),
        unit="%",
        percent=True,
        help=(
            f"Your venue's rate for this size; {fmt.percent(_FIRST_BRACKET.rate, 1)} is Binance's first BTCUSDT "
            f"bracket ({_BINANCE.as_of}). Ignored when a tier preset is chosen."
        ),
    ),
    Field(
        "stop_price",
        "Planned stop price",
        optional=True,
        unit="USDT",
        help="Where you intend to exit if wrong. We tell you whether it comes before the liquidation.",
    ),
    Field(
        "contract",
        "Contract",
        "select",
        "linear",
        group="more",
        options=(("linear", "Linear (USDT-margined)"), ("inverse", "Inverse (coin-margined)")),
    ),
    Field(
        "margin_mode",
        "Margin mode",
        "select",
        "isolated",
        group="more",
        options=(("isolated", "Isolated"), ("cross", "Cross")),
    ),
    Field(
        "margin",
        "Margin, or wallet balance in cross",
        optional=True,
        group="more",
        help="Leave empty to use position value ÷ leverage. Inverse: in the coin.",
    ),
    Field(
        "tiers",
        "Tier preset",
        "select",
        "",
        optional=True,
        group="more",
        options=(("", "None: use the rate above"),)
        + tuple((k, f"{t.venue} {t.symbol} ({t.as_of})") for k, t in PRESETS.items()),
    ),
    Field(
        "maintenance_amount",
        "Maintenance amount (deduction)",
        optional=True,
        group="more",
        help="Binance 'cum', Bybit 'MM deduction'. Leave empty for none.",
    ),
    Field(
        "taker_fee_rate",
        "Taker fee",
        optional=True,
        unit="%",
        percent=True,
        group="more",
        help="Used by venues that reserve the fee to close (OKX, Gate, Phemex, Bybit UTA, BitMEX).",
    ),
    Field(
        "funding_paid",
        "Funding paid so far",
        optional=True,
        group="more",
        help="Out of this position's margin; negative if you received funding.",
    ),
    Field("extra_margin", "Margin added after opening", optional=True, group="more"),
    Field(
        "other_maintenance",
        "Other positions' maintenance margin",
        optional=True,
        group="cross",
        help="Cross margin only: the sum for your other open positions.",
    ),
    Field(
        "other_unrealized_pnl",
        "Other positions' unrealised PnL",
        optional=True,
        group="cross",
        help="Cross margin only: negative when they are losing.",
    ),
)

GROUPS = {
    "main": "Your position",
    "more": "+More inputs: contract, margin, tiers, fees",
    "cross": "+Cross margin: your other positions",
}
ENGINE_FIELDS = frozenset(f.name for f in FIELDS) - {"quantity_unit", "stop_price"}


def compute(values: dict):
    """(result, exit check or None, errors). `values` are the browser's strings; every faulty
    field is reported at once."""
    answer, errors = all_errors(_compute_once, FIELDS, values)
    return (None, None, errors) if errors else (*answer, {})


def _compute_once(values: dict):
    result, check, errors = _compute(values)
    return (result, check), errors


def _compute(values: dict):
    kwargs, errors = parse(FIELDS, values)
    if errors:
        return None, None, errors
    unit = kwargs.pop("quantity_unit", "base")
    stop = kwargs.pop("stop_price", None)
    if kwargs.get("tiers"):
        kwargs.pop("maintenance_margin_rate", None)  # a preset brings its own rates
    else:
        kwargs.pop("tiers", None)
    if unit == "quote":
        # A value in USDT/USD: the coin amount for linear, the contract count for inverse.
        if kwargs["contract"] == "linear":
            kwargs["quantity"] = kwargs["quantity"] / kwargs["entry_price"]
    elif kwargs["contract"] == "inverse":
        kwargs["quantity"] = kwargs["quantity"] * kwargs["entry_price"]
    try:
        result = liquidation_price(**kwargs)
        check = None if stop is None else planned_exit(result, stop, field="stop_price")
    except InputError as error:
        return None, None, {error.field if error.field in ENGINE_FIELDS | {"stop_price"} else "_": error.message}
    return result, check, {}


def render_result(result, check) -> str:
    unit = "USDT" if result.settlement == "quote" else "BTC"
    price_unit = "USDT" if result.contract == "linear" else "USD"
    rows = (
        (
            "price",
            "Liquidation price",
            result.price,
            fmt.amount(result.price, price_unit) if result.price else "None: " + _no_price(result),
        ),
        (
            "bankruptcy_price",
            "Bankruptcy price",
            result.bankruptcy_price,
            fmt.amount(result.bankruptcy_price, price_unit),
        ),
        ("adverse_move", "Move against you that liquidates", result.adverse_move, fmt.percent(result.adverse_move)),
        (
            "loss_at_liquidation",
            "Loss when liquidation triggers",
            result.loss_at_liquidation,
            fmt.amount(result.loss_at_liquidation, unit),
        ),
        ("initial_margin", "Initial margin", result.initial_margin, fmt.amount(result.initial_margin, unit)),
        (
            "maintenance_margin",
            "Maintenance margin at that price",
            result.maintenance_margin,
            fmt.amount(result.maintenance_margin, unit),
        ),
    )
    figures = "".join(
        f'<div class="figure-row"><dt>{label}</dt>'
        f'<dd data-out="{key}" data-value="{_value(value)}">{html.escape(text)}</dd></div>'
        for key, label, value, text in rows
    )
    parts = [
        f'<dl class="result-figures">{figures}</dl>',
        f'<p class="result-meaning" data-out="meaning">{html.escape(_meaning(result))}</p>',
    ]
    if check is not None:
        parts.append(
            f'<p class="result-stop" data-out="stop" data-value="{check.first}">'
            f"{html.escape(_stop_line(result, check, price_unit, unit))}</p>"
        )
    parts.append(
        f'<p class="result-convention" data-out="convention">'
        f"<strong>{html.escape(VENUES[result.venue].name)}:</strong> {html.escape(result.convention)}</p>"
    )
    if result.tier is not None:
        t = result.tier
        parts.append(
            f'<p class="result-tier" data-out="tier">Bracket used: up to {fmt.price(t.cap, 0)} notional, '
            f"maintenance {fmt.percent(t.rate)}, deduction {fmt.price(t.amount, 0)}, "
            f"max {fmt.leverage(t.max_leverage)}.</p>"
        )
    if result.warnings:
        items = "".join(f"<li>{html.escape(w)}</li>" for w in result.warnings)
        parts.append(f'<ul class="result-warnings" data-out="warnings">{items}</ul>')
    return "".join(parts)


def _value(value) -> str:
    return "" if value is None else repr(float(value))


def _no_price(result) -> str:
    return "no price above zero" if result.side == "long" else "no finite price"


def _meaning(result: LiquidationResult) -> str:
    if result.adverse_move is None:
        return (
            "This position has no liquidation price: the margin covers the whole move. "
            "It can still lose all of its margin."
        )
    if result.adverse_move == 0:
        return "There is no buffer at all: this position would be liquidated as soon as it opened."
    days = typical_days(result.adverse_move)
    daily = fmt.percent(BTC.daily, 1)
    size = (
        "less than one typical day's move"
        if days < 1
        else f"about {days:.1f} typical days' moves"
        if days < 10
        else f"about {days:.0f} typical days' moves"
    )
    return (
        f"A {fmt.percent(result.adverse_move)} move against you closes this position for you. Bitcoin's typical "
        f"daily move is about {daily} (one standard deviation, from a {fmt.percent(BTC.annualised_volatility, 0)} "
        f"annualised volatility: {BTC.source}), so that is {size}."
    )


def _stop_line(result, check, price_unit, unit) -> str:
    stop = fmt.amount(check.exit_price, price_unit)
    if check.first == "planned":
        return (
            f"Your stop at {stop} comes first, after a {fmt.percent(check.exit_move)} move, losing about "
            f"{fmt.amount(check.loss_at_exit, unit)} before fees. "
            f"Liquidation would need {fmt.percent(result.adverse_move)}."
        )
    return (
        f"Liquidation comes first: the exchange closes you at {fmt.amount(result.price, price_unit)} "
        f"({fmt.percent(result.adverse_move)}) before the market reaches your stop at {stop} "
        f"({fmt.percent(check.exit_move)}). Lower the leverage or move the stop closer."
    )


WIDGET = Widget(
    kind="liquidation",
    title="Liquidation calculator",
    prefix="liq",
    fields=FIELDS,
    groups=GROUPS,
    compute=lambda values, request: _answer(compute(values)),
    render=lambda answer: render_result(*answer),
    behaviours=("live-on-start", "share"),
)


def _answer(computed):
    """compute()'s (result, check, errors) as the registry's (answer, errors)."""
    result, check, errors = computed
    return (result, check), errors
