// The site's one Python runtime: Pyodide in a module worker, so the page never freezes.
// Messages in:  {type: "boot", runtime: absolute URL of the runtime folder, lockfile, stdlib: file names}
//               {type: "call", id, request}   (request is plain data, sent to Python as JSON text)
// Messages out: {type: "ready", ms} | {type: "failed", message} | {type: "result", id, response}

let handle = null;

async function boot(runtime, lockfile, stdlib) {
  const started = performance.now();
  if (typeof WebAssembly !== "object") throw new Error("This browser has WebAssembly turned off.");
  // Pyodide swallows a failed wasm download and never settles (it only logs), so check the file
  // is there first: a HEAD request costs no bytes.
  const probe = await fetch(runtime + "pyodide.asm.wasm", { method: "HEAD" });
  if (!probe.ok) throw new Error(`fetch of pyodide.asm.wasm failed: ${probe.status}`);
  const { loadPyodide } = await import(runtime + "pyodide.mjs");
  self.postMessage({ type: "progress", done: 1 });
  const pyodide = await loadPyodide({
    indexURL: runtime,
    // The lean standard library the build made and verified (sitebuild/lean.py): only the
    // modules the widgets use, precompiled. Its name comes from the page (sitebuild/layout.py).
    stdLibURL: runtime + stdlib,
    lockFileURL: runtime + lockfile,
    packageBaseUrl: runtime,      // never a CDN: every file comes from this site
    // Fetched while the runtime starts; installed only if it matches the lockfile's sha256.
    packages: ["calculators"],
    stdout: () => {},
    stderr: () => {},
  });
  self.postMessage({ type: "progress", done: 2 });
  handle = pyodide.pyimport("calculators.web.api").handle_json;
  self.postMessage({ type: "progress", done: 3 });
  return Math.round(performance.now() - started);
}

self.onmessage = async (event) => {
  const message = event.data || {};
  if (message.type === "boot") {
    try {
      const ms = await boot(message.runtime, message.lockfile, message.stdlib);
      self.postMessage({ type: "ready", ms });
    } catch (error) {
      // The visitor gets a plain reason; the details (possibly a Python traceback) only go to
      // the developer console.
      console.error("ahamirror: the calculator runtime did not start", error);
      const text = String((error && error.message) || error);
      const reason = /PythonError|Traceback/.test(text) ? "it failed while starting"
        : /WebAssembly/i.test(text) ? "this browser has WebAssembly turned off"
        : /fetch|network|load|404|import/i.test(text) ? "its files could not be loaded"
        : "it failed while starting";
      self.postMessage({ type: "failed", message: reason });
    }
  } else if (message.type === "call") {
    let response;
    try {
      // Input reaches Python as data: JSON text passed as an argument, never formatted into code.
      response = JSON.parse(handle(JSON.stringify(message.request)));
    } catch (error) {
      console.debug("ahamirror: the calculator call failed", error);
      response = { ok: false, errors: { _: "Something went wrong inside the calculator. Your inputs are kept; try changing a value." } };
    }
    if (response.debug) {
      // Python's last-resort handler caught an exception: its traceback is for developers (this
      // console), never for the page.
      console.debug(`ahamirror: the calculator raised\n${response.debug}`);
      delete response.debug;
    }
    self.postMessage({ type: "result", id: message.id, response });
  }
};
