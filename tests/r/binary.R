# Golden fixtures for the binary-endpoint statistics of survcalc-core
# (crates/stats/src/binary/mod.rs) and its adverse-event table (crates/stats/src/binary/adverse.rs).
#
# Run from the repository root:
#
#     Rscript tests/r/binary.R
#
# Needs the Debian packages r-cran-epitools and r-cran-metafor (references for the Wald
# ratio intervals). Writes into tests/fixtures/binary/ (read by crates/core/tests/suite/binary.rs):
#
#   proportions.json  one proportion x/n: binom.test(x, n, p, alternative, conf.level)
#                     (P value, Clopper-Pearson interval) and prop.test(x, n, p, alternative,
#                     conf.level, correct = TRUE / FALSE) (statistic, P value, Wilson interval,
#                     warnings)
#   two_by_two.json   two arms x1/n1 vs x2/n2, as matrix(c(x1, x2, n1 - x1, n2 - x2), 2):
#                     fisher.test (P, conditional MLE, exact interval) as R prints it and
#                     the same code with uniroot(tol = 1e-300) (the exact roots), one-sided
#                     alternatives; chisq.test(correct = TRUE / FALSE) with expected counts
#                     and warnings; the risk difference with Newcombe's hybrid score
#                     interval (methods 10 and 11, written out below from the paper) and
#                     Wald; epitools riskratio.wald / oddsratio.wald; metafor escalc with
#                     add = 1/2, to = "only0"
#   tables.json       r x c tables: fisher.test(x)$p.value (FEXACT) and chisq.test(x)
#   adverse.json      adverse-event records (patient, arm, term, grade) of a constructed
#                     64-patient trial shaped like the reference trial, the same data as
#                     per-patient columns, and the expected table rows computed here with
#                     aggregate / fisher.test / chisq.test
#
# Number format: every finite number is written with sprintf("%.17g", x), which
# round-trips to the same double. Non-finite numbers are written as the strings "Inf",
# "-Inf", "NaN" and "NA" (the odds ratio's Inf is a real answer here, not a missing one).
# jsonlite is not used: the JSON text is built by hand.

suppressPackageStartupMessages({
  library(epitools)
  library(metafor)
})

out_dir <- file.path("tests", "fixtures", "binary")
if (!dir.exists(file.path("tests", "fixtures"))) {
  stop("run from the repository root: tests/fixtures/ not found")
}
dir.create(out_dir, showWarnings = FALSE)

# ---------------------------------------------------------------------------------------
# JSON writing: tests/r/json.R, with non-finite numbers as the strings "NA", "NaN", "Inf",
# "-Inf" (json_scalar, json_array and json_matrix use this json_num) and a json_bool that
# takes NA as false.

source(file.path("tests", "r", "json.R"))  # run from the repository root

json_num <- function(x) {
  x <- as.double(x)
  ifelse(is.finite(x), sprintf("%.17g", x),
         ifelse(is.na(x) & !is.nan(x), "\"NA\"",
                ifelse(is.nan(x), "\"NaN\"", ifelse(x > 0, "\"Inf\"", "\"-Inf\""))))
}
json_bool <- function(b) if (isTRUE(b)) "true" else "false"
# A JSON value for an optional grade (NA -> null).
json_grade <- function(g) ifelse(is.na(g), "null", sprintf("%d", as.integer(g)))

versions <- function() {
  list(
    r_version = json_string(R.version.string),
    epitools_version = json_string(as.character(packageVersion("epitools"))),
    metafor_version = json_string(as.character(packageVersion("metafor")))
  )
}

write_json <- function(name, fields) {
  path <- file.path(out_dir, paste0(name, ".json"))
  writeLines(json_object(c(versions(), fields)), path, useBytes = TRUE)
  cat("wrote", path, "\n")
}

ci_json <- function(ci) json_object(list(lower = json_scalar(ci[1]), upper = json_scalar(ci[2])))

# ---------------------------------------------------------------------------------------
# One proportion

proportion_case <- function(x, n, conf.level = 0.95, p = 0.5, alternative = "two.sided") {
  b <- binom.test(x, n, p = p, alternative = alternative, conf.level = conf.level)
  pt <- function(correct) {
    r <- with_warnings(prop.test(x, n, p = p, alternative = alternative,
                                 conf.level = conf.level, correct = correct))
    json_object(list(
      statistic = json_scalar(r$value$statistic),
      p_value = json_scalar(r$value$p.value),
      conf_int = ci_json(r$value$conf.int),
      method = json_string(r$value$method),
      warnings = json_strings(r$warnings)
    ))
  }
  json_object(list(
    x = json_scalar(x), n = json_scalar(n), conf_level = json_scalar(conf.level),
    p = json_scalar(p), alternative = json_string(alternative),
    binom = json_object(list(
      p_value = json_scalar(b$p.value),
      conf_int = ci_json(b$conf.int)
    )),
    prop_cc = pt(TRUE),
    prop_plain = pt(FALSE)
  ))
}

proportion_cases <- list(
  # The reference trial's response rates.
  proportion_case(13, 32), proportion_case(1, 32),
  proportion_case(13, 32, conf.level = 0.90), proportion_case(13, 32, conf.level = 0.99),
  # Edges: no events, all events, x = n/2 (R's correction shrinks to 0), tiny n.
  proportion_case(0, 32), proportion_case(32, 32), proportion_case(16, 32),
  proportion_case(0, 1), proportion_case(1, 1), proportion_case(1, 2), proportion_case(2, 3),
  # Large n, rare and common events.
  proportion_case(480, 1000), proportion_case(430, 1000), proportion_case(3, 10000),
  proportion_case(1, 10000), proportion_case(0, 10000), proportion_case(5000, 10000),
  proportion_case(9990, 10000), proportion_case(123456, 1000000),
  # A single-arm design's test against a null response rate, one- and two-sided.
  proportion_case(13, 32, p = 0.2), proportion_case(13, 32, p = 0.2, alternative = "greater"),
  proportion_case(13, 32, p = 0.2, alternative = "less"),
  proportion_case(3, 40, p = 0.05), proportion_case(3, 40, p = 0.05, alternative = "greater"),
  proportion_case(7, 25, conf.level = 0.8, p = 0.3, alternative = "less"),
  proportion_case(15, 25, p = 0.6), proportion_case(250, 1000, p = 0.25)
)
write_json("proportions", list(cases = json_list(proportion_cases)))

# ---------------------------------------------------------------------------------------
# Two proportions

# R's fisher.test, 2 x 2 branch, with the uniroot tolerance as an argument (R passes none,
# i.e. .Machine$double.eps^0.25). Copied from stats::fisher.test (R 4.2) so that the exact
# roots can be computed by the same code; checked below to reproduce fisher.test exactly at
# the default tolerance.
fisher_2x2 <- function(x, alternative = "two.sided", or = 1, conf.level = 0.95,
                       tol = .Machine$double.eps^0.25) {
  m <- sum(x[, 1L]); n <- sum(x[, 2L]); k <- sum(x[1L, ]); x <- x[1L, 1L]
  lo <- max(0L, k - n); hi <- min(k, m)
  support <- lo:hi
  logdc <- dhyper(support, m, n, k, log = TRUE)
  dnhyper <- function(ncp) {
    d <- logdc + log(ncp) * support
    d <- exp(d - max(d))
    d / sum(d)
  }
  mnhyper <- function(ncp) {
    if (ncp == 0) return(lo)
    if (ncp == Inf) return(hi)
    sum(support * dnhyper(ncp))
  }
  pnhyper <- function(q, ncp = 1, upper.tail = FALSE) {
    if (ncp == 1) {
      return(if (upper.tail) phyper(x - 1, m, n, k, lower.tail = FALSE) else phyper(x, m, n, k))
    }
    if (ncp == 0) return(as.numeric(if (upper.tail) q <= lo else q >= lo))
    if (ncp == Inf) return(as.numeric(if (upper.tail) q <= hi else q >= hi))
    sum(dnhyper(ncp)[if (upper.tail) support >= q else support <= q])
  }
  ur <- function(f, interval) uniroot(f, interval, tol = tol)$root
  PVAL <- switch(alternative,
    less = pnhyper(x, or), greater = pnhyper(x, or, upper.tail = TRUE),
    two.sided = {
      if (or == 0) as.numeric(x == lo) else if (or == Inf) as.numeric(x == hi) else {
        relErr <- 1 + 10^(-7)
        d <- dnhyper(or)
        sum(d[d <= d[x - lo + 1] * relErr])
      }
    })
  mle <- function(x) {
    if (x == lo) return(0)
    if (x == hi) return(Inf)
    mu <- mnhyper(1)
    if (mu > x) ur(function(t) mnhyper(t) - x, c(0, 1))
    else if (mu < x) 1 / ur(function(t) mnhyper(1 / t) - x, c(.Machine$double.eps, 1))
    else 1
  }
  ncp.U <- function(x, alpha) {
    if (x == hi) return(Inf)
    p <- pnhyper(x, 1)
    if (p < alpha) ur(function(t) pnhyper(x, t) - alpha, c(0, 1))
    else if (p > alpha) 1 / ur(function(t) pnhyper(x, 1 / t) - alpha, c(.Machine$double.eps, 1))
    else 1
  }
  ncp.L <- function(x, alpha) {
    if (x == lo) return(0)
    p <- pnhyper(x, 1, upper.tail = TRUE)
    if (p > alpha) ur(function(t) pnhyper(x, t, upper.tail = TRUE) - alpha, c(0, 1))
    else if (p < alpha) 1 / ur(function(t) pnhyper(x, 1 / t, upper.tail = TRUE) - alpha,
                               c(.Machine$double.eps, 1))
    else 1
  }
  CINT <- switch(alternative,
    less = c(0, ncp.U(x, 1 - conf.level)),
    greater = c(ncp.L(x, 1 - conf.level), Inf),
    two.sided = {
      alpha <- (1 - conf.level) / 2
      c(ncp.L(x, alpha), ncp.U(x, alpha))
    })
  list(p.value = PVAL, estimate = mle(x), conf.int = CINT)
}

# Wilson interval with Newcombe's continuity correction (Newcombe 1998, Stat Med 17:857,
# method 4), written from the paper's closed form (a different algebraic route from the
# p_c form survcalc and prop.test use): with q = 1 - p,
#   L = (2np + z^2 - 1 - z sqrt(z^2 - 2 - 1/n + 4p(nq + 1))) / (2(n + z^2)), 0 if p = 0,
#   U = (2np + z^2 + 1 + z sqrt(z^2 + 2 - 1/n + 4p(nq - 1))) / (2(n + z^2)), 1 if p = 1.
wilson_cc_newcombe <- function(x, n, z) {
  p <- x / n; q <- 1 - p
  L <- if (p == 0) 0 else
    (2 * n * p + z^2 - 1 - z * sqrt(z^2 - 2 - 1 / n + 4 * p * (n * q + 1))) / (2 * (n + z^2))
  U <- if (p == 1) 1 else
    (2 * n * p + z^2 + 1 + z * sqrt(z^2 + 2 - 1 / n + 4 * p * (n * q - 1))) / (2 * (n + z^2))
  c(L, U)
}

# Newcombe's hybrid score interval for p1 - p2 (Newcombe 1998, Stat Med 17:873, methods 10
# and 11): delta = p1 - p2,
#   L = delta - sqrt((p1 - l1)^2 + (u2 - p2)^2),  U = delta + sqrt((u1 - p1)^2 + (p2 - l2)^2)
# with (l_i, u_i) the Wilson limits of arm i: uncorrected (method 10, from
# prop.test(correct = FALSE)) or continuity-corrected (method 11, from the formula above).
newcombe <- function(x1, n1, x2, n2, conf.level, cc) {
  z <- qnorm((1 + conf.level) / 2)
  w <- function(x, n) {
    if (cc) wilson_cc_newcombe(x, n, z)
    else suppressWarnings(prop.test(x, n, correct = FALSE, conf.level = conf.level)$conf.int)
  }
  w1 <- w(x1, n1); w2 <- w(x2, n2)
  p1 <- x1 / n1; p2 <- x2 / n2; d <- p1 - p2
  c(d - sqrt((p1 - w1[1])^2 + (w2[2] - p2)^2), d + sqrt((w1[2] - p1)^2 + (p2 - w2[1])^2))
}

# Wald interval of p1 - p2 (Newcombe 1998, method 1).
wald_rd <- function(x1, n1, x2, n2, conf.level) {
  p1 <- x1 / n1; p2 <- x2 / n2
  z <- qnorm((1 + conf.level) / 2)
  se <- sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
  c(p1 - p2 - z * se, p1 - p2 + z * se)
}

ratio_json <- function(est, lower, upper) {
  json_object(list(estimate = json_scalar(est), lower = json_scalar(lower),
                   upper = json_scalar(upper)))
}

escalc_json <- function(measure, x1, n1, x2, n2, conf.level) {
  e <- escalc(measure = measure, ai = x1, bi = n1 - x1, ci = x2, di = n2 - x2,
              add = 1/2, to = "only0")
  z <- qnorm((1 + conf.level) / 2)
  yi <- as.numeric(e$yi); vi <- as.numeric(e$vi)
  json_object(list(
    estimate = json_scalar(exp(yi)), log_se = json_scalar(sqrt(vi)),
    lower = json_scalar(exp(yi - z * sqrt(vi))), upper = json_scalar(exp(yi + z * sqrt(vi))),
    corrected = json_bool(any(c(x1, n1 - x1, x2, n2 - x2) == 0))
  ))
}

chisq_json <- function(m, correct) {
  r <- with_warnings(chisq.test(m, correct = correct))
  json_object(list(
    statistic = json_scalar(r$value$statistic),
    df = json_scalar(r$value$parameter),
    p_value = json_scalar(r$value$p.value),
    expected = json_matrix(r$value$expected),
    method = json_string(r$value$method),
    warnings = json_strings(r$warnings)
  ))
}

fisher_json <- function(f) {
  json_object(list(p_value = json_scalar(f$p.value), estimate = json_scalar(f$estimate),
                   conf_int = ci_json(f$conf.int)))
}

two_by_two_case <- function(x1, n1, x2, n2, conf.level = 0.95, description = "") {
  m <- matrix(c(x1, x2, n1 - x1, n2 - x2), 2)
  f <- fisher.test(m, conf.level = conf.level)
  mine <- fisher_2x2(m, conf.level = conf.level)
  stopifnot(identical(unname(f$p.value), mine$p.value),
            identical(unname(f$estimate), mine$estimate),
            identical(as.numeric(f$conf.int), as.numeric(mine$conf.int)))
  exact <- fisher_2x2(m, conf.level = conf.level, tol = 1e-300)
  one_sided <- function(alt) {
    fo <- fisher.test(m, alternative = alt, conf.level = conf.level)
    fisher_json(fo)
  }
  # epitools wants the reference (arm 2) in row 1 and the event in column 2.
  ep <- matrix(c(n2 - x2, n1 - x1, x2, x1), 2)
  rr <- suppressWarnings(riskratio.wald(ep, conf.level = conf.level)$measure[2, ])
  or <- suppressWarnings(oddsratio.wald(ep, conf.level = conf.level)$measure[2, ])
  json_object(list(
    description = json_string(description),
    x1 = json_scalar(x1), n1 = json_scalar(n1), x2 = json_scalar(x2), n2 = json_scalar(n2),
    conf_level = json_scalar(conf.level),
    fisher = fisher_json(f),
    fisher_exact_roots = fisher_json(exact),
    fisher_less = one_sided("less"),
    fisher_greater = one_sided("greater"),
    chisq_corrected = chisq_json(m, TRUE),
    chisq_uncorrected = chisq_json(m, FALSE),
    newcombe = ci_json(newcombe(x1, n1, x2, n2, conf.level, cc = FALSE)),
    newcombe_cc = ci_json(newcombe(x1, n1, x2, n2, conf.level, cc = TRUE)),
    wald_rd = ci_json(wald_rd(x1, n1, x2, n2, conf.level)),
    risk_ratio = ratio_json(rr[1], rr[2], rr[3]),
    odds_ratio = ratio_json(or[1], or[2], or[3]),
    risk_ratio_half = escalc_json("RR", x1, n1, x2, n2, conf.level),
    odds_ratio_half = escalc_json("OR", x1, n1, x2, n2, conf.level)
  ))
}

two_by_two_cases <- list(
  two_by_two_case(13, 32, 1, 32, description = "reference trial: objective response"),
  two_by_two_case(7, 32, 5, 32, description = "reference trial: grade 3-4 diarrhoea"),
  two_by_two_case(6, 32, 2, 32, description = "reference trial: grade 3-4 hand-foot syndrome"),
  two_by_two_case(7, 32, 0, 32, description = "reference trial: grade 3-4 thrombocytopenia"),
  two_by_two_case(13, 32, 1, 32, conf.level = 0.90, description = "response, 90% intervals"),
  two_by_two_case(13, 32, 1, 32, conf.level = 0.99, description = "response, 99% intervals"),
  two_by_two_case(480, 1000, 430, 1000, description = "large n"),
  two_by_two_case(5000, 10000, 4900, 10000, description = "n = 10,000 per arm"),
  two_by_two_case(3, 10000, 15, 10000, description = "rare events, n = 10,000"),
  two_by_two_case(9990, 10000, 9950, 10000, description = "almost all events, n = 10,000"),
  two_by_two_case(0, 20, 5, 20, description = "no events in arm 1"),
  two_by_two_case(10, 10, 3, 10, description = "all events in arm 1"),
  two_by_two_case(0, 5, 0, 7, description = "no events at all"),
  two_by_two_case(20, 20, 20, 20, description = "all events in both arms"),
  two_by_two_case(5, 10, 5, 10, description = "identical arms (estimate exactly 1)"),
  two_by_two_case(3, 7, 4, 7, description = "symmetric margins, two modes"),
  two_by_two_case(1, 2, 0, 1, description = "tiny n"),
  two_by_two_case(1, 1, 0, 1, description = "one patient per arm"),
  two_by_two_case(2, 5, 40, 60, description = "unbalanced arms"),
  two_by_two_case(15, 25, 3, 25, description = "moderate effect"),
  two_by_two_case(12, 30, 14, 30, description = "small difference")
)
write_json("two_by_two", list(cases = json_list(two_by_two_cases)))

# ---------------------------------------------------------------------------------------
# r x c tables

table_case <- function(m, description) {
  f <- fisher.test(m)
  json_object(list(
    description = json_string(description),
    table = json_matrix(m),
    fisher_p = json_scalar(f$p.value),
    chisq = chisq_json(m, TRUE)
  ))
}
table_cases <- list(
  table_case(matrix(c(7, 25, 5, 27, 2, 30), 2), "three arms, events / no events"),
  table_case(matrix(c(3, 0, 5, 1, 2, 5, 0, 4, 1), 3), "3 x 3 with zeros"),
  table_case(matrix(c(0, 5, 0, 3, 0, 4), 2), "a zero row: chi-square undefined"),
  table_case(matrix(c(4, 4, 2, 2, 6, 6, 1, 1), 2), "2 x 4 with tied table probabilities"),
  table_case(matrix(c(1, 2, 1, 0, 3, 3, 6, 1, 10, 10, 14, 9, 6, 7, 12, 11), 4, 4),
             "R fisher.test example: job satisfaction (Agresti 2002, p. 57)"),
  table_case(matrix(c(13, 1, 19, 31), 2), "a 2 x 2 table given as a matrix"),
  table_case(matrix(c(2, 3, 4, 20, 25, 30, 1, 0, 2), 3), "3 arms in rows, 3 outcomes")
)
write_json("tables", list(cases = json_list(table_cases)))

# ---------------------------------------------------------------------------------------
# Adverse events

# A constructed 64-patient trial (arms "HAIC" and "SOR", 32 each) whose grade 3-4 events are
# those of the reference trial: diarrhoea 7 vs 5, hand-foot syndrome 6 vs 2,
# thrombocytopenia 7 vs 0. Patients have several records per term (the worst grade
# counts), lower-grade events, one grade-5 diarrhoea (worst grade 5: not grade 3-4), and
# one ungraded record. Everything is literal; no random numbers.
pid <- function(arm, i) sprintf("%s-%02d", arm, i)
rec <- data.frame(patient = character(0), arm = character(0), term = character(0),
                  grade = integer(0), stringsAsFactors = FALSE)
add <- function(arm, ids, term, grades) {
  # One record per (id, grade) pair: grades recycled over ids.
  g <- rep_len(grades, length(ids))
  rec <<- rbind(rec, data.frame(patient = pid(arm, ids), arm = arm, term = term,
                                grade = as.integer(g), stringsAsFactors = FALSE))
}
# Diarrhoea: HAIC 7 patients at worst grade 3-4 (two of them also had a grade-1 record
# first), 6 at grade 1-2; SOR 5 at grade 3-4, one grade 3 then 5 (worst 5), 4 at grade 1-2.
add("HAIC", c(1, 2), "Diarrhoea", 1)
add("HAIC", 1:7, "Diarrhoea", c(3, 3, 4, 3, 3, 4, 3))
add("HAIC", 8:13, "Diarrhoea", c(1, 2))
add("SOR", 1:5, "Diarrhoea", c(3, 4, 3, 3, 3))
add("SOR", 6, "Diarrhoea", 3)
add("SOR", 6, "Diarrhoea", 5)
add("SOR", 7:10, "Diarrhoea", c(2, 1))
# Hand-foot syndrome: HAIC 6 at grade 3, 10 at 1-2; SOR 2 at grade 3, 12 at 1-2 (one of the
# grade-3 patients recorded twice at grade 3).
add("HAIC", c(3, 9, 14, 15, 16, 17), "Hand-foot syndrome", 3)
add("HAIC", 18:27, "Hand-foot syndrome", c(1, 2))
add("SOR", c(11, 12, 12), "Hand-foot syndrome", 3)
add("SOR", 13:24, "Hand-foot syndrome", c(1, 1, 2))
# Thrombocytopenia: HAIC 7 at grade 3-4 (after grade 2 records for three), 5 at 1-2; SOR none
# at 3-4, 6 at 1-2.
add("HAIC", c(20, 21, 22), "Thrombocytopenia", 2)
add("HAIC", 20:26, "Thrombocytopenia", c(3, 4))
add("HAIC", 27:31, "Thrombocytopenia", 1)
add("SOR", 25:30, "Thrombocytopenia", c(1, 2))
# Fatigue: only grade 1-2 (no grade 3-4 row), and one record without a grade.
add("HAIC", 1:9, "Fatigue", c(1, 2))
add("SOR", 2:12, "Fatigue", 1)
rec <- rbind(rec, data.frame(patient = pid("SOR", 31), arm = "SOR", term = "Fatigue",
                             grade = NA_integer_, stringsAsFactors = FALSE))
arms <- c("HAIC", "SOR")
at_risk <- c(HAIC = 32, SOR = 32)
terms <- unique(rec$term)

# Worst grade per patient and term (NA only when no record of the pair has a grade).
key <- paste(rec$patient, rec$term, sep = "\r")
first <- !duplicated(key)
worst <- rec[first, c("patient", "arm", "term")]
worst$grade <- vapply(key[first], function(k) {
  g <- rec$grade[key == k]
  if (all(is.na(g))) NA_integer_ else max(g, na.rm = TRUE)
}, 0L)

# Expected rows: for each term (input order) the number of patients whose worst grade is in
# [lo, hi] (any grade when lo is NA), by arm; Fisher and chi-square P of the 2 x k table
# (events, no events) by arm.
row_json <- function(term, level, counts, denominators) {
  m <- rbind(counts, denominators - counts)
  f <- fisher.test(m)
  ch <- with_warnings(chisq.test(m))
  json_object(list(
    term = json_string(term), level = json_string(level),
    counts = json_array(counts), at_risk = json_array(denominators),
    fisher_p = json_scalar(f$p.value),
    chisq_p = json_scalar(ch$value$p.value),
    chisq_warnings = json_strings(ch$warnings)
  ))
}
ae_rows <- function(w, lo, hi, by_grade, denominators = at_risk) {
  rows <- list()
  for (t in terms) {
    wt <- w[w$term == t, ]
    sel <- if (is.na(lo)) rep(TRUE, nrow(wt)) else !is.na(wt$grade) & wt$grade >= lo & wt$grade <= hi
    counts <- vapply(arms, function(a) sum(sel & wt$arm == a), 0)
    if (sum(counts) == 0) next
    rows[[length(rows) + 1]] <- row_json(t, "all", counts, denominators)
    if (by_grade) {
      gs <- sort(unique(wt$grade[sel & !is.na(wt$grade)]))
      for (g in gs) {
        cg <- vapply(arms, function(a) sum(sel & wt$arm == a & !is.na(wt$grade) & wt$grade == g), 0)
        rows[[length(rows) + 1]] <- row_json(t, as.character(g), cg, denominators)
      }
      if (any(sel & is.na(wt$grade))) {
        cg <- vapply(arms, function(a) sum(sel & wt$arm == a & is.na(wt$grade)), 0)
        rows[[length(rows) + 1]] <- row_json(t, "not recorded", cg, denominators)
      }
    }
  }
  json_list(rows)
}

# The same trial as per-patient columns: one row per patient (all 64, in arm order), one
# column per term holding the worst grade (0 = no event), and a 0/1 column "Any grade 3-4".
patients <- c(pid("HAIC", 1:32), pid("SOR", 1:32))
wide_arm <- rep(arms, each = 32)
wide_cols <- lapply(terms, function(t) {
  g <- rep(0L, length(patients))
  wt <- worst[worst$term == t, ]
  g[match(wt$patient, patients)] <- wt$grade
  g
})
names(wide_cols) <- terms
# "Fatigue" has one ungraded patient: in the wide form that value is missing, so the
# patient leaves that column's denominator.
any34 <- as.integer(Reduce(`|`, lapply(wide_cols, function(g) !is.na(g) & g >= 3 & g <= 4)))
# The binary column takes part only without a grade range (a grade range cannot filter a
# 0/1 column; survcalc refuses that combination).
wide_rows <- function(lo, hi) {
  rows <- list()
  for (t in c(terms, if (is.na(lo)) "Any grade 3-4")) {
    g <- if (t == "Any grade 3-4") any34 else wide_cols[[t]]
    ok <- !is.na(g)
    hit <- if (t == "Any grade 3-4") g == 1 else if (is.na(lo)) g >= 1 else g >= lo & g <= hi
    counts <- vapply(arms, function(a) sum(ok & hit & wide_arm == a), 0)
    den <- vapply(arms, function(a) sum(ok & wide_arm == a), 0)
    if (sum(counts) == 0) next
    rows[[length(rows) + 1]] <- row_json(t, "all", counts, den)
  }
  json_list(rows)
}

write_json("adverse", list(
  arms = json_strings(arms),
  at_risk = json_array(at_risk),
  records = json_object(list(
    patient = json_strings(rec$patient), arm = json_strings(rec$arm),
    term = json_strings(rec$term), grade = paste0("[", paste(json_grade(rec$grade), collapse = ", "), "]")
  )),
  grade_3_4 = ae_rows(worst, 3, 4, by_grade = FALSE),
  grade_3_4_by_grade = ae_rows(worst, 3, 4, by_grade = TRUE),
  any_grade = ae_rows(worst, NA, NA, by_grade = FALSE),
  any_grade_by_grade = ae_rows(worst, NA, NA, by_grade = TRUE),
  wide = json_object(list(
    arm = json_strings(wide_arm),
    columns = json_list(lapply(terms, function(t) json_object(list(
      term = json_string(t), coding = json_string("grade"),
      values = paste0("[", paste(json_grade(wide_cols[[t]]), collapse = ", "), "]"))))),
    any_3_4 = json_array(any34)
  )),
  wide_grade_3_4 = wide_rows(3, 4),
  wide_any_grade = wide_rows(NA, NA)
))
