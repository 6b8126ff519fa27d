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
    digest = hashlib.sha256()
    for rel in files:
        digest.update(rel.encode())
        digest.update((site / rel).read_bytes())
    return digest.hexdigest()[:16]


def precache_list(site: pathlib.Path) -> list[str]:
    folder = runtime.runtime_dir()
    files = [f"{folder}/{name}" for name in runtime.RUNTIME_FILES + (runtime.STDLIB, layout.LOCKFILE)]
    files += [f"{folder}/{wheel.name}" for wheel in sorted((site / folder).glob("*.whl"))]
    return files + [layout.WORKER, layout.WIDGETS]


def write(site_dir: str | pathlib.Path) -> str:
    """Write the service worker; returns its version (the fingerprint)."""
    site = pathlib.Path(site_dir)
    precache = precache_list(site)
    version = fingerprint(site, precache)
    # Each file's sha256, checked by the worker before it caches the file: a deploy that published the
    # new worker before the new wheel cannot leave an old wheel cached beside a new lockfile.
    digests = {rel: integrity.sha256_hex(site / rel) for rel in precache}
    source = (
        TEMPLATE.read_text()
        .replace("__VERSION__", json.dumps(version))
        .replace("__PAGES_CACHE__", json.dumps(PAGES_CACHE))
        .replace("__PRECACHE__", json.dumps(digests))
    )
    (site / layout.SERVICE_WORKER).write_text(source)
    return version
