"""Deployment: the policy in every page and in `_headers`, a sub-path, offline use and its updates."""

import base64
import functools
import gzip
import hashlib
import http.server
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from urllib.parse import urljoin

import pytest

from sitebuild import base_path, compress, headers, integrity, offline, runtime
from sitebuild.layout import BOOT_BUDGET_MS as BOOT_MS

from .browser_support import wait_until
from .conftest import PREFIX, SITE_URL, serve_site

SUB_PATH = PREFIX
ROOT = pathlib.Path(__file__).resolve().parent.parent
LIVE = "[data-widget=liquidation] [data-result][data-source=live]"


def _inline_script_hashes(site):
    """Computed here independently of macros.headers: every inline, non-JSON script of every page."""
    found = set()
    for page in site.rglob("*.html"):
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", page.read_text(), re.S):
            if "src=" in attrs or "json" in attrs:
                continue
            found.add("'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'")
    return found


def _directives(policy: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


# Written here, not imported: what the policy must say (issue 8), so a loosened build fails.
EXPECTED_POLICY = {
    "default-src": "'self'",
    "worker-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "style-src": "'self'",  # no 'unsafe-inline': neither the theme nor the charts write style attributes
}


def test_every_page_carries_the_policy_with_exactly_the_inline_script_hashes(built_site):
    hashes = _inline_script_hashes(built_site)
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 10
    policies = set()
    for page in pages:
        text = page.read_text()
        policy = headers.read_meta_csp(text)
        assert policy, f"{page} has no Content-Security-Policy meta"
        head = text[text.index("<head") : text.index("</head>")]
        first_script = head.find("<script")
        assert first_script == -1 or head.index('http-equiv="Content-Security-Policy"') < first_script, page
        policies.add(policy)
    assert len(policies) == 1, "every page must carry the same policy (instant navigation keeps the first)"
    directives = _directives(policies.pop())
    for name, value in EXPECTED_POLICY.items():
        assert directives[name] == value, name
    script_src = directives["script-src"].split()
    assert script_src[:2] == ["'self'", "'wasm-unsafe-eval'"]
    assert set(script_src[2:]) == hashes
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "unsafe-inline" not in " ".join(directives.values())
    assert "frame-ancestors" not in directives  # ignored (with a console warning) in a meta element


def test_headers_file_repeats_the_policy_under_the_sites_own_path(built_site):
    base = base_path(SITE_URL)
    assert base == SUB_PATH
    rules = headers.read_rules(built_site)
    assert rules and all(pattern.startswith(SUB_PATH) for pattern, _ in rules), [p for p, _ in rules]
    page_policy = headers.read_meta_csp((built_site / "index.html").read_text())
    assert page_policy
    served = headers.headers_for(rules, SUB_PATH + "calculators/")
    assert served["Content-Security-Policy"] == page_policy + "; frame-ancestors 'none'"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert headers.headers_for(rules, "/calculators/") == {}  # outside the project page: nothing


def test_headers_file_sets_wasm_type_and_caching(built_site):
    text = (built_site / "_headers").read_text()
    assert f"{SUB_PATH}*.wasm\n  Content-Type: application/wasm" in text
    for name in runtime.RUNTIME_FILES:
        assert f"{SUB_PATH}{runtime.runtime_dir()}/{name}\n  Cache-Control: public, max-age=31536000, immutable" in text
    assert "must-revalidate" in text.split(f"{SUB_PATH}*.wasm")[0]  # HTML and everything else: revalidate


def test_robots_points_at_the_sitemap(built_site):
    assert (built_site / "robots.txt").read_text().splitlines()[-1] == f"Sitemap: {SITE_URL}sitemap.xml"


def test_pages_workflow_builds_with_the_make_target():
    workflow = (ROOT / ".github/workflows/pages.yml").read_text()
    jobs = "\n" + workflow.split("\njobs:\n", 1)[1]
    test, build, deploy = (jobs.index(f"\n  {name}:\n") for name in ("test", "build", "deploy"))
    assert test < build < deploy
    assert "run: make test" in jobs[test:build]
    assert "needs: test" in jobs[build:deploy] and "run: make deploy-site" in jobs[build:deploy]
    assert "SITE_URL:" in jobs[build:deploy] and "path: site" in jobs[build:deploy]
    assert "needs: build" in jobs[deploy:] and "deploy-pages" in jobs[deploy:]


def test_a_deploy_build_without_site_url_fails(tmp_path):
    """`make deploy-site` sets AHAMIRROR_DEPLOY; the build then refuses a missing SITE_URL."""
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    env["AHAMIRROR_DEPLOY"] = "1"
    run = subprocess.run(
        [sys.executable, "-m", "sitebuild", str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert run.returncode != 0 and "SITE_URL" in run.stderr, run.stderr
    assert not any(tmp_path.iterdir())  # refused before writing anything


@pytest.fixture
def serve():
    """Start servers for a test (any folder, any sub-path); all stopped after it."""
    servers = []

    def start(directory, prefix="", **options):
        server, url = serve_site(directory, prefix, **options)
        servers.append(server)
        return url + "/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_server_sends_the_built_policy(built_site, serve, browser):
    base = serve(built_site, prefix=SUB_PATH)
    page = browser.new_page()
    response = page.goto(base + "calculators/")
    assert response.headers["content-security-policy"] == headers.read_csp(built_site, SUB_PATH)
    wasm = page.request.get(base + runtime.runtime_dir() + "/pyodide.asm.wasm")
    assert wasm.headers["content-type"] == "application/wasm"
    page.close()


class _PlainHandler(http.server.SimpleHTTPRequestHandler):
    """A static host that sends no security headers at all (GitHub Pages sends none of ours)."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, format, *args):
        pass


@pytest.fixture
def plain_host(built_site, tmp_path):
    """The built site under its sub-path on a plain static server; yields its base URL."""
    (tmp_path / SUB_PATH.strip("/")).symlink_to(built_site, target_is_directory=True)
    handler = functools.partial(_PlainHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    server.shutdown()
    server.server_close()


INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.__injected = (window.__injected || 0) + 1;";
  document.head.appendChild(script);
  return window.__injected || 0;
}"""


@pytest.mark.browser
def test_the_meta_policy_is_enforced_where_the_host_sends_no_headers(built_site, plain_host, browser):
    """Every page, from a server that sends no policy: the site's own page raises no violation and an
    injected inline script is refused; the same after Material's instant navigation."""
    context = browser.new_context()
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    paths = sorted(p.relative_to(built_site).as_posix().removesuffix("index.html") for p in built_site.rglob("*.html"))
    assert len(paths) > 10
    started = False
    for path in paths:
        response = page.goto(plain_host + path, wait_until="load")
        assert response is not None and "content-security-policy" not in response.headers
        if page.locator("[data-widget]").count() and not started:  # the runtime's start must pass it too
            page.wait_for_selector("[data-widget][data-runtime-state=ready]", timeout=BOOT_MS)
            started = True  # the same runtime on every widget page: once is the check
        assert messages == [], f"/{path}: the site's own page broke its policy: {messages}"
        assert page.evaluate(INJECT) == 0, f"/{path}: an injected inline script ran"
        wait_until_logged(page, messages, f"/{path}")
        messages.clear()
    # Instant navigation swaps the page in place: the first document's policy still holds.
    page.goto(plain_host, wait_until="load")
    page.click("nav.md-nav--primary a[href$='calculators/']")
    page.wait_for_selector("[data-widget] [data-result][data-source=live]", timeout=BOOT_MS)
    assert page.url == plain_host + "calculators/"
    assert messages == [] and page.evaluate(INJECT) == 0
    wait_until_logged(page, messages, "after instant navigation")
    context.close()


def wait_until_logged(page, messages, where):
    """Chromium reports the refused script on the console; Playwright delivers it while called."""
    for _ in range(40):
        if any("inline script" in m and "blocked" in m for m in messages):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"{where}: no violation reported for the injected script: {messages}")


@pytest.mark.browser
def test_site_works_under_a_sub_path(built_site, serve, browser):
    base = serve(built_site, prefix=SUB_PATH)
    context = browser.new_context()
    page = context.new_page()
    failures, violations = [], []
    page.on("response", lambda r: failures.append(r.url) if r.status >= 400 else None)
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(base)  # the home page, then a widget page by its link
    page.click("nav.md-nav--primary a[href$='calculators/']")
    page.wait_for_selector(LIVE, timeout=BOOT_MS)
    assert page.url.startswith(base)
    page.fill("[data-widget=liquidation] [name=leverage]", "20")
    for _ in range(50):  # poll: string predicates (wait_for_function) are blocked by the CSP
        if "leverage=20" in page.url:
            break
        page.wait_for_timeout(100)
    assert page.url.startswith(base + "calculators/#")  # the scenario rides in the fragment
    page.goto(base + "leverage-tables/")
    csv_link = page.get_attribute("a[href$='leverage-ladder-1x-100x.csv']", "href")
    csv_url = urljoin(page.url, csv_link)  # instant navigation makes hrefs absolute; either way
    assert csv_url.startswith(base) and page.request.get(csv_url).ok
    assert not failures, failures
    assert not violations, violations
    context.close()


def _wait_for_active_worker(page):
    script = (
        "async () => { const r = await navigator.serviceWorker.getRegistration();"
        " return !!(r && r.active && r.active.state === 'activated' && navigator.serviceWorker.controller) }"
    )
    wait_until(lambda: page.evaluate(script), BOOT_MS / 1000, message="the service worker to activate", page=page)


def _first_visit(built_site, tmp_path, serve, browser, **host):
    """A copy of the site we can change (a new release), served (`host`: make_server's options); one
    visit until the service worker is active. Returns (site folder, base URL, context, page)."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    base = serve(site, prefix=SUB_PATH, **host)
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "calculators/")
    page.wait_for_selector(LIVE, timeout=BOOT_MS)
    _wait_for_active_worker(page)
    return site, base, context, page


def _runtime_caches(page) -> list[str]:
    keys = page.evaluate("async () => await caches.keys()")
    return sorted(k for k in keys if k.startswith(offline.RUNTIME_CACHE_PREFIX))


@pytest.mark.browser
def test_offline_after_first_visit_and_a_new_version_replaces_the_cache(built_site, tmp_path, serve, browser):
    site, base, context, page = _first_visit(built_site, tmp_path, serve, browser)
    wait_until(
        lambda: page.evaluate("() => window.__ahamirror.pageKept"),
        BOOT_MS / 1000,
        message="the page to keep itself for offline use",
        page=page,
    )
    first = _runtime_caches(page)
    assert len(first) == 1, first
    assert offline.PAGES_CACHE in page.evaluate("async () => await caches.keys()")

    # Lost signal: the page, the runtime and the wheel come from the caches.
    context.set_offline(True)
    page.reload()
    page.wait_for_selector(LIVE, timeout=BOOT_MS)
    assert page.inner_text("[data-widget=liquidation] [data-out=price]")
    context.set_offline(False)

    # A new version of the site: the widget code changes, the build writes a new worker. The page
    # registers it after its first live result; nothing keeps the old worker busy, so the new one
    # installs, takes over and drops the old runtime cache (before the fix, a `keep` message to the
    # old worker held its activation back for minutes).
    widgets = site / "assets" / "javascripts" / "widgets.mjs"
    widgets.write_text(widgets.read_text() + "\n// a new release\n")
    new_version = offline.write(site)
    expected = [offline.RUNTIME_CACHE_PREFIX + new_version]
    assert expected != first
    page.goto(base + "calculators/")
    page.wait_for_selector(LIVE, timeout=BOOT_MS)
    wait_until(
        lambda: _runtime_caches(page) == expected,
        BOOT_MS / 1000,
        message=f"the runtime cache to become {expected}",
        page=page,
    )
    active = page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).active.scriptURL")
    assert active == base + "sw.js"
    assert page.evaluate("async () => (await navigator.serviceWorker.getRegistration()).waiting") is None
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize("host", ["siblings", "GitHub Pages"])
def test_the_service_worker_keeps_the_forms_the_host_makes_the_worker_fetch(built_site, tmp_path, serve, browser, host):
    """The service worker keeps what the calculator's worker fetches on this host, and nothing more:
    the files themselves where the host sends brotli, the .br siblings and the decoder where it does
    not (keeping the others would download megabytes again). Offline, the page goes live from them."""
    site, base, context, page = _first_visit(built_site, tmp_path, serve, browser, **HOSTS[host])
    (cache,) = _runtime_caches(page)
    script = "async (name) => (await (await caches.open(name)).keys()).map((request) => request.url)"
    folder = base + runtime.runtime_dir() + "/"
    kept = {url.removeprefix(folder) for url in page.evaluate(script, cache) if url.startswith(folder)}
    names = integrity.runtime_files(site)
    wheel = next(name for name in names if name.endswith(".whl"))
    common = {"pyodide.mjs", "pyodide.asm.mjs", "site-lock.json"}
    decodable = {"pyodide.asm.wasm", runtime.STDLIB, wheel}
    if host == "siblings":
        assert kept == common | decodable
    else:
        assert kept == common | {name + ".br" for name in decodable} | set(DECODER)
    context.set_offline(True)
    page.reload()
    page.wait_for_selector(LIVE, timeout=BOOT_MS)
    context.close()


def test_the_plain_mkdocs_command_builds_strictly(tmp_path):
    """Writers type `mkdocs build` (the venv's script), which does not put the project on sys.path
    as `python -m mkdocs` does; the hooks file must, and the pipeline must still run."""
    script = pathlib.Path(sys.executable).parent / "mkdocs"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "AHAMIRROR_DEPLOY")}
    run = subprocess.run(
        [str(script), "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,  # as a writer runs it; the console script puts .venv/bin, not the root, on sys.path
        env={**env, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert (tmp_path / "site" / "sw.js").exists() and (tmp_path / "site" / "_headers").exists()


@pytest.mark.browser
def test_a_half_finished_deploy_never_mixes_an_old_wheel_with_a_new_lockfile(built_site, tmp_path, serve, browser):
    """Issue 14, item 4: the new worker and lockfile are live but the new wheel is not yet. The new
    worker checks every file's sha256 before caching it, so its install fails and the old version keeps
    serving; once the wheel arrives, the new version installs and the calculator starts on it."""
    site, base, context, page = _first_visit(built_site, tmp_path, serve, browser)
    first = _runtime_caches(page)

    folder = site / runtime.runtime_dir()
    wheel_path = next(folder.glob("*.whl"))
    # The wheel is uploaded with its .br and .gz siblings (the host sends those when it can).
    wheel_files = [wheel_path, *(folder / (wheel_path.name + suffix) for suffix in compress.ENCODINGS.values())]
    old_wheel = [path.read_bytes() for path in wheel_files]
    with zipfile.ZipFile(wheel_path, "a") as wheel:  # release 2: the same package, other bytes
        wheel.comment = b"release 2"
    compress.precompress(folder, [wheel_path.name])  # its siblings, as the build writes them
    new_wheel = [path.read_bytes() for path in wheel_files]
    lock_path = folder / "site-lock.json"
    lock = json.loads(lock_path.read_text())
    lock["packages"]["calculators"]["sha256"] = hashlib.sha256(new_wheel[0]).hexdigest()
    lock_path.write_text(json.dumps(lock))
    integrity.seal(site)  # the new release's manifest in calc-worker.mjs, as its build writes it
    new_version = offline.write(site)  # the new worker, with the new files' digests
    for path, data in zip(wheel_files, old_wheel, strict=True):  # ...but the wheel upload has not finished
        path.write_bytes(data)

    update = (
        "async () => { const r = await navigator.serviceWorker.getRegistration(); await r.update().catch(() => {}); }"
    )
    page.evaluate(update)
    wait_until(
        lambda: page.evaluate(
            "async () => { const r = await navigator.serviceWorker.getRegistration(); return !r.installing; }"
        ),
        BOOT_MS / 1000,
        message="the new worker's install to end",
        page=page,
    )
    assert _runtime_caches(page) == first  # the old version, whole; nothing half-filled beside it
    page.reload()
    page.wait_for_selector(LIVE, timeout=BOOT_MS)  # still served, consistently, by the old version

    for path, data in zip(wheel_files, new_wheel, strict=True):  # the deploy finishes
        path.write_bytes(data)
    expected = [offline.RUNTIME_CACHE_PREFIX + new_version]
    wait_until(
        lambda: page.evaluate(update) or _runtime_caches(page) == expected,
        BOOT_MS / 1000,
        message=f"the runtime cache to become {expected}",
        page=page,
    )
    page.reload()
    page.wait_for_selector(LIVE, timeout=BOOT_MS)  # the new lockfile and the new wheel agree
    context.close()


def _expect_damaged(browser, base: str) -> None:
    """The calculators page at `base` must say its runtime arrived damaged, keep its pre-rendered
    result, and never have received an answer."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "calculators/")
    failed = '[data-widget="liquidation"][data-runtime-state="failed"]'
    page.wait_for_selector(failed, timeout=BOOT_MS)
    assert page.get_attribute(failed, "data-runtime-failure") == "damaged"
    assert page.locator(LIVE).count() == 0
    assert page.evaluate("() => window.__ahamirror.recalcs") == 0, "an answer reached the page"
    context.close()


@pytest.mark.browser
def test_a_wheel_the_lockfile_does_not_describe_is_refused_as_damaged(built_site, tmp_path, serve, browser):
    """The worker imports the package straight from the wheel the lockfile names, and only if the
    lockfile's sha256 is that of the wheel the build published. Here the lockfile speaks of another release while the
    worker's own manifest is sealed on the files as they are, so only that check can stop the start:
    the page must say the runtime arrived damaged, keep its pre-rendered result, and never go live."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    lock_path = site / runtime.runtime_dir() / "site-lock.json"
    lock = json.loads(lock_path.read_text())
    lock["packages"]["calculators"]["sha256"] = hashlib.sha256(b"another release of the wheel").hexdigest()
    lock_path.write_text(json.dumps(lock))
    integrity.seal(site)  # the manifest agrees with every file: the lockfile alone disagrees
    _expect_damaged(browser, serve(site, prefix=SUB_PATH))


@pytest.mark.browser
def test_a_wasm_that_runs_but_is_not_the_builds_never_answers(built_site, tmp_path, serve, browser):
    """The wasm is the one file Pyodide starts on before its check ends (streaming compilation), and
    the check's steps wait while Python's start holds the worker's thread: a wasm that compiles and
    runs must still be refused before any answer. Here one letter of CPython's interactive banner,
    which Pyodide never prints, is changed: valid WebAssembly, and Python starts on it, but its sha256
    is not the manifest's. The page must say the runtime arrived damaged and never go live. (Before
    the worker waited for every check, this page went live whenever the check lost the race.)"""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    wasm = site / runtime.runtime_dir() / "pyodide.asm.wasm"
    data = wasm.read_bytes()
    banner = b'Type "help"'
    assert data.count(banner) == 1, "the banner moved: pick another unused string in the wasm's data"
    wasm.write_bytes(data.replace(banner, b'type "help"'))
    for suffix in compress.ENCODINGS.values():  # the host sends the altered file itself
        wasm.with_name(wasm.name + suffix).unlink(missing_ok=True)
    valid = subprocess.run(
        [
            "node",
            "-e",
            "process.exit(WebAssembly.validate(require('fs').readFileSync(process.argv[1])) ? 0 : 1)",
            str(wasm),
        ],
        check=False,
    )
    assert valid.returncode == 0, "the altered wasm must still be valid WebAssembly, or the test proves nothing"
    _expect_damaged(browser, serve(site, prefix=SUB_PATH))


# Two kinds of host: one that reads the build's siblings and sends brotli (Caddy, GitLab Pages), and
# one that reads none and gzips on the fly (GitHub Pages), where the worker fetches the .br siblings
# of the wasm, the stdlib and the wheel as plain files and decodes them itself.
HOSTS = {
    "siblings": {},
    "GitHub Pages": {"encodings": ("gzip",), "siblings": False},
}
GITHUB_PAGES = HOSTS["GitHub Pages"]
DECODER = ("brotli-decoder.mjs", "brotli-decoder.wasm")


def _runtime_as_received(page, base: str) -> dict[str, tuple[str, bytes]]:
    """Load the calculators page to its first live result; {runtime file name: (Content-Encoding, body)}
    of every runtime file the page and its worker fetched."""
    received: dict[str, tuple[str, bytes]] = {}
    folder = runtime.runtime_dir() + "/"

    def record(response):
        if folder in response.url and response.status == 200:
            name = response.url.split(folder, 1)[-1]
            received[name] = (response.headers.get("content-encoding") or "identity", response.body())

    page.on("response", record)
    page.goto(base + "calculators/")
    page.wait_for_selector(LIVE, timeout=BOOT_MS)
    return received


@pytest.mark.browser
def test_each_host_sends_its_smallest_form_of_each_file_and_both_go_live(built_site, serve, browser):
    """A host that reads siblings sends the brotli ones itself, the archives' in their stored form
    (sitebuild/compress.py). On a host that does not (GitHub Pages), the worker fetches the .br
    siblings of the wasm, the stdlib and the wheel as they are, with the decoder, and never the
    files themselves; the modules come gzipped, since only the browser can decode what it imports.
    The calculator goes live on both, on exactly these bodies."""
    folder = built_site / runtime.runtime_dir()
    names = integrity.runtime_files(built_site)
    wheel = next(name for name in names if name.endswith(".whl"))
    decodable = ["pyodide.asm.wasm", runtime.STDLIB, wheel]
    stored = {name: gzip.decompress((folder / (name + ".gz")).read_bytes()) for name in (runtime.STDLIB, wheel)}
    expected = {
        "siblings": {
            **{
                name: ("br", (folder / name).read_bytes())
                for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
            },
            **{name: ("br", stored[name]) for name in stored},
            "site-lock.json": ("gzip", (folder / "site-lock.json").read_bytes()),
        },
        "GitHub Pages": {
            **{
                name: ("gzip", (folder / name).read_bytes())
                for name in ("pyodide.mjs", "pyodide.asm.mjs", "site-lock.json")
            },
            **{name + ".br": ("identity", (folder / (name + ".br")).read_bytes()) for name in decodable},
            **{name: ("gzip", (folder / name).read_bytes()) for name in DECODER},
        },
    }
    for host, options in HOSTS.items():
        context = browser.new_context()
        received = _runtime_as_received(context.new_page(), serve(built_site, prefix=SUB_PATH, **options))
        context.close()
        assert sorted(received) == sorted(expected[host]), host
        for name, (encoding, body) in received.items():
            assert (encoding, body) == expected[host][name], (host, name, encoding)


def _damage_truncated(data: bytes) -> bytes:
    return data[: len(data) - 1000]


def _damage_trailing(data: bytes) -> bytes:
    return data + b"another file's bytes"


def _damage_flipped(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes(b ^ 0xFF for b in data[middle : middle + 64]) + data[middle + 64 :]


@pytest.mark.browser
@pytest.mark.parametrize(
    "damage", [_damage_truncated, _damage_trailing, _damage_flipped], ids=["truncated", "trailing", "flipped"]
)
def test_a_damaged_brotli_sibling_is_refused_as_damaged(built_site, tmp_path, serve, browser, damage):
    """On a host that does not send brotli the worker decodes the wasm's .br sibling itself: a
    sibling cut short, followed by other bytes, or with 64 bytes changed in its middle must end the
    start with "damaged", and no answer."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    sibling = site / runtime.runtime_dir() / "pyodide.asm.wasm.br"
    sibling.write_bytes(damage(sibling.read_bytes()))
    _expect_damaged(browser, serve(site, prefix=SUB_PATH, **GITHUB_PAGES))


@pytest.mark.browser
def test_a_damaged_decoder_is_refused_as_damaged(built_site, tmp_path, serve, browser):
    """The decoder is checked like every runtime file before it decodes anything."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    decoder = site / runtime.runtime_dir() / DECODER[1]
    data = bytearray(decoder.read_bytes())
    data[len(data) // 2] ^= 0xFF
    decoder.write_bytes(bytes(data))
    _expect_damaged(browser, serve(site, prefix=SUB_PATH, **GITHUB_PAGES))


@pytest.mark.browser
def test_a_host_that_labels_the_brotli_siblings_as_brotli_still_goes_live(built_site, serve, browser, monkeypatch):
    """A host without brotli of its own may still send a `.br` file with "Content-Encoding: br"
    (some map the extension to the encoding): the browser then decodes it, and the worker must take
    the decoded body as it is rather than decode it again."""
    from tools import serve as static_host

    plain_end_headers = static_host.Handler.end_headers

    def end_headers(handler):
        if (handler.url_path or "").endswith(".br"):
            handler.send_header("Content-Encoding", "br")
        plain_end_headers(handler)

    monkeypatch.setattr(static_host.Handler, "end_headers", end_headers)
    context = browser.new_context()
    received = _runtime_as_received(context.new_page(), serve(built_site, prefix=SUB_PATH, **GITHUB_PAGES))
    context.close()
    folder = built_site / runtime.runtime_dir()
    assert received["pyodide.asm.wasm.br"] == ("br", (folder / "pyodide.asm.wasm").read_bytes())


@pytest.mark.browser
def test_a_deploy_without_the_brotli_siblings_still_goes_live(built_site, tmp_path, serve, browser):
    """Someone uploads the site without the .br files: where the host does not send brotli, the worker
    falls back to the files themselves."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    for sibling in (site / runtime.runtime_dir()).glob("*.br"):
        sibling.unlink()
    context = browser.new_context()
    received = _runtime_as_received(context.new_page(), serve(site, prefix=SUB_PATH, **GITHUB_PAGES))
    context.close()
    assert {"pyodide.asm.wasm", runtime.STDLIB} <= set(received)
    assert not [name for name in received if name.endswith(".br")]


@pytest.mark.browser
def test_a_sibling_left_from_another_release_is_refused_as_damaged(built_site, tmp_path, serve, browser):
    """A deploy that updated the stdlib zip but left its siblings from another release: a host that
    reads siblings sends the old archive's stored form, which matches neither sha256 the worker
    knows. The page must say the runtime arrived damaged, and never go live on mixed files."""
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    folder = site / runtime.runtime_dir()
    other = tmp_path / "other"
    other.mkdir()
    stdlib = next(name for name in integrity.runtime_files(site) if name.endswith(".zip"))
    shutil.copy2(folder / stdlib, other / stdlib)
    with zipfile.ZipFile(other / stdlib, "a") as archive:  # the other release: same members, other bytes
        archive.comment = b"another release"
    compress.precompress(other, [stdlib])
    for suffix in compress.ENCODINGS.values():
        shutil.copy2(other / (stdlib + suffix), folder / (stdlib + suffix))
    _expect_damaged(browser, serve(site, prefix=SUB_PATH))
