// Starts the app. Trunk's own inline loader is turned off (Trunk.toml: inject_scripts =
// false) so that the Content-Security-Policy can forbid inline scripts; file names are
// fixed (filehash = false) so this loader can name them. Paths are relative, so the site
// works from any sub-path.

// The calculation worker (web/worker.js) starts first, and is handed the module this page
// compiles, so that the module is fetched and compiled once, not once per thread, and the
// worker is ready while the page builds itself; web/src/client.rs adopts it (and starts
// one itself if this one could not be made).
let worker;
try {
  worker = new Worker('./worker.js', { type: 'module' });
  // One that fails before the page adopts it is not adopted: the page's own then says why.
  worker.addEventListener('error', () => { window.survcalcWorker = undefined; }, { once: true });
  window.survcalcWorker = worker;
} catch (_) {
  // No early worker: the page starts its own.
}

// Offline use: a service worker keeps the page's own files (web/sw.js). Where service
// workers are unavailable (file://, some private modes) the page works online as before.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch(() => {});
}

// A share link pasted into the address bar of an open page changes only the fragment;
// the page reads links when it starts, so it starts again. (The page itself never
// changes its fragment.)
window.addEventListener('hashchange', () => window.location.reload());

const url = new URL('./survcalc-web_bg.wasm', import.meta.url);
async function compile() {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch (_) {
    // A server that does not say application/wasm: compiled from the bytes.
    return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
  }
}
const [{ default: init }, module] = await Promise.all([import('./survcalc-web.js'), compile()]);
// The worker's first message: the module (it fetches its own if the first is a job).
worker?.postMessage({ module });
init({ module_or_path: module });
