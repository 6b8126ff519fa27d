"""ahamirror's liquidation math: the single source of truth for every number on the site.

Standard library only, no I/O at import: the same package renders build-time tables, runs in
the visitor's browser under Pyodide, and is tested by pytest.

The names below are imported on first use (PEP 562), not with the package: in the browser a
widget imports only the modules it needs, and every module the package imported up front (the
lending book and the position builder's dataclasses alone cost about 55 ms under Pyodide) would
delay the first answer of a page that never uses them.
"""

from importlib import import_module
from typing import TYPE_CHECKING

# exported name -> (module of this package, its name there)
_EXPORTS = {
    "InputError": ("errors", "InputError"),
    "LadderRow": ("ladder", "LadderRow"),
    "LiquidationResult": ("engine", "LiquidationResult"),
    "TIER_PRESETS": ("tiers", "PRESETS"),
    "Tier": ("tiers", "Tier"),
    "TierTable": ("tiers", "TierTable"),
    "VENUES": ("venues", "VENUES"),
    "Venue": ("venues", "Venue"),
    "leverage_ladder": ("ladder", "leverage_ladder"),
    "liquidation_price": ("engine", "liquidation_price"),
    "PositionState": ("positions", "PositionState"),
    "Step": ("positions", "Step"),
    "build_position": ("positions", "build_position"),
    "health_factor": ("lending", "health_factor"),
    "price_for_liquidation": ("lending", "price_for_liquidation"),
    "lending_liquidation": ("lending", "liquidation"),
}

_SUBMODULES = frozenset({"lending"})  # exported as modules: `calculators.lending.liquidation(...)`

__all__ = [  # the same names as _EXPORTS and _SUBMODULES (tests/test_package_exports.py)
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

if TYPE_CHECKING:  # what type checkers see; at run time __getattr__ imports on demand
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


def __getattr__(name: str) -> object:
    if name in _SUBMODULES:
        return import_module(f"{__name__}.{name}")
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _EXPORTS[name]
    value = getattr(import_module(f"{__name__}.{module}"), attribute)
    globals()[name] = value  # later lookups skip this function
    return value
