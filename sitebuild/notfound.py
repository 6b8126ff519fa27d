"""The 404 page: every URL in it must work from any missing address under the site's base path.

Static hosts (GitHub Pages, Netlify, Cloudflare Pages) answer a missing address, at any depth, with
the site's `404.html` and keep the visitor's URL. A relative link in that page would resolve against
the missing address (`/base/a/b/missing` → `/base/a/b/assets/…`) and break the styles, scripts and
navigation. MkDocs therefore renders 404.html with the *path* of site_url as its base
(`/leverage-optimism/assets/…`, or `/assets/…` for a site at the root of its domain), which is right
wherever the deployed site lives, and independent of the host name.

`check` fails the build if an override, an extra script or a theme update ever emits a URL in the
page that does not start with that base path. The local server (tools/serve.py) serves the site under
the same base path by default, so `make serve` shows the page as the host will.
"""

import json
import pathlib
import re

PAGE = "404.html"
# Attributes that make the browser fetch or navigate to a URL.
_URL_ATTRIBUTE = re.compile(r"""\s(?:href|src|action|poster)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)  # https:, mailto:, data: …: independent of the path


def misplaced_urls(page_html: str, base: str) -> list[str]:
    """The URLs in the page that would resolve differently under different missing addresses."""
    found = []
    for match in _URL_ATTRIBUTE.finditer(page_html):
        url = match.group(1) if match.group(1) is not None else match.group(2)
        if _SCHEME.match(url) or url.startswith("#"):  # another origin, or a fragment of this page
            continue
        if url.startswith("//") or not url.startswith(base):
            found.append(url)
    config = _CONFIG.search(page_html)
    if config:  # Material's own base (search worker, instant navigation) must be the same path
        value = json.loads(config.group(1)).get("base", base)
        if value != base:
            found.append(f"__config.base={value}")
    return found


def check(site_dir: pathlib.Path, base: str) -> int:
    """Raise if the built 404 page holds a URL outside `base`; returns how many URLs it holds."""
    page = site_dir / PAGE
    if not page.exists():
        raise RuntimeError(f"{page} is missing: hosts would answer a missing address with their own page")
    text = page.read_text(encoding="utf-8")
    bad = misplaced_urls(text, base)
    if bad:
        raise RuntimeError(f"{PAGE} must link everything under {base} (it is served at any missing path): {bad}")
    return len(_URL_ATTRIBUTE.findall(text))
