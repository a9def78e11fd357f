// Starts the app. Trunk's own inline loader is turned off (Trunk.toml: inject_scripts =
// false) so that the Content-Security-Policy can forbid inline scripts; file names are
// fixed (filehash = false) so this loader can name them. Paths are relative, so the site
// works from any sub-path.
import init from './survcalc-web.js';

init({ module_or_path: new URL('./survcalc-web_bg.wasm', import.meta.url) });
