"""The teaching scenario the site's tables and prose use, stated once.

Every page that quotes a figure states these assumptions beside it. The maintenance rate is
the first bracket of the shipped Binance BTCUSDT preset, so it is a real venue's number with a
source and a date, not one typed into a page.
"""

from dataclasses import dataclass

from .tiers import PRESETS

TEACHING_PRESET = "binance-btcusdt-2024-10"
_PRESET = PRESETS[TEACHING_PRESET]


@dataclass(frozen=True, slots=True)
class Scenario:
    venue: str
    maintenance_margin_rate: float
    taker_fee_rate: float
    entry_price: float
    quantity: float
    quote: str
    base: str
    source: str


TEACHING = Scenario(
    venue=_PRESET.venue,
    maintenance_margin_rate=_PRESET.tiers[0].rate,
    taker_fee_rate=0.0,
    entry_price=60_000.0,
    quantity=0.5,  # 30,000 USDT of notional: inside that first bracket (0 to 50,000)
    quote="USDT",
    base="BTC",
    # Short on purpose: it is quoted inline on many pages (the full source sits on the preset).
    source=f"Binance BTCUSDT perpetual, first bracket, {_PRESET.as_of}",
)

KEY_LEVERAGES = (1, 2, 3, 5, 10, 20, 25, 50, 75, 100)


@dataclass(frozen=True, slots=True)
class AveragingDown:
    """Adding to the teaching long after the price has fallen: the position-sizing page's example."""

    add_price: float  # where the price has fallen to when the trader adds
    add_quantity: float
    cross_wallet: float  # the whole account, for the cross-margin version
    leverage: float  # the isolated version: each leg brings its value / leverage as margin

    def steps(self) -> list[dict]:
        """The two steps as build_position takes them (plain data, as a page or the browser sends)."""
        return [
            {"kind": "open", "quantity": TEACHING.quantity, "price": TEACHING.entry_price},
            {"kind": "add", "quantity": self.add_quantity, "price": self.add_price},
        ]


AVERAGING_DOWN = AveragingDown(
    add_price=57_000.0,  # 5 % under the entry
    add_quantity=TEACHING.quantity / 2,  # a quarter coin: the combined notional stays in the first bracket
    cross_wallet=6_000.0,
    leverage=10,
)


@dataclass(frozen=True, slots=True)
class LendingExample:
    """The DeFi lending page's loan: Aave's own worked example (aave.com/help/borrowing/liquidations, read
    2026-12-01): $10,000 of ETH at an 80 % liquidation threshold against $6,000 of a dollar stablecoin, whose
    health factor Aave gives as 1.333. The ETH price and the 5 % bonus are this site's choices (an ETH bonus of
    that size is typical on Aave v3, but each market sets its own)."""

    collateral_amount: float
    collateral_price: float
    liquidation_threshold: float
    liquidation_bonus: float
    debt_amount: float
    debt_price: float

    def book(self) -> dict:
        """The loan as `lending.health_factor` and its siblings take it, on Aave v3."""
        collateral = {
            "amount": self.collateral_amount,
            "price": self.collateral_price,
            "liquidation_threshold": self.liquidation_threshold,
            "liquidation_bonus": self.liquidation_bonus,
        }
        return {
            "protocol": "aave-v3",
            "collaterals": [collateral],
            "debts": [{"amount": self.debt_amount, "price": self.debt_price}],
        }


LENDING_EXAMPLE = LendingExample(
    collateral_amount=5.0,
    collateral_price=2_000.0,  # 5 ETH at 2,000: Aave's $10,000
    liquidation_threshold=0.80,
    liquidation_bonus=0.05,
    debt_amount=6_000.0,
    debt_price=1.0,
)
