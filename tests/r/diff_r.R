# R's side of the differential test (issue 11; crates/bench/src/diff_r.rs, run by
# scripts/diff-r.sh): for every DIR/case_NNNN.csv, R's survival computes what survcalc
# computed into DIR/ours_NNNN.tsv, with R's defaults (timefix included), and writes
# DIR/r_NNNN.tsv with the same keys: one "key<TAB>value" line per number, %.17g, NA for
# R's NA/NaN/Inf.
#
#     Rscript tests/r/diff_r.R DIR

suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript tests/r/diff_r.R DIR")
dir <- args[1]

fmt <- function(x) ifelse(is.finite(x), sprintf("%.17g", x), "NA")

# survdiff's chi-square; survdiff stops ("system is exactly singular") when two groups
# have expected events but the variance is 0 (every event time empties its risk set): NA.
chisq_of <- function(...) tryCatch(survdiff(...)$chisq, error = function(e) NA)

one <- function(file) {
  d <- read.csv(file, colClasses = c("numeric", "numeric", "character", "numeric"))
  d$group <- factor(d$group)
  out <- character()
  put <- function(k, v) out <<- c(out, paste0(k, "\t", fmt(v)))
  for (ct in c("log", "log-log", "plain", "logit", "arcsin")) {
    fit <- survfit(Surv(time, status) ~ group, data = d, conf.type = ct)
    g <- if (is.null(fit$strata)) rep(levels(d$group)[1], length(fit$time)) else
      rep(sub("^group=", "", names(fit$strata)), fit$strata)
    for (lev in unique(g)) {
      i <- which(g == lev)
      for (j in seq_along(i)) {
        at <- paste0("km.", ct, ".", lev, ".", j - 1)
        put(paste0(at, ".time"), fit$time[i[j]])
        put(paste0(at, ".surv"), fit$surv[i[j]])
        put(paste0(at, ".std_err"), fit$std.err[i[j]])
        put(paste0(at, ".lower"), fit$lower[i[j]])
        put(paste0(at, ".upper"), fit$upper[i[j]])
      }
    }
    if (ct == "log") {
      tmax <- max(d$time)
      if (tmax > 0) {
        s <- summary(fit, times = c(0.25, 0.5, 1, 1.5) * tmax, extend = TRUE)
        sg <- if (is.null(s$strata)) rep(levels(d$group)[1], length(s$time)) else
          sub("^group=", "", as.character(s$strata))
        for (lev in unique(sg)) {
          i <- which(sg == lev)
          for (j in seq_along(i)) {
            at <- paste0("landmark.", lev, ".", j - 1)
            put(paste0(at, ".n_risk"), s$n.risk[i[j]])
            put(paste0(at, ".surv"), s$surv[i[j]])
            put(paste0(at, ".std_err"), s$std.err[i[j]])
            put(paste0(at, ".lower"), s$lower[i[j]])
            put(paste0(at, ".upper"), s$upper[i[j]])
          }
        }
      }
      # RMST to the smallest of the groups' last times; survival's se(rmean) is survRM2's
      # (the times as timefix merged them: survcalc refuses a tau after a group's last)
      tau <- min(tapply(aeqSurv(Surv(d$time, d$status))[, 1], d$group, max))
      if (tau > 0) {
        tb <- summary(fit, rmean = tau)$table
        tb <- if (is.matrix(tb)) tb else matrix(tb, nrow = 1, dimnames = list(levels(d$group)[1], names(tb)))
        rn <- sub("^group=", "", rownames(tb))
        for (r in seq_along(rn)) {
          put(paste0("rmst.", rn[r], ".estimate"), tb[r, "rmean"])
          put(paste0("rmst.", rn[r], ".se"), tb[r, "se(rmean)"])
        }
      }
      q <- quantile(fit, probs = c(0.25, 0.5, 0.75))
      rows <- if (is.matrix(q$quantile)) sub("^group=", "", rownames(q$quantile)) else levels(d$group)[1]
      qm <- function(m) if (is.matrix(m)) m else matrix(m, nrow = 1)
      for (r in seq_along(rows)) {
        for (k in 1:3) {
          p <- c(0.25, 0.5, 0.75)[k]
          at <- paste0("quantile.", rows[r], ".", p)
          put(paste0(at, ".estimate"), qm(q$quantile)[r, k])
          put(paste0(at, ".lower"), qm(q$lower)[r, k])
          put(paste0(at, ".upper"), qm(q$upper)[r, k])
        }
      }
    }
  }
  if (nlevels(d$group) >= 2) {
    put("survdiff.0.chisq", chisq_of(Surv(time, status) ~ group, data = d))
    put("survdiff.1.chisq", chisq_of(Surv(time, status) ~ group, data = d, rho = 1))
    if (nlevels(d$group) >= 3) {
      levs <- levels(d$group)
      for (a in seq_along(levs)) for (b in seq_along(levs)) if (a < b) {
        sub2 <- droplevels(d[d$group %in% levs[c(a, b)], ])
        put(paste0("pairwise.", levs[a], ".", levs[b], ".chisq"),
            chisq_of(Surv(time, status) ~ group, data = sub2))
      }
      # The test for trend from survdiff's obs, exp and var, scores 1..k.
      sd <- tryCatch(survdiff(Surv(time, status) ~ group, data = d), error = function(e) NULL)
      v <- if (is.null(sd)) 0 else {
        sc <- seq_along(sd$n)
        u <- sum(sc * (sd$obs - sd$exp))
        drop(t(sc) %*% sd$var %*% sc)
      }
      put("trend.chisq", if (v > 0) u^2 / v else NA)
    }
    if (any(d$status == 1)) {
      for (ties in c("efron", "breslow", if (nrow(d) <= 100) "exact")) {
        warned <- FALSE
        fit <- withCallingHandlers(
          coxph(Surv(time, status) ~ group, data = d, ties = ties),
          warning = function(w) { warned <<- TRUE; invokeRestart("muffleWarning") })
        out <- c(out, paste0("cox.", ties, ".warn\t", as.integer(warned)))
        # se of an NA coefficient: R prints 0, survcalc NA (docs/methods.md §13a).
        se <- ifelse(is.na(coef(fit)), NA, sqrt(diag(as.matrix(fit$var))))
        for (i in seq_along(coef(fit))) {
          put(paste0("cox.", ties, ".coef.", i - 1), coef(fit)[i])
          put(paste0("cox.", ties, ".se.", i - 1), se[i])
        }
        put(paste0("cox.", ties, ".loglik"), fit$loglik[2])
        if (ties == "efron") {
          put("cox.efron.concordance", fit$concordance["concordance"])
          # cox.zph(terms = TRUE) fails when a factor keeps two or more columns beside an
          # NA one (its sapply() over the terms simplifies to a matrix); the global test
          # does not depend on the terms, so terms = FALSE gives it. A computationally
          # singular matrix fails both ways: NA.
          z <- tryCatch(cox.zph(fit)$table["GLOBAL", "chisq"], error = function(e)
            tryCatch(cox.zph(fit, terms = FALSE)$table["GLOBAL", "chisq"],
                     error = function(e) NA))
          put("zph.global", z)
        }
      }
      warned <- FALSE
      fit <- withCallingHandlers(
        coxph(Surv(time, status) ~ group + x, data = d),
        warning = function(w) { warned <<- TRUE; invokeRestart("muffleWarning") })
      out <- c(out, paste0("coxx.efron.warn\t", as.integer(warned)))
      se <- ifelse(is.na(coef(fit)), NA, sqrt(diag(as.matrix(fit$var))))
      for (i in seq_along(coef(fit))) {
        put(paste0("coxx.efron.coef.", i - 1), coef(fit)[i])
        put(paste0("coxx.efron.se.", i - 1), se[i])
      }
      put("coxx.efron.loglik", fit$loglik[2])
    }
  }
  writeLines(out, sub("case_", "r_", sub("\\.csv$", ".tsv", file)))
}

for (f in sort(list.files(dir, pattern = "^case_.*\\.csv$", full.names = TRUE))) one(f)
