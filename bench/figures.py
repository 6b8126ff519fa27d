"""One measured figure: its samples, median/min/max, and its target and verdict."""

import math
import statistics
from dataclasses import dataclass, field

OPS = {"<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b, "==": lambda a, b: a == b}


@dataclass
class Figure:
    key: str  # stable id in results.json, e.g. "start.cold_ratio"
    name: str  # the table's label
    unit: str  # s, ms, us, x, B, %, score
    samples: list  # one value per run (None for a failed run, left out of the stats)
    op: str | None = None  # "<=", ">=", "==" or None (reported, no target)
    limit: float | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)
    judge: str = "median"  # "median": the median meets the target; "all": every value does

    @property
    def values(self) -> list:
        return [v for v in self.samples if v is not None and not (isinstance(v, float) and math.isnan(v))]

    @property
    def median(self):
        return statistics.median(self.values) if self.values else None

    @property
    def min(self):
        return min(self.values) if self.values else None

    @property
    def max(self):
        return max(self.values) if self.values else None

    @property
    def target(self) -> str | None:
        if self.op is None:
            return None
        return f"{self.op} {fmt(self.limit, self.unit)}" + (" each" if self.judge == "all" else "")

    @property
    def passed(self) -> bool | None:
        """Judged on the median; None when there is no target (or no value)."""
        if self.op is None:
            return None
        if self.median is None:
            return False
        if self.judge == "all":
            return all(OPS[self.op](v, self.limit) for v in self.values)
        return OPS[self.op](self.median, self.limit)

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "name": self.name,
            "unit": self.unit,
            "median": self.median,
            "min": self.min,
            "max": self.max,
            "runs": len(self.values),
            "failed_runs": len(self.samples) - len(self.values),
            "samples": self.samples,
            "target": self.target,
            "pass": self.passed,
            "note": self.note,
            **self.extra,
        }


def ratios(numerators, denominators) -> list:
    """Per-run ratios of runs taken side by side (run i of one with run i of the other)."""
    return [a / b if a is not None and b else None for a, b in zip(numerators, denominators, strict=True)]


def percentile(values, p: float):
    """Nearest-rank percentile (p in 0-100) of the values; None when empty."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    rank = max(1, math.ceil(p / 100 * len(values)))
    return values[rank - 1]


def fmt(value, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "B":
        for size, suffix in ((1e6, "MB"), (1e3, "kB")):
            if abs(value) >= size:
                return f"{value / size:.2f} {suffix}"
        return f"{value:.0f} B"
    if unit == "%":
        return f"{value:.1f} %"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "score":
        return f"{value:.0f}"
    if unit in ("ms", "us"):
        return f"{value:.1f} {unit}" if abs(value) < 100 else f"{value:.0f} {unit}"
    if unit == "s":
        return f"{value:.2f} s"
    return f"{value:g} {unit}"
