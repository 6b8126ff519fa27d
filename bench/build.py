"""Site build time: the real `mkdocs build` against a plain Material build of the same Markdown.

The plain build's config is mkdocs.yml without the `macros` plugin (so no widgets, tables or
figures are rendered), without `hooks:` (so no Pyodide runtime, wheel, lockfile, service worker
or _headers) and without the widget controller script, strict off; same docs_dir and theme.
Runs alternate (full, plain, full, plain, ...) so a change in the machine's load hits both.
"""

import os
import pathlib
import shutil
import subprocess
import sys
import time
import urllib.parse

import yaml
from mkdocs.utils import yaml_load

from . import BUILD_ENV, ROOT
from .figures import Figure, ratios

CONFIG = ROOT / "mkdocs.yml"


def site_config() -> dict:
    with CONFIG.open(encoding="utf-8") as handle:
        return yaml_load(handle)  # resolves !ENV (SITE_URL) the way mkdocs does


def url_prefix() -> str:
    """The path the site lives under (site_url's path, e.g. "/leverage-optimism/")."""
    path = urllib.parse.urlparse(site_config().get("site_url") or "/").path or "/"
    return path if path.endswith("/") else path + "/"


def plain_config(folder: pathlib.Path) -> pathlib.Path:
    """Write the plain Material config into `folder`; every path in it made absolute."""
    config = site_config()
    config["strict"] = False
    config.pop("hooks", None)
    config.pop("watch", None)  # `mkdocs serve` only; its relative paths mean nothing from the temp folder
    config["plugins"] = [
        p for p in config.get("plugins", []) if not (p == "macros" or (isinstance(p, dict) and "macros" in p))
    ]
    config["extra_javascript"] = [s for s in config.get("extra_javascript", []) if "widgets" not in str(s)]
    config["docs_dir"] = str(ROOT / config.get("docs_dir", "docs"))
    theme = config.get("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str(ROOT / theme["custom_dir"])
    for extension in config.get("markdown_extensions", []):
        if isinstance(extension, dict) and "pymdownx.snippets" in extension:
            options = extension["pymdownx.snippets"]
            options["base_path"] = [str(ROOT / p) for p in options.get("base_path", [])]
    path = folder / "mkdocs-plain.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _build(args: list, site_dir: pathlib.Path) -> float:
    env = {**os.environ, **BUILD_ENV}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", *args, "--site-dir", str(site_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"mkdocs build {' '.join(args)} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return elapsed


def run(tmp: pathlib.Path, runs: int = 5, log=print) -> tuple[list[Figure], pathlib.Path]:
    """Time `runs` full and `runs` plain builds; return the figures and the last full build."""
    builds = tmp / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    plain = plain_config(tmp)
    full_times: list[float] = []
    plain_times: list[float] = []
    last_full: pathlib.Path | None = None
    for i in range(runs):
        order: tuple[tuple[str, list[str]], ...] = (("full", []), ("plain", ["-f", str(plain)]))
        for kind, args in order if i % 2 == 0 else order[::-1]:
            site_dir = builds / f"{kind}-{i}"
            seconds = _build(args, site_dir)
            (full_times if kind == "full" else plain_times).append(seconds)
            log(f"  build {i + 1}/{runs} {kind:<5} {seconds:6.2f} s")
            if kind == "full":
                if last_full is not None:
                    shutil.rmtree(last_full, ignore_errors=True)
                last_full = site_dir
            else:
                shutil.rmtree(site_dir, ignore_errors=True)
    note = "python -m mkdocs build --site-dir <tmp>, wall time incl. interpreter start and the post-build hooks"
    figures = [
        Figure("build.full", "mkdocs build (site)", "s", full_times, note=note),
        Figure(
            "build.plain",
            "plain Material build (no macros/hooks/widgets)",
            "s",
            plain_times,
            note="same Markdown and theme; mkdocs.yml minus the macros plugin, hooks and widgets.mjs, strict off",
        ),
        Figure(
            "build.ratio",
            "build ratio site / plain",
            "x",
            ratios(full_times, plain_times),
            op="<=",
            limit=1.5,
            note="per pair of runs taken back to back; target from issue 5",
        ),
    ]
    if last_full is None:
        raise ValueError("--build-runs must be at least 1: the other phases need a full build")
    return figures, last_full
