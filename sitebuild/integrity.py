"""What the browser checks the runtime against: each runtime file's sha256 and size.

Pyodide swallows a failed or damaged download of its own files and never settles, so the worker
does not leave the checking to it: it fetches every runtime file itself, checks status, type, size
and sha256, and only then hands the bytes to Pyodide (docs/assets/javascripts/calc-worker.mjs). The
expected values are written into the worker's source here, at build time, so checking costs no extra
request; the worker's own sha256 goes into widgets.mjs, which checks the worker the same way.

Both pairs travel together: the service worker keeps the worker beside the runtime files and
widgets.mjs beside the worker, in one versioned cache, so the expectations and the files they
describe always come from the same release. (A hash of widgets.mjs in the pages, as subresource
integrity, would not: pages are fetched from the network first, widgets.mjs from that cache.)

`seal` runs after the runtime is published and before the service worker is written, since the
service worker's own digests must describe the files as rewritten here.
"""

import gzip
import hashlib
import json
import pathlib
import re

from . import compress, layout, runtime
from .files import overwrite

# The placeholders in the sources; `seal` can run again on its own output (the tests re-seal a
# site whose files they changed), so each pattern also matches a value written before.
_MANIFEST = re.compile(r"^const MANIFEST = .*?;  // filled in by sitebuild/integrity\.py$", re.M)
_WORKER_SHA = re.compile(r'^const WORKER_SHA256 = ".*?";  // filled in by sitebuild/integrity\.py$', re.M)


def sha256_hex(path: pathlib.Path) -> str:
    """The one hasher of the build's published files (the service worker's digests use it too)."""
    return sha256_of(path.read_bytes())


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def runtime_files(site: pathlib.Path) -> list[str]:
    """File names inside the runtime folder the worker loads: Pyodide, the stdlib, the lockfile, the
    wheel, and the brotli decoder (loaded only where the host does not send brotli itself)."""
    folder = site / runtime.runtime_dir()
    wheels = sorted(wheel.name for wheel in folder.glob("*.whl"))
    return [*runtime.RUNTIME_FILES, runtime.STDLIB, layout.LOCKFILE, *wheels, *runtime.DECODER_FILES]


# What the worker learns from the manifest besides the digests: which files are the decoder's.
DECODER_ROLES = dict(zip(runtime.DECODER_FILES, ("module", "wasm"), strict=True))


def manifest(site: pathlib.Path) -> dict[str, dict]:
    """{name: {sha256, size}} of each runtime file. Besides:
    - an archive whose .br and .gz siblings encode its stored form (compress.py) gets `sibling`:
      the sha256 and size of what they decode to;
    - a file the worker may fetch as brotli and decode itself gets `br`: its sibling's name
      (every file with a .br sibling but the modules, which only the browser can decode);
    - the decoder's two files get `decoder`: "module" or "wasm"."""
    folder = site / runtime.runtime_dir()
    files = {}
    for name in runtime_files(site):
        data = (folder / name).read_bytes()
        files[name] = {"sha256": sha256_of(data), "size": len(data)}
        sibling = folder / (name + compress.ENCODINGS["gzip"])
        if name.endswith(compress.ARCHIVES) and sibling.exists():
            decoded = gzip.decompress(sibling.read_bytes())  # the .br decodes to the same (one body, two encoders)
            files[name]["sibling"] = {"sha256": sha256_of(decoded), "size": len(decoded)}
        brotli = name + compress.ENCODINGS["br"]
        if (folder / brotli).exists() and name not in runtime.MODULES:
            files[name]["br"] = brotli
        if name in DECODER_ROLES:
            files[name]["decoder"] = DECODER_ROLES[name]
    return files


def accepted_sha256(entry: dict) -> list[str]:
    """Every sha256 a browser may rightly receive for a manifest entry: the file's, and its siblings'."""
    return [entry["sha256"], *([entry["sibling"]["sha256"]] if "sibling" in entry else [])]


def seal(site_dir: str | pathlib.Path) -> dict[str, dict]:
    """Write the runtime's manifest into the worker, then the worker's sha256 into widgets.mjs."""
    site = pathlib.Path(site_dir)
    files = manifest(site)
    _substitute(site / layout.WORKER, _MANIFEST, f"const MANIFEST = {json.dumps(files)};")
    worker_sha = sha256_hex(site / layout.WORKER)
    _substitute(site / layout.WIDGETS, _WORKER_SHA, f'const WORKER_SHA256 = "{worker_sha}";')
    return files


def _substitute(path: pathlib.Path, pattern: re.Pattern, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, count = pattern.subn(lambda _: line + "  // filled in by sitebuild/integrity.py", text)
    if count != 1:
        raise RuntimeError(f"{path} must hold exactly one line matching {pattern.pattern!r} (found {count})")
    overwrite(path, new)
