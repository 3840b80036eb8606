//! Results written as two numbers joined by a dash, the larger first: `beat Dortmund 2-0`,
//! `Liverpool's 4-1 defeat`, `a 5–4 vote`, `drew 1-1`. A range is written low to high
//! (`130-140`), so a pair whose first number is not the smaller is a result, not a range.
//! Read before the numerals, so that neither half is taken for a count of its own.

use std::sync::LazyLock;

use regex::Regex;

use super::{Interval, Qualifier, Quantity, QuantityKind};

/// Each side at most three digits, joined by a hyphen or an en dash without spaces.
static SCORE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d{1,3}[-–]\d{1,3}").expect("score regex"));

/// What a result is worth as one number: its winning side times a thousand plus its losing side,
/// so that `2-0` and `0-2` are one result and `2-0` and `1-0` are two.
pub fn score_value(winner: u32, loser: u32) -> f64 {
    f64::from(winner) * 1000.0 + f64::from(loser)
}

/// Every result in `text`.
pub(crate) fn find_scores(text: &str) -> Vec<Quantity> {
    let mut found = Vec::new();
    for m in SCORE.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        let mut after = text[m.end()..].chars();
        let next = after.next();
        // Part of a longer chain (`1-2-3`, `+1-222-333`, `2.4-1`), of an amount or a share
        // (`$5-3`, `60-40%`), or of a word (`COVID-19`, `F-16-2`).
        let chained_before = before.is_some_and(|c| c.is_alphanumeric() || "-–.,/+$£€¥#".contains(c));
        let chained_after = next.is_some_and(|c| c.is_alphanumeric() || "-–/%".contains(c))
            || (matches!(next, Some('.' | ',')) && after.next().is_some_and(|c| c.is_ascii_digit()));
        if chained_before || chained_after {
            continue;
        }
        let Some((first, second)) = m.as_str().split_once(['-', '–']) else { continue };
        // `9-05` is a time or a code, not a result.
        let padded = |side: &str| side.len() > 1 && side.starts_with('0');
        if padded(first) || padded(second) {
            continue;
        }
        let (Ok(first), Ok(second)) = (first.parse::<u32>(), second.parse::<u32>()) else { continue };
        if first < second {
            continue;
        }
        let value = score_value(first, second);
        found.push(Quantity {
            span: m.range(),
            value_span: m.range(),
            value,
            interval: Interval::exact(value),
            qualifier: Qualifier::Exact,
            kind: QuantityKind::Score,
        });
    }
    found
}
