//! Profiling aid (not shipped): loads a corpus and checks one note many times.
//! cargo run --release --example profile_check -- CORPUS_ROOT NOTE [RUNS]
//! (QUOTES=1: time hovers on quotations; WORDS=1: hovers on the first word of every sentence;
//! INDEX=1: load through the index file; PRELOAD=1: read every statement before checking)
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = std::path::PathBuf::from(&args[0]);
    let config = noteproof::workspace::Config::default();
    let mut warnings = Vec::new();
    // INDEX=1: through the index file, as an editor starts (statements decoded on first use).
    let corpus = if std::env::var("INDEX").is_ok() {
        noteproof::workspace::cache::load_corpus(&root, &config, &mut warnings).0
    } else {
        noteproof::workspace::load_corpus_dirs(&root, &config, &mut warnings)
    };
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
    if std::env::var("WORDS").is_ok() {
        let note = noteproof::analysis::note::Note::parse("/n.md", &text);
        // As in the editor: the diagnostics pass has run before anyone hovers, and the server hands
        // its findings to the hover (GIVEN=0: the hover checks the sentence itself).
        let blocks = noteproof::analysis::checks::diagnostics::check_blocks(
            &corpus,
            &note,
            &mut noteproof::analysis::checks::diagnostics::BlockCache::default(),
            &noteproof::analysis::cancel::CancelToken::never(),
        )
        .expect("never cancelled");
        let given = std::env::var("GIVEN").map_or(true, |v| v != "0");
        // The first word of every sentence: a plain word unless it is a figure or a citation.
        let offsets: Vec<usize> = note.sentences.iter().map(|s| s.span.start).collect();
        let mut times: Vec<f64> = Vec::new();
        let mut slowest: Vec<(f64, usize)> = Vec::new();
        for _ in 0..runs {
            for &offset in &offsets {
                let one = std::time::Instant::now();
                let known = given.then_some(blocks.as_slice());
                std::hint::black_box(noteproof::analysis::ide::hover::hover_given(&corpus, &note, offset, known));
                times.push(one.elapsed().as_secs_f64() * 1000.0);
                slowest.push((one.elapsed().as_secs_f64() * 1000.0, offset));
            }
        }
        slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
        for (time, offset) in slowest.iter().take(4) {
            let line = note.text[*offset..].lines().next().unwrap_or("");
            eprintln!("{time:.2} ms  {}", line.chars().take(150).collect::<String>());
        }
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
        eprintln!("{} hovers on sentences' first words: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms", times.len(), at(0.5), at(0.99), at(1.0));
        return;
    }
    if std::env::var("PRELOAD").is_ok() {
        let started = std::time::Instant::now();
        corpus.read_all_statements();
        eprintln!("{:.1} ms to read every statement", started.elapsed().as_secs_f64() * 1000.0);
    }
    let started = std::time::Instant::now();
    for run in 0..runs {
        let one = std::time::Instant::now();
        let note = noteproof::analysis::note::Note::parse("/n.md", &text);
        std::hint::black_box(noteproof::analysis::checks::diagnostics::check_note(&corpus, &note));
        if run == 0 {
            // The first check reads the statements of every article it needs; later ones find them.
            eprintln!("{:.1} ms the first check", one.elapsed().as_secs_f64() * 1000.0);
        }
    }
    eprintln!("{:.1} ms per check", started.elapsed().as_secs_f64() * 1000.0 / runs as f64);
}
