//! Patient data rebuilt from a published Kaplan–Meier figure (issue 17), from text a user
//! pastes: each arm's digitised points (from any digitiser, or clicked on the page) and
//! its numbers at risk; the result is a table (time, event, arm) that feeds the same
//! analysis as any file, with an accuracy summary per arm.

use survcalc_stats::reconstruct::{reconstruct, Reconstruction};

/// One arm as pasted.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ArmText {
    /// The arm's name.
    pub name: String,
    /// Points, one per line: a time and the survival (a proportion, or a percentage when
    /// any value is above 1), separated by a comma, tab, semicolon or spaces. Lines that
    /// are not two numbers (a digitiser's header) are skipped.
    pub points: String,
    /// The numbers at risk: `0:120, 3:104, 6:90`, or one `time n` pair per line, or two
    /// lines (the times, then the numbers) as the table is printed.
    pub risk: String,
    /// The total number of events, when the paper gives it.
    pub total_events: Option<u64>,
}

/// One arm rebuilt.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct ArmRebuilt {
    /// The arm's name.
    pub name: String,
    /// The rebuilt patients and their fit.
    pub result: Reconstruction,
    /// What the reader of the text decided (lines skipped, percentages).
    pub notes: Vec<String>,
}

/// Every arm rebuilt, and the table they make.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Rebuilt {
    /// The arms.
    pub arms: Vec<ArmRebuilt>,
    /// The patients as CSV: `time,event,arm` (event 1 = event, 0 = censored).
    pub csv: String,
    /// How the data were made, for a methods section.
    pub method: String,
}

fn numbers(line: &str) -> Vec<f64> {
    line.split(|c: char| c == ',' || c == ';' || c == '\t' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map_while(|s| s.parse::<f64>().ok())
        .collect()
}

/// Points (time, survival) with the notes on how they were read.
type Parsed = (Vec<(f64, f64)>, Vec<String>);

/// Parses the points: (time, survival as a proportion), with notes.
fn parse_points(name: &str, text: &str) -> Result<Parsed, String> {
    let mut pts = Vec::new();
    let mut skipped = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        // A decimal comma with a semicolon or tab between the columns ("1,5;0,93").
        let line = if line.contains(';') || line.contains('\t') {
            line.replace(',', ".")
        } else {
            line.to_string()
        };
        match numbers(&line).as_slice() {
            [t, s, ..] if t.is_finite() && s.is_finite() => pts.push((*t, *s)),
            _ => skipped.push(i + 1),
        }
    }
    let mut notes = Vec::new();
    if !skipped.is_empty() {
        notes.push(format!(
            "{name}: line{} {} of the points skipped (not a time and a survival)",
            if skipped.len() == 1 { "" } else { "s" },
            skipped
                .iter()
                .take(5)
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if pts.len() < 2 {
        return Err(format!(
            "{name}: paste at least two points of the curve, one per line: a time and the survival (e.g. 3, 0.92)"
        ));
    }
    if pts.iter().any(|p| p.1 > 1.0 + 1e-9) {
        for p in &mut pts {
            p.1 /= 100.0;
        }
        notes.push(format!(
            "{name}: survival read as percentages (a value above 1), divided by 100"
        ));
    }
    Ok((pts, notes))
}

/// Parses the risk table: (time, number at risk).
fn parse_risk(name: &str, text: &str) -> Result<Vec<(f64, u64)>, String> {
    let bad = |what: &str| {
        format!(
            "{name}: the numbers at risk {what}; write them as 0:120, 3:104, 6:90 (time:number), or the times on one line and the numbers on the next"
        )
    };
    let count = |x: f64| -> Result<u64, String> {
        if x.is_finite() && x >= 0.0 && x.fract() == 0.0 {
            Ok(x as u64)
        } else {
            Err(bad(&format!(
                "hold {x}, which is not a whole number of patients"
            )))
        }
    };
    let text = text.trim();
    if text.is_empty() {
        return Err(bad("are missing"));
    }
    let mut out = Vec::new();
    if text.contains(':') {
        for part in text.split([',', ';', '\n']) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let (t, n) = part
                .split_once(':')
                .ok_or_else(|| bad(&format!("have \u{201c}{part}\u{201d}")))?;
            let t: f64 = t
                .trim()
                .parse()
                .map_err(|_| bad(&format!("have the time \u{201c}{}\u{201d}", t.trim())))?;
            let n: f64 = n
                .trim()
                .parse()
                .map_err(|_| bad(&format!("have the number \u{201c}{}\u{201d}", n.trim())))?;
            out.push((t, count(n)?));
        }
    } else {
        let lines: Vec<Vec<f64>> = text
            .lines()
            .map(numbers)
            .filter(|l| !l.is_empty())
            .collect();
        if lines.len() == 2 && lines[0].len() == lines[1].len() && lines[0].len() > 2 {
            for (t, n) in lines[0].iter().zip(&lines[1]) {
                out.push((*t, count(*n)?));
            }
        } else {
            for l in &lines {
                match l.as_slice() {
                    [t, n] => out.push((*t, count(*n)?)),
                    _ => return Err(bad("are not pairs of a time and a number")),
                }
            }
        }
    }
    Ok(out)
}

/// Rebuilds every arm that has points.
///
/// # Errors
/// A sentence naming the arm and what to fix.
pub fn rebuild(arms: &[ArmText]) -> Result<Rebuilt, String> {
    let used: Vec<&ArmText> = arms
        .iter()
        .filter(|a| !a.points.trim().is_empty())
        .collect();
    if used.is_empty() {
        return Err("paste the points of at least one curve".into());
    }
    let mut out = Vec::new();
    let mut rows = vec![vec![
        "time".to_string(),
        "event".to_string(),
        "arm".to_string(),
    ]];
    for (k, a) in used.iter().enumerate() {
        let name = if a.name.trim().is_empty() {
            format!("Arm {}", k + 1)
        } else {
            a.name.trim().to_string()
        };
        let (points, mut notes) = parse_points(&name, &a.points)?;
        let risk = parse_risk(&name, &a.risk)?;
        let result =
            reconstruct(&points, &risk, a.total_events).map_err(|e| format!("{name}: {e}"))?;
        notes.extend(result.notes.iter().map(|n| format!("{name}: {n}")));
        if result.points_adjusted > 0 {
            notes.push(format!(
                "{name}: {} point{} went up from the one before (digitising noise) and {} lowered to it",
                result.points_adjusted,
                if result.points_adjusted == 1 { "" } else { "s" },
                if result.points_adjusted == 1 { "was" } else { "were" }
            ));
        }
        for (t, e) in result.time.iter().zip(&result.event) {
            rows.push(vec![t.to_string(), u8::from(*e).to_string(), name.clone()]);
        }
        out.push(ArmRebuilt {
            name,
            result,
            notes,
        });
    }
    Ok(Rebuilt {
        arms: out,
        csv: crate::report::export_csv(rows),
        method: "Individual patient data were reconstructed from the digitised Kaplan–Meier curves and the published numbers at risk with the algorithm of Guyot et al. (BMC Med Res Methodol 2012;12:9), as implemented in survcalc.".into(),
    })
}
