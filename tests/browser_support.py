"""Helpers for the browser suite (tests/test_browser.py): the server, Chromium, and the page-side
snippets that drive a widget through its DOM contract.

The pages run under the site's strict Content-Security-Policy, which blocks string evaluation in
the page. `page.evaluate` (run by the DevTools protocol) is allowed; `page.wait_for_function` with
a string predicate is not, so every wait here is a selector, an `expect`, or a short Python loop
around `page.evaluate`.
"""

import json
import re
import time
from dataclasses import dataclass, field

from calculators.web import api, journal
from sitebuild import layout

# Every wait on the runtime uses the page's own start-up budget: a test never gives up before the product.
BOOT_MS = layout.BOOT_BUDGET_MS
JOURNAL_KEY = journal.STORAGE_KEY
KEPT_ASIDE_PREFIX = JOURNAL_KEY + ":kept-aside:"
TRACEBACK_MARKERS = ("Traceback", 'File "', "Error:")
GENERIC_FAILURE = api.GENERIC  # "Something went wrong inside the calculator..."


def live(kind: str) -> str:
    """Selector that matches once the widget shows a result computed by Pyodide."""
    return f'[data-widget="{kind}"] [data-result][data-source="live"]'


def state(kind: str, value: str) -> str:
    return f'[data-widget="{kind}"][data-runtime-state="{value}"]'


def cpython(kind: str, values: dict, **extra) -> dict:
    """What the browser's worker would answer, computed here by CPython."""
    return api.handle({"widget": kind, "values": dict(values), **extra})


def data_values(html: str) -> dict:
    """{data-out name: data-value} from result markup."""
    return dict(re.findall(r'data-out="([a-z_]+)" data-value="([^"]*)"', html))


@dataclass
class Watch:
    """What a page did that a visitor must never see: dialogs, uncaught errors; plus its console
    and requests for the tests that look at them. Dialogs are answered by `accept_dialogs`."""

    dialogs: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    console: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    accept_dialogs: bool = False

    def attach(self, page):
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda message: self.console.append((message.type, message.text)))
        page.on("request", lambda request: self.requests.append(request.url))
        return page

    def _dialog(self, dialog):
        self.dialogs.append((dialog.type, dialog.message))
        dialog.accept() if self.accept_dialogs else dialog.dismiss()

    def csp_violations(self) -> list:
        return [text for _, text in self.console if "Content Security Policy" in text]


# --- page-side snippets ---------------------------------------------------------------------------

# Shared by the snippets below: the widget's visible state, in one object. `compact` leaves out
# the bulky parts (markup only when it differs from CPython's, no field values) for batches.
_SNAPSHOT = r"""
const MARKERS = __MARKERS__;
function snapshot(root, expected, compact) {
  const result = root.querySelector("[data-result]");
  const form = root.querySelector("form");
  const errors = {};
  let errorChildren = 0;
  root.querySelectorAll("[data-error-for]").forEach((slot) => {
    if (slot.textContent) errors[slot.dataset.errorFor] = slot.textContent;
    errorChildren += slot.children.length;
  });
  const values = {}, invalid = [], described = {};
  for (const element of form.elements) {
    if (!element.name || element.type === "file" || element.type === "submit") continue;
    values[element.name] = element.value;
    if (element.getAttribute("aria-invalid") === "true") invalid.push(element.name);
    const ids = (element.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    described[element.name] = ids.map((id) => {
      const node = document.getElementById(id);
      return node ? (node.dataset.errorFor || "") : null;
    });
  }
  // Material's instant navigation rewrites the page's links to absolute URLs (a link in a result
  // shown when the page loaded, say): both sides are compared with absolute links.
  const absolute = (node) => node.querySelectorAll("a[href]").forEach(
    (link) => link.setAttribute("href", new URL(link.getAttribute("href"), location.href).href));
  let canonical = null;
  if (typeof expected === "string") {  // the browser's own serialisation of CPython's markup
    const template = document.createElement("template");
    template.innerHTML = expected;
    absolute(template.content);
    canonical = template.innerHTML;
  }
  // Material's focus-visible polyfill marks the focused element (a link in the result, say):
  // that is the theme's focus state, not what Python wrote, so the copy compared leaves it out.
  const shown = result.cloneNode(true);
  shown.querySelectorAll("[data-focus-visible-added]").forEach((element) => {
    element.removeAttribute("data-focus-visible-added");
    element.classList.remove("focus-visible");
  });
  // ...and on blur it takes the class away again, leaving class="" (Python never writes one).
  shown.querySelectorAll('[class=""]').forEach((element) => element.removeAttribute("class"));
  absolute(shown);
  const html = shown.innerHTML;
  const text = root.textContent;
  const common = {
    same: canonical !== null && html === canonical, source: result.dataset.source || null,
    stale: result.classList.contains("stale"), errors, errorChildren, invalid,
    markers: MARKERS.filter((marker) => text.includes(marker)),
    injected: root.querySelectorAll("img, script, iframe, object, embed, [onerror], [onload], [onclick]").length,
    state: root.dataset.runtimeState || null,
    recalcs: (window.__ahamirror || {}).recalcs,
  };
  if (compact) {
    const differs = { html: html.slice(0, 2000), canonical: canonical && canonical.slice(0, 2000) };
    return Object.assign(common, common.same ? {} : differs);
  }
  // Material's own script wraps every class-less table in two <div>s when a page loads; the
  // same markup without them, to compare what Python wrote with what the page shows.
  const copy = shown.cloneNode(true);
  copy.querySelectorAll(".md-typeset__scrollwrap").forEach(
    (wrap) => wrap.replaceWith(...wrap.querySelector(".md-typeset__table").childNodes));
  return Object.assign(common, {
    html, unwrapped: copy.innerHTML, canonical, values, described, text,
    status: (root.querySelector("[data-status-text]") || {}).textContent || "",
  });
}
""".replace("__MARKERS__", json.dumps(list(TRACEBACK_MARKERS) + [GENERIC_FAILURE]))

SNAPSHOT = (
    "({kind, expected}) => {"
    + _SNAPSHOT
    + """
  return snapshot(document.querySelector(`[data-widget="${kind}"]`), expected, false);
}"""
)

# For each case: set every named field at once (plain .value assignment, as a script or autofill
# would), send ONE input event to the form, and wait until the widget has processed the answer to
# that event (window.__ahamirror.recalcs counts answers, good or bad). With `addOptions`, a select
# is given an <option> for a value it does not list (a tampered form), so the value reaches Python
# as it is. Cases run in one call, so a batch costs one round trip to the browser.
APPLY_MANY = (
    "async ({kind, cases, addOptions, timeout, compact}) => {"
    + _SNAPSHOT
    + """
  const root = document.querySelector(`[data-widget="${kind}"]`);
  const form = root.querySelector("form");
  const metrics = window.__ahamirror;
  const tick = () => new Promise((resolve) => {  // a macrotask, without setTimeout's 4 ms clamp
    const channel = new MessageChannel();
    channel.port1.onmessage = resolve;
    channel.port2.postMessage(0);
  });
  const out = [];
  for (const { values, expected } of cases) {
    const before = metrics.recalcs;
    for (const [name, value] of Object.entries(values)) {
      const element = form.elements[name];
      if (!element) throw new Error(`the ${kind} form has no field named ${name}`);
      if (element.tagName === "SELECT" && ![...element.options].some((o) => o.value === value)) {
        if (!addOptions) throw new Error(`${name} does not offer ${value}`);
        const option = new Option(value.slice(0, 40), value);
        option.dataset.testAdded = "true";
        element.add(option);
      }
      element.value = value;
    }
    form.dispatchEvent(new Event("input", { bubbles: true }));
    const started = performance.now();
    while (metrics.recalcs <= before) {
      if (performance.now() - started > timeout) { out.push(null); return out; }
      await tick();
    }
    out.push(snapshot(root, expected, compact));
  }
  return out;
}"""
)

REMOVE_ADDED_OPTIONS = """() => document.querySelectorAll("option[data-test-added]").forEach((o) => o.remove())"""

# The browser's serialisation of markup, with absolute links as the snapshot compares them.
CANONICAL = """(markup) => {
  const t = document.createElement("template");
  t.innerHTML = markup;
  t.content.querySelectorAll("a[href]").forEach(
    (link) => link.setAttribute("href", new URL(link.getAttribute("href"), location.href).href));
  return t.innerHTML;
}"""

STORAGE = """() => Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)]))"""


def snapshot(page, kind: str, expected: str | None = None) -> dict:
    return page.evaluate(SNAPSHOT, {"kind": kind, "expected": expected})


def apply_many(
    page,
    kind: str,
    cases: list[tuple[dict, str | None]],
    add_options: bool = False,
    compact: bool = True,
    timeout_ms: int = BOOT_MS,
) -> list[dict]:
    """[(values, CPython's html or None)] -> one snapshot per case, after the widget answered it."""
    snaps = page.evaluate(
        APPLY_MANY,
        {
            "kind": kind,
            "cases": [{"values": v, "expected": e} for v, e in cases],
            "addOptions": add_options,
            "timeout": timeout_ms,
            "compact": compact,
        },
    )
    if len(snaps) < len(cases) or snaps[-1] is None:
        raise AssertionError(
            f"the {kind} widget did not answer within {timeout_ms} ms for {cases[len(snaps) - 1][0]!r:.300}"
        )
    return snaps


def apply(page, kind: str, values: dict, expected: str | None = None, add_options: bool = False) -> dict:
    """One case, full snapshot."""
    return apply_many(page, kind, [(values, expected)], add_options, compact=False)[0]


def canonical(page, markup: str) -> str:
    return page.evaluate(CANONICAL, markup)


def wait_until(probe, timeout_s: float = 30, interval_s: float = 0.05, message: str = "condition", page=None):
    """Poll `probe()` until it returns something truthy (CSP-safe replacement for wait_for_function).
    Give `page` when the probe reads what event handlers collect: Playwright's sync API delivers
    events only while it is called, so the pause between probes is then spent inside it."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {message}")
        if page is not None:
            page.wait_for_timeout(interval_s * 1000)
        else:
            time.sleep(interval_s)


def wait_for_result(page, kind: str, expected_html: str, timeout_s: float = 30) -> dict:
    """Wait until the widget shows a live, current result equal to the browser serialisation of
    `expected_html`. Live and current both matter: the pre-rendered result (or a stale one kept
    beside a field error) can already hold the same markup before any answer has arrived."""
    last = {}

    def matches():
        snap = last["snap"] = snapshot(page, kind, expected_html)
        return snap["html"] == snap["canonical"] and snap["source"] == "live" and not snap["stale"]

    try:
        wait_until(matches, timeout_s, message=f"the {kind} result to equal CPython's")
    except AssertionError:
        snap = last["snap"]
        shown, wanted = snap["html"], snap["canonical"] or ""
        at = next(
            (i for i, (a, b) in enumerate(zip(shown, wanted, strict=False)) if a != b), min(len(shown), len(wanted))
        )
        raise AssertionError(
            f"{kind} result differs from CPython's (source {snap['source']}, stale {snap['stale']}) at {at}:\n"
            f"browser: ...{shown[max(0, at - 200) : at + 300]}\ncpython: ...{wanted[max(0, at - 200) : at + 300]}\n"
            f"errors: {snap['errors']}"
        ) from None
    return last["snap"]


def journal_storage(page) -> dict:
    """The stored journal, parsed: {"schema": ..., "entries": [...]}."""
    text = page.evaluate("(key) => localStorage.getItem(key)", JOURNAL_KEY)
    return json.loads(text) if text else {}


# The widgets start their runtime when the browser is first idle after load. Tests that must act
# before it starts (scan the page as built, shorten the start budget) add this init script: the
# pages' idle callbacks are held until `release_idle(page)`, which runs exactly what the page
# queued (nothing else changes).
HOLD_IDLE = """(() => {
  // No early start from the page's <head> (sitebuild/early_start.js): the runtime starts only from
  // the widgets' idle callbacks, held here until the test releases them.
  window.__ahamirrorEarly = { state: "taken", said: [] };
  const held = [];
  window.requestIdleCallback = (callback) => { held.push(callback); return held.length; };
  window.cancelIdleCallback = () => {};
  window.__releaseIdle = () =>
    held.splice(0).forEach((callback) => callback({ didTimeout: true, timeRemaining: () => 0 }));
})();"""


def release_idle(page) -> None:
    page.evaluate("() => window.__releaseIdle()")
