//! The self-contained HTML report: one file with the figure (inline SVG), the sentences,
//! the summary table, the tests and hazard ratios, the methods paragraph and the data
//! summary — no script, no external file, so it opens anywhere and can be archived or
//! attached to a submission. The data itself is not in it.

use crate::{km_svg_print, FigureOptions, KmFigure};
use std::fmt::Write;
use survcalc_core::adverse::AeTable;
use survcalc_core::analysis::fmt_level;
use survcalc_core::format::p_label;
use survcalc_core::report::{ae_sentences, response_sentence, sentences, summary_table, TextStyle};
use survcalc_core::response::ResponseAnalysis;
use survcalc_core::trial::{
    abstract_paragraph, consort_line, long_name, trial_methods, Trial, TrialEndpoint,
};
use survcalc_core::Analysis;

/// One survival endpoint of the report.
#[derive(Debug, Clone)]
pub struct EndpointSection<'a> {
    /// The endpoint's analysis.
    pub analysis: &'a Analysis,
    /// Its short name ("OS").
    pub endpoint: String,
    /// The columns used, as (role, column) pairs.
    pub columns: Vec<(String, String)>,
    /// The time-axis label of its figure.
    pub x_label: String,
    /// Its figure's options (each endpoint keeps its own title and axis).
    pub figure: FigureOptions,
}

impl EndpointSection<'_> {
    /// The endpoint's Kaplan–Meier figure: its options, its axis titles.
    pub fn km_figure(&self) -> KmFigure<'_> {
        let mut fig = KmFigure::of(self.analysis, self.x_label.clone(), self.figure.clone());
        fig.y_label = crate::endpoint_y_title(&self.endpoint, &self.figure);
        fig
    }
}

/// What the report shows: every survival endpoint of the trial, the response and the
/// adverse events, and where the data came from.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    /// The survival endpoints (OS, PFS, …), in the table's order.
    pub endpoints: Vec<EndpointSection<'a>>,
    /// Where the data came from (a file name, "pasted text").
    pub source: &'a str,
    /// How it was read ([`survcalc_core::Table::reading`]).
    pub reading: &'a str,
    /// How P values and intervals are written.
    pub style: TextStyle,
    /// When it was made, as the caller writes dates (the core has no clock).
    pub generated: &'a str,
    /// The response analysis, if the report has one.
    pub response: Option<&'a ResponseAnalysis>,
    /// The adverse-event table, if the report has one.
    pub ae: Option<&'a AeTable>,
    /// The data as CSV, only when the user asks for it to be in the report.
    pub data_csv: Option<&'a str>,
    /// The current endpoint's subgroup analyses, for the subgroup forest plot.
    pub subgroups: Option<&'a survcalc_core::subgroups::SubgroupReport>,
    /// The current endpoint's competing-risks analysis, for the cumulative incidence.
    pub competing: Option<&'a survcalc_core::competing_risks::CompetingAnalysis>,
}

impl ReportInput<'_> {
    /// The trial the report describes, for the core's whole-trial text.
    pub fn trial(&self) -> Trial<'_> {
        Trial {
            endpoints: self
                .endpoints
                .iter()
                .map(|e| TrialEndpoint {
                    name: e.endpoint.clone(),
                    analysis: e.analysis,
                })
                .collect(),
            response: self.response,
            ae: self.ae,
        }
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}\
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}\
.figure svg{max-width:100%;height:auto}.small{font-size:.9rem;color:#444}.abstract{font-size:1.05rem}\
@page{size:A4;margin:16mm 14mm 18mm;@bottom-center{content:'Page ' counter(page) ' of ' counter(pages);font-size:9pt;color:#555}}\
@media print{body{max-width:none;margin:0;font-size:10.5pt}.figure,table{break-inside:avoid}h2,h3{break-after:avoid}section.endpoint+section.endpoint{break-before:page}details>pre{white-space:pre-wrap}}";

/// The report as one HTML document.
///
/// # Errors
/// A message if the figure cannot be drawn.
pub fn report_html(r: &ReportInput) -> Result<String, String> {
    let e = escape;
    let trial = r.trial();
    let mut h = String::new();
    let mut parts: Vec<String> = r.endpoints.iter().map(|s| s.endpoint.clone()).collect();
    if r.response.is_some() {
        parts.push("response".into());
    }
    if r.ae.is_some() {
        parts.push("adverse events".into());
    }
    let title = format!("Trial report: {}", parts.join(", "));
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n",
        e(&title),
        e(&title)
    );
    let _ = writeln!(
        h,
        "<p class=\"small\">Made {} with survcalc {} in the browser; the data did not leave the computer and is not in this file.</p>",
        e(r.generated),
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        h,
        "<h2>Summary</h2>\n<p class=\"abstract\">{}</p>\n<p class=\"consort small\">{}</p>",
        e(&abstract_paragraph(&trial, r.style)),
        e(&consort_line(&trial))
    );
    for section in &r.endpoints {
        endpoint_html(&mut h, section, r)?;
    }

    if r.response.is_some() || r.ae.is_some() {
        let _ = writeln!(h, "<h2>Response and adverse events</h2>");
    }
    if let Some(resp) = r.response {
        let _ = writeln!(h, "<p>{}</p>", e(&response_sentence(resp, r.style)));
        let _ = writeln!(h, "<table class=\"response\"><tr><th>Group</th><th>Responders</th><th>%</th><th>{}% CI (Clopper–Pearson)</th></tr>", fmt_level(resp.arms.first().map_or(0.95, |a| a.proportion.clopper_pearson.level)));
        for arm in &resp.arms {
            let p = &arm.proportion;
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{} of {}</td><td>{:.1}</td><td>{:.1}, {:.1}</td></tr>",
                e(&arm.group),
                p.x,
                p.n,
                100.0 * p.estimate,
                100.0 * p.clopper_pearson.lower,
                100.0 * p.clopper_pearson.upper
            );
        }
        let _ = writeln!(h, "</table>");
    }
    if let Some(t) = r.ae {
        let _ = writeln!(h, "<table class=\"ae\"><tr><th>Event</th>");
        for (arm, n) in t.arms.iter().zip(&t.at_risk) {
            let _ = write!(h, "<th>{} (n = {n})</th>", e(arm));
        }
        let _ = writeln!(h, "<th>P (Fisher)</th></tr>");
        for row in &t.rows {
            let _ = write!(
                h,
                "<tr><td>{}</td>",
                e(&survcalc_core::trial::ae_row_name(row))
            );
            for (c, pct) in row.counts.iter().zip(&row.percent) {
                let _ = write!(h, "<td>{c} ({pct:.1}%)</td>");
            }
            let _ = writeln!(
                h,
                "<td>{}</td></tr>",
                row.p_value.map_or("NA".to_string(), |p| e(&p_label(p)))
            );
        }
        let _ = writeln!(h, "</table>");
        for s in ae_sentences(t, r.style) {
            let _ = writeln!(h, "<p>{}</p>", e(&s));
        }
    }

    let _ = writeln!(
        h,
        "<h2>Methods</h2>\n<p class=\"methods-paragraph\">{}</p>",
        e(&trial_methods(&trial))
    );
    if let Some(first) = r.endpoints.first() {
        let _ = writeln!(
            h,
            "<table class=\"methods small\"><tr><th>Quantity</th><th>Method</th></tr>"
        );
        for m in &first.analysis.methods {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td></tr>",
                e(&m.quantity),
                e(&m.method)
            );
        }
        let _ = writeln!(h, "</table>");
    }

    let _ = writeln!(
        h,
        "<h2>Data</h2>\n<ul>\n<li>Source: {} (read as {})</li>\n</ul>",
        e(r.source),
        e(r.reading)
    );
    for section in &r.endpoints {
        data_html(&mut h, section);
    }
    if let Some(data) = r.data_csv {
        let _ = writeln!(
            h,
            "<h3>The data</h3>\n<p class=\"small\">Included at the user's request ({} rows). Copy it into a .csv file to analyse it again.</p>\n<details><summary>Show the data (CSV)</summary><pre class=\"data\">{}</pre></details>",
            // Rows as a CSV reader counts them (a cell may hold a line break).
            survcalc_core::Table::parse(data).map_or(0, |t| t.n_rows()),
            e(data)
        );
    }
    let _ = writeln!(h, "</body>\n</html>");
    Ok(h)
}

/// One endpoint's section: its sentences, figure, summary table, test and HR.
fn endpoint_html(h: &mut String, section: &EndpointSection, r: &ReportInput) -> Result<(), String> {
    let e = escape;
    let a = section.analysis;
    let fig = section.km_figure();
    let svg = km_svg_print(&fig)?;
    // The SVG as an element: without an XML declaration, sized by its viewBox (its width
    // in inches is kept out, so that the page can scale it; print CSS sets the width).
    let size = svg
        .split_once("<svg ")
        .and_then(|(_, rest)| rest.split_once(" viewBox"))
        .map(|(size, _)| size.to_string())
        .unwrap_or_default();
    let svg = svg.trim_start_matches(|c| c != '<').replacen(
        &size,
        &format!(
            "role=\"img\" aria-label=\"Kaplan–Meier curves, {}\"",
            e(&section.endpoint)
        ),
        1,
    );
    let name = &section.endpoint;
    let long = long_name(name);
    let heading = if long == *name {
        name.clone()
    } else {
        format!("{long} ({name})")
    };
    let _ = writeln!(
        h,
        "<section class=\"endpoint\" data-endpoint=\"{}\">\n<h2>{}</h2>\n<div class=\"sentences\" data-endpoint=\"{}\">",
        e(name),
        e(&heading),
        e(name)
    );
    for s in sentences(a, name, r.style) {
        let _ = writeln!(h, "<p>{}</p>", e(&s));
    }
    let _ = writeln!(h, "</div>\n<div class=\"figure\">{svg}</div>");
    let rows = summary_table(a, r.style);
    let _ = writeln!(h, "<table class=\"summary\">");
    for (i, row) in rows.iter().enumerate() {
        let cell = if i == 0 { "th" } else { "td" };
        let _ = write!(h, "<tr>");
        for c in row {
            let _ = write!(h, "<{cell}>{}</{cell}>", e(c));
        }
        let _ = writeln!(h, "</tr>");
    }
    let _ = writeln!(h, "</table>");
    let _ = writeln!(h, "<ul>");
    if let Some(t) = a.headline_test() {
        let _ = writeln!(
            h,
            "<li>Test of the curves: χ² = {:.2} on {} df, {} — {}</li>",
            t.chisq,
            t.df,
            e(&p_label(t.p_value)),
            e(&t.method)
        );
    }
    if let Some(hr) = a.headline_hr() {
        let _ = writeln!(
            h,
            "<li>Hazard ratio, {} vs {}: {:.2} ({}% CI: {:.2}, {:.2}){} — {}</li>",
            e(&hr.group),
            e(&hr.reference),
            hr.hr,
            fmt_level(hr.conf_level),
            hr.lower,
            hr.upper,
            hr.p_value
                .map_or(String::new(), |p| format!("; Wald {}", e(&p_label(p)))),
            e(&hr.method)
        );
    }
    let _ = writeln!(h, "</ul>\n</section>");
    Ok(())
}

/// One endpoint's part of the data section: columns, counts, warnings, notes, exclusions.
fn data_html(h: &mut String, section: &EndpointSection) {
    let e = escape;
    let a = section.analysis;
    let _ = writeln!(h, "<h3>{}</h3>\n<ul>", e(&section.endpoint));
    for (role, col) in &section.columns {
        let _ = writeln!(h, "<li>{}: {}</li>", e(role), e(col));
    }
    let _ = writeln!(
        h,
        "<li>n = {} of {} rows ({} excluded); events: {}</li>",
        a.n_used,
        a.n_rows,
        a.excluded.len(),
        e(&a.event_coding)
    );
    let _ = writeln!(h, "</ul>");
    for (title, items) in [("Warnings", &a.warnings), ("Notes", &a.notes)] {
        if !items.is_empty() {
            let _ = writeln!(h, "<h4>{title}</h4>\n<ul>");
            for w in items {
                let _ = writeln!(h, "<li>{}</li>", e(w));
            }
            let _ = writeln!(h, "</ul>");
        }
    }
    if !a.excluded.is_empty() {
        let _ = writeln!(h, "<h4>Excluded rows</h4>\n<ul class=\"small\">");
        for x in a.excluded.iter().take(200) {
            let _ = writeln!(h, "<li>{}</li>", e(&x.to_string()));
        }
        if a.excluded.len() > 200 {
            let _ = writeln!(h, "<li>… and {} more</li>", a.excluded.len() - 200);
        }
        let _ = writeln!(h, "</ul>");
    }
}
