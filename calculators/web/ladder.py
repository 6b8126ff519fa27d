"""The leverage ladder widget, and the ladder's cells as every table on the site shows them."""

import html

from .. import formatting as fmt
from ..errors import InputError
from ..ladder import leverage_ladder
from ..venues import VENUES
from .form import Field, all_errors, parse
from .registry import Widget
from .venue_values import starting_values

FIELDS = (
    Field("venue", "Venue", "select", "binance", options=tuple((k, v.name) for k, v in VENUES.items())),
    Field(
        "contract",
        "Contract",
        "select",
        "linear",
        options=(("linear", "Linear (USDT-margined)"), ("inverse", "Inverse (coin-margined)")),
    ),
    Field("entry_price", "Entry price", default="60000", unit="USDT"),
    Field("maintenance_margin_rate", "Maintenance margin rate", default="0.4", unit="%", percent=True),
    Field("taker_fee_rate", "Taker fee", default="0", unit="%", percent=True),
    Field("leverage", "Your leverage", default="10", unit="x", help="Its row is highlighted."),
)
GROUPS = {"main": "Ladder settings"}

HEADERS = (
    "Leverage",
    "Long: adverse move",
    "Short: adverse move",
    "Long liquidation price",
    "Short liquidation price",
    "Textbook 1/L − m",
)


def cells(row) -> tuple[str, ...]:
    """One ladder row as text; the build-time tables and the live widget both use this."""
    return (
        fmt.leverage(row.leverage),
        fmt.percent(row.long_adverse_move) if row.long_adverse_move is not None else "none (no price above zero)",
        fmt.percent(row.short_adverse_move) if row.short_adverse_move is not None else "none (no finite price)",
        fmt.price(row.long_price),
        fmt.price(row.short_price),
        fmt.percent(row.textbook_move),
    )


def compute(values: dict):
    """((rows, your leverage, settings), errors), with every faulty field reported at once."""
    return all_errors(_compute_once, FIELDS, values)


def _compute_once(values: dict):
    kwargs, errors = parse(FIELDS, values)
    if errors:
        return None, errors
    mine = kwargs.pop("leverage")
    if mine < 1:
        return None, {"leverage": "Leverage must be at least 1 (1 means no borrowed exposure)."}
    try:
        rows = leverage_ladder(range(1, 101), **kwargs)
    except InputError as error:
        return None, {error.field if error.field in {f.name for f in FIELDS} else "_": error.message}
    return (rows, mine, kwargs), {}


def render_result(computed) -> str:
    rows, mine, kwargs = computed
    venue = VENUES[kwargs["venue"]]
    head = "".join(f'<th scope="col">{h}</th>' for h in HEADERS)
    body = []
    for row in rows:
        marks = []
        if row.leverage == round(mine):
            marks.append(' class="mine" aria-current="true"')
        elif not row.within_venue_cap:
            marks.append(' class="beyond-cap"')
        cells_html = "".join(f"<td>{html.escape(c)}</td>" for c in cells(row))
        body.append(f'<tr data-row="{int(row.leverage)}"{"".join(marks)}>{cells_html}</tr>')
    summary = _mine_line(rows, mine, venue)
    note = (
        f"{venue.name} convention, maintenance {fmt.percent(kwargs['maintenance_margin_rate'])}, taker fee "
        f"{fmt.percent(kwargs.get('taker_fee_rate', 0.0), 3)}, entry {fmt.price(kwargs['entry_price'])}, isolated, "
        f"margin = value ÷ leverage. Greyed rows exceed {venue.name}'s cap of {fmt.leverage(venue.max_leverage)}."
    )
    return (
        f'<p class="ladder-mine" data-out="mine">{html.escape(summary)}</p>'
        f'<p class="assumptions">{html.escape(note)}</p>'
        f'<div class="table-scroll ladder-scroll" tabindex="0" role="region" aria-label="Leverage ladder, 1x to 100x">'
        f'<table class="ladder-table" data-out="ladder"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _mine_line(rows, mine, venue) -> str:
    exact = [r for r in rows if r.leverage == mine]
    if not exact:
        return f"Your leverage of {fmt.leverage(mine)} is not a whole number; the nearest row is highlighted."
    r = exact[0]
    long_move = fmt.percent(r.long_adverse_move) if r.long_adverse_move is not None else "no liquidation"
    return (
        f"At {fmt.leverage(mine)}: a long is liquidated after a {long_move} fall, "
        f"a short after a {fmt.percent(r.short_adverse_move)} rise."
    )


WIDGET = Widget(
    kind="ladder",
    title="Leverage ladder",
    prefix="ladder",
    fields=FIELDS,
    groups=GROUPS,
    compute=lambda values, request: compute(values),
    render=render_result,
    behaviours=("live-on-start", "scroll-mine"),
    follows=("venue",),
    suggest=lambda values: starting_values(values, FIELDS),
    page="calculators/",
)
