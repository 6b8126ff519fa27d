"""The lending widget (DeFi lending page): one collateral against one debt on Aave v3, Compound v3 or Morpho Blue.

Expected values come from the protocols' own definitions, worked by hand:
- Aave (aave.com/help/borrowing/liquidations, read 2026-12-01): health factor = collateral x liquidation
  threshold / debt; "$10,000 in ETH with an 80% liquidation threshold and borrows $6,000 in GHO, the health
  factor would be 1.333". Close factor (Aave-v3.3-features.md): half of the debt above a health factor of 0.95.
- Compound v3 (docs.compound.finance/liquidation/): absorb takes all collateral and credits value x
  liquidationFactor; the debt is cleared and any excess is left to the borrower.
- Morpho Blue (docs.morpho.org/concepts/morpho-blue/core-concepts/liquidation/): LIF = min(1.15, 1 / (0.3 x LLTV
  + 0.7)); a liquidator may repay the whole debt.
"""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators.web import api, registry
from calculators.web.lending import FIELDS

DEFAULTS = registry.get("lending").defaults()


def _respond(**values: str) -> dict:
    return api.handle({"widget": "lending", "values": {**DEFAULTS, **values}})


def _out(html: str, key: str) -> float:
    found = re.search(rf'data-out="{key}" data-value="([^"]+)"', html)
    assert found, key
    return float(found.group(1))


def test_defaults_are_aaves_worked_example():
    assert float(DEFAULTS["collateral_amount"]) * float(DEFAULTS["collateral_price"]) == 10_000
    assert DEFAULTS["liquidation_threshold"] == "80" and float(DEFAULTS["debt_amount"]) == 6_000
    response = _respond()
    assert response["ok"], response["errors"]
    assert round(_out(response["html"], "health_factor"), 3) == 1.333
    assert ">1.333<" in response["html"]


@pytest.mark.parametrize("protocol", ["aave-v3", "compound-v3", "morpho-blue"])
@pytest.mark.parametrize(("amount", "price", "threshold", "debt"), [(5, 2_000, 80, 6_000), (2, 30_000, 70, 20_000)])
def test_health_factor_and_liquidation_price_follow_the_algebra(protocol, amount, price, threshold, debt):
    html = _respond(
        protocol=protocol,
        collateral_amount=str(amount),
        collateral_price=str(price),
        liquidation_threshold=str(threshold),
        debt_amount=str(debt),
    )["html"]
    lt = threshold / 100
    assert _out(html, "health_factor") == pytest.approx(amount * price * lt / debt)
    assert _out(html, "loan_to_value") == pytest.approx(debt / (amount * price))
    trigger = debt / (amount * lt)
    assert _out(html, "price") == pytest.approx(trigger)
    assert _out(html, "move") == pytest.approx(1 - trigger / price)


def test_a_rising_debt_price_liquidates_at_weighted_collateral_over_debt_amount():
    html = _respond(moving="debt", debt_amount="3", debt_price="2000", collateral_amount="10000", collateral_price="1")[
        "html"
    ]
    trigger = 10_000 * 0.8 / 3
    assert _out(html, "price") == pytest.approx(trigger)
    assert _out(html, "move") == pytest.approx(trigger / 2_000 - 1)
    assert "Room to rise" in html


def test_aave_liquidation_at_the_trigger_repays_half_and_takes_the_bonus():
    html = _respond()["html"]
    assert _out(html, "repaid_value") == pytest.approx(3_000)
    assert _out(html, "seized_value") == pytest.approx(3_000 * 1.05)
    assert _out(html, "penalty_value") == pytest.approx(150)


def test_compound_absorb_takes_everything_and_credits_the_liquidation_factor():
    html = _respond(protocol="compound-v3", liquidation_penalty="7")["html"]
    collateral_at_trigger = 6_000 / 0.8  # the collateral is worth debt / threshold at the trigger
    assert _out(html, "repaid_value") == pytest.approx(6_000)
    assert _out(html, "seized_value") == pytest.approx(collateral_at_trigger)
    assert _out(html, "penalty_value") == pytest.approx(collateral_at_trigger * 0.07)
    assert _out(html, "returned_value") == pytest.approx(collateral_at_trigger * 0.93 - 6_000)


def test_morpho_repays_the_whole_debt_with_the_incentive_from_the_lltv():
    html = _respond(protocol="morpho-blue", liquidation_penalty="")["html"]
    lif = min(1.15, 1 / (0.3 * 0.8 + 0.7))
    assert _out(html, "repaid_value") == pytest.approx(6_000)
    assert _out(html, "seized_value") == pytest.approx(6_000 * lif)


def test_an_already_liquidatable_loan_says_so_and_shows_todays_liquidation():
    html = _respond(debt_amount="8100")["html"]
    assert _out(html, "health_factor") < 1 and "liquidatable now" in html
    assert _out(html, "move") == 0
    assert "at today's prices" in html


def _markers(html: str, key: str) -> list[tuple[float, float]]:
    """(price, health factor) of the chart's markers of one kind."""
    return [
        (float(x), float(y))
        for x, y in re.findall(rf'class="marker marker-{key}"[^>]*data-value="([^"]+)" data-y-value="([^"]+)"', html)
    ]


@pytest.mark.parametrize(
    ("values", "today", "trigger"),
    [
        ({}, 2_000, 6_000 / (5 * 0.8)),  # Aave's example: HF 1 at debt / (amount x threshold) = 1,500
        # ETH-priced debt moving: HF 1 at weighted collateral / debt amount = 8,000 / 3
        ({"moving": "debt", "debt_amount": "3", "debt_price": "2000"}, 2_000, 10_000 * 0.8 / 3),
    ],
)
def test_the_chart_marks_today_and_the_liquidation_price_the_figures_give(values, today, trigger):
    html = _respond(**values)["html"]
    assert html.count('<figure class="chart chart-health"') == 1
    assert _markers(html, "entry") == [(today, pytest.approx(_out(html, "health_factor")))]
    ((price, hf),) = _markers(html, "liquidation")
    assert price == pytest.approx(trigger) and price == _out(html, "price") and hf == 1


def test_a_zero_debt_is_a_field_error_not_an_empty_chart():
    response = _respond(debt_amount="0")
    assert not response["ok"] and set(response["errors"]) == {"debt_amount"}


def test_the_convention_and_its_sources_are_shown():
    html = _respond(protocol="compound-v3")["html"]
    assert 'data-out="convention"' in html and "Compound v3" in html
    assert 'href="https://docs.compound.finance/liquidation/"' in html


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"collateral_amount": "0"}, "collateral_amount"),
        ({"collateral_price": "-1"}, "collateral_price"),
        ({"liquidation_threshold": "100"}, "liquidation_threshold"),
        ({"liquidation_penalty": ""}, "liquidation_penalty"),  # Aave needs its bonus
        ({"liquidation_penalty": "30"}, "liquidation_penalty"),  # 80 % x 1.30 > 100 %: Aave refuses
        ({"protocol": "compound-v3", "liquidation_penalty": ""}, "liquidation_penalty"),
        ({"debt_amount": "abc"}, "debt_amount"),
        ({"debt_price": "0"}, "debt_price"),
        ({"protocol": "maker"}, "protocol"),
        ({"moving": "both"}, "moving"),
    ],
)
def test_each_bad_field_is_an_error_on_that_field(values, field):
    response = _respond(**values)
    assert not response["ok"] and field in response["errors"], response["errors"]
    assert "_" not in response["errors"]


def test_morpho_ignores_a_penalty_it_does_not_use():
    assert _respond(protocol="morpho-blue", liquidation_penalty="50")["ok"]


EXTREME_TEXT = ["1e308", "-1e308", "1e-300", "5e-324", "1e400", "1.7976931348623157e308", "0", "-0", "", "nan"]
NUMBERS = [f.name for f in FIELDS if f.kind == "number"]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["aave-v3", "compound-v3", "morpho-blue"]),
    st.sampled_from(["collateral", "debt"]),
    st.fixed_dictionaries({}, optional={name: st.sampled_from(EXTREME_TEXT) for name in NUMBERS}),
)
def test_extreme_strings_give_ok_or_field_errors(protocol, moving, numbers):
    answer = api.handle(
        {"widget": "lending", "values": {**DEFAULTS, "protocol": protocol, "moving": moving, **numbers}}
    )
    json.dumps(answer, allow_nan=False)
    if answer["ok"]:
        assert not re.search(r"\b(inf|infinity|nan)\b", answer["html"], re.IGNORECASE)
    else:
        assert answer["errors"] and "_" not in answer["errors"], answer["errors"]
