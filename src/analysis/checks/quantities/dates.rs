//! Dates and times: calendar dates ("March 22", "22 March 2024", "Mar. 22, 2024",
//! "2024-05-24", "5/17/2018"), months of a year ("March 2024"), weekdays resolved against
//! the article's date ("on Tuesday", "last Friday"), bare years ("in 2024"), decades
//! ("the 1980s") and times of day ("10:30", "9 pm").
//!
//! Must not: read durations ("two years" is `units`), give a yearless date a year (the
//! checker decides whether "March 22" means this year), resolve a weekday without a
//! reference date, or touch the numerals it does not claim.

use super::{CalendarDate, Interval, Qualifier, Quantity, QuantityKind, ReadContext};
use regex::{Captures, Regex};
use std::sync::LazyLock;

const MONTH: &str = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?-u:\b)\.?";
/// Month names without the closing word boundary, for "april22" (a day must follow).
const MONTH_GLUED: &str = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?";
const WEEKDAY: &str = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
const DAY_NUMBER: &str = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?";
const UNIT_ORDINALS: [&str; 9] = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"];
const TEEN_ORDINALS: [&str; 10] =
    ["tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"];

/// Ordinal words for days 1 to 31, longest first so that "twenty first" wins over "twenty".
fn day_words() -> String {
    let units = UNIT_ORDINALS.join("|");
    format!(r"(?:twenty[-\s]+(?:{units})|thirty[-\s]+first|twentieth|thirtieth|{}|{units})", TEEN_ORDINALS.join("|"))
}

fn day_word_value(w: &str) -> Option<u8> {
    let w = w.to_ascii_lowercase();
    let mut parts = w.split(|c: char| c == '-' || c.is_whitespace()).filter(|p| !p.is_empty());
    let first = parts.next()?;
    let tens = match first {
        "twenty" => 20,
        "thirty" => 30,
        "twentieth" => return Some(20),
        "thirtieth" => return Some(30),
        _ => 0,
    };
    let unit_word = if tens > 0 { parts.next()? } else { first };
    let unit = UNIT_ORDINALS
        .iter()
        .position(|u| *u == unit_word)
        .map(|p| p as u8 + 1)
        .or_else(|| TEEN_ORDINALS.iter().position(|u| *u == unit_word).map(|p| p as u8 + 10))?;
    Some(tens + unit)
}

fn compile(pattern: &str) -> Regex {
    let p = pattern
        .replace("MONTHGLUED", MONTH_GLUED)
        .replace("MONTH", MONTH)
        .replace("WEEKDAY", WEEKDAY)
        .replace("DAYNUM", DAY_NUMBER)
        .replace("DAYWORD", &day_words());
    Regex::new(&p).expect("date regex")
}

static MONTH_DAY: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)(?-u:\b)(?:(?P<wd>WEEKDAY),?\s+)?(?P<mon>MONTHGLUED)(?:,?\s*|[-/])(?:the\s+)?(?:(?P<day>DAYNUM)|(?P<dayw>DAYWORD))(?-u:\b)(?:,?\s*(?:of\s+)?(?P<year>\d{4})(?-u:\b))?",
    )
});
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)(?-u:\b)(?:(?P<wd>WEEKDAY),?\s+)?(?:(?P<day>DAYNUM)|(?P<dayw>DAYWORD))(?:\s*(?:of\s+)?|-)(?P<mon>MONTH)(?:,?\s*(?:of\s+)?(?P<year>\d{4})(?-u:\b))?",
    )
});
static MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)(?-u:\b)(?P<mon>MONTH)\s*,?\s+(?:of\s+)?(?P<year>\d{4})(?-u:\b)"));
static ISO: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)(?-u:\b)(?P<year>\d{4})[-/.](?:(?P<m>\d{1,2})|(?P<mon>MONTH))[-/.](?P<day>\d{1,2})(?-u:\b)"));
static NUMERIC: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?-u:\b)(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})[-/.](?P<year>\d{4}|\d{2})(?-u:\b)"));
static WEEKDAY_ALONE: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)(?-u:\b)(?:(?P<rel>last|next|this|past|coming)\s+)?(?P<wd>WEEKDAY)(?-u:\b)"));
/// Whether a text may name a month or a weekday: the literals every month and weekday pattern
/// starts from, found far faster than the patterns themselves.
static MONTH_HINT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec").unwrap());
static WEEKDAY_HINT: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)WEEKDAY"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)(?-u:\b)(?P<prep>in|since|until|till|before|after|during|from|circa|early|late|mid|by|of|to|the|year|fiscal|through|between|and)(?:\s+|-)(?P<year>\d{4})(?-u:\b)",
    )
});
static YEAR_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    compile(
        r"(?i)(?-u:\b)(?:(?P<kw>between|from)\s+)?(?P<a>(?:1[89]|20)\d\d)\s*(?:(?P<dash>[-–])|(?P<word>to|and|until|through))\s*(?P<b>(?:1[89]|20)\d\d|\d\d)(?-u:\b)",
    )
});
static DECADE: LazyLock<Regex> = LazyLock::new(|| compile(r"(?i)(?-u:\b)(?P<year>1\d\d0|20\d0)s(?-u:\b)|['’](?P<yy>\d0)s(?-u:\b)"));
static CLOCK: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"(?i)(?-u:\b)(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)(?::[0-5]\d)?(?:\s*(?P<ap>a\.m\.|p\.m\.|am(?-u:\b)|pm(?-u:\b)))?")
});
static HOUR: LazyLock<Regex> =
    LazyLock::new(|| compile(r"(?i)(?-u:\b)(?P<h>1[0-2]|0?[1-9])\s*(?P<ap>a\.m\.|p\.m\.|am(?-u:\b)|pm(?-u:\b))"));

fn month_number(name: &str) -> Option<u8> {
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    names.iter().position(|m| n.starts_with(m)).map(|p| p as u8 + 1)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(m: u8, year: Option<i32>) -> u8 {
    match m {
        2 => year.map_or(29, |y| if is_leap(y as i64) { 29 } else { 28 }),
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (proleptic Gregorian): the calendar arithmetic of `analysis::date`.
pub(crate) fn days_from_civil(y: i64, m: u8, d: u8) -> i64 {
    crate::analysis::text::date::Date { year: y as i32, month: m, day: d }.days_since_epoch()
}

pub(crate) fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let date = crate::analysis::text::date::Date::from_days_since_epoch(z);
    (i64::from(date.year), date.month, date.day)
}

/// 0 = Sunday.
fn weekday_of(days: i64) -> i64 {
    (days + 4).rem_euclid(7)
}

fn weekday_number(name: &str) -> i64 {
    let days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let n = name.to_ascii_lowercase();
    days.iter().position(|d| n.starts_with(d)).unwrap_or(0) as i64
}

/// The weekday nearest the reference date in the direction the modifier says: none, "on",
/// "past" → on or before; "last" → strictly before; "this", "coming" → on or after;
/// "next" → strictly after.
fn resolve_weekday(reference: &CalendarDate, weekday: i64, modifier: Option<&str>) -> Option<CalendarDate> {
    let (year, day) = (reference.year?, reference.day?);
    if !(1..=12).contains(&reference.month) || day == 0 || day > days_in_month(reference.month, Some(year)) {
        return None;
    }
    let r = days_from_civil(year as i64, reference.month, day);
    let back = (weekday_of(r) - weekday).rem_euclid(7);
    let forward = (weekday - weekday_of(r)).rem_euclid(7);
    let target = match modifier.map(str::to_ascii_lowercase).as_deref() {
        Some("last") => r - if back == 0 { 7 } else { back },
        Some("next") => r + if forward == 0 { 7 } else { forward },
        Some("this" | "coming") => r + forward,
        _ => r - back,
    };
    let (y, m, d) = civil_from_days(target);
    Some(CalendarDate { year: Some(y as i32), month: m, day: Some(d) })
}

fn date_quantity(span: std::ops::Range<usize>, date: CalendarDate) -> Quantity {
    let value = date.year.unwrap_or(0) as f64 * 10_000.0 + date.month as f64 * 100.0 + date.day.unwrap_or(0) as f64;
    Quantity {
        span: span.clone(),
        value_span: span,
        value,
        interval: Interval::exact(value),
        qualifier: Qualifier::Exact,
        kind: QuantityKind::Date(date),
    }
}

fn plain(span: std::ops::Range<usize>, value: f64, interval: Interval, kind: QuantityKind) -> Quantity {
    Quantity { span: span.clone(), value_span: span, value, interval, qualifier: Qualifier::Exact, kind }
}

fn number(c: &Captures, name: &str) -> Option<i32> {
    let s = c.name(name)?.as_str();
    s.trim_end_matches(|ch: char| ch.is_ascii_alphabetic()).parse().ok()
}

/// Not part of a longer chain of digits: "1.2.2019.5", "192.168.1.2".
fn isolated(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let digit_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let before = start >= 2 && matches!(b[start - 1], b'.' | b'/' | b'-' | b',') && digit_at(start - 2);
    let after = matches!(b.get(end), Some(b'.' | b'/' | b'-' | b',' | b':')) && digit_at(end + 1);
    !before && !after && !digit_at(end)
}

/// "May" and "March" are also a verb and a noun: only capitalised they name a month.
fn month_ok(name: &str) -> bool {
    let lower = name.trim_end_matches('.').to_ascii_lowercase();
    !(lower == "may" || lower == "march") || name.starts_with('M')
}

fn calendar(c: &Captures, text: &str) -> Option<CalendarDate> {
    let month = match c.name("mon") {
        Some(m) if !month_ok(m.as_str()) => return None,
        Some(m) => month_number(m.as_str())?,
        None => u8::try_from(number(c, "m")?).ok()?,
    };
    let day = match (c.name("day"), c.name("dayw")) {
        (Some(_), _) => Some(u8::try_from(number(c, "day")?).ok()?),
        (None, Some(w)) => Some(day_word_value(w.as_str())?),
        _ => None,
    };
    let year = number(c, "year");
    let whole = c.get(0)?;
    if !(1..=12).contains(&month) || !isolated(text, whole.start(), whole.end()) {
        return None;
    }
    if year.is_some_and(|y| !(1000..=2999).contains(&y)) || day.is_some_and(|d| d == 0 || d > days_in_month(month, year)) {
        return None;
    }
    Some(CalendarDate { year, month, day })
}

/// Calendar dates, weekdays, years, decades and times of day, in order, non-overlapping.
pub(crate) fn find_dates(text: &str, context: &ReadContext) -> Vec<Quantity> {
    let mut found: Vec<Quantity> = Vec::new();
    // Every pattern needs a digit, a month or a weekday: most sentences are spared the patterns
    // that cannot match (the hints use the patterns' own case folding).
    let has_digit = text.chars().any(char::is_numeric);
    let has_month = MONTH_HINT.is_match(text);
    let calendar_patterns =
        [(&*MONTH_DAY, has_month), (&*DAY_MONTH, has_month), (&*MONTH_YEAR, has_month && has_digit), (&*ISO, has_digit)];
    for re in calendar_patterns.into_iter().filter_map(|(re, possible)| possible.then_some(re)) {
        for c in re.captures_iter(text) {
            if let (Some(whole), Some(date)) = (c.get(0), calendar(&c, text)) {
                found.push(date_quantity(whole.range(), date));
            }
        }
    }
    for c in NUMERIC.captures_iter(if has_digit { text } else { "" }) {
        let Some(whole) = c.get(0) else { continue };
        let (Some(a), Some(b), Some(y)) = (number(&c, "a"), number(&c, "b"), c.name("year")) else {
            continue;
        };
        let dotted = c.name("sep").is_some_and(|s| s.as_str() == ".");
        if (dotted && y.len() != 4) || !isolated(text, whole.start(), whole.end()) {
            continue;
        }
        let yv: i32 = y.as_str().parse().unwrap_or(0);
        let year = if y.len() == 2 {
            if yv < 50 {
                2000 + yv
            } else {
                1900 + yv
            }
        } else {
            yv
        };
        // Day first when the first figure cannot be a month (21/04/2016); US order otherwise.
        let (m, d) = if a > 12 { (b, a) } else { (a, b) };
        let (Ok(m), Ok(d)) = (u8::try_from(m), u8::try_from(d)) else {
            continue;
        };
        if (1..=12).contains(&m) && d >= 1 && d <= days_in_month(m, Some(year)) {
            found.push(date_quantity(whole.range(), CalendarDate { year: Some(year), month: m, day: Some(d) }));
        }
    }
    if let Some(reference) = context.reference_date.filter(|_| WEEKDAY_HINT.is_match(text)) {
        for c in WEEKDAY_ALONE.captures_iter(text) {
            let (Some(whole), Some(wd)) = (c.get(0), c.name("wd")) else {
                continue;
            };
            let rel = c.name("rel").map(|r| r.as_str());
            if let Some(date) = resolve_weekday(&reference, weekday_number(wd.as_str()), rel) {
                found.push(date_quantity(whole.range(), date));
            }
        }
    }
    if has_digit {
        years_decades_times(text, &mut found); // years, decades and times are all written in digits
    }
    found.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(b.span.end.cmp(&a.span.end)));
    let mut out: Vec<Quantity> = Vec::with_capacity(found.len());
    for q in found {
        if out.last().is_none_or(|p| q.span.start >= p.span.end) {
            out.push(q);
        }
    }
    out
}

/// Prepositions after which a four-digit figure may still be a count ("won by 2000
/// votes", "a crowd of 2000 people"): a year only when no lower-case word follows.
const WEAK_YEAR_PREPOSITIONS: &[&str] = &["by", "of", "to", "and", "between", "through"];

fn years_decades_times(text: &str, found: &mut Vec<Quantity>) {
    // "2019-2021", "2019–20", "between 2019 and 2021": one span of years.
    for c in YEAR_RANGE.captures_iter(text) {
        let (Some(whole), Some(a), Some(b)) = (c.get(0), number(&c, "a"), c.name("b")) else {
            continue;
        };
        let b_value: i32 = b.as_str().parse().unwrap_or(0);
        let b_year = if b.as_str().len() == 2 { a - a % 100 + b_value } else { b_value };
        let kw = c.name("kw").map(|k| k.as_str().to_ascii_lowercase());
        let word_ok = match c.name("word").map(|w| w.as_str().to_ascii_lowercase()) {
            Some(w) if w == "and" => kw.as_deref() == Some("between"),
            Some(_) => kw.is_some(),
            None => true,
        };
        if !word_ok || b_year <= a || !isolated(text, whole.start(), whole.end()) {
            continue;
        }
        let start = c.name("a").map_or(whole.start(), |m| m.start());
        let (lo, hi) = (a as f64, b_year as f64);
        found.push(Quantity {
            span: whole.range(),
            value_span: start..b.end(),
            value: lo,
            interval: Interval::closed(lo, hi),
            qualifier: Qualifier::Between,
            kind: QuantityKind::Year,
        });
    }
    for c in YEAR.captures_iter(text) {
        let (Some(prep), Some(y)) = (c.name("prep"), c.name("year")) else {
            continue;
        };
        let value: i32 = y.as_str().parse().unwrap_or(0);
        let the = prep.as_str().eq_ignore_ascii_case("the");
        let range = if the { 1900..=2100 } else { 1000..=2999 };
        if !range.contains(&value) || !isolated(text, y.start(), y.end()) || text[y.end()..].starts_with(['%', '\'', '’']) {
            continue;
        }
        let weak = WEAK_YEAR_PREPOSITIONS.iter().any(|w| prep.as_str().eq_ignore_ascii_case(w));
        let next_word_lower = text[y.end()..].trim_start().starts_with(|ch: char| ch.is_lowercase());
        if weak && next_word_lower {
            continue;
        }
        found.push(plain(y.range(), value as f64, Interval::exact(value as f64), QuantityKind::Year));
    }
    for c in DECADE.captures_iter(text) {
        let Some(whole) = c.get(0) else { continue };
        let year = match (number(&c, "year"), number(&c, "yy")) {
            (Some(y), _) => y,
            (None, Some(yy)) => {
                if yy <= 20 {
                    2000 + yy
                } else {
                    1900 + yy
                }
            }
            _ => continue,
        };
        let y = year as f64;
        found.push(plain(whole.range(), y, Interval::half_open(y, y + 10.0), QuantityKind::Decade));
    }
    for re in [&*CLOCK, &*HOUR] {
        for c in re.captures_iter(text) {
            let Some(whole) = c.get(0) else { continue };
            let after_digit = text[whole.end()..].starts_with(|ch: char| ch.is_ascii_digit());
            let before_colon = text[..whole.start()].ends_with([':', '.']);
            if after_digit || before_colon {
                continue;
            }
            let mut h = number(&c, "h").unwrap_or(0) as f64;
            let m = number(&c, "m").unwrap_or(0) as f64;
            if let Some(ap) = c.name("ap") {
                let pm = ap.as_str().to_ascii_lowercase().starts_with('p');
                if h > 12.0 {
                    continue;
                }
                h = match (pm, h == 12.0) {
                    (true, false) => h + 12.0,
                    (false, true) => 0.0,
                    _ => h,
                };
            }
            let v = h + m / 60.0;
            found.push(plain(whole.range(), v, Interval::exact(v), QuantityKind::TimeOfDay));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_arithmetic_round_trips() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2024, 3, 27), (1900, 3, 1), (2100, 12, 31)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
        assert_eq!(weekday_of(days_from_civil(2024, 3, 27)), 3, "a Wednesday");
    }

    #[test]
    fn weekdays_resolve_around_the_reference_date() {
        let wednesday = CalendarDate { year: Some(2024), month: 3, day: Some(27) };
        let on = |wd, modifier| resolve_weekday(&wednesday, wd, modifier).and_then(|d| d.day);
        assert_eq!(on(2, None), Some(26), "Tuesday: the most recent one");
        assert_eq!(on(3, None), Some(27), "Wednesday: the day itself");
        assert_eq!(on(3, Some("last")), Some(20), "last Wednesday: a week before");
        assert_eq!(on(5, Some("next")), Some(29), "next Friday");
        let yearless = CalendarDate { year: None, month: 3, day: Some(27) };
        assert_eq!(resolve_weekday(&yearless, 2, None), None);
    }
}
