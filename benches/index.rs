//! `cargo bench --bench index`: indexing and batch throughput on generated corpora.
//!
//! For each corpus in `$BENCH_DATA_ROOT` (default `bench-data/`: folders named by article count,
//! made by `scripts/bench`): the floor (read every corpus byte and scan it with one compiled
//! regex), the cold index (read, parse, split sentences, index; figure statements are read on
//! first use), what reading every figure statement adds, the warm start from the persisted index
//! (which holds every statement), and `check` throughput over the throughput notes. Prints
//! markdown tables.

use std::path::{Path, PathBuf};
use std::time::Instant;

use noteproof::analysis::checks::diagnostics::check_note;
use noteproof::analysis::note::Note;
use noteproof::workspace::{self, Config};

fn corpus_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if workspace::is_article_file(&path) {
                files.push(path);
            }
        }
    }
    files
}

/// The floor: read every byte and run one compiled regex over it (single-threaded, like a grep).
fn floor(dir: &Path) -> (f64, u64) {
    let pattern = regex::bytes::Regex::new(r"\b[0-9][0-9,.]*\b").unwrap();
    let started = Instant::now();
    let mut bytes = 0u64;
    let mut matches = 0usize;
    for path in corpus_files(dir) {
        let data = std::fs::read(&path).unwrap();
        bytes += data.len() as u64;
        matches += pattern.find_iter(&data).count();
    }
    std::hint::black_box(matches);
    (started.elapsed().as_secs_f64(), bytes)
}

fn main() {
    let data_root = PathBuf::from(std::env::var("BENCH_DATA_ROOT").unwrap_or_else(|_| "bench-data".into()));
    let mut sizes: Vec<(usize, PathBuf)> = std::fs::read_dir(&data_root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_string_lossy().parse().ok()?, e.path())))
        .filter(|(_, path): &(usize, PathBuf)| path.join("seeds").is_dir())
        .collect();
    sizes.sort();
    if sizes.is_empty() {
        eprintln!("no corpora under {}; run scripts/bench", data_root.display());
        std::process::exit(2);
    }
    println!("## Indexing (in-process, {} threads)\n", rayon::current_num_threads());
    println!(
        "| articles | corpus MB | floor s | cold s | MB/s | cold / floor | every statement s | warm s | warm / cold |\n|---|---|---|---|---|---|---|---|---|"
    );
    let config = Config { corpus: vec!["seeds".into()], ..Config::default() };
    for (count, root) in &sizes {
        let (floor_seconds, bytes) = floor(&root.join("seeds"));
        let mut warnings = Vec::new();
        let started = Instant::now();
        let corpus = workspace::load_corpus_dirs(root, &config, &mut warnings);
        let cold = started.elapsed().as_secs_f64();
        // Statements are read on first use; what reading all of them costs (as the index file,
        // written aside, and the fact sheet do).
        let started = Instant::now();
        corpus.read_all_statements();
        let statements = started.elapsed().as_secs_f64();
        noteproof::workspace::cache::save(root, &noteproof::workspace::Config::default(), &corpus).unwrap();
        drop(corpus);
        let started = Instant::now();
        let (warm_corpus, report) = noteproof::workspace::cache::load_corpus(root, &config, &mut warnings);
        let warm = started.elapsed().as_secs_f64();
        assert_eq!(report.parsed, 0, "the warm start parsed articles: {report:?}");
        drop(warm_corpus);
        println!(
            "| {count} | {:.1} | {floor_seconds:.2} | {cold:.2} | {:.1} | {:.1}× | {statements:.2} | {warm:.3} | {:.1}% |",
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / cold,
            cold / floor_seconds,
            100.0 * warm / cold
        );
    }
    // Throughput: the notes of the throughput corpus (1,000 notes), checked one after the other.
    let throughput = data_root.join("throughput");
    if throughput.join("seeds").is_dir() {
        let mut warnings = Vec::new();
        let corpus = workspace::load_corpus_dirs(&throughput, &config, &mut warnings);
        let notes: Vec<(String, String)> = std::fs::read_dir(throughput.join("notes"))
            .unwrap()
            .flatten()
            .map(|e| (e.path().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap()))
            .collect();
        let lines: usize = notes.iter().map(|(_, text)| text.lines().count()).sum();
        let started = Instant::now();
        let findings: usize = notes.iter().map(|(path, text)| check_note(&corpus, &Note::parse(path, text)).len()).sum();
        let seconds = started.elapsed().as_secs_f64();
        println!("\n## check throughput\n\n| notes | lines | articles | findings | seconds | lines / s |\n|---|---|---|---|---|---|");
        println!("| {} | {lines} | {} | {findings} | {seconds:.2} | {:.0} |", notes.len(), corpus.len(), lines as f64 / seconds);
    }
}
