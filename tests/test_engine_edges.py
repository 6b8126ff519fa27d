"""Engine edge cases (issue 9, item 9): the cross-margin bankruptcy price, maintenance amounts larger
than the requirement they reduce, and inputs at the ends of the float range.

Expected values come from the venues' formulas (brief: shared/brief/liquidation-math.md), from the
venues' own examples (cited where used) or from inequalities the model must satisfy.
"""

import json
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import VENUES, InputError, leverage_ladder, liquidation_price
from calculators.web.api import handle

FAST = settings(max_examples=200, deadline=None)
VENUE_CONTRACTS = [(key, contract) for key, venue in VENUES.items() for contract in venue.contracts]
NO_DEDUCTION = [key for key, venue in VENUES.items() if not venue.maintenance_deduction]


def sign(side):
    return 1 if side == "long" else -1


# ---------------------------------------------------------------------------------------------
# 1. The cross bankruptcy price: where the whole cross balance is used up.
# ---------------------------------------------------------------------------------------------


def test_cross_bankruptcy_counts_the_other_positions_profit():
    """Wallet 5,000, other positions +3,000, long 1 at 50,000: the equity line is
    8,000 + (P - 50,000), zero at 42,000; Binance's formula puts liquidation at
    (8,000 - 50,000) / (0.004 - 1) = 42,168.67, before bankruptcy (it used to report 45,000)."""
    r = liquidation_price(
        venue="binance",
        side="long",
        margin_mode="cross",
        entry_price=50_000,
        quantity=1,
        margin=5_000,
        other_unrealized_pnl=3_000,
        maintenance_margin_rate=0.004,
    )
    assert r.bankruptcy_price == pytest.approx(42_000, rel=1e-12)
    assert r.price is not None and r.bankruptcy_price is not None
    assert round(r.price, 2) == 42_168.67
    assert r.price > r.bankruptcy_price
    assert "cross balance" in r.bankruptcy_basis


def test_cross_bankruptcy_ignores_the_other_positions_maintenance():
    """Maintenance is a requirement, not a loss: it moves liquidation, never bankruptcy."""
    common = dict(
        venue="binance",
        side="short",
        margin_mode="cross",
        entry_price=2_000,
        quantity=3,
        margin=1_000,
        other_unrealized_pnl=-200,
        maintenance_margin_rate=0.005,
    )
    without = liquidation_price(**common)
    with_other = liquidation_price(other_maintenance=150, **common)
    assert with_other.bankruptcy_price == without.bankruptcy_price == pytest.approx(2_000 + 800 / 3, rel=1e-12)
    assert with_other.price is not None and without.price is not None
    assert with_other.price < without.price  # a short: liquidation comes closer


def test_bybit_cross_inverse_bankruptcy_example():
    """Bybit, "How to calculate Liquidation Price (Inverse Contract)",
    https://help.bybit.com/hc/en-us/articles/360039261334 (read 2026-12-01): account balance 0.5 BTC,
    long 10,000 contracts at 8,000 in cross margin, bankruptcy = 1.00075 x 10,000 / (10,000/8,000 + 0.5)
    = 5,718.57. The factor 1.00075 is the 0.075 % taker fee Bybit folds into that older formula; the
    classic model here has no fee, so the page's figure without it is 5,718.57 / 1.00075."""
    r = liquidation_price(
        venue="bybit",
        side="long",
        contract="inverse",
        margin_mode="cross",
        entry_price=8_000,
        quantity=10_000,
        margin=0.5,
        maintenance_margin_rate=0.005,
    )
    assert r.bankruptcy_price == pytest.approx(5_718.57 / 1.00075, abs=0.01)


def test_isolated_bankruptcy_is_labelled_as_the_positions_margin():
    r = liquidation_price(
        venue="bybit", side="long", entry_price=10_000, quantity=1, leverage=50, maintenance_margin_rate=0.005
    )
    assert "this position's margin" in r.bankruptcy_basis
    assert r.to_dict()["bankruptcy_basis"] == r.bankruptcy_basis


@st.composite
def any_position(draw):
    """Every venue, contract, side and margin mode, with deductions the venue accepts."""
    venue, contract = draw(st.sampled_from(VENUE_CONTRACTS))
    cross = draw(st.booleans())
    entry = draw(st.floats(1, 1e6))
    quantity = draw(st.floats(1e-3, 1e3)) if contract == "linear" else draw(st.floats(1, 1e6))
    n = quantity * entry if contract == "linear" else quantity / entry
    kwargs = dict(
        venue=venue,
        contract=contract,
        side=draw(st.sampled_from(["long", "short"])),
        margin_mode="cross" if cross else "isolated",
        entry_price=entry,
        quantity=quantity,
        leverage=draw(st.floats(1, VENUES[venue].max_leverage)),
        maintenance_margin_rate=draw(st.floats(0, 0.2)),
        taker_fee_rate=draw(st.floats(0, 0.01)),
        extra_margin=draw(st.floats(0, 0.5)) * n,
        funding_paid=draw(st.floats(-0.05, 0.05)) * n,
    )
    if VENUES[venue].maintenance_deduction:
        kwargs["maintenance_amount"] = draw(st.floats(0, 0.01)) * n
    if cross:
        kwargs["other_maintenance"] = draw(st.floats(0, 0.2)) * n
        kwargs["other_unrealized_pnl"] = draw(st.floats(-0.5, 0.5)) * n
    return kwargs


@FAST
@given(any_position())
def test_liquidation_is_reached_before_bankruptcy(kwargs):
    """Moving against the position, the liquidation price comes first (or together, at zero
    maintenance); whenever there is a bankruptcy price there is a liquidation price."""
    try:
        r = liquidation_price(**kwargs)
    except InputError as error:  # only an oversized deduction (or a rate + fee >= 100 %) may be refused
        assert error.field in ("maintenance_amount", "taker_fee_rate")
        return
    s = sign(kwargs["side"])
    if r.bankruptcy_price is not None and s == 1:
        assert r.price is not None
    if r.price is not None and r.bankruptcy_price is not None:
        assert s * r.price >= s * r.bankruptcy_price - 1e-9 * r.bankruptcy_price


# ---------------------------------------------------------------------------------------------
# 2. Maintenance amounts.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("venue", NO_DEDUCTION)
def test_deduction_on_a_venue_without_one_is_refused(venue):
    contract = VENUES[venue].contracts[0]
    with pytest.raises(InputError) as error:
        liquidation_price(
            venue=venue,
            side="long",
            contract=contract,
            entry_price=50_000,
            quantity=1 if contract == "linear" else 50_000,
            leverage=10,
            maintenance_margin_rate=0.005,
            maintenance_amount=10,
        )
    assert error.value.field == "maintenance_amount"
    assert "no maintenance amount" in error.value.message


@pytest.mark.parametrize("venue", NO_DEDUCTION)
def test_zero_deduction_is_fine_everywhere(venue):
    contract = VENUES[venue].contracts[0]
    liquidation_price(
        venue=venue,
        side="long",
        contract=contract,
        entry_price=50_000,
        quantity=1 if contract == "linear" else 50_000,
        leverage=10,
        maintenance_margin_rate=0.005,
        maintenance_amount=0,
    )


def test_deduction_above_the_requirement_is_refused():
    """Binance isolated long, 1 BTC at 50,000, 10x (margin 5,000), 0.4 %. The brief's formula
    P = (Q*E - M - cum) / (Q*(1 - m)) gives (45,000 - c) / 0.996 for cum = c; the requirement there is
    0.004 x P - c, which stays >= 0 exactly while c <= 180."""
    common = dict(
        venue="binance", side="long", entry_price=50_000, quantity=1, leverage=10, maintenance_margin_rate=0.004
    )
    ok = liquidation_price(maintenance_amount=179.9, **common)
    assert ok.maintenance_margin >= 0
    with pytest.raises(InputError) as error:
        liquidation_price(maintenance_amount=180.1, **common)
    assert error.value.field == "maintenance_amount"
    assert "larger than the maintenance requirement" in error.value.message


def test_bybit_deduction_is_checked_against_the_entry_value():
    """Bybit classic charges maintenance on the entry value: the deduction may reach m x Q x E."""
    common = dict(
        venue="bybit", side="short", entry_price=20_000, quantity=2, leverage=20, maintenance_margin_rate=0.005
    )
    liquidation_price(maintenance_amount=200, **common)  # 0.005 x 40,000 exactly
    with pytest.raises(InputError) as error:
        liquidation_price(maintenance_amount=200.01, **common)
    assert error.value.field == "maintenance_amount"


# ---------------------------------------------------------------------------------------------
# 3. Extreme magnitudes: a finite result or an InputError naming a field, never anything else.
# ---------------------------------------------------------------------------------------------

extreme = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),  # the whole finite range, subnormals included
    st.sampled_from([1e-300, -1e-300, 5e-324, -5e-324, 1e308, -1e308, 1.7976931348623157e308, 0.0, 1.0]),
)
LIQUIDATION_NUMBERS = (
    "entry_price",
    "quantity",
    "leverage",
    "margin",
    "maintenance_margin_rate",
    "maintenance_amount",
    "other_maintenance",
    "other_unrealized_pnl",
    "extra_margin",
    "taker_fee_rate",
    "funding_paid",
)
LADDER_NUMBERS = ("maintenance_margin_rate", "taker_fee_rate", "entry_price")


def assert_finite_numbers(values):
    for value in values:
        if isinstance(value, (int, float)):
            assert math.isfinite(value), value


@settings(max_examples=600, deadline=None)
@given(
    st.sampled_from(VENUE_CONTRACTS),
    st.sampled_from(["long", "short"]),
    st.booleans(),
    st.fixed_dictionaries({}, optional={name: extreme for name in LIQUIDATION_NUMBERS}),
)
def test_liquidation_price_survives_any_float(vc, side, cross, numbers):
    venue, contract = vc
    kwargs = dict(
        venue=venue,
        side=side,
        contract=contract,
        margin_mode="cross" if cross else "isolated",
        entry_price=100,
        quantity=1,
        leverage=5,
        maintenance_margin_rate=0.005,
    )
    kwargs.update(numbers)
    try:
        r = liquidation_price(**kwargs)
    except InputError as error:
        assert error.field in LIQUIDATION_NUMBERS
        assert error.message
        return
    data = r.to_dict()
    assert_finite_numbers(v for k, v in data.items() if k != "tier")


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(VENUE_CONTRACTS),
    st.lists(extreme, min_size=1, max_size=4),
    st.fixed_dictionaries({}, optional={name: extreme for name in LADDER_NUMBERS}),
)
def test_leverage_ladder_survives_any_float(vc, leverages, numbers):
    venue, contract = vc
    kwargs = dict(venue=venue, contract=contract, maintenance_margin_rate=0.005)
    kwargs.update(numbers)
    try:
        rows = leverage_ladder(leverages, **kwargs)
    except InputError as error:
        assert error.field in (*LADDER_NUMBERS, "leverage", "leverages")
        return
    for row in rows:
        assert_finite_numbers(row.to_dict().values())


EXTREME_TEXT = ["1e308", "-1e308", "1e-300", "5e-324", "-5e-324", "1e400", "1.7976931348623157e308", "0", "-0"]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["binance", "bybit", "okx", "bitmex", "dydx"]),
    st.sampled_from(["long", "short"]),
    st.sampled_from(["isolated", "cross"]),
    st.fixed_dictionaries(
        {},
        optional={
            name: st.sampled_from(EXTREME_TEXT)
            for name in (
                "entry_price",
                "quantity",
                "leverage",
                "margin",
                "maintenance_margin_rate",
                "maintenance_amount",
                "extra_margin",
                "funding_paid",
                "other_maintenance",
                "other_unrealized_pnl",
                "stop_price",
            )
        },
    ),
)
def test_widget_answers_extreme_strings_with_ok_or_field_errors(venue, side, mode, text):
    values = {
        "venue": venue,
        "side": side,
        "margin_mode": mode,
        "contract": "inverse" if venue == "bitmex" else "linear",
        "entry_price": "100",
        "quantity": "1",
        "leverage": "5",
        "maintenance_margin_rate": "0.5",
    }
    values.update(text)
    answer = handle({"widget": "liquidation", "values": values})
    json.dumps(answer, allow_nan=False)
    if answer["ok"]:
        assert not re.search(r"\b(inf|infinity|nan)\b", answer["html"], re.IGNORECASE)
    else:
        assert answer["errors"] and "_" not in answer["errors"], answer["errors"]


def test_widget_far_stop_with_huge_funding_is_a_field_error():
    """Found by the property above: funding 1e308 and a stop at 1e308 overflowed the loss to inf."""
    values = dict(venue="binance", side="short", margin_mode="isolated", contract="linear", entry_price="100")
    values.update(quantity="1", leverage="5", maintenance_margin_rate="0.5", funding_paid="1e308", stop_price="1e308")
    answer = handle({"widget": "liquidation", "values": values})
    assert not answer["ok"] and "_" not in answer["errors"]
