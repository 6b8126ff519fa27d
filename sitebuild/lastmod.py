"""Each page's last change, from git: the sitemap's <lastmod> says when a page changed, not when
the site was last built (search engines learn to ignore a lastmod that moves every day).

One `git log` process over docs/ for the whole build. Outside a git checkout (an exported tarball)
or for a page never committed, the page keeps MkDocs' default, the build date.
"""

import pathlib
import subprocess


def last_changed(docs_dir: str | pathlib.Path) -> dict[str, str]:
    """{path relative to docs_dir ("mechanics.md"): "YYYY-MM-DD" of the last commit touching it}."""
    docs = pathlib.Path(docs_dir).resolve()
    try:
        # --relative: paths relative to docs/ (and only changes under it), so one git process does it all.
        log = subprocess.run(
            ["git", "log", "--format=@%cs", "--name-only", "--relative", "--", "."],
            cwd=docs,
            capture_output=True,
            text=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if log.returncode != 0:  # not a git checkout
        return {}
    dates: dict[str, str] = {}
    day = ""
    for line in log.stdout.splitlines():
        if line.startswith("@"):
            day = line[1:]
        elif line.strip():
            dates.setdefault(line.strip(), day)  # newest commit first
    return dates
