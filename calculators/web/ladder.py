"""The leverage ladder widget, and the ladder's cells as every table on the site shows them."""

from dataclasses import dataclass

from .. import formatting as fmt
from ..errors import InputError
from ..ladder import LadderRow, leverage_ladder
from ..odds import touch_probabilities
from ..venues import VENUES
from . import charts, markup, odds_view
from .form import Field, all_errors, parse
from .registry import Widget
from .venue_values import starting_values

_LADDER_FIELDS = (
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
FIELDS = _LADDER_FIELDS + odds_view.FIELDS
GROUPS = {"main": "Ladder settings", odds_view.GROUP[0]: odds_view.GROUP[1]}


@dataclass(frozen=True, slots=True)
class Ladder:
    rows: list[LadderRow]
    mine: float  # the visitor's leverage
    settings: dict  # venue, contract, entry, rates
    odds: list[tuple[float | None, float | None]]  # (long, short) touch odds per row
    asset: str
    volatility: float
    horizon: float


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
        asset, volatility, horizon = odds_view.take_inputs(kwargs)
        rows = leverage_ladder(range(1, 101), **kwargs)
        # One call for all 200 levels (long, short per row): the entry, volatility and horizon are
        # checked once per request rather than once per level.
        levels = [price for r in rows for price in (r.long_price, r.short_price)]
        flat = touch_probabilities(kwargs["entry_price"], levels, volatility, horizon)
        odds = list(zip(flat[::2], flat[1::2], strict=True))
    except InputError as error:
        return None, {error.field if error.field in {f.name for f in FIELDS} else "_": error.message}
    return Ladder(rows, mine, kwargs, odds, asset, volatility, horizon), {}


def render_result(ladder: "Ladder") -> str:
    rows, mine, kwargs = ladder.rows, ladder.mine, ladder.settings
    venue = VENUES[kwargs["venue"]]
    days = f"{ladder.horizon:g} days"
    headers = (*HEADERS, f"Long: odds of a touch within {days}", f"Short: odds of a touch within {days}")
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    texts = [
        [*cells(row), *(odds_view.odds_text(p) for p in odds)] for row, odds in zip(rows, ladder.odds, strict=True)
    ]
    body = []
    for row, row_texts in zip(rows, _escaped(texts), strict=True):
        if row.leverage == round(mine):
            marks = ' class="mine" aria-current="true"'
        elif not row.within_venue_cap:
            marks = ' class="beyond-cap"'
        else:
            marks = ""
        first, *rest = row_texts
        cap_note = "" if row.within_venue_cap else _CAP_NOTE  # said in words too, not only by the row's colour
        cells_html = f"<td>{first}{cap_note}</td><td>" + "</td><td>".join(rest) + "</td>"
        body.append(f'<tr data-row="{int(row.leverage)}"{marks}>{cells_html}</tr>')
    summary = _mine_line(rows, mine, venue)
    note = (
        f"{venue.name} convention, maintenance {fmt.percent(kwargs['maintenance_margin_rate'])}, taker fee "
        f"{fmt.percent(kwargs.get('taker_fee_rate', 0.0), 3)}, entry {fmt.price(kwargs['entry_price'])}, isolated, "
        f"margin = value ÷ leverage. Greyed rows exceed {venue.name}'s cap of {fmt.leverage(venue.max_leverage)}."
    )
    odds_note = (
        f"Odds: the model chance the price touches each liquidation price within {days}, for an asset moving "
        f"{fmt.percent(ladder.volatility, 1)} a year (a random walk with no drift: fat tails, jumps and wicks make "
        "real odds higher)."
    )
    return (
        f'<p class="ladder-mine" data-out="mine">{markup.escape(summary)}</p>'
        + charts.ladder_sparkline(rows, mine, id_prefix="ladder-curve")
        + f'<p class="assumptions">{markup.escape(note)} {markup.escape(odds_note)}</p>'
        f'<div class="table-scroll ladder-scroll" tabindex="0" role="region" aria-label="Leverage ladder, 1x to 100x">'
        f'<table class="ladder-table" data-out="ladder"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


_CAP_NOTE = '<span class="cap-note"> (over the cap)</span>'


def _escaped(rows: list[list[str]]) -> list[list[str]]:
    """Every cell escaped (`markup.escape`, html.escape's rules). Escaping works character by
    character, so when the cells joined come out unchanged (figures and fixed words have nothing to
    escape) no cell changes: one call per table instead of one per cell."""
    joined = "".join(text for row in rows for text in row)
    if markup.escape(joined) == joined:
        return rows
    return [[markup.escape(text) for text in row] for row in rows]


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
    behaviours=("live-on-start", "scroll-mine", "keep-unchanged"),
    follows=("venue", "asset"),
    suggest=lambda values: {**starting_values(values, FIELDS), **odds_view.suggested_volatility(values)},
    page="calculators/",
)
