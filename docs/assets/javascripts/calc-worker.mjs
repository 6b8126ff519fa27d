// The site's one Python runtime: Pyodide in a module worker, so the page never freezes.
// Messages in:  {type: "boot", runtime: absolute URL of the runtime folder, lockfile, stdlib: file names, retry,
//                widgets: the kinds of widget on the page, to import while the last check ends}
//               {type: "call", id, request}   (request is plain data, sent to Python as JSON text)
// Messages out: {type: "ready", ms, phases} | {type: "failed", kind} | {type: "result", id, response, ms}

let handle = null;

// Each runtime file's sha256 and size, written here by the build (sitebuild/integrity.py).
const MANIFEST = {};  // filled in by sitebuild/integrity.py

// A failure of one kind (the keys of sitebuild/layout.py's RUNTIME_FAILURES); the page words it.
class RuntimeFault extends Error {
  constructor(kind, detail) {
    super(detail);
    this.kind = kind;
  }
}

// The network's fetch: boot() lends `self.fetch` to Pyodide (it answers Pyodide's requests for the
// runtime files with their checked bytes), and the checks themselves must never go through that.
const networkFetch = self.fetch.bind(self);

const WASM = "pyodide.asm.wasm";
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];  // "\0asm"

function hex(buffer) {
  return [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

function looksLikeHtml(bytes) {
  const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart().toLowerCase();
  return head.startsWith("<!doctype") || head.startsWith("<html") || head.startsWith("<head") || head.startsWith("<body");
}

// Pyodide swallows a failed or damaged download of its own files and never settles (it only logs),
// so every runtime file is fetched here, at once and in parallel, and checked before Pyodide sees
// it: the status, the type (a single-page-app host answers 200 with its index page), the whole body
// (a connection that breaks mid-body), then size and sha256 against the build's manifest. Any
// failure rejects at once, whichever file Pyodide is waiting for. No HEAD request: some hosts refuse it.
// `early` receives a copy of the response once its status and type are checked, before the body is
// read (the wasm's: see boot). `decoder`: the body is brotli, to be decoded here (see "Brotli
// where the host does not send it", below); the check is then of the decoded bytes.
async function fetchChecked(name, url, cache, early = null, decoder = null) {
  const expected = MANIFEST[name];
  let response;
  try {
    response = await networkFetch(url, { cache, credentials: "same-origin" });
  } catch (error) {
    throw new RuntimeFault("network", `${name}: ${error}`);
  }
  if (response.status === 404 || response.status === 410) throw new RuntimeFault("missing", `${name}: ${response.status}`);
  if (!response.ok) throw new RuntimeFault("refused", `${name}: ${response.status}`);
  const type = response.headers.get("content-type") || "";
  if (/text\/html/i.test(type)) throw new RuntimeFault("page", `${name}: served as ${type}`);
  let fault = () => null;
  // A host that sent the .br file with "Content-Encoding: br" has had the browser decode it already.
  if (decoder && !sentAsBrotli(response)) {
    const decoded = brotliDecoded(response.body, await decoder, name);
    fault = decoded.fault;
    response = new Response(decoded.stream, { status: 200, headers: { "Content-Type": name === WASM ? "application/wasm" : type } });
  }
  if (early) early(response.clone());
  let body;
  try {
    body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    throw fault() || new RuntimeFault("network", `${name}: the body broke off (${error})`);
  }
  if (looksLikeHtml(body)) throw new RuntimeFault("page", `${name}: the body is a web page`);
  if (name === WASM && !WASM_MAGIC.every((byte, i) => body[i] === byte)) {
    throw new RuntimeFault("damaged", `${name}: not WebAssembly`);
  }
  if (expected) {
    // An archive arrives in one of two equivalent forms: as published, or stored, when the host sent
    // its .br or .gz sibling (sitebuild/compress.py). The size says which one to hash against.
    const form = [expected, expected.sibling].find((entry) => entry && entry.size === body.byteLength);
    if (!form) throw new RuntimeFault("damaged", `${name}: ${body.byteLength} bytes, expected ${expected.size}`);
    // crypto.subtle exists only in secure contexts (https, localhost): elsewhere the size must do.
    const digest = crypto.subtle ? hex(await crypto.subtle.digest("SHA-256", body)) : form.sha256;
    if (digest !== form.sha256) throw new RuntimeFault("damaged", `${name}: sha256 ${digest}, expected ${form.sha256}`);
  }
  return { body, type };
}

// Brotli where the host does not send it. A host that reads the build's .br siblings (or compresses
// with brotli itself) sends the wasm as 2.8 MB; GitHub Pages gzips it on the fly, 3.5 MB, and sends
// the stdlib and the wheel as published (0.74 and 0.22 MB against 0.50 and 0.15 MB as brotli). The
// browser decodes only what a host encodes, and DecompressionStream knows no brotli, so there the
// worker fetches the .br siblings as plain files and decodes them with a small wasm decoder
// (brotli-dec-wasm, about 0.1 MB gzipped; its two files are checked like the others), as they
// arrive. Which kind of host this is, the first file's answer tells: pyodide.mjs, which has a .br
// sibling too, arrives with "Content-Encoding: br" only from a host that sends brotli itself. The
// service worker (sw.template.js, hostSendsBrotli) asks the same question of the same file, so it
// keeps the forms this worker fetches.
const PROBE = "pyodide.mjs";
const OUTPUT_CHUNK = 1 << 20;  // decoded bytes per step: the stream hands them on as they come

// The decoded stream of a brotli `body`, and a function that returns what went wrong in decoding
// (a RuntimeFault) once the stream has failed, or null.
function brotliDecoded(body, decoder, name) {
  const { BrotliDecStream, BrotliStreamResultCode: Code } = decoder;
  const state = new BrotliDecStream();
  let finished = false;
  let failure = null;
  const refuse = (detail) => {
    failure = new RuntimeFault("damaged", `${name}: ${detail}`);
    throw failure;
  };
  const decode = (input, controller) => {
    if (finished && input.length) refuse("bytes after the end of the brotli stream");
    let offset = 0;
    let code;
    do {
      let result;
      try {
        result = state.dec(input.subarray(offset), OUTPUT_CHUNK);
      } catch (error) {
        refuse(`not a brotli stream (${error})`);
      }
      offset += result.input_offset;
      code = result.code;
      if (result.buf.length) controller.enqueue(result.buf);
      result.free();
    } while (code === Code.NeedsMoreOutput);
    if (code === Code.ResultSuccess) {
      finished = true;
      if (offset < input.length) refuse("bytes after the end of the brotli stream");
    }
  };
  const stream = body.pipeThrough(new TransformStream({
    transform: decode,
    flush() {
      state.free();
      if (!finished) refuse("the brotli stream ended early");
    },
  }));
  return { stream, fault: () => failure };
}

// Whether the host encoded this response with brotli (the browser has then decoded it).
function sentAsBrotli(response) {
  return /\bbr\b/i.test(response.headers.get("content-encoding") || "");
}

// Whether the host sends brotli itself, from the first file's response headers (a failed fetch says
// yes: that fetch's own fault ends the start, and the plain files are then the safe default).
function hostSendsBrotli(probe) {
  return probe.then(sentAsBrotli, () => true);
}

// The decoder, once its two files have passed their checks (the module is then imported from the
// HTTP cache, like Pyodide's: see boot).
async function loadDecoder(runtime, cache) {
  const role = (wanted) => Object.keys(MANIFEST).find((name) => MANIFEST[name].decoder === wanted);
  const [module, wasm] = [role("module"), role("wasm")];
  const [, { body }] = await Promise.all([fetchChecked(module, runtime + module, cache), fetchChecked(wasm, runtime + wasm, cache)]);
  const decoder = await import(runtime + module);
  decoder.initSync({ module: body });
  return decoder;
}

// The calculators package is imported straight from its wheel: a wheel is a zip archive, and Python
// imports from a zip on sys.path the way it imports the standard library (zipimport). Pyodide's
// loadPackage would unpack it instead, and import tarfile, email and importlib.metadata to do so:
// about 45 ms under Node, a median of 90 ms (72-199) in a page on two cores, and 50 kB more of
// standard library.
// The lockfile stays the record of what to load: the wheel it names, with the sha256 it gives.
// `fetched(name)`: the checked bytes of a runtime file (fetched already, since the start).
const PACKAGE = "calculators";
const WHEEL_DIR = "/lib/wheels";  // in Pyodide's in-memory file system

async function addWheel(pyodide, lockBytes, fetched) {
  let entry;
  try {
    entry = JSON.parse(new TextDecoder().decode(lockBytes)).packages[PACKAGE];
  } catch (error) {
    throw new RuntimeFault("damaged", `the lockfile: ${error}`);
  }
  const name = entry && entry.file_name;
  if (typeof name !== "string" || !/^[\w.+-]+\.whl$/.test(name)) {
    throw new RuntimeFault("damaged", `the lockfile names no wheel for ${PACKAGE}`);
  }
  const { body } = await fetched(name);
  const published = MANIFEST[name];
  if (published) {
    // fetchChecked has checked the body against the build's manifest (the wheel as published, or its
    // stored form from a sibling): the lockfile must name the wheel the build published.
    if (published.sha256 !== entry.sha256) {
      throw new RuntimeFault("damaged", `${name}: the lockfile says sha256 ${entry.sha256}, the build published ${published.sha256}`);
    }
  } else if (crypto.subtle) {  // an unsealed worker: the body against the lockfile itself
    const digest = hex(await crypto.subtle.digest("SHA-256", body));
    if (digest !== entry.sha256) throw new RuntimeFault("damaged", `${name}: sha256 ${digest}, the lockfile says ${entry.sha256}`);
  }
  pyodide.FS.mkdirTree(WHEEL_DIR);
  pyodide.FS.writeFile(`${WHEEL_DIR}/${name}`, body);
  const path = pyodide.pyimport("sys").path;  // the path goes to Python as data, never as code
  path.insert(0, `${WHEEL_DIR}/${name}`);
  path.destroy();
}

// `retry`: the visitor pressed "Try again". Every file is then fetched past the HTTP cache, which
// could hold the damaged copy that failed the first time (the fetch also replaces that copy, so the
// module imports below, which read the HTTP cache, get the good one).
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

async function boot(runtime, lockfile, stdlib, retry, widgets) {
  const started = performance.now();
  // When each step of the start ended, in ms since it began (the bench reports them).
  const phases = {};
  const mark = (name) => { phases[name] = Math.round(performance.now() - started); };
  if (typeof WebAssembly !== "object") throw new RuntimeFault("unsupported", "WebAssembly is turned off");
  const cache = retry ? "reload" : "default";
  const sealed = Object.keys(MANIFEST).length > 0;
  const names = sealed ? Object.keys(MANIFEST).filter((name) => !MANIFEST[name].decoder) : [PROBE, "pyodide.asm.mjs", WASM, stdlib, lockfile];
  // The wasm is the one file not held back until checked: Pyodide compiles a copy of the response
  // while it downloads (streaming compilation; the browser's cache of compiled code works only on
  // the real response, so where the host sends brotli itself), and the check of the other copy runs
  // beside it. Damaged bytes still end the start: "ready" waits for every check (below), whatever the
  // compiler made of them.
  let wasmCopy;
  const wasmEarly = new Promise((resolve) => { wasmCopy = resolve; });
  let probeHeaders;
  const probe = new Promise((resolve, reject) => { probeHeaders = { resolve, reject }; });
  const plain = hostSendsBrotli(probe);
  plain.then(() => mark("host"));  // when the wasm's download could start
  let decoder = null;  // loaded at most once, and only for a host that does not send brotli
  const fetchOne = async (name) => {
    const early = name === WASM ? wasmCopy : name === PROBE ? probeHeaders.resolve : null;
    const brotli = sealed && MANIFEST[name].br;
    if (brotli && !(await plain)) {
      if (!decoder) {
        decoder = loadDecoder(runtime, cache);
        decoder.catch(() => {});  // its fault reaches each file that waits for it; none may wait
      }
      try {
        return await fetchChecked(name, runtime + brotli, cache, early, decoder);
      } catch (error) {
        // A deploy without the siblings: the file itself will do, at its own size.
        if (!(error instanceof RuntimeFault && ["missing", "page"].includes(error.kind))) throw error;
      }
    }
    return fetchChecked(name, runtime + name, cache, early);
  };
  const checked = new Map(names.map((name) => [name, fetchOne(name)]));
  checked.get(PROBE).catch(probeHeaders.reject);  // its failure is handled with the others' (below)
  const all = Promise.all(checked.values());
  // Whether every check has ended, either way (read while the page's widgets are imported, below);
  // handling the rejection here also keeps it from going unhandled while nothing awaits `all` yet.
  let settled = false;
  all.then(() => { settled = true; }, () => { settled = true; });

  // Pyodide's own fetches of the runtime files get the checked bytes (typed application/wasm for its
  // fallback compilation from bytes); anything else passes through.
  let wasmStreamed = false;
  self.fetch = (resource, init) => {
    const url = String(resource instanceof Request ? resource.url : resource).split(/[?#]/)[0];
    const name = url.startsWith(runtime) ? url.slice(runtime.length) : null;
    if (!checked.has(name)) return networkFetch(resource, init);
    const verified = checked.get(name).then(({ body, type }) => new Response(body, {
      status: 200,
      headers: { "Content-Type": name === WASM ? "application/wasm" : type || "application/octet-stream" },
    }));
    if (name !== WASM || wasmStreamed) return verified;
    wasmStreamed = true;
    return Promise.race([wasmEarly, verified]);  // a bad status or type rejects before any copy exists
  };

  // The two modules are imported, not fetched: they are checked first, then imported from the
  // same URL (the HTTP cache holds the copy just checked).
  await Promise.all([checked.get("pyodide.mjs"), checked.get("pyodide.asm.mjs")]);
  mark("modules");
  const load = (async () => {
    const { loadPyodide } = await import(runtime + "pyodide.mjs");
    mark("imported");
    self.postMessage({ type: "progress", done: 1 });
    return loadPyodide({
      indexURL: runtime,
      // The lean standard library the build made and verified (sitebuild/lean.py): only the
      // modules the widgets use, precompiled. Its name comes from the page (sitebuild/layout.py).
      stdLibURL: runtime + stdlib,
      lockFileURL: runtime + lockfile,
      packageBaseUrl: runtime,      // never a CDN: every file comes from this site
      stdout: () => {},
      stderr: () => {},
    });
  })();
  let pyodide;
  try {
    // A checked file failing ends the start at once, even though Pyodide would wait forever.
    pyodide = await Promise.race([load, all.then(() => load)]);
  } catch (error) {
    await all;  // a file's own fault, when there is one, names the problem better than Pyodide's error
    throw error;
  }
  mark("python");
  self.fetch = networkFetch;  // started: the checked bytes (the wasm alone is megabytes) can go
  const fetched = (name) => checked.get(name) || fetchChecked(name, runtime + name, cache);
  try {
    await addWheel(pyodide, (await fetched(lockfile)).body, fetched);
  } finally {
    checked.clear();
  }
  mark("wheel");
  self.postMessage({ type: "progress", done: 2 });
  const api = pyodide.pyimport("calculators.web.api");
  self.postMessage({ type: "progress", done: 3 });
  mark("package");
  // Python can be up before the wasm's own check has ended: Pyodide started on the streamed copy,
  // and the check's steps wait for this thread, which Python's start holds for most of a second.
  // No answer leaves before every file is checked. Meanwhile the page's widgets are imported (the
  // check's hashing runs off this thread): the first always, since its first answer would pay for
  // that import anyway, then the others one at a time until the check has ended.
  const kinds = Array.isArray(widgets) ? widgets : [];
  for (const [i, kind] of kinds.entries()) {
    await nextTask();  // lets the check take its next step
    if (i > 0 && settled) break;
    try {
      api.prepare(String(kind));  // the name goes to Python as data; an unknown one is ignored
    } catch (error) {  // the widget's own first request will meet (and word) the same fault
      console.debug(`ahamirror: could not prepare the ${kind} widget`, error);
    }
  }
  mark("prepared");
  await all;
  handle = api.handle_json;  // only now can a call be answered
  mark("checked");
  return { ms: phases.checked, phases };
}

self.onmessage = async (event) => {
  const message = event.data || {};
  if (message.type === "boot") {
    try {
      const { ms, phases } = await boot(message.runtime, message.lockfile, message.stdlib, Boolean(message.retry), message.widgets);
      self.postMessage({ type: "ready", ms, phases });
    } catch (error) {
      // The page words the kind of failure plainly; the details (possibly a Python traceback) only
      // go to the developer console.
      console.error("ahamirror: the calculator runtime did not start", error);
      const text = String((error && error.message) || error);
      const kind = error instanceof RuntimeFault ? error.kind
        : /PythonError|Traceback/.test(text) ? "crashed"
        : /fetch|network|load|import/i.test(text) ? "network"
        : "crashed";
      self.postMessage({ type: "failed", kind });
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
