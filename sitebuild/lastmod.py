"""Each page's last change, from git: the sitemap's <lastmod> says when a page changed, not when
the site was last built (search engines learn to ignore a lastmod that moves every day).

One `git log` over docs/ for the whole build. Outside a git checkout (an exported tarball) or for
a page never committed, the page keeps MkDocs' default, the build date.
"""

import pathlib
import subprocess


def last_changed(docs_dir: str | pathlib.Path) -> dict[str, str]:
    """{path relative to docs_dir ("mechanics.md"): "YYYY-MM-DD" of the last commit touching it}."""
    docs = pathlib.Path(docs_dir).resolve()
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=docs, capture_output=True, text=True, timeout=10
        )
        if top.returncode != 0:
            return {}
        log = subprocess.run(
            ["git", "log", "--format=@%cs", "--name-only", "--", "."],
            cwd=docs,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    root = pathlib.Path(top.stdout.strip())
    dates: dict[str, str] = {}
    day = ""
    for line in log.stdout.splitlines():
        if line.startswith("@"):
            day = line[1:]
        elif line.strip():
            path = (root / line.strip()).resolve()
            if path.is_relative_to(docs):
                dates.setdefault(path.relative_to(docs).as_posix(), day)  # newest commit first
    return dates
