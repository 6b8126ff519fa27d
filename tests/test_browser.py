"""The browser suite: the built site served with its CSP, driven in Debian's Chromium.

What a visitor does with the calculators, checked against what CPython computes for the same
inputs: every number and every result's markup must be the one `calculators.web.api.handle`
returns, because the page runs that very function under Pyodide. Also: hostile input, the pause
journal (storage, export, import, corruption), shareable links, the request log and CSP, the
fallback when the runtime cannot load, JavaScript off, a 375 px phone, and the keyboard.

Pyodide's cold start is a few seconds, so tests share one warm calculators page where they can
(each resets the widgets to their defaults first) and open fresh contexts where isolation matters.
"""

import json
import pathlib
import random
import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from calculators.tiers import PRESETS
from calculators.venues import VENUES
from calculators.web import journal, ladder, lending, liquidation, pause, registry, steps
from sitebuild import layout

from .browser_support import (
    BOOT_MS,
    JOURNAL_KEY,
    KEPT_ASIDE_PREFIX,
    REMOVE_ADDED_OPTIONS,
    STORAGE,
    Watch,
    apply,
    apply_many,
    canonical,
    cpython,
    data_values,
    journal_storage,
    live,
    snapshot,
    state,
    wait_for_result,
    wait_until,
)

pytestmark = pytest.mark.browser

ROOT = pathlib.Path(__file__).resolve().parent.parent
LIQ, LADDER, PAUSE = '[data-widget="liquidation"]', '[data-widget="ladder"]', '[data-widget="pause"]'
WRONG = "BTC closes a daily candle below the range low"
WAIT = "The weekly trend is down and funding is running hot"
GOOD_PAUSE = dict(
    pause.WIDGET.defaults(),
    wrong_if=WRONG,
    invalidation_price="57000",
    reason_to_wait=WAIT,
    side="long",
    entry_price="60000",
    quantity="0.1",
    leverage="5",
    venue="binance",
    maintenance_margin_rate="0.4",
    account_balance="50000",
)

HOSTILE_LINK = {
    "venue": "<script>alert(1)</script>",
    "entry_price": '"><img src=x onerror=alert(1)>',
    "leverage": "{{7*7}}",
    "stop_price": "javascript:alert(1)",
    "side": "${7*7}",
    "quantity": "1e309",
    "margin": "12\x0034",
    "funding_paid": "__import__('os').system('id')",
}
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE x;--",
    "__import__('os').system('id')",
    "{{7*7}}",
    "${7*7}",
    "NaN",
    "Infinity",
    "-Infinity",
    "-0",
    "1e309",
    "A" * 10_000,
    "9" * 10_000,
    "💥🚀📉 10x",
    "12\x0034",
    "\u202e0006\u202c",
    "javascript:alert(1)",
    "   ",
]


def hostile_link(kind: str) -> dict:
    """A shared link's inputs with a hostile string in every field of the widget (the liquidation
    calculator's own list, where each string is refused, for it)."""
    if kind == "liquidation":
        return HOSTILE_LINK
    fields = registry.get(kind).fields
    return {f.name: HOSTILE[i % len(HOSTILE)] for i, f in enumerate(fields)}


SHARED = [kind for kind in registry.kinds() if "share" in registry.get(kind).behaviours]


# --- fixtures ---------------------------------------------------------------------------------

# `origin` and `browser` come from conftest.py (one server and one Chromium for this module).


@pytest.fixture(scope="module", autouse=True)
def patient_expect():
    """A fresh page may still be starting Pyodide: expect() waits as long as the pages do (the
    setting is global, so it is put back for other modules)."""
    expect.set_options(timeout=BOOT_MS)
    yield
    expect.set_options(timeout=None)  # None: Playwright's own default (5 s)


def open_page(context, url, watch=None, clock=False):
    page = context.new_page()
    (watch or Watch()).attach(page)
    if clock:
        page.clock.install()  # before navigation, so the page's timers are the fake ones
    page.goto(url)
    return page


@pytest.fixture(scope="module")
def calc(browser, origin):
    """One warm calculators page, shared: Pyodide started once, both widgets live."""
    context = browser.new_context()
    context.set_default_timeout(BOOT_MS)
    watch = Watch()
    page = open_page(context, f"{origin}/calculators/", watch)
    page.wait_for_selector(live("liquidation"))
    page.wait_for_selector(live("ladder"))
    yield SimpleNamespace(page=page, watch=watch, context=context)
    context.close()


def fresh(calc):
    """Back to the page's initial state: no tampering, details closed, default inputs."""
    page = calc.page
    page.evaluate(REMOVE_ADDED_OPTIONS)
    page.evaluate("() => document.querySelectorAll('[data-widget] details').forEach((d) => { d.open = false; })")
    for kind, module in (("liquidation", liquidation), ("ladder", ladder)):
        expected = cpython(kind, module.WIDGET.defaults())
        snap = apply(page, kind, module.WIDGET.defaults(), expected["html"])
        assert snap["html"] == snap["canonical"] and not snap["errors"]
    calc.watch.dialogs.clear()
    calc.watch.errors.clear()
    return page


@pytest.fixture(scope="module")
def pause_warm(browser, origin):
    """One warm pause-protocol page, shared by tests that do not care about its journal."""
    context = browser.new_context()
    context.set_default_timeout(BOOT_MS)
    watch = Watch()
    page = open_page(context, f"{origin}/pause-protocol/", watch)
    page.wait_for_selector(state("pause", "ready"))
    yield SimpleNamespace(page=page, watch=watch, context=context)
    context.close()


@pytest.fixture(scope="module")
def warm(browser, origin, calc):
    """One warm page per widget page, shared like `calc` (which serves the calculators page's widgets):
    `warm(kind)` opens the page of any registry widget on first use and then reuses it, its runtime
    started once for the module. Each call resets that widget to its defaults."""
    context = browser.new_context()
    context.set_default_timeout(BOOT_MS)
    watch = Watch()
    opened = {}  # page path -> page

    def get(kind: str) -> SimpleNamespace:
        widget = registry.get(kind)
        if widget.page == "calculators/":
            return SimpleNamespace(page=fresh(calc), watch=calc.watch)
        if widget.page not in opened:
            opened[widget.page] = open_page(context, f"{origin}/{widget.page}", watch)
        page = opened[widget.page]
        page.wait_for_selector(state(kind, "ready"))
        page.evaluate(REMOVE_ADDED_OPTIONS)
        defaults = widget.defaults()
        snap = apply(page, kind, defaults, cpython(kind, defaults).get("html"))
        assert snap["errors"] == {}, snap["errors"]
        watch.dialogs.clear()
        watch.errors.clear()
        return SimpleNamespace(page=page, watch=watch)

    yield get
    context.close()


def assert_quiet(watch):
    assert watch.dialogs == [], f"a dialog opened: {watch.dialogs}"
    assert watch.errors == [], f"uncaught page errors: {watch.errors}"


def scenario(page) -> dict:
    """The inputs a shared link carries: the query string and, after it, the fragment."""
    from urllib.parse import parse_qsl, urlsplit

    url = urlsplit(page.evaluate("location.href"))
    return dict(parse_qsl(url.query) + (parse_qsl(url.fragment) if "=" in url.fragment else []))


def strip_verdict(markup: str) -> str:
    """Pause result markup without its first paragraph (the verdict line counts seconds down)."""
    return re.sub(r'^<p class="verdict[^"]*"[^>]*>.*?</p>', "", markup, count=1, flags=re.S)


# --- 1. fill and read every widget ----------------------------------------------------------


def test_liquidation_fill_and_read(calc):
    page = fresh(calc)
    widget = page.locator(LIQ)
    widget.locator('[name="leverage"]').fill("25")
    widget.locator('[name="side"]').select_option("short")
    widget.locator('[name="venue"]').select_option("okx")
    widget.locator("details.more-inputs summary").first.click()
    widget.locator('[name="contract"]').select_option("inverse")
    widget.locator('[name="taker_fee_rate"]').fill("0.05")

    values = snapshot(page, "liquidation")["values"]
    assert (values["leverage"], values["side"], values["venue"], values["contract"]) == (
        "25",
        "short",
        "okx",
        "inverse",
    )
    expected = cpython("liquidation", values)
    assert expected["ok"], expected
    snap = wait_for_result(page, "liquidation", expected["html"])
    assert snap["source"] == "live" and not snap["stale"] and snap["errors"] == {}

    answer, errors = liquidation.compute(values)
    assert not errors and answer is not None
    result = answer.result
    wanted = data_values(expected["html"])
    for key in ("price", "bankruptcy_price", "adverse_move"):
        shown = widget.locator(f'[data-out="{key}"]').get_attribute("data-value")
        assert shown == wanted[key] == repr(float(getattr(result, key))), key
        assert float(shown) == getattr(result, key)

    # The DOM contract: every field names its error slot first in aria-describedby; percent fields
    # say so; the liquidation calculator's non-default inputs are in the address.
    assert all(ids and ids[0] == name for name, ids in snap["described"].items()), snap["described"]
    percent = page.evaluate(f"() => [...document.querySelectorAll('{LIQ} [data-unit=percent]')].map((e) => e.name)")
    assert set(percent) == {f.name for f in liquidation.FIELDS if f.percent}
    # The address follows the inputs once typing pauses (widgets.mjs URL_SETTLE_MS): wait for it to
    # carry them all; a wrong address never settles and fails the wait.
    carried = {"venue": "okx", "side": "short", "leverage": "25", "contract": "inverse", "taker_fee_rate": "0.05"}
    wait_until(lambda: scenario(page) == carried, BOOT_MS / 1000, message=f"the address to carry {carried}")
    assert_quiet(calc.watch)


def test_ladder_leverage_edit_keeps_the_rows_it_did_not_change(calc):
    """The ladder's "keep-unchanged" behaviour: after a leverage edit only the two rows whose
    highlight moved are new elements; the other 98 stay in place, and the result still equals
    CPython's answer."""
    page = fresh(calc)
    rows = f"{LADDER} [data-out=ladder] tbody tr"
    # A JavaScript property, not an attribute: it marks the elements without changing their markup.
    page.evaluate(f"() => document.querySelectorAll('{rows}').forEach((r) => {{ r.__kept = true; }})")
    page.locator(LADDER).locator('[name="leverage"]').fill("37")
    wait_for_result(page, "ladder", cpython("ladder", snapshot(page, "ladder")["values"])["html"])
    kept = page.evaluate(
        f"() => [...document.querySelectorAll('{rows}')].filter((r) => r.__kept).map((r) => +r.dataset.row)"
    )
    assert kept == [row for row in range(1, 101) if row not in (10, 37)]


def test_ladder_fill_and_read(calc):
    page = fresh(calc)
    widget = page.locator(LADDER)

    def rows():
        return page.evaluate(
            f"() => [...document.querySelectorAll('{LADDER} [data-out=ladder] tbody tr')].map((r) => +r.dataset.row)"
        )

    def mine():
        return page.evaluate(f"() => [...document.querySelectorAll('{LADDER} tr.mine')].map((r) => +r.dataset.row)")

    assert rows() == list(range(1, 101)) and mine() == [10]

    for leverage, row in (("37", 37), ("3", 3), ("100", 100)):
        widget.locator('[name="leverage"]').fill(leverage)
        values = snapshot(page, "ladder")["values"]
        expected = cpython("ladder", values)
        wait_for_result(page, "ladder", expected["html"])
        assert rows() == list(range(1, 101))
        assert mine() == [row]
        assert widget.locator(f'tr.mine[data-row="{row}"]').get_attribute("aria-current") == "true"

    widget.locator('[name="venue"]').select_option("hyperliquid")  # 40x cap: rows above are greyed
    values = dict(
        snapshot(page, "ladder")["values"], maintenance_margin_rate=ladder.WIDGET.defaults()["maintenance_margin_rate"]
    )
    # A venue change refills the fields the visitor did not type in with that venue's own values
    # (from the rate before the change, whether or not the answer has already filled it in).
    expected = cpython("ladder", values, refill=True, touched=["leverage"])
    assert expected["fields"]["maintenance_margin_rate"] == "1.25"  # Hyperliquid: half of 1/40
    wait_for_result(page, "ladder", expected["html"])
    expect(widget.locator('[name="maintenance_margin_rate"]')).to_have_value("1.25")
    assert widget.locator("tr.beyond-cap").count() == 59  # 41..99; 100 is "mine"
    assert_quiet(calc.watch)


def test_pause_fill_verdict_checks_and_save(new_context, origin):
    context = new_context()
    watch = Watch()
    page = open_page(context, f"{origin}/pause-protocol/", watch, clock=True)
    page.wait_for_selector(state("pause", "ready"))
    widget = page.locator(PAUSE)
    verdict = widget.locator('[data-out="verdict"]')
    entries = widget.locator('[data-out="journal"] li')
    expect(verdict).to_have_attribute("data-value", "waiting")

    widget.locator('[name="wrong_if"]').fill(WRONG)
    widget.locator('[name="invalidation_price"]').fill("57000")
    widget.locator('[name="reason_to_wait"]').fill(WAIT)
    widget.locator("details.more-inputs summary").click()
    widget.locator('[name="side"]').select_option("long")
    for name in ("entry_price", "quantity", "leverage", "maintenance_margin_rate", "account_balance"):
        widget.locator(f'[name="{name}"]').fill(GOOD_PAUSE[name])
    expect(verdict).to_have_attribute("data-value", "pause")

    values = snapshot(page, "pause")["values"]
    assert values == GOOD_PAUSE
    expected = cpython("pause", values, seconds_paused=1)
    wait_until(
        lambda: strip_verdict(snapshot(page, "pause")["html"]) == strip_verdict(canonical(page, expected["html"])),
        10,
        message="the pause checks to equal CPython's",
    )
    assert widget.locator("[data-check]").count() == 6
    assert widget.locator(".check-pass").count() == 6

    # "Check my answers" before the 30 s pause is over: verdict "pause", nothing saved yet...
    before = snapshot(page, "pause")["recalcs"]
    widget.get_by_role("button", name="Check my answers").click()
    wait_until(lambda: snapshot(page, "pause")["recalcs"] > before, 10, message="the submitted check")
    expect(verdict).to_have_attribute("data-value", "pause")
    assert entries.count() == 0 and journal_storage(page) == {}
    # ...and once the pause is over, the widget asks again by itself and saves a "ready" entry.
    page.clock.fast_forward(31_000)
    expect(verdict).to_have_attribute("data-value", "ready")
    expect(entries).to_have_count(1)
    expect(widget.locator("[data-journal-status]")).to_have_text("Saved to your journal.")
    stored = journal_storage(page)
    assert stored["schema"] == journal.SCHEMA and len(stored["entries"]) == 1
    entry = stored["entries"][0]
    assert entry["verdict"] == "ready" and entry["wrong_if"] == WRONG and entry["reason_to_wait"] == WAIT
    assert {k: entry[k] for k in GOOD_PAUSE} == GOOD_PAUSE
    assert_quiet(watch)


# --- 2. parity with CPython -----------------------------------------------------------------


def _number(rng, x, digits=2):
    style = rng.random()
    if style < 0.15 and x >= 1000:
        return f"{x:,.{digits}f}"  # thousands separators, as a trader may type them
    if style < 0.25:
        return f"{x:.6g}"
    return f"{x:.{digits}f}"


def random_liquidation_values(rng) -> dict:
    venue = rng.choice(list(VENUES))
    spec = VENUES[venue]
    contract = rng.choice(spec.contracts)
    inverse = contract == "inverse"
    coin = (
        (lambda lo, hi: f"{rng.uniform(lo, hi) / 60000:.6f}")
        if inverse
        else (lambda lo, hi: f"{rng.uniform(lo, hi):.2f}")
    )
    unit = rng.choice(["base", "quote"])
    entry = rng.choice([rng.uniform(50, 2000), rng.uniform(2000, 150000)])
    cap = int(spec.max_leverage)
    leverage = str(rng.randint(1, cap)) if rng.random() < 0.7 else f"{rng.uniform(1, cap):.1f}"
    margin_mode = rng.choice(["isolated", "cross"])
    values = dict(
        liquidation.WIDGET.defaults(),
        venue=venue,
        side=rng.choice(["long", "short"]),
        contract=contract,
        margin_mode=margin_mode,
        entry_price=_number(rng, entry),
        quantity_unit=unit,
        quantity=f"{rng.uniform(0.001, 3):.4f}" if unit == "base" else _number(rng, rng.uniform(10, 250_000)),
        leverage=leverage,
        maintenance_margin_rate=f"{rng.uniform(0.05, 2.5):.3g}",
        taker_fee_rate=rng.choice(["", "0", f"{rng.uniform(0, 0.1):.3f}"]),
        funding_paid=rng.choice(["", coin(-30, 30)]),
        extra_margin=rng.choice(["", "", coin(0, 400)]),
        stop_price=rng.choice(["", "", _number(rng, entry * rng.uniform(0.8, 1.2))]),
    )
    if margin_mode == "cross":
        values.update(
            other_maintenance=rng.choice(["", coin(0, 500)]), other_unrealized_pnl=rng.choice(["", coin(-800, 800)])
        )
    roll = rng.random()
    if roll < 0.08:
        values["margin"] = coin(50, 3000)
    elif roll < 0.14:
        values["tiers"] = rng.choice(list(PRESETS))
    elif roll < 0.20:
        values["maintenance_amount"] = coin(0, 50)
    return values


def random_ladder_values(rng) -> dict:
    venue = rng.choice(list(VENUES))
    return dict(
        ladder.WIDGET.defaults(),
        venue=venue,
        contract=rng.choice(VENUES[venue].contracts),
        entry_price=_number(rng, rng.uniform(100, 120000)),
        maintenance_margin_rate=f"{rng.uniform(0.1, 2):.2f}",
        taker_fee_rate=rng.choice(["0", f"{rng.uniform(0, 0.1):.3f}"]),
        leverage=str(rng.randint(1, 100)),
    )


def random_quick_values(rng) -> dict:
    return dict(
        registry.get("quick").defaults(),
        side=rng.choice(["long", "short"]),
        entry_price=_number(rng, rng.uniform(0.5, 150000)),
        leverage=rng.choice([str(rng.randint(1, 125)), f"{rng.uniform(1, 150):.1f}"]),
    )


def random_steps_values(rng) -> dict:
    """A position built in up to six rows: an open, then adds, reduces, margin moves, funding and unused
    rows in any order (some sequences are refused, e.g. reducing more than is held: a row's field error)."""
    widget = registry.get("steps")
    venue = rng.choice([value for value, _ in next(f for f in widget.fields if f.name == "venue").options])
    price = rng.choice([rng.uniform(50, 2000), rng.uniform(2000, 150000)])
    quantity = rng.uniform(0.01, 3)
    cross = rng.random() < 0.35
    cap = int(VENUES[venue].max_leverage)
    values = dict(
        widget.defaults(),
        venue=venue,
        side=rng.choice(["long", "short"]),
        margin_mode="cross" if cross else "isolated",
        leverage=rng.choice([str(rng.randint(1, cap)), f"{rng.uniform(1, 20):.1f}"] + ([""] if cross else [])),
        wallet_balance=rng.choice([_number(rng, quantity * price * rng.uniform(0.05, 1.5))] + ([] if cross else [""])),
        maintenance_margin_rate=f"{rng.uniform(0.1, 2.5):.3g}",
    )
    # Mostly adds and unused rows; a close only as the last row (a step after a close is refused, and
    # one such refusal in a few cases is enough); a zero or negative amount now and then (refused too).
    kinds = ["add", "add", "add", "reduce", "add_margin", "remove_margin", "funding", "", ""]
    for row in range(1, steps.ROWS + 1):
        kind = "open" if row == 1 else rng.choice(kinds + (["close"] if row == steps.ROWS else []))
        fill = price * rng.uniform(0.85, 1.15)
        amount = quantity * price * rng.uniform(0.001, 0.05) * (-1 if kind == "funding" and rng.random() < 0.3 else 1)
        values.update(
            {
                steps.field_name(row, "kind"): kind,
                steps.field_name(row, "quantity"): f"{quantity * rng.uniform(0.1, 0.9):.4f}"
                if kind in ("open", "add", "reduce")
                else "",
                steps.field_name(row, "price"): _number(rng, fill) if kind or rng.random() < 0.3 else "",
                steps.field_name(row, "amount"): (_number(rng, amount) if rng.random() < 0.95 else "0")
                if kind in ("add_margin", "remove_margin", "funding")
                else "",
            }
        )
    return values


def random_lending_values(rng) -> dict:
    """One collateral against one debt on any shown protocol; a volatile debt now and then."""
    widget = registry.get("lending")
    protocol = rng.choice(lending.SHOWN_PROTOCOLS)
    price = rng.choice([rng.uniform(0.5, 50), rng.uniform(50, 5000), rng.uniform(5000, 120000)])
    amount = rng.uniform(0.01, 500)
    threshold = rng.uniform(50, 95)
    debt_price = rng.choice(["1", "1", f"{rng.uniform(0.9, 1.1):.4f}", _number(rng, rng.uniform(100, 4000))])
    debt_value = amount * price * threshold / 100 * rng.uniform(0.3, 1.2)  # some already liquidatable
    return dict(
        widget.defaults(),
        protocol=protocol,
        collateral_amount=f"{amount:.4f}",
        collateral_price=_number(rng, price),
        liquidation_threshold=f"{threshold:.3g}",
        liquidation_penalty=rng.choice(["", f"{rng.uniform(0, 15):.3g}", "5"]),
        debt_amount=_number(rng, debt_value / float(debt_price.replace(",", ""))),
        debt_price=debt_price,
        moving=rng.choice(["collateral", "debt"]),
    )


# kind -> (random inputs, how many cases, how many at least must compute, how many at least must be refused,
# so both paths are compared). The pause check is left out:
# its answer depends on how long the visitor has paused, and its own tests cover it.
PARITY = {
    "liquidation": (random_liquidation_values, 200, 140, 0),
    "ladder": (random_ladder_values, 30, 20, 0),
    "quick": (random_quick_values, 30, 20, 0),
    "steps": (random_steps_values, 80, 45, 5),
    "lending": (random_lending_values, 80, 45, 5),
}
NOT_PARITY = {"pause"}


def test_every_widget_has_a_parity_round():
    """A widget added to the registry gets random-input parity (and the hostile rounds) or a reason not to."""
    assert set(PARITY) | NOT_PARITY == set(registry.kinds())


@pytest.mark.parametrize("kind", [kind for kind in registry.kinds() if kind not in NOT_PARITY])
def test_parity_with_cpython_random_inputs(warm, kind):
    """Random inputs typed into the widget: the page shows exactly CPython's answer, good or bad."""
    shared = warm(kind)
    page = shared.page
    generate, count, computed, refused = PARITY[kind]
    rng = random.Random(f"20241124-{kind}")
    cases = [generate(rng) for _ in range(count)]
    expected = [cpython(kind, values) for values in cases]
    snaps = []
    for first in range(0, len(cases), 25):
        batch = list(zip(cases, expected, strict=True))[first : first + 25]
        snaps += apply_many(page, kind, [(values, answer.get("html")) for values, answer in batch])

    failures, ok = [], 0
    for case, (values, answer, snap) in enumerate(zip(cases, expected, snaps, strict=True)):
        if answer["ok"]:
            ok += 1
            good = snap["same"] and snap["errors"] == {} and snap["source"] == "live" and not snap["stale"]
        else:  # the same messages at the same fields; the last good result stays, marked stale
            good = (
                snap["errors"] == answer["errors"]
                and snap["stale"]
                and all(name in snap["invalid"] for name in answer["errors"] if name != "_")
            )
        if not good:
            failures.append((case, values, answer.get("errors"), snap))
    assert not failures, f"{len(failures)} of {count} {kind} cases differ from CPython; first: {failures[0]}"
    assert ok >= computed, f"only {ok} of {count} random {kind} inputs computed: the generator drifted"
    assert count - ok >= refused, f"only {count - ok} of {count} random {kind} inputs refused: too tame a generator"
    if kind == "liquidation":  # the generator reaches every venue's inverse contract, both units and modes
        assert {v["venue"] for v in cases if v["contract"] == "inverse"} >= {
            "binance",
            "bybit",
            "okx",
            "gate",
            "phemex",
            "bitmex",
        }
        assert {v["quantity_unit"] for v in cases} == {"base", "quote"}
        assert {v["margin_mode"] for v in cases} == {"isolated", "cross"}
    assert_quiet(shared.watch)


# --- 3. hostile strings ---------------------------------------------------------------------


def assert_safe(snap, where):
    assert snap["injected"] == 0, f"{where}: markup from the input became elements"
    assert snap["errorChildren"] == 0, f"{where}: an error message holds markup"
    assert snap["markers"] == [], f"{where}: the widget shows {snap['markers']}"


# A hostile value a field accepts with another meaning, so the error lands on another field: blanks in
# the steps widget's first row kind leave that row unused, and the next row, an add, cannot open.
HOSTILE_MOVED = {"steps": {(steps.field_name(1, "kind"), "   "): steps.field_name(2, "kind")}}


def hostile_round(page, kind, base, fields, textual=()):
    """Each hostile string in each field alone, then in every field at once; checked against
    CPython's answer for the same values."""
    moved = HOSTILE_MOVED.get(kind, {})
    cases = []  # (where, field or None, values, CPython's answer)
    for value in HOSTILE:
        for name in fields:
            values = dict(base, **{name: value})
            where = f"{kind}.{name} = {value[:40]!r}"
            cases.append((where, moved.get((name, value), name), values, cpython(kind, values, seconds_paused=0)))
        values = dict(base, **{name: value for name in fields})
        cases.append((f"{kind}: every field = {value[:40]!r}", None, values, cpython(kind, values, seconds_paused=0)))
    snaps = []
    for first in range(0, len(cases), 40):
        snaps += apply_many(page, kind, [(c[2], c[3].get("html")) for c in cases[first : first + 40]], add_options=True)
    page.evaluate(REMOVE_ADDED_OPTIONS)
    for (where, name, _values, expected), snap in zip(cases, snaps, strict=True):
        assert_safe(snap, where)
        assert snap["errors"] == expected.get("errors", {}), where
        if name is None:
            continue
        if name in textual:
            assert name not in snap["errors"], f"{where}: a written answer is text, not an error"
        elif expected["ok"]:  # accepted as a number (e.g. -0 in an optional field): a live result
            if kind != "pause":
                assert snap["same"], where
        else:
            assert set(snap["errors"]) == {name}, f"{where}: error not at the field: {snap['errors']}"
            assert snap["errors"][name].strip() and name in snap["invalid"], where
    return len(cases)


@pytest.mark.parametrize("kind", [kind for kind in registry.kinds() if kind not in NOT_PARITY])
def test_hostile_strings_calculators(warm, kind):
    """Every hostile string in every field of the widget, alone and all at once (pause: below)."""
    shared = warm(kind)
    page, widget = shared.page, registry.get(kind)
    names = [f.name for f in widget.fields]
    assert hostile_round(page, kind, widget.defaults(), names) == len(HOSTILE) * (len(names) + 1)
    # Still working: the defaults give a live result again.
    expected = cpython(kind, widget.defaults())
    snap = apply(page, kind, widget.defaults(), expected["html"])
    assert snap["html"] == snap["canonical"] and snap["source"] == "live" and not snap["errors"] and not snap["stale"]
    assert_quiet(shared.watch)


@pytest.mark.parametrize("kind", SHARED)
def test_hostile_strings_in_a_shared_link(bad_links, kind):
    """The same strings arriving through a link's fragment (no form tampering needed): plain field
    errors, CPython's, and nothing from the link becomes markup."""
    page, link = bad_links.hostile[kind], hostile_link(kind)
    expected = cpython(kind, dict(registry.get(kind).defaults(), **link))
    assert not expected["ok"]
    first = next(iter(expected["errors"]))
    expect(page.locator(f'[data-widget="{kind}"] [data-error-for="{first}"]')).to_have_text(expected["errors"][first])
    snap = snapshot(page, kind)
    assert snap["errors"] == expected["errors"]
    assert all(name in snap["invalid"] for name in snap["errors"] if name != "_")
    if kind == "liquidation":  # its list holds only strings it refuses: one error per field
        assert set(snap["errors"]) == set(HOSTILE_LINK)
    typed = [f.name for f in registry.get(kind).fields if f.kind != "select" and f.name in link]
    assert {name: snap["values"][name] for name in typed} == {name: link[name] for name in typed}  # kept as sent
    assert_safe(snap, f"hostile shared link ({kind})")
    assert_quiet(bad_links.watch)


def test_hostile_strings_pause(pause_warm):
    page, watch = pause_warm.page, pause_warm.watch
    hostile_round(page, "pause", GOOD_PAUSE, [f.name for f in pause.FIELDS], textual=("wrong_if", "reason_to_wait"))

    # Hostile answers are saved and shown back as text, never as markup.
    answers = dict(
        pause.WIDGET.defaults(),
        wrong_if='"><img src=x onerror=alert(1)> and more words',
        reason_to_wait="<script>alert(1)</script> {{7*7}} ${7*7}",
    )
    apply(page, "pause", answers)
    widget = page.locator(PAUSE)
    widget.get_by_role("button", name="Check my answers").click()
    expect(widget.locator('[data-out="journal"] li')).to_have_count(1)
    text = widget.locator('[data-out="journal"] li').inner_text()
    assert answers["wrong_if"] in text and answers["reason_to_wait"] in text
    assert_safe(snapshot(page, "pause"), "journal with hostile answers")
    apply(page, "pause", GOOD_PAUSE)
    expect(widget.locator('[data-out="verdict"]')).to_have_attribute("data-value", "pause")
    assert_quiet(watch)


# --- 4. the pause journal -------------------------------------------------------------------


def save_check(page, wrong_if, reason):
    """A check with no invalidation price: verdict "not-ready", saved on submit."""
    widget = page.locator(PAUSE)
    entries = widget.locator('[data-out="journal"] li')
    count = entries.count()
    widget.locator('[name="wrong_if"]').fill(wrong_if)
    widget.locator('[name="reason_to_wait"]').fill(reason)
    widget.locator('[name="invalidation_price"]').fill("")
    widget.get_by_role("button", name="Check my answers").click()
    expect(entries).to_have_count(count + 1)
    expect(widget.locator('[data-out="verdict"]')).to_have_attribute("data-value", "not-ready")


def open_journal(context, url, watch):
    page = open_page(context, url, watch)
    page.wait_for_selector(state("pause", "ready"))
    return page


def test_journal_persistence_export_import_and_delete(new_context, origin, tmp_path):
    context = new_context(accept_downloads=True)
    url = f"{origin}/pause-protocol/"
    watch = Watch()
    page = open_journal(context, url, watch)
    widget = page.locator(PAUSE)
    entries = widget.locator('[data-out="journal"] li')
    status = widget.locator("[data-journal-status]")

    # Cells a spreadsheet would run, quotes, commas, new lines, apostrophes, emoji.
    save_check(page, '=HYPERLINK("http://x"), a "quoted", comma-separated idea', "line one\nline two, with ; and 🚀")
    save_check(page, "+1 if the 4h close holds; -2 if not", "@everyone says so\tbut 'I' wait")
    save_check(page, "-5% drop from here would prove it wrong", "'leading apostrophe' and ''two''")
    before = journal_storage(page)
    assert before["schema"] == journal.SCHEMA and len(before["entries"]) == 3
    assert {e["verdict"] for e in before["entries"]} == {"not-ready"}

    # Persistence: a reload, and a new page in the same context.
    page.reload()
    page.wait_for_selector(state("pause", "ready"))
    expect(entries).to_have_count(3)
    other = open_journal(context, url, watch)
    expect(other.locator(f'{PAUSE} [data-out="journal"] li')).to_have_count(3)
    assert journal_storage(other) == before
    other.close()

    # Export both formats.
    files = {}
    for fmt in ("json", "csv"):
        with page.expect_download() as download:
            widget.locator(f'[data-action="export-{fmt}"]').click()
        files[fmt] = tmp_path / download.value.suggested_filename
        download.value.save_as(files[fmt])
        assert files[fmt].suffix == f".{fmt}"
        expect(status).to_have_text(f"Exported 3 entries as {fmt.upper()}.")
    assert json.loads(files["json"].read_text(encoding="utf-8")) == before
    assert files["csv"].read_text(encoding="utf-8").splitlines()[0] == ",".join(journal.FIELDS)

    # Clear (confirmed), then each file brings back exactly what was there.
    watch.accept_dialogs = True
    for fmt in ("json", "csv"):
        widget.locator('[data-action="clear"]').click()
        expect(entries).to_have_count(0)
        assert journal_storage(page)["entries"] == []
        widget.locator('input[type="file"][data-action="import"]').set_input_files(str(files[fmt]))
        expect(status).to_have_text("Imported 3 entries.")
        expect(entries).to_have_count(3)
        assert journal_storage(page) == before, f"{fmt} round trip is not lossless"
    assert [d for d in watch.dialogs if d[0] == "confirm"] == [
        ("confirm", "Delete every entry in your pause journal? This cannot be undone.")
    ] * 2
    widget.locator('input[type="file"][data-action="import"]').set_input_files(str(files["json"]))
    expect(status).to_have_text("Imported 0 entries; 3 were already in the journal.")  # same ids: nothing doubled
    assert journal_storage(page) == before

    # Delete one entry: a dismissed confirm keeps it, an accepted one removes it.
    victim = before["entries"][1]["id"]
    watch.accept_dialogs = False
    widget.locator(f'[data-action="delete"][data-id="{victim}"]').click()
    expect(entries).to_have_count(3)
    watch.accept_dialogs = True
    widget.locator(f'[data-action="delete"][data-id="{victim}"]').click()
    expect(entries).to_have_count(2)
    expect(status).to_have_text("Entry deleted.")
    assert [e["id"] for e in journal_storage(page)["entries"]] == [
        e["id"] for e in before["entries"] if e["id"] != victim
    ]
    assert watch.dialogs[-2:] == [("confirm", "Delete this journal entry? This cannot be undone.")] * 2
    watch.accept_dialogs = False

    assert_quiet(SimpleNamespace(dialogs=[d for d in watch.dialogs if d[0] != "confirm"], errors=watch.errors))


SEED_STORAGE = """(() => { try {
  if (!sessionStorage.getItem("test-seeded")) {
    localStorage.setItem(%s, %s);
    sessionStorage.setItem("test-seeded", "1");
  }
} catch (error) { /* about:blank has no storage */ } })();"""


def test_journal_corrupt_storage_is_reported_and_kept_aside(new_context, origin):
    survivor = journal.make_entry(
        "kept-1", "2024-11-24T06:00:00.000Z", GOOD_PAUSE, "not-ready", "Not ready: a test entry."
    )
    cases = {
        "not json": ("{not json", 0),
        "foreign": ('[{"foo": 1}]', 0),
        "mixed": (json.dumps([survivor, {"foo": 1}]), 1),
    }
    opened = {}
    for name, (raw, _) in cases.items():  # one context each, all booting at once
        context = new_context()
        context.add_init_script(script=SEED_STORAGE % (json.dumps(JOURNAL_KEY), json.dumps(raw)))
        watch = Watch()
        opened[name] = (open_page(context, f"{origin}/pause-protocol/", watch), watch)
    for name, (raw, shown) in cases.items():
        page, watch = opened[name]
        page.wait_for_selector(state("pause", "ready"))
        status = page.locator(f"{PAUSE} [data-journal-status]")
        expect(status).to_contain_text("could not be read")
        expect(status).to_contain_text("kept aside")
        expect(page.locator(f'{PAUSE} [data-out="journal"] li')).to_have_count(shown)
        storage = page.evaluate(STORAGE)
        kept = {key: value for key, value in storage.items() if key.startswith(KEPT_ASIDE_PREFIX)}
        assert list(kept.values()) == [raw], f"{name}: not kept aside untouched: {storage}"
        assert journal_storage(page)["entries"] == ([survivor] if shown else [])
        # The widget still works, and what it saves now is read back without complaint.
        save_check(page, "A daily close under the range low proves it wrong", "Another setup comes next week")
        stored = page.evaluate("(key) => localStorage.getItem(key)", JOURNAL_KEY)
        entries, problem = journal.load(stored)
        assert len(entries) == shown + 1 and problem == "", (
            f"{name}: what was saved after the repair does not read back"
        )
        assert page.evaluate(STORAGE).keys() == storage.keys(), name  # nothing else kept aside or lost
        assert_quiet(watch)


# --- 5. shareable links ---------------------------------------------------------------------


def test_shared_link_round_trip(calc):
    page = fresh(calc)
    widget = page.locator(LIQ)
    widget.locator('[name="venue"]').select_option("bybit")
    widget.locator('[name="side"]').select_option("short")
    widget.locator('[name="entry_price"]').fill("65000")
    widget.locator('[name="leverage"]').fill("25")
    widget.locator('[name="stop_price"]').fill("66000")
    widget.locator("details.more-inputs summary").first.click()
    widget.locator('[name="contract"]').select_option("inverse")
    widget.locator('[name="margin_mode"]').select_option("cross")
    widget.locator('[name="funding_paid"]').fill("0.0001")
    values = snapshot(page, "liquidation")["values"]
    expected = cpython("liquidation", values)
    assert expected["ok"], expected
    first = wait_for_result(page, "liquidation", expected["html"])
    carried = {name: value for name, value in values.items() if value != liquidation.WIDGET.defaults()[name]}
    assert carried.get("funding_paid") == "0.0001"
    wait_until(lambda: scenario(page) == carried, BOOT_MS / 1000, message=f"the address to carry {carried}")
    link = page.evaluate("location.href")

    watch = Watch()
    second = open_page(calc.context, link, watch)
    second.wait_for_selector(live("liquidation"))
    snap = wait_for_result(second, "liquidation", expected["html"])
    assert snap["values"] == values
    assert snap["html"] == first["html"]
    second.close()
    assert_quiet(watch)
    assert_quiet(calc.watch)


@pytest.fixture(scope="module")
def bad_links(browser, origin):
    """Shared links with bad values, opened at once (their runtimes start side by side): `page`, the
    issue's invalid link in the query string, with `first`, what it showed before any edit; `hostile`,
    {kind: a page opened from a link with a hostile string in every field, in the fragment} for every
    widget whose inputs travel in links."""
    from urllib.parse import urlencode

    context = browser.new_context()
    context.set_default_timeout(BOOT_MS)
    watch = Watch()
    page = open_page(context, f"{origin}/calculators/?entry_price=abc&venue=nowhere&leverage=-3", watch)
    hostile = {
        kind: open_page(context, f"{origin}/{registry.get(kind).page}#{urlencode(hostile_link(kind))}", watch)
        for kind in SHARED
    }
    page.wait_for_selector(state("liquidation", "ready"))
    expect(page.locator(f'{LIQ} [data-error-for="entry_price"]')).not_to_be_empty()
    for kind, opened in hostile.items():
        opened.wait_for_selector(state(kind, "ready"))
    yield SimpleNamespace(page=page, hostile=hostile, watch=watch, first=snapshot(page, "liquidation"))
    context.close()


def test_shared_link_with_invalid_values_shows_field_errors(bad_links):
    page, snap = bad_links.page, bad_links.first
    values = dict(liquidation.WIDGET.defaults(), entry_price="abc", venue="nowhere", leverage="-3")
    expected = cpython("liquidation", values)
    assert snap["errors"] == expected["errors"]
    assert {"entry_price", "venue"} <= set(snap["errors"]) and set(snap["invalid"]) >= {"entry_price", "venue"}
    assert snap["values"]["entry_price"] == "abc" and snap["values"]["leverage"] == "-3"  # kept, not dropped
    assert snap["stale"] and snap["state"] == "ready"  # the pre-rendered result stays, marked out of date
    assert_safe(snap, "invalid shared link")

    # Not a broken widget: fixing the fields one by one leads to a live result.
    widget = page.locator(LIQ)
    widget.locator('[name="venue"]').select_option("binance")
    widget.locator('[name="entry_price"]').fill("60000")
    leverage_error = cpython("liquidation", dict(values, venue="binance", entry_price="60000"))["errors"]["leverage"]
    expect(widget.locator('[data-error-for="leverage"]')).to_have_text(leverage_error)
    widget.locator('[name="leverage"]').fill("10")
    snap = wait_for_result(page, "liquidation", cpython("liquidation", liquidation.WIDGET.defaults())["html"])
    assert snap["source"] == "live" and not snap["errors"] and not snap["stale"]
    assert_quiet(bad_links.watch)


def test_shared_link_with_invalid_values_shows_every_error_at_once(bad_links):
    errors = bad_links.first["errors"]
    assert {"entry_price", "venue", "leverage"} <= set(errors), errors


# --- 6. the request log ---------------------------------------------------------------------


def test_request_log_and_csp(new_context, origin, built_site, widget_pages):
    context = new_context()
    everything = []  # the context's view: pages, their workers, and the service worker once there
    context.on("request", lambda request: everything.append(request.url))
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    first_widget = {path + "index.html": kinds[0] for path, kinds in widget_pages.items()}
    assert set(first_widget) <= set(pages) and len(pages) > 10
    opened = {}
    for path in pages:  # all at once, so one idle period covers every page
        watch = Watch()
        url = f"{origin}/{path.removesuffix('index.html')}"
        page = context.new_page()
        watch.attach(page)
        page.goto(url, wait_until="commit")
        opened[path] = (page, watch)
    for page, _ in opened.values():
        page.wait_for_load_state("load")
    for path, kind in first_widget.items():
        opened[path][0].wait_for_selector(state(kind, "ready"))  # started when idle, untouched
    any_page = opened["index.html"][0]
    any_page.wait_for_timeout(3000)  # past the widgets' idle timeout (2.5 s): nothing may start late elsewhere
    for path, (page, _) in opened.items():
        if path not in first_widget:
            page.mouse.wheel(0, 600)  # scroll and tab around, never follow a link
            page.keyboard.press("Tab")
    any_page.wait_for_timeout(500)

    for path, (page, watch) in opened.items():
        foreign = [u for u in watch.requests if not (u.startswith(origin + "/") or u.startswith(("data:", "blob:")))]
        assert not foreign, f"{path} requested another origin: {foreign}"
        assert not watch.csp_violations(), f"{path}: {watch.csp_violations()}"
        runtime = [u for u in watch.requests if "/assets/runtime/" in u or "calc-worker.mjs" in u]
        workers = [w.url for w in page.workers if "calc-worker" in w.url]
        if path in first_widget:
            fetched = {u.rsplit("/", 1)[1] for u in runtime}
            assert {
                "calc-worker.mjs",
                "pyodide.mjs",
                "pyodide.asm.wasm",
                layout.STDLIB,
                layout.LOCKFILE,
            } <= fetched, path
            assert any(name.startswith("calculators-") and name.endswith(".whl") for name in fetched), path
            assert workers, path
        else:
            assert runtime == [] and workers == [], f"{path} loaded the calculator runtime: {runtime or workers}"
        assert watch.dialogs == [] and watch.errors == [], (path, watch.dialogs, watch.errors)
    foreign = [u for u in everything if not (u.startswith(origin + "/") or u.startswith(("data:", "blob:")))]
    assert not foreign, f"requests to another origin: {foreign}"


# --- 7. the runtime cannot load -------------------------------------------------------------

MISSING = {
    "wheel-404": ("**/calculators-*.whl", 404),
    "lockfile-404": ("**/site-lock.json", 404),
    "wasm-aborted": ("**/pyodide.asm.wasm", "abort"),
}


def block(page, name):
    pattern, how = MISSING[name]
    page.route(
        pattern,
        (lambda route: route.abort())
        if how == "abort"
        else (lambda route: route.fulfill(status=404, content_type="text/plain", body="Not found")),
    )


def assert_fallback(page, origin_html):
    for kind, module in (("liquidation", liquidation), ("ladder", ladder)):
        snap = snapshot(page, kind, cpython(kind, module.WIDGET.defaults())["html"])
        assert snap["state"] == "failed"
        assert snap["status"].startswith("The live calculator could not start ("), snap["status"]
        assert "your own inputs have not been used" in snap["status"]
        assert snap["html"] == origin_html[kind], f"{kind}: the pre-rendered result changed"
        assert snap["unwrapped"] == snap["canonical"], f"{kind}: the pre-rendered result is not CPython's"
        assert snap["source"] is None and not snap["stale"]
        assert_safe(snap, f"{kind} fallback")
    # Typing changes nothing and breaks nothing.
    page.locator(f'{LIQ} [name="leverage"]').fill("50")
    page.wait_for_timeout(300)
    snap = snapshot(page, "liquidation")
    assert snap["state"] == "failed" and snap["html"] == origin_html["liquidation"] and not snap["errors"]


def test_a_host_that_refuses_head_still_gets_a_live_calculator(new_context, origin):
    """Issue 13, item 3: the runtime's start sends no HEAD, so a host refusing it changes nothing
    (tests/test_faults.py refuses HEAD for every file on its own server)."""
    page = new_context().new_page()
    page.route(
        "**/pyodide.asm.wasm",
        lambda route: route.fulfill(status=405, body="") if route.request.method == "HEAD" else route.continue_(),
    )
    page.goto(f"{origin}/calculators/")
    page.wait_for_selector(live("liquidation"), timeout=BOOT_MS)


def test_a_single_page_app_fallback_for_the_wasm_fails_at_once_and_plainly(new_context, origin):
    """Issue 13, item 3: a host answering 200 with its index page for the runtime is not a runtime."""
    page = new_context().new_page()
    index = "<!doctype html><html><body>Home</body></html>"
    page.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=200, content_type="text/html", body=index))
    page.goto(f"{origin}/calculators/")
    before = prerendered(page)
    page.wait_for_selector(state("liquidation", "failed"), timeout=BOOT_MS)
    assert_fallback(page, before)


def test_without_the_widget_code_the_page_says_the_calculator_is_unavailable(new_context, origin):
    """Issue 13, item 4: with widgets.mjs missing nothing promises that the calculator will start."""
    page = new_context().new_page()
    page.route("**/widgets.mjs", lambda route: route.fulfill(status=404, body="Not found"))
    page.goto(f"{origin}/calculators/", wait_until="load")
    status = page.locator(f"{LIQ} [data-status-text]")
    expect(status).to_contain_text("unavailable")
    assert "starts when you use the form" not in status.inner_text()
    page.unroute("**/widgets.mjs")
    page.goto(f"{origin}/pause-protocol/")  # with the code there, the status moves on (waiting, starting, live)
    page.wait_for_selector(f"{PAUSE}[data-runtime-state]")
    expect(page.locator(f"{PAUSE} [data-status-text]")).not_to_contain_text("unavailable")


def test_prerendered_markup_is_what_the_live_result_will_be(new_context, origin):
    page = new_context().new_page()
    page.route("**/calc-worker.mjs", lambda route: route.abort())  # no live result may replace it
    page.goto(f"{origin}/calculators/")
    page.wait_for_selector(state("liquidation", "failed"))
    for kind, module in (("liquidation", liquidation), ("ladder", ladder)):
        snap = snapshot(page, kind, cpython(kind, module.WIDGET.defaults())["html"])
        assert snap["html"] == snap["canonical"], f"{kind}: the page changed the pre-rendered markup"


def prerendered(page):
    return {
        kind: page.locator(f'[data-widget="{kind}"] [data-result]').inner_html() for kind in ("liquidation", "ladder")
    }


@pytest.mark.parametrize(
    "missing",
    [
        "wheel-404",
        "lockfile-404",
        "wasm-aborted",
    ],
)
def test_runtime_missing_falls_back_plainly(new_context, origin, missing):
    watch = Watch()
    page = new_context().new_page()
    watch.attach(page)
    block(page, missing)
    page.goto(f"{origin}/calculators/")
    before = prerendered(page)
    page.wait_for_selector(state("liquidation", "failed"), timeout=BOOT_MS)  # they fail in 3-7 s, well under it
    assert_fallback(page, before)
    assert watch.dialogs == []


def test_a_runtime_that_never_answers_fails_plainly_after_the_boot_timeout(new_context, origin):
    """A runtime file that never arrives (a host that accepts the request and then says nothing)
    ends in 'failed' after widgets.mjs's 60 s boot timeout (fast-forwarded), with the pre-rendered
    result kept. (A stand-in worker that never answers is no longer a hang: widgets.mjs checks the
    worker's sha256 and reports it damaged at once.)"""
    watch = Watch()
    page = new_context().new_page()
    watch.attach(page)
    page.route("**/pyodide.asm.wasm", lambda route: None)  # never answered
    page.clock.install()
    page.goto(f"{origin}/calculators/")
    before = prerendered(page)
    page.wait_for_selector(state("liquidation", "starting"))
    page.clock.fast_forward(61_000)
    page.wait_for_selector(state("liquidation", "failed"))
    assert f"({layout.RUNTIME_FAILURES['slow']})" in page.locator(f"{LIQ} [data-status-text]").inner_text()
    assert_fallback(page, before)
    assert watch.dialogs == []


# --- 8. JavaScript off ----------------------------------------------------------------------


def test_javascript_off_shows_prerendered_results(new_context, origin):
    page = open_page(new_context(java_script_enabled=False), f"{origin}/calculators/")
    for kind, module in (("liquidation", liquidation), ("ladder", ladder)):
        snap = snapshot(page, kind, cpython(kind, module.WIDGET.defaults())["html"])
        assert snap["html"] == snap["canonical"], kind
        assert snap["values"] == module.WIDGET.defaults()
        assert snap["state"] is None and snap["source"] is None
    assert page.locator(f'{LADDER} [data-out="ladder"] tbody tr').count() == 100
    assert page.locator(f"{LADDER} tr.mine").get_attribute("data-row") == "10"
    assert page.locator(f"{LIQ} .widget-noscript").is_visible()
    page.goto(f"{origin}/pause-protocol/")
    expect(page.locator(f'{PAUSE} [data-out="verdict"]')).to_have_attribute("data-value", "waiting")
    placeholder = pause.WIDGET.placeholder
    assert placeholder is not None
    snap = snapshot(page, "pause", placeholder())
    assert snap["html"] == snap["canonical"]
    # The home page's quick check and its chart are there without JavaScript too.
    page.goto(f"{origin}/")
    quick = registry.get("quick")
    snap = snapshot(page, "quick", cpython("quick", quick.defaults())["html"])
    assert snap["html"] == snap["canonical"] and snap["values"] == quick.defaults()
    assert page.locator("#home-leverage-curve svg[role=img]").count() == 1
    # Every other widget with a computed result: its page shows CPython's answer for the defaults, charts
    # included (the steps widget's price chart, the lending widget's health factor chart).
    drawn = {}
    for kind in registry.kinds():
        widget = registry.get(kind)
        if kind in NOT_PARITY or widget.page in ("calculators/", ""):
            continue
        page.goto(f"{origin}/{widget.page}")
        expected = cpython(kind, widget.defaults())["html"]
        snap = snapshot(page, kind, expected)
        assert snap["html"] == snap["canonical"] and snap["values"] == widget.defaults(), kind
        assert snap["state"] is None and snap["source"] is None
        drawn[kind] = page.locator(f'[data-widget="{kind}"] figure.chart svg[role=img]').count()
        assert drawn[kind] == expected.count('<figure class="chart '), kind
    assert drawn["steps"] == drawn["lending"] == 1


# --- 9. a 375 px phone ----------------------------------------------------------------------


def assert_fits(page, selector, width=375):
    overflow = page.evaluate("() => document.documentElement.scrollWidth")
    assert overflow <= width + 1, f"the page is {overflow} px wide at {width} px"
    boxes = page.evaluate(f"""() => [...document.querySelectorAll(
          '{selector} input:not([type=file]), {selector} select, {selector} textarea, '
          + '{selector} [data-result], {selector} button')]
        .map((e) => {{
          const r = e.getBoundingClientRect();
          return [e.name || e.tagName, r.left, r.right, r.width];
        }})""")
    for name, left, right, box in boxes:
        assert left >= -1 and right <= width + 1 and box > 40, f"{selector} {name} is at {left}..{right} px"


def test_widgets_at_375_px(calc, pause_warm, screenshots):
    """The warm pages, narrowed to a 375 px phone (the layout follows the viewport's width)."""
    phone = {"width": 375, "height": 740}
    page = fresh(calc)
    page.set_viewport_size(phone)
    try:
        widget = page.locator(LIQ)
        for summary in widget.locator("details summary").all():
            summary.click()
        fills = {
            "entry_price": "64000",
            "quantity": "0.25",
            "leverage": "20",
            "maintenance_margin_rate": "0.5",
            "stop_price": "61000",
            "margin": "",
            "maintenance_amount": "0",
            "taker_fee_rate": "0.05",
            "funding_paid": "2",
            "extra_margin": "10",
            "other_maintenance": "5",
            "other_unrealized_pnl": "-20",
        }
        for name, value in fills.items():
            widget.locator(f'[name="{name}"]').fill(value)
        widget.locator('[name="margin_mode"]').select_option("cross")
        values = snapshot(page, "liquidation")["values"]
        assert {name: values[name] for name in fills} == fills
        wait_for_result(page, "liquidation", cpython("liquidation", values)["html"])
        page.locator(f'{LADDER} [name="leverage"]').fill("20")
        wait_for_result(page, "ladder", cpython("ladder", snapshot(page, "ladder")["values"])["html"])
        assert_fits(page, LIQ)
        assert_fits(page, LADDER)
        price = widget.locator('[data-out="price"]')
        price.scroll_into_view_if_needed()
        assert (
            price.is_visible()
            and page.evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)", price.element_handle()) >= 12
        )
        box = page.locator(f"{LADDER} .table-scroll").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= phone["width"] + 1  # the wide table scrolls in its box
        page.screenshot(path=str(screenshots / "calculators-375.png"), full_page=True)
        widget.screenshot(path=str(screenshots / "liquidation-widget-375.png"))
        page.locator(LADDER).screenshot(path=str(screenshots / "ladder-widget-375.png"))
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})
    assert_quiet(calc.watch)

    page = pause_warm.page
    page.set_viewport_size(phone)
    try:
        widget = page.locator(PAUSE)
        details = widget.locator("details")
        if details.get_attribute("open") is None:  # it may be open already (a field error opens it)
            details.locator("summary").click()
        for name, value in GOOD_PAUSE.items():
            element = widget.locator(f'[name="{name}"]')
            element.select_option(value) if name in ("side", "venue") else element.fill(value)
        assert snapshot(page, "pause")["values"] == GOOD_PAUSE
        widget.get_by_role("button", name="Check my answers").click()
        # "ready" once this shared page has been open for 30 s since its first input, else "pause"
        expect(widget.locator('[data-out="verdict"]')).to_have_attribute("data-value", re.compile("^(pause|ready)$"))
        assert widget.locator('[data-out="verdict"]').is_visible()
        assert widget.locator("[data-check]").count() == 6
        assert_fits(page, PAUSE)
        page.screenshot(path=str(screenshots / "pause-375.png"), full_page=True)
        widget.screenshot(path=str(screenshots / "pause-widget-375.png"))
    finally:
        page.set_viewport_size({"width": 1280, "height": 720})
    assert_quiet(pause_warm.watch)


# --- 10. the keyboard -----------------------------------------------------------------------


def test_keyboard_reaches_every_field_in_order(calc):
    page = fresh(calc)
    order = page.evaluate(
        f"() => [...document.querySelector('{LIQ} form').elements].filter((e) => e.name).map((e) => e.name)"
    )
    assert order == [f.name for f in liquidation.FIELDS]

    def focused():
        return page.evaluate(f"""() => {{ const e = document.activeElement; const inside = !!e.closest('{LIQ}');
            return {{inside, name: e.name || '', tag: e.tagName}}; }}""")

    page.locator(f'{LIQ} [name="{order[0]}"]').focus()
    reached, typed = [], False
    for _ in range(60):
        now = focused()
        if not now["inside"]:
            break
        if now["tag"] == "SUMMARY":  # a collapsed group: open it from the keyboard
            page.keyboard.press("Enter")
        elif now["name"]:
            reached.append(now["name"])
            if now["name"] == "leverage" and not typed:
                page.keyboard.press("Control+A")
                page.keyboard.type("25")
                typed = True
        page.keyboard.press("Tab")
    assert reached == order, f"Tab order: {reached}"

    expected = cpython("liquidation", dict(liquidation.WIDGET.defaults(), leverage="25"))
    expect(page.locator(f'{LIQ} [data-out="price"]')).to_have_attribute(
        "data-value", data_values(expected["html"])["price"]
    )
    snap = wait_for_result(page, "liquidation", expected["html"])
    assert snap["values"]["leverage"] == "25" and snap["source"] == "live"
    assert_quiet(calc.watch)


def test_picking_a_venue_fills_its_own_starting_values_but_keeps_typed_ones(new_context, origin):
    """Issue 9, item 4: the venue's rate, fee and contract follow the venue unless typed; an error in
    a collapsed group opens it."""
    watch = Watch()
    page = open_page(new_context(), f"{origin}/calculators/", watch)
    page.wait_for_selector(live("liquidation"), timeout=BOOT_MS)
    rate, fee, contract = (
        page.locator(f"{LIQ} [name={name}]") for name in ("maintenance_margin_rate", "taker_fee_rate", "contract")
    )

    page.select_option(f"{LIQ} [name=venue]", "hyperliquid")  # half the initial margin at 40x: 1.25 %
    expect(rate).to_have_value("1.25")
    wanted = dict(liquidation.WIDGET.defaults(), venue="hyperliquid", maintenance_margin_rate="1.25")
    wait_for_result(page, "liquidation", cpython("liquidation", wanted)["html"])

    rate.fill("0.9")  # typed: kept through the next venue change, while OKX's own fee fills in
    page.select_option(f"{LIQ} [name=venue]", "okx")
    expect(fee).to_have_value("0.05")
    expect(rate).to_have_value("0.9")
    wanted = dict(wanted, venue="okx", maintenance_margin_rate="0.9", taker_fee_rate="0.05")
    wait_for_result(page, "liquidation", cpython("liquidation", wanted)["html"])

    page.select_option(f"{LIQ} [name=venue]", "bitmex")  # inverse only: the contract follows
    expect(contract).to_have_value("inverse")
    wanted = dict(wanted, venue="bitmex", contract="inverse", taker_fee_rate="0.075")
    snap = wait_for_result(page, "liquidation", cpython("liquidation", wanted)["html"])
    assert snap["errors"] == {}

    margin = page.locator(f"{LIQ} [name=margin]")
    assert not margin.is_visible()  # inside the collapsed "More inputs"
    margin.evaluate("(field) => { field.value = 'abc'; field.dispatchEvent(new Event('input', {bubbles: true})); }")
    expect(page.locator(f'{LIQ} [data-error-for="margin"]')).not_to_be_empty()
    expect(margin).to_be_visible()  # the group opened so the visitor sees the error
    assert_quiet(watch)


def test_a_calculator_result_hands_its_position_to_the_pause_check_and_back(new_context, origin):
    """Issue 10, item 5: "Write your pause for this trade" carries side, entry, leverage, quantity,
    venue and rate; the pause check's liquidation check runs on them; its link returns them."""
    watch = Watch()
    page = open_page(new_context(), f"{origin}/calculators/", watch)
    page.wait_for_selector(live("liquidation"), timeout=BOOT_MS)
    values = dict(liquidation.WIDGET.defaults(), side="short", entry_price="3000", quantity="2", leverage="25")
    apply(page, "liquidation", values, cpython("liquidation", values)["html"])
    page.click(f'{LIQ} [data-out="to_pause"]')
    page.wait_for_selector(f"{PAUSE}[data-runtime-state]")
    assert page.url.startswith(f"{origin}/pause-protocol/#")
    for name, value in (
        ("side", "short"),
        ("entry_price", "3000"),
        ("quantity", "2"),
        ("leverage", "25"),
        ("venue", "binance"),
        ("maintenance_margin_rate", "0.4"),
    ):
        expect(page.locator(f"{PAUSE} [name={name}]")).to_have_value(value)
    expect(page.locator(f"{PAUSE} [name=leverage]")).to_be_visible()  # the filled-in group is open

    page.fill(f"{PAUSE} [name=wrong_if]", WRONG)
    page.fill(f"{PAUSE} [name=invalidation_price]", "3050")
    page.fill(f"{PAUSE} [name=reason_to_wait]", WAIT)
    check = page.locator(f'{PAUSE} [data-check="before_liquidation"]')
    expect(check).to_have_class(re.compile(r"check-(pass|fail)"))  # it ran: not "Not checked"

    back = page.locator(f'{PAUSE} [data-out="to_calculator"]')
    href = back.get_attribute("href")
    assert href and "stop_price=3050" in href and "side=short" in href
    back.click()
    page.wait_for_selector(live("liquidation"), timeout=BOOT_MS)
    for name, value in (
        ("side", "short"),
        ("entry_price", "3000"),
        ("quantity", "2"),
        ("leverage", "25"),
        ("stop_price", "3050"),
    ):
        expect(page.locator(f"{LIQ} [name={name}]")).to_have_value(value)
    assert_quiet(watch)


def test_no_page_is_wider_than_a_phone(new_context, origin, built_site):
    """Issue 10, item 6: at 390 px nothing makes the page scroll sideways; wide tables scroll inside
    their own box, and the columns the prose talks about (leverage, the long and short moves) show."""
    context = new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    pages = sorted(p.relative_to(built_site).as_posix().removesuffix("index.html") for p in built_site.rglob("*.html"))
    wide = []
    for path in pages:
        page.goto(f"{origin}/{path}", wait_until="load")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 390:
            wide.append((path, width))
    assert not wide, f"pages wider than a 390 px phone: {wide}"
    page.goto(f"{origin}/leverage-tables/", wait_until="load")
    visible = page.evaluate(
        """() => [...document.querySelectorAll('table[data-table="ladder-key"] thead th')]
            .filter((th) => { const r = th.getBoundingClientRect(); return r.left >= 0 && r.right <= 390; })
            .map((th) => th.textContent)"""
    )
    assert visible[:3] == ["Leverage", "Long: adverse move", "Short: adverse move"], visible
    # The home page answers a phone reader within the first one and a half screens: price, move, odds.
    page.goto(f"{origin}/", wait_until="load")
    for key in ("price", "adverse_move", "touch_odds"):
        top = page.evaluate(
            "(key) => document.querySelector(`[data-widget=quick] [data-out=${key}]`).getBoundingClientRect().bottom",
            key,
        )
        assert top <= 1.5 * 844, (key, top)


EARLY_START = """() => ({
  state: (window.__ahamirrorEarly || {}).state || null,
  made: Boolean((window.__ahamirrorEarly || {}).worker),
  workerFrom: (window.__ahamirror || {}).workerFrom || null,
})"""


def test_a_widget_page_starts_its_worker_from_the_head_and_the_widgets_take_it_over(new_context, origin):
    """Issue 11, item 2: the inline early start makes the one worker of the page, and the widgets go
    live on it rather than on a second worker. A page without widgets has no early start."""
    page = new_context().new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.extend([message.text] if message.type == "error" else []))
    page.goto(f"{origin}/calculators/")
    page.wait_for_selector(live("liquidation"), timeout=BOOT_MS)
    page.wait_for_selector(live("ladder"), timeout=BOOT_MS)
    assert page.evaluate(EARLY_START) == {"state": "taken", "made": True, "workerFrom": "head"}
    assert not errors, errors  # the inline script ran: the Content-Security-Policy lists its hash
    page.goto(f"{origin}/faq/")
    assert page.evaluate(EARLY_START) == {"state": None, "made": False, "workerFrom": None}
