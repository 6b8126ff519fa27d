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
const DIGESTS = __PRECACHE__;
const PRECACHE = Object.keys(DIGESTS);
const SCOPE = new URL("./", self.location).href;

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
  event.waitUntil(caches.open(RUNTIME)
    .then((cache) => Promise.all(PRECACHE.map((path) => fetchVerified(path).then((response) => cache.put(SCOPE + path, response)))))
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
