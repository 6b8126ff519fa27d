"""Publish the in-browser Python runtime with the site: Pyodide from npm, our wheel, a lockfile.

Runs after every build (see sitebuild/__init__.py). Nothing is fetched from a CDN: the browser loads Pyodide
from the site itself and `loadPackage("calculators")` checks the wheel against the sha256 that
`pyodide lockfile add-wheels` (pyodide-build) wrote into the trimmed lockfile.
"""

import json
import os
import pathlib
import shutil
import tempfile

from pyodide_lock import PyodideLockSpec
from pyodide_lock.utils import add_wheels_to_spec

from . import layout
from . import wheel as wheel_builder

ROOT = pathlib.Path(__file__).resolve().parent.parent
NPM_PYODIDE = ROOT / "node_modules" / "pyodide"
# The core runtime: what loadPyodide() fetches. Nothing else from the npm package ships.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
SITE_PACKAGES = ("calculators",)  # what the widgets load; the lockfile is trimmed to these


def pyodide_version() -> str:
    return json.loads((NPM_PYODIDE / "package.json").read_text())["version"]


def runtime_dir() -> str:
    """Site-relative folder of the runtime, versioned so it can be cached for good."""
    return f"assets/runtime/pyodide-{pyodide_version()}"


def publish(site_dir: str | os.PathLike) -> pathlib.Path:
    if not NPM_PYODIDE.exists():
        raise RuntimeError("node_modules/pyodide is missing: run `make install` (it runs `npm ci`).")
    dest = pathlib.Path(site_dir) / runtime_dir()
    dest.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        _link_or_copy(NPM_PYODIDE / name, dest / name)
    with tempfile.TemporaryDirectory() as tmp:
        built = wheel_builder.build(pathlib.Path(tmp))
        shutil.copy2(built, dest / built.name)
    # pyodide-build's lockfile tool (the function `pyodide lockfile add-wheels` runs), in-process:
    # it records the wheel's sha256, which the browser checks before installing it.
    # It starts from the runtime's own lockfile, trimmed first: validating its ~300 entries only to
    # drop them again was most of this step's time.
    base = _trim(json.loads((NPM_PYODIDE / "pyodide-lock.json").read_text()), keep=())
    spec = add_wheels_to_spec(PyodideLockSpec.from_dict(base), [dest / built.name], base_path=dest)
    (dest / layout.LOCKFILE).write_text(json.dumps(_trim(spec.to_dict())))
    return dest


def _link_or_copy(source: pathlib.Path, target: pathlib.Path) -> None:
    """The runtime is 13 MB: a hard link costs nothing when node_modules shares the disk."""
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _trim(lock: dict, keep=SITE_PACKAGES) -> dict:
    """Keep only the packages the site loads and what they depend on (119 KB -> about 1 KB)."""
    packages = lock["packages"]
    kept, todo = set(), [name for name in keep if name in packages]
    while todo:
        name = todo.pop()
        if name not in kept:
            kept.add(name)
            todo.extend(packages[name].get("depends", []))
    return {**lock, "packages": {name: packages[name] for name in sorted(kept)}}
