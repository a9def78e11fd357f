// The tab's peak memory with a big file (issue 15: ≤ 400 MB at 10^6 rows): the built page
// (dist/) in headless Chromium, opened with its example, then each CSV chosen from disk as
// a user chooses it; printed is the renderer's peak resident set (Linux VmHWM, in MB of
// 10^6 bytes) after the example and after the file, and the seconds from choosing the
// file to its results. The page's renderer is the one whose peak grew (the page, its
// worker and their WebAssembly memories are one process).
//   node tests/bench/page-memory.mjs ROWS FILE.csv [FILE.csv ...]
// A benchmark, not a test: it fails only if the page does not show the file's results.
import fs from 'node:fs';
import path from 'node:path';
import { serve, launch, openPage, settle } from '../browser/e2e/harness.js';

const [rows, ...files] = process.argv.slice(2);
if (!rows || files.length === 0) {
  console.error('usage: node tests/bench/page-memory.mjs ROWS FILE.csv [FILE.csv ...]');
  process.exit(2);
}

/** Peak resident set (bytes) of every renderer process, by pid. */
function renderers() {
  const out = new Map();
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const kib = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (kib) out.set(pid, Number(kib[1]) * 1024);
    } catch {
      // The process ended while it was read.
    }
  }
  return out;
}

const mb = (b) => (b / 1e6).toFixed(1);
const { server, base } = await serve();
const browser = await launch();
let failed = false;
try {
  console.log('file\trows\tfile_mb\texample_mb\tpeak_mb\tresults_s');
  for (const file of files) {
    const { context, page } = await openPage(browser, base);
    try {
      // Let the example's figure settle, then take the baseline.
      await settle(page);
      const before = renderers();
      const started = Date.now();
      await page.setInputFiles('[data-testid="file"]', file);
      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="counts"]')?.textContent.includes(`n = ${n}`),
        rows,
        { timeout: 180000 },
      );
      const secs = (Date.now() - started) / 1000;
      await settle(page);
      const after = renderers();
      let best = null;
      for (const [pid, peak] of after) {
        const grew = peak - (before.get(pid) ?? 0);
        if (before.has(pid) && (!best || grew > best.grew)) best = { pid, peak, grew, was: before.get(pid) };
      }
      if (!best) throw new Error('no renderer process found (Linux /proc only)');
      console.log([path.basename(file), rows, mb(fs.statSync(file).size), mb(best.was), mb(best.peak), secs.toFixed(2)].join('\t'));
    } finally {
      await context.close();
    }
  }
} catch (e) {
  console.error(`page-memory: ${e.message}`);
  failed = true;
} finally {
  await browser.close();
  server.close();
}
process.exit(failed ? 1 : 0);
