"""The odds of being touched: how likely the price is to reach a level at least once within a window.

This is a model, and a kind one. It takes the log price to be a driftless Brownian motion with a
constant annualised volatility sigma, watched continuously. Under that model the chance that the price
touches a level L at least once within T days, starting from E, is the reflection principle's

    p = 2 * Phi(-|ln(L / E)| / (sigma * sqrt(T / 365)))

with Phi the standard normal distribution function (capped at 1, reached when L = E). What it leaves
out, each of which makes a touch MORE likely in real markets: fat tails (big moves are far more common
than the normal curve says), jumps and gaps, intraday wicks (a liquidation needs one touch of the mark
price), volatility that clusters in turbulent spells, and any drift against the position. Reality is
usually worse than this figure. It ignores a drift in your favour too, which no one should count on.

`typical_move` is the one-standard-deviation move over a window in the same model (sigma * sqrt(T/365));
the charts draw it as the day, week and month bands.
"""

import math
from collections.abc import Iterable

from . import inputs
from .engine import LiquidationResult
from .errors import InputError

DAYS_PER_YEAR = 365  # crypto trades every day; markets.py annualises on the same calendar
MAX_ANNUAL_VOLATILITY = 10.0  # 1000 % a year: beyond anything a listed asset shows over a year
MAX_HORIZON_DAYS = 3650  # ten years: far longer than any leveraged position is held
_ROOT_TWO = math.sqrt(2)


def typical_move(annual_volatility: inputs.Raw, horizon_days: inputs.Raw) -> float:
    """One standard deviation of the log-price move over `horizon_days`: sigma * sqrt(T / 365).

    A fraction (0.058 means 5.8 %). A model figure: see the module doc for what it leaves out.
    """
    return _spread(_volatility(annual_volatility), _horizon(horizon_days))


def touch_probability(
    entry_price: inputs.Raw,
    level: inputs.Raw,
    annual_volatility: inputs.Raw,
    horizon_days: inputs.Raw,
) -> float | None:
    """The model chance (0 to 1) that a price starting at `entry_price` touches `level` within
    `horizon_days`, with `annual_volatility` a fraction (0.42 for 42 % a year).

    `level` None (no liquidation price exists) gives None: there is nothing to touch. Every other
    input is checked and a bad one raises InputError naming its field. The level may sit on either
    side of the entry: the model is symmetric in log price, so a long's and a short's levels at the
    same log distance have the same odds. See the module doc: this understates real-world odds.
    """
    entry = inputs.positive("entry_price", entry_price)
    spread = _spread(_volatility(annual_volatility), _horizon(horizon_days))
    if level is None:
        return None
    return _touch(math.log(entry), inputs.positive("level", level), spread)


def touch_probabilities(
    entry_price: inputs.Raw,
    levels: Iterable[inputs.Raw],
    annual_volatility: inputs.Raw,
    horizon_days: inputs.Raw,
) -> list[float | None]:
    """`touch_probability` of each of `levels` from one entry, in order (None for a None level).

    The entry, volatility and horizon are checked once for all levels, not once per level: the
    ladder asks for 200 levels on every keystroke. Each level is still checked, and the first bad
    one raises InputError("level") as `touch_probability` would.
    """
    entry = inputs.positive("entry_price", entry_price)
    spread = _spread(_volatility(annual_volatility), _horizon(horizon_days))
    log_entry = math.log(entry)
    return [None if level is None else _touch(log_entry, _level(level), spread) for level in levels]


def _touch(log_entry: float, target: float, spread: float) -> float:
    """The formula, on checked numbers: `log_entry` is ln(entry), `target` a positive finite level."""
    # Difference of logs, not log of the ratio: the ratio of two extreme floats can overflow.
    distance = abs(math.log(target) - log_entry)
    if spread == 0:  # subnormal inputs underflow; the limit as the window shrinks to nothing
        return 1.0 if distance == 0 else 0.0
    z = distance / spread  # may be inf for a vanishing spread: erfc(inf) is 0
    # 2 * Phi(-z) = erfc(z / sqrt(2)); erfc keeps its precision far out in the tail.
    return _stable(min(1.0, math.erfc(z / _ROOT_TWO)))


def liquidation_odds(
    result: LiquidationResult, annual_volatility: inputs.Raw, horizon_days: inputs.Raw
) -> float | None:
    """`touch_probability` of a computed position's liquidation price from its entry.

    None when the position has no liquidation price; 1.0 when it has no buffer at all (liquidated as
    it opens, which the touch formula alone would not know).
    """
    if result.adverse_move == 0:
        _volatility(annual_volatility)  # still refuse bad inputs, so a form shows the same errors
        _horizon(horizon_days)
        return 1.0
    return touch_probability(result.entry_price, result.price, annual_volatility, horizon_days)


def _stable(probability: float) -> float:
    """The figure to 12 significant digits. log and erfc come from the platform's maths library, whose
    last bits differ between CPython here and Pyodide in the browser; a model's odds mean nothing past a
    few digits, and rounding makes both Pythons show the same number."""
    return float(f"{probability:.12g}")


def _spread(sigma: float, days: float) -> float:
    """`typical_move` on a checked volatility and horizon."""
    return sigma * math.sqrt(days / DAYS_PER_YEAR)


def _level(value: inputs.Raw) -> float:
    """A level to touch: a positive finite float passes as it is (what the engine's prices are), anything
    else goes through the full check, which converts it or raises InputError("level")."""
    if type(value) is float and 0.0 < value < math.inf:
        return value
    return inputs.positive("level", value)


def _volatility(value: inputs.Raw) -> float:
    sigma = inputs.number("annual_volatility", value)
    if not 0 < sigma <= MAX_ANNUAL_VOLATILITY:
        raise InputError(
            "annual_volatility",
            "Annual volatility must be greater than zero and at most 1000 % (a fraction: 0.42 for 42 % a year); "
            f"got {sigma:g}.",
        )
    return sigma


def _horizon(value: inputs.Raw) -> float:
    days = inputs.number("horizon_days", value)
    if not 0 < days <= MAX_HORIZON_DAYS:
        raise InputError(
            "horizon_days", f"Horizon must be more than 0 and at most {MAX_HORIZON_DAYS} days; got {days:g}."
        )
    return days
