//! Fixtures: one string holds the corpus and a note, the cursor (`$0`) and the
//! expected ranges (`^^^` lines under the line they mark).
//!
//! ```text
//! //- /seeds/003.txt
//! MOSCOW - ... the massacre of at least 139 people.
//! //- /notes/brief.md
//! The attack killed 250 people [@003].
//!                   ^^^ figure-contradiction: 003 says at least 139
//! ```
//! Carets count characters of the marked line, so curly quotes and accents line up.

#![allow(dead_code)]

use noteproof::analysis::checks::Snapshot;
use noteproof::analysis::corpus::article::ArticleSource;
use noteproof::analysis::note::Note;

pub const ROOT: &str = "/w";

/// A range expected in the note, with the annotation text after the carets.
#[derive(Debug, Clone)]
pub struct Mark {
    pub range: std::ops::Range<usize>,
    pub label: String,
}

pub struct Fixture {
    pub corpus: Snapshot,
    pub note: Note,
    pub cursor: Option<usize>,
    pub marks: Vec<Mark>,
}

impl Fixture {
    /// A fixture whose corpus also holds the bundled seed articles (`/seeds/000_….txt` …).
    pub fn with_seeds(fixture: &str) -> Fixture {
        Fixture::build(fixture, seed_sources())
    }

    pub fn parse(fixture: &str) -> Fixture {
        Fixture::build(fixture, Vec::new())
    }

    fn build(fixture: &str, mut sources: Vec<ArticleSource>) -> Fixture {
        let mut note_file: Option<(String, String)> = None;
        for (path, body) in files(fixture) {
            let body = unindent(&body);
            let path = format!("{ROOT}{}", path.trim());
            if path.starts_with(&format!("{ROOT}/seeds/")) && path.ends_with(".pdf") {
                // A PDF's text, its pages separated by `<<page>>` lines.
                let mut text = String::new();
                let mut page_starts = Vec::new();
                for page in body.split("<<page>>\n") {
                    page_starts.push(text.len() as u32);
                    text.push_str(page);
                }
                let origin = noteproof::analysis::corpus::origin::Origin::Pdf { page_starts, file_hash: 0 };
                sources.push(ArticleSource { display_path: path[ROOT.len() + 1..].to_string(), path, text, origin, ..Default::default() });
            } else if path.starts_with(&format!("{ROOT}/seeds/")) {
                sources.push(ArticleSource {
                    display_path: path[ROOT.len() + 1..].to_string(),
                    path,
                    text: body.to_string(),
                    ..Default::default()
                });
            } else {
                note_file = Some((path, body.to_string()));
            }
        }
        let (note_path, note_body) = note_file.expect("a fixture needs a note outside /seeds");
        let (text, cursor, marks) = read_marks(&note_body);
        Fixture { corpus: Snapshot::build(sources, vec![format!("{ROOT}/seeds")]), note: Note::parse(&note_path, &text), cursor, marks }
    }

    pub fn cursor(&self) -> usize {
        self.cursor.expect("the fixture marks no cursor with $0")
    }

    /// The text of a note range.
    pub fn note_text(&self, range: &std::ops::Range<usize>) -> &str {
        &self.note.text[range.clone()]
    }

    /// The note's text once a fix is applied (its edits do not overlap; applied from the end).
    #[allow(dead_code)]
    pub fn after_fix(&self, fix: &noteproof::analysis::checks::findings::Fix) -> String {
        let mut edits = fix.edits.clone();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        let mut text = self.note.text.clone();
        for edit in edits {
            text.replace_range(edit.range.clone(), &edit.new_text);
        }
        text
    }
}

/// The bundled seed articles, as if they lay in `/w/seeds`.
pub fn seed_sources() -> Vec<ArticleSource> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut sources: Vec<ArticleSource> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            ArticleSource {
                path: format!("{ROOT}/seeds/{name}"),
                display_path: format!("seeds/{name}"),
                text: std::fs::read_to_string(entry.path()).unwrap(),
                ..Default::default()
            }
        })
        .collect();
    sources.sort_by(|a, b| a.path.cmp(&b.path));
    sources
}

/// Splits a fixture at its `//- /path` lines; each file keeps its own indentation.
fn files(fixture: &str) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = Vec::new();
    for line in fixture.split_inclusive('\n') {
        if let Some(path) = line.trim_start().strip_prefix("//- ") {
            files.push((path.trim().to_string(), String::new()));
        } else if let Some((_, body)) = files.last_mut() {
            body.push_str(line);
        }
    }
    files
}

/// Removes the common indentation so fixtures can sit indented in test code.
fn unindent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text.lines().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    text.lines().map(|l| if l.len() >= indent { &l[indent..] } else { l.trim_start() }).collect::<Vec<_>>().join("\n") + "\n"
}

fn is_mark_line(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with('^') && !trimmed.starts_with("^[") && line.chars().take_while(|c| *c == ' ' || *c == '^').any(|c| c == '^')
}

fn read_marks(body: &str) -> (String, Option<usize>, Vec<Mark>) {
    let mut text = String::new();
    let mut marks = Vec::new();
    let mut cursor = None;
    let mut previous_line_start = 0;
    let mut previous_line = String::new();
    for line in body.split_inclusive('\n') {
        if is_mark_line(line.trim_end_matches('\n')) {
            let line = line.trim_end_matches('\n');
            let first = line.chars().position(|c| c == '^').unwrap();
            let count = line.chars().skip(first).take_while(|c| *c == '^').count();
            let label = line.chars().skip(first + count).collect::<String>().trim().to_string();
            let byte_at =
                |column: usize| previous_line.char_indices().nth(column).map_or(previous_line.trim_end_matches('\n').len(), |(i, _)| i);
            let range = previous_line_start + byte_at(first)..previous_line_start + byte_at(first + count);
            marks.push(Mark { range, label });
            continue;
        }
        let mut line = line.to_string();
        if let Some(at) = line.find("$0") {
            cursor = Some(text.len() + at);
            line.replace_range(at..at + 2, "");
        }
        previous_line_start = text.len();
        previous_line = line.clone();
        text.push_str(&line);
    }
    (text, cursor, marks)
}

/// Asserts that the note's findings with one of `codes` are exactly the marked ranges.
/// A mark reads `^^^ code` or `^^^ code: words the message must contain`.
pub fn assert_findings(fixture: &Fixture, codes: &[&str]) {
    let findings: Vec<_> = noteproof::analysis::checks::diagnostics::check_note(&fixture.corpus, &fixture.note)
        .into_iter()
        .filter(|f| codes.contains(&f.code.name()))
        .collect();
    let found: Vec<(String, String)> =
        findings.iter().map(|f| (fixture.note_text(&f.range).to_string(), f.code.name().to_string())).collect();
    let expected: Vec<(String, String)> = fixture
        .marks
        .iter()
        .map(|m| (fixture.note_text(&m.range).to_string(), m.label.split(':').next().unwrap().trim().to_string()))
        .collect();
    assert_eq!(found, expected, "findings: {findings:#?}");
    for (finding, mark) in findings.iter().zip(&fixture.marks) {
        if let Some((_, message)) = mark.label.split_once(':') {
            assert!(finding.message.contains(message.trim()), "`{}` does not say `{}`", finding.message, message.trim());
        }
    }
}
