"""Names shared by the build, the page macros, the browser code, the tests and the benchmarks.

Each is defined here once. The browser code receives them through the widget's data attributes
(see macros/widgets.py), never as a second copy in JavaScript.
"""

# Site-relative paths of the glue the build publishes beside the pages.
WORKER = "assets/javascripts/calc-worker.mjs"
WIDGETS = "assets/javascripts/widgets.mjs"
SERVICE_WORKER = "sw.js"
LOCKFILE = "site-lock.json"
# The lean standard library (sitebuild/lean.py): its name differs from the stock zip's, so caches
# and hosts never mix the two.
STDLIB = "python_stdlib_lean.zip"

# The time the page gives the Python runtime to start before it says it could not. Browser tests
# and benchmarks wait on the runtime with this same budget, so a test cannot give up before the
# product does (Pyodide starts in 2-5 s here; the budget covers a loaded 2-core machine).
BOOT_BUDGET_MS = 60_000

# Steps the start-up progress bar shows (the worker reports 1..PROGRESS_STEPS).
PROGRESS_STEPS = 3

# Why the live calculator could not start, one plain phrase per kind of failure. The worker and
# widgets.mjs report a kind; the page shows its phrase inside "The live calculator could not start
# (...)" (widgets.mjs receives this table through the widget's data attributes), the developer
# console gets the details. The fault-injection tests (tests/test_faults.py) read the same table.
RUNTIME_FAILURES = {
    "missing": "a file it needs is missing on the server",
    "page": "the server sent a web page instead of one of its files",
    "refused": "the server refused to send one of its files",
    "damaged": "one of its files arrived damaged or incomplete",
    "network": "the connection broke while its files were downloading, or you are offline",
    "slow": f"its files took longer than {BOOT_BUDGET_MS // 1000} seconds to arrive",
    "unsupported": "this browser cannot run it",
    "crashed": "it failed while starting",
}
