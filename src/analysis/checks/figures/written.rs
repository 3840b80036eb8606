//! Every number an article writes, whatever it counts: what tells a note's figure that no source
//! sentence could have given it.
//!
//! A note's figure that an article writes somewhere, in any role (`7?` in a chat, `the sixth`
//! hole, `five` of something else), may have come from there, read in a way the checker cannot
//! follow. A figure the article writes nowhere did not; when it also pairs, even weakly, with a
//! figure of the same kind in that article, the two are most likely one fact told two ways, and
//! the checker may say so on less evidence (see `check::verdict_of_pairs`).

use crate::analysis::checks::quantities::{read_quantities, CalendarDate, QuantityKind, ReadContext};
use crate::analysis::corpus::article::Article;
use crate::analysis::text::words;

const MONTHS: [&str; 12] =
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

use super::{calendar, same_day, Statement};

/// The numbers and dates one article writes.
#[derive(Debug, Default)]
pub struct Written {
    values: Vec<f64>,
    dates: Vec<CalendarDate>,
    /// Months named anywhere, capitalised, as bits (January = 1 << 1): a month alone in a note
    /// (`it is February`) may come from a mention the reader did not take for a date.
    months_named: u16,
}

impl Written {
    /// Read from the article's text and from its statements (which add weekdays and lone months
    /// read in copy without a date of its own).
    pub fn of(article: &Article, statements: &[Statement]) -> Written {
        let context = ReadContext { reference_date: article.date.map(calendar) };
        let mut written = Written::default();
        for sentence in &article.sentences {
            for quantity in read_quantities(&article.text[sentence.span.range()], &context) {
                if let QuantityKind::Date(date) = quantity.kind {
                    written.dates.push(date);
                    continue;
                }
                written.values.push(quantity.value);
                // The ends of a range are numbers written too (`aged three to 11`).
                written.values.extend([quantity.interval.low, quantity.interval.high].into_iter().flatten().map(|b| b.value));
            }
        }
        for (_, word) in words(&article.text) {
            if word.starts_with(char::is_uppercase) {
                if let Some(month) = MONTHS.iter().position(|m| word.eq_ignore_ascii_case(m)) {
                    written.months_named |= 1 << (month + 1);
                }
            }
        }
        for statement in statements {
            match statement.date {
                Some(date) => written.dates.push(date),
                None => written.values.push(statement.value),
            }
        }
        written.values.sort_by(f64::total_cmp);
        written.values.dedup();
        written
    }

    /// Whether the article writes the number (or the day) of `statement` anywhere.
    pub fn has(&self, statement: &Statement) -> bool {
        match statement.date {
            Some(date) => {
                self.dates.iter().any(|&other| same_day(date, other)) || (date.day.is_none() && self.months_named & (1 << date.month) != 0)
            }
            None => {
                let tolerance = f64::EPSILON * statement.value.abs().max(1.0);
                let at = self.values.partition_point(|&v| v < statement.value - tolerance);
                self.values.get(at).is_some_and(|&v| (v - statement.value).abs() <= tolerance)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::checks::figures::measure::Measure;
    use crate::analysis::checks::quantities::Interval;
    use crate::analysis::text::interned::Phrase;
    use crate::analysis::corpus::article::ArticleSource;

    fn figure(value: f64, date: Option<CalendarDate>) -> Statement {
        Statement {
            measure: Measure::Role { unit: "count".into(), phrase: Phrase::empty() },
            interval: Interval::exact(value),
            date,
            value,
            span: 0..1,
            value_span: 0..1,
            sentence: 0,
            partial: false,
        }
    }

    #[test]
    fn numbers_written_in_any_role_count_as_written() {
        let text = "Chat\n\nJacob: Got it! 7? 8? Alex: Let's make it 7. It's February. Kids aged three to 11 came; we may lose 5 mln bucks.";
        let source = ArticleSource { path: "/w/seeds/chat.txt".into(), display_path: "seeds/chat.txt".into(), text: text.into(), ..Default::default() };
        let corpus = crate::analysis::checks::Snapshot::build(vec![source], vec!["/w/seeds".into()]);
        let written = corpus.written(0);
        for value in [7.0, 8.0, 3.0, 11.0, 5_000_000.0] {
            assert!(written.has(&figure(value, None)), "{value} is written");
        }
        for value in [6.0, 12.0, 10_000_000.0] {
            assert!(!written.has(&figure(value, None)), "{value} is written nowhere");
        }
        let month = |month| Some(CalendarDate { year: None, month, day: None });
        assert!(written.has(&figure(200.0, month(2))), "February is named");
        assert!(!written.has(&figure(100.0, month(1))), "January is not");
    }
}
