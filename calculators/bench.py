"""Engine benchmarks: `python -m calculators.bench` (or `make bench`).

Prints figures, asserts nothing: speed is reported, not tested. Each figure is the median of
several repeats (with min and max), each repeat timing many calls with time.perf_counter.
Targets (issue 2): <= 20 us per liquidation_price call, <= 2 ms per 1-100x ladder.
"""

import statistics
import sys
import time

from .engine import liquidation_price
from .ladder import leverage_ladder

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


REPEATS = 7


def run(repeats: int = REPEATS) -> dict:
    results = {}
    for name, kwargs in CASES.items():
        samples = _time(lambda: liquidation_price(**kwargs), 2000, repeats)
        results[f"liquidation_price: {name}"] = samples
    ladder = lambda: leverage_ladder(range(1, 101), venue="binance", maintenance_margin_rate=0.004)
    results["leverage_ladder 1-100x"] = _time(ladder, 100, repeats)
    return results


def main() -> int:
    print(f"calculators benchmark on CPython {sys.version.split()[0]} ({REPEATS} repeats; median [min - max])")
    for name, samples in run().items():
        unit, scale = ("us", 1e6) if "ladder" not in name else ("ms", 1e3)
        med, low, high = (statistics.median(samples) * scale, min(samples) * scale, max(samples) * scale)
        target = "target <= 2 ms" if "ladder" in name else "target <= 20 us"
        print(f"  {name:<42} {med:8.2f} {unit}  [{low:.2f} - {high:.2f}]  ({target})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
