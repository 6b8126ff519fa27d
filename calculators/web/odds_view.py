"""The odds of being touched, as the widgets ask for them and say them.

The fields (asset, annual volatility, horizon) and the sentence are shared by the calculator, the
ladder and the home page's quick check; the figure itself is `calculators.odds`. Volatility is
typed in percent; picking an asset fills in its sourced, dated realised volatility unless typed.
"""

import math

from .. import formatting as fmt
from ..errors import InputError
from ..markets import BTC, REFERENCES
from . import markup
from .form import Field
from .venue_values import percent_text

OTHER = "other"
GROUP = ("odds", "The odds of being touched")
DEFAULT_HORIZON_DAYS = "30"
FIELDS = (
    Field(
        "asset",
        "Asset, for its typical moves",
        "select",
        BTC.asset,
        options=tuple((key, f"{key}: {move.annualised_volatility:.1%} a year") for key, move in REFERENCES.items())
        + ((OTHER, "Another asset: type its volatility"),),
        group=GROUP[0],
    ),
    Field(
        "annual_volatility",
        "Annual volatility",
        default=percent_text(BTC.annualised_volatility),
        unit="%",
        percent=True,
        max_percent=1000,
        group=GROUP[0],
        help="The standard deviation of daily returns, scaled to a year. Picking an asset fills in its "
        "realised figure for its latest full year, unless you typed one.",
    ),
    Field(
        "horizon_days",
        "Horizon",
        default=DEFAULT_HORIZON_DAYS,
        unit="days",
        group=GROUP[0],
        help="How long you expect to hold the position.",
    ),
)
NAMES = frozenset(f.name for f in FIELDS)


def suggested_volatility(values: dict[str, str]) -> dict[str, str]:
    """The chosen asset's volatility, for the registry's refill ({} for another asset)."""
    move = REFERENCES.get(values.get("asset", ""))
    return {"annual_volatility": percent_text(move.annualised_volatility)} if move else {}


def take_inputs(kwargs: dict) -> tuple[str, float, float]:
    """Remove (asset, volatility as a fraction, horizon in days) from parsed form values."""
    asset = kwargs.pop("asset", OTHER)
    volatility = kwargs.pop("annual_volatility")
    horizon = kwargs.pop("horizon_days")
    if volatility <= 0:
        raise InputError("annual_volatility", "Annual volatility must be more than 0 %: a price that never moves.")
    return asset, volatility, horizon


def sentence(probability: float | None, level: str, asset: str, volatility: float, horizon: float) -> str:
    """The odds line: the figure, its model and what the model leaves out (`data-value` is the fraction)."""
    days = f"{horizon:g} day{'s' if horizon != 1 else ''}"
    reference = REFERENCES.get(asset)
    if reference is not None and math.isclose(reference.annualised_volatility, volatility, rel_tol=1e-12):
        basis = (
            f"moving like {reference.asset} in {reference.period} ({fmt.percent(volatility, 1)} a year, realised; "
            f'<a href="{markup.escape(reference.url)}">{markup.escape(reference.source)}</a>)'
        )
    else:
        basis = f"moving {markup.escape(fmt.percent(volatility, 1))} a year"
    if probability is None:
        return (
            '<p class="result-odds" data-out="touch_odds" data-value="">No liquidation price to touch: in this '
            "position only the margin can be lost, never more.</p>"
        )
    if probability >= 1:
        said = "certain: there is no room at all between the entry and the liquidation price"
    else:
        said = f"about {_odds(probability)} within {days}"
    return (
        f'<p class="result-odds" data-out="touch_odds" data-value="{probability!r}">'
        f"<strong>Odds the price touches {markup.escape(level)}: {said}</strong>, for an asset {basis}. "
        "This is a model, a random walk with no drift: it leaves out fat tails, jumps and intraday wicks, "
        "and a liquidation needs only one touch of the mark price, so the real odds are usually higher.</p>"
    )


def odds_text(probability: float | None) -> str:
    """A table cell's odds: "40%", "0.3%", "less than 0.1%", or "none" (no price to touch)."""
    if probability is None:
        return "none"
    return "certain" if probability >= 1 else _odds(probability)


def _odds(probability: float) -> str:
    if probability < 0.001:
        return "less than 0.1%"
    return fmt.percent(probability, 1 if probability < 0.1 else 0)
