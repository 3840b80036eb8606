//! Calendar dates for article metadata: parsing ISO dates, weekday arithmetic, display.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

pub const MONTH_NAMES: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        (1..=12).contains(&month).then_some(())?;
        (1..=days_in_month(year, month)).contains(&day).then_some(Date { year, month, day })
    }

    /// `2024-05-24`, exactly.
    /// `2024-03-22`, also as the start of a timestamp (`2024-03-22T10:00:00Z`, `2024-03-22 10:00`).
    pub fn parse_iso(text: &str) -> Option<Date> {
        let text = text.trim().trim_matches(['"', '\'']);
        let text = match text.as_bytes().get(10) {
            Some(b'T' | b't' | b' ') => &text[..10],
            _ => text,
        };
        let mut parts = text.splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.get(..2)?.parse().ok()?;
        Date::new(year, month, day)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for weekday arithmetic.
    pub fn days_since_epoch(self) -> i64 {
        let (y, m, d) = (i64::from(self.year), i64::from(self.month), i64::from(self.day));
        let y = if m <= 2 { y - 1 } else { y };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// 0 = Monday … 6 = Sunday.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (3).
        ((self.days_since_epoch() + 3).rem_euclid(7)) as u8
    }

    /// `26 Mar 2024`, the short form used in messages.
    pub fn short(self) -> String {
        format!("{} {} {}", self.day, &MONTH_NAMES[usize::from(self.month) - 1][..3], self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_iso_dates() {
        let date = Date::parse_iso("2024-03-27").unwrap();
        assert_eq!(date.to_string(), "2024-03-27");
        assert_eq!(date.short(), "27 Mar 2024");
        assert_eq!(Date::parse_iso("2024-02-30"), None);
        assert_eq!(Date::parse_iso("garbage"), None);
    }

    #[test]
    fn weekdays_and_day_arithmetic_agree() {
        let date = Date::parse_iso("2024-03-27").unwrap();
        assert_eq!(date.weekday(), 2, "27 March 2024 was a Wednesday");
        assert_eq!(Date::from_days_since_epoch(date.days_since_epoch() - 5), Date::parse_iso("2024-03-22").unwrap());
        assert_eq!(Date::from_days_since_epoch(0), Date::new(1970, 1, 1).unwrap());
    }
}
