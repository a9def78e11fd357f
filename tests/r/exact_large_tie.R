# Golden fixture for the exact partial likelihood with one very large tie (issue 11, item
# 4): 99 rows, (nearly) all at t = 5, four arms. survival's coxexact.c never declares
# convergence, and halves the step, when the score, the information or the
# log-likelihood is not finite (its `notfinite`); survcalc lacked that rule and called
# such fits converged with every coefficient singular. Data sets c02, c06, c34 of a
# seeded search (set.seed(4), below), where R ran out of iterations with a warning.
#
# Run from the repository root:
#
#     Rscript tests/r/exact_large_tie.R
#
# Writes tests/fixtures/cox/exact_large_tie.json (read by crates/core/tests/suite/cox.rs):
# per case the data, coef, loglik (2), score test, iterations and whether R warned
# "Ran out of iterations and did not converge".

suppressPackageStartupMessages(library(survival))
source(file.path("tests", "r", "json.R"))

set.seed(4)
cases <- list()
for (i in 1:40) {
  n <- 99
  ev <- c(0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 1)[(i %% 7) + 1]
  probs <- list(c(.25, .25, .25, .25), c(.7, .1, .1, .1), c(.01, .33, .33, .33),
                c(.4, .4, .19, .01))[[(i %% 4) + 1]]
  g <- sample(c("A", "B", "C", "D"), n, TRUE, prob = probs)
  g[1:4] <- c("A", "B", "C", "D")
  t <- rep(5, n)
  if (i > 20) t[sample(n, 5)] <- sample(1:10, 5, TRUE)
  s <- rbinom(n, 1, ev)
  if (i %% 5 == 0) s[g == "D"] <- 1
  if (i %% 6 == 0) s[g == "A"] <- 0
  if (!(i %in% c(2, 6, 34))) next
  d <- data.frame(time = t, status = s, group = factor(g))
  warned <- ""
  fit <- withCallingHandlers(
    coxph(Surv(time, status) ~ group, data = d, ties = "exact"),
    warning = function(w) { warned <<- conditionMessage(w); invokeRestart("muffleWarning") })
  cases[[length(cases) + 1]] <- json_object(list(
    name = json_string(sprintf("c%02d", i)),
    data = json_object(list(
      time = json_array(d$time),
      status = json_array(d$status),
      group = json_strings(as.character(d$group))
    )),
    coef = json_array(coef(fit)),
    loglik = json_array(fit$loglik),
    score = json_scalar(fit$score),
    iter = json_scalar(fit$iter),
    warning = json_string(warned)
  ))
}

text <- json_object(list(
  r_version = json_string(R.version.string),
  survival_version = json_string(as.character(packageVersion("survival"))),
  cases = json_list(cases)
))
writeLines(text, file.path("tests", "fixtures", "cox", "exact_large_tie.json"))
