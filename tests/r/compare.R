# Golden fixtures for survcalc-core's curve comparisons (crates/stats/src/compare/mod.rs):
# the weighted log-rank family, the stratified test, the test for trend, pairwise
# comparisons with p.adjust, MaxCombo, and multivariate normal rectangle probabilities.
#
# Run from the repository root:
#
#     Rscript tests/r/compare.R
#
# Needs the R packages survival, survminer (pairwise_survdiff), mvtnorm (pmvnorm), and,
# for the cross-checks printed at the end, coin and survMisc (Debian: r-cran-survminer,
# r-cran-mvtnorm, r-cran-coin, r-cran-survmisc). Writes one JSON file per data set into
# tests/fixtures/compare/ (read by crates/core/tests/suite/compare.rs), plus mvn.json.
#
# Where the numbers come from (each fixture entry says so in its `source` field):
#
#   survdiff       survival::survdiff(Surv(time, status) ~ group [+ strata(s)], rho = rho):
#                  the log-rank test, Peto-Peto as R defines it (rho = 1: weight = pooled
#                  Kaplan-Meier S(t-)), and every G(rho, 0).
#   by-hand        the textbook weighted log-rank statistic, Klein & Moeschberger (2003)
#                  Survival Analysis, 2nd ed., section 7.3 (eq. 7.3.3-7.3.5), implemented
#                  below in plain R: for weights no survival function offers
#                  (Fleming-Harrington G(rho, gamma) with gamma > 0, Gehan-Breslow,
#                  Tarone-Ware, the K&M Peto-Peto and modified Peto-Peto). The same code is
#                  first checked against survdiff for every G(rho, 0) it can reproduce
#                  (stopifnot at 1e-12), and against survMisc::comp for the others.
#   survdiff-trend the test for trend (K&M section 7.4) computed from survdiff's obs, exp
#                  and var: U = sum(s * (obs - exp)), Var = t(s) %*% var %*% s.
#   survminer      survminer::pairwise_survdiff(..., rho, p.adjust.method) for the P values
#                  (holm, bonferroni, BH); the chi-squares from survdiff on each pair's
#                  subset.
#   maxcombo       by-hand Z statistics and correlation of FH(0,0), FH(0,1), FH(1,0),
#                  FH(1,1); P = 1 - mvtnorm::pmvnorm(-z, z, corr, algorithm = GenzBretz(
#                  maxpts = 3e7, abseps = 1e-10)) with its error estimate (the matrix is
#                  singular, so Miwa cannot be used).
#
# coin::logrank_test is NOT used as a reference: its statistics are standardised linear
# permutation statistics (conditional on all the scores) whose variance is not the
# hypergeometric form of survdiff / K&M, so its chi-squares differ (see the table printed at
# the end of this script).
#
# Number format: every number is written with sprintf("%.17g", x), which round-trips to
# the same double; NA, NaN, Inf and -Inf are written as JSON null.

suppressPackageStartupMessages({
  library(survival)
  library(mvtnorm)
  library(survminer)
})

out_dir <- file.path("tests", "fixtures", "compare")
if (!dir.exists(file.path("tests", "fixtures"))) {
  stop("run from the repository root: tests/fixtures/ not found")
}
dir.create(out_dir, showWarnings = FALSE)

# ---------------------------------------------------------------------------------------
# JSON writing: tests/r/json.R

source(file.path("tests", "r", "json.R"))  # run from the repository root

# ---------------------------------------------------------------------------------------
# Weights, named as in the fixtures (crates/core/tests/suite/compare.rs maps them to `Weight`)

W <- function(name, rho = NA, gamma = NA) list(name = name, rho = rho, gamma = gamma)
weights <- list(
  W("logrank"),
  W("peto_peto"),
  W("peto_peto_tilde"),
  W("modified_peto_peto"),
  W("fleming_harrington", 0, 0),
  W("fleming_harrington", 1, 0),
  W("fleming_harrington", 2, 0),
  W("fleming_harrington", 0.5, 0),
  W("fleming_harrington", 0, 1),
  W("fleming_harrington", 1, 1),
  W("fleming_harrington", 0.5, 2),
  W("gehan_breslow"),
  W("tarone_ware")
)

weight_json <- function(w) {
  json_object(list(
    name = json_string(w$name),
    rho = if (!is.na(w$rho)) json_scalar(w$rho),
    gamma = if (!is.na(w$gamma)) json_scalar(w$gamma)
  ))
}

# The rho of survdiff that gives this weight, or NA when survdiff has none.
survdiff_rho <- function(w) {
  switch(w$name,
         logrank = 0,
         peto_peto = 1,
         fleming_harrington = if (w$gamma == 0) w$rho else NA,
         NA)
}

# ---------------------------------------------------------------------------------------
# The textbook weighted log-rank test, by hand (Klein & Moeschberger 2003, section 7.3)

# Counts at the distinct event times: n at risk and d events, pooled and per group.
risk_table <- function(time, status, g, k) {
  ut <- sort(unique(time[status == 1]))
  ng <- matrix(0, length(ut), k)
  dg <- matrix(0, length(ut), k)
  for (j in seq_len(k)) {
    tj <- time[g == j]
    sj <- status[g == j]
    ng[, j] <- vapply(ut, function(t) sum(tj >= t), 0)
    dg[, j] <- vapply(ut, function(t) sum(tj == t & sj == 1), 0)
  }
  list(n = rowSums(ng), d = rowSums(dg), ng = ng, dg = dg)
}

# K&M Table 7.2's weights at each event time t_i. S = pooled Kaplan-Meier; S(t_i-) is
# its value just before t_i; S~(t) = prod_{t_j <= t} (1 - d_j / (n_j + 1)).
weight_values <- function(tab, w) {
  n <- tab$n
  d <- tab$d
  km_before <- c(1, cumprod(1 - d / n))[seq_along(n)]
  s_tilde <- cumprod(1 - d / (n + 1))
  switch(w$name,
         logrank = rep(1, length(n)),
         peto_peto = km_before,
         peto_peto_tilde = s_tilde,
         modified_peto_peto = s_tilde * n / (n + 1),
         fleming_harrington = km_before^w$rho * (1 - km_before)^w$gamma,
         gehan_breslow = n,
         tarone_ware = sqrt(n),
         stop("unknown weight ", w$name))
}

# O_g = sum w d_g, E_g = sum w d n_g / n,
# V_gh = sum w^2 d (n - d) / (n - 1) (n_g / n) (delta_gh - n_h / n)   (K&M eq. 7.3.4-5).
wlr_sums <- function(tab, wt) {
  k <- ncol(tab$ng)
  obs <- colSums(wt * tab$dg)
  exp <- colSums(wt * tab$d * tab$ng / tab$n)
  var <- matrix(0, k, k)
  for (i in seq_along(tab$n)) {
    n <- tab$n[i]
    d <- tab$d[i]
    if (n > 1) {
      p <- tab$ng[i, ] / n
      var <- var + wt[i]^2 * d * (n - d) / (n - 1) * (diag(p, k, k) - outer(p, p))
    }
  }
  list(obs = obs, exp = exp, var = var)
}

# survdiff's chi-square: groups with exp > 0, the first of them dropped.
chisq_of <- function(s) {
  keep <- s$exp > 0
  if (sum(keep) < 2) return(list(chisq = 0, df = 0))
  u <- (s$obs - s$exp)[keep][-1]
  v <- s$var[keep, keep, drop = FALSE][-1, -1, drop = FALSE]
  list(chisq = sum(solve(v, u) * u), df = sum(keep) - 1)
}

# Weighted O, E, V summed over strata (each stratum its own risk sets and weights).
by_hand <- function(d, w, stratified = FALSE) {
  k <- nlevels(d$group)
  g <- as.integer(d$group)
  strata <- if (stratified) unique(d$stratum) else "all"
  total <- list(obs = numeric(k), exp = numeric(k), var = matrix(0, k, k))
  for (s in strata) {
    i <- if (stratified) d$stratum == s else rep(TRUE, nrow(d))
    tab <- risk_table(d$time[i], d$status[i], g[i], k)
    r <- wlr_sums(tab, weight_values(tab, w))
    total$obs <- total$obs + r$obs
    total$exp <- total$exp + r$exp
    total$var <- total$var + r$var
  }
  total
}

survdiff_sums <- function(d, rho, stratified = FALSE) {
  f <- if (stratified) Surv(time, status) ~ group + strata(stratum) else Surv(time, status) ~ group
  sd <- survdiff(f, data = d, rho = rho)
  obs <- if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs
  exp <- if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp
  list(obs = as.vector(obs), exp = as.vector(exp), var = unname(sd$var), chisq = sd$chisq)
}

close_enough <- function(a, b, tol = 1e-12) {
  isTRUE(all.equal(as.vector(a), as.vector(b), tolerance = tol, scale = NULL)) ||
    isTRUE(all.equal(as.vector(a), as.vector(b), tolerance = tol))
}

# One weighted test, from survdiff when it offers the weight (after checking the by-hand
# code against it), else by hand.
weighted_test <- function(d, w, stratified = FALSE) {
  hand <- by_hand(d, w, stratified)
  rho <- survdiff_rho(w)
  if (!is.na(rho)) {
    sd <- survdiff_sums(d, rho, stratified)
    for (f in c("obs", "exp", "var")) {
      if (!close_enough(hand[[f]], sd[[f]])) {
        stop("by-hand ", f, " differs from survdiff for ", w$name, " rho ", rho)
      }
    }
    stopifnot(close_enough(chisq_of(hand)$chisq, sd$chisq))
    s <- sd
    source <- "survdiff"
  } else {
    s <- hand
    source <- "by-hand"
  }
  cs <- chisq_of(s)
  list(sums = s, chisq = cs$chisq, df = cs$df, source = source)
}

weighted_json <- function(d, w, stratified = FALSE) {
  r <- weighted_test(d, w, stratified)
  json_object(list(
    weight = weight_json(w),
    source = json_string(r$source),
    obs = json_array(r$sums$obs),
    exp = json_array(r$sums$exp),
    var = json_matrix(r$sums$var),
    chisq = json_scalar(r$chisq),
    df = json_scalar(r$df),
    p = json_scalar(if (r$df > 0) pchisq(r$chisq, r$df, lower.tail = FALSE) else NA)
  ))
}

# ---------------------------------------------------------------------------------------
# Trend (K&M section 7.4), from survdiff's obs / exp / var where survdiff has the weight

trend_json <- function(d, w, scores, stratified = FALSE) {
  r <- weighted_test(d, w, stratified)
  s <- r$sums
  u <- sum(scores * (s$obs - s$exp))
  v <- drop(t(scores) %*% s$var %*% scores)
  json_object(list(
    weight = weight_json(w),
    source = json_string(if (r$source == "survdiff") "survdiff-trend" else "by-hand"),
    stratified = if (stratified) "true" else "false",
    scores = json_array(scores),
    u = json_scalar(u),
    var = json_scalar(v),
    z = json_scalar(u / sqrt(v)),
    chisq = json_scalar(u^2 / v),
    p = json_scalar(pchisq(u^2 / v, 1, lower.tail = FALSE))
  ))
}

# ---------------------------------------------------------------------------------------
# Pairwise comparisons: survminer::pairwise_survdiff for its weights (rho), by hand with
# p.adjust for the others

pairwise_json <- function(d, w) {
  lv <- levels(droplevels(d$group))
  pairs <- list()
  for (a in seq_along(lv)) for (b in seq_along(lv)) if (a < b) pairs[[length(pairs) + 1]] <- c(a, b)
  chisq <- vapply(pairs, function(ab) {
    sub <- d[d$group %in% lv[ab], ]
    sub$group <- droplevels(sub$group)
    chisq_of(by_hand(sub, w))$chisq
  }, 0)
  # pairwise_survdiff's P: df = length(n) - 1 = 1 for every pair.
  p <- pchisq(chisq, 1, lower.tail = FALSE)
  adj <- lapply(c(holm = "holm", bonferroni = "bonferroni", BH = "BH"), function(m) p.adjust(p, m))
  rho <- survdiff_rho(w)
  source <- "by-hand"
  if (!is.na(rho) && w$name != "fleming_harrington") {
    source <- "survminer"
    for (m in c("none", "holm", "bonferroni", "BH")) {
      pw <- pairwise_survdiff(Surv(time, status) ~ group, data = d, rho = rho,
                              p.adjust.method = m)$p.value
      sm <- vapply(pairs, function(ab) pw[lv[ab[2]], lv[ab[1]]], 0)
      ours <- if (m == "none") p else adj[[m]]
      if (!close_enough(ours, sm, 1e-12)) stop("pairwise P (", m, ") differs from survminer")
      if (m == "none") p <- sm else adj[[m]] <- sm
    }
  }
  items <- lapply(seq_along(pairs), function(i) {
    json_object(list(
      a = json_string(lv[pairs[[i]][1]]),
      b = json_string(lv[pairs[[i]][2]]),
      chisq = json_scalar(chisq[i]),
      p = json_scalar(p[i]),
      p_holm = json_scalar(adj$holm[i]),
      p_bonferroni = json_scalar(adj$bonferroni[i]),
      p_bh = json_scalar(adj$BH[i])
    ))
  })
  json_object(list(weight = weight_json(w), source = json_string(source), pairs = json_list(items)))
}

# ---------------------------------------------------------------------------------------
# MaxCombo: max |Z| of FH(0,0), FH(0,1), FH(1,0), FH(1,1) for two groups

maxcombo_weights <- list(W("fleming_harrington", 0, 0), W("fleming_harrington", 0, 1),
                         W("fleming_harrington", 1, 0), W("fleming_harrington", 1, 1))

maxcombo_json <- function(d) {
  stopifnot(nlevels(d$group) == 2)
  tab <- risk_table(d$time, d$status, as.integer(d$group), 2)
  wt <- sapply(maxcombo_weights, function(w) weight_values(tab, w)) # m x 4
  n <- tab$n
  dd <- tab$d
  oe <- tab$dg[, 2] - dd * tab$ng[, 2] / n                       # O - E of the 2nd group
  v <- ifelse(n > 1, dd * (n - dd) / pmax(n - 1, 1) * tab$ng[, 1] * tab$ng[, 2] / n^2, 0)
  u <- colSums(wt * oe)
  cov <- t(wt) %*% (wt * v)                                        # sum w_a w_b v
  z <- u / sqrt(diag(cov))
  corr <- cov2cor(cov)
  zmax <- max(abs(z))
  # The two-group Z must be survdiff's signed statistic for the G(rho, 0) members.
  for (j in c(1, 3)) {
    sd <- survdiff(Surv(time, status) ~ group, data = d, rho = maxcombo_weights[[j]]$rho)
    stopifnot(close_enough(z[j]^2, sd$chisq), close_enough(u[j], sd$obs[2] - sd$exp[2]))
  }
  # The four statistics are linearly dependent (w00 = w01 + w10, so U00 = U01 + U10):
  # the correlation matrix is singular, which Miwa's algorithm cannot take, so the
  # reference is GenzBretz (randomised lattice; fixed seed) at a tight abseps, whose
  # error estimate is written beside it.
  set.seed(20261128)
  genz <- pmvnorm(lower = rep(-zmax, 4), upper = rep(zmax, 4), corr = corr,
                  algorithm = GenzBretz(maxpts = 3e7, abseps = 1e-10, releps = 0))
  json_object(list(
    rho = json_array(sapply(maxcombo_weights, `[[`, "rho")),
    gamma = json_array(sapply(maxcombo_weights, `[[`, "gamma")),
    u = json_array(u),
    var = json_array(diag(cov)),
    z = json_array(z),
    corr = json_matrix(corr),
    z_max = json_scalar(zmax),
    p = json_scalar(1 - genz[1]),
    p_error = json_scalar(attr(genz, "error"))
  ))
}

# ---------------------------------------------------------------------------------------
# One fixture per data set

cross_checks <- list()

write_fixture <- function(name, description, time, status, group, levels, stratum = NULL,
                          trend_scores = NULL) {
  stopifnot(length(time) == length(status), length(time) == length(group),
            !anyNA(time), !anyNA(status), !anyNA(group), all(status %in% c(0, 1)),
            setequal(levels, unique(as.character(group))))
  d <- data.frame(time = as.double(time), status = as.double(status),
                  group = factor(as.character(group), levels = levels))
  if (!is.null(stratum)) {
    stopifnot(length(stratum) == length(time), !anyNA(stratum))
    d$stratum <- as.character(stratum)
  }
  k <- length(levels)
  fields <- list(
    name = json_string(name),
    description = json_string(description),
    r_version = json_string(R.version.string),
    survival_version = json_string(as.character(packageVersion("survival"))),
    survminer_version = json_string(as.character(packageVersion("survminer"))),
    mvtnorm_version = json_string(as.character(packageVersion("mvtnorm"))),
    levels = json_strings(levels),
    data = json_object(list(
      time = json_array(d$time),
      status = json_array(d$status),
      group = json_strings(as.character(d$group)),
      stratum = if (!is.null(stratum)) json_strings(d$stratum)
    )),
    weighted = json_list(lapply(weights, function(w) weighted_json(d, w))),
    stratified = if (!is.null(stratum)) {
      json_list(lapply(weights, function(w) weighted_json(d, w, stratified = TRUE)))
    }
  )
  if (k >= 3) {
    scores <- list(seq_len(k), if (is.null(trend_scores)) 2^(seq_len(k) - 1) - 1 else trend_scores)
    trend_weights <- list(W("logrank"), W("peto_peto"), W("fleming_harrington", 0, 1),
                          W("gehan_breslow"), W("tarone_ware"))
    items <- list()
    for (s in scores) for (w in trend_weights) items[[length(items) + 1]] <- trend_json(d, w, s)
    if (!is.null(stratum)) {
      for (w in trend_weights[1:2]) items[[length(items) + 1]] <- trend_json(d, w, seq_len(k), TRUE)
    }
    fields$trend <- json_list(items)
    pw_weights <- list(W("logrank"), W("peto_peto"), W("gehan_breslow"),
                       W("fleming_harrington", 0, 1))
    fields$pairwise <- json_list(lapply(pw_weights, function(w) pairwise_json(d, w)))
  }
  if (k == 2) fields$maxcombo <- maxcombo_json(d)
  writeLines(json_object(fields), file.path(out_dir, paste0(name, ".json")), useBytes = TRUE)
  cat("wrote", file.path(out_dir, paste0(name, ".json")), "\n")
  cross_checks[[name]] <<- d
}

# survival::veteran, two arms; strata = cell type.
write_fixture("veteran", "survival::veteran, group = trt (1 standard, 2 test), strata = celltype",
              veteran$time, veteran$status, veteran$trt, c("1", "2"), veteran$celltype)

# survival::veteran by cell type: four ordered-by-label groups, strata = trt.
write_fixture("veteran_celltype", "survival::veteran, group = celltype (4 levels), strata = trt",
              veteran$time, veteran$status, veteran$celltype, levels(veteran$celltype), veteran$trt)

write_fixture("lung", paste("survival::lung, event = (status == 2), group = sex (1 male,",
                            "2 female), strata = age >= 65"),
              lung$time, as.integer(lung$status == 2), lung$sex, c("1", "2"),
              ifelse(lung$age >= 65, "65+", "<65"))

write_fixture("ovarian", "survival::ovarian, time = futime, event = fustat, group = rx, strata = resid.ds",
              ovarian$futime, ovarian$fustat, ovarian$rx, c("1", "2"), ovarian$resid.ds)

write_fixture("aml", "survival::aml, group = x (Maintained, Nonmaintained); no strata",
              aml$time, aml$status, as.character(aml$x), c("Maintained", "Nonmaintained"))

colon2 <- colon[colon$etype == 2, ]
write_fixture("colon", "survival::colon, etype == 2 (death), group = rx (3 arms), strata = sex",
              colon2$time, colon2$status, as.character(colon2$rx), levels(colon2$rx),
              colon2$sex)

pbc2 <- pbc[!is.na(pbc$trt), ]
write_fixture("pbc", paste("survival::pbc, rows with trt (the trial), event = (status == 2),",
                           "group = trt (1 D-penicillamine, 2 placebo), strata = edema"),
              pbc2$time, as.integer(pbc2$status == 2), pbc2$trt, c("1", "2"), pbc2$edema)

# Heavy ties: 3 groups on a 1..6 grid, ties within and across groups, events and
# censorings at the same times, a time-0 censoring (the set of make_fixtures.R), and two
# interleaved strata.
write_fixture(
  "ties",
  "constructed: heavy ties on a 1..6 grid, 3 interleaved groups, 2 strata",
  time = c(3, 1, 2, 2, 4, 1, 3, 5, 2, 6, 1, 4, 3, 2, 5, 4, 1, 6, 3, 2,
           4, 5, 2, 3, 1, 6, 4, 2, 3, 5, 0, 6, 2, 4, 3, 1, 5, 3, 4, 2),
  status = c(1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1,
             0, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1),
  group = c("ctrl", "A", "B", "ctrl", "A", "B", "ctrl", "A", "B", "ctrl",
            "A", "B", "ctrl", "A", "B", "ctrl", "A", "B", "ctrl", "A",
            "B", "ctrl", "A", "B", "ctrl", "A", "B", "ctrl", "A", "B",
            "ctrl", "A", "B", "ctrl", "A", "B", "ctrl", "A", "B", "ctrl"),
  levels = c("ctrl", "A", "B"),
  stratum = rep(c("s1", "s1", "s2", "s2"), 10)
)

# Three arms with a dose order, one arm tiny (4 patients), crossing curves; scores given
# as doses.
write_fixture(
  "three_arm",
  "constructed: placebo / low / high dose, 'high' has 4 patients, doses 0, 10, 40 as scores",
  time = c(5, 8, 12, 3, 15, 22, 9, 30, 2, 18, 11, 25, 7, 14, 40, 6,
           4, 10, 16, 28, 35, 1, 20, 13, 26, 33, 19, 8,
           2, 3, 45, 50),
  status = c(1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1,
             1, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1,
             1, 1, 0, 0),
  group = c(rep("placebo", 16), rep("low", 12), rep("high", 4)),
  levels = c("placebo", "low", "high"),
  stratum = rep(c("site1", "site2"), 16),
  trend_scores = c(0, 10, 40)
)

# One arm censored before the first event: its expected count is 0, survdiff leaves it out
# of the chi-square (df = 1), and its pairs have chi-square 0 and P = 1 (pairwise_survdiff).
write_fixture(
  "censored_arm",
  "constructed: arm 'lost' is censored before any event (E = 0)",
  time = c(0.5, 0.8, 0.9, 2, 4, 6, 8, 10, 12, 3, 5, 7, 9, 11, 13),
  status = c(0, 0, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1),
  group = c("lost", "lost", "lost", rep("a", 6), rep("b", 6)),
  levels = c("a", "b", "lost")
)

# Two arms, one without events (the Cox estimate diverges; these tests do not).
write_fixture(
  "noevents_arm",
  "constructed: arm 'exp' has no events",
  time = c(2, 5, 3, 8, 4, 9, 6, 12, 7, 15, 10, 11, 13, 14),
  status = c(1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0),
  group = c("ctrl", "exp", "ctrl", "exp", "ctrl", "exp", "ctrl", "exp",
            "ctrl", "exp", "ctrl", "exp", "ctrl", "exp"),
  levels = c("ctrl", "exp")
)

# Crossing curves (delayed effect): 'immuno' dies early and then plateaus, as in the
# non-proportional hazards MaxCombo is meant for.
write_fixture(
  "crossing",
  "constructed: crossing survival curves (early harm, late benefit), two arms",
  time = c(1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20, 24, 28, 30, 36,
           1, 1, 2, 2, 3, 3, 4, 5, 30, 32, 34, 36, 40, 42, 44, 46, 48, 50, 52, 54),
  status = c(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 0,
             1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0),
  group = c(rep("chemo", 20), rep("immuno", 20)),
  levels = c("chemo", "immuno")
)

# ---------------------------------------------------------------------------------------
# Multivariate normal rectangles: P(lower <= X <= upper), X ~ N(0, corr). The reference
# (`algorithm` in the fixture) is an exact formula where the structure has one (below),
# else mvtnorm's Miwa algorithm (steps = 4096; good to ~1e-10), else, for singular
# matrices (which Miwa cannot take), GenzBretz at abseps 1e-10 with its error estimate.

# Gauss-Legendre nodes and weights on [-1, 1] (Golub-Welsch).
gauss_legendre <- function(n) {
  b <- seq_len(n - 1) / sqrt(4 * seq_len(n - 1)^2 - 1)
  j <- matrix(0, n, n)
  j[cbind(1:(n - 1), 2:n)] <- b
  j[cbind(2:n, 1:(n - 1))] <- b
  e <- eigen(j, symmetric = TRUE)
  list(x = e$values, w = 2 * e$vectors[1, ]^2)
}

# Exact references, to ~1e-15, for two structures (the tests showed Miwa off by 1e-10):
# equicorrelated rho >= 0 is one-factor, P = int phi(u) prod_j [Phi((b_j - sqrt(rho) u) /
# sqrt(1 - rho)) - Phi((a_j - sqrt(rho) u) / sqrt(1 - rho))] du; AR(1) is a Markov chain,
# X_{k+1} = r X_k + sqrt(1 - r^2) e, so P is a product of transition kernels on each
# interval, integrated by 400-point Gauss-Legendre rules (bounds clipped to +-12); the
# one-factor integral by a composite Gauss-Legendre rule on [-12, 12].
equi_exact <- function(rho, lower, upper) {
  f <- function(u) {
    vapply(u, function(v) {
      dnorm(v) * prod(pnorm((upper - sqrt(rho) * v) / sqrt(1 - rho)) -
                        pnorm((lower - sqrt(rho) * v) / sqrt(1 - rho)))
    }, 0)
  }
  # Composite rule: 96 panels of width 1/4, 40 nodes each (the integrand is steep when
  # rho is near 1).
  g <- gauss_legendre(40)
  edges <- seq(-12, 12, by = 0.25)
  sum(vapply(seq_len(length(edges) - 1), function(i) {
    h <- (edges[i + 1] - edges[i]) / 2
    sum(h * g$w * f(edges[i] + h * (1 + g$x)))
  }, 0))
}
ar1_exact <- function(r, lower, upper) {
  g <- gauss_legendre(400)
  nodes <- lapply(seq_along(lower), function(k) {
    a <- max(lower[k], -12)
    b <- min(upper[k], 12)
    list(x = (a + b) / 2 + (b - a) / 2 * g$x, w = (b - a) / 2 * g$w)
  })
  s <- sqrt(1 - r^2)
  f <- dnorm(nodes[[1]]$x)
  for (k in seq_along(lower)[-1]) {
    kern <- outer(nodes[[k - 1]]$x, nodes[[k]]$x, function(a, b) dnorm((b - r * a) / s) / s)
    f <- drop((f * nodes[[k - 1]]$w) %*% kern)
  }
  sum(f * nodes[[length(lower)]]$w)
}

mvn_case <- function(name, corr, lower, upper, exact = NULL) {
  singular <- min(eigen(corr, symmetric = TRUE, only.values = TRUE)$values) < 1e-10
  set.seed(20261128)
  algorithm <- if (!is.null(exact)) "exact" else if (nrow(corr) <= 5 && !singular) "Miwa" else "GenzBretz"
  p <- switch(algorithm,
    exact = structure(exact, error = 0),
    Miwa = pmvnorm(lower, upper, corr = corr, algorithm = Miwa(steps = 4096)),
    GenzBretz = pmvnorm(lower, upper, corr = corr,
                        algorithm = GenzBretz(maxpts = 3e7, abseps = 1e-10, releps = 0)))
  if (algorithm == "exact") {
    # The exact value must agree with pmvnorm to pmvnorm's accuracy.
    check <- pmvnorm(lower, upper, corr = corr,
                     algorithm = if (nrow(corr) <= 5) Miwa(steps = 4096) else GenzBretz(maxpts = 3e7, abseps = 1e-10, releps = 0))
    stopifnot(abs(check[1] - exact) < 1e-8)
  }
  json_object(list(
    name = json_string(name),
    corr = json_matrix(corr),
    lower = json_array(lower),
    upper = json_array(upper),
    p = json_scalar(p[1]),
    algorithm = json_string(algorithm),
    error = json_scalar(if (is.null(attr(p, "error")) || is.na(attr(p, "error"))) 0 else attr(p, "error"))
  ))
}
equi <- function(d, r) { m <- matrix(r, d, d); diag(m) <- 1; m }
ar1 <- function(d, r) r^abs(outer(seq_len(d), seq_len(d), "-"))
# A full-rank matrix with MaxCombo-like correlations (0.5 to 0.95).
mixed <- local({
  a <- matrix(c(1.0, 0.2, 0.1, 0.3,
                0.9, 0.5, 0.2, 0.1,
                1.0, 0.1, 0.4, 0.2,
                0.8, 0.6, 0.1, 0.4), 4, 4, byrow = TRUE)
  cov2cor(a %*% t(a))
})
# The MaxCombo correlation of survival::veteran by trt: rank 3.
veteran_corr <- local({
  tab <- risk_table(veteran$time, veteran$status, veteran$trt, 2)
  wt <- sapply(maxcombo_weights, function(w) weight_values(tab, w))
  v <- ifelse(tab$n > 1, tab$d * (tab$n - tab$d) / pmax(tab$n - 1, 1) * tab$ng[, 1] * tab$ng[, 2] / tab$n^2, 0)
  cov2cor(t(wt) %*% (wt * v))
})
cases <- list(
  mvn_case("equicorrelated 0.5, |x| <= 2.2", equi(4, 0.5), rep(-2.2, 4), rep(2.2, 4),
           equi_exact(0.5, rep(-2.2, 4), rep(2.2, 4))),
  mvn_case("equicorrelated 0.9, |x| <= 2.5", equi(4, 0.9), rep(-2.5, 4), rep(2.5, 4),
           equi_exact(0.9, rep(-2.5, 4), rep(2.5, 4))),
  mvn_case("equicorrelated 0.99, |x| <= 1.5", equi(4, 0.99), rep(-1.5, 4), rep(1.5, 4),
           equi_exact(0.99, rep(-1.5, 4), rep(1.5, 4))),
  mvn_case("equicorrelated 0.999, asymmetric", equi(4, 0.999), c(-2, -1.5, -2.5, -1), c(1, 2, 0.5, 3),
           equi_exact(0.999, c(-2, -1.5, -2.5, -1), c(1, 2, 0.5, 3))),
  mvn_case("MaxCombo-like mixed correlation, |x| <= 2.1", mixed, rep(-2.1, 4), rep(2.1, 4)),
  mvn_case("MaxCombo-like mixed correlation, |x| <= 3.8", mixed, rep(-3.8, 4), rep(3.8, 4)),
  mvn_case("MaxCombo-like mixed correlation, |x| <= 0.4", mixed, rep(-0.4, 4), rep(0.4, 4)),
  mvn_case("AR(1) 0.6, asymmetric and infinite bounds", ar1(4, 0.6),
           c(-1, -Inf, -0.5, 0), c(2, 1.5, Inf, 3), ar1_exact(0.6, c(-1, -Inf, -0.5, 0), c(2, 1.5, Inf, 3))),
  mvn_case("negative correlation, 3 dimensions", matrix(c(1, -0.4, 0.2, -0.4, 1, -0.3, 0.2, -0.3, 1), 3),
           c(-1.2, -0.7, -2), c(0.8, 1.9, 0.1)),
  mvn_case("singular (MaxCombo of survival::veteran), |x| <= 1.2", veteran_corr, rep(-1.2, 4), rep(1.2, 4)),
  mvn_case("singular (MaxCombo of survival::veteran), |x| <= 2.6", veteran_corr, rep(-2.6, 4), rep(2.6, 4)),
  mvn_case("two dimensions, 0.7", equi(2, 0.7), c(-1, -2), c(1.5, 0.5)),
  mvn_case("five dimensions, AR(1) 0.8", ar1(5, 0.8), rep(-2, 5), rep(2, 5),
           ar1_exact(0.8, rep(-2, 5), rep(2, 5))),
  mvn_case("six dimensions (lattice rule), AR(1) 0.5", ar1(6, 0.5), rep(-2, 6), rep(2, 6),
           ar1_exact(0.5, rep(-2, 6), rep(2, 6)))
)
writeLines(json_object(list(
  r_version = json_string(R.version.string),
  mvtnorm_version = json_string(as.character(packageVersion("mvtnorm"))),
  cases = json_list(cases)
)), file.path(out_dir, "mvn.json"), useBytes = TRUE)
cat("wrote", file.path(out_dir, "mvn.json"), "\n")

# ---------------------------------------------------------------------------------------
# Cross-checks printed for the record (not written to the fixtures)

# survMisc::comp (textbook formulas; its S1 is K&M's S~, S2 the modified Peto-Peto):
# for two groups, Q^2/Var against our chi-square.
if (requireNamespace("survMisc", quietly = TRUE)) {
  suppressPackageStartupMessages(library(survMisc))
  cat("\nsurvMisc::comp vs by-hand chi-square (two-group sets), max relative difference:\n")
  map <- list("1" = W("logrank"), n = W("gehan_breslow"), sqrtN = W("tarone_ware"),
              S1 = W("peto_peto_tilde"), S2 = W("modified_peto_peto"),
              "FH_p=1_q=1" = W("fleming_harrington", 1, 1),
              "FH_p=0.5_q=2" = W("fleming_harrington", 0.5, 2))
  for (nm in names(cross_checks)) {
    d <- cross_checks[[nm]]
    if (nlevels(d$group) != 2) next
    t <- ten(survfit(Surv(time, status) ~ group, data = d))
    invisible(capture.output(comp(t, p = c(1, 0.5), q = c(1, 2))))
    lrt <- attr(t, "lrt")
    diffs <- vapply(names(map), function(key) {
      row <- lrt[lrt$W == key, ]
      ours <- chisq_of(by_hand(d, map[[key]]))$chisq
      abs(row$Q^2 / row$Var - ours) / ours
    }, 0)
    cat(sprintf("  %-14s %s\n", nm, paste(sprintf("%s %.1e", names(diffs), diffs), collapse = ", ")))
  }
}

# coin::logrank_test: a permutation-variance statistic, shown against the hypergeometric
# chi-square to document the difference.
if (requireNamespace("coin", quietly = TRUE)) {
  cat("\ncoin::logrank_test statistic^2 (2 groups) or statistic (k groups) vs ours:\n")
  coin_types <- list("logrank" = W("logrank"), "Gehan-Breslow" = W("gehan_breslow"),
                     "Tarone-Ware" = W("tarone_ware"), "Peto-Peto" = W("peto_peto_tilde"),
                     "Fleming-Harrington" = W("fleming_harrington", 1, 1))
  for (nm in names(cross_checks)) {
    d <- cross_checks[[nm]]
    out <- vapply(names(coin_types), function(type) {
      lt <- if (type == "Fleming-Harrington") {
        coin::logrank_test(Surv(time, status) ~ group, data = d, type = type, rho = 1, gamma = 1)
      } else {
        coin::logrank_test(Surv(time, status) ~ group, data = d, type = type)
      }
      st <- coin::statistic(lt)
      chi_coin <- if (nlevels(d$group) == 2) st^2 else st
      ours <- chisq_of(by_hand(d, coin_types[[type]]))$chisq
      sprintf("%s coin %.6g ours %.6g", type, chi_coin, ours)
    }, "")
    cat(sprintf("  %s:\n    %s\n", nm, paste(out, collapse = "\n    ")))
  }
}
