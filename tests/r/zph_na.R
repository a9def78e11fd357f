# Golden fixture for cox.zph when a coefficient is not estimable (R's silent NA, issue 11):
# cox.zph drops the NA column and tests the rest. Two data sets:
#   one_left   a three-arm factor whose third arm is censored before the first event: one
#              column kept, so cox.zph(terms = TRUE) works and gives the group's test.
#   two_left   four arms, the fourth censored throughout: two columns kept. Here
#              cox.zph(terms = TRUE) fails in survival 3.5 ("length of 'dimnames' [1] not
#              equal to array extent": its sapply() over the terms simplifies to a matrix),
#              so the global test comes from terms = FALSE, which it does not depend on.
#
# Run from the repository root:
#
#     Rscript tests/r/zph_na.R
#
# Writes tests/fixtures/cox/zph_na.json (read by crates/core/tests/suite/cox.rs): per case
# the data (time, status, group), coef (NA as null), and the cox.zph (transform "km")
# global chisq, df and, where R gives it, the group term's chisq and df.

suppressPackageStartupMessages(library(survival))
source(file.path("tests", "r", "json.R"))

one_case <- function(name, d) {
  d$group <- factor(d$group)
  fit <- coxph(Surv(time, status) ~ group, data = d)
  stopifnot(any(is.na(coef(fit))))
  by_terms <- tryCatch(cox.zph(fit)$table, error = function(e) NULL)
  tbl <- if (is.null(by_terms)) cox.zph(fit, terms = FALSE)$table else by_terms
  json_object(list(
    name = json_string(name),
    data = json_object(list(
      time = json_array(d$time),
      status = json_array(d$status),
      group = json_strings(as.character(d$group))
    )),
    coef = json_array(coef(fit)),
    global_chisq = json_scalar(tbl["GLOBAL", "chisq"]),
    global_df = json_scalar(tbl["GLOBAL", "df"]),
    group_chisq = if (is.null(by_terms)) "null" else json_scalar(by_terms["group", "chisq"]),
    group_df = if (is.null(by_terms)) "null" else json_scalar(by_terms["group", "df"])
  ))
}

one_left <- data.frame(
  time = c(1, 2, 3, 4, 6, 1.5, 2, 3, 5, 7, 0.5),
  status = c(1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 0),
  group = c("A", "A", "A", "A", "A", "B", "B", "B", "B", "B", "C"))

# Case 0094 of scripts/diff-r.sh 200 7 (the differential test that found it).
two_left <- read.csv(file.path("tests", "r", "zph_na_two_left.csv"))

text <- json_object(list(
  r_version = json_string(R.version.string),
  survival_version = json_string(as.character(packageVersion("survival"))),
  cases = json_list(list(one_case("one_left", one_left), one_case("two_left", two_left)))
))
writeLines(text, file.path("tests", "fixtures", "cox", "zph_na.json"))
