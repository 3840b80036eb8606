//! Timing aid (not shipped): where a warm start's time goes. cargo run --release --example warm_timing -- ROOT
fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let config = noteproof::workspace::Config::default();
    let mut warnings = Vec::new();
    let started = std::time::Instant::now();
    let sources = noteproof::workspace::files::load_corpus(&root, &config.corpus_dirs(&root), noteproof::workspace::files::Limits::of(&config), &mut warnings);
    eprintln!("read {} files: {:.2} s", sources.len(), started.elapsed().as_secs_f64());
    let bytes = std::fs::read(root.join(".noteproof/index.bin")).unwrap();
    let started = std::time::Instant::now();
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    eprintln!("cache file {} MB, hashed in {:.2} s ({hash})", bytes.len() / 1_000_000, started.elapsed().as_secs_f64());
    drop(sources);
    let started = std::time::Instant::now();
    let (corpus, report) = noteproof::workspace::cache::load_corpus(&root, &config, &mut warnings);
    eprintln!("warm load: {:.2} s, {report:?}, {} articles", started.elapsed().as_secs_f64(), corpus.len());
}
