"""The position-sizing page's averaging-down example, checked by algebra (issue 9, item 8).

The page's figures come from `build_position`; here they are worked by hand from Binance's
published cross/isolated formula, P = (M - TMM + UPNL + cum - s*Q*E) / (Q*m - s*Q), with the
average entry sum(q*p) / sum(q), so a wrong engine or a wrong macro fails this test.
"""

import pytest

from calculators import formatting
from calculators.scenarios import AVERAGING_DOWN, TEACHING
from tests.site_html import all_pages


@pytest.fixture(scope="module")
def figures(built_site):
    page = all_pages(built_site)["position-sizing/"]
    found = {}
    for spec, text in page.figures:
        if spec["fn"] == "build_position":
            found[(spec["field"], spec["args"]["margin_mode"], spec["row"])] = text
    return found


def _binance_long(margin: float, quantity: float, entry: float) -> float:
    m = TEACHING.maintenance_margin_rate
    return (margin - quantity * entry) / (quantity * m - quantity)


Q0, E0 = TEACHING.quantity, TEACHING.entry_price
Q1 = Q0 + AVERAGING_DOWN.add_quantity
E1 = (Q0 * E0 + AVERAGING_DOWN.add_quantity * AVERAGING_DOWN.add_price) / Q1
MARGIN0 = Q0 * E0 / AVERAGING_DOWN.leverage
MARGIN1 = MARGIN0 + AVERAGING_DOWN.add_quantity * AVERAGING_DOWN.add_price / AVERAGING_DOWN.leverage


def test_the_average_entry_is_value_weighted(figures):
    assert figures[("entry_price", "cross", 1)] == formatting.price(E1)
    assert figures[("entry_price", "isolated", 1)] == formatting.price(E1)


def test_cross_margin_adding_pulls_the_liquidation_price_up(figures):
    wallet = AVERAGING_DOWN.cross_wallet
    before, after = _binance_long(wallet, Q0, E0), _binance_long(wallet, Q1, E1)
    assert figures[("liquidation_price", "cross", 0)] == formatting.price(before)
    assert figures[("liquidation_price", "cross", 1)] == formatting.price(after)
    assert after > before


def test_isolated_fresh_margin_moves_it_away_but_puts_more_margin_at_risk(figures):
    before, after = _binance_long(MARGIN0, Q0, E0), _binance_long(MARGIN1, Q1, E1)
    assert figures[("liquidation_price", "isolated", 0)] == formatting.price(before)
    assert figures[("liquidation_price", "isolated", 1)] == formatting.price(after)
    assert figures[("margin", "isolated", 0)] == formatting.amount(MARGIN0)
    assert figures[("margin", "isolated", 1)] == formatting.amount(MARGIN1)
    assert after < before and MARGIN1 > MARGIN0
