# Golden fixtures for the Cox models of survcalc-core: multivariable, categorical,
# stratified, Efron / Breslow / exact ties, concordance, cox.zph, monotone likelihood, and
# the log-rank / Mantel-Haenszel hazard ratios of GraphPad Prism.
#
# Run from the repository root:
#
#     Rscript tests/r/cox.R
#
# Writes tests/fixtures/cox/*.json, read by crates/core/tests/suite/cox.rs. Each model fixture
# holds the input (time, status, group labels and levels, the terms, the strata) exactly as
# the Rust test builds its CoxDesign, and for each ties method R's
#
#   coxph(Surv(time, status) ~ <terms> [+ strata(s)], ties = T)   (na.action = na.omit)
#
#   coef, se, var, loglik, iter, wald / lr / score (chisq, df, p as summary.coxph),
#   per-term Wald tests (survival:::coxph.wtest on the term's block of vcov),
#   concordance(fit) (count, concordance, sqrt(var)) and summary(fit)$concordance,
#   the warnings R gave, n, nevent, na.action (0-based rows),
#   cox.zph(fit, transform = "km" / "identity" / "rank"): table, x, time, y, var.
#
# hazard_ratios.json: for two-group data sets, survdiff's obs / exp / var and the hazard
# ratios computed from them by hand with the formulas of GraphPad Prism's documentation
# ("Key facts about the hazard ratio"; Machin, Cheung & Parmar, Survival Analysis, ch. 3):
#   log-rank:        HR = (O1/E1)/(O0/E0),  CI exp(log HR ± z sqrt(1/E1 + 1/E0))
#   Mantel-Haenszel: HR = exp((O1 - E1)/V),  CI exp((O1 - E1)/V ± z/sqrt(V))
# where group 1 is the non-reference group and V = var[2, 2] of survdiff.
#
# Number format as tests/r/make_fixtures.R: every number with sprintf("%.17g"), NA / NaN /
# Inf as null, JSON built by hand (jsonlite is not needed).

suppressPackageStartupMessages(library(survival))
invisible(Sys.setlocale("LC_COLLATE", "C")) # factor() level order: by code point

out_dir <- file.path("tests", "fixtures", "cox")
if (!dir.exists(file.path("tests", "fixtures"))) {
  stop("run from the repository root: tests/fixtures/ not found")
}
dir.create(out_dir, showWarnings = FALSE)

# ---------------------------------------------------------------------------------------
# JSON writing: tests/r/json.R

source(file.path("tests", "r", "json.R"))  # run from the repository root

versions <- list(
  r_version = json_string(R.version.string),
  survival_version = json_string(as.character(packageVersion("survival")))
)

# ---------------------------------------------------------------------------------------
# Model description shared by R and Rust

# Terms: list(kind = "group"), list(kind = "numeric", name, values),
# list(kind = "categorical", name, labels, levels = NULL, reference = NULL).
numeric_term <- function(name, values) list(kind = "numeric", name = name, values = as.double(values))
categorical_term <- function(name, labels, levels = NULL, reference = NULL) {
  list(kind = "categorical", name = name, labels = as.character(labels),
       levels = levels, reference = reference)
}
group_term <- function(name) list(kind = "group", name = name)

term_json <- function(t) {
  switch(t$kind,
    group = json_object(list(kind = json_string("group"), name = json_string(t$name))),
    numeric = json_object(list(kind = json_string("numeric"), name = json_string(t$name),
                               values = json_array(t$values))),
    categorical = json_object(list(
      kind = json_string("categorical"), name = json_string(t$name),
      labels = json_strings(t$labels),
      levels = if (is.null(t$levels)) "null" else json_strings(t$levels),
      reference = if (is.null(t$reference)) "null" else json_string(t$reference)
    ))
  )
}

# The data frame R fits, with factor columns built as the Rust design builds them.
model_data <- function(time, status, group, group_levels, terms, strata) {
  d <- data.frame(time = as.double(time), status = as.double(status))
  for (t in terms) {
    d[[t$name]] <- switch(t$kind,
      group = factor(group, levels = group_levels),
      numeric = t$values,
      categorical = {
        f <- if (is.null(t$levels)) factor(t$labels) else factor(t$labels, levels = t$levels)
        if (!is.null(t$reference)) f <- relevel(f, ref = t$reference)
        f
      }
    )
  }
  if (!is.null(strata)) d[[strata$name]] <- strata$values
  d
}

model_formula <- function(terms, strata) {
  rhs <- vapply(terms, function(t) paste0("`", t$name, "`"), "")
  if (!is.null(strata)) rhs <- c(rhs, paste0("strata(`", strata$name, "`)"))
  as.formula(paste("Surv(time, status) ~", paste(rhs, collapse = " + ")))
}

chisq_json <- function(chisq, df) {
  json_object(list(chisq = json_scalar(chisq), df = json_scalar(df),
                   p = json_scalar(pchisq(chisq, df, lower.tail = FALSE))))
}

zph_json <- function(fit, transform) {
  z <- tryCatch(cox.zph(fit, transform = transform), error = function(e) NULL)
  if (is.null(z)) return("null")
  tbl <- z$table
  n <- nrow(tbl)
  json_object(list(
    terms = json_strings(rownames(tbl)[-n]),
    chisq = json_array(tbl[-n, "chisq"]),
    df = json_array(tbl[-n, "df"]),
    p = json_array(tbl[-n, "p"]),
    global = json_object(list(chisq = json_scalar(tbl[n, "chisq"]), df = json_scalar(tbl[n, "df"]),
                              p = json_scalar(tbl[n, "p"]))),
    x = json_array(z$x),
    time = json_array(z$time),
    strata = if (is.null(z$strata)) "null" else json_strings(as.character(z$strata)),
    y = json_matrix(z$y),
    var = json_matrix(z$var)
  ))
}

# `spec` is a ties method, optionally with an iteration limit: "exact@2" is
# coxph(ties = "exact", iter.max = 2).
fit_json <- function(d, form, spec, do_zph) {
  parts <- strsplit(spec, "@", fixed = TRUE)[[1]]
  ties <- parts[1]
  iter_max <- if (length(parts) > 1) as.integer(parts[2]) else 20L
  r <- with_warnings(coxph(form, data = d, ties = ties, model = TRUE, x = TRUE,
                           iter.max = iter_max))
  fit <- r$value
  s <- summary(fit)
  b <- coef(fit)
  df <- sum(!is.na(b))
  term_tests <- lapply(names(fit$assign), function(tn) {
    jj <- fit$assign[[tn]]
    jj <- jj[!is.na(b[jj])]
    w <- survival:::coxph.wtest(fit$var[jj, jj, drop = FALSE], b[jj], coxph.control()$toler.chol)
    json_object(list(term = json_string(gsub("`", "", tn)), chisq = json_scalar(w$test),
                     df = json_scalar(w$df),
                     p = json_scalar(pchisq(w$test, w$df, lower.tail = FALSE))))
  })
  cc <- concordance(fit)
  na_rows <- if (is.null(fit$na.action)) integer(0) else as.integer(fit$na.action) - 1L
  zph <- if (do_zph) {
    json_object(list(km = zph_json(fit, "km"), identity = zph_json(fit, "identity"),
                     rank = zph_json(fit, "rank")))
  } else "null"
  json_object(list(
    ties = json_string(ties),
    iter_max = json_scalar(iter_max),
    names = json_strings(gsub("`", "", names(b))),
    coef = json_array(b),
    se = json_array(sqrt(diag(fit$var))),
    var = json_matrix(fit$var),
    means = json_array(fit$means),
    loglik = json_array(fit$loglik),
    iter = json_scalar(fit$iter),
    wald = chisq_json(fit$wald.test, df),
    lr = chisq_json(2 * (fit$loglik[2] - fit$loglik[1]), df),
    score = chisq_json(fit$score, df),
    hr_lower = json_array(s$conf.int[, 3]),
    hr_upper = json_array(s$conf.int[, 4]),
    p_wald = json_array(s$coefficients[, "Pr(>|z|)"]),
    term_tests = json_list(term_tests),
    concordance = json_object(list(
      count = json_array(if (is.matrix(cc$count)) colSums(cc$count) else cc$count),
      concordance = json_scalar(cc$concordance),
      std = json_scalar(sqrt(cc$var)),
      summary_c = json_scalar(s$concordance[1]),
      summary_se = json_scalar(s$concordance[2])
    )),
    warnings = json_strings(r$warnings),
    n = json_scalar(fit$n),
    nevent = json_scalar(fit$nevent),
    na_rows = json_array(na_rows),
    zph = zph
  ))
}

# Writes one model fixture. `expect` is a list of named JSON values for the Rust test
# (e.g. the monotone-likelihood diagnosis the constructed data were built to trigger).
write_model <- function(name, description, time, status, terms, group = NULL,
                        group_levels = NULL, strata = NULL, ties = c("efron", "breslow", "exact"),
                        zph = TRUE, expect = list()) {
  n <- length(time)
  if (is.null(group)) group <- rep("all", n)
  group <- as.character(group)
  if (is.null(group_levels)) group_levels <- unique(group)
  d <- model_data(time, status, group, group_levels, terms, strata)
  form <- model_formula(terms, strata)
  fits <- lapply(ties, function(t) fit_json(d, form, t, zph))
  names(fits) <- ties
  fields <- c(list(
    name = json_string(name),
    description = json_string(description),
    formula = json_string(paste(deparse(form), collapse = " "))
  ), versions, list(
    data = json_object(list(time = json_array(time), status = json_array(status),
                            group = json_strings(group))),
    group_levels = json_strings(group_levels),
    terms = json_list(lapply(terms, term_json)),
    strata = if (is.null(strata)) "null" else json_object(list(
      name = json_string(strata$name),
      labels = json_strings(as.character(strata$values))
    )),
    fits = json_object(fits)
  ))
  if (length(expect)) fields$expect <- json_object(expect)
  path <- file.path(out_dir, paste0(name, ".json"))
  writeLines(json_object(fields), path, useBytes = TRUE)
  cat("wrote", path, "\n")
}

# ---------------------------------------------------------------------------------------
# Data sets from the survival package

v <- veteran
write_model("veteran", "survival::veteran: trt (factor, reference 1) + karno + celltype (reference squamous)",
            v$time, v$status,
            list(group_term("trt"), numeric_term("karno", v$karno),
                 categorical_term("celltype", as.character(v$celltype), reference = "squamous")),
            group = v$trt, group_levels = c("1", "2"))

# Coarse times (months, rounded up): heavy ties for the exact likelihood.
write_model("veteran_months", "survival::veteran with time = ceiling(time / 30): heavy ties",
            ceiling(v$time / 30), v$status,
            list(group_term("trt"), numeric_term("karno", v$karno),
                 categorical_term("celltype", as.character(v$celltype), reference = "squamous")),
            group = v$trt, group_levels = c("1", "2"))

# A level whose rows are all excluded for missing karno: R keeps the empty level and gives
# its coefficient NA ("X matrix deemed to be singular").
k2 <- v$karno
k2[v$celltype == "large"] <- NA
write_model("veteran_empty_level", "veteran, karno missing for every 'large' cell type: singular column",
            v$time, v$status,
            list(numeric_term("karno", k2),
                 categorical_term("celltype", as.character(v$celltype), reference = "squamous")),
            ties = c("efron", "breslow"))

l <- lung
write_model("lung", "survival::lung, event = status == 2: sex (factor, reference 1) + age + ph.ecog (1 NA)",
            l$time, as.integer(l$status == 2),
            list(group_term("sex"), numeric_term("age", l$age), numeric_term("ph.ecog", l$ph.ecog)),
            group = l$sex, group_levels = c("1", "2"))

write_model("lung_strata", "lung as above + strata(inst); rows with missing inst or ph.ecog left out",
            l$time, as.integer(l$status == 2),
            list(group_term("sex"), numeric_term("age", l$age), numeric_term("ph.ecog", l$ph.ecog)),
            group = l$sex, group_levels = c("1", "2"),
            strata = list(name = "inst", values = l$inst))

o <- ovarian
write_model("ovarian", "survival::ovarian: rx (factor, reference 1) + age",
            o$futime, o$fustat, list(group_term("rx"), numeric_term("age", o$age)),
            group = o$rx, group_levels = c("1", "2"))

a <- aml
write_model("aml", "survival::aml: x (Maintained reference)",
            a$time, a$status, list(group_term("x")),
            group = as.character(a$x), group_levels = c("Maintained", "Nonmaintained"))

cl <- subset(colon, etype == 2)
write_model("colon", "survival::colon, etype == 2 (death): rx (reference Obs) + age + node4",
            cl$time, cl$status,
            list(categorical_term("rx", as.character(cl$rx), reference = "Obs"),
                 numeric_term("age", cl$age), numeric_term("node4", cl$node4)))

# Stratified with the default (sorted) level order of a categorical, no reference given.
write_model("colon_strata", "colon death: rx (levels in factor() order, first = reference) + age, strata(sex)",
            cl$time, cl$status,
            list(categorical_term("rx", as.character(cl$rx)), numeric_term("age", cl$age)),
            strata = list(name = "sex", values = cl$sex))

p <- pbc
write_model("pbc", "survival::pbc, event = status == 2: trt (factor, 106 NA) + age + log(bili) + edema",
            p$time, as.integer(p$status == 2),
            list(categorical_term("trt", ifelse(is.na(p$trt), NA, as.character(p$trt))),
                 numeric_term("age", p$age), numeric_term("logbili", log(p$bili)),
                 numeric_term("edema", p$edema)))

# ---------------------------------------------------------------------------------------
# Constructed monotone likelihood (literal data, no random numbers)

# An arm without events, plus a covariate that does not separate.
write_model("mono_noevents_arm", "constructed: arm 'exp' has no events; age does not separate",
            time = c(2, 5, 3, 8, 4, 9, 6, 12, 7, 15, 10, 11, 13, 14),
            status = c(1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0),
            terms = list(group_term("arm"),
                         numeric_term("age", c(61, 50, 47, 72, 55, 66, 70, 58, 49, 63, 52, 68, 59, 64))),
            group = rep(c("ctrl", "exp"), 7), group_levels = c("ctrl", "exp"), zph = FALSE,
            expect = list(cause = json_string("level"), term = json_string("arm"),
                          level = json_string("exp"), higher_hazard = "false",
                          diverging = json_strings("armexp"), direction = json_string("minus-infinity")))

# A numeric covariate that orders the event times: the higher, the earlier.
write_model("mono_ordering", "constructed: every event has the largest x of its risk set",
            time = c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
            status = c(1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0),
            terms = list(group_term("arm"),
                         numeric_term("x", c(12, 11, 3, 10, 9, 8, 2, 7, 6, 1, 5, 4))),
            group = c("a", "b", "a", "b", "b", "a", "a", "b", "a", "b", "a", "b"),
            group_levels = c("a", "b"), zph = FALSE,
            expect = list(cause = json_string("numeric"), term = json_string("x"),
                          higher_hazard = "true", diverging = json_strings("x"),
                          direction = json_string("plus-infinity")))

# The same with small iteration limits: the paths R takes when it runs out of iterations
# (the last good beta, its information inverted without refactoring) for each method.
write_model("mono_ordering_short", "mono_ordering with iter.max = 1, 2, 3",
            time = c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
            status = c(1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0),
            terms = list(group_term("arm"),
                         numeric_term("x", c(12, 11, 3, 10, 9, 8, 2, 7, 6, 1, 5, 4))),
            group = c("a", "b", "a", "b", "b", "a", "a", "b", "a", "b", "a", "b"),
            group_levels = c("a", "b"), zph = FALSE,
            ties = c("efron@1", "efron@2", "efron@3", "breslow@2", "exact@1", "exact@2", "exact@3"),
            expect = list(cause = json_string("numeric"), term = json_string("x"),
                          higher_hazard = "true", diverging = json_strings("x"),
                          direction = json_string("plus-infinity")))

# Three arms; the reference arm has no events.
write_model("mono_reference_noevents", "constructed: 3 arms, the reference arm 'ctrl' has no events",
            time = c(3, 4, 6, 2, 5, 9, 8, 7, 10, 1, 11, 12, 6, 9, 4),
            status = c(0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1),
            terms = list(group_term("arm")),
            group = rep(c("ctrl", "A", "B"), 5), group_levels = c("ctrl", "A", "B"), zph = FALSE,
            expect = list(cause = json_string("level"), term = json_string("arm"),
                          level = json_string("ctrl"), higher_hazard = "false",
                          diverging = json_strings(c("armA", "armB")),
                          direction = json_string("plus-infinity")))

# Separation only within strata: in each stratum the higher x fails first, but pooled the
# first events of stratum s2 have smaller x than survivors of s1.
write_model("mono_strata", "constructed: x orders the events within each stratum, not pooled",
            time = c(1, 2, 3, 4, 5, 1, 2, 3, 4, 5),
            status = c(1, 1, 1, 1, 0, 1, 1, 0, 1, 0),
            terms = list(group_term("arm"), numeric_term("x", c(15, 14, 13, 12, 11, 5, 4, 3, 2, 1))),
            group = c("a", "b", "a", "b", "a", "b", "a", "b", "a", "b"), group_levels = c("a", "b"),
            strata = list(name = "site", values = rep(c("s1", "s2"), each = 5)), zph = FALSE,
            expect = list(cause = json_string("numeric"), term = json_string("x"),
                          higher_hazard = "true", diverging = json_strings("x"),
                          direction = json_string("plus-infinity")))

# ---------------------------------------------------------------------------------------
# Hazard ratios by the log-rank and Mantel-Haenszel methods (GraphPad Prism)

hr_case <- function(name, time, status, group, levels, conf = 0.95) {
  g <- factor(as.character(group), levels = levels)
  sd <- survdiff(Surv(time, status) ~ g)
  O <- sd$obs; E <- sd$exp; V <- sd$var[2, 2]
  z <- qnorm(1 - (1 - conf) / 2)
  lr_hr <- (O[2] / E[2]) / (O[1] / E[1])
  lr_se <- sqrt(1 / E[2] + 1 / E[1])
  mh_log <- (O[2] - E[2]) / V
  mh_se <- 1 / sqrt(V)
  json_object(list(
    name = json_string(name),
    data = json_object(list(time = json_array(time), status = json_array(status),
                            group = json_strings(as.character(group)))),
    levels = json_strings(levels),
    conf_level = json_scalar(conf),
    obs = json_array(O), exp = json_array(E), var = json_scalar(V),
    logrank = json_object(list(hr = json_scalar(lr_hr), se_log = json_scalar(lr_se),
                               lower = json_scalar(exp(log(lr_hr) - z * lr_se)),
                               upper = json_scalar(exp(log(lr_hr) + z * lr_se)))),
    mantel_haenszel = json_object(list(hr = json_scalar(exp(mh_log)), se_log = json_scalar(mh_se),
                                       lower = json_scalar(exp(mh_log - z * mh_se)),
                                       upper = json_scalar(exp(mh_log + z * mh_se))))
  ))
}
hr <- json_object(c(versions, list(cases = json_list(list(
  hr_case("veteran", v$time, v$status, v$trt, c("1", "2")),
  hr_case("lung", l$time, as.integer(l$status == 2), l$sex, c("1", "2")),
  hr_case("ovarian", o$futime, o$fustat, o$rx, c("1", "2")),
  hr_case("aml", a$time, a$status, a$x, c("Maintained", "Nonmaintained")),
  hr_case("aml_90", a$time, a$status, a$x, c("Maintained", "Nonmaintained"), conf = 0.90),
  hr_case("veteran_months", ceiling(v$time / 30), v$status, v$trt, c("1", "2"))
)))))
writeLines(hr, file.path(out_dir, "hazard_ratios.json"), useBytes = TRUE)
cat("wrote", file.path(out_dir, "hazard_ratios.json"), "\n")
