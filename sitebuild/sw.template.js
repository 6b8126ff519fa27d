// ahamirror service worker, generated at build time from sitebuild/sw.template.js (do not edit in site/).
// Keeps the calculator runtime and the pages you opened, so the calculators work offline.
//
// Two caches:
// - RUNTIME (versioned): Pyodide, the wheel, the lockfile and the widget code, fetched at install.
//   A new release has a new version; the new worker installs, takes over at once and drops the
//   older runtime caches.
// - PAGES (one, unversioned): pages, styles and scripts a visitor opened. The pages themselves add
//   what they loaded before this worker existed (widgets.mjs does it with the Cache API); this
//   worker only adds what it fetches. It is a fallback when the network is gone, never answered
//   first, so an old entry cannot hide a new release.
// This worker handles no messages: nothing a page asks can hold it (or a new version) busy.
const VERSION = __VERSION__;
const RUNTIME = `ahamirror-runtime-${VERSION}`;
const PAGES = __PAGES_CACHE__;
// Site-relative path -> the sha256 (hex) of the file this version needs; an archive has two, its
// own and that of the equivalent stored form its .br and .gz siblings carry (sitebuild/compress.py).
// A .br sibling the calculator's worker may fetch and decode itself has its own and that of its
// decoded body (a host that sends it with "Content-Encoding: br" has the browser decode it).
const DIGESTS = __PRECACHE__;
const PRECACHE = Object.keys(DIGESTS);
// Which files the calculator's worker fetches depends on the host (calc-worker.mjs, "Brotli where
// the host does not send it"): where the host sends brotli itself, each runtime file as published;
// elsewhere the .br siblings of some (file -> sibling here) and the decoder that reads them. This worker keeps the same ones, and only
// those: keeping the others would download megabytes the visitor's calculator never uses.
const BROTLI_FORMS = __BROTLI_FORMS__;
const DECODER = __DECODER__;
const PROBE = __PROBE__;
const SCOPE = new URL("./", self.location).href;

// The same question as the calculator's worker asks, of the same file: does the host send brotli?
async function hostSendsBrotli() {
  const response = await fetch(SCOPE + PROBE, { cache: "no-cache" });
  return /\bbr\b/i.test(response.headers.get("content-encoding") || "");
}

async function wantedFiles() {
  const brotli = await hostSendsBrotli();
  const siblings = Object.values(BROTLI_FORMS);
  if (brotli) return PRECACHE.filter((path) => !siblings.includes(path) && !DECODER.includes(path));
  return PRECACHE.filter((path) => !(path in BROTLI_FORMS));
}

// Only a file whose bytes match this version's digest is cached. A mismatch (a deploy still on its
// way, a proxy's page in place of the file) fails the install: the worker already active keeps
// serving its own consistent version, and the browser tries this one again at its next update check.
async function fetchVerified(path) {
  const response = await fetch(SCOPE + path, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  const body = await response.arrayBuffer();
  const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", body))]
    .map((byte) => byte.toString(16).padStart(2, "0")).join("");
  if (!DIGESTS[path].includes(digest)) throw new Error(`${path}: not the file this version was built with`);
  return new Response(body, { status: 200, headers: response.headers });
}

self.addEventListener("install", (event) => {
  event.waitUntil(Promise.all([caches.open(RUNTIME), wantedFiles()])
    .then(([cache, paths]) => Promise.all(paths.map((path) => fetchVerified(path).then((response) => cache.put(SCOPE + path, response)))))
    .then(() => self.skipWaiting(), (error) => caches.delete(RUNTIME).then(() => { throw error; })));  // no half-filled version
});

self.addEventListener("activate", (event) => {
  const stale = (key) => key.startsWith("ahamirror-runtime-") && key !== RUNTIME;
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter(stale).map((key) => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (!["GET", "HEAD"].includes(request.method) || !request.url.startsWith(SCOPE)) return;
  const url = request.url.split("#")[0].split("?")[0];
  const path = url.slice(SCOPE.length);
  if (PRECACHE.includes(path)) {
    // The runtime never changes within a version: this version's cache answers first.
    const fromCache = caches.open(RUNTIME).then((cache) => cache.match(url));
    if (request.method === "HEAD") {
      // Nothing of the site's own sends HEAD any more; a HEAD from elsewhere gets the cached headers.
      event.respondWith(fromCache.then((hit) => hit ? new Response(null, { status: 200, headers: hit.headers }) : fetch(request)));
    } else {
      event.respondWith(fromCache.then((hit) => hit || fetch(request)));
    }
    return;
  }
  if (request.method !== "GET") return;
  // Pages, styles and scripts: the network first (fresh content), the cache when offline.
  event.respondWith(fetch(request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(PAGES).then((cache) => cache.put(url, copy)).catch(() => {});
    }
    return response;
  }).catch(() => caches.open(PAGES).then((cache) => cache.match(url)).then((hit) => hit || Response.error())));
});
