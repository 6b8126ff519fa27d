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

from . import inputs
from .engine import LiquidationResult
from .errors import InputError

DAYS_PER_YEAR = 365  # crypto trades every day; markets.py annualises on the same calendar
MAX_ANNUAL_VOLATILITY = 10.0  # 1000 % a year: beyond anything a listed asset shows over a year
MAX_HORIZON_DAYS = 3650  # ten years: far longer than any leveraged position is held


def typical_move(annual_volatility: inputs.Raw, horizon_days: inputs.Raw) -> float:
    """One standard deviation of the log-price move over `horizon_days`: sigma * sqrt(T / 365).

    A fraction (0.058 means 5.8 %). A model figure: see the module doc for what it leaves out.
    """
    sigma = _volatility(annual_volatility)
    days = _horizon(horizon_days)
    return sigma * math.sqrt(days / DAYS_PER_YEAR)


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
    sigma = _volatility(annual_volatility)
    days = _horizon(horizon_days)
    if level is None:
        return None
    target = inputs.positive("level", level)
    # Difference of logs, not log of the ratio: the ratio of two extreme floats can overflow.
    distance = abs(math.log(target) - math.log(entry))
    spread = typical_move(sigma, days)
    if spread == 0:  # subnormal inputs underflow; the limit as the window shrinks to nothing
        return 1.0 if distance == 0 else 0.0
    z = distance / spread  # may be inf for a vanishing spread: erfc(inf) is 0
    # 2 * Phi(-z) = erfc(z / sqrt(2)); erfc keeps its precision far out in the tail.
    return _stable(min(1.0, math.erfc(z / math.sqrt(2))))


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
