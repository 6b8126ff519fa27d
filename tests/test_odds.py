"""The odds of being touched (calculators/odds.py).

Expected values come from algebra on the reflection-principle formula (values of the normal
distribution function from its definition via math.erf, written out here, not from odds.py), from
properties (hypothesis), and from a seeded Monte Carlo simulation of the model itself.
"""

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from calculators import liquidation_price
from calculators.errors import InputError
from calculators.odds import liquidation_odds, touch_probabilities, touch_probability, typical_move

# 2 * Phi(-1), 2 * Phi(-2): the two-sided normal tail beyond 1 and 2 standard deviations, from
# standard tables (0.31731..., 0.04550...).
TWO_TAIL_1_SIGMA = 0.3173105078629141
TWO_TAIL_2_SIGMA = 0.04550026389635842


def odds(entry: float, level: float, sigma: float, days: float) -> float:
    """touch_probability for a level that exists (never None)."""
    p = touch_probability(entry, level, sigma, days)
    assert p is not None
    return p


def test_typical_move_is_sigma_root_t():
    # 36.5 % a year over 365 days is 36.5 %; over 1 day it is 36.5 % / sqrt(365) (sqrt(365) ~ 19.105).
    assert typical_move(0.365, 365) == pytest.approx(0.365)
    assert typical_move(0.365, 1) == pytest.approx(0.365 / 19.1049731745428)
    # Four times the window, twice the move.
    assert typical_move(0.8, 28) == pytest.approx(2 * typical_move(0.8, 7))


def test_one_sigma_away_is_two_phi_minus_one():
    sigma, days = 0.5, 73  # sigma * sqrt(T / 365) = 0.5 * sqrt(0.2)
    width = 0.5 * math.sqrt(0.2)
    entry = 60_000.0
    below = entry * math.exp(-width)  # a long's liquidation one typical move below
    above = entry * math.exp(width)  # a short's, the same log distance above
    assert touch_probability(entry, below, sigma, days) == pytest.approx(TWO_TAIL_1_SIGMA, rel=1e-12)
    assert touch_probability(entry, above, sigma, days) == pytest.approx(TWO_TAIL_1_SIGMA, rel=1e-12)
    twice = entry * math.exp(-2 * width)
    assert touch_probability(entry, twice, sigma, days) == pytest.approx(TWO_TAIL_2_SIGMA, rel=1e-12)


def test_level_at_entry_is_certain_and_capped():
    assert touch_probability(100, 100, 0.4, 1) == 1.0


def test_no_level_gives_none():
    assert touch_probability(100, None, 0.4, 30) is None


def test_liquidation_odds_follow_the_engine():
    result = liquidation_price(
        venue="binance", side="long", entry_price=60_000, quantity=1, leverage=10, maintenance_margin_rate=0.004
    )
    assert result.price is not None
    expected_z = abs(math.log(result.price / 60_000)) / (0.42 * math.sqrt(7 / 365))
    expected = 1 - math.erf(expected_z / math.sqrt(2))  # 2 * Phi(-z) = 1 - erf(z / sqrt 2)
    assert liquidation_odds(result, 0.42, 7) == pytest.approx(expected, rel=1e-9)


def test_liquidation_odds_none_without_a_price_and_one_without_a_buffer():
    spot_like = liquidation_price(
        venue="binance", side="long", entry_price=100, quantity=1, leverage=1, maintenance_margin_rate=0.004
    )
    assert spot_like.price is None
    assert liquidation_odds(spot_like, 0.42, 30) is None
    # 1/L = 1 % below m = 2 %: no buffer, liquidated as it opens.
    at_cap = liquidation_price(
        venue="binance", side="long", entry_price=100, quantity=1, leverage=100, maintenance_margin_rate=0.02
    )
    assert at_cap.adverse_move == 0
    assert liquidation_odds(at_cap, 0.42, 1) == 1.0


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("annual_volatility", {"annual_volatility": 0}),
        ("annual_volatility", {"annual_volatility": -0.1}),
        ("annual_volatility", {"annual_volatility": 10.5}),
        ("annual_volatility", {"annual_volatility": math.inf}),
        ("annual_volatility", {"annual_volatility": math.nan}),
        ("annual_volatility", {"annual_volatility": "lots"}),
        ("horizon_days", {"horizon_days": 0}),
        ("horizon_days", {"horizon_days": 3651}),
        ("horizon_days", {"horizon_days": None}),
        ("entry_price", {"entry_price": 0}),
        ("entry_price", {"entry_price": -5}),
        ("level", {"level": 0}),
        ("level", {"level": math.inf}),
    ],
)
def test_bad_inputs_name_the_field(field, kwargs):
    args = {"entry_price": 100.0, "level": 90.0, "annual_volatility": 0.4, "horizon_days": 30} | kwargs
    with pytest.raises(InputError) as error:
        touch_probability(**args)
    assert error.value.field == field


positive_floats = st.floats(min_value=5e-324, max_value=1.7e308, allow_nan=False, allow_infinity=False)


@given(
    entry=positive_floats,
    level=positive_floats,
    sigma=st.floats(allow_nan=True, allow_infinity=True),
    days=st.floats(allow_nan=True, allow_infinity=True),
)
def test_every_float_gives_a_probability_or_an_input_error(entry, level, sigma, days):
    try:
        p = touch_probability(entry, level, sigma, days)
    except InputError as error:
        assert error.field in {"annual_volatility", "horizon_days"}
        return
    assert p is not None and math.isfinite(p) and 0 <= p <= 1


# The per-request path (entry, volatility and horizon checked once for many levels) against the
# public one-level function: the same figures, and for faulty input the same first error.
valid_sigmas = st.floats(min_value=5e-324, max_value=10.0)
valid_days = st.floats(min_value=5e-324, max_value=3650.0)


@given(
    entry=positive_floats,
    levels=st.lists(st.one_of(st.none(), positive_floats), max_size=40),
    sigma=valid_sigmas,
    days=valid_days,
)
def test_many_levels_at_once_equal_one_call_per_level(entry, levels, sigma, days):
    assert touch_probabilities(entry, levels, sigma, days) == [
        touch_probability(entry, level, sigma, days) for level in levels
    ]


raw_inputs = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, -1.0, math.inf, -math.inf, math.nan]),
    st.sampled_from(["60000", " 0.4 ", "30", "-1", "", "abc", "1e999"]),
    st.text(max_size=4),
)


def _outcome(call):
    try:
        return call()
    except InputError as error:
        return ("InputError", error.field, error.message)


@given(
    entry=st.one_of(positive_floats, raw_inputs),
    levels=st.lists(raw_inputs, min_size=1, max_size=6),
    sigma=st.one_of(valid_sigmas, raw_inputs),
    days=st.one_of(valid_days, raw_inputs),
)
def test_many_levels_at_once_refuse_what_one_call_per_level_refuses(entry, levels, sigma, days):
    # At least one level: with none, one call per level checks nothing while the batch still checks
    # the entry, volatility and horizon.
    assert _outcome(lambda: touch_probabilities(entry, levels, sigma, days)) == _outcome(
        lambda: [touch_probability(entry, level, sigma, days) for level in levels]
    )


@given(entry=positive_floats, levels=st.lists(raw_inputs, min_size=1, max_size=6), sigma=valid_sigmas, days=valid_days)
def test_each_level_is_checked_as_one_call_checks_it(entry, levels, sigma, days):
    # The levels alone faulty (zero, negative, NaN, infinite, words): the same first refusal.
    assert _outcome(lambda: touch_probabilities(entry, levels, sigma, days)) == _outcome(
        lambda: [touch_probability(entry, level, sigma, days) for level in levels]
    )


ratios = st.floats(min_value=1.001, max_value=50)
sigmas = st.floats(min_value=0.01, max_value=5)
horizons = st.floats(min_value=0.01, max_value=3000)


@given(ratio=ratios, sigma=sigmas, days=horizons, factor=st.floats(min_value=1.01, max_value=2))
def test_rises_with_volatility_and_horizon_falls_with_distance(ratio, sigma, days, factor):
    entry = 100.0
    base = odds(entry, entry / ratio, sigma, days)
    assert base is not None
    assert odds(entry, entry / ratio, min(10.0, sigma * factor), days) >= base
    assert odds(entry, entry / ratio, sigma, min(3650.0, days * factor)) >= base
    assert odds(entry, entry / (ratio * factor), sigma, days) <= base
    # A short's level at the same log distance above has the same odds.
    assert odds(entry, entry * ratio, sigma, days) == pytest.approx(base, rel=1e-9, abs=1e-300)


def test_seeded_monte_carlo_agrees_with_the_closed_form():
    """Simulate the model: Gaussian log returns, one per step, and count the paths that reach the level.

    A path watched at discrete steps touches LESS often than the continuous one (it can cross the level
    and come back between two looks), so the simulated rate sits below the closed form. Broadie,
    Glasserman and Kou (1997) show the discrete barrier behaves like a continuous one moved outwards by
    0.5826 * sigma * sqrt(dt); the closed form at that shifted level is what the simulation should hit.
    """
    rng = random.Random(20261201)
    paths, steps = 20_000, 200
    sigma, days = 0.8, 30
    entry = 60_000.0
    spread = sigma * math.sqrt(days / 365)
    barrier = -spread  # one typical move below: 2 * Phi(-1) continuously
    step_sd = spread / math.sqrt(steps)
    gauss = rng.gauss
    hits = 0
    for _ in range(paths):
        x = 0.0
        for _ in range(steps):
            x += gauss(0.0, step_sd)
            if x <= barrier:
                hits += 1
                break
    simulated = hits / paths
    continuous = odds(entry, entry * math.exp(barrier), sigma, days)
    assert continuous == pytest.approx(TWO_TAIL_1_SIGMA, rel=1e-12)
    shifted = odds(entry, entry * math.exp(barrier - 0.5826 * step_sd), sigma, days)
    standard_error = math.sqrt(shifted * (1 - shifted) / paths)  # about 0.0032
    assert simulated == pytest.approx(shifted, abs=4 * standard_error)
    assert simulated < continuous  # discrete monitoring misses touches, never adds them
