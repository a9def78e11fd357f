# Golden fixtures for near-tied times (R's timefix, survival's aeqSurv): survfit, survdiff
# and coxph on data whose times differ only by rounding error, as R computes them by
# default (timefix = TRUE), and survfit with timefix = FALSE for contrast.
#
# Run from the repository root:
#
#     Rscript tests/r/timefix.R
#
# Writes tests/fixtures/timefix/<name>.json (read by crates/core/tests/suite/timefix.rs):
# the R and survival versions, the data (time, status 0/1, group), and
#   km          survfit(Surv(time, status) ~ group): per group time, n.risk, n.event,
#               surv, std.err (of S), lower, upper (log band, 0.95)
#   km_nofix    the same with timefix = FALSE (survcalc's timefix = false must agree)
#   survdiff    chisq (survdiff applies aeqSurv itself)
#   cox         coxph(ties = "efron") and "breslow": coef, var, loglik
#   aeq         the times after aeqSurv, in data order
#
# Numbers are written with sprintf("%.17g") (tests/r/json.R).

suppressPackageStartupMessages(library(survival))
source(file.path("tests", "r", "json.R"))
out_dir <- file.path("tests", "fixtures", "timefix")
dir.create(out_dir, showWarnings = FALSE)

km_json <- function(fit) {
  s <- summary(fit, censored = TRUE)
  groups <- if (is.null(fit$strata)) rep("all", length(fit$time)) else
    rep(sub("^group=", "", names(fit$strata)), fit$strata)
  parts <- lapply(unique(groups), function(g) {
    i <- groups == g
    json_object(list(
      group = json_string(g),
      time = json_array(fit$time[i]),
      n_risk = json_array(fit$n.risk[i]),
      n_event = json_array(fit$n.event[i]),
      surv = json_array(fit$surv[i]),
      std_err = json_array(fit$std.err[i] * fit$surv[i]),
      lower = json_array(fit$lower[i]),
      upper = json_array(fit$upper[i])
    ))
  })
  json_list(parts)
}

write_case <- function(name, d) {
  d$group <- factor(d$group, levels = unique(d$group))
  fit <- survfit(Surv(time, status) ~ group, data = d)
  nofix <- survfit(Surv(time, status) ~ group, data = d, timefix = FALSE)
  sd <- survdiff(Surv(time, status) ~ group, data = d)
  cox <- lapply(c("efron", "breslow"), function(t) {
    f <- coxph(Surv(time, status) ~ group, data = d, ties = t)
    json_object(list(
      ties = json_string(t),
      coef = json_array(coef(f)),
      var = json_matrix(f$var),
      loglik = json_array(f$loglik)
    ))
  })
  aeq <- aeqSurv(Surv(d$time, d$status))[, 1]
  text <- json_object(list(
    r_version = json_string(R.version.string),
    survival_version = json_string(as.character(packageVersion("survival"))),
    data = json_object(list(
      time = json_array(d$time),
      status = json_array(d$status),
      group = json_strings(as.character(d$group))
    )),
    levels = json_strings(levels(d$group)),
    aeq = json_array(aeq),
    km = km_json(fit),
    km_nofix = km_json(nofix),
    survdiff = json_object(list(chisq = json_scalar(sd$chisq))),
    cox = json_list(cox)
  ))
  writeLines(text, file.path(out_dir, paste0(name, ".json")))
}

# Issue 11: a gap of 1 is tiny next to a time of 4e8 (relative tie).
write_case("relative", data.frame(
  time = c(1, 2, 3, 4, 4e8), status = c(1, 1, 1, 0, 0),
  group = c("A", "A", "B", "B", "B")))

# Times from dates, in months, computed two ways: days / 30.4375 and days * (1 / 30.4375)
# differ in the last bit for some days, as exports from different tools do.
set.seed(20261201)
days <- sample(30:900, 60, replace = TRUE)
days[31:60] <- days[1:30]
t1 <- days[1:30] / 30.4375
t2 <- days[31:60] * (1 / 30.4375)
stopifnot(any(t1 != t2))
write_case("dates", data.frame(
  time = c(t1, t2),
  status = rbinom(60, 1, 0.7),
  group = rep(c("Control", "Drug"), 30)))

# Absolute ties: gaps below 1.5e-8 between small times, some chained.
e <- 1e-9
write_case("absolute", data.frame(
  time = c(0.5, 0.5 + e, 0.5 + 2 * e, 1, 1 + 3 * e, 2, 2, 3, 3 + 5e-9, 4, 5, 6),
  status = c(1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1),
  group = c("A", "B", "A", "B", "A", "B", "A", "B", "A", "B", "A", "B")))
