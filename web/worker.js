// The page's Web Worker: the same WebAssembly module as the page, doing the reading and
// analysis (survcalc_web::engine) off the page's thread so the tab never freezes.
// Messages: { id, job, bytes? } in; { id, reply } out, or { id, crashed, memory } when the
// module trapped (see web/src/client.rs).
import init, { worker_handle } from './survcalc-web.js';

// The page that started this worker first sends the module it compiled (web/boot.js):
// instantiated here without fetching or compiling it again. A worker the page starts
// later (after a crash or a cancel) gets a job first, and loads the module itself.
let moduleGiven;
const given = new Promise((resolve) => { moduleGiven = resolve; });
const ready = given.then((module) => init({
  module_or_path: module ?? new URL('./survcalc-web_bg.wasm', import.meta.url),
}));

// Workbooks (.xlsx, .xls, .ods) are read by a module of their own (crates/sheet), which
// this worker imports the first time the data is a workbook: the page leaves calamine
// (about a quarter of its size) out until then. The Rust side calls
// self.survcalcReadWorkbook (web/src/worker.rs), which throws if the module is missing.
let sheet = null;
let sheetError = '';
let dataIsWorkbook = false;
self.survcalcReadWorkbook = (bytes, options) => {
  if (!sheet) throw new Error(sheetError || 'could not be loaded');
  try {
    return sheet.read_workbook(bytes, options);
  } catch (e) {
    // A trap in the reader: load it afresh next time.
    sheet = null;
    sheetError = '';
    throw e;
  }
};

// A ZIP archive (.xlsx, .xlsb, .ods) or an OLE compound file (.xls), as the Rust side's
// workbook_signature (crates/io/src/table/mod.rs) tells them.
async function isWorkbook(bytes) {
  let head = new Uint8Array(0);
  if (bytes instanceof Blob) head = new Uint8Array(await bytes.slice(0, 8).arrayBuffer());
  else if (ArrayBuffer.isView(bytes)) head = new Uint8Array(bytes.buffer, bytes.byteOffset, Math.min(8, bytes.byteLength));
  const starts = (sig) => sig.every((b, i) => head[i] === b);
  return starts([0x50, 0x4b, 0x03, 0x04]) || starts([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
}

async function loadSheet() {
  if (sheet) return;
  try {
    const module = await import('./survcalc-sheet.js');
    await module.default({ module_or_path: new URL('./survcalc-sheet_bg.wasm', import.meta.url) });
    sheet = module;
  } catch (e) {
    // Said where the workbook is read, with what to do.
    sheetError = `could not be loaded (${String((e && e.message) || e)})`;
  }
}

// Jobs run one at a time, in the order they came: a job's wait for its bytes' first
// bytes (or for the workbook reader) must not let a later job run before it.
let queue = Promise.resolve();
self.onmessage = (event) => {
  // The module comes first or not at all: a job first settles it as "fetch your own"
  // (resolving again changes nothing).
  if (event.data?.module instanceof WebAssembly.Module) {
    moduleGiven(event.data.module);
    return;
  }
  moduleGiven(undefined);
  queue = queue.then(() => run(event));
};

async function run(event) {
  const { id, job, bytes } = event.data;
  try {
    await ready;
    if (bytes != null) dataIsWorkbook = await isWorkbook(bytes);
    if (dataIsWorkbook) await loadSheet();
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
}
