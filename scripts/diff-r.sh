#!/usr/bin/env bash
# The differential test against R (issue 11): N random data sets with the pathologies
# that break survival software, computed by survcalc's core and by R's survival, compared
# number by number; prints the largest relative error per family and lists the cases
# over the project's tolerances (KM/log-rank 1e-10, Cox 1e-8). Installs R and survival
# from Debian when missing, through scripts/install-tools.sh r (CI runs only a small
# smoke, and only where R is installed).
#
#     scripts/diff-r.sh [N=1000] [SEED=20261201]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
n=${1:-1000}
seed=${2:-20261201}
scripts/install-tools.sh r
dir=$(mktemp -d /tmp/survcalc-diff-r.XXXXXX)
cargo build -q --release -p survcalc-bench --bin survcalc-diff-r --locked
target/release/survcalc-diff-r generate "$dir" "$n" "$seed"
Rscript tests/r/diff_r.R "$dir"
target/release/survcalc-diff-r compare "$dir"
