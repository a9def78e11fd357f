#!/usr/bin/env bash
# survcalc against its peers, side by side in one run (issue 15): the same deterministic
# data sets (crates/bench `peers-data`: exponential times, 30% censored, 3 decimals or
# rounded to 0.1, 2 or 3 arms), each step timed in every tool — compute only (KM with
# Greenwood and log CI, log-rank, Cox Efron with concordance, survcalc's whole report), then
# end to end from the CSV — and one table of times, ratios and survcalc's scaling
# exponent. survcalc runs natively and as WebAssembly under Node's WASI; R survival,
# lifelines and scikit-survival run when installed (the full run installs them through
# scripts/install-tools.sh peers).
#
#   scripts/bench-peers.sh            the full run: 10^4, 10^5, 10^6 rows; ties; 3 arms
#   scripts/bench-peers.sh --smoke    10^4 rows, installs nothing (what CI runs)
#   BENCH_SETS="ROWS ARMS continuous|ties;..." scripts/bench-peers.sh   chosen sets
#
# A benchmark, not a test: it passes whatever the times are; it fails only if a tool fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
smoke=0
[ "${1:-}" = "--smoke" ] && smoke=1
[ "$smoke" = 1 ] || scripts/install-tools.sh peers
venv=.tools/bench-venv
cargo build -q --release -p survcalc-bench --bin survcalc-bench --locked
wasm=""
if rustup target list --installed | grep -qx wasm32-wasip1 || { [ "$smoke" = 0 ] && rustup target add wasm32-wasip1 >/dev/null 2>&1; }; then
  cargo build -q -p survcalc-bench --bin survcalc-bench --target wasm32-wasip1 --profile wasm-release --locked
  wasm=target/wasm32-wasip1/wasm-release/survcalc-bench.wasm
fi
have_r=0
command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(survival)' >/dev/null 2>&1 && have_r=1
have_py=0
[ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import lifelines' 2>/dev/null && have_py=1

if [ -n "${BENCH_SETS:-}" ]; then
  # e.g. BENCH_SETS="1000000 2 ties;1000000 3 continuous"
  IFS=';' read -r -a sets <<<"$BENCH_SETS"
elif [ "$smoke" = 1 ]; then
  sets=("10000 2 continuous")
else
  sets=("10000 2 continuous" "100000 2 continuous" "1000000 2 continuous" "1000000 2 ties" "1000000 3 continuous")
fi
dir=$(mktemp -d /tmp/survcalc-peers.XXXXXX)
out="$dir/results.tsv"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for set in "${sets[@]}"; do
  read -r rows arms ties <<<"$set"
  file="$dir/data-$rows-$arms-$ties.csv"
  target/release/survcalc-bench peers-data "$rows" "$arms" "$ties" 2026 >"$file"
  echo "[bench-peers] $rows rows, $arms arms, $ties: $(du -h "$file" | cut -f1)"
  tag() { sed "s/^/$rows\t$arms\t$ties\t/" >>"$out"; }
  target/release/survcalc-bench peers-steps "$file" | tag
  if [ -n "$wasm" ]; then
    # Node 20's WASI can crash on a large WebAssembly memory: say so and go on.
    node --no-warnings tests/bench/wasi-run.mjs "$wasm" peers-gen-steps "$rows" "$arms" "$ties" 2026 | tag ||
      echo "[bench-peers] the WebAssembly run stopped (Node exit status ${PIPESTATUS[0]}); its steps so far are kept"
  fi
  if [ "$have_r" = 1 ]; then Rscript tests/bench/peers.R "$file" | tag; fi
  if [ "$have_py" = 1 ]; then "$venv/bin/python" tests/bench/peers.py "$file" | tag; fi
  rm -f "$file"
done
[ "$have_r" = 1 ] || echo "(R survival not installed: scripts/install-tools.sh peers)"
[ "$have_py" = 1 ] || echo "(lifelines not installed: scripts/install-tools.sh peers)"
cp "$out" "${BENCH_RESULTS:-/dev/null}" 2>/dev/null || true
python3 tests/bench/peers_table.py "$out"
