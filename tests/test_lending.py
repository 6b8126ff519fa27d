"""Lending liquidation (calculators/lending.py): each protocol's own published examples and contract tests,
closed forms by algebra, and properties. Sources read 2026-12-01; repository paths are at the snapshot
commits named in each test.
"""

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from calculators import InputError
from calculators.lending import NO_DEBT, health_factor, liquidation, price_for_liquidation
from calculators.protocols import (
    AAVE_CLOSE_FACTOR_HF_THRESHOLD,
    AAVE_DEFAULT_CLOSE_FACTOR,
    AAVE_MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD,
    MORPHO_LIQUIDATION_CURSOR,
    MORPHO_MAX_LIQUIDATION_INCENTIVE_FACTOR,
    PROTOCOLS,
    morpho_incentive_factor,
)


def aave(amount, price, threshold, bonus=0.05):
    return {"amount": amount, "price": price, "liquidation_threshold": threshold, "liquidation_bonus": bonus}


def comet(amount, price, threshold, factor=1.0):
    return {"amount": amount, "price": price, "liquidation_threshold": threshold, "liquidation_factor": factor}


def morpho(amount, price, lltv):
    return {"amount": amount, "price": price, "liquidation_threshold": lltv}


def debt(amount, price=1.0):
    return {"amount": amount, "price": price}


def hf(**book) -> float:
    """The health factor of a position that has debt (so it is a number)."""
    value = health_factor(**book).health_factor
    assert value is not None
    return value


# ---------------------------------------------------------------------------------------------
# Aave v3.
# ---------------------------------------------------------------------------------------------


def test_aave_health_factor_example():
    """https://aave.com/help/borrowing/liquidations and https://aave.com/docs/developers/liquidations: "$10,000 in
    ETH with an 80% liquidation threshold and borrows $6,000 in GHO, the health factor would be 1.333"."""
    assert round(hf(protocol="aave-v3", collaterals=[aave(10_000, 1, 0.80)], debts=[debt(6_000)]), 3) == 1.333


def test_aave_close_factor_constants_match_the_source():
    """aave-dao/aave-v3-origin src/contracts/protocol/libraries/logic/LiquidationLogic.sol (v3.3.0 .. v3.6.0):
    DEFAULT_LIQUIDATION_CLOSE_FACTOR = 0.5e4 (bps), CLOSE_FACTOR_HF_THRESHOLD = 0.95e18,
    MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD = 2000e8 (8-decimal US dollars). aave/aave-v3-core's v3.0 file has the same
    0.5e4 and 0.95e18 (with MAX_LIQUIDATION_CLOSE_FACTOR = 1e4)."""
    assert AAVE_DEFAULT_CLOSE_FACTOR == 0.5e4 / 1e4
    assert AAVE_CLOSE_FACTOR_HF_THRESHOLD == 0.95e18 / 1e18
    assert AAVE_MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD == 2000e8 / 1e8


def test_aave_v33_close_factor_applies_to_the_whole_position():
    """aave-v3-origin docs/3.3/Aave-v3.3-features.md, 2.1: 3k $ each of GHO, USDC and DAI debt against 9k $ of
    ETH: before v3.3 one liquidation repays 1.5k $ of one debt; from v3.3, the whole 3k $.

    The document gives no threshold or health factor; its point only holds between 0.95 and 1 (at 0.95 or below
    both versions allow 100 %). With 9k against 9k the health factor equals the threshold, so we take 0.97, and a
    1 % bonus to respect threshold x (1 + bonus) <= 1."""
    collaterals = [aave(9_000, 1, 0.97, bonus=0.01)]
    debts = [debt(3_000), debt(3_000), debt(3_000)]
    old = liquidation(protocol="aave-v3.0", collaterals=collaterals, debts=debts, repay="debts.0")
    new = liquidation(protocol="aave-v3", collaterals=collaterals, debts=debts, repay="debts.0")
    assert old.repaid_amounts == pytest.approx((1_500, 0, 0))
    assert new.repaid_amounts == pytest.approx((3_000, 0, 0))
    assert old.close_factor == 0.5 and new.close_factor == 1.0


def test_aave_v33_small_positions_close_in_full():
    """Aave-v3.3-features.md, 2.2: 1,200 $ collateral, 900 $ debt, health factor 0.96: under v3.3 all of the debt
    may be repaid (the document assumes a 1,000 $ threshold; the deployed constant is 2,000 $, also above 900 $).
    A threshold of 0.72 gives that health factor: 1,200 x 0.72 / 900 = 0.96."""
    r = liquidation(protocol="aave-v3", collaterals=[aave(1_200, 1, 0.72)], debts=[debt(900)])
    assert r.health_factor == pytest.approx(0.96)
    assert r.close_factor == 1.0 and r.repaid_amounts == pytest.approx((900,))
    older = liquidation(protocol="aave-v3.0", collaterals=[aave(1_200, 1, 0.72)], debts=[debt(900)])
    assert older.close_factor == 0.5  # "In the previous system, a liquidation could have liquidated up to 50%"


def test_aave_collateral_to_liquidate_formula():
    """https://docs.aave.com/developers/guides/liquidations: maxAmountOfCollateralToLiquidate = debtAssetPrice x
    debtToCover x liquidationBonus / collateralPrice, with debtToCover = debt x close factor (50 % above a health
    factor of 0.95). 10 ETH at 2,000 (threshold 0.8, bonus 5 %) against 16,500 USDC: HF = 16,000 / 16,500."""
    r = liquidation(protocol="aave-v3", collaterals=[aave(10, 2_000, 0.8, 0.05)], debts=[debt(16_500)])
    assert r.health_factor is not None and 0.95 < r.health_factor < 1
    debt_to_cover = 16_500 * 0.5
    assert r.repaid_amounts == pytest.approx((debt_to_cover,))
    assert r.seized_amounts == pytest.approx((1 * debt_to_cover * 1.05 / 2_000,))
    assert r.penalty_value == pytest.approx(debt_to_cover * 0.05)
    # HF after, by hand: (10 - 4.33125) x 2,000 x 0.8 / (16,500 - 8,250)
    assert r.health_factor_after == pytest.approx((10 - 4.33125) * 2_000 * 0.8 / 8_250)


def test_aave_health_factor_at_or_below_095_allows_the_whole_debt():
    r = liquidation(protocol="aave-v3", collaterals=[aave(10, 2_000, 0.8)], debts=[debt(16_000 / 0.95)])
    assert r.health_factor == pytest.approx(0.95)
    assert r.close_factor == 1.0


def test_aave_collateral_runs_out_before_the_close_factor():
    """LiquidationLogic._calculateAvailableCollateralToLiquidate: when the bonus-inflated collateral exceeds the
    balance, all of it is taken and debtAmountNeeded = collateral value / bonus. 1 ETH at 1,000 (threshold 0.8,
    bonus 5 %) against 1,500 USDC (HF 0.533, so 100 % may be repaid)."""
    r = liquidation(protocol="aave-v3", collaterals=[aave(1, 1_000, 0.8)], debts=[debt(1_500)])
    assert r.seized_amounts == (1,)
    assert r.repaid_value == pytest.approx(1_000 / 1.05)
    # v3.3 burns what is left when no collateral remains (Aave-v3.3-features.md, 1. Bad Debt Management)
    assert r.bad_debt_value == pytest.approx(1_500 - 1_000 / 1.05)
    assert r.health_factor_after is None


def test_aave_threshold_times_bonus_cap():
    """PoolConfigurator.configureReserveAsCollateral: liquidationThreshold.percentMul(liquidationBonus) <= 100 %."""
    with pytest.raises(InputError) as error:
        health_factor(protocol="aave-v3", collaterals=[aave(1, 1, 0.97, bonus=0.05)], debts=[debt(0.5)])
    assert error.value.field == "collaterals.0.liquidation_bonus"


# ---------------------------------------------------------------------------------------------
# Compound v3 (Comet).
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "collateral, liquidatable",
    [
        # compound-finance/comet test/is-liquidatable-test.ts (commit d5a30b0), a $100,000 USDC debt each time:
        (comet(100_000, 1, 1.0), False),  # "is false when collateral can cover the borrowed principal"
        (comet(95_000, 1, 1.0), True),  # "is true when the collateral cannot cover the borrowed principal"
        (comet(100_000, 1, 0.8), True),  # "takes liquidateCollateralFactor into account" (liquidateCF 0.8)
        (comet(100_000, 0.5, 1.0), True),  # "changes when the underlying asset price changes" (COMP to 0.5)
    ],
)
def test_comet_is_liquidatable_cases(collateral, liquidatable):
    r = health_factor(protocol="compound-v3", collaterals=[collateral], debts=[debt(100_000)])
    assert r.liquidatable is liquidatable


def test_comet_absorb_with_more_than_enough_collateral():
    """comet test/absorb-test.ts "absorbs an account with more than enough collateral to still cover debt": 1 COMP
    at 175, 1 WETH at 3,000, 1 WBTC at 41,000 (liquidateCF 2/3, liquidationFactor 1 by default) against a debt of
    44,175 USDC less one unit (1e-6); after absorb the borrower holds that one unit and no debt."""
    collaterals = [comet(1, 175, 2 / 3), comet(1, 3_000, 2 / 3), comet(1, 41_000, 2 / 3)]
    r = liquidation(protocol="compound-v3", collaterals=collaterals, debts=[debt(44_175 - 1e-6)])
    assert r.liquidatable
    assert r.returned_value == pytest.approx(1e-6, abs=1e-9)
    assert r.seized_amounts == (1, 1, 1) and r.repaid_amounts == (44_175 - 1e-6,)
    assert r.close_factor == 1.0 and r.health_factor_after is None


def test_comet_liquidation_factor_penalty():
    """docs.compound.finance/liquidation/: absorb "returns the value of the collateral, minus a penalty
    (liquidationFactor), to the user in the base asset. The liquidated user has no remaining debt". WETH in
    cUSDCv3 (comet deployments/mainnet/usdc/configuration.json): liquidateCF 0.895, liquidationFactor 0.95.
    1 WETH at 3,000 against 2,700 USDC: 2,685 < 2,700, so absorb credits 2,850 and leaves 150."""
    r = liquidation(protocol="compound-v3", collaterals=[comet(1, 3_000, 0.895, 0.95)], debts=[debt(2_700)])
    assert r.health_factor == pytest.approx(3_000 * 0.895 / 2_700)
    assert r.credited_value == pytest.approx(2_850)
    assert r.returned_value == pytest.approx(150)
    assert r.penalty_value == pytest.approx(150)


def test_comet_shortfall_is_paid_by_reserves():
    r = liquidation(protocol="compound-v3", collaterals=[comet(1, 1_000, 0.9, 0.95)], debts=[debt(2_000)])
    assert r.bad_debt_value == pytest.approx(2_000 - 950)
    assert r.returned_value == 0


# ---------------------------------------------------------------------------------------------
# Morpho Blue.
# ---------------------------------------------------------------------------------------------


def test_morpho_constants_match_the_source():
    """morpho-org/morpho-blue src/libraries/ConstantsLib.sol (commit 3085651): LIQUIDATION_CURSOR = 0.3e18,
    MAX_LIQUIDATION_INCENTIVE_FACTOR = 1.15e18; the docs' beta = 0.3 and M = 1.15."""
    assert MORPHO_LIQUIDATION_CURSOR == 0.3e18 / 1e18
    assert MORPHO_MAX_LIQUIDATION_INCENTIVE_FACTOR == 1.15e18 / 1e18


@pytest.mark.parametrize("lltv", [0.0, 0.385, 0.5, 0.625, 0.77, 0.8, 0.86, 0.915, 0.945, 0.965, 0.98])
def test_morpho_incentive_factor_closed_form(lltv):
    """https://docs.morpho.org/concepts/morpho-blue/core-concepts/liquidation/: LIF = min(M, 1 / (beta x LLTV +
    (1 - beta))), and Morpho.sol's min(maxLIF, 1 / (1 - cursor x (1 - LLTV))) is the same expression."""
    expected = min(1.15, 1 / (0.3 * lltv + 0.7))
    assert morpho_incentive_factor(lltv) == pytest.approx(expected, rel=1e-15)
    assert morpho_incentive_factor(lltv) == pytest.approx(min(1.15, 1 / (1 - 0.3 * (1 - lltv))), rel=1e-15)


def test_morpho_docs_example():
    """https://docs.morpho.org/morpho/concepts/liquidation (Example, Liquidation Calculus): $100 of collateral in a
    market with an 80 % LLTV; "the Liquidation Incentive Factor (LIF) is approximately 1.06"; a debt just above
    $80 ($80.00001) is liquidatable. The rest of the example was not in the stored copy, so only these parts are
    reproduced. At exactly $80 the position is still healthy: Morpho.sol _isHealthy is maxBorrow >= borrowed
    (the docs' wording "meets or exceeds" differs; the contract decides)."""
    collateral = [morpho(100, 1, 0.8)]
    assert round(morpho_incentive_factor(0.8), 2) == 1.06
    assert health_factor(protocol="morpho-blue", collaterals=collateral, debts=[debt(80.00001)]).liquidatable
    assert not health_factor(protocol="morpho-blue", collaterals=collateral, debts=[debt(80)]).liquidatable
    r = liquidation(protocol="morpho-blue", collaterals=collateral, debts=[debt(80.00001)])
    assert r.close_factor == 1.0  # "liquidators can liquidate up to 100% of the account's debt"
    lif = 1 / (0.3 * 0.8 + 0.7)
    assert r.repaid_value == pytest.approx(80.00001)
    assert r.seized_value == pytest.approx(80.00001 * lif)
    assert r.penalty_value == pytest.approx(80.00001 * (lif - 1))


def test_morpho_is_one_collateral_one_loan():
    with pytest.raises(InputError) as error:
        health_factor(protocol="morpho-blue", collaterals=[morpho(1, 1, 0.8)] * 2, debts=[debt(0.5)])
    assert error.value.field == "collaterals"
    with pytest.raises(InputError) as error:
        health_factor(protocol="morpho-blue", collaterals=[morpho(1, 1, 0.8)], debts=[debt(0.1)] * 2)
    assert error.value.field == "debts"


def test_morpho_rejects_a_bonus():
    with pytest.raises(InputError) as error:
        health_factor(protocol="morpho-blue", collaterals=[aave(1, 1, 0.8)], debts=[debt(0.5)])
    assert error.value.field == "collaterals.0.liquidation_bonus"


# ---------------------------------------------------------------------------------------------
# Closed forms, by algebra.
# ---------------------------------------------------------------------------------------------


def test_health_factor_closed_form_two_collaterals_two_debts():
    collaterals = [aave(2, 3_000, 0.83), aave(0.1, 60_000, 0.78)]
    debts = [debt(2_000), debt(0.5, 3_000)]
    expected = (2 * 3_000 * 0.83 + 0.1 * 60_000 * 0.78) / (2_000 + 0.5 * 3_000)
    assert health_factor(protocol="aave-v3", collaterals=collaterals, debts=debts).health_factor == pytest.approx(
        expected, rel=1e-14
    )


@pytest.mark.parametrize("protocol, entry", [("aave-v3", aave), ("morpho-blue", morpho)])
def test_single_collateral_liquidation_price(protocol, entry):
    r = price_for_liquidation(protocol=protocol, collaterals=[entry(5, 2_000, 0.8)], debts=[debt(6_000)])
    assert r.price == pytest.approx(6_000 / (5 * 0.8))
    assert r.move == pytest.approx(1 - 1_500 / 2_000)
    assert r.direction == "fall"


def test_volatile_debt_says_which_price_moves():
    """ETH borrowed against BTC: 1 BTC at 60,000 (threshold 0.75) against 10 ETH at 3,000."""
    book = dict(protocol="aave-v3", collaterals=[aave(1, 60_000, 0.75)], debts=[debt(10, 3_000)])
    btc = price_for_liquidation(**book, moving="collaterals.0")
    eth = price_for_liquidation(**book, moving="debts.0")
    assert btc.price == pytest.approx(30_000 / 0.75) and btc.move == pytest.approx(1 / 3)
    assert eth.price == pytest.approx(45_000 / 10) and eth.move == pytest.approx(0.5)
    assert eth.direction == "rise"


def test_other_collateral_covering_the_debt_gives_no_price():
    r = price_for_liquidation(
        protocol="aave-v3", collaterals=[aave(1, 2_000, 0.8), aave(10_000, 1, 0.8)], debts=[debt(5_000)]
    )
    assert r.price is None and r.move is None


def test_no_debt_means_no_liquidation():
    book = dict(protocol="aave-v3", collaterals=[aave(1, 2_000, 0.8)], debts=[])
    assert health_factor(**book).health_factor is None
    assert health_factor(**book).meaning == NO_DEBT == "No debt: cannot be liquidated."
    assert price_for_liquidation(**book).price is None
    assert not liquidation(**book).liquidatable


def test_results_serialise():
    book = dict(protocol="aave-v3", collaterals=[aave(1, 1_000, 0.8)], debts=[debt(900)])
    for result in (health_factor(**book), price_for_liquidation(**book), liquidation(**book)):
        data = result.to_dict()
        assert data["protocol"] == "aave-v3" and isinstance(data["meaning"], str)


def test_every_protocol_cites_its_sources():
    for proto in PROTOCOLS.values():
        assert proto.sources and all(url.startswith("https://") for url in proto.sources)


# ---------------------------------------------------------------------------------------------
# Properties.
# ---------------------------------------------------------------------------------------------

sizes = st.floats(min_value=1e-3, max_value=1e7, allow_nan=False)
thresholds = st.floats(min_value=0.05, max_value=0.9)
bonuses = st.one_of(st.just(0.0), st.floats(min_value=1e-4, max_value=0.1))  # 0 or a real-sized bonus


@st.composite
def positions(draw, protocol=None):
    protocol = protocol or draw(st.sampled_from(["aave-v3", "aave-v3.0", "compound-v3", "morpho-blue"]))
    n_collaterals = 1 if protocol == "morpho-blue" else draw(st.integers(1, 3))
    n_debts = 1 if protocol in ("morpho-blue", "compound-v3") else draw(st.integers(1, 3))
    collaterals = []
    for _ in range(n_collaterals):
        amount, price, threshold = draw(sizes), draw(sizes), draw(thresholds)
        if protocol.startswith("aave"):
            collaterals.append(aave(amount, price, threshold, draw(bonuses)))
        elif protocol == "compound-v3":
            collaterals.append(comet(amount, price, threshold, draw(st.floats(0.8, 1.0))))
        else:
            collaterals.append(morpho(amount, price, threshold))
    debts = [debt(draw(sizes), draw(sizes)) for _ in range(n_debts)]
    return dict(protocol=protocol, collaterals=collaterals, debts=debts)


def with_collateral(book, index, **changes):
    collaterals = [dict(c) for c in book["collaterals"]]
    collaterals[index].update(changes)
    return dict(book, collaterals=collaterals)


def with_debt(book, index, **changes):
    debts = [dict(d) for d in book["debts"]]
    debts[index].update(changes)
    return dict(book, debts=debts)


@given(positions(), st.floats(min_value=0.01, max_value=0.99))
def test_health_factor_falls_with_a_collateral_price(book, fall):
    before = hf(**book)
    after = hf(**with_collateral(book, 0, price=book["collaterals"][0]["price"] * (1 - fall)))
    # Strictly lower when this is the only collateral; with others it may be too small to show in a float.
    assert after < before if len(book["collaterals"]) == 1 else after <= before


@given(positions())
def test_health_factor_is_one_at_the_collateral_liquidation_price(book):
    r = price_for_liquidation(**book, moving="collaterals.0")
    assume(r.price is not None)
    assert hf(**with_collateral(book, 0, price=r.price)) == pytest.approx(1, rel=1e-9)


@given(positions(protocol="aave-v3"))
def test_health_factor_is_one_at_the_debt_liquidation_price(book):
    r = price_for_liquidation(**book, moving="debts.0")
    assume(r.price is not None)
    assert hf(**with_debt(book, 0, price=r.price)) == pytest.approx(1, rel=1e-9)


@given(positions(), st.floats(min_value=0.01, max_value=0.99))
def test_repaying_debt_raises_health(book, share):
    """Repay the same share of every debt (one small debt among large ones may not show in a float)."""
    debts = [dict(d, amount=d["amount"] * (1 - share)) for d in book["debts"]]
    assert hf(**dict(book, debts=debts)) > hf(**book)


@given(positions(), st.floats(min_value=0.01, max_value=100))
def test_adding_collateral_raises_health(book, extra):
    collaterals = [dict(c, amount=c["amount"] * (1 + extra)) for c in book["collaterals"]]
    assert hf(**dict(book, collaterals=collaterals)) > hf(**book)


@given(positions())
def test_a_liquidation_costs_the_borrower_more_than_it_repays(book):
    r = liquidation(**book)
    assume(r.liquidatable)
    assert r.seized_value >= r.credited_value
    if book["protocol"] == "compound-v3":
        penalty = math.fsum(c["amount"] * c["price"] * (1 - c["liquidation_factor"]) for c in book["collaterals"])
        assert r.penalty_value == pytest.approx(penalty, rel=1e-9, abs=1e-9 * r.seized_value)
    else:
        c = book["collaterals"][0]
        bonus = c.get("liquidation_bonus", morpho_incentive_factor(c["liquidation_threshold"]) - 1)
        assert r.penalty_value == pytest.approx(r.repaid_value * bonus, rel=1e-9)
        if bonus > 0:
            assert r.seized_value > r.repaid_value


any_float = st.floats(allow_nan=False, allow_infinity=False)


@given(any_float, any_float, any_float, any_float, any_float, st.sampled_from(sorted(PROTOCOLS)))
def test_any_finite_floats_give_a_result_or_an_input_error(amount, price, threshold, debt_amount, debt_price, key):
    collateral = {"amount": amount, "price": price, "liquidation_threshold": threshold}
    if key.startswith("aave"):
        collateral["liquidation_bonus"] = 0.05
    elif key == "compound-v3":
        collateral["liquidation_factor"] = 0.95
    book = dict(protocol=key, collaterals=[collateral], debts=[debt(debt_amount, debt_price)])
    for call in (health_factor, price_for_liquidation, liquidation):
        try:
            result = call(**book)
        except InputError:
            continue
        for value in result.to_dict().values():
            if isinstance(value, float):
                assert math.isfinite(value)
