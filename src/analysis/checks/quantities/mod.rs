//! The quantity reader: finds every number, qualified number, range, ordinal, percentage,
//! money amount, date and duration in English text, with exact byte spans, and turns each
//! into the interval of values it allows. A pure function of the text and the article's
//! date; the layers below it are public so that tests can score each one on its own.
//!
//! Pipeline of `read_quantities`: mask URLs → dates, years, decades, times of day (`dates`)
//! → mask them → results (`2-0`, `scores`) and quarters (`Q4`) → mask them → numerals (`numbers`, `cardinal`, `fractions`) → units (`units`) →
//! qualifiers, ranges and vague quantities (`ranges`) → drop overlaps, pronoun "one"s,
//! designations ("COVID-19") and citation marks ("[2]"); plain "2023" becomes a Year.
//!
//! Must not: do I/O, keep state between calls, panic on any input, or compare quantities
//! with each other (that is the checker's business).

mod cardinal;
mod dates;
mod digits;
mod fractions;
pub mod numbers;
pub mod ordinals;
pub mod quarters;
pub mod ranges;
pub mod scores;
mod tokens;
mod units;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_robustness;

pub use numbers::{find_numbers, NumberForm, NumberMatch};
pub use ordinals::{read_ordinals, relative_ordinals, OrdinalReading, OrdinalValue, RelativeTo};
pub use ranges::{read_number_ranges, RangeReading, RangeSource};

use regex::Regex;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

/// Tolerances that turn qualifier words into intervals, in one place.
pub mod tolerance {
    /// "about 140", "some 140", "an estimated 140": reporters round to one or two
    /// significant figures, so ±10% covers the usual rounding of the figure they saw.
    pub const APPROXIMATE_RELATIVE: f64 = 0.10;
    /// ... but never less than ±1 for figures of one or more ("about 3 people" = 2..4).
    pub const APPROXIMATE_MIN_ABSOLUTE: f64 = 1.0;
    /// "nearly 140", "almost 140": the true figure is below 140 but not far below; a
    /// writer would not say "nearly 140" of 120.
    pub const BELOW_LOW_FACTOR: f64 = 0.9;
    /// Vague plurals: [low, high) of each. "hundreds" means at least two hundred and less
    /// than a thousand. "thousands", "millions" and "billions" run up to the next named
    /// scale, because writers say "thousands" of crowds that were tens of thousands.
    /// "tens of thousands" = the range of "tens" times a thousand: [20 000, 100 000).
    pub const VAGUE: &[(&str, f64, f64)] = &[
        ("tens", 20.0, 100.0),
        ("dozens", 24.0, 144.0),
        ("scores", 40.0, 200.0),
        ("hundreds", 200.0, 1_000.0),
        ("thousands", 2_000.0, 1e6),
        ("millions", 2e6, 1e9),
        ("billions", 2e9, 1e12),
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bound {
    pub value: f64,
    pub inclusive: bool,
}

/// An interval with open or closed ends; None = unbounded on that side.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Interval {
    pub low: Option<Bound>,
    pub high: Option<Bound>,
}

impl Interval {
    pub fn exact(v: f64) -> Self {
        Self::closed(v, v)
    }

    /// The interval with both ends multiplied by `factor` (positive): the same span in another unit.
    pub fn scaled(&self, factor: f64) -> Self {
        let scale = |bound: Option<Bound>| bound.map(|b| Bound { value: b.value * factor, ..b });
        Interval { low: scale(self.low), high: scale(self.high) }
    }

    pub fn closed(low: f64, high: f64) -> Self {
        Interval { low: Some(Bound { value: low, inclusive: true }), high: Some(Bound { value: high, inclusive: true }) }
    }

    /// [low, high)
    pub fn half_open(low: f64, high: f64) -> Self {
        Interval { low: Some(Bound { value: low, inclusive: true }), high: Some(Bound { value: high, inclusive: false }) }
    }

    /// False when the two are disjoint; open ends do not touch: [1,2) and [2,3] are disjoint.
    pub fn intersects(&self, other: &Interval) -> bool {
        let low = tighter(self.low, other.low, |a, b| a > b);
        let high = tighter(self.high, other.high, |a, b| a < b);
        match (low, high) {
            (Some(l), Some(h)) => l.value < h.value || (l.value == h.value && l.inclusive && h.inclusive),
            _ => true,
        }
    }

    pub fn contains(&self, v: f64) -> bool {
        let above = self.low.is_none_or(|l| v > l.value || (l.inclusive && v == l.value));
        let below = self.high.is_none_or(|h| v < h.value || (h.inclusive && v == h.value));
        above && below
    }

    /// Recognizers-Text notation: "(20,35]", "(4565,)", "[20,20]", "(,100]".
    pub fn to_range_notation(&self) -> String {
        let (open, low) = match self.low {
            Some(b) => (if b.inclusive { '[' } else { '(' }, format!("{}", b.value)),
            None => ('(', String::new()),
        };
        let (close, high) = match self.high {
            Some(b) => (if b.inclusive { ']' } else { ')' }, format!("{}", b.value)),
            None => (')', String::new()),
        };
        format!("{open}{low},{high}{close}")
    }
}

impl Interval {
    /// What the interval allows, for a reader: "exactly 11", "between 141 and 149" (whole numbers:
    /// open ends become the next whole number), "more than 2.5", "up to 700", "any value".
    pub fn in_words(&self) -> String {
        let number = |v: f64| {
            let text = format!("{v:.2}");
            text.trim_end_matches('0').trim_end_matches('.').to_string()
        };
        let whole = |b: Bound| b.value.fract() == 0.0;
        // Inclusive ends for whole numbers: (140,150) allows 141 to 149.
        let low = self.low.map(|b| if whole(b) && !b.inclusive { Bound { value: b.value + 1.0, inclusive: true } } else { b });
        let high = self.high.map(|b| if whole(b) && !b.inclusive { Bound { value: b.value - 1.0, inclusive: true } } else { b });
        match (low, high) {
            (Some(l), Some(h)) if l.inclusive && h.inclusive && l.value == h.value => format!("exactly {}", number(l.value)),
            (Some(l), Some(h)) if l.inclusive && h.inclusive => format!("between {} and {}", number(l.value), number(h.value)),
            (Some(l), Some(h)) => format!(
                "{} {} and {} {}",
                if l.inclusive { "from" } else { "more than" },
                number(l.value),
                if h.inclusive { "up to" } else { "under" },
                number(h.value)
            ),
            (Some(l), None) => format!("{} {}", if l.inclusive { "at least" } else { "more than" }, number(l.value)),
            (None, Some(h)) => format!("{} {}", if h.inclusive { "up to" } else { "under" }, number(h.value)),
            (None, None) => "any value".to_string(),
        }
    }
}

/// A whole number from 0 to 99 in words (`four`, `twenty-one`), as a fix writes it for a note
/// that spells its numbers; `None` beyond, where digits are the newsroom's habit anyway.
pub fn small_number_in_words(value: f64) -> Option<String> {
    const UNITS: [&str; 20] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
        "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];
    const TENS: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    if value.fract() != 0.0 || !(0.0..100.0).contains(&value) {
        return None;
    }
    let n = value as usize;
    Some(match n {
        0..=19 => UNITS[n].to_string(),
        _ if n % 10 == 0 => TENS[n / 10].to_string(),
        _ => format!("{}-{}", TENS[n / 10], UNITS[n % 10]),
    })
}

impl CalendarDate {
    /// "22 March 2024", "22 March (year not given)", "March 2024".
    pub fn in_words(&self) -> String {
        let month = crate::analysis::text::date::MONTH_NAMES.get(usize::from(self.month).wrapping_sub(1)).copied().unwrap_or("?");
        let day = self.day.map_or_else(String::new, |d| format!("{d} "));
        match self.year {
            Some(year) => format!("{day}{month} {year}"),
            None => format!("{day}{month} (year not given)"),
        }
    }
}

/// Of two bounds on the same side, the one that restricts more (`better(a, b)` is true when
/// value a restricts more than b); at equal values an open end restricts more.
fn tighter(a: Option<Bound>, b: Option<Bound>, better: fn(f64, f64) -> bool) -> Option<Bound> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if better(x.value, y.value) || (x.value == y.value && !x.inclusive) { x } else { y }),
        (x, None) => x,
        (None, y) => y,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    Exact,
    Approximate,
    /// nearly, almost, close to, just under
    Below,
    AtLeast,
    MoreThan,
    AtMost,
    LessThan,
    /// ranges
    Between,
    /// hundreds, dozens, scores of
    Vague,
}

impl Qualifier {
    /// The interval a single figure `v` allows under this qualifier. `Between` and `Vague`
    /// carry their own ends and fall back to the exact value here.
    pub fn interval(self, v: f64) -> Interval {
        use tolerance::*;
        let unbounded = None;
        let b = |value: f64, inclusive: bool| Some(Bound { value, inclusive });
        match self {
            Qualifier::Exact | Qualifier::Between | Qualifier::Vague => Interval::exact(v),
            Qualifier::Approximate => {
                let floor = if v.abs() >= 1.0 { APPROXIMATE_MIN_ABSOLUTE } else { 0.0 };
                let tol = (v.abs() * APPROXIMATE_RELATIVE).max(floor);
                Interval::closed(v - tol, v + tol)
            }
            Qualifier::Below => Interval { low: b(v - v.abs() * (1.0 - BELOW_LOW_FACTOR), true), high: b(v, false) },
            Qualifier::AtLeast => Interval { low: b(v, true), high: unbounded },
            Qualifier::MoreThan => Interval { low: b(v, false), high: unbounded },
            Qualifier::AtMost => Interval { low: unbounded, high: b(v, true) },
            Qualifier::LessThan => Interval { low: unbounded, high: b(v, false) },
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CalendarDate {
    pub year: Option<i32>,
    pub month: u8,
    /// None for a month of a year: "March 2024".
    pub day: Option<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

#[derive(Clone, Debug, PartialEq)]
pub enum QuantityKind {
    /// 139, eleven, twenty-one, a dozen, 1.2 million, hundreds, one and a half
    Count,
    /// A proper fraction written as such: two thirds, half, 3/4, 1 in 5 (value below 1).
    Fraction,
    /// first, eighth, 21st, twenty-fifth (never a count)
    Ordinal,
    /// 40%, 40 percent, forty per cent, 5 percentage points
    Percent,
    /// $105 million -> "USD"; £3 -> "GBP"; 5 euros -> "EUR"
    Money { currency: String },
    /// March 22, 22 March 2024, 2024-05-24, on Tuesday (resolved), March 2024 (day None)
    Date(CalendarDate),
    /// A bare year: "in 2024", "since 2014"
    Year,
    /// "the 1980s": value 1980, interval [1980, 1990)
    Decade,
    /// two years, two decades (= 20 Year), a week; value in that unit
    Duration { unit: TimeUnit },
    /// 10:30, 9 pm: value in hours since midnight (10.5, 21)
    TimeOfDay,
    /// A result, the larger side first: `2-0`, `a 5–4 vote` (value: see `scores::score_value`)
    Score,
    /// A quarter of a year: `Q4`, `the fourth quarter` (value 1 to 4)
    Quarter,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Quantity {
    /// The whole expression incl. qualifier and unit: "more than 140", "$105 million".
    pub span: Range<usize>,
    /// The numeral itself: "140", "105 million"; for dates the whole date; for a range
    /// both numerals ("130-140").
    pub value_span: Range<usize>,
    /// The value as written (140 for "more than 140"; 20 for "two decades"; the low end of
    /// a range or vague plural). Dates: year*10000 + month*100 + day, 0 where unknown.
    pub value: f64,
    pub interval: Interval,
    pub qualifier: Qualifier,
    pub kind: QuantityKind,
}

#[derive(Clone, Copy, Debug, Default)]
pub struct ReadContext {
    /// The article's date, to resolve weekdays ("on Tuesday").
    pub reference_date: Option<CalendarDate>,
}

/// Web and e-mail addresses: their digits are no figures.
static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"{}|(?i)[\w.+-]+@[\w-]+\.[\w.-]+", crate::analysis::text::URL_PATTERN)).expect("url regex"));

/// Replaces the given spans by a control character, byte for byte, so that offsets stay
/// valid and nothing reads across the hole.
fn mask<'a>(text: &'a str, spans: &[Range<usize>]) -> Cow<'a, str> {
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for s in spans {
        for b in &mut bytes[s.start.min(text.len())..s.end.min(text.len())] {
            *b = 0x01;
        }
    }
    // Spans are char-aligned, so every multibyte char is replaced whole.
    Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Whether `word` is a number, scale or ordinal word the reader knows (`eleven`, `dozen`, `third`).
pub fn is_number_word(word: &str) -> bool {
    use tokens::Lex::*;
    matches!(
        tokens::lookup(word),
        Zero | Unit(_) | Teen(_) | Tens(_) | Hundred | Scale(_) | PluralScale(_) | Dozen | Half | Halves | Quarter | Quarters | Ord { .. }
    )
}

/// Every quantity in `text`, in order, non-overlapping. Never panics.
pub fn read_quantities(text: &str, context: &ReadContext) -> Vec<Quantity> {
    let urls: Vec<Range<usize>> = URL.find_iter(text).map(|m| m.range()).collect();
    let base = mask(text, &urls);
    let dated = dates::find_dates(&base, context);
    let mut taken: Vec<Range<usize>> = dated.iter().map(|q| q.span.clone()).collect();
    let dated_masked = mask(&base, &taken);
    let mut scores = scores::find_scores(&dated_masked);
    scores.extend(quarters::find_quarters(&dated_masked));
    taken.extend(scores.iter().map(|q| q.span.clone()));
    let masked = mask(&base, &taken);
    let numbers = find_numbers(&masked);
    let measures = units::attach(&masked, &numbers);
    let mut all = dated;
    all.extend(scores);
    all.extend(ranges::qualify(&masked, measures).into_iter().map(|r| r.quantity));
    all.extend(ranges::vague(&masked));
    all.sort_by(|a, b| a.span.start.cmp(&b.span.start).then(b.span.end.cmp(&a.span.end)));
    let mut out: Vec<Quantity> = Vec::with_capacity(all.len());
    for q in all {
        if out.last().is_some_and(|p| q.span.start < p.span.end) {
            continue;
        }
        if is_pronoun_one(text, &q) || is_designation(text, &q) || is_reference_mark(text, &q) {
            continue;
        }
        out.push(as_year_if_plain(text, q));
    }
    out
}

/// Words after which a lone "one" is not a count: "one of the gunmen", "one another",
/// "one who", "one or two".
const NOT_COUNTED_AFTER_ONE: &[&str] = &[
    "of",
    "another",
    "or",
    "and",
    "by",
    "who",
    "whom",
    "which",
    "that",
    "is",
    "was",
    "has",
    "had",
    "would",
    "could",
    "will",
    "can",
    "may",
    "might",
    "must",
    "should",
    "does",
    "did",
    "in",
    "on",
    "at",
    "to",
    "for",
    "the",
    "a",
    "an",
    "more",
    "less",
    "such",
    "thing",
    "way",
    "hand",
    "side",
    "day",
    "another's",
    "from",
    "with",
    "after",
    "before",
    "if",
    "but",
    "as",
    "than",
    "too",
    "again",
];

/// A lone word "one" counts only when a noun-like word follows it ("one person was
/// killed"); "one of the gunmen", "no one", "the one who" are pronouns.
fn is_pronoun_one(text: &str, q: &Quantity) -> bool {
    if q.kind != QuantityKind::Count || q.qualifier != Qualifier::Exact || q.span != q.value_span {
        return false;
    }
    if !text.get(q.span.clone()).is_some_and(|s| s.eq_ignore_ascii_case("one")) {
        return false;
    }
    let rest = text[q.span.end..].trim_start_matches([' ', '\u{a0}']);
    let next: String = rest.chars().take_while(|c| c.is_alphabetic() || *c == '\'').collect();
    next.is_empty() || NOT_COUNTED_AFTER_ONE.iter().any(|w| next.eq_ignore_ascii_case(w))
}

/// Numbers that name things rather than count them: "COVID-19", "F-16", "SCP-173".
fn is_designation(text: &str, q: &Quantity) -> bool {
    if !matches!(q.kind, QuantityKind::Count) || q.span != q.value_span {
        return false;
    }
    let mut before = text[..q.span.start].chars().rev();
    before.next() == Some('-') && before.next().is_some_and(char::is_alphabetic)
}

/// Markdown citation and footnote marks: `[2]`, `[^1]`.
fn is_reference_mark(text: &str, q: &Quantity) -> bool {
    let before = &text[..q.span.start];
    let opened = before.ends_with('[') || before.ends_with("[^");
    opened && text[q.span.end..].starts_with(']')
}

/// A plain four-digit figure between 1900 and 2100 is a year unless a lower-case word
/// follows it ("2000 people"): news style writes counts of thousands with a comma
/// ("2,000"), so "the 2023 offensive" or a heading "2024 Review" names a year.
fn as_year_if_plain(text: &str, mut q: Quantity) -> Quantity {
    let written = &text[q.value_span.clone()];
    let plain = q.kind == QuantityKind::Count && q.qualifier == Qualifier::Exact && q.span == q.value_span;
    if !plain || written.len() != 4 || !written.bytes().all(|b| b.is_ascii_digit()) || !(1900.0..=2100.0).contains(&q.value) {
        return q;
    }
    let before = text[..q.span.start].trim_end();
    let possessive = before.ends_with("'s") || before.ends_with("’s");
    let counted = text[q.span.end..].trim_start().starts_with(|c: char| c.is_lowercase());
    if possessive || !counted {
        q.kind = QuantityKind::Year;
    }
    q
}
