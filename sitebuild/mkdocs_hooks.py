"""MkDocs hooks (mkdocs.yml `hooks:`): the generated CSV, then the post-build pipeline.

Plain `mkdocs build` / `mkdocs serve` (the venv's scripts) do not put the project root on
sys.path the way `python -m mkdocs` does, so this file does it before importing the project.
"""

import pathlib
import sys

ROOT = str(pathlib.Path(__file__).resolve().parent.parent)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
# `mkdocs serve` loads this file again on every change, but Python keeps what it imported: forget
# the project's own modules so an edit to calculators/, macros/ or sitebuild/ shows on the rebuild.
for _name in [n for n in sys.modules if n.split(".")[0] in ("calculators", "macros", "sitebuild")]:
    del sys.modules[_name]

from mkdocs.structure.files import File  # noqa: E402

from macros import tables  # noqa: E402
from sitebuild import post_build  # noqa: E402


def on_files(files, config):
    # The CSV is made from the same rows as the page's table, at every build.
    files.append(File.generated(config, tables.CSV_PATH, content=tables.ladder_csv()))
    return files


def on_post_build(config):
    post_build(config["site_dir"], config["site_url"])
