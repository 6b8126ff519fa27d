"""A lean Python runtime for the browser: only the standard library the widgets use, as bytecode.

Pyodide's stock `python_stdlib.zip` holds about 600 source files; the site's worker imports about 150
of them, and compiles each one it imports at every start. This step, run once per (Pyodide version,
calculators code, this step's own code) and cached outside the site:

1. starts Pyodide under Node (lean_driver.mjs) the way the worker does, with the calculators wheel
   on sys.path, and replays every widget action through `calculators.web.api.handle_json` (`actions()`: every
   widget's defaults, every option of every select with every venue, hostile strings in every field,
   every journal action); it records every module loaded, at boot and by the actions;
2. in that same Pyodide (the only Python 3.14 on the machine, so the bytecode's magic number is the
   browser's), writes the stdlib zip with just those modules compiled to .pyc, and the wheel with
   each module's .pyc in place of its source (its frames in a traceback keep their file and line);
3. starts a fresh Pyodide on the trimmed zip and the compiled wheel and replays every action again:
   the build fails, naming the module and the action, if anything needed is missing or any answer
   differs from the stock runtime's (`verify`).

`runtime.publish` copies the result into the site. See lean_probe.py for the part that runs inside
Pyodide.
"""

import dataclasses
import hashlib
import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

from . import layout
from . import wheel as wheel_builder

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
DRIVER = HERE / "lean_driver.mjs"
PROBE = HERE / "lean_probe.py"
# The cache is build output, not source: beside the other npm caches, never under site/.
CACHE_ENV = "AHAMIRROR_LEAN_CACHE"
DEFAULT_CACHE = ROOT / "node_modules" / ".cache" / "ahamirror-lean"
# What the key hashes besides the Pyodide version: the code shipped and the code of this step.
KEY_SOURCES = (ROOT / "calculators", DRIVER, PROBE, pathlib.Path(__file__).resolve(), HERE / "wheel.py")
STDLIB_NAME = "python_stdlib_lean.zip"
NODE_TIMEOUT_S = 300
KEEP_ENTRIES = 8  # cache entries kept (most recently used): one per code version, about 1.6 MB each


class LeanRuntimeError(RuntimeError):
    """The lean runtime could not be built, or it lacks something a widget action needs."""


@dataclasses.dataclass(frozen=True)
class LeanRuntime:
    stdlib: pathlib.Path  # the trimmed stdlib zip, .pyc only
    wheel: pathlib.Path  # the calculators wheel with __pycache__ beside its modules
    lockfile: pathlib.Path  # the lockfile naming that wheel with its sha256
    members: tuple[str, ...]  # what the zip holds (paths inside it)
    magic: str  # the bytecode magic number of Pyodide's Python, hex


def cache_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def cache_key(npm_pyodide: pathlib.Path, sources=KEY_SOURCES) -> str:
    """Pyodide's version and every byte of `sources` (files, or folders walked), with their names."""
    digest = hashlib.sha256(json.loads((npm_pyodide / "package.json").read_text())["version"].encode())
    for source in map(pathlib.Path, sources):
        files = sorted(p for p in source.rglob("*") if p.is_file()) if source.is_dir() else [source]
        for path in files:
            if "__pycache__" in path.parts:
                continue
            name = path.relative_to(source.parent).as_posix()
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def build(npm_pyodide: pathlib.Path) -> LeanRuntime:
    """The lean runtime for the current code, from the cache when it is there (no Node run)."""
    key = cache_key(npm_pyodide)
    folder = cache_dir() / key
    if not (folder / "lean.json").exists():
        folder.parent.mkdir(parents=True, exist_ok=True)
        work = pathlib.Path(tempfile.mkdtemp(prefix=f".{key}-", dir=folder.parent))
        try:
            _build_into(work, npm_pyodide)
            work.chmod(0o755)  # mkdtemp makes it private; the entry is as readable as node_modules
            try:
                work.rename(folder)  # atomic: a cache entry is complete or absent
            except OSError:  # another build finished the same key first: theirs is as good
                pass
        finally:
            shutil.rmtree(work, ignore_errors=True)
        _prune(folder.parent)
    (folder / "lean.json").touch()  # its time says when the entry was last used
    return _load(folder)


def _prune(cache: pathlib.Path) -> None:
    entries = sorted(cache.glob("*/lean.json"), key=lambda meta: meta.stat().st_mtime, reverse=True)
    for meta in entries[KEEP_ENTRIES:]:
        shutil.rmtree(meta.parent, ignore_errors=True)


def _load(folder: pathlib.Path) -> LeanRuntime:
    meta = json.loads((folder / "lean.json").read_text())
    return LeanRuntime(
        folder / STDLIB_NAME, folder / meta["wheel"], folder / layout.LOCKFILE, tuple(meta["members"]), meta["magic"]
    )


def _build_into(work: pathlib.Path, npm_pyodide: pathlib.Path) -> None:
    source = work / "source"
    source.mkdir()
    wheel = wheel_builder.build(source)
    lock = _write_lock(source, wheel)
    (work / "actions.json").write_text(json.dumps(actions()))
    prefix = _stdlib_prefix(npm_pyodide)
    recorded = _run(
        work,
        npm_pyodide,
        lock,
        stdlib=None,
        compile_tasks=[
            {"kind": "stdlib", "source": prefix, "target": f"/lean/{STDLIB_NAME}", "prefix": prefix},
            {
                "kind": "wheel",
                "source": f"/lean/source/{wheel.name}",
                "target": f"/lean/{wheel.name}",
                "prefix": _site_packages(npm_pyodide),
            },
        ],
    )
    if recorded["boot"]:
        raise LeanRuntimeError(f"Pyodide did not start with the stock runtime under Node: {recorded['boot']}")
    broken = [a["name"] for a in recorded["actions"] if '"debug"' in a["response"]]
    if broken:  # the stock runtime must answer every action without the last-resort handler
        raise LeanRuntimeError(f"these actions raised inside the calculator on the stock runtime: {broken[:5]}")
    members = tuple(recorded["written"][f"/lean/{STDLIB_NAME}"])
    for made in (work / STDLIB_NAME, work / wheel.name):
        made.chmod(0o644)  # Pyodide's file system writes 0666
    verify(work / STDLIB_NAME, work / wheel.name, npm_pyodide, expected=recorded["actions"])
    shutil.rmtree(source)
    # The published lockfile, made once here: pyodide-build's lockfile code (pydantic) costs a
    # tenth of a second to import, more than the rest of a cached build step.
    _write_lock(work, work / wheel.name)
    for scratch in ("actions.json", "job.json", "result.json", PROBE.name):
        (work / scratch).unlink()  # the cache keeps what it serves, and lean.json
    meta = {"wheel": wheel.name, "members": members, "magic": recorded["magic"]}
    meta["imported_by"] = {a["name"]: a["imported"] for a in recorded["actions"] if a["imported"]}
    (work / "lean.json").write_text(json.dumps(meta, indent=1))


def verify(
    stdlib: pathlib.Path, wheel: pathlib.Path, npm_pyodide: pathlib.Path, expected: list[dict] | None = None
) -> list[dict]:
    """Boot a fresh Pyodide on `stdlib` and `wheel`, replay every action; raise LeanRuntimeError naming
    the module and the action when an import finds nothing in the trimmed zip that the stock one has,
    or (given the stock run's results) when an answer differs. Returns the replayed actions."""
    with tempfile.TemporaryDirectory(prefix="ahamirror-lean-verify-") as tmp:
        work = pathlib.Path(tmp)
        shutil.copy2(wheel, work / wheel.name)
        lock = _write_lock(work, work / wheel.name)
        (work / "actions.json").write_text(json.dumps(actions()))
        replayed = _run(work, npm_pyodide, lock, stdlib=stdlib, compile_tasks=[])
    stock = stock_modules(npm_pyodide)
    if replayed["boot"]:
        named = re.search(r"No module named '([\w.]+)'", replayed["boot"])
        what = f"the module {named.group(1)!r}" if named else "something"
        raise LeanRuntimeError(
            f"The lean runtime lacks {what} that Pyodide's start (loadPyodide with the calculators package, "
            f"then importing calculators.web.api) needs: {replayed['boot'][-400:]}"
        )
    for action in replayed["actions"]:
        lacking = [name for name in action["missed"] if name in stock]
        if lacking:
            raise LeanRuntimeError(
                f"The lean runtime lacks the standard-library module {lacking[0]!r}, which the action "
                f"{action['name']!r} imports (all it lacks there: {lacking})."
            )
    if expected is not None:
        before = {a["name"]: a["response"] for a in expected}
        for action in replayed["actions"]:
            if before.get(action["name"]) != action["response"]:
                raise LeanRuntimeError(
                    f"The action {action['name']!r} answered differently on the lean runtime than on the stock one."
                )
    return replayed["actions"]


def stock_modules(npm_pyodide: pathlib.Path) -> frozenset[str]:
    """Dotted names of every module Pyodide's stock stdlib zip holds."""
    import zipfile

    names = set()
    with zipfile.ZipFile(npm_pyodide / "python_stdlib.zip") as stock:
        for member in stock.namelist():
            if member.endswith(".py"):
                dotted = member[:-3].replace("/", ".")
                names.add(dotted.removesuffix(".__init__"))
    return frozenset(names)


def _run(work: pathlib.Path, npm_pyodide, lock, stdlib, compile_tasks) -> dict:
    shutil.copy2(PROBE, work / PROBE.name)
    job = {
        "indexURL": str(npm_pyodide),
        "lockFileURL": str(lock),
        "stdLibURL": str(stdlib) if stdlib else None,
        "actions": str(work / "actions.json"),
        "workDir": str(work),
        "compile": compile_tasks,
        "result": str(work / "result.json"),
    }
    (work / "job.json").write_text(json.dumps(job))
    try:
        run = subprocess.run(
            ["node", str(DRIVER), str(work / "job.json")], capture_output=True, text=True, timeout=NODE_TIMEOUT_S
        )
    except FileNotFoundError as error:
        raise LeanRuntimeError("Node.js is needed to build the lean runtime: `node` is not on PATH.") from error
    if run.returncode != 0 or not (work / "result.json").exists():
        raise LeanRuntimeError(f"the lean-runtime driver failed (exit {run.returncode}):\n{run.stderr[-2000:]}")
    return json.loads((work / "result.json").read_text())


def _write_lock(folder: pathlib.Path, wheel: pathlib.Path) -> pathlib.Path:
    from . import runtime

    return runtime.write_lockfile(folder, wheel)


def _python_version(npm_pyodide: pathlib.Path) -> tuple[str, str]:
    major, minor = json.loads((npm_pyodide / "pyodide-lock.json").read_text())["info"]["python"].split(".")[:2]
    return major, minor


def _stdlib_prefix(npm_pyodide: pathlib.Path) -> str:
    """Where Pyodide puts the stdlib zip in its file system (its `__file__`s start with this)."""
    major, minor = _python_version(npm_pyodide)
    return f"/lib/python{major}{minor}.zip"


def _site_packages(npm_pyodide: pathlib.Path) -> str:
    major, minor = _python_version(npm_pyodide)
    return f"/lib/python{major}.{minor}/site-packages"


# --- the actions: every request a visitor's browser can send, good and bad ---------------------------

HOSTILE = (
    "",
    " ",
    "abc",
    "-1",
    "0",
    "1e999",
    "-1e999",
    "nan",
    "inf",
    "1e-320",
    "1,5",
    "0x1A",
    "\u0661\u0662\u0663",  # Arabic-Indic digits
    "12 000",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "\u0000",
    "\U0001f680",
    "9" * 400,
    "x" * 5000,
)


def actions() -> list[dict]:
    """[{name, text}]: the JSON text the worker would pass to handle_json, each with a readable name."""
    from calculators import venues
    from calculators.web import journal, registry

    out: list[dict] = []

    def add(name: str, request: object = None, text: str | None = None) -> None:
        out.append({"name": name, "text": text if text is not None else json.dumps(request)})

    add("malformed JSON", text="{not json")
    add("JSON that is not an object", text="[1, 2]")
    # Deeper nesting (10 000 here) overflows the JavaScript stack under Node: a fatal Pyodide error, not
    # a Python exception. The worker only ever sends requests widgets.mjs built, which are flat.
    add("nested JSON", text="[" * 2000 + "]" * 2000)
    add("no widget", {})
    add("widget not a string", {"widget": 5})
    add("unknown widget", {"widget": "nope"})
    for kind in registry.kinds():
        widget = registry.get(kind)
        defaults = widget.defaults()
        add(f"{kind}: defaults", {"widget": kind, "values": defaults})
        add(f"{kind}: no values", {"widget": kind})
        add(f"{kind}: values not an object", {"widget": kind, "values": ["a"]})
        add(f"{kind}: unknown field", {"widget": kind, "values": {**defaults, "nope": "1"}})
        venue_field = any(f.name == "venue" for f in widget.fields)
        for field in widget.fields:
            for value in (*HOSTILE, 5, 2.5, None, True, ["1"]):
                add(f"{kind}: {field.name}={value!r:.40}", {"widget": kind, "values": {**defaults, field.name: value}})
            for option, _ in field.options:
                for venue in venues.VENUES if venue_field else (None,):
                    values = {**defaults, field.name: option} | ({"venue": venue} if venue else {})
                    add(f"{kind}: {field.name}={option!r} venue={venue}", {"widget": kind, "values": values})
    _pause_actions(add)
    _liquidation_actions(add)
    entry = journal.make_entry("e1", "2026-11-30T10:00:00Z", _PAUSE_FILLED, "ready", '=1+1 headline, with "quotes"')
    other = journal.make_entry("e2", "2026-11-29T09:00:00Z", _PAUSE_FILLED, "not-ready", "Second")
    entries = [entry, other]
    stored = journal.dump(entries)
    csv_text = journal.to_csv(entries)
    journal_requests: dict[str, dict] = {
        "load nothing": {"action": "load"},
        "load empty": {"action": "load", "stored": ""},
        "load stored": {"action": "load", "stored": stored},
        "load bare list": {"action": "load", "stored": json.dumps(entries)},
        "load not JSON": {"action": "load", "stored": "{oops"},
        "load wrong shape": {"action": "load", "stored": '{"a": 1}'},
        "load some bad": {"action": "load", "stored": json.dumps([entry, {"id": 1}])},
        "add": {"action": "add", "entries": [other], "entry": entry},
        "add invalid": {"action": "add", "entries": [other], "entry": {"id": ""}},
        "delete": {"action": "delete", "entries": entries, "id": "e1"},
        "clear": {"action": "clear", "entries": entries},
        "export json": {"action": "export", "entries": entries, "format": "json"},
        "export csv": {"action": "export", "entries": entries, "format": "csv"},
        "import json": {"action": "import", "entries": [], "text": stored},
        "import json some bad": {"action": "import", "entries": [], "text": json.dumps([entry, {"x": 1}])},
        "import csv": {"action": "import", "entries": [other], "text": "\ufeff" + csv_text},
        "import csv bad rows": {"action": "import", "entries": [], "text": csv_text + 'a,b\r\n"unclosed\r\n'},
        "import csv wrong columns": {"action": "import", "entries": [], "text": "a,b\r\n1,2\r\n"},
        "import empty": {"action": "import", "entries": [], "text": ""},
        "import not text": {"action": "import", "entries": [], "text": 5},
        "import garbage": {"action": "import", "entries": [], "text": "\u0000" * 50},
        "entries not a list": {"action": "clear", "entries": "x"},
        "unknown action": {"action": "nope"},
    }
    for name, request in journal_requests.items():
        add(f"journal: {name}", {"widget": "journal", **request})
    return out


_PAUSE_FILLED = {
    "wrong_if": "The daily candle closes below the range low",
    "invalidation_price": "58000",
    "reason_to_wait": "The retest has not happened yet",
    "side": "long",
    "entry_price": "60000",
    "quantity": "0.1",
    "leverage": "5",
    "venue": "binance",
    "maintenance_margin_rate": "0.5",
    "account_balance": "10000",
}


def _pause_actions(add) -> None:
    # The pause counts from the answers it was started with (`pause_basis`, as the page sends it back).
    basis = {name: _PAUSE_FILLED[name] for name in ("wrong_if", "invalidation_price", "reason_to_wait")}
    rewritten = {**basis, "reason_to_wait": "Something else entirely"}
    for seconds in (0, 5, 600, "600", None, True, -1, 1e308):
        for save in (False, True):
            request = {"widget": "pause", "values": _PAUSE_FILLED, "seconds_paused": seconds, "save": save}
            request["pause_basis"] = basis
            add(f"pause: filled, {seconds!r} s, save={save}", {**request, "id": "p1", "saved_at": "2026-12-01T00:00Z"})
    for previous in (None, rewritten, "not a basis"):
        request = {"widget": "pause", "values": _PAUSE_FILLED, "seconds_paused": 600, "pause_basis": previous}
        add(f"pause: filled, basis {previous!r:.30}", request)
    for side in ("long", "short"):
        for price in ("1", "59999", "60001", "1000000"):
            values = {**_PAUSE_FILLED, "side": side, "invalidation_price": price}
            request = {"widget": "pause", "values": values, "seconds_paused": 600, "pause_basis": basis}
            add(f"pause: {side} invalid at {price}", request)


def _liquidation_actions(add) -> None:
    full = {
        "stop_price": "57000",
        "margin": "700",
        "maintenance_amount": "10",
        "taker_fee_rate": "0.05",
        "funding_paid": "3",
        "extra_margin": "100",
        "other_maintenance": "20",
        "other_unrealized_pnl": "-50",
    }
    from calculators.web import registry

    defaults = registry.get("liquidation").defaults()
    for mode in ("isolated", "cross"):
        for side in ("long", "short"):
            for contract in ("linear", "inverse"):
                values = {**defaults, **full, "margin_mode": mode, "side": side, "contract": contract}
                add(f"liquidation: all inputs, {mode} {side} {contract}", {"widget": "liquidation", "values": values})
