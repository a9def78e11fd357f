// survcalc's service worker: after the first visit the page works offline.
//
// It handles only GET requests for the page's own files (same origin); it fetches nothing
// but those files, and it stores only those files — never data.
// Network first: online, every visit gets the deployed version (so a new version is
// picked up on the next visit) and refreshes the cache; offline, the cache answers.
// The workbook reader (survcalc-sheet*) is not loaded by the page until a workbook is
// dropped; it is kept here too, so that workbooks open offline after the first visit.
const CACHE = 'survcalc-files-v2';
const FILES = ['./', './index.html', './boot.js', './worker.js', './style.css', './survcalc-web.js', './survcalc-web_bg.wasm', './survcalc-sheet.js', './survcalc-sheet_bg.wasm'];

self.addEventListener('install', (event) => {
  // The files were just loaded by the page, so these come from the browser's cache (all
  // but the workbook reader, fetched once here, after the page has loaded).
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((c) => c.put(request, copy));
        }
        return response;
      })
      .catch(() => caches.match(request, { ignoreSearch: true })
        .then((hit) => hit || (request.mode === 'navigate' ? caches.match('./index.html') : undefined))
        .then((hit) => hit || Response.error())),
  );
});
