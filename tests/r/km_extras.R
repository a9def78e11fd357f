# Golden fixtures for the Kaplan–Meier extras of survcalc-core: quantiles under every
# band transform, survival at landmark times (and the between-arm difference there), the
# risk table, median follow-up by the reverse Kaplan–Meier, the Nelson–Aalen cumulative
# hazard and the restricted mean survival time (RMST).
#
# Run from the repository root:
#
#     Rscript tests/r/km_extras.R
#
# Writes one JSON file per data set into tests/fixtures/km_extras/ (read by
# crates/core/tests/suite/km_extras.rs). Each file holds the R and survival versions, the input
# data in data order (time, status as a 0/1 event indicator, group as strings), the group
# levels (the first is the reference) and:
#
#   bands       survfit(Surv(time, status) ~ group, conf.type = T, conf.int = L)$lower and
#               $upper per group, for T in logit, arcsin at L = 0.95 and every T at L = 0.90
#               (log, log-log and plain at 0.95 are in the main fixtures already)
#   quantiles   quantile(fit, probs = c(.25, .5, .75)) for every T and L in {0.95, 0.90}
#   print_median  the median and limits print.survfit shows (summary(fit)$table), for T in
#               log, log-log, plain: differs from quantile() when a curve ends on S = 0.5
#   landmark    summary(fit, times = T, extend = TRUE) per group: time, n.risk, n.event and
#               n.censor (R's counts since the previous requested time), their running sums
#               (cumulative counts from time 0), surv, std.err, lower, upper; and the times
#               summary(fit[g], times = T) keeps with R's default extend = FALSE
#   difference  S_k(t) − S_ref(t) for every non-reference group k at the landmark times,
#               with SE = sqrt(se_k² + se_ref²) from summary()$std.err (Greenwood), Wald CI
#               and two-sided P of z = diff / SE. No R function prints this: the formula is
#               the "naive" test of Klein JP, Logan B, Harhoff M, Andersen PK (2007).
#               Analyzing survival curves at a fixed point in time. Stat Med 26:4505–4519.
#   followup    the reverse Kaplan–Meier survfit(Surv(time, 1 - status) ~ group) and ~ 1:
#               median and its limits as print.survfit shows them (summary(fit)$table,
#               i.e. survival:::survmean), and quantile(fit, 0.5) for comparison
#   hazard      survfit(..., ctype = 1) and ctype = 2: time, cumhaz, std.chaz per group
#   rmst        survRM2::rmst2 (version 1.0-4) computed by hand (survRM2 is not on Debian):
#               per arm RMST, SE, CI and RMTL; difference, RMST ratio and RMTL ratio with CI
#               and P, at survRM2's default tau and at a user tau; the largest allowed
#               tau; and survival's own summary(fit, rmean = tau)$table rmean / se(rmean)
#
# Number format: every number is written with sprintf("%.17g", x), which round-trips to
# the same double; NA, NaN, Inf and -Inf are written as JSON null. The JSON text is built
# by hand, as in tests/r/make_fixtures.R (jsonlite is neither needed nor precise enough).

suppressPackageStartupMessages(library(survival))

out_dir <- file.path("tests", "fixtures", "km_extras")
if (!dir.exists(file.path("tests", "fixtures"))) {
  stop("run from the repository root: tests/fixtures/ not found")
}
dir.create(out_dir, showWarnings = FALSE)

# ---------------------------------------------------------------------------------------
# JSON writing: tests/r/json.R, with a json_bool that refuses NA

source(file.path("tests", "r", "json.R"))  # run from the repository root

json_bool <- function(b) {
  stopifnot(length(b) == 1, !is.na(b))
  if (b) "true" else "false"
}

# ---------------------------------------------------------------------------------------
# Helpers

all_conf_types <- c("log", "log-log", "plain", "logit", "arcsin")
probs <- c(0.25, 0.5, 0.75)

# Rows of stratum g of a survfit object.
rows_of <- function(fit, g) {
  stratum <- rep(seq_along(fit$strata), fit$strata)
  which(stratum == g)
}

# The (conf.type, conf.int) pairs for the bands and the quantiles.
band_cases <- list(
  list(type = "logit", level = 0.95), list(type = "arcsin", level = 0.95),
  list(type = "log", level = 0.90), list(type = "log-log", level = 0.90),
  list(type = "plain", level = 0.90), list(type = "logit", level = 0.90),
  list(type = "arcsin", level = 0.90)
)
quantile_cases <- c(
  lapply(all_conf_types, function(t) list(type = t, level = 0.95)),
  lapply(all_conf_types, function(t) list(type = t, level = 0.90))
)
case_key <- function(case) sprintf("%s@%s", case$type, format(case$level))

bands_json <- function(d, levels) {
  out <- lapply(band_cases, function(case) {
    fit <- survfit(Surv(time, status) ~ group, data = d,
                   conf.type = case$type, conf.int = case$level)
    json_list(lapply(seq_along(levels), function(g) {
      i <- rows_of(fit, g)
      json_object(list(
        group = json_string(levels[g]),
        time = json_array(fit$time[i]),
        lower = json_array(fit$lower[i]),
        upper = json_array(fit$upper[i])
      ))
    }))
  })
  names(out) <- vapply(band_cases, case_key, "")
  json_object(out)
}

quantiles_json <- function(d, levels) {
  out <- lapply(quantile_cases, function(case) {
    fit <- survfit(Surv(time, status) ~ group, data = d,
                   conf.type = case$type, conf.int = case$level)
    q <- quantile(fit, probs = probs)
    json_list(lapply(seq_along(levels), function(g) {
      json_object(list(
        group = json_string(levels[g]),
        probs = json_array(probs),
        estimate = json_array(q$quantile[g, ]),
        lower = json_array(q$lower[g, ]),
        upper = json_array(q$upper[g, ])
      ))
    }))
  })
  names(out) <- vapply(quantile_cases, case_key, "")
  json_object(out)
}

# The median line of print.survfit (survival:::survmean via summary(fit)$table) for the
# Kaplan–Meier curves themselves, for the transforms R users see most.
print_median_json <- function(d, levels) {
  out <- lapply(c("log", "log-log", "plain"), function(ct) {
    fit <- survfit(Surv(time, status) ~ group, data = d, conf.type = ct)
    tab <- summary(fit)$table
    json_list(lapply(seq_along(levels), function(g) {
      json_object(list(
        group = json_string(levels[g]),
        median = json_scalar(tab[g, "median"]),
        lower = json_scalar(tab[g, "0.95LCL"]),
        upper = json_scalar(tab[g, "0.95UCL"])
      ))
    }))
  })
  names(out) <- c("log", "log-log", "plain")
  json_object(out)
}

# summary(fit, times =, extend = TRUE) for one stratum, with running sums of the counts.
landmark_rows <- function(fit, g, times) {
  s <- summary(fit[g], times = times, extend = TRUE)
  stopifnot(all(s$time == sort(times)))
  list(time = s$time, n.risk = s$n.risk, n.event = s$n.event, n.censor = s$n.censor,
       cum.event = cumsum(s$n.event), cum.censor = cumsum(s$n.censor),
       surv = s$surv, std.err = s$std.err, lower = s$lower, upper = s$upper)
}

landmark_json <- function(d, levels, times) {
  fit <- survfit(Surv(time, status) ~ group, data = d)
  groups <- lapply(seq_along(levels), function(g) {
    r <- landmark_rows(fit, g, times)
    # Cross-check the running sums against a direct count.
    dg <- d[d$group == levels[g], ]
    stopifnot(
      all(r$cum.event == sapply(r$time, function(t) sum(dg$time <= t & dg$status == 1))),
      all(r$cum.censor == sapply(r$time, function(t) sum(dg$time <= t & dg$status == 0))),
      all(r$n.risk == sapply(r$time, function(t) sum(dg$time >= t)))
    )
    # R's default extend = FALSE drops times after the group's last observed time (and
    # stops with an error if none is left).
    kept <- tryCatch(summary(fit[g], times = times)$time, error = function(e) numeric(0))
    json_object(list(
      group = json_string(levels[g]),
      time = json_array(r$time),
      n_risk = json_array(r$n.risk),
      n_event = json_array(r$n.event),
      n_censor = json_array(r$n.censor),
      cum_event = json_array(r$cum.event),
      cum_censor = json_array(r$cum.censor),
      surv = json_array(r$surv),
      std_err = json_array(r$std.err),
      lower = json_array(r$lower),
      upper = json_array(r$upper),
      kept_without_extend = json_array(kept)
    ))
  })
  json_object(list(times = json_array(times), groups = json_list(groups)))
}

# S_k(t) − S_ref(t) at the landmark times (Klein et al. 2007, the untransformed test).
difference_json <- function(d, levels, times, conf_level = 0.95) {
  fit <- survfit(Surv(time, status) ~ group, data = d)
  z <- qnorm(1 - (1 - conf_level) / 2)
  ref <- landmark_rows(fit, 1, times)
  json_list(lapply(seq_along(levels)[-1], function(k) {
    r <- landmark_rows(fit, k, times)
    diff <- r$surv - ref$surv
    se <- sqrt(r$std.err^2 + ref$std.err^2)
    stat <- diff / se
    json_object(list(
      group1 = json_string(levels[k]),
      group2 = json_string(levels[1]),
      conf_level = json_scalar(conf_level),
      time = json_array(r$time),
      surv1 = json_array(r$surv),
      surv2 = json_array(ref$surv),
      se1 = json_array(r$std.err),
      se2 = json_array(ref$std.err),
      difference = json_array(diff),
      se = json_array(se),
      lower = json_array(diff - z * se),
      upper = json_array(diff + z * se),
      z = json_array(stat),
      p = json_array(2 * pnorm(-abs(stat)))
    ))
  }))
}

# print.survfit's median line (survival:::survmean through summary()$table) and
# quantile()'s median, for the reverse Kaplan–Meier.
followup_one <- function(fit, g, label, conf_level) {
  tab <- summary(fit)$table
  if (is.matrix(tab)) tab <- tab[g, ]
  q <- quantile(if (is.null(fit$strata)) fit else fit[g], probs = 0.5)
  lcl <- sprintf("%sLCL", format(conf_level))
  ucl <- sprintf("%sUCL", format(conf_level))
  json_object(list(
    group = json_string(label),
    n = json_scalar(tab[["records"]]),
    events = json_scalar(tab[["events"]]),
    median = json_scalar(tab[["median"]]),
    lower = json_scalar(tab[[lcl]]),
    upper = json_scalar(tab[[ucl]]),
    quantile_median = json_scalar(q$quantile[1]),
    quantile_lower = json_scalar(q$lower[1]),
    quantile_upper = json_scalar(q$upper[1])
  ))
}

followup_json <- function(d, levels) {
  out <- lapply(c("log", "log-log"), function(ct) {
    fit_g <- survfit(Surv(time, 1 - status) ~ group, data = d, conf.type = ct)
    fit_1 <- survfit(Surv(time, 1 - status) ~ 1, data = d, conf.type = ct)
    json_object(list(
      overall = followup_one(fit_1, 1, "overall", 0.95),
      groups = json_list(lapply(seq_along(levels),
                                function(g) followup_one(fit_g, g, levels[g], 0.95)))
    ))
  })
  names(out) <- c("log", "log-log")
  json_object(out)
}

hazard_json <- function(d, levels) {
  out <- lapply(1:2, function(ctype) {
    fit <- survfit(Surv(time, status) ~ group, data = d, ctype = ctype)
    json_list(lapply(seq_along(levels), function(g) {
      i <- rows_of(fit, g)
      json_object(list(
        group = json_string(levels[g]),
        time = json_array(fit$time[i]),
        n_risk = json_array(fit$n.risk[i]),
        n_event = json_array(fit$n.event[i]),
        cumhaz = json_array(fit$cumhaz[i]),
        std_chaz = json_array(fit$std.chaz[i])
      ))
    }))
  })
  names(out) <- c("ctype1", "ctype2")
  json_object(out)
}

# ---------------------------------------------------------------------------------------
# survRM2 (version 1.0-4) by hand. survRM2 is not installable here; these follow its
# published method and documented rules:
#
# Uno H, Claggett B, Tian L, et al. (2014). Moving beyond the hazard ratio in quantifying
# the between-group difference in survival analysis. J Clin Oncol 32:2380–2385.
# survRM2 reference manual, rmst2(): "Details: the definition of the default tau".
#
# One arm (survRM2's internal rmst1): with the Kaplan–Meier curve of the arm at its
# distinct times t_1 < ... < t_m ≤ tau (events and censorings, as survfit lists them),
#   RMST     = ∫_0^tau S(u) du, the area under the step function;
#   Var      = Σ_i A_i² d_i / (n_i (n_i − d_i)),  A_i = ∫_{t_i}^tau S(u) du,
#              a term being 0 where n_i = d_i (Greenwood plug-in);
#   CI       = RMST ± z·SE; RMTL = tau − RMST with CI (tau − upper, tau − lower).
# Two arms (arm 1 vs arm 0), z = qnorm(1 − alpha/2), P = 2·pnorm(−|estimate / SE|):
#   difference  RMST1 − RMST0, SE = sqrt(Var1 + Var0), Wald CI;
#   ratio       log(RMST1 / RMST0), SE = sqrt(Var1/RMST1² + Var0/RMST0²), CI exponentiated;
#   RMTL ratio  log(RMTL1 / RMTL0), SE = sqrt(Var1/RMTL1² + Var0/RMTL0²), CI exponentiated.

rmst_arm <- function(time, status, tau, alpha) {
  fit <- survfit(Surv(time, status) ~ 1)
  keep <- fit$time <= tau
  t_k <- c(fit$time[keep], tau)
  rect <- diff(c(0, t_k)) * c(1, fit$surv[keep])  # rectangle ending at each t_k
  est <- sum(rect)
  # A_i: the area from t_i to tau, i.e. the rectangles after t_i.
  tail_area <- rev(cumsum(rev(rect[-1])))
  n <- fit$n.risk[keep]
  dd <- fit$n.event[keep]
  h <- ifelse(n == dd, 0, dd / (n * (n - dd)))
  v <- sum(tail_area^2 * h)
  se <- sqrt(v)
  z <- qnorm(1 - alpha / 2)
  list(rmst = est, var = v, se = se, lower = est - z * se, upper = est + z * se,
       rmtl = tau - est, rmtl_lower = tau - (est + z * se), rmtl_upper = tau - (est - z * se))
}

# survRM2's documented default-tau rule. x1, x0: each arm's largest observed time; an
# arm "ends with an event" when every observation at its largest time is an event.
# Cases 1 and 2 (the shorter arm ends with an event): tau = max(x1, x0).
# Cases 3 and 4 (the shorter arm ends censored): tau = min(x1, x0).
# (Ties x1 = x0 fall to case 2 or 3; both then give the same number.)
# A user tau above this value is an error in survRM2.
rmst_tau_max <- function(time, status, arm) {
  last <- function(a) {
    tt <- time[arm == a]
    m <- max(tt)
    c(x = m, event = min(status[arm == a][tt == m]))
  }
  a1 <- last(1)
  a0 <- last(0)
  # With equal largest times every case gives the same number.
  shorter_event <- if (a1[["x"]] < a0[["x"]]) {
    a1[["event"]]
  } else if (a0[["x"]] < a1[["x"]]) {
    a0[["event"]]
  } else {
    max(a1[["event"]], a0[["event"]])
  }
  if (shorter_event == 1) max(a1[["x"]], a0[["x"]]) else min(a1[["x"]], a0[["x"]])
}

rmst2_by_hand <- function(time, status, arm, tau, alpha = 0.05) {
  a1 <- rmst_arm(time[arm == 1], status[arm == 1], tau, alpha)
  a0 <- rmst_arm(time[arm == 0], status[arm == 0], tau, alpha)
  z <- qnorm(1 - alpha / 2)
  contrast <- function(est, se, log_scale) {
    p <- 2 * pnorm(-abs(est) / se)
    if (log_scale) list(est = exp(est), se = se, lower = exp(est - z * se), upper = exp(est + z * se), p = p)
    else list(est = est, se = se, lower = est - z * se, upper = est + z * se, p = p)
  }
  list(
    arm1 = a1, arm0 = a0,
    difference = contrast(a1$rmst - a0$rmst, sqrt(a1$var + a0$var), FALSE),
    ratio = contrast(log(a1$rmst) - log(a0$rmst),
                     sqrt(a1$var / a1$rmst^2 + a0$var / a0$rmst^2), TRUE),
    rmtl_ratio = contrast(log(a1$rmtl) - log(a0$rmtl),
                          sqrt(a1$var / a1$rmtl^2 + a0$var / a0$rmtl^2), TRUE)
  )
}

arm_json <- function(a) {
  json_object(list(
    rmst = json_scalar(a$rmst), var = json_scalar(a$var), se = json_scalar(a$se),
    lower = json_scalar(a$lower), upper = json_scalar(a$upper),
    rmtl = json_scalar(a$rmtl), rmtl_lower = json_scalar(a$rmtl_lower),
    rmtl_upper = json_scalar(a$rmtl_upper)
  ))
}

contrast_json <- function(c) {
  json_object(list(
    estimate = json_scalar(c$est), se = json_scalar(c$se), lower = json_scalar(c$lower),
    upper = json_scalar(c$upper), p = json_scalar(c$p)
  ))
}

# survival's own restricted mean: summary(fit, rmean = tau)$table (survival:::survmean).
survival_rmean_json <- function(d, levels, tau) {
  fit <- survfit(Surv(time, status) ~ group, data = d)
  tab <- summary(fit, rmean = tau)$table
  json_list(lapply(seq_along(levels), function(g) {
    json_object(list(
      group = json_string(levels[g]), tau = json_scalar(tau),
      rmean = json_scalar(tab[g, "rmean"]), se = json_scalar(tab[g, "se(rmean)"])
    ))
  }))
}

rmst_json <- function(d, levels, user_tau) {
  comparisons <- lapply(seq_along(levels)[-1], function(k) {
    sub <- d[d$group %in% levels[c(1, k)], ]
    arm <- as.integer(sub$group == levels[k])
    tau_max <- rmst_tau_max(sub$time, sub$status, arm)
    cases <- list(list(tau = tau_max, given = FALSE))
    if (!is.null(user_tau) && user_tau <= tau_max) {
      cases <- c(cases, list(list(tau = user_tau, given = TRUE)))
    }
    json_object(list(
      arm1 = json_string(levels[k]),
      arm0 = json_string(levels[1]),
      tau_max = json_scalar(tau_max),
      cases = json_list(lapply(cases, function(cs) {
        r <- rmst2_by_hand(sub$time, sub$status, arm, cs$tau)
        json_object(list(
          tau = json_scalar(cs$tau), tau_given = json_bool(cs$given),
          arm1 = arm_json(r$arm1), arm0 = arm_json(r$arm0),
          difference = contrast_json(r$difference), ratio = contrast_json(r$ratio),
          rmtl_ratio = contrast_json(r$rmtl_ratio),
          survival_rmean = survival_rmean_json(sub, levels[c(1, k)], cs$tau)
        ))
      }))
    ))
  })
  json_object(list(alpha = json_scalar(0.05), comparisons = json_list(comparisons)))
}

# ---------------------------------------------------------------------------------------
# One fixture

write_fixture <- function(name, description, time, status, group, levels, landmarks,
                          user_tau = NULL) {
  stopifnot(length(time) == length(status), length(time) == length(group),
            !anyNA(time), !anyNA(status), !anyNA(group), all(status %in% c(0, 1)))
  group <- as.character(group)
  stopifnot(setequal(levels, unique(group)))
  d <- data.frame(time = as.double(time), status = as.double(status),
                  group = factor(group, levels = levels))
  fixture <- json_object(list(
    name = json_string(name),
    description = json_string(description),
    r_version = json_string(R.version.string),
    survival_version = json_string(as.character(packageVersion("survival"))),
    levels = json_strings(levels),
    data = json_object(list(
      time = json_array(d$time), status = json_array(d$status), group = json_strings(group)
    )),
    bands = bands_json(d, levels),
    quantiles = quantiles_json(d, levels),
    print_median = print_median_json(d, levels),
    landmark = landmark_json(d, levels, landmarks),
    difference = difference_json(d, levels, landmarks),
    followup = followup_json(d, levels),
    hazard = hazard_json(d, levels),
    rmst = rmst_json(d, levels, user_tau)
  ))
  path <- file.path(out_dir, paste0(name, ".json"))
  writeLines(fixture, path, useBytes = TRUE)
  cat("wrote", path, "\n")
}

# ---------------------------------------------------------------------------------------
# Data sets from the survival package. Landmark times include 0, a time before the first
# event, an observed time exactly, and a time after the last observation of some arm.

write_fixture("veteran", "survival::veteran, group = trt (1 standard, 2 test)",
              veteran$time, veteran$status, veteran$trt, c("1", "2"),
              landmarks = c(0, 0.5, 30, 90, 100, 180, 365, 600, 1000), user_tau = 365)

write_fixture("lung", "survival::lung, event = (status == 2), group = sex (1 male, 2 female)",
              lung$time, as.integer(lung$status == 2), lung$sex, c("1", "2"),
              landmarks = c(0, 180, 365, 730, 1000, 1022, 1100), user_tau = 730)

write_fixture("ovarian", "survival::ovarian, time = futime, event = fustat, group = rx",
              ovarian$futime, ovarian$fustat, ovarian$rx, c("1", "2"),
              landmarks = c(0, 59, 365, 730, 1000, 1106, 1200, 1300), user_tau = 1000)

write_fixture("aml", "survival::aml, group = x (Maintained, Nonmaintained)",
              aml$time, aml$status, as.character(aml$x), c("Maintained", "Nonmaintained"),
              landmarks = c(0, 5, 12, 24, 36, 48, 100, 200), user_tau = 40)

colon2 <- colon[colon$etype == 2, ]
write_fixture("colon", "survival::colon, etype == 2 (death), group = rx (Obs, Lev, Lev+5FU)",
              colon2$time, colon2$status, as.character(colon2$rx),
              c("Obs", "Lev", "Lev+5FU"),
              landmarks = c(0, 365, 1095, 1826, 3000, 3214, 3320, 3500), user_tau = 1826)

pbc2 <- pbc[!is.na(pbc$trt), ]
write_fixture("pbc", "survival::pbc randomised rows (trt not NA), event = (status == 2), group = trt",
              pbc2$time, as.integer(pbc2$status == 2), pbc2$trt, c("1", "2"),
              landmarks = c(0, 1000, 1825, 3650, 4500, 4556, 5000), user_tau = 3650)

# ---------------------------------------------------------------------------------------
# Constructed edge cases (literal data, no random numbers).

# Heavy censoring: 40 patients, 6 events; ties between events and censorings; both arms
# end censored, so survRM2's tau is the smaller of the two last times.
write_fixture(
  "heavy_censoring",
  "constructed: 40 patients, 6 events, ties between events and censorings",
  time = c(2, 3, 3, 4, 5, 5, 6, 7, 8, 8, 9, 10, 10, 11, 12, 12, 13, 14, 15, 16,
           1, 2, 4, 4, 5, 6, 7, 7, 9, 10, 11, 11, 12, 13, 14, 15, 16, 17, 18, 20),
  status = c(0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
             0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0),
  group = rep(c("control", "treated"), each = 20), levels = c("control", "treated"),
  landmarks = c(0, 1, 3, 7, 10, 16, 18, 25), user_tau = 12
)

# A tiny arm of 2 patients, both censored (no events: its curve stays at 1, its median
# and quartiles are not reached, its first row is S = 1 where R leaves the log-log, logit
# and arcsin bands undefined, and its RMTL is 0 so the RMTL ratio is undefined), against
# 12 patients.
write_fixture(
  "tiny_arm",
  "constructed: a 2-patient arm without events (censored at 2 and 5) against 12 patients",
  time = c(2, 5, 1, 3, 3, 4, 6, 6, 7, 8, 9, 11, 12, 14),
  status = c(0, 0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0),
  group = c("tiny", "tiny", rep("big", 12)), levels = c("big", "tiny"),
  landmarks = c(0, 2, 4.5, 6, 10, 14, 20), user_tau = 4
)

# The same with the tiny arm's second patient an event: a censoring at 2 (S = 1 there)
# and then an event at 5 with 1 at risk, so S drops to 0 and Greenwood's variance is
# infinite (R's std.err NaN and bands NA from there on).
write_fixture(
  "tiny_arm_event",
  "constructed: a 2-patient arm (censored at 2, event at 5) against 12 patients",
  time = c(2, 5, 1, 3, 3, 4, 6, 6, 7, 8, 9, 11, 12, 14),
  status = c(0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0),
  group = c("tiny", "tiny", rep("big", 12)), levels = c("big", "tiny"),
  landmarks = c(0, 2, 4.5, 5, 6, 10, 14, 20), user_tau = 4
)

# Never half: in 'late' S stays above 0.5 (median not reached) while its band crosses it;
# 'plateau' ends on S = 0.5 exactly, where quantile() takes the midpoint with the last
# time but print() takes the first time. The reverse Kaplan–Meier of 'fu_plateau' also
# ends on exactly 0.5, so the follow-up median shows the same difference.
write_fixture(
  "never_half",
  "constructed: 'late' never reaches 0.5; 'plateau' and the reverse KM of 'fu_plateau' end on 0.5",
  time = c(3, 1, 6, 2, 9, 3, 12, 4, 15, 5, 18, 7, 20, 8, 21, 9, 22, 10, 23, 11,
           1, 2, 3, 4),
  status = c(1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
             0, 0, 1, 1),
  group = c(rep(c("late", "plateau"), 10), rep("fu_plateau", 4)),
  levels = c("late", "plateau", "fu_plateau"),
  landmarks = c(0, 2, 5, 8, 11, 20, 23, 30), user_tau = 10
)

# Time 0: an event and a censoring at time 0, so survfit's first row is at 0 and no row
# is added there by summary(); the last observations of both arms are events (survRM2's
# default tau is then the larger last time).
write_fixture(
  "time_zero",
  "constructed: an event and a censoring at time 0; both arms end with an event",
  time = c(0, 0, 1, 2, 2, 3, 5, 8, 0.5, 1, 1.5, 2, 4, 6, 7, 9),
  status = c(1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 1, 0, 1),
  group = rep(c("a", "b"), each = 8), levels = c("a", "b"),
  landmarks = c(0, 0.25, 1, 2, 5, 8, 9, 12), user_tau = 8
)
