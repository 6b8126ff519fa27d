"""Side-by-side comparisons the lessons teach with: a spot holding against a leveraged one,
and one trade's path from entry to forced close."""

from collections.abc import Iterable
from dataclasses import dataclass

from .engine import LiquidationResult, liquidation_price, state_at
from .inputs import Raw


@dataclass(frozen=True, slots=True)
class DrawdownRow:
    move: float  # fraction the price falls (for a long)
    spot_change: float  # change in a spot holding's value: simply -move
    leveraged_liquidated: bool  # True once the move reaches the liquidation threshold
    leveraged_margin_change: float  # change in the margin's value (-1.0 means all of it)


def spot_vs_leveraged(
    moves: Iterable[float],
    *,
    leverage: Raw,
    venue: Raw,
    maintenance_margin_rate: Raw,
    entry_price: float,
    quantity: Raw = 1.0,
    taker_fee_rate: Raw = 0.0,
) -> tuple[LiquidationResult, list[DrawdownRow]]:
    """What the same fall does to a spot holding and to a leveraged long with margin = notional / L."""
    result = liquidation_price(
        venue=venue,
        side="long",
        entry_price=entry_price,
        quantity=quantity,
        leverage=leverage,
        maintenance_margin_rate=maintenance_margin_rate,
        taker_fee_rate=taker_fee_rate,
    )
    rows: list[DrawdownRow] = []
    for move in moves:
        liquidated = result.adverse_move is not None and move >= result.adverse_move
        # Once liquidated, a trader in isolated margin should expect to lose the whole margin:
        # what is left at the trigger goes to the close, its fee and the insurance fund.
        equity, _ = state_at(result, entry_price * (1 - move))
        change = -1.0 if liquidated else equity / result.margin - 1
        rows.append(DrawdownRow(move, -move, liquidated, change))
    return result, rows


@dataclass(frozen=True, slots=True)
class PathStep:
    label: str
    price: float
    move: float  # fraction against the position from entry
    equity: float  # margin plus unrealised PnL
    maintenance: float  # requirement at this price
    margin_ratio: float  # maintenance / equity: liquidation at 100 %


def liquidation_path(
    *,
    venue: Raw,
    side: str,
    entry_price: float,
    quantity: Raw,
    leverage: Raw,
    maintenance_margin_rate: Raw,
    moves: Iterable[float] = (0.0, 0.02, 0.05, 0.08),
) -> tuple[LiquidationResult, list[PathStep]]:
    """Equity and margin ratio at a few points along an adverse move, ending where liquidation
    triggers (margin ratio 100 %). Steps at or past the trigger are dropped."""
    result = liquidation_price(
        venue=venue,
        side=side,
        entry_price=entry_price,
        quantity=quantity,
        leverage=leverage,
        maintenance_margin_rate=maintenance_margin_rate,
    )
    s = 1 if side == "long" else -1
    points = [
        ("Entry" if m == 0 else "Market moves against you", m)
        for m in moves
        if result.adverse_move is None or m < result.adverse_move
    ]
    if result.adverse_move is not None:
        points.append(("Liquidation triggers", result.adverse_move))
    steps: list[PathStep] = []
    for label, move in points:
        price = entry_price * (1 - s * move)
        equity, maintenance = state_at(result, price)
        steps.append(PathStep(label, price, move, equity, maintenance, maintenance / equity))
    return result, steps
