// End-to-end tests of the built page in headless Chromium. Run from tests/browser with
// `npm test` after `trunk build` (the README's test command does both).
//
// - the page opens with the example analysed, equal to the core (CLI JSON)
// - pasting R's veteran data shows R's medians, log-rank P and HR (tests/fixtures)
// - choosing a file works like pasting
// - bad input gives messages naming row and column; excluded rows are listed
// - cell contents are text, never markup
// - no request leaves the page's origin, and none happens after load
// - reading options (delimiter, header, …), units, group labels/order and the censor
//   value change the analysis as the CLI's flags do
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  ROOT, serve, launch, openPage, coreReport, exampleCsv, paste, settle, dataOf, close, analyzeWith, cli,
  chooseBuilt, watchGaps, watchLongTasks,
} from './harness.js';

let server, base, browser;
const REL = 1e-12; // the page shows the core's own doubles, printed with {:e}
const R_REL = 1e-9; // against R's fixture values (the core's golden tests use 1e-10 / 1e-8)

before(async () => {
  ({ server, base } = await serve());
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

function num(s) {
  return s === 'NA' ? null : Number(s);
}

test('opens with the built-in example analysed, equal to the core', async () => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    const report = coreReport(exampleCsv());
    assert.equal(report.summaries.length, 2);
    for (let i = 0; i < 2; i++) {
      const m = await dataOf(page, `median-${i}`);
      close(num(m.value), report.summaries[i].median.estimate, REL, `median ${i}`);
      assert.equal(num(m.lower), report.summaries[i].median.lower);
      const n = await dataOf(page, `n-${i}`);
      assert.equal(Number(n.text), report.summaries[i].n);
    }
    const lr = await dataOf(page, 'logrank');
    close(Number(lr.value), report.log_rank.p_value, REL, 'log-rank P');
    const hr = await dataOf(page, 'hr-0');
    close(Number(hr.value), report.cox.terms[0].hr, REL, 'HR');
    close(Number(hr.lower), report.cox.terms[0].hr_lower, REL, 'HR lower');
    assert.match(hr.text, /HR Sorafenib\+HAIC vs Sorafenib: 0\.\d\d \(95% CI: 0\.\d\d, 0\.\d\d\); Wald P < \.001/);
    assert.match(await page.textContent('[data-testid="source"]'), /simulated/);
    // The figure was drawn: the canvas is not blank.
    const inked = await page.$eval('[data-testid="km-canvas"]', (c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] < 200 || d[i + 1] < 200 || d[i + 2] < 200) n++;
      return n;
    });
    assert.ok(inked > 5000, `canvas has ${inked} dark pixels`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("pasting R's veteran data shows the numbers R prints", async () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.json'), 'utf8'));
  const csv = fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.csv'), 'utf8');
  const { context, page, errors } = await openPage(browser, base);
  try {
    await paste(page, csv);
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('pasted'));
    assert.equal(await page.inputValue('[data-testid="time-col"]'), 'time');
    assert.equal(await page.inputValue('[data-testid="event-col"]'), 'status');
    assert.equal(await page.inputValue('[data-testid="group-col"]'), 'trt');
    fixture.median.log.forEach((m, i) => m.group === fixture.levels[i] || assert.fail('level order'));
    for (let i = 0; i < 2; i++) {
      const r = fixture.median.log[i];
      const m = await dataOf(page, `median-${i}`);
      close(num(m.value), r.estimate, R_REL, `median ${i}`);
      close(num(m.lower), r.lower, R_REL, `median ${i} lower`);
      close(num(m.upper), r.upper, R_REL, `median ${i} upper`);
    }
    const lr = await dataOf(page, 'logrank');
    close(Number(lr.value), fixture.survdiff.p, R_REL, 'log-rank P');
    close(Number(lr.chisq), fixture.survdiff.chisq, R_REL, 'log-rank chisq');
    const hr = await dataOf(page, 'hr-0');
    close(Number(hr.value), Math.exp(fixture.coxph.efron.coef[0]), R_REL, 'HR');
    // R: exp(coef) 1.018, lower .95 0.7144, upper .95 1.45, p 0.922.
    assert.match(hr.text, /1\.02 \(95% CI: 0\.71, 1\.45\); Wald P = \.92/);
    assert.match(await page.textContent('[data-testid="counts"]'), /n = 137 of 137 rows \(0 excluded\)/);
    // Breslow ties, as SAS: the page follows the setting.
    await page.selectOption('[data-testid="ties"]', 'breslow');
    await page.waitForFunction((v) => document.querySelector('[data-testid="hr-0"]').dataset.value !== v, hr.value);
    const hrB = await dataOf(page, 'hr-0');
    close(Number(hrB.value), Math.exp(fixture.coxph.breslow.coef[0]), R_REL, 'HR breslow');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('choosing a file analyses it like pasting', async () => {
  const { context, page } = await openPage(browser, base);
  try {
    await page.setInputFiles('[data-testid="file"]', path.join(ROOT, 'tests/fixtures/veteran.csv'));
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('veteran.csv'));
    await page.waitForFunction(() => document.querySelector('[data-testid="n-0"]')?.textContent === '69');
    assert.equal(await page.textContent('[data-testid="n-1"]'), '68');
  } finally {
    await context.close();
  }
});

test('bad input: messages name the row and column; excluded rows are counted and listed', async () => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    // Empty text.
    await paste(page, '');
    assert.match(await page.textContent('[data-testid="error"]'), /empty/);
    // Header only.
    await paste(page, 'time,status,arm\n');
    assert.match(await page.textContent('[data-testid="error"]'), /no data rows/);
    // Bad rows among good ones.
    const csv = 'time,status,arm\n5,1,A\nabc,1,A\n-3,0,B\n7,maybe,B\n8,1,\n9,0,B\n4,1,A\n6,1,B\n';
    await paste(page, csv);
    await page.waitForSelector('[data-testid="excluded"]');
    assert.match(await page.textContent('[data-testid="counts"]'), /n = 4 of 8 rows \(4 excluded\)/);
    const items = await page.$$eval('[data-testid="excluded"] li', (els) => els.map((e) => e.textContent));
    assert.equal(items.length, 4);
    assert.match(items[0], /line 3, column "time", value "abc": time is not a number/);
    assert.match(items[1], /line 4, column "time", value "-3": negative time/);
    assert.match(items[2], /line 5, column "status", value "maybe": unknown event value/);
    assert.match(items[3], /line 6, column "arm", value "": missing group/);
    // Every row invalid.
    await paste(page, 'time,status,arm\nx,1,A\ny,0,B\n');
    assert.match(await page.textContent('[data-testid="error"]'), /none of the 2 rows can be analysed.*line 2, column "time"/);
    // A single group: curve and median, with a message instead of a test.
    await paste(page, 'time,status,arm\n1,1,A\n2,0,A\n3,1,A\n');
    assert.match(await page.textContent('[data-testid="warnings"]'), /only one group \("A"\)/);
    assert.equal(await page.$('[data-testid="logrank"]'), null);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('cell contents are shown as text, never run as markup', async () => {
  const { context, page, dialogs, errors } = await openPage(browser, base);
  try {
    const evil = '<img src=x onerror=alert(1)>';
    await paste(page, `time,status,arm\n1,1,${evil}\n2,0,${evil}\n3,1,B\n4,1,B\n`);
    await page.waitForSelector('[data-testid="summary"]');
    assert.equal(await page.textContent('[data-testid="summary"] tbody th'), evil);
    assert.equal(await page.$('main img'), null);
    await page.waitForTimeout(300);
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a whole workflow: no request leaves the origin, none after load, nothing stored', async () => {
  const { context, page, requests, loadedAt } = await openPage(browser, base);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  try {
    const origin = new URL(base).origin;
    // Load, paste, analyse, change settings, export everything, copy a link.
    await paste(page, fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.csv'), 'utf8'));
    await page.waitForFunction(() => document.querySelector('[data-testid="n-0"]')?.textContent === '69');
    await page.selectOption('[data-testid="conf-type"]', 'log-log');
    await page.fill('[data-testid="landmarks-input"]', '90, 180');
    await page.press('[data-testid="landmarks-input"]', 'Tab');
    await settle(page);
    for (const button of ['save-svg', 'save-png', 'save-results-csv', 'save-km-csv', 'save-report']) {
      const download = page.waitForEvent('download');
      await page.click(`[data-testid="${button}"]`);
      assert.ok(fs.statSync(await (await download).path()).size > 100, button);
    }
    await page.click('[data-testid="copy-sentences"]');
    await page.click('[data-testid="copy-link"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="share-status"]')?.textContent.startsWith('Link copied'));
    await page.waitForTimeout(300);
    const foreign = requests.filter((r) => !r.url.startsWith(origin) && !r.url.startsWith('blob:') && !r.url.startsWith('data:'));
    assert.deepEqual(foreign, [], 'requests to other origins');
    const late = requests.filter((r) => r.at > loadedAt && !r.url.startsWith('blob:') && !r.url.startsWith('data:'));
    assert.deepEqual(late.map((r) => r.url), [], 'requests after the page loaded');
    const own = requests.map((r) => new URL(r.url).pathname.replace(/.*\//, ''));
    assert.ok(own.includes('survcalc-web_bg.wasm'), `own files: ${own}`);
    // Nothing stored: no cookies, local or session storage, IndexedDB; the offline cache
    // holds the page's own files and nothing else.
    const stored = await page.evaluate(async () => ({
      cookie: document.cookie,
      local: localStorage.length,
      session: sessionStorage.length,
      idb: (await indexedDB.databases()).length,
      cached: (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname.replace(/.*\//, ''))))).flat().sort(),
    }));
    assert.deepEqual(
      { ...stored, cached: undefined },
      { cookie: '', local: 0, session: 0, idb: 0, cached: undefined },
    );
    assert.deepEqual(stored.cached, ['', 'boot.js', 'index.html', 'style.css', 'survcalc-sheet.js', 'survcalc-sheet_bg.wasm', 'survcalc-web.js', 'survcalc-web_bg.wasm', 'worker.js']);
  } finally {
    await context.close();
  }
});

test('convention presets and settings change the numbers as that software would', async () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.json'), 'utf8'));
  const csv = fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.csv'), 'utf8');
  const { context, page, errors } = await openPage(browser, base);
  try {
    await paste(page, csv);
    await page.waitForFunction(() => document.querySelector('[data-testid="n-0"]')?.textContent === '69');
    await page.selectOption('[data-testid="convention"]', 'sas');
    assert.equal(await page.inputValue('[data-testid="conf-type"]'), 'log-log');
    assert.equal(await page.inputValue('[data-testid="ties"]'), 'breslow');
    // SAS's log-log band moves the median's limits to R's conf.type = "log-log" values.
    await page.waitForFunction(
      (v) => Number(document.querySelector('[data-testid="median-0"]').dataset.lower) === v,
      fixture.median['log-log'][0].lower,
    );
    const hr = await dataOf(page, 'hr-0');
    close(Number(hr.value), Math.exp(fixture.coxph.breslow.coef[0]), R_REL, 'HR breslow (SAS)');
    // Landmarks: the page shows what the core reports for the same settings.
    await page.fill('[data-testid="landmarks-input"]', '100, 200');
    await page.press('[data-testid="landmarks-input"]', 'Tab');
    await page.waitForSelector('[data-testid="landmarks"]');
    const report = coreReport(csv, ['--convention', 'sas', '--landmarks', '100,200']);
    const rows = await page.$$eval('[data-testid="landmarks"] tbody tr', (trs) => trs.map((t) => t.textContent));
    assert.equal(rows.length, 2);
    const s100 = report.landmarks[0].rows[0].surv.toFixed(3);
    assert.ok(rows[0].includes(s100), `${rows[0]} should show S(100) = ${s100}`);
    // A bad entry is reported, not ignored.
    await page.fill('[data-testid="landmarks-input"]', '100, x');
    await page.press('[data-testid="landmarks-input"]', 'Tab');
    assert.match(await page.textContent('[data-testid="input-error"]'), /"x" is not a time/);
    // The whole log-rank family is listed with the method of each.
    const tests = await page.$$eval('[data-testid="tests"] tbody tr', (trs) => trs.map((t) => t.textContent));
    assert.ok(tests.some((t) => t.includes('Gehan–Breslow')) && tests.some((t) => t.includes('MaxCombo')));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the example shows response and adverse events by arm, equal to the core', async () => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    const tmp = path.join(fs.mkdtempSync('/tmp/survcalc-e2e-'), 'ex.csv');
    fs.writeFileSync(tmp, exampleCsv());
    const { execFileSync } = await import('node:child_process');
    const { cli } = await import('./harness.js');
    const resp = JSON.parse(execFileSync(cli(), ['response', tmp, '--outcome', 'response', '--group', 'arm'], { encoding: 'utf8' }));
    await page.waitForSelector('[data-testid="response"]');
    for (let i = 0; i < 2; i++) {
      const p = resp.arms[i].proportion;
      assert.match(await page.textContent(`[data-testid="resp-${i}"]`), new RegExp(`^${p.x}/${p.n} \\(`));
    }
    const t = await dataOf(page, 'resp-test-0');
    close(Number(t.value), resp.comparisons[0].fisher.p_value, REL, 'response Fisher P');
    const ae = JSON.parse(execFileSync(cli(), ['ae', tmp, '--group', 'arm', '--columns',
      'ae_diarrhoea,ae_hand_foot,ae_thrombocytopenia', '--grades', '3-4'], { encoding: 'utf8' }));
    const rows = await page.$$eval('[data-testid="ae-table"] tbody tr', (trs) => trs.map((r) => r.textContent));
    assert.equal(rows.length, ae.rows.length);
    ae.rows.forEach((r, i) => assert.ok(rows[i].includes(`${r.counts[1]} (`), `${rows[i]} vs ${r.counts}`));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a spreadsheet (.xlsx) and a UTF-16 export load like a CSV', async () => {
  const { context, page, errors, requests } = await openPage(browser, base);
  try {
    // The workbook reader is a module of its own (crates/sheet): the page does not load
    // it until a workbook is chosen (only its service worker keeps a copy).
    const reader = () => requests.filter((r) => !r.sw && /survcalc-sheet(_bg\.wasm|\.js)$/.test(r.url));
    assert.deepEqual(reader(), [], 'the workbook reader is not loaded with the page');
    for (const [file, args] of [['tests/corpus/trial.xlsx', []], ['tests/corpus/veteran_utf16.txt', []]]) {
      const report = JSON.parse((await import('node:child_process')).execFileSync(
        (await import('./harness.js')).cli(), ['analyze', path.join(ROOT, file), '--format', 'json', ...args], { encoding: 'utf8' },
      ));
      await page.setInputFiles('[data-testid="file"]', path.join(ROOT, file));
      const name = path.basename(file);
      await page.waitForFunction((n) => document.querySelector('[data-testid="source"]')?.textContent.includes(n), name);
      await page.waitForFunction((n) => document.querySelector('[data-testid="n-0"]')?.textContent === String(n), report.summaries[0].n);
      const m = await dataOf(page, 'median-0');
      close(Number(m.value), report.summaries[0].median.estimate, REL, `${name} median`);
      assert.equal(await page.textContent('[data-testid="summary"] tbody th'), report.groups[0]);
      if (file.endsWith('.xlsx')) {
        assert.ok(reader().some((r) => r.url.endsWith('survcalc-sheet_bg.wasm')), 'the workbook reader is loaded for a workbook');
      }
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a workbook whose reader cannot be loaded gets a message saying what to do', async () => {
  // No service worker (so nothing answers from its copy) and the reader's module refused,
  // as when the page is opened offline before the reader was ever kept.
  const { context, page, errors } = await openPage(browser, base, { serviceWorkers: 'block' });
  try {
    await context.route('**/survcalc-sheet_bg.wasm', (route) => route.abort('internetdisconnected'));
    await page.setInputFiles('[data-testid="file"]', path.join(ROOT, 'tests/corpus/trial.xlsx'));
    await page.waitForFunction(() => /workbook reader/.test(document.querySelector('[data-testid="error"]')?.textContent ?? ''));
    const text = await page.textContent('[data-testid="error"]');
    assert.match(text, /this is a spreadsheet file, and the page's workbook reader could not be loaded \(/);
    assert.match(text, /save the sheet as CSV/);
    // A CSV still reads: the worker is not broken.
    await page.setInputFiles('[data-testid="file"]', path.join(ROOT, 'tests/fixtures/veteran.csv'));
    await page.waitForFunction(() => document.querySelector('[data-testid="n-0"]')?.textContent === '69');
    assert.deepEqual(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|survcalc-sheet/.test(e)), []);
  } finally {
    await context.close();
  }
});

test('strata and covariates give the stratified test and the adjusted Cox model', async () => {
  const csv = fs.readFileSync(path.join(ROOT, 'tests/fixtures/lung.csv'), 'utf8');
  const { context, page, errors } = await openPage(browser, base);
  try {
    await paste(page, csv);
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('pasted'));
    await page.selectOption('[data-testid="time-col"]', 'time');
    await page.selectOption('[data-testid="event-col"]', 'dead');
    await page.selectOption('[data-testid="group-col"]', 'sex');
    await page.selectOption('[data-testid="strata"]', 'inst');
    await page.fill('[data-testid="covariates-input"]', 'age, ph.ecog');
    await page.press('[data-testid="covariates-input"]', 'Tab');
    await page.waitForSelector('[data-testid="cox-adjusted"]');
    const report = coreReport(csv, ['--time', 'time', '--event', 'dead', '--group', 'sex', '--strata', 'inst', '--covariates', 'age,ph.ecog']);
    const hrs = await page.$$eval('[data-testid="cox-adjusted"] tbody td[data-value]', (tds) => tds.map((t) => Number(t.dataset.value)));
    assert.equal(hrs.length, 3);
    hrs.forEach((h, i) => close(h, report.cox_adjusted.coefficients[i].hr, REL, `adjusted HR ${i}`));
    const s = await dataOf(page, 'stratified');
    close(Number(s.value), report.stratified_log_rank.p_value, REL, 'stratified P');
    await page.fill('[data-testid="covariates-input"]', 'age, nonsense');
    await page.press('[data-testid="covariates-input"]', 'Tab');
    assert.match(await page.textContent('[data-testid="input-error"]'), /"nonsense" is not a column/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('time can come from start and end dates, in the unit chosen', async () => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    await paste(page, 'arm,start,end,dead\nA,2020-01-01,2020-07-01,1\nA,2020-01-01,2021-01-01,0\nB,2020-02-01,2020-03-01,1\nB,2020-01-15,2020-12-15,1\n');
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('pasted'));
    await page.selectOption('[data-testid="date-start"]', 'start');
    await page.selectOption('[data-testid="date-end"]', 'end');
    await page.selectOption('[data-testid="event-col"]', 'dead');
    await page.selectOption('[data-testid="output-unit"]', 'months');
    await page.waitForFunction(() => document.querySelector('[data-testid="counts"]')?.textContent.includes('n = 4 of 4'));
    assert.equal(await page.$('[data-testid="time-unit"]'), null, 'no time-column unit with dates');
    // Group A: one death at 182 days = 5.98 months; its median is that time.
    const m = await dataOf(page, 'median-0');
    close(Number(m.value), 182 / 30.4375, REL, 'median from dates (months)');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('reading options, units, group labels and order, and the censor value', async () => {
  const { context, page, errors } = await openPage(browser, base);
  const csv = 'trt,futime,status,pid\n1,30,dead,a\n1,60,alive,b\n2,90,dead,c\n2,10,dead,d\n2,20,lost,e\n1,45,dead,a\n2,70,alive,f\n';
  try {
    await paste(page, csv);
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('pasted'));
    assert.match(await page.textContent('[data-testid="reading"]'), /comma-separated text, UTF-8, header row, decimal point/);
    await page.selectOption('[data-testid="time-col"]', 'futime');
    await page.selectOption('[data-testid="event-col"]', 'status');
    await page.selectOption('[data-testid="event-value"]', 'dead');
    await page.selectOption('[data-testid="censor-value"]', 'alive');
    await page.selectOption('[data-testid="group-col"]', 'trt');
    await page.selectOption('[data-testid="id-col"]', 'pid');
    await page.selectOption('[data-testid="time-unit"]', 'days');
    await page.selectOption('[data-testid="output-unit"]', 'weeks');
    await page.fill('[data-testid="group-labels"]', '1=Placebo, 2=Drug');
    await page.press('[data-testid="group-labels"]', 'Tab');
    await page.fill('[data-testid="group-order"]', 'Drug, Placebo');
    await page.press('[data-testid="group-order"]', 'Tab');
    await page.waitForFunction(() => document.querySelector('[data-testid="counts"]')?.textContent.includes('n = 6 of 7 rows (1 excluded)'));
    const report = coreReport(csv, [
      '--time', 'futime', '--event', 'status', '--event-value', 'dead', '--censor-value', 'alive',
      '--group', 'trt', '--id', 'pid', '--time-unit', 'days', '--unit', 'weeks',
      '--group-labels', '1=Placebo,2=Drug', '--group-order', 'Drug,Placebo',
    ]);
    assert.deepEqual(report.groups, ['Drug', 'Placebo']);
    const rows = await page.$$eval('[data-testid="median-0"]', (els) => els.map((e) => e.closest('tr').querySelector('th').textContent));
    assert.deepEqual(rows, ['Drug']);
    for (const i of [0, 1]) {
      const m = await dataOf(page, `median-${i}`);
      close(Number(m.value), report.summaries[i].median.estimate, REL, `median ${i} in weeks`);
    }
    // Drug's median: deaths at 10 and 90 days among 4 → 90 / 7 weeks.
    close(report.summaries[0].median.estimate, 90 / 7, REL, 'core median in weeks');
    assert.match(await page.textContent('[data-testid="excluded"]'), /"lost"/);
    assert.match(await page.textContent('[data-testid="warnings"]'), /appear more than once in column "pid" \("a" on lines 2 and 7\)/);

    // Read it again with the first row as data: columns become V1…V4 and the page says so.
    await page.click('.reading-options summary');
    await page.selectOption('[data-testid="read-header"]', 'no');
    await page.waitForFunction(() => document.querySelector('[data-testid="reading"]')?.textContent.includes('no header row'));
    const cols = await page.$$eval('[data-testid="time-col"] option', (os) => os.map((o) => o.value));
    // The first choice is time from the start and end dates.
    assert.deepEqual(cols, ['', 'V1', 'V2', 'V3', 'V4']);
    await page.selectOption('[data-testid="read-delimiter"]', 'semicolon');
    await page.waitForFunction(() => document.querySelector('[data-testid="reading"]')?.textContent.includes('semicolon-separated'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a million rows are read and analysed in the worker while the page stays responsive', async (t) => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    // A trial-shaped CSV made in the page (deterministic) as a File, with its event
    // counts by arm — made before the clock starts, as a user's file exists before they
    // choose it. (Playwright's setInputFiles would itself block the page while it
    // decodes 20 MB.)
    const events = await page.evaluate((rows) => {
      const lines = ['id,arm,os_months,os_event'];
      const counts = { Control: 0, Drug: 0 };
      let seed = 2024;
      const next = () => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return (seed + 0.5) / 2147483648;
      };
      // What the figure's table must print at the ticks 0, 12, …, 60 (numbers at risk,
      // censored and events before each tick), and each arm's distinct times.
      const ticks = [0, 12, 24, 36, 48, 60];
      const expect = {};
      const distinct = { Control: new Set(), Drug: new Set() };
      for (const arm of ['Control', 'Drug']) expect[arm] = { atRisk: ticks.map(() => 0), censored: ticks.map(() => 0), events: ticks.map(() => 0) };
      for (let i = 0; i < rows; i++) {
        const arm = i % 2 === 0 ? 'Control' : 'Drug';
        const os = (-Math.log(next()) * (arm === 'Drug' ? 18 : 12)).toFixed(2);
        const ev = next() < 0.7 ? 1 : 0;
        counts[arm] += ev;
        lines.push(`${i + 1},${arm},${os},${ev}`);
        const t = Number(os);
        distinct[arm].add(t);
        ticks.forEach((k, j) => {
          if (t >= k) expect[arm].atRisk[j] += 1;
          else if (ev) expect[arm].events[j] += 1;
          else expect[arm].censored[j] += 1;
        });
      }
      window.__file = new File([lines.join('\n') + '\n'], 'million.csv', { type: 'text/csv' });
      window.__expect = { ticks, expect, distinct: { Control: distinct.Control.size, Drug: distinct.Drug.size } };
      return counts;
    }, 1_000_000);
    // The page's own clock: the longest time between two 20 ms timer ticks while the
    // file is read and analysed. A frozen tab shows as a long gap.
    const started = Date.now();
    const size = await page.evaluate(() => window.__file.size);
    const gaps = await watchGaps(page);
    const longTasks = await watchLongTasks(page);
    await chooseBuilt(page, '__file');
    // The progress line says what is happening while it happens.
    await page.waitForFunction(() => /Reading|Analysing/.test(document.querySelector('[data-testid="busy"]')?.textContent ?? ''));
    // …and how far it is: the worker's progress, every 250 ms.
    const seen = await page.evaluate(() => new Promise((resolve) => {
      const texts = new Set();
      const timer = setInterval(() => {
        const p = document.querySelector('[data-testid="progress"]')?.textContent;
        if (p) texts.add(p.trim());
        if (document.querySelector('[data-testid="counts"]')?.textContent.includes('n = 1000000')) {
          clearInterval(timer);
          resolve([...texts]);
        }
      }, 20);
    }));
    t.diagnostic(`progress shown: ${seen.join(' | ')}`);
    assert.ok(seen.some((s) => /^\d+% of 20\.9 MB$/.test(s)), JSON.stringify(seen));
    assert.ok(seen.some((s) => /^\(.+\)$/.test(s)), JSON.stringify(seen));
    await page.waitForFunction(() => document.querySelector('[data-testid="counts"]')?.textContent.includes('n = 1000000 of 1000000 rows'), null, { timeout: 120000 });
    await settle(page);
    const elapsed = Date.now() - started;
    const maxGap = await gaps();
    const longest = await longTasks();
    t.diagnostic(`1,000,000 rows (${(size / 1e6).toFixed(1)} MB): ${elapsed} ms to results; longest main-thread gap ${maxGap.toFixed(0)} ms; longest task ${longest.toFixed(0)} ms`);
    assert.equal(await page.textContent('[data-testid="events-0"]'), String(events.Control));
    assert.equal(await page.textContent('[data-testid="events-1"]'), String(events.Drug));
    // Responsive: no pause anywhere near the seconds the work itself takes (a generous
    // bound, for slow CI machines; the figure above is the measurement).
    assert.ok(maxGap < 2000, `the page stopped for ${maxGap} ms`);
    // Issue 15: no task of the page's thread over 100 ms while it reads, analyses and
    // draws 10^6 rows (the worker's reply, the figure and its painting are separate tasks).
    assert.ok(longest <= 100, `a task of ${longest} ms on the page's thread`);
    // The page holds the curves thinned for drawing; its tables say how many rows the
    // full ones have, and the KM table's CSV (from the worker) has them all.
    const { ticks, expect, distinct } = await page.evaluate(() => window.__expect);
    // The Kaplan–Meier tables are put on the page when opened (ten thousand cells that
    // would otherwise be built, hidden, with the results).
    assert.equal(await page.$$eval('[data-testid="km-tables"] tbody', (b) => b.length), 0);
    await page.click('[data-testid="km-tables"] summary');
    await page.waitForSelector('[data-testid="km-tables"] tbody');
    assert.deepEqual(await page.$$eval('[data-testid="km-tables"] tbody', (bs) => bs.map((b) => b.rows.length)), [500, 500]);
    const kmNote = await page.$$eval('p.small', (ps) => ps.map((p) => p.textContent).join(' | '));
    for (const arm of ['Control', 'Drug']) {
      assert.ok(kmNote.includes(`Showing the first 500 of ${distinct[arm]} rows`), `${arm}: ${kmNote}`);
    }
    {
      const download = page.waitForEvent('download');
      await page.click('[data-testid="save-km-csv"]');
      const csv = fs.readFileSync(await (await download).path(), 'utf8');
      assert.equal(csv.trim().split('\n').length, 1 + distinct.Control + distinct.Drug);
    }
    // Other ticks: the worker thins the curves again, so the numbers under the figure are
    // the data's at every tick, and the page does not stop while it happens.
    const gaps2 = await watchGaps(page);
    const longTasks2 = await watchLongTasks(page);
    await page.click('[data-testid="figure-options"] summary');
    await page.fill('[data-testid="fig-x-max"]', '60');
    await page.press('[data-testid="fig-x-max"]', 'Tab');
    await page.fill('[data-testid="fig-tick-step"]', '12');
    await page.press('[data-testid="fig-tick-step"]', 'Tab');
    await settle(page);
    const longest2 = await longTasks2();
    t.diagnostic(`new ticks on 1,000,000 rows: longest main-thread gap ${(await gaps2()).toFixed(0)} ms; longest task ${longest2.toFixed(0)} ms`);
    assert.ok(longest2 <= 100, `a task of ${longest2} ms on the page's thread`);
    const download = page.waitForEvent('download');
    await page.click('[data-testid="save-svg"]');
    const svg = fs.readFileSync(await (await download).path(), 'utf8');
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].trim()).filter((x) => x !== '');
    const has = (seq) => texts.some((_, i) => seq.every((v, j) => texts[i + j] === String(v)));
    for (const arm of ['Control', 'Drug']) {
      for (const row of ['atRisk', 'censored', 'events']) {
        assert.ok(has(expect[arm][row]), `${arm} ${row} at ${ticks}: ${expect[arm][row]} not in the figure's table`);
      }
    }
    assert.ok(svg.length < 3e6, `the figure's SVG is ${svg.length} bytes`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('sentences, the copied table and the CSV downloads equal the core', async () => {
  const { context, page, errors } = await openPage(browser, base);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  try {
    const csv = exampleCsv();
    const run = analyzeWith(csv);
    // The CLI's text report ends with the same sentences.
    const cliSentences = run().split('for the paper:\n')[1].trim().split('\n').map((s) => s.trim());
    const pageSentences = await page.$$eval('[data-testid="sentences"] p', (ps) => ps.map((p) => p.textContent));
    assert.deepEqual(pageSentences, cliSentences);
    assert.match(pageSentences[0], /^The median OS was .* months \(95% CI: .*\) with Sorafenib\+HAIC and .* with Sorafenib \(HR = 0\.\d\d; 95% CI: .*; P < \.001\)\.$/);
    // Another style changes every sentence the same way.
    await page.selectOption('[data-testid="p-style"]', 'zero');
    await page.selectOption('[data-testid="ci-style"]', 'to');
    await page.waitForFunction(() => document.querySelector('[data-testid="sentences"] p')?.textContent.includes('P < 0.001'));
    assert.match(await page.textContent('[data-testid="sentences"] p'), /\(95% CI, [\d.]+ to (NR|[\d.]+)\)/);
    await page.click('[data-testid="copy-sentences"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="paper-status"]')?.textContent.includes('copied'));
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(copied.startsWith('The median OS was') && copied.includes('P < 0.001'), copied);
    await page.click('[data-testid="copy-table"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="paper-status"]')?.textContent.startsWith('Table copied'));
    const table = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(table.split('\n')[0], /^Group\tn\tEvents\tMedian, months \(95% CI\)\tRMST to [\d.]+ months \(95% CI\)\tHR \(95% CI\)\tP \(log-rank\)$/);
    assert.match(table.split('\n')[1], /^Sorafenib\t32\t28\t/);
    // Downloads are the CLI's exports: the same cells, numbers equal to the last bit or
    // two (WebAssembly's exp/log are not glibc's, so a last-place digit can differ).
    for (const [button, format] of [['save-km-csv', 'km-csv'], ['save-results-csv', 'csv']]) {
      const download = page.waitForEvent('download');
      await page.click(`[data-testid="${button}"]`);
      const got = fs.readFileSync(await (await download).path(), 'utf8').split('\n');
      const want = run('--format', format).split('\n');
      assert.equal(got.length, want.length, `${button}: rows`);
      got.forEach((line, i) => {
        const a = line.split(',');
        const b = want[i].split(',');
        assert.equal(a.length, b.length, `${button} line ${i + 1}`);
        a.forEach((cell, j) => {
          const x = Number(cell);
          const y = Number(b[j]);
          if (cell !== '' && Number.isFinite(x) && Number.isFinite(y)) close(x, y, 1e-13, `${button} line ${i + 1} cell ${j + 1}`);
          else assert.equal(cell, b[j], `${button} line ${i + 1} cell ${j + 1}`);
        });
      });
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('figure options redraw the figure; the 300 dpi PNG looks like the screen', async () => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    // Mean absolute difference (0–255) between the canvas and a PNG drawn at the canvas's size.
    const diff = async (pngPath) => {
      const b64 = fs.readFileSync(pngPath).toString('base64');
      return page.evaluate(async (data) => {
        const screen = document.querySelector('[data-testid="km-canvas"]');
        const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const c = document.createElement('canvas');
        c.width = screen.width;
        c.height = screen.height;
        const ctx = c.getContext('2d');
        ctx.drawImage(bitmap, 0, 0, c.width, c.height);
        const a = ctx.getImageData(0, 0, c.width, c.height).data;
        const b = screen.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let sum = 0;
        for (let i = 0; i < a.length; i += 4) sum += Math.abs(a[i] - b[i]) + Math.abs(a[i + 1] - b[i + 1]) + Math.abs(a[i + 2] - b[i + 2]);
        return sum / (3 * (a.length / 4));
      }, b64);
    };
    const savePng = async (name) => {
      const download = page.waitForEvent('download');
      await page.click('[data-testid="save-png"]');
      const d = await download;
      const file = path.join(fs.mkdtempSync('/tmp/survcalc-png-'), name);
      await d.saveAs(file);
      return file;
    };
    const canvasHash = () => page.$eval('[data-testid="km-canvas"]', (c) => c.toDataURL());
    const before = await canvasHash();
    await page.click('[data-testid="figure-options"] summary');
    // KMunicate is the default: its table under the plot, in the SVG too.
    {
      const download = page.waitForEvent('download');
      await page.click('[data-testid="save-svg"]');
      const svg = fs.readFileSync(await (await download).path(), 'utf8');
      assert.ok(svg.includes('At risk') && svg.includes('Censored') && svg.includes('Overall survival (%)'), 'KMunicate table and the endpoint on the y axis');
      assert.ok(svg.includes('width="7.200in"'), 'sized for a double column');
      assert.ok(svg.includes('Months since randomisation'));
    }
    await page.selectOption('[data-testid="fig-style"]', 'classic');
    for (const id of ['fig-ci-band', 'fig-median-lines', 'fig-risk-events']) {
      await page.check(`[data-testid="${id}"]`);
    }
    await page.fill('[data-testid="fig-x-max"]', '24');
    await page.press('[data-testid="fig-x-max"]', 'Tab');
    await page.fill('[data-testid="fig-tick-step"]', '6');
    await page.press('[data-testid="fig-tick-step"]', 'Tab');
    await settle(page);
    assert.notEqual(await canvasHash(), before, 'options redraw the canvas');
    const file = await savePng('options.png');
    const png = fs.readFileSync(file);
    // 7.2 inches at 300 dpi, and the file says so (pHYs: 11811 px per metre).
    assert.equal(png.readUInt32BE(16), 2160);
    const phys = png.indexOf(Buffer.from('pHYs'));
    assert.ok(phys > 0, 'a pHYs chunk');
    assert.equal(png.readUInt32BE(phys + 4), 11811);
    assert.equal(png[phys + 12], 1);
    const same = await diff(file);
    // The same PNG against a different figure (cumulative incidence, no band).
    await page.check('[data-testid="fig-incidence"]');
    await page.uncheck('[data-testid="fig-ci-band"]');
    await settle(page);
    const other = await diff(file);
    assert.ok(same < 6, `export vs screen: mean difference ${same.toFixed(2)} of 255`);
    assert.ok(same * 3 < other, `export vs screen ${same.toFixed(2)}; vs another figure ${other.toFixed(2)}`);
    // The SVG download follows the options too.
    const download = page.waitForEvent('download');
    await page.click('[data-testid="save-svg"]');
    const svg = fs.readFileSync(await (await download).path(), 'utf8');
    assert.ok(svg.includes('Cumulative incidence') && svg.includes('Cumulative number of events'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('endpoint tabs, settings and the HTML report follow the core', async () => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    const csv = exampleCsv();
    const run = analyzeWith(csv);
    // The PFS tab: the PFS columns, and sentences that say PFS.
    await page.click('[data-testid="tab-PFS"]');
    await settle(page);
    assert.equal(await page.getAttribute('[data-testid="tab-PFS"]', 'aria-selected'), 'true');
    assert.equal(await page.inputValue('[data-testid="time-col"]'), 'pfs_months');
    const pfs = JSON.parse(run('--time', 'pfs_months', '--event', 'pfs_event', '--format', 'json'));
    const m = await dataOf(page, 'median-0');
    close(Number(m.value), pfs.summaries[0].median.estimate, REL, 'PFS median');
    assert.match(await page.textContent('[data-testid="sentences"] p'), /^The median PFS was/);
    // Headline test, HR method and median CI: the page and the methods text change together.
    await page.selectOption('[data-testid="test"]', 'gehan');
    await page.selectOption('[data-testid="hr-method"]', 'mh');
    await page.selectOption('[data-testid="median-method"]', 'spss');
    await settle(page);
    assert.match(await page.textContent('[data-testid="test-headline"]'), /Gehan|Wilcoxon/);
    assert.match(await page.textContent('[data-testid="hr-headline"]'), /Mantel–Haenszel/);
    const methods = await page.textContent('[data-testid="methods-paragraph"]');
    assert.match(methods, /compared with the Gehan–Breslow \(generalised Wilcoxon\) test/);
    assert.match(methods, /Mantel–Haenszel method/);
    assert.match(methods, /median ± z × SE/);
    // The report: self-contained, with the page's own sentences and methods.
    const sentences = await page.$$eval('[data-testid="sentences"] p', (ps) => ps.map((p) => p.textContent));
    const download = page.waitForEvent('download');
    await page.click('[data-testid="save-report"]');
    const d = await download;
    assert.equal(d.suggestedFilename(), 'survcalc-report.html');
    const html = fs.readFileSync(await d.path(), 'utf8');
    const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    // The report covers the whole trial; its PFS section has the PFS tab's sentences.
    const sentencesDiv = html.match(/<div class="sentences" data-endpoint="PFS">([\s\S]*?)<\/div>/)[1];
    assert.ok(html.includes('<div class="sentences" data-endpoint="OS">'), 'the OS section too');
    const reportSentences = [...sentencesDiv.matchAll(/<p>([^<]*)<\/p>/g)].map((x) => unescape(x[1]));
    assert.deepEqual(reportSentences, sentences);
    // Each of the page's methods sentences is in the report's: once for every endpoint,
    // or "For PFS, …" where only PFS has it (RMST up to its own τ).
    for (const m of methods.split(/(?<=\.) (?=[A-Z])/)) {
      const own = `For PFS, ${m[0].toLowerCase()}${m.slice(1)}`;
      assert.ok(unescape(html).includes(m) || unescape(html).includes(own), `methods sentence in the report: ${m}`);
    }
    assert.ok(html.includes('<svg'));
    // Nothing to run or fetch (the SVG namespace URI is a name, not a request).
    for (const fetch of ['<script', 'src=', 'href=', 'url(', '@import', '<link', '<iframe']) assert.ok(!html.includes(fetch), fetch);
    assert.ok(html.includes('<li>Time: pfs_months</li>'));
    // With the default settings, the page's report equals the CLI's (but for the date and
    // the source's name).
    await page.click('[data-testid="tab-OS"]');
    await page.selectOption('[data-testid="test"]', 'logrank');
    await page.selectOption('[data-testid="hr-method"]', 'cox');
    await page.selectOption('[data-testid="median-method"]', 'band');
    await settle(page);
    const again = page.waitForEvent('download');
    await page.click('[data-testid="save-report"]');
    const pageHtml = fs.readFileSync(await (await again).path(), 'utf8');
    const strip = (s) => s.replace(/Made [^ ]+ with/, 'Made DATE with').replace(/<li>Source: .* \(read as/, '<li>Source: X (read as');
    const cliHtml = run('--format', 'html');
    // The response and adverse-event sentences of the page are in the report.
    const binary = await page.$$eval('[data-testid="binary-sentences"] p', (ps) => ps.map((p) => p.textContent));
    assert.equal(binary.length, 4);
    assert.match(binary[0], /^The response rate was [\d.]+% \(\d+ of 32; 95% CI: [\d.]+, [\d.]+\) with Sorafenib\+HAIC and/);
    for (const b of binary) assert.ok(unescape(pageHtml).includes(`<p>${b}</p>`), b);
    // Text and tables are equal; in the figure the curves, marks and numbers are, but the
    // legend box is sized from text metrics, which the browser build estimates without
    // font files, so it is left out of the comparison.
    const figure = /<div class="figure">[\s\S]*?<\/svg>\s*<\/div>/g;
    assert.equal(strip(pageHtml).replace(figure, ''), strip(cliHtml).replace(figure, ''));
    // Lines are polylines, or paths where a run of them is drawn alike (censor marks, dashes).
    const polylines = (h) => [...h.matchAll(figure)].flatMap((f) => [...f[0].matchAll(/<(?:polyline|path)[^>]*>/g)].map((x) => x[0]));
    // Axes, curves and censor marks (legend swatches, stroke-width 3, sit in the legend box).
    // (White lines are the risk table's hidden axis, placed under a caption whose height
    // also comes from text metrics.)
    const lines = (h) => polylines(h).filter((x) => !x.includes('stroke-width="3"') && !x.includes('#FFFFFF'));
    assert.ok(lines(pageHtml).length > 20, `${lines(pageHtml).length} lines`);
    assert.deepEqual(lines(pageHtml), lines(cliHtml));
    // The data is in the report only when asked for, and then all of it, as read.
    assert.ok(!pageHtml.includes('id,arm,os_months'));
    await page.check('[data-testid="report-include-data"]');
    const withData = page.waitForEvent('download');
    await page.click('[data-testid="save-report"]');
    const dataHtml = fs.readFileSync(await (await withData).path(), 'utf8');
    assert.ok(dataHtml.includes("Included at the user's request (64 rows)"));
    const embedded = unescape(dataHtml.match(/<pre class="data">([\s\S]*?)<\/pre>/)[1]);
    assert.equal(embedded, csv);
    assert.equal(strip(dataHtml).replace(figure, ''), strip(run('--format', 'html', '--include-data')).replace(figure, ''));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('accessible (axe-core finds no violations) and usable at phone and wide widths; screenshots for review', async (t) => {
  const axe = fs.readFileSync(path.join(ROOT, 'tests/browser/node_modules/axe-core/axe.min.js'), 'utf8');
  const shots = path.join(ROOT, 'tests/browser/screenshots');
  fs.mkdirSync(shots, { recursive: true });
  for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['wide', { width: 1440, height: 900 }]]) {
    const { context, page, errors } = await openPage(browser, base, { viewport });
    try {
      // Everything visible: the folded parts too.
      await page.$$eval('details', (ds) => ds.forEach((d) => { d.open = true; }));
      await settle(page);
      // axe-core is evaluated through the DevTools protocol, which the page's CSP does not
      // govern; the page itself still loads no script but its own.
      await page.evaluate(axe);
      const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
      const violations = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
      assert.deepEqual(violations, [], `${name}: accessibility violations`);
      // No sideways scrolling of the page: wide tables scroll in their own box.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name}: the page is ${overflow}px wider than the screen`);
      // Keyboard: Tab reaches the controls and the focused one is visibly outlined.
      await page.focus('[data-testid="paste"]');
      await page.keyboard.press('Tab');
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, 'none', `${name}: focus is visible`);
      await page.screenshot({ path: path.join(shots, `report-${name}.png`), fullPage: true });
      t.diagnostic(`screenshot: tests/browser/screenshots/report-${name}.png`);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

/** The numbers a test compares between two pages: medians, HR, the sentences. */
async function numbers(page) {
  return {
    medians: await page.$$eval('[data-testid^="median-"]', (tds) => tds.map((t) => t.dataset.value)),
    hr: await page.$eval('[data-testid="hr-headline"]', (p) => p.dataset.value).catch(() => null),
    sentences: await page.$$eval('[data-testid="sentences"] p', (ps) => ps.map((p) => p.textContent)),
    counts: await page.textContent('[data-testid="counts"]'),
  };
}

/** Copies a share link from the page and returns it. */
async function copyLink(page) {
  // The status of a previous copy says "Link copied" already: wait for the new link too
  // (a link with data is packed by the worker, so it comes later). Every call here is for
  // a state that differs from the one before.
  const before = (await page.$('[data-testid="share-link"]')) ? await page.inputValue('[data-testid="share-link"]') : '';
  await page.click('[data-testid="copy-link"]');
  await page.waitForFunction((prev) => /^Link (copied|made)/.test(document.querySelector('[data-testid="share-status"]')?.textContent ?? '')
    && (document.querySelector('[data-testid="share-link"]')?.value ?? '') !== prev, before);
  return page.inputValue('[data-testid="share-link"]');
}

test('a copied link opens the same analysis in a fresh browser', async () => {
  const veteran = fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.csv'), 'utf8');
  const a = await openPage(browser, base);
  await a.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  try {
    // 1. From the example: PFS, a landmark, labels, a figure option, another CI style.
    await a.page.click('[data-testid="tab-PFS"]');
    await a.page.fill('[data-testid="landmarks-input"]', '6');
    await a.page.press('[data-testid="landmarks-input"]', 'Tab');
    await a.page.fill('[data-testid="group-labels"]', 'Sorafenib=Control, Sorafenib+HAIC=HAIC');
    await a.page.press('[data-testid="group-labels"]', 'Tab');
    await a.page.selectOption('[data-testid="ci-style"]', 'to');
    await a.page.click('[data-testid="figure-options"] summary');
    await a.page.check('[data-testid="fig-ci-band"]');
    await settle(a.page);
    const want = await numbers(a.page);
    assert.match(want.sentences[0], /^The median PFS was .* with HAIC and .* with Control/);
    const link = await copyLink(a.page);
    assert.ok(link.startsWith(base + '#survcalc=1.'), link);
    assert.equal(await a.page.evaluate(() => navigator.clipboard.readText()), link);
    const b = await openPage(browser, link);
    try {
      await settle(b.page);
      assert.deepEqual(await numbers(b.page), want);
      assert.equal(await b.page.isChecked('[data-testid="fig-ci-band"]'), true);
      assert.match(await b.page.textContent('[data-testid="link-note"]'), /is the data this link was made from/);
    } finally {
      await b.context.close();
    }

    // 2. From a file, without the data: the other browser is told which file to load, and
    //    gets the same numbers once it loads it (whatever its name).
    await paste(a.page, veteran);
    await a.page.selectOption('[data-testid="conf-type"]', 'log-log');
    await settle(a.page);
    const wantVet = await numbers(a.page);
    const noData = await copyLink(a.page);
    const c = await openPage(browser, noData);
    try {
      assert.match(await c.page.textContent('[data-testid="link-note"]'), /restores an analysis of pasted text \(137 rows, \d+ bytes, SHA-256 [0-9a-f]{12}…\)\. Load that file/);
      await c.page.setInputFiles('[data-testid="file"]', path.join(ROOT, 'tests/fixtures/veteran.csv'));
      await c.page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('veteran.csv'));
      await settle(c.page);
      assert.deepEqual(await numbers(c.page), wantVet);
      assert.match(await c.page.textContent('[data-testid="link-note"]'), /is the data this link was made from/);
      assert.equal(await c.page.inputValue('[data-testid="conf-type"]'), 'log-log');
    } finally {
      await c.context.close();
    }
    // ... and is told when the file is not that data.
    const d = await openPage(browser, noData);
    try {
      await paste(d.page, veteran.replace('\n1,squamous,72,1', '\n1,squamous,73,1'));
      assert.match(await d.page.textContent('[data-testid="link-note"]'), /is not the data this link was made from/);
    } finally {
      await d.context.close();
    }

    // 3. With the data, after a warning: the link alone is enough.
    await a.page.check('[data-testid="share-with-data"]');
    assert.match(await a.page.textContent('[data-testid="share-warning"]'), /will contain the patients' data/);
    const withData = await copyLink(a.page);
    assert.ok(withData.length > noData.length + 500);
    assert.match(await a.page.textContent('[data-testid="share-status"]'), /\(\d+ characters\)/);
    const e = await openPage(browser, withData);
    try {
      await settle(e.page);
      assert.deepEqual(await numbers(e.page), wantVet);
      assert.match(await e.page.textContent('[data-testid="source"]'), /pasted text/);
    } finally {
      await e.context.close();
    }
  } finally {
    await a.context.close();
  }
});

test('a link with script in it, or a damaged one, is shown as text or refused', async () => {
  const zlib = await import('node:zlib');
  const pack = (obj) => zlib.deflateRawSync(Buffer.from(JSON.stringify(obj))).toString('base64url');
  const evil = '<img src=x onerror="window.__pwned=1">';
  const state = {
    data: { name: `built-in example (simulated)` },
    mapping: { time: 'os_months', event: 'os_event', group: 'arm', group_labels: [{ value: 'Sorafenib', label: evil }] },
    figure: { title: `<script>window.__pwned=2</script>` },
  };
  const { context, page, errors, dialogs } = await openPage(browser, `${base}#survcalc=1.${pack(state)}`);
  try {
    await settle(page);
    assert.equal(await page.textContent('[data-testid="summary"] tbody th'), evil);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
    assert.equal(await page.$('img[src="x"]'), null);
    const download = page.waitForEvent('download');
    await page.click('[data-testid="save-report"]');
    const html = fs.readFileSync(await (await download).path(), 'utf8');
    assert.ok(!html.includes('<img src=x') && !html.includes('<script>window'));
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  for (const [fragment, message] of [
    ['#survcalc=1.%%%', /could not be opened: the link's analysis state is damaged/],
    ['#survcalc=9.abc', /made by a newer survcalc/],
    [`#survcalc=1.${pack({ options: { km: 'nonsense' } })}`, /cannot be read/],
  ]) {
    const p = await openPage(browser, base + fragment);
    try {
      assert.match(await p.page.textContent('[data-testid="link-note"]'), message);
      assert.equal(await p.page.textContent('[data-testid="n-0"]'), '32', 'the example is shown instead');
      assert.deepEqual(p.errors, []);
    } finally {
      await p.context.close();
    }
  }
});

test('after the first visit the page works offline', async () => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    assert.ok(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => !!r.active)));
    await context.setOffline(true);
    await page.reload({ waitUntil: 'load' });
    await page.waitForSelector('[data-testid="median-0"]', { timeout: 30000 });
    await paste(page, fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.csv'), 'utf8'));
    await page.waitForFunction(() => document.querySelector('[data-testid="n-0"]')?.textContent === '69');
    const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.json'), 'utf8'));
    const m = await dataOf(page, 'median-0');
    close(Number(m.value), fixture.median.log[0].estimate, R_REL, 'median offline');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a newly deployed version is used on the next visit; a pasted link opens without a reload', async () => {
  // A deployment of our own: a copy of dist/ whose index.html changes between visits.
  const dir = fs.mkdtempSync('/tmp/survcalc-deploy-');
  fs.cpSync(path.join(ROOT, 'dist'), dir, { recursive: true });
  const { server: deploy, base: site } = await serve(dir);
  const { context, page } = await openPage(browser, site);
  try {
    assert.equal(await page.title(), 'survcalc — survival analysis in your browser');
    const index = path.join(dir, 'index.html');
    fs.writeFileSync(index, fs.readFileSync(index, 'utf8').replace('<title>survcalc —', '<title>survcalc (new version) —'));
    await page.goto(site, { waitUntil: 'load' });
    assert.equal(await page.title(), 'survcalc (new version) — survival analysis in your browser');
    // A share link put in the address bar of an open page changes only the fragment; the
    // page opens it all the same.
    const state = { data: { name: 'built-in example (simulated)' }, mapping: { time: 'pfs_months', event: 'pfs_event', group: 'arm' } };
    const zlib = await import('node:zlib');
    const fragment = `#survcalc=1.${zlib.deflateRawSync(Buffer.from(JSON.stringify(state))).toString('base64url')}`;
    await page.waitForSelector('[data-testid="median-0"]');
    await page.evaluate((f) => { window.location.hash = f; }, fragment);
    await page.waitForFunction(() => document.querySelector('[data-testid="link-note"]')?.textContent.includes('made from'), null, { timeout: 30000 });
    assert.equal(await page.inputValue('[data-testid="time-col"]'), 'pfs_months');
  } finally {
    await context.close();
    deploy.close();
  }
});

/** The bounding box of an element, in viewport pixels. */
async function box(page, testid) {
  return page.$eval(`[data-testid="${testid}"]`, (el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
  });
}

test('results first: the headline (and on a wide screen the figure) is in the first screen; loading data goes to its results', async () => {
  for (const [name, viewport] of [['wide', { width: 1440, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
    const { context, page, errors } = await openPage(browser, base, { viewport });
    try {
      const h = await box(page, 'headline');
      assert.ok(h.top >= 0 && h.bottom <= viewport.height, `${name}: headline at ${h.top}–${h.bottom} px`);
      const hr = await box(page, 'hr-headline');
      assert.ok(hr.bottom <= viewport.height, `${name}: HR ends at ${hr.bottom} px`);
      if (name === 'wide') {
        const fig = await box(page, 'km-canvas');
        assert.ok(fig.top >= 0 && fig.bottom <= viewport.height, `wide: figure at ${fig.top}–${fig.bottom} px`);
      }
      // One median per group by default (the convention's), with its method in words.
      assert.equal(await page.$$eval('[data-testid="summary"] thead th', (ths) => ths.length), 4);
      assert.match(await page.textContent('[data-testid="headline"]'), /CI where the log band crosses 50% \(as R\)/);
      assert.match(await page.textContent('[data-testid="test-headline"]'), /P from the log-rank test/);
      assert.match(await page.textContent('[data-testid="data-summary"]'), /Example, already analysed: built-in example \(simulated\) · 64 rows · os_months, os_event, arm/);
      // The alternatives are one click away, side by side.
      assert.ok(await page.$('[data-testid="median-spss-0"]'));
      // After a paste (at the bottom of the page) the results come into view with the focus.
      const csv = fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.csv'), 'utf8');
      await page.fill('[data-testid="paste"]', csv);
      await page.click('[data-testid="analyze-pasted"]');
      await page.waitForFunction(() => document.querySelector('[data-testid="n-0"]')?.textContent === '69');
      await page.waitForFunction(() => document.activeElement?.dataset.testid === 'headline');
      const after = await box(page, 'headline');
      assert.ok(after.top >= -1 && after.top < viewport.height, `${name}: headline at ${after.top} px after the paste`);
      assert.match(await page.textContent('[data-testid="announce"]'), /Results updated: 137 of 137 rows analysed/);
      // An error goes to the message the same way.
      await page.fill('[data-testid="paste"]', 'just one line');
      await page.click('[data-testid="analyze-pasted"]');
      await page.waitForFunction(() => document.activeElement?.dataset.testid === 'error');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

test('endpoints are paired by meaning; an unclear pairing is asked; the choice survives tabs and links', async () => {
  const dir = path.join(ROOT, 'tests/corpus/endpoints');
  const { context, page, errors } = await openPage(browser, base);
  try {
    // Every export of the corpus: each tab analyses the pairing expected.tsv names, and a
    // pairing marked "?" is asked about.
    const expected = fs.readFileSync(path.join(dir, 'expected.tsv'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    assert.ok(expected.length >= 12);
    for (const line of expected) {
      const [file, want] = line.split('\t');
      await page.setInputFiles('[data-testid="file"]', path.join(dir, file));
      await page.waitForFunction((f) => document.querySelector('[data-testid="source"]')?.textContent.includes(f), file);
      await settle(page);
      for (const pair of want.split('; ')) {
        const [, name, time, event, ask] = pair.match(/^([^=]+)=(.+)\+(.+?)( \[ask\])?$/);
        if (await page.$(`[data-testid="tab-${name}"]`)) {
          await page.click(`[data-testid="tab-${name}"]`);
          await settle(page);
        }
        assert.equal(await page.inputValue('[data-testid="time-col"]'), time, `${file} ${name}`);
        assert.equal(await page.inputValue('[data-testid="event-col"]'), event, `${file} ${name}`);
        assert.equal(!!(await page.$('[data-testid="pairing-question"]')), ask !== undefined, `${file} ${name}: asked`);
      }
    }
    // Issue 10: PFS was paired with the death column.
    await page.setInputFiles('[data-testid="file"]', path.join(dir, 'issue10_death_progression.csv'));
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('issue10'));
    await settle(page);
    await page.click('[data-testid="tab-PFS"]');
    await settle(page);
    assert.equal(await page.inputValue('[data-testid="event-col"]'), 'progression');
    const csv = fs.readFileSync(path.join(dir, 'issue10_death_progression.csv'), 'utf8');
    const pfs = coreReport(csv, ['--time', 'pfs_months', '--event', 'progression']);
    close(Number((await dataOf(page, 'hr-headline')).value), pfs.cox.terms[0].hr, REL, 'PFS HR');
    assert.equal(await page.$('[data-testid="pairing-question"]'), null, 'no question when the names say');
    // Arrow keys move between the endpoint tabs (ARIA tabs pattern).
    await page.focus('[data-testid="tab-PFS"]');
    await page.keyboard.press('ArrowLeft');
    await settle(page);
    assert.equal(await page.getAttribute('[data-testid="tab-OS"]', 'aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'tab-OS');

    // Two time columns and one "status": the page asks, for each endpoint.
    await page.setInputFiles('[data-testid="file"]', path.join(dir, 'ambiguous_pfs_without_event.csv'));
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('ambiguous'));
    await settle(page);
    assert.equal(await page.$('[data-testid="pairing-question"]'), null, 'OS+death is clear');
    await page.click('[data-testid="tab-PFS"]');
    await settle(page);
    assert.match(await page.textContent('[data-testid="pairing-question"]'), /Which column records the PFS event\?/);
    // The user picks (here the only candidate) and the question goes; a custom pick by the
    // event choice is kept across tabs.
    await page.click('[data-testid="pairing-confirm"]');
    await settle(page);
    assert.equal(await page.$('[data-testid="pairing-question"]'), null);
    await page.selectOption('[data-testid="event-col"]', 'arm');
    await settle(page);
    await page.click('[data-testid="tab-OS"]');
    await settle(page);
    assert.equal(await page.inputValue('[data-testid="event-col"]'), 'death');
    await page.click('[data-testid="tab-PFS"]');
    await settle(page);
    assert.equal(await page.inputValue('[data-testid="event-col"]'), 'arm', 'the PFS choice is kept');

    // A pick goes into a share link: PFS counted as progression or death, not progression.
    let rows = 'id,arm,os_months,death,pfs_months,progression,pd_or_death\n';
    for (let i = 0; i < 24; i++) rows += `${i + 1},${i % 2 ? 'B' : 'A'},${8 + i},${i % 3 ? 1 : 0},${3 + i / 2},${i % 4 ? 1 : 0},${i % 4 || i % 3 ? 1 : 0}\n`;
    await paste(page, rows);
    await page.click('[data-testid="tab-PFS"]');
    await settle(page);
    assert.equal(await page.inputValue('[data-testid="event-col"]'), 'progression');
    await page.selectOption('[data-testid="event-col"]', 'pd_or_death');
    await settle(page);
    await page.click('[data-testid="tab-OS"]');
    await settle(page);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.check('[data-testid="share-with-data"]');
    const link = await copyLink(page);
    const other = await openPage(browser, link);
    try {
      await settle(other.page);
      await other.page.click('[data-testid="tab-PFS"]');
      await settle(other.page);
      assert.equal(await other.page.inputValue('[data-testid="event-col"]'), 'pd_or_death', 'the link keeps the pairing');
    } finally {
      await other.context.close();
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('dates: the form shows the date columns the analysis uses', async () => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    await page.setInputFiles('[data-testid="file"]', path.join(ROOT, 'tests/corpus/dates_dmy.csv'));
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('dates_dmy'));
    await settle(page);
    assert.equal(await page.inputValue('[data-testid="time-col"]'), '');
    assert.match(await page.$eval('[data-testid="time-col"]', (s) => s.selectedOptions[0].textContent), /from the start and end dates/);
    assert.notEqual(await page.inputValue('[data-testid="date-start"]'), '');
    assert.notEqual(await page.inputValue('[data-testid="date-end"]'), '');
    assert.match(await page.textContent('[data-testid="data-summary"]'), /→/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('adverse events from *_grade columns, with clean term names; odds ratios named by method', async () => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    // The example: the response comparison names both odds ratios.
    const resp = await page.textContent('[data-testid="resp-test-0"]');
    assert.match(resp, /sample OR, Woolf interval/);
    assert.match(resp, /conditional MLE odds ratio [\d.]+ \(95% CI: [\d.]+, [\d.]+; exact, as R fisher\.test\)/);
    const terms = await page.$$eval('[data-testid="ae-table"] tbody th', (ths) => ths.map((t) => t.textContent));
    assert.ok(terms.includes('Hand–foot syndrome'), terms.join(', '));
    // Rows by worst grade, under each term; the sentences stay one per term.
    const sentencesBefore = await page.$$eval('[data-testid="binary-sentences"] p', (ps) => ps.length);
    await page.check('[data-testid="ae-by-grade"]');
    await settle(page);
    const byGrade = await page.$$eval('[data-testid="ae-table"] tbody th', (ths) => ths.map((t) => t.textContent.trim()));
    assert.ok(byGrade.includes('grade 3') && byGrade.length > terms.length, byGrade.join(', '));
    assert.equal(await page.$$eval('[data-testid="binary-sentences"] p', (ps) => ps.length), sentencesBefore);
    await page.uncheck('[data-testid="ae-by-grade"]');
    await settle(page);
    let rows = 'id,arm,os_months,os_event,bor,diarrhoea_grade,hfs_grade,thrombocytopenia_grade,tumour_grade\n';
    for (let i = 0; i < 20; i++) {
      rows += `${i + 1},${i % 2 ? 'B' : 'A'},${5 + i},${i % 3 ? 1 : 0},${i % 4 ? 'SD' : 'PR'},${i % 5},${(i * 3) % 5},${i % 2 ? 3 : 0},${i % 3 + 1}\n`;
    }
    await paste(page, rows);
    await page.waitForSelector('[data-testid="ae-table"]');
    const got = await page.$$eval('[data-testid="ae-table"] tbody th', (ths) => ths.map((t) => t.textContent));
    assert.ok(got.includes('Hand–foot syndrome') && got.includes('Diarrhoea') && got.includes('Thrombocytopenia'), got.join(', '));
    assert.ok(!got.some((t) => /tumour/i.test(t)), 'tumour grade is not an adverse event');
    // Columns with other names are chosen on the page, and terms renamed.
    let other = 'id,arm,os_months,os_event,best,tox_a\n';
    for (let i = 0; i < 20; i++) other += `${i + 1},${i % 2 ? 'B' : 'A'},${5 + i},${i % 3 ? 1 : 0},${['CR', 'PR', 'SD', 'PD'][i % 4]},${i % 5}\n`;
    await paste(page, other);
    assert.equal(await page.$eval('[data-testid="binary-columns"]', (d) => d.open), true, 'the choice is open when nothing was found');
    await page.selectOption('[data-testid="response-col"]', 'best');
    await page.fill('[data-testid="response-values"]', 'CR, PR');
    await page.press('[data-testid="response-values"]', 'Tab');
    await page.check('[data-testid="ae-col-tox_a"]');
    await settle(page);
    await page.fill('[data-testid="ae-label-tox_a"]', 'Neutropenia');
    await page.press('[data-testid="ae-label-tox_a"]', 'Tab');
    await settle(page);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="ae-table"] tbody th')].some((t) => t.textContent === 'Neutropenia'));
    // CR/PR in 10 of 20: 5 per arm.
    assert.equal(await page.textContent('[data-testid="resp-0"]'), '5/10 (50%)');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** The pages and the text of a PDF (pdftotext, from Debian's poppler-utils). */
function pdfPages(file) {
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  return text.split('\f').filter((p) => p.trim() !== '');
}

test('the whole trial in one report and one paragraph; printing gives clean pages', async () => {
  const { context, page, errors } = await openPage(browser, base);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  try {
    const csv = exampleCsv();
    const run = analyzeWith(csv);
    // The abstract paragraph: follow-up, OS, PFS, response, grade 3–4 AEs.
    await page.click('[data-testid="trial-summary"]');
    await page.waitForSelector('[data-testid="abstract"]');
    const abs = await page.textContent('[data-testid="abstract"]');
    assert.match(abs, /^64 patients were analysed \(32 to Sorafenib and 32 to Sorafenib\+HAIC\)\. Median follow-up was [\d.]+ months \(reverse Kaplan–Meier\)\. The median OS was .* The median PFS was .* The response rate was .* Grade 3–4 adverse events \(Sorafenib\+HAIC vs Sorafenib\): .*hand–foot syndrome \d+ vs \d+.*\.$/);
    assert.match(await page.textContent('[data-testid="consort"]'), /^Patients in the data: 64; analysed for OS: 64 \(Sorafenib 32, Sorafenib\+HAIC 32\); analysed for PFS: 64/);
    // "Copy sentences" copies every endpoint's, the response and the AEs.
    await page.click('[data-testid="copy-sentences"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="paper-status"]')?.textContent.includes('copied'));
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(copied.includes('The median OS was') && copied.includes('The median PFS was') && copied.includes('The response rate was') && copied.includes('Grade 3–4 hand–foot syndrome occurred in'), copied);
    // The results CSV has both endpoints, response and AEs.
    const download = page.waitForEvent('download');
    await page.click('[data-testid="save-results-csv"]');
    const rows = fs.readFileSync(await (await download).path(), 'utf8').split('\n').map((l) => l.split(',')[0]);
    for (const e of ['OS', 'PFS', 'response', 'adverse events']) assert.ok(rows.includes(e), `results CSV has ${e}`);
    // The HTML report, printed to PDF as a browser's "Save as PDF" does.
    const dl = page.waitForEvent('download');
    await page.click('[data-testid="save-report"]');
    const html = fs.readFileSync(await (await dl).path(), 'utf8');
    const report = await context.newPage();
    await report.setContent(html, { waitUntil: 'load' });
    const pdf = path.join(fs.mkdtempSync('/tmp/survcalc-pdf-'), 'report.pdf');
    await report.pdf({ path: pdf, preferCSSPageSize: true });
    const pages = pdfPages(pdf);
    assert.ok(pages.length >= 3 && pages.length <= 12, `${pages.length} pages`);
    const all = pages.join('\n').replace(/\s+/g, ' ');
    for (const want of ['Trial report: OS, PFS, response, adverse events', 'Overall survival (OS)', 'Progression-free survival (PFS)', 'At risk', 'Censored', 'Response and adverse events', 'Methods']) {
      assert.ok(all.includes(want), `PDF has "${want}"`);
    }
    assert.match(pages[0], /Page 1 of \d+/);
    // Each figure stays on one page: its risk table is on the page of its axis.
    for (const p of pages.filter((x) => x.includes('Censored'))) assert.match(p, /survival \(%\)/);
    // The page itself prints as a report: results, no controls.
    await page.emulateMedia({ media: 'print' });
    const hidden = await page.$$eval('[data-testid="paste"], [data-testid="analyze-pasted"], [data-testid="time-col"], [data-testid="save-svg"]',
      (els) => els.map((e) => e.offsetParent === null));
    assert.deepEqual(hidden, [true, true, true, true]);
    const pagePdf = path.join(path.dirname(pdf), 'page.pdf');
    await page.pdf({ path: pagePdf, preferCSSPageSize: true });
    const printed = pdfPages(pagePdf).join('\n').replace(/\s+/g, ' ');
    assert.ok(printed.includes('Hazard ratio, Sorafenib+HAIC vs Sorafenib') && !printed.includes('Analyse pasted data'), 'printed page');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a workbook with a README sheet opens on its data; the header row can be chosen', async () => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    await page.setInputFiles('[data-testid="file"]', path.join(ROOT, 'tests/corpus/readme_first.xlsx'));
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('readme_first'));
    await settle(page);
    assert.match(await page.textContent('[data-testid="reading"]'), /sheet “Data”/);
    // The header is in row 3, under a title and a "Data cut-off:" row.
    await page.click('[data-testid="reading-options"] summary');
    await page.fill('[data-testid="read-header-row"]', '3');
    await page.press('[data-testid="read-header-row"]', 'Tab');
    await settle(page);
    await page.waitForFunction(() => document.querySelector('[data-testid="counts"]')?.textContent.includes('n = 20 of 20 rows'));
    assert.equal(await page.inputValue('[data-testid="time-col"]'), 'os_months');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a setting out of range or a worker that runs out of memory never hangs the page; the next paste works', async (t) => {
  const zlib = await import('node:zlib');
  const pack = (obj) => zlib.deflateRawSync(Buffer.from(JSON.stringify(obj))).toString('base64url');
  const veteran = fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.csv'), 'utf8');
  const { context, page, errors } = await openPage(browser, base);
  try {
    // 1. A link whose confidence level panicked the worker before it was checked. (The
    // page reloads on a new link, so the main-thread monitor starts after it.)
    const state = { data: { name: 'built-in example (simulated)' }, options: { km: { conf_level: 1.5 } } };
    await page.evaluate((h) => { location.hash = h; }, `#survcalc=1.${pack(state)}`);
    // Refused where the link is read, with the setting named; the example is shown.
    await page.waitForFunction(() => /km\.conf_level = 1\.5 cannot be used/.test(document.querySelector('[data-testid="link-note"]')?.textContent ?? ''), null, { timeout: 30000 });
    await page.waitForSelector('[data-testid="median-0"]');
    await paste(page, veteran);
    await page.waitForFunction(() => document.querySelector('[data-testid="n-0"]')?.textContent === '69');
    // 2. 100 million rows (400 MB): more memory than WebAssembly has. Built in the page as
    // a File, as a user's file exists before they choose it.
    await page.evaluate(() => {
      const chunk = '5,1\n'.repeat(1 << 20);
      const parts = ['t,s\n'];
      for (let i = 0; i < 100; i++) parts.push(chunk);
      window.__big = new File(parts, 'registry.csv', { type: 'text/csv' });
    });
    const gaps = await watchGaps(page);
    await chooseBuilt(page, '__big');
    await page.waitForFunction(() => /registry\.csv could not be (analysed|read) here: the file needs more memory than the browser allows/.test(document.querySelector('[data-testid="error"]')?.textContent ?? ''), null, { timeout: 240000 });
    assert.equal(await page.textContent('[data-testid="busy"]'), '', 'nothing left "Analysing…"');
    // The restarted worker takes the next data.
    await paste(page, veteran);
    await page.waitForFunction(() => document.querySelector('[data-testid="n-0"]')?.textContent === '69');
    const maxGap = await gaps();
    t.diagnostic(`longest main-thread gap ${maxGap.toFixed(0)} ms`);
    assert.ok(maxGap < 1000, `the page stopped for ${maxGap} ms`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('exported CSVs open in a spreadsheet without running a formula', async () => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    let rows = 'time,status,arm\n';
    const arms = ['=HYPERLINK("http://example.invalid","click")', "+cmd|' /C calc'!A0", '@SUM(A1)', '-Drug'];
    for (let i = 0; i < 24; i++) rows += `${i + 1},${i % 3 ? 1 : 0},"${arms[i % 4].replace(/"/g, '""')}"\n`;
    await paste(page, rows);
    for (const button of ['save-results-csv', 'save-km-csv']) {
      const download = page.waitForEvent('download');
      await page.click(`[data-testid="${button}"]`);
      const text = fs.readFileSync(await (await download).path(), 'utf8');
      // Cells as a spreadsheet reads them (quotes removed); none starts a formula.
      const cells = text.split(/\r?\n/).flatMap((l) => l.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []).map((c) => c.replace(/,$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'));
      const formulas = cells.filter((c) => /^[=+@\t\r]/.test(c) || (/^-/.test(c) && Number.isNaN(Number(c))));
      assert.deepEqual(formulas, [], `${button}: formula cells`);
      assert.ok(text.includes("'=HYPERLINK") && text.includes("'-Drug"), button);
    }
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a long job can be cancelled, and new data stops the running job', async () => {
  const veteran = fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.csv'), 'utf8');
  const { context, page, errors } = await openPage(browser, base);
  try {
    const choose = async () => {
      await page.evaluate(() => {
        if (!window.__file) {
          const lines = ['id,arm,os_months,os_event'];
          for (let i = 0; i < 1_000_000; i++) lines.push(`${i + 1},${i % 2 ? 'Drug' : 'Control'},${(i % 997) / 10},${i % 3 ? 1 : 0}`);
          window.__file = new File([lines.join('\n') + '\n'], 'million.csv', { type: 'text/csv' });
        }
      });
      await chooseBuilt(page, '__file');
    };
    await choose();
    await page.waitForSelector('[data-testid="cancel"]', { state: 'visible' });
    await page.click('[data-testid="cancel"]');
    await page.waitForFunction(() => /stopped: the work on .* was cancelled/.test(document.querySelector('[data-testid="error"]')?.textContent ?? ''));
    assert.equal(await page.textContent('[data-testid="busy"]'), '');
    await paste(page, veteran);
    await page.waitForFunction(() => document.querySelector('[data-testid="n-0"]')?.textContent === '69');
    // New data while a job runs: the job is stopped, the new data analysed.
    await choose();
    await page.waitForFunction(() => /Reading|Analysing/.test(document.querySelector('[data-testid="busy"]')?.textContent ?? ''));
    await paste(page, veteran);
    await page.waitForFunction(() => document.querySelector('[data-testid="n-0"]')?.textContent === '69' && document.querySelector('[data-testid="source"]')?.textContent.includes('pasted'));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a 1 MB arm label is shortened in the figure, the headline and the menus', async (t) => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    const long = 'L'.repeat(1 << 20);
    const csv = await page.evaluate((label) => {
      let rows = 'time,status,arm\n';
      for (let i = 0; i < 30; i++) rows += `${i + 1},${i % 3 ? 1 : 0},${i % 2 ? label : 'Control'}\n`;
      window.__long = new File([rows], 'long-label.csv', { type: 'text/csv' });
      return rows.length;
    }, long);
    assert.ok(csv > 15 << 20);
    const gaps = await watchGaps(page);
    await chooseBuilt(page, '__long');
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('long-label'), null, { timeout: 60000 });
    await settle(page);
    const shown = await page.$$eval('[data-testid="summary"] tbody th', (ths) => ths.map((t) => [t.textContent.length, t.title.length]));
    assert.ok(shown.some(([text, title]) => text === 40 && title === 1 << 20), JSON.stringify(shown));
    const maxGap = await gaps();
    t.diagnostic(`1 MB label: longest main-thread gap ${maxGap.toFixed(0)} ms`);
    // Every label on the page is shortened (figure, headline, menus, tables, sentences);
    // the copies and downloads keep it whole. 2.5 s before issue 12, 1.2 s half-way.
    assert.ok(maxGap < 1000, `the page stopped for ${maxGap} ms`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('16,384 columns: the menus list matches of a search, not every column', async (t) => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    await page.evaluate(() => {
      const extra = Array.from({ length: 16381 }, (_, i) => `lab_${i + 4}`);
      let text = ['time', 'status', 'arm', ...extra].join(',') + '\n';
      const zeros = extra.map((_, i) => (i % 5).toString()).join(',');
      for (let i = 0; i < 40; i++) text += `${i + 1},${i % 3 ? 1 : 0},${i % 2 ? 'Drug' : 'Placebo'},${zeros}\n`;
      window.__wide = new File([text], 'wide.csv', { type: 'text/csv' });
    });
    const gaps = await watchGaps(page);
    await chooseBuilt(page, '__wide');
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('wide.csv'), null, { timeout: 60000 });
    await settle(page);
    const maxGap = await gaps();
    t.diagnostic(`16,384 columns: longest main-thread gap ${maxGap.toFixed(0)} ms`);
    assert.ok(maxGap < 1000, `the page stopped for ${maxGap} ms`);
    // The analysis ran on the guessed columns.
    assert.equal(await page.textContent('[data-testid="n-0"]'), '20');
    const options = await page.$$eval('option', (o) => o.length);
    assert.ok(options < 2500, `${options} option elements`);
    const groupOptions = await page.$$eval('[data-testid="group-col"] option', (o) => o.map((x) => x.value));
    assert.ok(groupOptions.length <= 103, groupOptions.length);
    assert.ok(groupOptions.includes('arm'), 'the current choice stays listed');
    assert.ok(!groupOptions.includes('lab_16000'));
    // Searching finds a column far down the list; choosing it analyses by it.
    await page.fill('[data-testid="group-col-search"]', 'lab_16000');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="group-col"] option')].some((o) => o.value === 'lab_16000'));
    assert.ok((await page.$$eval('[data-testid="group-col"] option', (o) => o.length)) <= 4);
    await page.selectOption('[data-testid="group-col"]', 'lab_16000');
    await page.waitForFunction(() => document.querySelector('[data-testid="n-0"]')?.textContent === '40');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an arm written with a combining accent is the same arm (Unicode NFC in the browser)', async () => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    await paste(page, 'time,status,arm\n5,1,Caf\u00e9\n8,0,Cafe\u0301\n3,1,Drug\n12,1,Drug\n7,0,Caf\u00e9\n');
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('pasted'));
    await settle(page);
    const rows = await page.$$eval('[data-testid="summary"] tbody th', (ths) => ths.map((t) => t.textContent));
    assert.deepEqual(rows, ['Caf\u00e9', 'Drug']);
    assert.equal(await page.textContent('[data-testid="n-0"]'), '3');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('each endpoint keeps its own figure title and axis; the y axis names the endpoint', async () => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    const svgNow = async () => {
      const download = page.waitForEvent('download');
      await page.click('[data-testid="save-svg"]');
      return fs.readFileSync(await (await download).path(), 'utf8');
    };
    await page.click('[data-testid="figure-options"] summary');
    await page.fill('[data-testid="fig-title"]', 'Overall survival by arm');
    await page.press('[data-testid="fig-title"]', 'Tab');
    await page.fill('[data-testid="fig-x-max"]', '24');
    await page.press('[data-testid="fig-x-max"]', 'Tab');
    await page.selectOption('[data-testid="fig-width"]', '3.5');
    await settle(page);
    let svg = await svgNow();
    assert.ok(svg.includes('Overall survival by arm') && svg.includes('Overall survival (%)'));
    assert.ok(svg.includes('width="3.500in"'));
    await page.click('[data-testid="tab-PFS"]');
    await settle(page);
    // PFS has its own title (none yet) and axis end; the look (width, style) carries over.
    assert.equal(await page.inputValue('[data-testid="fig-title"]'), '');
    assert.equal(await page.inputValue('[data-testid="fig-x-max"]'), '');
    assert.equal(await page.getAttribute('[data-testid="fig-y-title"]', 'placeholder'), 'Progression-free survival (%)');
    svg = await svgNow();
    assert.ok(!svg.includes('Overall survival by arm') && svg.includes('Progression-free survival (%)'));
    assert.ok(svg.includes('width="3.500in"'));
    await page.fill('[data-testid="fig-title"]', 'PFS by arm');
    await page.press('[data-testid="fig-title"]', 'Tab');
    await page.click('[data-testid="tab-OS"]');
    await settle(page);
    assert.equal(await page.inputValue('[data-testid="fig-title"]'), 'Overall survival by arm');
    assert.equal(await page.inputValue('[data-testid="fig-x-max"]'), '24');
    await page.click('[data-testid="tab-PFS"]');
    await settle(page);
    assert.equal(await page.inputValue('[data-testid="fig-title"]'), 'PFS by arm');
    // OS and PFS side by side, A and B, each with its own title.
    await page.selectOption('[data-testid="trial-figure"]', 'kaplan-meier-panels');
    const download = page.waitForEvent('download');
    await page.click('[data-testid="trial-figure-svg"]');
    const panels = fs.readFileSync(await (await download).path(), 'utf8');
    assert.equal((panels.match(/<svg /g) || []).length, 3, 'the whole and two panels');
    assert.ok(panels.includes('Overall survival by arm') && panels.includes('PFS by arm'));
    assert.ok(panels.includes('Overall survival (%)') && panels.includes('Progression-free survival (%)'));
    assert.ok(/font-weight="bold">A</.test(panels) && /font-weight="bold">B</.test(panels));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});


// The ink of a PNG in greyscale, as horizontal runs ([length, x, y], longest first)
// attributed to the arm whose colour the run's pixels had: with colour gone, the solid arm still draws long runs and the dashed
// arm only dash-long ones (issue 14's greyscale check).
async function greyRuns(page, b64, colours) {
  return page.evaluate(async ({ data, colours }) => {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const c = document.createElement('canvas');
    c.width = bitmap.width;
    c.height = bitmap.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(bitmap, 0, 0);
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    const grey = (i) => 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2];
    const arm = (i) => {
      let best = -1, bestD = 45;
      colours.forEach(([r, g, b], k) => {
        const d = Math.hypot(px[i] - r, px[i + 1] - g, px[i + 2] - b);
        if (d < bestD) { best = k; bestD = d; }
      });
      return best;
    };
    const runs = colours.map(() => []);
    for (let y = 0; y < c.height; y++) {
      let start = -1, votes = colours.map(() => 0);
      for (let x = 0; x <= c.width; x++) {
        const i = 4 * (y * c.width + x);
        const ink = x < c.width && grey(i) < 170;
        if (ink) {
          if (start < 0) { start = x; votes = colours.map(() => 0); }
          const k = arm(i);
          if (k >= 0) votes[k]++;
        } else if (start >= 0) {
          const len = x - start;
          const k = votes.indexOf(Math.max(...votes));
          // Only runs of one arm's colour: where the curves coincide (both at 100% before
          // the first event) the dashes lie over the solid line.
          if (votes[k] >= 0.8 * len) runs[k].push([len, start, y]);
          start = -1;
        }
      }
    }
    return { runs: runs.map((r) => r.sort((a, b) => b[0] - a[0]).slice(0, 20)), size: [c.width, c.height], greys: colours.map(([r, g, b]) => 0.299 * r + 0.587 * g + 0.114 * b) };
  }, { data: b64, colours });
}

test('every figure of a trial paper downloads as SVG and PNG; in greyscale the arms stay apart by their dashes', async (t) => {
  const { context, page, errors } = await openPage(browser, base);
  const shots = path.join(ROOT, 'tests/browser/screenshots');
  fs.mkdirSync(shots, { recursive: true });
  try {
    const download = async (testid) => {
      const d = page.waitForEvent('download');
      await page.click(`[data-testid="${testid}"]`);
      const file = path.join(fs.mkdtempSync('/tmp/survcalc-fig-'), (await d).suggestedFilename());
      await (await d).saveAs(file);
      return file;
    };
    const expected = {
      'kaplan-meier-panels': ['Overall survival (%)', 'Progression-free survival (%)', 'At risk'],
      'cumulative-hazard': ['Cumulative hazard (Nelson\u2013Aalen)', 'At risk'],
      'forest-hazard-ratios': ['HR (95% CI)', 'OS: Sorafenib+HAIC vs Sorafenib', 'PFS: Sorafenib+HAIC vs Sorafenib', 'Cox model, Efron ties, Wald CI'],
      'response-by-arm': ['Response (%)', '1 of 32', '11 of 32', 'Clopper\u2013Pearson'],
      'adverse-events-dot-and-bar': ['Hand\u2013foot syndrome', 'Risk difference, % points (95% CI)', 'Newcombe hybrid score'],
    };
    // The core's numbers on the forest plot: each endpoint's HR as the headline shows it.
    const core = coreReport(exampleCsv());
    const hr = core.cox.terms[0];
    expected['forest-hazard-ratios'].push(`${hr.hr.toFixed(2)} (${hr.hr_lower.toFixed(2)}\u2013${hr.hr_upper.toFixed(2)})`);
    for (const [key, texts] of Object.entries(expected)) {
      await page.selectOption('[data-testid="trial-figure"]', key);
      const file = await download('trial-figure-svg');
      assert.equal(path.basename(file), `${key}.svg`);
      const svg = fs.readFileSync(file, 'utf8');
      assert.ok(svg.includes('width="7.200in"') || key.endsWith('panels') || key === 'cumulative-hazard', `${key}: printed width`);
      for (const t of texts) assert.ok(svg.includes(t), `${key}: "${t}" in the SVG`);
      // The page shows what was saved.
      await page.waitForFunction(() => document.querySelector('[data-testid="trial-figure-preview"]')?.naturalWidth > 0);
      await page.locator('[data-testid="trial-figure-preview"]').screenshot({ path: path.join(shots, `figure-${key}.png`) });
    }
    t.diagnostic('screenshots: tests/browser/screenshots/figure-*.png');
    // A single-column PNG at 600 dpi: 3.5 in = 2100 px, recorded in pHYs.
    await page.selectOption('[data-testid="trial-figure"]', 'forest-hazard-ratios');
    await page.selectOption('[data-testid="trial-figure-width"]', '3.5');
    const png = fs.readFileSync(await download('trial-figure-png-600'));
    assert.equal(png.readUInt32BE(16), 2100);
    assert.equal(png.readUInt32BE(png.indexOf(Buffer.from('pHYs')) + 4), 23622);
    await page.locator('[data-testid="trial-figure"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'trial-figures-1440.png') });
    // Each style of the Kaplan–Meier figure at single and double column, for review.
    await page.click('[data-testid="figure-options"] summary');
    for (const style of ['kmunicate', 'classic', 'minimal']) {
      for (const width of ['3.5', '7.2']) {
        await page.selectOption('[data-testid="fig-style"]', style);
        await page.selectOption('[data-testid="fig-width"]', width);
        await settle(page);
        await page.locator('[data-testid="km-canvas"]').screenshot({ path: path.join(shots, `km-${style}-${width}in.png`) });
      }
    }
    await page.selectOption('[data-testid="fig-style"]', 'kmunicate');
    await page.selectOption('[data-testid="fig-width"]', '7.2');
    await settle(page);
    // Greyscale: the Kaplan–Meier PNG at 300 dpi (KMunicate, the default), its arms' runs.
    const km = fs.readFileSync(await download('save-png')).toString('base64');
    const { runs, greys } = await greyRuns(page, km, [[0, 114, 178], [213, 94, 0]]);
    const dashPx = (5 / 72) * 300; // arm 2's dash: 5 pt at 300 dpi
    assert.ok(runs[0].length > 0 && runs[1].length > 0, 'both arms have ink');
    assert.ok(runs[0][0][0] > 5 * dashPx, `the solid arm draws long runs (${runs[0][0]})`);
    assert.ok(runs[1][0][0] <= dashPx * 1.5, `the dashed arm's longest run is a dash (${runs[1][0]}; dash ${dashPx.toFixed(0)} px)`);
    assert.ok(runs[1].length >= 20 && runs[1][19][0] >= dashPx * 0.8, 'the dashed arm draws whole dashes');
    assert.ok(Math.abs(greys[0] - greys[1]) < 40, `in grey the colours are close (${greys.map((g) => g.toFixed(0))}): the dashes are what tells them apart`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an aggregated table (a patient count per row, or events and censored per time) gives the numbers of its patients, and says so', async () => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    const long = 'time,status,arm\n5,1,A\n5,1,A\n5,0,A\n8,1,A\n3,1,B\n9,0,B\n9,0,B\n12,1,B\n';
    const agg = 'time,status,arm,n\n5,1,A,2\n5,0,A,1\n8,1,A,1\n3,1,B,1\n9,0,B,2\n12,1,B,1\n';
    const headline = async () => ({
      n: await page.textContent('[data-testid="n-0"]'),
      medians: await page.$$eval('[data-testid^="median-"]', (tds) => tds.map((t) => t.dataset.value)),
    });
    await paste(page, long);
    await settle(page);
    const want = await headline();
    await paste(page, agg);
    await page.waitForFunction(() => document.querySelector('[data-testid="count-col"]')?.value === 'n');
    await settle(page);
    assert.deepEqual(await headline(), want);
    assert.equal(want.n, '4');
    assert.match(await page.textContent('[data-testid="notes"]'), /6 rows stand for 8 patients/);
    // "One patient per row" reads the rows as patients again.
    await page.selectOption('[data-testid="count-col"]', '');
    await settle(page);
    assert.equal(await page.textContent('[data-testid="n-0"]'), '3');
    // The events/censored form (a life table, SUM(status) … GROUP BY time, arm): found by
    // its column names, the same patients.
    const lifeTable = 'time,arm,deaths,lost\n5,A,2,1\n8,A,1,0\n3,B,1,0\n9,B,0,2\n12,B,1,0\n';
    await paste(page, lifeTable);
    await page.waitForFunction(() => document.querySelector('[data-testid="events-count-col"]')?.value === 'deaths');
    await settle(page);
    assert.equal(await page.inputValue('[data-testid="censored-count-col"]'), 'lost');
    assert.equal(await page.inputValue('[data-testid="group-col"]'), 'arm');
    assert.deepEqual(await headline(), want);
    assert.match(await page.textContent('[data-testid="notes"]'), /5 rows stand for 8 patients/);
    // Columns the guess does not know are chosen by hand: nothing is analysed until both are.
    await paste(page, lifeTable.replace('deaths,lost', 'd,c'));
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('pasted'));
    await settle(page);
    await page.selectOption('[data-testid="group-col"]', 'arm');
    await page.selectOption('[data-testid="events-count-col"]', 'd');
    await page.selectOption('[data-testid="censored-count-col"]', 'c');
    await settle(page);
    assert.deepEqual(await headline(), want);
  } finally {
    await context.close();
  }
});

test('subgroups named on the page give their forest plot with the P for interaction, equal to R', async () => {
  const { context, page, errors } = await openPage(browser, base);
  try {
    const veteran = fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.csv'), 'utf8');
    await paste(page, veteran);
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('pasted'));
    await settle(page);
    await page.fill('[data-testid="subgroups"]', 'celltype, karno:60!');
    await page.press('[data-testid="subgroups"]', 'Tab');
    await settle(page);
    await page.selectOption('[data-testid="trial-figure"]', 'forest-subgroups');
    const d = page.waitForEvent('download');
    await page.click('[data-testid="trial-figure-svg"]');
    const svg = fs.readFileSync(await (await d).path(), 'utf8');
    // R (tests/fixtures/subgroup/veteran_celltype.json): LR 8.216 on 3 df, P = .042;
    // squamous HR 0.544 (31 events of 35 patients).
    // The figure's text, its wrapped lines joined.
    const text = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].trim()).join(' ');
    for (const t of ['All patients', 'celltype', 'interaction P = .04', 'squamous (18/20 vs 13/15)', '0.54 (0.25\u20131.18)', '&lt; 60', '1 prespecified, the others exploratory', 'Counts are events/patients, 2 vs 1.']) {
      assert.ok(text.includes(t), `"${t}" in the subgroup forest: ${text}`);
    }
    await page.waitForFunction(() => document.querySelector('[data-testid="trial-figure-preview"]')?.naturalWidth > 0);
    // The table beside it: events/patients and R survfit's median per arm, the HR, the
    // interaction P on the variable's first row; its CSV holds the same rows.
    const rows = await page.$$eval('[data-testid="subgroup-table"] tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
    assert.deepEqual(rows[0].slice(0, 6), ['Subgroup', 'Level', '1: events/patients', '2: events/patients', '1: median (KM)', '2: median (KM)']);
    const squamous = rows.find((r) => r[1] === 'squamous');
    assert.deepEqual(squamous.slice(1, 7), ['squamous', '13/15', '18/20', '110.0', '201.0', '0.54 (95% CI: 0.25, 1.18)']);
    // The variable's first row (levels in R's factor order) carries the interaction P.
    const first = rows.findIndex((r) => r[0] === 'celltype');
    assert.equal(rows[first][7], 'P = .04');
    assert.ok(rows.indexOf(squamous) > first);
    assert.equal(rows.find((r) => r[1] === 'adeno')[5], '49.5');
    assert.ok(rows.some((r) => r[0] === 'karno (prespecified)'), rows.map((r) => r[0]).join('|'));
    const dc = page.waitForEvent('download');
    await page.click('[data-testid="save-subgroup-csv"]');
    const csv = fs.readFileSync(await (await dc).path(), 'utf8');
    assert.ok(csv.includes(',squamous,13/15,18/20,110.0,201.0,"0.54 (95% CI: 0.25, 1.18)",,'), csv.slice(0, 600));
    assert.ok(csv.split('\n')[0].startsWith('Subgroup,Level,1: events/patients'), csv.slice(0, 200));
    // Stratified as the primary analysis (by prior therapy), or not, as the user says.
    await page.selectOption('[data-testid="strata"]', 'prior');
    await settle(page);
    assert.ok(await page.isChecked('[data-testid="subgroups-stratified"]'));
    await page.selectOption('[data-testid="trial-figure"]', 'forest-subgroups');
    await page.click('[data-testid="trial-figure-show"]');
    await page.waitForSelector('[data-testid="subgroup-table"]');
    assert.match(await page.textContent('[data-testid="subgroup-table"] thead'), /Cox stratified by prior/);
    await page.uncheck('[data-testid="subgroups-stratified"]');
    await page.click('[data-testid="trial-figure-show"]');
    await page.waitForSelector('[data-testid="subgroup-table"]');
    assert.doesNotMatch(await page.textContent('[data-testid="subgroup-table"] thead'), /stratified/);
    // A subgroup that is not a column says so.
    await page.fill('[data-testid="subgroups"]', 'nosuch');
    await page.press('[data-testid="subgroups"]', 'Tab');
    await page.click('[data-testid="trial-figure-show"]');
    await page.waitForFunction(() => /subgroup column "nosuch" is not in the table/.test(document.querySelector('[data-testid="paper-status"]')?.textContent ?? ''));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('competing risks on the page: a cause-of-failure column gives the cumulative incidence of each cause, Gray\'s test and the Fine–Gray HR, equal to cmprsk', async (t) => {
  const { context, page, errors } = await openPage(browser, base, { viewport: { width: 1440, height: 900 } });
  try {
    // survival::mgus2: progression vs death by sex (tests/fixtures/competing/mgus2.json).
    const f = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/competing/mgus2.json'), 'utf8'));
    const words = ['censored', 'progression', 'death'];
    // A time, a 0/1 status (any event) for the survival endpoint, and the cause.
    let csv = 'months,status,sex,cause\n';
    f.time.forEach((t, i) => { csv += `${t},${f.cause[i] > 0 ? 1 : 0},${f.group[i]},${words[f.cause[i]]}\n`; });
    await paste(page, csv);
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('pasted'));
    await settle(page);
    await page.selectOption('[data-testid="competing-event"]', 'cause');
    await page.selectOption('[data-testid="trial-figure"]', 'cumulative-incidence-competing-risks');
    const d = page.waitForEvent('download');
    await page.click('[data-testid="trial-figure-svg"]');
    const svg = fs.readFileSync(await (await d).path(), 'utf8');
    const text = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].trim()).join(' ');
    // cmprsk: Gray's χ² 1.1945 (P = .27) for progression, 11.651 (P < .001) for death.
    for (const t of ['Cumulative incidence of progression (%)', 'Cumulative incidence of death (%)', 'Gray&apos;s test P = .27', 'Gray&apos;s test P &lt; .001', 'Number at risk', 'F (n = 631)']) {
      assert.ok(text.includes(t), `"${t}" in the figure: ${text.slice(0, 400)}`);
    }
    await page.waitForFunction(() => document.querySelector('[data-testid="trial-figure-preview"]')?.naturalWidth > 0);
    // The panel: Gray's P and the Fine–Gray subdistribution HR of each cause as cmprsk
    // gives them (tests/fixtures/finegray/mgus2.json), the cause-specific HR beside it.
    const fg = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/finegray/mgus2.json'), 'utf8'));
    const crr = (k) => fg.fits.find((x) => x.cause === k);
    // Causes are words here: numbered in sorted order, death = 1, progression = 2.
    const grayP = { 1: 0.000641590976408, 2: 0.274422156788004 };
    const fineGray = { 1: Math.exp(crr(2).coef[0]), 2: Math.exp(crr(1).coef[0]) };
    const causeSpecific = { 1: Math.exp(crr(2).cs_coef[0]), 2: Math.exp(crr(1).cs_coef[0]) };
    for (const [i, code] of [[0, 1], [1, 2]]) {
      close(Number((await dataOf(page, `gray-${i}`)).value), grayP[code], 1e-9, `Gray's P of cause ${code}`);
      close(Number((await dataOf(page, `fine-gray-${i}`)).value), fineGray[code], 1e-8, `Fine–Gray HR of cause ${code}`);
      close(Number((await dataOf(page, `cause-specific-${i}`)).value), causeSpecific[code], 1e-8, `cause-specific HR of cause ${code}`);
    }
    const sentences = await page.textContent('[data-testid="competing-sentences"]');
    assert.match(sentences, /cumulative incidence of death was [0-9.]+% \(95% CI: [0-9.]+, [0-9.]+\) with M and [0-9.]+%/);
    assert.match(sentences, /Gray's test P < \.001; subdistribution HR 1\.26, 95% CI: 1\.10, 1\.44, Fine–Gray/);
    assert.match(await page.textContent('[data-testid="competing-method"]'), /cmprsk::crr.*cause-specific/);
    // The cause of interest comes first.
    await page.selectOption('[data-testid="competing-cause"]', '2');
    await settle(page);
    close(Number((await dataOf(page, 'fine-gray-0')).value), fineGray[2], 1e-8, 'progression first');
    assert.match(await page.textContent('[data-testid="competing-sentences"]'), /^The [^.]*progression/);
    // Looked at as a person would, at both widths; no accessibility violation.
    const shots = path.join(ROOT, 'tests/browser/screenshots');
    fs.mkdirSync(shots, { recursive: true });
    const axe = fs.readFileSync(path.join(ROOT, 'tests/browser/node_modules/axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axe);
    for (const [name, viewport] of [['wide', { width: 1440, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
      await page.setViewportSize(viewport);
      const result = await page.evaluate(() => window.axe.run(document.querySelector('section.competing'), { resultTypes: ['violations'] }));
      assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.help}`), [], `${name}: accessibility`);
      await page.locator('section.competing').screenshot({ path: path.join(shots, `competing-${name}.png`) });
    }
    t.diagnostic('screenshots: tests/browser/screenshots/competing-{wide,phone}.png');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('planning a trial on the page: events and patients equal rpact, Simon\'s designs his table, two proportions power.prop.test; bad input names its field', async (t) => {
  const { context, page, errors, requests } = await openPage(browser, base, { viewport: { width: 1440, height: 900 } });
  try {
    const rp = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/design/survival.json'), 'utf8'));
    const pp = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/design/proportions.json'), 'utf8'));
    const before = requests.length;
    // The defaults are the issue's check: HR 0.7, two-sided 0.05, 80%, 1:1, median 12,
    // accrual 24, follow-up 12 (rpact's first case).
    await page.click('[data-testid="design-compute"]');
    await page.waitForSelector('[data-testid="design-numbers"]');
    const issue = rp.sample_size[0];
    close(Number((await dataOf(page, 'design-value-0')).value), issue.eventsFixed, 1e-10, 'events');
    close(Number((await dataOf(page, 'design-value-1')).value), issue.nFixed, 1e-10, 'patients');
    assert.equal((await dataOf(page, 'design-value-0')).text, '247');
    assert.match(await page.textContent('[data-testid="design-sentence"]'), /247 events are needed \(Schoenfeld\).*370 patients are required \(185 treatment and 185 control, 1:1\)/);
    await page.waitForFunction(() => document.querySelector('[data-testid="design-figure"]')?.naturalWidth > 0);
    const shots = path.join(ROOT, 'tests/browser/screenshots');
    fs.mkdirSync(shots, { recursive: true });
    await page.locator('section.design').screenshot({ path: path.join(shots, 'design-survival-wide.png') });
    // The effect as medians, 12 vs 12/0.7 months: the same HR of 0.70 and 247 events.
    await page.fill('[data-testid="design-median1"]', String(12 / 0.7));
    await page.press('[data-testid="design-median1"]', 'Tab');
    await page.click('[data-testid="design-compute"]');
    await page.waitForFunction(() => /median survival 17\.1 months with treatment against 12 months/.test(document.querySelector('[data-testid="design-sentence"]')?.textContent ?? ''));
    assert.equal((await dataOf(page, 'design-value-0')).text, '247');
    await page.fill('[data-testid="design-median1"]', '');
    await page.press('[data-testid="design-median1"]', 'Tab');
    // Freedman: 252.04 events.
    await page.selectOption('[data-testid="design-method"]', 'Freedman');
    await page.click('[data-testid="design-compute"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="design-value-0"]')?.textContent === '253');
    // Lachin–Foulkes, as gsDesign nSurv (tests/r/lachin_foulkes.R): 245.80 events, 368.10 patients.
    const lf = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures/design/lachin_foulkes.json'), 'utf8')).cases[1];
    await page.selectOption('[data-testid="design-method"]', 'Lachin–Foulkes');
    await page.click('[data-testid="design-compute"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="design-value-0"]')?.textContent === '246');
    close(Number((await dataOf(page, 'design-value-1')).value), lf.n, 1e-10, 'Lachin–Foulkes patients');
    assert.match(await page.textContent('section.design .method'), /Lachin and Foulkes \(1986\).*gsDesign nSurv/);
    // rpact's case with medians 18 vs 12, 2:1, piecewise accrual (0.2, 0.8 over 0–6, 6–24)
    // and 10% / 5% lost by 12 months in each arm.
    await page.selectOption('[data-testid="design-method"]', 'Schoenfeld');
    const fill = async (id, v) => { await page.fill(`[data-testid="${id}"]`, v); await page.press(`[data-testid="${id}"]`, 'Tab'); };
    await fill('design-median1', '18');
    await fill('design-ratio', '2');
    await fill('design-accrual', '6, 24');
    await fill('design-intensity', '0.2, 0.8');
    await fill('design-dropout', '0.1');
    await fill('design-dropout-control', '0.05');
    await page.click('[data-testid="design-compute"]');
    await page.waitForFunction(() => /piecewise accrual/.test(document.querySelector('[data-testid="design-sentence"]')?.textContent ?? ''));
    close(Number((await dataOf(page, 'design-value-1')).value), rp.sample_size[3].nFixed, 1e-10, 'patients, piecewise accrual and dropout');
    close(Number((await dataOf(page, 'design-value-0')).value), rp.sample_size[3].eventsFixed, 1e-10, 'events, medians 18 vs 12 at 2:1');
    // Accrual as a rate, 20 patients a month for 24 months: the follow-up is solved (rpact).
    await fill('design-median1', '');
    await fill('design-ratio', '1');
    await fill('design-accrual', '24');
    await fill('design-intensity', '20');
    await fill('design-dropout', '0');
    await fill('design-dropout-control', '');
    await page.check('[data-testid="design-rate"]');
    assert.equal(await page.inputValue('[data-testid="design-follow-up"]'), 'solved');
    await page.click('[data-testid="design-compute"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="design-value-1"]')?.textContent === '480');
    close(Number((await dataOf(page, 'design-value-3')).value), rp.sample_size[5].followUpTime, 1e-5, 'follow-up solved for the rate');
    await page.locator('section.design').screenshot({ path: path.join(shots, 'design-rate-wide.png') });
    // A list with a word in it is named.
    await fill('design-intensity', '20, x');
    await page.click('[data-testid="design-compute"]');
    assert.match(await page.textContent('[data-testid="design-error"]'), /Accrual intensity per period .*“x” is not a number/);
    await page.uncheck('[data-testid="design-rate"]');
    await fill('design-intensity', '');
    // Simon: p0 0.2, p1 0.4, α 0.05, power 0.9 → optimal 4/19, 15/54; minimax 5/24, 13/45.
    await page.selectOption('[data-testid="design-kind"]', 'response');
    await page.click('[data-testid="design-compute"]');
    await page.waitForSelector('[data-testid="design-value-1"]');
    assert.equal((await dataOf(page, 'design-value-0')).value, '4 19 15 54');
    assert.equal((await dataOf(page, 'design-value-1')).value, '5 24 13 45');
    assert.match(await page.textContent('[data-testid="design-sentence"]'), /19 patients in stage 1; if 4 or fewer respond the trial stops/);
    // After the trial: 16 of 54 responded — P equal to the design's exact α, the UMVUE
    // (tests/fixtures/design/simon.json: 0.33183).
    await page.fill('[data-testid="design-observed"]', '16');
    await page.press('[data-testid="design-observed"]', 'Tab');
    await page.click('[data-testid="design-compute"]');
    await page.waitForFunction(() => /16 of 54 responded; P = \.05 against p₀/.test(document.querySelector('[data-testid="design-sentence"]')?.textContent ?? ''));
    assert.match(await page.textContent('[data-testid="design-sentence"]'), /response rate 33\.2% by the unbiased estimate \(UMVUE; 29\.6% naive\), 95% CI 18\.5% to 46\.8%/);
    await page.locator('section.design').screenshot({ path: path.join(shots, 'design-simon-wide.png') });
    await page.fill('[data-testid="design-observed"]', '');
    await page.press('[data-testid="design-observed"]', 'Tab');
    // Two proportions: 0.5 vs 0.75 at 90% power (R power.prop.test).
    await page.selectOption('[data-testid="design-kind"]', 'proportions');
    await page.fill('[data-testid="design-power"]', '0.9');
    await page.press('[data-testid="design-power"]', 'Tab');
    await page.click('[data-testid="design-compute"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="design-numbers"] th')?.textContent.startsWith('Per group'));
    close(Number((await dataOf(page, 'design-value-0')).value), pp.two_proportions[0].n, 1e-10, 'n per group');
    // A field that is not a number is named.
    await page.fill('[data-testid="design-q2"]', 'abc');
    await page.press('[data-testid="design-q2"]', 'Tab');
    await page.click('[data-testid="design-compute"]');
    assert.match(await page.textContent('[data-testid="design-error"]'), /Proportion, treatment: “abc” is not a number/);
    await page.fill('[data-testid="design-q2"]', '0.5');
    await page.press('[data-testid="design-q2"]', 'Tab');
    await page.click('[data-testid="design-compute"]');
    await page.waitForFunction(() => /p2: a proportion other than p1/.test(document.querySelector('[data-testid="design-error"]')?.textContent ?? ''));
    await page.setViewportSize({ width: 390, height: 844 });
    await page.selectOption('[data-testid="design-kind"]', 'survival');
    await page.click('[data-testid="design-compute"]');
    await page.waitForSelector('[data-testid="design-numbers"]');
    await page.locator('section.design').screenshot({ path: path.join(shots, 'design-survival-phone.png') });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    t.diagnostic('screenshots: tests/browser/screenshots/design-*.png');
    assert.deepEqual(requests.slice(before).filter((r) => !/^(blob|data):/.test(r.url)), [], 'no request while designing');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('patients rebuilt from a published curve: pasted points and numbers at risk give a table the page analyses, with the HR of the original data', async (t) => {
  const { context, page, errors, requests } = await openPage(browser, base, { viewport: { width: 1440, height: 900 } });
  try {
    // veteran by treatment: each arm's Kaplan–Meier steps as a digitiser would read them
    // (corners of the steps, three decimals, survival in %), the risk table every 100 days.
    const rows = fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.csv'), 'utf8').trim().split('\n');
    const head = rows[0].split(',');
    const [ti, si, gi] = ['time', 'status', 'trt'].map((c) => head.indexOf(c));
    const data = rows.slice(1).map((r) => r.split(',')).map((c) => ({ t: Number(c[ti]), e: c[si] === '1', g: c[gi] }));
    const arms = ['1', '2'].map((g) => {
      const d = data.filter((x) => x.g === g).sort((a, b) => a.t - b.t);
      let s = 1;
      const points = ['time,survival', '0,100'];
      for (let i = 0; i < d.length;) {
        let j = i; let ev = 0;
        while (j < d.length && d[j].t === d[i].t) { ev += d[j].e ? 1 : 0; j++; }
        if (ev > 0) { s *= 1 - ev / (d.length - i); points.push(`${d[i].t},${(100 * s).toFixed(3)}`); }
        i = j;
      }
      points.push(`${d[d.length - 1].t},${(100 * s).toFixed(3)}`);
      const risk = [];
      for (let x = 0; x < d[d.length - 1].t; x += 100) risk.push(`${x}:${d.filter((p) => p.t >= x).length}`);
      return { points: points.join('\n'), risk: risk.join(', ') };
    });
    const before = requests.length;
    for (const [k, a] of arms.entries()) {
      await page.fill(`[data-testid="rebuild-name-${k}"]`, `trt ${k + 1}`);
      await page.fill(`[data-testid="rebuild-points-${k}"]`, a.points);
      await page.fill(`[data-testid="rebuild-risk-${k}"]`, a.risk);
    }
    await page.click('[data-testid="rebuild-go"]');
    await page.waitForSelector('[data-testid="rebuild-accuracy"]');
    for (const k of [0, 1]) {
      assert.ok(Number((await dataOf(page, `rebuild-max-${k}`)).value) <= 0.02, `arm ${k}: max |ΔS|`);
    }
    assert.equal(Number((await dataOf(page, 'rebuild-n-0')).text) + Number((await dataOf(page, 'rebuild-n-1')).text), 137);
    assert.match(await page.textContent('[data-testid="rebuild-notes"]'), /percentages/);
    const shots = path.join(ROOT, 'tests/browser/screenshots');
    fs.mkdirSync(shots, { recursive: true });
    await page.locator('section.rebuild').screenshot({ path: path.join(shots, 'rebuild-wide.png') });
    // Analysed as the data: the HR within 10% of the original's (R coxph on veteran by trt).
    await page.click('[data-testid="rebuild-analyse"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('rebuilt'));
    await settle(page);
    const original = coreReport(fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.csv'), 'utf8'), ['--time', 'time', '--event', 'status', '--group', 'trt']);
    const want = original.cox.terms[0].hr;
    const got = Number((await dataOf(page, 'hr-headline')).value);
    assert.ok(Math.abs(got - want) <= 0.1 * want, `HR ${got} rebuilt vs ${want} original`);
    // Bad input names the arm and what to write.
    await page.fill('[data-testid="rebuild-risk-1"]', '0:69, 100:x');
    await page.click('[data-testid="rebuild-go"]');
    assert.match(await page.textContent('[data-testid="rebuild-error"]'), /trt 2: the numbers at risk have the number “x”/);
    // Nothing leaves the page (blob: URLs are the page's own figures).
    assert.deepEqual(requests.slice(before).filter((r) => !/^(blob|data):/.test(r.url)), [], 'no request while rebuilding');
    t.diagnostic('screenshot: tests/browser/screenshots/rebuild-wide.png');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a curve read off an image of a survcalc figure: calibrated by clicks, traced by its colour, rebuilt with the printed risk table, gives the HR of the data within 10%', async (t) => {
  const { context, page, errors } = await openPage(browser, base, { viewport: { width: 1440, height: 900 } });
  try {
    // The figure of veteran by treatment, as survcalc draws it (KMunicate: bands, censor
    // marks, the table under it), rendered to a PNG at 1 pixel per SVG unit.
    const svg = execFileSync(cli(), ['analyze', path.join(ROOT, 'tests/fixtures/veteran.csv'), '--time', 'time', '--event', 'status', '--group', 'trt',
      '--format', 'svg', '--figure', 'kaplan-meier-panels', '--width-in', '5.5'], { encoding: 'utf8' });
    const labels = [...svg.matchAll(/<text x="([\d.]+)" y="([\d.]+)"[^>]*>\s*([^<]*?)\s*<\/text>/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), text: m[3] }));
    // Tick labels: the time axis's under the plot (one row), survival's left of it.
    const xTicks = labels.filter((l) => /^\d+$/.test(l.text) && l.y === labels.find((m) => m.text === '800').y);
    const yTicks = labels.filter((l) => /^\d+$/.test(l.text) && l.x === labels.find((m) => m.text === '100' && m.y < 50).x);
    const at = (ticks, text) => ticks.find((l) => l.text === text);
    const shot = await context.newPage();
    await shot.setViewportSize({ width: 600, height: 520 });
    await shot.setContent(`<html><body style="margin:0;background:#fff">${svg.replace(/<\?xml[^>]*>/, '')}</body></html>`);
    const png = await shot.locator('svg').first().screenshot();
    await shot.close();
    // Arm 1: its risk table row as printed (69, 12, 2, 0 at 0, 200, 400, 600).
    await page.fill('[data-testid="rebuild-name-0"]', 'trt 1');
    await page.fill('[data-testid="rebuild-risk-0"]', '0:69, 200:12, 400:2, 600:0');
    await page.fill('[data-testid="rebuild-name-1"]', 'trt 2');
    await page.fill('[data-testid="rebuild-risk-1"]', '0:68, 200:13, 400:4, 600:2, 800:2');
    for (const [k, color] of [[0, [0x00, 0x72, 0xb2]], [1, [0xd5, 0x5e, 0x00]]]) {
      await page.click(`[data-testid="digitise-details-${k}"] summary`);
      await page.setInputFiles(`[data-testid="digitise-image-${k}"]`, { name: 'figure.png', mimeType: 'image/png', buffer: png });
      await page.waitForFunction((k) => document.querySelector(`[data-testid="digitise-canvas-${k}"]`)?.width > 300, k);
      await page.fill(`[data-testid="digitise-x1-${k}"]`, '0');
      await page.fill(`[data-testid="digitise-x2-${k}"]`, '800');
      await page.fill(`[data-testid="digitise-y1-${k}"]`, '0');
      await page.fill(`[data-testid="digitise-y2-${k}"]`, '100');
      const canvas = page.locator(`[data-testid="digitise-canvas-${k}"]`);
      const scale = await canvas.evaluate((c) => c.clientWidth / c.width);
      const clickAt = (x, y) => canvas.click({ position: { x: x * scale, y: y * scale } });
      await clickAt(at(xTicks, '0').x, at(yTicks, '0').y + 3);
      await clickAt(at(xTicks, '800').x, at(yTicks, '0').y + 3);
      await clickAt(at(xTicks, '0').x - 2, at(yTicks, '0').y);
      await clickAt(at(xTicks, '0').x - 2, at(yTicks, '100').y);
      // A pixel of the arm's curve (found as a reader finds it: by its colour).
      const spot = await canvas.evaluate((c, col) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let x = Math.round(c.width * 0.35); x < c.width; x++) for (let y = 0; y < c.height * 0.55; y++) {
          const i = 4 * (y * c.width + x);
          // Anti-aliased, a 1.5-point line is never quite its colour: within 180 (sum of
          // channel differences) of it, and far from the pale bands.
          if (Math.abs(d[i] - col[0]) + Math.abs(d[i + 1] - col[1]) + Math.abs(d[i + 2] - col[2]) < 180) return { x, y };
        }
        return null;
      }, color);
      assert.ok(spot, `a pixel of arm ${k + 1}'s colour`);
      await clickAt(spot.x, spot.y);
      await page.waitForFunction((k) => /points traced/.test(document.querySelector(`[data-testid="digitise-message-${k}"]`)?.textContent ?? ''), k);
    }
    const shots = path.join(ROOT, 'tests/browser/screenshots');
    fs.mkdirSync(shots, { recursive: true });
    await page.locator('section.rebuild').screenshot({ path: path.join(shots, 'rebuild-traced-wide.png') });
    await page.click('[data-testid="rebuild-go"]');
    await page.waitForSelector('[data-testid="rebuild-accuracy"]');
    await page.click('[data-testid="rebuild-analyse"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="source"]')?.textContent.includes('rebuilt'));
    await settle(page);
    const original = coreReport(fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.csv'), 'utf8'), ['--time', 'time', '--event', 'status', '--group', 'trt']);
    const want = original.cox.terms[0].hr;
    const got = Number((await dataOf(page, 'hr-headline')).value);
    assert.ok(Math.abs(got - want) <= 0.1 * want, `HR ${got} from the traced image vs ${want} from the data`);
    t.diagnostic(`traced HR ${got.toFixed(3)} vs ${want.toFixed(3)}; screenshot tests/browser/screenshots/rebuild-traced-wide.png`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('"Reproduce in R" saves a script that R runs to the report\'s numbers: the example travels inside it, a chosen file is opened by name', async (t) => {
  const { context, page, errors, requests } = await openPage(browser, base);
  try {
    const before = requests.length;
    const save = async () => {
      const download = page.waitForEvent('download');
      await page.click('[data-testid="save-r-script"]');
      const d = await download;
      return { name: d.suggestedFilename(), text: fs.readFileSync(await d.path(), 'utf8') };
    };
    const example = await save();
    assert.equal(example.name, 'data-survcalc.R');
    assert.match(example.text, /text <- r"\(id,arm,os_months/);
    assert.match(example.text, /## OS -+\n[\s\S]*## PFS -+\n[\s\S]*## Response \(response\)[\s\S]*## Adverse events/);
    // The same analysis as the CLI's script for the same data, which opens the file instead.
    const cliScript = analyzeWith(exampleCsv())('--format', 'r');
    const analysis = (s) => s.slice(s.indexOf('num <- function'));
    assert.equal(analysis(example.text), analysis(cliScript), 'the page and the CLI write the same analysis');
    const dir = fs.mkdtempSync('/tmp/survcalc-rscript-');
    fs.writeFileSync(path.join(dir, example.name), example.text);
    let hasR = true;
    try {
      execFileSync('Rscript', ['-e', 'library(survival)'], { stdio: 'ignore' });
    } catch {
      hasR = false;
    }
    if (hasR) {
      // R prints each number labelled; the page's own numbers are the same.
      const out = execFileSync('Rscript', [example.name], { cwd: dir, encoding: 'utf8' });
      const printed = Object.fromEntries(out.split('\n').filter((l) => l.startsWith('[survcalc] '))
        .map((l) => l.slice(11).split(' = ')).map(([k, v]) => [k, v === 'NA' ? null : Number(v)]));
      const hr = await dataOf(page, 'hr-0');
      close(printed['OS | HR | Sorafenib+HAIC'], Number(hr.value), 1e-8, 'HR as R computes it');
      close(printed['OS | HR lower | Sorafenib+HAIC'], Number(hr.lower), 1e-8, 'HR lower');
      for (let i = 0; i < 2; i++) {
        const m = await dataOf(page, `median-${i}`);
        const arm = ['Sorafenib', 'Sorafenib+HAIC'][i];
        close(printed[`OS | median | ${arm}`], num(m.value), 1e-10, `median ${arm}`);
      }
      close(printed['OS | log-rank P | all'], Number((await dataOf(page, 'logrank')).value), 1e-10, 'log-rank P');
      assert.ok(fs.existsSync(path.join(dir, 'data-os.pdf')), 'the figure is saved beside the data');
    } else {
      t.diagnostic('R with survival is not installed: the script was not run');
    }
    // Under the SAS convention a SAS program is offered too, the CLI's for the same data.
    assert.ok(!(await page.isVisible('[data-testid="save-sas-script"]')), 'no SAS program under R');
    await page.selectOption('[data-testid="convention"]', 'sas');
    await settle(page);
    const sasDownload = page.waitForEvent('download');
    await page.click('[data-testid="save-sas-script"]');
    const sas = await sasDownload;
    assert.equal(sas.suggestedFilename(), 'data-survcalc.sas');
    const sasText = fs.readFileSync(await sas.path(), 'utf8');
    const cliSas = analyzeWith(exampleCsv())('--convention', 'sas', '--format', 'sas');
    const program = (s) => s.slice(s.indexOf('options validvarname=any;'));
    assert.equal(program(sasText), program(cliSas), 'the page and the CLI write the same SAS program');
    assert.match(sasText, /conftype=loglog[\s\S]*ties=breslow/);
    await page.selectOption('[data-testid="convention"]', 'r');
    await settle(page);
    // A chosen file: the script opens it by its name.
    await page.setInputFiles('[data-testid="file"]', path.join(ROOT, 'tests/fixtures/veteran.csv'));
    await page.waitForFunction(() => document.querySelector('[data-testid="n-0"]')?.textContent === '69');
    const veteran = await save();
    assert.equal(veteran.name, 'veteran-survcalc.R');
    assert.match(veteran.text, /file <- "veteran\.csv"\nd0 <- read\.csv\(file, sep = ","/);
    assert.ok(!veteran.text.includes('text <- r"'), 'the data is not copied into the script');
    if (hasR) {
      fs.copyFileSync(path.join(ROOT, 'tests/fixtures/veteran.csv'), path.join(dir, 'veteran.csv'));
      fs.writeFileSync(path.join(dir, veteran.name), veteran.text);
      const out = execFileSync('Rscript', [veteran.name], { cwd: dir, encoding: 'utf8' });
      const hr = out.split('\n').find((l) => l.startsWith('[survcalc] Survival | HR | '));
      close(Number(hr.split(' = ')[1]), Number((await dataOf(page, 'hr-0')).value), 1e-8, 'veteran HR');
    }
    assert.deepEqual(requests.slice(before).filter((r) => !/^(blob|data):/.test(r.url)), [], 'no request while writing the script');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the npm package\'s web build runs in a page without a bundler: its example page analyses the CSV as the CLI does and names a bad row', async (t) => {
  const npmDir = path.join(ROOT, 'target/npm');
  assert.ok(fs.existsSync(path.join(npmDir, 'package/web/survcalc.js')), 'build the package first: scripts/build-npm.sh');
  const { server: npmServer, base: npmBase } = await serve(npmDir);
  const context = await browser.newContext();
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${npmBase}example/index.html`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.getElementById('out')?.dataset.hr);
    assert.match(await page.evaluate(() => document.body.dataset.ready), /R 4\.2\.2, survival 3\.5\.3/);
    const want = JSON.parse(analyzeWith(await page.inputValue('#csv'))('--format', 'json'));
    close(Number(await page.$eval('#out', (e) => e.dataset.hr)), want.cox.terms[0].hr, 1e-12, 'HR in the page');
    assert.equal(await page.$eval('#out', (e) => e.rows[1].cells[3].textContent), String(want.summaries[0].median.estimate));
    await page.fill('#csv', 'time,status\nx,1\ny,0\n');
    await page.click('#run');
    assert.match(await page.textContent('#error'), /^SurvcalcError \(NoValidRows, row 2, column time\): /);
    const shots = path.join(ROOT, 'tests/browser/screenshots');
    fs.mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: path.join(shots, 'npm-example.png') });
    t.diagnostic('screenshot: tests/browser/screenshots/npm-example.png');
    assert.deepEqual(requests.filter((u) => !u.startsWith(npmBase)), [], 'only the page and the package are loaded');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    npmServer.close();
  }
});
