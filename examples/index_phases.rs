//! Profiling aid (not shipped): where cold indexing's time goes, phase by phase.
//! cargo run --release --example index_phases -- CORPUS_ROOT [RUNS]
use std::sync::Arc;
use std::time::Instant;

use noteproof::analysis::checks::figures::lexicon::Lexicon;
use noteproof::analysis::checks::Snapshot;
use noteproof::analysis::corpus::Corpus;
use noteproof::workspace::{self, files};

/// CPU seconds this process has used (user + system), from /proc: on a shared machine, CPU time
/// moves far less with other load than elapsed time does.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// This process's resident memory, MB, from /proc.
fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    kb.unwrap_or(0.0) / 1024.0
}

/// Bytes the allocator holds for live allocations, MB (glibc; resident memory also counts what
/// was freed and not returned).
fn heap_mb() -> f64 {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallinfo2 only reads the allocator's counters.
    let bytes = {
        let info = unsafe { libc::mallinfo2() };
        (info.uordblks + info.hblkhd) as f64
    };
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let bytes = 0.0;
    bytes / 1e6
}

/// How many statements the snapshot holds, how many bytes their lists take, and how many they
/// take serialised as the index file holds them.
fn statement_bytes(snapshot: &Snapshot) -> (usize, usize, usize) {
    let (mut count, mut bytes, mut serialised) = (0, 0, 0);
    for (id, _) in snapshot.corpus().live() {
        let statements = snapshot.statements(id);
        count += statements.len();
        bytes += std::mem::size_of_val(statements);
        serialised += postcard::to_stdvec(statements).map_or(0, |b| b.len());
    }
    (count, bytes, serialised)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = std::path::PathBuf::from(&args[0]);
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let config = workspace::Config::default();
    let dirs = config.corpus_dirs(&root);
    let mut best = [f64::MAX; 4];
    let mut best_cpu = [f64::MAX; 3];
    let mut bytes = 0;
    for _ in 0..runs {
        let mut warnings = Vec::new();
        let cpu = cpu_seconds();
        let started = Instant::now();
        let rss_start = rss_mb();
        let sources = files::load_corpus(&root, &dirs, files::Limits::of(&config), &mut warnings);
        bytes = sources.iter().map(|s| s.text.len()).sum::<usize>();
        let read = started.elapsed().as_secs_f64();
        let cpu_read = cpu_seconds();
        let started = Instant::now();
        let corpus = Corpus::build(sources, vec![]);
        let parsed_and_indexed = started.elapsed().as_secs_f64();
        let cpu_indexed = cpu_seconds();
        let (rss_indexed, heap_indexed) = (rss_mb(), heap_mb());
        let started = Instant::now();
        let snapshot = Snapshot::new(corpus, Lexicon::default());
        // Read on first use; every article's, as the fact sheet reads them.
        snapshot.read_all_statements();
        let figures = started.elapsed().as_secs_f64();
        let (rss_read, heap_read) = (rss_mb(), heap_mb());
        let (count, bytes, serialised) = statement_bytes(&snapshot);
        let (words, phrases, word_bytes) = noteproof::analysis::text::interned::interned();
        println!("interned: {words} words ({:.1} MB of text), {phrases} phrases", word_bytes as f64 / 1e6);
        println!(
            "RSS (heap in use): {rss_start:.0} MB at the start, {rss_indexed:.0} ({heap_indexed:.0}) MB indexed, {rss_read:.0} ({heap_read:.0}) MB with every statement; {count} statements ({} B each, {:.0} MB; {:.0} MB serialised)",
            std::mem::size_of::<noteproof::analysis::checks::figures::Statement>(),
            bytes as f64 / 1e6,
            serialised as f64 / 1e6
        );
        for (slot, value) in best_cpu.iter_mut().zip([cpu_read - cpu, cpu_indexed - cpu_read, cpu_seconds() - cpu_indexed]) {
            *slot = slot.min(value);
        }
        std::hint::black_box(Arc::new(snapshot));
        let total = read + parsed_and_indexed + figures;
        for (slot, value) in best.iter_mut().zip([read, parsed_and_indexed, figures, total]) {
            *slot = slot.min(value);
        }
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "{mb:.1} MB of text, {} threads: read {:.2} s | parse + search index {:.2} s | every figure statement {:.2} s | total {:.2} s ({:.1} MB/s), index without statements {:.1} MB/s",
        rayon::current_num_threads(),
        best[0],
        best[1],
        best[2],
        best[3],
        mb / best[3],
        mb / (best[0] + best[1])
    );
    println!("CPU seconds: read {:.2} | parse + search index {:.2} | every figure statement {:.2}", best_cpu[0], best_cpu[1], best_cpu[2]);
}
