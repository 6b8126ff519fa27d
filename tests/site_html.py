"""A small reader for the built site's HTML (standard library only)."""

import json
import pathlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class Page:
    path: pathlib.Path
    url: str  # site-relative, e.g. "faq/" or "" for the home page
    ids: set = field(default_factory=set)
    links: list = field(default_factory=list)  # (tag, attr, value, rel)
    meta: dict = field(default_factory=dict)  # name/property -> content
    title: str = ""
    json_ld: list = field(default_factory=list)
    figures: list = field(default_factory=list)  # (spec dict, text)
    h1: list = field(default_factory=list)
    h2: list = field(default_factory=list)
    tables: dict = field(default_factory=dict)  # data-table -> list of rows (list of cell texts)
    prose: list = field(default_factory=list)  # text outside tables, figures, code, scripts


class _Reader(HTMLParser):
    SKIP_TEXT = {"script", "style", "code", "pre", "table", "nav", "header", "footer", "svg"}

    def __init__(self, page: Page):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[str | tuple[str, str]] = []  # open tags; (tag, "skip") where text is skipped
        self.in_article = 0
        self.skip = 0
        # ("figure", spec) | ("h1"|"h2"|"title"|"ld", None); spec is the span's data-figure JSON
        self.capture: tuple[str, Any] | None = None
        self.buffer: list[str] = []
        self.table: list[list[str]] | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in ("br", "img", "meta", "link", "input", "hr", "source", "wbr"):
            self.stack.append(tag)
        if "id" in a:
            self.page.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.page.ids.add(a["name"])
        for attr in ("href", "src"):
            if a.get(attr) is not None:
                self.page.links.append((tag, attr, a[attr], a.get("rel", "")))
        if tag == "meta":
            key = a.get("name") or a.get("property")
            if key:
                self.page.meta[key] = a.get("content", "")
        if tag == "article":
            self.in_article += 1
        if tag in self.SKIP_TEXT or {"assumptions", "assumed", "widget", "chart"} & set((a.get("class") or "").split()):
            self.skip += 1
            self.stack[-1] = (tag, "skip") if tag not in ("br",) else tag
        if tag == "table" and a.get("data-table"):
            self.table = self.page.tables.setdefault(a["data-table"], [])
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        if tag == "span" and "figure" in (a.get("class") or "").split():
            self.capture, self.buffer = ("figure", json.loads(a["data-figure"])), []
        elif tag in ("h1", "h2") and self.in_article:
            self.capture, self.buffer = (tag, None), []
        elif tag == "title":
            self.capture, self.buffer = ("title", None), []
        elif tag == "script" and a.get("type") == "application/ld+json":
            self.capture, self.buffer = ("ld", None), []

    def handle_endtag(self, tag):
        # Pop to the matching tag (HTML may omit some end tags).
        for i in range(len(self.stack) - 1, -1, -1):
            entry = self.stack[i]
            name = entry[0] if isinstance(entry, tuple) else entry
            if name == tag:
                for popped in self.stack[i:]:
                    if isinstance(popped, tuple):
                        self.skip -= 1
                del self.stack[i:]
                break
        if tag == "article":
            self.in_article -= 1
        if tag in ("td", "th") and self.cell is not None:
            assert self.row is not None, "a cell opens only inside a row"
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row:
                assert self.table is not None, "a row is collected only inside a data table"
                self.table.append(self.row)
            self.row = None
        elif tag == "table":
            self.table = None
        if self.capture and tag in ("span", "h1", "h2", "title", "script"):
            kind, spec = self.capture
            text = "".join(self.buffer).strip()
            if kind == "figure" and tag == "span":
                self.page.figures.append((spec, text))
            elif kind in ("h1", "h2") and tag == kind:
                getattr(self.page, kind).append(text.rstrip("#").strip())
            elif kind == "title" and tag == "title" and not self.page.title:
                self.page.title = text  # the document's; later <title>s name SVG charts
            elif kind == "ld" and tag == "script":
                self.page.json_ld.append(text)
            else:
                return
            self.capture = None

    def handle_data(self, data):
        if self.capture:
            self.buffer.append(data)
        if self.cell is not None:
            self.cell.append(data)
        if self.in_article and not self.skip and not (self.capture and self.capture[0] == "figure"):
            self.page.prose.append(data)


def read(site: pathlib.Path, html_file: pathlib.Path) -> Page:
    rel = html_file.relative_to(site).as_posix()
    url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
    page = Page(path=html_file, url=url)
    reader = _Reader(page)
    reader.feed(html_file.read_text(encoding="utf-8"))
    return page


def all_pages(site: pathlib.Path) -> dict[str, Page]:
    return {p.url: p for p in (read(site, f) for f in sorted(site.rglob("*.html")))}
