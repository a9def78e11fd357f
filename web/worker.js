// The page's Web Worker: the same WebAssembly module as the page, doing the reading and
// analysis (survcalc_web::engine) off the page's thread so the tab never freezes.
// Messages: { id, job, bytes? } in; { id, reply } out, or { id, crashed, memory } when the
// module trapped (see web/src/client.rs).
import init, { worker_handle } from './survcalc-web.js';

const ready = init({ module_or_path: new URL('./survcalc-web_bg.wasm', import.meta.url) });

self.onmessage = async (event) => {
  const { id, job, bytes } = event.data;
  try {
    await ready;
    const reply = worker_handle(job, bytes);
    self.postMessage({ id, reply });
  } catch (e) {
    // A trap (a Rust panic under panic = abort) or running out of WebAssembly memory
    // leaves the module unusable: every later job would fail ("already borrowed"). Say
    // what happened, and stop; the page starts a fresh worker. An async handler's throw
    // would be a rejected promise that fires no `error` event, so nothing is rethrown.
    const text = String((e && e.message) || e);
    // Rust aborts (a WebAssembly `unreachable` trap) when an allocation fails, so a trap
    // with the module's memory near WebAssembly's 4 GiB ceiling is running out of memory.
    let used = 0;
    try {
      used = (await ready).memory.buffer.byteLength;
    } catch (_) {
      // The module never loaded: not a memory problem.
    }
    const memory = e instanceof RangeError || /memory|allocat/i.test(text) || used > 2 ** 31;
    try {
      self.postMessage({ id, crashed: text, memory });
    } catch (_) {
      // Not even a message could be sent: an uncaught error reaches the page's onerror.
      setTimeout(() => { throw e; });
      return;
    }
    self.close();
  }
};
