# Golden fixtures for the import path (crates/core/tests/suite/import.rs): small files in the
# formats clinical exports come in, written here from R's survival data sets, and what R
# reads from them and computes on them.
#
# Run from the repository root:
#
#     Rscript tests/r/import.R
#     python3 tests/corpus/make_workbooks.py   # .xls and .ods copies of trial.xlsx's data
#
# Writes into tests/corpus/:
#   lung_csv2.csv       write.csv2 (semicolon, decimal comma, NA as empty) of lung with
#                       os_months = time / 30.4375
#   veteran_utf16.txt   veteran as Excel "Unicode text": UTF-16LE with BOM, tab, CRLF, an
#                       accented arm label
#   latin1.csv          semicolon, decimal comma, labels in Windows-1252 (Latin-1)
#   trial.xlsx          openxlsx: sheets "README" (one note), "patients" (text, numbers,
#                       Excel dates, booleans) and "titled" (the same table under a title)
#   trial_data.csv      the "patients" table as plain CSV (input of make_workbooks.py)
#   adtte.csv           a CDISC ADTTE-shaped long table from lung: PARAMCD OS and PFS,
#                       AVAL in days, CNSR = 0 for an event
#   dates_dmy.csv       start/end dates written day/month/year
# and into tests/fixtures/import/ one JSON file per corpus file with what R reads from it
# (readxl for the workbook, read.csv2 / read.delim with fileEncoding for the text) and
# the survdiff chi-square and Kaplan-Meier medians on it, plus dates.json: durations
# between dates in every format the reader accepts, computed with as.Date().
#
# Number format: sprintf("%.17g", x) (round-trips to the same double); NA as JSON null.
# JSON is built by hand (jsonlite is not needed).

suppressPackageStartupMessages({
  library(survival)
  library(openxlsx)
  library(readxl)
})

corpus <- file.path("tests", "corpus")
out_dir <- file.path("tests", "fixtures", "import")
if (!dir.exists(file.path("tests", "fixtures"))) {
  stop("run from the repository root: tests/fixtures/ not found")
}
dir.create(file.path(corpus, "nasty"), recursive = TRUE, showWarnings = FALSE)
dir.create(out_dir, showWarnings = FALSE)

# ---------------------------------------------------------------------------------------
# JSON writing: tests/r/json.R, with flat objects (fields indented by two spaces, nested
# values as they are).

source(file.path("tests", "r", "json.R"))  # run from the repository root

json_object <- function(fields) {
  body <- paste0("  ", vapply(names(fields), json_string, ""), ": ", unlist(fields), collapse = ",\n")
  paste0("{\n", body, "\n}")
}
versions <- list(
  r_version = json_string(paste(R.version$major, R.version$minor, sep = ".")),
  survival_version = json_string(as.character(packageVersion("survival"))),
  readxl_version = json_string(as.character(packageVersion("readxl")))
)
write_fixture <- function(name, fields) {
  writeLines(json_object(c(versions, fields)), file.path(out_dir, name), useBytes = TRUE)
}

# Log-rank chi-square and KM medians (quantile(survfit, 0.5), conf.type = "log") by group,
# groups in data order (the order survcalc uses).
surv_summary <- function(time, event, group) {
  levels <- unique(as.character(group))
  g <- factor(as.character(group), levels = levels)
  sd <- survdiff(Surv(time, event) ~ g)
  fit <- survfit(Surv(time, event) ~ g, conf.type = "log")
  q <- quantile(fit, 0.5)
  list(
    groups = json_strings(levels),
    n = json_array(as.numeric(table(g))),
    events = json_array(as.numeric(tapply(event, g, sum))),
    chisq = json_num(sd$chisq),
    median = json_array(q$quantile),
    median_lower = json_array(q$lower),
    median_upper = json_array(q$upper)
  )
}

# ---------------------------------------------------------------------------------------
# lung as write.csv2: semicolon, decimal comma

lung2 <- lung
lung2$os_months <- lung2$time / 30.4375
path <- file.path(corpus, "lung_csv2.csv")
write.csv2(lung2, path, row.names = FALSE, na = "")
back <- read.csv2(path)
write_fixture("lung_csv2.json", c(
  list(
    columns = json_strings(names(back)),
    os_months = json_array(back$os_months),
    status = json_array(back$status),
    wt_loss = json_array(back$wt.loss)
  ),
  surv_summary(back$os_months, back$status == 2, back$sex)
))

# ---------------------------------------------------------------------------------------
# veteran as Excel "Unicode text": UTF-16LE with a byte-order mark, tab, CRLF

vet <- veteran
vet$arm <- ifelse(vet$trt == 1, "standard", "exp\u00e9rimental")
vet <- vet[, c("arm", "celltype", "time", "status", "karno")]
lines <- c(paste(names(vet), collapse = "\t"),
           apply(vet, 1, function(r) paste(trimws(r), collapse = "\t")))
text <- paste0(paste(lines, collapse = "\r\n"), "\r\n")
path <- file.path(corpus, "veteran_utf16.txt")
con <- file(path, "wb")
writeBin(as.raw(c(0xFF, 0xFE)), con)
writeBin(iconv(enc2utf8(text), from = "UTF-8", to = "UTF-16LE", toRaw = TRUE)[[1]], con)
close(con)
back <- read.delim(path, fileEncoding = "UTF-16", stringsAsFactors = FALSE)
write_fixture("veteran_utf16.json", c(
  list(columns = json_strings(names(back)), time = json_array(back$time),
       arm = json_strings(back$arm)),
  surv_summary(back$time, back$status, back$arm)
))

# ---------------------------------------------------------------------------------------
# Latin-1 (Windows-1252) labels, semicolon, decimal comma

set.seed(20240501)
lat <- data.frame(
  patient = sprintf("P%02d", 1:24),
  bras = rep(c("Sorafénib", "Sorafénib+HAIC"), 12),
  temps_mois = round(rexp(24, 1 / 10), 1),
  décès = rep(c(1, 0, 1), 8),
  check.names = FALSE
)
path <- file.path(corpus, "latin1.csv")
write.csv2(lat, path, row.names = FALSE, fileEncoding = "latin1")
back <- read.csv2(path, fileEncoding = "latin1", check.names = FALSE)
write_fixture("latin1.json", c(
  list(columns = json_strings(names(back)), temps_mois = json_array(back$temps_mois),
       bras = json_strings(back$bras)),
  surv_summary(back$temps_mois, back[["décès"]], back$bras)
))

# ---------------------------------------------------------------------------------------
# A workbook: text, numbers, Excel dates, booleans; a note sheet; a titled sheet

n <- 60
tr <- data.frame(
  id = sprintf("T%03d", seq_len(n)),
  arm = ifelse(lung$sex[seq_len(n)] == 1, "Control", "Experimental"),
  randomised = as.Date("2019-01-07") + 7 * (seq_len(n) - 1),
  # Four decimals: openxlsx writes 15 significant digits, so a rounder number keeps the
  # .xlsx, .xls and .ods copies identical.
  os_months = round(lung$time[seq_len(n)] / 30.4375, 4),
  dead = lung$status[seq_len(n)] == 2,
  stringsAsFactors = FALSE
)
tr$last_contact <- tr$randomised + lung$time[seq_len(n)]
tr <- tr[, c("id", "arm", "randomised", "last_contact", "os_months", "dead")]
path <- file.path(corpus, "trial.xlsx")
wb <- createWorkbook()
addWorksheet(wb, "README")
writeData(wb, "README", "Simulated export for survcalc's import tests; data on the next sheet.",
          colNames = FALSE)
addWorksheet(wb, "patients")
writeData(wb, "patients", tr)
addWorksheet(wb, "titled")
writeData(wb, "titled", "Trial XYZ, data cut 2021-06-30", colNames = FALSE)
writeData(wb, "titled", tr, startRow = 3)
saveWorkbook(wb, path, overwrite = TRUE)
# Full precision for the numbers, so the .xls and .ods copies hold the same doubles.
# A nasty case: the same table with one stray value in the sheet's last cell (XFD1048576).
stray <- createWorkbook()
addWorksheet(stray, "patients")
writeData(stray, "patients", tr[1:5, ])
writeData(stray, "patients", "stray", startCol = 16384, startRow = 1048576, colNames = FALSE)
saveWorkbook(stray, file.path(corpus, "nasty", "xlsx_stray_cell.xlsx"), overwrite = TRUE)
write.csv(transform(tr, randomised = format(randomised), last_contact = format(last_contact),
                    os_months = sprintf("%.17g", os_months)),
          file.path(corpus, "trial_data.csv"), row.names = FALSE, quote = c(1, 2))

back <- read_excel(path, sheet = "patients")
days <- as.numeric(difftime(as.Date(back$last_contact), as.Date(back$randomised), units = "days"))
write_fixture("trial_xlsx.json", c(
  list(
    sheets = json_strings(excel_sheets(path)),
    columns = json_strings(names(back)),
    id = json_strings(back$id),
    randomised = json_strings(format(as.Date(back$randomised))),
    last_contact = json_strings(format(as.Date(back$last_contact))),
    os_months = json_array(back$os_months),
    dead = json_strings(ifelse(back$dead, "TRUE", "FALSE")),
    days = json_array(days),
    months_from_dates = json_array(days / 30.4375)
  ),
  surv_summary(days / 30.4375, back$dead, back$arm)
))

# ---------------------------------------------------------------------------------------
# CDISC ADTTE-shaped long table: one row per subject and parameter

m <- nrow(lung)
os <- data.frame(USUBJID = sprintf("LUNG-%03d", seq_len(m)), PARAMCD = "OS",
                 AVAL = lung$time, CNSR = ifelse(lung$status == 2, 0, 1),
                 TRT01P = ifelse(lung$sex == 1, "Placebo", "Drug"))
pfs <- os
pfs$PARAMCD <- "PFS"
pfs$AVAL <- pmax(1, round(lung$time * 0.6))
pfs$CNSR <- ifelse(lung$status == 2 | seq_len(m) %% 3 == 0, 0, 1)
adtte <- rbind(os, pfs)
adtte <- adtte[order(adtte$USUBJID, adtte$PARAMCD), ]
write.csv(adtte, file.path(corpus, "adtte.csv"), row.names = FALSE)
fields <- list()
for (p in c("OS", "PFS")) {
  d <- adtte[adtte$PARAMCD == p, ]
  s <- surv_summary(d$AVAL, 1 - d$CNSR, d$TRT01P)
  names(s) <- paste0(tolower(p), "_", names(s))
  fields <- c(fields, s)
}
write_fixture("adtte.json", fields)

# ---------------------------------------------------------------------------------------
# Dates written day/month/year (some days above 12 settle the order)

k <- 30
start <- as.Date("2020-01-03") + 11 * (seq_len(k) - 1)
end <- start + round(lung$time[seq_len(k)])
dmy <- data.frame(id = seq_len(k), start = format(start, "%d/%m/%Y"),
                  end = format(end, "%d/%m/%Y"), status = lung$status[seq_len(k)] - 1)
write.csv(dmy, file.path(corpus, "dates_dmy.csv"), row.names = FALSE)
back <- read.csv(file.path(corpus, "dates_dmy.csv"), stringsAsFactors = FALSE)
days <- as.numeric(as.Date(back$end, "%d/%m/%Y") - as.Date(back$start, "%d/%m/%Y"))
write_fixture("dates_dmy.json", list(days = json_array(days),
                                     weeks = json_array(days / 7),
                                     years = json_array(days / 365.25)))

# ---------------------------------------------------------------------------------------
# Durations between dates written in every accepted format

cases <- list(
  c("2021-03-04", "2021-09-30", "%Y-%m-%d", "ymd"),
  c("2020-02-28", "2020-03-01", "%Y-%m-%d", "ymd"),
  c("2019-12-31T23:59:00", "2020-12-31T00:00:00", "%Y-%m-%d", "ymd"),
  c("2021/3/4", "2022/3/4", "%Y/%m/%d", "ymd"),
  c("04/03/2021", "30/09/2021", "%d/%m/%Y", "dmy"),
  c("03/04/2021", "09/30/2021", "%m/%d/%Y", "mdy"),
  c("04.03.2021", "01.10.2021", "%d.%m.%Y", "dmy"),
  c("04MAR2021", "30SEP2021", "%d%b%Y", "auto"),
  c("4-Mar-2021", "1-Jan-2024", "%d-%b-%Y", "auto"),
  c("20210304", "20240229", "%Y%m%d", "auto"),
  c("1999-12-31", "2000-03-01", "%Y-%m-%d", "auto")
)
invisible(Sys.setlocale("LC_TIME", "C"))
start <- vapply(cases, function(x) as.numeric(as.Date(substr(x[1], 1, if (grepl("T", x[1])) 10 else nchar(x[1])), x[3])), 0)
end <- vapply(cases, function(x) as.numeric(as.Date(substr(x[2], 1, if (grepl("T", x[2])) 10 else nchar(x[2])), x[3])), 0)
# Excel serial dates: as.Date(serial, origin = "1899-12-30") for the 1900 date system.
serial_start <- c(44259, 36526.75, 61)
serial_end <- c(44469, 45351, 25569)
write_fixture("dates.json", list(
  start = json_strings(vapply(cases, `[`, "", 1)),
  end = json_strings(vapply(cases, `[`, "", 2)),
  order = json_strings(vapply(cases, `[`, "", 4)),
  start_days = json_array(start),
  end_days = json_array(end),
  days = json_array(end - start),
  months = json_array((end - start) / 30.4375),
  serial_start = json_array(serial_start),
  serial_end = json_array(serial_end),
  serial_days = json_array(as.numeric(as.Date(floor(serial_end), origin = "1899-12-30") -
                                      as.Date(floor(serial_start), origin = "1899-12-30"))),
  serial_start_iso = json_strings(format(as.Date(floor(serial_start), origin = "1899-12-30")))
))

cat("wrote", length(list.files(out_dir)), "fixtures to", out_dir, "\n")
