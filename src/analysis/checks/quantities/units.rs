//! Units attached to numerals: percent ("40%", "forty per cent", "percent of 10"), money
//! ("$105 million", "£3bn", "5 euros", "USD 20") and time units ("two years", "20-year",
//! "two decades" = 20 years, "a week"). Turns numerals into measures with a kind.
//!
//! Must not: read qualifiers or ranges (that is `ranges`), read dates or times of day, or
//! change the numeral's own value except for unit conversion (decade = 10 years).

use super::numbers::{NumberForm, NumberMatch};
use super::{QuantityKind, TimeUnit};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

/// A numeral with its unit: the input of the qualifier pass.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Measure {
    pub span: Range<usize>,
    pub value_span: Range<usize>,
    /// Value in the unit (20 for "two decades").
    pub value: f64,
    /// Multiplier from numeral to unit value (10 for decades), so that a bare partner in a
    /// range ("two to three decades") can be converted too.
    pub factor: f64,
    /// Trailing magnitude of the numeral ("million" = 1e6), or 1.
    pub scale: f64,
    pub kind: QuantityKind,
    pub form: NumberForm,
    pub in_words: bool,
}

impl Measure {
    pub fn bare(n: &NumberMatch) -> Measure {
        let kind = match n.form {
            NumberForm::Ordinal => QuantityKind::Ordinal,
            NumberForm::Fraction if n.value.abs() < 1.0 => QuantityKind::Fraction,
            _ => QuantityKind::Count,
        };
        Measure {
            span: n.span.clone(),
            value_span: n.span.clone(),
            value: n.value,
            factor: 1.0,
            scale: n.scale,
            kind,
            form: n.form,
            in_words: n.in_words,
        }
    }

    /// Counts and fractions carry no unit and may borrow one from a range partner.
    pub fn unitless(&self) -> bool {
        matches!(self.kind, QuantityKind::Count | QuantityKind::Fraction)
    }
}

static SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)^(?:
            (?P<pct>[\ \u{a0}]?%|\s*(?:percentage\s+points?|per\s*cents?|percent(?:age)?s?|pct)(?-u:\b))
          | (?:\s*|-)(?:
                (?P<sec>seconds?|secs?)|(?P<min>minutes?|mins?)|(?P<hour>hours?|hrs?)|(?P<day>days?)
              | (?P<week>weeks?)|(?P<month>months?)|(?P<year>years?|yrs?)|(?P<decade>decades?)
              | (?P<century>century|centuries))(?-u:\b)
          | \s*(?:(?P<usd>(?:US|U\.S\.|American)\s+dollars?|dollars?|bucks)|(?P<eur>euros?)
              | (?P<gbp>pounds?\s+sterling|pounds?|quid)|(?P<jpy>yen)|(?P<cny>yuan|renminbi)
              | (?P<inr>rupees?)|(?P<chf>swiss\s+francs?)
              | (?P<code>USD|EUR|GBP|JPY|CNY|INR|CHF|CAD|AUD))(?-u:\b)
        )",
    )
    .expect("unit suffix regex")
});

static CODE_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)(?P<code>USD|EUR|GBP|JPY|CNY|INR|CHF|CAD|AUD)\s?$").expect("code prefix regex"));

static PERCENT_OF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)(?:per\s*cents?|percent(?:age)?s?)\s+of\s+$").expect("percent-of regex"));

/// "a week", "an hour", "a decade", "half a century" — but not "once a week", "twice a year", "per day".
static ARTICLE_DURATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?P<pre>once|twice|times|per|every|each)?\s*(?-u:\b)(?P<half>half\s+)?(?P<a>an?)\s+(?P<u>minute|hour|day|week|fortnight|month|year|decade|century)(?-u:\b)")
        .expect("article duration regex")
});

/// `and fifty centimes` after `twelve Euros`, `and 50 cents` after `$12`: the hundredths of a
/// currency, which belong to the amount before them.
static MINOR_UNIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[\ \u{a0}]*(?:cents?|centimes?|pence|centavos?|céntimos?|kopecks?|kopeks?|paise|rappen)(?-u:\b)")
        .expect("minor unit regex")
});
static AND: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^\s+and\s+$").expect("and regex"));

/// Adds `and N cents` (or pence, centimes…) after a sum of money to its value and span.
fn add_minor_units(text: &str, m: &mut Measure, numbers: &[NumberMatch]) {
    let next = numbers.partition_point(|n| n.span.start < m.span.end);
    let Some(minor) = numbers.get(next) else { return };
    let between = text.get(m.span.end..minor.span.start).unwrap_or("");
    let whole = m.value.fract() == 0.0 && minor.value.fract() == 0.0 && (1.0..100.0).contains(&minor.value);
    if !whole || minor.form == NumberForm::Ordinal || !AND.is_match(between) {
        return;
    }
    if let Some(unit) = MINOR_UNIT.find(window_after(text, minor.span.end, 16)) {
        m.value += minor.value / 100.0;
        m.span.end = minor.span.end + unit.end();
    }
}

/// Start of a slice of at most `n` bytes after `at`, on a char boundary.
pub(crate) fn window_after(text: &str, at: usize, n: usize) -> &str {
    let mut end = (at + n).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[at.min(end)..end]
}

/// Slice of at most `n` bytes before `at`, not before `floor`, on a char boundary.
pub(crate) fn window_before(text: &str, floor: usize, at: usize, n: usize) -> (usize, &str) {
    let mut start = at.saturating_sub(n).max(floor).min(at);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    (start, &text[start..at])
}

fn time_unit(caps: &regex::Captures) -> Option<(TimeUnit, f64)> {
    let units = [
        ("sec", TimeUnit::Second, 1.0),
        ("min", TimeUnit::Minute, 1.0),
        ("hour", TimeUnit::Hour, 1.0),
        ("day", TimeUnit::Day, 1.0),
        ("week", TimeUnit::Week, 1.0),
        ("month", TimeUnit::Month, 1.0),
        ("year", TimeUnit::Year, 1.0),
        ("decade", TimeUnit::Year, 10.0),
        ("century", TimeUnit::Year, 100.0),
    ];
    units.iter().find(|(name, _, _)| caps.name(name).is_some()).map(|&(_, u, f)| (u, f))
}

fn currency_word(caps: &regex::Captures) -> Option<String> {
    if let Some(c) = caps.name("code") {
        return Some(c.as_str().to_ascii_uppercase());
    }
    let names = [("usd", "USD"), ("eur", "EUR"), ("gbp", "GBP"), ("jpy", "JPY"), ("cny", "CNY"), ("inr", "INR"), ("chf", "CHF")];
    names.iter().find(|(n, _)| caps.name(n).is_some()).map(|(_, c)| c.to_string())
}

/// Currency sign or code before the numeral: ("USD", byte offset where it starts).
fn currency_prefix(text: &str, start: usize, floor: usize) -> Option<(String, usize)> {
    let (wstart, before) = window_before(text, floor, start, 12);
    let trimmed = before.trim_end_matches([' ', '\u{a0}']);
    let sign = trimmed.chars().next_back()?;
    let sign_at = wstart + trimmed.len() - sign.len_utf8();
    let code = match sign {
        '$' => {
            let head = &trimmed[..trimmed.len() - 1];
            let letters = head.len() - head.trim_end_matches(|c: char| c.is_ascii_uppercase()).len();
            let prefix = &head[head.len() - letters..];
            let code = match prefix {
                "C" | "CA" => "CAD",
                "A" | "AU" => "AUD",
                "NZ" => "NZD",
                "HK" => "HKD",
                "S" => "SGD",
                _ => "USD",
            };
            let known = matches!(prefix, "US" | "C" | "CA" | "A" | "AU" | "NZ" | "HK" | "S");
            return Some((code.to_string(), if known { sign_at - letters } else { sign_at }));
        }
        '£' => "GBP",
        '€' => "EUR",
        '¥' => "JPY",
        '₹' => "INR",
        '₩' => "KRW",
        _ => {
            let m = CODE_PREFIX.captures(before)?;
            let c = m.name("code")?;
            return Some((c.as_str().to_string(), wstart + c.start()));
        }
    };
    Some((code.to_string(), sign_at))
}

/// Whether `span` overlaps one of `sorted`, which are ordered and do not overlap each other.
pub(crate) fn overlaps_any(sorted: &[Measure], span: &Range<usize>) -> bool {
    let first_ending_after = sorted.partition_point(|m| m.span.end <= span.start);
    sorted.get(first_ending_after).is_some_and(|m| m.span.start < span.end)
}

/// Gives every numeral its unit. Ordinals pass through; numerals swallowed by an earlier
/// unit ("second" in "one second") are dropped.
pub(crate) fn attach(text: &str, numbers: &[NumberMatch]) -> Vec<Measure> {
    let mut out: Vec<Measure> = Vec::with_capacity(numbers.len());
    let mut floor = 0;
    for n in numbers {
        if n.span.start < floor {
            continue;
        }
        let mut m = Measure::bare(n);
        if n.form != NumberForm::Ordinal {
            attach_unit(text, n, floor, &mut m, numbers);
        }
        floor = m.span.end;
        out.push(m);
    }
    let articles = ARTICLE_DURATION.captures_iter(text).filter_map(|c| {
        if c.name("pre").is_some() {
            return None;
        }
        let a = c.name("a")?;
        let u = c.name("u")?;
        let (unit, factor) = match u.as_str().to_ascii_lowercase().as_str() {
            "minute" => (TimeUnit::Minute, 1.0),
            "hour" => (TimeUnit::Hour, 1.0),
            "day" => (TimeUnit::Day, 1.0),
            "week" => (TimeUnit::Week, 1.0),
            "fortnight" => (TimeUnit::Week, 2.0),
            "month" => (TimeUnit::Month, 1.0),
            "year" => (TimeUnit::Year, 1.0),
            "decade" => (TimeUnit::Year, 10.0),
            _ => (TimeUnit::Year, 100.0),
        };
        // "half a century" is 50 years, "half an hour" 0.5 hours: one duration, not a half and a century.
        let (start, value) = match c.name("half") {
            Some(half) => (half.start(), factor / 2.0),
            None => (a.start(), factor),
        };
        Some(Measure {
            span: start..u.end(),
            value_span: start..a.end(),
            value,
            factor,
            scale: 1.0,
            kind: QuantityKind::Duration { unit },
            form: NumberForm::Integer,
            in_words: true,
        })
    });
    let articles: Vec<Measure> = articles
        .filter(|a| {
            // "half a century" takes the place of the bare "half" read above; nothing else gives way.
            let halves = a.value_span.len() > 2 && text[a.value_span.clone()].to_ascii_lowercase().starts_with("half");
            if halves {
                out.retain(|m| !(m.span.start >= a.span.start && m.span.end <= a.span.end && m.value == 0.5));
            }
            !overlaps_any(&out, &a.span)
        })
        .collect();
    if !articles.is_empty() {
        out.extend(articles);
        out.sort_by_key(|m| m.span.start);
    }
    out
}

fn attach_unit(text: &str, n: &NumberMatch, floor: usize, m: &mut Measure, numbers: &[NumberMatch]) {
    let prefix = currency_prefix(text, n.span.start, floor);
    if let Some(caps) = SUFFIX.captures(window_after(text, n.span.end, 40)) {
        let end = n.span.end + caps.get(0).map_or(0, |c| c.end());
        if caps.name("pct").is_some() {
            m.kind = QuantityKind::Percent;
            m.span.end = end;
            return;
        }
        if let Some((unit, factor)) = time_unit(&caps) {
            if prefix.is_none() {
                m.kind = QuantityKind::Duration { unit };
                m.value = n.value * factor;
                m.factor = factor;
                m.span.end = end;
                return;
            }
        }
        if let (Some(currency), None) = (currency_word(&caps), &prefix) {
            m.kind = QuantityKind::Money { currency };
            m.span.end = end;
            add_minor_units(text, m, numbers);
            return;
        }
    }
    if let Some((currency, start)) = prefix {
        m.kind = QuantityKind::Money { currency };
        m.span.start = start;
        add_minor_units(text, m, numbers);
        return;
    }
    // "percent of 10": the unit before the numeral, only when no numeral precedes it.
    let (wstart, before) = window_before(text, floor, n.span.start, 24);
    if let Some(p) = PERCENT_OF.find(before) {
        let pstart = wstart + p.start();
        let lead = text[..pstart].trim_end();
        let numeral_before =
            numbers.binary_search_by_key(&lead.len(), |o| o.span.end).is_ok() || lead.ends_with(|c: char| c.is_ascii_digit());
        if !numeral_before {
            m.kind = QuantityKind::Percent;
            m.span.start = pstart;
        }
    }
}
