// Shared set-up for the end-to-end tests: a static server for dist/ mounted under a
// sub-path (to prove relative URLs work), Debian's Chromium driven by playwright-core
// (no browser download), a log of every request, and the CLI for the core's numbers.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DIST = process.env.SURVCALC_DIST || path.join(ROOT, 'dist');
export const SUBPATH = '/some/sub/path/';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
};

/**
 * The headers of dist/_headers (the `/*` block), as a host that reads the file sends
 * them: the tests run the page under its header CSP as well as its meta tag.
 */
function HEADERS(dir) {
  const file = path.join(dir, '_headers');
  if (!fs.existsSync(file)) return {};
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^\s+([A-Za-z-]+):\s*(.+)$/);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** Serves `dir` (dist/) under SUBPATH on a free loopback port; resolves to { server, base }. */
export function serve(dir = DIST) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      const url = new URL(req.url, 'http://x');
      if (!url.pathname.startsWith(SUBPATH)) {
        res.writeHead(404).end('outside the sub-path');
        return;
      }
      let rel = decodeURIComponent(url.pathname.slice(SUBPATH.length)) || 'index.html';
      const file = path.join(dir, path.normalize(rel));
      if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { ...HEADERS(dir), 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, base: `http://127.0.0.1:${server.address().port}${SUBPATH}` });
    });
  });
}

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * Opens the page in a fresh context, recording every request and page error.
 * Resolves when the built-in example has been analysed.
 */
export async function openPage(browser, base, contextOptions = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...contextOptions });
  const requests = [];
  // `sw`: made by the page's service worker (its offline copy), not by the page.
  context.on('request', (r) => requests.push({ url: r.url(), at: Date.now(), sw: r.serviceWorker() !== null }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.goto(base, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid="median-0"]', { timeout: 30000 });
  // The page's own files include the offline copy its service worker keeps.
  await page.evaluate(() => Promise.race([
    navigator.serviceWorker?.ready,
    new Promise((r) => setTimeout(r, 10000)),
  ]));
  return { context, page, requests, errors, dialogs, loadedAt: Date.now() };
}

/** The CLI binary built from this checkout (release if present, else debug). */
export function cli() {
  for (const p of [process.env.SURVCALC_CLI, 'target/debug/survcalc', 'target/release/survcalc']) {
    if (p && fs.existsSync(path.join(ROOT, p))) return path.join(ROOT, p);
    if (p && path.isAbsolute(p) && fs.existsSync(p)) return p;
  }
  throw new Error('survcalc CLI not built: run cargo build -p survcalc-cli');
}

/** `survcalc analyze` on a CSV text: a function of the extra arguments, giving stdout. */
export function analyzeWith(csvText) {
  const tmp = path.join(fs.mkdtempSync('/tmp/survcalc-e2e-'), 'data.csv');
  fs.writeFileSync(tmp, csvText);
  return (...args) => execFileSync(cli(), ['analyze', tmp, ...args], { encoding: 'utf8' });
}

/** The core's JSON report for a CSV text, via the CLI. */
export function coreReport(csvText, extraArgs = []) {
  return JSON.parse(analyzeWith(csvText)('--format', 'json', ...extraArgs));
}

export function exampleCsv() {
  return execFileSync(cli(), ['example'], { encoding: 'utf8' });
}

/**
 * Waits until the page's worker has answered everything asked of it: two animation
 * frames (so that a change has been turned into a request), then an empty progress line.
 */
export async function settle(page) {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForFunction(() => document.querySelector('[data-testid="busy"]')?.textContent === '', null, { timeout: 60000 });
}

/** Pastes text into the data box, runs the analysis and waits for its results. */
export async function paste(page, text) {
  await page.fill('[data-testid="paste"]', text);
  await page.click('[data-testid="analyze-pasted"]');
  await settle(page);
}

/** Attribute values (as numbers where numeric) of an element. */
export async function dataOf(page, testid) {
  return page.$eval(`[data-testid="${testid}"]`, (el) => {
    const o = { text: el.textContent };
    for (const a of el.getAttributeNames()) if (a.startsWith('data-')) o[a.slice(5)] = el.getAttribute(a);
    return o;
  });
}

export function close(a, b, rel, what) {
  const ok = Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-300);
  if (!ok) throw new Error(`${what}: page ${a} vs expected ${b} (rel tol ${rel})`);
}

/**
 * Chooses the File the page holds in `window[name]` (built in the page, as a user's file
 * exists before they choose it: Playwright's setInputFiles would itself block the page
 * while it decodes a big file) through the file input.
 */
export async function chooseBuilt(page, name) {
  await page.evaluate((n) => {
    const dt = new DataTransfer();
    dt.items.add(window[n]);
    const input = document.querySelector('[data-testid="file"]');
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, name);
}

/**
 * Starts a monitor of the page's longest task (the Long Tasks API: a task of its main
 * thread over 50 ms, during which it answers no input); resolves to 0 when there was none.
 */
export async function watchLongTasks(page) {
  await page.evaluate(() => {
    window.__longest = 0;
    window.__longTasks = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    });
    window.__longTasks.observe({ type: 'longtask' });
  });
  return async () => page.evaluate(() => {
    for (const e of window.__longTasks.takeRecords()) window.__longest = Math.max(window.__longest, e.duration);
    window.__longTasks.disconnect();
    return window.__longest;
  });
}

/** Starts a monitor of the page's main thread: the longest gap between 20 ms ticks. */
export async function watchGaps(page) {
  await page.evaluate(() => {
    window.__gaps = { last: performance.now(), max: 0 };
    window.__tick = setInterval(() => {
      const now = performance.now();
      window.__gaps.max = Math.max(window.__gaps.max, now - window.__gaps.last);
      window.__gaps.last = now;
    }, 20);
  });
  return async () => page.evaluate(() => { clearInterval(window.__tick); return window.__gaps.max; });
}
