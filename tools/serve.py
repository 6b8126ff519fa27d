"""Serve the built site on 127.0.0.1 the way its real static host would.

Used by `make serve`, the tests and the benchmarks. It applies the rules the build wrote into
`site/_headers` (the Content-Security-Policy with its script hashes, caching, the WebAssembly
type; rules are written for the URL paths the host sees, sub-path included) and compresses text
and WebAssembly as hosts do, so what is measured and tested here is what visitors get: a file with a
precompressed sibling (`name.br`, `name.gz`, written by sitebuild/compress.py) is sent as the best
sibling the browser accepts, as Caddy's `precompressed` or nginx's `gzip_static` do; other text is
gzipped on the fly. `encodings` limits what is offered, e.g. to ("gzip",) for a host that ignores
the .br siblings; `siblings=False` ignores the siblings altogether, like GitHub Pages.

Like a static host it never lists a folder, answers a missing address (inside or outside the
sub-path) with the site's own `404.html` and status 404, and answers a malformed request (a NUL or
invalid UTF-8 in the path, bad percent-encoding, TLS bytes, a garbage request line) with 400 and an
overlong request line with 414, without a traceback. Idle connections time out (`Handler.timeout`),
so a browser's speculative connections cannot pin threads.

The base path. The build writes the site for one address (SITE_URL); 404.html links its styles,
scripts and pages absolutely under that address' path (see sitebuild/notfound.py), as it must
since hosts serve it at any depth. So the command line serves the site under the same path by
default, and `/` redirects there. The path is read from the build's `_headers`: its first rule is
`<base>*` (sitebuild/headers.py `write_rules`). That file is the one this server already reads for
its headers, so the served paths and the header rules cannot disagree, and the build needs no extra
file that would then be deployed. `--prefix` overrides it; `make_server` takes it explicitly.
"""

import argparse
import datetime
import email.utils
import functools
import gzip
import http.server
import io
import os
import pathlib
import re
import socket
import socketserver
import sys
import time
import urllib.parse
from http import HTTPStatus
from typing import BinaryIO

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from sitebuild import headers  # noqa: E402  (the build's own rules)

COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".csv", ".txt", ".wasm", ".map"}
NOT_FOUND_PAGE = "404.html"
IDLE_TIMEOUT = 20.0  # seconds a connection may sit without sending a request (or reading a reply)
LINGER_SECONDS = 2.0  # after an error reply: how long to read what the client still sends (see drain)
LINGER_BYTES = 1 << 20
# Precompressed siblings, in the order they are preferred (sitebuild/compress.py writes them).
SIBLINGS = {"br": ".br", "gzip": ".gz"}
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")  # a "%" not followed by two hex digits
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def checked_path(target: str) -> str | None:
    """The path of a request target ("/a/b?q" → "/a/b"), or None if it is malformed: not starting
    with "/", not UTF-8 (raw or percent-encoded), a stray "%", or a control character (NUL…)."""
    if not target.startswith("/"):
        return None
    path = target.split("?", 1)[0].split("#", 1)[0]
    try:
        path.encode("latin-1").decode("utf-8")  # the request line arrives decoded as Latin-1
        decoded = urllib.parse.unquote_to_bytes(path).decode("utf-8")
    except UnicodeError:
        return None
    if _PERCENT.search(path) or _CONTROL.search(decoded) or _CONTROL.search(path):
        return None
    return path


def accepts(accept_encoding: str, encoding: str) -> bool:
    """Whether an Accept-Encoding value allows `encoding` ("gzip;q=0" refuses it)."""
    for item in accept_encoding.split(","):
        name, _, params = item.partition(";")
        if name.strip().lower() not in (encoding, "*"):
            continue
        q = params.strip().lower().removeprefix("q=")
        try:
            return not params.strip() or float(q) > 0
        except ValueError:
            return False
    return False


def site_base_path(directory: str | pathlib.Path) -> str:
    """The base path the build in `directory` was made for ("/leverage-optimism/" or "/"): its
    `_headers` starts with the rule `<base>*`. A folder without rules is served at the root."""
    rules = headers.read_rules(directory)
    first = rules[0][0] if rules else "/*"
    return first.removesuffix("*") if first.endswith("/*") else "/"


class Handler(http.server.SimpleHTTPRequestHandler):
    server: "Server"  # the settings live on the server: one per served folder
    timeout = IDLE_TIMEOUT  # socket timeout (StreamRequestHandler.setup); the server may shorten it
    # A request line that is not HTTP (TLS bytes, garbage) gets a 400 with a status line, not the
    # bare body the standard handler sends to what it takes for an HTTP/0.9 client.
    default_request_version = "HTTP/1.0"
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".csv": "text/csv; charset=utf-8",
        ".json": "application/json",
        ".whl": "application/zip",
    }
    # Per request: the checked path, and the URL path whose `_headers` rules the reply gets. None
    # until the request line is parsed, so an error reply to a malformed request gets no rules.
    url_path: str | None = None
    rules_path: str | None = None
    linger = False

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.idle_timeout)

    def handle(self) -> None:
        super().handle()
        if self.linger:
            self.drain()

    def handle_one_request(self) -> None:
        self.url_path = self.rules_path = None  # a kept-alive connection: forget the last request
        super().handle_one_request()

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False  # the standard handler has answered 400 (bad syntax, version, headers)
        path = checked_path(self.path)
        if path is None:
            self.send_error(HTTPStatus.BAD_REQUEST, "Malformed request path")
            return False
        self.url_path = self.rules_path = path
        return True

    def unprefixed(self, path: str) -> str | None:
        """The request path as the site sees it; None outside the sub-path (as on a GitHub project
        page, only /<prefix>/... exists there)."""
        prefix = self.server.prefix
        if not prefix:
            return path
        if path == prefix.rstrip("/"):
            return "/"
        return "/" + path[len(prefix) :] if path.startswith(prefix) else None

    def send_head(self) -> BinaryIO | None:
        """The reply's status and headers; returns the body to send (GET) or close (HEAD)."""
        path = self.url_path
        assert path is not None  # parse_request checked it before do_GET/do_HEAD run
        query = self.path[len(path) :]
        if self.server.prefix and path == "/":
            self.redirect(self.server.prefix, HTTPStatus.FOUND)  # the root of `make serve`
            return None
        site_path = self.unprefixed(path)
        if site_path is None:
            return self.not_found()
        file = self.translate_path(site_path)
        if os.path.isdir(file):
            index = os.path.join(file, "index.html")
            if not os.path.isfile(index):
                return self.not_found()  # hosts never list a folder
            if not path.endswith("/"):
                self.redirect(path + "/" + query, HTTPStatus.MOVED_PERMANENTLY)
                return None
            file = index
        elif not os.path.isfile(file):
            return self.not_found()
        return self.send_file(file, HTTPStatus.OK)

    def not_found(self) -> BinaryIO | None:
        """The site's own 404 page with status 404, as hosts send it, with the rules for the request
        path (outside the sub-path none match: the page's own path gives the rules then)."""
        if self.url_path is not None and self.unprefixed(self.url_path) is None:
            self.rules_path = (self.server.prefix or "/") + NOT_FOUND_PAGE
        page = os.path.join(self.directory, NOT_FOUND_PAGE)
        if not os.path.isfile(page):
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        return self.send_file(page, HTTPStatus.NOT_FOUND)

    def send_file(self, file: str, status: HTTPStatus) -> BinaryIO | None:
        """Status, type, length and caching headers for a file, compressed when the client accepts it."""
        stat = os.stat(file)
        if status == HTTPStatus.OK and self.not_modified(stat.st_mtime):
            self.send_response(HTTPStatus.NOT_MODIFIED)  # HTML is must-revalidate: nothing to resend
            self.end_headers()
            return None
        accept = self.headers.get("Accept-Encoding", "")
        offered = [e for e in self.server.encodings if accepts(accept, e)]
        sibling = next(
            ((e, file + SIBLINGS[e]) for e in offered if self.server.siblings and os.path.isfile(file + SIBLINGS[e])),
            None,
        )
        compressible = sibling is not None or pathlib.Path(file).suffix in COMPRESSIBLE
        encoding = sibling[0] if sibling else ("gzip" if compressible and "gzip" in offered else None)
        body: BinaryIO
        if sibling:
            body, length = open(sibling[1], "rb"), os.stat(sibling[1]).st_size
        elif encoding:
            data = self.server.gzipped(file)
            body, length = io.BytesIO(data), len(data)
        else:
            body, length = open(file, "rb"), stat.st_size  # closed by do_GET / do_HEAD
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(file))
        self.send_header("Content-Length", str(length))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if compressible:
            self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return body

    def not_modified(self, mtime: float) -> bool:
        """If-Modified-Since revalidation, as the standard handler does it."""
        since = self.headers.get("If-Modified-Since")
        if not since or "If-None-Match" in self.headers:
            return False
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, IndexError, OverflowError, ValueError):
            return False  # ill-formed: send the file
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.UTC)
        return datetime.datetime.fromtimestamp(int(mtime), datetime.UTC) <= when

    def redirect(self, location: str, status: HTTPStatus) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # The request may not have been read to its end (a 414, a body): read it before closing.
        self.linger = True
        super().send_error(code, message, explain)

    def drain(self) -> None:
        """Read what the client still sends, briefly, before the socket closes: closing with unread
        bytes makes the kernel reset the connection, and the client may lose the error reply."""
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            deadline, received = time.monotonic() + LINGER_SECONDS, 0
            while received < LINGER_BYTES and (left := deadline - time.monotonic()) > 0:
                self.connection.settimeout(left)
                chunk = self.connection.recv(65536)
                if not chunk:
                    break
                received += len(chunk)
        except OSError:
            pass  # the client is gone or silent: close anyway

    def end_headers(self) -> None:
        if self.rules_path is not None:
            for name, value in headers.headers_for(self.server.rules, self.rules_path).items():
                if name.lower() != "content-type":  # the type comes from the file (same as the rule)
                    self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # keep test output readable
        if self.server.verbose:
            super().log_message(format, *args)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    verbose = True
    prefix = ""
    idle_timeout = IDLE_TIMEOUT
    encodings: tuple[str, ...] = tuple(SIBLINGS)  # what this server may send, best first
    siblings = True  # whether it sends the precompressed siblings (make_server)
    rules: list[tuple[str, dict[str, str]]] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._gzip_cache: dict[tuple[str, int, int], bytes] = {}

    def gzipped(self, path: str) -> bytes:
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
        if key not in self._gzip_cache:
            self._gzip_cache[key] = gzip.compress(pathlib.Path(path).read_bytes(), compresslevel=6, mtime=0)
        return self._gzip_cache[key]

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up or stalls mid-reply is not an error of the server: no traceback.
        Anything else is a bug here, and keeps the standard report."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def make_server(
    directory: str,
    port: int = 8000,
    verbose: bool = True,
    prefix: str = "",
    encodings: tuple[str, ...] = tuple(SIBLINGS),
    siblings: bool = True,
) -> Server:
    """`prefix` ("/leverage-optimism/") serves the site under a sub-path, as a project page is;
    `encodings` is what the server may send (("gzip",) for a host that ignores .br siblings);
    `siblings=False` ignores the precompressed files altogether and gzips text and WebAssembly on the
    fly, sending archives as they are: GitHub Pages as the bench assumes it (it documents reading no
    sibling, and no list of the types it compresses)."""
    unknown = set(encodings) - set(SIBLINGS)
    if unknown:
        raise ValueError(f"unknown encoding(s): {sorted(unknown)}")
    server = Server(("127.0.0.1", port), functools.partial(Handler, directory=directory))
    server.verbose = verbose
    server.encodings = tuple(encodings)
    server.siblings = siblings
    server.prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else ""
    server.rules = headers.read_rules(directory)
    return server


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dir", default="site")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument(
        "--prefix", default=None, help="sub-path to serve under (default: the build's own, read from _headers)"
    )
    args = parser.parse_args()
    prefix = site_base_path(args.dir) if args.prefix is None else args.prefix
    server = make_server(args.dir, args.port, prefix=prefix)
    print(f"Serving {args.dir}/ on http://127.0.0.1:{args.port}{server.prefix or '/'} (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
