"""Shared fixtures: the site is built once per test session into a temporary folder."""

import os
import pathlib
import re
import subprocess
import sys
import threading

import pytest
from hypothesis import settings

from tools.chromium import launch

ROOT = pathlib.Path(__file__).resolve().parent.parent


# Hypothesis keeps no example database in the repository (tests never write into it); a failure
# prints its falsifying example, which is what reproduces it. No deadline: speed is benchmarked, not tested.
# Derandomized: every run tries the same examples, so a run's verdict never depends on luck (a flaky
# test loses a submission); `pytest --hypothesis-profile=explore` tries new ones while developing.
settings.register_profile("ahamirror", database=None, deadline=None, derandomize=True)
settings.register_profile("explore", database=None, deadline=None)  # --hypothesis-profile=explore
settings.load_profile("ahamirror")

# The suite builds for a project page, the way GitHub Pages serves one: under a sub-path, so
# every test exercises relative links and the `_headers` rules written for that path.
SITE_URL = "https://ahamirror.example/leverage-optimism/"
PREFIX = "/leverage-optimism/"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "SITE_URL": SITE_URL, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    env.pop("AHAMIRROR_DEPLOY", None)
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, f"mkdocs build failed:\n{run.stdout}\n{run.stderr}"
    return out


@pytest.fixture
def screenshots(tmp_path) -> pathlib.Path:
    """Where a test saves what it saw: $AHAMIRROR_SCREENSHOTS to keep them, else a temporary
    folder. Tests never write into the repository."""
    folder = pathlib.Path(os.environ.get("AHAMIRROR_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def widget_pages(built_site) -> dict[str, tuple[str, ...]]:
    """{page path ("calculators/"): the widget kinds on it, in page order}, read from the build, so
    a new widget page is covered by every test that walks them."""
    found = {}
    for page in sorted(built_site.rglob("index.html")):
        kinds = tuple(re.findall(r'<div class="widget" data-widget="([a-z-]+)"', page.read_text(encoding="utf-8")))
        if kinds:
            folder = page.parent.relative_to(built_site).as_posix()
            found["" if folder == "." else folder + "/"] = kinds
    return found


# --- the browser tests' shared pieces ------------------------------------------------------------
# Fixtures here are module-scoped on purpose: each browser test module gets its own server and
# Chromium, one after the other, because Playwright's sync API allows one instance at a time.


def serve_site(directory, prefix: str = "", **options):
    """(server, base URL without a trailing slash) for tools/serve.py on a free 127.0.0.1 port;
    `options` go to make_server (`encodings`, `siblings`)."""
    from tools.serve import make_server

    server = make_server(str(directory), 0, verbose=False, prefix=prefix, **options)  # port 0: any free port
    # A short poll: shutdown() waits up to one poll, and tests start and stop many servers.
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True, name="site-server"
    ).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix.rstrip('/')}"


@pytest.fixture(scope="module")
def origin(built_site):
    """The built site's base URL (no trailing slash), served under its sub-path."""
    server, url = serve_site(built_site, PREFIX)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser):
    """Fresh, isolated browser contexts for one test (closed after it); runtime waits use the budget."""
    from sitebuild.layout import BOOT_BUDGET_MS

    opened = []

    def make(**options):
        context = browser.new_context(**options)
        context.set_default_timeout(BOOT_BUDGET_MS)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()
