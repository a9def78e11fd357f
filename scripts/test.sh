#!/usr/bin/env bash
# Runs every test of survcalc from a clean checkout: formatting and lints, the Rust
# tests (core unit and golden tests against R's fixtures, figure SVG tests, CLI, web
# state), the release build of the page, and the end-to-end tests in headless Chromium.
# This is the README's test command, and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tests/browser/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# With R (Debian's r-base-core, survival, readxl): the "Reproduce in R" scripts run in the
# CLI tests, and the differential test below.
scripts/install-tools.sh r

echo "== format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy -p survcalc-web --target wasm32-unknown-unknown --locked -- -D warnings
# The workbook reader, a module of its own for the page (crates/sheet).
cargo clippy -p survcalc-sheet --target wasm32-unknown-unknown --locked -- -D warnings
# The API documentation builds without a warning (a broken link is an error).
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked -q

echo "== Rust tests"
cargo test --workspace --locked

echo "== differential test against R (50 data sets; only where R is installed)"
if command -v Rscript >/dev/null 2>&1 && Rscript -e 'library(survival)' >/dev/null 2>&1; then
  scripts/diff-r.sh 50 1
else
  echo "skipped: R with survival is not installed (scripts/diff-r.sh installs it and runs 1000)"
fi

echo "== peer benchmark smoke (10^4 rows; R and lifelines only where installed)"
scripts/bench-peers.sh --smoke
echo "== streamed-input benchmark smoke (10^4 rows piped into survcalc stream)"
scripts/bench-stream.sh 10000

echo "== release build of the page (dist/, relative URLs)"
trunk build --release --public-url ./

echo "== npm package (wasm-pack: web, bundler, nodejs) and its tests"
scripts/build-npm.sh
cargo build -p survcalc-cli --locked
SURVCALC_CLI="$PWD/target/debug/survcalc" node --test tests/npm/
tsc -p tests/npm

echo "== browser tests (headless Chromium)"
cargo build -p survcalc-cli --locked
export SURVCALC_CLI="$PWD/target/debug/survcalc"
(cd tests/browser && npm test)

echo "== tab memory benchmark smoke (10^4 rows chosen from disk in the built page)"
scripts/bench-page.sh --smoke
