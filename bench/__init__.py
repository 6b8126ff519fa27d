"""Site benchmarks: `python -m bench` (or `make bench`).

Builds its own copy of the site into a temporary folder, serves it with tools/serve.py, and
measures, all in one run on this machine:

- build.py      `mkdocs build` time, and its ratio to a plain Material build of the same Markdown
- browser.py    calculator start (cold and warm) against a bare Pyodide floor, recalculation
                latency, transferred bytes
- lighthouse.py Lighthouse performance, accessibility and total blocking time for every page
- engine.py     calculators.bench's engine figures

Each figure is the median of several runs with min and max (figures.py). report.py prints the
table and writes bench/results.json (not committed).
"""

import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The build's environment: Material 9.8's end-of-life banner is known, not news (see Makefile).
BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
