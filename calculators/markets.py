"""Reference figures about markets, each with its source, to put a result in human terms.

The volatility figures feed a model, and the model is stated wherever it is used: daily moves are
taken as independent and normally distributed, so the typical move over N days grows with the square
root of N (one standard deviation over N days = daily standard deviation * sqrt(N)). Real crypto
returns have fat tails and cluster in volatile spells, and a liquidation needs only one touch of the
mark price, wicks included: reality is usually worse than the model.
"""

from dataclasses import dataclass

from .odds import typical_move


@dataclass(frozen=True, slots=True)
class TypicalMove:
    asset: str
    annualised_volatility: float  # realised: standard deviation of daily returns, annualised
    period: str
    source: str
    url: str

    @property
    def daily(self) -> float:
        """One standard deviation of a daily move, in the model of `odds.typical_move`."""
        return typical_move(self.annualised_volatility, 1)


# Realised volatility over calendar 2025 (1 January to 31 December), from Gale Finance's year
# comparisons: daily close-to-close returns, annualised with the square root of 365 for crypto (method:
# https://www.gale.finance/glossary/volatility). Pages read 2026-12-01; the BTC/SOL page is dated
# 31 December 2025, and the ETH/SOL page (read on the site's pages.dev mirror) covers the same year,
# with the same SOL figures. Dated on purpose: refresh when a newer full year is published. The same
# pages report fat tails (excess kurtosis above 3 for ETH and SOL in 2025), one more reason the model
# understates big moves.
_PERIOD = "calendar 2025"
_SOURCE = "Gale Finance"
BTC = TypicalMove(
    asset="BTC",
    annualised_volatility=0.419,
    period=_PERIOD,
    source=_SOURCE,
    url="https://www.gale.finance/compare/btc-vs-sol-2025",
)
ETH = TypicalMove(
    asset="ETH",
    annualised_volatility=0.754,
    period=_PERIOD,
    source=_SOURCE,
    url="https://gale-finance.pages.dev/compare/eth-vs-sol-2025/",
)
SOL = TypicalMove(
    asset="SOL",
    annualised_volatility=0.861,
    period=_PERIOD,
    source=_SOURCE,
    url="https://www.gale.finance/compare/btc-vs-sol-2025",
)
REFERENCES = {move.asset: move for move in (BTC, ETH, SOL)}
