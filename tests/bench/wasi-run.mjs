// Runs a wasm32-wasip1 program under Node's WASI with the given arguments:
//   node tests/bench/wasi-run.mjs program.wasm [ARGS...]
// Used by scripts/bench-import.sh to time the core as WebAssembly. Nothing is
// preopened: the program gets no file system, as in the page.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';
import process from 'node:process';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node wasi-run.mjs program.wasm [ARGS...]');
  process.exit(2);
}
const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
// Exit at once: Node 20 can crash tearing down a large WebAssembly memory.
process.exit(wasi.start(instance));
