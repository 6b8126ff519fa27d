"""The liquidation calculator widget: fields, parsing, and the result block."""

from dataclasses import dataclass

from .. import formatting as fmt
from .. import inputs
from ..engine import LiquidationResult, liquidation_price
from ..errors import InputError
from ..odds import liquidation_odds
from ..stops import ExitCheck, planned_exit
from ..tiers import PRESETS
from ..venues import VENUES
from . import charts, handoff, markup, odds_view
from .form import Field, all_errors, parse
from .registry import Widget
from .venue_values import percent_text, starting_values

_POSITION_FIELDS = (
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
        default=percent_text(VENUES["binance"].maintenance_rate),
        unit="%",
        percent=True,
        help=(
            "Your venue's rate for your position's size. Picking a venue fills in its own BTC rate at the "
            "smallest tier (the source is under the result) unless you typed one. Ignored when a tier preset "
            "is chosen."
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
        help=(
            "Used by venues that reserve the fee to close (OKX, Gate, Phemex, Bybit UTA, BitMEX); picking one "
            "fills in its fee unless you typed one."
        ),
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
# In the order the form shows them (its groups' order): the position, the odds, then the rest.
FIELDS = (
    tuple(f for f in _POSITION_FIELDS if f.group == "main")
    + odds_view.FIELDS
    + tuple(f for f in _POSITION_FIELDS if f.group != "main")
)

GROUPS = {
    "main": "Your position",
    odds_view.GROUP[0]: odds_view.GROUP[1],
    "more": "+More inputs: contract, margin, tiers, fees",
    "cross": "+Cross margin: your other positions",
}
ENGINE_FIELDS = frozenset(f.name for f in FIELDS) - {"quantity_unit", "stop_price"} - odds_view.NAMES


@dataclass(frozen=True, slots=True)
class Answer:
    result: LiquidationResult
    check: ExitCheck | None  # the planned stop, when one was given
    odds: float | None  # the model chance the liquidation price is touched within the horizon
    asset: str
    volatility: float
    horizon: float


def compute(values: dict) -> tuple[Answer | None, dict]:
    """(answer, errors). `values` are the browser's strings; every faulty field is reported at once."""
    return all_errors(_compute_once, FIELDS, values)


def _compute_once(values: dict) -> tuple[Answer | None, dict]:
    kwargs, errors = parse(FIELDS, values)
    if errors:
        return None, errors
    unit = kwargs.pop("quantity_unit", "base")
    stop = kwargs.pop("stop_price", None)
    if kwargs.get("tiers"):
        kwargs.pop("maintenance_margin_rate", None)  # a preset brings its own rates
    else:
        kwargs.pop("tiers", None)
    try:
        # The size is converted with the entry price before the engine sees either: check the
        # entry first (the engine's own check, so the same message), or a zero would divide.
        inputs.positive("entry_price", kwargs["entry_price"])
        if unit == "quote":
            # A value in USDT/USD: the coin amount for linear, the contract count for inverse.
            if kwargs["contract"] == "linear":
                kwargs["quantity"] = kwargs["quantity"] / kwargs["entry_price"]
        elif kwargs["contract"] == "inverse":
            kwargs["quantity"] = kwargs["quantity"] * kwargs["entry_price"]
        asset, volatility, horizon = odds_view.take_inputs(kwargs)
        result = liquidation_price(**kwargs)
        check = None if stop is None else planned_exit(result, stop, field="stop_price")
        odds = liquidation_odds(result, volatility, horizon)
    except InputError as error:
        known = ENGINE_FIELDS | odds_view.NAMES | {"stop_price"}
        return None, {error.field if error.field in known else "_": error.message}
    return Answer(result, check, odds, asset, volatility, horizon), {}


def render_result(answer: Answer) -> str:
    result, check = answer.result, answer.check
    unit = "USDT" if result.settlement == "quote" else "BTC"
    price_unit = "USDT" if result.contract == "linear" else "USD"
    cross = result.margin_mode == "cross"
    rows = (
        (
            "price",
            "Liquidation price",
            result.liquidated_at,
            _liquidation_text(result, price_unit),
        ),
        (
            "bankruptcy_price",
            "Bankruptcy price",
            result.bankruptcy_price,
            fmt.amount(result.bankruptcy_price, price_unit),
        ),
        ("adverse_move", "Move against you that liquidates", result.adverse_move, fmt.percent(result.adverse_move)),
        ("initial_margin", "Initial margin", result.initial_margin, fmt.amount(result.initial_margin, unit)),
        _loss_to_plan_row(result, unit),
        (
            "loss_at_liquidation",
            "Part lost to the price move by the trigger" if not cross else "This position's price loss at the trigger",
            result.loss_at_liquidation,
            fmt.amount(result.loss_at_liquidation, unit),
        ),
        (
            "maintenance_margin",
            "Left at the trigger, for the close and fees" if not cross else "Maintenance margin at that price",
            result.maintenance_margin,
            fmt.amount(result.maintenance_margin, unit),
        ),
    )
    figures = "".join(
        f'<div class="figure-row"><dt>{label}</dt>'
        f'<dd data-out="{key}" data-value="{_value(value)}">{markup.escape(text)}</dd></div>'
        for key, label, value, text in rows
    )
    parts = [
        f'<dl class="result-figures">{figures}</dl>',
        f'<p class="result-meaning result-loss" data-out="loss_note">{markup.escape(_loss_note(result, unit))}</p>',
        odds_view.sentence(
            answer.odds, fmt.amount(result.liquidated_at, price_unit), answer.asset, answer.volatility, answer.horizon
        ),
        _charts(result, check),
    ]
    if check is not None:
        stop_line = markup.escape(_stop_line(result, check, price_unit, unit))
        parts.append(f'<p class="result-stop" data-out="stop" data-value="{check.first}">{stop_line}</p>')
    venue_name = markup.escape(VENUES[result.venue].name)
    parts.append(
        f'<p class="result-convention" data-out="convention"><strong>{venue_name}:</strong> '
        f"{markup.escape(result.convention)}</p>"
    )
    parts.append(_starting_values_line(result))
    if result.tier is not None:
        t = result.tier
        parts.append(
            f'<p class="result-tier" data-out="tier">Bracket used: up to {fmt.price(t.cap, 0)} notional, '
            f"maintenance {fmt.percent(t.rate)}, deduction {fmt.price(t.amount, 0)}, "
            f"max {fmt.leverage(t.max_leverage)}.</p>"
        )
    if result.warnings:
        items = "".join(f"<li>{markup.escape(w)}</li>" for w in result.warnings)
        parts.append(f'<ul class="result-warnings" data-out="warnings">{items}</ul>')
    parts.append(handoff.to_pause(result))
    return "".join(parts)


def _charts(result: LiquidationResult, check: ExitCheck | None) -> str:
    """Your position on a price line, and the math behind the price."""
    stop = check.exit_price if check else None
    if not charts.drawable(result, stop):
        return '<p class="result-chart-note">The charts are left out: these numbers are too large to draw.</p>'
    line = charts.price_line(result, stop_price=stop, id_prefix="liq-line")
    return line + charts.show_the_math(result, id_prefix="liq-math")


def _loss_to_plan_row(result, unit):
    """The loss a person should plan for if liquidated: the whole margin in isolated, more in cross."""
    if result.margin_mode == "cross":
        return ("loss_to_plan", "Loss to plan for if liquidated", None, "Most of your wallet: see below")
    return ("loss_to_plan", "Loss to plan for if liquidated", result.margin, f"All {fmt.amount(result.margin, unit)}")


def _loss_note(result, unit) -> str:
    if result.margin_mode == "cross":
        return (
            "Cross margin: this position draws on your whole wallet balance before it is liquidated, so a "
            "liquidation can take most of the wallet, and losses on your other positions bring it nearer. "
            "The price loss at the trigger above is this position's alone, not what you could lose."
        )
    return (
        f"Isolated margin: if this position is liquidated, plan on losing all of its margin, "
        f"{fmt.amount(result.margin, unit)}. The price move takes most of it by the trigger; the liquidation "
        "fee and a close below the trigger usually take what is left. Your other funds are not touched."
    )


def _starting_values_line(result) -> str:
    """Where the rate and fee came from, when they are the venue's own starting values."""
    venue = VENUES[result.venue]
    said = []
    if result.tier is None and result.maintenance_margin_rate == venue.maintenance_rate:
        said.append(f"maintenance rate {fmt.percent(venue.maintenance_rate)}: {venue.maintenance_rate_source}")
    if venue.uses_taker_fee and result.taker_fee_rate == venue.taker_fee:
        said.append(f"taker fee {fmt.percent(venue.taker_fee, 3)}: {venue.taker_fee_source}")
    if not said:
        return ""
    text = f"Starting values for {venue.name}, {'; '.join(said)}. Use your own tier's figures if they differ."
    return f'<p class="result-source" data-out="starting_values">{markup.escape(text)}</p>'


def _value(value) -> str:
    return "" if value is None else repr(float(value))


def _liquidation_text(result, price_unit: str) -> str:
    if not result.price:
        return "None: " + _no_price(result)
    if result.adverse_move == 0.0:
        return f"At entry, {fmt.amount(result.liquidated_at, price_unit)}: liquidated as it opens"
    return fmt.amount(result.price, price_unit)


def _no_price(result) -> str:
    return "no price above zero" if result.side == "long" else "no finite price"


# Never suggest moving the stop toward entry to make the trade fit: the stop comes from the idea.
_FIT_ADVICE = (
    "Your stop belongs where your idea is proven wrong, not where the leverage allows: lower the leverage, "
    "make the position smaller relative to your account, or skip the trade."
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
        f"({fmt.percent(check.exit_move)}). {_FIT_ADVICE}"
    )


WIDGET = Widget(
    kind="liquidation",
    title="Liquidation calculator",
    prefix="liq",
    fields=FIELDS,
    groups=GROUPS,
    compute=lambda values, request: compute(values),
    render=render_result,
    behaviours=("live-on-start", "share"),
    follows=("venue", "asset"),
    suggest=lambda values: {**starting_values(values, FIELDS), **odds_view.suggested_volatility(values)},
    page=handoff.CALCULATOR_PAGE,
)
