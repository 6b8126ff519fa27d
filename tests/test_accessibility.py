"""Accessibility gate: axe-core on every page, in both palettes, and the calculators by keyboard.

axe-core (node_modules/axe-core, pinned in package.json) runs on every page of the built site,
served with the site's strict Content-Security-Policy, in the light ("default") and the dark
("slate") palette. Material picks the palette from prefers-color-scheme (mkdocs.yml: `media`),
so each palette is its own browser context with that colour scheme emulated. Widget pages are
also scanned with their collapsed inputs opened, once the live result is in, with a field error
showing, and (pause protocol) with saved journal entries. Any violation fails, with its rule,
impact, target selectors and markup in the message.

The keyboard tests walk each calculator page with Tab only: every control of every widget is
reached, in DOM order, with no positive tabindex and no trap; every control has a name, shows a
visible focus indicator, and typing updates the result; field errors and results are announced.

Under the CSP, `page.add_script_tag` is blocked (an inline script), so axe is injected with
`page.evaluate` (run by the DevTools protocol, which the CSP does not govern); waits are
selectors or short polling loops, never `wait_for_function` with a string (that needs eval).
"""

import json
import pathlib
import re
import time

import pytest

from calculators.web import api, journal, liquidation, pause, registry
from sitebuild.layout import BOOT_BUDGET_MS as BOOT_MS

from .browser_support import HOLD_IDLE, release_idle

pytestmark = pytest.mark.browser

ROOT = pathlib.Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCHEMES = {"light": "default", "dark": "slate"}  # emulated prefers-color-scheme -> Material scheme
JOURNAL_KEY = journal.STORAGE_KEY


AXE_RUN = "async () => JSON.stringify(await axe.run(document, {resultTypes: ['violations']}))"

# Material fades things in and out (the back-to-top button after a scroll, the header title):
# colours measured mid-transition are neither state. Wait until finite animations are done.
SETTLE = """async () => {
  const deadline = performance.now() + 3000;
  const busy = () => document.getAnimations().some(
    (a) => a.playState === "running" && a.effect && a.effect.getComputedTiming().endTime !== Infinity
  );
  while (busy() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}"""


# --- fixtures (module scope: Playwright's sync API allows one instance at a time, and the browser
# suite in test_browser.py starts its own after this module has finished) ------------------------


@pytest.fixture(scope="module")
def axe_source() -> str:
    assert AXE_JS.is_file(), f"{AXE_JS} is missing: run `npm ci` (make install)"
    return AXE_JS.read_text(encoding="utf-8")


# `origin` and `browser` (Chromium) come from conftest.py.


def new_context(browser, scheme: str, journal_entries: list | None = None):
    """A fresh context in one palette. Service workers are blocked so every page load is what the
    server sends; idle callbacks are held (HOLD_IDLE); optionally a journal is already saved."""
    context = browser.new_context(color_scheme=scheme, service_workers="block", viewport={"width": 1280, "height": 900})
    context.add_init_script(HOLD_IDLE)
    if journal_entries is not None:
        stored = journal.dump(journal_entries)
        context.add_init_script(
            f"if (localStorage.getItem({json.dumps(JOURNAL_KEY)}) === null) "
            f"localStorage.setItem({json.dumps(JOURNAL_KEY)}, {json.dumps(stored)});"
        )
    context.set_default_timeout(BOOT_MS)
    return context


def site_pages(site: pathlib.Path) -> list[str]:
    """Every page as served ("" is the home page): each index.html except the assets' and the
    redirect stubs (mkdocs-redirects writes a meta refresh and nothing else)."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        path = index.parent.relative_to(site).as_posix()
        if path.split("/")[0] == "assets":
            continue
        text = index.read_text(encoding="utf-8", errors="replace")
        if re.search(r'http-equiv=["\']?refresh', text, re.I) and "md-content" not in text:
            continue
        pages.append("" if path == "." else path + "/")
    return pages


def saved_entries() -> list[dict]:
    values = dict(
        pause.WIDGET.defaults(),
        wrong_if="BTC closes a daily candle below the range low",
        invalidation_price="57000",
        reason_to_wait="The weekly trend is down",
    )
    return [
        journal.make_entry("a11y-1", "2025-03-01T09:30:00.000Z", values, "ready", "Ready: all three answers hold up."),
        journal.make_entry(
            "a11y-2", "2025-02-27T18:05:00.000Z", {}, "not-ready", "Not ready: write the three answers."
        ),
    ]


# --- axe ---------------------------------------------------------------------------------------


def axe_scan(page, axe_source: str, where: str) -> list[str]:
    """Violations on the page as it is now, one readable block each (empty when clean)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    page.evaluate(SETTLE)
    result = json.loads(page.evaluate(AXE_RUN))
    return [describe(violation, where) for violation in result["violations"]]


def describe(violation: dict, where: str) -> str:
    lines = [f"{where}: {violation['id']} ({violation['impact']}) {violation['help']} <{violation['helpUrl']}>"]
    for node in violation["nodes"][:10]:
        summary = " ".join(node.get("failureSummary", "").split())
        lines.append(f"    at {' '.join(map(str, node['target']))}\n      {node['html'][:200]}\n      {summary[:400]}")
    if len(violation["nodes"]) > 10:
        lines.append(f"    ... and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def check_scheme(page, scheme: str, where: str):
    actual = page.evaluate("() => document.body.dataset.mdColorScheme")
    assert actual == SCHEMES[scheme], f"{where}: Material shows the {actual!r} palette, not {SCHEMES[scheme]!r}"


def open_more_inputs(page):
    """Open every collapsed <details> in the widgets the way a visitor does: click its summary."""
    closed = page.locator("[data-widget] details:not([open]) > summary")
    for _ in range(closed.count()):
        closed.first.click()
    assert closed.count() == 0


def wait_live(page, kinds, timeout_ms: int = BOOT_MS):
    for kind in kinds:
        page.wait_for_selector(f'[data-widget="{kind}"] [data-result][data-source="live"]', timeout=timeout_ms)


def test_pages_are_discovered(built_site, widget_pages):
    """The scans below cover every page: at least every published page path is in the list."""
    pages = site_pages(built_site)
    published = [
        line.split("#")[0].strip()
        for line in (ROOT / "tests" / "published_anchors.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#") and "#" not in line
    ]
    missing = {("" if p == "/" else p) for p in published} - set(pages)
    assert not missing, f"pages not found in the built site: {sorted(missing)}"
    assert set(widget_pages) <= set(pages)
    assert {kind for kinds in widget_pages.values() for kind in kinds} == set(registry.kinds())


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_axe_every_page(browser, origin, built_site, widget_pages, axe_source, scheme):
    """Every page, as served, in one palette. Widget pages are scanned as built, before their
    runtime starts (the held idle start keeps the built result and status in place)."""
    context = new_context(browser, scheme)
    page = context.new_page()
    problems = []
    try:
        for path in site_pages(built_site):
            where = f"[{scheme}] /{path}"
            page.goto(f"{origin}/{path}", wait_until="load")
            check_scheme(page, scheme, where)
            if path in widget_pages:
                states = page.evaluate(
                    "() => [...document.querySelectorAll('[data-widget]')].map((w) => [w.dataset.widget, "
                    "w.dataset.runtimeState || 'idle', w.querySelector('[data-result]').dataset.source || 'built'])"
                )
                assert [s[0] for s in states] == list(widget_pages[path]), f"{where}: widgets {states}"
                assert all(s[1] == "idle" and s[2] == "built" for s in states), (
                    f"{where}: runtime already started: {states}"
                )
                where += " (as built, runtime not started)"
            problems += axe_scan(page, axe_source, where)
    finally:
        context.close()
    assert not problems, f"{len(problems)} axe violation(s):\n" + "\n".join(problems)


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_axe_widget_states(browser, origin, widget_pages, axe_source, scheme):
    """The calculators in the states a visitor sees: More inputs opened (before the runtime), the
    live result, a field error, and the pause protocol's verdict and saved journal."""
    context = new_context(browser, scheme, journal_entries=saved_entries())
    page = context.new_page()
    problems = []
    try:
        for path, kinds in widget_pages.items():
            where = f"[{scheme}] /{path}"
            page.goto(f"{origin}/{path}", wait_until="load")
            check_scheme(page, scheme, where)
            open_more_inputs(page)
            problems += axe_scan(page, axe_source, f"{where} (More inputs open, runtime not started)")

            release_idle(page)
            if "pause" in kinds:
                page.wait_for_selector('[data-widget="pause"] [data-journal] li[data-entry-id]', timeout=BOOT_MS)
                field = page.locator("#pause-wrong_if")
                field.focus()
                page.keyboard.type("BTC closes a daily candle below the range low")
            wait_live(page, kinds)
            check_scheme(page, scheme, where)
            problems += axe_scan(page, axe_source, f"{where} (live result, More inputs open)")

            if "ladder" in kinds:  # a venue whose cap is below 100x: the rows beyond it are greyed
                page.locator("#ladder-venue").select_option("hyperliquid")
                page.wait_for_selector('[data-widget="ladder"] tr.beyond-cap[data-row="41"]', timeout=BOOT_MS)
                problems += axe_scan(page, axe_source, f"{where} (ladder rows beyond the venue's cap)")

            # A field error: the message, the invalid field and the stale result.
            kind = kinds[0]
            # The leverage where a widget has one (the pause check's entry price), else its first required number.
            fields = registry.get(kind).fields
            names = {f.name for f in fields}
            if kind == "pause":
                name = "entry_price"
            elif "leverage" in names:
                name = "leverage"
            else:
                name = next(f.name for f in fields if f.kind == "number" and not f.optional)
            page.locator(f"#{registry.get(kind).prefix}-{name}").fill("abc")
            page.wait_for_selector(f"#{registry.get(kind).prefix}-{name}-error:not(:empty)", timeout=BOOT_MS)
            problems += axe_scan(page, axe_source, f"{where} (field error on {name})")
    finally:
        context.close()
    assert not problems, f"{len(problems)} axe violation(s):\n" + "\n".join(problems)


# --- keyboard ------------------------------------------------------------------------------------

# Where focus is now, with the styles that show it. Each element gets a stable key (by identity),
# so the Tab walk can be compared with the widgets' controls in DOM order.
FOCUS_STEP = """() => {
  const element = document.activeElement;
  if (!element || element === document.body || element === document.documentElement) return null;
  window.__a11yKeys = window.__a11yKeys || { map: new Map(), next: 0 };
  const keys = window.__a11yKeys;
  let key = [...keys.map].find(([, e]) => e === element);
  key = key ? key[0] : `k${keys.next++}`;
  keys.map.set(key, element);
  const indicator = element.type === "file" ? (element.closest("label") || element) : element;
  const style = getComputedStyle(indicator);
  const widget = element.closest("[data-widget]");
  const details = element.tagName === "SUMMARY" ? element.parentElement : null;
  return {
    key, tag: element.tagName.toLowerCase(), id: element.id || "", name: element.getAttribute("name") || "",
    action: element.dataset.action || "", text: (element.innerText || "").trim().slice(0, 60),
    widget: widget ? widget.dataset.widget : null, closedSummary: Boolean(details && !details.open),
    focusVisible: element.matches(":focus-visible"),
    style: {
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth) || 0,
      boxShadow: style.boxShadow,
    },
  };
}"""

# The controls of each widget that Tab should reach, in DOM order (after More inputs is opened).
WIDGET_TABBABLES = """() => {
  window.__a11yKeys = window.__a11yKeys || { map: new Map(), next: 0 };
  const keys = window.__a11yKeys;
  const keyOf = (element) => {
    const found = [...keys.map].find(([, e]) => e === element);
    if (found) return found[0];
    const key = `k${keys.next++}`;
    keys.map.set(key, element);
    return key;
  };
  const selector = "a[href], button, input, select, textarea, summary, [tabindex]";
  const out = {};
  document.querySelectorAll("[data-widget]").forEach((root) => {
    out[root.dataset.widget] = [...root.querySelectorAll(selector)]
      .filter(
        (e) =>
          !e.disabled && e.getAttribute("tabindex") !== "-1" && e.type !== "hidden" && e.getClientRects().length > 0
      )
      .map((e) => ({
        key: keyOf(e),
        tag: e.tagName.toLowerCase(),
        id: e.id || "",
        action: e.dataset.action || "",
        text: (e.innerText || "").trim().slice(0, 60),
      }));
  });
  return out;
}"""

UNFOCUSED_STYLES = """(keys) => {
  if (document.activeElement) document.activeElement.blur();
  const out = {};
  for (const key of keys) {
    const element = window.__a11yKeys.map.get(key);
    const indicator = element.type === "file" ? (element.closest("label") || element) : element;
    const style = getComputedStyle(indicator);
    out[key] = {
      outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      boxShadow: style.boxShadow,
    };
  }
  return out;
}"""

# Accessible names as axe computes them (the same computation its rules use).
NAMES = """(selector) => {
  axe.setup(document);
  try {
    return [...document.querySelectorAll(selector)].map((e) => ({
      id: e.id, tag: e.tagName.toLowerCase(), action: e.dataset.action || "",
      name: axe.commons.text.accessibleTextVirtual(axe.utils.getNodeFromTree(e)).trim() }));
  } finally { axe.teardown(); }
}"""

POSITIVE_TABINDEX = """() => [...document.querySelectorAll("[tabindex]")]
  .filter((e) => parseInt(e.getAttribute("tabindex"), 10) > 0)
  .map((e) => e.outerHTML.slice(0, 120))"""


def tab_walk(page, limit: int = 400) -> list[dict]:
    """Press Tab from the top of the page until focus leaves the document. A closed "More inputs"
    summary is opened with Enter, as a keyboard user would. Fails on a cycle (a focus trap)."""
    steps: list[dict] = []  # what page.evaluate reported for each focused element
    seen: set[str] = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        step = page.evaluate(FOCUS_STEP)
        if step is None:
            return steps
        assert step["key"] not in seen, (
            "focus came back to an element already visited (a trap or a cycle): "
            f"{step}\nafter: {[(s['tag'], s['id'] or s['text']) for s in steps[-12:]]}"
        )
        seen.add(step["key"])
        steps.append(step)
        if step["closedSummary"] and step["widget"]:
            page.keyboard.press("Enter")
    raise AssertionError(
        f"Tab did not leave the page after {limit} presses: the last stops were "
        f"{[(s['tag'], s['id'] or s['text']) for s in steps[-12:]]}"
    )


def check_tab_order(page, kinds) -> tuple[list[dict], dict]:
    """The walk reaches each widget's every control, in DOM order; each shows focus visibly."""
    assert page.evaluate(POSITIVE_TABINDEX) == [], "positive tabindex reorders the page"
    steps = tab_walk(page)
    expected = page.evaluate(WIDGET_TABBABLES)
    for kind in kinds:
        reached = [s["key"] for s in steps if s["widget"] == kind]
        wanted = [e["key"] for e in expected[kind]]

        def show(keys, rows):
            return [
                next((r["tag"] + ":" + (r["id"] or r["action"] or r["text"])) for r in rows if r["key"] == k)
                for k in keys
            ]

        assert reached == wanted, (
            f"{kind}: Tab order differs from DOM order\nTab reached: {show(reached, steps)}\n"
            f"DOM order:   {show(wanted, expected[kind])}"
        )
        # A widget's stops are contiguous: Tab does not jump out and back in.
        positions = [i for i, s in enumerate(steps) if s["widget"] == kind]
        assert positions == list(range(positions[0], positions[0] + len(positions))), (
            f"{kind}: Tab leaves and re-enters the widget"
        )
    in_widgets = [s for s in steps if s["widget"] in kinds]
    unfocused = page.evaluate(UNFOCUSED_STYLES, [s["key"] for s in in_widgets])
    invisible = []
    for step in in_widgets:
        focused, rest = step["style"], unfocused[step["key"]]
        ring = (
            focused["outlineStyle"] != "none" and focused["outlineWidth"] > 0 and focused["outline"] != rest["outline"]
        )
        shadow = focused["boxShadow"] not in ("none", rest["boxShadow"])
        if not (step["focusVisible"] and (ring or shadow)):
            invisible.append(
                f"{step['tag']}#{step['id'] or step['action'] or step['text']}: focused {focused}, not focused {rest}"
            )
    assert not invisible, "no visible focus indicator:\n" + "\n".join(invisible)
    return steps, expected


def check_names(page, axe_source, kinds):
    """Every control has an accessible name; a field's name is its visible label."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    for kind in kinds:
        root = f'[data-widget="{kind}"]'
        names = page.evaluate(NAMES, f"{root} :is(input, select, textarea, button, summary, [tabindex])")
        unnamed = [n for n in names if not n["name"]]
        assert not unnamed, f"{kind}: controls without an accessible name: {unnamed}"
        by_id = {n["id"]: n["name"] for n in names if n["id"]}
        for field in registry.get(kind).fields:
            fid = f"{registry.get(kind).prefix}-{field.name}"
            assert fid in by_id, f"{kind}: no control #{fid}"
            assert by_id[fid].startswith(field.label), (
                f"{kind}: #{fid} is named {by_id[fid]!r}, not after its label {field.label!r}"
            )


def check_live_regions(page, kinds):
    for kind in kinds:
        root = f'[data-widget="{kind}"]'
        result = page.locator(f"{root} [data-result]")
        assert result.get_attribute("aria-live") == "polite", f"{kind}: the result is not a polite live region"
        status = page.locator(f"{root} [data-status]")
        assert status.get_attribute("aria-live") == "polite" and status.get_attribute("role") == "status", (
            f"{kind}: status not announced"
        )
        form_error = page.locator(f'{root} [data-error-for="_"]')
        assert form_error.get_attribute("role") == "alert", f"{kind}: the form-level error is not an alert"


ANNOUNCED = """(element) => {
  for (let node = element; node; node = node.parentElement) {
    const live = node.getAttribute("aria-live"), role = node.getAttribute("role");
    if ((live && live !== "off") || ["alert", "status", "log"].includes(role)) return live || role;
  }
  return null;
}"""


def check_field_error(page, kind: str, name: str, bad: str, good: str):
    """Type a bad value with the keyboard: the error appears, is tied to the field and announced."""
    fid = f"{registry.get(kind).prefix}-{name}"
    field = page.locator(f"#{fid}")
    field.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(bad)
    error = page.locator(f"#{fid}-error")
    page.wait_for_selector(f"#{fid}-error:not(:empty)", timeout=BOOT_MS)
    values = dict(
        registry.get(kind).defaults(),
        **page.evaluate(
            "(root) => Object.fromEntries([...document.querySelector(root).querySelector('form').elements]"
            ".filter((e) => e.name && e.type !== 'file').map((e) => [e.name, e.value]))",
            f'[data-widget="{kind}"]',
        ),
    )
    expected = api.handle({"widget": kind, "values": values})["errors"][name]
    assert error.inner_text().strip() == expected
    assert field.get_attribute("aria-invalid") == "true", f"#{fid} is not marked aria-invalid"
    described = (field.get_attribute("aria-describedby") or "").split()
    assert f"{fid}-error" in described, f"#{fid} aria-describedby={described} does not reference its error"
    assert error.is_visible()
    assert error.evaluate(ANNOUNCED) in ("polite", "assertive", "alert", "status"), (
        f"#{fid}-error is not in a live region"
    )
    page.keyboard.press("Control+A")
    page.keyboard.type(good) if good else page.keyboard.press("Backspace")
    page.wait_for_selector(f"#{fid}-error:empty", state="attached", timeout=BOOT_MS)
    assert field.get_attribute("aria-invalid") == "false"


def type_into(page, fid: str, text: str):
    page.locator(f"#{fid}").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def expected_value(kind: str, values: dict, out: str) -> str:
    response = api.handle({"widget": kind, "values": values})
    assert response["ok"], response
    found = re.search(rf'data-out="{out}" data-value="([^"]*)"', response["html"])
    assert found, f"{kind} answer has no data-out={out!r} with a data-value"
    return found.group(1)


def test_keyboard_calculators(browser, origin, widget_pages, axe_source):
    context = new_context(browser, "light")
    page = context.new_page()
    try:
        kinds = widget_pages["calculators/"]
        page.goto(f"{origin}/calculators/", wait_until="load")
        release_idle(page)
        wait_live(page, kinds)  # the walk then sees the controls that stay (the ladder is re-rendered live)
        check_tab_order(page, kinds)
        check_names(page, axe_source, kinds)
        check_live_regions(page, kinds)

        # Typing with the keyboard updates the result, to CPython's numbers.
        type_into(page, "liq-entry_price", "50000")
        value = expected_value("liquidation", dict(liquidation.WIDGET.defaults(), entry_price="50000"), "price")
        page.wait_for_selector(f'[data-widget="liquidation"] [data-out="price"][data-value="{value}"]', timeout=BOOT_MS)
        type_into(page, "ladder-leverage", "25")
        page.wait_for_selector('[data-widget="ladder"] tr.mine[data-row="25"][aria-current="true"]', timeout=BOOT_MS)

        check_field_error(page, "liquidation", "leverage", "abc", "10")
        check_field_error(page, "ladder", "entry_price", "-5", "60000")
    finally:
        context.close()


def test_keyboard_pause_protocol(browser, origin, axe_source):
    context = new_context(browser, "light", journal_entries=saved_entries())
    page = context.new_page()
    try:
        page.goto(f"{origin}/pause-protocol/", wait_until="load")
        release_idle(page)
        entries = page.locator('[data-widget="pause"] [data-journal] li[data-entry-id]')
        entries.first.wait_for(timeout=BOOT_MS)  # the journal is loaded: its Delete buttons exist
        steps, _ = check_tab_order(page, ("pause",))
        reached = {s["action"] for s in steps if s["widget"] == "pause"}
        assert {"export-json", "export-csv", "import", "clear", "delete"} <= reached, (
            f"journal controls reached: {reached}"
        )
        check_names(page, axe_source, ("pause",))
        check_live_regions(page, ("pause",))

        # Typing shows a live verdict; the submit button works with Enter and with Space.
        type_into(page, "pause-reason_to_wait", "The weekly trend is down and funding is running hot")
        page.wait_for_selector(
            '[data-widget="pause"] [data-result][data-source="live"] [data-out="verdict"][data-value="not-ready"]'
        )
        count = entries.count()
        submit = page.locator('[data-widget="pause"] button[type="submit"]')
        for key in ("Enter", "Space"):
            submit.focus()
            page.keyboard.press(key)
            deadline = time.monotonic() + BOOT_MS / 1000
            while entries.count() <= count:
                assert time.monotonic() < deadline, f"{key} on the submit button did not save a check to the journal"
                time.sleep(0.05)
            count = entries.count()
            assert page.locator("[data-journal-status]").inner_text() == "Saved to your journal."

        check_field_error(page, "pause", "entry_price", "abc", "")
    finally:
        context.close()


# The other widget pages (the calculators page and the pause protocol have their own walks above): read
# from the registry, so a widget on a new page is walked too.
OTHER_WIDGET_PAGES = sorted(
    {registry.get(kind).page for kind in registry.kinds()} - {"calculators/", "pause-protocol/"}
)
# The field whose error is typed, where the first required number is not the telling one: a step row's own
# field in the steps widget (its errors land on the row, not on the account fields).
ERROR_FIELD = {"steps": "step2_price"}


def changed_output(kind: str, before: dict, after: dict) -> tuple[str, str]:
    """(data-out name, data-value) of the first figure in CPython's answer that the change moves."""
    figures = []
    for values in (before, after):
        response = api.handle({"widget": kind, "values": values})
        assert response["ok"], response
        figures.append(re.findall(r'data-out="([a-z_]+)" data-value="([^"]+)"', response["html"]))
    moved = [new for old, new in zip(*figures, strict=False) if old != new]
    assert moved, f"{kind}: the change moves no figure"
    return moved[0]


@pytest.mark.parametrize("path", OTHER_WIDGET_PAGES)
def test_keyboard_other_widget_pages(browser, origin, widget_pages, axe_source, path):
    """Each widget: Tab reaches every control in order with visible focus, controls are named after
    their labels, results and errors are announced, typing updates the result to CPython's figures,
    and a bad value typed with the keyboard is an announced error tied to its field."""
    context = new_context(browser, "light")
    page = context.new_page()
    try:
        kinds = widget_pages[path]
        page.goto(f"{origin}/{path}", wait_until="load")
        release_idle(page)
        wait_live(page, kinds)
        check_tab_order(page, kinds)
        check_names(page, axe_source, kinds)
        check_live_regions(page, kinds)
        for kind in kinds:
            widget = registry.get(kind)
            fields = {f.name: f for f in widget.fields}
            name = ERROR_FIELD.get(kind) or next(f.name for f in widget.fields if f.kind == "number" and not f.optional)
            default = fields[name].default
            changed = f"{float(default.replace(',', '')) * 1.1:.6g}"
            type_into(page, f"{widget.prefix}-{name}", changed)
            out, value = changed_output(kind, widget.defaults(), dict(widget.defaults(), **{name: changed}))
            page.wait_for_selector(f'[data-widget="{kind}"] [data-out="{out}"][data-value="{value}"]', timeout=BOOT_MS)
            check_field_error(page, kind, name, "abc", default)
    finally:
        context.close()
