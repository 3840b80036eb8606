//! Newsroom sense: what a qualified figure allows. Reporters round, so
//! "more than 140" does not allow 150 (they would have written "more than
//! 150"), "nearly 140" does not allow 140, and "about 139" allows less slack
//! than "about 140". The rules, with examples, are in `docs/figures.md`.

use crate::analysis::checks::quantities::{Bound, Interval, Qualifier, Quantity, QuantityKind};

/// The granularity reporters round to at this size: tens for hundreds, hundreds for thousands.
pub fn rounding_step(value: f64) -> f64 {
    let digits = value.abs().max(1.0).log10().floor() as i32 + 1;
    10f64.powi((digits - 2).max(1))
}

/// The largest power of ten (up to the value's own size) that divides the value: 140 → 10, 139 → 1.
fn roundness(value: f64) -> f64 {
    let mut step = 1.0;
    while value != 0.0 && (value / (step * 10.0)).fract() == 0.0 && step * 10.0 <= value.abs() {
        step *= 10.0;
    }
    step
}

/// The first round number a reporter would have written instead: the smallest multiple of the
/// rounding step beyond `value` plus half a step (more than 140 → 150; at least 139 → 150).
pub fn next_round(value: f64) -> f64 {
    let step = rounding_step(value);
    ((value + step / 2.0) / step).floor() * step + step
}

fn closed(value: f64) -> Option<Bound> {
    Some(Bound { value, inclusive: true })
}

fn open(value: f64) -> Option<Bound> {
    Some(Bound { value, inclusive: false })
}

/// The interval a figure allows, by newsroom rounding sense.
pub fn newsroom_interval(quantity: &Quantity) -> Interval {
    let value = quantity.value;
    match quantity.qualifier {
        Qualifier::Exact
            if matches!(
                quantity.kind,
                QuantityKind::Count | QuantityKind::Duration { .. } | QuantityKind::Percent | QuantityKind::Money { .. }
            ) =>
        {
            Interval { low: closed(value), high: closed(value) }
        }
        Qualifier::Approximate => {
            let slack = (roundness(value) / 2.0).min(value.abs() * 0.1).max(1.0);
            Interval { low: closed(value - slack), high: closed(value + slack) }
        }
        Qualifier::MoreThan => Interval { low: open(value), high: open(next_round(value)) },
        Qualifier::AtLeast => Interval { low: closed(value), high: open(next_round(value)) },
        Qualifier::Below => {
            let slack = rounding_step(value).min(value.abs() * 0.1).max(1.0);
            Interval { low: closed(value - slack), high: open(value) }
        }
        // "Up to", "fewer than", "between", vague plurals: as read.
        _ => quantity.interval,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_follows_the_size_of_the_number() {
        assert_eq!(next_round(140.0), 150.0);
        assert_eq!(next_round(139.0), 150.0);
        assert_eq!(next_round(144.0), 150.0);
        assert_eq!(next_round(20.0), 30.0);
        assert_eq!(next_round(12.0), 20.0);
        assert_eq!(next_round(1200.0), 1300.0);
        assert_eq!(roundness(140.0), 10.0);
        assert_eq!(roundness(139.0), 1.0);
        assert_eq!(roundness(2000.0), 1000.0);
    }
}
