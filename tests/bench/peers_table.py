"""Prints scripts/bench-peers.sh's results as one table per data set: each tool's seconds
per step, and the fastest peer's time over survcalc's (above 1: survcalc is faster);
then survcalc's fitted scaling exponent over the sizes run (log time on log rows).

    python3 tests/bench/peers_table.py RESULTS.tsv
Each line of RESULTS.tsv: rows<TAB>arms<TAB>ties<TAB>tool<TAB>step<TAB>value.
"""
import math
import sys
from collections import defaultdict

TOOLS = ["survcalc", "survcalc-wasm", "R", "lifelines", "scikit-survival"]
PEERS = ["R", "lifelines", "scikit-survival"]
STEPS = ["km", "logrank", "cox", "report", "e2e", "peak_mb"]

results = defaultdict(dict)
for raw in open(sys.argv[1]):
    parts = raw.rstrip("\n").split("\t")
    if len(parts) != 6:
        continue
    rows, arms, ties, tool, step, value = parts
    results[(int(rows), int(arms), ties)][(tool, step)] = float(value)

for key in sorted(results, key=lambda k: (k[1], k[2], k[0])):
    rows, arms, ties = key
    r = results[key]
    tools = [t for t in TOOLS if any((t, s) in r for s in STEPS)]
    print(f"\n{rows:,} rows, {arms} arms, {ties} times\n")
    head = ["step"] + tools + ["fastest peer / survcalc"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for step in STEPS:
        if not any((t, step) in r for t in tools):
            continue
        unit = " MB" if step == "peak_mb" else " s"
        cells = [f"{r[(t, step)]:.3f}{unit}" if (t, step) in r else "—" for t in tools]
        peers = [r[(p, step)] for p in PEERS if (p, step) in r]
        mine = r.get(("survcalc", step))
        ratio = f"{min(peers) / mine:.1f}×" if peers and mine and step != "peak_mb" else ""
        print("| " + " | ".join([step] + cells + [ratio]) + " |")

# Scaling: survcalc's whole report and end to end over the sizes of the 2-arm continuous sets.
for step in ["report", "e2e"]:
    pts = sorted(
        (k[0], v[("survcalc", step)])
        for k, v in results.items()
        if k[1] == 2 and k[2] == "continuous" and ("survcalc", step) in v
    )
    if len(pts) >= 2:
        xs = [math.log(n) for n, _ in pts]
        ys = [math.log(max(t, 1e-9)) for _, t in pts]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        sizes = ", ".join(f"{n:,}" for n, _ in pts)
        print(f"\nsurvcalc {step}: time grows as rows^{slope:.2f} over {sizes} rows")
