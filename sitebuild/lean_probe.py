"""The Python half of the lean-runtime step: it runs INSIDE Pyodide (under Node, see lean_driver.mjs).

It is plain standard-library code so it also imports on the host (lint, types), but its results only
mean something inside Pyodide: which modules the widgets import there, and bytecode compiled by
Pyodide's own Python (the host has no Python 3.14, and a .pyc only loads under the Python that wrote
it). `sitebuild/lean.py` decides what to do with the results.
"""

import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import types
    import zipfile

# Only modules Pyodide's boot has already imported (json, sys) are imported at the top: whatever this
# file imports before the widgets run would hide from the record that a widget needs it too. The
# compile helpers import what they need when called, after the record is taken.

_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same input gives the same bytes


class _MissRecorder:
    """Last on sys.meta_path: asked only about modules no real finder could find."""

    def __init__(self) -> None:
        self.missed: list[str] = []

    def find_spec(self, fullname, path=None, target=None):  # type: ignore[no-untyped-def]
        self.missed.append(fullname)
        return None


def modules() -> str:
    """JSON: every loaded module with the file it came from and whether it was frozen into the binary."""
    found = []
    for name, module in sorted(sys.modules.items()):
        spec = getattr(module, "__spec__", None)
        found.append(
            {
                "name": name,
                "file": getattr(module, "__file__", None),
                "cached": getattr(spec, "cached", None),
                "frozen": getattr(spec, "origin", None) == "frozen",
            }
        )
    return json.dumps(found)


def run_actions(actions_json: str) -> str:
    """JSON: each action's response and the modules it imported or failed to find."""
    from calculators.web.api import handle_json

    recorder = _MissRecorder()
    sys.meta_path.append(recorder)
    results = []
    try:
        for action in json.loads(actions_json):
            before = set(sys.modules)
            recorder.missed = []
            response = handle_json(action["text"])
            results.append(
                {
                    "name": action["name"],
                    "response": response,
                    "imported": sorted(set(sys.modules) - before),
                    "missed": sorted(set(recorder.missed)),
                }
            )
    finally:
        sys.meta_path.remove(recorder)
    return json.dumps(results)


def select(modules_json: str, stdlib_zip: str, prefix: str) -> str:
    """JSON list of the zip's members the recorded modules need (see `members_for`)."""
    import zipfile

    with zipfile.ZipFile(stdlib_zip) as stock:
        names = stock.namelist()
    return json.dumps(members_for(json.loads(modules_json), names, prefix))


def members_for(modules: list[dict], names: list[str], prefix: str) -> list[str]:
    """The files of `names` (a stdlib zip's members) that `modules` (as `modules()` lists them) were
    loaded from, with every enclosing package's __init__ and the data files beside a package's
    __init__. Frozen modules (os, posixpath, importlib._bootstrap, ...) come from the binary."""
    present = set(names)
    chosen = set()
    for module in modules:
        file = module["file"]
        if module["frozen"] or not file or not file.startswith(prefix + "/"):
            continue
        member = file[len(prefix) + 1 :]
        if member in present:
            chosen.add(member)
    for member in list(chosen):
        parts = member.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            init = "/".join(parts[:depth]) + "/__init__.py"
            if init in present:
                chosen.add(init)
    packages = {member.rsplit("/", 1)[0] for member in chosen if member.endswith("/__init__.py")}
    data = {n for n in names if not n.endswith((".py", "/")) and "/" in n and n.rsplit("/", 1)[0] in packages}
    return sorted(chosen | data)


def compile_stdlib(source_zip: str, members_json: str, target_zip: str, prefix: str) -> str:
    """Write `target_zip` with each listed member compiled to .pyc (sourceless); other files copied.

    The bytecode is hash-based and unchecked (PEP 552): reproducible bytes, and zipimport loads it
    without looking for a source it would not find. It is compiled as `python -OO` would (no
    docstrings, no asserts): docstrings are about a sixth of the standard library's bytecode, every
    visitor downloads them, and nothing the widgets run reads them (the build's second pass,
    `lean.verify`, checks every answer against the stock runtime's).

    It also drops the line tables (`without_lines`): they are about 40 % of what is left once
    deflated, and they only serve tracebacks and tracing. A traceback still reaches the developer
    console, with its frames in the standard library shown without a line number; frames in our
    own package keep theirs (compile_wheel keeps the line tables).
    """
    import zipfile

    written = []
    with zipfile.ZipFile(source_zip) as source, _writer(target_zip) as target:
        for member in json.loads(members_json):
            data = source.read(member)
            if member.endswith(".py"):
                name, data = member[:-3] + ".pyc", _pyc(data, f"{prefix}/{member}", optimize=2, lines=False)
            else:
                name = member
            _write(target, name, data)
            written.append(name)
    return json.dumps(written)


def compile_wheel(source_wheel: str, target_wheel: str, install_dir: str) -> str:
    """Copy a wheel with every module replaced by its bytecode (`module.pyc` where `module.py` was,
    which Python imports without a source), RECORD updated.

    The import costs no compilation, and the sources (about a third of the wheel) are not
    downloaded. Compiled like the standard library, without docstrings (the package reads none, and
    has no assert: input is checked with InputError), but with its line tables: a traceback from
    our own code names the file and line of each frame, though without the line's text.
    """
    import zipfile

    files: dict[str, bytes] = {}
    record_name = ""
    with zipfile.ZipFile(source_wheel) as source:
        for name in source.namelist():
            if name.endswith(".dist-info/RECORD"):
                record_name = name
                continue
            files[name] = source.read(name)
    for name in [n for n in files if n.endswith(".py")]:
        files[name[:-3] + ".pyc"] = _pyc(files.pop(name), f"{install_dir}/{name}", optimize=2)
    record = "".join(f"{name},sha256={_digest(data)},{len(data)}\n" for name, data in files.items())
    files[record_name] = (record + f"{record_name},,\n").encode()
    with _writer(target_wheel) as target:
        for name, data in files.items():
            _write(target, name, data)
    return json.dumps(sorted(files))


def magic() -> str:
    """The bytecode magic number of this Python, as hex."""
    import importlib.util

    return importlib.util.MAGIC_NUMBER.hex()


def _pyc(source: bytes, filename: str, optimize: int = 0, lines: bool = True) -> bytes:
    import importlib.util
    import marshal

    # The layout of importlib's own `_code_to_hash_pyc` (PEP 552): magic, flags (0b01: hash-based,
    # not checked against the source), the source's hash, then the marshalled code.
    code = compile(source, filename, "exec", dont_inherit=True, optimize=optimize)
    if not lines:
        code = without_lines(code)
    return (
        importlib.util.MAGIC_NUMBER
        + (0b01).to_bytes(4, "little")
        + importlib.util.source_hash(source)
        + marshal.dumps(code)
    )


def without_lines(code: "types.CodeType") -> "types.CodeType":
    """`code` and every code object inside it with a line table that gives no location for any
    instruction (frame.f_lineno is None). The table is the compiler's own form for instructions
    that have no location (CPython's Objects/locations.md: an entry is one byte, 0x80 | 15 << 3 |
    (units - 1), covering up to 8 code units), so tracebacks and co_positions() keep working. An
    empty table would not: traceback.format_exception fails on it. Nothing else changes: the
    exception tables that drive try/except are kept."""
    import types

    units = len(code.co_code) // 2
    table = bytes(0x80 | _NO_LOCATION << 3 | (min(8, units - done) - 1) for done in range(0, units, 8))
    constants = tuple(without_lines(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_linetable=table, co_consts=constants)


_NO_LOCATION = 15  # PY_CODE_LOCATION_INFO_NONE


def _writer(path: str) -> "zipfile.ZipFile":
    import zipfile

    return zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9)


def _write(archive: "zipfile.ZipFile", name: str, data: bytes) -> None:
    import zipfile

    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def _digest(data: bytes) -> str:
    import base64
    import hashlib

    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
