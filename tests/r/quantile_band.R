# Quantiles whose confidence band is not monotone (issue 11): the log and logit bands of
# a curve with heavy early ties turn back, and R's quantile.survfit (findq, through
# approx(), which sorts its knots) still finds a limit where survcalc found none.
#
# Run from the repository root:
#
#     Rscript tests/r/quantile_band.R
#
# Writes tests/fixtures/quantile_band.json (read by crates/core/tests/suite/km_extras.rs):
# the data, and for each conf.type the band (lower, upper per time) and
# quantile(fit, probs = c(.25, .5, .75)) with its lower and upper limits.

suppressPackageStartupMessages(library(survival))
source(file.path("tests", "r", "json.R"))

d <- data.frame(
  time = c(1, 1, 1, 1, 1, 2, 2, 4, 6, 6, 10, 12, 17),
  status = c(0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0))
cases <- lapply(c("log", "logit", "log-log", "plain", "arcsin"), function(ct) {
  fit <- survfit(Surv(time, status) ~ 1, data = d, conf.type = ct)
  q <- quantile(fit, probs = c(0.25, 0.5, 0.75))
  json_object(list(
    conf_type = json_string(ct),
    time = json_array(fit$time),
    lower = json_array(fit$lower),
    upper = json_array(fit$upper),
    quantile = json_array(q$quantile),
    q_lower = json_array(q$lower),
    q_upper = json_array(q$upper)
  ))
})
text <- json_object(list(
  r_version = json_string(R.version.string),
  survival_version = json_string(as.character(packageVersion("survival"))),
  time = json_array(d$time),
  status = json_array(d$status),
  probs = json_array(c(0.25, 0.5, 0.75)),
  cases = json_list(cases)
))
writeLines(text, file.path("tests", "fixtures", "quantile_band.json"))
