"""Offline after the first visit: a service worker, written into the site root at build time.

The widgets register it once a calculator has produced a live result. It keeps the Python
runtime, the wheel and the widget code under a cache named after a fingerprint of those files,
so a new site version installs a new worker that drops the old runtime cache; pages a visitor
opened go to one unversioned cache that is only read when the network is gone. The worker's
source is `sw.template.js` beside this file; the build fills in the version and file list.
"""

import hashlib
import json
import pathlib

from . import integrity, layout, runtime

TEMPLATE = pathlib.Path(__file__).with_name("sw.template.js")
PAGES_CACHE = "ahamirror-pages"  # widgets.mjs receives it through the widget's data attributes
RUNTIME_CACHE_PREFIX = "ahamirror-runtime-"


def fingerprint(site: pathlib.Path, files) -> str:
    return _fingerprint_and_digests(site, files, {})[0]


Digests = dict[str, list[str]]  # site-relative path -> the sha256 values its bytes may have


def _fingerprint_and_digests(site: pathlib.Path, files, known: Digests) -> tuple[str, Digests]:
    """The version (over every file's name and sha256) and each file's sha256, reading and hashing a
    file only where `known` lacks its sha256 (its first entry is that of the file's own bytes): the
    runtime is 16 MB with its siblings, and this runs at every build."""
    version = hashlib.sha256()
    digests = {}
    for rel in files:
        digests[rel] = known.get(rel) or [integrity.sha256_hex(site / rel)]
        version.update(f"{rel}\0{digests[rel][0]}\0".encode())
    return version.hexdigest()[:16], digests


def precache_list(site: pathlib.Path, entries: dict[str, dict] | None = None) -> list[str]:
    """Every file the service worker may keep: the runtime files (the decoder's included), the .br
    siblings the calculator's worker may fetch instead of their files (it keeps one form or the
    other, whichever the host makes the worker fetch: sw.template.js), and the glue."""
    folder = runtime.runtime_dir()
    entries = entries if entries is not None else integrity.manifest(site)
    files = [f"{folder}/{name}" for name in entries]
    files += brotli_forms(entries).values()
    return files + [layout.WORKER, layout.WIDGETS]


def brotli_forms(entries: dict[str, dict]) -> dict[str, str]:
    """Site-relative path of a runtime file -> that of the .br sibling the worker may fetch instead."""
    folder = runtime.runtime_dir()
    return {f"{folder}/{name}": f"{folder}/{entry['br']}" for name, entry in entries.items() if "br" in entry}


def write(site_dir: str | pathlib.Path, sealed: dict[str, dict] | None = None) -> str:
    """Write the service worker; returns its version (the fingerprint). `sealed` is what
    `integrity.seal` just returned: the runtime files' sha256, not computed twice (seal leaves them as they are).
    Without it the manifest is made here: an archive's digests include its siblings' stored form."""
    site = pathlib.Path(site_dir)
    folder = runtime.runtime_dir()
    entries = sealed if sealed is not None else integrity.manifest(site)
    known = {f"{folder}/{name}": integrity.accepted_sha256(entry) for name, entry in entries.items()}
    # Each file's sha256 (for an archive, also that of the stored form its siblings carry: see
    # compress.py), checked by the worker before it caches the file: a deploy that published the
    # new worker before the new wheel cannot leave an old wheel cached beside a new lockfile.
    version, digests = _fingerprint_and_digests(site, precache_list(site, entries), known)
    for entry in entries.values():  # a .br sibling, or what it decodes to (sw.template.js)
        if "br" in entry:
            sibling = f"{folder}/{entry['br']}"
            digests[sibling] = digests[sibling] + integrity.accepted_sha256(entry)
    decoder = [f"{folder}/{name}" for name, entry in entries.items() if "decoder" in entry]
    source = (
        TEMPLATE.read_text()
        .replace("__VERSION__", json.dumps(version))
        .replace("__PAGES_CACHE__", json.dumps(PAGES_CACHE))
        .replace("__PRECACHE__", json.dumps(digests))
        .replace("__BROTLI_FORMS__", json.dumps(brotli_forms(entries)))
        .replace("__DECODER__", json.dumps(decoder))
        .replace("__PROBE__", json.dumps(f"{folder}/{runtime.MODULES[0]}"))
    )
    (site / layout.SERVICE_WORKER).write_text(source)
    return version
