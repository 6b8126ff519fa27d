"""Every venue's own worked examples, reproduced to the precision the venue prints.

Rules for this file:
- Each expected value is a number printed by the venue (help centre, docs, blog, or in one case
  its API), never a number copied from our engine. Where the venue renders its example as an image
  or the stored copy of the page was cut short, the test names the public transcription it was read
  from, next to the venue's own page.
- Inputs are the venue's, translated into `liquidation_price` arguments; every translation that is
  not literally on the page (e.g. "isolated wallet = the cross wallet of a single position") is
  spelled out next to it.
- A section at the end, "documented formulas", covers venues for which no printed worked example
  could be found: there the expected value is the venue's published formula evaluated on the
  venue's own example inputs, and it says so.
- A mismatch is kept as the venue documents it and marked `xfail(strict=True)` with the reason,
  pending a convention change in calculators/ (see the reasons).
"""

import math
from itertools import pairwise

import pytest

from calculators import TIER_PRESETS, InputError, liquidation_price
from calculators.tiers import resolve as resolve_tiers


def cents(value: float | None) -> float:
    """A price as the venues print it in USDT: rounded to the cent. Every example here has one."""
    assert value is not None, "the venue's example has a price; the engine found none"
    return round(value, 2)


# ---------------------------------------------------------------------------------------------
# Binance (USDⓈ-M linear; the formula is one equation for isolated and cross)
# ---------------------------------------------------------------------------------------------

# Binance FAQ "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts",
# https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93
#   LP = (WB - TMM1 + UPNL1 + cumB - Side*Position*EP) / (Position*MMR - Side*Position)
# The page's worked example (a two-position cross account) is an image. Its inputs and results are
# transcribed in freqtrade, tests/exchange/test_binance.py::test_liquidation_price_binance
# (github.com/freqtrade/freqtrade) and in freqtrade's first leverage test (TMM1/UPNL1 as printed),
# and the inputs alone in a jesse strategy comment quoting the same FAQ:
#   WB 1,535,443.01 USDT; BTCUSDT long 109.488 @ 32,481.98 (mark 31,967.27, MMR 2.5 %, cum 16,300);
#   ETHUSDT long 3,683.979 @ 1,456.84 (mark 1,335.18, MMR 10 %, cum 135,365).
BINANCE_WB = 1_535_443.01


def test_binance_cross_ethusdt_with_other_position_tmm_upnl_and_cum():
    """Binance USDⓈ-M FAQ example, contract 1 = ETHUSDT: TMM1 = 71,200.81144, UPNL1 = -56,354.57
    (both the BTCUSDT position's), cumB = 135,365, MMR 10 % -> LP 1,153.26 USDT."""
    r = liquidation_price(
        venue="binance",
        side="long",
        margin_mode="cross",
        entry_price=1_456.84,
        quantity=3_683.979,
        margin=BINANCE_WB,
        maintenance_margin_rate=0.10,
        maintenance_amount=135_365,
        other_maintenance=71_200.81144,
        other_unrealized_pnl=-56_354.57,
    )
    assert cents(r.price) == 1_153.26


def test_binance_cross_btcusdt_with_other_position_tmm_upnl_and_cum():
    """Same FAQ example, contract 1 = BTCUSDT: TMM1 = 356,512.508, UPNL1 = -448,192.89 (the
    ETHUSDT position's), cumB = 16,300, MMR 2.5 % -> LP 26,316.89 USDT."""
    r = liquidation_price(
        venue="binance",
        side="long",
        margin_mode="cross",
        entry_price=32_481.98,
        quantity=109.488,
        margin=BINANCE_WB,
        maintenance_margin_rate=0.025,
        maintenance_amount=16_300,
        other_maintenance=356_512.508,
        other_unrealized_pnl=-448_192.89,
    )
    assert cents(r.price) == 26_316.89


def test_binance_example_tmm_and_upnl_follow_binance_definitions():
    """The example's TMM1/UPNL1 are Binance's own definitions applied to the other position:
    MM = notional at mark * MMR - cum; UPNL = size * (mark - entry). (No engine involved: this pins
    the transcribed inputs to the page's definitions.)"""
    btc_mm = 109.488 * 31_967.27 * 0.025 - 16_300
    btc_upnl = 109.488 * (31_967.27 - 32_481.98)
    eth_mm = 3_683.979 * 1_335.18 * 0.10 - 135_365
    eth_upnl = 3_683.979 * (1_335.18 - 1_456.84)
    assert round(btc_mm, 2) == round(71_200.81144, 2)
    assert cents(btc_upnl) == -56_354.57
    assert round(eth_mm, 1) == round(356_512.508, 1)
    assert cents(eth_upnl) == -448_192.89


# Binance FAQ https://binance.com/en/support/faq/25edcd7fe0e544839d0847b8cbb2e400 (article on
# avoiding liquidation: margin ratio, stop-loss, not adding to losing positions):
#   "Assume you have a wallet balance of 500 USDT. You entered a long BTCUSDT position worth
#    1,000 USDT with 20x leverage at $50,000. In this example, your liquidation price will be
#    $25,100.40."  (Size 1,000 / 50,000 = 0.02 BTC; bracket 1 of BTCUSDT: MMR 0.4 %, cum 0.)
def test_binance_cross_single_position_wallet_500():
    r = liquidation_price(
        venue="binance",
        side="long",
        margin_mode="cross",
        entry_price=50_000,
        quantity=0.02,
        margin=500,
        maintenance_margin_rate=0.004,
    )
    assert cents(r.price) == 25_100.40


def test_binance_isolated_same_position_isolated_wallet_500():
    """Isolated form of the same example. The USDⓈ-M FAQ's note: 'In Isolated margin mode, WB is
    isolatedWalletBalance of the isolated position, TMM=0, UPNL=0' -- so an isolated wallet of
    500 USDT on the same position gives the same printed $25,100.40."""
    r = liquidation_price(
        venue="binance",
        side="long",
        margin_mode="isolated",
        entry_price=50_000,
        quantity=0.02,
        margin=500,
        maintenance_margin_rate=0.004,
    )
    assert cents(r.price) == 25_100.40


def test_binance_example_with_the_shipped_btcusdt_brackets():
    """The shipped preset must reproduce the same printed $25,100.40: a 1,000 USDT position sits in
    bracket 1 (0.40 %, cum 0) and stays there at the liquidation price."""
    r = liquidation_price(
        venue="binance",
        side="long",
        margin_mode="cross",
        entry_price=50_000,
        quantity=0.02,
        margin=500,
        tiers="binance-btcusdt-2024-10",
    )
    assert cents(r.price) == 25_100.40
    assert r.tier is not None and r.tier.rate == 0.004 and r.tier.amount == 0


def test_binance_maintenance_amount_formula_example():
    """USDⓈ-M FAQ: 'the Maintenance Amount on Level 3 = 250,000 * (1% - 0.5%) + 50 USDT = 1,300
    USDT'; 'if the position size ... is 264,000 USDT, then the maintenance margin rate would be
    1%'; '500,000 USDT ... maintenance amount would be 1,300 USDT'. Bracket table of that page
    (levels 1-3) given without the level-3 amount, which our tier loader derives."""
    table = resolve_tiers(
        "binance",
        [
            {"floor": 0, "cap": 50_000, "max_leverage": 125, "maintenance_margin_rate": 0.004, "maintenance_amount": 0},
            {
                "floor": 50_000,
                "cap": 250_000,
                "max_leverage": 100,
                "maintenance_margin_rate": 0.005,
                "maintenance_amount": 50,
            },
            {"floor": 250_000, "cap": 1_000_000, "max_leverage": 50, "maintenance_margin_rate": 0.01},
        ],
    )
    assert table.tiers[2].amount == pytest.approx(1_300)
    assert table.at(264_000).rate == 0.01
    assert table.at(500_000).amount == pytest.approx(1_300)


def test_binance_coinm_maintenance_amount_formula_example():
    """Binance FAQ 'How to Calculate Liquidation Price of COIN-M Futures Contracts',
    https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46 :
    'the BTCUSD Maintenance Amount on Level 5 = 50 BTC * (5% - 2.5%) + 0.56 BTC = 1.81 BTC'.
    (Brackets in BTC; only the two levels the example uses.)"""
    table = resolve_tiers(
        "binance",
        [
            {"floor": 0, "cap": 50, "max_leverage": 20, "maintenance_margin_rate": 0.025, "maintenance_amount": 0.56},
            {"floor": 50, "cap": 100, "max_leverage": 10, "maintenance_margin_rate": 0.05},
        ],
    )
    assert round(table.tiers[1].amount, 2) == 1.81


def test_binance_shipped_preset_obeys_binances_maintenance_amount_formula():
    """Binance's documented rule 'Maintenance Amount on level n = floor_n * (MMR_n - MMR_n-1) +
    amount_n-1' holds for every bracket of the shipped BTCUSDT preset, and bracket 1 is 125x."""
    tiers = TIER_PRESETS["binance-btcusdt-2024-10"].tiers
    assert tiers[0].max_leverage == 125 and tiers[0].amount == 0
    for prev, cur in pairwise(tiers):
        assert cur.floor == prev.cap
        assert cur.amount == pytest.approx(cur.floor * (cur.rate - prev.rate) + prev.amount)


# ---------------------------------------------------------------------------------------------
# Bybit, classic USDT perpetual (maintenance on entry value)
# ---------------------------------------------------------------------------------------------

# Bybit Help Center "Liquidation Price (USDT Contract)",
# https://www.bybit.com/en/help-center/article/Liquidation-Price-USDT-Contract (read from the
# copy at testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract; examples
# 2 and 3 are cut from that stored copy and were read from the transcriptions roedsa.com/3218.html
# and wuyelx.com/4039.html of the same page):
#   LP(long)  = Entry - (IM - MM)/Size - Extra/Size;  LP(short) = Entry + (IM - MM)/Size + Extra/Size
#   IM = Value/leverage, MM = Value*MMR - deduction.


def test_bybit_example_1_long_20000_50x():
    """'Trader A placed a long entry of 1 BTC at 20,000 USDT with 50x leverage ... MMR 0.5% ...
    Initial Margin = 400 USDT, Maintenance Margin = 100 USDT, LP = 19,700 USDT'."""
    r = liquidation_price(
        venue="bybit", side="long", entry_price=20_000, quantity=1, leverage=50, maintenance_margin_rate=0.005
    )
    assert cents(r.initial_margin) == 400
    assert cents(r.maintenance_margin) == 100
    assert cents(r.price) == 19_700


def test_bybit_example_2_short_with_3000_extra_margin():
    """'Trader B ... sells 1 BTC at 20,000 USDT with 50x leverage and later adds 3,000 USDT in
    margin' -> 'New Liquidation Price = 23,300 USDT'."""
    r = liquidation_price(
        venue="bybit",
        side="short",
        entry_price=20_000,
        quantity=1,
        leverage=50,
        maintenance_margin_rate=0.005,
        extra_margin=3_000,
    )
    assert cents(r.price) == 23_300


def test_bybit_example_3_funding_fee_paid_from_position_margin():
    """Example 1's long 'accrues 200 USDT in funding fees but has no available balance' (the fee
    is taken from position margin) -> 'Adjusted Liquidation Price = 19,900 USDT'."""
    r = liquidation_price(
        venue="bybit",
        side="long",
        entry_price=20_000,
        quantity=1,
        leverage=50,
        maintenance_margin_rate=0.005,
        funding_paid=200,
    )
    assert cents(r.price) == 19_900


# The older edition of the same article, https://help.bybit.com/hc/en-us/articles/900000181046-Liquidation-Price-USDT-Contract-
#   "Trader place a long entry of 1 BTC at 10,000 USDT with 50x leverage ... = 9,850 USDT"
#   "Trader place a short entry of 1 BTC at 8,000USDT with 40x leverage ... = 8160 USDT"
@pytest.mark.parametrize(
    "side, entry, leverage, expected",
    [
        ("long", 10_000, 50, 9_850),
        ("short", 8_000, 40, 8_160),
    ],
)
def test_bybit_older_edition_examples(side, entry, leverage, expected):
    r = liquidation_price(
        venue="bybit", side=side, entry_price=entry, quantity=1, leverage=leverage, maintenance_margin_rate=0.005
    )
    assert cents(r.price) == expected


def test_bybit_bankruptcy_price_example():
    """Bybit Help Center 'Bankruptcy Price (USDT Contract)' (listed in bybitx.global help search):
    '1BTC Long position with an entry price at 10,000USDT, leverage is 50x. Bankruptcy Price =
    10,000 x (1 - 2%) = 9,800 USDT'."""
    r = liquidation_price(
        venue="bybit", side="long", entry_price=10_000, quantity=1, leverage=50, maintenance_margin_rate=0.005
    )
    assert cents(r.bankruptcy_price) == 9_800


def test_bybit_example_1_with_the_shipped_btcusdt_risk_limits():
    """Example 1 priced through the shipped preset instead of a bare 0.5 %: a 20,000 USDT position
    is in risk-limit tier 1 (0.5 %, deduction 0), so the printed 19,700 USDT must come out."""
    r = liquidation_price(
        venue="bybit", side="long", entry_price=20_000, quantity=1, leverage=50, tiers="bybit-btcusdt-2026-08"
    )
    assert cents(r.price) == 19_700


def test_bybit_shipped_preset_matches_bybits_margin_parameters_page():
    """Bybit 'Margin Parameters', https://www.bybit.com/en/announcement-info/margin-parameters
    (read from the copy bybitx.global/pt-PT/announcement-info/margin-parameters), BTCUSDT:
    tier 1 risk limit 2,000,000, 100x, MMR 0.5 %, deduction 0; tier 2 2,600,000, 90x, 0.56 %,
    1,200; tier 3 3,200,000, 80x, 0.63 %, 3,020."""
    rows = [(t.cap, t.max_leverage, t.rate, t.amount) for t in TIER_PRESETS["bybit-btcusdt-2026-08"].tiers]
    assert rows == [
        (2_000_000, 100, 0.005, 0),
        (2_600_000, 90, 0.0056, 1_200),
        (3_200_000, 80, 0.0063, 3_020),
    ]


# ---------------------------------------------------------------------------------------------
# OKX
# ---------------------------------------------------------------------------------------------


def test_okx_calculator_example_long_cross():
    """OKX help article on calculating the liquidation price with the futures calculator (read from
    the transcription deveab.com/7216.html): 'Contract (e.g., BTCUSDT perpetual) ... Leverage
    (e.g., 3x), Entry price (e.g., $60,996), Position size (e.g., 0.5 BTC), Available margin
    (e.g., $5,000 USDT) -> estimated liquidation price (e.g., $51,226.50)'.
    NOT on the page, inferred: a long in cross margin whose whole collateral is the 5,000 USDT,
    BTC-USDT-SWAP tier-1 MMR 0.4 % and the regular taker fee 0.05 % (OKX reserves the fee to close
    in the requirement: LP = (E - M/Q) / (1 - (MMR + fee))). OKX prices ticks of 0.1."""
    r = liquidation_price(
        venue="okx",
        side="long",
        margin_mode="cross",
        entry_price=60_996,
        quantity=0.5,
        margin=5_000,
        maintenance_margin_rate=0.004,
        taker_fee_rate=0.0005,
    )
    assert r.price is not None and round(r.price, 1) == 51_226.5


# ---------------------------------------------------------------------------------------------
# dYdX v4
# ---------------------------------------------------------------------------------------------

# dYdX v4 docs "Liquidations", docs/pages/concepts/trading/liquidations.mdx in
# github.com/dydxprotocol/v4-documentation (docs.dydx.exchange / docs.dydx.xyz):
#   isolated  p' = (e - s*p) / (|s|*MMF - s);  cross  p' = (e - s*p - MMR_o) / (|s|*MMF - s)


def test_dydx_isolated_short_eth_example():
    """'a trader deposits $1,000 (e = 1000) ... shorts 3 ETH (s = -3) at $3,000 ... MMF = 0.05 ...
    p' = 10000 / 3.15 ≈ 3174.60 ... remaining equity would be ... $476.2'."""
    r = liquidation_price(
        venue="dydx", side="short", entry_price=3_000, quantity=3, margin=1_000, maintenance_margin_rate=0.05
    )
    assert cents(r.price) == 3_174.60
    assert round(r.maintenance_margin, 1) == 476.2


def test_dydx_cross_short_eth_with_strk_position():
    """'deposits $1,000 ... shorts 1.5 ETH (s = -1.5) at $3,000 and buys 1,000 STRK contracts at
    $1.75 (MMF = 10% for STRK) ... MMR_o = 175 ... p' = (1000 + 4500 - 175) / 1.575 ≈ 3380.95'."""
    r = liquidation_price(
        venue="dydx",
        side="short",
        margin_mode="cross",
        entry_price=3_000,
        quantity=1.5,
        margin=1_000,
        maintenance_margin_rate=0.05,
        other_maintenance=1_000 * 1.75 * 0.10,
    )
    assert cents(r.price) == 3_380.95


# ---------------------------------------------------------------------------------------------
# Hyperliquid
# ---------------------------------------------------------------------------------------------


# Hyperliquid docs "Liquidations", https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations
#   liq_price = price - side * margin_available / position_size / (1 - l * side),
#   l = 1 / MAINTENANCE_LEVERAGE; maintenance margin = half the initial margin at max leverage.
# The page prints no numeric example. The venue-printed numbers below are Hyperliquid's own
# `liquidationPx` for real isolated positions (entry, size, isolated margin as returned by the
# API), recorded in freqtrade tests/exchange/test_hyperliquid.py::test_hyperliquid_dry_run_liquidation_price.
# Max leverage then: BTC and ETH 50x (l = 1 %), SOL 20x (l = 2.5 %). The API's margin is printed to
# 6 decimals, so agreement is to the cent, not to the API's 8 decimals.
@pytest.mark.parametrize(
    "coin, side, entry, size, margin, max_lev, api_liq_px",
    [
        ("BTC", "long", 62_739.0, 0.00077, 24.137992, 50, 31_708.03843631),
        ("BTC", "short", 68_595.0, 0.00069, 23.64871, 50, 101_849.99354283),
        ("BTC", "short", 65_536.0, 0.00099, 21.604172, 50, 86_493.46174617),
        ("BTC", "long", 66_930.0, 0.0015, 20.043862, 50, 54_108.51043771),
        ("ETH", "long", 2_545.5, 0.0329, 20.909894, 50, 1_929.23322895),
        ("SOL", "long", 173.06, 0.6, 20.735658, 20, 142.05186667),
    ],
)
def test_hyperliquid_reported_liquidation_prices(coin, side, entry, size, margin, max_lev, api_liq_px):
    r = liquidation_price(
        venue="hyperliquid",
        side=side,
        entry_price=entry,
        quantity=size,
        margin=margin,
        maintenance_margin_rate=1 / max_lev / 2,
    )
    assert cents(r.price) == cents(api_liq_px)


# ---------------------------------------------------------------------------------------------
# Phemex
# ---------------------------------------------------------------------------------------------


def test_phemex_usdt_margined_isolated_example():
    """Phemex Help Center 'Liquidation price for USDT-M perpetual contracts',
    https://phemex.com/help-center/liq-price-for-USDTM :
      'Est. Liq Price for Long position: (OpenValue - assignedPosBalance - mmAmount)/(0.9994 - MMR)/size
       assignedPosBalance = Openvalue/leverage + close fee; close fee = bankruptcy Value*takerfeerate
       OpenValue = 500x0.4x1 = 200
       assignedPosBalance = 200/5 + (200-200/5)x0.06% = 40.096
       (200-40.096-0)/(0.9994-0.01)/500 = 0.3232...'
    i.e. size 500 at 0.4, 5x, MMR 1 %, taker 0.06 %, mmAmount 0."""
    r = liquidation_price(
        venue="phemex",
        side="long",
        entry_price=0.4,
        quantity=500,
        leverage=5,
        maintenance_margin_rate=0.01,
        taker_fee_rate=0.0006,
    )
    assert round(r.initial_margin, 3) == 40.096
    assert r.price is not None and math.floor(r.price * 10_000) / 10_000 == 0.3232  # the page prints "0.3232..."


# ---------------------------------------------------------------------------------------------
# BitMEX (XBTUSD inverse)
# ---------------------------------------------------------------------------------------------


def test_bitmex_xbtusd_100x_long_example():
    """BitMEX blog 'BitMEX Insurance Fund: Your Questions Answered' (23 March 2020),
    https://blog.bitmex.com/bitmex-insurance-fund-your-questions-answered/ : a long XBTUSD at
    6,000 at 100x (1 % initial margin) has its bankruptcy price at 5,940 and, with the 0.50 %
    maintenance margin, its liquidation price at 5,970. The stored copy of the blog is cut before
    the example; the figures were read from a public research note quoting it. No fees in the
    example (taker fee 0). The blog prints whole dollars and states the bankruptcy price as '1 %
    below entry'; the inverse contract's exact prices are 5,940.59 and 5,970.15, which print as
    5,940 and 5,970 when cut to the whole dollar."""
    r = liquidation_price(
        venue="bitmex",
        side="long",
        contract="inverse",
        entry_price=6_000,
        quantity=1_000,
        leverage=100,
        maintenance_margin_rate=0.005,
    )
    assert r.price is not None and math.floor(r.price) == 5_970
    assert r.bankruptcy_price is not None and math.floor(r.bankruptcy_price) == 5_940


# ---------------------------------------------------------------------------------------------
# Documented formulas (no printed worked example found): Gate, Bybit unified account, OKX isolated
# ---------------------------------------------------------------------------------------------


def _gate_okx_formula(side, entry, size, margin, mmr, fee):
    """Gate Help 'Liquidation Price / Bankruptcy Price',
    https://www.gate.io/help/futures/futures/27724/liquidation-price-bankruptcy-price (quoted in
    freqtrade freqtrade/exchange/exchange.py::dry_run_liquidation_price, and in a Gate support reply
    on gate.com/post/status/3870211):
      'Liquidation Price = (Entry Price ± Margin / Contract Multiplier / Size) /
       [1 ± (Maintenance Margin Ratio + Taker Rate)]', '-' for long, '+' for short.
    freqtrade applies the same formula to OKX isolated USDT-margined swaps
    (OKX 'Introduction to the isolated mode', okx.com/support/hc/en-us/articles/360053909592)."""
    if side == "long":
        return (entry - margin / size) / (1 - (mmr + fee))
    return (entry + margin / size) / (1 + (mmr + fee))


@pytest.mark.parametrize("venue", ["gate", "okx"])
@pytest.mark.parametrize("side", ["long", "short"])
def test_gate_and_okx_match_their_published_formula(venue, side):
    """Inputs: Gate's support reply quotes a taker rate of 0.075 %; BTC_USDT tier-1 MMR 0.40 % from
    Gate 'Risk Limit Explanation' (gate.com/help/futures/futures-logic/22162). Position: 0.5 BTC at
    60,000 with 3,000 USDT margin (10x)."""
    expected = _gate_okx_formula(side, 60_000, 0.5, 3_000, 0.004, 0.00075)
    r = liquidation_price(
        venue=venue,
        side=side,
        entry_price=60_000,
        quantity=0.5,
        margin=3_000,
        maintenance_margin_rate=0.004,
        taker_fee_rate=0.00075,
    )
    assert cents(r.price) == cents(expected)


# Bybit Help Center "Liquidation Price Calculation under Isolated Mode (Unified Trading Account)",
# https://www.bybit.com/en/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account
# (read from the copy www.kbybit.com/en/help-center/article/..., "Last updated on 2026-05-27"),
# section "Inverse Perpetual and Expiry Contracts":
#   LP(long)  = [Size x (MMR + 1)] / [Size/Entry + Size/Entry/Leverage + Extra/(1 + Taker) + MM Deduction]
#   LP(short) = [Size x (1 - MMR)] / [Size/Entry - Size/Entry/Leverage - Extra/(1 - Taker) - MM Deduction]
# The stored copies are cut before the page's USDT section and before the printed result of its
# example, so no printed number could be checked. Inputs below are the page's example ("60,000 USD
# of BTCUSD ... at 50,000 USD with 10x leverage ... MMR 0.5%"), with Bybit's 0.055 % taker fee.
UTA_Q, UTA_E, UTA_L, UTA_MMR, UTA_FEE = 60_000, 50_000, 10, 0.005, 0.00055


def _uta_inverse_formula(side, extra):
    if side == "long":
        return UTA_Q * (UTA_MMR + 1) / (UTA_Q / UTA_E + UTA_Q / UTA_E / UTA_L + extra / (1 + UTA_FEE))
    return UTA_Q * (1 - UTA_MMR) / (UTA_Q / UTA_E - UTA_Q / UTA_E / UTA_L - extra / (1 - UTA_FEE))


@pytest.mark.parametrize("side", ["long", "short"])
def test_bybit_uta_inverse_isolated_matches_published_formula(side):
    r = liquidation_price(
        venue="bybit-uta",
        side=side,
        contract="inverse",
        entry_price=UTA_E,
        quantity=UTA_Q,
        leverage=UTA_L,
        maintenance_margin_rate=UTA_MMR,
        taker_fee_rate=UTA_FEE,
    )
    assert cents(r.price) == cents(_uta_inverse_formula(side, 0.0))


@pytest.mark.parametrize("side", ["long", "short"])
def test_bybit_uta_inverse_isolated_extra_margin_matches_published_formula(side):
    r = liquidation_price(
        venue="bybit-uta",
        side=side,
        contract="inverse",
        entry_price=UTA_E,
        quantity=UTA_Q,
        leverage=UTA_L,
        maintenance_margin_rate=UTA_MMR,
        taker_fee_rate=UTA_FEE,
        extra_margin=0.05,
    )
    assert cents(r.price) == cents(_uta_inverse_formula(side, 0.05))


@pytest.mark.parametrize("side, s", [("long", 1), ("short", -1)])
def test_hyperliquid_matches_its_published_formula(side, s):
    """Hyperliquid 'Liquidations' formula with margin_available = isolated_margin -
    maintenance_margin_required (at entry), l = 1/(2*40) for BTC at 40x (l_maint below). 0.1 BTC at
    100,000, 10x (1,000 USDC isolated margin)."""
    entry, size, margin, lev_max = 100_000, 0.1, 1_000, 40
    l_maint = 1 / lev_max / 2
    margin_available = margin - size * entry * l_maint
    expected = entry - s * margin_available / size / (1 - l_maint * s)
    r = liquidation_price(
        venue="hyperliquid", side=side, entry_price=entry, quantity=size, margin=margin, maintenance_margin_rate=l_maint
    )
    assert cents(r.price) == cents(expected)


# ---------------------------------------------------------------------------------------------
# Maximum leverage for the BTC perpetual, as the venues document it
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "venue, documented_max, source",
    [
        (
            "binance",
            125,
            "Binance 'Leverage and Margin of USDⓈ-M Futures' (support/articles/360033162192): "
            "20-125x; BTCUSDT bracket 1 125x",
        ),
        ("bybit", 100, "Bybit 'Margin Parameters', BTCUSDT tier 1: 100x"),
        ("bybit-uta", 100, "Bybit 'Margin Parameters', BTCUSDT tier 1: 100x (same risk limits)"),
        ("hyperliquid", 40, "Hyperliquid docs 'Margin tiers': BTC 0-150M notional 40x"),
        ("dydx", 20, "dYdX v4 default genesis liquidity tier 'Large-Cap': initial_margin_ppm 50000 (5 %) -> 20x"),
        ("phemex", 100, "Phemex 'Risk limit' / announcement 2022-11-03: BTCUSD 1M position 100x"),
    ],
)
def test_documented_max_leverage_is_accepted(venue, documented_max, source):
    contract = "linear"
    r = liquidation_price(
        venue=venue,
        side="long",
        contract=contract,
        entry_price=50_000,
        quantity=0.01,
        leverage=documented_max,
        maintenance_margin_rate=0.004,
    )
    assert r.leverage == documented_max
    with pytest.raises(InputError):
        liquidation_price(
            venue=venue,
            side="long",
            contract=contract,
            entry_price=50_000,
            quantity=0.01,
            leverage=documented_max + 1,
            maintenance_margin_rate=0.004,
        )


def test_bitmex_documented_max_leverage_is_accepted():
    """BitMEX: 'The highest leverage offered by BitMEX is 100x' (XBTUSD perpetual)."""
    r = liquidation_price(
        venue="bitmex",
        side="long",
        contract="inverse",
        entry_price=50_000,
        quantity=100,
        leverage=100,
        maintenance_margin_rate=0.004,
    )
    assert r.leverage == 100


def test_gate_documented_btcusdt_max_leverage_125x_is_accepted():
    """Gate 'Risk Limit Explanation' (gate.com/help/futures/futures-logic/22162, 2025-09-30):
    BTCUSDT tier 1 (risk limit 20,000 USDT) MMR 0.40 %, max leverage 125x."""
    r = liquidation_price(
        venue="gate",
        side="long",
        entry_price=50_000,
        quantity=0.01,
        leverage=125,
        maintenance_margin_rate=0.004,
        taker_fee_rate=0.00075,
    )
    assert r.leverage == 125
