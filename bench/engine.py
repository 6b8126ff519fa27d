"""Engine benchmark: `python -m bench.engine` alone, or as the first phase of `make bench`.

Prints figures, asserts nothing: speed is reported, not tested. Each figure is the median of
several repeats (with min and max), each repeat timing many calls with time.perf_counter.
The engine is benchmarked here, not inside `calculators`, so the browser's wheel carries none of it.
"""

import sys
import time

from calculators import leverage_ladder, liquidation_price

from .figures import Figure
from .report import table

REPEATS = 7
# Targets (issue 2), written once: per liquidation_price call and per 1-100x ladder.
CALL_TARGET_US = 20
LADDER_TARGET_MS = 2

CASES = {
    "binance isolated long": dict(
        venue="binance", side="long", entry_price=50000, quantity=0.02, leverage=20, maintenance_margin_rate=0.004
    ),
    "okx cross short + fee": dict(
        venue="okx",
        side="short",
        margin_mode="cross",
        entry_price=60000,
        quantity=1.5,
        leverage=10,
        margin=20000,
        maintenance_margin_rate=0.005,
        taker_fee_rate=0.0005,
        other_maintenance=120,
        other_unrealized_pnl=-300,
    ),
    "binance tiers preset": dict(
        venue="binance", side="long", entry_price=60000, quantity=40, leverage=20, tiers="binance-btcusdt-2024-10"
    ),
    "bitmex inverse": dict(
        venue="bitmex",
        side="long",
        contract="inverse",
        entry_price=60000,
        quantity=100000,
        leverage=25,
        maintenance_margin_rate=0.0035,
        taker_fee_rate=0.00075,
    ),
}


def _time(function, number: int, repeats: int) -> list[float]:
    """Seconds per call, one figure per repeat."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            function()
        samples.append((time.perf_counter() - start) / number)
    return samples


def _ladder() -> None:
    leverage_ladder(range(1, 101), venue="binance", maintenance_margin_rate=0.004)


def run(repeats: int = REPEATS) -> list[Figure]:
    figures = []
    for name, kwargs in CASES.items():
        samples = _time(lambda kwargs=kwargs: liquidation_price(**kwargs), 2000, repeats)
        figures.append(
            Figure(
                f"engine.{name.replace(' ', '_').replace('+', 'plus')}",
                f"engine liquidation_price {name}",
                "us",
                [s * 1e6 for s in samples],
                "<=",
                CALL_TARGET_US,
                note="per call",
            )
        )
    ladder = _time(_ladder, 100, repeats)
    figures.append(
        Figure(
            "engine.ladder",
            "engine leverage_ladder 1-100x",
            "ms",
            [s * 1e3 for s in ladder],
            "<=",
            LADDER_TARGET_MS,
            note="per 1-100x ladder",
        )
    )
    return figures


def main() -> int:
    print(f"engine benchmark on CPython {sys.version.split()[0]} ({REPEATS} repeats; median [min - max])")
    print(table([("engine", run())]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
