//! The corpus fact sheet: one row per measure and statement, grouped by
//! measure and in date order — what the sources say, who said it and when.

use serde::Serialize;

use super::measure::Measure;
use super::role::snippet;
use super::Statement;
use crate::analysis::checks::render::{escape, markdown_label, wrap_markdown, HOVER_COLUMNS};
use crate::analysis::checks::Snapshot;
use crate::analysis::corpus::ArticleId;
use crate::analysis::text::collapse_whitespace;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FactRow {
    /// What the figure measures, in words: `killed`, `children killed`, `date of the attack`.
    pub measure: String,
    /// The figure as the source writes it (`more than 140`).
    pub figure: String,
    /// What the figure allows, for a reader: `between 141 and 149`, `22 March (year not given)`.
    pub reads_as: String,
    /// The same, for programs: Recognizers-Text notation (`(140,150)`), or the date (`????-03-22`).
    pub interval: String,
    /// The source as every answer names it: `AFP, 24 May 2024 [@001]`.
    pub source: String,
    pub article: String,
    pub path: String,
    pub line: usize,
    pub outlet: Option<String>,
    pub date: Option<String>,
    /// The source's words around the figure, and its whole sentence.
    pub words: String,
    pub quote: String,
}

/// A measure in words, as a heading or a row of the fact sheet reads it.
pub fn measure_in_words(measure: &Measure) -> String {
    match measure {
        Measure::Counted { measure, group: None } => measure.to_string(),
        Measure::Counted { measure, group: Some(group) } => format!("{group} {measure}"),
        Measure::EventDate(event) => format!("date of the {event}"),
        Measure::Superlative => "years that “the deadliest” reaches back".to_string(),
        Measure::Age(name) => format!("age of {name}"),
        Measure::Role { .. } => measure.to_string(),
    }
}

/// A row of the fact sheet with the statement it was read from: its measure and the interval it
/// allows, for programs that draw or compare them (the report's timeline).
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub row: FactRow,
    pub article: ArticleId,
    pub statement: Statement,
}

/// Every statement of the corpus whose measure is known (counts outside the lexicon are left out:
/// they mean something only next to an aligned sentence).
pub fn fact_sheet(corpus: &Snapshot) -> Vec<FactRow> {
    facts(corpus).into_iter().map(|fact| fact.row).collect()
}

/// The fact sheet's rows with their statements, in the fact sheet's order: by measure, then oldest
/// first, undated last.
pub fn facts(corpus: &Snapshot) -> Vec<Fact> {
    let mut rows: Vec<(Measure, Option<crate::analysis::text::date::Date>, Fact)> = Vec::new();
    // From an archive, only the articles it says state a lexicon measure are read, a batch at a
    // time: holding every article took 3.5 GB at 100,000.
    corpus.each_with_statements(&corpus.articles_stating_any(), &mut |id, article, statements| {
        for statement in statements {
            if statement.measure.needs_alignment() || statement.partial {
                continue;
            }
            let sentence = &article.sentences[statement.sentence as usize];
            let (interval, reads_as) = match statement.date {
                Some(date) => (
                    format!(
                        "{}{:02}-{}",
                        date.year.map_or_else(|| "????-".to_string(), |y| format!("{y:04}-")),
                        date.month,
                        date.day.map_or_else(|| "??".to_string(), |d| format!("{d:02}"))
                    ),
                    date.in_words(),
                ),
                None => (statement.interval.to_range_notation(), statement.interval.in_words()),
            };
            let row = FactRow {
                measure: measure_in_words(&statement.measure),
                figure: collapse_whitespace(&article.text[statement.span.clone()]),
                reads_as,
                interval,
                source: corpus.source_label(id),
                article: corpus.preferred_key(id).to_string(),
                path: article.display_path.clone(),
                line: article.line_of(statement.span.start) + 1,
                outlet: article.outlet.clone(),
                date: article.date.map(|d| d.to_string()),
                words: snippet(&article.text, &sentence.span.range(), &statement.span, &[]),
                quote: collapse_whitespace(&article.text[sentence.span.range()]),
            };
            rows.push((statement.measure.clone(), article.date, Fact { row, article: id, statement: statement.clone() }));
        }
    });
    rows.sort_by(|a, b| {
        (&a.0, a.1.is_none(), a.1, &a.2.row.article, a.2.row.line).cmp(&(&b.0, b.1.is_none(), b.1, &b.2.row.article, b.2.row.line))
    });
    rows.into_iter().map(|(_, _, fact)| fact).collect()
}

fn heading(measure: &str) -> String {
    let mut chars = measure.chars();
    chars.next().map_or_else(String::new, |first| format!("{}{}", first.to_uppercase(), chars.as_str()))
}

/// The fact sheet as plain text: a heading per measure, then each statement, oldest first: who
/// said it, the figure and what it allows, then the source's words and where they are.
pub fn render_text(rows: &[FactRow]) -> String {
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for row in rows {
        if current != Some(row.measure.as_str()) {
            if current.is_some() {
                out.push('\n');
            }
            out.push_str(&format!("{}\n", heading(&row.measure)));
            current = Some(&row.measure);
        }
        out.push_str(&format!(
            "  {:<30} {:<18} {}\n      “{}” ({}:{})\n",
            row.source, row.figure, row.reads_as, row.words, row.path, row.line
        ));
    }
    out
}

/// The fact sheet as markdown, for the editors' fact-sheet view: a list per measure (tables wrap
/// badly in narrow panes and some editors show them as raw text).
pub fn render_markdown(rows: &[FactRow]) -> String {
    let mut out = String::from("# Fact sheet\n\nWhat the sources say, measure by measure, oldest first.\n");
    let mut current: Option<&str> = None;
    for row in rows {
        if current != Some(row.measure.as_str()) {
            out.push_str(&format!("\n## {}\n\n", escape(&heading(&row.measure))));
            current = Some(&row.measure);
        }
        out.push_str(&format!(
            "- **{}** ({}) — {}: “{}” ({}:{})\n",
            escape(&row.figure),
            row.reads_as,
            markdown_label(&row.source),
            escape(&row.words),
            escape(&row.path),
            row.line
        ));
    }
    if rows.is_empty() {
        out.push_str("\nNo figures with a known measure in the corpus.\n");
    }
    // Shown in an editor pane, often beside the note: wrapped so that no row breaks inside a word.
    wrap_markdown(&out, HOVER_COLUMNS)
}
