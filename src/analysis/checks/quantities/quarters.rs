//! Quarters of a year: `Q4`, `the fourth quarter`, `third-quarter revenue`, `2Q`. A quarter is a
//! period, not a rank: read before the ordinals, so that `fourth` is not taken for a place.

use std::sync::LazyLock;

use regex::Regex;

use super::{Interval, Qualifier, Quantity, QuantityKind};

static QUARTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:Q(?P<q>[1-4])|(?P<n>[1-4])Q|(?i:(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter))(?-u:\b)")
        .expect("quarter regex")
});

/// Every quarter named in `text`, valued 1 to 4.
pub(crate) fn find_quarters(text: &str) -> Vec<Quantity> {
    QUARTER
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let number = if let Some(q) = c.name("q").or(c.name("n")) {
                q.as_str().parse::<u8>().ok()?
            } else {
                match c.name("ord")?.as_str().to_ascii_lowercase().as_str() {
                    "first" | "1st" => 1,
                    "second" | "2nd" => 2,
                    "third" | "3rd" => 3,
                    _ => 4,
                }
            };
            let value = f64::from(number);
            Some(Quantity {
                span: whole.range(),
                value_span: whole.range(),
                value,
                interval: Interval::exact(value),
                qualifier: Qualifier::Exact,
                kind: QuantityKind::Quarter,
            })
        })
        .collect()
}
