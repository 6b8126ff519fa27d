"""The built site: pages, tables, figures, anchors, structured data, links, privacy."""

import csv
import io
import json
import pathlib
import posixpath
import re
from urllib.parse import unquote, urlsplit

import pytest

import calculators
from calculators import formatting
from calculators.scenarios import KEY_LEVERAGES, TEACHING

from .site_html import all_pages

ROOT = pathlib.Path(__file__).resolve().parent.parent
PUBLISHED = ROOT / "tests" / "published_anchors.txt"
CSV_URL = "downloads/leverage-ladder-1x-100x.csv"


@pytest.fixture(scope="module")
def pages(built_site):
    return all_pages(built_site)


def content_pages(pages):
    """Pages a visitor reads (not the 404 page, not redirect stubs)."""
    return {url: p for url, p in pages.items() if url != "404.html" and p.h1}


def published():
    entries = []
    for line in PUBLISHED.read_text().splitlines():
        line = line.split("  #")[0].strip()
        if line and not line.startswith("#"):
            path, _, anchor = line.partition("#")
            entries.append(("" if path == "/" else path, anchor))
    return entries


# --- pages ----------------------------------------------------------------------------------


def test_every_published_page_exists(built_site):
    for path, _ in published():
        target = built_site / path / "index.html" if path.endswith("/") or path == "" else built_site / path
        assert target.exists(), f"published page {path or '/'} is gone: restore it or add a redirect"


def test_every_published_anchor_resolves(built_site, pages):
    for path, anchor in published():
        if not anchor:
            continue
        page = pages.get(path)
        if page is None:  # a page moved: its redirect stub must lead to a page holding the anchor
            stub = (built_site / path / "index.html").read_text()
            redirect = re.search(r'url=([^"]+)"', stub)
            assert redirect, f"/{path} is neither a page nor a redirect stub"
            target = redirect.group(1)
            page = pages[posixpath.normpath(posixpath.join(path, target)).lstrip("./") + "/"]
        assert anchor in page.ids, f'/{path}#{anchor} no longer resolves: keep the heading or add <a id="{anchor}"></a>'


def test_every_content_page_is_published(pages):
    listed = {path for path, _ in published()}
    for url in content_pages(pages):
        assert url in listed, f"{url or '/'} is not in tests/published_anchors.txt: add it when it goes live"


def test_pages_have_titles_descriptions_and_previews(pages):
    seen_descriptions: dict[str, str] = {}
    for url, page in content_pages(pages).items():
        assert page.title and "ahamirror" in page.title, url
        description = page.meta.get("description", "")
        assert 50 <= len(description) <= 200, (
            f"{url}: description should be a sentence or two ({len(description)} chars)"
        )
        assert description not in seen_descriptions, (
            f"{url} repeats the description of {seen_descriptions.get(description)}"
        )
        seen_descriptions[description] = url
        for key in ("og:title", "og:description", "og:type", "og:url", "og:image", "twitter:card"):
            assert page.meta.get(key), f"{url}: missing {key}"


def test_each_page_opens_with_what_you_learn_and_ends_with_where_next(pages):
    for url, page in content_pages(pages).items():
        if url == "faq/":
            continue  # on the FAQ every h2 is a question (it is structured data)
        text = " ".join(page.prose).lower()
        assert "what you will learn" in text, f"{url}: no 'What you will learn' opening"
        assert page.h2 and page.h2[-1].lower().startswith("where to go next"), (
            f"{url}: last section should be 'Where to go next'"
        )


# --- the leverage tables --------------------------------------------------------------------


def _ladder():
    return calculators.leverage_ladder(
        range(1, 101),
        venue=TEACHING.venue,
        maintenance_margin_rate=TEACHING.maintenance_margin_rate,
        taker_fee_rate=TEACHING.taker_fee_rate,
        entry_price=TEACHING.entry_price,
    )


def test_csv_holds_rows_1_to_100_equal_to_the_engine(built_site):
    rows = list(csv.DictReader(io.StringIO((built_site / CSV_URL).read_text())))
    assert [int(r["leverage"]) for r in rows] == list(range(1, 101))
    for r in rows:
        # The CSV states its own assumptions per row; recompute from those.
        expected = calculators.leverage_ladder(
            [int(r["leverage"])],
            venue=r["venue"],
            maintenance_margin_rate=float(r["maintenance_margin_rate"]),
            taker_fee_rate=float(r["taker_fee_rate"]),
            entry_price=float(r["entry_price"]),
        )[0]
        for column, value in (
            ("long_adverse_move", expected.long_adverse_move),
            ("short_adverse_move", expected.short_adverse_move),
            ("long_liquidation_price", expected.long_price),
            ("short_liquidation_price", expected.short_price),
            ("textbook_move", expected.textbook_move),
        ):
            assert r[column] == ("" if value is None else repr(value)), (r["leverage"], column)


def test_csv_figures_obey_the_algebra(built_site):
    """Independent of the engine: Binance's isolated long, P = E(1 - 1/L)/(1 - m)."""
    for r in csv.DictReader(io.StringIO((built_site / CSV_URL).read_text())):
        lev, m, e = int(r["leverage"]), float(r["maintenance_margin_rate"]), float(r["entry_price"])
        assert r["venue"] == "binance"
        long_price = e * (1 - 1 / lev) / (1 - m)
        if lev == 1:
            assert r["long_liquidation_price"] == ""  # no positive price
        else:
            assert float(r["long_liquidation_price"]) == pytest.approx(long_price, rel=1e-12)
        assert float(r["short_liquidation_price"]) == pytest.approx(e * (1 + 1 / lev) / (1 + m), rel=1e-12)


def test_full_table_has_rows_1_to_100_matching_the_ladder(pages):
    table = pages["leverage-tables/"].tables["ladder-full"]
    header, body = table[0], table[1:]
    assert header[0] == "Leverage"
    assert [row[0] for row in body] == [f"{n}x" for n in range(1, 101)]
    for shown, row in zip(body, _ladder(), strict=True):
        long_move = (
            "none (no price above zero)" if row.long_adverse_move is None else formatting.percent(row.long_adverse_move)
        )
        assert shown == [
            formatting.leverage(row.leverage),
            long_move,
            formatting.percent(row.short_adverse_move),
            formatting.price(row.long_price),
            formatting.price(row.short_price),
            formatting.percent(row.textbook_move),
        ]


def test_key_rows_are_the_key_leverages(pages):
    body = pages["leverage-tables/"].tables["ladder-key"][1:]
    assert [row[0] for row in body] == [f"{n}x" for n in KEY_LEVERAGES]
    assert "none" in body[0][1]  # 1x long: no positive liquidation price, and the table says so


def test_tables_state_their_assumptions(built_site):
    html = (built_site / "leverage-tables" / "index.html").read_text()
    for name in ("ladder-key", "venue-comparison", "linear-vs-inverse", "spot-vs-leveraged"):
        before = html[: html.index(f'data-table="{name}"')]
        assumption = before[before.rindex('class="assumptions"') :]
        assert formatting.percent(TEACHING.maintenance_margin_rate) in assumption, name


def test_csv_is_linked_from_the_tables_page(pages):
    hrefs = [v for tag, attr, v, _ in pages["leverage-tables/"].links if tag == "a"]
    assert any(h.endswith("leverage-ladder-1x-100x.csv") for h in hrefs)


# --- figures in prose -----------------------------------------------------------------------


def test_every_quoted_figure_equals_the_engine(pages):
    count = 0
    for url, page in pages.items():
        for spec, text in page.figures:
            result = getattr(calculators, spec["fn"])(**spec["args"])
            if isinstance(result, list):
                result = result[spec.get("row", 0)]
            for part in spec["field"].split("."):
                result = getattr(result, part)
            expected = getattr(formatting, spec["format"])(result)
            assert text == expected, f"{url}: figure {spec} shows {text}, engine says {expected}"
            count += 1
    assert count >= 10, "the prose should quote its figures through macros"


def test_home_quotes_the_10x_move_from_the_engine(pages):
    expected = formatting.percent(
        calculators.liquidation_price(
            venue=TEACHING.venue,
            side="long",
            entry_price=TEACHING.entry_price,
            quantity=1,
            leverage=10,
            maintenance_margin_rate=TEACHING.maintenance_margin_rate,
        ).adverse_move
    )
    assert any(
        s["field"] == "adverse_move" and s["args"]["leverage"] == 10 and t == expected for s, t in pages[""].figures
    )
    # and, from the algebra, that figure is close to the textbook 10 % - m
    assert (
        abs(float(expected.rstrip("%")) / 100 - (0.1 - TEACHING.maintenance_margin_rate))
        < TEACHING.maintenance_margin_rate
    )


DECIMAL_PERCENT = re.compile(r"\d+\.\d+\s?%")


def test_no_hand_typed_decimal_figures_in_prose(pages):
    """A decimal percentage in running text must come from a macro (a .figure span)."""
    allowed = {"0.05%"}  # an illustrative fee level named in prose, an input rather than a result
    for url, page in content_pages(pages).items():
        text = " ".join(page.prose)
        typed = [m for m in DECIMAL_PERCENT.findall(text) if m.replace(" ", "") not in allowed]
        assert not typed, f"{url}: hand-typed figures {typed}: render them with a macro"


# --- FAQ structured data --------------------------------------------------------------------


def test_faq_json_ld_lists_every_question(pages):
    page = pages["faq/"]
    assert len(page.json_ld) == 1
    data = json.loads(page.json_ld[0])
    assert data["@type"] == "FAQPage"
    names = [q["name"] for q in data["mainEntity"]]
    assert names == page.h2
    assert all(q["acceptedAnswer"]["text"] for q in data["mainEntity"])
    for required in (
        "What does liquidation mean in crypto?",
        "Can spot crypto holdings be liquidated?",
        "Is liquidation the same as stop loss?",
        "Does liquidation data predict price?",
    ):
        assert required in names


def test_faq_anchors_are_the_default_slugs(pages):
    from markdown.extensions.toc import slugify

    page = pages["faq/"]
    for question in page.h2:
        assert slugify(question, "-") in page.ids, question
    assert "what-does-liquidation-mean-in-crypto" in page.ids


def test_only_the_faq_carries_faq_json_ld(pages):
    for url, page in pages.items():
        if url != "faq/":
            assert not any('"FAQPage"' in block for block in page.json_ld), url


# --- privacy and links ----------------------------------------------------------------------

FETCHING = {"script", "img", "iframe", "source", "video", "audio", "embed", "object", "track"}
NOT_FETCHED_RELS = {"canonical", "prev", "next", "alternate"}


def test_nothing_is_loaded_from_another_origin(built_site, pages):
    for url, page in pages.items():
        for tag, attr, value, rel in page.links:
            fetched = tag in FETCHING or (tag == "link" and not (set(rel.split()) & NOT_FETCHED_RELS))
            if fetched:
                assert not re.match(r"^(https?:)?//", value), f"{url}: <{tag} {attr}={value}> loads from another origin"
    for css in built_site.rglob("*.css"):
        assert not re.search(r"@import\s+url\(\s*['\"]?(https?:)?//|url\(\s*['\"]?(https?:)?//", css.read_text()), css
    assert "fonts.googleapis" not in "".join(p.read_text() for p in built_site.rglob("*.html"))


def test_links_are_relative_so_the_site_works_under_a_sub_path(pages):
    for url, page in content_pages(pages).items():  # 404.html is absolute by design: served at any path
        for _tag, _attr, value, _rel in page.links:
            assert not (value.startswith("/") and not value.startswith("//")), f"{url}: root-absolute {value}"


def test_every_internal_link_and_anchor_resolves(built_site, pages):
    checked = 0
    for url, page in content_pages(pages).items():
        for tag, _attr, value, _rel in page.links:
            if tag != "a" or re.match(r"^[a-z][a-z0-9+.-]*:", value) or value.startswith("//"):
                continue
            parts = urlsplit(value)
            base = posixpath.dirname(url) if not url.endswith("/") else url.rstrip("/")
            target = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else url
            target = "" if target in (".", "") else target
            file = built_site / target
            if file.is_dir() or parts.path.endswith("/") or target == "":
                file = file / "index.html"
                key = (target + "/") if target else ""
            else:
                key = target
            assert file.exists(), f"{url}: link {value} points to a missing {file.relative_to(built_site)}"
            # A fragment with "=" is a position handed to a widget (side=long&...), not an anchor.
            if parts.fragment and "=" not in parts.fragment and file.suffix == ".html":
                target_page = pages.get(key.replace("//", "/"))
                assert target_page and unquote(parts.fragment) in target_page.ids, (
                    f"{url}: #{parts.fragment} missing in {key}"
                )
            checked += 1
    assert checked > 50


def test_link_preview_image_is_published(built_site, pages):
    image_urls = {p.meta.get("og:image") for p in content_pages(pages).values()}
    assert len(image_urls) == 1
    path = urlsplit(image_urls.pop()).path
    # og:image is absolute (forums need that); under site_url's sub-path it maps to this file
    assert path.endswith("/assets/social-card.png")
    assert (built_site / "assets" / "social-card.png").stat().st_size > 10_000


# --- one source of truth for the teaching scenario ------------------------------------------

MACRO_CALL = re.compile(r"\{\{\s*(\w+\((?:[^{}]|\{[^{}]*\})*\))\s*\}\}", re.S)


def _literals(call: str):
    """Every constant a macro call passes, positional or named (parsed, not pattern-matched)."""
    import ast

    node = ast.parse(call, mode="eval").body
    assert isinstance(node, ast.Call), call
    for arg in [*node.args, *(k.value for k in node.keywords)]:
        for sub in ast.walk(arg):
            if isinstance(sub, ast.Constant):
                yield sub.value


def test_no_teaching_scenario_value_is_typed_into_a_macro_call():
    """The venue, entry, size and maintenance rate come from calculators/scenarios.py through the
    scenario macros (move, liq_price, scenario, ...); a page that types 60000 or 0.004 into a call
    would silently keep the old scenario if the scenario changed."""
    from dataclasses import fields

    # Zero (the teaching taker fee) is too common a value to forbid: it is not a scenario choice.
    forbidden = {getattr(TEACHING, f.name) for f in fields(TEACHING)} - {0}
    found = []
    for md in (ROOT / "docs").rglob("*.md"):
        for call in MACRO_CALL.findall(md.read_text()):
            hits = [v for v in _literals(call) if not isinstance(v, bool) and v in forbidden]
            if hits:
                found.append(f"{md.relative_to(ROOT)}: {call[:70]} types {hits}")
    assert not found, "use the scenario macros instead:\n" + "\n".join(found)


def test_the_literal_check_catches_a_typed_scenario_value():
    typed = 'figure("price", "price", venue="binance", entry_price=60000, quantity=0.5)'
    assert {TEACHING.venue, TEACHING.entry_price, TEACHING.quantity} <= set(_literals(typed))


# --- titles and sources ---------------------------------------------------------------------

TITLE_SUFFIX = " - ahamirror"


def test_page_titles_fit_a_search_result(pages):
    """Search results cut titles near 60 characters: the page's own part must fit."""
    for url, page in content_pages(pages).items():
        assert page.title.endswith(TITLE_SUFFIX) or page.title == "ahamirror", (url, page.title)
        own = page.title.removesuffix(TITLE_SUFFIX)
        assert 0 < len(own) <= 60, f"{url}: title is {len(own)} characters: {own!r}"


def _article_text(page) -> str:
    raw = page.path.read_text(encoding="utf-8")
    article = raw[raw.index("<article") : raw.index("</article>")]
    article = article[: article.find('class="sources"')] if 'class="sources"' in article else article
    return re.sub(r"<[^>]+>", " ", article)


def _sources_block(raw: str) -> str:
    """A page's Sources list: the `sources()` macro's block, or a "## Sources" section."""
    if 'class="sources"' in raw:
        block = raw[raw.index('class="sources"') :]
        return block[: block.index("</div>")]
    heading = re.search(r'<h2 id="sources">', raw)
    if heading is None:
        return ""
    block = raw[heading.end() :]
    return block[: block.find("<h2")] if "<h2" in block else block


VENUE_WORDS = sorted({v.name.split()[0] for v in calculators.VENUES.values()})


def test_every_page_naming_a_venue_lists_its_sources(pages):
    """A claim about a venue's rules links the venue's own page, with the date it was read."""
    checked = 0
    for url, page in content_pages(pages).items():
        named = [w for w in VENUE_WORDS if re.search(rf"\b{re.escape(w)}\b", _article_text(page))]
        if not named:
            continue
        raw = page.path.read_text(encoding="utf-8")
        block = _sources_block(raw)
        assert block, f"{url} names {named} but has no Sources list"
        items = re.findall(r"<li>(.*?)</li>", block, re.S)
        assert items, f"{url}: empty Sources list"
        dated_once = re.search(r"<p>All read \d{4}-\d{2}-\d{2}\b", block)
        for item in items:
            assert re.search(r'href="https://', item), f"{url}: source without a link: {item}"
            assert dated_once or re.search(r"read \d{4}-\d{2}-\d{2}", item), f"{url}: source without the date: {item}"
        checked += 1
    assert checked >= 5


def test_widget_pages_start_the_runtime_before_their_stylesheets_and_after_the_policy(built_site):
    """A classic inline script waits for every style sheet above it, so the early start sits before
    the first stylesheet; the Content-Security-Policy meta covers only what follows it, so it comes
    first. Pages without a widget carry no early start at all."""
    widget_pages = 0
    for path in sorted(built_site.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        head = text[: text.index("</head>")]
        if 'data-widget="' not in text:
            assert 'name="ahamirror-runtime"' not in head, path
            continue
        widget_pages += 1
        policy = head.index('http-equiv="Content-Security-Policy"')
        settings = head.index('<meta name="ahamirror-runtime"')
        script = head.index("<script>", settings)
        stylesheet = head.index('<link rel="stylesheet"')
        assert policy < settings < script < stylesheet, path
        assert re.search(r'<script type="module" async src="[./]*assets/javascripts/widgets\.mjs"></script>$', head), (
            path
        )
    assert widget_pages >= 5


def test_the_early_start_names_the_pages_widgets_in_order(built_site, widget_pages):
    """The worker imports the page's widgets while its last integrity check ends, the first one
    always (calc-worker.mjs): the settings list the kinds the body holds, in the body's order, once each."""
    for page, kinds in widget_pages.items():
        text = (built_site / page / "index.html").read_text(encoding="utf-8")
        head = text[: text.index("</head>")]
        named = re.search(r'<meta name="ahamirror-runtime"[^>]* data-widgets="([^"]*)"', head)
        assert named, page
        assert named.group(1).split() == list(dict.fromkeys(kinds)), page
