#!/usr/bin/env bash
# `survcalc stream` on rows made on the fly and piped in, never stored (issue 15): the
# time and the peak memory for each size, to show that memory is bounded by the distinct
# (arm, time) pairs and not by the rows. A benchmark, not a test: it prints a table.
#   scripts/bench-stream.sh                      10^6, 10^7 and 10^8 rows, both time sets
#   scripts/bench-stream.sh 10000                one size (CI's smoke run)
# Data: scripts/bench-peers.sh's set (2 arms, exponential times, 70% events), to 3
# decimals ("continuous") or rounded to 0.1 ("ties").
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
sizes=${*:-1000000 10000000 100000000}
cargo build -q --release --locked -p survcalc-cli -p survcalc-bench
bin=target/release
printf '| rows | times | distinct (arm, time) | seconds | rows/s | peak memory |\n|---|---|---|---|---|---|\n'
for rows in $sizes; do
  for ties in continuous ties; do
    log=$(mktemp)
    start=$(date +%s.%N)
    # GNU time gives the peak memory; without it (not a default install) it is left out.
    timer=()
    if [ -x /usr/bin/time ]; then timer=(/usr/bin/time -f '%M' -o "$log.time"); else echo 0 >"$log.time"; fi
    "$bin/survcalc-bench" peers-stream "$rows" 2 "$ties" 2026 |
      "${timer[@]}" "$bin/survcalc" stream - --time time --event status --group arm >"$log"
    end=$(date +%s.%N)
    python3 - "$log" "$log.time" "$rows" "$ties" "$start" "$end" <<'PY'
import re, sys
# The text report's first line: "N rows read, held as M distinct (arm, time) counts" (the
# text rather than the JSON, whose curves would dominate the memory measured).
m = re.match(r"(\d+) rows read, held as (\d+) distinct", open(sys.argv[1]).readline())
report = {"rows": int(m.group(1)), "distinct_arm_times": int(m.group(2))}
peak_kb = int(open(sys.argv[2]).read().split()[-1])
rows, ties, start, end = int(sys.argv[3]), sys.argv[4], float(sys.argv[5]), float(sys.argv[6])
assert report["rows"] == rows, (report["rows"], rows)
secs = end - start
print(f"| {rows:,} | {ties} | {report['distinct_arm_times']:,} | {secs:.2f} | "
      f"{rows / secs / 1e6:.1f} M | " + (f"{peak_kb / 1024:.0f} MB |" if peak_kb else "(no GNU time) |"))
PY
    rm -f "$log" "$log.time"
  done
done
