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

one <- function(file) {
  d <- read.csv(file, colClasses = c("numeric", "numeric", "character"))
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
    put("survdiff.0.chisq", survdiff(Surv(time, status) ~ group, data = d)$chisq)
    put("survdiff.1.chisq", survdiff(Surv(time, status) ~ group, data = d, rho = 1)$chisq)
    if (any(d$status == 1)) {
      for (ties in c("efron", "breslow", if (nrow(d) <= 60) "exact")) {
        warned <- FALSE
        fit <- withCallingHandlers(
          coxph(Surv(time, status) ~ group, data = d, ties = ties),
          warning = function(w) { warned <<- TRUE; invokeRestart("muffleWarning") })
        out <- c(out, paste0("cox.", ties, ".warn\t", as.integer(warned)))
        for (i in seq_along(coef(fit))) put(paste0("cox.", ties, ".coef.", i - 1), coef(fit)[i])
        put(paste0("cox.", ties, ".loglik"), fit$loglik[2])
        if (ties == "efron") {
          put("cox.efron.concordance", fit$concordance["concordance"])
          z <- tryCatch(cox.zph(fit)$table["GLOBAL", "chisq"], error = function(e) NA)
          put("zph.global", z)
        }
      }
    }
  }
  writeLines(out, sub("case_", "r_", sub("\\.csv$", ".tsv", file)))
}

for (f in sort(list.files(dir, pattern = "^case_.*\\.csv$", full.names = TRUE))) one(f)
