#!/usr/bin/env bash
# Builds the npm package `survcalc` from crates/js with wasm-pack (installed from crates.io
# by scripts/install-tools.sh; run with --mode no-install, so it uses the wasm-bindgen CLI
# already installed at the lock's version and downloads nothing), for the three targets:
#
#   target/npm/package/web/       ES module that fetches its .wasm (browsers, no bundler)
#   target/npm/package/bundler/   ES module for webpack / Vite / Rollup
#   target/npm/package/nodejs/    CommonJS for Node
#
# wasm-pack's own wasm-opt download is switched off (crates/js/Cargo.toml); the module is
# optimised here with wasm-opt from npm binaryen, as the page's is. Then `npm pack` writes
# target/npm/survcalc-<version>.tgz and the sizes are printed.
#   scripts/build-npm.sh            the package (with spreadsheet reading)
#   scripts/build-npm.sh --sizes    also the size of the core without spreadsheets
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tests/browser/node_modules/.bin:$HOME/.cargo/bin:$PATH"
out=target/npm/package
rm -rf "$out"
mkdir -p "$out"
version=$(awk -F'"' '/^version = / { print $2; exit }' Cargo.toml)
build() { # target dir [cargo args…]
  local t=$1 dir=$2
  shift 2
  wasm-pack --quiet build crates/js --mode no-install --profile wasm-release --no-opt --target "$t" \
    --out-dir "$PWD/$dir" --out-name survcalc --no-pack -- "$@"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals "$dir/survcalc_bg.wasm" -o "$dir/survcalc_bg.wasm"
  rm -f "$dir/.gitignore" "$dir/package.json" "$dir/README.md"
}
for t in web bundler nodejs; do
  build "$t" "$out/$t"
done
cp crates/js/README.md "$out/README.md"
cp LICENSE* "$out/" 2>/dev/null || true
cat > "$out/package.json" <<JSON
{
  "name": "survcalc",
  "version": "$version",
  "description": "Survival statistics for clinical trials in JavaScript: Kaplan-Meier, log-rank, Cox, competing risks, trial design; the numbers of R survival (WebAssembly).",
  "license": "MIT OR Apache-2.0",
  "keywords": ["survival", "kaplan-meier", "log-rank", "cox", "clinical-trials", "statistics", "webassembly"],
  "main": "./nodejs/survcalc.js",
  "module": "./bundler/survcalc.js",
  "types": "./bundler/survcalc.d.ts",
  "sideEffects": ["./bundler/survcalc.js", "./bundler/snippets/*"],
  "exports": {
    ".": {
      "types": "./bundler/survcalc.d.ts",
      "node": "./nodejs/survcalc.js",
      "import": "./bundler/survcalc.js",
      "default": "./bundler/survcalc.js"
    },
    "./web": {
      "types": "./web/survcalc.d.ts",
      "default": "./web/survcalc.js"
    }
  },
  "files": ["web", "bundler", "nodejs", "README.md"]
}
JSON
# The example page of the package's web build (tests/browser/e2e opens it).
rm -rf target/npm/example
cp -r tests/npm/example target/npm/example
(cd target/npm && npm pack --silent ./package >/dev/null)
tgz=target/npm/survcalc-$version.tgz
gz() { gzip -9c "$1" | wc -c; }
echo "package: $tgz ($(wc -c <"$tgz") bytes)"
echo "module (gzip -9): $(gz "$out/web/survcalc_bg.wasm") bytes; with its JS glue: $(( $(gz "$out/web/survcalc_bg.wasm") + $(gz "$out/web/survcalc.js") )) bytes"
if [ "${1:-}" = "--sizes" ]; then
  build web target/npm/core-only --no-default-features
  echo "module without spreadsheet reading (gzip -9): $(gz target/npm/core-only/survcalc_bg.wasm) bytes"
fi
