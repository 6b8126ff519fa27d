"""The four published tables, checked cell by cell against the venues' closed-form formulas.

The formulas are written out here from the venues' documentation (see
/work/shared/brief/liquidation-math.md and the pages cited below); nothing here calls the engine.
Inputs are the stated scenario (calculators/scenarios.py) and the tables' own stated constants.
Each displayed cell is compared within half a unit of its last printed digit.
"""

import re

import pytest

from calculators.scenarios import TEACHING
from macros.tables import COMPARISON_FEE, COMPARISON_LEVERAGE

from .site_html import all_pages

E = TEACHING.entry_price
Q = TEACHING.quantity
m = TEACHING.maintenance_margin_rate
assert TEACHING.venue == "binance"  # the tables below are stated under Binance's convention


@pytest.fixture(scope="module")
def pages(built_site):
    return all_pages(built_site)


def tables_named(pages, name):
    found = [(url, page.tables[name]) for url, page in pages.items() if name in page.tables]
    assert found, f"no page publishes the {name} table"
    return found


def number(cell: str) -> float:
    """'54,216.87' -> 54216.87; '-20.00% of the margin' -> -0.2 (percentages become fractions)."""
    match = re.search(r"-?[\d,]+(?:\.\d+)?%?", cell)
    assert match, cell
    text = match.group(0).replace(",", "")
    return float(text.rstrip("%")) / 100 if text.endswith("%") else float(text)


def tolerance(cell: str) -> float:
    """Half a unit of the last printed digit, in the cell's own units (fractions for percentages)."""
    text = re.search(r"-?[\d,]+(?:\.(\d+))?%?", cell)
    assert text, cell
    decimals = len(text.group(1) or "")
    unit = 10.0**-decimals / 2
    return unit / 100 + 1e-12 if text.group(0).endswith("%") else unit + 1e-9


def shows(cell: str, expected: float) -> bool:
    return abs(number(cell) - expected) <= tolerance(cell)


# --- one 10x long under each venue's convention ------------------------------------------------


def _long_liquidation(venue: str, lev: float, f: float) -> tuple[float, float]:
    """(liquidation price, bankruptcy price) of an isolated linear long with margin = Q*E/L.

    - Binance FAQ b3c689c1f50a44cabb3a84e663b81d93: long P = (Q*E - M - cum) / (Q*(1 - m)), cum 0.
      dYdX (docs.dydx.exchange, margin) and Hyperliquid (docs, liquidations) have the same form with
      no deduction; Bybit UTA (help centre, isolated mode) has the fee to close in both IM and MM,
      where it cancels, so the same form again.
    - Bybit classic USDT contract (help centre 'Liquidation Price (USDT Contract)'): maintenance on the
      entry value, P = E - (IM - MM)/Q with IM = Q*E/L and MM = Q*E*m.
    - OKX and Gate (Gate help 27724): P = (E - M/Q) / (1 - (m + f)).
    - Phemex (help centre 'liq-price-for-USDTM'): balance = Q*E/L + close fee at the bankruptcy value,
      P = (Q*E - balance) / (1 - f - m) / Q.
    The bankruptcy price is where the margin is used up: P_b = E - M/Q.
    """
    margin = Q * E / lev
    if venue == "phemex":
        margin += f * Q * E * (1 - 1 / lev)
    bankrupt = E - margin / Q
    if venue in ("binance", "bybit-uta", "dydx", "hyperliquid"):
        price = bankrupt / (1 - m)
    elif venue == "bybit":
        price = E - (Q * E / lev - Q * E * m) / Q
    elif venue in ("okx", "gate"):
        price = bankrupt / (1 - (m + f))
    elif venue == "phemex":
        price = (Q * E - margin) / (1 - f - m) / Q
    else:
        raise AssertionError(f"no closed form written for {venue}")
    return price, bankrupt


VENUE_KEYS = {
    "Binance": "binance",
    "Bybit (classic USDT contract)": "bybit",
    "Bybit Unified Trading Account": "bybit-uta",
    "OKX": "okx",
    "Gate": "gate",
    "dYdX": "dydx",
    "Hyperliquid": "hyperliquid",
    "Phemex": "phemex",
}


def test_venue_comparison_matches_each_venues_formula(pages):
    for url, table in tables_named(pages, "venue-comparison"):
        body = table[1:]
        assert sorted(row[0] for row in body) == sorted(VENUE_KEYS), url
        for name, price_cell, move_cell, bankrupt_cell, _ in body:
            price, bankrupt = _long_liquidation(VENUE_KEYS[name], COMPARISON_LEVERAGE, COMPARISON_FEE)
            assert shows(price_cell, price), (url, name, price_cell, price)
            assert shows(move_cell, 1 - price / E), (url, name, move_cell)
            assert shows(bankrupt_cell, bankrupt), (url, name, bankrupt_cell, bankrupt)


def test_fee_reserving_venues_liquidate_sooner_than_binance(pages):
    """A property of the formulas, not a number: reserving the closing fee raises a long's price."""
    _, table = tables_named(pages, "venue-comparison")[0]
    prices = {row[0]: number(row[1]) for row in table[1:]}
    assert prices["OKX"] == prices["Gate"] > prices["Binance"]


# --- linear vs inverse --------------------------------------------------------------------------


def test_linear_vs_inverse_matches_the_closed_forms(pages):
    """Linear, Binance USDⓈ-M: long P = E(1 - 1/L)/(1 - m), short P = E(1 + 1/L)/(1 + m).
    Inverse with maintenance on the mark value (Bybit UTA inverse, help centre; Binance COIN-M has
    the same form without a deduction): long P = E(1 + m)/(1 + 1/L), short P = E(1 - m)/(1 - 1/L)."""
    for url, table in tables_named(pages, "linear-vs-inverse"):
        assert table[0] == ["Leverage", "Linear long", "Linear short", "Inverse long", "Inverse short"]
        for row in table[1:]:
            lev = float(row[0].rstrip("x"))
            expected = (
                1 - (1 - 1 / lev) / (1 - m),
                (1 + 1 / lev) / (1 + m) - 1,
                1 - (1 + m) / (1 + 1 / lev),
                (1 - m) / (1 - 1 / lev) - 1,
            )
            for cell, value in zip(row[1:], expected, strict=True):
                assert shows(cell, value), (url, row[0], cell, value)
            assert number(row[3]) < number(row[1]), "an inverse long survives a smaller fall"


# --- spot vs leveraged --------------------------------------------------------------------------


def test_spot_vs_leveraged_matches_the_arithmetic(pages):
    for url, table in tables_named(pages, "spot-vs-leveraged"):
        header, body = table[0], table[1:]
        lev_match = re.match(r"([\d.]+)x", header[2])
        assert lev_match, header
        lev = float(lev_match.group(1))
        threshold = 1 - (1 - 1 / lev) / (1 - m)  # Binance isolated long, as above
        for fall_cell, spot_cell, leveraged_cell in body:
            fall = number(fall_cell)
            assert shows(spot_cell, -fall), (url, spot_cell)
            if fall >= threshold:
                assert leveraged_cell.startswith("Liquidated"), (url, fall_cell, leveraged_cell)
            else:
                # the loss Q*E*fall taken from a margin of Q*E/L
                assert shows(leveraged_cell, -fall * lev), (url, fall_cell, leveraged_cell)
        assert any(number(r[0]) < threshold for r in body) and any(number(r[0]) >= threshold for r in body)


# --- one trade's path to liquidation -------------------------------------------------------------


def test_liquidation_path_matches_the_arithmetic(pages):
    """Isolated 10x long, margin Q*E/10: equity = margin - Q*E*move, maintenance = m*Q*price (Binance),
    margin ratio = maintenance / equity (Binance's 'Liquidation Protocols' page), 100% at the end."""
    for url, table in tables_named(pages, "liquidation-path"):
        body = table[1:]
        lev = 10  # the path table's stated leverage (its note: "A 10x long")
        margin = Q * E / lev
        threshold = 1 - (1 - 1 / lev) / (1 - m)
        assert body[-1][0] == "Liquidation triggers"
        for i, (label, price_cell, move_cell, equity_cell, maintenance_cell, ratio_cell) in enumerate(body):
            # the steps before the trigger are round moves; the last one is the closed-form threshold
            move = threshold if i == len(body) - 1 else number(move_cell)
            assert shows(move_cell, move), (url, move_cell)
            price = E * (1 - move)
            equity = margin - Q * E * move
            maintenance = m * Q * price
            assert shows(price_cell, price), (url, label, price_cell, price)
            assert shows(equity_cell, equity), (url, label, equity_cell, equity)
            assert shows(maintenance_cell, maintenance), (url, label, maintenance_cell, maintenance)
            assert shows(ratio_cell, maintenance / equity), (url, label, ratio_cell)
        assert body[-1][5] == "100.0%"
        ratios = [number(r[5]) for r in body]
        assert ratios == sorted(ratios), "the margin ratio only rises on the way down"


def test_the_table_reader_parses_what_it_claims():
    assert number("54,216.87") == pytest.approx(54216.87)
    assert number("-20.00% of the margin") == pytest.approx(-0.2)
    assert tolerance("9.64%") == pytest.approx(0.00005, rel=1e-6)
    assert not shows("9.64%", 0.0965)
