#!/usr/bin/env bash
# Installs what building and testing survcalc needs, idempotently, from the package
# registries only (crates.io, npm, Debian): the wasm32 target, Trunk 0.21, the
# wasm-bindgen CLI at exactly the version in Cargo.lock, wasm-opt (npm binaryen, since
# Debian's binaryen 108 breaks release builds), playwright-core and TypeScript (npm),
# wasm-pack (crates.io, for the npm package), Debian's Chromium and poppler-utils
# (pdftotext, for the printed report's test).
# Nothing is downloaded from anywhere else; Trunk itself runs with offline = true.
#
#   scripts/install-tools.sh          what the build and the tests need
#   scripts/install-tools.sh r        also R, survival, readxl, cmprsk (Debian), for
#                                     scripts/diff-r.sh and for running the "Reproduce in
#                                     R" scripts in the tests (the test command uses this)
#   scripts/install-tools.sh peers    also R, and lifelines + scikit-survival (PyPI) in the
#                                     venv .tools/bench-venv, for scripts/bench-peers.sh
#   scripts/install-tools.sh fixtures also R, survival, cmprsk and rpact (Debian), to make
#                                     the fixtures again (tests/r/*.R)
set -euo pipefail
mode=${1:-}
cd "$(dirname "$0")/.."

say() { printf '[install-tools] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Rust: the toolchain pinned in rust-toolchain.toml, with the wasm target.
rustup show active-toolchain >/dev/null
rustup target list --installed | grep -qx wasm32-unknown-unknown ||
  rustup target add wasm32-unknown-unknown

# Trunk 0.21 (0.22 needs a newer rustc).
if ! trunk --version 2>/dev/null | grep -q '^trunk 0\.21\.'; then
  say "installing trunk 0.21"
  cargo install trunk --version '~0.21' --locked
fi

# wasm-bindgen CLI: must equal the wasm-bindgen library in Cargo.lock. Installed without
# --locked: one of its locked dependencies is not in the registry.
wbg=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ -z "$wbg" ]; then
  echo "install-tools: no wasm-bindgen in Cargo.lock" >&2
  exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wbg"; then
  say "installing wasm-bindgen-cli $wbg"
  cargo install wasm-bindgen-cli --version "$wbg" --force
fi
if ! grep -q "wasm_bindgen = \"$wbg\"" Trunk.toml; then
  echo "install-tools: Trunk.toml [tools] wasm_bindgen must be \"$wbg\" (Cargo.lock)" >&2
  exit 1
fi

# wasm-pack, for the npm package (crates/js, scripts/build-npm.sh). It runs with --mode
# no-install, so it uses the wasm-bindgen CLI above and downloads nothing.
if ! wasm-pack --version 2>/dev/null | grep -q '^wasm-pack 0\.15\.'; then
  say "installing wasm-pack 0.15"
  cargo install wasm-pack --version '~0.15' --locked
fi

# Chromium and its driver from Debian, for the browser tests.
if ! command -v chromium >/dev/null 2>&1; then
  say "installing chromium from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# pdftotext (Debian's poppler-utils): the browser tests read the pages of the printed report.
if ! command -v pdftotext >/dev/null 2>&1; then
  say "installing poppler-utils from Debian"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
fi

# npm: binaryen's wasm-opt, playwright-core (it drives Debian's Chromium; no browser
# download) and axe-core (the accessibility check), at the versions in
# tests/browser/package-lock.json.
if [ ! -x tests/browser/node_modules/.bin/wasm-opt ] ||
  [ tests/browser/package-lock.json -nt tests/browser/node_modules/.package-lock.json ]; then
  say "installing npm packages in tests/browser"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
# The peers of the benchmark and the differential test, only when asked for.
if [ "$mode" = "r" ] || [ "$mode" = "peers" ]; then
  if ! command -v Rscript >/dev/null 2>&1 || ! Rscript -e 'library(survival); library(readxl); library(cmprsk)' >/dev/null 2>&1; then
    say "installing R, survival, readxl and cmprsk from Debian"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq r-base-core r-cran-survival r-cran-readxl r-cran-cmprsk >/dev/null
  fi
fi
# Everything the fixture scripts in tests/r/ use (make them again with Rscript
# tests/r/<name>.R): cmprsk for competing risks, rpact for trial design.
if [ "$mode" = "fixtures" ]; then
  if ! Rscript -e 'library(survival); library(cmprsk); library(rpact)' >/dev/null 2>&1; then
    say "installing R, survival, cmprsk and rpact from Debian"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq r-base-core r-cran-survival r-cran-cmprsk r-cran-rpact >/dev/null
  fi
fi
if [ "$mode" = "peers" ]; then
  venv=.tools/bench-venv
  if ! "$venv/bin/python" -c 'import lifelines, sksurv' >/dev/null 2>&1; then
    say "installing lifelines and scikit-survival from PyPI in $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check 'lifelines==0.30.*' 'scikit-survival==0.*'
  fi
fi
say "ready: $(trunk --version), wasm-bindgen $wbg, $(tests/browser/node_modules/.bin/wasm-opt --version), $(chromium --version 2>/dev/null | head -1)"
