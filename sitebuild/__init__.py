"""The site's build pipeline after MkDocs has written the pages: everything `docs/` does not hold.

- `runtime`: Pyodide from npm, the `calculators` wheel and a lockfile trimmed to it (sha256).
- `compress`: `.br` and `.gz` siblings of the runtime and of the theme's own files, for hosts that send them.
- `integrity`: each runtime file's sha256 and size, written into the worker (and the worker's into
  widgets.mjs), which check every download against them.
- `offline`: the service worker, from `sw.template.js`, fingerprinted by the runtime it keeps.
- `headers`: the Content-Security-Policy (hashes of exactly the inline scripts the build emitted),
  written into every page as a `<meta>` and into `_headers` under the site's own base path.
- `discovery`: `robots.txt` pointing at the sitemap.
- `notfound`: checks that the 404 page links everything under the base path (hosts serve it at any depth).

`post_build` runs them in order. MkDocs calls it from `mkdocs_hooks.py`; an engine that reads
mkdocs.yml but skips `hooks:` can run `python -m sitebuild SITE_DIR` after its own build.
"""

import os
import pathlib
from urllib.parse import urlsplit

from . import compress, discovery, headers, integrity, notfound, offline, runtime

DEPLOY_FLAG = "AHAMIRROR_DEPLOY"  # set by `make deploy-site`: a deploy must name its address


def base_path(site_url: str | None) -> str:
    """The path the site is served under, "/" or "/repo/" for a project page."""
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def check_site_url(site_url: str | None) -> None:
    """A deploy that forgot SITE_URL would publish canonical links to the default address."""
    if os.environ.get(DEPLOY_FLAG) and not os.environ.get("SITE_URL"):
        raise SystemExit(
            f"{DEPLOY_FLAG} is set but SITE_URL is not: set SITE_URL to the address the site will live at "
            "(e.g. SITE_URL=https://example.org/leverage-optimism/)."
        )


def post_build(site_dir: str | os.PathLike, site_url: str | None) -> str:
    """Publish the runtime, write the service worker and robots.txt, then the policy (last: it
    hashes the inline scripts of every page written before it). Returns the policy."""
    site = pathlib.Path(site_dir)
    check_site_url(site_url)
    _write_generated_downloads(site)
    runtime.publish(site)
    compress.precompress_theme(site)
    sealed = integrity.seal(site)  # rewrites the worker and widgets.mjs: before the service worker hashes them
    offline.write(site, sealed)
    discovery.write_robots(site, site_url)
    notfound.check(site, base_path(site_url))
    return headers.apply(site, base_path(site_url), runtime.runtime_dir(), runtime.RUNTIME_FILES)


def _write_generated_downloads(site: pathlib.Path) -> None:
    """The CSV the tables page links to. MkDocs' hook adds it to the build's files (so links to it
    validate); an engine that skips hooks gets it here."""
    from macros import tables

    target = site / tables.CSV_PATH
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(tables.ladder_csv())
