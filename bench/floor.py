"""The bare floor: the least a page can do to get one line of Python run by stock Pyodide.

A bare HTML page (no theme, no CSS) whose module script starts a module worker; the worker
imports the same runtime files the calculators use (assets/runtime/pyodide-*/pyodide.mjs) but
boots them as the npm package ships them: the stock standard library zip (copied beside the floor,
since the site publishes only its lean one), no wheel, no precompiled modules, and runs one line of
Python. The calculators' start is measured against this stock floor. The page records
performance.now() (ms since navigation start) when the answer arrives.
The scripts are separate files because the site's CSP forbids inline scripts.
"""

import pathlib
import shutil

from . import ROOT

FOLDER = "bench-floor"

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Pyodide floor</title>
<script type="module" src="floor.mjs"></script></head>
<body><p>Bare Pyodide floor for the benchmarks.</p></body></html>
"""

SCRIPT = """const floor = (window.__floor = { doneMs: null, value: null, error: null });
const runtime = new URL("../__RUNTIME__/", location.href).href;
const worker = new Worker(new URL("floor-worker.mjs", import.meta.url).href, { type: "module" });
worker.onmessage = (event) => {
  const data = event.data || {};
  if (data.ok) { floor.doneMs = performance.now(); floor.value = data.value; }
  else floor.error = data.error;
  document.body.dataset.done = data.ok ? "ok" : "failed";
};
worker.postMessage({ runtime });
"""

WORKER = """self.onmessage = async (event) => {
  try {
    const runtime = event.data.runtime;
    const { loadPyodide } = await import(runtime + "pyodide.mjs");
    const pyodide = await loadPyodide({
      indexURL: runtime,
      stdLibURL: new URL("python_stdlib.zip", import.meta.url).href,  // the stock zip, beside this file
      lockFileURL: runtime + "site-lock.json",
      packageBaseUrl: runtime,
      stdout: () => {},
      stderr: () => {},
    });
    self.postMessage({ ok: true, value: pyodide.runPython("sum(range(10))") });
  } catch (error) {
    self.postMessage({ ok: false, error: String((error && error.message) || error) });
  }
};
"""


def write(site: pathlib.Path) -> str:
    """Write the floor page into the served site; returns its site-relative URL."""
    runtime = next(site.glob("assets/runtime/pyodide-*/pyodide.mjs")).parent.relative_to(site).as_posix()
    folder = site / FOLDER
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text(PAGE, encoding="utf-8")
    (folder / "floor.mjs").write_text(SCRIPT.replace("__RUNTIME__", runtime), encoding="utf-8")
    (folder / "floor-worker.mjs").write_text(WORKER, encoding="utf-8")
    shutil.copy2(ROOT / "node_modules" / "pyodide" / "python_stdlib.zip", folder / "python_stdlib.zip")
    return FOLDER + "/"
