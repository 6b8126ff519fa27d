"""What adding to a losing position does: a position built step by step (open, add, reduce, close,
move margin, pay funding), with its books and its liquidation price after every step.

The form is plain fields, so the steps are a fixed number of row slots (`step1_kind`, `step1_quantity`,
...); a row whose kind is left empty is unused. `positions.build_position` keeps the books and asks the
engine for every price; this module only turns rows into steps and the engine's "steps.N.price" errors
back into the row's own field.
"""

from dataclasses import dataclass

from .. import formatting as fmt
from ..errors import InputError
from ..positions import AVERAGING, AVERAGING_SOURCE, ISOLATED_RULES, KINDS, PositionState, build_position
from ..scenarios import AVERAGING_DOWN, TEACHING
from ..venues import LINEAR, VENUES
from . import charts, markup
from .form import Field, all_errors, parse
from .handoff import number_text
from .registry import Widget
from .venue_values import percent_text, starting_values

PAGE = "position-sizing/"
ROWS = 6  # row slots; more steps than a lesson needs, few enough for a phone
STEP_PARTS = ("kind", "quantity", "price", "amount")

KIND_LABELS = {
    "open": "Open",
    "add": "Add",
    "reduce": "Reduce",
    "close": "Close all",
    "add_margin": "Add margin",
    "remove_margin": "Remove margin",
    "funding": "Pay funding",
}
assert set(KIND_LABELS) == set(KINDS)  # one label per kind the engine knows

_MAIN_FIELDS = (
    Field(
        "venue",
        "Venue",
        "select",
        TEACHING.venue,
        options=tuple((k, v.name) for k, v in VENUES.items() if LINEAR in v.contracts),
        help="USDT-margined (linear) contracts; each venue's own liquidation convention.",
    ),
    Field(
        "side",
        "Side",
        "select",
        "long",
        options=(("long", "Long (you gain if the price rises)"), ("short", "Short (you gain if the price falls)")),
    ),
    Field(
        "margin_mode",
        "Margin mode",
        "select",
        "isolated",
        options=(("isolated", "Isolated"), ("cross", "Cross")),
    ),
    Field(
        "leverage",
        "Leverage (isolated)",
        default=f"{AVERAGING_DOWN.leverage:g}",
        unit="x",
        optional=True,
        help="Isolated margin: every open or add brings its value ÷ leverage as margin. Ignored in cross.",
    ),
    Field(
        "wallet_balance",
        "Wallet balance (cross)",
        default=number_text(AVERAGING_DOWN.cross_wallet),
        unit="USDT",
        optional=True,
        help="Cross margin: the whole balance backs the position; adds bring no margin. Ignored in isolated.",
    ),
    Field(
        "maintenance_margin_rate",
        "Maintenance margin rate",
        default=percent_text(TEACHING.maintenance_margin_rate),
        unit="%",
        percent=True,
        help="Your venue's rate for the position's size; picking a venue fills in its smallest-tier BTC rate.",
    ),
)

_KIND_OPTIONS = (("", "Unused row"),) + tuple(KIND_LABELS.items())


def field_name(row: int, part: str) -> str:
    """The form field of a row's part: row 1's price is "step1_price"."""
    return f"step{row}_{part}"


def _row_fields(row: int, defaults: dict[str, str]) -> tuple[Field, ...]:
    """A row's four fields; the first two rows carry the help (the same for every row, said once)."""
    group = f"row{row}"
    first = row == 1
    kind_help = {
        1: "The first step opens the position.",
        2: "Pick a kind to use a row; 'Unused row' skips it. Steps run in row order.",
    }.get(row, "")
    return (
        Field(
            field_name(row, "kind"),
            "Step",
            "select",
            defaults.get("kind", ""),
            options=_KIND_OPTIONS,
            help=kind_help,
            group=group,
        ),
        Field(
            field_name(row, "quantity"),
            "Quantity",
            default=defaults.get("quantity", ""),
            unit="BTC",
            optional=True,
            group=group,
            help="For open, add and reduce." if first else "",
        ),
        Field(
            field_name(row, "price"),
            "Price",
            default=defaults.get("price", ""),
            unit="USDT",
            optional=True,
            group=group,
            help="The fill price; optional for margin and funding steps." if first else "",
        ),
        Field(
            field_name(row, "amount"),
            "Amount",
            default=defaults.get("amount", ""),
            unit="USDT",
            optional=True,
            group=group,
            help="Margin moved, or funding paid (negative if received)." if first else "",
        ),
    )


def _default_rows() -> list[dict[str, str]]:
    """The page's own example: the teaching long, and the add after the fall (scenarios.AVERAGING_DOWN)."""
    rows = [{k: v if k == "kind" else number_text(v) for k, v in step.items()} for step in AVERAGING_DOWN.steps()]
    return rows + [{}] * (ROWS - len(rows))


ROW_FIELDS = tuple(f for row, d in enumerate(_default_rows(), start=1) for f in _row_fields(row, d))
FIELDS = _MAIN_FIELDS + ROW_FIELDS
GROUPS = {"main": "Your account", **{f"row{row}": f"Step {row}" for row in range(1, ROWS + 1)}}
# The engine's own names for the global inputs are the form's.
_ENGINE_GLOBALS = frozenset(f.name for f in _MAIN_FIELDS)


@dataclass(frozen=True, slots=True)
class Steps:
    states: list[PositionState]
    rows: tuple[int, ...]  # the form row of each state
    venue: str
    side: str
    margin_mode: str
    maintenance_margin_rate: float


def compute(values: dict) -> tuple[Steps | None, dict]:
    return all_errors(_compute_once, FIELDS, values)


def _compute_once(values: dict) -> tuple[Steps | None, dict]:
    kwargs, errors = parse(_MAIN_FIELDS, values)
    cross = kwargs.get("margin_mode") == "cross"
    errors.pop("wallet_balance" if not cross else "leverage", None)  # the other mode's field is ignored
    steps, rows = [], []
    for row in range(1, ROWS + 1):
        row_fields = ROW_FIELDS[(row - 1) * len(STEP_PARTS) : row * len(STEP_PARTS)]
        kind_raw = str(values.get(field_name(row, "kind"), row_fields[0].default) or "").strip()
        if kind_raw == "":
            continue  # an unused row: whatever its other fields hold is ignored
        parsed, row_errors = parse(row_fields, values)
        errors.update(row_errors)
        steps.append({part: parsed[field_name(row, part)] for part in STEP_PARTS if field_name(row, part) in parsed})
        rows.append(row)
    if errors:
        return None, errors
    if not steps:
        return None, {field_name(1, "kind"): "Every row is unused: make the first row the open."}
    try:
        states = build_position(
            kwargs["venue"],
            kwargs["side"],
            steps,
            margin_mode=kwargs["margin_mode"],
            leverage=None if cross else kwargs.get("leverage"),
            wallet_balance=kwargs.get("wallet_balance") if cross else None,
            maintenance_margin_rate=kwargs["maintenance_margin_rate"],
        )
    except InputError as error:
        return None, {_form_field(error.field, rows): error.message}
    return Steps(
        states, tuple(rows), kwargs["venue"], kwargs["side"], kwargs["margin_mode"], kwargs["maintenance_margin_rate"]
    ), {}


def _form_field(engine_field: str, rows: list[int]) -> str:
    """The form field an engine error belongs to: "steps.1.price" is the second used row's price field."""
    if engine_field in _ENGINE_GLOBALS:
        return engine_field
    parts = engine_field.split(".")
    if parts[0] == "steps":
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(rows) and parts[2] in STEP_PARTS:
            return field_name(rows[int(parts[1])], parts[2])
        return field_name(rows[0] if rows else 1, "kind")
    return "_"


def render_result(answer: Steps) -> str:
    states, cross = answer.states, answer.margin_mode == "cross"
    margin_head = "Wallet balance" if cross else "Margin"
    headers = (
        "Step",
        "Quantity",
        "Average entry",
        "Realised PnL",
        margin_head,
        "Liquidation price",
        "Bankruptcy price",
        "Move left to liquidation",
    )
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = []
    for state, row in zip(states, answer.rows, strict=True):
        cells = (
            ("quantity", state.quantity, fmt.price(state.quantity, 6).rstrip("0").rstrip(".") or "0"),
            ("entry_price", state.entry_price, fmt.price(state.entry_price)),
            ("realised_pnl", state.realised_pnl, fmt.price(state.realised_pnl)),
            ("margin", state.margin, fmt.price(state.margin)),
            ("liquidation_price", state.liquidation_price, _price_or_none(state)),
            ("bankruptcy_price", state.bankruptcy_price, fmt.price(state.bankruptcy_price)),
            ("move_to_liquidation", state.move_to_liquidation, fmt.percent(state.move_to_liquidation)),
        )
        tds = "".join(
            f'<td data-out="{key}" data-value="{_raw(value)}">{markup.escape(text)}</td>' for key, value, text in cells
        )
        name = f"{state.step + 1}. {KIND_LABELS[state.kind]} at {fmt.price(state.mark_price)}"
        body.append(f'<tr data-row="{row}"><th scope="row">{markup.escape(name)}</th>{tds}</tr>')
    table = (
        '<div class="table-scroll steps-scroll" tabindex="0" role="region" aria-label="The position after each step">'
        f'<table class="steps-table" data-out="steps"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )
    return (
        f'<p class="result-meaning" data-out="summary">{markup.escape(_summary(answer))}</p>'
        + table
        + _chart(states)
        + f'<p class="assumptions">{markup.escape(_assumptions(answer))} '
        f'<a href="{markup.escape(AVERAGING_SOURCE)}">Bybit on average entry prices</a>.</p>'
    )


def _chart(states: list[PositionState]) -> str:
    prices = [p for s in states for p in (s.mark_price, s.liquidation_price, s.entry_price) if p is not None]
    if not all(0 < p < charts.DRAWABLE for p in prices):
        return '<p class="result-chart-note">The chart is left out: these numbers are too large to draw.</p>'
    return charts.steps_chart(states, id_prefix="steps-chart")


def _summary(answer: Steps) -> str:
    first, last = answer.states[0], answer.states[-1]
    if last.liquidation_price is None or first.liquidation_price is None:
        if last.quantity == 0:
            return "The position is closed after the last step: nothing is left to liquidate."
        return "After the last step no price above zero liquidates the position."
    moved = "closer to" if (last.move_to_liquidation or 0) < (first.move_to_liquidation or 0) else "further from"
    return (
        f"The liquidation price went from {fmt.price(first.liquidation_price)} after the open to "
        f"{fmt.price(last.liquidation_price)} after the last step: {fmt.percent(last.move_to_liquidation)} "
        f"from the last price, {moved} it than the {fmt.percent(first.move_to_liquidation)} you started with."
    )


def _assumptions(answer: Steps) -> str:
    venue = VENUES[answer.venue]
    rules = (
        "cross margin: the wallet balance backs the position; realised PnL and funding change it, adds do not"
        if answer.margin_mode == "cross"
        else "isolated margin: " + "; ".join(f"{k}: {v}" for k, v in ISOLATED_RULES.items())
    )
    return (
        f"{venue.name}'s convention, maintenance {fmt.percent(answer.maintenance_margin_rate)}, no fees. Average "
        f"entry is {AVERAGING[LINEAR]}; {rules}. The move left is measured from each step's price."
    )


def _price_or_none(state: PositionState) -> str:
    if state.quantity == 0:
        return "closed"
    return fmt.price(state.liquidation_price) if state.liquidation_price is not None else "none"


def _raw(value: float | None) -> str:
    return "" if value is None else repr(float(value))


WIDGET = Widget(
    kind="steps",
    title="What adding to a losing position does",
    prefix="steps",
    fields=FIELDS,
    groups=GROUPS,
    compute=lambda values, request: compute(values),
    render=render_result,
    behaviours=("live-on-start", "share"),
    follows=("venue",),
    suggest=lambda values: starting_values(values, FIELDS),
    page=PAGE,
)
