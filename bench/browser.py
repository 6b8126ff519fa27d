"""What a visitor waits for and downloads, measured in Chromium (Playwright, Debian's build).

- start:  navigation start to the first live (Pyodide-computed) result on calculators/, read from
          window.__ahamirror.firstLiveMs; cold = fresh browser context, warm = a second navigation
          in the same context once the service worker is active. The stock floor (floor.py) runs
          in the same conditions, alternating with the site run by run. Unthrottled, and under the
          phone profile (PHONE: bench/throttle.py's CPU duty cycle and DevTools' network emulation).
- recalc: input event to the updated result in the DOM on every widget that recomputes as you
          type, timed in the page (performance.now() at dispatch, a MutationObserver on the result
          section), with the page's own split of each answer (worker, messaging, page).
- bytes:  bytes on the wire (bodies as the server encoded them) by the first live result, on a host
          that serves the precompressed brotli siblings and on one that only gzips on the fly.

Pages run under the site's CSP, so everything in the page goes through page.evaluate with a
function, and waits are selectors (never wait_for_function strings).
"""

import contextlib
import statistics
import time
from dataclasses import dataclass
from typing import Any

from sitebuild import layout

from . import CHROME_ARGS, CHROMIUM, floor, throttle
from .figures import Figure, percentile, ratios

CALC_PAGE = "calculators/"
CONTENT_PAGE = "mechanics/"
LIVE = '[data-widget="liquidation"] [data-result][data-source="live"]'
RUNTIME_MARK = "/assets/runtime/"
WORKER_MARK = "calc-worker.mjs"
TIMEOUT_MS = layout.BOOT_BUDGET_MS  # the page's own start-up budget

FIRST_LIVE = "() => (window.__ahamirror || {}).firstLiveMs"
# Installed before any page script runs: every long task of the page's main thread (the worker's
# work is not the page's and cannot block input).
LONG_TASKS = """(() => {
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (error) {}
})();"""
# Total blocking time as Lighthouse defines it (the part of each long task beyond 50 ms), from
# first contentful paint to `until` (here the first live result, when the page is done starting).
BLOCKING = """(until) => {
  const fcp = (performance.getEntriesByName("first-contentful-paint")[0] || {}).startTime || 0;
  let total = 0;
  for (const [start, duration] of window.__longTasks || []) {
    const end = Math.min(start + duration, until);
    const from = Math.max(start, fcp);
    if (end - from > 50) total += end - from - 50;
  }
  return total;
}"""
FLOOR_DONE = "() => window.__floor"
# Where the time went: load event, when the worker script was requested, the worker's boot.
TIMELINE = """(workerMark) => {
  const nav = performance.getEntriesByType("navigation")[0] || {};
  const worker = performance.getEntriesByType("resource").find((entry) => entry.name.includes(workerMark));
  const metrics = window.__ahamirror || {};
  const phases = metrics.bootPhases || {};
  return { load: nav.loadEventEnd || null, worker: worker ? worker.startTime : null, boot: metrics.bootMs ?? null,
    python: phases.python ?? null };
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
  const times = [], parts = [];
  for (const value of values) {
    const ms = await new Promise((resolve) => {
      let started = 0;
      const observer = new MutationObserver(() => {
        const now = performance.now();
        observer.disconnect();
        clearTimeout(timer);
        parts.push(window.__ahamirror.lastRecalc || null);  // the page's own split of this answer
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
  return { times, parts, stale: result.classList.contains("stale"), source: result.dataset.source || null,
           recalcs: window.__ahamirror.recalcs };
}"""


# Marks this bench's Chromium so the CPU throttle finds its renderers and no other browser's.
TAG = throttle.marker()


@dataclass(frozen=True)
class Profile:
    """Conditions of a start run. `None` fields: the machine as it is."""

    name: str
    label: str
    cpu_slowdown: float = 1.0
    latency_ms: float | None = None
    down_mbit: float | None = None
    up_mbit: float | None = None
    start_target: float | None = None  # the most the calculator's cold start may be, as a share of the floor's

    def apply(self, context, page) -> None:
        if self.latency_ms is not None and self.down_mbit is not None and self.up_mbit is not None:
            cdp = context.new_cdp_session(page)
            throttle.network(cdp, self.latency_ms, self.down_mbit, self.up_mbit)

    def cpu(self) -> throttle.CpuThrottle:
        return throttle.CpuThrottle(TAG, self.cpu_slowdown)


# Issue 11's targets: cold first live result within 0.6x the stock floor on this machine, and
# 0.75x under a phone-like profile (4x slower CPU, 10 Mbit/s both ways, 40 ms round trip).
UNTHROTTLED = Profile("unthrottled", "unthrottled", start_target=0.6)
PHONE = Profile("phone", "phone profile (4x CPU, 10 Mbit/s, 40 ms)", 4.0, 40.0, 10.0, 10.0, start_target=0.75)
PROFILES = (UNTHROTTLED, PHONE)


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROME_ARGS, TAG])


# --- calculator start ------------------------------------------------------------------------------


def _site_start(page, url: str) -> dict:
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_selector(LIVE, state="attached", timeout=TIMEOUT_MS)
    value = page.evaluate(FIRST_LIVE)
    if value is None:
        raise RuntimeError("live result without window.__ahamirror.firstLiveMs")
    return {"ms": value, "tbt": page.evaluate(BLOCKING, value), **page.evaluate(TIMELINE, WORKER_MARK)}


def _floor_start(page, url: str) -> dict:
    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    page.wait_for_selector("body[data-done]", state="attached", timeout=TIMEOUT_MS)
    state = page.evaluate(FLOOR_DONE)
    if state.get("error") or state.get("value") != 45:
        raise RuntimeError(f"the floor page failed: {state}")
    return {
        "ms": state["doneMs"],
        "tbt": page.evaluate(BLOCKING, state["doneMs"]),
        **page.evaluate(TIMELINE, "floor-worker.mjs"),
    }


def _page(browser, profile: Profile):
    context = browser.new_context()
    context.add_init_script(LONG_TASKS)
    page = context.new_page()
    profile.apply(context, page)
    return context, page


def _site_pair(browser, url: str, profile: Profile) -> tuple:
    context, page = _page(browser, profile)
    try:
        with profile.cpu():
            cold = _site_start(page, url)
            sw = page.evaluate(SW_READY, 20_000)
            time.sleep(1.0)  # the page writes its pages cache once the result is live
            warm = _site_start(page, url)
        return cold, warm, sw
    finally:
        context.close()


def _floor_pair(browser, url: str, profile: Profile) -> tuple:
    context, page = _page(browser, profile)
    try:
        with profile.cpu():
            cold = _floor_start(page, url)
            time.sleep(1.0)
            warm = _floor_start(page, url)
        return cold, warm
    finally:
        context.close()


def start_figures(browser, base: str, runs: int = 5, profile: Profile = UNTHROTTLED, log=print) -> list[Figure]:
    site_url, floor_url = base + CALC_PAGE, base + floor.FOLDER + "/"
    rows: dict[str, list[dict | None]] = {"site_cold": [], "site_warm": [], "floor_cold": [], "floor_warm": []}
    sw_ready: list[bool] = []
    # One untimed pass of each first: the server's and Chromium's own first-use costs.
    _site_pair(browser, site_url, profile)
    _floor_pair(browser, floor_url, profile)
    for i in range(runs):

        def site(i: int) -> None:
            try:
                cold, warm, sw = _site_pair(browser, site_url, profile)
            except Exception as error:  # a failed run is recorded as such, not retried
                log(f"  start {i + 1}/{runs} site FAILED: {error}")
                cold, warm, sw = None, None, False
            rows["site_cold"].append(cold)
            rows["site_warm"].append(warm)
            sw_ready.append(sw)

        def bare(i: int) -> None:
            try:
                cold, warm = _floor_pair(browser, floor_url, profile)
            except Exception as error:
                log(f"  start {i + 1}/{runs} floor FAILED: {error}")
                cold, warm = None, None
            rows["floor_cold"].append(cold)
            rows["floor_warm"].append(warm)

        for step in (site, bare) if i % 2 == 0 else (bare, site):
            step(i)
        log(f"  start {profile.name} {i + 1}/{runs}  " + "  ".join(f"{k} {_ms(v[-1])}" for k, v in rows.items()))

    def col(name, key="ms"):
        return [r[key] if r else None for r in rows[name]]

    def after_worker(name):
        return [r["ms"] - r["worker"] if r and r.get("worker") is not None else None for r in rows[name]]

    def timeline(name):
        return {
            "load_event_ms": col(name, "load"),
            "worker_requested_ms": col(name, "worker"),
            "worker_boot_ms": col(name, "boot"),
            "worker_python_up_ms": col(name, "python"),
        }

    sw_note = f"service worker active before the warm navigation in {sum(map(bool, sw_ready))}/{runs} runs"
    key = "start." if profile is UNTHROTTLED else f"start.{profile.name}."
    tag = "" if profile is UNTHROTTLED else f" [{profile.name}]"
    return [
        Figure(
            key + "site_cold",
            f"calculator start, cold (to 1st live result){tag}",
            "ms",
            col("site_cold"),
            note=f"navigation start to window.__ahamirror.firstLiveMs on calculators/, fresh context; {profile.label}",
            extra={"timeline": timeline("site_cold")},
        ),
        Figure(
            key + "site_cold_worker_at",
            "  of which: navigation to worker request",
            "ms",
            col("site_cold", "worker"),
            note="an inline script in the <head> of widget pages starts the worker as the parser reaches it",
        ),
        Figure(
            key + "site_cold_after_worker",
            "  of which: worker request to live result",
            "ms",
            after_worker("site_cold"),
            note="loadPyodide with the lean stdlib and the wheel preloaded, import, first call, result into the page",
        ),
        Figure(
            key + "site_cold_boot",
            "    (worker's own boot: checks, loadPyodide, wheel, import, first widget's module)",
            "ms",
            col("site_cold", "boot"),
            note="window.__ahamirror.bootMs, measured in the worker, until every file is checked",
        ),
        Figure(
            key + "site_cold_python",
            "      of which: until Python is up (loadPyodide)",
            "ms",
            col("site_cold", "python"),
            note="window.__ahamirror.bootPhases.python: the boot message to loadPyodide's end",
        ),
        Figure(
            key + "site_warm",
            f"calculator start, warm (2nd navigation){tag}",
            "ms",
            col("site_warm"),
            note=sw_note,
            extra={"timeline": timeline("site_warm")},
        ),
        Figure(
            key + "floor_cold",
            f"stock Pyodide floor, cold{tag}",
            "ms",
            col("floor_cold"),
            note="bare page, module worker: loadPyodide({indexURL}) on the npm package's own files, one line of Python",
            extra={"timeline": timeline("floor_cold")},
        ),
        Figure(
            key + "floor_warm",
            f"stock Pyodide floor, warm (2nd navigation){tag}",
            "ms",
            col("floor_warm"),
            note="HTTP cache only: the floor page registers no service worker",
            extra={"timeline": timeline("floor_warm")},
        ),
        Figure(
            key + "cold_ratio",
            f"calculator start / stock floor, cold{tag}",
            "x",
            ratios(col("site_cold"), col("floor_cold")),
            "<=",
            profile.start_target,
            note="per pair of runs taken back to back, alternating which goes first",
        ),
        Figure(
            key + "warm_ratio",
            f"calculator start / stock floor, warm{tag}",
            "x",
            ratios(col("site_warm"), col("floor_warm")),
            note="per pair of runs taken back to back",
        ),
        Figure(
            key + "tbt_site_cold",
            f"total blocking time to 1st live result, cold{tag}",
            "ms",
            col("site_cold", "tbt"),
            note="long tasks of the page's main thread after first contentful paint, beyond 50 ms each",
        ),
        Figure(
            key + "tbt_floor_cold",
            f"  the stock floor's, cold{tag}",
            "ms",
            col("floor_cold", "tbt"),
        ),
    ]


def cpu_figures(browser, base: str, profile: Profile, runs: int = 3, log=print) -> list[Figure]:
    """The slowdown the profile's CPU throttle achieved, on the page's main thread and in a worker:
    a fixed busy loop timed with and without it, alternately."""
    url = base + floor.FOLDER + "/spin.html"
    times: dict[str, list[float | None]] = {"main": [], "worker": [], "main_t": [], "worker_t": []}
    for i in range(runs):
        for throttled in (False, True) if i % 2 == 0 else (True, False):
            context = browser.new_context()
            try:
                page = context.new_page()
                with profile.cpu() if throttled else contextlib.nullcontext():
                    page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
                    page.wait_for_selector("body[data-done]", state="attached", timeout=TIMEOUT_MS)
                    spin = page.evaluate("() => window.__spin")
            finally:
                context.close()
            suffix = "_t" if throttled else ""
            times["main" + suffix].append(spin["main"])
            times["worker" + suffix].append(spin["worker"])
    log(f"  cpu check: {times}")
    return [
        Figure(
            f"cpu.{profile.name}.main",
            f"CPU slowdown achieved, page main thread [{profile.name}]",
            "x",
            ratios(times["main_t"], times["main"]),
            note=f"asked: {profile.cpu_slowdown:g}x; a busy loop, throttled / not, run by run",
        ),
        Figure(
            f"cpu.{profile.name}.worker",
            f"CPU slowdown achieved, worker [{profile.name}]",
            "x",
            ratios(times["worker_t"], times["worker"]),
            note="the Python runtime runs in a worker: DevTools' own CPU throttle would leave it at 1x",
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
        split: dict[str, list[float]] = {"total": [], "worker": [], "messaging": [], "page": []}
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
            for part in out["parts"]:
                for key in split:
                    if part and part.get(key) is not None:
                        split[key].append(part[key])
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
        split_p50 = {key: percentile(v, 50) for key, v in split.items()}
        split_p95 = {key: percentile(v, 95) for key, v in split.items()}
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
            # Median ms of each part of an answer, pooled over sessions: in the worker (JSON and
            # Python), messaging both ways (and queueing), and the page's handling up to the swap.
            "split_p50": split_p50,
            "split_p95": split_p95,
        }
        log(
            f"  recalc {kind} split p50: "
            + ", ".join(f"{k} {_or_na(v)}" for k, v in split_p50.items())
            + " | p95: "
            + ", ".join(f"{k} {_or_na(v)}" for k, v in split_p95.items())
        )
        figures += [
            Figure(f"recalc.{kind}.p50", f"{kind}: p50 (input to DOM)", "ms", p50s, note=note, extra=extra),
            Figure(f"recalc.{kind}.p95", f"{kind}: p95 (input to DOM)", "ms", p95s, "<=", 16, note=note),
        ]
    return figures


def _or_na(ms: float | None) -> str:
    return "n/a" if ms is None else f"{ms:.1f} ms"


# --- bytes ---------------------------------------------------------------------------------------------

# What the site may download by its first live result (issue 11): on a host that gzips on the fly
# and on one that serves the precompressed brotli siblings.
HOSTS = {
    "gzip": ("gzip host (compresses on the fly, like GitHub Pages)", 4.5e6),
    "br": ("brotli host (serves the .br siblings, like Caddy or GitLab Pages)", 3.8e6),
}


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
        """Bytes on the wire (bodies as the server encoded them) and decoded, in total and for the
        Pyodide runtime, with the encoding of each runtime file."""
        out: dict[str, Any] = {  # counters and file lists, as results.json stores them
            "requests": 0,
            "wire": 0,
            "raw": 0,
            "pyodide_wire": 0,
            "pyodide_raw": 0,
            "pyodide_files": {},
            "unreadable": [],
        }
        for response in responses:
            try:
                body = response.body()
                wire = response.request.sizes()["responseBodySize"]
            except Exception:  # e.g. a redirect: no body to count
                out["unreadable"].append(response.url)
                continue
            # A second load of a file from the browser's memory cache (the worker imports the
            # Pyodide modules it has just fetched and checked) sent nothing, yet its reported body
            # size is negative (minus its headers' size): it counts as 0, and does not replace the
            # file's real transfer below.
            if wire < 0:
                wire = 0
            out["requests"] += 1
            out["wire"] += wire
            out["raw"] += len(body)
            if RUNTIME_MARK in response.url:
                out["pyodide_wire"] += wire
                out["pyodide_raw"] += len(body)
                name = response.url.rsplit("/", 1)[-1]
                if wire or name not in out["pyodide_files"]:
                    out["pyodide_files"][name] = [wire, response.headers.get("content-encoding") or "identity"]
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


def bytes_figures(browser, bases: dict[str, str], content_pages: list[str], runs: int = 3, log=print) -> list[Figure]:
    """`bases`: the site's base URL on each host of HOSTS, served side by side."""
    figures: list[Figure] = []
    content = [_content_bytes(browser, bases["br"] + CONTENT_PAGE) for _ in range(runs)]
    sweep = {path: _content_bytes(browser, bases["br"] + path, settle_s=1.0) for path in content_pages}
    worst = max((m["pyodide_raw"] for m in sweep.values()), default=0)
    log(f"  bytes: {CONTENT_PAGE} {content[-1]['wire']} B; {len(sweep)} content pages, most Pyodide bytes: {worst}")
    figures += [
        Figure(
            "bytes.content.wire",
            f"content page {CONTENT_PAGE}, on the wire",
            "B",
            [c["wire"] for c in content],
            extra={"requests": [c["requests"] for c in content]},
        ),
        Figure(
            "bytes.content_all.pyodide",
            f"all {len(sweep)} content pages, Pyodide bytes (worst page)",
            "B",
            [worst],
            "==",
            0,
            note="one load per page, networkidle + 1 s",
            extra={"pages": {p: m["pyodide_raw"] for p, m in sweep.items()}},
        ),
    ]
    rows: dict[str, tuple[list, list]] = {host: ([], []) for host in HOSTS}
    for i in range(runs):
        order = list(HOSTS) if i % 2 == 0 else list(reversed(HOSTS))  # alternate which host goes first
        for host in order:
            early, live = _widget_bytes(browser, bases[host] + CALC_PAGE)
            rows[host][0].append(early)
            rows[host][1].append(live)
            log(
                f"  bytes {host} {i + 1}/{runs}: {CALC_PAGE} before runtime {early['wire']} B, "
                f"at live result {live['wire']} B ({live['pyodide_wire']} B Pyodide)"
            )
    for host, (label, limit) in HOSTS.items():
        before, after = rows[host]
        figures += [
            Figure(
                f"bytes.{host}.widget_before",
                f"widget page {CALC_PAGE} before the runtime, {host}",
                "B",
                [b["wire"] for b in before],
                note="responses to requests made before the calc-worker.mjs request",
            ),
            Figure(
                f"bytes.{host}.widget_live",
                f"widget page {CALC_PAGE} by the 1st live result, {host}",
                "B",
                [a["wire"] for a in after],
                "<=",
                limit,
                note=label,
                extra={"files": after[-1]["pyodide_files"] if after else {}, "raw": [a["raw"] for a in after]},
            ),
            Figure(
                f"bytes.{host}.pyodide",
                "  of which the Python runtime",
                "B",
                [a["pyodide_wire"] for a in after],
            ),
        ]
    return figures
