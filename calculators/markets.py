"""Reference figures about markets, each with its source, to put a result in human terms."""

import math
from dataclasses import dataclass
from typing import overload


@dataclass(frozen=True, slots=True)
class TypicalMove:
    asset: str
    annualised_volatility: float  # realised, over the period below
    period: str
    source: str

    @property
    def daily(self) -> float:
        """One standard deviation of a daily move: annualised / sqrt(365) (crypto trades every day)."""
        return self.annualised_volatility / math.sqrt(365)


# Approximate and dated on purpose: refresh when it drifts. One standard deviation means roughly
# two days in three move less than this, and about one day in twenty moves twice as much.
BTC = TypicalMove(
    asset="BTC",
    annualised_volatility=0.46,
    period="one year of daily closes, to late 2024",
    source=(
        "one-year realised volatility of Bitcoin as reported in OKX market "
        "commentary (web3.okx.com discover), late 2024"
    ),
)


# A move in gives a count out; only "no move" gives None (the overloads let callers that have
# already ruled out None keep a plain float).
@overload
def typical_days(adverse_move: float, reference: TypicalMove = BTC) -> float: ...
@overload
def typical_days(adverse_move: None, reference: TypicalMove = BTC) -> None: ...
@overload
def typical_days(adverse_move: float | None, reference: TypicalMove = BTC) -> float | None: ...
def typical_days(adverse_move: float | None, reference: TypicalMove = BTC) -> float | None:
    """How many typical daily moves fit in `adverse_move` (None when there is no such move)."""
    if adverse_move is None:
        return None
    return adverse_move / reference.daily
