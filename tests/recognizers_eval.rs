//! Evaluation of the quantity reader against the English test specs of Microsoft
//! Recognizers-Text (MIT licence, see tests/data/recognizers-text/LICENSE).
//!
//! One adapter per model maps the reader's output to that model's expected results; a case
//! passes when the results are equal: same count, same spans, same values (numbers within
//! a small tolerance). Only cases that the reference port (dotNet) supports are scored.
//! Offsets in the specs count UTF-16 code units (the reference port is .NET); the adapters
//! convert the reader's byte spans accordingly. Prints per file `passed/scored (pct%)` and
//! the failing inputs; fails below the agreed floors.
//!
//! Must not: contain parsing logic of its own or special cases keyed on eval strings; the
//! adapters only select and re-express what the public reader functions return.

use noteproof::analysis::checks::quantities::Qualifier;
use noteproof::analysis::checks::quantities::{
    find_numbers, read_number_ranges, read_ordinals, read_quantities, CalendarDate, NumberForm, OrdinalValue, QuantityKind, RangeSource,
    ReadContext, RelativeTo,
};
use serde_json::Value;
use std::ops::Range;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/recognizers-text/");

fn load(file: &str) -> Vec<Value> {
    let raw = std::fs::read_to_string(format!("{DATA}{file}")).unwrap_or_else(|e| panic!("read {file}: {e}"));
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(&raw);
    match serde_json::from_str(raw) {
        Ok(Value::Array(cases)) => cases,
        other => panic!("{file}: expected a JSON array, got {other:?}"),
    }
}

/// Scored when neither NotSupported nor NotSupportedByDesign names the reference port.
fn scored(case: &Value) -> bool {
    ["NotSupported", "NotSupportedByDesign"]
        .iter()
        .all(|k| !case.get(k).and_then(Value::as_str).unwrap_or("").to_ascii_lowercase().contains("dotnet"))
}

fn utf16_offset(text: &str, byte: usize) -> usize {
    text[..byte].encode_utf16().count()
}

/// A result in the specs' terms: UTF-16 start, UTF-16 end (exclusive), lower-cased text and
/// a value rendered for comparison.
#[derive(Debug, Clone, PartialEq)]
struct Item {
    start: usize,
    end: usize,
    text: String,
    value: Val,
}

#[derive(Debug, Clone)]
enum Val {
    Num(f64),
    Text(String),
    /// (low open?, low, high, high open?) of a range notation
    Range(char, Option<f64>, Option<f64>, char),
    None,
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

impl PartialEq for Val {
    fn eq(&self, other: &Val) -> bool {
        let opt = |a: &Option<f64>, b: &Option<f64>| match (a, b) {
            (Some(x), Some(y)) => close(*x, *y),
            (None, None) => true,
            _ => false,
        };
        match (self, other) {
            (Val::Num(a), Val::Num(b)) => close(*a, *b),
            (Val::Text(a), Val::Text(b)) => a == b,
            (Val::Range(a, b, c, d), Val::Range(e, f, g, h)) => a == e && d == h && opt(b, f) && opt(c, g),
            (Val::None, Val::None) => true,
            _ => false,
        }
    }
}

fn parse_range(s: &str) -> Val {
    let open = s.chars().next().unwrap_or('?');
    let close_c = s.chars().last().unwrap_or('?');
    let inner = s.get(1..s.len().saturating_sub(1)).unwrap_or("");
    let (a, b) = inner.split_once(',').unwrap_or(("", ""));
    let num = |x: &str| {
        if x.trim().is_empty() {
            None
        } else {
            x.trim().parse().ok()
        }
    };
    Val::Range(open, num(a), num(b), close_c)
}

fn item(text: &str, span: Range<usize>, value: Val) -> Item {
    Item { start: utf16_offset(text, span.start), end: utf16_offset(text, span.end), text: text[span].to_lowercase(), value }
}

/// Expected results of a Number spec (End inclusive).
fn expected_number_items(case: &Value, value: impl Fn(&Value) -> Val) -> Vec<Item> {
    let results = case["Results"].as_array().cloned().unwrap_or_default();
    results
        .iter()
        .map(|r| {
            let start = r["Start"].as_u64().unwrap_or(0) as usize;
            let end = r["End"].as_u64().unwrap_or(0) as usize + 1;
            Item { start, end, text: r["Text"].as_str().unwrap_or("").to_lowercase(), value: value(&r["Resolution"]) }
        })
        .collect()
}

fn res_str(r: &Value, key: &str) -> String {
    r.get(key).and_then(Value::as_str).unwrap_or("null").to_string()
}

fn num_or_text(s: &str) -> Val {
    s.parse::<f64>().map(Val::Num).unwrap_or_else(|_| Val::Text(s.to_string()))
}

// ---- adapters -------------------------------------------------------------------------

/// NumberModel: every numeral that is not an ordinal, with its value.
fn number_model(text: &str) -> Vec<Item> {
    find_numbers(text).into_iter().filter(|n| n.form != NumberForm::Ordinal).map(|n| item(text, n.span, Val::Num(n.value))).collect()
}

/// NumberRangeModel: readings with qualifier words or two figures. Recognizers-Text writes
/// a two-figure span ("between 20 and 30", "20-30") as [20,30); the reader keeps both ends
/// ([20,30]) because a note's "30" agrees with "between 20 and 30". Approximations and
/// vague plurals are not ranges in that model.
fn number_range_model(text: &str) -> Vec<Item> {
    read_number_ranges(text)
        .into_iter()
        .filter(|r| r.source != RangeSource::Bare)
        .filter(|r| !matches!(r.quantity.qualifier, Qualifier::Approximate | Qualifier::Vague))
        .map(|r| {
            let q = &r.quantity;
            let notation = if r.source == RangeSource::Span {
                let lo = q.interval.low.map_or(String::new(), |b| b.value.to_string());
                let hi = q.interval.high.map_or(String::new(), |b| b.value.to_string());
                format!("[{lo},{hi})")
            } else {
                q.interval.to_range_notation()
            };
            item(text, q.span.clone(), parse_range(&notation))
        })
        .collect()
}

fn ordinal_model(text: &str) -> Vec<Item> {
    read_ordinals(text)
        .into_iter()
        .map(|o| {
            let v = match o.value {
                OrdinalValue::Absolute(v) => Val::Num(v),
                OrdinalValue::Relative { to, offset } => {
                    let base = if to == RelativeTo::End { "end" } else { "current" };
                    Val::Text(format!("{base}{offset:+}"))
                }
            };
            item(text, o.span, v)
        })
        .collect()
}

fn expected_ordinal(r: &Value) -> Val {
    let v = res_str(r, "value");
    match v.parse::<f64>() {
        Ok(x) => Val::Num(x),
        Err(_) => Val::Text(v),
    }
}

fn percent_model(text: &str) -> Vec<Item> {
    read_quantities(text, &ReadContext::default())
        .into_iter()
        .filter(|q| q.kind == QuantityKind::Percent)
        .map(|q| item(text, q.span.clone(), Val::Num(q.value)))
        .collect()
}

fn expected_percent(r: &Value) -> Val {
    let v = res_str(r, "value");
    match v.trim_end_matches('%').parse::<f64>() {
        Ok(x) => Val::Num(x),
        Err(_) => Val::None,
    }
}

/// DateExtractor: where calendar dates (incl. resolved weekdays) are; spans only.
fn date_extractor(text: &str, reference: CalendarDate) -> Vec<Item> {
    let ctx = ReadContext { reference_date: Some(reference) };
    read_quantities(text, &ctx)
        .into_iter()
        .filter(|q| matches!(q.kind, QuantityKind::Date(_)))
        .map(|q| item(text, q.span.clone(), Val::None))
        .collect()
}

// ---- scoring ---------------------------------------------------------------------------

struct Score {
    name: &'static str,
    passed: usize,
    scored: usize,
    failures: Vec<String>,
}

impl Score {
    fn pct(&self) -> f64 {
        if self.scored == 0 {
            0.0
        } else {
            100.0 * self.passed as f64 / self.scored as f64
        }
    }
    fn report(&self) {
        println!("{}: {}/{} ({:.1}%)", self.name, self.passed, self.scored, self.pct());
        for f in &self.failures {
            println!("    FAIL {f}");
        }
    }
}

fn render(items: &[Item]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|i| {
            let v = match &i.value {
                Val::Num(x) => x.to_string(),
                Val::Text(s) => s.clone(),
                Val::Range(a, b, c, d) => {
                    format!("{a}{},{}{d}", b.map_or(String::new(), |x| x.to_string()), c.map_or(String::new(), |x| x.to_string()))
                }
                Val::None => "-".into(),
            };
            format!("{:?}@{}..{}={v}", i.text, i.start, i.end)
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

fn score(name: &'static str, file: &str, expected: impl Fn(&Value) -> Vec<Item>, actual: impl Fn(&Value, &str) -> Vec<Item>) -> Score {
    let mut s = Score { name, passed: 0, scored: 0, failures: Vec::new() };
    for case in load(file).iter().filter(|c| scored(c)) {
        let input = case["Input"].as_str().unwrap_or("");
        let want = expected(case);
        let got = actual(case, input);
        s.scored += 1;
        if want == got {
            s.passed += 1;
        } else {
            s.failures.push(format!("{input:?}\n         want {}\n         got  {}", render(&want), render(&got)));
        }
    }
    s.report();
    s
}

fn reference_of(case: &Value) -> CalendarDate {
    // Recognizers-Text's default reference date when a case gives none.
    let iso = case.pointer("/Context/ReferenceDateTime").and_then(Value::as_str).unwrap_or("2016-11-07");
    let part = |r: std::ops::Range<usize>| iso.get(r).and_then(|s| s.parse::<i64>().ok()).unwrap_or(1);
    CalendarDate { year: Some(part(0..4) as i32), month: part(5..7) as u8, day: Some(part(8..10) as u8) }
}

#[test]
fn recognizers_text_english() {
    let number = score(
        "Number_English_NumberModel",
        "Number_English_NumberModel.json",
        |c| expected_number_items(c, |r| num_or_text(&res_str(r, "value"))),
        |_, t| number_model(t),
    );
    let range = score(
        "Number_English_NumberRangeModel",
        "Number_English_NumberRangeModel.json",
        |c| expected_number_items(c, |r| parse_range(&res_str(r, "value"))),
        |_, t| number_range_model(t),
    );
    let ordinal = score(
        "Number_English_OrdinalModel",
        "Number_English_OrdinalModel.json",
        |c| expected_number_items(c, expected_ordinal),
        |_, t| ordinal_model(t),
    );
    let percent = score(
        "Number_English_PercentModel",
        "Number_English_PercentModel.json",
        |c| expected_number_items(c, expected_percent),
        |_, t| percent_model(t),
    );
    let dates = score(
        "DateTime_English_DateExtractor (information only)",
        "DateTime_English_DateExtractor.json",
        |c| {
            let results = c["Results"].as_array().cloned().unwrap_or_default();
            results
                .iter()
                .map(|r| {
                    let start = r["Start"].as_u64().unwrap_or(0) as usize;
                    let len = r["Length"].as_u64().unwrap_or(0) as usize;
                    Item { start, end: start + len, text: r["Text"].as_str().unwrap_or("").to_lowercase(), value: Val::None }
                })
                .collect()
        },
        |c, t| date_extractor(t, reference_of(c)),
    );
    println!("\nSUMMARY");
    for s in [&number, &range, &ordinal, &percent, &dates] {
        println!("  {}: {}/{} ({:.1}%)", s.name, s.passed, s.scored, s.pct());
    }
    assert!(number.pct() >= 90.0, "NumberModel below 90%: {:.1}%", number.pct());
    assert!(range.pct() >= 75.0, "NumberRangeModel below 75%: {:.1}%", range.pct());
    assert!(ordinal.pct() >= 75.0, "OrdinalModel below 75%: {:.1}%", ordinal.pct());
    assert!(percent.pct() >= 75.0, "PercentModel below 75%: {:.1}%", percent.pct());
}
