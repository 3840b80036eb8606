//! `cargo bench --bench analysis`: latencies of the analysis core on a generated corpus.
//!
//! Reads the corpus in `$BENCH_DATA` (default `bench-data/10000`, made by
//! `scripts/bench`), then times, over many positions of its 1,000- and
//! 10,000-line notes: a full check, a re-check after a one-character edit,
//! hover and definition (split by what is under the cursor), one quotation's
//! verdict, and evidence for a plain sentence. Prints p50/p99 in milliseconds.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use noteproof::analysis::cancel::CancelToken;
use noteproof::analysis::checks::diagnostics::{check_note, check_note_cached, BlockCache};
use noteproof::analysis::checks::evidence;
use noteproof::analysis::checks::quotes;
use noteproof::analysis::checks::Snapshot;
use noteproof::analysis::ide::definition;
use noteproof::analysis::ide::hover;
use noteproof::analysis::note::Note;
use noteproof::convert::Encoding;
use noteproof::lsp::diagnostics::DiagnosticsCache;
use noteproof::lsp::to_proto;
use noteproof::workspace::{self, Config};

/// Enough samples for a stable p99, few enough to finish in minutes on two cores.
const SAMPLES: usize = 300;

struct Timings(Vec<Duration>);

impl Timings {
    fn percentile(&self, p: f64) -> f64 {
        let mut sorted: Vec<Duration> = self.0.clone();
        sorted.sort();
        let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
        sorted.get(index).map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0)
    }

    fn row(&self, what: &str) {
        println!(
            "| {what} | {} | {:.3} | {:.3} | {:.3} |",
            self.0.len(),
            self.percentile(0.5),
            self.percentile(0.99),
            self.percentile(1.0)
        );
    }
}

fn time<R>(work: impl FnOnce() -> R) -> (R, Duration) {
    let started = Instant::now();
    let result = work();
    (result, started.elapsed())
}

/// Evenly spread indexes, at most `count`.
fn spread(len: usize, count: usize) -> impl Iterator<Item = usize> {
    let step = (len / count.max(1)).max(1);
    (0..len).step_by(step).take(count)
}

fn note_file(data: &Path, lines: usize) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(data.join("notes")).ok()?.filter_map(|e| e.ok().map(|e| e.path())).collect();
    found.sort();
    found.into_iter().find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&format!("note_{lines}_"))))
}

fn bench_note(corpus: &Snapshot, path: &Path, lines: usize) {
    let text = std::fs::read_to_string(path).unwrap();
    let note = Note::parse("/n.md", &text);
    println!(
        "\n### {lines}-line note ({} sentences, {} citations, {} quotations)\n",
        note.sentences.len(),
        note.citations.len(),
        note.quotes.len()
    );
    println!("| operation | samples | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|");
    let runs = if lines >= 10_000 { 5 } else { 20 };
    Timings((0..runs).map(|_| time(|| check_note(corpus, &Note::parse("/n.md", &text))).1).collect())
        .row("full check (parse + every finding)");
    Timings((0..runs).map(|_| time(|| Note::parse("/n.md", &text)).1).collect()).row("parse only");
    // Typing: one character inserted in a sentence, then parse and re-check with the block cache.
    let mut cache = BlockCache::default();
    check_note_cached(corpus, &note, &mut cache, &CancelToken::never()).unwrap();
    let mut edited = text.clone();
    let edits: Vec<Duration> = spread(note.sentences.len(), SAMPLES.min(100))
        .enumerate()
        .map(|(inserted, i)| {
            // Sentences come in order, so every earlier insertion (one byte each) lies before this one.
            let at = note.sentences[i].span.start + inserted;
            let at = at + edited[at..].find(' ').unwrap_or(0);
            edited.insert(at, 'x');
            time(|| check_note_cached(corpus, &Note::parse("/n.md", &edited), &mut cache, &CancelToken::never())).1
        })
        .collect();
    Timings(edits).row("re-check after a one-character edit (parse + changed blocks)");
    server_diagnostics_after_edits(corpus, &text, &note);

    let mut by_kind: [(&str, Vec<usize>); 4] =
        [("citation", vec![]), ("quotation", vec![]), ("figure", vec![]), ("plain sentence", vec![])];
    by_kind[0].1 = spread(note.citations.len(), SAMPLES).map(|i| note.citations[i].span.start + 1).collect();
    by_kind[1].1 = spread(note.quotes.len(), SAMPLES).map(|i| note.quotes[i].inner.start + 1).collect();
    let figures = noteproof::analysis::checks::figures::check::note_statements(corpus, &note);
    by_kind[2].1 = spread(figures.len(), SAMPLES).map(|i| figures[i].value_span.start).collect();
    let plain: Vec<usize> = note
        .sentences
        .iter()
        .filter(|s| note.citations.iter().all(|c| c.span.start >= s.span.end || c.span.end <= s.span.start))
        .map(|s| s.span.start + 1)
        .collect();
    by_kind[3].1 = spread(plain.len(), SAMPLES).map(|i| plain[i]).collect();
    for (kind, offsets) in &by_kind {
        Timings(offsets.iter().map(|&o| time(|| hover::hover(corpus, &note, o)).1).collect()).row(&format!("hover on a {kind}"));
        Timings(offsets.iter().map(|&o| time(|| definition::definition(corpus, &note, o)).1).collect())
            .row(&format!("definition on a {kind}"));
    }
    let quote_samples: Vec<Duration> = spread(note.quotes.len(), SAMPLES)
        .map(|i| {
            let quote = &note.quotes[i];
            time(|| quotes::hover(corpus, &note, quote)).1
        })
        .collect();
    Timings(quote_samples).row("quotation verdict and where it is (hover)");
    let evidence_samples: Vec<Duration> =
        spread(note.sentences.len(), SAMPLES).map(|i| time(|| evidence::supporting(corpus, &note, i, 3)).1).collect();
    Timings(evidence_samples).row("evidence for a sentence (BM25, top 3)");
}

/// What the server does after each one-character edit: re-check the changed blocks and convert
/// the findings to LSP diagnostics, as before the per-block caches (every finding copied into one
/// list and converted) or now (`DiagnosticsCache`: only the changed blocks' findings converted,
/// no list); then the JSON of the result.
/// The two ways alternate which goes first, as the first warms the quotation memo for the second.
fn server_diagnostics_after_edits(corpus: &Snapshot, text: &str, note: &Note) {
    let never = CancelToken::never();
    let mut findings_only = BlockCache::default();
    let mut per_block = DiagnosticsCache::default();
    check_note_cached(corpus, note, &mut findings_only, &never).unwrap();
    let first = per_block.diagnose(corpus, note, Encoding::Utf16, &never).unwrap();
    let bytes = serde_json::to_vec(&first.diagnostics).unwrap().len();
    let (mut every, mut reused, mut json) = (Vec::new(), Vec::new(), Vec::new());
    let mut edited = text.to_string();
    for (inserted, i) in spread(note.sentences.len(), SAMPLES.min(100)).enumerate() {
        let at = note.sentences[i].span.start + inserted;
        let at = at + edited[at..].find(' ').unwrap_or(0);
        edited.insert(at, 'x');
        let note = Note::parse("/n.md", &edited);
        let mut convert_every = || {
            let findings = check_note_cached(corpus, &note, &mut findings_only, &never).unwrap();
            findings.iter().map(|f| to_proto::diagnostic(f, &note, corpus, Encoding::Utf16)).collect::<Vec<_>>()
        };
        let mut convert_changed = || time(|| per_block.diagnose(corpus, &note, Encoding::Utf16, &never).unwrap());
        let diagnosed = if inserted % 2 == 0 {
            every.push(time(&mut convert_every).1);
            let (diagnosed, elapsed) = convert_changed();
            reused.push(elapsed);
            diagnosed
        } else {
            let (diagnosed, elapsed) = convert_changed();
            reused.push(elapsed);
            every.push(time(&mut convert_every).1);
            diagnosed
        };
        json.push(time(|| serde_json::to_vec(&diagnosed.diagnostics).unwrap()).1);
    }
    Timings(every).row(&format!("server: re-check, list and convert all {} findings after an edit (before)", first.diagnostics.len()));
    Timings(reused).row("server: re-check and convert the changed blocks' findings (`DiagnosticsCache`)");
    Timings(json).row(&format!("server: the diagnostics as JSON ({} KB)", bytes / 1024));
}

fn main() {
    let data = PathBuf::from(std::env::var("BENCH_DATA").unwrap_or_else(|_| "bench-data/10000".into()));
    if !data.join("seeds").is_dir() {
        eprintln!("no corpus at {}; run scripts/bench (it generates one)", data.display());
        std::process::exit(2);
    }
    let config = Config { corpus: vec!["seeds".into()], ..Config::default() };
    let mut warnings = Vec::new();
    let (corpus, elapsed) = time(|| workspace::load_corpus_dirs(&data, &config, &mut warnings));
    println!("## Analysis latencies on {} ({} articles; in-process load {:.2} s)", data.display(), corpus.len(), elapsed.as_secs_f64());
    for lines in [1000, 10_000] {
        if let Some(path) = note_file(&data, lines) {
            bench_note(&corpus, &path, lines);
        }
    }
}
