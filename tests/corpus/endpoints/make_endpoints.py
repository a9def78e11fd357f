#!/usr/bin/env python3
"""Writes the endpoint-pairing corpus: wide trial tables with the column names that real
exports use (REDCap, SAS/ADaM, cBioPortal, SPSS labels, Prism, R, hand-made sheets), and
expected.tsv, the pairing each must get. Deterministic; run from anywhere:
    python3 tests/corpus/endpoints/make_endpoints.py
"""
import csv
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))

# name, header, how each column is filled, expected "NAME=time+event" (a trailing " [ask]"
# means the page must ask), delimiter.
CASES = [
    ("issue10_death_progression.csv",
     ["id", "arm", "os_months", "death", "pfs_months", "progression"],
     ["id", "arm", "os", "os_e", "pfs", "pfs_e"],
     "OS=os_months+death; PFS=pfs_months+progression"),
    ("issue10_progressed.csv",
     ["id", "arm", "os_months", "death", "pfs_months", "progressed"],
     ["id", "arm", "os", "os_e", "pfs", "pfs_e"],
     "OS=os_months+death; PFS=pfs_months+progressed"),
    ("issue10_pd_or_death.csv",
     ["id", "arm", "os_months", "death", "pfs_months", "pd_or_death"],
     ["id", "arm", "os", "os_e", "pfs", "pfs_e"],
     "OS=os_months+death; PFS=pfs_months+pd_or_death"),
    ("redcap_export.csv",
     ["record_id", "redcap_event_name", "randomisation_arm", "os_months", "death_yn",
      "pfs_months", "progression_yn", "best_response"],
     ["id", "redcap", "arm", "os", "os_yn", "pfs", "pfs_yn", "bor"],
     "OS=os_months+death_yn; PFS=pfs_months+progression_yn"),
    ("cbioportal_clinical.tsv",
     ["PATIENT_ID", "ARM", "OS_MONTHS", "OS_STATUS", "PFS_MONTHS", "PFS_STATUS",
      "DFS_MONTHS", "DFS_STATUS"],
     ["pid", "arm", "os", "os_cbio", "pfs", "pfs_cbio", "pfs", "dfs_cbio"],
     "OS=OS_MONTHS+OS_STATUS; PFS=PFS_MONTHS+PFS_STATUS; DFS=DFS_MONTHS+DFS_STATUS"),
    ("spss_labels.csv",
     ["Patient ID", "Treatment arm", "Overall survival (months)", "Death",
      "Progression-free survival (months)", "Progression or death"],
     ["id", "arm", "os", "os_dead", "pfs", "pfs_e"],
     "OS=Overall survival (months)+Death; PFS=Progression-free survival (months)+Progression or death"),
    ("prism_long.csv",
     ["Group", "Days elapsed", "Event (1=death, 0=censored)"],
     ["arm", "os_days", "os_e"],
     "Survival=Days elapsed+Event (1=death, 0=censored)"),
    ("handmade_question_marks.csv",
     ["Pt", "Arm", "OS (mo)", "Dead?", "PFS (mo)", "Progressed?"],
     ["id", "arm", "os", "os_yes", "pfs", "pfs_yes"],
     "OS=OS (mo)+Dead?; PFS=PFS (mo)+Progressed?"),
    ("time_first_names.csv",
     ["id", "group", "time_os", "event_os", "time_pfs", "event_pfs"],
     ["id", "arm", "os", "os_e", "pfs", "pfs_e"],
     "OS=time_os+event_os; PFS=time_pfs+event_pfs"),
    ("r_style.csv",
     ["rx", "os.time", "os.status", "pfs.time", "pfs.status"],
     ["arm", "os", "os_12", "pfs", "pfs_12"],
     "OS=os.time+os.status; PFS=pfs.time+pfs.status"),
    ("censor_flags.csv",
     ["Arm", "OS", "OS_censor", "PFS", "PFS_censor"],
     ["arm", "os", "os_c", "pfs", "pfs_c"],
     "OS=OS+OS_censor; PFS=PFS+PFS_censor"),
    ("adjuvant_dfs.csv",
     ["patient", "arm", "dfs_years", "recurrence", "os_years", "vital_status"],
     ["id", "arm", "pfs_y", "pfs_e", "os_y", "vital"],
     "DFS=dfs_years+recurrence; OS=os_years+vital_status"),
    ("efs_os.csv",
     ["usubjid", "trt01p", "efs_months", "efs_event", "os_months", "os_event"],
     ["usubjid", "arm", "pfs", "pfs_e", "os", "os_e"],
     "EFS=efs_months+efs_event; OS=os_months+os_event"),
    ("ttp_os_semicolon.csv",
     ["Patient", "Arm", "TTP_weeks", "Progression", "OS_weeks", "Deceased"],
     ["id", "arm", "pfs_w", "pfs_e", "os_w", "os_e"],
     "TTP=TTP_weeks+Progression; OS=OS_weeks+Deceased"),
    ("ambiguous_shared_status.csv",
     ["id", "arm", "os_months", "pfs_months", "status"],
     ["id", "arm", "os", "pfs", "os_e"],
     "OS=os_months+status [ask]; PFS=pfs_months+status [ask]"),
    ("ambiguous_pfs_without_event.csv",
     ["id", "arm", "os_months", "death", "pfs_months"],
     ["id", "arm", "os", "os_e", "pfs"],
     "OS=os_months+death; PFS=pfs_months+death [ask]"),
]


def rows(kinds, rng, n=24):
    out = []
    for i in range(n):
        arm = "A" if i % 2 == 0 else "B"
        pfs = round(rng.expovariate(1 / (9 if arm == "A" else 4)), 2)
        os_ = round(pfs + rng.expovariate(1 / 8), 2)
        dead, prog = rng.random() < 0.7, rng.random() < 0.85
        row = []
        for k in kinds:
            row.append({
                "id": str(i + 1),
                "pid": f"P-{i + 1:03d}",
                "usubjid": f"TRIAL-01-{i + 1:03d}",
                "redcap": "baseline_arm_1",
                "arm": arm,
                "os": f"{os_:.2f}",
                "pfs": f"{pfs:.2f}",
                "os_days": str(int(os_ * 30.4375)),
                "os_w": f"{os_ * 4.348:.1f}",
                "pfs_w": f"{pfs * 4.348:.1f}",
                "os_y": f"{os_ / 12:.3f}",
                "pfs_y": f"{pfs / 12:.3f}",
                "os_e": str(int(dead)),
                "pfs_e": str(int(prog)),
                "os_12": str(int(dead) + 1),
                "pfs_12": str(int(prog) + 1),
                "os_c": str(1 - int(dead)),
                "pfs_c": str(1 - int(prog)),
                "os_yn": "Yes" if dead else "No",
                "pfs_yn": "Yes" if prog else "No",
                "os_yes": "yes" if dead else "no",
                "pfs_yes": "yes" if prog else "no",
                "os_dead": "Dead" if dead else "Alive",
                "vital": "Dead" if dead else "Alive",
                "os_cbio": "1:DECEASED" if dead else "0:LIVING",
                "pfs_cbio": "1:Progressed" if prog else "0:ProgressionFree",
                "dfs_cbio": "1:Recurred/Progressed" if prog else "0:DiseaseFree",
                "bor": rng.choice(["CR", "PR", "SD", "PD"]),
            }[k])
        out.append(row)
    return out


def main():
    rng = random.Random(20261201)
    with open(os.path.join(HERE, "expected.tsv"), "w", newline="") as ex:
        ex.write("# file\tendpoints (NAME=time+event; a trailing ' [ask]' means the page asks)\n")
        for name, header, kinds, expected in CASES:
            delim = "\t" if name.endswith(".tsv") else (";" if "semicolon" in name else ",")
            with open(os.path.join(HERE, name), "w", newline="") as f:
                w = csv.writer(f, delimiter=delim, lineterminator="\n")
                w.writerow(header)
                w.writerows(rows(kinds, rng))
            ex.write(f"{name}\t{expected}\n")


main()
