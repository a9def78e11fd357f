# Golden fixtures for subgroup analyses (issue 16): within each level of a subgroup
# variable, the Cox model of the arm (HR and 95% CI, n and events per arm), and the test
# of the arm × subgroup interaction in coxph(Surv ~ arm * subgroup): likelihood ratio
# (anova of the models with and without the interaction) and Wald (the interaction
# coefficients with their covariance). On veteran (celltype, prior), pbc (sex, edema >
# 0) and colon (death; Obs vs Lev+5FU; sex, obstruct); each level's Kaplan–Meier median
# per arm; and, with strata, the same models with + strata(s) (veteran by celltype
# stratified by prior, colon by sex stratified by obstruct).
#
# Run from the repository root:
#
#     Rscript tests/r/subgroup.R
#
# Writes tests/fixtures/subgroup/<name>.json (read by crates/core/tests/suite/subgroup.rs).
suppressPackageStartupMessages(library(survival))
source(file.path("tests", "r", "json.R"))
out_dir <- file.path("tests", "fixtures", "subgroup")
dir.create(out_dir, showWarnings = FALSE)

write_set <- function(name, time, status, arm, sub, strata = NULL) {
  arm <- factor(arm)
  sub <- factor(sub)
  st <- if (is.null(strata)) NULL else factor(strata)
  levels_json <- character(0)
  for (l in levels(sub)) {
    i <- sub == l
    n <- as.vector(table(arm[i]))
    ev <- as.vector(tapply(status[i], arm[i], sum))
    fit <- if (is.null(st)) coxph(Surv(time[i], status[i]) ~ arm[i]) else
      coxph(Surv(time[i], status[i]) ~ arm[i] + strata(st[i]))
    ci <- exp(confint(fit))
    km <- summary(survfit(Surv(time[i], status[i]) ~ arm[i]))$table[, "median"]
    levels_json <- c(levels_json, sprintf(
      '{"level": %s, "n": %s, "events": %s, "hr": %s, "lower": %s, "upper": %s, "median": %s}',
      json_string(l), json_array(n), json_array(ev), json_num(exp(coef(fit))[1]),
      json_num(ci[1, 1]), json_num(ci[1, 2]), json_array(km)))
  }
  main <- if (is.null(st)) coxph(Surv(time, status) ~ arm + sub) else
    coxph(Surv(time, status) ~ arm + sub + strata(st))
  full <- if (is.null(st)) coxph(Surv(time, status) ~ arm * sub) else
    coxph(Surv(time, status) ~ arm * sub + strata(st))
  a <- anova(main, full)
  k <- grep(":", names(coef(full)))
  b <- coef(full)[k]
  wald <- as.numeric(t(b) %*% solve(vcov(full)[k, k, drop = FALSE]) %*% b)
  txt <- sprintf(paste0('{"r_version": %s, "survival": %s,\n "time": %s,\n "status": %s,\n',
    ' "arm": [%s],\n "sub": [%s],\n "strata": %s,\n "levels": [\n  %s],\n',
    ' "interaction": {"lr": %s, "df": %s, "p_lr": %s, "wald": %s, "p_wald": %s}}\n'),
    json_string(R.version.string), json_string(as.character(packageVersion("survival"))),
    json_array(time), json_array(status),
    paste(vapply(as.character(arm), json_string, ""), collapse = ", "),
    paste(vapply(as.character(sub), json_string, ""), collapse = ", "),
    if (is.null(st)) "null" else
      paste0("[", paste(vapply(as.character(st), json_string, ""), collapse = ", "), "]"),
    paste(levels_json, collapse = ",\n  "),
    json_num(a$Chisq[2]), json_num(a$Df[2]), json_num(a[2, 4]), json_num(wald),
    json_num(pchisq(wald, length(k), lower.tail = FALSE)))
  writeLines(txt, file.path(out_dir, paste0(name, ".json")))
}

v <- survival::veteran
write_set("veteran_celltype", v$time, v$status, v$trt, v$celltype)
write_set("veteran_prior", v$time, v$status, v$trt, v$prior)
p <- subset(survival::pbc, !is.na(trt))
write_set("pbc_sex", p$time, as.integer(p$status == 2), p$trt, p$sex)
write_set("pbc_edema", p$time, as.integer(p$status == 2), p$trt, ifelse(p$edema > 0, "yes", "no"))
co <- subset(survival::colon, etype == 2 & rx != "Lev")
write_set("colon_sex", co$time, co$status, as.character(co$rx), co$sex)
write_set("colon_obstruct", co$time, co$status, as.character(co$rx), co$obstruct)
write_set("veteran_celltype_strata", v$time, v$status, v$trt, v$celltype, strata = v$prior)
write_set("colon_sex_strata", co$time, co$status, as.character(co$rx), co$sex,
  strata = co$obstruct)
cat("wrote", length(list.files(out_dir)), "files to", out_dir, "\n")
