//! `cargo bench --bench documents`: indexing saved web pages and PDFs beside plain text.
//!
//! Takes the first `DOCUMENTS_ARTICLES` (default 300) articles of `$BENCH_DATA` (default
//! `bench-data/10000`, made by `scripts/bench`) and writes each three ways into a temporary
//! folder: as `.txt`; as a saved web page (the copy in `<p>`s inside a page with navigation,
//! scripts, JSON-LD, related links and comments, as browsers save them); as a PDF (Helvetica, 50
//! lines of 90 characters a page). Then reads and indexes each folder cold, three times, and
//! prints the best time as MB/s of files read and of article text indexed.

#[path = "../tests/common/pdf.rs"]
#[allow(dead_code)]
mod pdf;

use std::path::Path;
use std::time::Instant;

use noteproof::analysis::checks::Snapshot;
use noteproof::workspace::files::{load_corpus, Limits};

fn page(title: &str, paragraphs: &[&str], n: usize) -> String {
    let mut html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} – Example Wire</title>\n\
         <meta property=\"og:site_name\" content=\"Example Wire\"><meta property=\"article:published_time\" content=\"2024-03-{:02}T08:00:00Z\">\n\
         <script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"headline\":\"{title}\"}}</script>\n\
         <script>window.ads = [1, 2, 3]; function track(e) {{ return e; }}</script><style>body {{ font: 16px serif }}</style></head>\n\
         <body><header><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/business\">Business</a> <a href=\"/sport\">Sport</a></nav></header>\n\
         <div class=\"cookie-banner\">We use cookies. <button>Accept</button></div>\n<main><article><h1>{title}</h1>\n<p class=\"byline\">By Staff Reporter</p>\n",
        1 + n % 28
    );
    for paragraph in paragraphs {
        html.push_str(&format!("<p>{}</p>\n", paragraph.replace('&', "&amp;")));
    }
    html.push_str(
        "</article><aside class=\"related\"><h2>Related</h2><ul><li><a href=\"/a\">Markets fall 2% on rate fears</a></li>\
         <li><a href=\"/b\">Storm leaves 40,000 without power</a></li></ul></aside>\n\
         <section id=\"comments\"><h2>Comments</h2><p>reader1: this is wrong, it was 500!</p></section></main>\n\
         <footer><p>© 2024 Example Wire</p></footer></body></html>\n",
    );
    html
}

/// The copy as PDF pages of 50 lines, each line at most 90 characters.
fn pdf_lines(text: &str) -> Vec<Vec<String>> {
    let mut lines = Vec::new();
    for paragraph in text.split("\n\n") {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if line.len() + word.len() > 90 {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
        lines.push(String::new());
    }
    lines.chunks(50).map(|page| page.to_vec()).collect()
}

fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir).unwrap().flatten().map(|e| e.metadata().unwrap().len()).sum()
}

fn main() {
    let data = std::env::var("BENCH_DATA").unwrap_or_else(|_| "bench-data/10000".into());
    let wanted: usize = std::env::var("DOCUMENTS_ARTICLES").ok().and_then(|n| n.parse().ok()).unwrap_or(300);
    let seeds = Path::new(&data).join("seeds");
    let mut inputs: Vec<_> = std::fs::read_dir(&seeds)
        .unwrap_or_else(|_| panic!("no corpus at {}; run scripts/bench", seeds.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    inputs.sort();
    inputs.truncate(wanted);
    let scratch = tempfile::tempdir().unwrap();
    for kind in ["txt", "html", "pdf"] {
        std::fs::create_dir_all(scratch.path().join(kind)).unwrap();
    }
    for (n, input) in inputs.iter().enumerate() {
        let text = std::fs::read_to_string(input).unwrap();
        let stem = input.file_stem().unwrap().to_string_lossy();
        let (title, body) = text.split_once("\n\n").unwrap_or((&text, ""));
        std::fs::write(scratch.path().join("txt").join(format!("{stem}.txt")), &text).unwrap();
        let paragraphs: Vec<&str> = body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
        std::fs::write(scratch.path().join("html").join(format!("{stem}.html")), page(title.trim(), &paragraphs, n)).unwrap();
        let pages = pdf_lines(&text);
        let pages: Vec<Vec<&str>> = pages.iter().map(|page| page.iter().map(String::as_str).collect()).collect();
        let pages: Vec<&[&str]> = pages.iter().map(Vec::as_slice).collect();
        std::fs::write(scratch.path().join("pdf").join(format!("{stem}.pdf")), pdf::pdf(Some(title.trim()), &pages)).unwrap();
    }
    println!("## Indexing by kind of file ({} articles each, {} threads, best of 3, cold)\n", inputs.len(), rayon::current_num_threads());
    println!("| kind | files MB | text MB | time | MB/s of files | MB/s of text |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    for kind in ["txt", "html", "pdf"] {
        let dir = scratch.path().join(kind);
        let bytes = folder_bytes(&dir);
        let mut best = f64::MAX;
        let mut text_bytes = 0usize;
        for _ in 0..3 {
            let started = Instant::now();
            let mut warnings = Vec::new();
            let sources = load_corpus(scratch.path(), std::slice::from_ref(&dir), Limits::default(), &mut warnings);
            text_bytes = sources.iter().map(|s| s.text.len()).sum();
            let count = sources.len();
            let corpus = Snapshot::build(sources, vec![dir.to_string_lossy().into_owned()]);
            best = best.min(started.elapsed().as_secs_f64());
            assert_eq!(count, inputs.len(), "{kind}: every file read: {warnings:?}");
            std::hint::black_box(corpus.len());
        }
        let mb = |b: f64| b / 1_000_000.0;
        println!(
            "| {kind} | {:.1} | {:.1} | {:.2} s | {:.1} | {:.1} |",
            mb(bytes as f64),
            mb(text_bytes as f64),
            best,
            mb(bytes as f64) / best,
            mb(text_bytes as f64) / best
        );
    }
}
