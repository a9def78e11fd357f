# Golden fixtures for competing risks (issue 16): cmprsk::cuminc's cumulative incidence
# estimates and variances, and Gray's test, on survival::mgus2 (the issue's check vector)
# and on edge sets: ties across causes with three causes and three groups, a group where
# every patient is censored, a cause with no events in one group, and strata.
#
# Run from the repository root:
#
#     Rscript tests/r/cuminc.R
#
# Writes tests/fixtures/competing/<name>.json (read by
# crates/core/tests/suite/competing.rs): the data (time, cause 0 = censored, group,
# stratum), and
#   curves  per cause and group: timepoints(fit, times) at every distinct time of the
#           data — est, var (cmprsk's variance; NA where R gives none)
#   tests   per cause: Gray's stat, pv, df for each rho in rhos
#   ij      per cause and group: the infinitesimal-jackknife standard error of
#           survfit(Surv(time, factor(cause)) ~ 1) on the group's rows (the multi-state
#           Aalen–Johansen estimate), summary(fit, times = the group's distinct times)
#
# Numbers are written with sprintf("%.17g") (tests/r/json.R).

suppressPackageStartupMessages({
  library(survival)
  library(cmprsk)
})
source(file.path("tests", "r", "json.R"))
out_dir <- file.path("tests", "fixtures", "competing")
dir.create(out_dir, showWarnings = FALSE)

write_set <- function(name, time, cause, group, strata = NULL, rhos = c(0, 1)) {
  group <- as.character(group)
  times <- sort(unique(time))
  curves <- character(0)
  tests <- character(0)
  for (rho in rhos) {
    fit <- if (is.null(strata)) cuminc(time, cause, group, rho = rho) else
      cuminc(time, cause, group, strata, rho = rho)
    if (rho == rhos[1]) {
      tp <- timepoints(fit, times)
      for (nm in rownames(tp$est)) {
        parts <- strsplit(nm, " ")[[1]]
        g <- paste(parts[-length(parts)], collapse = " ")
        k <- parts[length(parts)]
        curves <- c(curves, sprintf(
          '{"group": %s, "cause": %s, "est": %s, "var": %s}',
          json_string(g), k, json_array(tp$est[nm, ]), json_array(tp$var[nm, ])))
      }
    }
    if (!is.null(fit$Tests)) {
      for (k in rownames(fit$Tests)) {
        tests <- c(tests, sprintf('{"cause": %s, "rho": %s, "stat": %s, "pv": %s, "df": %s}',
          k, json_num(rho), json_num(fit$Tests[k, "stat"]), json_num(fit$Tests[k, "pv"]),
          json_num(fit$Tests[k, "df"])))
      }
    }
  }
  ij <- character(0)
  for (g in sort(unique(group))) {
    sel <- group == g
    if (!any(cause[sel] > 0)) next
    fit <- survfit(Surv(time[sel], factor(cause[sel], levels = sort(unique(c(0, cause))))) ~ 1)
    ut <- sort(unique(time[sel]))
    sm <- summary(fit, times = ut)
    for (k in sort(unique(cause[cause > 0]))) {
      col <- match(as.character(k), fit$states)
      ij <- c(ij, sprintf('{"group": %s, "cause": %s, "times": %s, "se": %s}', json_string(g), k,
        json_array(sm$time), json_array(sm$std.err[, col])))
    }
  }
  txt <- sprintf(paste0('{"r_version": %s, "cmprsk": %s,\n "time": %s,\n "cause": %s,\n',
    ' "group": [%s],\n "strata": %s,\n "times": %s,\n "curves": [\n  %s],\n "tests": [\n  %s],\n',
    ' "ij": [\n  %s]}\n'),
    json_string(R.version.string), json_string(as.character(packageVersion("cmprsk"))),
    json_array(time), json_array(cause), paste(vapply(group, json_string, ""), collapse = ", "),
    if (is.null(strata)) "null" else json_array(strata), json_array(times),
    paste(curves, collapse = ",\n  "), paste(tests, collapse = ",\n  "),
    paste(ij, collapse = ",\n  "))
  writeLines(txt, file.path(out_dir, paste0(name, ".json")))
}

# survival::mgus2: progression (pcm) competes with death; group = sex.
m <- survival::mgus2
etime <- with(m, ifelse(pstat == 1, ptime, futime))
event <- with(m, ifelse(pstat == 1, 1, 2 * death))
write_set("mgus2", etime, event, m$sex)
write_set("mgus2_strata", etime, event, m$sex, strata = as.integer(m$age > 70) + 1)

set.seed(20261201)
# Three causes, three groups, times rounded to whole months: ties within and across causes.
n <- 150
g <- sample(c("A", "B", "C"), n, replace = TRUE)
t <- round(rexp(n, ifelse(g == "A", 0.05, ifelse(g == "B", 0.08, 0.12))) + 0.5)
k <- sample(0:3, n, replace = TRUE, prob = c(0.3, 0.3, 0.25, 0.15))
write_set("ties3", t, k, g)

# A group where every patient is censored, and a cause with no events in group "b".
t2 <- c(2, 3, 3, 5, 8, 9, 12, 4, 6, 6, 7, 10, 1, 2, 5, 9)
k2 <- c(1, 2, 1, 0, 1, 2, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0)
g2 <- c(rep("a", 7), rep("b", 5), rep("c", 4))
write_set("edges", t2, k2, g2, rhos = 0)
cat("wrote", length(list.files(out_dir)), "files to", out_dir, "\n")
