"""The sitemap's <lastmod> is each page's last commit (issue 9, item 7), not the build date."""

import os
import pathlib
import re
import subprocess

from sitebuild.lastmod import last_changed

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _git(repo, *args, date=None):
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T12:00:00+00:00", GIT_COMMITTER_DATE=f"{date}T12:00:00+00:00")
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_each_page_gets_the_date_of_its_own_last_commit(tmp_path):
    docs = tmp_path / "docs"
    (docs / "lessons").mkdir(parents=True)
    _git(tmp_path, "init", "-q")
    (docs / "index.md").write_text("one")
    (docs / "lessons" / "fomo.md").write_text("one")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "first", date="2025-03-04")
    (docs / "index.md").write_text("two")
    (tmp_path / "README.md").write_text("outside docs/")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "second", date="2026-01-02")
    assert last_changed(docs) == {"index.md": "2026-01-02", "lessons/fomo.md": "2025-03-04"}


def test_outside_a_git_checkout_there_is_nothing_to_say(tmp_path):
    (tmp_path / "index.md").write_text("x")
    assert last_changed(tmp_path) == {}


def test_the_built_sitemap_uses_each_pages_last_commit(built_site):
    sitemap = (built_site / "sitemap.xml").read_text()
    entries = re.findall(r"<loc>[^<]*?/leverage-optimism/([^<]*)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap)
    assert len(entries) > 15
    for url, lastmod in entries:
        page = url.rstrip("/") or "index"
        source = next(p for p in (DOCS / f"{page}.md", DOCS / page / "index.md") if p.exists())
        committed = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", str(source)], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        if committed:  # a page not yet committed keeps the build date
            assert lastmod == committed, (url, lastmod, committed)
