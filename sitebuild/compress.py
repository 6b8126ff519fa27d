"""Precompressed copies of the runtime files (`name.br`, `name.gz`) for hosts that serve them.

The runtime is nearly all of what a widget page downloads, and most of it is the wasm. Hosts that
compress on the fly use a fast, light setting; brotli at its best setting (quality 11) shrinks the
wasm about a quarter further than gzip, but is far too slow to run per request. So the build writes
both encodings beside each runtime file, and a host that looks for such siblings (Caddy's
`precompressed`, nginx's `gzip_static` / `brotli_static`, GitLab Pages) sends the smallest one the
browser accepts. Hosts that ignore them serve the plain file exactly as before (see the README's
"Deploying" section, per host).

Only files that shrink by at least `MIN_SAVING` get copies: the stdlib zip and the wheel are zip
archives, already deflated, and a sibling would only take space.

Brotli is not in Python's standard library; Node's zlib has it, and Node is already a build
requirement (lean.py). Quality 11 takes about half a minute for the wasm on a loaded 2-core
machine, so the results are cached by content hash outside the site: a Pyodide version pays once.
"""

import gzip
import hashlib
import os
import pathlib
import shutil
import subprocess
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CACHE_ENV = "AHAMIRROR_COMPRESS_CACHE"
DEFAULT_CACHE = ROOT / "node_modules" / ".cache" / "ahamirror-compress"
ENCODINGS = {"br": ".br", "gzip": ".gz"}  # Content-Encoding -> file suffix
MIN_SAVING = 0.05  # keep a copy only if it is at least 5 % smaller than the file
MIN_SIZE = 1024  # below this the headers outweigh any saving
NODE_TIMEOUT_S = 300
KEEP_FILES = 12  # cache files kept (most recently used): two per runtime file, for two Pyodide versions

# Node's zlib at brotli's densest settings: quality 11, the largest window (16 MiB), and the size
# hint that lets the encoder plan for the whole input.
_BROTLI = """
const zlib = require("zlib"), fs = require("fs");
const [source, target] = process.argv.slice(1);
const data = fs.readFileSync(source);
const c = zlib.constants;
fs.writeFileSync(target, zlib.brotliCompressSync(data, { params: {
  [c.BROTLI_PARAM_QUALITY]: c.BROTLI_MAX_QUALITY,
  [c.BROTLI_PARAM_LGWIN]: c.BROTLI_MAX_WINDOW_BITS,
  [c.BROTLI_PARAM_SIZE_HINT]: data.length,
} }));
"""


def cache_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def precompress(folder: pathlib.Path, names: list[str]) -> dict[str, dict[str, int]]:
    """Write `name.br` and `name.gz` beside each named file in `folder` where they save enough.

    Returns {name: {encoding: size}} for the copies written (stale copies of a file that no longer
    qualifies are removed, so a host never serves an old body)."""
    written: dict[str, dict[str, int]] = {}
    for name in names:
        source = folder / name
        data = source.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        for encoding, suffix in ENCODINGS.items():
            target = folder / (name + suffix)
            target.unlink(missing_ok=True)
            if len(data) < MIN_SIZE:
                continue
            cached = _cached(digest, suffix, data)
            if cached.stat().st_size > len(data) * (1 - MIN_SAVING):
                continue
            shutil.copyfile(cached, target)
            written.setdefault(name, {})[encoding] = target.stat().st_size
    _prune(cache_dir())
    return written


def _prune(cache: pathlib.Path) -> None:
    if not cache.is_dir():
        return
    files = sorted((p for p in cache.iterdir() if p.is_file()), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in files[KEEP_FILES:]:
        stale.unlink(missing_ok=True)


def _cached(digest: str, suffix: str, data: bytes) -> pathlib.Path:
    """The compressed body from the cache, made first if absent (written atomically)."""
    cache = cache_dir()
    path = cache / (digest + suffix)
    if path.exists():
        os.utime(path)  # recently used
        return path
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache) as work:
        scratch = pathlib.Path(work) / ("body" + suffix)
        if suffix == ".gz":
            # Level 9 and no timestamp: the same input always gives the same bytes.
            scratch.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        else:
            _brotli(data, scratch, pathlib.Path(work))
        scratch.replace(path)
    return path


def _brotli(data: bytes, target: pathlib.Path, work: pathlib.Path) -> None:
    source = work / "plain"
    source.write_bytes(data)
    try:
        run = subprocess.run(
            ["node", "-e", _BROTLI, str(source), str(target)],
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT_S,
        )
    except FileNotFoundError as error:
        raise RuntimeError("Node.js is needed to precompress the runtime: `node` is not on PATH.") from error
    if run.returncode != 0:
        raise RuntimeError(f"brotli compression failed: {run.stderr.strip()}")
