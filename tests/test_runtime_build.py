"""The in-browser runtime the build publishes: a valid, reproducible wheel and a trimmed lockfile."""

import hashlib
import json
import pathlib
import subprocess
import sys
import zipfile

from sitebuild import layout, runtime, wheel

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_wheel_holds_exactly_the_package_and_installs_with_pip(tmp_path):
    built = wheel.build(tmp_path)
    names = set(zipfile.ZipFile(built).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "calculators").rglob("*.py")}
    # The browser gets the product only: no command-line interface, no benchmark.
    assert "calculators/__main__.py" in modules
    assert {n for n in names if n.endswith(".py")} == modules - {"calculators/__main__.py"}
    assert not any("bench" in name or name.endswith("__main__.py") for name in names), names
    target = tmp_path / "installed"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(target),
            str(built),
        ],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    check = subprocess.run(
        [sys.executable, "-c", "import calculators.web.api, calculators; print(calculators.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(target)},
    )
    assert check.returncode == 0 and str(target) in check.stdout, check.stderr


def test_wheel_is_reproducible(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert wheel.build(tmp_path / "a").read_bytes() == wheel.build(tmp_path / "b").read_bytes()


def test_lockfile_lists_only_the_wheel_with_its_real_sha256(built_site):
    folder = built_site / runtime.runtime_dir()
    lock = json.loads((folder / layout.LOCKFILE).read_text())
    assert list(lock["packages"]) == ["calculators"]
    entry = lock["packages"]["calculators"]
    assert entry["sha256"] == hashlib.sha256((folder / entry["file_name"]).read_bytes()).hexdigest()
    base = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["info"] == base["info"]  # the same Python and platform as the runtime it ships with
    for name in runtime.RUNTIME_FILES:
        assert (folder / name).read_bytes() == (ROOT / "node_modules" / "pyodide" / name).read_bytes()
