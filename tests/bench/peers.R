# R survival's side of scripts/bench-peers.sh (issue 15): the median of three timings of
# each step on the CSV given, compute only (the data already in a data frame), then end to
# end (read.csv to the three results). Prints tool<TAB>step<TAB>seconds lines.
#
#   Rscript tests/bench/peers.R FILE
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]
median3 <- function(f) {
  t <- sapply(1:3, function(i) { gc(); system.time(f())[["elapsed"]] })
  median(t)
}
line <- function(step, secs) cat(sprintf("R\t%s\t%.4f\n", step, secs))
d <- read.csv(file)
d$arm <- factor(d$arm)
line("km", median3(function() survfit(Surv(time, status) ~ arm, data = d, conf.type = "log")))
line("logrank", median3(function() survdiff(Surv(time, status) ~ arm, data = d)))
# coxph computes the concordance as part of the fit (survival >= 3.0).
line("cox", median3(function() coxph(Surv(time, status) ~ arm, data = d, ties = "efron")))
line("e2e", median3(function() {
  x <- read.csv(file)
  x$arm <- factor(x$arm)
  fit <- survfit(Surv(time, status) ~ arm, data = x)
  summary(fit)$table
  survdiff(Surv(time, status) ~ arm, data = x)
  coxph(Surv(time, status) ~ arm, data = x)
}))
line("peak_mb", sum(gc()[, 6]))
