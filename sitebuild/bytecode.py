"""The project's own modules compiled once, not at every build.

Python keeps compiled modules in `__pycache__` beside the sources, unless it is told not to write
them (PYTHONDONTWRITEBYTECODE, a read-only checkout): then every build compiles calculators/,
macros/ and sitebuild/ again, about 9,000 lines and a tenth of a plain MkDocs build. The build keeps
its own copy in node_modules/.cache instead, one file per module holding the sha256 of the source
it was compiled from (and the path and the interpreter's bytecode tag), recompiled when it differs.
Where a valid `__pycache__` file exists Python still uses it and this cache is never asked.
"""

import hashlib
import importlib.abc
import importlib.machinery
import marshal
import os
import pathlib
import sys
import tempfile
from types import CodeType

ROOT = pathlib.Path(__file__).resolve().parent.parent
CACHE_ENV = "AHAMIRROR_BYTECODE_CACHE"
DEFAULT_CACHE = ROOT / "node_modules" / ".cache" / "ahamirror-bytecode"


def cache_dir() -> pathlib.Path:
    return pathlib.Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE) / str(sys.implementation.cache_tag)


def source_key(source: bytes, path: str) -> bytes:
    """What the compiled code depends on: the source, the file name in its tracebacks, the optimize level."""
    digest = hashlib.sha256(source)
    digest.update(b"\0" + os.fsencode(path) + b"\0" + str(sys.flags.optimize).encode())
    return digest.digest()


def compiled(source: bytes, path: str, compile_source) -> CodeType:
    """`compile_source(source, path)`, from the cache when it holds this very source."""
    key = source_key(source, path)
    entry = cache_dir() / (hashlib.sha256(os.fsencode(path)).hexdigest()[:32] + ".bin")
    try:
        data = entry.read_bytes()
        if data[: len(key)] == key:
            return marshal.loads(data[len(key) :])
    except (OSError, ValueError, EOFError, TypeError):
        pass  # absent or damaged: compile it
    code = compile_source(source, path)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=entry.name, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(key + marshal.dumps(code))
        os.replace(temporary, entry)  # a parallel build reads the old entry or the new one, never half
    except OSError:
        pass  # a read-only cache only costs the compiling
    return code


class _CachingLoader(importlib.machinery.SourceFileLoader):
    def source_to_code(self, data, path, *, _optimize=-1):  # type: ignore[override]
        # Only called when Python found no valid __pycache__ file.
        source = bytes(data) if not isinstance(data, bytes) else data
        return compiled(source, path, lambda s, p: super(_CachingLoader, self).source_to_code(s, p))


class _ProjectFinder(importlib.abc.MetaPathFinder):
    """Finds the project's modules as the standard path finder does, and loads them with the cache."""

    def __init__(self, packages: tuple[str, ...]) -> None:
        self.packages = packages

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] not in self.packages:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and type(spec.loader) is importlib.machinery.SourceFileLoader:
            spec.loader = _CachingLoader(spec.loader.name, spec.loader.path)
        return spec


def install(packages: tuple[str, ...]) -> None:
    """Load `packages` through the cache from now on (once per process)."""
    if not any(isinstance(finder, _ProjectFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _ProjectFinder(packages))
