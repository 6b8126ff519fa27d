// The site's one Python runtime: Pyodide in a module worker, so the page never freezes.
// Messages in:  {type: "boot", runtime: absolute URL of the runtime folder, lockfile, stdlib: file names}
//               {type: "call", id, request}   (request is plain data, sent to Python as JSON text)
// Messages out: {type: "ready", ms} | {type: "failed", message} | {type: "result", id, response}

let handle = null;

// Pyodide swallows a failed wasm download and never settles (it only logs), so check the file is
// there first: HEAD costs no bytes. A host that refuses HEAD (405, 501) is asked for the first four
// bytes instead; either way a web page in its place (a single-page-app fallback answering 200 with
// index.html) is caught by its type, or by the wasm's magic number when the bytes are at hand.
async function probeWasm(url) {
  let response = await fetch(url, { method: "HEAD" });
  let ranged = false;
  if (response.status === 405 || response.status === 501) {
    response = await fetch(url, { headers: { Range: "bytes=0-3" } });
    ranged = true;
  }
  if (!response.ok) throw new Error(`fetch of pyodide.asm.wasm failed: ${response.status}`);
  if (/text\/html/i.test(response.headers.get("content-type") || "")) {
    throw new Error("fetch of pyodide.asm.wasm returned a web page, not the runtime");
  }
  if (ranged) {
    const reader = response.body.getReader();
    const { value } = await reader.read();  // the first chunk is enough (a host may ignore Range)
    reader.cancel().catch(() => {});
    const magic = value ? [...value.slice(0, 4)].join(",") : "";
    if (magic !== "0,97,115,109") throw new Error("fetch of pyodide.asm.wasm returned something other than WebAssembly");
  }
}

async function boot(runtime, lockfile, stdlib) {
  const started = performance.now();
  if (typeof WebAssembly !== "object") throw new Error("This browser has WebAssembly turned off.");
  await probeWasm(runtime + "pyodide.asm.wasm");
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
    const started = performance.now();
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
    // `ms`: the time spent here (JSON and Python), so the page can tell it from the messaging.
    self.postMessage({ type: "result", id: message.id, response, ms: performance.now() - started });
  }
};
