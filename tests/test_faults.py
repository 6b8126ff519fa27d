"""Issue 13, item 5: every runtime file broken on purpose, one way at a time (tests/fault_server.py).

For each file the page needs to go live (Pyodide's two modules and its wasm, the lean stdlib, the
lockfile, the wheel, the worker, the widget module) and each fault (404, a single-page-app's index
page, truncated, one byte flipped, a reset mid-body, 20 s slow), the calculators page must end in
the right state with the words of sitebuild/layout.py's RUNTIME_FAILURES, keep its pre-rendered
result, and get there within a bound taken from the boot budget: a broken file is reported within
a third of it, a slow one still goes live within it. A host refusing HEAD and a visitor going
offline in the middle of the load are covered too, and "Try again" brings the page live once the
file is fixed, without a reload.

Suite time: every case has its own server (own origin: no shared cache or service worker) and its
own browser context; the cases of one fault run at once in one browser and are then checked in
turn, so a fault costs about as long as its slowest case. Times are measured inside the page
(`performance.now()`, from the start of the navigation), not by the test's polling.
"""

import os
import pathlib
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page

from calculators.web import registry
from macros.widgets import AS_BUILT
from sitebuild import layout, runtime

from . import fault_server
from .browser_support import BOOT_MS, cpython, live, snapshot
from .conftest import PREFIX

pytestmark = pytest.mark.browser

PAGE = "calculators/"
# Fast failures: a third of the budget at most. Before, a damaged wasm took the whole budget; a
# missing file fails in about a second alone. Here 8 pages load at once: up to 9 s each in a
# fresh-clone run on a quiet 2-core machine (the wasm cases download and hash the whole file); the
# margin is for a machine loaded besides.
FAST_MS = BOOT_MS / 3
FAILURES = layout.RUNTIME_FAILURES

# The files, as URL-path patterns the fault server matches.
RUNTIME = f"*/{runtime.runtime_dir()}/"
TARGETS = {
    "pyodide.mjs": RUNTIME + "pyodide.mjs",
    "pyodide.asm.mjs": RUNTIME + "pyodide.asm.mjs",
    "pyodide.asm.wasm": RUNTIME + "pyodide.asm.wasm",
    "stdlib": RUNTIME + layout.STDLIB,
    "lockfile": RUNTIME + layout.LOCKFILE,
    "wheel": RUNTIME + "calculators-*.whl",
    "worker": "*/" + layout.WORKER,
    "widgets.mjs": "*/" + layout.WIDGETS,
}
# What the page must say for each fault of a runtime file or the worker (a kind of RUNTIME_FAILURES).
BROKEN = {"404": "missing", "spa": "page", "truncated": "damaged", "flipped": "damaged", "reset": "network"}
TIMES: list[tuple[str, str, str, float]] = []  # (file, fault, outcome, ms from navigation start)


@dataclass
class Case:
    target: str
    fault: str | None
    server: fault_server.FaultServer
    base: str
    page: Page
    kinds: tuple[str, ...] = field(default=())

    def metric(self, name: str):
        return self.page.evaluate("(name) => (window.__ahamirror || {})[name]", name)


def grid(times: list[tuple[str, str, str, float]]) -> str:
    """The per-file faults as one row per file, one column per fault (ms; the words are the column's
    kind, or "unavailable" for the widget module), then every other case on its own row."""
    faults = [*BROKEN, "slow"]
    cells = {(target, fault): f"{ms:.0f}" for target, fault, _, ms in times if fault in faults}
    lines = [
        "| ms from page load | " + " | ".join(f"{f} ({BROKEN.get(f, 'live')})" for f in faults) + " |",
        "| --- |" + " ---: |" * len(faults),
    ]
    lines += [f"| {target} | " + " | ".join(cells.get((target, f), "") for f in faults) + " |" for target in TARGETS]
    lines += ["", "(widgets.mjs broken: the build's \"unavailable\" words stay; the time is the page's load event.)"]
    others = [(target, fault, outcome, ms) for target, fault, outcome, ms in times if fault not in faults]
    if others:
        lines += ["", "| case | outcome | ms |", "| --- | --- | ---: |"]
        lines += [f"| {target}, {fault} | {outcome} | {ms:.0f} |" for target, fault, outcome, ms in others]
    return "\n".join(lines)


@pytest.fixture(scope="module", autouse=True)
def timetable(tmp_path_factory):
    """The table of times, printed at the end (`pytest -s`) and written under the session's temp
    folder (or to $AHAMIRROR_FAULT_TABLE). widgets.mjs's cells are the page's load event (its
    "unavailable" words are there from the start; the module has failed by then)."""
    yield
    if TIMES:
        table = grid(TIMES)
        out = pathlib.Path(os.environ.get("AHAMIRROR_FAULT_TABLE") or tmp_path_factory.getbasetemp() / "faults.md")
        out.write_text(table + "\n")
        print(f"\nInjected faults, time to the final state ({out}):\n{table}")


class Opener:
    """Opens cases, each with its own server and browser context, and closes them all at the end.
    (Not conftest's new_context: the batch of pages that must go live is module-scoped.)"""

    def __init__(self, built_site, browser, widget_pages) -> None:
        self.built_site, self.browser, self.kinds = built_site, browser, widget_pages[PAGE]
        self.opened: list[Case] = []

    def __call__(self, target: str, fault: str | None, patterns: tuple[str, ...] | None = None) -> Case:
        server, base = fault_server.start(self.built_site, PREFIX, fault, patterns or (TARGETS[target],))
        context = self.browser.new_context()
        context.set_default_timeout(BOOT_MS)
        page = context.new_page()
        page.goto(f"{base}/{PAGE}", wait_until="commit")  # no waiting: the cases load side by side
        case = Case(target, fault, server, base, page, self.kinds)
        self.opened.append(case)
        return case

    def close(self) -> None:
        for case in self.opened:
            case.page.context.close()
            fault_server.stop(case.server)


@pytest.fixture
def cases(built_site, browser, widget_pages):
    """open(target, fault) -> a Case whose page is already loading; all closed after the test."""
    opener = Opener(built_site, browser, widget_pages)
    yield opener
    opener.close()


def expected_markup(kind: str) -> str:
    return cpython(kind, registry.get(kind).defaults())["html"]


# Everything a case's verdict reads, in one round trip (the page's own view: Playwright's locators
# would cost a dozen round trips per widget, and the pages of a batch are read one after another).
STATE = """() => ({
  widgets: [...document.querySelectorAll("[data-widget]")].map((root) => {
    const retry = root.querySelector("[data-retry]");
    return {
      kind: root.dataset.widget,
      state: root.dataset.runtimeState || null,
      failure: root.dataset.runtimeFailure || null,
      status: root.querySelector("[data-status-text]").textContent,
      retry: retry && {
        text: retry.textContent, visible: retry.checkVisibility(), type: retry.type,
        announced: Boolean(retry.closest('[role="status"][aria-live]')),
      },
    };
  }),
  metrics: Object.assign({}, window.__ahamirror || {}),
  loaded: (performance.getEntriesByType("navigation")[0] || {}).loadEventEnd || 0,
})"""


def read_state(case: Case) -> dict:
    found = case.page.evaluate(STATE)
    assert [w["kind"] for w in found["widgets"]] == list(case.kinds)
    return found


def assert_prerendered_kept(case: Case) -> None:
    """The result shown is still the build's (CPython's markup for the defaults), never replaced."""
    for kind in case.kinds:
        snap = snapshot(case.page, kind, expected_markup(kind))
        assert snap["unwrapped"] == snap["canonical"], (
            f"{case.target}/{case.fault}: {kind}'s pre-rendered result changed"
        )
        assert snap["source"] is None and not snap["stale"], (case.target, case.fault, kind)
        assert not snap["markers"], f"{kind} shows a traceback or a generic error: {snap['markers']}"


def assert_failed(case: Case, failure: str, bound_ms: float = FAST_MS, since_ms: float = 0.0) -> float:
    """Every widget says the runtime could not start, with the words for `failure`, and offers to try
    again; returns the time of the failure."""
    for kind in case.kinds:
        case.page.wait_for_selector(f'[data-widget="{kind}"][data-runtime-state="failed"]', timeout=BOOT_MS)
    found = read_state(case)
    for widget in found["widgets"]:
        where = (case.target, case.fault, widget["kind"])
        assert widget["failure"] == failure, where
        assert widget["status"].startswith(f"The live calculator could not start ({FAILURES[failure]})."), where
        assert "your own inputs have not been used" in widget["status"], where
        # A real button (keyboard-reachable), visible, inside the live status region (announced).
        assert widget["retry"] == {"text": "Try again", "visible": True, "type": "button", "announced": True}, where
    assert_prerendered_kept(case)
    ms = found["metrics"].get("failedMs")
    assert ms is not None
    assert ms - since_ms < bound_ms, (
        f"{case.target}/{case.fault}: failed after {ms - since_ms:.0f} ms (bound {bound_ms:.0f})"
    )
    return ms


def assert_live(case: Case) -> float:
    """Every widget goes live, within the budget, without a failure shown on the way."""
    live_on_start = [k for k in case.kinds if "live-on-start" in registry.get(k).behaviours]
    assert live_on_start, "the page needs a widget that computes as soon as the runtime is ready"
    for kind in live_on_start:
        case.page.wait_for_selector(live(kind), timeout=BOOT_MS)
    for kind in case.kinds:
        case.page.wait_for_selector(f'[data-widget="{kind}"][data-runtime-state="ready"]', timeout=BOOT_MS)
    found = read_state(case)
    assert all(w["retry"] is None for w in found["widgets"]), (case.target, case.fault)
    assert found["metrics"].get("failedMs") is None, f"{case.target}/{case.fault}: a failure was shown first"
    ms = found["metrics"].get("firstLiveMs")
    assert ms is not None and ms < BOOT_MS, f"{case.target}/{case.fault}: live after {ms} ms"
    return ms


def assert_unavailable(case: Case) -> float:
    """Without the widget module nothing starts: the status keeps the build's "unavailable" words."""
    case.page.wait_for_load_state("load", timeout=BOOT_MS)  # module scripts run (or fail) before "load"
    found = read_state(case)
    for widget in found["widgets"]:
        assert (widget["state"], widget["retry"], widget["status"]) == (None, None, AS_BUILT), (case.fault, widget)
    assert_prerendered_kept(case)
    assert found["loaded"] < FAST_MS, f"widgets.mjs/{case.fault}: the page took {found['loaded']:.0f} ms to settle"
    return found["loaded"]


@pytest.mark.parametrize("fault", list(BROKEN))
def test_a_broken_file_is_reported_at_once_and_plainly(cases, fault):
    opened = [cases(target, fault) for target in TARGETS]
    for case in opened:
        if case.target == "widgets.mjs":
            ms, outcome = assert_unavailable(case), "unavailable"
        else:
            ms, outcome = assert_failed(case, BROKEN[fault]), f"failed: {BROKEN[fault]}"
        assert case.server.hits, f"{case.target}/{fault}: the fault was never served"
        TIMES.append((case.target, fault, outcome, ms))


# --- pages that must go live -----------------------------------------------------------------------
# The Pyodide starts are what costs time here, and too many at once on two cores is what could push
# a slow case past the budget (14 at once took a slow case to 49 s of the 60 on a quiet machine).
# So the slow files go in two groups of at most five pages. The first group (a module fixture) is
# opened by the retry test: while its files trickle in for a third of the budget, the retry cases
# fail, are retried and go live, so the two overlap instead of adding up. The second group opens
# once the first is live. The retry test comes first in this file for that reason.

# The retry cases: the files whose damaged copy a browser could keep (in its HTTP cache, or as an
# imported module), each way of breaking a download, plus a visitor who went offline mid-load.
RETRY = [
    ("pyodide.asm.wasm", "truncated"),
    ("pyodide.asm.mjs", "flipped"),
    ("worker", "truncated"),
    ("wheel", "reset"),
]


SLOW_FIRST = list(TARGETS)[:4]  # the rest, and the host refusing HEAD, open once these are live


@dataclass
class SlowBatch:
    opener: Opener
    first: list[Case]


@pytest.fixture(scope="module")
def slow_batch(built_site, browser, widget_pages):
    opener = Opener(built_site, browser, widget_pages)
    yield SlowBatch(opener, first=[opener(target, "slow") for target in SLOW_FIRST])
    opener.close()


def test_try_again_goes_live_once_the_file_is_fixed_without_a_reload(slow_batch, cases):
    opened = [cases(target, fault) for target, fault in RETRY]
    offline = cases("pyodide.asm.wasm", "hold")
    # Going offline in the middle of the load: the wasm is half sent when the network goes, and the
    # rest never comes. Timed from the moment the network went.
    assert offline.server.holding.wait(BOOT_MS / 1000), "the wasm was never requested"
    offline.page.context.set_offline(True)
    offline_at = offline.page.evaluate("() => performance.now()")
    offline.server.release.set()
    for case in opened:
        assert_failed(case, BROKEN[case.fault])
    ms = assert_failed(offline, "network", since_ms=offline_at)
    TIMES.append((offline.target, "offline mid-load", "failed: network (ms from going offline)", ms - offline_at))
    offline.page.context.set_offline(False)
    clicked = {}
    for case in [*opened, offline]:
        case.server.fault = None  # the host is fixed (or the visitor is back online)
        clicked[id(case)] = case.page.evaluate("() => { window.__faultSamePage = true; return performance.now(); }")
        # With the keyboard: the button is focused and pressed as a keyboard user would.
        button = case.page.locator(f'[data-widget="{case.kinds[0]}"] [data-retry]')
        button.focus()
        case.page.keyboard.press("Enter")
    for case in [*opened, offline]:
        live_on_start = [k for k in case.kinds if "live-on-start" in registry.get(k).behaviours]
        for kind in live_on_start:
            case.page.wait_for_selector(live(kind), timeout=BOOT_MS)
        for kind in case.kinds:
            case.page.wait_for_selector(f'[data-widget="{kind}"][data-runtime-state="ready"]', timeout=BOOT_MS)
        assert all(w["retry"] is None for w in read_state(case)["widgets"]), case.target
        assert case.page.evaluate("() => window.__faultSamePage") is True, "the page was reloaded"
        label = "offline mid-load" if case is offline else case.fault
        since = clicked[id(case)]
        TIMES.append(
            (case.target, f"{label}, fixed, Try again", "live (ms from the click)", case.metric("firstLiveMs") - since)
        )


def test_slow_files_and_a_host_refusing_head_still_go_live_within_the_budget(slow_batch):
    """Each file trickled over a third of the budget: slow is not broken. Beside them, a host that
    refuses HEAD for every file (nothing of the runtime may depend on HEAD)."""
    for case in slow_batch.first:
        TIMES.append((case.target, "slow", "live", assert_live(case)))
        assert case.server.hits, f"{case.target}: the slow file was never served"
    second = [slow_batch.opener(target, "slow") for target in TARGETS if target not in SLOW_FIRST]
    head = slow_batch.opener("every file", "head-refused", ("*",))
    for case in second:
        TIMES.append((case.target, "slow", "live", assert_live(case)))
        assert case.server.hits, f"{case.target}: the slow file was never served"
    TIMES.append((head.target, "head-refused", "live", assert_live(head)))
