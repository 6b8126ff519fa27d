// In-page calculators. All math and all result markup come from Python (calculators/ in a
// Pyodide worker); this file only starts the runtime, moves form values to it as data, and puts
// the answers where they belong. Nothing here computes a financial figure.

// Per-widget switches and shared settings (the boot budget, the journal's storage key, the
// offline cache's name) arrive as the widget's data attributes, written by the build from
// calculators/web/registry.py and sitebuild/layout.py: nothing here is a second copy of them.
const runtime = { worker: null, ready: null, state: "idle", message: "", kind: "", attempt: 0, nextId: 1, pending: new Map(), controllers: new Set() };
// Exposed for the benchmarks and tests: timings only, never a visitor's numbers.
const metrics = (window.__ahamirror = window.__ahamirror || { firstLiveMs: null, bootMs: null, lastRecalcMs: null, recalcs: 0, pageKept: false });

// --- the runtime: one worker per tab, kept across Material's instant navigation ----------------

// The worker's sha256, written here by the build (sitebuild/integrity.py): a worker that arrives
// damaged is reported as such, whether or not it still parses.
const WORKER_SHA256 = "";  // filled in by sitebuild/integrity.py

// The plain phrase for a kind of failure (sitebuild/layout.py's RUNTIME_FAILURES, via the widget).
function failureText(root, kind) {
  let table = {};
  try {
    table = JSON.parse(root.dataset.failures || "{}");
  } catch (error) {
    console.debug("ahamirror: unreadable data-failures", error);
  }
  return table[kind] || table.crashed || kind;
}

// The worker script is checked as the worker checks the runtime (status, type, whole body, sha256):
// a worker that fails to load only raises a bare error event, which says nothing about why.
// Resolves to the kind of fault, or "" when the file is the one the build made.
async function checkWorker(url, cache) {
  let response;
  try {
    response = await fetch(url, { cache, credentials: "same-origin" });
  } catch (error) {
    console.error("ahamirror: the calculator worker could not be fetched", error);
    return "network";
  }
  if (response.status === 404 || response.status === 410) return "missing";
  if (!response.ok) return "refused";
  if (/text\/html/i.test(response.headers.get("content-type") || "")) return "page";
  let body;
  try {
    body = await response.arrayBuffer();
  } catch (error) {
    console.error("ahamirror: the calculator worker broke off", error);
    return "network";
  }
  if (!WORKER_SHA256 || !crypto.subtle) return "";
  const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", body))]
    .map((byte) => byte.toString(16).padStart(2, "0")).join("");
  if (digest === WORKER_SHA256) return "";
  console.error(`ahamirror: the calculator worker arrived damaged (sha256 ${digest}, expected ${WORKER_SHA256})`);
  return "damaged";
}

function startRuntime(root) {
  if (runtime.ready) return runtime.ready;
  // Each start is one attempt; a retry starts a new one, and whatever the old one still reports is ignored.
  const attempt = (runtime.attempt = (runtime.attempt || 0) + 1);
  const current = () => attempt === runtime.attempt;
  const retry = attempt > 1;
  Object.assign(runtime, { state: "starting", progress: 0, message: "", kind: "" });
  broadcast();
  runtime.ready = new Promise((resolve, reject) => {
    const fail = (kind, keepWorker = false) => {
      if (!current() || runtime.state !== "starting") return;
      clearTimeout(timer);
      runtime.state = "failed";
      runtime.kind = kind;
      runtime.message = failureText(root, kind);
      metrics.failedMs = performance.now();  // for the tests' table of time to the message
      releaseSearch("failed");
      // A worker that is only slow may still arrive (lateStart); a broken one is stopped.
      if (!keepWorker && runtime.worker) runtime.worker.terminate();
      broadcast();
      reject(new Error(runtime.message));
    };
    const timer = setTimeout(() => fail("slow", true), Number(root.dataset.bootBudgetMs));
    const url = new URL(root.dataset.worker, location.href).href;
    // On a retry the check goes past the HTTP cache first (which also refreshes it), so the new
    // worker does not start from the damaged copy that failed before.
    const checked = checkWorker(url, retry ? "reload" : "default");
    checked.then((kind) => kind && fail(kind));
    const early = takeEarlyWorker(retry);
    (retry ? checked : Promise.resolve("")).then((kind) => {
      if (kind || !current()) return;
      let worker = early && early.worker;
      try {
        worker = worker || new Worker(url, { type: "module" });
      } catch (error) {
        console.error("ahamirror: this browser cannot start a module worker", error);
        fail("unsupported");
        return;
      }
      runtime.worker = worker;
      metrics.workerFrom = early ? "head" : "widgets";  // which start made it (the tests check the early one)
      worker.onmessage = (event) => {
        const message = event.data || {};
        if (message.type === "ready") {
          // Live only with the worker the build made: its own check may still be on its way.
          checked.then((fault) => {
            if (fault || !current()) return;
            clearTimeout(timer);
            metrics.bootMs = message.ms;
            metrics.bootPhases = message.phases;
            if (runtime.state === "failed") {
              lateStart();
              return;
            }
            runtime.state = "ready";
            broadcast();
            resolve();
          });
        } else if (message.type === "progress") {
          if (!current()) return;
          runtime.progress = message.done;
          broadcast();
        } else if (message.type === "failed") {
          fail(message.kind || "crashed");
        } else if (message.type === "result") {
          const settle = runtime.pending.get(message.id);
          runtime.pending.delete(message.id);
          metrics.lastWorkerMs = message.ms;
          if (settle) settle(message.response);
        }
      };
      // The worker script did not load or run (missing, a web page, damaged, cut off): the check
      // says which; if the file is fine, it failed while starting.
      worker.onerror = (event) => {
        event.preventDefault();
        checked.then((kind) => fail(kind || "crashed"));
      };
      // A worker the page's early start made (sitebuild/early_start.js) has its boot message already:
      // what it said since is handled now, in order, before anything it says next.
      if (early) early.said.forEach((event) => (event.type === "error" ? worker.onerror(event) : worker.onmessage(event)));
      else worker.postMessage(bootMessage(root, retry));
    });
  });
  runtime.ready.catch(() => {});
  return runtime.ready;
}

// What starts the worker (sitebuild/early_start.js sends the same from the page's <head>).
function bootMessage(root, retry) {
  const widgets = [...new Set([...document.querySelectorAll("[data-widget]")].map((el) => el.dataset.widget))];
  return { type: "boot", runtime: new URL(root.dataset.runtime, location.href).href, lockfile: root.dataset.lockfile, stdlib: root.dataset.stdlib, retry, widgets };
}

// The page's early start holds back Material's search index until the first answer or a failure
// (sitebuild/early_start.js): the runtime's start is over either way.
function releaseSearch(why) {
  const early = window.__ahamirrorEarly;
  if (early && early.releaseSearch) early.releaseSearch(why);
}

// The worker the page's inline early start made, on the first attempt only, and only once (a retry
// needs a new worker).
function takeEarlyWorker(retry) {
  const early = window.__ahamirrorEarly;
  if (!early || retry) return null;
  const started = early.state === "started";
  early.state = "taken";
  return started ? early : null;
}

// "Try again": a new worker, files fetched past the HTTP cache, no page reload. Every widget of the
// page that had started goes live on the new runtime.
function retryRuntime(ctl) {
  if (runtime.state !== "failed") return;
  if (runtime.worker) runtime.worker.terminate();
  runtime.worker = null;
  runtime.ready = null;
  runtime.pending.clear();
  startRuntime(ctl.root);
  for (const other of runtime.controllers) {
    if (!other.root.isConnected) continue;
    other.started = true;
    runtime.ready.then(() => wentLive(other), () => {});
  }
  // The button is hidden now: keep the keyboard where it was, on this widget's status.
  const text = ctl.root.querySelector("[data-status-text]");
  text.tabIndex = -1;
  text.focus();
}

function retryButton(ctl) {
  let button = ctl.root.querySelector("[data-retry]");
  if (!button) {
    button = document.createElement("button");
    button.type = "button";
    button.className = "md-button widget-retry";
    button.dataset.retry = "";
    button.textContent = "Try again";
    button.addEventListener("click", () => retryRuntime(ctl));
    ctl.root.querySelector("[data-status]").append(button);
  }
  return button;
}

// The runtime arrived after the start timeout had already reported a failure. It goes live after
// all, and every widget that had started recomputes from its current inputs, so "Live" is never
// shown beside a result computed for other inputs (the build's, for the defaults).
function lateStart() {
  runtime.state = "ready";
  runtime.message = "";
  runtime.ready = Promise.resolve();
  broadcast();
  for (const ctl of runtime.controllers) if (ctl.started) wentLive(ctl);
}

function call(request) {
  return runtime.ready.then(() => new Promise((resolve) => {
    const id = runtime.nextId++;
    runtime.pending.set(id, resolve);
    runtime.worker.postMessage({ type: "call", id, request });
  }));
}

function broadcast() {
  for (const ctl of [...runtime.controllers]) {
    if (!ctl.root.isConnected) runtime.controllers.delete(ctl);
    else showStatus(ctl);
  }
}

function showStatus(ctl) {
  const text = ctl.root.querySelector("[data-status-text]");
  const progress = ctl.root.querySelector("[data-progress]");
  ctl.root.setAttribute("data-runtime-state", runtime.state);
  if (runtime.state === "idle") {
    text.textContent = text.dataset.waiting;  // the widget code is here: the live calculator can start
  } else if (runtime.state === "starting") {
    // Determinate steps, not an endless animation: an animated bar repaints the page all through
    // the start, on the main thread the visitor is using.
    progress.hidden = false;
    progress.value = runtime.progress || 0;
    text.textContent = "Starting the calculator: a one-time download of a few megabytes, then it runs in your browser.";
  } else if (runtime.state === "ready") {
    progress.hidden = true;
    text.textContent = "Live: results update as you type. Everything runs in your browser; nothing is sent anywhere.";
  } else if (runtime.state === "failed") {
    progress.hidden = true;
    text.textContent = `The live calculator could not start (${runtime.message}). The result shown was computed ` +
      "when this page was built, for the default inputs; your own inputs have not been used.";
  }
  const failed = runtime.state === "failed";
  if (failed) ctl.root.setAttribute("data-runtime-failure", runtime.kind);
  else ctl.root.removeAttribute("data-runtime-failure");
  // Only while it can help (the theme's button style would override a `hidden` attribute).
  if (failed) retryButton(ctl);
  else ctl.root.querySelector("[data-retry]")?.remove();
}

// --- widgets -------------------------------------------------------------------------------------

function bindAll() {
  document.querySelectorAll("[data-widget]").forEach(bind);
}

function bind(root) {
  if (root.dataset.bound) return;
  root.dataset.bound = "true";
  const does = new Set((root.dataset.behaviours || "").split(" ").filter(Boolean));
  // `pausedSince`: when the pause began counting, for the answers Python returned as `pauseBasis`.
  const ctl = { root, kind: root.dataset.widget, does, form: root.querySelector("form"), seq: 0, overrides: {}, pausedSince: null, pauseBasis: null, entries: [], timer: null,
    // Fields the visitor typed in keep their value; fields that follow another (the venue's rate,
    // fee and contract) are refilled by Python when that one changes (`refill` stays set until an
    // answer that carried it is shown).
    touched: new Set(), follows: new Set((root.dataset.follows || "").split(" ").filter(Boolean)), refill: false };
  runtime.controllers.add(ctl);
  if (does.has("share") || does.has("from-link")) restoreFromUrl(ctl);
  showStatus(ctl);

  const begin = () => start(ctl);
  ctl.form.addEventListener("focusin", begin, { once: true });
  ctl.form.addEventListener("input", (event) => edited(ctl, event));
  ctl.form.addEventListener("change", (event) => edited(ctl, event));
  ctl.form.addEventListener("submit", (event) => { event.preventDefault(); submitted(ctl); });
  if (does.has("journal")) bindJournal(ctl);
  whenIdle(begin);
}

function start(ctl) {
  if (ctl.started) return;
  ctl.started = true;
  startRuntime(ctl.root).then(() => wentLive(ctl), () => {});
}

function wentLive(ctl) {
  if (!ctl.root.isConnected) return;
  // The first live result, from the current inputs (with any edits made while the runtime started).
  if (ctl.does.has("live-on-start") || ctl.edited) recalc(ctl);
  if (ctl.does.has("journal")) loadJournal(ctl);
}

function whenIdle(callback) {
  // "Idle after first paint": a frame has been painted, then the first idle moment (or 100 ms).
  // Waiting for the load event as well would cost half a second for nothing.
  const idle = () => ("requestIdleCallback" in window ? requestIdleCallback(callback, { timeout: 100 }) : setTimeout(callback, 50));
  requestAnimationFrame(() => setTimeout(idle, 0));
}

function edited(ctl, event) {
  const name = event.target && event.target.name;
  if (name) {
    delete ctl.overrides[name];
    if (ctl.follows.has(name)) ctl.refill = true;
    else ctl.touched.add(name);
  }
  if (event.target && event.target.type === "file") return;
  ctl.edited = true;
  start(ctl);
  if (runtime.state === "ready") recalc(ctl);
}

function submitted(ctl) {
  start(ctl);
  if (ctl.does.has("timed")) runtime.ready.then(() => recalc(ctl, { save: true }), () => {});
  else if (runtime.state === "ready") recalc(ctl);
}

function values(ctl) {
  const out = {};
  for (const element of ctl.form.elements) {
    if (element.name && element.type !== "file" && element.type !== "submit") out[element.name] = element.value;
  }
  return Object.assign(out, ctl.overrides);
}

async function recalc(ctl, options = {}) {
  const seq = ++ctl.seq;
  const started = performance.now();
  const request = { widget: ctl.kind, values: values(ctl), touched: [...ctl.touched] };
  const refilling = ctl.refill;
  if (refilling) request.refill = true;
  if (ctl.does.has("timed")) {
    request.seconds_paused = ctl.pausedSince === null ? 0 : (started - ctl.pausedSince) / 1000;
    request.pause_basis = ctl.pauseBasis;
    if (options.save) Object.assign(request, { save: true, id: newId(), saved_at: new Date().toISOString() });
  }
  const response = await call(request);
  const answered = performance.now();
  if (seq !== ctl.seq || !ctl.root.isConnected) return;  // a newer edit has already been sent
  if (refilling) ctl.refill = false;
  for (const [name, value] of Object.entries(response.fields || {})) {
    const field = ctl.form.elements[name];
    if (field && !ctl.touched.has(name)) field.value = value;
  }
  showErrors(ctl, response.errors || {});
  const result = ctl.root.querySelector("[data-result]");
  if (response.ok) {
    // Markup built by Python, every value escaped there. The first live answer is usually the
    // pre-rendered one again: leave identical markup in place rather than lay it out twice. Later
    // answers follow an edit and nearly always differ, so they skip the comparison (a parse and a serialisation
    // of the whole result, charts included, on every keystroke).
    const firstLive = result.dataset.source !== "live";
    if (!firstLive && ctl.does.has("keep-unchanged")) keepUnchanged(result, response.html);
    else if (!firstLive || !sameMarkup(result, response.html)) result.innerHTML = response.html;
    result.dataset.source = "live";
    result.classList.remove("stale");
    if (ctl.does.has("scroll-mine")) showMyRow(result);
  } else {
    result.classList.add("stale");     // keep the last good result, marked as out of date
  }
  metrics.lastRecalcMs = performance.now() - started;
  // Where the time went, for the benchmark: the worker's own share (JSON and Python), the
  // messaging both ways, and the page's work on the answer (fields, errors, markup swap).
  metrics.lastRecalc = { total: metrics.lastRecalcMs, worker: metrics.lastWorkerMs,
    messaging: answered - started - metrics.lastWorkerMs, page: performance.now() - answered };
  metrics.recalcs += 1;
  if (metrics.firstLiveMs === null && response.ok) {
    metrics.firstLiveMs = performance.now();
    releaseSearch("live");
    keepForOffline(ctl.root);
  }
  if (ctl.does.has("share")) scheduleUrl(ctl);
  if (ctl.does.has("timed")) {
    // Python says when the pause counts from: the moment all three answers were written (this
    // request, when `restart`), again after one is rewritten; not at all while one is missing.
    if (response.pause) {
      if (response.pause.restart) ctl.pausedSince = started;
      else if (!response.pause.basis) ctl.pausedSince = null;
      ctl.pauseBasis = response.pause.basis;
    }
    afterVerdict(ctl, response, options);
  }
}

const parser = document.createElement("template");

function sameMarkup(element, html) {
  parser.innerHTML = html;  // inert: a template's content is parsed, never rendered or run
  return parser.innerHTML === element.innerHTML;
}

function keepUnchanged(element, html) {
  // The same markup, put in place node by node: a node equal to the one already there (same tag,
  // attributes and content) stays, so after a leverage edit the browser restyles and lays out the
  // two ladder rows whose highlight moved, not all hundred. No values are read or computed here.
  parser.innerHTML = html;
  morph(element, parser.content);
}

function morph(target, source) {
  const olds = [...target.childNodes], news = [...source.childNodes];
  if (olds.length !== news.length) {
    target.replaceChildren(...news);
    return;
  }
  news.forEach((node, i) => {
    const old = olds[i];
    if (old.isEqualNode(node)) return;
    if (old.nodeType === Node.ELEMENT_NODE && node.nodeType === Node.ELEMENT_NODE && old.tagName === node.tagName
        && sameAttributes(old, node)) morph(old, node);
    else old.replaceWith(node);
  });
}

function sameAttributes(a, b) {
  return a.attributes.length === b.attributes.length
    && [...a.attributes].every((attribute) => b.getAttribute(attribute.name) === attribute.value);
}

function showMyRow(result) {
  // Scroll the ladder's own box (not the page) so the visitor's row is visible. In the next frame:
  // reading offsetTop right after the swap would force a layout of the new table there and then,
  // and the browser would lay it out again to paint it.
  requestAnimationFrame(() => {
    const row = result.querySelector("tr.mine");
    const box = row && row.closest(".ladder-scroll");
    if (box) box.scrollTop = Math.max(0, row.offsetTop - box.clientHeight / 2);
  });
}

function showErrors(ctl, errors) {
  ctl.root.querySelectorAll("[data-error-for]").forEach((slot) => {
    const name = slot.dataset.errorFor;
    const message = errors[name] || "";
    slot.textContent = message;
    const field = name !== "_" && ctl.form.elements[name];
    if (field && field.setAttribute) field.setAttribute("aria-invalid", message ? "true" : "false");
    // An error inside a collapsed group ("More inputs") must be seen: open the group.
    const group = message && field && field.closest && field.closest("details");
    if (group) group.open = true;
  });
}

function newId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

// Once a calculator has run, a service worker keeps its runtime for the next visit (or no signal),
// and this page keeps itself and what it loaded in the pages cache. The page writes that cache
// itself, with the Cache API, rather than asking the service worker to: a message handler busy
// with those downloads would hold back a new version of the worker from taking over.
function keepForOffline(root) {
  if (!("serviceWorker" in navigator) || !root.dataset.sw) return;
  // register() alone does not look for a new release when a worker is already registered; update()
  // does (one small revalidated request), so a returning visitor moves to a new version at once.
  navigator.serviceWorker.register(new URL(root.dataset.sw, location.href).href)
    .then((registration) => registration.update()).catch(() => {});
  if (!("caches" in window) || !root.dataset.pagesCache) return;
  const scope = new URL(root.dataset.sw, location.href).href.replace(/[^/]*$/, "");
  const runtimeFolder = new URL(root.dataset.runtime, location.href).href;  // kept by the service worker
  const own = (url) => url.startsWith(scope) && !url.startsWith(runtimeFolder);
  const urls = [location.href, ...performance.getEntriesByType("resource").map((entry) => entry.name)]
    .map((url) => url.split("#")[0].split("?")[0]).filter(own);
  urls.push(scope + "search/search_index.json", scope + "sitemap.xml");  // the theme fetches these on every page
  caches.open(root.dataset.pagesCache)
    .then((cache) => Promise.all([...new Set(urls)].map((url) => cache.add(url).catch(() => {}))))
    .then(() => { metrics.pageKept = true; }, () => {});
}

// --- shareable links: the calculator's inputs live in the address, after the "#" --------------
// The fragment is never sent to the server, so a scenario in a link stays in the browser until
// the visitor shares it. Links with the inputs in the query string are read too.

function scenarioParams() {
  const fragment = location.hash.slice(1);
  const params = new URLSearchParams(location.search);
  if (fragment.includes("=")) new URLSearchParams(fragment).forEach((value, name) => params.set(name, value));
  return params;
}

function restoreFromUrl(ctl) {
  const params = scenarioParams();
  for (const [name, value] of params) {
    const field = ctl.form.elements[name];
    if (!field || !field.name) continue;
    if (field.tagName === "SELECT" && ![...field.options].some((option) => option.value === value)) {
      ctl.overrides[name] = value;  // not an option: Python reports it at the field
    } else {
      field.value = value;
    }
    ctl.touched.add(name);  // a shared link's values are the visitor's own: no venue refill over them
    const group = field.closest && field.closest("details");
    if (group) group.open = true;  // show what the link filled in, even inside a collapsed group
  }
  if ([...params.keys()].length) start(ctl);
}

// The address follows the inputs once typing pauses, not on every keystroke: history.replaceState
// is synchronous and measured up to 9 ms at the 95th percentile here, before the new result could
// be painted. A link is copied after typing, never between two keys.
const URL_SETTLE_MS = 150;

function scheduleUrl(ctl) {
  clearTimeout(ctl.urlTimer);
  ctl.urlTimer = setTimeout(() => {
    if (ctl.root.isConnected) writeUrl(ctl);  // not after instant navigation left the page
  }, URL_SETTLE_MS);
}

function writeUrl(ctl) {
  const params = new URLSearchParams();
  for (const element of ctl.form.elements) {
    if (!element.name || element.type === "file") continue;
    const initial = element.tagName === "SELECT"
      ? ([...element.options].find((option) => option.defaultSelected) || element.options[0] || {}).value
      : element.defaultValue;
    const value = ctl.overrides[element.name] ?? element.value;
    if (value !== initial) params.set(element.name, value);
  }
  const scenario = params.toString();
  history.replaceState(history.state, "", `${location.pathname}${scenario ? "#" + scenario : ""}`);
}

// --- the pause protocol's verdict and journal ----------------------------------------------------
// Every journal action reads the stored journal, has Python work out the new one (journal.py:
// merging, validation, every message) and writes back what Python answered. Two actions running
// at once would each start from the same stored text and the later write would undo the earlier
// one, so they run one at a time: one queue per page and, across this site's tabs, the
// "ahamirror-journal" Web Lock where the browser has it. Each action reads localStorage inside the
// lock, so it always applies to the latest stored journal; a tab that did not make a change hears
// of it through the storage event and shows the list again.

const JOURNAL_LOCK = "ahamirror-journal";
const journalQueue = { tail: Promise.resolve() };
const NEEDS_RUNTIME = "This needs the live calculator, which could not start.";
const STORAGE_BLOCKED = "This browser does not allow local storage here, so checks cannot be saved.";

function serialised(task) {
  const locked = () => (navigator.locks && navigator.locks.request ? navigator.locks.request(JOURNAL_LOCK, () => task()) : task());
  const run = journalQueue.tail.then(locked);
  journalQueue.tail = run.catch(() => {});
  return run;
}

function afterVerdict(ctl, response, options) {
  clearTimeout(ctl.timer);
  if (response.ok && response.verdict === "pause" && options.save) {
    // The answers hold up but the pause is not over: ask again when it is.
    ctl.timer = setTimeout(() => recalc(ctl, { save: true }), response.seconds_remaining * 1000 + 50);
  }
  if (response.ok && response.entry) journalAction(ctl, { action: "add", entry: response.entry });
}

function bindJournal(ctl) {
  const key = ctl.root.dataset.journalKey;
  const heading = ctl.root.querySelector(".journal-title");
  if (heading) heading.tabIndex = -1;  // where focus goes when the last entry is deleted
  const empty = ctl.root.querySelector("[data-journal] .journal-empty");
  ctl.emptyText = empty ? empty.textContent : "";
  ctl.root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button || !ctl.root.contains(button)) return;
    const action = button.dataset.action;
    if (action === "delete" && confirm("Delete this journal entry? This cannot be undone.")) {
      journalAction(ctl, { action: "delete", id: button.dataset.id });
    } else if (action === "clear" && confirm("Delete every entry in your pause journal? This cannot be undone.")) {
      clearJournal(ctl);
    } else if (action === "export-json" || action === "export-csv") {
      exportJournal(ctl, action === "export-csv" ? "csv" : "json");
    }
  });
  const picker = ctl.root.querySelector('input[type="file"][data-action="import"]');
  picker.addEventListener("change", () => {
    const file = picker.files && picker.files[0];
    if (!file) return;
    // Queued now, in the order the visitor acted; the file is read once it is this action's turn.
    journalStatus(ctl, "Importing the file...");
    journalAction(ctl, () => file.text().then((text) => ({ action: "import", text })),
      "Import needs the live calculator, which could not start.");
    picker.value = "";
  });
  const refresh = (event) => {
    if (!ctl.root.isConnected) { window.removeEventListener("storage", refresh); return; }
    if (event.key !== null && event.key !== key) return;  // null: another tab cleared this site's storage
    if (runtime.state === "ready") serialised(() => applyJournal(ctl, { action: "load" }));
    else journalPending(ctl);
  };
  window.addEventListener("storage", refresh);
  // Until Python has shown the journal, say what storage holds; and if the runtime cannot start, say
  // why the journal is not shown (showStatus marks every change of state on the widget).
  new MutationObserver(() => {
    if (ctl.journalState === runtime.state) return;
    ctl.journalState = runtime.state;
    journalPending(ctl);
  }).observe(ctl.root, { attributes: true, attributeFilter: ["data-runtime-state"] });
  journalPending(ctl);
}

function loadJournal(ctl) {
  return journalAction(ctl, { action: "load" });
}

function journalAction(ctl, request, unavailable = NEEDS_RUNTIME) {
  start(ctl);
  if (runtime.state !== "ready") {
    return runtime.ready.then(() => journalAction(ctl, request, unavailable), () => journalStatus(ctl, unavailable));
  }
  return serialised(() => applyJournal(ctl, request));
}

async function applyJournal(ctl, request) {
  const key = ctl.root.dataset.journalKey;
  let body = request;
  if (typeof request === "function") {
    try {
      body = await request();
    } catch (error) {
      journalStatus(ctl, "The file could not be read.");
      return;
    }
  }
  let stored;
  try {
    stored = localStorage.getItem(key);
  } catch (error) {
    journalStatus(ctl, STORAGE_BLOCKED);
    return;
  }
  const response = await call({ widget: "journal", ...body, stored });
  if (!response || !response.ok) {
    journalStatus(ctl, (response && response.errors && response.errors._) || "That did not work.");
    return;
  }
  if (typeof response.write === "string" && !writeJournal(key, stored, response)) {
    // Storage refused: nothing changed, and the list shows what storage still holds.
    showJournal(ctl, response.html_as_stored);
    journalStatus(ctl, response.if_full);
    return;
  }
  showJournal(ctl, response.html);
  if (response.message || body.action !== "load") journalStatus(ctl, response.message);
}

function writeJournal(key, stored, response) {
  // What could not be read is first copied aside, untouched; if either write fails, that copy is
  // taken back, so after a failure storage is exactly as it was (and nothing claims "kept aside").
  let aside = null;
  try {
    if (response.keep_aside && stored !== null) {
      aside = `${key}:kept-aside:${new Date().toISOString()}`;
      for (let n = 2; localStorage.getItem(aside) !== null; n++) aside = `${key}:kept-aside:${new Date().toISOString()}-${n}`;
      localStorage.setItem(aside, stored);
    }
    localStorage.setItem(key, response.write);
    return true;
  } catch (error) {
    try { if (aside) localStorage.removeItem(aside); } catch (ignored) { /* blocked: nothing was written */ }
    return false;
  }
}

function showJournal(ctl, html) {
  // Markup built by Python, every value escaped there. Focus on a Delete button survives the
  // redraw: on the same entry if it is still there, else on the next entry's, the previous one's,
  // or the list's heading when the list is empty (never lost to the page's <body>).
  const box = ctl.root.querySelector("[data-journal]");
  const active = document.activeElement;
  const item = active && box.contains(active) ? active.closest("li[data-entry-id]") : null;
  const index = item ? [...box.querySelectorAll("li[data-entry-id]")].indexOf(item) : -1;
  box.innerHTML = html;
  ctl.journalShown = true;
  if (!item) return;
  const buttons = [...box.querySelectorAll('button[data-action="delete"]')];
  const target = buttons.find((button) => button.dataset.id === item.dataset.entryId)
    || buttons[index] || buttons[buttons.length - 1] || ctl.root.querySelector(".journal-title");
  if (target) target.focus();
}

function journalPending(ctl) {
  // Before Python shows the journal the list is the build's empty one: it must not claim "no
  // checks saved" while storage holds some. Counting only (no validation: that is Python's).
  if (ctl.journalShown) return;
  const empty = ctl.root.querySelector("[data-journal] .journal-empty");
  if (!empty) return;
  let count = 0;
  try {
    const text = localStorage.getItem(ctl.root.dataset.journalKey);
    if (text) {
      count = null;
      const data = JSON.parse(text);
      const list = Array.isArray(data) ? data : data && data.entries;
      if (Array.isArray(list)) count = list.length;
    }
  } catch (error) { /* unreadable or blocked: count stays unknown (null) or 0 */ }
  if (count === 0) {
    empty.textContent = ctl.emptyText;
    return;
  }
  const held = count === null ? "a saved journal" : `${count} saved journal entr${count === 1 ? "y" : "ies"}`;
  empty.textContent = runtime.state === "failed"
    ? `The journal cannot be shown until the calculator starts, and it could not start (${runtime.message}). ` +
      `This browser holds ${held}; nothing has been deleted.`
    : `This browser holds ${held}; the journal is shown once the calculator has started.`;
}

async function clearJournal(ctl) {
  start(ctl);
  if (await runtime.ready.then(() => true, () => false)) return journalAction(ctl, { action: "clear" });
  // Without the runtime the journal cannot be shown, but deleting it needs no Python.
  return serialised(() => {
    try {
      localStorage.removeItem(ctl.root.dataset.journalKey);
    } catch (error) {
      journalStatus(ctl, STORAGE_BLOCKED);
      return;
    }
    journalPending(ctl);
    journalStatus(ctl, "Journal cleared.");
  });
}

async function exportJournal(ctl, format) {
  start(ctl);
  try {
    await runtime.ready;
  } catch (error) {
    journalStatus(ctl, "Export needs the live calculator, which could not start.");
    return;
  }
  await serialised(async () => {
    let stored;
    try {
      stored = localStorage.getItem(ctl.root.dataset.journalKey);
    } catch (error) {
      journalStatus(ctl, STORAGE_BLOCKED);
      return;
    }
    const response = await call({ widget: "journal", action: "export", format, stored });
    if (!response || !response.ok) {
      journalStatus(ctl, (response && response.errors && response.errors._) || "That did not work.");
      return;
    }
    const type = format === "csv" ? "text/csv" : "application/json";
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([response.text], { type }));
    link.download = `pause-journal-${new Date().toISOString().slice(0, 10)}.${format}`;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    journalStatus(ctl, response.message);
  });
}

function journalStatus(ctl, text) {
  ctl.root.querySelector("[data-journal-status]").textContent = text;
}

// Widgets are bound on every page view: Material's document$ (instant navigation) once its bundle
// has run, which is after this module when it was loaded early from the <head>.
function bindEveryPageView() {
  if (typeof document$ !== "undefined") document$.subscribe(bindAll);
  else bindAll();
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bindEveryPageView);
else bindEveryPageView();
