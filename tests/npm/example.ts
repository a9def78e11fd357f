// Every function of the npm package, typed: `tsc --noEmit` on this file (tests/npm/
// tsconfig.json) checks the generated declarations against real use. The same lines are
// the README's examples.
import * as sc from 'survcalc';
import type { Analysis, KmCurve, CoxModel, SurvivalDesign, SurvcalcError } from 'survcalc';

const data: sc.SurvArrays = {
  time: [6.4, 12.1, 3.2, 18.0, 9.5, 24.3],
  event: [1, 0, 1, true, false, 1],
  group: ['Placebo', 'Drug', 'Placebo', 'Drug', 'Placebo', 'Drug'],
  levels: ['Placebo', 'Drug'],
};
const curves: KmCurve[] = sc.kaplanMeier(data, { confType: 'log-log', confLevel: 0.95 });
const s0: number = curves[0].surv[0];
const lower: number | null | undefined = curves[0].lower[0];
const medians: sc.GroupQuantiles[] = sc.quantiles(data, { probs: [0.5] });
const median: number | null | undefined = medians[0].quantiles[0].estimate;
const lr = sc.logRank(data, { rho: 0, gamma: 1 });
const p: number = lr.p_value;
const cox: CoxModel = sc.coxph(
  { ...data, covariates: [{ name: 'age', values: [61, 70, 55, null, 66, 49] }], strata: ['a', 'b', 'a', 'b', 'a', 'b'] },
  { ties: 'breslow', confLevel: 0.9 },
);
const hr: number = cox.coefficients[0].hr;
const r = sc.rmst(data, { tau: 12 });
const rmst0: number = r.groups[0].estimate;
const f = sc.fisherTest({ x1: 11, n1: 32, x2: 1, n2: 32 });
const pf: number = f.p_value;
const prop = sc.proportion(11, 32, 0.95);
const cp: number = prop.clopper_pearson.lower;
const cif: sc.CauseIncidence[] = sc.cumulativeIncidence({ time: [1, 2, 3, 4], cause: [1, 2, 0, 1], group: ['A', 'A', 'B', 'B'] });
const design: SurvivalDesign = {
  control: { kind: 'median', median: 12 },
  effect: { kind: 'hazard_ratio', hazard_ratio: 0.7 },
  alpha: 0.05, sides: 2, power: 0.8, allocation_ratio: 1,
  accrual: { kind: 'period', boundaries: [0, 24], intensity: [1], follow_up: 12 },
  dropout: { kind: 'none' },
  method: 'lachin_foulkes',
};
const events: number = sc.sampleSizeSurvival(design).events;
const simon = sc.simonTwoStage(0.2, 0.4, 0.05, 0.1);
const n1: number = simon.optimal.n1;
const two = sc.twoProportions(0.5, 0.75, 0.05, 0.9, 2);
const n: number = two.n;
const report: Analysis = sc.analyze('time,status,arm\n1,1,A\n2,0,B\n3,1,A\n4,1,B\n', { group: 'arm' }, { convention: 'sas' });
const firstHr: number | undefined = report.cox?.terms[0].hr;
const fromBytes: Analysis = sc.analyze(new Uint8Array([116, 105, 109, 101]), null, { read: { delimiter: ',' } });
const v: string = sc.version();
try {
  sc.kaplanMeier({ time: [-1], event: [1] });
} catch (e) {
  const err = e as SurvcalcError;
  const where: string = `${err.kind} row ${err.row ?? '?'} column ${err.column ?? '?'}`;
  console.log(where);
}
console.log(s0, lower, median, p, hr, rmst0, pf, cp, cif.length, events, n1, n, firstHr, fromBytes.n_used, v);
