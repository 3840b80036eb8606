//! The numeric-dev evaluation of `figure-*` findings outside the seed event
//! (`tests/data/numeric-dev/`, from BUMP and SummEdits): 148 short claims
//! about news articles, sales calls and e-mails, meeting and chat transcripts,
//! half of them contradicting their source in a number.
//!
//! Builds a corpus of one article per distinct source and two notes of one
//! paragraph per claim: one cites the claim's source (`[@a001]`) after each of
//! its sentences (59 claims have two or more, and a citation covers only its
//! own sentence), the other cites nothing (every article is a candidate). Runs
//! the real binary's `check --format json` on each and counts a claim as
//! flagged when a `figure-*` warning or error touches its line. Prints, per
//! mode, the confusion counts, precision, recall and balanced accuracy, and
//! the recall per kind of changed number, and every miss; fails below the
//! floors. `NOTEPROOF_EVAL_OUT=DIR` keeps the corpus and both notes.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::{binary, Workspace};
use noteproof::analysis::note::Note;
use serde_json::Value;

// Floors at issue 12's target and just below what the checker achieves, in both modes: balanced
// accuracy 0.926 (cited and uncited), precision 1.000 (no consistent claim flagged), recall 0.851
// (63 of 74). Before figures were paired by role: 0.520, 1.000, 0.041; before numbers the
// sources write nowhere relaxed the pairing (`figures/written.rs`), results, quarters, unnamed
// ages and spans of time in other units were read: 0.831 / 0.838; before named days (`on Ash
// Wednesday`) and `single` were read: 0.912. docs/figures.md lists what is missed.
const MIN_BALANCED_ACCURACY: f64 = 0.92;
const MIN_PRECISION: f64 = 0.95;
const MIN_RECALL: f64 = 0.84;

/// One labelled claim.
struct Row {
    id: String,
    source_text: String,
    claim: String,
    contradiction: bool,
    /// What kind of number was changed (`number:money`), `none` when consistent.
    error_type: String,
}

fn rows() -> Vec<Row> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/numeric-dev/numeric_dev.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let row: Value = serde_json::from_str(line).unwrap();
            let field = |name: &str| row[name].as_str().unwrap_or_else(|| panic!("`{name}` missing in {line}")).to_string();
            let label = field("label");
            assert!(label == "consistent" || label == "number-contradiction", "unknown label `{label}`");
            Row {
                id: field("id"),
                source_text: field("source_text"),
                claim: field("claim"),
                contradiction: label == "number-contradiction",
                error_type: field("error_type"),
            }
        })
        .collect()
}

/// Writes one article per distinct source (`corpus/a001.txt`, …) and returns each row's article key.
/// The first line of an article is read as its title: the key alone, so that the title adds no
/// words or figures of its own; then a blank line and the source text.
fn write_corpus(workspace: &Workspace, rows: &[Row]) -> Vec<String> {
    let mut keys: BTreeMap<&str, String> = BTreeMap::new();
    rows.iter()
        .map(|row| {
            if let Some(key) = keys.get(row.source_text.as_str()) {
                return key.clone();
            }
            let key = format!("a{:03}", keys.len() + 1);
            workspace.write(&format!("corpus/{key}.txt"), &format!("{key}\n\n{}\n", row.source_text));
            keys.insert(&row.source_text, key.clone());
            key
        })
        .collect()
}

/// A note of one paragraph per claim: claim `i` stands on line `2 i` (0-based).
fn note(rows: &[Row], keys: &[String], cited: bool) -> String {
    let paragraphs: Vec<String> = rows
        .iter()
        .zip(keys)
        .map(|(row, key)| {
            let claim = row.claim.split_whitespace().collect::<Vec<_>>().join(" ");
            if cited {
                cite_every_sentence(&claim, key)
            } else {
                claim
            }
        })
        .collect();
    paragraphs.join("\n\n") + "\n"
}

/// The claim with `[@key]` after each of its sentences, as the note parser splits them.
fn cite_every_sentence(claim: &str, key: &str) -> String {
    let sentences = Note::parse("/claim.md", claim).sentences;
    if sentences.is_empty() {
        return format!("{claim} [@{key}]");
    }
    let mut cited = claim.to_string();
    for sentence in sentences.iter().rev() {
        cited.insert_str(sentence.span.end, &format!(" [@{key}]"));
    }
    cited
}

/// The `figure-*` warnings and errors of `check --format json`, by the claim whose line they touch.
fn flagged_claims(workspace: &Workspace, note_name: &str, claims: usize) -> BTreeMap<usize, Vec<String>> {
    let output = Command::new(binary())
        .args(["check", "--no-cache", "--corpus", "corpus", "--format", "json", "--fail-on", "never", note_name])
        .current_dir(workspace.root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "check failed ({}): {stderr}", output.status);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["version"], 1);
    let mut flagged: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for diagnostic in report["diagnostics"].as_array().unwrap() {
        let code = diagnostic["code"].as_str().unwrap_or("");
        let severity = diagnostic["severity"].as_str().unwrap_or("");
        if !code.starts_with("figure-") || !matches!(severity, "warning" | "error") {
            continue;
        }
        let range = &diagnostic["range"];
        let (start, end) = (range["start"]["line"].as_u64().unwrap() as usize, range["end"]["line"].as_u64().unwrap() as usize);
        for line in (start..=end).filter(|line| line % 2 == 0 && line / 2 < claims) {
            flagged.entry(line / 2).or_default().push(format!("{code}: {}", diagnostic["message"].as_str().unwrap_or("")));
        }
    }
    flagged
}

/// The scores of one mode.
#[derive(Default)]
struct Score {
    true_positives: usize,
    false_positives: usize,
    false_negatives: usize,
    true_negatives: usize,
    /// Per kind of changed number: (contradictions flagged, contradictions).
    recall_by_error_type: BTreeMap<String, (usize, usize)>,
}

impl Score {
    fn of(rows: &[Row], flagged: &BTreeMap<usize, Vec<String>>) -> Score {
        let mut score = Score::default();
        for (index, row) in rows.iter().enumerate() {
            let is_flagged = flagged.contains_key(&index);
            match (row.contradiction, is_flagged) {
                (true, true) => score.true_positives += 1,
                (false, true) => score.false_positives += 1,
                (true, false) => score.false_negatives += 1,
                (false, false) => score.true_negatives += 1,
            }
            if row.contradiction {
                let entry = score.recall_by_error_type.entry(row.error_type.clone()).or_default();
                entry.0 += usize::from(is_flagged);
                entry.1 += 1;
            }
        }
        score
    }

    fn precision(&self) -> f64 {
        self.true_positives as f64 / (self.true_positives + self.false_positives).max(1) as f64
    }

    fn recall(&self) -> f64 {
        self.true_positives as f64 / (self.true_positives + self.false_negatives).max(1) as f64
    }

    fn true_negative_rate(&self) -> f64 {
        self.true_negatives as f64 / (self.true_negatives + self.false_positives).max(1) as f64
    }

    fn balanced_accuracy(&self) -> f64 {
        (self.recall() + self.true_negative_rate()) / 2.0
    }
}

#[test]
fn figure_findings_on_numeric_dev_claims() {
    let rows = rows();
    let contradictions = rows.iter().filter(|r| r.contradiction).count();
    assert_eq!(rows.len(), 148, "the data set has 148 rows");
    assert_eq!(contradictions, 74, "half of the rows are contradictions");
    let workspace = Workspace::empty();
    let keys = write_corpus(&workspace, &rows);
    let articles = keys.iter().collect::<std::collections::BTreeSet<_>>().len();
    let sentences: usize = rows.iter().map(|row| Note::parse("/claim.md", &row.claim).sentences.len().max(1)).sum();
    let citations = Note::parse("/cited.md", &note(&rows, &keys, true)).citations.len();
    assert_eq!(citations, sentences, "the cited note cites every sentence of every claim");
    println!("numeric-dev: {} claims ({contradictions} contradictions) in {sentences} sentences, {articles} articles", rows.len());

    let mut scores = Vec::new();
    for (mode, cited) in [("cited", true), ("uncited", false)] {
        let note_name = format!("{mode}.md");
        workspace.write(&note_name, &note(&rows, &keys, cited));
        let flagged = flagged_claims(&workspace, &note_name, rows.len());
        for (index, messages) in &flagged {
            if !rows[*index].contradiction {
                println!("  {mode}: false alarm on {}: {}", rows[*index].id, messages.join("; "));
            }
        }
        for (index, row) in rows.iter().enumerate() {
            if row.contradiction && !flagged.contains_key(&index) {
                println!("  {mode}: missed {} [@{}] ({}): {}", row.id, keys[index], row.error_type, row.claim.trim());
            }
        }
        scores.push((mode, Score::of(&rows, &flagged)));
    }

    println!("\n| mode | TP | FP | FN | TN | precision | recall | balanced accuracy |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (mode, score) in &scores {
        println!(
            "| {mode} | {} | {} | {} | {} | {:.3} | {:.3} | {:.3} |",
            score.true_positives,
            score.false_positives,
            score.false_negatives,
            score.true_negatives,
            score.precision(),
            score.recall(),
            score.balanced_accuracy()
        );
    }
    println!("\n| recall by changed number | {} |", scores.iter().map(|(mode, _)| *mode).collect::<Vec<_>>().join(" | "));
    println!("| --- |{}", " ---: |".repeat(scores.len()));
    for error_type in scores[0].1.recall_by_error_type.keys() {
        let cells: Vec<String> = scores
            .iter()
            .map(|(_, score)| {
                let (flagged, total) = score.recall_by_error_type[error_type];
                format!("{flagged}/{total}")
            })
            .collect();
        println!("| {error_type} | {} |", cells.join(" | "));
    }
    println!();
    if let Some(out) = std::env::var_os("NOTEPROOF_EVAL_OUT") {
        copy_tree(&workspace.root(), std::path::Path::new(&out));
    }

    for (mode, score) in &scores {
        let (balanced_accuracy, precision, recall) = (score.balanced_accuracy(), score.precision(), score.recall());
        assert!(
            balanced_accuracy >= MIN_BALANCED_ACCURACY,
            "{mode}: balanced accuracy {balanced_accuracy:.3} below {MIN_BALANCED_ACCURACY}"
        );
        assert!(precision >= MIN_PRECISION, "{mode}: precision {precision:.3} below {MIN_PRECISION}");
        assert!(recall >= MIN_RECALL, "{mode}: recall {recall:.3} below {MIN_RECALL}");
    }
}

/// Keeps the evaluation's corpus and notes (`NOTEPROOF_EVAL_OUT=DIR`) for `noteproof check` by hand.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
