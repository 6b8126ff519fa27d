"""The leverage ladder: how far the market may move against a position at each leverage."""

from collections.abc import Iterable
from dataclasses import dataclass

from . import inputs
from .engine import CONTRACTS, _check_rate_plus_fee, _opening_fees, _Position, _solve
from .errors import InputError
from .venues import LINEAR, VENUE_KEYS, VENUES


@dataclass(frozen=True, slots=True)
class LadderRow:
    leverage: float
    long_adverse_move: float | None  # None: no liquidation price (e.g. a 1x linear long)
    short_adverse_move: float | None
    long_price: float | None
    short_price: float | None
    textbook_move: float  # the rule of thumb 1/L - m (can be negative: no buffer)
    within_venue_cap: bool  # False: the venue does not offer this leverage

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}


def leverage_ladder(
    leverages: Iterable[inputs.Raw] = range(1, 101),
    *,
    venue: inputs.Raw = None,
    maintenance_margin_rate: inputs.Raw = None,
    taker_fee_rate: inputs.Raw = 0,
    contract: inputs.Raw = LINEAR,
    entry_price: inputs.Raw = 100,
) -> list[LadderRow]:
    """One row per leverage for an isolated position opened with margin = notional / leverage.

    Rows above the venue's cap are still computed (the math does not change) and flagged, so a
    table can show what the venue would not let you open.
    """
    venue_key = inputs.choice("venue", venue, VENUE_KEYS)
    the_venue = VENUES[venue_key]
    contract = inputs.choice("contract", contract, CONTRACTS, default=LINEAR)
    if contract not in the_venue.contracts:
        raise InputError(
            "contract", f"{the_venue.name} is modelled here for {' and '.join(the_venue.contracts)} contracts only."
        )
    rate = inputs.rate("maintenance_margin_rate", maintenance_margin_rate)
    fee = inputs.rate("taker_fee_rate", taker_fee_rate, default=0.0)
    entry = inputs.positive("entry_price", entry_price)
    _check_rate_plus_fee(the_venue, None, rate, fee)
    checked = _leverages(leverages)

    # The moves do not depend on size; one coin's worth keeps the margins readable.
    quantity = 1.0 if contract == LINEAR else entry
    notional = quantity * entry if contract == LINEAR else quantity / entry

    rows: list[LadderRow] = []
    overflowed = False
    for lev in checked:
        prices: list[float | None] = []
        for s in (1, -1):
            margin = notional / lev + _opening_fees(the_venue, s, contract, notional, lev, fee)
            position = _Position(the_venue, s, contract, entry, quantity, margin, 0.0, fee)
            prices.append(_solve(position, rate, 0.0))
        long_price, short_price = prices
        long_move = None if long_price is None else max(0.0, (entry - long_price) / entry)
        short_move = None if short_price is None else max(0.0, (short_price - entry) / entry)
        textbook = 1 / lev - rate
        # Every number of the row, checked here on the floats rather than through the finished row.
        overflowed = overflowed or not inputs.finite(lev, long_move, short_move, long_price, short_price, textbook)
        rows.append(
            LadderRow(
                leverage=lev,
                long_adverse_move=long_move,
                short_adverse_move=short_move,
                long_price=long_price,
                short_price=short_price,
                textbook_move=textbook,
                within_venue_cap=lev <= the_venue.max_leverage,
            )
        )
    # Finite inputs can still overflow together (a 1e-300 entry and a subnormal rate): name one.
    if overflowed:
        raise inputs.out_of_range(
            {"entry_price": entry, "maintenance_margin_rate": rate, "taker_fee_rate": fee, "leverage": max(checked)}
        )
    return rows


def _leverages(leverages: Iterable[inputs.Raw]) -> list[float]:
    try:
        values = list(leverages)
    except TypeError:
        raise InputError("leverages", "Leverages must be a list of numbers, e.g. 1 to 100.") from None
    if not values:
        raise InputError("leverages", "Give at least one leverage.")
    checked = []
    for value in values:
        lev = inputs.number("leverage", value)
        if lev < 1:
            raise InputError("leverage", "Leverage must be at least 1 (1 means no borrowed exposure).")
        checked.append(lev)
    return checked
