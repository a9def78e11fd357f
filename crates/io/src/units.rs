//! Units of follow-up time, and conversion between them.
//!
//! A month is 30.4375 days and a year 365.25 days: the average Julian month and year, the
//! lengths clinical trial reports use when they turn days into months (and R's lubridate
//! `dmonths(1)` / `dyears(1)`).

/// A unit of follow-up time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum TimeUnit {
    /// Days.
    Days,
    /// Weeks of 7 days.
    Weeks,
    /// Months of 30.4375 days (365.25 / 12).
    Months,
    /// Years of 365.25 days.
    Years,
}

/// Follow-up longer than this many years is flagged as implausible for the unit chosen
/// (a warning, not an exclusion): it usually means days were labelled as months.
pub const PLAUSIBLE_YEARS: f64 = 30.0;

impl TimeUnit {
    /// Every unit, shortest first (for a choice in a form).
    pub const ALL: [TimeUnit; 4] = [
        TimeUnit::Days,
        TimeUnit::Weeks,
        TimeUnit::Months,
        TimeUnit::Years,
    ];

    /// Length of one unit in days.
    ///
    /// # Formula
    /// days = 1, weeks = 7, months = 365.25 / 12 = 30.4375, years = 365.25.
    pub fn in_days(self) -> f64 {
        match self {
            TimeUnit::Days => 1.0,
            TimeUnit::Weeks => 7.0,
            TimeUnit::Months => 30.4375,
            TimeUnit::Years => 365.25,
        }
    }

    /// Converts `value` from this unit to `to`.
    pub fn convert(self, value: f64, to: TimeUnit) -> f64 {
        if self == to {
            value
        } else {
            value * self.in_days() / to.in_days()
        }
    }

    /// The plural English name, as used in an axis label: "days", "months".
    pub fn name(self) -> &'static str {
        match self {
            TimeUnit::Days => "days",
            TimeUnit::Weeks => "weeks",
            TimeUnit::Months => "months",
            TimeUnit::Years => "years",
        }
    }

    /// The largest plausible follow-up in this unit ([`PLAUSIBLE_YEARS`] years).
    pub fn plausible_max(self) -> f64 {
        TimeUnit::Years.convert(PLAUSIBLE_YEARS, self)
    }

    /// Reads a unit written as a word or abbreviation: "d", "day", "days", "wk", "weeks",
    /// "mo", "mon", "months", "y", "yr", "years" (case-insensitive; also "mois", "jours",
    /// "Monate", "Tage", "años", "meses" for European exports).
    pub fn parse(s: &str) -> Option<TimeUnit> {
        match s.trim().to_lowercase().as_str() {
            "d" | "dy" | "day" | "days" | "jours" | "jour" | "tage" | "tag" | "dias" | "días"
            | "giorni" => Some(TimeUnit::Days),
            "w" | "wk" | "wks" | "week" | "weeks" | "semaines" | "wochen" | "semanas" => {
                Some(TimeUnit::Weeks)
            }
            "m" | "mo" | "mon" | "mos" | "mth" | "mths" | "month" | "months" | "mois"
            | "monate" | "meses" | "mesi" => Some(TimeUnit::Months),
            "y" | "yr" | "yrs" | "year" | "years" | "ans" | "jahre" | "años" | "anni" => {
                Some(TimeUnit::Years)
            }
            _ => None,
        }
    }

    /// The unit a column name announces, e.g. months for `os_months` or `OS.mo`, days
    /// for `time_days` or `PFS (d)`; `None` when the name does not say (`futime`, `AVAL`).
    pub fn from_column_name(name: &str) -> Option<TimeUnit> {
        let lower = name.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        // A one-letter word ("m", "d") names a unit only after the first word, so that a
        // column called "d" or "m" is not read as a unit.
        words
            .iter()
            .enumerate()
            .rev()
            .find_map(|(i, w)| {
                if w.len() == 1 && i == 0 {
                    None
                } else {
                    TimeUnit::parse(w)
                }
            })
            .or_else(|| {
                // Glued suffixes: "osmonths", "pfsdays", "survmo".
                [
                    ("months", TimeUnit::Months),
                    ("month", TimeUnit::Months),
                    ("days", TimeUnit::Days),
                    ("weeks", TimeUnit::Weeks),
                    ("years", TimeUnit::Years),
                ]
                .iter()
                .find(|(suffix, _)| lower.ends_with(suffix))
                .map(|(_, u)| *u)
            })
    }
}

impl std::fmt::Display for TimeUnit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_with_julian_lengths() {
        assert_eq!(TimeUnit::Days.convert(365.25, TimeUnit::Years), 1.0);
        assert_eq!(TimeUnit::Days.convert(30.4375, TimeUnit::Months), 1.0);
        assert_eq!(TimeUnit::Years.convert(1.0, TimeUnit::Months), 12.0);
        assert_eq!(TimeUnit::Weeks.convert(2.0, TimeUnit::Days), 14.0);
    }

    #[test]
    fn units_from_names() {
        assert_eq!(
            TimeUnit::from_column_name("os_months"),
            Some(TimeUnit::Months)
        );
        assert_eq!(TimeUnit::from_column_name("OS.mo"), Some(TimeUnit::Months));
        assert_eq!(TimeUnit::from_column_name("PFS (d)"), Some(TimeUnit::Days));
        assert_eq!(TimeUnit::from_column_name("futime"), None);
        assert_eq!(TimeUnit::from_column_name("d"), None);
        assert_eq!(TimeUnit::from_column_name("AVAL"), None);
        assert_eq!(TimeUnit::from_column_name("survdays"), Some(TimeUnit::Days));
    }
}
