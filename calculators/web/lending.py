"""The lending widget: one collateral against one debt on Aave v3, Compound v3 or Morpho Blue; its health
factor, the price at which it can be liquidated, and what one liquidation of the largest allowed size
takes. All the arithmetic is `calculators.lending`; this module maps the form onto it and back."""

from dataclasses import dataclass

from .. import formatting as fmt
from ..errors import InputError
from ..lending import (
    HealthResult,
    LiquidationOutcome,
    PriceResult,
    health_factor,
    liquidation,
    price_for_liquidation,
)
from ..protocols import INCENTIVE_FROM_LLTV, LIQUIDATION_FACTOR, PROTOCOLS
from ..scenarios import LENDING_EXAMPLE as EXAMPLE
from . import charts, markup
from .form import Field, all_errors, parse
from .handoff import number_text
from .registry import Widget
from .venue_values import percent_text

PAGE = "defi-lending/"
SHOWN_PROTOCOLS = ("aave-v3", "compound-v3", "morpho-blue")
# How far past the liquidation price the "one liquidation" figures are taken: at the price itself the health
# factor is exactly 1, which every protocol here still counts as safe.
PAST_THE_TRIGGER = 1e-9

FIELDS = (
    Field(
        "protocol",
        "Protocol",
        "select",
        "aave-v3",
        options=tuple((k, PROTOCOLS[k].name) for k in SHOWN_PROTOCOLS),
        help="Each protocol names its threshold and its liquidation penalty differently; the fields below say how.",
    ),
    # The page's own loan: Aave's worked example (calculators/scenarios.py, LENDING_EXAMPLE).
    Field(
        "collateral_amount",
        "Collateral amount",
        default=number_text(EXAMPLE.collateral_amount),
        unit="coins",
        group="collateral",
    ),
    Field(
        "collateral_price",
        "Collateral price",
        default=number_text(EXAMPLE.collateral_price),
        unit="$",
        group="collateral",
    ),
    Field(
        "liquidation_threshold",
        "Liquidation threshold, LLTV or liquidation collateral factor",
        default=percent_text(EXAMPLE.liquidation_threshold),
        unit="%",
        percent=True,
        group="collateral",
        help=(
            "Aave: the asset's liquidation threshold. Compound v3: its liquidation collateral factor. "
            "Morpho Blue: the market's LLTV. Not the loan-to-value you may borrow up to, which is lower."
        ),
    ),
    Field(
        "liquidation_penalty",
        "Liquidation bonus or penalty",
        default=percent_text(EXAMPLE.liquidation_bonus),
        unit="%",
        percent=True,
        optional=True,
        group="collateral",
        help=(
            "Aave: the asset's liquidation bonus (extra collateral the liquidator takes). Compound v3: 100 % minus "
            "the liquidation factor (the share of value not credited to you). Morpho Blue: ignored, its incentive "
            "follows from the LLTV."
        ),
    ),
    Field("debt_amount", "Debt amount", default=number_text(EXAMPLE.debt_amount), unit="coins", group="debt"),
    Field(
        "debt_price",
        "Debt price",
        default=number_text(EXAMPLE.debt_price),
        unit="$",
        group="debt",
        help="1 for a dollar stablecoin; the borrowed asset's price otherwise.",
    ),
    Field(
        "moving",
        "Which price moves",
        "select",
        "collateral",
        options=(("collateral", "The collateral's (a fall hurts)"), ("debt", "The debt's (a rise hurts)")),
        group="debt",
        help="The other price is held where it is.",
    ),
)
GROUPS = {"main": "Protocol", "collateral": "Your collateral", "debt": "Your debt"}

# The engine's field names -> the form's.
_ENGINE_FIELDS = {
    "protocol": "protocol",
    "moving": "moving",
    "collaterals.0.amount": "collateral_amount",
    "collaterals.0.price": "collateral_price",
    "collaterals.0.liquidation_threshold": "liquidation_threshold",
    "collaterals.0.liquidation_bonus": "liquidation_penalty",
    "collaterals.0.liquidation_factor": "liquidation_penalty",
    "debts.0.amount": "debt_amount",
    "debts.0.price": "debt_price",
}


@dataclass(frozen=True, slots=True)
class Lending:
    health: HealthResult
    price: PriceResult
    outcome: LiquidationOutcome | None  # one liquidation at (just past) the liquidation price
    at_current_prices: bool  # the outcome is at today's prices (the position is already liquidatable)
    moving: str  # "collateral" or "debt"
    book: dict  # what the engine was given (protocol, collaterals, debts): the chart asks it at other prices


def compute(values: dict) -> tuple[Lending | None, dict]:
    return all_errors(_compute_once, FIELDS, values)


def _compute_once(values: dict) -> tuple[Lending | None, dict]:
    kwargs, errors = parse(FIELDS, values)
    if errors:
        return None, errors
    protocol = PROTOCOLS[kwargs["protocol"]]
    collateral: dict[str, float] = {
        "amount": kwargs["collateral_amount"],
        "price": kwargs["collateral_price"],
        "liquidation_threshold": kwargs["liquidation_threshold"],
    }
    penalty = kwargs.get("liquidation_penalty")
    if protocol.penalty_rule != INCENTIVE_FROM_LLTV:
        if penalty is None:
            what = (
                "liquidation penalty (100 % minus the liquidation factor)"
                if protocol.penalty_rule == (LIQUIDATION_FACTOR)
                else "liquidation bonus"
            )
            return None, {"liquidation_penalty": f"{protocol.name} needs the collateral's {what}, in percent."}
        if protocol.penalty_rule == LIQUIDATION_FACTOR:
            collateral["liquidation_factor"] = 1 - penalty
        else:
            collateral["liquidation_bonus"] = penalty
    debt = {"amount": kwargs["debt_amount"], "price": kwargs["debt_price"]}
    moving = kwargs["moving"]
    target = "collaterals.0" if moving == "collateral" else "debts.0"
    book = {"protocol": protocol.key, "collaterals": [collateral], "debts": [debt]}
    try:
        health = health_factor(**book)
        price = price_for_liquidation(**book, moving=target)
        outcome, now = _one_liquidation(book, health, price, moving)
    except InputError as error:
        return None, {_ENGINE_FIELDS.get(error.field, "_"): _percent_words(error.message)}
    return Lending(health, price, outcome, now, moving, book), {}


def _one_liquidation(
    book: dict, health: HealthResult, price: PriceResult, moving: str
) -> tuple[LiquidationOutcome | None, bool]:
    """At today's prices when the position is already liquidatable; otherwise with the moving price just past
    its liquidation price; None when no price liquidates it."""
    if health.liquidatable:
        return liquidation(**book), True
    if price.price is None:
        return None, False
    if moving == "collateral":
        moved = {**book, "collaterals": [{**book["collaterals"][0], "price": price.price * (1 - PAST_THE_TRIGGER)}]}
    else:
        moved = {**book, "debts": [{**book["debts"][0], "price": price.price * (1 + PAST_THE_TRIGGER)}]}
    return liquidation(**moved), False


def _percent_words(message: str) -> str:
    """The engine speaks in fractions (0.05); the form takes percent: say so where it matters."""
    return message + " (The form takes percent: 5 means 5 %.)" if "fraction" in message or " x " in message else message


def render_result(answer: Lending) -> str:
    h, p = answer.health, answer.price
    proto = PROTOCOLS[h.protocol]
    hf_text = fmt.ratio(h.health_factor) if h.health_factor is not None else "no debt"
    what = "collateral" if answer.moving == "collateral" else "debt"
    rows = [
        ("health_factor", "Health factor", h.health_factor, hf_text + (": liquidatable now" if h.liquidatable else "")),
        ("loan_to_value", "Loan-to-value now", h.loan_to_value, fmt.percent(h.loan_to_value)),
        (
            "liquidation_limit",
            "Debt value that makes the health factor 1",
            h.liquidation_limit,
            "$" + fmt.price(h.liquidation_limit),
        ),
        (
            "price",
            f"Liquidation price of the {what}",
            p.price,
            "$" + fmt.price(p.price) if p.price is not None else "none",
        ),
        ("move", f"Room to {p.direction}", p.move, fmt.percent(p.move) if p.move is not None else "—"),
    ]
    figures = "".join(
        f'<div class="figure-row"><dt>{markup.escape(label)}</dt><dd data-out="{key}" data-value="{_raw(value)}">'
        f"{markup.escape(text)}</dd></div>"
        for key, label, value, text in rows
    )
    parts = [
        f'<dl class="result-figures">{figures}</dl>',
        f'<p class="result-meaning" data-out="meaning">{markup.escape(h.meaning)} {markup.escape(p.meaning)}</p>',
        _chart(answer),
        _outcome(answer),
        f'<p class="result-convention" data-out="convention"><strong>{markup.escape(proto.name)}:</strong> '
        f"{markup.escape(proto.convention)}</p>",
        '<p class="result-source" data-out="sources">Sources (read 2026-12-01): '
        + ", ".join(f'<a href="{markup.escape(url)}">{markup.escape(_short(url))}</a>' for url in proto.sources)
        + ".</p>",
        "<p class=\"assumptions\">Prices are the protocol's oracle prices in dollars. Interest accrual, Aave's "
        "e-mode and isolation rules and oracle rounding are left out.</p>",
    ]
    return "".join(parts)


def _chart(answer: Lending) -> str:
    if answer.health.health_factor is None:
        return ""  # no debt: nothing to draw against
    if not charts.health_drawable(answer.price):
        return '<p class="result-chart-note">The chart is left out: these numbers are too large to draw.</p>'
    return charts.health_chart(answer.book, answer.price, id_prefix="lending-chart")


def _outcome(answer: Lending) -> str:
    o = answer.outcome
    if o is None or not o.liquidatable:
        return '<p class="result-liquidation" data-out="liquidation">No price of this asset liquidates the loan.</p>'
    where = (
        "Figures at today's prices"
        if answer.at_current_prices
        else "Figures for a price just past the liquidation price"
    )
    rows = [
        ("repaid_value", "Debt repaid", o.repaid_value),
        ("seized_value", "Collateral taken", o.seized_value),
        ("penalty_value", "Your cost: taken minus credited", o.penalty_value),
    ]
    if o.returned_value:
        rows.append(("returned_value", "Left to you in the base asset", o.returned_value))
    if o.bad_debt_value:
        rows.append(("bad_debt_value", "Debt no collateral covers", o.bad_debt_value))
    figures = "".join(
        f'<div class="figure-row"><dt>{markup.escape(label)}</dt><dd data-out="{key}" data-value="{_raw(value)}">'
        f"${markup.escape(fmt.price(value))}</dd></div>"
        for key, label, value in rows
    )
    return (
        '<p class="result-subtitle"><strong>One liquidation of the largest size allowed</strong></p>'
        f'<p class="result-liquidation" data-out="liquidation">{where}. {markup.escape(o.close_factor_rule)}</p>'
        f'<dl class="result-figures">{figures}</dl>'
    )


def _short(url: str) -> str:
    """aave.com/…/liquidations: the site and the page, short enough for a phone, distinct per link."""
    host, _, path = url.split("://", 1)[-1].partition("/")
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return f"{host}/…/{last}" if last else host


def _raw(value: float | None) -> str:
    return "" if value is None else repr(float(value))


WIDGET = Widget(
    kind="lending",
    title="Lending liquidation check",
    prefix="lend",
    fields=FIELDS,
    groups=GROUPS,
    compute=lambda values, request: compute(values),
    render=render_result,
    behaviours=("live-on-start", "share"),
    page=PAGE,
)
