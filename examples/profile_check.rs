//! Profiling aid (not shipped): loads a corpus and checks one note many times.
//! cargo run --release --example profile_check -- CORPUS_ROOT NOTE [RUNS]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = std::path::PathBuf::from(&args[0]);
    let config = noteproof::workspace::Config::default();
    let mut warnings = Vec::new();
    let corpus = noteproof::workspace::load_corpus_dirs(&root, &config, &mut warnings);
    let text = std::fs::read_to_string(&args[1]).unwrap();
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    if std::env::var("QUOTES").is_ok() {
        let note = noteproof::analysis::note::Note::parse("/n.md", &text);
        // As in the editor: diagnostics have located every quotation before anyone hovers.
        std::hint::black_box(noteproof::analysis::checks::diagnostics::check_note(&corpus, &note));
        let started = std::time::Instant::now();
        let mut slowest: Vec<(std::time::Duration, String)> = Vec::new();
        for _ in 0..runs {
            for quote in &note.quotes {
                let one = std::time::Instant::now();
                std::hint::black_box(noteproof::analysis::checks::quotes::hover(&corpus, &note, quote));
                slowest.push((one.elapsed(), note.text[quote.inner.clone()].to_string()));
            }
        }
        slowest.sort();
        for (time, quote) in slowest.iter().rev().take(5) {
            eprintln!("{:.2} ms  {quote}", time.as_secs_f64() * 1000.0);
        }
        eprintln!("{:.3} ms per quotation hover", started.elapsed().as_secs_f64() * 1000.0 / (runs * note.quotes.len()) as f64);
        return;
    }
    let started = std::time::Instant::now();
    for _ in 0..runs {
        let note = noteproof::analysis::note::Note::parse("/n.md", &text);
        std::hint::black_box(noteproof::analysis::checks::diagnostics::check_note(&corpus, &note));
    }
    eprintln!("{:.1} ms per check", started.elapsed().as_secs_f64() * 1000.0 / runs as f64);
}
