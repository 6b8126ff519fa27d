"""A test-only static host that breaks one file on purpose (tests/test_faults.py).

It is tools/serve.py's server (the build's `_headers`, gzip, the site's 404 page) with one fault
applied to the requests whose path matches a target. Some faults need a real server: a reset in the
middle of a body sends the full Content-Length, half the bytes, then drops the socket, which a
browser's request interception cannot do. Each case gets its own server, hence its own origin, so
HTTP caches, service workers and storage never leak from one case into another.

Faults (`FAULTS`):
- "404": the site's 404 page with status 404, as a host answers a file it lost;
- "spa": the site's index page with status 200, as single-page-app hosts answer any unknown path;
- "truncated": the first half of the file, as a complete response (Content-Length says half);
- "flipped": the whole file with one byte changed (see `flip_offset`);
- "reset": headers with the full Content-Length, half the body, then a TCP reset;
- "slow": the whole file, trickled over `SLOW_SECONDS` (still well within the boot budget);
- "head-refused": HEAD answered 405; GET works (applies to every file, as such hosts do);
- "hold": headers and half the body, then nothing until `release` is set, then a reset (the
  test goes offline in between: "offline in the middle of the load").
Faulty replies carry no Last-Modified, so a browser cannot revalidate a broken copy with a 304
once the fault is switched off (a fixed file on a real host has a new date or ETag).
"""

import fnmatch
import functools
import gzip
import os
import pathlib
import socket
import struct
import sys
import threading
import time
from http import HTTPStatus

from sitebuild import headers, layout
from tools.serve import Handler, Server

FAULTS = ("404", "spa", "truncated", "flipped", "reset", "slow", "head-refused", "hold")
# A third of the boot budget: slow enough to be felt, and a runtime this slow must still go live.
SLOW_SECONDS = layout.BOOT_BUDGET_MS / 1000 / 3
SLOW_STEPS = 20
_GZIP_CACHE: dict[tuple[str, int, int], bytes] = {}  # shared: every case's server serves the same files
_GZIP_LOCK = threading.Lock()


def flip_offset(name: str, size: int) -> int:
    """Where the "flipped" fault changes a byte: the middle of the file. widgets.mjs is the exception:
    nothing checks the page's own module against a hash (see sitebuild/integrity.py for why), so what
    a flipped byte does there depends on the byte; its first byte turns the opening comment into a
    syntax error, the outcome that matters (the module does not run at all)."""
    return 0 if name == "widgets.mjs" else size // 2


class FaultHandler(Handler):
    server: "FaultServer"

    def send_head(self):
        fault = self.server.fault_for(self.url_path or "", self.command)
        if fault is None:
            return super().send_head()
        self.server.hits.append((fault, self.url_path or ""))
        if fault == "head-refused":
            self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
            self.send_header("Allow", "GET")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if fault == "404":
            return self.not_found()
        file = self.translate_path(self.unprefixed(self.url_path or "") or "/")
        name = os.path.basename(file)
        if fault == "spa":
            body = pathlib.Path(self.directory, "index.html").read_bytes()
            self._headers_for(len(body), "text/html; charset=utf-8")
            self._write(body)
            return None
        data = pathlib.Path(file).read_bytes()
        half = data[: len(data) // 2]
        if fault == "truncated":
            self._headers_for(len(half), self.guess_type(file))
            self._write(half)
        elif fault == "flipped":
            at = flip_offset(name, len(data))
            flipped = data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]
            self._headers_for(len(flipped), self.guess_type(file))
            self._write(flipped)
        elif fault == "slow":
            self._headers_for(len(data), self.guess_type(file))
            step = -(-len(data) // SLOW_STEPS)
            for start in range(0, len(data), step):
                time.sleep(SLOW_SECONDS / SLOW_STEPS)
                self._write(data[start : start + step])
        elif fault in ("reset", "hold"):
            self._headers_for(len(data), self.guess_type(file))
            self._write(half)
            if fault == "hold":
                self.server.holding.set()
                self.server.release.wait(layout.BOOT_BUDGET_MS / 1000)
            self._reset()
        return None

    def _headers_for(self, length: int, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def _write(self, chunk: bytes) -> None:
        if self.command == "HEAD":
            return
        try:
            self.wfile.write(chunk)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def _reset(self) -> None:
        """Drop the connection with a TCP reset (SO_LINGER 0), not a clean close."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass


class FaultServer(Server):
    """tools.serve's server plus one fault; `fault = None` switches it off (the retry tests)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fault: str | None = None
        self.targets: tuple[str, ...] = ()  # fnmatch patterns on the URL path
        self.hits: list[tuple[str, str]] = []
        self.holding = threading.Event()
        self.release = threading.Event()

    def fault_for(self, url_path: str, method: str) -> str | None:
        if self.fault is None:
            return None
        if self.fault == "head-refused":
            return self.fault if method == "HEAD" else None
        return self.fault if any(fnmatch.fnmatch(url_path, pattern) for pattern in self.targets) else None

    def gzipped(self, path: str) -> bytes:
        stat = os.stat(path)
        key = (path, stat.st_mtime_ns, stat.st_size)
        with _GZIP_LOCK:
            if key not in _GZIP_CACHE:
                _GZIP_CACHE[key] = gzip.compress(pathlib.Path(path).read_bytes(), compresslevel=6, mtime=0)
            return _GZIP_CACHE[key]

    def handle_error(self, request, client_address) -> None:
        # The faults close sockets under the handler's feet on purpose.
        if isinstance(sys.exc_info()[1], (OSError, ValueError)):
            return
        super().handle_error(request, client_address)


def start(directory: pathlib.Path, prefix: str, fault: str | None, targets: tuple[str, ...]) -> tuple[FaultServer, str]:
    """A running fault server on a free port; returns it and the site's base URL (no trailing slash)."""
    server = FaultServer(("127.0.0.1", 0), functools.partial(FaultHandler, directory=str(directory)))
    server.verbose = False
    server.prefix = prefix
    server.rules = headers.read_rules(directory)
    server.fault, server.targets = fault, targets
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix.rstrip('/')}"


def stop(server: FaultServer) -> None:
    server.release.set()
    server.shutdown()
    server.server_close()
