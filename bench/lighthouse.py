"""Lighthouse 12.8.2 (node_modules) on every page of the bench's build: performance, accessibility
and total blocking time, default mobile emulation (simulated 4x CPU slowdown and slow 4G).

Each run is a fresh Chromium profile launched by Lighthouse itself. Besides the scores, each run
keeps what cost the points: performance points lost per metric, the failing accessibility audits,
the diagnostics that did not pass, the longest main-thread tasks and the scripts that ran longest.
"""

import json
import os
import pathlib
import subprocess
import tempfile

from . import CHROME_ARGS, CHROMIUM, ROOT
from .figures import Figure

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
FLAGS = [
    "--chrome-flags=" + " ".join(["--headless=new", *CHROME_ARGS]),
    "--only-categories=performance,accessibility",
    "--output=json",
    "--quiet",
]
METRICS = (
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
    "speed-index",
    "interactive",
)
RUN_TIMEOUT_S = 240


def version() -> str | None:
    try:
        return subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except Exception:
        return None


def pages(site: pathlib.Path) -> list[str]:
    """Site-relative URL of every HTML page of the build (directory URLs for index.html)."""
    out = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("assets/", "bench-floor/")):
            continue
        out.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return sorted(out, key=lambda p: (p.count("/"), p))


def run_once(url: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-lh-") as tmp:
        output = pathlib.Path(tmp) / "report.json"
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        done = subprocess.run(
            [str(LIGHTHOUSE), url, *FLAGS, f"--output-path={output}"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=RUN_TIMEOUT_S,
        )
        if done.returncode != 0 or not output.exists():
            raise RuntimeError(f"lighthouse exited {done.returncode}: {done.stderr[-1500:]}")
        return summarise(json.loads(output.read_text(encoding="utf-8")))


def summarise(report: dict) -> dict:
    audits, categories = report["audits"], report["categories"]
    perf, a11y = categories["performance"], categories["accessibility"]
    weights = sum(ref["weight"] for ref in perf["auditRefs"])
    lost = {
        ref["id"]: round(ref["weight"] * (1 - (audits[ref["id"]]["score"] or 0)) / weights * 100, 1)
        for ref in perf["auditRefs"]
        if ref["weight"]
    }
    a11y_failed = [
        {
            "id": ref["id"],
            "weight": ref["weight"],
            "title": audits[ref["id"]]["title"],
            "items": [_node(item) for item in (audits[ref["id"]].get("details") or {}).get("items", [])[:5]],
        }
        for ref in a11y["auditRefs"]
        if ref["weight"] and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1
    ]
    diagnostics = []
    for ref in perf["auditRefs"]:
        audit = audits[ref["id"]]
        if ref.get("group") in ("metrics",) or audit.get("score") is None or audit["score"] >= 0.9:
            continue
        if audit.get("scoreDisplayMode") in ("notApplicable", "informative", "manual"):
            continue
        diagnostics.append(
            {
                "id": ref["id"],
                "title": audit["title"],
                "display": audit.get("displayValue"),
                "savings": audit.get("metricSavings") or {},
            }
        )
    diagnostics.sort(key=lambda d: -sum(v or 0 for k, v in d["savings"].items() if k in ("LCP", "FCP", "TBT")))

    def items(audit_id: str) -> list:
        return (audits.get(audit_id, {}).get("details") or {}).get("items", [])

    return {
        "performance": round(perf["score"] * 100) if perf["score"] is not None else None,
        "accessibility": round(a11y["score"] * 100) if a11y["score"] is not None else None,
        "metrics": {m: audits[m].get("numericValue") for m in METRICS if m in audits},
        "points_lost": lost,
        "accessibility_failed": a11y_failed,
        "diagnostics": diagnostics[:10],
        "long_tasks": [{"url": i.get("url"), "ms": round(i.get("duration", 0))} for i in items("long-tasks")[:6]],
        "bootup": [
            {"url": i.get("url"), "total_ms": round(i.get("total", 0)), "scripting_ms": round(i.get("scripting", 0))}
            for i in items("bootup-time")[:5]
        ],
        "mainthread": {i.get("groupLabel"): round(i.get("duration", 0)) for i in items("mainthread-work-breakdown")},
        "total_bytes": audits.get("total-byte-weight", {}).get("numericValue"),
        "benchmark_index": report.get("environment", {}).get("benchmarkIndex"),
        "warnings": report.get("runWarnings", []),
    }


def _node(item: dict) -> str:
    node = item.get("node") or {}
    explanation = (node.get("explanation") or "").split("\n")
    return f"{node.get('selector', '?')}: {explanation[1].strip() if len(explanation) > 1 else explanation[0]}"[:300]


def run(
    base: str, site_pages: list[str], widget_pages: set, runs: int = 1, widget_runs: int = 3, log=print
) -> tuple[list[Figure], dict]:
    results: dict[str, list[dict]] = {page: [] for page in site_pages}
    passes = max(runs, widget_runs)
    for n in range(passes):
        for page in site_pages:
            if n >= (widget_runs if page in widget_pages else runs):
                continue
            try:
                summary = run_once(base + page)
            except Exception as error:
                log(f"  lighthouse {page or '/'} run {n + 1} FAILED: {error}")
                summary = {"error": str(error)}
            results[page].append(summary)
            if "error" not in summary:
                log(
                    f"  lighthouse {page or '/':<34} run {n + 1}: perf {summary['performance']:>3}  "
                    f"a11y {summary['accessibility']:>3}  TBT {summary['metrics']['total-blocking-time']:6.0f} ms  "
                    f"(benchmarkIndex {summary['benchmark_index']})"
                )

    figures, perf_medians, a11y_medians, widget_tbt = [], [], [], []
    for page in site_pages:
        label = page or "/"
        ok = [r for r in results[page] if "error" not in r]
        perf = Figure(
            f"lighthouse.performance.{label}",
            f"LH performance {label}",
            "score",
            [r["performance"] for r in ok] or [None],
            ">=",
            95,
        )
        a11y = Figure(
            f"lighthouse.accessibility.{label}",
            f"LH accessibility {label}",
            "score",
            [r["accessibility"] for r in ok] or [None],
            "==",
            100,
        )
        is_widget = page in widget_pages
        tbt = Figure(
            f"lighthouse.tbt.{label}",
            f"LH total blocking time {label}",
            "ms",
            [r["metrics"]["total-blocking-time"] for r in ok] or [None],
            "<=" if is_widget else None,
            50 if is_widget else None,
            note="widget page" if is_widget else "",
        )
        figures += [perf, a11y, tbt]
        perf_medians.append(perf.median)
        a11y_medians.append(a11y.median)
        if is_widget:
            widget_tbt.append(tbt.median)
    n = len(site_pages)
    overall = [
        Figure(
            "lighthouse.performance.all",
            f"LH performance, all {n} pages",
            "score",
            perf_medians,
            ">=",
            95,
            judge="all",
            note="samples: each page's median",
        ),
        Figure(
            "lighthouse.accessibility.all",
            f"LH accessibility, all {n} pages",
            "score",
            a11y_medians,
            "==",
            100,
            judge="all",
            note="samples: each page's median",
        ),
        Figure(
            "lighthouse.tbt.widgets",
            f"LH TBT, the {len(widget_tbt)} widget pages",
            "ms",
            widget_tbt,
            "<=",
            50,
            judge="all",
            note="samples: each widget page's median",
        ),
    ]
    return overall + figures, results
