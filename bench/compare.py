"""Two builds of the site side by side: which one reaches its first live result sooner.

On a busy two-core machine every figure of `make bench` moves at once, so one lever is judged by
serving two builds at the same time and loading them in alternation, cold, with the bench's own
measurement (navigation to the first live result on `calculators/`). Build each commit first:

    .venv/bin/mkdocs build -q --site-dir /tmp/before    (in a worktree of the older commit)
    .venv/bin/mkdocs build -q --site-dir /tmp/after
    .venv/bin/python -m bench.compare /tmp/before /tmp/after --rounds 10

It prints each build's median, min and max, and the median of the per-round ratio after/before.
`--host gzip` serves both like GitHub Pages (no sibling read, gzip on the fly), `--profile phone`
loads them under the bench's phone profile (4x CPU, 10 Mbit/s, 40 ms).
"""

import argparse
import statistics
import threading

from playwright.sync_api import sync_playwright

from tools.serve import make_server

from . import browser

PREFIX = "/leverage-optimism/"  # the default site_url's path (mkdocs.yml)
PAGE = "calculators/"


# The bench's two kinds of host (bench/serve.py): one that reads the siblings, one like GitHub Pages.
HOSTS: dict[str, tuple[tuple[str, ...], bool]] = {"siblings": (("br", "gzip"), True), "gzip": (("gzip",), False)}
PROFILES = {profile.name: profile for profile in browser.PROFILES}


def _serve(site: str, host: str) -> str:
    encodings, siblings = HOSTS[host]
    server = make_server(site, 0, verbose=False, prefix=PREFIX, encodings=encodings, siblings=siblings)
    threading.Thread(target=server.serve_forever, daemon=True, name=f"compare-{site}").start()
    return f"http://127.0.0.1:{server.server_address[1]}{PREFIX}{PAGE}"


def compare(
    before: str, after: str, rounds: int, host: str = "siblings", profile: browser.Profile = browser.UNTHROTTLED
) -> dict[str, list[float]]:
    urls = {"before": _serve(before, host), "after": _serve(after, host)}
    times: dict[str, list[float]] = {"before": [], "after": []}
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        for i in range(rounds):
            for name in ("before", "after") if i % 2 == 0 else ("after", "before"):
                context, page = browser._page(chromium, profile)
                try:
                    with profile.cpu():
                        times[name].append(browser._site_start(page, urls[name])["ms"])
                finally:
                    context.close()
            print(f"round {i + 1}/{rounds}: before {times['before'][-1]:.0f} ms, after {times['after'][-1]:.0f} ms")
        chromium.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.splitlines()[0])
    parser.add_argument("before", help="the older build's folder")
    parser.add_argument("after", help="the newer build's folder")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--host", choices=sorted(HOSTS), default="siblings")
    parser.add_argument("--profile", choices=sorted(PROFILES), default=browser.UNTHROTTLED.name)
    args = parser.parse_args()
    times = compare(args.before, args.after, args.rounds, args.host, PROFILES[args.profile])
    for name, values in times.items():
        print(f"{name}: median {statistics.median(values):.0f} ms [{min(values):.0f}-{max(values):.0f}]")
    ratios = [after / before for before, after in zip(times["before"], times["after"], strict=True)]
    print(f"after / before, median of {len(ratios)} rounds: {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
