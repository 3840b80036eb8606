//! Figures: every number in notes and sources, what it counts, and whether
//! the sources allow it.
//!
//! A statement is a figure with a measure (`killed`, `date of attack`, …) and
//! the interval it allows by newsroom rounding sense. Articles' statements
//! are extracted once, when the corpus is built; a note's on each check.

pub mod check;
pub mod event;
pub mod facts;
pub mod interval;
pub mod lexicon;
pub mod measure;
pub mod role;
pub mod table;
pub mod written;

use std::ops::Range;

use crate::analysis::checks::quantities::{read_quantities, CalendarDate, Interval, Quantity, QuantityKind, ReadContext};
use crate::analysis::text::date::Date;
use interval::newsroom_interval;
use lexicon::Lexicon;
use measure::{measure_of, Measure, Reading, SentenceWords};

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Statement {
    pub measure: Measure,
    pub interval: Interval,
    /// For dates: the date itself (intervals do not say "March 22 of an unknown year").
    pub date: Option<CalendarDate>,
    /// The number as written, without its qualifier (140 for `more than 140`).
    pub value: f64,
    /// The figure with its qualifier (`more than 140`), and the number alone (`140`).
    pub span: Range<usize>,
    pub value_span: Range<usize>,
    /// The sentence it stands in (an index into the article's or the note's sentences).
    pub sentence: u32,
    /// `three other people`: agrees or not, but never the basis of a contradiction.
    pub partial: bool,
}

impl Statement {
    /// Whether the two figures write the same number, whatever their qualifiers (`fifty Euros`
    /// and `more than fifty Euros`, `in half an hour` and `in less than half an hour`).
    pub fn same_number(&self, other: &Statement) -> bool {
        self.date.is_none() && other.date.is_none() && (self.value - other.value).abs() <= f64::EPSILON * self.value.abs().max(1.0)
    }

    /// Whether two statements about the same measure can both be true.
    pub fn agrees_with(&self, other: &Statement) -> bool {
        match (self.date, other.date) {
            (Some(a), Some(b)) => same_day(a, b),
            // `up to 50%` and `up to 30%`, `fewer than 100` and `fewer than 50`: each states a
            // ceiling, and two ceilings agree only when they are the same one.
            _ if self.interval.low.is_none() && other.interval.low.is_none() => {
                match (self.interval.high, other.interval.high) {
                    (Some(a), Some(b)) => (a.value - b.value).abs() <= f64::EPSILON * a.value.abs().max(1.0),
                    _ => true,
                }
            }
            _ => self.interval.intersects(&other.interval),
        }
    }
}

/// Two dates agree when every part both name is the same (a month alone covers its days).
pub(crate) fn same_day(a: CalendarDate, b: CalendarDate) -> bool {
    let years_agree = a.year.zip(b.year).is_none_or(|(x, y)| x == y);
    let days_agree = a.day.zip(b.day).is_none_or(|(x, y)| x == y);
    years_agree && a.month == b.month && days_agree
}

pub(crate) fn calendar(date: Date) -> CalendarDate {
    CalendarDate { year: Some(date.year), month: date.month, day: Some(date.day) }
}

/// The statements of `sentences` (index and span in `text`), reading weekdays against `reference`
/// (without one, a weekday is compared as a day of the week: `on Tuesday` against `on Monday`),
/// leaving out figures that overlap `skip` (citations, code, quotations).
pub fn extract(
    text: &str,
    sentences: impl IntoIterator<Item = (u32, Range<usize>)>,
    reference: Option<Date>,
    lexicon: &Lexicon,
    skip: &[Range<usize>],
) -> Vec<Statement> {
    let context = ReadContext { reference_date: reference.map(calendar) };
    let is_skipped = |range: &Range<usize>| skip.iter().any(|s| s.start < range.end && range.start < s.end);
    let mut statements = Vec::new();
    for (index, span) in sentences {
        let sentence = &text[span.clone()];
        let quantities = read_quantities(sentence, &context);
        // Most sentences hold no figure: their words are not read.
        let words = (!quantities.is_empty()).then(|| SentenceWords::of(sentence));
        let mut read: Vec<(Quantity, Option<Reading>)> = Vec::with_capacity(quantities.len());
        for quantity in quantities {
            let absolute = span.start + quantity.span.start..span.start + quantity.span.end;
            let skipped = is_skipped(&absolute);
            let mut reading = match &words {
                Some(words) if !skipped => measure_of(sentence, words, &quantity, &read, lexicon),
                _ => None,
            };
            // `won 69 of the 101 seats`: 101 is the whole that 69 is part of, not what was won; 69
            // counts the same seats, and is read as such when nothing else was read of it.
            if let Some(reading) = reading.as_mut().filter(|r| r.measure.needs_alignment()) {
                let whole_of_previous =
                    read.last().is_some_and(|(previous, _)| is_whole_of_part(sentence, previous.span.end, quantity.span.start));
                reading.partial |= whole_of_previous;
                // The part may have been read as a count of nothing in particular (no noun after it).
                let part_unread = |reading: &Option<Reading>| match reading {
                    None => true,
                    Some(Reading { measure: Measure::Role { unit, phrase }, .. }) => unit == "count" && phrase.is_empty(),
                    Some(_) => false,
                };
                if let (true, Some((part, part_reading)), Measure::Role { unit, phrase }) = (whole_of_previous, read.last(), &reading.measure) {
                    if matches!(part.kind, QuantityKind::Count) && unit == "count" && !phrase.is_empty() && part_unread(part_reading) {
                        let part_span = span.start + part.span.start..span.start + part.span.end;
                        statements.retain(|s: &Statement| s.span != part_span);
                        if !is_skipped(&part_span) {
                            statements.push(Statement {
                                measure: reading.measure.clone(),
                                interval: newsroom_interval(part),
                                date: None,
                                value: part.value,
                                span: part_span,
                                value_span: span.start + part.value_span.start..span.start + part.value_span.end,
                                sentence: index,
                                partial: false,
                            });
                        }
                    }
                }
            }
            if let Some(reading) = &reading {
                let date = match quantity.kind {
                    QuantityKind::Date(date) => Some(date),
                    _ => None,
                };
                statements.push(Statement {
                    measure: reading.measure.clone(),
                    interval: newsroom_interval(&quantity),
                    date,
                    value: quantity.value,
                    span: absolute,
                    value_span: span.start + quantity.value_span.start..span.start + quantity.value_span.end,
                    sentence: index,
                    partial: reading.partial,
                });
            }
            read.push((quantity, reading));
        }
        let taken: Vec<Range<usize>> = read.iter().map(|(q, _)| q.span.clone()).collect();
        for (at, month) in role::lone_months(sentence, &taken) {
            let absolute = span.start + at.start..span.start + at.end;
            if is_skipped(&absolute) {
                continue;
            }
            statements.push(Statement {
                measure: Measure::Role {
                    unit: role::with_time_relation("date".into(), sentence, at.start).into(),
                    phrase: role::noun_phrase_after(sentence, at.end).into(),
                },
                interval: Interval::exact(f64::from(month) * 100.0),
                date: Some(CalendarDate { year: None, month, day: None }),
                value: f64::from(month) * 100.0,
                span: absolute.clone(),
                value_span: absolute,
                sentence: index,
                partial: false,
            });
        }
        for at in role::lone_singles(sentence, &taken) {
            let absolute = span.start + at.start..span.start + at.end;
            if is_skipped(&absolute) {
                continue;
            }
            statements.push(Statement {
                // Always a modifier: `single` describes its noun as `two-story` does (never
                // `two stories`), so it pairs only with figures written that way.
                measure: Measure::Role { unit: "count modifier".into(), phrase: role::noun_phrase_after(sentence, at.end).into() },
                interval: Interval::exact(1.0),
                date: None,
                value: 1.0,
                span: absolute.clone(),
                value_span: absolute,
                sentence: index,
                partial: false,
            });
        }
        if reference.is_none() {
            for (at, weekday) in role::unresolved_weekdays(sentence, &taken) {
                let absolute = span.start + at.start..span.start + at.end;
                if is_skipped(&absolute) {
                    continue;
                }
                statements.push(Statement {
                    measure: Measure::Role {
                        unit: role::with_time_relation("weekday".into(), sentence, at.start).into(),
                        phrase: role::noun_phrase_after(sentence, at.end).into(),
                    },
                    interval: Interval::exact(weekday as f64),
                    date: None,
                    value: weekday as f64,
                    span: absolute.clone(),
                    value_span: absolute,
                    sentence: index,
                    partial: false,
                });
            }
        }
    }
    statements
}

/// Whether only `of`, `of the` or `out of` stands between two figures (`69 of the 101`).
fn is_whole_of_part(sentence: &str, previous_end: usize, start: usize) -> bool {
    let gap = sentence.get(previous_end..start).unwrap_or("").trim().to_lowercase();
    matches!(gap.as_str(), "of" | "of the" | "out of" | "out of the" | "of all")
}

/// The statements of an article's evidence sentences.
pub fn article_statements(article: &crate::analysis::corpus::article::Article, lexicon: &Lexicon) -> Vec<Statement> {
    let sentences = article.sentences.iter().enumerate().map(|(i, s)| (i as u32, s.span.range()));
    let mut statements = extract(&article.text, sentences, article.date, lexicon, &[]);
    // Kept for the corpus's life: the room a growing list leaves was a sixth of their memory.
    statements.shrink_to_fit();
    statements
}
