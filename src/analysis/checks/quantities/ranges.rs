//! Qualifiers and ranges → intervals: "more than 140" → (140,∞), "nearly 140" → [126,140),
//! "about 139" → ±10%, "500 or more" → [500,∞), "between 130 and 140" / "130–140" →
//! [130,140], "more than 10 and less than 20" → (10,20), and vague plurals ("hundreds",
//! "tens of thousands", "scores of").
//!
//! Must not: read numerals or units itself (it works on the measures of `units`), or
//! reach across another numeral for a qualifier: the window before a figure starts where
//! the previous reading ended.

use super::numbers::find_numbers;
use super::units::{window_after, window_before, Measure};
use super::{tolerance, Interval, Qualifier, Quantity, QuantityKind};
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// How a reading was formed; the Recognizers-Text range adapter needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeSource {
    /// A figure with no qualifier words.
    Bare,
    /// A figure with qualifier words: "more than 30", "equal to 20", "500 or more".
    Qualified,
    /// Two figures as a span: "between 20 and 30", "20-30", "from 1 to 5".
    Span,
    /// Two bounds joined: "more than 10 and less than 20".
    Conjunction,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RangeReading {
    pub quantity: Quantity,
    pub source: RangeSource,
}

static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)(?:
          (?-u:\b)(?:
            (?P<ge>(?:more|greater|larger|bigger|higher)\s+(?:than\s+)?or\s+equal\s+(?:than|to)
              | equal\s+to\s+or\s+(?:more|greater|larger|bigger|higher)\s+than
              | at\s+least(?:\s+or\s+equal\s+to)? | no\s+(?:fewer|less)\s+than | not\s+(?:fewer|less)\s+than
              | a\s+minimum\s+of)
          | (?P<le>(?:less|fewer|smaller|lower)\s+(?:than\s+)?or\s+equal\s+(?:than|to)
              | equal\s+to\s+or\s+(?:less|fewer|smaller|lower)\s+than
              | at\s+most | no\s+more\s+than | not\s+more\s+than | up\s+to | a\s+maximum(?:\s+[a-z]+)?\s+of
              | as\s+(?:many|much)\s+as)
          | (?P<below>nearly | almost | close\s+to | just\s+(?:under|below|shy\s+of) | not\s+quite)
          | (?P<gt>(?:more|greater|larger|bigger|higher)\s+than | upwards\s+of | in\s+excess\s+of
              | well\s+over | just\s+over | over | above | exceed(?:s|ed|ing)? | surpass(?:es|ed|ing)?)
          | (?P<lt>(?:less|fewer|smaller|lower)\s+than | under | below)
          | (?P<approx>about | around | some | roughly | approximately | an\s+estimated | estimated
              | circa | approx\.?)
          | (?P<eq>exactly | precisely | equal\s+to | equals(?:\s+to)? | equall?ing(?:\s+to)?)
          )
          | (?P<sym>>\s*=|<\s*=|≥|≤|>|<|~)
        )\s*(?P<article>an?\s+)?(?P<the>the\s+)?$",
    )
    .expect("qualifier prefix regex")
});

static SUFFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)^\s*(?:
            (?P<or_eq>or\s+equals?(?:\s+to)?)(?-u:\b)
          | (?P<more>(?:or|and)\s+(?:more|greater|above|higher|over|larger|bigger)(?:\s+than)?)(?-u:\b)
          | (?P<less>(?:or|and)\s+(?:less|fewer|below|lower|under|smaller)(?:\s+than)?)(?-u:\b)
          | (?P<plus>\+|-plus(?-u:\b))
          | (?P<so>or\s+so)(?-u:\b)
        )",
    )
    .expect("qualifier suffix regex")
});

static GAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?P<dash>-|–|‒)|(?P<tilde>~)|(?P<to>to|through|thru|till|until)|(?P<and>and))\s*(?P<the>the\s+)?$")
        .expect("range gap regex")
});

static RANGE_KEYWORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?-u:\b)(?P<kw>between|from)\s+(?P<the>the\s+)?$").expect("range keyword regex"));

static CONJUNCTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:,\s*(?:(?:and|but)\s+)?|(?:and|but)\s+)$").expect("conjunction regex"));

static VAGUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(?:(?P<m>tens|dozens|hundreds)\s+of\s+)?(?P<w>dozens|hundreds|thousands|millions|billions)(?-u:\b)|(?-u:\b)(?P<s>scores|tens)\s+of(?-u:\b)")
        .expect("vague regex")
});

/// Qualified readings of the bare numerals of `text`: the layer the NumberRangeModel
/// evaluation scores. Same passes as `read_quantities` minus dates and units.
pub fn read_number_ranges(text: &str) -> Vec<RangeReading> {
    let measures = find_numbers(text).iter().map(Measure::bare).collect();
    qualify(text, measures)
}

pub(crate) fn qualify(text: &str, measures: Vec<Measure>) -> Vec<RangeReading> {
    let mut out = Vec::with_capacity(measures.len());
    let mut floor = 0;
    let mut i = 0;
    while i < measures.len() {
        if let Some(r) = measures.get(i + 1).and_then(|b| span_range(text, &measures[i], b, floor)) {
            floor = r.quantity.span.end;
            out.push(r);
            i += 2;
            continue;
        }
        let next_start = measures.get(i + 1).map(|m| m.span.start);
        let r = single(text, &measures[i], floor, next_start);
        floor = r.quantity.span.end;
        out.push(r);
        i += 1;
    }
    conjunctions(text, out)
}

fn prefix_qualifier(c: &Captures) -> (Qualifier, bool) {
    let q = [
        ("ge", Qualifier::AtLeast),
        ("le", Qualifier::AtMost),
        ("below", Qualifier::Below),
        ("gt", Qualifier::MoreThan),
        ("lt", Qualifier::LessThan),
        ("approx", Qualifier::Approximate),
        ("eq", Qualifier::Exact),
    ];
    if let Some(&(_, q)) = q.iter().find(|(n, _)| c.name(n).is_some()) {
        return (q, true);
    }
    let sym: String = c.name("sym").map_or("", |m| m.as_str()).chars().filter(|c| !c.is_whitespace()).collect();
    let q = match sym.as_str() {
        ">=" | "≥" => Qualifier::AtLeast,
        "<=" | "≤" => Qualifier::AtMost,
        ">" => Qualifier::MoreThan,
        "<" => Qualifier::LessThan,
        _ => Qualifier::Approximate,
    };
    (q, false)
}

fn single(text: &str, m: &Measure, floor: usize, next_start: Option<usize>) -> RangeReading {
    let (wstart, before) = window_before(text, floor, m.span.start, 60);
    let prefix = PREFIX.captures(before).and_then(|c| {
        let whole = c.get(0)?;
        let start = wstart + whole.start();
        if c.name("the").is_some() && m.kind != QuantityKind::Ordinal {
            return None;
        }
        // `up to a 30% increase`, `nearly a $5 fee`; but `over a 10-year period` is when, not how long.
        if c.name("article").is_some() && !matches!(m.kind, QuantityKind::Percent | QuantityKind::Money { .. }) {
            return None;
        }
        let (q, word) = prefix_qualifier(&c);
        // "<>30", "=>30" are not comparisons we understand.
        if !word && text[..start].ends_with(['<', '>', '=']) {
            return None;
        }
        Some((q, start))
    });
    let limit = next_start.unwrap_or(text.len());
    let after = window_after(text, m.span.end, 40.min(limit.saturating_sub(m.span.end)));
    let suffix = SUFFIX.captures(after).and_then(|c| {
        let end = m.span.end + c.get(0)?.end();
        if c.name("plus").is_some() && text[end..].starts_with(|ch: char| ch.is_ascii_digit()) {
            return None;
        }
        // "200 or greater than 190": the words belong to the next figure.
        if next_start.is_some_and(|n| text.get(end..n).is_some_and(|g| g.trim().is_empty())) {
            return None;
        }
        let kind = ["or_eq", "more", "less", "plus", "so"].into_iter().find(|n| c.name(n).is_some())?;
        Some((kind, end))
    });
    let mut qualifier = Qualifier::Exact;
    let mut start = m.span.start;
    let mut end = m.span.end;
    let mut source = RangeSource::Bare;
    if let Some((q, s)) = prefix {
        qualifier = q;
        start = s;
        source = RangeSource::Qualified;
    }
    if let Some((kind, e)) = suffix {
        let from_suffix = match kind {
            "more" | "plus" => Some(Qualifier::AtLeast),
            "less" => Some(Qualifier::AtMost),
            "so" if prefix.is_none() => Some(Qualifier::Approximate),
            "or_eq" => match qualifier {
                Qualifier::MoreThan => Some(Qualifier::AtLeast),
                Qualifier::LessThan => Some(Qualifier::AtMost),
                _ => None,
            },
            _ => None,
        };
        if let Some(q) = from_suffix {
            let overrides = matches!(qualifier, Qualifier::Exact | Qualifier::Approximate) || kind == "or_eq";
            if overrides {
                if qualifier == Qualifier::Approximate && kind != "so" {
                    start = m.span.start;
                }
                qualifier = q;
                end = e;
                source = RangeSource::Qualified;
            }
        }
    }
    let quantity = Quantity {
        span: start..end,
        value_span: m.value_span.clone(),
        value: m.value,
        interval: qualifier.interval(m.value),
        qualifier,
        kind: m.kind.clone(),
    };
    RangeReading { quantity, source }
}

/// "between 20 and 30", "from 1 to 5", "130-140", "20~100", "5k-20k", "$5-10 million".
fn span_range(text: &str, a: &Measure, b: &Measure, floor: usize) -> Option<RangeReading> {
    let gap = text.get(a.span.end..b.span.start)?;
    if gap.len() > 24 {
        return None;
    }
    let g = GAP.captures(gap)?;
    let (wstart, before) = window_before(text, floor, a.span.start, 16);
    let kw = RANGE_KEYWORD.captures(before);
    let keyword = kw.as_ref().and_then(|k| k.name("kw")).map(|k| k.as_str().to_ascii_lowercase());
    let with_the = g.name("the").is_some() || kw.as_ref().is_some_and(|k| k.name("the").is_some());
    let ordinals = a.kind == QuantityKind::Ordinal && b.kind == QuantityKind::Ordinal;
    if with_the != ordinals && with_the {
        return None;
    }
    if g.name("and").is_some() && keyword.as_deref() != Some("between") {
        return None;
    }
    if g.name("dash").is_some() || g.name("tilde").is_some() {
        let digit_start = |m: &Measure| text[m.value_span.start..].starts_with(|c: char| c.is_ascii_digit());
        if !digit_start(a) || !digit_start(b) {
            return None;
        }
        // Phone numbers and dates: "+1-222-2222", "2019-05-24", "1995-01".
        let head = &text[..a.span.start];
        let tail = &text[b.span.end..];
        let chained_before = head.ends_with('+')
            || (head.len() >= 2 && head.ends_with(['-', '/']) && head[..head.len() - 1].ends_with(|c: char| c.is_ascii_digit()));
        let chained_after = tail.len() >= 2 && tail.starts_with(['-', '/']) && tail[1..].starts_with(|c: char| c.is_ascii_digit());
        let leading_zero = text[b.value_span.clone()].starts_with('0') && b.value_span.len() > 1;
        if chained_before || chained_after || leading_zero {
            return None;
        }
    }
    let (mut av, mut bv) = (a.value, b.value);
    let kind = if a.kind == b.kind {
        a.kind.clone()
    } else if a.unitless() && b.unitless() {
        QuantityKind::Count
    } else if a.unitless() && b.kind != QuantityKind::Ordinal {
        av *= b.factor;
        b.kind.clone()
    } else if b.unitless() && a.kind != QuantityKind::Ordinal {
        bv *= a.factor;
        a.kind.clone()
    } else {
        return None;
    };
    // "between 5 and 10 million": the scale of the second figure applies to the first.
    if b.scale >= 1e3 && a.scale == 1.0 && a.value < b.value / (b.factor * b.scale) {
        av *= b.scale;
    }
    if av.partial_cmp(&bv) != Some(std::cmp::Ordering::Less) {
        return None;
    }
    let start = kw.and_then(|k| k.get(0)).map_or(a.span.start, |k| wstart + k.start());
    let quantity = Quantity {
        span: start..b.span.end,
        value_span: a.value_span.start..b.value_span.end,
        value: av,
        interval: Interval::closed(av, bv),
        qualifier: Qualifier::Between,
        kind,
    };
    Some(RangeReading { quantity, source: RangeSource::Span })
}

fn is_lower(q: Qualifier) -> bool {
    matches!(q, Qualifier::AtLeast | Qualifier::MoreThan)
}

fn is_upper(q: Qualifier) -> bool {
    matches!(q, Qualifier::AtMost | Qualifier::LessThan)
}

/// "more than 10 and less than 20" → (10,20); "at most 100 and at least 20" → [20,100].
/// Bounds that leave nothing ("more than 40 and less than 10") stay apart.
fn conjunctions(text: &str, readings: Vec<RangeReading>) -> Vec<RangeReading> {
    let mut out: Vec<RangeReading> = Vec::with_capacity(readings.len());
    let mut iter = readings.into_iter().peekable();
    while let Some(r) = iter.next() {
        let merged = iter.peek().and_then(|n| {
            let (p, q) = (&r.quantity, &n.quantity);
            // Only leading qualifiers join: "50 or more, 100 or less" is a list, not a range.
            let led = |q: &Quantity| q.span.start < q.value_span.start;
            let bounds = r.source == RangeSource::Qualified && n.source == RangeSource::Qualified && led(&r.quantity) && led(&n.quantity);
            let pair = (is_lower(p.qualifier) && is_upper(q.qualifier)) || (is_upper(p.qualifier) && is_lower(q.qualifier));
            if !bounds || !pair || p.kind != q.kind || !CONJUNCTION.is_match(text.get(p.span.end..q.span.start)?) {
                return None;
            }
            let (lo, hi) = if is_lower(p.qualifier) { (p, q) } else { (q, p) };
            let interval = Interval { low: lo.interval.low, high: hi.interval.high };
            let (l, h) = (interval.low?, interval.high?);
            if !(l.value < h.value || (l.value == h.value && l.inclusive && h.inclusive)) {
                return None;
            }
            Some(RangeReading {
                quantity: Quantity {
                    span: p.span.start..q.span.end,
                    value_span: p.value_span.start..q.value_span.end,
                    value: l.value,
                    interval,
                    qualifier: Qualifier::Between,
                    kind: p.kind.clone(),
                },
                source: RangeSource::Conjunction,
            })
        });
        match merged {
            Some(m) => {
                iter.next();
                out.push(m);
            }
            None => out.push(r),
        }
    }
    out
}

fn vague_bounds(word: &str) -> Option<(f64, f64)> {
    let w = word.to_ascii_lowercase();
    tolerance::VAGUE.iter().find(|(n, _, _)| *n == w).map(|&(_, l, h)| (l, h))
}

fn scale_of(word: &str) -> f64 {
    match word.to_ascii_lowercase().as_str() {
        "dozens" => 12.0,
        "hundreds" => 1e2,
        "thousands" => 1e3,
        "millions" => 1e6,
        _ => 1e9,
    }
}

/// Vague plurals not preceded by a numeral: "hundreds", "tens of thousands", "scores of".
pub(crate) fn vague(text: &str) -> Vec<Quantity> {
    VAGUE
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let (low, high) = match (c.name("m"), c.name("w"), c.name("s")) {
                (Some(m), Some(w), _) => {
                    let (l, h) = vague_bounds(m.as_str())?;
                    let s = scale_of(w.as_str());
                    (l * s, h * s)
                }
                (None, Some(w), _) => vague_bounds(w.as_str())?,
                (_, _, Some(s)) => vague_bounds(s.as_str())?,
                _ => return None,
            };
            let span = if c.name("s").is_some() { whole.start()..whole.start() + c.name("s")?.len() } else { whole.range() };
            Some(Quantity {
                span: span.clone(),
                value_span: span,
                value: low,
                interval: Interval::half_open(low, high),
                qualifier: Qualifier::Vague,
                kind: QuantityKind::Count,
            })
        })
        .collect()
}
