# Golden fixtures for the Fine–Gray subdistribution hazards model (issue 16):
# cmprsk::crr's coefficients, sandwich variance, information, score and log partial
# likelihoods, on the same data as tests/r/cuminc.R (survival::mgus2 by sex and by sex
# and age, three causes and three groups with ties across causes, and an edge set), each
# beside the cause-specific Cox model of R survival (coxph, Efron ties) that survcalc
# prints next to it.
#
# Run from the repository root:
#
#     Rscript tests/r/crr.R
#
# Writes tests/fixtures/finegray/<name>.json (read by crates/core/tests/suite/finegray.rs):
# the data (time, cause 0 = censored, group, optional numeric covariates) and, per fitted
# cause: coef, var (crr's sandwich variance), inf (its information), loglik, loglik_null,
# converged, and cs_coef / cs_var (coxph on the cause with the other causes censored).
#
# crr is given the covariates as R's treatment contrasts of the group (sorted levels,
# the first the reference) followed by the numeric covariates, with its defaults
# (gtol 1e-6, maxiter 10, one censoring group). Numbers are written with
# sprintf("%.17g") (tests/r/json.R).

suppressPackageStartupMessages({
  library(survival)
  library(cmprsk)
})
source(file.path("tests", "r", "json.R"))
out_dir <- file.path("tests", "fixtures", "finegray")
dir.create(out_dir, showWarnings = FALSE)

write_set <- function(name, time, cause, group, covariates = NULL, causes = c(1, 2)) {
  group <- as.character(group)
  f <- factor(group)
  x <- model.matrix(~ f)[, -1, drop = FALSE]
  if (!is.null(covariates)) x <- cbind(x, as.matrix(covariates))
  fits <- character(0)
  for (k in causes) {
    fit <- crr(time, cause, x, failcode = k)
    cs <- coxph(Surv(time, cause == k) ~ x, ties = "efron")
    fits <- c(fits, sprintf(paste0('{"cause": %s, "coef": %s, "var": %s, "inf": %s,',
      ' "loglik": %s, "loglik_null": %s, "converged": %s,\n   "cs_coef": %s, "cs_var": %s}'),
      k, json_array(fit$coef), json_matrix(fit$var), json_matrix(fit$inf),
      json_num(fit$loglik), json_num(fit$loglik.null),
      if (isTRUE(fit$converged)) "true" else "false",
      json_array(coef(cs)), json_matrix(vcov(cs))))
  }
  cov_txt <- if (is.null(covariates)) "[]" else
    paste0("[", paste(vapply(seq_len(ncol(as.matrix(covariates))), function(j)
      json_array(as.matrix(covariates)[, j]), ""), collapse = ", "), "]")
  txt <- sprintf(paste0('{"r_version": %s, "cmprsk": %s, "survival": %s,\n "time": %s,\n',
    ' "cause": %s,\n "group": [%s],\n "covariates": %s,\n "fits": [\n  %s]}\n'),
    json_string(R.version.string), json_string(as.character(packageVersion("cmprsk"))),
    json_string(as.character(packageVersion("survival"))),
    json_array(time), json_array(cause), paste(vapply(group, json_string, ""), collapse = ", "),
    cov_txt, paste(fits, collapse = ",\n  "))
  writeLines(txt, file.path(out_dir, paste0(name, ".json")))
}

# survival::mgus2: progression (pcm) competes with death; group = sex.
m <- survival::mgus2
etime <- with(m, ifelse(pstat == 1, ptime, futime))
event <- with(m, ifelse(pstat == 1, 1, 2 * death))
write_set("mgus2", etime, event, m$sex)
# The same with age (years, uncentred) beside sex: a numeric covariate of large values.
write_set("mgus2_age", etime, event, m$sex, covariates = cbind(age = m$age))

set.seed(20261201)
# Three causes, three groups, times rounded to whole months: ties within and across
# causes and with censorings (the data of tests/r/cuminc.R's "ties3").
n <- 150
g <- sample(c("A", "B", "C"), n, replace = TRUE)
t <- round(rexp(n, ifelse(g == "A", 0.05, ifelse(g == "B", 0.08, 0.12))) + 0.5)
k <- sample(0:3, n, replace = TRUE, prob = c(0.3, 0.3, 0.25, 0.15))
write_set("ties3", t, k, g, causes = 1:3)
cat("wrote", length(list.files(out_dir)), "files to", out_dir, "\n")
