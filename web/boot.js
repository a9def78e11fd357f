// Starts the app. Trunk's own inline loader is turned off (Trunk.toml: inject_scripts =
// false) so that the Content-Security-Policy can forbid inline scripts; file names are
// fixed (filehash = false) so this loader can name them. Paths are relative, so the site
// works from any sub-path.
import init from './survcalc-web.js';

// Offline use: a service worker keeps the page's own files (web/sw.js). Where service
// workers are unavailable (file://, some private modes) the page works online as before.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('./sw.js').catch(() => {});
}

// A share link pasted into the address bar of an open page changes only the fragment;
// the page reads links when it starts, so it starts again. (The page itself never
// changes its fragment.)
window.addEventListener('hashchange', () => window.location.reload());

init({ module_or_path: new URL('./survcalc-web_bg.wasm', import.meta.url) });
