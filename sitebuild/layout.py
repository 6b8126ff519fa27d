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
