"""Debian's Chromium, as the tests, the benchmarks and the screenshot tools launch it.

Playwright's own browser download cannot work on this kind of machine, so every launch names
the system browser; `AHAMIRROR_CHROMIUM` points at another build where that one lives elsewhere.
"""

import os

PATH = os.environ.get("AHAMIRROR_CHROMIUM", "/usr/bin/chromium")
# Quiet on a closed network: without the background-networking flags Chromium keeps trying to
# reach Google's hosts and its connections are refused.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch(playwright, **options):
    """playwright.chromium.launch with the system browser and the flags above."""
    return playwright.chromium.launch(executable_path=PATH, args=LAUNCH_ARGS, **options)
