"""Issue 14 in the browser: a runtime that arrives after the start timeout (item 1), the pause that
counts from complete answers (item 6), an invalid field seen in forced-colours mode (item 7).

Expected results come from CPython (`calculators.web.api.handle`), which the page runs under Pyodide.
"""

import functools

import pytest
from playwright.sync_api import expect

from calculators.web import liquidation, pause
from sitebuild import layout

from .browser_support import (
    BOOT_MS,
    HOLD_IDLE,
    Watch,
    cpython,
    live,
    release_idle,
    snapshot,
    state,
    wait_for_result,
    wait_until,
)

pytestmark = pytest.mark.browser

LIQ = '[data-widget="liquidation"]'
PAUSE = '[data-widget="pause"]'


SHORT_BUDGET_MS = 1000  # far below any real start: the timeout fires while the wheel is held back


@pytest.fixture
def new_context(new_context):
    """conftest's contexts, without service workers: each test sees the network as the page does."""
    return functools.partial(new_context, service_workers="block")


def recalcs(page) -> int:
    return page.evaluate("() => (window.__ahamirror || {}).recalcs || 0")


# --- item 1: a late runtime goes live and recomputes from the current inputs -----------------------


def test_a_runtime_that_arrives_after_the_timeout_goes_live_with_the_current_inputs(new_context, origin):
    context = new_context()
    held: list = []
    released: list[bool] = []

    def hold_wheel(route):
        if released:
            route.continue_()
        else:
            held.append(route)

    context.route("**/calculators-*.whl", hold_wheel)
    context.add_init_script(HOLD_IDLE)
    watch = Watch()
    page = watch.attach(context.new_page())
    page.goto(f"{origin}/calculators/")
    page.evaluate(
        # Wherever the page reads the budget: the widgets, and the head tag the early start uses.
        "(ms) => document.querySelectorAll('[data-widget], meta[data-worker]')"
        ".forEach((root) => { root.dataset.bootBudgetMs = ms; })",
        str(SHORT_BUDGET_MS),
    )
    release_idle(page)
    page.wait_for_selector(state("liquidation", "failed"), timeout=BOOT_MS)
    assert f"({layout.RUNTIME_FAILURES['slow']})" in page.locator(f"{LIQ} [data-status-text]").inner_text()

    # While failed, the visitor types a leverage: nothing can compute it yet.
    page.locator(f'{LIQ} [name="leverage"]').fill("50")
    wait_until(lambda: held, BOOT_MS / 1000, message="the wheel request", page=page)
    snap = snapshot(page, "liquidation")
    assert snap["state"] == "failed" and snap["source"] is None

    # The runtime arrives late: live, and the result is the one for leverage 50.
    released.append(True)
    for route in held:
        route.continue_()
    values = {**liquidation.WIDGET.defaults(), "leverage": "50"}
    expected = cpython("liquidation", values)
    assert expected["ok"]
    snap = wait_for_result(page, "liquidation", expected["html"], timeout_s=BOOT_MS / 1000)
    assert snap["state"] == "ready" and snap["status"].startswith("Live:"), snap["status"]
    assert snap["values"]["leverage"] == "50"
    page.wait_for_selector(live("ladder"), timeout=BOOT_MS)
    assert snapshot(page, "ladder")["state"] == "ready"
    # Typing after the late start is answered too, and nothing was thrown on the way.
    page.locator(f'{LIQ} [name="leverage"]').fill("20")
    wait_for_result(
        page, "liquidation", cpython("liquidation", {**values, "leverage": "20"})["html"], timeout_s=BOOT_MS / 1000
    )
    assert watch.errors == [], f"uncaught page errors: {watch.errors}"
    assert watch.dialogs == []


# --- item 6: the pause counts from the moment all three answers are written ------------------------

WRONG = "BTC closes a daily candle below the range low"
WAIT = "The weekly trend is down and funding is running hot"


def test_the_pause_counts_from_complete_answers_not_the_first_keystroke(new_context, origin):
    context = new_context()
    watch = Watch()
    page = watch.attach(context.new_page())
    page.clock.install()  # before navigation, so the page's timers are the fake ones
    page.goto(f"{origin}/pause-protocol/")
    page.wait_for_selector(state("pause", "ready"), timeout=BOOT_MS)
    widget = page.locator(PAUSE)
    verdict = widget.locator('[data-out="verdict"]')

    before = recalcs(page)
    widget.locator('[name="wrong_if"]').press_sequentially("B")  # one keystroke...
    wait_until(lambda: recalcs(page) > before, BOOT_MS / 1000, message="the answer to one keystroke")
    page.clock.fast_forward(31_000)  # ...then more than the pause, idle

    widget.locator('[name="wrong_if"]').fill(WRONG)
    widget.locator('[name="invalidation_price"]').fill("57000")
    widget.locator('[name="reason_to_wait"]').fill(WAIT)
    before = recalcs(page)
    widget.get_by_role("button", name="Check my answers").click()
    wait_until(lambda: recalcs(page) > before, BOOT_MS / 1000, message="the submitted check")
    expect(verdict).to_have_attribute("data-value", "pause", timeout=BOOT_MS)  # the answers were written just now

    page.clock.fast_forward(29_000)  # not yet 30 s since the answers were complete
    expect(verdict).to_have_attribute("data-value", "pause", timeout=BOOT_MS)
    page.clock.fast_forward(2_000)  # past 30 s: the widget asks again by itself
    expect(verdict).to_have_attribute("data-value", "ready", timeout=BOOT_MS)
    values = {**pause.WIDGET.defaults(), "wrong_if": WRONG, "invalidation_price": "57000", "reason_to_wait": WAIT}
    assert snapshot(page, "pause")["values"] == values
    assert watch.errors == [], f"uncaught page errors: {watch.errors}"


# --- item 7: forced colours still show which field is wrong ----------------------------------------

BORDER = """(name) => {
  const style = getComputedStyle(document.querySelector(`[data-widget="liquidation"] [name="${name}"]`));
  return [style.borderTopStyle, style.borderTopWidth, style.outlineStyle, style.outlineWidth];
}"""


def test_an_invalid_field_is_marked_in_forced_colours(new_context, origin):
    context = new_context()
    watch = Watch()
    page = watch.attach(context.new_page())
    page.emulate_media(forced_colors="active")
    page.goto(f"{origin}/calculators/")
    assert page.evaluate("() => matchMedia('(forced-colors: active)').matches")
    page.wait_for_selector(live("liquidation"), timeout=BOOT_MS)
    valid = page.evaluate(BORDER, "leverage")
    page.locator(f'{LIQ} [name="leverage"]').fill("lots")
    expect(page.locator(f'{LIQ} [name="leverage"]')).to_have_attribute("aria-invalid", "true", timeout=BOOT_MS)
    page.locator(f'{LIQ} [name="entry_price"]').focus()  # the focus ring is not the marker
    invalid = page.evaluate(BORDER, "leverage")
    assert invalid != valid, f"invalid {invalid} looks like valid {valid} in forced colours"
    assert page.evaluate(BORDER, "quantity") == valid  # a valid field keeps the plain border
    assert watch.errors == []
