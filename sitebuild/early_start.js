// Inlined into the <head> of every page with a widget (macros/widgets.py early_start_tags), right
// after the <meta> that carries the runtime's settings. A classic inline script runs as soon as the
// parser reaches it, long before the page's modules: on a long page that starts Python about a
// third of a second sooner. It only creates the worker and sends it the boot message, a few
// milliseconds of this thread; widgets.mjs takes the worker over (startRuntime), with everything it
// said meanwhile, and does the rest: checks, time budget, messages, "Try again". It starts at once,
// not in an idle callback: that would wait for the parser's long tasks to end.
(function () {
  // Material's search builds its index of every page in a worker of its own as soon as the page has
  // loaded; on two cores that build competes with Python's start (2-6 % of the time to the first
  // answer, side by side). So on a page with a widget the messages to that worker wait, in order,
  // until the first answer is live or the start has failed (widgets.mjs calls early.releaseSearch),
  // the visitor turns to the search field, or SEARCH_HOLD_MS have passed. The index itself still
  // downloads at once, so the build starts the moment it is released. (Material sends a query only
  // once its worker says the index is ready, so a query typed meanwhile is answered after it.)
  var SEARCH_HOLD_MS = 8000;
  var SEARCH_WORKER = /\/workers\/search\.[\w.]*\.js$/;
  function holdSearchWorker(early) {
    var Native = window.Worker;
    var held = [];  // Material's calls to postMessage, in order; null once released
    early.releaseSearch = function (why) {
      if (!held) return;
      early.searchReleased = { why: why, ms: performance.now() };
      var calls = held;
      held = null;
      calls.forEach(function (call) { call(); });
    };
    window.Worker = function (url, options) {
      var worker = new Native(url, options);
      if (!SEARCH_WORKER.test(String(url).split(/[?#]/)[0])) return worker;
      var post = worker.postMessage;
      worker.postMessage = function () {
        var args = arguments;
        var call = function () { post.apply(worker, args); };
        if (held) held.push(call);
        else call();
      };
      return worker;
    };
    window.Worker.prototype = Native.prototype;
    setTimeout(function () { early.releaseSearch("timeout"); }, SEARCH_HOLD_MS);
    document.addEventListener("focusin", function (event) {
      var form = event.target && event.target.form;
      if (form && form.name === "search") early.releaseSearch("search");
    }, true);
  }

  var settings = document.querySelector("meta[data-worker]");
  // Once per tab: should instant navigation ever run this again, the runtime is already there. (The
  // tests that hold the runtime back to look at the page as built set this first: tests/browser_support.py.)
  if (!settings || !window.Worker || window.__ahamirrorEarly) return;
  // "taken" until a worker exists: widgets.mjs then starts its own (and reports why, if it cannot).
  var early = (window.__ahamirrorEarly = { state: "taken", said: [] });
  try {
    early.worker = new Worker(new URL(settings.dataset.worker, location.href).href, { type: "module" });
  } catch (error) {
    return;
  }
  early.state = "started";
  holdSearchWorker(early);
  early.worker.onmessage = function (event) { early.said.push(event); };
  early.worker.onerror = function (event) { event.preventDefault(); early.said.push(event); };
  // The same message as widgets.mjs bootMessage().
  early.worker.postMessage({ type: "boot", runtime: new URL(settings.dataset.runtime, location.href).href,
    lockfile: settings.dataset.lockfile, stdlib: settings.dataset.stdlib, retry: false,
    widgets: (settings.dataset.widgets || "").split(" ").filter(Boolean) });
})();
