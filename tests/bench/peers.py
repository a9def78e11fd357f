"""lifelines' (and scikit-survival's, when installed) side of scripts/bench-peers.sh
(issue 15): the median of three timings of each step on the CSV given, compute only (the
data already in a DataFrame), then end to end (read_csv to the three results). Prints
tool<TAB>step<TAB>seconds lines. The Cox fits are timed once when a run takes over 20 s.

    python tests/bench/peers.py FILE
"""
import gc
import resource
import sys
import time

import numpy as np
import pandas as pd


def timed(f, repeat=3):
    t = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        f()
        t.append(time.perf_counter() - start)
        if t[-1] > 20:
            break
    return sorted(t)[len(t) // 2]


def line(tool, step, secs):
    print(f"{tool}\t{step}\t{secs:.4f}", flush=True)


path = sys.argv[1]
d = pd.read_csv(path)
arms = sorted(d["arm"].unique())

from lifelines import CoxPHFitter, KaplanMeierFitter  # noqa: E402
from lifelines.statistics import multivariate_logrank_test  # noqa: E402


def km(x):
    for a in arms:
        s = x[x["arm"] == a]
        KaplanMeierFitter().fit(s["time"], s["status"])


def logrank(x):
    return multivariate_logrank_test(x["time"], x["arm"], x["status"]).p_value


def cox(x):
    design = pd.get_dummies(x[["time", "status", "arm"]], columns=["arm"], drop_first=True, dtype=float)
    return CoxPHFitter().fit(design, "time", "status").concordance_index_


line("lifelines", "km", timed(lambda: km(d)))
line("lifelines", "logrank", timed(lambda: logrank(d)))
line("lifelines", "cox", timed(lambda: cox(d)))


def e2e():
    x = pd.read_csv(path)
    km(x)
    logrank(x)
    cox(x)


line("lifelines", "e2e", timed(e2e))

try:
    from sksurv.compare import compare_survival
    from sksurv.linear_model import CoxPHSurvivalAnalysis
    from sksurv.nonparametric import kaplan_meier_estimator
    from sksurv.metrics import concordance_index_censored
except ImportError:
    pass
else:
    event = d["status"].to_numpy() == 1
    t = d["time"].to_numpy()
    y = np.array(list(zip(event, t)), dtype=[("event", bool), ("time", float)])
    arm = d["arm"].to_numpy()

    def sk_km():
        for a in arms:
            kaplan_meier_estimator(event[arm == a], t[arm == a], conf_type="log-log")

    def sk_cox():
        x = pd.get_dummies(d[["arm"]], drop_first=True, dtype=float)
        m = CoxPHSurvivalAnalysis(ties="efron").fit(x, y)
        return concordance_index_censored(event, t, m.predict(x))

    line("scikit-survival", "km", timed(sk_km))
    line("scikit-survival", "logrank", timed(lambda: compare_survival(y, arm)))
    # Its Cox fit grows faster than n log n (44 s at 10^5 rows here): not run above that.
    if len(d) <= 100_000:
        line("scikit-survival", "cox", timed(sk_cox, repeat=1))

line("lifelines", "peak_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
