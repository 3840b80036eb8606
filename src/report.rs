//! Renders findings for terminals and tools: compiler-style text, a stable
//! JSON format (LSP ranges: 0-based lines, UTF-16 characters) and SARIF 2.1.0.

pub mod data;
pub mod html;
pub mod timeline;

use serde_json::{json, Value};

use crate::analysis::checks::findings::{Code, Finding, Place, Severity};
use crate::analysis::checks::Snapshot;
use crate::analysis::note::Note;
use crate::analysis::text::LineIndex;
use crate::convert::{article_position, to_position, Encoding, Position};

/// The findings of one note, with the paths to print.
pub struct NoteReport<'a> {
    pub note: &'a Note,
    pub display_path: String,
    pub findings: Vec<Finding>,
}

struct Resolved {
    path: String,
    start: Position,
    end: Position,
    /// For a PDF, the page: its lines are those of the text read from it, not of the file.
    page: Option<u32>,
}

fn resolve_range(text: &str, index: &LineIndex, range: &std::ops::Range<usize>) -> (Position, Position) {
    (to_position(text, index, range.start, Encoding::Utf16), to_position(text, index, range.end, Encoding::Utf16))
}

fn resolve_place(place: &Place, report: &NoteReport, corpus: &Snapshot) -> Option<Resolved> {
    match place {
        Place::Article { article, range } => {
            let article = corpus.article(*article)?;
            let (start, end) =
                (article_position(article, range.start, Encoding::Utf16), article_position(article, range.end, Encoding::Utf16));
            Some(Resolved { path: article.display_path.clone(), start, end, page: article.page_of(range.start) })
        }
        Place::Note { range, .. } => {
            let (start, end) = resolve_range(&report.note.text, &report.note.line_index, range);
            Some(Resolved { path: report.display_path.clone(), start, end, page: None })
        }
    }
}

fn finding_place(finding: &Finding, report: &NoteReport) -> Resolved {
    let (start, end) = resolve_range(&report.note.text, &report.note.line_index, &finding.range);
    Resolved { path: report.display_path.clone(), start, end, page: None }
}

/// `path:line:col: severity[code]: message`, 1-based, related places indented below.
/// Cited sources whose outlet or date is unknown, said once, with the fix: a line of the sources
/// file (`sources_file` is how to name it). `None` when every cited source is known.
pub fn unknown_sources(reports: &[NoteReport], corpus: &Snapshot, sources_file: &str) -> Option<String> {
    let mut cited: Vec<(String, crate::analysis::corpus::ArticleId)> = Vec::new();
    for citation in reports.iter().flat_map(|r| &r.note.citations) {
        for source in &citation.refs {
            let crate::analysis::note::RefTarget::Key(key) = &source.target else { continue };
            if let crate::analysis::corpus::Resolution::Found(id) = corpus.resolve(key) {
                if !cited.iter().any(|(_, known)| *known == id) {
                    // Named as every other answer names it.
                    cited.push((corpus.preferred_key(id).to_string(), id));
                }
            }
        }
    }
    cited.sort();
    let missing = |wanted: fn(&std::sync::Arc<crate::analysis::corpus::article::Article>) -> bool| -> Vec<String> {
        cited.iter().filter(|(_, id)| corpus.article(*id).is_some_and(wanted)).map(|(key, _)| key.clone()).collect()
    };
    let no_outlet = missing(|a| a.outlet.is_none());
    let no_date = missing(|a| a.date.is_none());
    let list = |keys: &[String]| crate::analysis::checks::render::in_words(&keys.iter().map(|k| format!("[@{k}]")).collect::<Vec<_>>(), 8);
    let said = match (no_outlet.is_empty(), no_date.is_empty()) {
        (true, true) => return None,
        (false, true) => format!("the outlet of {} is unknown", list(&no_outlet)),
        (true, false) => format!("the date of {} is unknown", list(&no_date)),
        (false, false) => format!("the outlet of {} is unknown, and the date of {}", list(&no_outlet), list(&no_date)),
    };
    Some(format!(
        "info: {said}; add a row for each to {sources_file} (columns key,outlet,date,url,title,author) with what you know of them\n"
    ))
}

pub fn text(reports: &[NoteReport], corpus: &Snapshot) -> String {
    let mut out = String::new();
    for report in reports {
        for finding in &report.findings {
            let place = finding_place(finding, report);
            out.push_str(&format!(
                "{}:{}:{}: {}[{}]: {}\n",
                place.path,
                place.start.line + 1,
                place.start.character + 1,
                finding.severity.name(),
                finding.code.name(),
                finding.message
            ));
            for related in &finding.related {
                if let Some(place) = resolve_place(&related.place, report, corpus) {
                    let at = match place.page {
                        Some(page) => format!("{}, page {page}", place.path),
                        None => format!("{}:{}:{}", place.path, place.start.line + 1, place.start.character + 1),
                    };
                    out.push_str(&format!("    {at}: note: {}\n", related.message));
                }
            }
        }
    }
    out
}

fn json_range(start: Position, end: Position) -> Value {
    json!({"start": {"line": start.line, "character": start.character}, "end": {"line": end.line, "character": end.character}})
}

/// The stable JSON format, version 1.
pub fn json(reports: &[NoteReport], corpus: &Snapshot) -> Value {
    let diagnostics: Vec<Value> = reports
        .iter()
        .flat_map(|report| {
            report.findings.iter().map(move |finding| {
                let place = finding_place(finding, report);
                let related: Vec<Value> = finding
                    .related
                    .iter()
                    .filter_map(|r| {
                        let place = resolve_place(&r.place, report, corpus)?;
                        let mut related = json!({"path": place.path, "range": json_range(place.start, place.end), "message": r.message});
                        if let Some(page) = place.page {
                            // The range is in the text read from the PDF; the page is where a reader finds it.
                            related["page"] = json!(page);
                        }
                        Some(related)
                    })
                    .collect();
                json!({
                    "path": place.path,
                    "range": json_range(place.start, place.end),
                    "severity": finding.severity.name(),
                    "code": finding.code.name(),
                    "message": finding.message,
                    "related": related,
                })
            })
        })
        .collect();
    json!({"version": 1, "diagnostics": diagnostics})
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Information | Severity::Hint => "note",
    }
}

fn sarif_location(place: &Resolved, message: Option<&str>) -> Value {
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": place.path.replace('\\', "/")},
            "region": {
                "startLine": place.start.line + 1,
                "startColumn": place.start.character + 1,
                "endLine": place.end.line + 1,
                "endColumn": place.end.character + 1,
            }
        }
    });
    if let Some(message) = message {
        location["message"] = json!({"text": message});
    }
    location
}

/// SARIF 2.1.0, one run; columns are UTF-16 code units (SARIF's default column kind).
pub fn sarif(reports: &[NoteReport], corpus: &Snapshot) -> Value {
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|report| {
            report.findings.iter().map(move |finding| {
                let related: Vec<Value> = finding
                    .related
                    .iter()
                    .enumerate()
                    .filter_map(|(i, r)| {
                        let mut location = sarif_location(&resolve_place(&r.place, report, corpus)?, Some(&r.message));
                        location["id"] = json!(i);
                        Some(location)
                    })
                    .collect();
                json!({
                    "ruleId": finding.code.name(),
                    "ruleIndex": Code::ALL.iter().position(|&code| code == finding.code),
                    "level": sarif_level(finding.severity),
                    "message": {"text": finding.message},
                    "locations": [sarif_location(&finding_place(finding, report), None)],
                    "relatedLocations": related,
                })
            })
        })
        .collect();
    // Descriptions for SARIF consumers (code-scanning dashboards show them).
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|code| {
            let id = code.name();
            json!({"id": id, "shortDescription": {"text": code.summary()}, "helpUri": format!("https://github.com/noteproof/noteproof#{id}")})
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "noteproof", "version": env!("CARGO_PKG_VERSION"), "informationUri": "https://github.com/noteproof/noteproof", "rules": rules}},
            "columnKind": "utf16CodeUnits",
            "results": results,
        }]
    })
}
