"""Build-time tables. Each is HTML rendered from `calculators`, carries a `data-table` name for
the tests, and states its assumptions right above it."""

import csv
import functools
import html
import io

import calculators
from calculators import formatting as fmt
from calculators.comparisons import liquidation_path, spot_vs_leveraged
from calculators.scenarios import KEY_LEVERAGES, TEACHING
from calculators.web import ladder as ladder_widget

from .figures import assumptions

CSV_PATH = "downloads/leverage-ladder-1x-100x.csv"
COMPARISON_FEE = 0.0005  # a common taker fee tier (0.05 %), so fee-reserving venues show their difference
COMPARISON_LEVERAGE = 10


def ladder_rows(leverages=range(1, 101)) -> tuple:
    """The teaching ladder. The full table, its CSV and both leverage curves use the same 100 rows:
    computed once per build (the hooks forget this module at every build, and with it the cache)."""
    return _teaching_ladder(tuple(leverages))


@functools.cache
def _teaching_ladder(leverages: tuple) -> tuple:
    return tuple(
        calculators.leverage_ladder(
            leverages,
            venue=TEACHING.venue,
            maintenance_margin_rate=TEACHING.maintenance_margin_rate,
            taker_fee_rate=TEACHING.taker_fee_rate,
            entry_price=TEACHING.entry_price,
        )
    )


def _table(name: str, headers, rows, caption: str = "") -> str:
    head = "".join(f'<th scope="col">{html.escape(h)}</th>' for h in headers)
    body = "".join(
        f'<tr data-row="{html.escape(str(key))}">' + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"
        for key, cells in rows
    )
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f'<div class="table-scroll"><table data-table="{name}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


LADDER_HEADERS = (
    ladder_widget.HEADERS[:3]
    + tuple(f"{h} ({TEACHING.quote})" for h in ladder_widget.HEADERS[3:5])
    + ladder_widget.HEADERS[5:]
)
_ladder_cells = ladder_widget.cells


def ladder_key_rows() -> str:
    rows = [(int(r.leverage), _ladder_cells(r)) for r in ladder_rows(KEY_LEVERAGES)]
    return _assumed() + _table("ladder-key", LADDER_HEADERS, rows, "Key leverages")


def ladder_full_table() -> str:
    rows = [(int(r.leverage), _ladder_cells(r)) for r in ladder_rows()]
    return (
        '<details class="full-table"><summary>Show the full table, 1x to 100x</summary>'
        + _table("ladder-full", LADDER_HEADERS, rows, "Every leverage from 1x to 100x")
        + "</details>"
    )


def ladder_csv() -> str:
    """The full ladder as CSV: raw numbers (fractions and prices), for spreadsheets."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "leverage",
            "long_adverse_move",
            "short_adverse_move",
            "long_liquidation_price",
            "short_liquidation_price",
            "textbook_move",
            "venue",
            "maintenance_margin_rate",
            "taker_fee_rate",
            "entry_price",
        ]
    )
    for r in ladder_rows():
        writer.writerow(
            [
                int(r.leverage),
                _raw(r.long_adverse_move),
                _raw(r.short_adverse_move),
                _raw(r.long_price),
                _raw(r.short_price),
                _raw(r.textbook_move),
                TEACHING.venue,
                TEACHING.maintenance_margin_rate,
                TEACHING.taker_fee_rate,
                TEACHING.entry_price,
            ]
        )
    return out.getvalue()


def _raw(value):
    return "" if value is None else repr(value)


def venue_comparison() -> str:
    """One scenario under every venue that offers a linear contract."""
    rows = []
    for key, venue in calculators.VENUES.items():
        if "linear" not in venue.contracts:
            continue
        r = calculators.liquidation_price(
            venue=key,
            side="long",
            entry_price=TEACHING.entry_price,
            quantity=TEACHING.quantity,
            leverage=COMPARISON_LEVERAGE,
            maintenance_margin_rate=TEACHING.maintenance_margin_rate,
            taker_fee_rate=COMPARISON_FEE,
        )
        rows.append(
            (
                key,
                (
                    html.escape(venue.name),
                    fmt.price(r.price),
                    fmt.percent(r.adverse_move),
                    fmt.price(r.bankruptcy_price),
                    html.escape(venue.convention),
                ),
            )
        )
    note = (
        f'<p class="assumptions">Same position everywhere: a {fmt.leverage(COMPARISON_LEVERAGE)} long '
        f"of {TEACHING.quantity:g} {TEACHING.base} at {fmt.price(TEACHING.entry_price, 0)} {TEACHING.quote}, "
        f"isolated, maintenance rate {fmt.percent(TEACHING.maintenance_margin_rate)} "
        f"and taker fee {fmt.percent(COMPARISON_FEE, 3)} at every venue. "
        "Real venues use their own rates and brackets; only the convention differs here. BitMEX is modelled for "
        "inverse (coin-margined) contracts only, so it is not in this linear comparison.</p>"
    )
    headers = ("Venue", f"Liquidation price ({TEACHING.quote})", "Adverse move", "Bankruptcy price", "Convention")
    return note + _table("venue-comparison", headers, rows)


def linear_vs_inverse(leverages=(2, 5, 10, 20, 50)) -> str:
    rows = []
    for lev in leverages:
        cells = [fmt.leverage(lev)]
        for contract, quantity in (
            ("linear", TEACHING.quantity),
            ("inverse", TEACHING.quantity * TEACHING.entry_price),
        ):
            for side in ("long", "short"):
                r = calculators.liquidation_price(
                    venue=TEACHING.venue,
                    side=side,
                    contract=contract,
                    entry_price=TEACHING.entry_price,
                    quantity=quantity,
                    leverage=lev,
                    maintenance_margin_rate=TEACHING.maintenance_margin_rate,
                )
                cells.append(fmt.percent(r.adverse_move))
        rows.append((lev, cells))
    headers = ("Leverage", "Linear long", "Linear short", "Inverse long", "Inverse short")
    note = (
        f'<p class="assumptions">Adverse move to liquidation, {calculators.VENUES[TEACHING.venue].name} convention '
        "(maintenance on the value at the liquidation price), "
        f"maintenance rate {fmt.percent(TEACHING.maintenance_margin_rate)}, "
        "no fees, margin equal to the position's value divided by the leverage. Linear: margin in USDT. "
        "Inverse: margin in the coin itself, one contract worth 1 USD.</p>"
    )
    return note + _table("linear-vs-inverse", headers, rows)


def spot_vs_leveraged_table(leverage=10, moves=(0.02, 0.05, 0.08, 0.10, 0.20, 0.50)) -> str:
    result, rows = spot_vs_leveraged(
        moves,
        leverage=leverage,
        venue=TEACHING.venue,
        maintenance_margin_rate=TEACHING.maintenance_margin_rate,
        entry_price=TEACHING.entry_price,
        quantity=TEACHING.quantity,
    )
    body = []
    for r in rows:
        lev_cell = (
            "Liquidated: expect the whole margin to be gone"
            if r.leveraged_liquidated
            else f"{fmt.percent(r.leveraged_margin_change)} of the margin"
        )
        body.append((f"{r.move:g}", (fmt.percent(r.move), f"{fmt.percent(r.spot_change)} of the holding", lev_cell)))
    note = (
        f'<p class="assumptions">A spot holding against a {fmt.leverage(leverage)} isolated long opened at '
        f"{fmt.price(TEACHING.entry_price, 0)} {TEACHING.quote}; the long is liquidated after a fall of "
        f"{fmt.percent(result.adverse_move)} ({calculators.VENUES[TEACHING.venue].name} convention, maintenance rate "
        f"{fmt.percent(TEACHING.maintenance_margin_rate)}, no fees).</p>"
    )
    headers = ("Price falls by", "Spot holding", f"{fmt.leverage(leverage)} long")
    return note + _table("spot-vs-leveraged", headers, body)


def path_table(leverage=10, quantity=TEACHING.quantity, side="long") -> str:
    result, steps = liquidation_path(
        venue=TEACHING.venue,
        side=side,
        entry_price=TEACHING.entry_price,
        quantity=quantity,
        leverage=leverage,
        maintenance_margin_rate=TEACHING.maintenance_margin_rate,
    )
    rows = [
        (
            i,
            (
                html.escape(s.label),
                fmt.price(s.price),
                fmt.percent(s.move),
                fmt.amount(s.equity, TEACHING.quote),
                fmt.amount(s.maintenance, TEACHING.quote),
                fmt.percent(s.margin_ratio, 1),
            ),
        )
        for i, s in enumerate(steps)
    ]
    note = (
        f'<p class="assumptions">A {fmt.leverage(leverage)} {side} of {quantity:g} {TEACHING.base} at '
        f"{fmt.price(TEACHING.entry_price, 0)} {TEACHING.quote}: margin {fmt.amount(result.margin, TEACHING.quote)}, "
        f"isolated, {calculators.VENUES[TEACHING.venue].name} convention, maintenance rate "
        f"{fmt.percent(TEACHING.maintenance_margin_rate)}. Margin ratio is maintenance divided by equity; "
        "liquidation triggers when it reaches 100%.</p>"
    )
    headers = ("Step", f"Mark price ({TEACHING.quote})", "Move against you", "Equity", "Maintenance", "Margin ratio")
    return note + _table("liquidation-path", headers, rows)


def _assumed() -> str:
    return f'<p class="assumptions">{assumptions()}</p>'


MACROS = (ladder_key_rows, ladder_full_table, venue_comparison, linear_vs_inverse, spot_vs_leveraged_table, path_table)
