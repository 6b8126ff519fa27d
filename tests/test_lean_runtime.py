"""The lean runtime the build publishes: a trimmed, precompiled stdlib and wheel, verified under Node.

Tests that need Node boot Pyodide (a few seconds each); the rest read the built site.
"""

import ast
import json
import marshal
import pathlib
import shutil
import sys
import traceback
import zipfile
from typing import Any

import pytest

from sitebuild import base_path, headers, layout, lean, lean_probe, offline, runtime

from .conftest import SITE_URL

ROOT = pathlib.Path(__file__).resolve().parent.parent
NPM = runtime.NPM_PYODIDE
needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js runs Pyodide at build time")


def published(built_site: pathlib.Path, name: str) -> pathlib.Path:
    return built_site / runtime.runtime_dir() / name


def python_version() -> tuple[int, int]:
    major, minor = json.loads((NPM / "pyodide-lock.json").read_text())["info"]["python"].split(".")[:2]
    return int(major), int(minor)


def magic_range(version: tuple[int, int]) -> range:
    """CPython's bytecode magic numbers by version: 3.12 uses 3500-3549, 3.13 3550-3599 and 3.14
    3600-3649 ("Python 3.14 will start with 3600", Lib/importlib/_bootstrap_external.py in 3.13;
    "Python 3.15 will start with 3650", Include/internal/pycore_magic_number.h in 3.14): fifty per
    minor version from 3.12 on."""
    assert version[0] == 3 and version[1] >= 12, version
    start = 3500 + 50 * (version[1] - 12)
    return range(start, start + 50)


def pyc_magic(data: bytes) -> int:
    assert data[2:4] == b"\r\n", data[:4]  # every magic number ends with CR LF
    return int.from_bytes(data[:2], "little")


def test_trimmed_zip_is_bytecode_for_pyodides_python(built_site):
    names = zipfile.ZipFile(published(built_site, runtime.STDLIB)).namelist()
    with zipfile.ZipFile(published(built_site, runtime.STDLIB)) as trimmed:
        magics = {pyc_magic(trimmed.read(n)) for n in names if n.endswith(".pyc")}
        flags = {int.from_bytes(trimmed.read(n)[4:8], "little") for n in names if n.endswith(".pyc")}
    assert not [n for n in names if n.endswith(".py")], "sources shipped in the trimmed zip"
    assert len(magics) == 1, magics
    (magic,) = magics
    assert magic in magic_range(python_version()), (magic, python_version())
    # The magic Pyodide's own Python reported while the build ran (importlib.util.MAGIC_NUMBER there).
    assert magic == pyc_magic(bytes.fromhex(lean.build(NPM).magic))
    assert flags == {0b01}, flags  # PEP 552: hash-based, unchecked (no source to check against)
    if sys.version_info[:2] != python_version():
        assert magic != pyc_magic(__import__("importlib.util").util.MAGIC_NUMBER)  # not the host's


def test_trimmed_zip_is_much_smaller_than_the_stock_one(built_site):
    trimmed = published(built_site, runtime.STDLIB)
    stock = NPM / "python_stdlib.zip"
    assert trimmed.stat().st_size < 0.7 * stock.stat().st_size, (trimmed.stat().st_size, stock.stat().st_size)
    assert len(zipfile.ZipFile(trimmed).namelist()) < 0.4 * len(zipfile.ZipFile(stock).namelist())
    assert not (built_site / runtime.runtime_dir() / "python_stdlib.zip").exists()


def stdlib_imports_of_calculators() -> set[str]:
    """Every module the shipped package names in an import statement, read from its source (the
    command-line interface, calculators/__main__.py, is not shipped)."""
    found = set()
    for path in set((ROOT / "calculators").rglob("*.py")) - {ROOT / "calculators" / "__main__.py"}:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module)
    return {name for name in found if name.split(".")[0] != "calculators"}


def test_trimmed_zip_holds_every_module_the_package_and_the_boot_import(built_site):
    names = set(zipfile.ZipFile(published(built_site, runtime.STDLIB)).namelist())
    stock = lean.stock_modules(NPM)
    frozen = {"os", "posixpath", "io", "abc", "codecs", "site", "importlib._bootstrap", "zipimport"}
    # What the package imports (from its source) and what Pyodide's start imports (platform notes:
    # loadPyodide imports these), when the stock zip has them as files.
    wanted = stdlib_imports_of_calculators() | {"asyncio", "inspect", "typing", "ast", "re", "json", "zipfile"}
    wanted |= {"pathlib", "logging", "csv"}
    wanted = {name for name in wanted if name in stock} - frozen
    assert {"csv", "json", "dataclasses"} <= wanted
    for name in sorted(wanted):
        path = name.replace(".", "/")
        assert f"{path}.pyc" in names or f"{path}/__init__.pyc" in names, name
    # ...and every member the build recorded, with each package's __init__.
    assert set(lean.build(NPM).members) == names
    # Nothing imports `html` or `urllib` (calculators.web.markup escapes and form-encodes): the
    # entity table, urllib.parse and the ipaddress module it imports stay out.
    assert not {name for name in names if name.startswith(("html/", "urllib/", "ipaddress."))}
    for name in names:
        for depth in range(1, name.count("/") + 1):
            assert "/".join(name.split("/")[:depth]) + "/__init__.pyc" in names, name


def test_wheel_ships_bytecode_in_place_of_every_module(built_site):
    lock = json.loads(published(built_site, layout.LOCKFILE).read_text())
    wheel = published(built_site, lock["packages"]["calculators"]["file_name"])
    shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / "calculators").rglob("*.py")} - {
        "calculators/__main__.py"
    }
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        # Sourceless: each module as `module.pyc` where `module.py` was, and no source downloaded.
        assert not {n for n in names if n.endswith(".py")}
        assert {n for n in names if n.endswith(".pyc")} == {source[:-3] + ".pyc" for source in shipped}
        for source in shipped:
            assert pyc_magic(archive.read(source[:-3] + ".pyc")) in magic_range(python_version())
        record = archive.read(next(n for n in names if n.endswith(".dist-info/RECORD"))).decode()
    assert {line.split(",")[0] for line in record.splitlines()} == names


SAMPLE = """
def outer(values):
    def inner(v):
        try:
            return 10 // v
        except ZeroDivisionError:
            return None
    total = [inner(v) for v in values]
    return total, sum(x for x in total if x is not None)

def fails():
    return {}["missing"]
"""


def test_code_without_line_tables_behaves_the_same_and_still_gives_a_traceback():
    kept = compile(SAMPLE, "sample.py", "exec")
    stripped = lean_probe.without_lines(kept)
    with_lines: dict[str, Any] = {}
    without: dict[str, Any] = {}
    exec(kept, with_lines)
    exec(stripped, without)
    # Same behaviour, exception handling included (the exception tables are kept).
    assert without["outer"]([1, 0, 5, -3]) == with_lines["outer"]([1, 0, 5, -3]) == ([10, None, 2, -4], 8)

    # Every nested code object lost its table; names and the rest are unchanged.
    def codes(code):
        yield code
        for const in code.co_consts:
            if hasattr(const, "co_code"):
                yield from codes(const)

    assert all({position[0] for position in c.co_positions()} == {None} for c in codes(stripped))
    assert [c.co_qualname for c in codes(stripped)] == [c.co_qualname for c in codes(kept)]
    assert len(marshal.dumps(stripped)) < len(marshal.dumps(kept))
    # A traceback still names the function and file, with no line number.
    try:
        without["fails"]()
    except KeyError as error:
        frame = traceback.extract_tb(error.__traceback__)[-1]
        text = "".join(traceback.format_exception(error))
    assert (frame.name, frame.filename, frame.lineno) == ("fails", "sample.py", None)
    assert 'File "sample.py"' in text and "in fails" in text and "KeyError: 'missing'" in text


def test_worker_boots_on_the_lean_stdlib_and_imports_from_the_wheel_the_lockfile_names():
    worker = (ROOT / "docs" / layout.WORKER).read_text()
    assert "stdLibURL: runtime + stdlib" in worker
    assert "lockFileURL: runtime + lockfile" in worker and "packageBaseUrl: runtime" in worker
    assert "checkIntegrity: false" not in worker
    # No install step: the wheel goes on sys.path once the lockfile names the wheel the build
    # published (or, in an unsealed worker, once its bytes hash to the lockfile's sha256). The browser
    # test of a disagreeing lockfile is in test_deploy.py.
    assert "packages: [" not in worker and "loadPackage(" not in worker
    assert "await addWheel(pyodide, (await fetched(lockfile)).body, fetched)" in worker
    assert "published.sha256 !== entry.sha256" in worker
    assert "digest !== entry.sha256" in worker


def test_the_installer_s_modules_are_left_out_of_the_trimmed_zip(built_site):
    """Only Pyodide's loadPackage imported these (it unpacks a wheel; the worker imports from it),
    so the lean zip does without them."""
    names = set(zipfile.ZipFile(published(built_site, runtime.STDLIB)).namelist())
    for name in ("tarfile.pyc", "email/__init__.pyc", "importlib/metadata/__init__.pyc"):
        assert name not in names, name


def test_service_worker_keeps_the_lean_stdlib_not_the_stock_one(built_site):
    files = offline.precache_list(built_site)
    assert f"{runtime.runtime_dir()}/{runtime.STDLIB}" in files
    assert not [f for f in files if f.endswith("/python_stdlib.zip")]


def test_hosts_revalidate_the_lean_stdlib_and_keep_the_npm_files_for_good(built_site):
    """The lean zip follows the calculators code, not the Pyodide version its folder is named after:
    a host must not let a browser keep an old one for a year."""
    rules = headers.read_rules(built_site)
    folder = base_path(SITE_URL) + runtime.runtime_dir()
    assert headers.headers_for(rules, f"{folder}/{runtime.STDLIB}")["Cache-Control"] == headers.REVALIDATE
    for name in runtime.RUNTIME_FILES:
        assert headers.headers_for(rules, f"{folder}/{name}")["Cache-Control"] == headers.IMMUTABLE


def test_members_for_skips_frozen_modules_and_adds_packages_and_their_data():
    prefix = "/lib/python314.zip"
    names = ["a/__init__.py", "a/b/__init__.py", "a/b/c.py", "a/b/py.typed", "os.py", "x.py", "z/data.txt"]
    modules: list[dict] = [
        {"name": "a.b.c", "file": f"{prefix}/a/b/c.py", "frozen": False},
        {"name": "os", "file": f"{prefix}/os.py", "frozen": True},
        {"name": "calculators", "file": "/lib/python3.14/site-packages/calculators/__init__.py", "frozen": False},
        {"name": "sys", "file": None, "frozen": False},
    ]
    assert lean_probe.members_for(modules, names, prefix) == [
        "a/__init__.py",
        "a/b/__init__.py",
        "a/b/c.py",
        "a/b/py.typed",
    ]


def test_cache_key_follows_the_calculators_sources(tmp_path):
    copy = tmp_path / "calculators"
    shutil.copytree(ROOT / "calculators", copy, ignore=shutil.ignore_patterns("__pycache__"))
    sources = (copy, lean.DRIVER, lean.PROBE)
    first = lean.cache_key(NPM, sources)
    assert lean.cache_key(NPM, sources) == first
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "engine.cpython-312.pyc").write_bytes(b"not source")
    assert lean.cache_key(NPM, sources) == first  # bytecode caches are not sources
    engine = copy / "engine.py"
    engine.write_text(engine.read_text() + "\n# an edit\n")
    assert lean.cache_key(NPM, sources) != first
    assert lean.cache_key(NPM, (copy, lean.PROBE)) != lean.cache_key(NPM, sources)
    # The key the build uses covers the package, this step's code and the wheel builder.
    assert {ROOT / "calculators", lean.DRIVER, lean.PROBE, ROOT / "sitebuild" / "wheel.py"} <= set(lean.KEY_SOURCES)


def test_a_repeated_build_reads_the_cache_and_runs_no_node(built_site, monkeypatch):
    def no_node(*args, **kwargs):
        raise AssertionError(f"Node ran although the cache holds this key: {args}")

    monkeypatch.setattr(lean.subprocess, "run", no_node)
    built = lean.build(NPM)
    assert built.stdlib.read_bytes() == published(built_site, runtime.STDLIB).read_bytes()


@needs_node
def test_verification_fails_naming_a_module_a_widget_needs_and_the_zip_lacks(built_site, tmp_path):
    lock = json.loads(published(built_site, layout.LOCKFILE).read_text())
    wheel = published(built_site, lock["packages"]["calculators"]["file_name"])
    broken = tmp_path / "stdlib.zip"
    with zipfile.ZipFile(published(built_site, runtime.STDLIB)) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            if info.filename != "csv.pyc":  # the journal's export and import use csv
                target.writestr(info, source.read(info))
    with pytest.raises(lean.LeanRuntimeError, match=r"lacks the standard-library module 'csv'.*'(pause|journal): "):
        lean.verify(broken, wheel, NPM)


@needs_node
def test_verification_fails_when_the_start_needs_a_missing_module(built_site, tmp_path):
    lock = json.loads(published(built_site, layout.LOCKFILE).read_text())
    wheel = published(built_site, lock["packages"]["calculators"]["file_name"])
    broken = tmp_path / "stdlib.zip"
    with zipfile.ZipFile(published(built_site, runtime.STDLIB)) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            # Every module of the package defines dataclasses (and Pyodide's traceback needs them too).
            if info.filename != "dataclasses.pyc":
                target.writestr(info, source.read(info))
    with pytest.raises(lean.LeanRuntimeError, match=r"lacks the module 'dataclasses'.*start"):
        lean.verify(broken, wheel, NPM)
