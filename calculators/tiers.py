"""Leverage and margin brackets ("tiers", "risk limits"): data, checks and lookup.

A bracket's maintenance rate applies to the position's notional inside [floor, cap). Venues
publish a maintenance amount (Binance "cum", Bybit "MM deduction") per bracket chosen so that
the maintenance requirement is continuous across bracket edges:
    amount_n = floor_n * (rate_n - rate_{n-1}) + amount_{n-1}
Tables change over time, so every preset carries its source and the date it was read.
"""

from dataclasses import dataclass

from .errors import InputError
from .inputs import number


@dataclass(frozen=True, slots=True)
class Tier:
    floor: float  # notional at which the bracket starts (inclusive)
    cap: float  # notional at which it ends (exclusive); inf for the last bracket
    max_leverage: float
    rate: float  # maintenance margin rate
    amount: float  # maintenance amount deducted (cum / deduction)


@dataclass(frozen=True, slots=True)
class TierTable:
    name: str
    venue: str
    symbol: str
    as_of: str
    source: str
    tiers: tuple[Tier, ...]

    def at(self, notional: float) -> Tier:
        """The bracket holding `notional`; beyond the last cap, the last bracket."""
        for tier in self.tiers:
            if notional < tier.cap:
                return tier
        return self.tiers[-1]


def _table(name, venue, symbol, as_of, source, rows) -> TierTable:
    return TierTable(
        name=name,
        venue=venue,
        symbol=symbol,
        as_of=as_of,
        source=source,
        tiers=tuple(Tier(*row) for row in rows),
    )


PRESETS: dict[str, TierTable] = {
    t.name: t
    for t in (
        _table(
            "binance-btcusdt-2024-10",
            "binance",
            "BTCUSDT perpetual",
            "2024-10",
            "Binance, USDⓈ-M Futures leverage and margin brackets for BTCUSDT "
            "(binance.com/en/futures/trading-rules/perpetual/leverage-margin)",
            [
                (0, 50_000, 125, 0.004, 0),
                (50_000, 600_000, 100, 0.005, 50),
                (600_000, 3_000_000, 75, 0.0065, 950),
                (3_000_000, 12_000_000, 50, 0.01, 11_450),
                (12_000_000, 70_000_000, 25, 0.02, 131_450),
                (70_000_000, 100_000_000, 20, 0.025, 481_450),
                (100_000_000, 230_000_000, 10, 0.05, 2_981_450),
                (230_000_000, 480_000_000, 5, 0.10, 14_481_450),
                (480_000_000, 600_000_000, 4, 0.125, 26_481_450),
                (600_000_000, 800_000_000, 3, 0.15, 41_481_450),
                (800_000_000, 1_200_000_000, 2, 0.25, 121_481_450),
                (1_200_000_000, 1_800_000_000, 1, 0.50, 421_481_450),
            ],
        ),
        _table(
            "bybit-btcusdt-2026-08",
            "bybit",
            "BTCUSDT perpetual",
            "2026-08",
            "Bybit, risk limit tiers for BTCUSDT (bybit.com/en/announcement-info/deposit-withdraw/ risk limit page), "
            "first three tiers",
            [
                (0, 2_000_000, 100, 0.005, 0),
                (2_000_000, 2_600_000, 90, 0.0056, 1_200),
                (2_600_000, 3_200_000, 80, 0.0063, 3_020),
            ],
        ),
    )
}

# A Bybit table also serves Bybit's unified account, which uses the same risk limits.
PRESET_VENUES = {"bybit-btcusdt-2026-08": ("bybit", "bybit-uta")}


def resolve(venue: str, tiers) -> TierTable:
    """A preset by name, or a caller's own table (a list of dicts or `Tier`s), checked."""
    if isinstance(tiers, TierTable) and tiers.name not in PRESETS:
        return tiers
    if isinstance(tiers, (str, TierTable)):
        key = (tiers.name if isinstance(tiers, TierTable) else tiers).strip().lower()
        if key not in PRESETS:
            names = ", ".join(f'"{k}"' for k in PRESETS)
            raise InputError("tiers", f"Unknown tier preset; the shipped presets are {names}.")
        table = PRESETS[key]
        if venue not in PRESET_VENUES.get(key, (table.venue,)):
            raise InputError("tiers", f"The preset {key} holds {table.venue}'s brackets; it does not apply to {venue}.")
        return table
    if not isinstance(tiers, (list, tuple)) or not tiers:
        raise InputError("tiers", "Tiers must be a preset name or a non-empty list of brackets.")
    return TierTable("custom", venue, "", "", "supplied by the caller", _check_rows(tiers))


def _check_rows(rows) -> tuple[Tier, ...]:
    checked: list[Tier] = []
    for index, row in enumerate(rows, start=1):
        if isinstance(row, Tier):
            row = {
                "floor": row.floor,
                "cap": row.cap,
                "max_leverage": row.max_leverage,
                "maintenance_margin_rate": row.rate,
                "maintenance_amount": row.amount,
            }
        if not isinstance(row, dict):
            raise InputError(
                "tiers", f"Bracket {index} must be a table of floor, cap, max_leverage and maintenance_margin_rate."
            )
        try:
            floor = number("tiers", row.get("floor", checked[-1].cap if checked else 0))
            cap = number("tiers", row.get("cap", float("inf"))) if row.get("cap") is not None else float("inf")
            max_leverage = number("tiers", row.get("max_leverage"))
            rate = number("tiers", row.get("maintenance_margin_rate"))
        except InputError as error:
            raise InputError("tiers", f"Bracket {index}: {error.message}") from None
        expected_floor = checked[-1].cap if checked else 0.0
        if floor != expected_floor:
            raise InputError("tiers", f"Bracket {index} must start where the previous one ends ({expected_floor:g}).")
        if not cap > floor:
            raise InputError("tiers", f"Bracket {index} must end above where it starts.")
        if not 0 <= rate < 1:
            raise InputError("tiers", f"Bracket {index}: the maintenance rate must be a fraction from 0 up to 1.")
        if max_leverage < 1:
            raise InputError("tiers", f"Bracket {index}: the maximum leverage must be at least 1.")
        # Venues publish the amount; when it is left out, derive it so maintenance stays continuous.
        previous = checked[-1] if checked else None
        derived = floor * (rate - previous.rate) + previous.amount if previous else 0.0
        amount = row.get("maintenance_amount")
        amount = derived if amount is None else number("tiers", amount)
        checked.append(Tier(floor, cap, max_leverage, rate, amount))
    return tuple(checked)
