//! Periods that counts over time are grouped by (`trend --by`).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A calendar period. Its label of a date ([`Period::label`]) is what the
/// archive groups by and what every front end prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Day,
    Week,
    Month,
    Year,
}

impl Period {
    pub const ALL: [Period; 4] = [Period::Day, Period::Week, Period::Month, Period::Year];

    pub fn as_str(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
            Period::Year => "year",
        }
    }

    /// Parses `day`, `week`, `month` or `year`.
    pub fn parse(s: &str) -> Option<Period> {
        Period::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The label of the period holding `d`: `2026-01-05` (a day; for a
    /// week, the Monday that starts it), `2026-01` or `2026`.
    pub fn label(self, d: NaiveDate) -> String {
        match self {
            Period::Day => d.to_string(),
            Period::Week => {
                (d - chrono::Duration::days(d.weekday().num_days_from_monday() as i64)).to_string()
            }
            Period::Month => format!("{:04}-{:02}", d.year(), d.month()),
            Period::Year => format!("{:04}", d.year()),
        }
    }

    /// The first day of the period a label names (the inverse of
    /// [`Period::label`]).
    pub fn start(self, label: &str) -> Option<NaiveDate> {
        match self {
            Period::Day | Period::Week => NaiveDate::parse_from_str(label, "%Y-%m-%d").ok(),
            Period::Month => NaiveDate::parse_from_str(&format!("{label}-01"), "%Y-%m-%d").ok(),
            Period::Year => NaiveDate::parse_from_str(&format!("{label}-01-01"), "%Y-%m-%d").ok(),
        }
    }

    /// The same day one period later.
    pub fn next(self, d: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Day => d.succ_opt(),
            Period::Week => d.checked_add_signed(chrono::Duration::days(7)),
            Period::Month => d.checked_add_months(chrono::Months::new(1)),
            Period::Year => d.checked_add_months(chrono::Months::new(12)),
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_their_starts() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let cases = [
            (Period::Day, "2026-01-01", (2026, 1, 1)),
            (Period::Week, "2025-12-29", (2025, 12, 29)),
            (Period::Month, "2026-01", (2026, 1, 1)),
            (Period::Year, "2026", (2026, 1, 1)),
        ];
        for (p, label, (y, m, day)) in cases {
            assert_eq!(p.label(d), label, "{p}");
            assert_eq!(p.start(label), NaiveDate::from_ymd_opt(y, m, day), "{p}");
            assert_eq!(Period::parse(p.as_str()), Some(p));
        }
    }
}
