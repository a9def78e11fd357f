# Golden fixture for the Lachin-Foulkes (1986) fixed-design sample size for two arms'
# survival, as computed by gsDesign's nSurv() (method = "LachinFoulkes", the default;
# fixed design, i.e. no group-sequential part).
#
# Run from the repository root (base R only):
#
#     Rscript tests/r/lachin_foulkes.R
#
# Writes tests/fixtures/design/lachin_foulkes.json.
#
# gsDesign is not installable here (not in Debian, CRAN unreachable), so the functions
# below are a minimal transcription of gsDesign's own computing code, taken from
# https://github.com/keaven/gsDesign at commit 2a5688846651a56f469cdb0997c2adf325c1b7d6
# (DESCRIPTION Version 3.11.0.9003; these functions are byte-identical to the v3.10.0
# release tag, commit 997fb8b02985ce0e6aed8bfd6329e4e35505b3a7):
#
#   R/gsSurv-eEvents.R  eEvents1(), eEvents()      (expected events and patients)
#   R/gsSurv-method.R   LFPWE(), KTZ(), KT()       (sample size; solving for T / accrual)
#   R/gsSurv-nSurv.R    nSurv()                    (dispatch)
#   R/gsSurv-utils.R    validate_survival_timing_inputs()
#   R/gsSurvival.R      nSurvival(), pe()          (gsDesign's older, independent
#                                                  Lachin-Foulkes code, used as a check)
#
# gsDesign is licensed GPL (>= 3) (Copyright Merck & Co., Inc., Rahway, NJ, USA and its
# affiliates; author Keaven Anderson); this transcription is a derived work under the
# same licence, GPL (>= 3). Edits to the transcribed code are marked "# [edit]": they only
# drop code that does not affect the numbers (printing labels, other methods than
# "LachinFoulkes", stratified-method error checks, row/column names).
source(file.path("tests", "r", "json.R"))
out_dir <- file.path("tests", "fixtures", "design")
dir.create(out_dir, showWarnings = FALSE)

GSDESIGN_COMMIT <- "2a5688846651a56f469cdb0997c2adf325c1b7d6"
GSDESIGN_VERSION <- "3.11.0.9003 (computing code identical to release 3.10.0)"

# ---------------------------------------------------------------------------------------
# R/gsSurv-eEvents.R
# ---------------------------------------------------------------------------------------

# Calculate expected events in a single treatment group and stratum
eEvents1 <- function(
  lambda = 1, eta = 0, gamma = 1, R = 1, S = NULL,
  T = 2, Tfinal = NULL, minfup = 0, simple = TRUE
) {
  if (is.null(Tfinal)) {
    Tfinal <- T
    minfupia <- minfup
  } else {
    minfupia <- max(0, minfup - (Tfinal - T))
  }
  nlambda <- length(lambda)
  if (length(eta) == 1 & nlambda > 1) {
    eta <- rep(eta, nlambda)
  }
  # Change-points from failure & dropout piecewise model
  T1 <- cumsum(S)
  T1 <- c(T1[T1 < T], T)
  # Change-points from the enrollment piecewise model
  T2 <- T - cumsum(R)
  T2[T2 < minfupia] <- minfupia
  i <- 1:length(gamma)
  gamma[i > length(unique(T2))] <- 0
  T2 <- unique(c(T, T2[T2 > 0]))
  # All possible change-points
  T3 <- sort(unique(c(T1, T2)))
  if (sum(R) >= T) T2 <- c(T2, 0)
  nperiod <- length(T3)
  s <- T3 - c(0, T3[1:(nperiod - 1)])
  lam <- rep(lambda[nlambda], nperiod)
  et <- rep(eta[nlambda], nperiod)
  gam <- rep(0, nperiod)
  for (i in length(T1):1)
  {
    indx <- T3 <= T1[i]
    lam[indx] <- lambda[i]
    et[indx] <- eta[i]
  }
  for (i in min(length(gamma) + 1, length(T2)):2) {
    gam[T3 > T2[i]] <- gamma[i - 1]
  }
  q <- exp(-(c(lam) + c(et)) * s)
  Q <- cumprod(q)
  indx <- 1:(nperiod - 1)
  Qm1 <- c(1, Q[indx])
  p <- c(lam) / (c(lam) + c(et)) * c(Qm1) * (1 - c(q))
  p[is.nan(p)] <- 0
  P <- cumsum(p)
  B <- c(gam) / (c(lam) + c(et)) * c(lam) * (c(s) - (1 - c(q)) / (c(lam) + c(et)))
  B[is.nan(B)] <- 0
  A <- c(0, P[indx]) * c(gam) * c(s) + c(Qm1) * c(B)
  if (!simple) {
    return(list(
      lambda = lambda, eta = eta, gamma = gamma, R = R, S = S,
      T = T, Tfinal = Tfinal, minfup = minfup, d = sum(A),
      n = sum(gam * s), q = q, Q = Q, p = p, P = P, B = B, A = A, T1 = T1,
      T2 = T2, T3 = T3, lam = lam, et = et, gam = gam
    ))
  } else {
    return(list(
      lambda = lambda, eta = eta, gamma = gamma, R = R, S = S,
      T = T, Tfinal = Tfinal, minfup = minfup, d = sum(A),
      n = sum(c(gam) * c(s))
    ))
  }
}

eEvents <- function(
  lambda = 1, eta = 0, gamma = 1, R = 1, S = NULL, T = 2,
  Tfinal = NULL, minfup = 0, digits = 4
) {
  if (is.null(Tfinal)) {
    if (minfup >= T) {
      stop("Minimum follow-up greater than study duration.")
    }
    Tfinal <- T
    minfupia <- minfup
  } else {
    minfupia <- max(0, minfup - (Tfinal - T))
  }
  if (!is.null(S)) {
    if (!is.numeric(S) || any(is.na(S)) || any(!is.finite(S)) || any(S <= 0)) {
      stop("S must be a numeric vector of positive values")
    }
  }
  if (!is.matrix(lambda)) {
    lambda <- matrix(lambda, nrow = length(lambda))
  }
  if (!is.matrix(eta)) {
    eta <- matrix(eta, nrow = nrow(lambda), ncol = ncol(lambda))
  }
  if (!is.matrix(gamma)) {
    gamma <- matrix(gamma, nrow = length(R), ncol = ncol(lambda))
  }
  n <- rep(0, ncol(lambda))
  d <- n
  for (i in seq_len(ncol(lambda))) {
    a <- eEvents1(
      lambda = as.vector(lambda[, i]), eta = as.vector(eta[, i]),
      gamma = as.vector(gamma[, i]), R = R, S = S, T = T,
      Tfinal = Tfinal, minfup = minfup
    )
    n[i] <- a$n
    d[i] <- a$d
  }
  # [edit] the period labels and row/column names of the returned matrices are dropped.
  x <- list(
    lambda = lambda, eta = eta, gamma = gamma, R = R,
    S = S, T = T, Tfinal = Tfinal,
    minfup = minfup, d = d, n = n, digits = digits
  )
  class(x) <- "eEvents"
  return(x)
}

# ---------------------------------------------------------------------------------------
# R/gsSurv-method.R
# ---------------------------------------------------------------------------------------

LFPWE <- function(
  alpha = .025, sided = 1, beta = .1,
  lambdaC = log(2) / 6, hr = .5, hr0 = 1, etaC = 0, etaE = 0,
  gamma = 1, ratio = 1, R = 18, S = NULL, T = 24, minfup = NULL
  # [edit] method argument dropped: only method = "LachinFoulkes" is transcribed.
) {
  # Set up parameters
  zalpha <- -qnorm(alpha / sided)
  zbeta <- if (is.null(beta)) NULL else -qnorm(beta)
  if (is.null(minfup)) minfup <- max(0, T - sum(R))
  if (length(R) == 1) {
    R <- T - minfup
  } else if (sum(R) != T - minfup) {
    cR <- cumsum(R)
    nR <- length(R)
    if (cR[length(cR)] < T - minfup) {
      cR[length(cR)] <- T - minfup
    } else {
      cR[cR > T - minfup] <- T - minfup
      cR <- unique(cR)
    }
    if (length(cR) > 1) {
      R <- cR - c(0, cR[1:(length(cR) - 1)])
    } else {
      R <- cR
    }
    if (nR != length(R)) {
      if (is.vector(gamma)) {
        gamma <- gamma[1:length(R)]
      } else {
        gamma <- gamma[1:length(R), , drop = FALSE]
      }
    }
  }
  Qe <- ratio / (1 + ratio) # Proportion of subjects in the experimental group
  Qc <- 1 - Qe
  # Allocation of accrual by arm
  gammaC <- gamma * Qc
  gammaE <- gamma * Qe
  eDC <- eEvents(
    lambda = lambdaC, eta = etaC, gamma = gammaC,
    R = R, S = S, T = T, minfup = minfup
  )
  eDE <- eEvents(
    lambda = lambdaC * hr, eta = etaE, gamma = gammaE,
    R = R, S = S, T = T, minfup = minfup
  )
  # [edit] the control-hazard H0 events computed here for the BernsteinLagakos method
  # (eDC0_list, eDE0_list, pC1, pE1, pC0, pE0, v1_strat, v0_strat, total_d1) are dropped:
  # for "LachinFoulkes", eDC0 and eDE0 are recomputed below and the rest is unused.
  mx <- sum(eDC$n + eDE$n)
  power_val <- NULL
  # method == "LachinFoulkes":
  # Compute H0 failure rates as average of control, experimental
  lambdaC0 <- (1 + hr * ratio) / (1 + hr0 * ratio) * lambdaC
  eDC0 <- eEvents(
    lambda = lambdaC0, eta = etaC, gamma = gammaC,
    R = R, S = S, T = T, minfup = minfup
  )$d
  eDE0 <- eEvents(
    lambda = lambdaC0 * hr0, eta = etaE, gamma = gammaE,
    R = R, S = S, T = T, minfup = minfup
  )$d
  # Compute variances
  var0_lf <- 1 / sum((1 / eDC0 + 1 / eDE0)^(-1))
  var1_lf <- 1 / sum((1 / eDC$d + 1 / eDE$d)^(-1))
  delta_log <- abs(log(hr / hr0))
  if (is.null(beta)) {
    power_val <- pnorm(-(zalpha * sqrt(var0_lf) - delta_log) / sqrt(var1_lf))
    n <- 1 # Multiplier is 1 for power calculation
  } else {
    n <- ((zalpha * sqrt(var0_lf) + zbeta * sqrt(var1_lf)) / delta_log)^2
  }
  if (is.null(beta)) {
    variable_type <- "Power"
  } else {
    variable_type <- "Accrual rate"
  }
  rval <- list(
    alpha = alpha, sided = sided, beta = beta,
    power = if (is.null(power_val)) 1 - beta else power_val,
    lambdaC = lambdaC, etaC = etaC, etaE = etaE, gamma = n * gamma,
    ratio = ratio, R = R, S = S, T = T, minfup = minfup,
    hr = hr, hr0 = hr0, n = n * mx, d = n * sum(eDC$d + eDE$d),
    eDC = eDC$d * n, eDE = eDE$d * n, eDC0 = eDC0 * n, eDE0 = eDE0 * n,
    eNC = eDC$n * n, eNE = eDE$n * n, variable = variable_type
  )
  class(rval) <- "nSurv"
  return(rval)
}

KTZ <- function(
  x = NULL, minfup = NULL, n1Target = NULL,
  lambdaC = log(2) / 6, etaC = 0, etaE = 0,
  gamma = 1, ratio = 1, R = 18, S = NULL, beta = .1,
  alpha = .025, sided = 1, hr0 = 1, hr = .5, simple = TRUE
) {
  zalpha <- -qnorm(alpha / sided)
  Qc <- 1 / (1 + ratio)
  Qe <- 1 - Qc
  # Set minimum follow-up to x if that is missing and x is given
  if (!is.null(x) && is.null(minfup)) {
    minfup <- x
    if (sum(R) == Inf) {
      stop("If minimum follow-up is sought, enrollment duration must be finite")
    }
    T <- sum(R) + minfup
    variable <- "Follow-up duration"
  } else if (!is.null(x) && !is.null(minfup)) { # Otherwise, if x is given, set it to accrual duration
    T <- x + minfup
    R[length(R)] <- Inf
    variable <- "Accrual duration"
  } else { # Otherwise, set follow-up time to accrual plus follow-up
    T <- sum(R) + minfup
    variable <- "Power"
  }
  # Compute H0 failure rates as average of control, experimental
  if (length(ratio) == 1) {
    lambdaC0 <- (1 + hr * ratio) / (1 + hr0 * ratio) * lambdaC
    gammaC <- gamma * Qc
    gammaE <- gamma * Qe
  } else {
    lambdaC0 <- lambdaC %*% diag((1 + hr * ratio) / (1 + hr0 * ratio))
    gammaC <- gamma %*% diag(Qc)
    gammaE <- gamma %*% diag(Qe)
  }
  eDC <- eEvents(
    lambda = lambdaC, eta = etaC, gamma = gammaC,
    R = R, S = S, T = T, minfup = minfup
  )
  eDE <- eEvents(
    lambda = lambdaC * hr, eta = etaE, gamma = gammaE,
    R = R, S = S, T = T, minfup = minfup
  )
  if (simple && !is.null(n1Target)) {
    return(sum(eDC$d + eDE$d) - n1Target)
  }
  eDC0 <- eEvents(
    lambda = lambdaC0, eta = etaC, gamma = gammaC,
    R = R, S = S, T = T, minfup = minfup
  )
  eDE0 <- eEvents(
    lambda = lambdaC0 * hr0, eta = etaE, gamma = gammaE,
    R = R, S = S, T = T, minfup = minfup
  )
  # Compute Z-value related to power from power equation
  zb <- (abs(log(hr0 / hr)) -
    zalpha * sqrt(1 / sum(eDC0$d) + 1 / sum(eDE0$d))) /
    sqrt(1 / sum(eDC$d) + 1 / sum(eDE$d))
  if (simple) {
    if (!is.null(beta)) {
      return(zb + qnorm(beta))
    } else {
      return(pnorm(-zb))
    }
  }
  power <- pnorm(zb)
  beta <- 1 - power
  # Set accrual period durations
  if (sum(R) != T - minfup) {
    if (length(R) == 1) {
      R <- T - minfup
    } else {
      nR <- length(R)
      cR <- cumsum(R)
      cR[cR > T - minfup] <- T - minfup
      cR <- unique(cR)
      cR[length(R)] <- T - minfup
      if (length(cR) == 1) {
        R <- cR
      } else {
        R <- cR - c(0, cR[1:(length(cR) - 1)])
      }
      if (length(R) != nR) {
        gamma <- matrix(gamma[1:length(R), ], nrow = length(R))
        gdim <- dim(gamma)
      }
    }
  }
  rval <- list(
    alpha = alpha, sided = sided, beta = beta, power = power,
    lambdaC = lambdaC, etaC = etaC, etaE = etaE,
    gamma = gamma, ratio = ratio, R = R, S = S, T = T,
    minfup = minfup, hr = hr, hr0 = hr0, n = sum(eDC$n + eDE$n),
    d = sum(eDC$d + eDE$d), tol = NULL, eDC = eDC$d, eDE = eDE$d,
    eDC0 = eDC0$d, eDE0 = eDE0$d, eNC = eDC$n, eNE = eDE$n,
    variable = variable
  )
  class(rval) <- "nSurv"
  return(rval)
}

KT <- function(
  alpha = .025, sided = 1, beta = .1,
  lambdaC = log(2) / 6, hr = .5, hr0 = 1, etaC = 0, etaE = 0,
  gamma = 1, ratio = 1, R = 18, S = NULL, minfup = NULL,
  n1Target = NULL, tol = .Machine$double.eps^0.25
) {
  if (!is.matrix(lambdaC)) lambdaC <- matrix(lambdaC)
  ldim <- dim(lambdaC)
  nstrata <- ldim[2]
  nlambda <- ldim[1]
  etaC <- matrix(etaC, nrow = nlambda, ncol = nstrata)
  etaE <- matrix(etaE, nrow = nlambda, ncol = nstrata)
  if (!is.matrix(gamma)) gamma <- matrix(gamma)
  # Search for trial duration needed to achieve desired power
  if (is.null(minfup)) {
    if (sum(R) == Inf) {
      stop("Enrollment duration must be specified as finite")
    }
    left <- KTZ(.01,
      lambdaC = lambdaC, n1Target = n1Target,
      etaC = etaC, etaE = etaE, gamma = gamma, ratio = ratio,
      R = R, S = S, beta = beta, alpha = alpha, sided = sided,
      hr0 = hr0, hr = hr
    )
    right <- KTZ(1000,
      lambdaC = lambdaC, n1Target = n1Target,
      etaC = etaC, etaE = etaE, gamma = gamma, ratio = ratio,
      R = R, S = S, beta = beta, alpha = alpha, sided = sided,
      hr0 = hr0, hr = hr
    )
    if (left > 0) {
      stop(paste(
        "With minfup = NULL, trial is over-powered for any follow-up duration.",
        "Reduce accrual rates (gamma), increase beta, or adjust assumptions."
      ))
    }
    if (right < 0) {
      stop(paste(
        "With minfup = NULL, trial is under-powered for any follow-up duration.",
        "Increase accrual rates (gamma), decrease beta, or adjust assumptions."
      ))
    }
    y <- uniroot(
      f = KTZ, interval = c(.01, 10000), lambdaC = lambdaC,
      etaC = etaC, etaE = etaE, gamma = gamma, ratio = ratio,
      R = R, S = S, beta = beta, alpha = alpha, sided = sided,
      hr0 = hr0, hr = hr, tol = tol, n1Target = n1Target
    )
    minfup <- y$root
    xx <- KTZ(
      x = y$root, lambdaC = lambdaC,
      etaC = etaC, etaE = etaE, gamma = gamma, ratio = ratio,
      R = R, S = S, minfup = NULL, beta = beta, alpha = alpha,
      sided = sided, hr0 = hr0, hr = hr, simple = F
    )
    xx$tol <- tol
    xx$iter <- y$iter # [edit] added for the fixture
    return(xx)
  } else {
    left <- KTZ(minfup + .01,
      lambdaC = lambdaC, n1Target = n1Target,
      etaC = etaC, etaE = etaE, gamma = gamma, ratio = ratio,
      R = R, S = S, minfup = minfup, beta = beta,
      alpha = alpha, sided = sided, hr0 = hr0, hr = hr
    )
    right <- KTZ(10000,
      lambdaC = lambdaC, n1Target = n1Target,
      etaC = etaC, etaE = etaE, gamma = gamma, ratio = ratio,
      R = R, S = S, minfup = minfup, beta = beta,
      alpha = alpha, sided = sided, hr0 = hr0, hr = hr
    )
    if (is.finite(left) && is.finite(right)) {
      if (left > 0 && right > 0) {
        stop(paste(
          "With T = NULL, trial is over-powered for any accrual duration.",
          "Reduce accrual rates (gamma), increase beta, or adjust assumptions."
        ))
      }
      if (left < 0 && right < 0) {
        stop(paste(
          "With T = NULL, trial is under-powered for any accrual duration.",
          "Increase accrual rates (gamma), decrease beta, or adjust assumptions."
        ))
      }
    }
    y <- uniroot(
      f = KTZ, interval = minfup + c(.01, 10000), lambdaC = lambdaC,
      n1Target = n1Target,
      etaC = etaC, etaE = etaE, gamma = gamma, ratio = ratio,
      R = R, S = S, minfup = minfup, beta = beta,
      alpha = alpha, sided = sided, hr0 = hr0, hr = hr, tol = tol
    )
    xx <- KTZ(
      x = y$root, lambdaC = lambdaC,
      etaC = etaC, etaE = etaE, gamma = gamma, ratio = ratio,
      R = R, S = S, minfup = minfup, beta = beta, alpha = alpha,
      sided = sided, hr0 = hr0, hr = hr, simple = F
    )
    xx$tol <- tol
    xx$iter <- y$iter # [edit] added for the fixture
    return(xx)
  }
}

# ---------------------------------------------------------------------------------------
# R/gsSurv-utils.R
# ---------------------------------------------------------------------------------------

validate_survival_timing_inputs <- function(R, T, minfup, call = "nSurv") {
  if (is.null(R)) {
    stop(call, ": R must be specified and cannot be NULL", call. = FALSE)
  }
  if (!is.numeric(R) || any(is.na(R)) || any(!is.finite(R)) || any(R <= 0)) {
    stop(call, ": R must be a numeric vector of positive finite values", call. = FALSE)
  }
  if (!is.null(T) &&
    (!is.numeric(T) || length(T) != 1 || is.na(T) || !is.finite(T) || T <= 0)) {
    stop(call, ": T must be NULL or a single positive finite numeric value", call. = FALSE)
  }
  if (!is.null(minfup) &&
    (!is.numeric(minfup) || length(minfup) != 1 ||
      is.na(minfup) || !is.finite(minfup) || minfup < 0)) {
    stop(call, ": minfup must be NULL or a single non-negative finite numeric value",
      call. = FALSE)
  }
  if (!is.null(T) && !is.null(minfup)) {
    accrual_duration <- T - minfup
    if (accrual_duration <= 0) {
      stop(call, ": T must be greater than minfup", call. = FALSE)
    }
    tolerance <- sqrt(.Machine$double.eps) * max(1, abs(accrual_duration))
    if (length(R) > 1 && sum(R) - accrual_duration > tolerance) {
      stop(call, ": enrollment duration from R (", signif(sum(R), 12),
        ") exceeds T - minfup (", signif(accrual_duration, 12),
        "); shorten R/gamma or increase T relative to minfup", call. = FALSE)
    }
  }
  invisible(TRUE)
}

# ---------------------------------------------------------------------------------------
# R/gsSurv-nSurv.R
# ---------------------------------------------------------------------------------------

nSurv <- function(
  lambdaC = log(2) / 6, hr = .6, hr0 = 1, eta = 0, etaE = NULL,
  gamma = 1, R = 12, S = NULL, T = 18, minfup = 6, ratio = 1,
  alpha = 0.025, beta = 0.10, sided = 1, tol = .Machine$double.eps^0.25
  # [edit] method argument dropped: only the default "LachinFoulkes" is transcribed;
  # for it, nSurv never calls LFPWESolveFollowupDuration / LFPWESolveAccrualDuration.
) {
  if (!is.numeric(ratio) || length(ratio) != 1 || ratio <= 0) {
    stop("ratio must be a single positive scalar")
  }
  if (!is.null(S)) {
    if (!is.numeric(S) || any(is.na(S)) || any(!is.finite(S)) || any(S <= 0)) {
      stop("S must be a numeric vector of positive values")
    }
  }
  validate_survival_timing_inputs(R = R, T = T, minfup = minfup, call = "nSurv")
  if (is.null(beta) && (is.null(T) || is.null(minfup))) {
    stop("When beta is NULL, R, T, and minfup must all be specified")
  }
  if (is.null(etaE)) etaE <- eta
  if (is.vector(lambdaC)) lambdaC <- matrix(lambdaC)
  ldim <- dim(lambdaC)
  nstrata <- ldim[2]
  nlambda <- ldim[1]
  etaC <- matrix(eta, nrow = nlambda, ncol = nstrata)
  etaE <- matrix(etaE, nrow = nlambda, ncol = nstrata)
  if (!is.matrix(gamma)) gamma <- matrix(gamma)
  if (is.null(minfup) || is.null(T)) {
    xx <- KT(
      lambdaC = lambdaC, hr = hr, hr0 = hr0, etaC = etaC, etaE = etaE,
      gamma = gamma, R = R, S = S, minfup = minfup, ratio = ratio,
      alpha = alpha, sided = sided, beta = beta, tol = tol
    )
  } else {
    xx <- LFPWE(
      lambdaC = lambdaC, hr = hr, hr0 = hr0, etaC = etaC, etaE = etaE,
      gamma = gamma, R = R, S = S, T = T, minfup = minfup, ratio = ratio,
      alpha = alpha, sided = sided, beta = beta
    )
  }
  # [edit] row/column names, call and inputs dropped.
  xx$method <- "LachinFoulkes"
  xx$N <- xx$n
  return(xx)
}

# ---------------------------------------------------------------------------------------
# R/gsSurvival.R: gsDesign's older single-stratum Lachin-Foulkes code (exponential
# survival and dropout, uniform entry), written independently of nSurv; gsDesign's own
# tests check nSurv against it to 1e-6.
# ---------------------------------------------------------------------------------------

pe <- function(lam, eta = 0, Ts, Tr) {
  q1 <- lam / (lam + eta)
  q2 <- exp(-(lam + eta) * (Ts - Tr)) - exp(-(lam + eta) * Ts)
  q3 <- (lam + eta) * Tr
  q1 * (1 - q2 / q3)
}

nSurvival_rr <- function(lambda1, lambda2, Ts, Tr, eta = 0, ratio = 1,
                         alpha = 0.025, beta = 0.10, sided = 1) {
  xi0 <- 1 / (1 + ratio)
  xi1 <- 1 - xi0
  ave.haz <- lambda1 * xi0 + lambda2 * xi1
  haz <- c(lambda1, lambda2, ave.haz)
  prob.e <- sapply(haz, pe, eta = eta, Ts = Ts, Tr = Tr)
  zalpha <- stats::qnorm(1 - alpha / sided)
  zbeta <- stats::qnorm(1 - beta)
  power <- zalpha / sqrt(prob.e[3] * xi0 * xi1) +
    zbeta * sqrt((xi0 * prob.e[1])^(-1) + (xi1 * prob.e[2])^(-1))
  N <- (power / log(lambda1 / lambda2))^2
  list(n = N, nEvents = N * (xi0 * prob.e[1] + xi1 * prob.e[2]))
}

# ---------------------------------------------------------------------------------------
# Checks of the transcription against numbers in gsDesign's own test suite
# (tests/testthat/test-independent-test-nSurv.R, _snaps/independent-test-print.nSurv.md).
# ---------------------------------------------------------------------------------------

close <- function(a, b, tol) abs(a - b) <= tol
ns <- nSurv(lambdaC = .2, hr = .7, eta = .1, T = 2, minfup = 1.5)
ss <- nSurvival_rr(lambda1 = .2, lambda2 = .14, eta = .1, Ts = 2, Tr = .5)
stopifnot(isTRUE(all.equal(ss$n, ns$n)), isTRUE(all.equal(ss$nEvents, ns$d)))
nsg <- nSurv(lambdaC = .2, hr = .7, eta = .1, R = 0.5, T = NULL, minfup = NULL,
  gamma = ns$gamma)
stopifnot(round(ns$n, 3) == round(nsg$n, 3))
ss2 <- nSurv(lambdaC = log(2) / 6, hr = .5, eta = log(2) / 40, T = 36, minfup = 12)
ss1 <- nSurvival_rr(lambda1 = log(2) / 6, lambda2 = log(2) / 12, eta = log(2) / 40,
  Ts = 36, Tr = 24)
stopifnot(close(ss2$n, ss1$n, 1e-6), close(ss2$d, ss1$nEvents, 1e-6))
x <- nSurv(lambdaC = log(2) / 20, hr = .5, gamma = 1, T = 36, minfup = 12)
stopifnot(close(x$d, 87.4793, 2), close(x$n, 197.1152, 2)) # SAS PROC SEQDESIGN
x <- nSurv(lambdaC = log(2) / 20, hr = .5, gamma = 6, T = NULL, minfup = 12)
stopifnot(close(x$d, 87.4793, 2), close(x$n, 182.1759, 2))
x <- nSurv(lambdaC = log(2) / 20, hr = .5, gamma = 6, R = 25, T = NULL, minfup = NULL)
stopifnot(close(x$d, 89.07848, 2), close(x$n, 149.861, 2))
snap <- function(x, N, D, T, R) {
  stopifnot(sprintf("%.1f", x$n) == N, sprintf("%.1f", x$d) == D,
    sprintf("%.1f", x$T) == T, sprintf("%.3f", sum(x$R)) == R)
}
snap(nSurv(lambdaC = log(2) / 6, hr = 0.6, eta = 0, etaE = 0, gamma = 1, R = 12,
  T = NULL, minfup = 0.2), "172.0", "160.7", "172.2", "171.997")
snap(nSurv(lambdaC = log(2) / 6, hr = 0.6, eta = 0, etaE = 0.2, gamma = 1, R = 12,
  T = NULL, minfup = 0.2), "362.6", "223.3", "362.8", "362.589")
snap(nSurv(lambdaC = log(2) / 6, hr = 0.6, eta = 0, etaE = 0.2, gamma = 1, R = 12,
  T = NULL, minfup = 0.2, ratio = 0.8), "385.6", "253.2", "385.8", "385.563")

# ---------------------------------------------------------------------------------------
# Cases. gsDesign's alpha is split by `sided`: z_alpha = qnorm(1 - alpha / sided), so
# alpha = 0.05, sided = 2 is the same design as alpha = 0.025, sided = 1 (one-sided test
# at alpha / sided; the other tail is never counted). `ratio` is experimental:control.
# `gamma` is the total accrual rate (both arms) per period of length R; with T and
# minfup given it is only a relative pattern that nSurv scales.
# ---------------------------------------------------------------------------------------

l12 <- log(2) / 12
base <- list(lambdaC = l12, hr = 0.7, alpha = 0.05, sided = 2, beta = 0.2, gamma = 1,
  R = 24, T = 36, minfup = 12)
# (modifyList would drop NULL values; T = NULL, minfup = NULL, beta = NULL must be kept.)
with_args <- function(...) {
  a <- base
  new <- list(...)
  for (k in names(new)) a[k] <- list(new[[k]])
  a
}
tight <- 1e-10
cases <- list(
  list(name = "nSurv defaults", args = list()),
  list(name = "HR 0.7, two-sided 0.05, 80%, 1:1, median 12, accrual 24, follow-up 12",
    args = base),
  list(name = "same with dropout hazard 0.01 per month", args = with_args(eta = 0.01)),
  list(name = "same, ratio 2 (experimental:control)", args = with_args(ratio = 2)),
  list(name = "piecewise accrual gamma 2, 8 over R 6, 18",
    args = with_args(gamma = c(2, 8), R = c(6, 18))),
  list(name = "piecewise control hazard: median 9 for 6 months, then median 18",
    args = with_args(lambdaC = log(2) / c(9, 18), S = 6)),
  list(name = "all together: 2:1, piecewise accrual and hazard, dropout 0.01 / 0.02",
    args = with_args(ratio = 2, gamma = c(2, 8), R = c(6, 18), lambdaC = log(2) / c(9, 18),
      S = 6, eta = 0.01, etaE = 0.02)),
  list(name = "R shorter than T - minfup: last accrual period extended",
    args = with_args(gamma = c(1, 3), R = c(6, 6))),
  list(name = "non-inferiority: hr 1, hr0 1.3, one-sided 0.025, 90%",
    args = with_args(hr = 1, hr0 = 1.3, alpha = 0.025, sided = 1, beta = 0.1)),
  list(name = "power: 20 per month for 24 months, T 36 (beta NULL)",
    args = with_args(gamma = 20, beta = NULL)),
  list(name = "solve accrual duration: 20 per month, minfup 12 (T NULL)",
    args = with_args(gamma = 20, T = NULL)),
  list(name = "solve accrual duration, tight tol",
    args = with_args(gamma = 20, T = NULL, tol = tight)),
  list(name = "solve accrual duration, ramp-up 5 per month for 6 months then 20",
    args = with_args(gamma = c(5, 20), R = c(6, 1), T = NULL)),
  list(name = "solve accrual duration, ramp-up, tight tol",
    args = with_args(gamma = c(5, 20), R = c(6, 1), T = NULL, tol = tight)),
  list(name = "solve follow-up: 20 per month for 24 months (minfup NULL)",
    args = with_args(gamma = 20, T = NULL, minfup = NULL)),
  list(name = "solve follow-up, tight tol",
    args = with_args(gamma = 20, T = NULL, minfup = NULL, tol = tight)),
  list(name = "solve follow-up, 2:1, dropout, piecewise accrual and hazard",
    args = with_args(ratio = 2, gamma = c(10, 25), R = c(6, 18), lambdaC = log(2) / c(9, 18),
      S = 6, eta = 0.01, T = NULL, minfup = NULL)),
  list(name = "solve follow-up, 2:1, dropout, piecewise, tight tol",
    args = with_args(ratio = 2, gamma = c(10, 25), R = c(6, 18), lambdaC = log(2) / c(9, 18),
      S = 6, eta = 0.01, T = NULL, minfup = NULL, tol = tight))
)

# The one-sided/two-sided mapping: alpha 0.05 with sided 2 is alpha 0.025 with sided 1.
a <- do.call(nSurv, base)
b <- do.call(nSurv, modifyList(base, list(alpha = 0.025, sided = 1)))
stopifnot(identical(a$n, b$n), identical(a$d, b$d))

# Arguments as nSurv receives them; those not given take nSurv's defaults, written out.
defaults <- formals(nSurv)
arg_names <- c("lambdaC", "hr", "hr0", "eta", "etaE", "gamma", "R", "S", "T", "minfup",
  "ratio", "alpha", "beta", "sided", "tol")
full_args <- function(args) {
  out <- list()
  for (k in arg_names) {
    v <- if (k %in% names(args)) args[[k]] else eval(defaults[[k]])
    out[k] <- list(v)
  }
  out
}
vector_args <- c("lambdaC", "eta", "etaE", "gamma", "R", "S")
arr_or_null <- function(x) if (is.null(x)) "null" else json_array(as.vector(x))
num_or_null <- function(x) if (is.null(x)) "null" else json_num(x)

entries <- vapply(cases, function(cs) {
  a <- full_args(cs$args)
  x <- do.call(nSurv, cs$args)
  alpha1 <- a$alpha / a$sided
  fields <- list(
    name = json_string(cs$name),
    args = json_object(lapply(setNames(arg_names, arg_names), function(k) {
      # vector-valued arguments always as arrays (or null), the others as numbers (or null)
      if (k %in% vector_args) arr_or_null(a[[k]]) else num_or_null(a[[k]])
    })),
    solver = json_string(if (is.null(a$minfup)) "follow-up duration (KT)"
      else if (is.null(a$T)) "accrual duration (KT)" else "LFPWE"),
    variable = json_string(x$variable),
    alpha_one_sided = json_num(alpha1),
    z_alpha = json_num(-qnorm(alpha1)),
    z_beta = num_or_null(if (is.null(a$beta)) NULL else -qnorm(a$beta)),
    n = json_num(x$n),
    d = json_num(x$d),
    T = json_num(x$T),
    minfup = json_num(x$minfup),
    accrual_duration = json_num(sum(x$R)),
    R = json_array(x$R),
    gamma = json_array(as.vector(x$gamma)),
    power = json_num(x$power),
    beta = num_or_null(x$beta), # NULL (null) in the power case, as nSurv returns it
    eNC = json_num(sum(x$eNC)),
    eNE = json_num(sum(x$eNE)),
    eDC = json_num(sum(x$eDC)),
    eDE = json_num(sum(x$eDE)),
    eDC0 = json_num(sum(x$eDC0)),
    eDE0 = json_num(sum(x$eDE0)),
    pC = json_num(sum(x$eDC) / sum(x$eNC)),
    pE = json_num(sum(x$eDE) / sum(x$eNE)),
    pC0 = json_num(sum(x$eDC0) / sum(x$eNC)),
    pE0 = json_num(sum(x$eDE0) / sum(x$eNE)),
    uniroot_iter = if (is.null(x$iter)) NULL else json_num(x$iter)
  )
  fields <- fields[!vapply(fields, is.null, TRUE)]
  stopifnot(all(vapply(fields, function(f) is.character(f) && length(f) == 1, TRUE)))
  json_object(fields)
}, "")

writeLines(paste0(
  "{\n",
  "  \"source\": ", json_string(paste0(
    "gsDesign nSurv(method = \"LachinFoulkes\"), transcribed in tests/r/lachin_foulkes.R from ",
    "github.com/keaven/gsDesign R/gsSurv-*.R")), ",\n",
  "  \"gsdesign_commit\": ", json_string(GSDESIGN_COMMIT), ",\n",
  "  \"gsdesign_version\": ", json_string(GSDESIGN_VERSION), ",\n",
  "  \"r_version\": ", json_string(R.version.string), ",\n",
  "  \"notes\": ", json_strings(c(
    "args are nSurv's (null = NULL); alpha is split by sided: z_alpha = qnorm(1 - alpha/sided)",
    "ratio = experimental:control; gamma = total accrual rate per R period (both arms)",
    "n, d, eN*, eD* are totals over arms/strata; pC/pE = per-patient event probability under H1, pC0/pE0 under LF's H0 (pooled hazard)",
    "solved cases (T or minfup NULL) come from uniroot with tol = args.tol on the duration scale; the 'tight tol' twins are (nearly) the exact root")), ",\n",
  "  \"cases\": ", gsub("\n", "\n  ", json_list(entries), fixed = TRUE), "\n",
  "}"), file.path(out_dir, "lachin_foulkes.json"))
cat("wrote", length(entries), "cases to", file.path(out_dir, "lachin_foulkes.json"), "\n")
