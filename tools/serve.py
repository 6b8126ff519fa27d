"""Serve the built site on 127.0.0.1 the way a careful static host would.

Used by `make serve` and by the tests. Sends the site's Content-Security-Policy, the right type
for WebAssembly, and no caching for HTML, so what passes here passes on the real host.
"""

import argparse
import functools
import http.server
import pathlib
import socketserver
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from macros.headers import read_csp  # noqa: E402  (the same policy the build wrote for hosts)

BASE_CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'")


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".mjs": "text/javascript", ".js": "text/javascript",
                      ".csv": "text/csv; charset=utf-8", ".json": "application/json", ".whl": "application/zip"}

    def translate_path(self, path):
        # Under a sub-path (as on a GitHub project page) only /<prefix>/... exists.
        prefix = self.server.prefix
        if prefix:
            if path.split("?")[0] == prefix.rstrip("/"):
                path = "/"
            elif path.startswith(prefix):
                path = "/" + path[len(prefix):]
            else:
                return "/nonexistent-outside-the-sub-path"
        return super().translate_path(path)

    def end_headers(self):
        self.send_header("Content-Security-Policy", self.server.csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.path.endswith("/") or self.path.endswith(".html"):
            self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args):  # keep test output readable
        if self.server.verbose:
            super().log_message(format, *args)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    verbose = True
    csp = BASE_CSP
    prefix = ""


def make_server(directory: str, port: int = 8000, verbose: bool = True, prefix: str = "") -> Server:
    """`prefix` ("/leverage-optimism/") serves the site under a sub-path, as a project page is."""
    server = Server(("127.0.0.1", port), functools.partial(Handler, directory=directory))
    server.verbose = verbose
    server.prefix = prefix
    server.csp = read_csp(directory) or BASE_CSP
    return server


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", default="site")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--prefix", default="", help="serve under a sub-path, e.g. /leverage-optimism/")
    args = parser.parse_args()
    server = make_server(args.dir, args.port, prefix=args.prefix)
    print(f"Serving {args.dir}/ on http://127.0.0.1:{args.port}{args.prefix or '/'} (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
