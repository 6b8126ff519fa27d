"""The engine's own figures, from calculators.bench (median of its repeats, each many calls)."""

from calculators import bench as engine_bench

from .figures import Figure


def run(repeats: int = engine_bench.REPEATS) -> list[Figure]:
    figures = []
    for name, samples in engine_bench.run(repeats).items():
        ladder = "ladder" in name
        scale, unit, limit = (1e3, "ms", 2) if ladder else (1e6, "us", 20)
        key = "engine." + ("ladder" if ladder else name.split(": ", 1)[-1].replace(" ", "_").replace("+", "plus"))
        figures.append(
            Figure(
                key,
                ("engine " + name) if ladder else "engine " + name.replace("liquidation_price: ", "liquidation_price "),
                unit,
                [s * scale for s in samples],
                "<=",
                limit,
                note="per call" if not ladder else "per 1-100x ladder",
            )
        )
    return figures
