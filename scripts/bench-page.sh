#!/usr/bin/env bash
# The tab's peak memory with a big file (issue 15: ≤ 400 MB at 10^6 rows), measured in
# headless Chromium on the built page (dist/, built here when missing): the data sets of
# scripts/bench-peers.sh (crates/bench `peers-data`: 2 arms with continuous times and
# rounded to 0.1, 3 arms continuous) and the e2e test's trial-shaped file (id, arm,
# os_months to 0.01, os_event: 21 MB at 10^6 rows), each chosen from disk in a fresh
# page. Prints, per file, the renderer's peak resident set with the example and after
# the file, and the seconds to its results (tests/bench/page-memory.mjs).
#
#   scripts/bench-page.sh            10^6 rows
#   scripts/bench-page.sh --smoke    10^4 rows, 2 arms only (what CI runs)
#
# A benchmark, not a test: it fails only if the page does not show a file's results.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tests/browser/node_modules/.bin:$HOME/.cargo/bin:$PATH"
rows=1000000
smoke=0
[ "${1:-}" = "--smoke" ] && { smoke=1; rows=10000; }
[ "$smoke" = 1 ] || scripts/install-tools.sh >/dev/null
[ -f dist/index.html ] || trunk build --release --public-url ./
cargo build -q --release -p survcalc-bench --bin survcalc-bench --locked
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=()
gen() {
  target/release/survcalc-bench peers-data "$rows" "$1" "$2" 2026 >"$tmp/$1arms-$2.csv"
  files+=("$tmp/$1arms-$2.csv")
}
gen 2 continuous
if [ "$smoke" = 0 ]; then
  gen 2 ties
  gen 3 continuous
  # The e2e test's file (tests/browser/e2e/page.test.js, "a million rows"), same LCG.
  node -e '
    const rows = Number(process.argv[1]);
    const out = ["id,arm,os_months,os_event"];
    let seed = 2024;
    const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return (seed + 0.5) / 2147483648; };
    for (let i = 0; i < rows; i++) {
      const arm = i % 2 === 0 ? "Control" : "Drug";
      const os = (-Math.log(next()) * (arm === "Drug" ? 18 : 12)).toFixed(2);
      out.push(`${i + 1},${arm},${os},${next() < 0.7 ? 1 : 0}`);
    }
    require("fs").writeFileSync(process.argv[2], out.join("\n") + "\n");
  ' "$rows" "$tmp/trial.csv"
  files+=("$tmp/trial.csv")
fi
node tests/bench/page-memory.mjs "$rows" "${files[@]}"
