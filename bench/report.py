"""The printed table and bench/results.json."""

import datetime
import json
import os
import platform
import subprocess
import sys

from . import CHROMIUM, RESULTS, ROOT
from .figures import fmt

VERDICT = {True: "pass", False: "MISS", None: "-"}


def machine(browser_version: str | None, lighthouse_version: str | None) -> dict:
    def command(*args):
        try:
            return subprocess.run(args, capture_output=True, text=True, timeout=30, cwd=ROOT).stdout.strip()
        except Exception:
            return None

    try:
        from sitebuild.runtime import pyodide_version

        pyodide = pyodide_version()
    except Exception:
        pyodide = None
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "nproc": int(command("nproc") or os.cpu_count() or 0),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "chromium": browser_version,
        "chromium_version_line": (command(CHROMIUM, "--version") or "").splitlines()[-1:] or None,
        "node": command("node", "--version"),
        "lighthouse": lighthouse_version,
        "pyodide": pyodide,
        "git_commit": command("git", "rev-parse", "HEAD"),
        "git_dirty": bool(command("git", "status", "--porcelain")),
    }


def _cpu_model() -> str | None:
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def table(sections: list[tuple[str, list]]) -> str:
    rows = [("figure", "median", "[min - max]", "runs", "target", "verdict")]
    marks = []
    for title, figures in sections:
        marks.append(len(rows))
        rows.append((f"-- {title}", "", "", "", "", ""))
        for f in figures:
            spread = f"[{fmt(f.min, f.unit)} - {fmt(f.max, f.unit)}]" if f.values else ""
            rows.append((f.name, fmt(f.median, f.unit), spread, str(len(f.values)), f.target or "-", VERDICT[f.passed]))
    widths = [max(len(r[i]) for n, r in enumerate(rows) if n not in marks) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        if n in marks:
            lines.append(row[0])
            continue
        cells = [
            row[0].ljust(widths[0]),
            row[1].rjust(widths[1]),
            row[2].ljust(widths[2]),
            row[3].rjust(widths[3]),
            row[4].ljust(widths[4]),
            row[5],
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("-" * len(lines[-1]))
    return "\n".join(lines)


def costs(lighthouse_runs: dict, widget_pages: set) -> str:
    """What cost the Lighthouse points: a line per page that missed a target (its median-score run),
    details for widget pages, and the diagnostics most pages share."""
    lines: list[str] = []
    shared: dict[str, set[str]] = {}  # diagnostic id -> pages where it did not pass
    missed = 0
    for page, runs in lighthouse_runs.items():
        ok = sorted((r for r in runs if "error" not in r), key=lambda r: r["performance"])
        if not ok:
            continue
        run = ok[len(ok) // 2]
        for d in run["diagnostics"]:
            shared.setdefault(d["id"], set()).add(page)
        widget = page in widget_pages
        m = run["metrics"]
        tbt = m["total-blocking-time"]
        if run["performance"] >= 95 and run["accessibility"] == 100 and not (widget and tbt > 50):
            continue
        missed += 1
        lost = ", ".join(
            f"{k.replace('-', ' ')} -{v}"
            for k, v in sorted(run["points_lost"].items(), key=lambda kv: -kv[1])
            if v >= 0.5
        )
        lines.append(
            f"{page or '/'}{' (widget page)' if widget else ''}: "
            f"perf {run['performance']}, a11y {run['accessibility']}; "
            f"FCP {m['first-contentful-paint']:.0f} ms, LCP {m['largest-contentful-paint']:.0f} ms, TBT {tbt:.0f} ms; "
            f"points lost: {lost or 'none'}"
        )
        for audit in run["accessibility_failed"]:
            lines.append(
                f"    a11y fails {audit['id']} (weight {audit['weight']}): "
                f"{audit['items'][0] if audit['items'] else audit['title']}"
            )
        if widget:
            tasks = ", ".join(f"{t['ms']} ms {short(t['url'])}" for t in run["long_tasks"][:4])
            lines.append(f"    longest main-thread tasks (simulated, x4 CPU): {tasks or 'none'}")
            boot = ", ".join(f"{short(b['url'])} {b['total_ms']} ms" for b in run["bootup"][:3])
            lines.append(f"    main-thread time by script: {boot}")
            kinds = ", ".join(f"{k} {v} ms" for k, v in list(run["mainthread"].items())[:4])
            lines.append(f"    main-thread time by kind: {kinds}")
    n = len(lighthouse_runs)
    common = sorted(shared.items(), key=lambda kv: -len(kv[1]))[:8]
    if common:
        lines.append(
            f"diagnostics not passed, on how many of the {n} pages: "
            + "; ".join(f"{name} {len(pages)}/{n}" for name, pages in common)
        )
    return "\n".join(lines)


def short(url) -> str:
    return str(url).split("://", 1)[-1].split("/", 1)[-1] if url else "?"


def write(data: dict, path=RESULTS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, default=str) + "\n", encoding="utf-8")
