# JSON writing shared by the fixture scripts in tests/r/ (make_fixtures.R, km_extras.R,
# compare.R, cox.R, binary.R, import.R).
#
# Every script is run from the repository root (`Rscript tests/r/<name>.R`) and sources
# this file by that path: `source(file.path("tests", "r", "json.R"))`. The helpers build
# JSON text by hand so that every number is R's double printed with `%.17g`, exactly as
# the Rust tests read it back. A script that needs a different form (binary.R's
# non-finite numbers as strings, import.R's flat objects, a stricter json_bool) redefines
# that helper after sourcing this file; the others pick the redefinition up, since they
# look names up in the global environment when called.

# Numbers: %.17g; anything not finite (NA, NaN, Inf, -Inf) becomes null.
json_num <- function(x) {
  x <- as.double(x)
  ifelse(is.finite(x), sprintf("%.17g", x), "null")
}

json_scalar <- function(x) {
  stopifnot(length(x) == 1)
  json_num(x)
}

json_array <- function(x) paste0("[", paste(json_num(x), collapse = ", "), "]")

json_matrix <- function(m) {
  m <- as.matrix(m)
  if (nrow(m) == 0) return("[]")
  rows <- vapply(seq_len(nrow(m)), function(i) json_array(m[i, ]), "")
  paste0("[", paste(rows, collapse = ", "), "]")
}

# A string, escaped; a single NA becomes null.
json_string <- function(s) {
  if (length(s) == 1 && is.na(s)) return("null")
  s <- enc2utf8(as.character(s))
  s <- gsub("\\", "\\\\", s, fixed = TRUE)
  s <- gsub("\"", "\\\"", s, fixed = TRUE)
  s <- gsub("\n", "\\n", s, fixed = TRUE)
  s <- gsub("\r", "\\r", s, fixed = TRUE)
  s <- gsub("\t", "\\t", s, fixed = TRUE)
  paste0("\"", s, "\"")
}

json_strings <- function(s) {
  if (length(s) == 0) return("[]")
  paste0("[", paste(vapply(as.character(s), json_string, ""), collapse = ", "), "]")
}

# A list of already-formatted JSON values, one per line.
json_list <- function(items) {
  if (length(items) == 0) return("[]")
  items <- gsub("\n", "\n  ", unlist(items), fixed = TRUE)
  paste0("[\n  ", paste(items, collapse = ",\n  "), "\n]")
}

# An object from a named list of already-formatted JSON values, one field per line;
# NULL fields are left out.
json_object <- function(fields) {
  fields <- fields[!vapply(fields, is.null, TRUE)]
  keys <- names(fields)
  stopifnot(!is.null(keys), all(nzchar(keys)))
  vals <- gsub("\n", "\n  ", unlist(fields), fixed = TRUE)
  paste0("{\n  ", paste0(json_string(keys), ": ", vals, collapse = ",\n  "), "\n}")
}

# Evaluates `expr`, collecting the text of its warnings instead of printing them.
with_warnings <- function(expr) {
  warnings <- character(0)
  value <- withCallingHandlers(expr, warning = function(w) {
    warnings <<- c(warnings, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  list(value = value, warnings = warnings)
}
