"""Position building (calculators/positions.py): closed forms, properties and Bybit's own examples."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators import InputError, liquidation_price
from calculators.positions import Step, build_position

FAST = settings(max_examples=150, deadline=None)
COMMON = dict(maintenance_margin_rate=0.005)


def test_bybit_linear_average_entry_example():
    """Bybit, "How to Calculate Average Entry Price", bybit.com/en/help-center/article/
    How-to-Calculate-Average-Entry-Price (id 000001113, read 2026-12-01): 1 BTC at 10,000 USDT and
    2 more at 13,000 USDT average (1 x 10,000 + 2 x 13,000) / 3 = 12,000 USDT."""
    steps = [{"kind": "open", "quantity": 1, "price": 10_000}, {"kind": "add", "quantity": 2, "price": 13_000}]
    states = build_position("bybit", "long", steps, leverage=10, **COMMON)
    assert states[-1].entry_price == pytest.approx(12_000, rel=1e-12)
    assert states[-1].quantity == 3


def test_bybit_inverse_average_entry_example():
    """Same page, inverse BTCUSD: 50 contracts at 10,000 and 50 at 15,000; coin value
    50/10,000 + 50/15,000 = 0.00833333 BTC; average 100 / 0.00833333 = 12,000 USD."""
    steps = [Step("open", 50, 10_000), Step("add", 50, 15_000)]
    states = build_position("bybit", "long", steps, contract="inverse", leverage=10, **COMMON)
    assert states[-1].entry_price == pytest.approx(12_000, rel=1e-12)


@FAST
@given(
    st.sampled_from(["long", "short"]),
    st.lists(st.tuples(st.floats(1e-3, 10), st.floats(100, 1e5)), min_size=1, max_size=6),
)
def test_average_entry_is_value_weighted(side, fills):
    steps = [Step("open" if i == 0 else "add", q, p) for i, (q, p) in enumerate(fills)]
    states = build_position("binance", side, steps, leverage=5, **COMMON)
    total = sum(q for q, _ in fills)
    assert states[-1].entry_price == pytest.approx(sum(q * p for q, p in fills) / total, rel=1e-9)
    assert states[-1].quantity == pytest.approx(total, rel=1e-12)


@FAST
@given(st.sampled_from(["long", "short"]), st.floats(0.01, 10), st.floats(0.01, 0.99), st.floats(100, 1e5), st.data())
def test_partial_close_keeps_entry_and_realises_pnl(side, q, fraction, entry, data):
    exit_price = data.draw(st.floats(entry * 0.85, entry * 1.15))
    steps = [Step("open", q, entry), Step("reduce", q * fraction, exit_price)]
    opened, reduced = build_position("binance", side, steps, leverage=5, **COMMON)
    s = 1 if side == "long" else -1
    assert reduced.entry_price == entry
    assert reduced.realised_pnl == pytest.approx(q * fraction * (exit_price - entry) * s, rel=1e-9, abs=1e-9)
    assert reduced.margin == pytest.approx(opened.margin * (1 - fraction), rel=1e-9)  # released pro rata
    assert reduced.quantity == pytest.approx(q * (1 - fraction), rel=1e-12)


def test_every_price_comes_from_the_engine():
    """The state's prices are the engine's for the same books (quantity, entry, margin)."""
    steps = [Step("open", 2, 30_000), Step("add", 1, 27_000), Step("funding", amount=15)]
    state = build_position("binance", "long", steps, leverage=10, **COMMON)[-1]
    margin = 2 * 30_000 / 10 + 27_000 / 10 - 15
    direct = liquidation_price(venue="binance", side="long", entry_price=29_000, quantity=3, margin=margin, **COMMON)
    assert state.margin == pytest.approx(margin)
    assert state.liquidation_price == pytest.approx(direct.price, rel=1e-12)
    assert state.bankruptcy_price == pytest.approx(direct.bankruptcy_price, rel=1e-12)


def test_close_ends_with_no_prices():
    steps = [Step("open", 1, 100), Step("close", price=110)]
    closed = build_position("okx", "short", steps, leverage=3, **COMMON)[-1]
    assert closed.quantity == 0 and closed.liquidation_price is None and closed.entry_price is None
    assert closed.realised_pnl == pytest.approx(-10)


@FAST
@given(
    st.sampled_from(["binance", "bybit", "okx", "dydx"]),
    st.floats(1e-3, 10),
    st.floats(100, 1e5),
    st.floats(0.05, 0.3),
    st.floats(0.02, 0.9),
    st.floats(0.05, 3),
)
def test_adding_to_a_losing_long_never_lowers_its_liquidation(venue, q, entry, wallet_frac, drop, add_fraction):
    """Cross margin (the wallet stays as it is): the add loses at any price below its fill, so equity at
    the old trigger falls and liquidation can only move up. (In isolated margin the add brings its own
    margin at the leverage and the statement is false: a 2x long at 100 (trigger ~50) plus the same
    again at 75 triggers near 44; the next test checks what holds there.)"""
    wallet = wallet_frac * q * entry
    before = build_position(
        venue, "long", [Step("open", q, entry)], margin_mode="cross", wallet_balance=wallet, **COMMON
    )
    assert before[0].liquidation_price is not None
    price = before[0].liquidation_price + drop * (entry - before[0].liquidation_price)  # a loss, not yet liquidated
    steps = [Step("open", q, entry), Step("add", q * add_fraction, price)]
    after = build_position(venue, "long", steps, margin_mode="cross", wallet_balance=wallet, **COMMON)[-1]
    assert after.liquidation_price is not None  # liquidation only moves up, so a long still has one
    assert after.liquidation_price >= before[0].liquidation_price * (1 - 1e-12)


@FAST
@given(st.floats(1e-3, 10), st.floats(100, 1e5), st.floats(1.5, 20), st.floats(0.02, 0.9), st.floats(0.05, 3))
def test_isolated_add_lands_between_the_two_legs(q, entry, lev, drop, add_fraction):
    """Isolated Binance (maintenance on the value at the trigger, no deduction): equity and maintenance
    are sums over the two legs, so the combined trigger lies between the legs' own triggers."""
    price = entry * (1 - drop / lev)
    leg = dict(venue="binance", side="long", leverage=lev, **COMMON)
    old = liquidation_price(entry_price=entry, quantity=q, **leg).price
    new_leg = liquidation_price(entry_price=price, quantity=q * add_fraction, **leg).price
    steps = [Step("open", q, entry), Step("add", q * add_fraction, price)]
    combined = build_position("binance", "long", steps, leverage=lev, **COMMON)[-1].liquidation_price
    # Isolated longs at 1.5x to 20x with no deduction: every leg, and the sum, has a trigger above zero.
    assert old is not None and new_leg is not None and combined is not None
    low, high = sorted((old, new_leg))
    assert low * (1 - 1e-9) <= combined <= high * (1 + 1e-9)


@FAST
@given(
    st.sampled_from(["binance", "bybit", "bybit-uta", "okx", "gate", "phemex", "hyperliquid", "dydx"]),
    st.sampled_from(["long", "short"]),
    st.floats(1e-3, 10),
    st.floats(100, 1e5),
    st.floats(2, 20),
    st.floats(0.01, 0.4),
)
def test_margin_moves_the_liquidation_price(venue, side, q, entry, lev, fraction):
    """Adding margin moves liquidation away from the mark; removing it moves it closer."""
    initial = q * entry / lev
    steps = [Step("open", q, entry), Step("add_margin", amount=fraction * initial)]
    _, added = build_position(venue, side, steps, leverage=lev, **COMMON)
    _, removed = build_position(
        venue, side, [Step("open", q, entry), Step("remove_margin", amount=fraction * initial)], leverage=lev, **COMMON
    )
    opened = build_position(venue, side, steps[:1], leverage=lev, **COMMON)[0]
    s = 1 if side == "long" else -1

    def distance(state):  # how far the mark may move against the position; no price = unbounded
        return float("inf") if state.liquidation_price is None else s * (entry - state.liquidation_price)

    assert distance(added) > distance(opened) or distance(opened) == float("inf")
    if opened.liquidation_price is not None:
        assert distance(removed) < distance(opened)


@pytest.mark.parametrize(
    "steps, field",
    [
        ([{"kind": "add", "quantity": 1, "price": 100}], "steps.0.kind"),
        (
            [{"kind": "open", "quantity": 1, "price": 100}, {"kind": "add", "quantity": 1, "price": "x"}],
            "steps.1.price",
        ),
        (
            [{"kind": "open", "quantity": 1, "price": 100}, {"kind": "reduce", "quantity": 2, "price": 90}],
            "steps.1.quantity",
        ),
        ([{"kind": "open", "quantity": 1, "price": 100}, {"kind": "remove_margin", "amount": 50}], "steps.1.amount"),
        ([{"kind": "open", "quantity": 1, "price": 100}, {"kind": "teleport"}], "steps.1.kind"),
        ([{"kind": "open", "quantity": -1, "price": 100}], "steps.0.quantity"),
        ([{"kind": "open", "quantity": 1, "price": 100}, "add"], "steps.1"),
        ([{"kind": "open", "quantity": 1, "price": 100}, {"kind": "funding", "amount": 25}], "steps.1.amount"),
        ([], "steps"),
    ],
)
def test_bad_steps_name_their_row(steps, field):
    with pytest.raises(InputError) as error:
        build_position("binance", "long", steps, leverage=5, **COMMON)
    assert error.value.field == field
    assert "Steps." not in error.value.message


def test_cross_margin_books_pnl_in_the_wallet():
    steps = [Step("open", 1, 50_000), Step("reduce", 0.5, 52_000), Step("funding", amount=10)]
    states = build_position("binance", "long", steps, margin_mode="cross", wallet_balance=5_000, **COMMON)
    assert states[1].margin == pytest.approx(5_000 + 1_000)
    assert states[2].margin == pytest.approx(5_990)
