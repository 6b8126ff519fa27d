"""Material's search on a page with a widget (sitebuild/early_start.js holds its index back).

The search index is built in a worker of Material's own, which competes with Python's start on two
cores; on a widget page the messages to that worker wait until the first answer is live, the start
has failed, or the visitor turns to the search field. Whatever the moment, a search must find pages:
these tests type before the runtime is live, before the index has arrived, and after the first
answer, and read the results Material shows.
"""

import pytest

from . import fault_server
from .browser_support import BOOT_MS, live, wait_until
from .conftest import PREFIX

pytestmark = pytest.mark.browser

QUERY = "maintenance margin"
SEARCH = "input.md-search__input"
RESULT_TITLES = ".md-search-result__item h1"
RELEASED = "() => (window.__ahamirrorEarly || {}).searchReleased || null"
WASM = "*/pyodide.asm.wasm"


def _type_query(page) -> None:
    """Type as a visitor does, key by key: Material reads the field on its own key events (keyup),
    on focus and when its worker is ready, not on `input`; Playwright's `fill` sends only `input`,
    so a query filled in after the index is ready may never be searched, with or without the hold
    (seen once in CI, and 1 time in 2 on a build without the hold)."""
    page.click(SEARCH)
    page.keyboard.type(QUERY)


def _search_finds_the_mechanics_page(page) -> None:
    _type_query(page)
    page.wait_for_selector(RESULT_TITLES, timeout=BOOT_MS)
    titles = page.locator(RESULT_TITLES).all_inner_texts()
    assert any("Mechanics" in title for title in titles), titles


def test_the_index_waits_for_the_first_answer_and_search_then_works(new_context, origin):
    page = new_context().new_page()
    page.goto(f"{origin}/calculators/")
    page.wait_for_selector(live("liquidation"), timeout=BOOT_MS)
    released = wait_until(lambda: page.evaluate(RELEASED), BOOT_MS / 1000, message="the index's release", page=page)
    assert released["why"] == "live"
    assert released["ms"] >= page.evaluate("() => window.__ahamirror.firstLiveMs")
    _search_finds_the_mechanics_page(page)


def test_a_search_before_the_runtime_is_live_is_answered(new_context, built_site):
    """The wasm's download stalls half way (the runtime cannot go live): turning to the search field
    releases the index, and the query finds pages."""
    server, base = fault_server.start(built_site, PREFIX, "hold", (WASM,))
    try:
        page = new_context().new_page()
        page.goto(f"{base}/calculators/")
        page.wait_for_selector(SEARCH, state="attached")
        _search_finds_the_mechanics_page(page)
        assert page.evaluate(RELEASED)["why"] == "search"
        assert page.evaluate("() => window.__ahamirror.firstLiveMs") is None, "the runtime was meant to be held"
    finally:
        fault_server.stop(server)


def test_a_query_typed_before_the_index_arrives_is_answered_once_it_has(new_context, origin):
    """The index's download is held here until the query is typed (a slow network): typing released
    the worker's messages before the index came, and the query is answered once it has."""
    page = new_context().new_page()
    held = []
    page.route("**/search/search_index.json", lambda route: held.append(route))
    page.goto(f"{origin}/calculators/")
    wait_until(lambda: held, BOOT_MS / 1000, message="the index request", page=page)
    _type_query(page)
    page.wait_for_timeout(300)  # the query reaches Material's worker code first (not a wait on the runtime)
    assert page.locator(RESULT_TITLES).count() == 0
    held[0].continue_()
    page.wait_for_selector(RESULT_TITLES, timeout=BOOT_MS)
    titles = page.locator(RESULT_TITLES).all_inner_texts()
    assert any("Mechanics" in title for title in titles), titles
