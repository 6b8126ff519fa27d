// Inlined into the <head> of every page with a widget (macros/widgets.py early_start_tags), right
// after the <meta> that carries the runtime's settings. A classic inline script runs as soon as the
// parser reaches it, long before the page's modules: on a long page that starts Python about a
// third of a second sooner. It only creates the worker and sends it the boot message, a few
// milliseconds of this thread; widgets.mjs takes the worker over (startRuntime), with everything it
// said meanwhile, and does the rest: checks, time budget, messages, "Try again". It starts at once,
// not in an idle callback: that would wait for the parser's long tasks to end.
(function () {
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
  early.worker.onmessage = function (event) { early.said.push(event); };
  early.worker.onerror = function (event) { event.preventDefault(); early.said.push(event); };
  // The same message as widgets.mjs bootMessage().
  early.worker.postMessage({ type: "boot", runtime: new URL(settings.dataset.runtime, location.href).href,
    lockfile: settings.dataset.lockfile, stdlib: settings.dataset.stdlib, retry: false,
    widgets: (settings.dataset.widgets || "").split(" ").filter(Boolean) });
})();
