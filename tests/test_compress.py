"""sitebuild/compress.py: the .br and .gz siblings of the runtime files.

Every sibling must decode to exactly its file (a host sends it in place of the file), be smaller by
the promised margin, and disappear when the file no longer earns one. Brotli is decoded by Node's
zlib, an implementation independent of the encoder's settings."""

import base64
import gzip
import io
import os
import pathlib
import subprocess
import zipfile

import pytest

from sitebuild import compress, layout, runtime

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


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def test_the_archives_siblings_carry_the_same_members_stored_and_much_smaller(built_site):
    """The stdlib zip and the wheel are sent as they are by hosts without siblings, and as their
    stored form, compressed across members, by hosts with them: the same files, in the same order,
    with the same bytes, so Python imports exactly the same code either way."""
    folder = built_site / runtime.runtime_dir()
    for name in (layout.STDLIB, next(folder.glob("*.whl")).name):
        published = (folder / name).read_bytes()
        stored = gzip.decompress((folder / (name + ".gz")).read_bytes())
        assert brotli_decode(folder / (name + ".br")) == stored, name
        assert _members(stored) == _members(published), name
        with zipfile.ZipFile(io.BytesIO(stored)) as archive:
            assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}, name
        with zipfile.ZipFile(io.BytesIO(published)) as archive:  # what a host without siblings sends
            assert zipfile.ZIP_DEFLATED in {info.compress_type for info in archive.infolist()}, name
        # The point of it: brotli across all the members beats deflating each one by over a fifth.
        assert (folder / (name + ".br")).stat().st_size < 0.8 * len(published), name


def test_stored_copy_keeps_every_member_and_its_metadata():
    members = [("a/__init__.pyc", b"\x00" * 300), ("a/b.txt", b"liquidation " * 50), ("c", b"")]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.comment = b"release 2"  # two releases differing only here must differ in both forms
        for i, (name, data) in enumerate(members):
            info = zipfile.ZipInfo(name, (2020, 1, 2, 3, 4, 6 + 2 * i))
            info.external_attr = (0o100644 + i) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    stored = compress.stored_copy(buffer.getvalue())
    assert stored == compress.stored_copy(buffer.getvalue())  # deterministic: the cache relies on it
    with zipfile.ZipFile(io.BytesIO(stored)) as archive:
        infos = archive.infolist()
        assert [(i.filename, archive.read(i)) for i in infos] == members
        assert [i.date_time for i in infos] == [(2020, 1, 2, 3, 4, 6 + 2 * i) for i in range(3)]
        assert [i.external_attr >> 16 for i in infos] == [0o100644 + i for i in range(3)]
        assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}
        assert archive.comment == b"release 2"
