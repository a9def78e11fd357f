//! Calendar dates as clinical exports write them, and durations between them.
//!
//! A date is held as a day number: days since 1970-01-01 in the proleptic Gregorian
//! calendar (as R's `Date` class). The time of day, when present ("2021-03-04 10:30",
//! an Excel date-time), is ignored, as R's `as.Date` ignores it, so a duration is a
//! whole number of days before conversion to the unit chosen.
//!
//! Formats read:
//! - ISO 8601 `2021-03-04` (also `2021/03/04`, `2021.03.04`, `20210304`), with an
//!   optional time part;
//! - numbers only, day and month first: `04/03/2021`, `4-3-2021`, `04.03.2021`. Whether
//!   `04/03/2021` is 4 March or 3 April cannot be told from the value: the order is
//!   learned from the other dates of the columns (a day above 12 settles it), set by the
//!   user, or else the value is reported as ambiguous — never guessed. Dates written with
//!   dots are read day first, the only order any locale writes them in;
//! - month names in English: `04MAR2021` (SAS `DATE9.`), `4-Mar-2021`, `4 March 2021`,
//!   `March 4, 2021`, `2021-Mar-04`;
//! - Excel serial day numbers (`44259` = 2021-03-04; the 1900 date system, with its
//!   fictitious 29 February 1900).
//!
//! Two-digit years (`04/03/21`) are refused with a reason rather than given a century.
//!
//! # References
//! H. Hinnant, "chrono-Compatible Low-Level Date Algorithms" (days_from_civil,
//! civil_from_days), <https://howardhinnant.github.io/date_algorithms.html>;
//! Microsoft, "Date systems in Excel" (1900 system, serial 1 = 1900-01-01).

/// The order of day, month and year in dates written with numbers only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum DateOrder {
    /// Learn the order from the data; report dates it cannot settle.
    #[default]
    Auto,
    /// Year, month, day (ISO 8601). ISO dates are read as such under every order.
    Ymd,
    /// Day, month, year (most of the world: 25/12/2021).
    Dmy,
    /// Month, day, year (United States: 12/25/2021).
    Mdy,
}

impl DateOrder {
    /// Every choice, `Auto` first (for a form).
    pub const ALL: [DateOrder; 4] = [
        DateOrder::Auto,
        DateOrder::Ymd,
        DateOrder::Dmy,
        DateOrder::Mdy,
    ];

    /// The short name: `auto`, `ymd`, `dmy`, `mdy` (as serde writes it).
    pub fn name(self) -> &'static str {
        match self {
            DateOrder::Auto => "auto",
            DateOrder::Ymd => "ymd",
            DateOrder::Dmy => "dmy",
            DateOrder::Mdy => "mdy",
        }
    }

    /// Reads a short name (case-insensitive).
    pub fn parse(s: &str) -> Option<DateOrder> {
        let s = s.trim().to_ascii_lowercase();
        DateOrder::ALL.into_iter().find(|o| o.name() == s)
    }

    /// A short description, e.g. "day/month/year".
    pub fn describe(self) -> &'static str {
        match self {
            DateOrder::Auto => "detected",
            DateOrder::Ymd => "year-month-day",
            DateOrder::Dmy => "day/month/year",
            DateOrder::Mdy => "month/day/year",
        }
    }
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub enum DateError {
    /// Not written in any date format read here.
    NotADate,
    /// The year has two digits, so its century is unknown.
    TwoDigitYear,
    /// Day and month are both 12 or less and differ, and the order is not known.
    Ambiguous {
        /// The date read day first (day number).
        day_first: i64,
        /// The date read month first (day number).
        month_first: i64,
    },
    /// The parts do not make a calendar date (31 April, month 13, 29 February 2021).
    Invalid,
}

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateError::NotADate => write!(
                f,
                "not a date: write dates as 2021-03-04, 04/03/2021 or 04MAR2021"
            ),
            DateError::TwoDigitYear => write!(
                f,
                "two-digit year: the century is unknown; write the year in full (e.g. 2021)"
            ),
            DateError::Ambiguous {
                day_first,
                month_first,
            } => write!(
                f,
                "ambiguous date: it is {} read as day/month/year but {} read as month/day/year; choose the date order",
                long_date(*day_first),
                long_date(*month_first)
            ),
            DateError::Invalid => write!(f, "no such calendar date (check day and month)"),
        }
    }
}

/// Day number (days since 1970-01-01) of a proleptic Gregorian date; `None` when the
/// day does not exist in that month.
///
/// # Formula
/// Hinnant's `days_from_civil`: years counted from March so that the leap day ends the
/// year; era = 400-year cycle of 146 097 days.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> Option<i64> {
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Year, month and day of a day number (the inverse of [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Far beyond any calendar use; keeps the arithmetic below from overflowing.
    let z = days.clamp(-100_000_000_000, 100_000_000_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// A day number as ISO 8601 text, e.g. "2021-03-04".
pub fn iso(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A day number as "4 March 2021", for messages that must not be ambiguous themselves.
pub fn long_date(days: i64) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (y, m, d) = civil_from_days(days);
    let name = MONTHS.get(m as usize - 1).copied().unwrap_or("?");
    format!("{d} {name} {y}")
}

/// Excel serial number of 1970-01-01 in the 1900 date system.
const EXCEL_1970: i64 = 25_569;
/// Largest serial Excel accepts (9999-12-31).
const EXCEL_MAX: f64 = 2_958_465.0;

/// Day number of an Excel serial date in the 1900 date system (fraction = time of day,
/// ignored). Serial 60 is Excel's fictitious 29 February 1900 and gives `None`, as do
/// serials below 1 or above 2 958 465 (9999-12-31).
///
/// # Formula
/// Serials from 61 on count days from 1899-12-30, so day = ⌊serial⌋ − 25 569; serials 1 to
/// 59 count from 1899-12-31 (Excel, following Lotus 1-2-3, treats 1900 as a leap year).
pub fn from_excel_serial(serial: f64) -> Option<i64> {
    if !serial.is_finite() || !(1.0..=EXCEL_MAX).contains(&serial) {
        return None;
    }
    let s = serial.floor() as i64;
    match s {
        60 => None,
        s if s < 60 => Some(s - EXCEL_1970 + 1),
        s => Some(s - EXCEL_1970),
    }
}

/// The Excel serial (1900 system) of a day number; `None` before 1900-03-01, where
/// Excel's count is off by one.
pub fn to_excel_serial(days: i64) -> Option<f64> {
    let s = days + EXCEL_1970;
    (61.0..=EXCEL_MAX).contains(&(s as f64)).then_some(s as f64)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok<'a> {
    Num(i64, usize),
    Word(&'a str),
}

/// Splits the date part into numbers and words; separators are `-`, `/`, `.`, `,`, space.
/// Returns the separators between tokens too.
fn tokenize(s: &str) -> Option<(Vec<Tok<'_>>, Vec<char>)> {
    let mut toks = Vec::new();
    let mut seps = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    let mut pending_sep: Option<char> = None;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_digit() {
            let j = b[i..]
                .iter()
                .position(|x| !x.is_ascii_digit())
                .map_or(b.len(), |p| i + p);
            let digits = &s[i..j];
            if digits.len() > 8 {
                return None;
            }
            let v: i64 = digits.parse().ok()?;
            if !toks.is_empty() {
                seps.push(pending_sep.take().unwrap_or('\0'));
            }
            toks.push(Tok::Num(v, digits.len()));
            i = j;
        } else if c.is_ascii_alphabetic() {
            let j = b[i..]
                .iter()
                .position(|x| !x.is_ascii_alphabetic())
                .map_or(b.len(), |p| i + p);
            if !toks.is_empty() {
                seps.push(pending_sep.take().unwrap_or('\0'));
            }
            toks.push(Tok::Word(&s[i..j]));
            i = j;
        } else if matches!(c, b'-' | b'/' | b'.' | b',' | b' ') {
            // Runs like ", " count as one separator; keep the first non-space.
            if pending_sep.is_none() || pending_sep == Some(' ') {
                pending_sep = Some(c as char);
            }
            i += 1;
        } else {
            return None;
        }
        if toks.len() > 3 {
            return None;
        }
    }
    Some((toks, seps))
}

fn month_from_name(w: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = w.to_ascii_lowercase();
    if lower.len() < 3 {
        return None;
    }
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    // "Mar", "March", "Sept".
    NAMES
        .iter()
        .position(|n| lower.starts_with(n))
        .and_then(|i| {
            (full[i].starts_with(&lower) || (i == 8 && lower == "sept")).then_some(i as u32 + 1)
        })
}

/// Splits off a time of day ("T10:30:00Z", " 10:30", " 10:30:00.000 PM") after the date.
fn split_time(s: &str) -> Result<&str, DateError> {
    let b = s.as_bytes();
    // ISO 'T' between a digit and a digit.
    let t = (1..b.len().saturating_sub(1)).find(|&i| {
        (b[i] == b'T' || b[i] == b't') && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit()
    });
    // Or the last space before something with a colon.
    let sp = s.rfind(' ').filter(|&i| {
        s[i + 1..].contains(':')
            || s[i + 1..].eq_ignore_ascii_case("am")
            || s[i + 1..].eq_ignore_ascii_case("pm")
    });
    let cut = match (t, sp) {
        (Some(t), _) => Some(t),
        (None, Some(sp)) => {
            // " 10:30 PM": the time begins at the space before the clock.
            let before = s[..sp].trim_end();
            match before.rfind(' ') {
                Some(k) if s[k + 1..sp].contains(':') => Some(k),
                _ => Some(sp),
            }
        }
        _ => None,
    };
    match cut {
        None => Ok(s),
        Some(c) => {
            let time = &s[c + 1..];
            let ok = time.chars().all(|ch| {
                ch.is_ascii_digit()
                    || matches!(
                        ch,
                        ':' | '.' | ' ' | 'Z' | 'z' | '+' | '-' | 'A' | 'a' | 'P' | 'p' | 'M' | 'm'
                    )
            }) && time.contains(':');
            if ok {
                Ok(s[..c].trim_end())
            } else {
                Err(DateError::NotADate)
            }
        }
    }
}

/// Digits with at most one decimal point: an Excel serial or `YYYYMMDD`, not a written date.
fn is_bare_number(s: &str) -> bool {
    s.bytes().all(|c| c.is_ascii_digit() || c == b'.')
        && s.bytes().filter(|&c| c == b'.').count() <= 1
}

/// Reads a date written in `s` under `order`. A number alone is an Excel serial (or
/// `YYYYMMDD` when it has eight digits).
///
/// # Errors
/// [`DateError`] says why the text is not one date.
pub fn parse_date(s: &str, order: DateOrder) -> Result<i64, DateError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(DateError::NotADate);
    }
    // A number alone.
    if is_bare_number(s) {
        if s.len() == 8 && !s.contains('.') {
            let v: i64 = s.parse().map_err(|_| DateError::NotADate)?;
            return days_from_civil(v / 10_000, (v / 100 % 100) as u32, (v % 100) as u32)
                .ok_or(DateError::Invalid);
        }
        let v: f64 = s.parse().map_err(|_| DateError::NotADate)?;
        return from_excel_serial(v).ok_or(DateError::NotADate);
    }
    let date = split_time(s)?;
    let (toks, seps) = tokenize(date).ok_or(DateError::NotADate)?;
    let ymd = |y: i64, m: u32, d: u32| days_from_civil(y, m, d).ok_or(DateError::Invalid);
    let small = |v: i64| u32::try_from(v).ok().filter(|&x| x <= 31);
    match toks.as_slice() {
        [Tok::Num(y, 4), Tok::Num(m, 1..=2), Tok::Num(d, 1..=2)] => ymd(
            *y,
            small(*m).ok_or(DateError::Invalid)?,
            small(*d).ok_or(DateError::Invalid)?,
        ),
        [Tok::Num(a, 1..=2), Tok::Num(b, 1..=2), Tok::Num(y, n)] => {
            if *n == 2 {
                return Err(DateError::TwoDigitYear);
            }
            if *n != 4 {
                return Err(DateError::NotADate);
            }
            let (a, b) = (
                small(*a).ok_or(DateError::Invalid)?,
                small(*b).ok_or(DateError::Invalid)?,
            );
            let dmy = days_from_civil(*y, b, a);
            let mdy = days_from_civil(*y, a, b);
            let dotted = seps.iter().all(|&c| c == '.');
            match (order, dotted) {
                (DateOrder::Dmy, _) | (_, true) => dmy.ok_or(DateError::Invalid),
                (DateOrder::Mdy, _) => mdy.ok_or(DateError::Invalid),
                _ => match (dmy, mdy) {
                    (Some(x), Some(y)) if x == y => Ok(x),
                    (Some(x), Some(y)) => Err(DateError::Ambiguous {
                        day_first: x,
                        month_first: y,
                    }),
                    (Some(x), None) => Ok(x),
                    (None, Some(y)) => Ok(y),
                    (None, None) => Err(DateError::Invalid),
                },
            }
        }
        [Tok::Num(d, 1..=2), Tok::Word(w), Tok::Num(y, n)] => {
            if *n == 2 {
                return Err(DateError::TwoDigitYear);
            }
            let m = month_from_name(w).ok_or(DateError::NotADate)?;
            if *n != 4 {
                return Err(DateError::NotADate);
            }
            ymd(*y, m, small(*d).ok_or(DateError::Invalid)?)
        }
        [Tok::Word(w), Tok::Num(d, 1..=2), Tok::Num(y, 4)] => {
            let m = month_from_name(w).ok_or(DateError::NotADate)?;
            ymd(*y, m, small(*d).ok_or(DateError::Invalid)?)
        }
        [Tok::Num(y, 4), Tok::Word(w), Tok::Num(d, 1..=2)] => {
            let m = month_from_name(w).ok_or(DateError::NotADate)?;
            ymd(*y, m, small(*d).ok_or(DateError::Invalid)?)
        }
        _ => Err(DateError::NotADate),
    }
}

/// Whether `s` reads as a date under some order (ambiguous dates count: they are dates).
pub fn looks_like_date(s: &str) -> bool {
    let s = s.trim();
    // A bare number is a date only by the user's say-so (Excel serials), not by its looks.
    if s.is_empty() || is_bare_number(s) {
        return false;
    }
    matches!(
        parse_date(s, DateOrder::Auto),
        Ok(_) | Err(DateError::Ambiguous { .. })
    )
}

/// What the dates of some columns say about their day/month order.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct OrderEvidence {
    /// A value that can only be day/month/year (its first number is above 12).
    pub day_first: Option<String>,
    /// A value that can only be month/day/year (its second number is above 12).
    pub month_first: Option<String>,
    /// A value that could be either, and how many there are.
    pub ambiguous: Option<String>,
    /// Number of ambiguous values.
    pub n_ambiguous: usize,
}

impl OrderEvidence {
    /// The order the data settles, if it settles one: day/month/year or month/day/year
    /// when only one of them is seen; `None` with no evidence or conflicting evidence.
    pub fn order(&self) -> Option<DateOrder> {
        match (&self.day_first, &self.month_first) {
            (Some(_), None) => Some(DateOrder::Dmy),
            (None, Some(_)) => Some(DateOrder::Mdy),
            _ => None,
        }
    }

    /// Whether both orders are seen among the values.
    pub fn conflicting(&self) -> bool {
        self.day_first.is_some() && self.month_first.is_some()
    }
}

/// Collects the evidence about day/month order in `values` (e.g. the cells of a start and
/// an end date column together: one export writes one order).
pub fn order_evidence<'a>(values: impl IntoIterator<Item = &'a str>) -> OrderEvidence {
    let mut ev = OrderEvidence::default();
    for v in values {
        let v = v.trim();
        // Only numeric a/b/yyyy forms can be ambiguous; dots are read day first.
        let Ok(date) = split_time(v) else { continue };
        let Some((toks, seps)) = tokenize(date) else {
            continue;
        };
        if seps.iter().all(|&c| c == '.') {
            continue;
        }
        if let [Tok::Num(a, 1..=2), Tok::Num(b, 1..=2), Tok::Num(_, 4)] = toks.as_slice() {
            match (*a > 12, *b > 12) {
                (true, false) => {
                    ev.day_first.get_or_insert_with(|| v.to_string());
                }
                (false, true) => {
                    ev.month_first.get_or_insert_with(|| v.to_string());
                }
                (false, false) if a != b => {
                    ev.n_ambiguous += 1;
                    if ev.ambiguous.is_none() {
                        ev.ambiguous = Some(v.to_string());
                    }
                }
                _ => {}
            }
        }
    }
    ev
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d).unwrap_or(i64::MIN)
    }

    #[test]
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2000, 3, 1), Some(11_017));
        assert_eq!(days_from_civil(2021, 2, 29), None);
        for d in [-800_000, -1, 0, 59, 11_016, 19_000, 2_000_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), Some(d));
        }
    }

    #[test]
    fn excel_serials() {
        assert_eq!(from_excel_serial(44_259.0), Some(day(2021, 3, 4)));
        assert_eq!(from_excel_serial(44_259.75), Some(day(2021, 3, 4)));
        assert_eq!(from_excel_serial(61.0), Some(day(1900, 3, 1)));
        assert_eq!(from_excel_serial(59.0), Some(day(1900, 2, 28)));
        assert_eq!(from_excel_serial(1.0), Some(day(1900, 1, 1)));
        assert_eq!(from_excel_serial(60.0), None);
        assert_eq!(from_excel_serial(0.0), None);
        assert_eq!(to_excel_serial(day(2021, 3, 4)), Some(44_259.0));
    }

    #[test]
    fn formats() {
        let want = day(2021, 3, 4);
        for s in [
            "2021-03-04",
            "2021/3/4",
            "2021-03-04T10:30:00Z",
            "2021-03-04 10:30",
            "20210304",
            "04MAR2021",
            "4-Mar-2021",
            "4 March 2021",
            "March 4, 2021",
            "Mar 4 2021",
            "2021-Mar-04",
            "04.03.2021",
            "44259",
            "04/03/2021 10:30 PM",
        ] {
            let order = if s.starts_with("04/") {
                DateOrder::Dmy
            } else {
                DateOrder::Auto
            };
            assert_eq!(parse_date(s, order), Ok(want), "{s}");
        }
        assert_eq!(
            parse_date("25/03/2021", DateOrder::Auto),
            Ok(day(2021, 3, 25))
        );
        assert_eq!(
            parse_date("03/25/2021", DateOrder::Auto),
            Ok(day(2021, 3, 25))
        );
        assert_eq!(
            parse_date("05/05/2021", DateOrder::Auto),
            Ok(day(2021, 5, 5))
        );
        assert_eq!(
            parse_date("03/04/2021", DateOrder::Auto),
            Err(DateError::Ambiguous {
                day_first: day(2021, 4, 3),
                month_first: day(2021, 3, 4)
            })
        );
        assert_eq!(
            parse_date("03/04/2021", DateOrder::Mdy),
            Ok(day(2021, 3, 4))
        );
        assert_eq!(
            parse_date("03/04/21", DateOrder::Dmy),
            Err(DateError::TwoDigitYear)
        );
        assert_eq!(
            parse_date("31/04/2021", DateOrder::Dmy),
            Err(DateError::Invalid)
        );
        assert_eq!(
            parse_date("2021-02-29", DateOrder::Auto),
            Err(DateError::Invalid)
        );
        assert_eq!(
            parse_date("2020-02-29", DateOrder::Auto),
            Ok(day(2020, 2, 29))
        );
        assert_eq!(
            parse_date("soon", DateOrder::Auto),
            Err(DateError::NotADate)
        );
        assert_eq!(
            parse_date("12.5 months", DateOrder::Auto),
            Err(DateError::NotADate)
        );
    }

    #[test]
    fn order_from_evidence() {
        let e = order_evidence(["03/04/2021", "25/12/2020", "01/02/2021"]);
        assert_eq!(e.order(), Some(DateOrder::Dmy));
        assert_eq!(e.n_ambiguous, 2);
        let e = order_evidence(["03/04/2021", "12/25/2020"]);
        assert_eq!(e.order(), Some(DateOrder::Mdy));
        let e = order_evidence(["03/04/2021", "04/05/2021"]);
        assert_eq!((e.order(), e.n_ambiguous), (None, 2));
        let e = order_evidence(["13/04/2021", "04/13/2021"]);
        assert!(e.conflicting());
        assert!(looks_like_date("04MAR2021"));
        assert!(looks_like_date("03/04/2021"));
        assert!(!looks_like_date("12.5"));
        assert!(!looks_like_date("44259"));
    }
}
