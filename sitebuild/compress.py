"""Precompressed copies of the runtime files (`name.br`, `name.gz`) for hosts that serve them.

The runtime is nearly all of what a widget page downloads, and most of it is the wasm. Hosts that
compress on the fly use a fast, light setting; brotli at its best setting (quality 11) shrinks the
wasm about a quarter further than gzip, but is far too slow to run per request. So the build writes
both encodings beside each runtime file, and a host that looks for such siblings (Caddy's
`precompressed`, nginx's `gzip_static` / `brotli_static`, GitLab Pages) sends the smallest one the
browser accepts. Hosts that ignore them serve the plain file exactly as before (see the README's
"Deploying" section, per host).

Only files that shrink by at least `MIN_SAVING` get copies.

The stdlib zip and the wheel are zip archives whose members are deflated one by one, which is what
a host without siblings should send: hosts that compress on the fly leave zip archives alone
(Cloudflare's list of types has no zip; GitHub Pages documents none). Compressing such an archive
again gains little, since each member is compressed already. So their siblings encode a second form
of the same archive, `stored_copy`: the same members, names, order and bytes, stored rather than
deflated, which brotli then compresses across all of them with its 16 MiB window (the stdlib:
769 kB as deflated members, 518 kB as a brotli'd stored archive). A host that sends a
sibling thus sends a different, equivalent zip: the worker accepts the sha256 of either form
(integrity.py records both), and Python imports the same bytes from both.

Brotli is not in Python's standard library; Node's zlib has it, and Node is already a build
requirement (lean.py). Quality 11 takes about half a minute for the wasm on a loaded 2-core
machine, so the results are cached by content hash outside the site: a Pyodide version pays once.
"""

import functools
import gzip
import hashlib
import io
import os
import pathlib
import shutil
import subprocess
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CACHE_ENV = "AHAMIRROR_COMPRESS_CACHE"
DEFAULT_CACHE = ROOT / "node_modules" / ".cache" / "ahamirror-compress"
ENCODINGS = {"br": ".br", "gzip": ".gz"}  # Content-Encoding -> file suffix
MIN_SAVING = 0.05  # keep a copy only if it is at least 5 % smaller than the file
MIN_SIZE = 1024  # below this the headers outweigh any saving
NODE_TIMEOUT_S = 300
KEEP_FILES = 40  # cache files kept (most recently used): two per file, for two versions of each
ARCHIVES = (".zip", ".whl")  # their siblings encode their stored form (stored_copy)
_OWN_SOURCE = pathlib.Path(__file__)  # part of the cache key of those siblings

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


# Material's fingerprinted scripts and styles, and the search index (site-relative patterns): every
# page fetches them (the index as soon as it loads), the build writes them once and nothing rewrites
# them after, so their siblings cannot go stale. (The site's own scripts are rewritten by the build's
# later steps and by the tests, and are a few kilobytes: they keep the host's on-the-fly gzip.)
THEME_FILES = (
    "assets/javascripts/bundle.*.min.js",
    "assets/javascripts/workers/search.*.min.js",
    "assets/stylesheets/*.min.css",
    "search/search_index.json",
)


def cache_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def precompress(folder: pathlib.Path, names: list[str]) -> dict[str, dict[str, int]]:
    """Write `name.br` and `name.gz` beside each named file in `folder` (a name may be a path
    relative to it) where they save enough.

    Returns {name: {encoding: size}} for the copies written (stale copies of a file that no longer
    qualifies are removed, so a host never serves an old body)."""
    written: dict[str, dict[str, int]] = {}
    for name in names:
        source = folder / name
        data = source.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        archive = name.endswith(ARCHIVES)
        body = functools.cache(functools.partial(stored_copy if archive else bytes, data))
        if archive:  # what is compressed is this module's stored form: its code is part of the key
            digest = hashlib.sha256(digest.encode() + _OWN_SOURCE.read_bytes()).hexdigest()
        for encoding, suffix in ENCODINGS.items():
            target = folder / (name + suffix)
            target.unlink(missing_ok=True)
            if len(data) < MIN_SIZE:
                continue
            # Keyed by the file as published, so an archive's stored form is made only on a cache miss.
            cached = _cached(digest, (".stored" if archive else "") + suffix, body)
            if cached.stat().st_size > len(data) * (1 - MIN_SAVING):
                continue
            shutil.copyfile(cached, target)
            written.setdefault(name, {})[encoding] = target.stat().st_size
    _prune(cache_dir())
    return written


def precompress_theme(site: pathlib.Path) -> dict[str, dict[str, int]]:
    """The siblings of THEME_FILES, as `precompress` writes them; keys are site-relative paths."""
    names = [path.relative_to(site).as_posix() for pattern in THEME_FILES for path in sorted(site.glob(pattern))]
    return precompress(site, names)


def _prune(cache: pathlib.Path) -> None:
    if not cache.is_dir():
        return
    files = sorted((p for p in cache.iterdir() if p.is_file()), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in files[KEEP_FILES:]:
        stale.unlink(missing_ok=True)


def stored_copy(data: bytes) -> bytes:
    """The zip archive `data` with every member stored instead of deflated: the same names, order,
    times, attributes and bytes, and the same archive comment, so importing from it is importing
    from `data`. Deterministic."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        target.comment = source.comment
        for info in source.infolist():
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.external_attr = info.external_attr
            copy.compress_type = zipfile.ZIP_STORED
            target.writestr(copy, source.read(info))
    return out.getvalue()


def _cached(digest: str, suffix: str, body) -> pathlib.Path:
    """The compressed body from the cache, made first if absent (written atomically).
    `body()` gives the bytes to compress; it is called only on a miss."""
    cache = cache_dir()
    path = cache / (digest + suffix)
    if path.exists():
        os.utime(path)  # recently used
        return path
    cache.mkdir(parents=True, exist_ok=True)
    data = body()
    with tempfile.TemporaryDirectory(dir=cache) as work:
        scratch = pathlib.Path(work) / ("body" + suffix)
        if suffix.endswith(".gz"):
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
