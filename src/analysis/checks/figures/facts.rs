//! The corpus fact sheet: one row per measure and statement, grouped by
//! measure and in date order — what the sources say, who said it and when.

use serde::Serialize;

use super::measure::Measure;
use crate::analysis::checks::render::escape;
use crate::analysis::checks::Snapshot;
use crate::analysis::text::collapse_whitespace;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FactRow {
    pub measure: String,
    /// The figure as the source writes it (`more than 140`).
    pub figure: String,
    /// The interval it allows, in Recognizers-Text notation (`(140,150)`), or the date.
    pub interval: String,
    pub article: String,
    pub path: String,
    pub line: usize,
    pub outlet: Option<String>,
    pub date: Option<String>,
    pub quote: String,
}

/// Every statement of the corpus whose measure is known (counts outside the lexicon are left out:
/// they mean something only next to an aligned sentence).
pub fn fact_sheet(corpus: &Snapshot) -> Vec<FactRow> {
    let mut rows: Vec<(Measure, Option<crate::analysis::text::date::Date>, FactRow)> = Vec::new();
    for (id, article) in corpus.live() {
        for statement in corpus.statements(id) {
            if statement.measure.needs_alignment() || statement.partial {
                continue;
            }
            let sentence = &article.sentences[statement.sentence as usize];
            let interval = match statement.date {
                Some(date) => format!(
                    "{}{:02}-{}",
                    date.year.map_or_else(|| "????-".to_string(), |y| format!("{y:04}-")),
                    date.month,
                    date.day.map_or_else(|| "??".to_string(), |d| format!("{d:02}"))
                ),
                None => statement.interval.to_range_notation(),
            };
            rows.push((
                statement.measure.clone(),
                article.date,
                FactRow {
                    measure: statement.measure.to_string(),
                    figure: collapse_whitespace(&article.text[statement.span.clone()]),
                    interval,
                    article: corpus.preferred_key(id).to_string(),
                    path: article.display_path.clone(),
                    line: article.line_of(statement.span.start) + 1,
                    outlet: article.outlet.clone(),
                    date: article.date.map(|d| d.to_string()),
                    quote: collapse_whitespace(&article.text[sentence.span.clone()]),
                },
            ));
        }
    }
    rows.sort_by(|a, b| (&a.0, a.1.is_none(), a.1, &a.2.article, a.2.line).cmp(&(&b.0, b.1.is_none(), b.1, &b.2.article, b.2.line)));
    rows.into_iter().map(|(_, _, row)| row).collect()
}

/// The fact sheet as plain text: a heading per measure, a line per statement.
pub fn render_text(rows: &[FactRow]) -> String {
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for row in rows {
        if current != Some(row.measure.as_str()) {
            if current.is_some() {
                out.push('\n');
            }
            out.push_str(&format!("{}\n", row.measure));
            current = Some(&row.measure);
        }
        out.push_str(&format!(
            "  {:<16} {:<12} @{:<6} {:<22} {:<10} {}:{}  “{}”\n",
            row.figure,
            row.interval,
            row.article,
            row.outlet.as_deref().unwrap_or("unknown outlet"),
            row.date.as_deref().unwrap_or("undated"),
            row.path,
            row.line,
            row.quote
        ));
    }
    out
}

/// The fact sheet as markdown: a table per measure (for the editors' fact-sheet view).
pub fn render_markdown(rows: &[FactRow]) -> String {
    let mut out = String::from("# Fact sheet\n\nWhat the sources say, measure by measure, oldest first.\n");
    let mut current: Option<&str> = None;
    for row in rows {
        if current != Some(row.measure.as_str()) {
            out.push_str(&format!(
                "\n## {}\n\n| figure | allows | article | outlet | date | quote |\n|---|---|---|---|---|---|\n",
                escape(&row.measure)
            ));
            current = Some(&row.measure);
        }
        out.push_str(&format!(
            "| {} | `{}` | `@{}` ({}:{}) | {} | {} | “{}” |\n",
            escape(&row.figure),
            row.interval,
            row.article,
            row.path,
            row.line,
            escape(row.outlet.as_deref().unwrap_or("unknown outlet")),
            row.date.as_deref().unwrap_or("undated"),
            escape(&row.quote)
        ));
    }
    if rows.is_empty() {
        out.push_str("\nNo figures with a known measure in the corpus.\n");
    }
    out
}
