"""`python -m bench`: build, serve, measure, print the table, write bench/results.json."""

import argparse
import os
import pathlib
import shutil
import sys
import tempfile
import time

from . import RESULTS, build, engine, floor, lighthouse, report, serve

PHASES = ("engine", "build", "start", "phone", "recalc", "bytes", "lighthouse")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--build-runs", type=int, default=5)
    parser.add_argument("--start-runs", type=int, default=5, help="cold+warm pairs, site and floor each")
    parser.add_argument("--phone-runs", type=int, default=3, help="start runs under the phone profile")
    parser.add_argument("--recalc-sessions", type=int, default=3)
    parser.add_argument("--bytes-runs", type=int, default=3)
    parser.add_argument(
        "--lighthouse-runs",
        type=int,
        default=int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", 1)),
        help="runs per content page (default 1, or $BENCH_LIGHTHOUSE_RUNS)",
    )
    parser.add_argument("--widget-lighthouse-runs", type=int, default=3, help="runs per widget page")
    parser.add_argument("--only", default=",".join(PHASES), help=f"comma-separated subset of {','.join(PHASES)}")
    parser.add_argument("--output", type=pathlib.Path, default=RESULTS)
    parser.add_argument("--keep", action="store_true", help="keep the temporary build folder")
    args = parser.parse_args(argv)
    phases = [p.strip() for p in args.only.split(",") if p.strip()]
    unknown = set(phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phase(s): {', '.join(sorted(unknown))}")

    started = time.perf_counter()

    def log(text: str) -> None:
        print(text, flush=True)

    load = {"begin": os.getloadavg()}
    sections, phase_seconds, widget_pages, site_pages = [], {}, set(), []
    lighthouse_runs: dict[str, list[dict]] = {}  # page -> one summary per Lighthouse run
    browser_version = None
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="ahamirror-bench-"))
    log(f"ahamirror bench: {', '.join(phases)}; temporary build in {tmp}")

    def phase(name):
        phase_seconds[name] = time.perf_counter()
        load[name] = os.getloadavg()
        log(f"\n[{name}] (load average {load[name][0]:.2f})")

    def done(name):
        phase_seconds[name] = round(time.perf_counter() - phase_seconds[name], 1)

    try:
        if "engine" in phases:
            phase("engine")
            sections.append(("engine (CPython, bench/engine.py)", engine.run()))
            done("engine")

        # The site is always built: the browser phases and Lighthouse need it.
        phase("build")
        build_figures, last_full = build.run(tmp, args.build_runs if "build" in phases else 1, log=log)
        if "build" in phases:
            sections.append(("site build (mkdocs)", build_figures))
        done("build")
        prefix = build.url_prefix()
        site = serve.place(last_full, tmp / "root", prefix)
        floor.write(site)
        site_pages = lighthouse.pages(site)
        widget_pages = {
            p
            for p in site_pages
            if "data-widget="
            in (site / (p + "index.html" if p.endswith("/") or not p else p)).read_text(encoding="utf-8")
        }
        server, base = serve.start(tmp / "root", prefix)
        # The same build on a host that only gzips on the fly and reads no sibling (GitHub Pages), for
        # the bytes phase.
        gzip_server, gzip_base = serve.start(tmp / "root", prefix, encodings=("gzip",), siblings=False)
        log(f"serving {site} at {base} ({len(site_pages)} pages; widgets on {', '.join(sorted(widget_pages))})")

        browser_phases = [p for p in ("start", "phone", "recalc", "bytes") if p in phases]
        from playwright.sync_api import sync_playwright

        from . import browser as chromium

        with sync_playwright() as playwright:
            browser = chromium.launch(playwright)
            browser_version = browser.version
            try:
                if "start" in browser_phases:
                    phase("start")
                    sections.append(
                        (
                            "calculator start (navigation to first live result)",
                            chromium.start_figures(browser, base, args.start_runs, log=log),
                        )
                    )
                    done("start")
                if "phone" in browser_phases:
                    phase("phone")
                    sections.append(
                        (
                            f"calculator start, {chromium.PHONE.label}",
                            chromium.cpu_figures(browser, base, chromium.PHONE, log=log)
                            + chromium.start_figures(browser, base, args.phone_runs, chromium.PHONE, log=log),
                        )
                    )
                    done("phone")
                if "recalc" in browser_phases:
                    phase("recalc")
                    sections.append(
                        (
                            "recalculation (every widget that recomputes as you type)",
                            chromium.recalc_figures(browser, base, args.recalc_sessions, log=log),
                        )
                    )
                    done("recalc")
                if "bytes" in browser_phases:
                    phase("bytes")
                    content = [p for p in site_pages if p not in widget_pages]
                    sections.append(
                        (
                            "bytes on the wire (as each kind of host encodes them)",
                            chromium.bytes_figures(
                                browser, {"br": base, "gzip": gzip_base}, content, args.bytes_runs, log=log
                            ),
                        )
                    )
                    done("bytes")
            finally:
                browser.close()

        if "lighthouse" in phases:
            phase("lighthouse")
            figures, lighthouse_runs = lighthouse.run(
                base, site_pages, widget_pages, args.lighthouse_runs, args.widget_lighthouse_runs, log=log
            )
            runs_note = (
                f"{args.lighthouse_runs} run(s) per content page, {args.widget_lighthouse_runs} per widget page"
                + (" (one run per content page to keep the bench near 15 minutes)" if args.lighthouse_runs < 3 else "")
            )
            sections.append((f"Lighthouse 12.8.2, mobile ({runs_note})", figures))
            done("lighthouse")
        server.shutdown()
        gzip_server.shutdown()
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    total = time.perf_counter() - started
    load["end"] = os.getloadavg()
    figures = [f for _, section in sections for f in section]
    missed = [f for f in figures if f.passed is False]
    machine = {
        **report.machine(browser_version, lighthouse.version() if "lighthouse" in phases else None),
        "load_average": {k: [round(x, 2) for x in v] for k, v in load.items()},
    }
    data = {
        "machine": machine,
        "bench_seconds": round(total, 1),
        "phase_seconds": phase_seconds,
        "settings": vars(args) | {"output": str(args.output)},
        "targets_missed": [f.key for f in missed],
        "figures": [f.as_json() for f in figures],
        "lighthouse": {
            "pages": site_pages,
            "widget_pages": sorted(widget_pages),
            "runs_per_content_page": args.lighthouse_runs,
            "runs_per_widget_page": args.widget_lighthouse_runs,
            "runs": lighthouse_runs,
        },
    }
    report.write(data, args.output)

    print("\n" + report.table(sections))
    if lighthouse_runs:
        detail = report.costs(lighthouse_runs, widget_pages)
        if detail:
            print("\nLighthouse: what cost the points (median run of each page that missed a target)\n" + detail)
    busy = max(v[0] for v in load.values())
    if busy > machine["nproc"]:
        print(
            f"\nWARNING: the machine was busy (1-minute load average up to {busy:.1f} "
            f"on {machine['nproc']} cores): "
            "timings are inflated and noisy; rerun on a quiet machine before trusting a verdict."
        )
    print(
        f"\n{len(figures)} figures, {sum(f.passed is True for f in figures)} pass, {len(missed)} miss; "
        f"load average {load['begin'][0]:.2f} at start, {load['end'][0]:.2f} at end ({machine['nproc']} cores)"
    )
    print(
        f"bench time {total / 60:.1f} min ({', '.join(f'{k} {v:.0f} s' for k, v in phase_seconds.items())}); "
        f"results in {os.path.relpath(args.output)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
