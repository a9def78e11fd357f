// The example page's script: the package's web build, initialised once, then `analyze`
// on the textarea's CSV; errors are shown with the row and column the package names.
import init, * as sc from '../package/web/survcalc.js';

await init();
const out = document.getElementById('out');
const error = document.getElementById('error');
function run() {
  out.replaceChildren();
  error.textContent = '';
  try {
    const report = sc.analyze(document.getElementById('csv').value);
    const rows = [['group', 'n', 'events', 'median'], ...report.summaries.map((s) => [s.group, s.n, s.events, s.median.estimate ?? 'NR'])];
    if (report.cox) rows.push(['HR (Cox)', report.cox.terms[0].hr.toFixed(3), 'log-rank P', report.log_rank.p_value.toPrecision(3)]);
    for (const r of rows) {
      const tr = out.insertRow();
      for (const c of r) tr.insertCell().textContent = String(c);
    }
    out.dataset.hr = report.cox ? String(report.cox.terms[0].hr) : '';
  } catch (e) {
    error.textContent = `${e.name} (${e.kind}, row ${e.row ?? '–'}, column ${e.column ?? '–'}): ${e.message}`;
  }
}
document.getElementById('run').addEventListener('click', run);
document.body.dataset.ready = sc.version();
run();
