#!/usr/bin/env bash
# Builds the page and serves it at http://127.0.0.1:8080/ — it opens with the built-in
# example already analysed. This is the README's serve command.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tests/browser/node_modules/.bin:$HOME/.cargo/bin:$PATH"
scripts/install-tools.sh
exec trunk serve --release "$@"
