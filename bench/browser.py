"""What a visitor waits for and downloads, measured in Chromium (Playwright, Debian's build).

- start:  navigation start to the first live (Pyodide-computed) result on calculators/, read from
          window.__ahamirror.firstLiveMs; cold = fresh browser context, warm = a second navigation
          in the same context once the service worker is active. The bare floor (floor.py) runs
          in the same conditions, alternating with the site run by run.
- recalc: input event to the updated result in the DOM, for every widget that recomputes as the
          visitor types (liquidation, ladder, quick check, steps, lending: `recalc_kinds`), timed in
          the page (performance.now() at dispatch, a MutationObserver on the result section).
- bytes:  every response body, gzipped here at level 6 (the local server does not compress).

Pages run under the site's CSP, so everything in the page goes through page.evaluate with a
function, and waits are selectors (never wait_for_function strings).
"""

import gzip
import statistics
import time
from typing import Any

from sitebuild import layout

from . import CHROME_ARGS, CHROMIUM, floor
from .figures import Figure, percentile, ratios

CALC_PAGE = "calculators/"
CONTENT_PAGE = "mechanics/"
LIVE = '[data-widget="liquidation"] [data-result][data-source="live"]'
RUNTIME_MARK = "/assets/runtime/"
WORKER_MARK = "calc-worker.mjs"
TIMEOUT_MS = layout.BOOT_BUDGET_MS  # the page's own start-up budget

FIRST_LIVE = "() => (window.__ahamirror || {}).firstLiveMs"
FLOOR_DONE = "() => window.__floor"
# Where the time went: load event, when the worker script was requested, the worker's boot.
TIMELINE = """(workerMark) => {
  const nav = performance.getEntriesByType("navigation")[0] || {};
  const worker = performance.getEntriesByType("resource").find((entry) => entry.name.includes(workerMark));
  const metrics = window.__ahamirror || {};
  return { load: nav.loadEventEnd || null, worker: worker ? worker.startTime : null, boot: metrics.bootMs ?? null };
}"""
# Resolves once the page's service worker is active (its install precached the runtime).
SW_READY = """async (timeout) => {
  if (!("serviceWorker" in navigator)) return false;
  const registration = await Promise.race([
    navigator.serviceWorker.ready,
    new Promise((r) => setTimeout(() => r(null), timeout)),
  ]);
  return !!(registration && registration.active);
}"""

# Edit one field of one widget through `values`, one input event at a time; resolve each edit at the
# first mutation of the widget's result section. Returns ms per edit (null if no update within timeout)
# and whether the final result is a good one.
RECALC = """async ({kind, name, values, gapMs, timeout}) => {
  const root = document.querySelector(`[data-widget="${kind}"]`);
  const field = root.querySelector("form").elements[name];
  const result = root.querySelector("[data-result]");
  const times = [];
  for (const value of values) {
    const ms = await new Promise((resolve) => {
      let started = 0;
      const observer = new MutationObserver(() => {
        const now = performance.now();
        observer.disconnect();
        clearTimeout(timer);
        resolve(now - started);
      });
      const timer = setTimeout(() => { observer.disconnect(); resolve(null); }, timeout);
      observer.observe(result, { childList: true, subtree: true, characterData: true, attributes: true });
      field.value = String(value);
      started = performance.now();
      field.dispatchEvent(new Event("input", { bubbles: true }));
    });
    times.push(ms);
    // Let the rest of the answer (URL update, status) finish before the next edit.
    await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  return { times, stale: result.classList.contains("stale"), source: result.dataset.source || null,
           recalcs: window.__ahamirror.recalcs };
}"""


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)


# --- calculator start ------------------------------------------------------------------------------


def _site_start(page, url: str) -> dict:
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_selector(LIVE, state="attached", timeout=TIMEOUT_MS)
    value = page.evaluate(FIRST_LIVE)
    if value is None:
        raise RuntimeError("live result without window.__ahamirror.firstLiveMs")
    return {"ms": value, **page.evaluate(TIMELINE, WORKER_MARK)}


def _floor_start(page, url: str) -> dict:
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_selector("body[data-done]", state="attached", timeout=TIMEOUT_MS)
    state = page.evaluate(FLOOR_DONE)
    if state.get("error") or state.get("value") != 45:
        raise RuntimeError(f"the floor page failed: {state}")
    return {"ms": state["doneMs"], **page.evaluate(TIMELINE, "floor-worker.mjs")}


def _site_pair(browser, url: str) -> tuple:
    context = browser.new_context()
    try:
        page = context.new_page()
        cold = _site_start(page, url)
        sw = page.evaluate(SW_READY, 20_000)
        time.sleep(1.0)  # the "keep" message caches the visited page and its assets
        warm = _site_start(page, url)
        return cold, warm, sw
    finally:
        context.close()


def _floor_pair(browser, url: str) -> tuple:
    context = browser.new_context()
    try:
        page = context.new_page()
        cold = _floor_start(page, url)
        time.sleep(1.0)
        warm = _floor_start(page, url)
        return cold, warm
    finally:
        context.close()


def start_figures(browser, base: str, runs: int = 5, log=print) -> list[Figure]:
    site_url, floor_url = base + CALC_PAGE, base + floor.FOLDER + "/"
    rows: dict[str, list[dict | None]] = {"site_cold": [], "site_warm": [], "floor_cold": [], "floor_warm": []}
    sw_ready: list[bool] = []
    # One untimed pass of each first: the server's and Chromium's own first-use costs.
    _site_pair(browser, site_url)
    _floor_pair(browser, floor_url)
    for i in range(runs):

        def site(i: int) -> None:
            try:
                cold, warm, sw = _site_pair(browser, site_url)
            except Exception as error:  # a failed run is recorded as such, not retried
                log(f"  start {i + 1}/{runs} site FAILED: {error}")
                cold, warm, sw = None, None, False
            rows["site_cold"].append(cold)
            rows["site_warm"].append(warm)
            sw_ready.append(sw)

        def bare(i: int) -> None:
            try:
                cold, warm = _floor_pair(browser, floor_url)
            except Exception as error:
                log(f"  start {i + 1}/{runs} floor FAILED: {error}")
                cold, warm = None, None
            rows["floor_cold"].append(cold)
            rows["floor_warm"].append(warm)

        for step in (site, bare) if i % 2 == 0 else (bare, site):
            step(i)
        log(f"  start {i + 1}/{runs}  " + "  ".join(f"{k} {_ms(v[-1])}" for k, v in rows.items()))

    def col(name, key="ms"):
        return [r[key] if r else None for r in rows[name]]

    def after_worker(name):
        return [r["ms"] - r["worker"] if r and r.get("worker") is not None else None for r in rows[name]]

    def timeline(name):
        return {
            "load_event_ms": col(name, "load"),
            "worker_requested_ms": col(name, "worker"),
            "worker_boot_ms": col(name, "boot"),
        }

    sw_note = f"service worker active before the warm navigation in {sum(map(bool, sw_ready))}/{runs} runs"
    return [
        Figure(
            "start.site_cold",
            "calculator start, cold (to 1st live result)",
            "ms",
            col("site_cold"),
            note="navigation start to window.__ahamirror.firstLiveMs on calculators/, fresh context",
            extra={"timeline": timeline("site_cold")},
        ),
        Figure(
            "start.site_cold_worker_at",
            "  of which: navigation to worker request",
            "ms",
            col("site_cold", "worker"),
            note="the widgets start the runtime in requestIdleCallback after the load event",
        ),
        Figure(
            "start.site_cold_after_worker",
            "  of which: worker request to live result",
            "ms",
            after_worker("site_cold"),
            note="loadPyodide, loadPackage('calculators'), import, first call, result into the page",
        ),
        Figure(
            "start.site_cold_boot",
            "    (worker's own boot: loadPyodide + wheel + import)",
            "ms",
            col("site_cold", "boot"),
            note="window.__ahamirror.bootMs, measured in the worker",
        ),
        Figure(
            "start.site_warm",
            "calculator start, warm (2nd navigation)",
            "ms",
            col("site_warm"),
            note=sw_note,
            extra={"timeline": timeline("site_warm")},
        ),
        Figure(
            "start.floor_cold",
            "bare Pyodide floor, cold",
            "ms",
            col("floor_cold"),
            note="bare page + module worker: same runtime files, loadPyodide, one line of Python",
            extra={"timeline": timeline("floor_cold")},
        ),
        Figure(
            "start.floor_cold_worker_at",
            "  of which: navigation to worker request",
            "ms",
            col("floor_cold", "worker"),
            note="the floor's module script starts its worker as soon as it runs",
        ),
        Figure(
            "start.floor_cold_after_worker",
            "  of which: worker request to result",
            "ms",
            after_worker("floor_cold"),
            note="loadPyodide and one line of Python",
        ),
        Figure(
            "start.floor_warm",
            "bare Pyodide floor, warm (2nd navigation)",
            "ms",
            col("floor_warm"),
            note="HTTP cache only: the floor page registers no service worker",
            extra={"timeline": timeline("floor_warm")},
        ),
        Figure(
            "start.cold_ratio",
            "calculator start / floor, cold",
            "x",
            ratios(col("site_cold"), col("floor_cold")),
            "<=",
            1.15,
            note="per pair of runs taken back to back",
        ),
        Figure(
            "start.warm_ratio",
            "calculator start / floor, warm",
            "x",
            ratios(col("site_warm"), col("floor_warm")),
            note="per pair of runs taken back to back",
        ),
    ]


def _ms(value) -> str:
    return "failed" if value is None else f"{value['ms']:.0f} ms"


# --- recalculation -----------------------------------------------------------------------------------


# The widgets that recompute from their form on every input (the pause check's answer also depends on
# how long the visitor has paused, so it is left out, as in the browser suite's parity tests).
def recalc_kinds() -> list[str]:
    from calculators.web import registry

    return [kind for kind in registry.kinds() if "live-on-start" in registry.get(kind).behaviours]


def recalc_plan(kind: str, edits: int) -> tuple[str, list[str]]:
    """(field, values) for a widget's edits, every value valid, so every edit is a full compute and render.
    The liquidation calculator: leverage 2..101 and back down, as since the first bench. The others: their
    leverage where they have one, else their first required number, swept from 0.9x to 1.1x its default."""
    from calculators.web import registry

    if kind == "liquidation":
        up = list(range(2, 2 + edits // 2))
        return "leverage", [str(v) for v in (up + up[::-1][1:] + [1] * edits)[:edits]]
    fields = [f for f in registry.get(kind).fields if f.kind == "number" and f.default]
    field = next((f for f in fields if f.name == "leverage"), None) or next(f for f in fields if not f.optional)
    default = float(field.default.replace(",", ""))
    return field.name, [f"{default * (0.9 + 0.2 * (i % 50) / 49):.6g}" for i in range(edits)]


def recalc_figures(browser, base: str, sessions: int = 3, edits: int = 200, log=print) -> list[Figure]:
    """p50 and p95 of input-to-DOM time per widget: each session opens each widget page fresh."""
    from calculators.web import registry

    figures = []
    for kind in recalc_kinds():
        name, values = recalc_plan(kind, edits)
        warmup = recalc_plan(kind, 20)[1][::-1]
        page_path = registry.get(kind).page
        live = f'[data-widget="{kind}"] [data-result][data-source="live"]'
        p50s, p95s, pooled, problems = [], [], [], []
        for s in range(sessions):
            context = browser.new_context()
            try:
                page = context.new_page()
                page.goto(base + page_path, wait_until="commit", timeout=TIMEOUT_MS)
                page.wait_for_selector(live, state="attached", timeout=TIMEOUT_MS)
                args = {"kind": kind, "name": name, "gapMs": 5, "timeout": 5000}
                page.evaluate(RECALC, {**args, "values": warmup})
                out = page.evaluate(RECALC, {**args, "values": values})
            finally:
                context.close()
            times = out["times"]
            missing = sum(t is None for t in times)
            if missing or out["stale"] or out["source"] != "live":
                problems.append(
                    f"session {s + 1}: {missing} edits without an update, stale={out['stale']}, source={out['source']}"
                )
            good = [t for t in times if t is not None]
            p50s.append(percentile(good, 50))
            p95s.append(percentile(good, 95))
            pooled += good
            log(
                f"  recalc {kind} session {s + 1}/{sessions}: p50 {_or_na(p50s[-1])}  p95 {_or_na(p95s[-1])}  "
                f"max {_or_na(max(good, default=None))}  ({len(good)} edits of {name})"
            )
        note = (
            f"{kind}: {edits} edits of {name} per session after {len(warmup)} warm-up edits; "
            f"one session per fresh page (/{page_path})"
        )
        extra = {
            "widget": kind,
            "field": name,
            "pooled": {
                "edits": len(pooled),
                "p50": percentile(pooled, 50),
                "p95": percentile(pooled, 95),
                "p99": percentile(pooled, 99),
                "max": max(pooled) if pooled else None,
                "mean": statistics.fmean(pooled) if pooled else None,
            },
            "problems": problems,
        }
        figures += [
            Figure(f"recalc.{kind}.p50", f"{kind}: p50 (input to DOM)", "ms", p50s, note=note, extra=extra),
            Figure(f"recalc.{kind}.p95", f"{kind}: p95 (input to DOM)", "ms", p95s, "<=", 16, note=note),
        ]
    return figures


def _or_na(ms: float | None) -> str:
    return "n/a" if ms is None else f"{ms:.1f} ms"


# --- bytes ---------------------------------------------------------------------------------------------


class Recorder:
    """Every request of a page (its dedicated workers included) in order, and their responses."""

    def __init__(self, page):
        self.requests, self.responses = [], []
        self.worker_index = None
        page.on("request", self._request)
        page.on("response", self._response)

    def _request(self, request):
        if self.worker_index is None and WORKER_MARK in request.url:
            self.worker_index = len(self.requests)
        self.requests.append(request)

    def _response(self, response):
        self.responses.append(response)

    def measure(self, responses) -> dict:
        """raw and gzip bytes of these responses' bodies, in total and for the Pyodide runtime."""
        out: dict[str, Any] = {  # counters and file lists, as results.json stores them
            "requests": 0,
            "raw": 0,
            "gzip": 0,
            "pyodide_raw": 0,
            "pyodide_gzip": 0,
            "pyodide_files": [],
            "unreadable": [],
        }
        for response in responses:
            try:
                body = response.body()
            except Exception:  # e.g. a redirect: no body to count
                out["unreadable"].append(response.url)
                continue
            packed = len(gzip.compress(body, compresslevel=6))
            out["requests"] += 1
            out["raw"] += len(body)
            out["gzip"] += packed
            if RUNTIME_MARK in response.url:
                out["pyodide_raw"] += len(body)
                out["pyodide_gzip"] += packed
                out["pyodide_files"].append(response.url.rsplit("/", 1)[-1])
        return out

    def before_worker(self) -> list:
        if self.worker_index is None:
            return list(self.responses)
        early = {id(r) for r in self.requests[: self.worker_index]}
        return [r for r in self.responses if id(r.request) in early]


def _content_bytes(browser, url: str, settle_s: float = 1.5) -> dict:
    context = browser.new_context()
    try:
        page = context.new_page()
        recorder = Recorder(page)
        page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
        time.sleep(settle_s)  # past the widgets' idle callback: nothing may start on a content page
        return recorder.measure(list(recorder.responses))
    finally:
        context.close()


def _widget_bytes(browser, url: str) -> tuple[dict, dict]:
    context = browser.new_context()
    try:
        page = context.new_page()
        recorder = Recorder(page)
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_selector(LIVE, state="attached", timeout=TIMEOUT_MS)
        at_live = list(recorder.responses)
        before = recorder.measure([r for r in recorder.before_worker() if r in at_live])
        after = recorder.measure(at_live)
        return before, after
    finally:
        context.close()


def bytes_figures(browser, base: str, content_pages: list[str], runs: int = 3, log=print) -> list[Figure]:
    content, before, after = [], [], []
    for i in range(runs):
        content.append(_content_bytes(browser, base + CONTENT_PAGE))
        b, a = _widget_bytes(browser, base + CALC_PAGE)
        before.append(b)
        after.append(a)
        log(
            f"  bytes {i + 1}/{runs}: {CONTENT_PAGE} {content[-1]['gzip']} gz | {CALC_PAGE} before runtime "
            f"{b['gzip']} gz, at live result {a['gzip']} gz ({a['pyodide_gzip']} Pyodide)"
        )
    sweep = {}
    for path in content_pages:
        sweep[path] = _content_bytes(browser, base + path, settle_s=1.0)
    worst = max((m["pyodide_raw"] for m in sweep.values()), default=0)
    log(f"  bytes: {len(sweep)} content pages swept, most Pyodide bytes on one: {worst}")

    def pick(rows, key):
        return [r[key] for r in rows]

    share = [a["pyodide_gzip"] / a["gzip"] * 100 if a["gzip"] else None for a in after]
    share_raw = [a["pyodide_raw"] / a["raw"] * 100 if a["raw"] else None for a in after]
    live_extra = {
        "pyodide_files": sorted(set(after[-1]["pyodide_files"])) if after else [],
        "requests": pick(after, "requests"),
    }
    return [
        Figure(
            "bytes.content.gzip",
            f"content page {CONTENT_PAGE}, gzip",
            "B",
            pick(content, "gzip"),
            extra={"requests": pick(content, "requests")},
        ),
        Figure("bytes.content.raw", f"content page {CONTENT_PAGE}, raw", "B", pick(content, "raw")),
        Figure(
            "bytes.content.pyodide",
            f"content page {CONTENT_PAGE}, Pyodide bytes",
            "B",
            pick(content, "pyodide_raw"),
            "==",
            0,
        ),
        Figure(
            "bytes.content_all.pyodide",
            f"all {len(sweep)} content pages, Pyodide bytes (worst page)",
            "B",
            [worst],
            "==",
            0,
            note="one load per page, networkidle + 1 s",
            extra={
                "pages": {p: m["pyodide_raw"] for p, m in sweep.items()},
                "gzip": {p: m["gzip"] for p, m in sweep.items()},
            },
        ),
        Figure(
            "bytes.widget_before.gzip",
            f"widget page {CALC_PAGE} before runtime, gzip",
            "B",
            pick(before, "gzip"),
            note="responses to requests made before the calc-worker.mjs request",
            extra={"requests": pick(before, "requests")},
        ),
        Figure("bytes.widget_before.raw", f"widget page {CALC_PAGE} before runtime, raw", "B", pick(before, "raw")),
        Figure(
            "bytes.widget_before.pyodide",
            f"widget page {CALC_PAGE} before runtime, Pyodide",
            "B",
            pick(before, "pyodide_raw"),
        ),
        Figure(
            "bytes.widget_live.gzip",
            f"widget page {CALC_PAGE} at live result, gzip",
            "B",
            pick(after, "gzip"),
            extra=live_extra,
        ),
        Figure("bytes.widget_live.raw", f"widget page {CALC_PAGE} at live result, raw", "B", pick(after, "raw")),
        Figure("bytes.widget_live.pyodide_gzip", "  of which Pyodide runtime, gzip", "B", pick(after, "pyodide_gzip")),
        Figure(
            "bytes.widget_live.pyodide_share",
            "  Pyodide share of the gzip bytes",
            "%",
            share,
            extra={"share_of_raw_percent": share_raw},
        ),
    ]
