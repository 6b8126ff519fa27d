"""Which exit comes first: a planned one (a stop, an invalidation price) or the forced one."""

from dataclasses import dataclass

from . import inputs
from .engine import LiquidationResult, state_at
from .errors import InputError


@dataclass(frozen=True, slots=True)
class ExitCheck:
    exit_price: float
    exit_move: float  # fraction of entry from entry to the planned exit (>= 0)
    first: str  # "planned" or "liquidation"
    loss_at_exit: float  # equity at entry minus equity at the planned exit
    margin_left_at_exit: float  # equity at the planned exit, before fees


def planned_exit(result: LiquidationResult, exit_price: inputs.Raw, field: str = "stop_price") -> ExitCheck:
    """Compare a planned exit with the liquidation price of `result`.

    The exit must sit on the losing side of entry (below for a long, above for a short), else it
    is not a stop. The planned exit comes first when the market reaches it before liquidation.
    """
    price = inputs.positive(field, exit_price)
    s = 1 if result.side == "long" else -1
    if s * (result.entry_price - price) <= 0:
        where = "below" if s == 1 else "above"
        raise InputError(
            field, f"For a {result.side}, a stop sits {where} the entry price ({result.entry_price:,.2f})."
        )
    move = s * (result.entry_price - price) / result.entry_price
    # Compare the prices themselves (not the moves, which divide by entry): a planned exit exactly
    # at the liquidation price does not come first.
    first = "planned" if result.price is None or s * (price - result.price) > 0 else "liquidation"
    equity_entry, _ = state_at(result, result.entry_price)
    equity_exit, _ = state_at(result, price)
    if not inputs.finite(move, equity_entry - equity_exit, equity_exit):
        raise InputError(
            field, "This exit is too far from the entry for the figures to be computed; enter a realistic price."
        )
    return ExitCheck(price, move, first, equity_entry - equity_exit, equity_exit)
