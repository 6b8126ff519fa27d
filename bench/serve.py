"""Serve the bench's build on 127.0.0.1 with tools/serve.py, under the site's real sub-path.

The site's default site_url is a project page (/leverage-optimism/); 404.html links its assets
absolutely under that path, so the build is placed at <root>/<prefix> and the root gets a copy
of the build's _headers, which tools/serve.py reads for the Content-Security-Policy.
"""

import pathlib
import shutil
import sys
import threading

from . import ROOT


def place(build: pathlib.Path, root: pathlib.Path, prefix: str) -> pathlib.Path:
    site = root / prefix.strip("/") if prefix.strip("/") else root
    site.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(build), str(site))
    if site != root:
        shutil.copy2(site / "_headers", root / "_headers")
    return site


def start(root: pathlib.Path, prefix: str, encodings: tuple[str, ...] = ("br", "gzip"), siblings: bool = True):
    """(server, base URL of the site); the server runs in a daemon thread. `encodings`: what the
    server may send; ("gzip",) without `siblings` stands in for GitHub Pages (tools/serve.py)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from tools.serve import make_server

    server = make_server(str(root), 0, verbose=False, encodings=encodings, siblings=siblings)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True, name="bench-server").start()
    return server, f"http://127.0.0.1:{port}{prefix}"
