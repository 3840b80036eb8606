//! The analyst's sources file (`sources.csv` in a corpus folder): per article key, the outlet,
//! date, URL, title and author that the copy does not state, or states wrongly. A row wins over
//! anything read from the article. Pure: text in, table and problems out.
//!
//! ```csv
//! key,outlet,date,url,title,author,comment
//! 003,The Moscow Times,2024-03-27,,,,"dated by the marker glued to the first line"
//! ```
//! `key` is the article's file name without its extension, or the short key it is cited by
//! (`003` for `003_0374629e18bf1a2b.txt`). Empty cells say nothing; other columns (a comment) are
//! the analyst's own.

use std::collections::HashMap;

use crate::analysis::corpus::origin::Metadata;
use crate::analysis::text::date::Date;

pub const SOURCES_FILE: &str = "sources.csv";

/// Rows by key, and a plain-words problem per row or cell that could not be used.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourcesTable {
    pub rows: HashMap<String, Metadata>,
}

impl SourcesTable {
    /// The row for an article whose file stem is `stem`: by the stem, else by its short key (the
    /// part before the first `_`).
    pub fn row_for(&self, stem: &str) -> Option<&Metadata> {
        self.rows.get(stem).or_else(|| stem.split_once('_').and_then(|(short, _)| self.rows.get(short)))
    }

    /// Rows of `other` are added; a key in both keeps `self`'s row.
    pub fn merge(&mut self, other: SourcesTable) {
        for (key, row) in other.rows {
            self.rows.entry(key).or_insert(row);
        }
    }
}

/// Reads a sources file; `name` is how problems name it.
pub fn parse_sources_file(text: &str, name: &str) -> (SourcesTable, Vec<String>) {
    let mut problems = Vec::new();
    let mut table = SourcesTable::default();
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(headers) => headers.iter().map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase()).collect(),
        Err(error) => return (table, vec![format!("{name}: unreadable header ({error}); expected key,outlet,date,url,title,author")]),
    };
    let column = |wanted: &str| headers.iter().position(|h| h == wanted);
    let Some(key_column) = column("key") else {
        return (table, vec![format!("{name}: no `key` column; the first line should be key,outlet,date,url,title,author")]);
    };
    let (outlet, date, url, title, author) = (column("outlet"), column("date"), column("url"), column("title"), column("author"));
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                problems.push(format!("{name}: {error}"));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let cell = |index: Option<usize>| index.and_then(|i| record.get(i)).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string);
        let Some(key) = cell(Some(key_column)) else { continue };
        let key = key.trim_start_matches('@').to_string();
        let date = match cell(date) {
            Some(text) => match Date::parse_iso(&text) {
                Some(date) => Some(date),
                None => {
                    problems
                        .push(format!("{name}:{line}: date “{text}” of {key} is not a date like 2024-03-27; the row's date is left out"));
                    None
                }
            },
            None => None,
        };
        let row = Metadata { title: cell(title), outlet: cell(outlet), date, url: cell(url), author: cell(author) };
        if table.rows.insert(key.clone(), row).is_some() {
            problems.push(format!("{name}:{line}: {key} has a second row; the last one is used"));
        }
    }
    (table, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_give_each_field_and_empty_cells_say_nothing() {
        let text = "key,outlet,date,url,title,author,comment\n\
                    003,The Moscow Times,2024-03-27,,,,\"dated, as the copy says\"\n\
                    @004, ,,https://example.org/a,“Spymaster” claims,Jane Roe,\n";
        let (table, problems) = parse_sources_file(text, "seeds/sources.csv");
        assert!(problems.is_empty(), "{problems:?}");
        let row = table.row_for("003_0374629e18bf1a2b").unwrap();
        assert_eq!(row.outlet.as_deref(), Some("The Moscow Times"));
        assert_eq!(row.date, Date::new(2024, 3, 27));
        let row = table.row_for("004").unwrap();
        assert_eq!((row.outlet.as_deref(), row.date, row.title.as_deref()), (None, None, Some("“Spymaster” claims")));
        assert!(table.row_for("005_x").is_none());
    }

    #[test]
    fn problems_name_the_file_and_line() {
        let (table, problems) = parse_sources_file("key,date\n001,27/03/2024\n001,2024-03-28\n", "sources.csv");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("sources.csv:2: date “27/03/2024”"), "{problems:?}");
        assert!(problems[1].contains("second row"), "{problems:?}");
        assert_eq!(table.row_for("001").unwrap().date, Date::new(2024, 3, 28));
        let (_, problems) = parse_sources_file("outlet,date\nAFP,2024-01-01\n", "sources.csv");
        assert!(problems[0].contains("no `key` column"), "{problems:?}");
        let (table, _) = parse_sources_file("", "sources.csv");
        assert!(table.rows.is_empty());
    }
}
