"""The build's cache of compiled project modules (sitebuild/bytecode.py) never runs code compiled
from a source other than the one on disk."""

import os
import subprocess
import sys
import textwrap

import pytest

from sitebuild import bytecode


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv(bytecode.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def _compile(source: bytes, path: str):
    return compile(source, path, "exec", dont_inherit=True)


def _refuse(source, path):
    raise AssertionError("compiled although the cache holds this source")


def _run(code) -> dict:
    namespace: dict = {}
    exec(code, namespace)
    return namespace


def test_an_unchanged_source_is_not_compiled_again():
    first = bytecode.compiled(b"answer = 6 * 7\n", "/project/a.py", _compile)
    again = bytecode.compiled(b"answer = 6 * 7\n", "/project/a.py", _refuse)
    assert _run(first)["answer"] == _run(again)["answer"] == 42
    assert again.co_filename == "/project/a.py"  # tracebacks still name the source file


def test_a_changed_source_is_compiled_again():
    bytecode.compiled(b"answer = 1\n", "/project/a.py", _compile)
    assert _run(bytecode.compiled(b"answer = 2\n", "/project/a.py", _compile))["answer"] == 2
    # the same source at another path is its own entry (the path is in the code object)
    assert bytecode.compiled(b"answer = 2\n", "/elsewhere/a.py", _compile).co_filename == "/elsewhere/a.py"


def test_a_damaged_entry_is_compiled_again(cache_in_tmp):
    bytecode.compiled(b"answer = 3\n", "/project/a.py", _compile)
    (entry,) = bytecode.cache_dir().iterdir()
    entry.write_bytes(entry.read_bytes()[:40])  # cut off after the key
    assert _run(bytecode.compiled(b"answer = 3\n", "/project/a.py", _compile))["answer"] == 3


SCRIPT = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    sys.path.insert(0, {packages!r})
    from sitebuild import bytecode
    bytecode.install(("cachedpkg",))
    import cachedpkg.values
    print(cachedpkg.values.VALUE, type(cachedpkg.values.__loader__).__name__)
    """
)


def test_an_edited_module_is_used_by_the_next_process(tmp_path):
    # As a build sees it: a fresh interpreter that may not write __pycache__, a module edited in between.
    package = tmp_path / "packages" / "cachedpkg"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    module = package / "values.py"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", bytecode.CACHE_ENV: str(tmp_path / "cache")}
    script = SCRIPT.format(root=str(bytecode.ROOT), packages=str(tmp_path / "packages"))

    def value() -> str:
        run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
        return run.stdout.strip()

    module.write_text("VALUE = 'one'\n")
    assert value() == "one _CachingLoader"
    assert value() == "one _CachingLoader"  # from the cache
    assert len(list((tmp_path / "cache").rglob("*.bin"))) == 2  # the package and its module
    module.write_text("VALUE = 'two'\n")  # same size: a size or time check alone could miss it
    assert value() == "two _CachingLoader"
    assert not list(package.rglob("__pycache__"))
