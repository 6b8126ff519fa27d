"""The Content-Security-Policy and host headers, for every host.

Material's templates carry a few small inline scripts. Rather than loosen the policy with
'unsafe-inline', the build hashes exactly the inline scripts it emitted and lists those hashes in
script-src. JSON blocks (`application/json`, `application/ld+json`) are data and need nothing.

The policy goes to two places:
- a `<meta http-equiv="Content-Security-Policy">` at the top of every page's <head>, so a host that
  sends no headers at all (GitHub Pages) still enforces it; every page carries the same policy, so
  Material's instant navigation, which keeps the first page's document, stays covered;
- `_headers` (read by Netlify and Cloudflare Pages), with the rules written under the site's own
  base path, plus what a meta element cannot say (nosniff, caching, `frame-ancestors`).
"""

import base64
import hashlib
import html
import pathlib
import re

from .files import overwrite

BASE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "worker-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
# Only a header can forbid framing: browsers ignore (and warn about) frame-ancestors in a <meta>.
HEADER_ONLY_CSP = {"frame-ancestors": ["'none'"]}
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_DATA_TYPES = ("application/json", "application/ld+json")
_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
_HEAD = re.compile(r"<head[^>]*>", re.I)
_CHARSET = re.compile(r"\s*<meta charset=[^>]*>", re.I)


def inline_script_hashes(site_dir: pathlib.Path) -> list[str]:
    hashes = set()
    for page in site_dir.rglob("*.html"):
        for match in _INLINE_SCRIPT.finditer(page.read_text(encoding="utf-8")):
            attrs = match.group("attrs")
            if "src=" in attrs or any(t in attrs for t in _DATA_TYPES):
                continue
            digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
            hashes.add("'sha256-" + base64.b64encode(digest).decode() + "'")
    return sorted(hashes)


def policy_text(policy: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(values)}" for name, values in policy.items())


def page_policy(site_dir: pathlib.Path) -> str:
    """The policy every page carries in its <meta>."""
    policy = {k: list(v) for k, v in BASE_CSP.items()}
    policy["script-src"] += inline_script_hashes(site_dir)
    return policy_text(policy)


def header_policy(page_policy_text: str) -> str:
    """The same policy with what only a header can say."""
    return page_policy_text + "; " + policy_text(HEADER_ONLY_CSP)


def meta_tag(policy: str) -> str:
    # Single quotes stay readable: the attribute is double-quoted and the policy holds no '"'.
    return f'<meta http-equiv="Content-Security-Policy" content="{html.escape(policy, quote=False)}">'


def inject_meta(site_dir: pathlib.Path, policy: str) -> int:
    """Put the policy first in every page's <head> (a meta policy only covers what follows it)."""
    tag, count = meta_tag(policy), 0
    for page in site_dir.rglob("*.html"):
        text = _META.sub("", page.read_text(encoding="utf-8"))
        head = _HEAD.search(text)
        if head is None:
            raise RuntimeError(f"{page} has no <head>: cannot give it the Content-Security-Policy")
        at = head.end()
        charset = _CHARSET.match(text, at)  # the charset must stay within the first 1024 bytes
        at = charset.end() if charset else at
        overwrite(page, text[:at] + tag + text[at:])
        count += 1
    return count


def apply(site_dir: pathlib.Path, base: str, runtime_dir: str, immutable_files) -> str:
    """Meta policy into every page, then `_headers`; returns the page policy."""
    policy = page_policy(site_dir)
    inject_meta(site_dir, policy)
    write_rules(site_dir, base, header_policy(policy), runtime_dir, immutable_files)
    return policy


def write_rules(site_dir: pathlib.Path, base: str, policy: str, runtime_dir: str, immutable_files) -> None:
    """`_headers` for Netlify and Cloudflare Pages. Paths are the URL paths the host sees, so a
    project page at /repo/ gets /repo/... rules."""
    lines = [
        f"{base}*",
        f"  Content-Security-Policy: {policy}",
        "  X-Content-Type-Options: nosniff",
        "  Referrer-Policy: no-referrer",
        f"  Cache-Control: {REVALIDATE}",
        f"{base}*.wasm",
        "  Content-Type: application/wasm",
    ]
    # The Pyodide files live in a folder named after their version: they never change in place.
    for name in immutable_files:
        lines += [f"{base}{runtime_dir}/{name}", f"  Cache-Control: {IMMUTABLE}"]
    (site_dir / "_headers").write_text("\n".join(lines) + "\n")


def read_rules(site_dir: str | pathlib.Path) -> list[tuple[str, dict[str, str]]]:
    """The `_headers` file as (path pattern, headers) pairs, in file order (later rules add to
    or override earlier ones, as on Netlify and Cloudflare Pages)."""
    path = pathlib.Path(site_dir) / "_headers"
    rules: list[tuple[str, dict[str, str]]] = []
    if not path.exists():
        return rules
    for line in path.read_text().splitlines():
        if line.startswith("/"):
            rules.append((line.strip(), {}))
        elif line.startswith("  ") and ":" in line and rules:
            name, _, value = line.strip().partition(":")
            rules[-1][1][name.strip()] = value.strip()
    return rules


def headers_for(rules, url_path: str) -> dict[str, str]:
    """Headers for a URL path as the host sees it ("/repo/assets/x.wasm"), `*` matching any run
    of characters."""
    found: dict[str, str] = {}
    for pattern, values in rules:
        if re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), url_path):
            found.update(values)
    return found


def read_csp(site_dir: str | pathlib.Path, base: str = "/") -> str | None:
    """The CSP a build wrote into `_headers` for its pages."""
    return headers_for(read_rules(site_dir), base).get("Content-Security-Policy")


def read_meta_csp(page_html: str) -> str | None:
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page_html)
    return html.unescape(match.group(1)) if match else None
