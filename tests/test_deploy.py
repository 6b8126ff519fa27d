"""Deployment: host headers, the CSP the server sends, a sub-path, offline use and its updates."""

import base64
import hashlib
import re
import shutil
from urllib.parse import urljoin

import pytest

from macros import headers, offline, runtime
from tools.serve import BASE_CSP

from .conftest import serve_site

SUB_PATH = "/leverage-optimism/"
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


def test_headers_file_holds_the_policy_and_exactly_the_inline_script_hashes(built_site):
    policy = headers.read_csp(str(built_site))
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    base = dict(part.strip().split(" ", 1) for part in BASE_CSP.split(";"))
    for name, value in base.items():
        if name != "script-src":
            assert directives[name] == value, name
    script_src = directives["script-src"].split()
    assert script_src[:2] == ["'self'", "'wasm-unsafe-eval'"]
    assert set(script_src[2:]) == _inline_script_hashes(built_site)
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


def test_headers_file_sets_wasm_type_and_caching(built_site):
    text = (built_site / "_headers").read_text()
    assert "/*.wasm\n  Content-Type: application/wasm" in text
    for name in runtime.RUNTIME_FILES:
        assert f"/{runtime.runtime_dir()}/{name}\n  Cache-Control: public, max-age=31536000, immutable" in text
    assert "must-revalidate" in text.split("/*.wasm")[0]  # HTML and everything else: revalidate


def test_pages_workflow_builds_with_the_make_target():
    workflow = (headers.pathlib.Path(__file__).resolve().parent.parent / ".github/workflows/pages.yml").read_text()
    assert "run: make site" in workflow and "deploy-pages" in workflow and "path: site" in workflow


@pytest.fixture
def serve():
    """Start servers for a test (any folder, any sub-path); all stopped after it."""
    servers = []

    def start(directory, prefix=""):
        server, url = serve_site(directory, prefix)
        servers.append(server)
        return url + "/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
def test_server_sends_the_built_policy(built_site, serve, browser):
    base = serve(built_site)
    page = browser.new_page()
    response = page.goto(base + "calculators/")
    assert response.headers["content-security-policy"] == headers.read_csp(str(built_site))
    wasm = page.request.get(base + runtime.runtime_dir() + "/pyodide.asm.wasm")
    assert wasm.headers["content-type"] == "application/wasm"
    page.close()


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
    page.wait_for_selector(LIVE, timeout=30000)
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
    for _ in range(80):
        state = page.evaluate(
            "async () => { const r = await navigator.serviceWorker.getRegistration();"
            " return r && r.active ? r.active.state : null }"
        )
        if state == "activated" and page.evaluate("() => !!navigator.serviceWorker.controller"):
            return
        page.wait_for_timeout(250)
    raise AssertionError("the service worker did not activate")


@pytest.mark.browser
def test_offline_after_first_visit_and_a_new_version_replaces_the_cache(built_site, tmp_path, serve, browser):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    base = serve(site)
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + "calculators/")
    page.wait_for_selector(LIVE, timeout=30000)
    _wait_for_active_worker(page)
    first = page.evaluate("async () => await caches.keys()")
    assert len(first) == 1 and first[0].startswith("ahamirror-")

    # Lost signal: the page, the runtime and the wheel come from the cache.
    context.set_offline(True)
    page.reload()
    page.wait_for_selector(LIVE, timeout=30000)
    assert page.inner_text("[data-widget=liquidation] [data-out=price]")
    context.set_offline(False)

    # A new version of the site: the widget code changes, the build writes a new worker.
    widgets = site / "assets" / "javascripts" / "widgets.mjs"
    widgets.write_text(widgets.read_text() + "\n// a new release\n")
    new_version = offline.write(str(site))
    assert f"ahamirror-{new_version}" not in first
    page.goto(base + "calculators/")
    page.wait_for_selector(LIVE, timeout=30000)
    for _ in range(80):
        keys = page.evaluate("async () => await caches.keys()")
        if keys == [f"ahamirror-{new_version}"]:
            break
        page.evaluate(
            "async () => { const r = await navigator.serviceWorker.getRegistration(); if (r) await r.update(); }"
        )
        page.wait_for_timeout(250)
    assert keys == [f"ahamirror-{new_version}"], keys
    context.close()
