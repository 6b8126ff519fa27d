"""Shared fixtures: the site is built once per test session into a temporary folder."""

import os
import pathlib
import subprocess
import sys
import threading

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, f"mkdocs build failed:\n{run.stdout}\n{run.stderr}"
    return out


# --- the browser tests' shared pieces ------------------------------------------------------------
# Fixtures here are module-scoped on purpose: each browser test module gets its own server and
# Chromium, one after the other, because Playwright's sync API allows one instance at a time.

CHROMIUM = "/usr/bin/chromium"  # Debian's; Playwright's own browser download cannot work here
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def serve_site(directory, prefix: str = ""):
    """(server, base URL without a trailing slash) for tools/serve.py on a free 127.0.0.1 port."""
    from tools.serve import make_server

    server = make_server(str(directory), 0, verbose=False, prefix=prefix)  # port 0: any free port
    threading.Thread(target=server.serve_forever, daemon=True, name="site-server").start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix.rstrip('/')}"


@pytest.fixture(scope="module")
def origin(built_site):
    server, url = serve_site(built_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()
