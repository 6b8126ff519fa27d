"""ahamirror's liquidation math: the single source of truth for every number on the site.

Standard library only, no I/O at import: the same package renders build-time tables, runs in
the visitor's browser under Pyodide, and is tested by pytest.
"""

from . import lending
from .engine import LiquidationResult, liquidation_price
from .errors import InputError
from .ladder import LadderRow, leverage_ladder
from .lending import health_factor, price_for_liquidation
from .lending import liquidation as lending_liquidation
from .positions import PositionState, Step, build_position
from .tiers import PRESETS as TIER_PRESETS
from .tiers import Tier, TierTable
from .venues import VENUES, Venue

__all__ = [
    "InputError",
    "LadderRow",
    "LiquidationResult",
    "TIER_PRESETS",
    "Tier",
    "TierTable",
    "VENUES",
    "Venue",
    "leverage_ladder",
    "liquidation_price",
    "PositionState",
    "Step",
    "build_position",
    "lending",
    "health_factor",
    "price_for_liquidation",
    "lending_liquidation",
]
