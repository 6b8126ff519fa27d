"""The bare floor: the least a page can do to get one line of Python run by stock Pyodide.

A bare HTML page (no theme, no CSS) whose module script starts a module worker; the worker calls
a bare `loadPyodide({indexURL})` on the npm package's own files, copied as the package ships them
into bench-floor/runtime/ (pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm, the stock
python_stdlib.zip, pyodide-lock.json): no lean stdlib, no wheel, no precompiled modules, and no
precompressed siblings, so the same server compresses them on the fly as a host does for any site
that ships Pyodide from npm. It runs one line of Python. The calculators' start is measured against
this stock floor. The page records
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
const runtime = new URL("runtime/", location.href).href;
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
    // Stock defaults: python_stdlib.zip and pyodide-lock.json from indexURL.
    const pyodide = await loadPyodide({ indexURL: runtime, stdout: () => {}, stderr: () => {} });
    self.postMessage({ ok: true, value: pyodide.runPython("sum(range(10))") });
  } catch (error) {
    self.postMessage({ ok: false, error: String((error && error.message) || error) });
  }
};
"""


# A fixed busy loop timed on the page's main thread and in a module worker: the phone profile's
# CPU slowdown is checked with it (bench/browser.py `cpu_figures`), not assumed.
SPIN_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CPU check</title>
<script type="module" src="spin.mjs"></script></head>
<body><p>CPU check for the benchmarks.</p></body></html>
"""
SPIN_LOOP = "let x = 0; const t = performance.now(); for (let i = 0; i < 4e7; i++) x += i % 7;"
SPIN_SCRIPT = (
    "const spin = (window.__spin = {});\n"
    + SPIN_LOOP
    + "\nspin.main = performance.now() - t;\n"
    + 'const worker = new Worker(new URL("spin-worker.mjs", import.meta.url).href, { type: "module" });\n'
    + "worker.onmessage = (event) => { spin.worker = event.data; document.body.dataset.done = 'ok'; };\n"
)
SPIN_WORKER = SPIN_LOOP + "\npostMessage(performance.now() - t);\n"

NPM_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")


def write(site: pathlib.Path) -> str:
    """Write the floor page into the served site; returns its site-relative URL."""
    folder = site / FOLDER
    folder.mkdir(exist_ok=True)
    (folder / "index.html").write_text(PAGE, encoding="utf-8")
    (folder / "floor.mjs").write_text(SCRIPT, encoding="utf-8")
    (folder / "floor-worker.mjs").write_text(WORKER, encoding="utf-8")
    (folder / "spin.html").write_text(SPIN_PAGE, encoding="utf-8")
    (folder / "spin.mjs").write_text(SPIN_SCRIPT, encoding="utf-8")
    (folder / "spin-worker.mjs").write_text(SPIN_WORKER, encoding="utf-8")
    (folder / "runtime").mkdir(exist_ok=True)
    for name in NPM_FILES:
        shutil.copy2(ROOT / "node_modules" / "pyodide" / name, folder / "runtime" / name)
    return FOLDER + "/"
