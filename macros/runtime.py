"""Publish the in-browser Python runtime with the site: Pyodide from npm, our wheel, a lockfile.

Runs after every build (see hooks.py). Nothing is fetched from a CDN: the browser loads Pyodide
from the site itself and `loadPackage("calculators")` checks the wheel against the sha256 that
`pyodide lockfile add-wheels` (pyodide-build) wrote into the trimmed lockfile.
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
NPM_PYODIDE = ROOT / "node_modules" / "pyodide"
# The core runtime: what loadPyodide() fetches. Nothing else from the npm package ships.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
SITE_PACKAGES = ("calculators",)  # what the widgets load; the lockfile is trimmed to these
LOCKFILE = "site-lock.json"


def pyodide_version() -> str:
    return json.loads((NPM_PYODIDE / "package.json").read_text())["version"]


def runtime_dir() -> str:
    """Site-relative folder of the runtime, versioned so it can be cached for good."""
    return f"assets/runtime/pyodide-{pyodide_version()}"


def publish(site_dir: str) -> pathlib.Path:
    if not NPM_PYODIDE.exists():
        raise RuntimeError("node_modules/pyodide is missing: run `make install` (it runs `npm ci`).")
    dest = pathlib.Path(site_dir) / runtime_dir()
    dest.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        shutil.copy2(NPM_PYODIDE / name, dest / name)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = _build_wheel(pathlib.Path(tmp))
        shutil.copy2(wheel, dest / wheel.name)
        full_lock = pathlib.Path(tmp) / "lock.json"
        subprocess.run(
            [sys.executable, "-m", "pyodide_cli", "lockfile", "add-wheels",
             "--input", str(NPM_PYODIDE / "pyodide-lock.json"), "--output", str(full_lock),
             "--base-path", str(dest), str(dest / wheel.name)],
            check=True, capture_output=True, text=True,
        )
        (dest / LOCKFILE).write_text(json.dumps(_trim(json.loads(full_lock.read_text()))))
    return dest


def _build_wheel(out: pathlib.Path) -> pathlib.Path:
    # A fixed timestamp keeps the wheel (and so its sha256) the same for the same code.
    env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(ROOT)],
        check=True, capture_output=True, text=True, env=env,
    )
    return next(out.glob("calculators-*.whl"))


def _trim(lock: dict) -> dict:
    """Keep only the packages the site loads and what they depend on (119 KB -> about 1 KB)."""
    packages = lock["packages"]
    keep, todo = set(), list(SITE_PACKAGES)
    while todo:
        name = todo.pop()
        if name not in keep:
            keep.add(name)
            todo.extend(packages[name].get("depends", []))
    return {**lock, "packages": {name: packages[name] for name in sorted(keep)}}
