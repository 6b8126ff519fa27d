"""Serve the built site on 127.0.0.1 the way its real static host would.

Used by `make serve`, the tests and the benchmarks. It applies the rules the build wrote into
`site/_headers` (the Content-Security-Policy with its script hashes, caching, the WebAssembly
type; rules are written for the URL paths the host sees, sub-path included) and compresses text
and WebAssembly with gzip as hosts do, so what is measured and tested here is what visitors get.
"""

import argparse
import email.utils
import functools
import gzip
import http.server
import os
import pathlib
import socketserver
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from sitebuild import headers  # noqa: E402  (the build's own rules)

COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".csv", ".txt", ".wasm", ".map"}


class Handler(http.server.SimpleHTTPRequestHandler):
    server: "Server"  # the settings below live on the server: one per served folder
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".csv": "text/csv; charset=utf-8",
        ".json": "application/json",
        ".whl": "application/zip",
    }

    def unprefixed(self, path: str) -> str | None:
        """The request path as the site sees it; None outside the sub-path (as on a GitHub project
        page, only /<prefix>/... exists there)."""
        path = path.split("?")[0].split("#")[0]
        prefix = self.server.prefix
        if not prefix:
            return path
        if path == prefix.rstrip("/"):
            return "/"
        return "/" + path[len(prefix) :] if path.startswith(prefix) else None

    def translate_path(self, path):
        site_path = self.unprefixed(path)
        return super().translate_path(site_path) if site_path is not None else "/nonexistent-outside-the-sub-path"

    def send_head(self):
        """Like the standard handler, plus gzip for compressible files when the client accepts it."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            index = os.path.join(path, "index.html")
            if not self.path.split("?")[0].endswith("/") or not os.path.isfile(index):
                return super().send_head()  # the standard redirect, listing or 404
            path = index
        suffix = pathlib.Path(path).suffix
        if (
            suffix not in COMPRESSIBLE
            or "gzip" not in self.headers.get("Accept-Encoding", "")
            or not os.path.isfile(path)
        ):
            return super().send_head()
        modified = email.utils.formatdate(int(os.stat(path).st_mtime), usegmt=True)
        if self.headers.get("If-Modified-Since") == modified:
            self.send_response(304)  # revalidation (HTML is must-revalidate): nothing to resend
            self.end_headers()
            return None
        body = self.server.gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Last-Modified", modified)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def end_headers(self):
        rules = headers.headers_for(self.server.rules, self.path.split("?")[0].split("#")[0])
        for name, value in rules.items():
            if name.lower() != "content-type":  # the type comes from the file (same as the rule)
                self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args):  # keep test output readable
        if self.server.verbose:
            super().log_message(format, *args)


class _Body:
    """A file-like wrapper so the standard copyfile() can send an in-memory body."""

    def __init__(self, data: bytes):
        self.data, self.done = data, False

    def read(self, size=-1):
        if self.done:
            return b""
        self.done = True
        return self.data

    def close(self):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    verbose = True
    prefix = ""
    rules: list = []

    def gzipped(self, path: str) -> bytes:
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
        cache = self.__dict__.setdefault("_gzip_cache", {})
        if key not in cache:
            cache[key] = gzip.compress(pathlib.Path(path).read_bytes(), compresslevel=6, mtime=0)
        return cache[key]


def make_server(directory: str, port: int = 8000, verbose: bool = True, prefix: str = "") -> Server:
    """`prefix` ("/leverage-optimism/") serves the site under a sub-path, as a project page is."""
    server = Server(("127.0.0.1", port), functools.partial(Handler, directory=directory))
    server.verbose = verbose
    server.prefix = prefix
    server.rules = headers.read_rules(directory)
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
