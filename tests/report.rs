//! `noteproof report`: the data gathered for it (a small corpus with dated and undated sources),
//! the HTML page made of it, and the command run on the seeds and the demo note.

mod common;

use std::process::Command;

use common::fixture::Fixture;
use common::{binary, Workspace};
use noteproof::analysis::checks::diagnostics::check_note;
use noteproof::report::data::{gather, ReportData, VERSION};
use noteproof::report::{html, NoteReport};
use serde_json::Value;

const FLOOD: &str = r#"
//- /seeds/101_aaaaaaaaaaaaaaaa.txt
 date 2024-06-02 Flood in Narvik leaves 12 dead

Floodwaters in Narvik killed 12 people, officials said.
//- /seeds/102_bbbbbbbbbbbbbbbb.txt
 date 2024-06-09 Narvik flood toll rises

The Narvik flood has killed more than 20 people, officials said on Sunday.
//- /seeds/103_cccccccccccccccc.txt
Narvik flood: the aftermath

The Narvik flood killed 15 people, the mayor said.
//- /notes/brief.md
# Narvik flood

The flood killed 12 people in Narvik [@101]. By June 9 the flood had killed 40 people [@102].
Officials said that "Floodwaters in Narvik killed 12 people" [@101].
"#;

fn flood() -> (Fixture, ReportData) {
    let fixture = Fixture::parse(FLOOD);
    let report =
        NoteReport { note: &fixture.note, display_path: "notes/brief.md".into(), findings: check_note(&fixture.corpus, &fixture.note) };
    let data = gather(&fixture.corpus, &[report]);
    (fixture, data)
}

#[test]
fn the_timeline_holds_each_source_by_date_with_its_interval_and_the_notes_figures() {
    let (_, data) = flood();
    assert_eq!(data.version, VERSION);
    let killed = data.timelines.iter().find(|t| t.measure == "killed").expect("a timeline of the dead");
    type Point<'a> = (Option<&'a str>, &'a str, Option<f64>, Option<f64>);
    let points: Vec<Point> = killed.points.iter().map(|p| (p.date.as_deref(), p.figure.as_str(), p.low, p.high)).collect();
    assert_eq!(
        points,
        [
            (Some("2024-06-02"), "12", Some(12.0), Some(12.0)),
            (Some("2024-06-02"), "12", Some(12.0), Some(12.0)),
            (Some("2024-06-09"), "more than 20", Some(20.0), Some(30.0)),
            (None, "15", Some(15.0), Some(15.0)),
        ],
        "oldest first (the first story's title and its body), the undated source kept and last"
    );
    assert_eq!(killed.points[2].source, "9 Jun 2024 [@102]");
    assert_eq!(killed.points[2].link, "file:///w/seeds/102_bbbbbbbbbbbbbbbb.txt#L3");
    let figures: Vec<(&str, &str, usize)> = killed.note_figures.iter().map(|f| (f.figure.as_str(), f.verdict, f.line)).collect();
    assert_eq!(figures, [("12", "supported", 3), ("40", "contradicted", 3)]);
}

#[test]
fn the_summary_counts_the_verdicts_and_the_verified_quotations() {
    let (_, data) = flood();
    let note = &data.notes[0];
    let summary = note.summary;
    // The date (June 9) is a claim too: it is the cited story's own date.
    assert_eq!((summary.supported, summary.contradicted, summary.unsupported), (2, 1, 0), "{summary:?}");
    assert_eq!(summary.claims_checked, summary.supported + summary.contradicted + summary.unsupported + summary.unjudged);
    assert_eq!((summary.quotations, summary.quotations_verified), (1, 1));
    let contradictions = note.findings.iter().filter(|f| f.code == "figure-contradiction").count();
    assert_eq!(contradictions, summary.contradicted, "one finding per contradicted figure");
    assert_eq!(summary.findings, note.findings.len());
}

#[test]
fn a_finding_stands_beside_the_notes_sentence_and_the_sources_sentence() {
    let (_, data) = flood();
    let finding = &data.notes[0].findings[0];
    assert_eq!((finding.code, finding.line, finding.flagged.as_str()), ("figure-contradiction", 3, "40"));
    assert_eq!(finding.note_sentence, "By June 9 the flood had killed 40 people [@102].");
    assert_eq!(finding.sources.len(), 1);
    let source = &finding.sources[0];
    assert_eq!(source.source, "9 Jun 2024 [@102]");
    assert_eq!(source.sentence, "The Narvik flood has killed more than 20 people, officials said on Sunday.");
    assert_eq!((source.path.as_str(), source.line), ("seeds/102_bbbbbbbbbbbbbbbb.txt", 3));
    assert_eq!(finding.link, "file:///w/notes/brief.md#L3");
}

#[test]
fn the_page_draws_every_statement_with_its_data_and_escapes_what_it_quotes() {
    let (_, data) = flood();
    let page = html::render(&data).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(!page.contains("<script"), "no script");
    for external in [" src=", "<link", "url(", "@import"] {
        assert!(!page.contains(external), "no external asset: {external}");
    }
    assert!(page.contains(r#"data-date="2024-06-09" data-value="20" data-low="20" data-high="30" data-figure="more than 20""#), "{page}");
    assert!(page.contains(r#"data-date="undated" data-value="15""#));
    assert!(
        page.contains(
            "<title>9 Jun 2024 [@102]: “…Narvik flood has killed more than 20 people, officials said on…” — more than 20 (between 21 and 29)</title>"
        ),
        "{page}"
    );
    assert!(page.contains(r#"class="note-figure contradicted" data-note="notes/brief.md:3" data-value="40""#));
    assert!(page.contains(r#"<tr class="finding warning" data-code="figure-contradiction" data-line="3""#));
    assert!(page.contains("By June 9 the flood had killed <mark>40</mark> people [@102]."));
    assert!(page.contains("@media print"));
    // What the page quotes is escaped: a path (or a source's words) cannot inject markup.
    let mut hostile = data.clone();
    hostile.notes[0].path = "notes/<b>brief</b>.md".into();
    let page = html::render(&hostile).unwrap();
    assert!(page.contains("notes/&#60;b&#62;brief&#60;/b&#62;.md") || page.contains("notes/&lt;b&gt;brief&lt;/b&gt;.md"), "{page}");
    assert!(!page.contains("<b>brief"));
}

#[test]
fn the_json_is_versioned_and_names_every_part() {
    let (_, data) = flood();
    let json = serde_json::to_value(&data).unwrap();
    assert_eq!(json["version"], 1);
    for key in ["articles", "notes", "timelines", "dates"] {
        assert!(json.get(key).is_some(), "{key}");
    }
    let summary = &json["notes"][0]["summary"];
    for key in ["claims_checked", "supported", "contradicted", "unsupported", "unjudged", "quotations", "quotations_verified", "findings"] {
        assert!(summary[key].is_u64(), "{key}");
    }
}

fn report(workspace: &Workspace, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(binary()).arg("report").args(args).current_dir(workspace.root()).output().unwrap();
    (output.status.code().unwrap(), String::from_utf8(output.stdout).unwrap(), String::from_utf8(output.stderr).unwrap())
}

/// A workspace with the seeds and the demo note at `examples/brief.md`.
pub fn demo_workspace() -> Workspace {
    let workspace = Workspace::with_seeds();
    workspace.write("examples/brief.md", include_str!("../examples/brief.md"));
    workspace
}

#[test]
fn report_out_on_the_seeds_and_the_demo_note() {
    let workspace = demo_workspace();
    let (code, stdout, stderr) = report(&workspace, &["examples/", "--out", "report.html", "--json-out", "report.json"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("wrote report.html (4 finding(s) in 1 note(s)"), "{stderr}");
    let page = std::fs::read_to_string(workspace.path("report.html")).unwrap();
    assert_eq!(page.matches("<tr class=\"finding ").count(), 4, "the four findings of `check examples/`");
    let data: Value = serde_json::from_str(&std::fs::read_to_string(workspace.path("report.json")).unwrap()).unwrap();
    assert_eq!(data["version"], 1);
    let killed = data["timelines"].as_array().unwrap().iter().find(|t| t["measure"] == "killed").unwrap();
    let dated: Vec<(&str, &str)> =
        killed["points"].as_array().unwrap().iter().filter_map(|p| Some((p["date"].as_str()?, p["figure"].as_str().unwrap()))).collect();
    assert_eq!(dated, [("2024-03-27", "at least 139"), ("2024-05-24", "more than 140"), ("2024-05-24", "more than 140")]);
    let undated = killed["points"].as_array().unwrap().iter().filter(|p| p["date"].is_null()).count();
    assert_eq!(undated, 5, "the undated agency and AFP copy is kept");
    let verdicts: Vec<(&str, &str)> = killed["note_figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["figure"].as_str().unwrap(), f["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(verdicts, [("139", "supported"), ("more than 140", "supported"), ("150", "contradicted")]);
    let summary = &data["notes"][0]["summary"];
    assert_eq!((summary["contradicted"].as_u64(), summary["findings"].as_u64()), (Some(2), Some(4)));
    // The README's account of the demo note is this one.
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    let count = |key: &str| summary[key].as_u64().unwrap();
    let said = format!(
        "shows {} claims checked: {} supported, {} contradicted (the 150 killed and the two arrested), {} unjudged; {} of {} quotations verified; {} findings.",
        count("claims_checked"),
        count("supported"),
        count("contradicted"),
        count("unjudged"),
        count("quotations_verified"),
        count("quotations"),
        count("findings")
    );
    assert!(readme.contains(&said), "README.md should say: {said}");
    assert_eq!(count("unsupported"), 0, "the README leaves out a zero");
    // `--format json` prints the same data.
    let (code, stdout, _) = report(&workspace, &["examples/", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<Value>(&stdout).unwrap(), data);
}

#[test]
fn a_missing_note_is_a_usage_error() {
    let workspace = demo_workspace();
    let (code, _, stderr) = report(&workspace, &["nowhere.md", "--out", "report.html"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("nowhere.md does not exist"), "{stderr}");
    assert!(!workspace.path("report.html").exists());
}
