// The npm package (crates/js, built by scripts/build-npm.sh into target/npm/package) run
// in Node: the golden fixtures the Rust suite uses, through the JS API, at the same
// tolerances (KM, Greenwood, log-rank 1e-10; Cox 1e-8); `analyze` equals the CLI's JSON;
// errors are SurvcalcErrors naming the row and column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PKG = process.env.SURVCALC_NPM ?? path.join(ROOT, 'target/npm/package');
const require = createRequire(import.meta.url);
const sc = require(path.join(PKG, 'nodejs/survcalc.js'));
const fixture = (f) => JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/fixtures', f), 'utf8'));

function close(got, want, tol, what) {
  if (want === null || want === undefined) {
    // R's NA: survcalc's null, or a non-finite number (the SE of log S where S = 0).
    assert.ok(got === null || got === undefined || !Number.isFinite(got), `${what}: ${got}, R NA`);
    return;
  }
  const scale = Math.max(Math.abs(want), Math.abs(got));
  assert.ok(scale === 0 || Math.abs(got - want) / scale <= tol, `${what}: ${got} vs R ${want}`);
}

const veteran = fixture('veteran.json');
const vdata = { time: veteran.data.time, event: veteran.data.status, group: veteran.data.group };

test('kaplanMeier equals R survfit on veteran (every conf.type)', () => {
  for (const confType of ['log', 'log-log', 'plain']) {
    const curves = sc.kaplanMeier(vdata, { confType });
    assert.equal(curves.length, 2);
    curves.forEach((c, g) => {
      const r = veteran.km[confType][g];
      assert.equal(c.group, r.group);
      assert.deepEqual(c.time, r.time);
      assert.deepEqual(c.n_risk, r.n_risk);
      r.surv.forEach((s, i) => {
        close(c.surv[i], s, 1e-10, `${confType} surv ${g}/${i}`);
        close(c.se_log_surv[i], r.std_err[i], 1e-10, `std.err ${g}/${i}`);
        close(c.lower[i], r.lower[i], 1e-10, `lower ${g}/${i}`);
        close(c.upper[i], r.upper[i], 1e-10, `upper ${g}/${i}`);
      });
    });
  }
});

test('quantiles give R\'s median and CI; logRank equals survdiff', () => {
  const q = sc.quantiles(vdata, { probs: [0.5] });
  q.forEach((g, i) => {
    const r = veteran.median.log[i];
    close(g.quantiles[0].estimate, r.estimate, 1e-10, 'median');
    close(g.quantiles[0].lower, r.lower, 1e-10, 'median lower');
    close(g.quantiles[0].upper, r.upper, 1e-10, 'median upper');
  });
  const lr = sc.logRank(vdata);
  close(lr.chisq, veteran.survdiff.chisq, 1e-10, 'chisq');
  close(lr.p_value, veteran.survdiff.p, 1e-10, 'p');
  lr.expected.forEach((e, i) => close(e, veteran.survdiff.exp[i], 1e-10, 'expected'));
  // G(1, 0) is survdiff(rho = 1): a different number.
  assert.ok(Math.abs(sc.logRank(vdata, { rho: 1 }).chisq - lr.chisq) > 1e-6);
});

test('coxph equals R coxph (Efron and Breslow) on veteran', () => {
  for (const ties of ['efron', 'breslow']) {
    const m = sc.coxph(vdata, { ties });
    const r = veteran.coxph[ties];
    close(m.coefficients[0].coef, r.coef[0], 1e-8, `${ties} coef`);
    close(m.coefficients[0].se, r.se[0], 1e-8, `${ties} se`);
    close(m.loglik[1], r.loglik[1], 1e-8, `${ties} loglik`);
  }
  // With a covariate and strata (R: coxph(Surv(time, status) ~ trt + karno + strata(celltype))).
  const csv = fs.readFileSync(path.join(ROOT, 'tests/fixtures/veteran.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const m = sc.coxph({
    time: csv.map((r) => Number(r[2])), event: csv.map((r) => Number(r[3])), group: csv.map((r) => r[0]),
    covariates: [{ name: 'karno', values: csv.map((r) => Number(r[4])) }], strata: csv.map((r) => r[1]),
  });
  const cli = JSON.parse(execFileSync(cli_(), ['analyze', path.join(ROOT, 'tests/fixtures/veteran.csv'), '--format', 'json', '--covariates', 'karno', '--strata', 'celltype'], { encoding: 'utf8' }));
  m.coefficients.forEach((c, i) => close(c.coef, cli.cox_adjusted.coefficients[i].coef, 1e-12, `adjusted ${c.name}`));
});

function cli_() {
  for (const p of [process.env.SURVCALC_CLI, path.join(ROOT, 'target/debug/survcalc')]) if (p && fs.existsSync(p)) return p;
  throw new Error('build the CLI: cargo build -p survcalc-cli');
}

test('rmst, fisherTest, proportion and cumulativeIncidence equal R', () => {
  // survRM2 rmst2 on aml (tests/r/km_extras.R), τ = the default and given ones.
  const aml = fixture('km_extras/aml.json');
  const amlData = { time: aml.data.time, event: aml.data.status, group: aml.data.group, levels: aml.levels };
  for (const c of aml.rmst.comparisons[0].cases) {
    const t = sc.rmst(amlData, c.tau_given ? { tau: c.tau } : {});
    close(t.tau, c.tau, 1e-12, 'tau');
    for (const [arm, key] of [[aml.rmst.comparisons[0].arm1, 'arm1'], [aml.rmst.comparisons[0].arm0, 'arm0']]) {
      const g = t.groups.find((x) => x.group === arm);
      close(g.estimate, c[key].rmst, 1e-10, `RMST ${arm} τ ${c.tau}`);
      close(g.se, c[key].se, 1e-10, `RMST se ${arm}`);
    }
  }
  const f = sc.fisherTest({ x1: 11, n1: 32, x2: 1, n2: 32 });
  close(f.p_value, 0.0026518218775088078, 1e-10, 'fisher.test p'); // R 4.2.2
  close(f.estimate, 15.638781216406006, 1e-8, 'fisher.test conditional MLE');
  const p = sc.proportion(11, 32);
  close(p.clopper_pearson.lower, 0.18571909171656603, 1e-10, 'binom.test lower'); // R 4.2.2
  close(p.clopper_pearson.upper, 0.5319310362802685, 1e-10, 'binom.test upper');
  const cr = fixture('competing/mgus2.json');
  const inc = sc.cumulativeIncidence({ time: cr.time, cause: cr.cause, group: cr.group });
  for (const want of cr.curves) {
    const c = inc.find((x) => x.cause === want.cause).curves.find((x) => x.group === want.group);
    cr.times.forEach((tt, i) => {
      if (want.est[i] === null) return; // R: NA after the group's last follow-up
      const k = c.time.findLastIndex((x) => x <= tt);
      close(k < 0 ? 0 : c.estimate[k], want.est[i], 1e-10, `CIF ${want.group} cause ${want.cause} at ${tt}`);
    });
  }
});

test('design: Schoenfeld 246.79 events, rpact\'s patients; Simon\'s table; power.prop.test', () => {
  const rp = fixture('design/survival.json').sample_size[0];
  const s = sc.sampleSizeSurvival({
    control: { kind: 'median', median: 12 }, effect: { kind: 'hazard_ratio', hazard_ratio: 0.7 },
    alpha: 0.05, sides: 2, power: 0.8, allocation_ratio: 1,
    accrual: { kind: 'period', boundaries: [0, 24], intensity: [1], follow_up: 12 },
    dropout: { kind: 'none' }, method: 'schoenfeld',
  });
  close(s.events, rp.eventsFixed, 1e-10, 'events');
  close(s.subjects, rp.nFixed, 1e-10, 'patients');
  const simon = sc.simonTwoStage(0.2, 0.4, 0.05, 0.1);
  assert.deepEqual([simon.optimal.r1, simon.optimal.n1, simon.optimal.r, simon.optimal.n], [4, 19, 15, 54]);
  const pp = fixture('design/proportions.json').two_proportions[0];
  close(sc.twoProportions(pp.p1, pp.p2, pp.alpha, pp.power).n, pp.n, 1e-10, 'power.prop.test n');
});

test('analyze gives the CLI\'s JSON report, from text or bytes', () => {
  const csvPath = path.join(ROOT, 'tests/fixtures/veteran.csv');
  const want = JSON.parse(execFileSync(cli_(), ['analyze', csvPath, '--format', 'json'], { encoding: 'utf8' }));
  const fromText = sc.analyze(fs.readFileSync(csvPath, 'utf8'));
  const fromBytes = sc.analyze(new Uint8Array(fs.readFileSync(csvPath)), { group: 'trt' }, { convention: 'r' });
  for (const got of [fromText, fromBytes]) {
    assert.deepEqual(got.groups, want.groups);
    close(got.cox.terms[0].hr, want.cox.terms[0].hr, 1e-12, 'HR');
    close(got.log_rank.chisq, want.log_rank.chisq, 1e-12, 'log-rank');
    assert.equal(got.summaries[0].median.method, 'r-band-inversion');
  }
  // SAS's convention: log-log intervals, Breslow ties.
  const sas = sc.analyze(fs.readFileSync(csvPath, 'utf8'), null, { convention: 'sas' });
  assert.equal(sas.options.km.conf_type, 'log-log');
});

test('errors are SurvcalcErrors naming the row and column', () => {
  const thrown = (f) => {
    try {
      f();
    } catch (e) {
      return e;
    }
    assert.fail('no error');
  };
  let e = thrown(() => sc.kaplanMeier({ time: [1, -2, 3], event: [1, 0, 1] }));
  assert.equal(e.name, 'SurvcalcError');
  assert.equal(e.kind, 'InvalidTime');
  assert.equal(e.row, 2);
  assert.equal(e.column, 'time');
  assert.match(e.message, /observation 2: time -2/);
  e = thrown(() => sc.kaplanMeier({ time: [1, 2], event: [1, 7] }));
  assert.deepEqual([e.kind, e.row, e.column], ['InvalidEvent', 2, 'event']);
  e = thrown(() => sc.analyze('time,status\n1,1\n2,x\n', { time: 'time', event: 'nope' }));
  assert.deepEqual([e.kind, e.column], ['UnknownColumn', 'nope']);
  e = thrown(() => sc.analyze('time,status\nx,1\ny,0\n'));
  assert.equal(e.kind, 'NoValidRows');
  assert.equal(e.row, 2);
  assert.equal(e.column, 'time');
  e = thrown(() => sc.analyze('a,b\n1,2\n', null, { convention: 'minitab' }));
  assert.deepEqual([e.kind, e.column], ['Argument', 'convention']);
  e = thrown(() => sc.sampleSizeSurvival({ control: { kind: 'median', median: 12 } }));
  assert.equal(e.kind, 'Argument');
  assert.match(sc.version(), /R 4\.2\.2, survival 3\.5\.3/);
});
