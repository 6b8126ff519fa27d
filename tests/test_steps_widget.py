"""The steps widget (position sizing): rows in, the position after each step out.

Expected values come from algebra: the value-weighted average entry sum(q x p) / sum(q) (Bybit, "How to
Calculate Average Entry Price", bybit.com/en/help-center/article/How-to-Calculate-Average-Entry-Price, read
2026-12-01), isolated margin = value / leverage per leg, and Binance's isolated one-way liquidation price
P = (M - s Q E) / (Q m - s Q) from the brief (shared/brief/liquidation-math.md), with no deduction.
"""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators.scenarios import AVERAGING_DOWN, TEACHING
from calculators.web import api, registry
from calculators.web.steps import FIELDS, ROWS, field_name

WIDGET = registry.get("steps")
DEFAULTS = WIDGET.defaults()


def _respond(**values: str) -> dict:
    return api.handle({"widget": "steps", "values": {**DEFAULTS, **values}})


def _cells(html: str, key: str) -> list[float | None]:
    """Every value of one column of the steps table, from its data-value attributes."""
    return [float(v) if v else None for v in re.findall(rf'data-out="{key}" data-value="([^"]*)"', html)]


def _binance_isolated_long(q: float, e: float, margin: float, m: float) -> float:
    return (margin - q * e) / (q * m - q)


def test_defaults_are_the_pages_averaging_down_example():
    assert DEFAULTS[field_name(1, "kind")] == "open" and DEFAULTS[field_name(2, "kind")] == "add"
    assert float(DEFAULTS[field_name(1, "price")]) == TEACHING.entry_price
    assert float(DEFAULTS[field_name(2, "price")]) == AVERAGING_DOWN.add_price
    assert all(DEFAULTS[field_name(row, "kind")] == "" for row in range(3, ROWS + 1))
    response = _respond()
    assert response["ok"], response["errors"]


def test_table_shows_the_value_weighted_average_and_each_legs_margin():
    html = _respond()["html"]
    q1, p1 = TEACHING.quantity, TEACHING.entry_price
    q2, p2 = AVERAGING_DOWN.add_quantity, AVERAGING_DOWN.add_price
    lev, m = AVERAGING_DOWN.leverage, TEACHING.maintenance_margin_rate
    assert _cells(html, "quantity") == pytest.approx([q1, q1 + q2])
    average = (q1 * p1 + q2 * p2) / (q1 + q2)
    assert _cells(html, "entry_price") == pytest.approx([p1, average])
    margins = [q1 * p1 / lev, (q1 * p1 + q2 * p2) / lev]
    assert _cells(html, "margin") == pytest.approx(margins)
    expected = [
        _binance_isolated_long(q1, p1, margins[0], m),
        _binance_isolated_long(q1 + q2, average, margins[1], m),
    ]
    assert _cells(html, "liquidation_price") == pytest.approx(expected)
    # the move left is measured from each step's own price
    assert _cells(html, "move_to_liquidation") == pytest.approx([(p1 - expected[0]) / p1, (p2 - expected[1]) / p2])
    # the chart marks the same liquidation prices
    marked = [float(v) for v in re.findall(r'marker-liquidation"[^>]*data-value="([^"]+)"', html)]
    assert marked == pytest.approx(expected)


def test_cross_margin_uses_the_wallet_and_adds_bring_no_margin():
    html = _respond(margin_mode="cross", leverage="")["html"]
    assert _cells(html, "margin") == pytest.approx([AVERAGING_DOWN.cross_wallet] * 2)


def test_a_reduce_realises_pnl_and_a_close_ends_the_table():
    html = _respond(
        **{field_name(3, "kind"): "reduce", field_name(3, "quantity"): "0.25", field_name(3, "price"): "59000"},
        **{field_name(4, "kind"): "close", field_name(4, "price"): "61000"},
    )["html"]
    average = (TEACHING.quantity * TEACHING.entry_price + AVERAGING_DOWN.add_quantity * AVERAGING_DOWN.add_price) / (
        TEACHING.quantity + AVERAGING_DOWN.add_quantity
    )
    first = 0.25 * (59_000 - average)
    second = first + (TEACHING.quantity + AVERAGING_DOWN.add_quantity - 0.25) * (61_000 - average)
    assert _cells(html, "realised_pnl") == pytest.approx([0, 0, first, second])
    assert _cells(html, "quantity")[-1] == 0 and _cells(html, "liquidation_price")[-1] is None


def test_unused_rows_in_between_are_skipped_and_errors_land_on_the_right_row():
    moved = {field_name(2, "kind"): "", field_name(4, "kind"): "add"}
    moved |= {field_name(4, "quantity"): "0.25", field_name(4, "price"): "-5"}
    response = _respond(**moved)
    assert not response["ok"] and set(response["errors"]) == {field_name(4, "price")}


@pytest.mark.parametrize(
    ("row", "values", "field"),
    [
        (1, {"kind": "add"}, "kind"),  # the first step must open
        (2, {"kind": "open"}, "kind"),  # already open
        (2, {"quantity": "0"}, "quantity"),
        (2, {"quantity": ""}, "quantity"),
        (2, {"price": "abc"}, "price"),
        (1, {"price": ""}, "price"),
        (3, {"kind": "reduce", "quantity": "5", "price": "58000"}, "quantity"),  # more than is open
        (3, {"kind": "remove_margin", "amount": "1e9"}, "amount"),  # more margin than there is
        (3, {"kind": "add_margin", "amount": "-1"}, "amount"),
        (3, {"kind": "sell", "price": "1"}, "kind"),
    ],
)
def test_each_bad_row_field_is_an_error_on_that_field(row, values, field):
    response = _respond(**{field_name(row, part): text for part, text in values.items()})
    assert not response["ok"]
    assert field_name(row, field) in response["errors"], response["errors"]
    assert "_" not in response["errors"]


def test_a_step_after_the_close_is_refused_on_its_row():
    response = _respond(
        **{field_name(3, "kind"): "close", field_name(3, "price"): "58000"},
        **{field_name(4, "kind"): "add", field_name(4, "quantity"): "1", field_name(4, "price"): "58000"},
    )
    assert set(response["errors"]) == {field_name(4, "kind")}


def test_every_row_unused_is_an_error_on_the_first_row():
    response = _respond(**{field_name(row, "kind"): "" for row in range(1, ROWS + 1)})
    assert set(response["errors"]) == {field_name(1, "kind")}


def test_global_fields_report_on_themselves():
    response = _respond(leverage="0.5", maintenance_margin_rate="120")
    assert set(response["errors"]) == {"leverage", "maintenance_margin_rate"}
    assert set(_respond(margin_mode="cross", wallet_balance="")["errors"]) == {"wallet_balance"}
    # the other mode's field is ignored, even when it holds nonsense
    assert _respond(margin_mode="cross", leverage="x")["ok"]


EXTREME_TEXT = ["1e308", "-1e308", "1e-300", "5e-324", "1e400", "1.7976931348623157e308", "0", "-0", "", "nan"]
NUMBERS = [f.name for f in FIELDS if f.kind == "number"]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["isolated", "cross"]),
    st.sampled_from(["long", "short"]),
    st.fixed_dictionaries({}, optional={name: st.sampled_from(EXTREME_TEXT) for name in NUMBERS}),
    st.lists(st.sampled_from(["", "add", "reduce", "close", "add_margin", "remove_margin", "funding"]), max_size=4),
)
def test_extreme_strings_give_ok_or_field_errors(mode, side, numbers, kinds):
    values = {**DEFAULTS, "margin_mode": mode, "side": side, **numbers}
    for row, kind in enumerate(kinds, start=3):
        values[field_name(row, "kind")] = kind
    answer = api.handle({"widget": "steps", "values": values})
    json.dumps(answer, allow_nan=False)
    if answer["ok"]:
        assert not re.search(r"\b(inf|infinity|nan)\b", answer["html"], re.IGNORECASE)
    else:
        assert answer["errors"] and "_" not in answer["errors"], answer["errors"]


def test_a_tiny_position_against_a_huge_wallet_is_a_field_error_not_a_crash():
    """Found by the property above: the engine's leverage, notional / margin, vanished to 0 and divided by it."""
    response = _respond(margin_mode="cross", wallet_balance="1e308", **{field_name(1, "quantity"): "1e-300"})
    assert not response["ok"] and "_" not in response["errors"], response["errors"]
