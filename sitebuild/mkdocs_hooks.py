"""MkDocs hooks (mkdocs.yml `hooks:`): the generated CSV, then the post-build pipeline.

Plain `mkdocs build` / `mkdocs serve` (the venv's scripts) do not put the project root on
sys.path the way `python -m mkdocs` does, so `on_config` does it before anything imports the project.
"""

import importlib
import pathlib
import re
import sys

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = str(pathlib.Path(__file__).resolve().parent.parent)
PROJECT_PACKAGES = ("calculators", "macros", "sitebuild")


@event_priority(100)  # before mkdocs-macros' on_config, which imports the page macros
def on_config(config):
    # MkDocs restores sys.path after loading this file, so the project root is added here, per build.
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    # `mkdocs serve` rebuilds in the same process, and MkDocs loads this file only once: forget the
    # project's modules at every build so an edit to calculators/, macros/ or sitebuild/ is used.
    for name in [n for n in sys.modules if n.split(".")[0] in PROJECT_PACKAGES]:
        del sys.modules[name]
    _LAST_CHANGED.clear()
    _LAST_CHANGED.update(importlib.import_module("sitebuild.lastmod").last_changed(config["docs_dir"]))
    return config


_LAST_CHANGED: dict[str, str] = {}


def on_pre_build(config):
    # mkdocs-macros has made the environment the pages render in (its on_config): keep what it compiles.
    macros = config.plugins.get("macros")
    if macros is not None:
        cache = importlib.import_module("sitebuild.templatecache")
        cache.install_for_strings(macros.env, lambda: macros.page.file.src_uri)


@event_priority(100)  # before any template is loaded
def on_env(env, config, files):
    # Theme templates, compiled at every build otherwise.
    return importlib.import_module("sitebuild.templatecache").install(env)


def on_pre_page(page, config, files):
    # The sitemap's <lastmod> (MkDocs' update_date) is the page's last commit, not the build date.
    page.update_date = _LAST_CHANGED.get(page.file.src_uri, page.update_date)
    return page


def on_files(files, config):
    # The CSV is made from the same rows as the page's table, at every build.
    tables = importlib.import_module("macros.tables")
    files.append(File.generated(config, tables.CSV_PATH, content=tables.ladder_csv()))
    return files


def on_post_page(output, page, config):
    # A page with widgets starts its runtime early: widgets.mjs and the runtime's settings go into
    # its <head> (macros/widgets.py `early_start_tags`); every other page is left as it is. The start
    # goes before the first stylesheet, which an inline script would otherwise wait for (measured
    # side by side: the first live result 3 % sooner, median of 16 alternated loads), and after the
    # Content-Security-Policy, which the build puts first in <head> (sitebuild/headers.py).
    kinds = re.findall(r'data-widget="([\w-]+)"', output)
    if not kinds:
        return output
    start, module = importlib.import_module("macros.widgets").early_start_tags(page.url, kinds)
    head_end = output.index("</head>")
    first_style = output.find('<link rel="stylesheet"', 0, head_end)
    at = head_end if first_style == -1 else first_style
    output = output[:head_end] + module + output[head_end:]
    return output[:at] + start + output[at:]


def on_post_build(config):
    importlib.import_module("sitebuild").post_build(config["site_dir"], config["site_url"])
