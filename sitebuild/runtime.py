"""Publish the in-browser Python runtime with the site: Pyodide from npm, a lean stdlib, our wheel, a lockfile.

Runs after every build (see sitebuild/__init__.py). Nothing is fetched from a CDN: the browser loads Pyodide
from the site itself, and the worker imports the calculators package straight from the wheel the
trimmed lockfile names, once its bytes have passed the build's manifest and the lockfile's sha256 is
that of the wheel the build published (calc-worker.mjs, fetchChecked and addWheel).
The standard library and the wheel are the lean, precompiled ones `lean.py` builds and verifies
(cached: no Node run when nothing changed).
"""

import json
import os
import pathlib
import shutil

from . import compress, layout

ROOT = pathlib.Path(__file__).resolve().parent.parent
NPM_PYODIDE = ROOT / "node_modules" / "pyodide"
NPM_BROTLI = ROOT / "node_modules" / "brotli-dec-wasm" / "pkg"
# The core runtime from npm, published as is; it never changes within its versioned folder, so hosts may
# cache it for good (headers.py). Nothing else from the npm package ships: the stock python_stdlib.zip
# is replaced by the lean one.
RUNTIME_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
# The lean stdlib (calc-worker.mjs passes it as `stdLibURL`). Its content follows the calculators code,
# not the Pyodide version, so it is revalidated like the wheel rather than cached for good; its own
# name keeps it apart from the stock zip in any cache.
STDLIB = layout.STDLIB
# A brotli decoder (the npm package brotli-dec-wasm, pinned in package.json), published under these
# names, for hosts that do not send brotli themselves (GitHub Pages gzips on the fly): the worker then
# fetches the .br siblings of the wasm, the stdlib and the wheel as they are and decodes them itself
# (calc-worker.mjs). The decoder is about 0.1 MB gzipped; the brotli siblings save about 1 MB.
DECODER_FILES = {
    "brotli-decoder.mjs": NPM_BROTLI / "brotli_dec_wasm.js",
    "brotli-decoder.wasm": NPM_BROTLI / "brotli_dec_wasm_bg.wasm",
}
# The runtime files the worker imports as modules (`import()`): only the browser can decode those,
# so the worker never fetches their .br siblings itself.
MODULES = ("pyodide.mjs", "pyodide.asm.mjs")
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
    for name, source in DECODER_FILES.items():
        if not source.exists():
            raise RuntimeError(f"{source} is missing: run `make install` (it runs `npm ci`).")
        _link_or_copy(source, dest / name)
    from . import lean  # imports this module: imported here, not at the top

    built = lean.build(NPM_PYODIDE)
    # Copies, not links: the cache must not change if someone edits a built site in place.
    shutil.copy2(built.stdlib, dest / STDLIB)
    shutil.copy2(built.wheel, dest / built.wheel.name)
    shutil.copy2(built.lockfile, dest / layout.LOCKFILE)  # made with the wheel, in the cache
    # .br and .gz siblings for hosts that serve them; those of the zip and the wheel encode their
    # stored form (compress.stored_copy).
    compress.precompress(dest, [*RUNTIME_FILES, STDLIB, built.wheel.name])
    return dest


def write_lockfile(folder: pathlib.Path, wheel: pathlib.Path) -> pathlib.Path:
    """The lockfile naming only `wheel` (in `folder`), with its sha256."""
    from pyodide_lock import PyodideLockSpec  # imported here: only a lean-runtime build needs it
    from pyodide_lock.utils import add_wheels_to_spec

    # pyodide-build's lockfile tool (the function `pyodide lockfile add-wheels` runs), in-process:
    # it records the wheel's sha256, which the browser checks before installing it.
    # It starts from the runtime's own lockfile, trimmed first: validating its ~300 entries only to
    # drop them again was most of this step's time.
    base = _trim(json.loads((NPM_PYODIDE / "pyodide-lock.json").read_text()), keep=())
    spec = add_wheels_to_spec(PyodideLockSpec.from_dict(base), [wheel], base_path=folder)
    target = folder / layout.LOCKFILE
    target.write_text(json.dumps(_trim(spec.to_dict())))
    return target


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
