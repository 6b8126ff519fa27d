"""Security and caching headers for static hosts, written into the built site as `_headers`.

Material's templates carry a few small inline scripts. Rather than loosen the policy with
'unsafe-inline', the build hashes exactly the inline scripts it emitted and lists those hashes in
script-src. JSON blocks (`application/json`, `application/ld+json`) are data and need nothing.
"""

import base64
import hashlib
import pathlib
import re

BASE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "worker-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
}
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_DATA_TYPES = ("application/json", "application/ld+json")


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


def csp(site_dir: pathlib.Path) -> str:
    policy = {k: list(v) for k, v in BASE_CSP.items()}
    policy["script-src"] += inline_script_hashes(site_dir)
    return policy_text(policy)


def write(site_dir: str, runtime_dir: str, immutable_files) -> str:
    """Write `_headers` (Netlify and Cloudflare Pages read it) and return the CSP it holds."""
    site = pathlib.Path(site_dir)
    policy = csp(site)
    lines = [
        "/*",
        f"  Content-Security-Policy: {policy}",
        "  X-Content-Type-Options: nosniff",
        "  Referrer-Policy: no-referrer",
        "  Cache-Control: public, max-age=0, must-revalidate",
        "/*.wasm",
        "  Content-Type: application/wasm",
    ]
    # The Pyodide files live in a folder named after their version: they never change in place.
    for name in immutable_files:
        lines += [f"/{runtime_dir}/{name}", "  Cache-Control: public, max-age=31536000, immutable"]
    (site / "_headers").write_text("\n".join(lines) + "\n")
    return policy


def read_csp(site_dir: str) -> str | None:
    """The CSP a build wrote into `_headers` (the one every page gets)."""
    return headers_for(read_rules(site_dir), "/").get("Content-Security-Policy")


def read_rules(site_dir: str) -> list[tuple[str, dict[str, str]]]:
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
    """Headers for a site-relative URL path ("/assets/x.wasm"), `*` matching any run of characters."""
    found: dict[str, str] = {}
    for pattern, values in rules:
        if re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), url_path):
            found.update(values)
    return found
