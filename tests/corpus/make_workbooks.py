"""Writes trial.xls and trial.ods: the table of trial.xlsx in the other workbook formats.

Run from the repository root after `Rscript tests/r/import.R` (which writes
tests/corpus/trial_data.csv, the "patients" sheet of trial.xlsx as plain CSV):

    pip install xlwt==1.3.0        # the .xls (BIFF8) writer; the .ods is written by hand
    python3 tests/corpus/make_workbooks.py

Each workbook has the sheets "README" (one note) and "patients" with text, number,
date and boolean cells, so that crates/core/tests/suite/import.rs can check that the three
formats give the same table as readxl reads from the .xlsx.
"""

import csv
import datetime
import os
import zipfile
from xml.sax.saxutils import escape

HERE = os.path.join("tests", "corpus")
NOTE = "Simulated export for survcalc's import tests; data on the next sheet."


def rows():
    with open(os.path.join(HERE, "trial_data.csv"), newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        data = []
        for r in reader:
            data.append(
                [
                    r[0],
                    r[1],
                    datetime.date.fromisoformat(r[2]),
                    datetime.date.fromisoformat(r[3]),
                    float(r[4]),
                    r[5] == "TRUE",
                ]
            )
    return header, data


def write_xls(header, data):
    import xlwt

    wb = xlwt.Workbook()
    wb.add_sheet("README").write(0, 0, NOTE)
    ws = wb.add_sheet("patients")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for c, h in enumerate(header):
        ws.write(0, c, h)
    for i, r in enumerate(data, start=1):
        for c, v in enumerate(r):
            if isinstance(v, datetime.date):
                ws.write(i, c, v, date_style)
            else:
                ws.write(i, c, v)
    wb.save(os.path.join(HERE, "trial.xls"))


def ods_cell(v):
    if isinstance(v, bool):
        b = "true" if v else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{b}">'
            f"<text:p>{b.upper()}</text:p></table:table-cell>"
        )
    if isinstance(v, datetime.date):
        d = v.isoformat()
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{d}">'
            f"<text:p>{d}</text:p></table:table-cell>"
        )
    if isinstance(v, float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{v!r}">'
            f"<text:p>{v!r}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p>'
        "</table:table-cell>"
    )


def write_ods(header, data):
    def table(name, body):
        out = [f'<table:table table:name="{name}">']
        for r in body:
            out.append("<table:table-row>" + "".join(ods_cell(v) for v in r) + "</table:table-row>")
        out.append("</table:table>")
        return "".join(out)

    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>"
        + table("README", [[NOTE]])
        + table("patients", [header] + data)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    path = os.path.join(HERE, "trial.ods")
    with zipfile.ZipFile(path, "w") as z:
        # The mimetype entry comes first and uncompressed, as ODF requires.
        z.writestr(
            zipfile.ZipInfo("mimetype", date_time=(2024, 1, 1, 0, 0, 0)),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        for name, text in [("META-INF/manifest.xml", manifest), ("content.xml", content)]:
            z.writestr(
                zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)),
                text,
                compress_type=zipfile.ZIP_DEFLATED,
            )


if __name__ == "__main__":
    h, d = rows()
    write_xls(h, d)
    write_ods(h, d)
    print("wrote tests/corpus/trial.xls and tests/corpus/trial.ods")
