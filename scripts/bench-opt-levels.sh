#!/usr/bin/env bash
# Size against speed of the page's WebAssembly at opt-level "z", "s" and 3 (issue 15):
# for each, the page's module as Trunk builds it (gzipped, the bytes a visitor downloads)
# and the core's time as WebAssembly (the same profile built for WASI, run under Node) on
# one data set. A benchmark, not a test: it prints a table and changes nothing.
#   scripts/bench-opt-levels.sh              100,000 rows, 2 arms, continuous times
#   scripts/bench-opt-levels.sh 1000000      another size
# Each level is a release build of the page and of the benchmark (minutes each); dist/ is
# rebuilt at the profile's own level at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tests/browser/node_modules/.bin:$HOME/.cargo/bin:$PATH"
rows=${1:-100000}
rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1 >/dev/null
out=$(mktemp -d /tmp/survcalc-opt.XXXXXX)
printf '| opt-level | page module (gzip) | page, all files (gzip) | workbook reader (gzip, on demand) | report | e2e |\n|---|---|---|---|---|---|\n' >"$out/table.md"
for level in z s 3; do
  export CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL=$level
  trunk build --release --public-url ./ --dist "$out/dist-$level" >/dev/null 2>&1
  gz() { find "$out/dist-$level" -type f "$@" -exec sh -c 'gzip -9c "$1" | wc -c' _ {} \; | awk '{s+=$1} END {print s}'; }
  module=$(gzip -9c "$out/dist-$level"/survcalc-web_bg.wasm | wc -c)
  # What opening the page loads: everything but the workbook reader, which the worker
  # imports only when a workbook is dropped (crates/sheet).
  all=$(gz ! -name 'survcalc-sheet*')
  sheet=$(gz -name 'survcalc-sheet*')
  cargo build -q -p survcalc-bench --bin survcalc-bench --target wasm32-wasip1 --profile wasm-release --locked
  # The median of three runs of each step (peers-gen-steps times each three times).
  # Node 20's WASI can crash tearing down a large memory (10^6 rows): keep what it printed.
  steps=$(node --no-warnings tests/bench/wasi-run.mjs target/wasm32-wasip1/wasm-release/survcalc-bench.wasm \
    peers-gen-steps "$rows" 2 continuous 2026 || true)
  report=$(awk '$2 == "report" {print $3}' <<<"$steps")
  e2e=$(awk '$2 == "e2e" {print $3}' <<<"$steps")
  awk -v l="$level" -v m="$module" -v a="$all" -v w="$sheet" -v r="$report" -v e="$e2e" \
    'BEGIN { printf "| %s | %.0f kB | %.0f kB | %.0f kB | %s s | %s s |\n", l, m / 1000, a / 1000, w / 1000, r, e }' >>"$out/table.md"
  echo "[bench-opt-levels] opt-level $level done" >&2
done
unset CARGO_PROFILE_WASM_RELEASE_OPT_LEVEL
trunk build --release --public-url ./ >/dev/null 2>&1
echo "$rows rows, 2 arms, continuous times; WebAssembly under Node $(node --version) WASI"
cat "$out/table.md"
