"""sitebuild/compress.py: the .br and .gz siblings of the runtime files.

Every sibling must decode to exactly its file (a host sends it in place of the file), be smaller by
the promised margin, and disappear when the file no longer earns one. Brotli is decoded by Node's
zlib, an implementation independent of the encoder's settings."""

import base64
import gzip
import os
import pathlib
import subprocess

import pytest

from sitebuild import compress, runtime

DECODE_BROTLI = (
    "const z=require('zlib'),f=require('fs');"
    "process.stdout.write(z.brotliDecompressSync(f.readFileSync(process.argv[1])).toString('base64'))"
)


def brotli_decode(path: pathlib.Path) -> bytes:
    run = subprocess.run(["node", "-e", DECODE_BROTLI, str(path)], capture_output=True, text=True, check=True)
    return base64.b64decode(run.stdout)


@pytest.fixture
def cache(tmp_path, monkeypatch) -> pathlib.Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(compress.CACHE_ENV, str(folder))
    return folder


def test_siblings_decode_to_the_file_and_only_where_they_save(tmp_path, cache):
    folder = tmp_path / "runtime"
    folder.mkdir()
    text = ("def liquidation_price(entry, leverage):\n    return entry * (1 - 1 / leverage)\n" * 400).encode()
    (folder / "code.mjs").write_bytes(text)
    (folder / "tiny.json").write_bytes(b'{"a": 1}')  # under MIN_SIZE: headers outweigh a saving
    (folder / "noise.bin").write_bytes(os.urandom(64 * 1024))  # incompressible: no saving
    (folder / "noise.bin.br").write_bytes(b"stale")  # left by an older build: must go
    written = compress.precompress(folder, ["code.mjs", "tiny.json", "noise.bin"])

    assert set(written) == {"code.mjs"}
    assert gzip.decompress((folder / "code.mjs.gz").read_bytes()) == text
    assert brotli_decode(folder / "code.mjs.br") == text
    for suffix in (".br", ".gz"):
        assert (folder / ("code.mjs" + suffix)).stat().st_size <= len(text) * (1 - compress.MIN_SAVING)
        assert not (folder / ("tiny.json" + suffix)).exists()
        assert not (folder / ("noise.bin" + suffix)).exists()


def test_a_second_build_reuses_the_cache_without_node(tmp_path, cache, monkeypatch):
    folder = tmp_path / "runtime"
    folder.mkdir()
    (folder / "code.mjs").write_bytes(b"let x = 1;\n" * 2000)
    first = compress.precompress(folder, ["code.mjs"])

    def no_node(*args, **kwargs):
        raise AssertionError("the cache should have served the brotli body")

    monkeypatch.setattr(compress, "_brotli", no_node)
    assert compress.precompress(folder, ["code.mjs"]) == first


def test_the_built_runtime_carries_siblings_that_decode_to_it(built_site):
    folder = built_site / runtime.runtime_dir()
    wasm = (folder / "pyodide.asm.wasm").read_bytes()
    assert gzip.decompress((folder / "pyodide.asm.wasm.gz").read_bytes()) == wasm
    assert brotli_decode(folder / "pyodide.asm.wasm.br") == wasm
    # Brotli at quality 11 is the point of precompressing: well under gzip for the wasm.
    assert (folder / "pyodide.asm.wasm.br").stat().st_size < 0.85 * (folder / "pyodide.asm.wasm.gz").stat().st_size
    for name in runtime.RUNTIME_FILES:
        assert (folder / (name + ".br")).exists() and (folder / (name + ".gz")).exists(), name
    # Zip archives are deflated already: no sibling that would only take space.
    assert not list(folder.glob("*.zip.*")) and not list(folder.glob("*.whl.*"))
