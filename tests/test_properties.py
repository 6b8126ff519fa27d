"""Properties of the liquidation engine, checked against algebra rather than against itself.

Every expected value here comes from a closed form in the brief (shared/brief/liquidation-math.md),
from an inequality the model must satisfy, or from an independent computation (a bisection on the
piecewise-linear tiered model); none is copied from the engine's own output.
"""

import math
from itertools import pairwise

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from calculators import TIER_PRESETS, VENUES, InputError, leverage_ladder, liquidation_price

FAST = settings(max_examples=200, deadline=None)

MARK_LINEAR = ("binance", "bybit-uta", "okx", "gate", "dydx", "hyperliquid", "phemex")
FEE_IN_MAINTENANCE = ("okx", "gate", "phemex")
VENUE_CONTRACTS = [(key, contract) for key, venue in VENUES.items() for contract in venue.contracts]
LINEAR_VENUES = [key for key, contract in VENUE_CONTRACTS if contract == "linear"]

BINANCE = "binance-btcusdt-2024-10"
ZERO_BUFFER = "Zero buffer"

entries = st.floats(1, 1e6, allow_nan=False, allow_infinity=False)
quantities = st.floats(1e-3, 1e3, allow_nan=False, allow_infinity=False)
rates = st.floats(0, 0.2, allow_nan=False, allow_infinity=False)
fees = st.floats(0, 0.01, allow_nan=False, allow_infinity=False)
sides = st.sampled_from(["long", "short"])
venue_contracts = st.sampled_from(VENUE_CONTRACTS)


def sign(side):
    return 1 if side == "long" else -1


def has_zero_buffer(result):
    return any(ZERO_BUFFER in w for w in result.warnings)


def notional(contract, entry, quantity):
    return quantity * entry if contract == "linear" else quantity / entry


def move_or_inf(result):
    """The adverse move, with 'no liquidation price' read as an unbounded move."""
    return math.inf if result.adverse_move is None else result.adverse_move


def leverage_in(draw, cap):
    return draw(st.floats(1, cap, allow_nan=False, allow_infinity=False))


def deduction_rejected(rate, quantity, amount, liquidation, bankruptcy, entry):
    """Closed-form expectation of the engine's refusal: a maintenance amount may not exceed the
    requirement it reduces (rate x value) where liquidation triggers, or at bankruptcy when there is
    no liquidation price, or at entry when there is neither. Near-ties are skipped (rounding)."""
    tiny = 1e-9 * entry  # prices that cancel to about zero mean "no price" (as in assert_price)
    assume(abs(liquidation) > tiny and abs(bankruptcy) > tiny)
    where = liquidation if liquidation > 0 else bankruptcy if bankruptcy > 0 else entry
    requirement = rate * quantity * where
    assume(abs(requirement - amount) > 1e-9 * (requirement + amount))
    return requirement < amount


def assert_refused_deduction(**kwargs):
    with pytest.raises(InputError) as error:
        liquidation_price(**kwargs)
    assert error.value.field == "maintenance_amount"


def assert_price(actual, expected, entry):
    """A linear closed form against the engine: prices that cancel to (about) zero mean 'no price'."""
    tiny = 1e-9 * entry
    if expected <= tiny:
        assert actual is None or actual <= tiny
    else:
        assert actual is not None
        assert actual == pytest.approx(expected, rel=1e-9, abs=tiny)


# ---------------------------------------------------------------------------------------------
# Ordering: long liquidation < entry < short liquidation, whenever the buffer is positive.
# ---------------------------------------------------------------------------------------------


@st.composite
def positive_buffer_positions(draw):
    venue, contract = draw(venue_contracts)
    lev = leverage_in(draw, VENUES[venue].max_leverage)
    fee = draw(st.floats(0, min(0.01, 0.5 / lev)))
    headroom = 1 / lev - fee  # default margin covers at least 1/L of notional; maintenance is m + f
    assume(headroom > 1e-6)
    m = draw(st.floats(0, headroom * (1 - 1e-6)))
    entry, quantity = draw(entries), draw(quantities)
    n = notional(contract, entry, quantity)
    return dict(
        venue=venue,
        contract=contract,
        side=draw(sides),
        entry_price=entry,
        quantity=quantity,
        leverage=lev,
        maintenance_margin_rate=m,
        taker_fee_rate=fee,
        # Only venues whose formula has a deduction accept one.
        maintenance_amount=draw(st.floats(0, 0.05)) * n if VENUES[venue].maintenance_deduction else 0.0,
        extra_margin=draw(st.floats(0, 0.5)) * n,
    )


@FAST
@given(positive_buffer_positions())
def test_long_below_entry_below_short(kwargs):
    try:
        r = liquidation_price(**kwargs)
    except InputError as error:
        # A deduction above the requirement it reduces is refused (closed forms: test_engine_edges.py).
        assert error.field == "maintenance_amount" and kwargs["maintenance_amount"] > 0
        return
    assert not has_zero_buffer(r)
    if r.price is None:
        return
    if kwargs["side"] == "long":
        assert r.price < kwargs["entry_price"]
    else:
        assert r.price > kwargs["entry_price"]
    assert r.adverse_move is not None and r.adverse_move > 0


@FAST
@given(venue_contracts, sides, entries, quantities, rates, fees, st.data())
def test_liquidation_lies_between_bankruptcy_and_entry(vc, side, entry, quantity, m, fee, data):
    """With no maintenance deduction, maintenance is >= 0, so liquidation comes before bankruptcy."""
    venue, contract = vc
    lev = data.draw(st.floats(1, VENUES[venue].max_leverage))
    r = liquidation_price(
        venue=venue,
        side=side,
        contract=contract,
        entry_price=entry,
        quantity=quantity,
        leverage=lev,
        maintenance_margin_rate=m,
        taker_fee_rate=fee,
    )
    if r.price is None or r.bankruptcy_price is None or has_zero_buffer(r):
        return
    s = sign(side)
    assert s * r.bankruptcy_price <= s * r.price + 1e-12 * r.price


# ---------------------------------------------------------------------------------------------
# Leverage: the adverse move shrinks as leverage rises.
# ---------------------------------------------------------------------------------------------


@FAST
@given(venue_contracts, sides, entries, quantities, rates, fees, st.data())
def test_adverse_move_falls_as_leverage_rises(vc, side, entry, quantity, m, fee, data):
    venue, contract = vc
    cap = VENUES[venue].max_leverage
    low = data.draw(st.floats(1, cap))
    high = data.draw(st.floats(low, cap))
    common = dict(
        venue=venue,
        side=side,
        contract=contract,
        entry_price=entry,
        quantity=quantity,
        maintenance_margin_rate=m,
        taker_fee_rate=fee,
    )
    at_low = liquidation_price(leverage=low, **common)
    at_high = liquidation_price(leverage=high, **common)
    assert move_or_inf(at_high) <= move_or_inf(at_low) + 1e-12


@FAST
@given(venue_contracts, rates, fees)
def test_ladder_moves_never_grow_with_leverage(vc, m, fee):
    venue, contract = vc
    rows = leverage_ladder(range(1, 101), venue=venue, contract=contract, maintenance_margin_rate=m, taker_fee_rate=fee)
    for column in ("long_adverse_move", "short_adverse_move"):
        moves = [math.inf if getattr(r, column) is None else getattr(r, column) for r in rows]
        assert all(b <= a + 1e-12 for a, b in pairwise(moves)), column


# ---------------------------------------------------------------------------------------------
# Cross margin: more wallet balance pushes liquidation away.
# ---------------------------------------------------------------------------------------------


@FAST
@given(
    venue_contracts,
    sides,
    entries,
    quantities,
    rates,
    fees,
    st.floats(0.01, 2),
    st.floats(0.001, 2),
    st.floats(0, 0.05),
    st.floats(-0.5, 0.5),
)
def test_more_cross_balance_moves_liquidation_away(vc, side, entry, quantity, m, fee, w1, extra, tmm, upnl):
    venue, contract = vc
    n = notional(contract, entry, quantity)
    common = dict(
        venue=venue,
        side=side,
        contract=contract,
        margin_mode="cross",
        entry_price=entry,
        quantity=quantity,
        maintenance_margin_rate=m,
        taker_fee_rate=fee,
        other_maintenance=tmm * n,
        other_unrealized_pnl=upnl * n,
    )
    small = liquidation_price(margin=w1 * n, **common)
    large = liquidation_price(margin=(w1 + extra) * n, **common)
    assert any("Cross margin" in w for w in small.warnings)
    if side == "long":
        if small.price is None:
            assert large.price is None
        elif large.price is not None:
            assert large.price < small.price
    else:
        if small.price is None:
            assert large.price is None
        elif large.price is not None:
            assert large.price > small.price


# ---------------------------------------------------------------------------------------------
# Textbook move 1/L - m against the exact move (linear, zero fees).
# ---------------------------------------------------------------------------------------------


@FAST
@given(st.sampled_from(LINEAR_VENUES), sides, entries, quantities, st.floats(1e-4, 0.2), st.data())
def test_textbook_move_within_m_of_exact(venue, side, entry, quantity, m, data):
    lev = data.draw(st.floats(1.001, VENUES[venue].max_leverage))
    assume(1 / lev > m * (1 + 1e-9))
    r = liquidation_price(
        venue=venue,
        side=side,
        entry_price=entry,
        quantity=quantity,
        leverage=lev,
        maintenance_margin_rate=m,
        taker_fee_rate=0,
    )
    textbook = 1 / lev - m
    assert r.adverse_move is not None
    assert abs(r.adverse_move - textbook) < m
    # Sharper, from the algebra: mark-based moves are textbook / (1 -+ m); entry-based equal it.
    if venue in ("bybit",):
        assert r.adverse_move == pytest.approx(textbook, rel=1e-9, abs=1e-12)
    else:
        assert r.adverse_move == pytest.approx(textbook / (1 + sign(side) * -m), rel=1e-9, abs=1e-12)
    # The brief's teaching claim: under 0.05 % of price at m <= 0.5 % (for 10x and above).
    if m <= 0.005 and lev >= 10:
        assert abs(r.adverse_move - textbook) < 0.0005


def test_inverse_long_liquidates_after_a_smaller_drop_than_linear():
    """The brief's teaching point, 10x and m = 0.5 %, for mark- and entry-based venues."""
    for venue in ("binance", "bybit-uta", "bybit"):
        common = dict(venue=venue, side="long", entry_price=60_000, leverage=10, maintenance_margin_rate=0.005)
        linear = liquidation_price(quantity=1, **common)
        inverse = liquidation_price(contract="inverse", quantity=60_000, **common)
        assert inverse.adverse_move is not None and linear.adverse_move is not None, venue
        assert inverse.adverse_move < linear.adverse_move, venue


# ---------------------------------------------------------------------------------------------
# Tiers.
# ---------------------------------------------------------------------------------------------

BRIEF_BINANCE_TABLE = [  # floor, cap, max leverage, m, cum, as written in the brief
    (0, 50e3, 125, 0.004, 0),
    (50e3, 600e3, 100, 0.005, 50),
    (600e3, 3e6, 75, 0.0065, 950),
    (3e6, 12e6, 50, 0.01, 11_450),
    (12e6, 70e6, 25, 0.02, 131_450),
    (70e6, 100e6, 20, 0.025, 481_450),
    (100e6, 230e6, 10, 0.05, 2_981_450),
    (230e6, 480e6, 5, 0.10, 14_481_450),
    (480e6, 600e6, 4, 0.125, 26_481_450),
    (600e6, 800e6, 3, 0.15, 41_481_450),
    (800e6, 1.2e9, 2, 0.25, 121_481_450),
    (1.2e9, 1.8e9, 1, 0.50, 421_481_450),
]


def test_binance_preset_matches_the_brief():
    table = TIER_PRESETS[BINANCE]
    assert table.venue == "binance" and table.as_of and table.source
    assert len(table.tiers) == len(BRIEF_BINANCE_TABLE)
    for tier, row in zip(table.tiers, BRIEF_BINANCE_TABLE, strict=True):
        assert (tier.floor, tier.cap, tier.max_leverage, tier.rate, tier.amount) == pytest.approx(row)


@pytest.mark.parametrize("name", sorted(TIER_PRESETS))
def test_preset_amounts_make_maintenance_continuous(name):
    tiers = TIER_PRESETS[name].tiers
    assert tiers[0].floor == 0
    for prev, cur in pairwise(tiers):
        assert cur.floor == prev.cap
        expected = cur.floor * (cur.rate - prev.rate) + prev.amount
        assert cur.amount == pytest.approx(expected, rel=1e-9, abs=1e-6)
        # Continuity itself: both brackets ask the same maintenance at the shared edge.
        assert cur.rate * cur.floor - cur.amount == pytest.approx(prev.rate * cur.floor - prev.amount, abs=1e-6)


def _lookup(rows, value):
    """The bracket holding a notional: [floor, cap), the last bracket beyond the last cap."""
    for row in rows:
        if value < row["cap"]:
            return row
    return rows[-1]


def _holds(tier, value, last_floor, rel=1e-9):
    """The bracket holds the notional (the last one also everything beyond its cap), allowing float
    rounding right at a bracket edge."""
    if tier.floor * (1 - rel) > value:
        return False
    return tier.floor == last_floor or value < tier.cap or value <= tier.cap * (1 + rel)


def _bisect_tiered_root(rows, s, entry, quantity, margin, fee_in_mm):
    """Independent root of equity(P) = maintenance(Q*P) on a piecewise-linear, continuous table.

    g(P) = M + s*Q*(P - E) - [(m(QP) + f)*QP - cum(QP)] is monotone in P (slope s*Q - (m + f)*Q*...);
    returns None when there is no positive root.
    """

    def g(price):
        row = _lookup(rows, quantity * price)
        return margin + s * quantity * (price - entry) - ((row["rate"] + fee_in_mm) * quantity * price - row["amount"])

    if s == 1 and g(0.0) >= 0:
        return None
    lo, hi = 0.0, entry
    if s == 1:
        while g(hi) <= 0:
            lo, hi = hi, hi * 2
    else:
        while g(hi) >= 0:
            lo, hi = hi, hi * 2
    for _ in range(400):
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if (g(mid) < 0) == (s == 1):
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _preset_rows(name):
    return [dict(floor=t.floor, cap=t.cap, rate=t.rate, amount=t.amount) for t in TIER_PRESETS[name].tiers]


@FAST
@given(sides, st.floats(1_000, 200_000), st.floats(1e-3, 20_000), st.floats(0, 1))
def test_binance_preset_iteration_lands_in_its_own_bracket(side, entry, quantity, u):
    rows = _preset_rows(BINANCE)
    n = quantity * entry
    assume(n < 1.8e9)
    cap = min(VENUES["binance"].max_leverage, next(t.max_leverage for t in TIER_PRESETS[BINANCE].tiers if n < t.cap))
    lev = 1 + u * (cap - 1)
    s = sign(side)
    margin = n / lev
    expected = _bisect_tiered_root(rows, s, entry, quantity, margin, 0.0)
    r = liquidation_price(
        **dict(venue="binance", side=side, entry_price=entry, quantity=quantity, leverage=lev, tiers=BINANCE)
    )
    assert_price(r.price, 0.0 if expected is None else expected, entry)
    if r.price is None:
        assert s == 1 and r.tier is TIER_PRESETS[BINANCE].tiers[0]
        return
    assert r.tier is not None and _holds(r.tier, quantity * r.price, rows[-1]["floor"])
    # The returned price solves the model with the returned bracket (and, above, agrees with an
    # independent bisection on the whole table).
    equity = margin + s * quantity * (r.price - entry)
    maintenance = r.tier.rate * quantity * r.price - r.tier.amount
    assert equity == pytest.approx(maintenance, rel=1e-9, abs=1e-9 * n)


@FAST
@given(sides, st.floats(1_000, 200_000), st.floats(1e-3, 30), st.floats(1, 80))
def test_bybit_preset_uses_the_bracket_at_entry_value(side, entry, quantity, lev):
    """Bybit classic charges maintenance on the entry value, so the bracket is the one at Q*E."""
    name = "bybit-btcusdt-2026-08"
    n = quantity * entry
    row = _lookup(_preset_rows(name), n)
    r = liquidation_price(venue="bybit", side=side, entry_price=entry, quantity=quantity, leverage=lev, tiers=name)
    assert r.tier is not None
    assert (r.tier.floor, r.tier.rate, r.tier.amount) == (row["floor"], row["rate"], row["amount"])
    s = sign(side)
    im, mm = n / lev, n * row["rate"] - row["amount"]
    assert r.price == pytest.approx(entry - s * (im - mm) / quantity, rel=1e-9)


@st.composite
def continuous_tables(draw, scale):
    """A random continuous bracket table (amounts from the continuity rule), sized around `scale`."""
    count = draw(st.integers(1, 6))
    rows, floor, amount, prev_rate = [], 0.0, 0.0, None
    for index in range(count):
        rate = draw(st.floats(0, 0.3))
        if prev_rate is not None:
            amount = floor * (rate - prev_rate) + amount
        last = index == count - 1
        cap = math.inf if last and draw(st.booleans()) else floor + draw(st.floats(0.05, 1.0)) * scale
        rows.append(dict(floor=floor, cap=cap, rate=rate, amount=amount))
        floor, prev_rate = cap, rate
    return rows


@FAST
@given(
    st.sampled_from(MARK_LINEAR),
    sides,
    entries,
    quantities,
    st.floats(0.02, 0.9),
    st.floats(0, 0.002),
    st.booleans(),
    st.data(),
)
def test_custom_continuous_tables_converge(venue, side, entry, quantity, u, fee, give_amounts, data):
    n = quantity * entry
    rows = data.draw(continuous_tables(n))
    tiers = []
    for row in rows:
        bracket = {"floor": row["floor"], "max_leverage": 1000, "maintenance_margin_rate": row["rate"]}
        if row["cap"] != math.inf:
            bracket["cap"] = row["cap"]
        if give_amounts:
            bracket["maintenance_amount"] = row["amount"]
        tiers.append(bracket)
    margin = u * n
    s = sign(side)
    fee_in_mm = fee if venue in FEE_IN_MAINTENANCE else 0.0
    expected = _bisect_tiered_root(rows, s, entry, quantity, margin, fee_in_mm)
    r = liquidation_price(
        **dict(
            venue=venue, side=side, entry_price=entry, quantity=quantity, margin=margin, tiers=tiers, taker_fee_rate=fee
        )
    )
    assert_price(r.price, 0.0 if expected is None else expected, entry)
    if r.price is None:
        return
    assert r.tier is not None and _holds(r.tier, quantity * r.price, rows[-1]["floor"])
    row = _lookup(rows, r.tier.floor)  # the supplied bracket the engine returned
    assert (r.tier.rate, r.tier.amount) == pytest.approx((row["rate"], row["amount"]), rel=1e-9, abs=1e-9 * n)


def _edge_cases():
    """Positions whose liquidation notional falls exactly on a bracket edge of the Binance preset."""
    tiers = TIER_PRESETS[BINANCE].tiers
    for k in range(1, len(tiers)):
        edge, tier = tiers[k].floor, tiers[k]
        for s in (1, -1):
            for quantity in (0.1, 0.25, 0.5, 1, 1.5, 2, 3, 4, 7, 10):
                price = edge / quantity
                for pct in range(1, 60, 2):
                    entry = price * (100 + s * pct) / 100
                    margin = (tier.rate * edge - tier.amount) - s * quantity * (price - entry)
                    yield s, entry, quantity, margin, price


def test_liquidation_on_a_bracket_edge_is_found():
    failures, tiers = [], TIER_PRESETS[BINANCE].tiers
    for s, entry, quantity, margin, price in _edge_cases():
        side = "long" if s == 1 else "short"
        try:
            r = liquidation_price(
                venue="binance", side=side, entry_price=entry, quantity=quantity, margin=margin, tiers=BINANCE
            )
        except InputError as error:
            failures.append((side, entry, quantity, margin, error.message))
            continue
        assert r.price == pytest.approx(price, rel=1e-9)
        assert _holds(r.tier, quantity * r.price, tiers[-1].floor)
    assert not failures, f"{len(failures)} edge positions raised, e.g. {failures[:3]}"


@pytest.mark.parametrize(
    "side, entry, quantity, margin, edge",
    [
        ("short", 227_700_000, 1, 10_818_550, 230_000_000),
        ("long", 1_010_000, 3, 48_550, 3_000_000),
    ],
)
def test_bracket_edge_examples(side, entry, quantity, margin, edge):
    r = liquidation_price(
        venue="binance", side=side, entry_price=entry, quantity=quantity, margin=margin, tiers=BINANCE
    )
    assert r.price * quantity == pytest.approx(edge, rel=1e-12)


# ---------------------------------------------------------------------------------------------
# The price solves the model.
# ---------------------------------------------------------------------------------------------


@FAST
@given(sides, entries, quantities, rates, st.floats(0.01, 1.0), st.floats(0, 0.01))
def test_binance_isolated_linear_price_solves_the_model(side, entry, quantity, m, u, c):
    n = quantity * entry
    margin, cum = u * n, c * n
    kwargs = dict(
        venue="binance",
        side=side,
        entry_price=entry,
        quantity=quantity,
        margin=margin,
        maintenance_margin_rate=m,
        maintenance_amount=cum,
    )
    s = sign(side)
    root = (margin + cum - s * n) / (quantity * m - s * quantity)  # the brief's Binance formula
    if deduction_rejected(m, quantity, cum, root, entry - s * margin / quantity, entry):
        return assert_refused_deduction(**kwargs)
    r = liquidation_price(**kwargs)
    if r.price is None:
        # No positive root: for a long, equity at P -> 0 is already above maintenance there.
        assert side == "long" and margin - n + cum >= -1e-9 * n
        return
    s = sign(side)
    equity = margin + s * quantity * (r.price - entry)
    maintenance = quantity * r.price * m - cum
    assert equity == pytest.approx(maintenance, rel=1e-9, abs=1e-9 * n)


@FAST
@given(sides, entries, quantities, rates, st.floats(0.01, 1.0))
def test_binance_inverse_price_solves_the_model(side, entry, quantity, m, u):
    """Inverse: equity M + s*Q*(1/E - 1/P) against maintenance m*Q/P, all in the coin."""
    n = quantity / entry
    r = liquidation_price(
        venue="binance",
        side=side,
        contract="inverse",
        entry_price=entry,
        quantity=quantity,
        margin=u * n,
        maintenance_margin_rate=m,
    )
    if r.price is None:
        assert side == "short"
        return
    s = sign(side)
    equity = u * n + s * quantity * (1 / entry - 1 / r.price)
    assert equity == pytest.approx(m * quantity / r.price, rel=1e-9, abs=1e-9 * n)


# ---------------------------------------------------------------------------------------------
# Bankruptcy, explicit margin, 1x, zero buffer.
# ---------------------------------------------------------------------------------------------


@FAST
@given(st.sampled_from(["binance", "bybit"]), sides, entries, quantities, rates, st.data())
def test_bankruptcy_price_linear_isolated(venue, side, entry, quantity, m, data):
    lev = data.draw(st.floats(1, VENUES[venue].max_leverage))
    r = liquidation_price(
        venue=venue, side=side, entry_price=entry, quantity=quantity, leverage=lev, maintenance_margin_rate=m
    )
    assert_price(r.bankruptcy_price, entry * (1 - sign(side) / lev), entry)


@pytest.mark.parametrize(
    "venue, side, lev, expected",
    [
        ("bybit", "long", 10, 45_000),
        ("bybit", "short", 10, 55_000),
        ("binance", "long", 4, 37_500),
        ("binance", "short", 2, 75_000),
        ("binance", "long", 1, None),
    ],
)
def test_bankruptcy_spot_values(venue, side, lev, expected):
    r = liquidation_price(
        venue=venue, side=side, entry_price=50_000, quantity=0.3, leverage=lev, maintenance_margin_rate=0.005
    )
    assert r.bankruptcy_price == (None if expected is None else pytest.approx(expected, rel=1e-12))


@FAST
@given(venue_contracts, sides, entries, quantities, rates, fees, st.data())
def test_margin_equal_to_notional_over_leverage_matches_leverage(vc, side, entry, quantity, m, fee, data):
    venue, contract = vc
    if VENUES[venue].margin_fees != "none":
        fee = 0.0  # Phemex and BitMEX add fees to the default margin; with no fee it is notional / L.
    lev = data.draw(st.floats(1, VENUES[venue].max_leverage))
    common = dict(
        venue=venue,
        side=side,
        contract=contract,
        entry_price=entry,
        quantity=quantity,
        maintenance_margin_rate=m,
        taker_fee_rate=fee,
    )
    by_leverage = liquidation_price(leverage=lev, **common)
    margin = notional(contract, entry, quantity) / lev
    for by_margin in (
        liquidation_price(margin=margin, **common),
        liquidation_price(margin=margin, leverage=lev, **common),
    ):
        for field in ("price", "bankruptcy_price", "adverse_move", "margin", "maintenance_margin"):
            a, b = getattr(by_leverage, field), getattr(by_margin, field)
            assert (a is None) == (b is None), field
            if a is not None:
                assert b == pytest.approx(a, rel=1e-12, abs=1e-15), field
        assert by_margin.leverage == pytest.approx(lev, rel=1e-12)
        assert has_zero_buffer(by_margin) == has_zero_buffer(by_leverage)


@FAST
@given(entries, quantities, rates)
def test_one_x_linear_long_has_no_price(entry, quantity, m):
    r = liquidation_price(
        venue="binance", side="long", entry_price=entry, quantity=quantity, leverage=1, maintenance_margin_rate=m
    )
    assert r.price is None and r.adverse_move is None and r.loss_at_liquidation is None
    assert any("above zero" in w for w in r.warnings)


@pytest.mark.parametrize("venue", ["binance", "bybit-uta", "okx", "gate", "dydx", "hyperliquid", "phemex"])
def test_one_x_long_without_fees_has_no_price_on_mark_venues(venue):
    r = liquidation_price(
        venue=venue, side="long", entry_price=42_000, quantity=0.5, leverage=1, maintenance_margin_rate=0.005
    )
    assert r.price is None


@st.composite
def zero_buffer_positions(draw):
    venue, contract = draw(venue_contracts)
    lev = leverage_in(draw, VENUES[venue].max_leverage)
    low = 1 / lev * (1 + 1e-9)
    assume(low < 0.99)
    m = draw(st.floats(low, 0.99))
    return dict(
        venue=venue,
        contract=contract,
        side=draw(sides),
        entry_price=draw(entries),
        quantity=draw(quantities),
        leverage=lev,
        maintenance_margin_rate=m,
    )


@FAST
@given(zero_buffer_positions())
def test_zero_buffer_is_flagged(kwargs):
    r = liquidation_price(**kwargs)
    assert has_zero_buffer(r)
    assert r.adverse_move == 0


ROUND_PAIRS = [(2, 0.5), (4, 0.25), (5, 0.2), (10, 0.1), (20, 0.05), (25, 0.04), (40, 0.025), (50, 0.02), (100, 0.01)]


def test_zero_buffer_is_flagged_at_exact_equality():
    missing = []
    for venue, contract in VENUE_CONTRACTS:
        for lev, m in ROUND_PAIRS:
            if lev > VENUES[venue].max_leverage:
                continue
            for side in ("long", "short"):
                for entry, quantity in ((100, 1), (50_000, 0.02), (3, 7), (65_432.1, 0.37)):
                    r = liquidation_price(
                        venue=venue,
                        side=side,
                        contract=contract,
                        entry_price=entry,
                        quantity=quantity,
                        leverage=lev,
                        maintenance_margin_rate=m,
                    )
                    if not has_zero_buffer(r):
                        missing.append((venue, contract, side, lev, m, entry, quantity))
    assert not missing, f"{len(missing)} cases, e.g. {missing[:3]}"


# ---------------------------------------------------------------------------------------------
# The ladder agrees with liquidation_price, row by row.
# ---------------------------------------------------------------------------------------------


@FAST
@given(venue_contracts, rates, fees, entries, st.lists(st.floats(1, 150), min_size=1, max_size=8))
def test_ladder_rows_equal_single_calls(vc, m, fee, entry, leverages):
    venue, contract = vc
    rows = leverage_ladder(
        leverages, venue=venue, contract=contract, maintenance_margin_rate=m, taker_fee_rate=fee, entry_price=entry
    )
    assert [row.leverage for row in rows] == leverages
    cap = VENUES[venue].max_leverage
    for row in rows:
        assert row.textbook_move == pytest.approx(1 / row.leverage - m, abs=1e-15)
        assert row.within_venue_cap == (row.leverage <= cap)
        common = dict(
            venue=venue,
            contract=contract,
            entry_price=entry,
            quantity=1,
            leverage=row.leverage,
            maintenance_margin_rate=m,
            taker_fee_rate=fee,
        )
        if not row.within_venue_cap:
            with pytest.raises(InputError) as caught:
                liquidation_price(side="long", **common)
            assert caught.value.field == "leverage"
            continue
        for side, price, move in (
            ("long", row.long_price, row.long_adverse_move),
            ("short", row.short_price, row.short_adverse_move),
        ):
            r = liquidation_price(side=side, **common)
            if side == "short" and max(price or math.inf, r.price or math.inf) > 1e9 * entry:
                # A root near infinity (an inverse short near 1x) is ill-conditioned: both must be huge.
                assert min(price or math.inf, r.price or math.inf) > 1e6 * entry
                continue
            if r.price is None or price is None:
                # Only a root sitting at zero may round to "none" on one side only.
                other = r.price if price is None else price
                assert other is None or other < 1e-9 * entry
                continue
            assert price == pytest.approx(r.price, rel=1e-9)
            assert move == pytest.approx(r.adverse_move, rel=1e-9, abs=1e-9)


# ---------------------------------------------------------------------------------------------
# Closed forms from the brief, evaluated in the test.
# ---------------------------------------------------------------------------------------------


@FAST
@given(st.sampled_from(["okx", "gate"]), entries, quantities, st.floats(0, 0.05), fees, st.floats(1, 100))
def test_okx_gate_closed_form(venue, entry, quantity, m, fee, lev):
    margin = quantity * entry / lev
    common = dict(
        venue=venue, entry_price=entry, quantity=quantity, leverage=lev, maintenance_margin_rate=m, taker_fee_rate=fee
    )
    long = liquidation_price(side="long", **common)
    short = liquidation_price(side="short", **common)
    assert_price(long.price, (entry - margin / quantity) / (1 - (m + fee)), entry)
    assert_price(short.price, (entry + margin / quantity) / (1 + m + fee), entry)


@FAST
@given(sides, entries, quantities, rates, st.floats(0.01, 1), st.floats(0, 0.02), st.floats(-0.5, 0.5))
def test_binance_cross_closed_form(side, entry, quantity, m, w, tmm, upnl):
    n = quantity * entry
    wallet, other_mm, other_pnl, cum = w * n, tmm * n, upnl * n, 0.001 * n
    kwargs = dict(
        venue="binance",
        side=side,
        margin_mode="cross",
        entry_price=entry,
        quantity=quantity,
        margin=wallet,
        maintenance_margin_rate=m,
        maintenance_amount=cum,
        other_maintenance=other_mm,
        other_unrealized_pnl=other_pnl,
    )
    s = sign(side)
    expected = (wallet - other_mm + other_pnl + cum - s * quantity * entry) / (quantity * m - s * quantity)
    bankruptcy = entry - s * (wallet + other_pnl) / quantity  # the same equity at zero, maintenance 0
    if deduction_rejected(m, quantity, cum, expected, bankruptcy, entry):
        return assert_refused_deduction(**kwargs)
    r = liquidation_price(**kwargs)
    assert_price(r.price, expected, entry)


@FAST
@given(sides, entries, quantities, st.floats(0, 0.1), st.floats(1, 20), st.floats(0, 0.3), st.floats(0, 0.02))
def test_dydx_closed_form(side, entry, quantity, m, lev, upnl, tmm):
    s_size = sign(side) * quantity  # S, the signed size
    n = quantity * entry
    e = n / lev + upnl * n - tmm * n  # cross: the other positions' requirement comes off the equity
    r = liquidation_price(
        venue="dydx",
        side=side,
        margin_mode="cross",
        entry_price=entry,
        quantity=quantity,
        leverage=lev,
        maintenance_margin_rate=m,
        other_unrealized_pnl=upnl * n,
        other_maintenance=tmm * n,
    )
    expected = (e - s_size * entry) / (abs(s_size) * m - s_size)
    assert_price(r.price, expected, entry)


@FAST
@given(sides, entries, quantities, st.floats(1, 40), st.integers(1, 50))
def test_hyperliquid_closed_form(side, entry, quantity, lev, max_leverage):
    m = 1 / (2 * max_leverage)  # maintenance is half the initial margin at the asset's maximum leverage
    assume(m < 1)
    s = sign(side)
    margin_available = quantity * entry / lev - quantity * entry * m
    expected = entry - s * margin_available / quantity / (1 - m * s)
    r = liquidation_price(
        venue="hyperliquid", side=side, entry_price=entry, quantity=quantity, leverage=lev, maintenance_margin_rate=m
    )
    assert_price(r.price, expected, entry)


@FAST
@given(
    sides,
    entries,
    quantities,
    st.floats(0, 0.05),
    st.floats(1, 100),
    st.floats(0, 5000),
    st.floats(0, 0.2),
    st.floats(-0.01, 0.01),
)
def test_bybit_classic_closed_form(side, entry, quantity, m, lev, deduction, extra_frac, funding_frac):
    n = quantity * entry
    extra, funding = extra_frac * n, funding_frac * n
    kwargs = dict(
        venue="bybit",
        side=side,
        entry_price=entry,
        quantity=quantity,
        leverage=lev,
        maintenance_margin_rate=m,
        maintenance_amount=deduction,
        extra_margin=extra,
        funding_paid=funding,
    )
    # Bybit's maintenance is on the entry value: the deduction may not exceed m x entry value.
    if deduction_rejected(m, quantity, deduction, entry, entry, entry):
        return assert_refused_deduction(**kwargs)
    r = liquidation_price(**kwargs)
    s = sign(side)
    im, mm = n / lev, n * m - deduction
    # Long: P = E - (IM - MM)/Q - extra/Q, and funding paid moves it up by funding/Q; short mirrored.
    expected = entry - s * (im - mm) / quantity - s * extra / quantity + s * funding / quantity
    assert_price(r.price, expected, entry)


@FAST
@given(entries, quantities, st.floats(0, 0.05), fees, st.floats(1, 100), st.floats(0, 0.3), st.floats(0, 0.01))
def test_bybit_uta_closed_form(entry, quantity, m, fee, lev, extra_frac, ded_frac):
    n = quantity * entry
    extra, ded = extra_frac * n, ded_frac * n
    common = dict(
        venue="bybit-uta",
        entry_price=entry,
        quantity=quantity,
        leverage=lev,
        maintenance_margin_rate=m,
        maintenance_amount=ded,
        extra_margin=extra,
        taker_fee_rate=fee,
    )
    e, q = entry, quantity
    expected_long = (e * q - e * q / lev - extra / (1 - fee) - ded) / (q - q * m)
    expected_short = (e * q + e * q / lev + extra / (1 + fee) + ded) / (q + q * m)
    # Bankruptcy: Bybit's own rule, the same formula with maintenance (rate and deduction) at zero.
    bankrupt_long = (e * q - e * q / lev - extra / (1 - fee)) / q
    bankrupt_short = (e * q + e * q / lev + extra / (1 + fee)) / q
    for side, expected, bankrupt in (("long", expected_long, bankrupt_long), ("short", expected_short, bankrupt_short)):
        if deduction_rejected(m, q, ded, expected, bankrupt, e):
            assert_refused_deduction(side=side, **common)
        else:
            assert_price(liquidation_price(side=side, **common).price, expected, entry)


@FAST
@given(sides, entries, quantities, st.floats(0, 0.05), fees, st.floats(1, 100), st.floats(0, 0.01))
def test_phemex_linear_closed_form(side, entry, quantity, m, fee, lev, mm_frac):
    s, q, e = sign(side), quantity, entry
    mm_amount = mm_frac * q * e
    bankruptcy_value = q * e * (1 - s / lev)
    balance = q * e / lev + bankruptcy_value * fee
    kwargs = dict(
        venue="phemex",
        side=side,
        entry_price=e,
        quantity=q,
        leverage=lev,
        maintenance_margin_rate=m,
        maintenance_amount=mm_amount,
        taker_fee_rate=fee,
    )
    if s == 1:
        expected = (q * e - balance - mm_amount) / (1 - fee - m) / q
    else:
        expected = (q * e + balance + mm_amount) / (1 + fee + m) / q
    # Phemex reserves the fee inside maintenance: the requirement the amount reduces is (m + f) x value.
    if deduction_rejected(m + fee, q, mm_amount, expected, e - s * balance / q, e):
        return assert_refused_deduction(**kwargs)
    r = liquidation_price(**kwargs)
    assert r.initial_margin == pytest.approx(balance, rel=1e-12)
    assert_price(r.price, expected, entry)


@pytest.mark.parametrize("side", ["long", "short"])
def test_phemex_inverse_close_fee_on_inverse_bankruptcy_value(side):
    s, e, q, lev, fee = sign(side), 40_000, 40_000, 10, 0.0006
    open_value = q / e
    # Phemex: inverse long bankruptcy value = open value + initial margin; short = open value - initial margin.
    bankruptcy_value = open_value * (1 + s / lev)
    r = liquidation_price(
        venue="phemex",
        side=side,
        contract="inverse",
        entry_price=e,
        quantity=q,
        leverage=lev,
        maintenance_margin_rate=0.005,
        taker_fee_rate=fee,
    )
    assert r.initial_margin == pytest.approx(open_value / lev + fee * bankruptcy_value, rel=1e-12)


@FAST
@given(entries, quantities, st.floats(0, 0.05), st.floats(1, 100))
def test_inverse_entry_value_closed_form_bybit(entry, quantity, m, lev):
    """BitMEX-style (entry-value maintenance) inverse: long E/(1 + 1/L - m), short E/(1 - 1/L + m)."""
    common = dict(
        venue="bybit", contract="inverse", entry_price=entry, quantity=quantity, leverage=lev, maintenance_margin_rate=m
    )
    assert liquidation_price(side="long", **common).price == pytest.approx(entry / (1 + 1 / lev - m), rel=1e-9)
    denominator = 1 - 1 / lev + m
    short = liquidation_price(side="short", **common).price
    if denominator <= 1e-6:
        assert short is None or short > 1e5 * entry
    else:
        assert short == pytest.approx(entry / denominator, rel=1e-9)


@FAST
@given(entries, quantities, st.floats(0, 0.05), fees, st.floats(1, 100), st.floats(-0.001, 0.001))
def test_bitmex_closed_form(entry, quantity, m, fee, lev, funding_rate):
    im, mm = 1 / lev + 2 * fee, m + fee + funding_rate
    assume(mm >= 0)
    common = dict(
        venue="bitmex",
        contract="inverse",
        entry_price=entry,
        quantity=quantity,
        leverage=lev,
        maintenance_margin_rate=m,
        taker_fee_rate=fee,
        funding_paid=funding_rate * quantity / entry,
    )
    long = liquidation_price(side="long", **common)
    short = liquidation_price(side="short", **common)
    assert long.price == pytest.approx(entry / (1 + im - mm), rel=1e-9)
    assert long.bankruptcy_price == pytest.approx(entry / (1 + im - funding_rate), rel=1e-9)
    if 1 - im + mm <= 1e-6:
        assert short.price is None or short.price > 1e5 * entry
    else:
        assert short.price == pytest.approx(entry / (1 - im + mm), rel=1e-9)


@FAST
@given(st.sampled_from(["bybit-uta", "binance"]), entries, quantities, st.floats(0, 0.05), st.floats(1, 100))
def test_inverse_mark_value_closed_form(venue, entry, quantity, m, lev):
    """Mark-value maintenance inverse (Bybit unified): long E(1+m)/(1+1/L), short E(1-m)/(1-1/L)."""
    common = dict(
        venue=venue, contract="inverse", entry_price=entry, quantity=quantity, leverage=lev, maintenance_margin_rate=m
    )
    assert liquidation_price(side="long", **common).price == pytest.approx(entry * (1 + m) / (1 + 1 / lev), rel=1e-9)
    short = liquidation_price(side="short", **common).price
    if 1 - 1 / lev <= 1e-6:
        assert short is None or short > 1e5 * entry
    else:
        assert short == pytest.approx(entry * (1 - m) / (1 - 1 / lev), rel=1e-9)


def test_readme_example():
    """The README's example, from the isolated long closed form (Q*E - M - cum) / (Q*(1 - m))."""
    q, e, lev, m = 0.02, 50_000, 20, 0.004
    expected = (q * e - q * e / lev) / (q * (1 - m))
    r = liquidation_price(
        venue="binance", side="long", entry_price=e, quantity=q, leverage=lev, maintenance_margin_rate=m
    )
    assert r.price == pytest.approx(expected, rel=1e-12)
    assert r.price == pytest.approx(47_690.76, abs=0.01)
