"""Each venue's liquidation convention, as data.

The engine has one model (equity equals maintenance at the liquidation price); a venue is a
handful of switches saying what counts as equity and what counts as maintenance. Adding a venue
means adding a row here, not writing a formula. Sources are in `../shared/brief/liquidation-math.md`
and in the tests that reproduce each venue's worked examples.
"""

from dataclasses import dataclass

LINEAR = "linear"
INVERSE = "inverse"

# Where maintenance is measured.
MARK = "mark"  # the position's value at the liquidation price
ENTRY = "entry"  # the position's value at entry (fixed as the price moves)

# What the default position margin includes beyond notional / leverage.
NO_FEES = "none"
CLOSE_FEE_AT_BANKRUPTCY = "close-fee-at-bankruptcy"  # Phemex: + bankruptcy value x taker fee
OPEN_AND_CLOSE_FEES = "open-and-close-fees"  # BitMEX: + 2 x taker fee on entry value


@dataclass(frozen=True, slots=True)
class Venue:
    key: str
    name: str
    contracts: tuple[str, ...]
    max_leverage: float
    max_leverage_source: str
    linear_basis: str = MARK
    inverse_basis: str = MARK
    close_fee_in_maintenance: bool = False  # the fee to close is reserved inside maintenance
    margin_fees: str = NO_FEES
    extra_margin_fee_conversion: bool = False  # Bybit UTA converts added margin at the taker fee
    uses_taker_fee: bool = False
    # The venue subtracts a maintenance amount (Binance "cum", Bybit/Hyperliquid "deduction", Gate's
    # gradient tiers) from rate x value. OKX charges the bracket's rate on the whole value, dYdX has no
    # deduction, BitMEX raises the rate per risk-limit step: a deduction given to those is an error.
    maintenance_deduction: bool = True
    convention: str = ""  # one line for a person, shown beside results
    # What the calculators start from when a visitor picks this venue (BTC, smallest tier): a
    # starting point with its source, never a substitute for the visitor's own tier and fee.
    maintenance_rate: float = 0.0
    maintenance_rate_source: str = ""
    taker_fee: float = 0.0  # only for venues whose formula uses it (uses_taker_fee)
    taker_fee_source: str = ""


VENUES: dict[str, Venue] = {
    v.key: v
    for v in (
        Venue(
            key="binance",
            name="Binance",
            contracts=(LINEAR, INVERSE),
            max_leverage=125,
            max_leverage_source=(
                "Binance USDⓈ-M BTCUSDT leverage and margin brackets (Oct 2024): 125x in the first bracket"
            ),
            convention=(
                "Maintenance is charged on the position's value at the liquidation price, minus the "
                "bracket's maintenance amount; fees are not in the formula."
            ),
            maintenance_rate=0.004,
            maintenance_rate_source=(
                "Binance USDⓈ-M BTCUSDT leverage and margin brackets (Oct 2024): first bracket 0.40 %"
            ),
        ),
        Venue(
            key="bybit",
            name="Bybit (classic USDT contract)",
            contracts=(LINEAR, INVERSE),
            max_leverage=100,
            max_leverage_source="Bybit BTCUSDT risk limit tier 1 (Aug 2026): 100x",
            linear_basis=ENTRY,
            inverse_basis=ENTRY,
            convention=(
                "Maintenance is charged on the position's value at entry, so it does not shrink as "
                "the price falls; added margin moves the price one for one."
            ),
            maintenance_rate=0.005,
            maintenance_rate_source="Bybit BTCUSDT risk limit tier 1 (Aug 2026): 0.50 %",
        ),
        Venue(
            key="bybit-uta",
            name="Bybit Unified Trading Account",
            contracts=(LINEAR, INVERSE),
            max_leverage=100,
            max_leverage_source="Bybit BTCUSDT risk limit tier 1 (Aug 2026): 100x",
            extra_margin_fee_conversion=True,
            uses_taker_fee=True,
            convention=(
                "Maintenance is charged on the value at the liquidation price; the fee to close sits in both initial "
                "and maintenance margin and cancels, and added margin counts net of the taker fee."
            ),
            maintenance_rate=0.005,
            maintenance_rate_source="Bybit BTCUSDT risk limit tier 1 (Aug 2026): 0.50 %",
            taker_fee=0.00055,
            taker_fee_source=(
                "Bybit non-VIP derivatives taker fee 0.055 %, the rate in Bybit's own UTA isolated-margin "
                "liquidation example"
            ),
        ),
        Venue(
            key="okx",
            maintenance_deduction=False,
            name="OKX",
            contracts=(LINEAR, INVERSE),
            max_leverage=100,
            max_leverage_source="OKX BTC-USDT-SWAP position tier 1: 100x",
            close_fee_in_maintenance=True,
            uses_taker_fee=True,
            convention=(
                "The taker fee to close the position is reserved inside "
                "maintenance, on the value at the liquidation price."
            ),
            maintenance_rate=0.004,
            maintenance_rate_source="OKX BTC-USDT-SWAP position tier 1: 0.40 %",
            taker_fee=0.0005,
            taker_fee_source=(
                "OKX regular-user perpetual taker fee 0.05 %, the rate that reproduces OKX's own calculator example"
            ),
        ),
        Venue(
            key="gate",
            name="Gate",
            contracts=(LINEAR, INVERSE),
            max_leverage=125,
            max_leverage_source=(
                "Gate help centre 22162 'Risk Limit Explanation' (2025-09-30): "
                "BTCUSDT tier 1, 125x at 0.40 % maintenance"
            ),
            close_fee_in_maintenance=True,
            uses_taker_fee=True,
            convention=(
                "The taker fee to close the position is reserved inside "
                "maintenance, on the value at the liquidation price."
            ),
            maintenance_rate=0.004,
            maintenance_rate_source=(
                "Gate help centre 22162 'Risk Limit Explanation' (2025-09-30): BTCUSDT tier 1 at 0.40 %"
            ),
            taker_fee=0.00075,
            taker_fee_source="the taker fee in Gate's own liquidation-price help article (27724): 0.075 %",
        ),
        Venue(
            key="dydx",
            maintenance_deduction=False,
            name="dYdX",
            contracts=(LINEAR,),
            max_leverage=20,
            max_leverage_source="dYdX v4 BTC-USD initial margin fraction 5 %: 20x",
            convention=(
                "Maintenance is the maintenance fraction of the position's value at the "
                "liquidation price; no deduction, no fee reserve."
            ),
            maintenance_rate=0.03,
            maintenance_rate_source=(
                "dYdX v4 liquidity tier 'Large-Cap' (BTC-USD): initial margin 5 %, maintenance 60 % of it = "
                "3 % (v4-chain genesis parameters)"
            ),
        ),
        Venue(
            key="hyperliquid",
            name="Hyperliquid",
            contracts=(LINEAR,),
            max_leverage=40,
            max_leverage_source="Hyperliquid BTC perpetual max leverage: 40x",
            convention=(
                "Maintenance is half the initial margin at the asset's maximum "
                "leverage, on the value at the liquidation price."
            ),
            maintenance_rate=1 / (2 * 40),
            maintenance_rate_source=(
                "Hyperliquid docs 'Margining': maintenance is half the initial margin at the maximum "
                "leverage; BTC 40x gives 1.25 %"
            ),
        ),
        Venue(
            key="phemex",
            name="Phemex",
            contracts=(LINEAR, INVERSE),
            max_leverage=100,
            max_leverage_source="Phemex BTCUSDT perpetual risk limit 1: 100x",
            close_fee_in_maintenance=True,
            margin_fees=CLOSE_FEE_AT_BANKRUPTCY,
            uses_taker_fee=True,
            convention=(
                "The position's balance includes the fee to close at the bankruptcy price, and "
                "maintenance reserves the taker fee on the value at the liquidation price."
            ),
            maintenance_rate=0.005,
            maintenance_rate_source="Phemex help centre 'Leverage, IM and MM (USDT-M)': BTCUSDT tier 1 at 0.50 %",
            taker_fee=0.0006,
            taker_fee_source="the taker fee in Phemex's own USDT-M liquidation-price example: 0.06 %",
        ),
        Venue(
            key="bitmex",
            maintenance_deduction=False,
            name="BitMEX",
            contracts=(INVERSE,),
            max_leverage=100,
            max_leverage_source="BitMEX XBTUSD maximum leverage: 100x",
            inverse_basis=ENTRY,
            close_fee_in_maintenance=True,
            margin_fees=OPEN_AND_CLOSE_FEES,
            uses_taker_fee=True,
            convention=(
                "Initial margin carries the taker fee to open and to close; maintenance, "
                "measured at entry value, carries the fee to close."
            ),
            maintenance_rate=0.005,
            maintenance_rate_source=(
                "the maintenance rate in BitMEX's own worked XBTUSD example (insurance-fund blog): 0.50 %"
            ),
            taker_fee=0.00075,
            taker_fee_source="the taker fee in BitMEX's own worked XBTUSD example: 0.075 %",
        ),
    )
}

VENUE_KEYS = tuple(VENUES)
