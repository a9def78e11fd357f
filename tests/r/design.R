# Golden fixtures for trial design (issue 17): rpact 3.3's fixed-design sample size and
# power for two arms' survival, R's power.prop.test for two proportions, and the exact
# power of fisher.test by enumeration.
#
# Run from the repository root (needs r-cran-rpact):
#
#     Rscript tests/r/design.R
#
# Writes tests/fixtures/design/survival.json, proportions.json, simon.json (read by
# crates/core/tests/suite/design.rs). Each survival case lists rpact's arguments and its
# eventsFixed, nFixed, nFixed1, nFixed2, followUpTime, analysisTime; each power case
# getPowerSurvival's overallReject and analysisTime. simon.json: Simon's optimal and
# minimax two-stage designs by a plain R enumeration of every (n, n1, r1, r) (clinfun is
# not in Debian), to check survcalc's pruned search.
suppressPackageStartupMessages(library(rpact))
source(file.path("tests", "r", "json.R"))
out_dir <- file.path("tests", "fixtures", "design")
dir.create(out_dir, showWarnings = FALSE)

l2 <- log(2) / 12
cases <- list(
  list(name = "issue: HR 0.7, two-sided 0.05, 80%, 1:1", hazardRatio = 0.7, alpha = 0.05, sided = 2,
       beta = 0.2, lambda2 = l2, accrualTime = c(0, 24), followUpTime = 12),
  list(name = "Freedman", typeOfComputation = "Freedman", hazardRatio = 0.7, alpha = 0.05, sided = 2,
       beta = 0.2, lambda2 = l2, accrualTime = c(0, 24), followUpTime = 12),
  list(name = "Hsieh-Freedman 2:1", typeOfComputation = "HsiehFreedman", hazardRatio = 0.75,
       alpha = 0.025, sided = 1, beta = 0.1, lambda2 = l2, accrualTime = c(0, 18), followUpTime = 24,
       allocationRatioPlanned = 2),
  list(name = "medians, dropout, piecewise accrual, 2:1", median1 = 18, median2 = 12, alpha = 0.05,
       sided = 2, beta = 0.2, accrualTime = c(0, 6, 24), accrualIntensity = c(0.2, 0.8),
       followUpTime = 12, dropoutRate1 = 0.1, dropoutRate2 = 0.05, dropoutTime = 12,
       allocationRatioPlanned = 2),
  list(name = "event rates at 24", pi1 = 0.3, pi2 = 0.45, eventTime = 24, alpha = 0.025, sided = 1,
       beta = 0.2, accrualTime = c(0, 12), followUpTime = 18),
  list(name = "accrual rate 20 per month for 24 months", hazardRatio = 0.7, alpha = 0.05, sided = 2,
       beta = 0.2, lambda2 = l2, accrualTime = c(0, 24), accrualIntensity = 20)
)
num_or_null <- function(x) if (is.null(x)) "null" else json_array(x)
surv <- vapply(cases, function(a) {
  args <- a[names(a) != "name"]
  x <- do.call(getSampleSizeSurvival, args)
  sprintf(paste0('{"name": %s, "args": {%s},\n   "eventsFixed": %s, "nFixed": %s, "nFixed1": %s,',
    ' "nFixed2": %s, "followUpTime": %s, "analysisTime": %s, "lambda1": %s, "lambda2": %s}'),
    json_string(a$name),
    paste(vapply(names(args), function(k) sprintf('"%s": %s', k,
      if (is.character(args[[k]])) json_string(args[[k]]) else json_array(args[[k]])), ""),
      collapse = ", "),
    json_num(x$eventsFixed), json_num(x$nFixed), json_num(x$nFixed1), json_num(x$nFixed2),
    json_num(x$followUpTime), json_num(x$analysisTime[1]), json_num(x$lambda1),
    json_num(x$lambda2))
}, "")
powers <- character(0)
for (d in c(100, 200, 300)) for (hr in c(0.6, 0.75)) {
  p <- getPowerSurvival(hazardRatio = hr, alpha = 0.05, sided = 2, lambda2 = l2,
    maxNumberOfEvents = d, maxNumberOfSubjects = 2 * d, accrualTime = c(0, 24))
  powers <- c(powers, sprintf('{"events": %s, "subjects": %s, "hazardRatio": %s, "power": %s, "analysisTime": %s}',
    d, 2 * d, hr, json_num(p$overallReject), json_num(p$analysisTime[1])))
}
writeLines(sprintf('{"rpact": %s,\n "sample_size": [\n  %s],\n "power": [\n  %s]}\n',
  json_string(as.character(packageVersion("rpact"))), paste(surv, collapse = ",\n  "),
  paste(powers, collapse = ",\n  ")), file.path(out_dir, "survival.json"))

exact_power <- function(n, p1, p2, alpha) {
  s <- 0
  for (x1 in 0:n) for (x2 in 0:n) {
    pv <- fisher.test(matrix(c(x1, n - x1, x2, n - x2), 2))$p.value
    if (pv <= alpha) s <- s + dbinom(x1, n, p1) * dbinom(x2, n, p2)
  }
  s
}
props <- character(0)
for (a in list(c(0.5, 0.75, 0.05, 0.9), c(0.2, 0.4, 0.05, 0.8), c(0.15, 0.3, 0.01, 0.8),
               c(0.6, 0.8, 0.1, 0.85))) {
  r <- power.prop.test(p1 = a[1], p2 = a[2], sig.level = a[3], power = a[4])
  ne <- 40
  props <- c(props, sprintf('{"p1": %s, "p2": %s, "alpha": %s, "power": %s, "n": %s, "exact_n": %d, "exact_power": %s}',
    json_num(a[1]), json_num(a[2]), json_num(a[3]), json_num(a[4]), json_num(r$n), ne,
    json_num(exact_power(ne, a[1], a[2], a[3]))))
}
rates <- character(0)
for (a in list(c(0.75, 0.5, 0.05, 2, 0.1, 1), c(0.4, 0.2, 0.05, 2, 0.2, 2), c(0.3, 0.15, 0.025, 1, 0.2, 0.5))) {
  x <- getSampleSizeRates(pi1 = a[1], pi2 = a[2], alpha = a[3], sided = a[4], beta = a[5],
    allocationRatioPlanned = a[6])
  rates <- c(rates, sprintf('{"pi1": %s, "pi2": %s, "alpha": %s, "sided": %s, "beta": %s, "ratio": %s, "nFixed": %s, "nFixed1": %s, "nFixed2": %s}',
    json_num(a[1]), json_num(a[2]), json_num(a[3]), json_num(a[4]), json_num(a[5]), json_num(a[6]),
    json_num(x$nFixed), json_num(x$nFixed1), json_num(x$nFixed2)))
}
writeLines(sprintf('{"r_version": %s,\n "two_proportions": [\n  %s],\n "rpact_rates": [\n  %s]}\n', json_string(R.version.string),
  paste(props, collapse = ",\n  "), paste(rates, collapse = ",\n  ")), file.path(out_dir, "proportions.json"))
simon <- function(p0, p1, alpha, beta, nmax) {
  best <- NULL; bestmm <- NULL
  for (n in 2:nmax) for (n1 in 1:(n - 1)) {
    n2 <- n - n1
    for (r1 in 0:(n1 - 1)) {
      x1 <- (r1 + 1):n1
      rej <- function(p, r) sum(dbinom(x1, n1, p) * (1 - pbinom(r - x1, n2, p)))
      for (r in r1:(n - 1)) { a <- rej(p0, r); if (a <= alpha) break }
      if (a > alpha) next
      pw <- rej(p1, r)
      if (pw < 1 - beta) next
      pet <- pbinom(r1, n1, p0)
      d <- c(r1, n1, r, n, n1 + (1 - pet) * n2, pet, a, pw)
      if (is.null(best) || d[5] < best[5] - 1e-12) best <- d
      if (is.null(bestmm) || n < bestmm[4] || (n == bestmm[4] && d[5] < bestmm[5] - 1e-12)) bestmm <- d
    }
  }
  list(optimal = best, minimax = bestmm)
}
des <- function(d) sprintf('{"r1": %d, "n1": %d, "r": %d, "n": %d, "en0": %s, "pet0": %s, "alpha": %s, "power": %s}',
  as.integer(d[1]), as.integer(d[2]), as.integer(d[3]), as.integer(d[4]), json_num(d[5]), json_num(d[6]),
  json_num(d[7]), json_num(d[8]))
sims <- character(0)
for (a in list(c(0.5, 0.7, 0.05, 0.1, 65), c(0.1, 0.25, 0.05, 0.2, 60))) {
  s <- simon(a[1], a[2], a[3], a[4], a[5])
  sims <- c(sims, sprintf('{"p0": %s, "p1": %s, "alpha": %s, "beta": %s, "n_max": %d, "optimal": %s, "minimax": %s}',
    json_num(a[1]), json_num(a[2]), json_num(a[3]), json_num(a[4]), as.integer(a[5]), des(s$optimal), des(s$minimax)))
}
# Inference after a two-stage trial (Koyama & Chen 2008's stage-wise ordering; Jung & Kim
# 2004's UMVUE), written from the definitions, on Simon's optimal design 4/19, 15/54 for
# p0 = 0.2: a trial stopped with 3 responses, and completed trials with 16 and 22.
r1 <- 4; n1 <- 19; n <- 54; n2 <- n - n1; p0 <- 0.2; level <- 0.95
at_least <- function(kind, v, p) {
  if (kind == "stopped") return(1 - pbinom(v - 1, n1, p))
  x1 <- (r1 + 1):n1
  sum(dbinom(x1, n1, p) * ifelse(v - x1 <= 0, 1, 1 - pbinom(v - x1 - 1, n2, p)))
}
at_most <- function(kind, v, p) {
  if (kind == "stopped") return(pbinom(v, n1, p))
  1 - at_least("completed", v + 1, p)
}
infer <- function(kind, v) {
  tail <- (1 - level) / 2
  umvue <- if (kind == "stopped") v / n1 else {
    x1 <- max(r1 + 1, v - n2):min(n1, v)
    sum(choose(n1 - 1, x1 - 1) * choose(n2, v - x1)) / sum(choose(n1, x1) * choose(n2, v - x1))
  }
  lo <- uniroot(function(p) at_least(kind, v, p) - tail, c(1e-12, 1 - 1e-12), tol = 1e-14)$root
  hi <- uniroot(function(p) at_most(kind, v, p) - tail, c(1e-12, 1 - 1e-12), tol = 1e-14)$root
  sprintf('{"kind": "%s", "value": %d, "umvue": %s, "p_value": %s, "lower": %s, "upper": %s}',
    kind, v, json_num(umvue), json_num(at_least(kind, v, p0)), json_num(lo), json_num(hi))
}
inf <- c(infer("stopped", 3), infer("completed", 16), infer("completed", 22))
writeLines(sprintf('{"r_version": %s,\n "simon": [\n  %s],\n "inference": [\n  %s]}\n', json_string(R.version.string),
  paste(sims, collapse = ",\n  "), paste(inf, collapse = ",\n  ")), file.path(out_dir, "simon.json"))
cat("wrote", length(list.files(out_dir)), "files to", out_dir, "\n")
