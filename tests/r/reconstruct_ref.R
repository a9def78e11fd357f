# Reference fixture for survcalc's Guyot-style reconstruction of individual patient data
# (IPD) from a digitised Kaplan-Meier figure: the R package reconstructKM (Ryan Sun,
# https://github.com/ryanrsun/reconstructKM, version 0.3.0, commit
# b054431ec58a7216812fbe44f37892d90a292723 of 2020-11-23) run on its own vignette example,
# overall survival in KEYNOTE-189 (Gandhi et al., NEJM 2018;378:2078-92), pembrolizumab +
# chemotherapy (arm 1) against placebo + chemotherapy (arm 0).
#
# Run from the repository root (base R and survival only):
#
#     Rscript tests/r/reconstruct_ref.R
#
# Reads tests/fixtures/reconstruct/{pembro,pbo}_{clicks,NAR}.csv: the package's
# data/*.RData at that commit, written out as CSV with the shortest decimal that
# round-trips each double (so the values are exactly the package's).
#   *_clicks.csv  time (months), survival: one click at the left end of each horizontal
#                 segment of the curve, i.e. (event time, S just after the drop there);
#                 the first row is (0, 1).
#   *_NAR.csv     time (months), NAR: the published numbers at risk, every 3 months 0-21.
# The package takes no total number of events.
#
# Writes tests/fixtures/reconstruct/keynote189.json: per arm the raw clicks and risk table,
# the tables format_raw_tabs() builds from them (aug_NAR with its 1-based lower/upper rows
# into aug_surv; aug_surv), KM_reconstruct()'s per-row n_hat, n_event, n_cen, KM_hat and
# per-interval int_censor, the reconstructed IPD (time, status) in the package's order, and
# the survfit median (with its default log-scale 95% CI) of that IPD; then on both arms
# together coxph(Surv(time, status) ~ arm) (Efron, and Breslow) and survdiff. Numbers are
# %.17g (round-trip); NA is null.
#
# format_raw_tabs() (R/format_raw_tabs.R) and KM_reconstruct() (R/KM_reconstruct.R) are
# transcribed below into base R (the package itself needs dplyr, magrittr, rlang, stats4,
# survminer and is not installed here; its code is GPL-3, so it is re-expressed here rather
# than copied). The transcription keeps the package's arithmetic step for step, including
# graphics::hist() to spread censorings over clicks. Setting RECONSTRUCTKM_DIR to a
# checkout of the package at that commit makes this script also source the package's own
# two files (needs dplyr) and stop unless their output is identical.

suppressPackageStartupMessages(library(survival))
source(file.path("tests", "r", "json.R"))
dir <- file.path("tests", "fixtures", "reconstruct")

# format_raw_tabs(raw_NAR, raw_surv, tau = NULL): validates and augments the two tables.
# Nothing is smoothed or made monotone: a violation is an error.
format_raw_tabs_ref <- function(raw_NAR, raw_surv, tau = NULL) {
  if (sum(colnames(raw_surv) %in% c("time", "survival")) != 2)
    stop("raw_surv must have columns named time and survival exactly")
  raw_surv <- raw_surv[order(raw_surv$time), c("time", "survival")]   # dplyr::arrange(time), stable
  rownames(raw_surv) <- NULL
  if (is.unsorted(rev(raw_surv$survival))) stop("survival must be non-increasing in time")
  if (raw_surv[1, 1] != 0 | raw_surv[1, 2] != 1)
    stop("Your raw_clicks_tab did not have a t=0,S=1 row, check your work")
  last <- nrow(raw_surv)
  last_surv <- raw_surv$survival[last]
  if (raw_surv$time[last] <= raw_surv$time[last - 1] | last_surv >= raw_surv$survival[last - 1])
    stop("Your last click should have been at the end of a vertical (not horizontal) segment")

  if (sum(colnames(raw_NAR) %in% c("time", "NAR")) != 2)
    stop("raw_NAR must have columns named time and NAR exactly")
  raw_NAR <- raw_NAR[order(raw_NAR$time), c("time", "NAR")]
  rownames(raw_NAR) <- NULL
  if (is.unsorted(rev(raw_NAR$NAR))) stop("NAR must be non-increasing in time")
  if (is.null(tau)) tau <- max(raw_NAR$time)

  # Risk-table interval i is [time_i, time_{i+1}); lower/upper are the first and last click
  # rows inside it. Intervals holding no click are dropped, and with them their NAR.
  k <- nrow(raw_NAR) - 1
  lower <- upper <- rep(NA_integer_, k)
  for (i in seq_len(k)) {
    rows <- which(raw_surv$time >= raw_NAR$time[i] & raw_surv$time < raw_NAR$time[i + 1])
    if (length(rows) > 0) { lower[i] <- min(rows); upper[i] <- max(rows) }
  }
  aug_NAR <- data.frame(time = raw_NAR$time[1:k], NAR = raw_NAR$NAR[1:k], lower = lower, upper = upper)
  aug_NAR <- aug_NAR[!is.na(aug_NAR$lower), ]
  # A closing row: time = last table time, NAR = smallest NAR (here 0), pointing at a new
  # last click row (tau, last click's survival) appended to the clicks.
  u <- aug_NAR$upper[nrow(aug_NAR)]
  aug_NAR <- rbind(aug_NAR, data.frame(time = max(raw_NAR$time), NAR = min(raw_NAR$NAR),
                                       lower = u + 1, upper = u + 1))
  rownames(aug_NAR) <- NULL
  aug_surv <- rbind(raw_surv, data.frame(time = tau, survival = last_surv))
  list(aug_NAR = aug_NAR, aug_surv = aug_surv)
}

# KM_reconstruct(aug_NAR, aug_surv).
km_reconstruct_ref <- function(aug_NAR, aug_surv) {
  TAR <- aug_NAR$time; NAR <- aug_NAR$NAR; lower <- aug_NAR$lower; upper <- aug_NAR$upper
  t_surv <- aug_surv$time; surv <- aug_surv$survival
  if (is.unsorted(t_surv) | is.unsorted(rev(surv))) stop("aug_surv unsorted")
  total_ints <- length(NAR)
  total_e_times <- upper[total_ints]          # = nrow(aug_surv)
  int_censor <- rep(0, total_ints - 1)        # censored per interval
  last_event <- rep(1, total_ints)            # row of the last drop before each interval
  n_hat <- rep(NAR[1] + 1, total_e_times)     # at risk just before each click row
  n_cen <- rep(0, total_e_times)              # censored between row k and row k+1
  n_event <- rep(0, total_e_times)
  KM_hat <- rep(1, total_e_times)

  for (i in 1:(total_ints - 1)) {
    lo <- lower[i]; nx <- lower[i + 1]
    int_censor[i] <- if (surv[lo] == 0) 0 else round(NAR[i] * surv[nx] / surv[lo] - NAR[i + 1])
    while (n_hat[nx] > NAR[i + 1] | (n_hat[nx] < NAR[i + 1] && int_censor[i] > 0)) {
      if (int_censor[i] <= 0) {
        n_cen[lo:upper[i]] <- 0
        int_censor[i] <- 0
      } else {
        # int_censor[i] equally spaced censoring times strictly inside (t_surv[lo], t_surv[nx]),
        # counted into the click gaps by hist() (right-closed bins, first bin closed, hist's
        # 1e-7 fuzz on the breaks).
        cen_times <- t_surv[lo] + (1:int_censor[i]) * (t_surv[nx] - t_surv[lo]) / (int_censor[i] + 1)
        n_cen[lo:upper[i]] <- graphics::hist(cen_times, breaks = t_surv[lo:nx], plot = FALSE)$counts
      }
      n_hat[lo] <- NAR[i]
      last <- last_event[i]
      for (k in lo:upper[i]) {
        if (k == 1) {
          n_event[k] <- 0
          KM_hat[k] <- 1
        } else if (KM_hat[last] == 0) {
          n_event[k] <- 0
          KM_hat[k] <- 0
        } else {
          n_event[k] <- round(n_hat[k] * (1 - (surv[k] / KM_hat[last])))
          KM_hat[k] <- KM_hat[last] * (1 - (n_event[k] / n_hat[k]))
        }
        n_hat[k + 1] <- n_hat[k] - n_event[k] - n_cen[k]
        if (n_event[k] != 0) last <- k
      }
      int_censor[i] <- int_censor[i] + (n_hat[nx] - NAR[i + 1])
    }
    if (n_hat[nx] < NAR[i + 1]) NAR[i + 1] <- n_hat[nx]
    last_event[i + 1] <- last
  }

  # IPD: NAR[1] people; events at their click times (status 1 first), then n_cen[k]
  # censorings at the midpoint of clicks k and k+1 (the last gap reaches the added row at
  # tau), then anyone left censored at max(t_surv) = tau.
  IPD_event <- rep(0, NAR[1])
  IPD_event[1:sum(n_event)] <- 1
  IPD_time <- rep(t_surv[1:total_e_times], n_event[1:total_e_times])
  k <- 1:(total_e_times - 1)
  IPD_time <- c(IPD_time, rep((t_surv[k] + t_surv[k + 1]) / 2, n_cen[k]))
  remain <- length(IPD_event) - length(IPD_time)
  if (remain < 0) stop("Algorithm failed, ended up with too many people")
  IPD_time <- c(IPD_time, rep(max(t_surv), remain))
  list(IPD_time = IPD_time, IPD_event = IPD_event, n_hat = n_hat, KM_hat = KM_hat,
       n_cen = n_cen, n_event = n_event, int_censor = int_censor)
}

arms <- list(
  list(name = "pembrolizumab", arm = 1, file = "pembro"),
  list(name = "placebo", arm = 0, file = "pbo"))
for (j in seq_along(arms)) {
  a <- arms[[j]]
  a$clicks <- read.csv(file.path(dir, paste0(a$file, "_clicks.csv")))
  a$nar <- read.csv(file.path(dir, paste0(a$file, "_NAR.csv")))
  a$aug <- format_raw_tabs_ref(raw_NAR = a$nar, raw_surv = a$clicks)
  a$rec <- km_reconstruct_ref(aug_NAR = a$aug$aug_NAR, aug_surv = a$aug$aug_surv)
  arms[[j]] <- a
}

pkg <- Sys.getenv("RECONSTRUCTKM_DIR")
if (nzchar(pkg)) {
  suppressPackageStartupMessages(library(dplyr))
  e <- new.env()
  sys.source(file.path(pkg, "R", "format_raw_tabs.R"), envir = e)
  sys.source(file.path(pkg, "R", "KM_reconstruct.R"), envir = e)
  for (a in arms) {
    aug <- e$format_raw_tabs(raw_NAR = a$nar, raw_surv = a$clicks)
    rec <- e$KM_reconstruct(aug_NAR = aug$aug_NAR, aug_surv = aug$aug_surv)
    stopifnot(isTRUE(all.equal(as.data.frame(aug$aug_NAR), a$aug$aug_NAR, tolerance = 0)),
              isTRUE(all.equal(as.data.frame(aug$aug_surv), a$aug$aug_surv, tolerance = 0)),
              identical(rec, a$rec))
  }
  message("package code at ", pkg, " gives identical output")
}

ipd <- do.call(rbind, lapply(arms, function(a)
  data.frame(arm = a$arm, time = a$rec$IPD_time, status = a$rec$IPD_event)))
fit <- survfit(Surv(time, status) ~ arm, data = ipd)
tab <- summary(fit)$table
cox_e <- coxph(Surv(time, status) ~ arm, data = ipd)
cox_b <- coxph(Surv(time, status) ~ arm, data = ipd, ties = "breslow")
sd <- survdiff(Surv(time, status) ~ arm, data = ipd)
cox_json <- function(m) {
  s <- summary(m)$coefficients
  json_object(list(coef = json_num(s[1, "coef"]), hr = json_num(s[1, "exp(coef)"]),
                   se = json_num(s[1, "se(coef)"]), z = json_num(s[1, "z"]),
                   p = json_num(s[1, "Pr(>|z|)"]), loglik = json_array(m$loglik),
                   score_test = json_num(summary(m)$sctest[["test"]])))
}

arm_json <- function(a) {
  row <- paste0("arm=", a$arm)
  an <- a$aug$aug_NAR; as <- a$aug$aug_surv; r <- a$rec
  json_object(list(
    name = json_string(a$name), arm = json_num(a$arm),
    clicks = json_object(list(time = json_array(a$clicks$time), surv = json_array(a$clicks$survival))),
    risk_table = json_object(list(time = json_array(a$nar$time), n_risk = json_array(a$nar$NAR))),
    total_events = "null",
    tau = json_num(max(a$nar$time)),
    aug_nar = json_object(list(time = json_array(an$time), n_risk = json_array(an$NAR),
                               lower = json_array(an$lower), upper = json_array(an$upper))),
    aug_surv = json_object(list(time = json_array(as$time), surv = json_array(as$survival))),
    n_hat = json_array(r$n_hat), n_event = json_array(r$n_event), n_cen = json_array(r$n_cen),
    km_hat = json_array(r$KM_hat), int_censor = json_array(r$int_censor),
    ipd = json_object(list(time = json_array(r$IPD_time), status = json_array(r$IPD_event))),
    n = json_num(length(r$IPD_time)), events = json_num(sum(r$IPD_event)),
    censored_after_last_click = json_num(sum(r$IPD_event == 0 & r$IPD_time > max(a$clicks$time))),
    median = json_num(tab[row, "median"]), median_lower = json_num(tab[row, "0.95LCL"]),
    median_upper = json_num(tab[row, "0.95UCL"])))
}

out <- json_object(list(
  source = json_object(list(
    package = json_string("reconstructKM 0.3.0"),
    repository = json_string("https://github.com/ryanrsun/reconstructKM"),
    commit = json_string("b054431ec58a7216812fbe44f37892d90a292723"),
    code = json_strings(c("R/format_raw_tabs.R", "R/KM_reconstruct.R")),
    data = json_strings(c("data/pembro_clicks.RData", "data/pembro_NAR.RData",
                          "data/pbo_clicks.RData", "data/pbo_NAR.RData")),
    trial = json_string("KEYNOTE-189 overall survival, Gandhi et al. NEJM 2018;378:2078-92"))),
  r_version = json_string(R.version.string),
  survival_version = json_string(as.character(packageVersion("survival"))),
  arms = json_list(lapply(arms, arm_json)),
  comparison = json_object(list(
    model = json_string("coxph(Surv(time, status) ~ arm), arm 1 = pembrolizumab, 0 = placebo"),
    cox_efron = cox_json(cox_e), cox_breslow = cox_json(cox_b),
    survdiff = json_object(list(chisq = json_num(sd$chisq), df = json_num(length(sd$n) - 1),
                                p = json_num(pchisq(sd$chisq, length(sd$n) - 1, lower.tail = FALSE)),
                                observed = json_array(sd$obs), expected = json_array(sd$exp),
                                groups = json_strings(names(sd$n))))))))
writeLines(out, file.path(dir, "keynote189.json"))
cat(sprintf("%s: n %d, events %d, median %.6g\n", vapply(arms, `[[`, "", "name"),
            vapply(arms, function(a) length(a$rec$IPD_time), 1L),
            vapply(arms, function(a) as.integer(sum(a$rec$IPD_event)), 1L),
            tab[paste0("arm=", vapply(arms, `[[`, 1, "arm")), "median"]), sep = "")
cat(sprintf("HR %.6g (se of log HR %.6g), survdiff chisq %.6g\n",
            exp(coef(cox_e)), sqrt(vcov(cox_e)[1, 1]), sd$chisq))
