// The page's Web Worker: the same WebAssembly module as the page, doing the reading and
// analysis (survcalc_web::engine) off the page's thread so the tab never freezes.
// Messages: { id, job, bytes? } in, { id, reply } out (see web/src/client.rs).
import init, { worker_handle } from './survcalc-web.js';

const ready = init({ module_or_path: new URL('./survcalc-web_bg.wasm', import.meta.url) });

self.onmessage = async (event) => {
  await ready;
  const { id, job, bytes } = event.data;
  const reply = worker_handle(job, bytes);
  self.postMessage({ id, reply });
};
