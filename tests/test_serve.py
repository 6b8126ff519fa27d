"""tools/serve.py, the local stand-in for the static host: malformed requests, idle connections,
folders, the site's own 404 page, and what it already did (sub-path, gzip, revalidation, headers).

Raw requests go through `socket`, so the bytes on the wire are exactly the ones written here."""

import gzip
import http.client
import os
import pathlib
import re
import socket
import subprocess
import sys
import threading

import pytest

from sitebuild import headers, notfound
from tools import serve

from .conftest import PREFIX, ROOT

CLIENT_TIMEOUT = 30  # generous: a loaded machine must not fail a test, only a hung server does
TLS_CLIENT_HELLO = b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"  # record header + ClientHello start


class Started:
    def __init__(self, server: serve.Server):
        self.server = server
        self.port = server.server_address[1]
        self.errors: list[BaseException | None] = []  # every exception that reached the server's handler

    def raw(self, data: bytes, close_write: bool = True) -> bytes:
        """Send bytes, read the whole reply until the server closes."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=CLIENT_TIMEOUT) as sock:
            sock.sendall(data)
            if close_write:
                sock.shutdown(socket.SHUT_WR)
            return _read_all(sock)

    def request(self, method: str, path: str, **request_headers: str) -> tuple[http.client.HTTPResponse, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=CLIENT_TIMEOUT)
        connection.request(method, path, headers={k.replace("_", "-"): v for k, v in request_headers.items()})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response, body


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


@pytest.fixture
def start():
    """start(folder, prefix, verbose) → a running server whose handle_error records what reaches it."""
    started: list[Started] = []

    def run(directory, prefix: str = "", verbose: bool = False, **options) -> Started:
        server = serve.make_server(str(directory), 0, verbose=verbose, prefix=prefix, **options)
        running = Started(server)
        original = server.handle_error

        def record(request, client_address):
            running.errors.append(sys.exc_info()[1])
            original(request, client_address)

        server.handle_error = record  # type: ignore[method-assign]
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        started.append(running)
        return running

    yield run
    for running in started:
        running.server.shutdown()
        running.server.server_close()


@pytest.fixture
def small_site(tmp_path) -> pathlib.Path:
    """A synthetic build: a page, a folder without index.html, a 404 page, a WebAssembly file."""
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>home</title><p>" + "home " * 200)
    (site / "404.html").write_text("<!doctype html><title>missing</title><h1>Not here</h1>")
    (site / "assets" / "site.css").write_text("body { color: black }\n" * 50)
    (site / "assets" / "engine.wasm").write_bytes(b"\x00asm\x01\x00\x00\x00")
    return site


def status_line(reply: bytes) -> bytes:
    return reply.split(b"\r\n", 1)[0]


# --- malformed requests: a status, never a traceback ---------------------------------------------

MALFORMED = {
    "nul": b"GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n",
    "raw-nul": b"GET /a\x00b HTTP/1.1\r\nHost: x\r\n\r\n",
    "percent-invalid-utf8": b"GET /%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n",
    "raw-invalid-utf8": b"GET /\xff\xfe.html HTTP/1.1\r\nHost: x\r\n\r\n",
    "stray-percent": b"GET /100%zz HTTP/1.1\r\nHost: x\r\n\r\n",
    "not-a-path": b"GET index.html HTTP/1.1\r\nHost: x\r\n\r\n",
    "garbage": b"hello there\r\n\r\n",
    "tls-client-hello": TLS_CLIENT_HELLO,
}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_request_gets_400_and_no_traceback(small_site, start, capsys, name):
    running = start(small_site, verbose=True)  # verbose: the log line itself must not fail either
    reply = running.raw(MALFORMED[name])
    assert re.match(rb"HTTP/1\.[01] 400 ", status_line(reply)), reply[:200]
    assert b"Content-Security-Policy" not in reply  # no rules for a path that was never understood
    assert running.raw(b"GET / HTTP/1.0\r\n\r\n").startswith(b"HTTP/1.0 200 ")  # still serving
    assert running.errors == []
    assert "Traceback" not in capsys.readouterr().err


def test_a_request_line_over_64_kb_gets_414(small_site, start, capsys):
    running = start(small_site, verbose=True)
    reply = running.raw(b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert re.match(rb"HTTP/1\.[01] 414 ", status_line(reply)), reply[:200]
    assert running.errors == []
    assert "Traceback" not in capsys.readouterr().err


def test_a_tls_client_that_waits_is_closed_without_a_traceback(small_site, start, capsys):
    """A browser speaking TLS to http:// sends its ClientHello (no newline) and waits for an answer."""
    running = start(small_site, verbose=True)
    running.server.idle_timeout = 0.2
    reply = running.raw(TLS_CLIENT_HELLO, close_write=False)
    assert reply == b"" or re.match(rb"HTTP/1\.[01] 400 ", status_line(reply)), reply[:200]
    assert running.errors == []
    assert "Traceback" not in capsys.readouterr().err


def test_an_idle_connection_is_closed_after_the_timeout(small_site, start):
    running = start(small_site)
    running.server.idle_timeout = 0.2
    with socket.create_connection(("127.0.0.1", running.port), timeout=CLIENT_TIMEOUT) as sock:
        assert _read_all(sock) == b""  # the server hung up on a connection that sent nothing
    assert running.errors == []


def test_connections_time_out_by_default():
    assert serve.Handler.timeout is not None and 10 <= serve.Handler.timeout <= 30
    assert serve.Server.idle_timeout == serve.Handler.timeout


# --- folders and missing pages -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/assets/", "/assets"])
def test_a_folder_without_index_is_not_listed(small_site, start, path):
    response, body = start(small_site).request("GET", path)
    assert response.status == 404
    assert body == (small_site / "404.html").read_bytes()
    assert b"site.css" not in body


def test_missing_pages_get_the_sites_404_page(small_site, start):
    running = start(small_site)
    for path in ("/missing", "/deep/er/missing.html", "/index.html/"):
        response, body = running.request("GET", path)
        assert (response.status, body) == (404, (small_site / "404.html").read_bytes()), path
        assert response.getheader("Content-Type") == "text/html"


def test_without_a_404_page_the_answer_is_still_404(tmp_path, start):
    (tmp_path / "index.html").write_text("home")
    response, _ = start(tmp_path).request("GET", "/missing")
    assert response.status == 404


def test_head_sends_headers_only(small_site, start):
    running = start(small_site)
    response, body = running.request("HEAD", "/missing")
    assert (response.status, body) == (404, b"")
    assert response.getheader("Content-Length") == str((small_site / "404.html").stat().st_size)
    reply = running.raw(b"HEAD / HTTP/1.0\r\n\r\n")
    assert status_line(reply) == b"HTTP/1.0 200 OK" and reply.endswith(b"\r\n\r\n")  # nothing after the headers


def test_gzip_only_when_accepted(small_site, start):
    running = start(small_site)
    plain = (small_site / "index.html").read_bytes()
    response, body = running.request("GET", "/", Accept_Encoding="gzip, br")
    assert response.getheader("Content-Encoding") == "gzip" and gzip.decompress(body) == plain
    assert response.getheader("Vary") == "Accept-Encoding"
    for refused in ("identity", "gzip;q=0", ""):
        response, body = running.request("GET", "/", Accept_Encoding=refused)
        assert response.getheader("Content-Encoding") is None and body == plain, refused
    response, body = running.request("GET", "/missing", Accept_Encoding="gzip")
    assert response.status == 404 and gzip.decompress(body) == (small_site / "404.html").read_bytes()


def test_precompressed_siblings_are_sent_as_hosts_that_look_for_them_do(small_site, start):
    """A file with `.br` / `.gz` siblings (sitebuild/compress.py) goes out as the best sibling the
    client accepts, with the file's own type; other files keep on-the-fly gzip."""
    folder = small_site / "assets"
    plain = b"\x00asm" + bytes(range(256)) * 64
    (folder / "big.wasm").write_bytes(plain)
    (folder / "big.wasm.br").write_bytes(b"brotli body")  # the server must send it untouched
    (folder / "big.wasm.gz").write_bytes(gzip.compress(plain))
    running = start(small_site)
    cases = {
        "gzip, deflate, br, zstd": ("br", b"brotli body"),
        "br;q=0, gzip": ("gzip", plain),
        "gzip": ("gzip", plain),
        "identity": (None, plain),
    }
    for accept, (encoding, expected) in cases.items():
        response, body = running.request("GET", "/assets/big.wasm", Accept_Encoding=accept)
        assert response.getheader("Content-Encoding") == encoding, accept
        assert (gzip.decompress(body) if encoding == "gzip" else body) == expected, accept
        assert response.getheader("Content-Type") == "application/wasm"
        assert response.getheader("Content-Length") == str(len(body))
        assert response.getheader("Vary") == "Accept-Encoding"
    response, body = running.request("HEAD", "/assets/big.wasm", Accept_Encoding="br")
    assert (response.getheader("Content-Length"), body) == (str(len(b"brotli body")), b"")
    # A host that only gzips on the fly (GitHub Pages) never sends the brotli sibling.
    gzip_only = start(small_site, encodings=("gzip",))
    response, body = gzip_only.request("GET", "/assets/big.wasm", Accept_Encoding="gzip, br")
    assert response.getheader("Content-Encoding") == "gzip" and gzip.decompress(body) == plain
    # GitHub Pages reads no sibling: the .gz file is not what it sends, its own gzip of the file is.
    github_pages = start(small_site, encodings=("gzip",), siblings=False)
    response, body = github_pages.request("GET", "/assets/big.wasm", Accept_Encoding="gzip, br")
    assert response.getheader("Content-Encoding") == "gzip" and gzip.decompress(body) == plain
    assert body != (small_site / "assets" / "big.wasm.gz").read_bytes()
    with pytest.raises(ValueError, match="zstd"):
        serve.make_server(str(small_site), 0, encodings=("zstd",))


def test_revalidation_answers_304(small_site, start):
    running = start(small_site)
    for encoding in ("gzip", "identity"):
        first, _ = running.request("GET", "/assets/site.css", Accept_Encoding=encoding)
        again, body = running.request(
            "GET", "/assets/site.css", Accept_Encoding=encoding, If_Modified_Since=first.getheader("Last-Modified")
        )
        assert (again.status, body) == (304, b""), encoding


def test_webassembly_type(small_site, start):
    response, body = start(small_site).request("GET", "/assets/engine.wasm")
    assert response.getheader("Content-Type") == "application/wasm" and body.startswith(b"\x00asm")


def test_a_query_string_is_not_part_of_the_path(small_site, start):
    response, _ = start(small_site).request("GET", "/?scenario=%ff%00")
    assert response.status == 200


# --- the real build under its sub-path -----------------------------------------------------------


def test_the_base_path_is_read_from_the_build(built_site, tmp_path):
    assert serve.site_base_path(built_site) == PREFIX
    assert serve.site_base_path(tmp_path) == "/"  # no _headers: the root


def test_sub_path_root_redirects_and_folders_need_their_slash(built_site, start):
    running = start(built_site, PREFIX)
    response, _ = running.request("GET", "/")
    assert (response.status, response.getheader("Location")) == (302, PREFIX)
    response, _ = running.request("GET", PREFIX.rstrip("/"))
    assert (response.status, response.getheader("Location")) == (301, PREFIX)
    response, _ = running.request("GET", PREFIX + "calculators?x=1")
    assert (response.status, response.getheader("Location")) == (301, PREFIX + "calculators/?x=1")


@pytest.mark.parametrize("path", [PREFIX + "no-such-page/", PREFIX + "assets/", PREFIX + "a/b/c.html", "/elsewhere"])
def test_missing_paths_get_the_built_404_page_with_the_policy(built_site, start, path):
    response, body = start(built_site, PREFIX).request("GET", path)
    assert response.status == 404
    assert body == (built_site / "404.html").read_bytes()
    assert response.getheader("Content-Security-Policy") == headers.read_csp(built_site, PREFIX)
    assert response.getheader("X-Content-Type-Options") == "nosniff"


def _local_urls(page_html: str) -> list[str]:
    """Every href/src of the page that points into the site (not another origin, not a fragment)."""
    urls = re.findall(r'\s(?:href|src)="([^"]*)"', page_html)
    return [u for u in urls if not re.match(r"^([a-z][a-z0-9+.-]*:|#)", u)]


def assert_404_page_works_from_a_deep_missing_path(site: pathlib.Path, running: Started, base: str) -> None:
    """What a visitor at <base>a/b/missing gets: the 404 page, and every URL in it loads."""
    response, body = running.request("GET", base + "a/b/missing")
    assert response.status == 404
    urls = _local_urls(body.decode())
    assert any(u.endswith(".css") for u in urls) and any(u.endswith(".js") for u in urls)
    for url in urls:
        assert url.startswith(base), f"{url} depends on where the 404 page is shown"
        target = running.request("GET", url)[0]
        assert target.status in (200, 301), f"{url}: {target.status}"


def test_the_404_page_works_under_the_sub_path(built_site, start):
    assert_404_page_works_from_a_deep_missing_path(built_site, start(built_site, PREFIX), PREFIX)


def test_the_404_page_works_for_a_site_at_the_root(tmp_path, start):
    site = tmp_path / "site"
    env = {**os.environ, "SITE_URL": "https://example.org/", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("AHAMIRROR_DEPLOY", None)
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert serve.site_base_path(site) == "/"
    assert "/leverage-optimism/" not in (site / "404.html").read_text()
    assert_404_page_works_from_a_deep_missing_path(site, start(site, serve.site_base_path(site)), "/")


# --- the build's check of the 404 page -----------------------------------------------------------


def test_the_build_refuses_a_404_page_with_links_outside_the_base(tmp_path):
    page = '<a href="/base/ok/">x</a><link href="assets/x.css"><script src="../y.js"></script><a href="#top">t</a>'
    assert notfound.misplaced_urls(page, "/base/") == ["assets/x.css", "../y.js"]
    assert notfound.misplaced_urls('<a href="/other/">x</a><img src="//cdn.example/x.png">', "/base/") == [
        "/other/",
        "//cdn.example/x.png",
    ]
    assert notfound.misplaced_urls('<a href="https://example.org/">x</a><a href="mailto:a@b">m</a>', "/base/") == []
    config = '<script id="__config" type="application/json">{"base": "."}</script>'
    assert notfound.misplaced_urls(config, "/base/") == ["__config.base=."]
    (tmp_path / "404.html").write_text(page)
    with pytest.raises(RuntimeError, match="assets/x.css"):
        notfound.check(tmp_path, "/base/")
    with pytest.raises(RuntimeError, match="missing"):
        notfound.check(tmp_path / "nowhere", "/base/")
