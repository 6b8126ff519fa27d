"""Compiled Jinja templates, kept between builds: the theme's templates and the pages' macro source.

MkDocs compiles every theme template it renders at every build, and mkdocs-macros compiles every
page's Markdown as a template; between two builds of the same checkout almost none of that source
changes, and compiling it is a fifth of a warm build. Jinja's bytecode cache keeps the compiled code:
each entry carries a sha1 of the source it was compiled from, and Jinja recompiles when the source
differs. The folder is named after everything else the compiled code depends on (`environment_key`),
so a change of Jinja, Python, the template syntax, the extensions or a filter Jinja may evaluate
while compiling starts a new folder instead of reusing old code.
"""

import hashlib
import inspect
import json
import os
import pathlib
import shutil
import sys
from collections.abc import Callable

import jinja2
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS
from jinja2.utils import _PassArg

ROOT = pathlib.Path(__file__).resolve().parent.parent
CACHE_ENV = "AHAMIRROR_TEMPLATE_CACHE"
# Build output, not source: beside the lean runtime's cache, never under site/.
DEFAULT_CACHE = ROOT / "node_modules" / ".cache" / "ahamirror-templates"
KEEP_FOLDERS = 8  # environments kept (most recently used); a folder is a few hundred kB


def _name(value: object) -> str:
    """A callable or class by its import path (never its repr, which carries a memory address)."""
    return f"{getattr(value, '__module__', '?')}.{getattr(value, '__qualname__', type(value).__qualname__)}"


def _plain(value: object) -> object:
    return value if isinstance(value, str | int | float | bool | None) else _name(value)


def _source_digest(function: Callable) -> str:
    """The source file of a filter or test Jinja may call while compiling (constant folding)."""
    try:
        return hashlib.sha256(pathlib.Path(inspect.getfile(function)).read_bytes()).hexdigest()
    except (OSError, TypeError):
        return "unknown"


def _callables(table: dict, defaults: dict) -> dict[str, list[str]]:
    """Filters or tests beyond Jinja's own. The optimizer folds `{{ "x" | f }}` into a constant by
    calling `f` at compile time unless `f` takes the context or eval context, so the code of a
    filter that can be folded is part of the key."""
    described = {}
    for name, function in sorted(table.items()):
        if defaults.get(name) is function:
            continue
        folds = getattr(function, "jinja_pass_arg", None) not in (_PassArg.context, _PassArg.eval_context)
        described[name] = [_name(function), _source_digest(function) if folds else "not folded"]
    return described


def environment_key(env: jinja2.Environment) -> str:
    """What compiled template code depends on besides the template's own source."""
    settings = {
        "jinja": jinja2.__version__,
        "python": [sys.version, sys.implementation.cache_tag],
        "environment": _name(type(env)),
        "syntax": [
            env.block_start_string,
            env.block_end_string,
            env.variable_start_string,
            env.variable_end_string,
            env.comment_start_string,
            env.comment_end_string,
            env.line_statement_prefix,
            env.line_comment_prefix,
            env.trim_blocks,
            env.lstrip_blocks,
            env.newline_sequence,
            env.keep_trailing_newline,
        ],
        "optimized": env.optimized,
        "async": env.is_async,
        "autoescape": env.autoescape if isinstance(env.autoescape, bool) else _name(env.autoescape),
        "finalize": None if env.finalize is None else _name(env.finalize),
        "undefined": _name(env.undefined),
        "extensions": sorted(env.extensions),
        "newstyle_gettext": getattr(env, "newstyle_gettext", None),  # set by the i18n extension; changes the code
        "policies": {k: _plain(v) for k, v in env.policies.items()},
        "filters": _callables(env.filters, DEFAULT_FILTERS),
        "tests": _callables(env.tests, DEFAULT_TESTS),
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:20]


def cache_root() -> pathlib.Path:
    return pathlib.Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


class _Cache(jinja2.FileSystemBytecodeCache):
    """A cache that cannot fail a build: an entry it cannot write (read-only node_modules, a folder
    another build just pruned) only costs the compiling next time."""

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def bytecode_cache(env: jinja2.Environment) -> jinja2.BytecodeCache | None:
    """The cache folder for `env`'s settings, or None when it cannot be made."""
    folder = cache_root() / environment_key(env)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)  # its time says when it was last used
        _prune(folder.parent, keep=folder)
    except OSError:
        return None
    return _Cache(str(folder))


def _prune(root: pathlib.Path, keep: pathlib.Path) -> None:
    others = [p for p in root.iterdir() if p.is_dir() and p != keep]
    others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    for folder in others[KEEP_FOLDERS - 1 :]:
        shutil.rmtree(folder, ignore_errors=True)  # another build may be pruning it too


def install(env: jinja2.Environment) -> jinja2.Environment:
    """Cache what `env` compiles from its loader (MkDocs' theme environment)."""
    env.bytecode_cache = bytecode_cache(env)
    return env


def install_for_strings(env: jinja2.Environment, source_name: Callable[[], str]) -> jinja2.Environment:
    """Also cache what `env.from_string` compiles (mkdocs-macros renders each page that way).

    `source_name()` names the string being compiled (the page's path): one cache entry per page,
    replaced when the page's source changes. The template is built exactly as `from_string` builds
    it (`env.compile(source)` without a name), only the compiling is skipped when the entry's sha1
    matches the source.
    """
    cache = install(env).bytecode_cache
    if cache is None:
        return env
    compile_and_wrap = env.from_string

    def from_string(source, globals=None, template_class=None):
        if not isinstance(source, str):
            return compile_and_wrap(source, globals, template_class)
        bucket = cache.get_bucket(env, f"from_string:{source_name()}", None, source)
        if bucket.code is None:
            bucket.code = env.compile(source)
            cache.set_bucket(bucket)
        cls = template_class or env.template_class
        return cls.from_code(env, bucket.code, env.make_globals(globals), None)

    env.from_string = from_string  # type: ignore[method-assign]
    return env
