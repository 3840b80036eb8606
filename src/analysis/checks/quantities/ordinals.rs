//! Ordinal readings for callers that want positions in a list: the numeric ordinals of
//! `find_numbers` ("eighth", "21st") plus relative ordinals ("last", "next", "penultimate",
//! "the second to last").
//!
//! Must not: feed relative ordinals into `read_quantities`: "last Friday" or "the next
//! day" carry no figure a note could contradict, and would flood the output.

use super::numbers::{find_numbers, NumberForm};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelativeTo {
    /// Counted from the current item: "next" = +1, "previous" = -1, "current" = 0.
    Current,
    /// Counted from the end: "last" = 0, "penultimate" = -1.
    End,
}

#[derive(Clone, Debug, PartialEq)]
pub enum OrdinalValue {
    /// Position from the start: "eighth" = 8.
    Absolute(f64),
    Relative {
        to: RelativeTo,
        offset: i32,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct OrdinalReading {
    pub span: Range<usize>,
    pub value: OrdinalValue,
}

/// Longer phrases come first so that "the second to last" is one relative ordinal, not
/// the ordinal "second" plus "last".
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?xi)(?-u:\b)(?:
            (?P<end_minus_one>the\s+last\s+but\s+one|the\s+one\s+before\s+the\s+last(?:\s+one)?
                |the\s+second\s+to\s+last|next\s+to\s+last|penultimate)
          | (?P<end_minus_two>antepenultimate)
          | (?P<next>next)(?:\s+one(?-u:\b))?
          | (?P<previous>previous)(?:\s+one(?-u:\b))?
          | (?P<current>current)(?:\s+one(?-u:\b))?
          | (?P<last>last)
        )(?-u:\b)",
    )
    .expect("relative ordinal regex")
});

/// Relative ordinals only.
pub fn relative_ordinals(text: &str) -> Vec<OrdinalReading> {
    RELATIVE
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(0)?;
            let (to, offset) = if c.name("end_minus_one").is_some() {
                (RelativeTo::End, -1)
            } else if c.name("end_minus_two").is_some() {
                (RelativeTo::End, -2)
            } else if c.name("next").is_some() {
                (RelativeTo::Current, 1)
            } else if c.name("previous").is_some() {
                (RelativeTo::Current, -1)
            } else if c.name("current").is_some() {
                (RelativeTo::Current, 0)
            } else {
                (RelativeTo::End, 0)
            };
            Some(OrdinalReading { span: m.range(), value: OrdinalValue::Relative { to, offset } })
        })
        .collect()
}

/// Absolute and relative ordinals, in order, non-overlapping (relative phrases win).
pub fn read_ordinals(text: &str) -> Vec<OrdinalReading> {
    let mut out = relative_ordinals(text);
    let absolute = find_numbers(text).into_iter().filter(|n| n.form == NumberForm::Ordinal);
    let relative_count = out.len();
    for n in absolute {
        // Both lists are ordered and non-overlapping: find the first relative one ending after n starts.
        let rel = &out[..relative_count];
        let k = rel.partition_point(|r| r.span.end <= n.span.start);
        if rel.get(k).is_none_or(|r| r.span.start >= n.span.end) {
            out.push(OrdinalReading { span: n.span, value: OrdinalValue::Absolute(n.value) });
        }
    }
    out.sort_by_key(|r| r.span.start);
    out
}
