#!/usr/bin/env python3
"""Writes the hand-made hostile files of tests/corpus/nasty/ that are not quote cases
(issue 12: the bad-input corpus). Each one is what an export, a hand edit or a wrong
file really gives; tests/corpus/nasty_expected.tsv says what each must give.

    python3 tests/corpus/make_nasty.py
"""
import io
import os
import zipfile

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nasty")


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


ROWS = "5,1,A\n8,0,A\n3,1,B\n12,1,B\n"

# A UTF-16 byte-order mark in front of UTF-8 text (a tool that wrote the mark, not the
# encoding).
write("utf16_bom_then_utf8.csv", b"\xff\xfe" + ("time,status,arm\n" + ROWS).encode())
# Excel's "CSV UTF-8" in a European locale: BOM, semicolons, decimal commas.
write("bom_semicolon_decimal_comma.csv",
      "\ufefftime;status;arm\n5,5;1;A\n8,25;0;A\n3,75;1;B\n12;1;B\n")
# REDCap "labels" export: quoted headers with the question text, text answers.
write("redcap_labels.csv",
      '"Record ID","Randomisation arm","Overall survival (months)","Vital status"\n'
      '"1","Drug","5","Dead"\n"2","Drug","8","Alive"\n"3","Placebo","3","Dead"\n'
      '"4","Placebo","12","Dead"\n')
# SAS PROC EXPORT: "." for missing numbers.
write("sas_dot_missing.csv",
      "USUBJID,TRT01P,AVAL,CNSR\n01-001,Drug,5,0\n01-002,Drug,.,1\n01-003,Placebo,3,0\n"
      "01-004,Placebo,12,.\n01-005,Drug,7,1\n")
# Excel sheet saved as CSV with two title lines and a blank line above the header.
write("title_rows.csv",
      "Study XYZ-123 survival data,,\nExported 2026-11-30,,\n,,\ntime,status,arm\n" + ROWS)
# GraphPad Prism survival table: X = time, one Y column per group (1 = event, 0 =
# censored, blank where the row belongs to the other group).
write("prism_survival_table.csv",
      "Months,Drug,Placebo\n5,1,\n8,0,\n3,,1\n12,,1\n")
# Quoted thousands separators in days.
write("thousands_separator.csv",
      'days,status,arm\n"1,234",1,A\n"2,001",0,A\n"987",1,B\n"1,500",1,B\n')
# Negative and zero times.
write("negative_times.csv", "time,status,arm\n-3,1,A\n0,1,A\n5,0,B\n7,1,B\n9,1,A\n")
# NaN, Inf and Excel error cells.
write("nan_inf_cells.csv",
      "time,status,arm\nNaN,1,A\nInf,0,A\n-inf,1,B\n#N/A,1,B\n#DIV/0!,1,A\n5,1,A\n7,0,B\n"
      "9,1,B\n")
# Scientific notation in either case.
write("scientific_notation.csv", "time,status,arm\n5e0,1,A\n8E0,0,A\n3.0e+00,1,B\n1.2E1,1,B\n")
# Every line ends with a delimiter (an empty last column).
write("trailing_delimiters.csv", "time,status,arm,\n5,1,A,\n8,0,A,\n3,1,B,\n12,1,B,\n")
# Cells padded with spaces.
write("space_padded.csv",
      " time , status , arm \n 5 , 1 , A \n 8 , 0 , A \n 3 , 1 , B \n 12 , 1 , B \n")
# Old Mac line endings (CR only).
write("cr_line_endings.csv", "time,status,arm\r5,1,A\r8,0,A\r3,1,B\r12,1,B\r")
# Event written in words, several spellings.
write("event_words.csv",
      "time,status,arm\n5,Dead,A\n8,Alive,A\n3,Death,B\n12,Censored,B\n4,dead,A\n")
# R's Surv coding: 1 = censored, 2 = dead.
write("event_coded_1_2.csv", "time,status,arm\n5,2,A\n8,1,A\n3,2,B\n12,2,B\n6,1,B\n")
# Every patient censored.
write("all_censored.csv", "time,status,arm\n5,0,A\n8,0,A\n3,0,B\n12,0,B\n")
# One data row.
write("single_row.csv", "time,status,arm\n5,1,A\n")
# One arm only.
write("one_arm.csv", "time,status,arm\n5,1,A\n8,0,A\n3,1,A\n12,1,A\n")
# Numbers beyond double precision's range.
write("overflowing_numbers.csv", "time,status,arm\n1e309,1,A\n5,1,A\n8,0,B\n3,1,B\n")
# Units in the header.
write("header_with_units.csv",
      "Time (months),Status (1=dead 0=censored),Arm\n" + ROWS)
# The same patient twice.
write("duplicate_ids.csv",
      "id,time,status,arm\n1,5,1,A\n2,8,0,A\n2,8,0,A\n3,3,1,B\n4,12,1,B\n")
# A web page saved under a .csv name.
write("html_page.csv",
      "<!DOCTYPE html>\n<html><head><title>Export</title></head>\n<body><table>"
      "<tr><td>time</td><td>status</td></tr><tr><td>5</td><td>1</td></tr></table></body>"
      "</html>\n")
# JSON under a .csv name.
write("json_file.csv", '[{"time": 5, "status": 1}, {"time": 8, "status": 0}]\n')
# A PDF under a .csv name.
write("pdf_file.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
      + bytes(range(256)) * 8)
# A zip that is not a workbook, under an .xlsx name.
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w") as z:
    z.writestr("readme.txt", "not a workbook")
write("zip_not_workbook.xlsx", buf.getvalue())
# A header name of 10,000 characters.
write("long_header_name.csv", "time,status," + "a" * 10000 + "\n" + ROWS)
# Emoji and right-to-left arm labels.
write("emoji_rtl_labels.csv",
      "time,status,arm\n5,1,💊 Drug\n8,0,💊 Drug\n3,1,דמה\n12,1,דמה\n")
# Look-alike arms: Café in NFC and NFD, and a zero-width space.
write("lookalike_labels.csv",
      "time,status,arm\n5,1,Caf\u00e9\n8,0,Cafe\u0301\n3,1,Drug\n12,1,Drug\u200b\n7,1,Drug\n")
# Windows-1252 smart quotes and an en dash in labels.
write("cp1252_smart_quotes.csv",
      b"time,status,arm\n5,1,\x93Drug\x94\n8,0,\x93Drug\x94\n3,1,Placebo \x96 oral\n"
      b"12,1,Placebo \x96 oral\n")
# SPSS "1.00" formatting of codes.
write("spss_decimals.csv",
      "time,status,arm\n5.00,1.00,1.00\n8.00,.00,1.00\n3.00,1.00,2.00\n12.00,1.00,2.00\n")
# Header cells left blank.
write("blank_header_cells.csv", ",time,status\nA,5,1\nA,8,0\nB,3,1\nB,12,1\n")
# Comment lines above and among the data.
write("comment_lines.csv", "# exported by script\ntime,status,arm\n5,1,A\n# note\n8,0,A\n3,1,B\n")
# Percent signs and units inside cells.
write("units_in_cells.csv", "time,status,arm\n5 mo,1,A\n8 mo,0,A\n3 mo,1,B\n12 mo,1,B\n")
