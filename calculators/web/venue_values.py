"""Starting values that follow the venue a visitor picks: its maintenance rate, its taker fee and,
for a venue with one kind of contract, that contract.

They are the venue's own figures for BTC at its smallest tier (each with its source in
`calculators/venues.py`): a better start than one venue's figures for every venue, never a
substitute for the visitor's own tier. The registry fills them only into fields the visitor has
not typed in, when the venue changes.
"""

from collections.abc import Iterable

from ..venues import VENUES
from .form import Field


def percent_text(fraction: float) -> str:
    """A rate as the number a trader types into a percent field: 0.004 -> '0.4'."""
    return f"{fraction * 100:g}"


def starting_values(values: dict[str, str], fields: Iterable[Field]) -> dict[str, str]:
    """{field: value} for the fields of `fields` that follow the chosen venue ({} for an unknown venue)."""
    venue = VENUES.get(values.get("venue", ""))
    if venue is None:
        return {}
    by_name = {f.name: f for f in fields}
    out = {}
    if "maintenance_margin_rate" in by_name:
        out["maintenance_margin_rate"] = percent_text(venue.maintenance_rate)
    if "taker_fee_rate" in by_name:
        fee = by_name["taker_fee_rate"]
        out["taker_fee_rate"] = percent_text(venue.taker_fee) if venue.uses_taker_fee else fee.default
    if "contract" in by_name:
        only = venue.contracts[0] if len(venue.contracts) == 1 else None
        out["contract"] = only or by_name["contract"].default
    return out
