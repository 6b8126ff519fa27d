"""Site benchmarks: `python -m bench` (or `make bench`).

Builds its own copy of the site into a temporary folder, serves it with tools/serve.py, and
measures, all in one run on this machine:

- build.py      `mkdocs build` time, and its ratio to a plain Material build of the same Markdown
- browser.py    calculator start (cold and warm) against the stock Pyodide floor, unthrottled and
                under a phone profile (throttle.py), recalculation latency, bytes on the wire
- lighthouse.py Lighthouse performance, accessibility and total blocking time for every page
- engine.py     the engine benchmark (also `python -m bench.engine`)

Each figure is the median of several runs with min and max (figures.py). report.py prints the
table and writes bench/results.json (not committed).
"""

import pathlib

from tools import chromium

ROOT = pathlib.Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
CHROMIUM = chromium.PATH
CHROME_ARGS = chromium.LAUNCH_ARGS
# The build's environment: Material 9.8's end-of-life banner is known, not news (see Makefile).
BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
