#!/usr/bin/env bash
# Import benchmark (issue 4): parse + map a 1,000,000-row, 6-column CSV natively and as
# WebAssembly, and print the time and memory of each. Figures, not a pass/fail test.
#
#   scripts/bench-import.sh [ROWS]
#
# WebAssembly runs under Node's WASI (tests/bench/wasi-run.mjs), built twice: with the
# page's profile (wasm-release: opt-level "z", panic = abort) and with opt-level 3, to show
# what the page's size-for-speed choice costs. For criterion's statistics of the native
# figures, see `cargo bench -p survcalc-core --bench import`.
set -euo pipefail
cd "$(dirname "$0")/.."
rows="${1:-1000000}"
rustup target add wasm32-wasip1 >/dev/null 2>&1 || true

cargo build --quiet --release -p survcalc-bench
cargo build --quiet -p survcalc-bench --target wasm32-wasip1 --profile wasm-release
cargo build --quiet -p survcalc-bench --target wasm32-wasip1 --release

echo "== native (release)"
target/release/survcalc-bench import "$rows"
echo "== WebAssembly, the page's profile (opt-level z), Node $(node --version) WASI"
node --no-warnings tests/bench/wasi-run.mjs target/wasm32-wasip1/wasm-release/survcalc-bench.wasm import "$rows"
echo "== WebAssembly, opt-level 3, Node WASI"
node --no-warnings tests/bench/wasi-run.mjs target/wasm32-wasip1/release/survcalc-bench.wasm import "$rows"
