# Golden fixtures for survcalc-core, computed by R's `survival` package.
#
# Run from the repository root:
#
#     Rscript tests/r/make_fixtures.R
#
# Writes one JSON file per data set into tests/fixtures/ (read by
# crates/core/tests/suite/golden.rs). Each file holds the R and survival versions, the input
# data in data order (time, status as a 0/1 event indicator, group as strings), the
# group levels (the first is the reference) and R's results for `~ group`:
#
#   km        survfit(Surv(time, status) ~ group, conf.type = T), T in log, log-log, plain:
#             per group time, n.risk, n.event, n.censor, surv, std.err (fit$std.err, the
#             standard error of log S), lower, upper
#   median    quantile(fit, 0.5) for each conf.type: estimate, lower, upper per group
#             (what print.survfit shows)
#   survdiff  survdiff(Surv(time, status) ~ group): n, obs, exp, var, chisq, df and
#             p = pchisq(chisq, df, lower.tail = FALSE) with df as print.survdiff
#   coxph     coxph(Surv(time, status) ~ group, ties = X), X in efron, breslow: coef, se,
#             var, loglik, iter, Wald / LR / score tests (chisq, df, p) and the text of any
#             warnings R gave
#
# Number format: every number is written with sprintf("%.17g", x), which round-trips to
# the same double. jsonlite's formatting is not used (and jsonlite is not needed): the
# JSON text is built here by hand.
#
# NA, NaN, Inf and -Inf have no JSON representation: they are all written as JSON null.
# (R gives NA for undefined confidence limits and medians that are not reached, and Inf
# or NaN for fit$std.err once the curve reaches 0.)

suppressPackageStartupMessages(library(survival))

out_dir <- file.path("tests", "fixtures")
if (!dir.exists(out_dir)) {
  stop("run from the repository root: tests/fixtures/ not found")
}

# ---------------------------------------------------------------------------------------
# JSON writing: tests/r/json.R

source(file.path("tests", "r", "json.R"))  # run from the repository root

# ---------------------------------------------------------------------------------------
# R's results for one data set

conf_types <- c("log", "log-log", "plain")

km_results <- function(d, levels, conf_type) {
  fit <- survfit(Surv(time, status) ~ group, data = d, conf.type = conf_type)
  stopifnot(length(fit$strata) == length(levels))
  stratum <- rep(seq_along(fit$strata), fit$strata)
  curves <- lapply(seq_along(levels), function(g) {
    i <- which(stratum == g)
    json_object(list(
      group = json_string(levels[g]),
      time = json_array(fit$time[i]),
      n_risk = json_array(fit$n.risk[i]),
      n_event = json_array(fit$n.event[i]),
      n_censor = json_array(fit$n.censor[i]),
      surv = json_array(fit$surv[i]),
      std_err = json_array(fit$std.err[i]),
      lower = json_array(fit$lower[i]),
      upper = json_array(fit$upper[i])
    ))
  })
  q <- quantile(fit, probs = 0.5)
  medians <- lapply(seq_along(levels), function(g) {
    json_object(list(
      group = json_string(levels[g]),
      estimate = json_scalar(q$quantile[g, 1]),
      lower = json_scalar(q$lower[g, 1]),
      upper = json_scalar(q$upper[g, 1])
    ))
  })
  list(km = json_list(curves), median = json_list(medians))
}

survdiff_results <- function(d) {
  sd <- survdiff(Surv(time, status) ~ group, data = d)
  df <- sum(sd$exp > 0) - 1 # as print.survdiff
  json_object(list(
    n = json_array(sd$n),
    obs = json_array(sd$obs),
    exp = json_array(sd$exp),
    var = json_matrix(sd$var),
    chisq = json_scalar(sd$chisq),
    df = json_scalar(df),
    p = json_scalar(pchisq(sd$chisq, df, lower.tail = FALSE))
  ))
}

cox_results <- function(d, ties) {
  r <- with_warnings(coxph(Surv(time, status) ~ group, data = d, ties = ties))
  fit <- r$value
  df <- length(coef(fit))
  test <- function(chisq) {
    json_object(list(
      chisq = json_scalar(chisq),
      df = json_scalar(df),
      p = json_scalar(pchisq(chisq, df, lower.tail = FALSE))
    ))
  }
  json_object(list(
    ties = json_string(ties),
    coef = json_array(coef(fit)),
    se = json_array(sqrt(diag(fit$var))),
    var = json_matrix(fit$var),
    loglik = json_array(fit$loglik),
    iter = json_scalar(fit$iter),
    wald = test(fit$wald.test),
    lr = test(2 * (fit$loglik[2] - fit$loglik[1])),
    score = test(fit$score),
    warnings = json_strings(r$warnings)
  ))
}

write_fixture <- function(name, description, time, status, group, levels = NULL) {
  stopifnot(length(time) == length(status), length(time) == length(group),
            !anyNA(time), !anyNA(status), !anyNA(group), all(status %in% c(0, 1)))
  group <- as.character(group)
  # Levels in order of first appearance in the data unless given; the first is the
  # reference of the Cox model.
  if (is.null(levels)) levels <- unique(group)
  stopifnot(setequal(levels, unique(group)))
  d <- data.frame(time = as.double(time), status = as.double(status),
                  group = factor(group, levels = levels))
  km <- lapply(conf_types, function(ct) km_results(d, levels, ct))
  names(km) <- conf_types
  fixture <- json_object(list(
    name = json_string(name),
    description = json_string(description),
    r_version = json_string(R.version.string),
    survival_version = json_string(as.character(packageVersion("survival"))),
    levels = json_strings(levels),
    reference = json_string(levels[1]),
    data = json_object(list(
      time = json_array(d$time),
      status = json_array(d$status),
      group = json_strings(group)
    )),
    km = json_object(lapply(km, `[[`, "km")),
    median = json_object(lapply(km, `[[`, "median")),
    survdiff = survdiff_results(d),
    coxph = json_object(list(
      efron = cox_results(d, "efron"),
      breslow = cox_results(d, "breslow")
    ))
  ))
  path <- file.path(out_dir, paste0(name, ".json"))
  writeLines(fixture, path, useBytes = TRUE)
  cat("wrote", path, "\n")
}

# ---------------------------------------------------------------------------------------
# Data sets from the survival package. Levels are in order of first appearance, which
# for each of these is also the natural reference (standard treatment, male, rx 1,
# maintained, x = 0).

write_fixture("veteran", "survival::veteran, group = trt (1 standard, 2 test)",
              veteran$time, veteran$status, veteran$trt)

write_fixture("lung", "survival::lung, event = (status == 2), group = sex (1 male, 2 female)",
              lung$time, as.integer(lung$status == 2), lung$sex)

write_fixture("ovarian", "survival::ovarian, time = futime, event = fustat, group = rx",
              ovarian$futime, ovarian$fustat, ovarian$rx)

write_fixture("aml", "survival::aml, group = x (Maintained, Nonmaintained)",
              aml$time, aml$status, as.character(aml$x))

# survival tests/book1.R, test1 without its row with a missing status.
write_fixture("book1", "survival tests/book1.R test1 without the NA-status row; group = x",
              c(9, 1, 1, 6, 6, 8), c(1, 1, 0, 1, 1, 0), c(0, 1, 1, 1, 0, 0))

# ---------------------------------------------------------------------------------------
# Constructed edge cases (literal data, no random numbers).

# Heavy ties: 3 groups on a coarse time grid, groups interleaved in data order, events
# and censorings tied at the same times, ties across groups and within groups, a time 0
# censoring.
write_fixture(
  "ties",
  "constructed: heavy ties on a 1..6 grid, 3 interleaved groups, tied events and censorings",
  time = c(3, 1, 2, 2, 4, 1, 3, 5, 2, 6, 1, 4, 3, 2, 5, 4, 1, 6, 3, 2,
           4, 5, 2, 3, 1, 6, 4, 2, 3, 5, 0, 6, 2, 4, 3, 1, 5, 3, 4, 2),
  status = c(1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1,
             0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1),
  group = c("ctrl", "A", "B", "ctrl", "A", "B", "ctrl", "A", "B", "ctrl",
            "A", "B", "ctrl", "A", "B", "ctrl", "A", "B", "ctrl", "A",
            "B", "ctrl", "A", "B", "ctrl", "A", "B", "ctrl", "A", "B",
            "ctrl", "A", "B", "ctrl", "A", "B", "ctrl", "A", "B", "ctrl")
)

# One arm without events: the Cox coefficient diverges and R warns.
write_fixture(
  "noevents_arm",
  "constructed: arm 'exp' has no events, so the Cox coefficient diverges",
  time = c(2, 5, 3, 8, 4, 9, 6, 12, 7, 15, 10, 11, 13, 14),
  status = c(1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0),
  group = c("ctrl", "exp", "ctrl", "exp", "ctrl", "exp", "ctrl", "exp",
            "ctrl", "exp", "ctrl", "exp", "ctrl", "exp")
)

# Curves that do not reach 0.5: in 'late' S stays above 0.5 (median NA) while its lower
# band crosses 0.5; 'plateau' sits exactly at S = 0.5 from t = 5 to its last time, where
# R takes the midpoint of the plateau.
write_fixture(
  "never_half",
  "constructed: 'late' never reaches S = 0.5; 'plateau' ends on S = 0.5 exactly",
  time = c(3, 1, 6, 2, 9, 3, 12, 4, 15, 5, 18, 7, 20, 8, 21, 9, 22, 10, 23, 11),
  status = c(1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
  group = rep(c("late", "plateau"), 10)
)

# The veteran data as a user would paste it (all columns, R's own coding: status 1 =
# dead, trt 1 = standard): the browser test pastes this file and compares the page with
# veteran.json.
write.csv(survival::veteran, file.path(out_dir, "veteran.csv"), row.names = FALSE, quote = FALSE)
cat("wrote", file.path(out_dir, "veteran.csv"), "\n")

# lung with a 0/1 event column and missing values left blank, for the adjusted and
# stratified analyses of the CLI test (crates/cli/tests/cli.rs): R's numbers there are
#   coxph(Surv(time, dead) ~ factor(sex) + age + ph.ecog + strata(inst), d)
#   survdiff(Surv(time, dead) ~ sex + strata(inst), d)$chisq
d <- survival::lung
d$dead <- d$status - 1
write.csv(d[, c("inst", "time", "dead", "sex", "age", "ph.ecog")],
          file.path(out_dir, "lung.csv"), row.names = FALSE, na = "")
cat("wrote", file.path(out_dir, "lung.csv"), "\n")
