//! gen_corpus — deterministic benchmark corpus generator for noteproof.
//!
//! Writes a corpus of synthetic but realistic news articles, a set of markdown
//! research notes that cite them, and a manifest listing every fault planted in
//! the notes, so a checker can be scored (recall/precision) and timed.
//!
//! ```text
//! gen_corpus --articles N --out DIR [--seed S] [--notes-lines 100,1000,10000]
//!            [--notes-count K] [--force] [--real-copy PATH]... [--fault-scale F]
//!            [--clean-notes]
//! ```
//!
//! `--real-copy` (a text file or a folder of `.txt`/`.md`; `scripts/bench` passes the
//! seeds and the news articles of `tests/data/numeric-dev`) pads each article with background paragraphs of real news copy, its
//! figures and names rewritten, to lengths drawn like real news (median about 5 KB, a
//! long tail to 30 KB): prose as dense as reporters write it, with more numbers, names
//! and clauses per sentence than the generated copy. `--fault-scale` multiplies the
//! fault rates below (capped at 0.9), for notes with hundreds of findings; `--clean-notes`
//! adds `note_clean_<lines>_00.md`, the first note of each size without a fault.
//!
//! Output:
//! * `DIR/seeds/NNNNNN_<16 hex>.txt` (and ~5% `.md` with YAML front matter):
//!   one article each. Articles are grouped into events (attack, flood, ...),
//!   each reported by 3–12 outlets over several weeks with evolving figures,
//!   differently hedged numbers and slightly different quote translations.
//! * `DIR/notes/note_<lines>_<k>.md`: notes with pandoc citations `[@NNNNNN]`.
//! * `DIR/manifest.json`: counts, bytes, seed, content hash, planted faults.
//!
//! Faults, per note, each with a 0-based `line` and byte columns
//! `[start, end)`: `figure-contradiction` (span = the number with its hedge,
//! e.g. `150`, `about 150`, `March 23`; the value lies outside every statement
//! of that figure in the cited article, even with a ~10% tolerance),
//! `quote-not-found` (one word changed or dropped; span includes the quote
//! marks), `quote-wrong-source` (verbatim, but only in `found_in`, not in the
//! cited article), `unknown-source` (span = `@key`; ids `>= N` never exist).
//! Rates: ~10% of figures/dates, ~5% + ~3% of quotations, ~2% of keys; a claim
//! carries at most one fault. Notes quote with straight or curly marks (one
//! style per note), so checkers must fold ‘’“” to '" when matching.
//!
//! Design. Everything derives from `(seed, domain, index)` through independent
//! PRNG streams, so any event or article can be regenerated on demand and the
//! corpus never has to be held in memory. Each article is split into a *plan*
//! (the facts it states: which figures with which hedges, which quotes in which
//! translation, whether it names the date) and a *rendering* (the prose). Notes
//! only consult plans, which is how they know what each cited source says
//! without reading files back. std only; no crates.

// `x % n == 0` kept over `is_multiple_of` (Rust 1.87): noteproof's MSRV is 1.85.
#![allow(clippy::manual_is_multiple_of)]

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

const USAGE: &str = "usage: gen_corpus --articles N --out DIR [--seed S] \
[--notes-lines 100,1000,10000] [--notes-count K] [--force] [--real-copy PATH]... [--fault-scale F] [--clean-notes]";

/// Unknown citation keys are drawn from `[N, 999_999]`, so N must leave room.
const MAX_ARTICLES: u32 = 900_000;

// Fault rates in notes (per figure, per quotation, per cited key).
const P_FIGURE_WRONG: f64 = 0.10;
const P_MISQUOTE: f64 = 0.05;
const P_WRONG_SOURCE: f64 = 0.03;
const P_UNKNOWN_KEY: f64 = 0.02;

// ============================================================== CLI & main

// `pub(crate)`, with `generate`, `Summary` and `note_claims`: tests/generated_eval.rs includes this
// file as a module to score the checker against the planted faults.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) articles: u32,
    pub(crate) out: PathBuf,
    pub(crate) seed: u64,
    pub(crate) notes_lines: Vec<u32>,
    pub(crate) notes_count: u32,
    pub(crate) force: bool,
    /// Real copy to pad articles with (none: the generated copy only).
    pub(crate) real_copy: Vec<PathBuf>,
    /// Multiplies every fault rate of the notes (1: the rates above).
    pub(crate) fault_scale: f64,
    /// Also writes `note_clean_<lines>_00.md`, each note of the first kind without faults.
    pub(crate) clean_notes: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            articles: 0,
            out: PathBuf::new(),
            seed: 1,
            notes_lines: vec![100, 1000, 10000],
            notes_count: 10,
            force: false,
            real_copy: Vec::new(),
            fault_scale: 1.0,
            clean_notes: false,
        }
    }
}

fn parse_args(args: &[String]) -> Result<Config, String> {
    let mut articles = None;
    let mut out = None;
    let mut cfg = Config::default();
    let mut i = 0;
    while i < args.len() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match args[i].split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (args[i].clone(), None),
        };
        let mut value = || -> Result<String, String> {
            if let Some(v) = inline.clone() {
                return Ok(v);
            }
            i += 1;
            args.get(i).cloned().ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--articles" => articles = Some(parse_num::<u32>(&value()?, "--articles")?),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--seed" => cfg.seed = parse_num::<u64>(&value()?, "--seed")?,
            "--notes-count" => cfg.notes_count = parse_num::<u32>(&value()?, "--notes-count")?,
            "--notes-lines" => {
                let v = value()?;
                cfg.notes_lines = v
                    .split(',')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| parse_num::<u32>(s.trim(), "--notes-lines"))
                    .collect::<Result<_, _>>()?;
            }
            "--force" => cfg.force = true,
            "--real-copy" => cfg.real_copy.push(PathBuf::from(value()?)),
            "--fault-scale" => cfg.fault_scale = parse_num::<f64>(&value()?, "--fault-scale")?,
            "--clean-notes" => cfg.clean_notes = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
        i += 1;
    }
    cfg.articles = articles.ok_or("--articles is required")?;
    cfg.out = out.ok_or("--out is required")?;
    if cfg.articles == 0 || cfg.articles > MAX_ARTICLES {
        return Err(format!("--articles must be in 1..={MAX_ARTICLES}"));
    }
    if !(cfg.fault_scale.is_finite() && cfg.fault_scale >= 0.0) {
        return Err("--fault-scale must be a non-negative number".into());
    }
    if cfg.notes_lines.contains(&0) {
        return Err("--notes-lines values must be positive".into());
    }
    Ok(cfg)
}

fn parse_num<T: std::str::FromStr>(s: &str, what: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("{what}: not a number: {s:?}"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cfg = match parse_args(&args) {
        Ok(c) => c,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("error: {e}");
            }
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    let t0 = Instant::now();
    match generate(&cfg) {
        Ok(s) => println!(
            "gen_corpus: {} articles ({} events, {} md) | {} bytes ({:.1} MB) | {} notes, {} faults | {:.2} s | hash {:016x}",
            s.articles,
            s.events,
            s.md_articles,
            s.total_bytes,
            s.total_bytes as f64 / 1e6,
            s.notes,
            s.faults,
            t0.elapsed().as_secs_f64(),
            s.hash
        ),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}

pub(crate) struct Summary {
    pub(crate) articles: u32,
    pub(crate) events: u32,
    pub(crate) md_articles: u32,
    pub(crate) total_bytes: u64,
    pub(crate) notes: usize,
    pub(crate) faults: usize,
    pub(crate) hash: u64,
}

/// Generates the whole corpus under `cfg.out`. Returns counts and a hash of
/// every byte written (file names included), which is what determinism tests
/// and humans compare.
pub(crate) fn generate(cfg: &Config) -> io::Result<Summary> {
    let seeds_dir = cfg.out.join("seeds");
    let notes_dir = cfg.out.join("notes");
    prepare_dir(&seeds_dir, cfg.force, is_generated_article)?;
    prepare_dir(&notes_dir, cfg.force, is_generated_note)?;

    let mut corpus = Corpus::new(cfg.seed, cfg.articles);
    corpus.fault_scale = cfg.fault_scale;
    if !cfg.real_copy.is_empty() {
        corpus.real_copy = Some(RealCopy::load(&cfg.real_copy)?);
    }
    let mut hash = Fnv::new();
    let totals = write_articles(&corpus, &seeds_dir, &mut hash)?;

    let mut notes = Vec::new();
    for &lines in &cfg.notes_lines {
        for k in 0..cfg.notes_count {
            // Built in memory: a 10,000-line note is about 1 MB.
            let note = build_note(&corpus, lines, k);
            fs::write(notes_dir.join(&note.name), note.text.as_bytes())?;
            hash.update(note.name.as_bytes());
            hash.update(note.text.as_bytes());
            notes.push(note);
        }
    }
    if cfg.clean_notes {
        // The same notes without a fault, for timing an editor on a note with nothing to report.
        corpus.fault_scale = 0.0;
        for &lines in &cfg.notes_lines {
            let note = build_note(&corpus, lines, 0);
            let name = note.name.replacen("note_", "note_clean_", 1);
            fs::write(notes_dir.join(&name), note.text.as_bytes())?;
            hash.update(name.as_bytes());
            hash.update(note.text.as_bytes());
        }
    }
    let note_bytes: u64 = notes.iter().map(|n| n.text.len() as u64).sum();
    let content_hash = hash.finish();
    let manifest = manifest_json(&corpus, &totals, &notes, note_bytes, content_hash);
    fs::write(cfg.out.join("manifest.json"), manifest.as_bytes())?;
    hash.update(manifest.as_bytes());

    Ok(Summary {
        articles: totals.count,
        events: corpus.n_events(),
        md_articles: totals.md,
        total_bytes: totals.bytes + note_bytes + manifest.len() as u64,
        notes: notes.len(),
        faults: notes.iter().map(|n| n.faults().count()).sum(),
        hash: hash.finish(),
    })
}

/// Creates `dir`; refuses to mix with an earlier run unless `force`, in which
/// case only files this generator could have written are removed (never
/// anything else a user keeps there).
fn prepare_dir(dir: &Path, force: bool, ours: fn(&str) -> bool) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !force {
            return Err(io::Error::other(format!("{} is not empty; use --force to replace a previous corpus", dir.display())));
        }
        if ours(&name) {
            fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

fn is_generated_article(name: &str) -> bool {
    let stem = match name.strip_suffix(".txt").or_else(|| name.strip_suffix(".md")) {
        Some(s) => s,
        None => return false,
    };
    let b = stem.as_bytes();
    b.len() == 23
        && b[..6].iter().all(u8::is_ascii_digit)
        && b[6] == b'_'
        && b[7..].iter().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
}

fn is_generated_note(name: &str) -> bool {
    name.starts_with("note_") && name.ends_with(".md")
}

#[derive(Default)]
struct ArticleTotals {
    count: u32,
    md: u32,
    bytes: u64,
    words: u64,
}

/// Streams articles event by event: one event and one article buffer live at
/// a time, so memory stays flat for any N.
fn write_articles(c: &Corpus, dir: &Path, hash: &mut Fnv) -> io::Result<ArticleTotals> {
    let mut buf = String::with_capacity(16 << 10);
    let mut t = ArticleTotals::default();
    for e in 0..c.n_events() {
        let ev = c.event(e);
        for slot in 0..ev.n_articles {
            let plan = plan_article(c, &ev, slot);
            render_article(c, &ev, &plan, &mut buf);
            let name = plan.file_name();
            fs::write(dir.join(&name), buf.as_bytes())?;
            hash.update(name.as_bytes());
            hash.update(buf.as_bytes());
            t.count += 1;
            t.md += plan.md as u32;
            t.bytes += buf.len() as u64;
            t.words += buf.split_whitespace().count() as u64;
        }
    }
    Ok(t)
}

// ============================================================== real copy

/// Paragraphs of real news copy, to pad generated articles with background as reporters
/// write it: long sentences, quotations, and many figures and names.
struct RealCopy {
    paragraphs: Vec<String>,
}

/// Real news lengths are log-normal: median about 5 KB, a long tail (capped at 30 KB).
const REAL_MEDIAN_BYTES: f64 = 5_200.0;
const REAL_SIGMA: f64 = 0.6;
const REAL_MAX_BYTES: usize = 30_000;

impl RealCopy {
    /// Reads every text under `paths`: text files, and folders of `.txt`/`.md` files.
    fn load(paths: &[PathBuf]) -> io::Result<RealCopy> {
        let mut texts = Vec::new();
        for path in paths {
            if path.is_dir() {
                let mut entries: Vec<PathBuf> = fs::read_dir(path)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
                entries.sort();
                for entry in entries {
                    if matches!(entry.extension().and_then(|e| e.to_str()), Some("txt" | "md")) {
                        texts.push(fs::read_to_string(&entry)?);
                    }
                }
            } else {
                texts.push(fs::read_to_string(path)?);
            }
        }
        texts.sort();
        texts.dedup();
        let paragraphs: Vec<String> = texts.iter().flat_map(|t| real_paragraphs(t)).collect();
        if paragraphs.is_empty() {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "--real-copy: no text found"));
        }
        Ok(RealCopy { paragraphs })
    }

    /// Appends background paragraphs until the article reaches a length drawn like real news.
    /// Figures are redrawn and capitalised words renamed (consistently within an event), so
    /// that the padding neither repeats itself across the corpus nor states the event's facts.
    fn pad(&self, paras: &mut Vec<String>, event: u32, rng: &mut Rng) {
        let normal = (-2.0 * (1.0 - rng.unit()).ln()).sqrt() * (std::f64::consts::TAU * rng.unit()).cos();
        let target = ((REAL_MEDIAN_BYTES * (REAL_SIGMA * normal).exp()) as usize).min(REAL_MAX_BYTES);
        let mut length: usize = paras.iter().map(|p| p.len() + 2).sum();
        let mut next = rng.below(self.paragraphs.len());
        while length < target {
            let paragraph = disguise(&self.paragraphs[next], event, rng);
            length += paragraph.len() + 2;
            paras.push(paragraph);
            // Runs of consecutive paragraphs read like one story's background; jump now and then.
            next = if rng.chance(0.7) { (next + 1) % self.paragraphs.len() } else { rng.below(self.paragraphs.len()) };
        }
    }
}

/// A text's paragraphs of 2–4 sentences (real copy often comes as one block).
fn real_paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    for block in text.split("\n\n").map(|b| b.split_whitespace().collect::<Vec<_>>().join(" ")) {
        let mut sentences = Vec::new();
        let mut start = 0;
        let bytes = block.as_bytes();
        for (i, w) in bytes.windows(3).enumerate() {
            let ends = matches!(w[0], b'.' | b'?' | b'!' | b'"') && w[1] == b' ' && (w[2].is_ascii_uppercase() || w[2] == b'"');
            if ends && i + 1 > start + 40 {
                sentences.push(block[start..=i].trim().to_string());
                start = i + 2;
            }
        }
        if block.len() > start {
            sentences.push(block[start..].trim().to_string());
        }
        for chunk in sentences.chunks(3) {
            let paragraph = chunk.join(" ");
            if paragraph.len() > 80 {
                paragraphs.push(paragraph);
            }
        }
    }
    paragraphs
}

/// The paragraph with its digits redrawn and its capitalised words (except a sentence's first)
/// renamed through a per-event table.
fn disguise(paragraph: &str, event: u32, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(paragraph.len() + 16);
    let mut sentence_start = true;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String, sentence_start: bool| {
        if word.is_empty() {
            return;
        }
        let capitalised = word.chars().next().is_some_and(char::is_uppercase) && word.chars().skip(1).any(char::is_lowercase);
        // Months and weekdays stay: dates are part of what makes news copy dense.
        let calendar = MONTHS.contains(&word.as_str()) || WEEKDAYS.contains(&word.as_str());
        if capitalised && !sentence_start && !calendar && word.len() > 2 {
            let mut names = Rng::stream(u64::from(event), DOM_REAL_COPY, word.len() as u64, {
                let mut h = Fnv::new();
                h.update(word.as_bytes());
                h.finish()
            });
            out.push_str(&coin_word(&mut names, 2 + (word.len() > 7) as u32));
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    let mut previous_digit = false;
    for c in paragraph.chars() {
        if c.is_alphabetic() || (c == '\'' && !word.is_empty()) {
            word.push(c);
            previous_digit = false;
            continue;
        }
        if !word.is_empty() {
            flush(&mut word, &mut out, sentence_start);
            sentence_start = false;
        }
        if c.is_ascii_digit() {
            // A leading digit stays non-zero, so "1,200" never becomes "0,200".
            let digit = if previous_digit { rng.below(10) } else { 1 + rng.below(9) };
            out.push(char::from(b'0' + digit as u8));
            previous_digit = true;
            sentence_start = false;
            continue;
        }
        previous_digit = previous_digit && matches!(c, ',' | '.');
        if !c.is_whitespace() && !matches!(c, '"' | '\'' | '(' | '“' | '‘') {
            sentence_start = matches!(c, '.' | '?' | '!');
        }
        out.push(c);
    }
    flush(&mut word, &mut out, sentence_start);
    out
}

// ============================================================== PRNG & hash

/// SplitMix64 finaliser: a strong 64-bit mixer, used to seed xoshiro and to
/// derive independent streams from indices.
fn mix64(z: u64) -> u64 {
    let mut z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

// Stream domains: each kind of decision draws from its own stream so that
// changing one (say, rendering) never shifts another (say, plans).
const DOM_COUNT: u64 = 1;
const DOM_EVENT: u64 = 2;
const DOM_PLACE: u64 = 3;
const DOM_COUNTRY: u64 = 4;
const DOM_PRIOR: u64 = 5;
const DOM_PLAN: u64 = 6;
const DOM_RENDER: u64 = 7;
const DOM_NOTE: u64 = 8;
const DOM_PERM: u64 = 9;
const DOM_KEY: u64 = 10;
const DOM_REAL_COPY: u64 = 11;

/// xoshiro256** (Blackman & Vigna).
#[derive(Clone)]
struct Rng {
    s: [u64; 4],
}

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut s = [0u64; 4];
        let mut z = seed;
        for x in s.iter_mut() {
            z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
            *x = mix64(z);
        }
        Rng { s }
    }

    /// An independent stream for `(domain, a, b)` under the corpus seed.
    fn stream(seed: u64, domain: u64, a: u64, b: u64) -> Rng {
        let k = mix64(seed ^ domain.wrapping_mul(0xD6E8_FEB8_6659_FD93));
        Rng::new(mix64(mix64(k ^ a) ^ b.rotate_left(29)))
    }

    fn next_u64(&mut self) -> u64 {
        let r = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        r
    }

    /// Uniform in `0..n` (multiply-shift; bias is below 2^-32, irrelevant here).
    fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// `pick` for string tables (saves a deref at every call site).
    fn pick_s<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }

    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            xs.swap(i, self.below(i + 1));
        }
    }

    /// Log-uniform integer in `[lo, hi]`: casualty counts are heavy-tailed.
    fn log_uniform(&mut self, lo: f64, hi: f64) -> u32 {
        (lo * (hi / lo).powf(self.unit())).round() as u32
    }

    fn frac(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// FNV-1a 64: tiny, stable, good enough to compare two runs.
struct Fnv(u64);

impl Fnv {
    fn new() -> Fnv {
        Fnv(0xCBF2_9CE4_8422_2325)
    }
    fn update(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        for &b in bytes {
            h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01B3);
        }
        self.0 = h;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

// ============================================================== dates

/// Days since 1970-01-01 (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Date(i32);

const MONTHS: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const WEEKDAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

impl Date {
    // Howard Hinnant's days_from_civil / civil_from_days.
    fn from_ymd(y: i32, m: u32, d: u32) -> Date {
        let y = if m <= 2 { y - 1 } else { y };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let mp = (m as i32 + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Date(era * 146_097 + doe - 719_468)
    }

    fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        (yoe + era * 400 + (m <= 2) as i32, m, d)
    }

    fn plus(self, days: i32) -> Date {
        Date(self.0 + days)
    }

    fn iso(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// "March 22"
    fn month_day(self) -> String {
        let (_, m, d) = self.ymd();
        format!("{} {}", MONTHS[m as usize - 1], d)
    }

    fn month_year(self) -> String {
        let (y, m, _) = self.ymd();
        format!("{} {}", MONTHS[m as usize - 1], y)
    }

    fn weekday(self) -> &'static str {
        WEEKDAYS[((self.0.rem_euclid(7) + 4) % 7) as usize] // 1970-01-01 was a Thursday
    }
}

// ============================================================== word tables

const FIRST_NAMES: &[&str] = &[
    "Alexander",
    "Maria",
    "Émile",
    "Jana",
    "Sören",
    "Łukasz",
    "Zofia",
    "Andriy",
    "Noor",
    "Tomás",
    "Ingrid",
    "Kemal",
    "Aylin",
    "Björn",
    "Chiara",
    "Dmitri",
    "Farida",
    "Gaël",
    "Hanna",
    "José",
    "Kasia",
    "Luís",
    "Matías",
    "Nadia",
    "Oskar",
    "Paweł",
    "Renée",
    "Selin",
    "Teodor",
    "Ursula",
    "Václav",
    "Wojciech",
    "Yusuf",
    "Zoë",
    "Amara",
    "Rahim",
    "Leila",
    "Omar",
    "Kofi",
    "Mei",
    "Arjun",
    "Priya",
    "Hiroshi",
    "Yuki",
    "Elena",
    "Mateo",
    "Ayşe",
    "Jörg",
    "Małgorzata",
    "Inès",
];
const LAST_NAMES: &[&str] = &[
    "Kowalczyk",
    "Åberg",
    "Durand",
    "Müller",
    "Nowak",
    "Łagowski",
    "Öztürk",
    "Ferreira",
    "Horváth",
    "Novák",
    "Petrović",
    "Sørensen",
    "Lindqvist",
    "Dubois",
    "García",
    "Moreau",
    "Kaya",
    "Yılmaz",
    "Haddad",
    "Mensah",
    "Okafor",
    "Tanaka",
    "Sato",
    "Nguyen",
    "Ivanova",
    "Kravets",
    "Brennan",
    "Costa",
    "Rossi",
    "Schäfer",
    "Wójcik",
    "Jabłoński",
    "Çelik",
    "Szabó",
    "Rashidov",
    "Karimova",
    "Halvorsen",
    "Tursunov",
    "Antonescu",
    "Delacroix",
    "Vasquez",
    "Marchetti",
    "Kovačević",
    "Nieminen",
    "Oyelaran",
    "Rahimi",
    "Sokolova",
    "Thorsen",
    "Bergström",
    "Zieliński",
];
const SYLLABLES: &[&str] = &[
    "ka", "ve", "lor", "mi", "ran", "do", "tes", "bel", "or", "an", "sko", "gra", "no", "vel", "tor", "sa", "lin", "ma", "ber", "go", "ze",
    "ri", "han", "ko", "mel", "dar", "il", "ost", "pe", "vi", "na", "cor", "sel", "tu", "ar", "mon", "bra", "len", "vok", "sha", "zé",
    "ló", "rö", "mü", "ça",
];
const CITY_SUFFIXES: &[&str] = &["grad", "burg", "ville", "ovo", "stad", "polis", "ica", "mouth", "ford", "sk", "avik", "ino"];
const COUNTRY_SUFFIXES: &[&str] = &["ia", "land", "stan", "ova", "ar", "mark", "ena", "onia"];

struct Outlet {
    name: &'static str,
    domain: &'static str,
}

const OUTLETS: &[Outlet] = &[
    Outlet { name: "The Meridian Post", domain: "meridianpost.com" },
    Outlet { name: "Northgate Herald", domain: "northgateherald.com" },
    Outlet { name: "Caldera Times", domain: "calderatimes.net" },
    Outlet { name: "The Daily Ledger", domain: "dailyledger.co" },
    Outlet { name: "Harbor Tribune", domain: "harbortribune.com" },
    Outlet { name: "Eastbridge Observer", domain: "eastbridgeobserver.org" },
    Outlet { name: "Kestrel News", domain: "kestrelnews.tv" },
    Outlet { name: "Atlas Wire", domain: "atlaswire.com" },
    Outlet { name: "Morning Sentinel", domain: "morningsentinel.com" },
    Outlet { name: "Global Dispatch", domain: "globaldispatch.net" },
    Outlet { name: "Riverside Gazette", domain: "riversidegazette.com" },
    Outlet { name: "Pacific Courier", domain: "pacificcourier.com" },
    Outlet { name: "The Continental", domain: "thecontinental.eu" },
    Outlet { name: "Lantern Daily", domain: "lanterndaily.com" },
    Outlet { name: "Summit Chronicle", domain: "summitchronicle.com" },
    Outlet { name: "Orbit24", domain: "orbit24.news" },
    Outlet { name: "Crossroads Monitor", domain: "crossroadsmonitor.org" },
    Outlet { name: "The Plainsman", domain: "plainsman.com" },
    Outlet { name: "Beacon Standard", domain: "beaconstandard.com" },
    Outlet { name: "Compass Report", domain: "compassreport.com" },
    Outlet { name: "Ironwood Journal", domain: "ironwoodjournal.com" },
    Outlet { name: "Vista News Agency", domain: "vistanews.agency" },
    Outlet { name: "Tidewater Times", domain: "tidewatertimes.com" },
    Outlet { name: "Polaris Press", domain: "polarispress.com" },
];
const WIRES: &[&str] = &["AFP", "Reuters", "The Associated Press", "Agencies"];

const NUMBER_WORDS: [&str; 21] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
];

/// Capitalises the first character (Unicode aware: "émile" -> "Émile").
fn cap_first(s: &str) -> String {
    let mut it = s.chars();
    match it.next() {
        Some(f) => f.to_uppercase().collect::<String>() + it.as_str(),
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    let mut it = s.chars();
    match it.next() {
        Some(f) => f.to_lowercase().collect::<String>() + it.as_str(),
        None => String::new(),
    }
}

/// An invented word from 2–3 syllables, e.g. "Velmonar".
fn coin_word(rng: &mut Rng, syllables: u32) -> String {
    let mut w = String::new();
    for _ in 0..syllables {
        w.push_str(rng.pick_s(SYLLABLES));
    }
    cap_first(&w)
}

fn coin_city(rng: &mut Rng) -> String {
    let n = rng.range(1, 2);
    let w = coin_word(rng, n);
    match rng.below(12) {
        0 => format!("Port {}", coin_word(rng, 2)),
        1 => format!("San {w}o"),
        2 => format!("{} Falls", coin_word(rng, 2)),
        3 => format!("New {}", coin_word(rng, 2)),
        4 | 5 => coin_word(rng, 3),
        _ => w + rng.pick_s(CITY_SUFFIXES),
    }
}

fn person_name(rng: &mut Rng) -> (String, String) {
    let first = *rng.pick(FIRST_NAMES);
    let last = *rng.pick(LAST_NAMES);
    (format!("{first} {last}"), last.to_string())
}

// ============================================================== figures

/// The kinds of figures events carry and articles report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fig {
    Killed,
    Injured,
    Arrested,
    Attackers,
    Children,
    Missing,
    Displaced,
    Magnitude,
    Buildings,
    Firefighters,
    Strikers,
    Turnout,
    Seats,
    Defendants,
    Sentence,
    Decades,
}

impl Fig {
    fn name(self) -> &'static str {
        match self {
            Fig::Killed => "killed",
            Fig::Injured => "injured",
            Fig::Arrested => "arrested",
            Fig::Attackers => "attackers",
            Fig::Children => "children-killed",
            Fig::Missing => "missing",
            Fig::Displaced => "displaced",
            Fig::Magnitude => "magnitude",
            Fig::Buildings => "buildings-destroyed",
            Fig::Firefighters => "firefighters",
            Fig::Strikers => "strikers",
            Fig::Turnout => "turnout-percent",
            Fig::Seats => "seats",
            Fig::Defendants => "defendants",
            Fig::Sentence => "sentence-years",
            Fig::Decades => "deadliest-in-years",
        }
    }

    /// Values stored in tenths (6.8 is 68).
    fn tenths(self) -> bool {
        matches!(self, Fig::Magnitude | Fig::Turnout)
    }

    /// Whether reporters hedge this figure ("at least", "nearly"...). Fixed
    /// facts like a court sentence are always stated exactly.
    fn hedged(self) -> bool {
        !matches!(self, Fig::Magnitude | Fig::Seats | Fig::Sentence | Fig::Defendants | Fig::Attackers | Fig::Decades)
    }

    /// Tolerance a reasonable checker may allow around a stated bound; planted
    /// contradictions are kept outside it so they are unambiguous.
    fn margin(self, x: f64) -> f64 {
        match self {
            Fig::Magnitude => 2.0,
            Fig::Turnout => 15.0,
            Fig::Decades => 4.0,
            _ => (0.1 * x).max(1.0),
        }
    }

    /// Chance that an article mentions this (non-primary) figure.
    fn mention_prob(self) -> f64 {
        match self {
            Fig::Injured => 0.7,
            Fig::Arrested | Fig::Attackers | Fig::Buildings => 0.5,
            Fig::Children => 0.45,
            Fig::Missing | Fig::Displaced => 0.6,
            Fig::Magnitude => 0.85,
            Fig::Firefighters => 0.4,
            Fig::Seats => 0.8,
            Fig::Defendants => 0.7,
            Fig::Decades => 0.35,
            _ => 1.0,
        }
    }
}

/// How a figure evolves over the days after the event: exponential approach
/// from the first reported value to the final one (tolls rise, the number of
/// missing falls), so later articles report later numbers.
#[derive(Clone, Debug)]
struct FigTrack {
    fig: Fig,
    initial: u32,
    final_: u32,
    half_days: f64,
}

impl FigTrack {
    fn fixed(fig: Fig, v: u32) -> FigTrack {
        FigTrack { fig, initial: v, final_: v, half_days: 1.0 }
    }

    fn evolving(rng: &mut Rng, fig: Fig, final_: u32, start_ratio: (f64, f64)) -> FigTrack {
        let final_ = final_.max(1);
        let initial = ((final_ as f64 * rng.frac(start_ratio.0, start_ratio.1)).round() as u32).max(1);
        FigTrack { fig, initial, final_, half_days: rng.frac(0.7, 4.0) }
    }

    fn value_at(&self, day: u32) -> u32 {
        if self.initial == self.final_ {
            return self.final_;
        }
        let w = 0.5f64.powf(day as f64 / self.half_days);
        (self.final_ as f64 + (self.initial as f64 - self.final_ as f64) * w).round() as u32
    }
}

/// The hedge in front of a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Qual {
    Exact,
    About,
    Roughly,
    Some,
    AtLeast,
    MoreThan,
    Over,
    Nearly,
    Almost,
    UpTo,
}

impl Qual {
    fn prefix(self) -> &'static str {
        match self {
            Qual::Exact => "",
            Qual::About => "about ",
            Qual::Roughly => "roughly ",
            Qual::Some => "some ",
            Qual::AtLeast => "at least ",
            Qual::MoreThan => "more than ",
            Qual::Over => "over ",
            Qual::Nearly => "nearly ",
            Qual::Almost => "almost ",
            Qual::UpTo => "up to ",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Digits,
    Words,
    Dozen,
}

/// A rendered quantity: hedge, the round number written, and how it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Amount {
    qual: Qual,
    r: u32,
    form: Form,
}

impl Amount {
    fn exact(r: u32) -> Amount {
        Amount { qual: Qual::Exact, r, form: Form::Digits }
    }
}

/// Rounding step reporters use at a given magnitude.
fn granularity(fig: Fig, v: u32) -> u32 {
    if fig.tenths() {
        return 10;
    }
    match v {
        0..=19 => 1,
        20..=99 => 5,
        100..=999 => 10,
        1000..=9999 => 100,
        _ => 1000,
    }
}

fn words_ok(fig: Fig, r: u32) -> bool {
    r <= 20 && !fig.tenths() && fig != Fig::Decades
}

/// Picks how an article states true value `v`: hedge, rounding, words/digits.
/// Every choice keeps `v` inside `interval()` of the result.
fn choose_amount(rng: &mut Rng, fig: Fig, v: u32) -> Amount {
    let form = |rng: &mut Rng, r: u32| {
        if fig == Fig::Decades {
            if r % 10 == 0 && r <= 50 && rng.chance(0.7) {
                Form::Words
            } else {
                Form::Digits
            }
        } else if words_ok(fig, r) && rng.chance(0.45) {
            Form::Words
        } else {
            Form::Digits
        }
    };
    let exact = |rng: &mut Rng| Amount { qual: Qual::Exact, r: v, form: form(rng, v) };
    if fig == Fig::Decades && v > 10 && rng.chance(0.3) {
        let q = if rng.chance(0.5) { Qual::Over } else { Qual::MoreThan };
        let a = Amount { qual: q, r: v, form: form(rng, v) };
        // "more than two decades" then claims >20 years: state one step lower.
        return Amount { r: v - 5, ..a }.fix_decade_form();
    }
    if !fig.hedged() || v < 3 {
        return exact(rng);
    }
    // Small counts are reported exactly or as a floor ("at least four").
    if v < 10 {
        return if rng.chance(0.25) { Amount { qual: Qual::AtLeast, ..exact(rng) } } else { exact(rng) };
    }
    let g = granularity(fig, v);
    let quals = [
        Qual::Exact,
        Qual::About,
        Qual::Roughly,
        Qual::Some,
        Qual::AtLeast,
        Qual::MoreThan,
        Qual::Over,
        Qual::Nearly,
        Qual::Almost,
        Qual::UpTo,
    ];
    let q = quals[rng.weighted(&[34, 10, 3, 3, 18, 14, 6, 7, 2, 3])];
    let r = match q {
        Qual::Exact => return exact(rng),
        Qual::About | Qual::Roughly | Qual::Some => (v + g / 2) / g * g,
        Qual::AtLeast => {
            if rng.chance(0.5) {
                v
            } else {
                v / g * g
            }
        }
        Qual::MoreThan | Qual::Over => (v - 1) / g * g,
        Qual::Nearly | Qual::Almost => {
            let r = (v / g + 1) * g;
            if (r - v) as f64 > 0.1 * r as f64 + 1.0 {
                return exact(rng);
            }
            r
        }
        Qual::UpTo => v,
    };
    if r == 0 {
        return exact(rng);
    }
    let form = if r == 12 && !matches!(q, Qual::UpTo) && rng.chance(0.5) { Form::Dozen } else { form(rng, r) };
    Amount { qual: q, r, form }
}

impl Amount {
    fn fix_decade_form(self) -> Amount {
        if self.form == Form::Words && !(self.r % 10 == 0 && self.r <= 50) {
            Amount { form: Form::Digits, ..self }
        } else {
            self
        }
    }
}

fn fmt_count(n: u32) -> String {
    let s = n.to_string();
    if n < 1000 {
        return s;
    }
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn decade_words(r: u32) -> &'static str {
    match r {
        10 => "a decade",
        20 => "two decades",
        30 => "three decades",
        40 => "four decades",
        _ => "half a century",
    }
}

/// The text of an amount: "more than 140", "eleven", "a dozen", "6.8",
/// "two decades", "12,000".
fn amount_text(fig: Fig, a: Amount) -> String {
    let mut s = String::from(a.qual.prefix());
    match a.form {
        Form::Dozen => s.push_str("a dozen"),
        Form::Words if fig == Fig::Decades => s.push_str(decade_words(a.r)),
        Form::Words => s.push_str(NUMBER_WORDS[a.r as usize]),
        Form::Digits if fig == Fig::Decades => {
            let _ = write!(s, "{} years", a.r);
        }
        Form::Digits if fig.tenths() => {
            if a.qual != Qual::Exact && a.r % 10 == 0 {
                let _ = write!(s, "{}", a.r / 10);
            } else {
                let _ = write!(s, "{}.{}", a.r / 10, a.r % 10);
            }
        }
        Form::Digits => s.push_str(&fmt_count(a.r)),
    }
    s
}

/// The set of true values an amount is consistent with, in stored units.
fn interval(fig: Fig, a: Amount) -> (f64, f64) {
    let r = a.r as f64;
    let d = if fig.tenths() { 10.0 } else { (0.15 * r).max(1.0) };
    match (a.qual, a.form) {
        (Qual::Exact | Qual::About | Qual::Roughly | Qual::Some, Form::Dozen) => (10.0, 14.0),
        (Qual::Exact, _) => (r, r),
        (Qual::About | Qual::Roughly | Qual::Some, _) => (r - d, r + d),
        (Qual::AtLeast, _) => (r, f64::INFINITY),
        (Qual::MoreThan | Qual::Over, _) => (r + 1.0, f64::INFINITY),
        (Qual::Nearly | Qual::Almost, _) => (r - d, r - 1.0),
        (Qual::UpTo, _) => (0.0, r),
    }
}

/// True when `claim` is incompatible with every source interval, even after
/// widening each by the figure's tolerance.
fn contradicts(fig: Fig, claim: (f64, f64), sources: &[(f64, f64)]) -> bool {
    !sources.is_empty()
        && sources.iter().all(|&(lo, hi)| claim.1 < lo - fig.margin(lo) || (hi.is_finite() && claim.0 > hi + fig.margin(hi)))
}

// ============================================================== corpus & events

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Attack,
    Flood,
    Earthquake,
    Fire,
    Strike,
    Election,
    Court,
}

impl Kind {
    /// Events with casualties; generic "victims"/"rescuers" copy fits only these.
    fn deadly(self) -> bool {
        matches!(self, Kind::Attack | Kind::Flood | Kind::Earthquake | Kind::Fire)
    }
}

/// Which events a piece of generic copy suits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Only(Kind),
    Deadly,
    Any,
}

impl Scope {
    fn fits(self, k: Kind) -> bool {
        match self {
            Scope::Only(x) => x == k,
            Scope::Deadly => k.deadly(),
            Scope::Any => true,
        }
    }
}

const KINDS: [Kind; 7] = [Kind::Attack, Kind::Flood, Kind::Earthquake, Kind::Fire, Kind::Strike, Kind::Election, Kind::Court];
const KIND_WEIGHTS: [u32; 7] = [25, 15, 12, 15, 10, 10, 13];

/// Article key: the numeric id is unique in the corpus; the hex is decoration
/// that real crawls carry (a content hash).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Key {
    id: u32,
    hex: u64,
}

impl Key {
    fn stem(self) -> String {
        format!("{:06}_{:016x}", self.id, self.hex)
    }
    fn short(self) -> String {
        format!("{:06}", self.id)
    }
}

/// Corpus-wide layout: which sequence numbers belong to which event, and the
/// bijection from sequence number to article id (so ids don't reveal events).
struct Corpus {
    seed: u64,
    n: u32,
    /// Event `e` owns sequence numbers `starts[e]..starts[e+1]`.
    starts: Vec<u32>,
    perm_mul: u64,
    perm_add: u64,
    n_places: u32,
    n_countries: u32,
    /// Background paragraphs of real copy (`--real-copy`).
    real_copy: Option<RealCopy>,
    fault_scale: f64,
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

impl Corpus {
    fn new(seed: u64, n: u32) -> Corpus {
        let mut starts = Vec::new();
        let mut total = 0u32;
        let mut e = 0u64;
        while total < n {
            starts.push(total);
            let mut r = Rng::stream(seed, DOM_COUNT, e, 0);
            // 3..=12 outlets per event, mean ~7.7. The tail is sized so no
            // event is left with fewer than 3 reports (unless N < 3).
            let rem = n - total;
            let mut k = (3 + (r.below(10) + r.below(11)) as u32 / 2).min(rem);
            if (1..3).contains(&(rem - k)) {
                k = if rem <= 12 { rem } else { rem - 3 };
            }
            total += k;
            e += 1;
        }
        starts.push(n);
        let mut r = Rng::stream(seed, DOM_PERM, 0, 0);
        let n64 = n as u64;
        // An affine map x -> a*x + b (mod n) is a bijection when gcd(a, n) = 1;
        // a near 0.618 n scatters neighbouring sequence numbers.
        let mut a = ((n64 as f64 * 0.618_034) as u64).max(1);
        while gcd(a, n64) != 1 {
            a += 1;
        }
        let n_events = (starts.len() - 1) as u32;
        let n_places = (n_events / 3).max(12);
        Corpus {
            seed,
            n,
            starts,
            perm_mul: a,
            perm_add: r.below(n as usize) as u64,
            n_places,
            n_countries: (n_places / 5).max(6),
            real_copy: None,
            fault_scale: 1.0,
        }
    }

    fn n_events(&self) -> u32 {
        (self.starts.len() - 1) as u32
    }

    fn key_of_seq(&self, seq: u32) -> Key {
        let id = ((seq as u64 * self.perm_mul + self.perm_add) % self.n as u64) as u32;
        Key { id, hex: mix64(mix64(self.seed ^ DOM_KEY) ^ id as u64) }
    }

    /// Events are spread over two years in index order, so an earlier index
    /// is never a later date (used for "came weeks after ..." background).
    fn event_date(&self, e: u32) -> Date {
        let base = Date::from_ymd(2023, 1, 2);
        base.plus((e as u64 * 730 / self.n_events() as u64) as i32)
    }

    fn place(&self, ci: u32) -> Place {
        let mut rng = Rng::stream(self.seed, DOM_PLACE, ci as u64, 0);
        let city = coin_city(&mut rng);
        let w = coin_word(&mut rng, 2);
        let region = match rng.below(3) {
            0 => format!("{w} Province"),
            1 => format!("{w} region"),
            _ => format!("{w} County"),
        };
        let country_idx = rng.below(self.n_countries as usize) as u64;
        let mut crng = Rng::stream(self.seed, DOM_COUNTRY, country_idx, 0);
        let country = coin_word(&mut crng, 2) + crng.pick_s(COUNTRY_SUFFIXES);
        Place { city, region, country }
    }

    /// Full event `e`, including its background reference to an earlier one.
    fn event(&self, e: u32) -> Event {
        let mut ev = build_event(self, e);
        ev.prior = self.prior_for(&ev);
        ev
    }

    /// An earlier deadly event articles may mention in background ("came weeks
    /// after the floods in X, which killed 57"): a figure in the article that
    /// belongs to a different event.
    fn prior_for(&self, ev: &Event) -> Option<Prior> {
        let mut rng = Rng::stream(self.seed, DOM_PRIOR, ev.idx as u64, 0);
        for _ in 0..3 {
            if ev.idx == 0 {
                return None;
            }
            let back = 1 + rng.below(ev.idx.min(60) as usize) as u32;
            let other = build_event(self, ev.idx - back);
            if other.figs[0].fig == Fig::Killed && other.date < ev.date {
                return Some(Prior {
                    phrase: format!("the {} in {}, {}, in {}", other.noun, other.place.city, other.place.country, other.date.month_year()),
                    killed: other.figs[0].final_,
                });
            }
        }
        None
    }
}

#[derive(Clone, Debug)]
struct Place {
    city: String,
    region: String,
    country: String,
}

#[derive(Clone, Debug)]
struct Person {
    name: String,
    surname: String,
    role: String,
    /// "Interior Minister Jana Nowak" (true) vs "Jana Nowak, mayor of X," (false).
    role_first: bool,
}

impl Person {
    /// Subject form, always followed by a verb in templates.
    fn titled(&self) -> String {
        if self.role_first {
            format!("{} {}", self.role, self.name)
        } else {
            format!("{}, {},", self.name, self.role)
        }
    }
}

#[derive(Clone, Debug)]
struct Quote {
    speaker: usize,
    /// variants[0] is the "original"; others are alternative translations
    /// differing in a word or two.
    variants: Vec<String>,
}

#[derive(Clone, Debug)]
struct Prior {
    phrase: String,
    killed: u32,
}

#[derive(Clone, Debug)]
struct Event {
    idx: u32,
    kind: Kind,
    date: Date,
    place: Place,
    /// "the Lorvel concert hall", "the Velmar River", "parliamentary election"
    site: String,
    /// "concert hall", "nightclub", "" ...
    site_type: String,
    /// Perpetrator group, cause, union, party or defendant.
    actor: String,
    /// Investigating/responsible body, without article: "Civil Protection Agency".
    agency: String,
    noun: &'static str,
    /// "the attack on the Lorvel concert hall in Velkorad"
    phrase: String,
    /// "Velkorad concert hall attack" (no article)
    short: String,
    charge: &'static str,
    total_seats: u32,
    people: Vec<Person>,
    quotes: Vec<Quote>,
    /// figs[0] is the headline figure (toll, strikers, turnout, sentence).
    figs: Vec<FigTrack>,
    first_seq: u32,
    n_articles: u32,
    /// Days after the event on which each slot's article appeared (sorted).
    slot_day: Vec<u32>,
    slot_outlet: Vec<usize>,
    prior: Option<Prior>,
}

fn build_event(c: &Corpus, e: u32) -> Event {
    let mut rng = Rng::stream(c.seed, DOM_EVENT, e as u64, 0);
    let kind = KINDS[rng.weighted(&KIND_WEIGHTS)];
    let place = c.place(rng.below(c.n_places as usize) as u32);
    let date = c.event_date(e);
    let mut ev = Event {
        idx: e,
        kind,
        date,
        place,
        site: String::new(),
        site_type: String::new(),
        actor: String::new(),
        agency: String::new(),
        noun: "",
        phrase: String::new(),
        short: String::new(),
        charge: "",
        total_seats: 0,
        people: Vec::new(),
        quotes: Vec::new(),
        figs: Vec::new(),
        first_seq: c.starts[e as usize],
        n_articles: c.starts[e as usize + 1] - c.starts[e as usize],
        slot_day: Vec::new(),
        slot_outlet: Vec::new(),
        prior: None,
    };
    describe_event(&mut ev, &mut rng);
    ev.figs = build_figs(kind, &mut rng);
    ev.people = build_people(&ev, &mut rng);
    ev.quotes = build_quotes(&ev, &mut rng);
    schedule_slots(&mut ev, &mut rng);
    ev
}

/// Kind-specific names: site, actor, agency and the phrases that refer to the
/// event.
fn describe_event(ev: &mut Event, rng: &mut Rng) {
    let city = ev.place.city.clone();
    let w = coin_word(rng, 2);
    match ev.kind {
        Kind::Attack => {
            let venue = *rng.pick(&[
                "concert hall",
                "shopping centre",
                "railway station",
                "market",
                "hotel",
                "stadium",
                "cathedral",
                "bus terminal",
                "theatre",
            ]);
            let g = coin_word(rng, 2);
            ev.site = format!("the {w} {venue}");
            ev.site_type = venue.into();
            ev.actor = match rng.below(3) {
                0 => format!("the {g} Liberation Front"),
                1 => format!("the {g} Brigades"),
                _ => format!("the {g} Movement"),
            };
            ev.agency = rng
                .pick(&["National Security Service", "Investigative Committee", "State Security Bureau", "Counter-Terrorism Directorate"])
                .to_string();
            ev.noun = "attack";
            ev.phrase = format!("the attack on {} in {city}", ev.site);
            ev.short = format!("{city} {venue} attack");
        }
        Kind::Flood => {
            ev.site = format!("the {w} River");
            ev.site_type = "river".into();
            ev.actor = rng.pick(&["days of torrential rain", "a burst dam upstream", "a storm surge"]).to_string();
            ev.agency = rng.pick(&["Civil Protection Agency", "Emergency Situations Ministry", "National Disaster Agency"]).to_string();
            ev.noun = "floods";
            ev.phrase = format!("the floods in {}", ev.place.region);
            ev.short = format!("{} floods", ev.place.region);
        }
        Kind::Earthquake => {
            ev.site = format!("near {city}");
            ev.agency = rng.pick(&["National Seismological Institute", "Disaster Management Authority", "Geological Survey"]).to_string();
            ev.actor = ev.agency.clone();
            ev.noun = "earthquake";
            ev.phrase = format!("the earthquake that struck {}", ev.place.region);
            ev.short = format!("{} earthquake", ev.place.region);
        }
        Kind::Fire => {
            let b = *rng.pick(&["nightclub", "hospital", "apartment block", "textile factory", "shopping arcade", "hostel", "care home"]);
            ev.site = format!("the {w} {b}");
            ev.site_type = b.into();
            ev.actor = rng.pick(&["an electrical fault", "fireworks set off indoors", "a gas leak"]).to_string();
            ev.agency = rng.pick(&["Fire and Rescue Service", "Emergency Ministry"]).to_string();
            ev.noun = "fire";
            ev.phrase = format!("the fire at {} in {city}", ev.site);
            ev.short = format!("{city} {b} fire");
        }
        Kind::Strike => {
            ev.site = match rng.below(4) {
                0 => format!("{w} Rail"),
                1 => format!("the {w} steelworks"),
                2 => format!("the port of {city}"),
                _ => format!("{w} Motors"),
            };
            ev.site_type = "company".into();
            ev.actor = format!("the {} Workers’ Union", coin_word(rng, 2));
            ev.agency = "Labour Ministry".into();
            ev.noun = "strike";
            ev.phrase = format!("the strike at {}", ev.site);
            ev.short = format!("{} strike", ev.site.trim_start_matches("the "));
        }
        Kind::Election => {
            let body = *rng.pick(&["parliamentary election", "presidential election", "regional election", "snap election"]);
            ev.site = body.into();
            ev.actor = format!("the {w} Party");
            ev.agency = "Central Election Commission".into();
            ev.noun = "election";
            ev.phrase = format!("the {body} in {}", ev.place.country);
            ev.short = format!("{} {body}", ev.place.country);
            ev.total_seats = *rng.pick(&[101, 150, 200, 225, 300, 450]);
        }
        Kind::Court => {
            let (name, surname) = person_name(rng);
            ev.site = format!("the {city} District Court");
            ev.charge = rng.pick_s(&["fraud", "bribery", "murder", "terrorism", "embezzlement", "money laundering"]);
            ev.actor = name.clone();
            ev.agency = "Prosecutor General’s Office".into();
            ev.noun = "trial";
            ev.phrase = format!("the {} trial of {name}", ev.charge);
            ev.short = format!("{surname} {} trial", ev.charge);
        }
    }
}

/// Figures per kind; figs[0] is the headline figure.
fn build_figs(kind: Kind, rng: &mut Rng) -> Vec<FigTrack> {
    use Fig::*;
    let mut v = Vec::new();
    let deadly = |rng: &mut Rng, v: &mut Vec<FigTrack>, lo: f64, hi: f64| -> u32 {
        let k = rng.log_uniform(lo, hi);
        v.push(FigTrack::evolving(rng, Killed, k, (0.45, 0.95)));
        let inj = (k as f64 * rng.frac(0.8, 3.0)) as u32 + 2;
        v.push(FigTrack::evolving(rng, Injured, inj, (0.5, 0.95)));
        k
    };
    match kind {
        Kind::Attack => {
            let k = deadly(rng, &mut v, 3.0, 320.0);
            let arrested = rng.range(2, 25);
            v.push(FigTrack::evolving(rng, Arrested, arrested, (0.2, 0.7)));
            v.push(FigTrack::fixed(Attackers, rng.range(1, 8)));
            let children = k / rng.range(5, 14);
            if children > 0 {
                v.push(FigTrack::fixed(Children, children));
            }
            decades(rng, &mut v, k);
        }
        Kind::Flood => {
            let k = deadly(rng, &mut v, 5.0, 800.0);
            let missing = rng.log_uniform(3.0, 300.0);
            v.push(FigTrack::evolving(rng, Missing, missing, (1.5, 4.0)));
            let displaced = rng.log_uniform(500.0, 200_000.0);
            v.push(FigTrack::evolving(rng, Displaced, displaced, (0.3, 0.8)));
            decades(rng, &mut v, k);
        }
        Kind::Earthquake => {
            let k = deadly(rng, &mut v, 10.0, 5000.0);
            v.push(FigTrack::fixed(Magnitude, rng.range(48, 79)));
            let b = rng.log_uniform(10.0, 3000.0);
            v.push(FigTrack::evolving(rng, Buildings, b, (0.3, 0.8)));
            decades(rng, &mut v, k);
        }
        Kind::Fire => {
            deadly(rng, &mut v, 3.0, 120.0);
            v.push(FigTrack::fixed(Firefighters, rng.range(20, 400)));
            let a = rng.range(1, 6);
            v.push(FigTrack::evolving(rng, Arrested, a, (0.3, 1.0)));
        }
        Kind::Strike => {
            let s = rng.log_uniform(800.0, 150_000.0);
            v.push(FigTrack::evolving(rng, Strikers, s, (0.6, 0.95)));
            let a = rng.range(3, 300);
            v.push(FigTrack::evolving(rng, Arrested, a, (0.2, 0.8)));
            let i = rng.range(2, 80);
            v.push(FigTrack::evolving(rng, Injured, i, (0.3, 0.9)));
        }
        Kind::Election => {
            let t = rng.range(380, 820);
            // Preliminary turnout figures get revised up as late counts arrive.
            let initial = t - rng.range(0, 40);
            v.push(FigTrack { fig: Turnout, initial, final_: t, half_days: rng.frac(0.5, 2.0) });
            v.push(FigTrack::fixed(Seats, rng.range(30, 200)));
            let a = rng.range(3, 120);
            v.push(FigTrack::evolving(rng, Arrested, a, (0.3, 0.9)));
        }
        Kind::Court => {
            v.push(FigTrack::fixed(Sentence, rng.range(2, 30)));
            v.push(FigTrack::fixed(Defendants, rng.range(2, 12)));
        }
    }
    v
}

fn decades(rng: &mut Rng, v: &mut Vec<FigTrack>, killed: u32) {
    if killed >= 15 {
        v.push(FigTrack::fixed(Fig::Decades, *rng.pick(&[10, 15, 20, 20, 25, 30, 40, 50])));
    }
}

fn roles(kind: Kind) -> &'static [(&'static str, bool)] {
    match kind {
        Kind::Attack => &[
            ("Interior Minister", true),
            ("head of the {AGENCY}", false),
            ("police spokesperson", true),
            ("President", true),
            ("Foreign Ministry spokeswoman", true),
            ("regional governor", true),
        ],
        Kind::Flood => &[
            ("Emergency Situations Minister", true),
            ("mayor of {CITY}", false),
            ("regional governor", true),
            ("a spokesperson for the {AGENCY}", false),
            ("Prime Minister", true),
        ],
        Kind::Earthquake => &[
            ("Health Minister", true),
            ("head of the {AGENCY}", false),
            ("President", true),
            ("a rescue team leader", false),
            ("mayor of {CITY}", false),
        ],
        Kind::Fire => &[
            ("fire chief", true),
            ("Interior Minister", true),
            ("mayor of {CITY}", false),
            ("a spokesperson for the {AGENCY}", false),
            ("a survivor", false),
        ],
        Kind::Strike => &[
            ("union leader", true),
            ("Labour Minister", true),
            ("a company spokesperson", false),
            ("Prime Minister", true),
            ("a striking worker", false),
        ],
        Kind::Election => &[
            ("opposition leader", true),
            ("President", true),
            ("chair of the {AGENCY}", false),
            ("a senior party official", false),
            ("an election observer", false),
        ],
        Kind::Court => &[
            ("Judge", true),
            ("prosecutor", true),
            ("defence lawyer", true),
            ("a relative of one of the victims", false),
            ("a legal analyst", false),
        ],
    }
}

fn build_people(ev: &Event, rng: &mut Rng) -> Vec<Person> {
    let mut rs: Vec<(&str, bool)> = roles(ev.kind).to_vec();
    rng.shuffle(&mut rs);
    let n = rng.range(3, rs.len() as u32) as usize;
    rs[..n]
        .iter()
        .map(|&(role, role_first)| {
            let (name, surname) = person_name(rng);
            let role = role.replace("{AGENCY}", &ev.agency).replace("{CITY}", &ev.place.city);
            Person { name, surname, role, role_first }
        })
        .collect()
}

// ---------------------------------------------------------------- quotes

/// Quote bank. `{a|b}` marks a word a translator may render either way;
/// `{CITY}`-style slots are filled per event. Nested ‘...’ as in real copy.
const QUOTE_BANK: &[(Scope, &str)] = &[
    (Scope::Only(Kind::Attack), "We {believe|think} that the {action|attack} was {prepared|planned} by {ACTOR}, and of course it was {facilitated|helped} by those who want to {sow|spread} panic in {COUNTRY}."),
    (Scope::Only(Kind::Attack), "The investigation continues, but it can already be said with {certainty|confidence} that the {attackers|perpetrators} received {clear|precise} instructions and that a ‘window’ had been {prepared|arranged} for them."),
    (Scope::Only(Kind::Attack), "Every one of those {responsible|involved} in the attack on {SITE} will be found and {punished|held to account}, no matter where they {hide|try to hide}."),
    (Scope::Only(Kind::Attack), "They tried to {escape|flee} and were {travelling|heading} towards the border, where, according to {preliminary|initial} data, a ‘window’ was {prepared|readied} for them."),
    (Scope::Only(Kind::Attack), "These {accusations|allegations} are {absurd|baseless}, and they {cannot|will not} stand up to any {criticism|scrutiny}. It makes no sense whatsoever."),
    (Scope::Only(Kind::Attack), "Our {thoughts|hearts} are with the families of the victims, and our security services are working {around the clock|day and night} to {identify|track down} every accomplice."),
    (Scope::Only(Kind::Flood), "The water {came|rose} so {fast|quickly} that people had no time to {leave|get out}; entire streets in {CITY} {disappeared|vanished} within an hour."),
    (Scope::Only(Kind::Flood), "We have never {seen|witnessed} anything like this in {REGION}, and the {forecast|outlook} for the coming days is {not good|grim}."),
    (Scope::Only(Kind::Flood), "Our {teams|crews} are still {searching|looking} for the missing, and we will {continue|keep going} as long as there is any {hope|chance} of finding survivors."),
    (Scope::Only(Kind::Flood), "The {defences|embankments} along {SITE} were {built|designed} for a ‘once in a century’ flood, and this was {worse|bigger} than that."),
    (Scope::Only(Kind::Earthquake), "The {shaking|tremor} lasted almost a minute, and {whole|entire} buildings {collapsed|came down} like houses of cards."),
    (Scope::Only(Kind::Earthquake), "We are {racing|working} against time, because every hour that {passes|goes by} {reduces|lowers} the chances of pulling people out alive."),
    (Scope::Only(Kind::Earthquake), "Many of these buildings should never have been {approved|allowed}, and those who {signed|issued} the permits will have to {answer|account} for it."),
    (Scope::Only(Kind::Earthquake), "I {heard|could hear} my neighbours calling for help under the rubble, but we had no {tools|equipment} to reach them."),
    (Scope::Only(Kind::Fire), "The fire {spread|moved} through the building in {minutes|a matter of minutes}; the emergency exits were {locked|blocked}, and that is what {killed|doomed} these people."),
    (Scope::Only(Kind::Fire), "Those {responsible|to blame} for the ‘safety checks’ that {allowed|let} {SITE} stay open will have to {answer|account} for it."),
    (Scope::Only(Kind::Fire), "I {saw|watched} people {jumping|leaping} from the windows because there was no other way out."),
    (Scope::Only(Kind::Fire), "We {warned|told} the owners {repeatedly|many times} that the wiring was {dangerous|unsafe}, but nobody listened."),
    (Scope::Only(Kind::Strike), "We will not go back to work until the {management|company} {agrees|accepts} to sit down and {negotiate|talk} in good faith."),
    (Scope::Only(Kind::Strike), "This strike is {costing|hurting} the economy of {COUNTRY}, and we {urge|call on} the unions to {return|come back} to the table."),
    (Scope::Only(Kind::Strike), "Our members have not had a real pay rise in years, and they are {tired|sick} of being {told|asked} to wait."),
    (Scope::Only(Kind::Strike), "The {offer|proposal} on the table is {fair|reasonable}, and it is time for {ACTOR} to {accept|take} it."),
    (Scope::Only(Kind::Strike), "Nobody {wants|likes} to be on strike, but the {company|management} has left us no {other choice|alternative}."),
    (Scope::Only(Kind::Strike), "Every day this {dispute|standoff} goes on, families in {CITY} lose {income|wages} they cannot {afford|spare}."),
    (Scope::Only(Kind::Election), "We {ran|fought} a clean campaign, and we will {accept|respect} the final result once every vote in {REGION} has been counted."),
    (Scope::Only(Kind::Election), "Turnout shows that people in {COUNTRY} still {believe|trust} in democracy, whatever the {outcome|result}."),
    (Scope::Only(Kind::Election), "The people of {COUNTRY} have {spoken|made their choice}, and we will {respect|honour} their decision."),
    (Scope::Only(Kind::Election), "We have {documented|recorded} serious {irregularities|violations} at polling stations across {REGION}, and we will {challenge|contest} these results."),
    (Scope::Only(Kind::Election), "This is a {victory|triumph} for every citizen who {believed|trusted} that change was possible."),
    (Scope::Only(Kind::Election), "The vote was {largely|mostly} calm and {orderly|well organised}, although we {noted|observed} some problems with the ‘voter lists’."),
    (Scope::Only(Kind::Court), "For years the {victims|families} were told to be {patient|quiet}, and today they were finally {heard|listened to}."),
    (Scope::Only(Kind::Court), "The {investigation|inquiry} uncovered a network of {payments|transfers} that reached the highest levels in {COUNTRY}."),
    (Scope::Only(Kind::Court), "Justice has been {served|done} today, but nothing will {bring back|return} what the victims have {lost|suffered}."),
    (Scope::Only(Kind::Court), "My client {maintains|insists on} his innocence and we will {appeal|challenge} this {verdict|ruling}."),
    (Scope::Only(Kind::Court), "The evidence presented by the {prosecution|prosecutors} was {overwhelming|conclusive}, and the court had no {choice|option} but to convict."),
    (Scope::Only(Kind::Court), "This {verdict|ruling} sends a {clear|strong} message that nobody in {COUNTRY} is above the law."),
    (Scope::Deadly, "It is too early to {speak|talk} about the causes, but we are {looking at|examining} every {possibility|version}."),
    (Scope::Deadly, "The {authorities|government} knew about the risks in {CITY} and did nothing, and now people are {paying|suffering} for it."),
    (Scope::Deadly, "We will {provide|give} every family all the {help|support} they need, for as long as it {takes|is needed}."),
    (Scope::Deadly, "I want to {thank|praise} the {rescuers|emergency workers} who worked through the night in {CITY}."),
];

enum Seg<'a> {
    Lit(String),
    Alt(Vec<&'a str>),
}

/// Parses a bank template: slots are filled now, alternations kept.
fn parse_template<'a>(tpl: &'a str, slot: &dyn Fn(&str) -> String) -> Vec<Seg<'a>> {
    let mut segs = Vec::new();
    let mut lit = String::new();
    let mut rest = tpl;
    while let Some(open) = rest.find('{') {
        lit.push_str(&rest[..open]);
        let close = open + rest[open..].find('}').expect("unclosed { in template");
        let inner = &rest[open + 1..close];
        if inner.contains('|') {
            segs.push(Seg::Lit(std::mem::take(&mut lit)));
            segs.push(Seg::Alt(inner.split('|').collect()));
        } else {
            lit.push_str(&slot(inner));
        }
        rest = &rest[close + 1..];
    }
    lit.push_str(rest);
    segs.push(Seg::Lit(lit));
    segs
}

fn render_segs(segs: &[Seg], choice: &[usize]) -> String {
    let mut out = String::new();
    let mut k = 0;
    for s in segs {
        match s {
            Seg::Lit(t) => out.push_str(t),
            Seg::Alt(opts) => {
                out.push_str(opts[choice[k]]);
                k += 1;
            }
        }
    }
    out
}

fn build_quotes(ev: &Event, rng: &mut Rng) -> Vec<Quote> {
    let mut pool: Vec<usize> = (0..QUOTE_BANK.len()).filter(|&i| QUOTE_BANK[i].0.fits(ev.kind)).collect();
    rng.shuffle(&mut pool);
    let mut pool = pool.into_iter();
    let slot = |k: &str| -> String {
        match k {
            "ACTOR" => ev.actor.clone(),
            "COUNTRY" => ev.place.country.clone(),
            "CITY" => ev.place.city.clone(),
            "REGION" => ev.place.region.clone(),
            "SITE" => ev.site.clone(),
            other => panic!("unknown quote slot {other}"),
        }
    };
    let mut quotes = Vec::new();
    for qi in 0..rng.range(2, 4) as usize {
        let Some(first) = pool.next() else { break };
        let mut segs = parse_template(QUOTE_BANK[first].1, &slot);
        // Real statements often run to two sentences (and 40+ words).
        if rng.chance(0.35) {
            if let Some(second) = pool.next() {
                segs.push(Seg::Lit(" ".into()));
                segs.extend(parse_template(QUOTE_BANK[second].1, &slot));
            }
        }
        let variants = translations(&segs, rng);
        quotes.push(Quote { speaker: qi % ev.people.len(), variants });
    }
    quotes
}

/// The original wording plus 0–2 alternative translations, each differing
/// from the original in one or two word choices.
fn translations(segs: &[Seg], rng: &mut Rng) -> Vec<String> {
    let alts: Vec<usize> = segs
        .iter()
        .filter_map(|s| match s {
            Seg::Alt(o) => Some(o.len()),
            _ => None,
        })
        .collect();
    let base: Vec<usize> = alts.iter().map(|&m| rng.below(m)).collect();
    let mut variants = vec![render_segs(segs, &base)];
    let want = [1, 2, 2, 3, 3][rng.below(5)];
    for _ in 0..8 {
        if variants.len() >= want {
            break;
        }
        let mut ch = base.clone();
        for _ in 0..rng.range(1, 2) {
            let k = rng.below(ch.len());
            ch[k] = (ch[k] + 1 + rng.below(alts[k] - 1)) % alts[k];
        }
        let v = render_segs(segs, &ch);
        if !variants.contains(&v) {
            variants.push(v);
        }
    }
    variants
}

/// Which outlets cover the event and when: first report within a day, then
/// follow-ups spread over weeks.
fn schedule_slots(ev: &mut Event, rng: &mut Rng) {
    let mut outlets: Vec<usize> = (0..OUTLETS.len()).collect();
    rng.shuffle(&mut outlets);
    let mut day = rng.range(0, 1);
    for s in 0..ev.n_articles as usize {
        ev.slot_day.push(day);
        ev.slot_outlet.push(outlets[s % outlets.len()]);
        day = (day + rng.range(0, 2) + rng.log_uniform(1.0, 12.0)).min(60);
    }
}

/// Each outlet uses one translation of a quote consistently.
fn variant_for(ev: &Event, qi: usize, outlet: usize) -> usize {
    let n = ev.quotes[qi].variants.len() as u64;
    (mix64((ev.idx as u64) << 20 ^ (qi as u64) << 8 ^ outlet as u64) % n) as usize
}

// ============================================================== article plans

#[derive(Clone, Debug)]
struct Mention {
    fig: Fig,
    amount: Amount,
}

#[derive(Clone, Debug)]
struct Plan {
    seq: u32,
    key: Key,
    outlet: usize,
    date: Date,
    day: u32,
    mentions: Vec<Mention>,
    date_explicit: bool,
    /// (quote index, variant index)
    quotes: Vec<(usize, usize)>,
    /// Background toll of an earlier event, stated in this article.
    other: Option<Amount>,
    md: bool,
}

impl Plan {
    fn file_name(&self) -> String {
        format!("{}.{}", self.key.stem(), if self.md { "md" } else { "txt" })
    }

    /// What this article says about `fig`, as intervals of true values.
    fn intervals(&self, fig: Fig) -> Vec<(f64, f64)> {
        self.mentions.iter().filter(|m| m.fig == fig).map(|m| interval(fig, m.amount)).collect()
    }

    fn source_text(&self, fig: Fig) -> String {
        let v: Vec<String> = self.mentions.iter().filter(|m| m.fig == fig).map(|m| amount_text(fig, m.amount)).collect();
        v.join(" / ")
    }

    fn has_quote(&self, qi: usize) -> bool {
        self.quotes.iter().any(|&(q, _)| q == qi)
    }
}

fn plan_article(c: &Corpus, ev: &Event, slot: u32) -> Plan {
    let seq = ev.first_seq + slot;
    let mut rng = Rng::stream(c.seed, DOM_PLAN, seq as u64, 0);
    let day = ev.slot_day[slot as usize];
    let outlet = ev.slot_outlet[slot as usize];
    // Outlets lag a day or so behind official updates.
    let t = day.saturating_sub(rng.below(2) as u32);
    let mut mentions: Vec<Mention> = Vec::new();
    for (i, tr) in ev.figs.iter().enumerate() {
        if i > 0 && !rng.chance(tr.fig.mention_prob()) {
            continue;
        }
        if tr.fig == Fig::Children && mentions.first().is_none_or(|m| m.fig != Fig::Killed) {
            continue;
        }
        let v = tr.value_at(t);
        if v == 0 {
            continue;
        }
        let amount = choose_amount(&mut rng, tr.fig, v);
        mentions.push(Mention { fig: tr.fig, amount });
        if i == 0 && tr.fig == Fig::Killed && amount.qual != Qual::Exact && rng.chance(0.3) {
            mentions.push(Mention { fig: Fig::Killed, amount: Amount::exact(v) });
        }
    }
    let mut quotes: Vec<(usize, usize)> =
        (0..ev.quotes.len()).filter(|_| rng.chance(0.55)).map(|qi| (qi, variant_for(ev, qi, outlet))).collect();
    if quotes.is_empty() {
        let qi = rng.below(ev.quotes.len());
        quotes.push((qi, variant_for(ev, qi, outlet)));
    }
    let other = match &ev.prior {
        Some(p) if rng.chance(0.35) => Some(choose_amount(&mut rng, Fig::Killed, p.killed)),
        _ => None,
    };
    Plan {
        seq,
        key: c.key_of_seq(seq),
        outlet,
        date: ev.date.plus(day as i32),
        day,
        mentions,
        date_explicit: rng.chance(0.6),
        quotes,
        other,
        md: rng.chance(0.05),
    }
}

// ============================================================== article text

const LEADS: &[(Kind, &str)] = &[
    (Kind::Attack, "Gunmen opened fire at {SITE} in {CITY} {WHEN}, killing {N} people in what officials called a terrorist attack"),
    (Kind::Attack, "{OFFICIAL} said {DAY} that those behind the attack on {SITE} {WHEN}, which left {N} people dead, had received help from abroad"),
    (Kind::Attack, "The death toll from the attack on {SITE} in {CITY} {WHEN} has risen to {N}, the {AGENCY} said {DAY}"),
    (Kind::Attack, "The attack on {SITE} in {CITY} {WHEN} claimed {N} lives, the {AGENCY} said {DAY}"),
    (Kind::Attack, "{COUNTRY} {DAY} blamed {ACTOR} for the attack on {SITE} {WHEN}, in which {N} people died"),
    (Kind::Flood, "Floods triggered by {ACTOR} in {REGION} have killed {N} people since the water began rising {WHEN}, the {AGENCY} said {DAY}"),
    (Kind::Flood, "The death toll from the floods that swept through {REGION} {WHEN} rose to {N} {DAY}, as rescuers searched villages along {SITE}"),
    (Kind::Flood, "The floods that hit {REGION} {WHEN} have claimed {N} lives, the {AGENCY} said {DAY}"),
    (Kind::Flood, "{N} people have died in the floods that hit {REGION} {WHEN}, officials said {DAY}"),
    (Kind::Earthquake, "A powerful earthquake struck {REGION} {WHEN}, killing {N} people and flattening buildings in {CITY}"),
    (Kind::Earthquake, "Rescuers in {COUNTRY} pulled more survivors from the rubble {DAY} as the death toll from the earthquake that struck {REGION} {WHEN} climbed to {N}"),
    (Kind::Earthquake, "The earthquake that struck {REGION} {WHEN} has claimed {N} lives, officials said {DAY}"),
    (Kind::Earthquake, "The earthquake that hit {REGION} {WHEN} has killed {N} people, the {AGENCY} said {DAY}"),
    (Kind::Fire, "A fire tore through {SITE} in {CITY} {WHEN}, killing {N} people, the {AGENCY} said"),
    (Kind::Fire, "The death toll from the fire at {SITE} in {CITY} {WHEN} has risen to {N}, officials said {DAY}"),
    (Kind::Fire, "Investigators were trying {DAY} to establish what caused the fire at {SITE} {WHEN} that left {N} people dead"),
    (Kind::Strike, "{N} workers walked off the job at {SITE} {WHEN}, in one of the biggest walkouts {COUNTRY} has seen in years"),
    (Kind::Strike, "A strike by {N} workers at {SITE} that began {WHEN} showed no sign of ending {DAY}, {ACTOR} said"),
    (Kind::Strike, "{ACTOR} said {DAY} that {N} workers had joined the strike at {SITE}, which began {WHEN}"),
    (Kind::Election, "Voters in {COUNTRY} went to the polls {WHEN} in the {SITE}, with turnout at {N} percent, the {AGENCY} said"),
    (Kind::Election, "The {AGENCY} said {DAY} that turnout in the {SITE} held {WHEN} was {N} percent"),
    (Kind::Court, "A court in {CITY} {WHEN} sentenced {ACTOR} to {N} years in prison on {CHARGE} charges"),
    (Kind::Court, "{ACTOR} was sentenced to {N} years in prison {WHEN} at the end of a trial that has gripped {COUNTRY}"),
];

const TITLES: &[(Kind, &str)] = &[
    (Kind::Attack, "Death toll in {SHORT_BARE} rises to {N}"),
    (Kind::Attack, "{COUNTRY} blames {ACTOR_BARE} for {CITY} {SITE_TYPE} attack"),
    (Kind::Attack, "Security chief says {ACTOR_BARE} behind {CITY} massacre"),
    (Kind::Attack, "Gunmen storm {SITE} in {CITY}"),
    (Kind::Flood, "Death toll from {REGION} floods climbs to {N}"),
    (Kind::Flood, "Thousands flee as {SITE} bursts its banks"),
    (Kind::Flood, "{COUNTRY} floods: rescuers race to reach stranded villages"),
    (Kind::Earthquake, "Powerful earthquake strikes {REGION}"),
    (Kind::Earthquake, "Death toll in {COUNTRY} quake rises to {N}"),
    (Kind::Earthquake, "Rescuers search rubble after {REGION} earthquake"),
    (Kind::Fire, "Fire at {CITY} {SITE_TYPE} kills {N}"),
    (Kind::Fire, "Investigators probe deadly {CITY} {SITE_TYPE} blaze"),
    (Kind::Strike, "{N} workers walk out at {SITE_BARE}"),
    (Kind::Strike, "Strike at {SITE_BARE} drags on as talks stall"),
    (Kind::Strike, "{ACTOR_BARE} vows to continue strike"),
    (Kind::Election, "{ACTOR_BARE} claims victory in {COUNTRY} election"),
    (Kind::Election, "{COUNTRY} votes in tense {SITE}"),
    (Kind::Election, "Turnout reaches {N} percent in {COUNTRY} election"),
    (Kind::Court, "{ACTOR} sentenced to {N} years in {CITY} {CHARGE} trial"),
    (Kind::Court, "Court in {CITY} convicts {ACTOR}"),
];

/// Body sentences stating one figure; `{N}` is the amount.
fn fig_templates(fig: Fig) -> &'static [&'static str] {
    match fig {
        Fig::Killed => &["As of {DAYNAME}, authorities had confirmed {N} deaths", "Officials have so far confirmed {N} people dead"],
        Fig::Injured => &[
            "{N} people were injured, the {AGENCY} said",
            "Hospitals in {CITY} were treating {N} wounded, many of them in critical condition",
            "{N} others were hurt, according to health officials",
        ],
        Fig::Arrested => &[
            "The {AGENCY} said {N} people had been arrested in connection with {EVENT}",
            "Police have detained {N} suspects",
            "{N} people are being held, {OFFICIAL} said",
        ],
        Fig::Attackers => &[
            "Witnesses said {N} gunmen in camouflage stormed {SITE} before setting the building on fire",
            "Investigators believe {N} attackers took part",
            "{N} assailants opened fire on people settling into their seats and on those fleeing into hallways",
        ],
        Fig::Children => &["{N} children were among the dead", "Among the dead were {N} children, officials said"],
        Fig::Missing => &["{N} people remain missing", "Rescuers were still searching for {N} people reported missing"],
        Fig::Displaced => &["{N} people have been forced from their homes", "Authorities said {N} residents had been evacuated"],
        Fig::Magnitude => {
            &["The {AGENCY} said the quake had a magnitude of {N}", "The magnitude {N} tremor was felt as far away as the capital"]
        }
        Fig::Buildings => &["{N} buildings collapsed or were badly damaged", "Officials said {N} buildings had been destroyed"],
        Fig::Firefighters => &["{N} firefighters battled the blaze for hours", "The {AGENCY} deployed {N} firefighters"],
        Fig::Strikers => &["{N} workers have joined the walkout, {ACTOR} said"],
        Fig::Turnout => &["Turnout stood at {N} percent, the {AGENCY} said"],
        Fig::Seats => &[
            "{ACTOR} won {N} of the {TOTAL} seats, according to preliminary results",
            "Preliminary results gave {ACTOR} {N} seats in the {TOTAL}-member chamber",
        ],
        Fig::Defendants => &["{N} defendants stood trial in the case", "The court heard the case against {N} defendants"],
        Fig::Sentence => &["The court sentenced {ACTOR} to {N} years"],
        Fig::Decades => &["It was the deadliest {NOUN} in {COUNTRY} in {N}", "The {NOUN} was the worst {COUNTRY} has suffered in {N}"],
    }
}

const OTHER_EVENT: &[(Scope, &str)] = &[
    (Scope::Deadly, "The {NOUN} came after {OTHER}, which killed {OTHER_N} people"),
    (Scope::Deadly, "Memories are still fresh of {OTHER}, which left {OTHER_N} people dead"),
    (Scope::Deadly, "It was the second major tragedy in the region since {OTHER}, in which {OTHER_N} people died"),
    (Scope::Any, "The {NOUN} comes in the shadow of {OTHER}, which killed {OTHER_N} people"),
];

const QUOTE_FORMS: &[(&str, bool)] = &[
    // (template, needs a final period)
    ("“{QC}” {SPEAKER} said", true),
    ("{SPEAKER_T} was quoted as saying: “{Q}”", false),
    ("“{QC}” {SURNAME} told reporters {DAY}", true),
    ("{SPEAKER_T} said in a statement: “{Q}”", false),
    ("Local media quoted {SPEAKER} as saying: “{Q}”", false),
    ("{SURNAME} added: “{Q}”", false),
];

const NARRATIVE: &[(Scope, &str)] = &[
    (Scope::Only(Kind::Attack), "Scenes circulating on social media showed the attackers opening fire on people in the foyer before moving further into the building"),
    (Scope::Only(Kind::Attack), "A fire broke out in the roof of the building shortly after the shooting began, and part of the structure later collapsed as firefighters tried to contain the blaze"),
    (Scope::Only(Kind::Attack), "Security at concert venues, railway stations and shopping centres across {COUNTRY} was stepped up in the days after the attack, with armed police posted at major entrances"),
    (Scope::Only(Kind::Attack), "{ACTOR} claimed responsibility in a statement posted on a messaging channel it has used in the past, though officials said they were still assessing its authenticity"),
    (Scope::Only(Kind::Attack), "Officials have not said how the attackers obtained their weapons or how long they had been planning the assault"),
    (Scope::Only(Kind::Attack), "Relatives of the victims gathered outside the city morgue in {CITY}, some of them waiting for hours for news of missing family members"),
    (Scope::Only(Kind::Attack), "{COUNTRY} declared a day of national mourning, and flags on government buildings were lowered to half-mast"),
    (Scope::Only(Kind::Attack), "Investigators were examining footage from security cameras around {SITE} and questioning staff who had been on duty that night"),
    (Scope::Only(Kind::Attack), "The authorities have faced pointed questions over how earlier warnings of a possible attack were handled and why security at the venue was so light"),
    (Scope::Only(Kind::Attack), "Several foreign governments condemned the attack and offered their condolences to the families of the victims"),
    (Scope::Only(Kind::Attack), "Survivors described hiding in bathrooms and storage rooms as the gunmen moved through the building"),
    (Scope::Only(Kind::Flood), "Entire villages along {SITE} were cut off after bridges were washed away and roads turned into fast-flowing rivers"),
    (Scope::Only(Kind::Flood), "Rescue teams used boats and helicopters to reach residents who had spent the night on rooftops waiting for help"),
    (Scope::Only(Kind::Flood), "Forecasters warned of more heavy rain in the coming days, raising fears that swollen rivers could burst their banks again"),
    (Scope::Only(Kind::Flood), "Officials said the water level of {SITE} had begun to fall in some areas, but warned that the danger had not passed"),
    (Scope::Only(Kind::Flood), "Farmers in {REGION} said their crops and livestock had been swept away, and many feared they would not be able to recover"),
    (Scope::Only(Kind::Flood), "Critics accused the authorities of failing to maintain flood defences despite repeated warnings from engineers"),
    (Scope::Only(Kind::Flood), "Emergency shelters were set up in schools and sports halls across {REGION}, where volunteers handed out food and blankets"),
    (Scope::Only(Kind::Flood), "Power and drinking water were cut off in parts of {CITY}, and officials urged residents to boil tap water before using it"),
    (Scope::Only(Kind::Earthquake), "Aftershocks rattled the region throughout the night, sending frightened residents running back into the streets"),
    (Scope::Only(Kind::Earthquake), "Rescuers used cranes, sniffer dogs and their bare hands to search for survivors beneath the collapsed apartment blocks"),
    (Scope::Only(Kind::Earthquake), "Many of the collapsed buildings were built before modern safety codes came into force, according to engineers who inspected the area"),
    (Scope::Only(Kind::Earthquake), "International rescue teams arrived in {REGION} to join the search, bringing specialist equipment to listen for signs of life"),
    (Scope::Only(Kind::Earthquake), "Survivors spent the night outdoors in freezing temperatures, huddled around fires lit in the streets of {CITY}"),
    (Scope::Only(Kind::Earthquake), "The quake was felt in neighbouring countries, and some residents said the shaking lasted for nearly a minute"),
    (Scope::Only(Kind::Earthquake), "Hospitals in {CITY} were overwhelmed, and some of the injured were treated in tents set up in car parks"),
    (Scope::Only(Kind::Earthquake), "Roads into the worst-hit villages were blocked by landslides, slowing the delivery of aid"),
    (Scope::Only(Kind::Fire), "Witnesses said the flames spread within minutes, filling the corridors with thick smoke before people could reach the exits"),
    (Scope::Only(Kind::Fire), "Survivors said some of the emergency exits had been locked, forcing people to break windows to escape"),
    (Scope::Only(Kind::Fire), "Investigators were looking into whether safety rules had been broken and whether the building had a working alarm system"),
    (Scope::Only(Kind::Fire), "The building had failed a fire inspection last year, local media reported, but it was allowed to remain open"),
    (Scope::Only(Kind::Fire), "The owner of the building was taken in for questioning, and prosecutors said they had opened a criminal case"),
    (Scope::Only(Kind::Fire), "Thick black smoke could be seen across {CITY}, and residents of nearby streets were told to keep their windows closed"),
    (Scope::Only(Kind::Fire), "Firefighters said the blaze was fed by flammable materials used in a recent renovation of the building"),
    (Scope::Only(Kind::Fire), "Relatives searched lists of the injured posted at hospitals across {CITY} for news of missing family members"),
    (Scope::Only(Kind::Strike), "Trains stood idle and ports were shut as the walkout spread, leaving commuters stranded and cargo piling up on the docks"),
    (Scope::Only(Kind::Strike), "Management said it had offered a pay rise in line with inflation, but the union rejected the offer as inadequate"),
    (Scope::Only(Kind::Strike), "Talks between {ACTOR} and the government broke down late on {DAYNAME}, with both sides blaming the other for the impasse"),
    (Scope::Only(Kind::Strike), "Police used tear gas to disperse protesters outside the offices of {SITE} after some of them tried to force their way in"),
    (Scope::Only(Kind::Strike), "Business groups warned the strike was hurting the economy and urged the government to intervene"),
    (Scope::Only(Kind::Strike), "The union said it would continue the action until its demands on pay and working conditions were met"),
    (Scope::Only(Kind::Strike), "Supermarkets in {CITY} reported shortages of some goods as deliveries were delayed by the dispute"),
    (Scope::Only(Kind::Strike), "Smaller unions in other sectors said they were considering walkouts of their own in solidarity"),
    (Scope::Only(Kind::Election), "Long queues formed outside polling stations in {CITY}, where some voters said they had waited for hours to cast their ballots"),
    (Scope::Only(Kind::Election), "Observers reported scattered irregularities, including ballot papers that arrived late and names missing from voter lists"),
    (Scope::Only(Kind::Election), "Opposition leaders said they would challenge the result in court if the final count confirmed the preliminary figures"),
    (Scope::Only(Kind::Election), "{ACTOR} campaigned on promises to tackle corruption and rising prices, themes that resonated with younger voters"),
    (Scope::Only(Kind::Election), "Final results are expected later this week, once votes cast abroad and by post have been counted"),
    (Scope::Only(Kind::Election), "International observers are due to publish their assessment of the vote in the coming days"),
    (Scope::Only(Kind::Election), "The campaign was marked by bitter personal attacks and accusations of misuse of state resources"),
    (Scope::Only(Kind::Election), "Supporters of {ACTOR} celebrated in the streets of {CITY} late into the night"),
    (Scope::Only(Kind::Court), "The defence said it would appeal, arguing that key evidence had been obtained unlawfully"),
    (Scope::Only(Kind::Court), "Prosecutors had sought a longer sentence, saying the defendant had shown no remorse during the trial"),
    (Scope::Only(Kind::Court), "Relatives of the victims wept as the verdict was read out in a packed courtroom in {CITY}"),
    (Scope::Only(Kind::Court), "The trial was held partly behind closed doors, which rights groups said undermined its credibility"),
    (Scope::Only(Kind::Court), "Human rights groups criticised the proceedings, saying the defendants had limited access to their lawyers"),
    (Scope::Only(Kind::Court), "The judge said the evidence against the defendant was overwhelming and that the crimes had caused lasting harm"),
    (Scope::Only(Kind::Court), "The case had been closely followed in {COUNTRY}, where it became a symbol of wider frustration with official misconduct"),
    (Scope::Only(Kind::Court), "Dozens of supporters of the defendant gathered outside {SITE} before the hearing"),
    (Scope::Any, "The government said it would set up an independent commission to investigate and publish its findings"),
    (Scope::Deadly, "Local media reported that the authorities had been warned weeks earlier but had taken no action"),
    (Scope::Deadly, "The events have prompted a wider debate over the country’s preparedness for emergencies of this kind"),
    (Scope::Deadly, "{OFFICIAL} was due to visit {CITY} later in the week to meet families and emergency workers"),
    (Scope::Any, "It was not immediately clear how the authorities would respond to the growing criticism"),
    (Scope::Any, "Commentators said the episode would shape the political debate in {COUNTRY} for months to come"),
    (Scope::Any, "Foreign embassies in {COUNTRY} advised their citizens to avoid large gatherings for the time being"),
    (Scope::Deadly, "Residents of {CITY} said they were still in shock, and many laid flowers at a makeshift memorial"),
    (Scope::Any, "The opposition accused the government of mishandling the situation and called for senior officials to resign"),
    (Scope::Any, "Details of the official review have not been made public, and officials declined to answer questions from reporters"),
    (Scope::Any, "Officials urged people not to share unverified information online, saying false rumours were hampering the response"),
    (Scope::Deadly, "Questions have been raised about how the situation was handled in the first hours"),
    (Scope::Deadly, "{COUNTRY}’s neighbours offered assistance, and the European Union said it stood ready to help"),
    (Scope::Deadly, "Church bells rang out across {REGION} in memory of the victims"),
    (Scope::Any, "Television channels interrupted their regular programming to broadcast live coverage from {CITY}"),
    (Scope::Deadly, "Volunteers queued outside hospitals in {CITY} to donate blood after officials appealed for help"),
    (Scope::Deadly, "The mood in {CITY} was sombre, with shops closed and public events cancelled"),
];

const CLAUSES: &[&str] = &[
    ", according to officials familiar with the matter",
    ", a claim that could not be independently verified",
    ", local media reported",
    ", as investigators continued to comb through the site for evidence",
    " and said more details would be released in the coming days",
    ", although officials cautioned that the information was preliminary",
    ", amid growing public anger over the response",
    ", in a sign of the pressure on the authorities",
    ", while the government faced mounting criticism at home and abroad",
    ", according to people who spoke on condition of anonymity because they were not authorised to speak publicly",
    ", echoing comments made earlier by other officials",
    ", as residents of {CITY} struggled to come to terms with what had happened",
    ", and the authorities have promised a full and transparent investigation",
    ", though no further details were given",
    ", state media reported",
    ", in remarks carried by the national news agency",
];

const RELATED: &[&str] = &[
    "{P} minister resigns after corruption probe",
    "{P} central bank holds rates steady",
    "Festival in {P} cancelled amid security fears",
    "Opinion: what the {P} talks mean for the region",
    "{P} says negotiations achieving ‘results’",
    "Court in {P} rejects appeal by former mayor",
    "Heatwave grips {P} as temperatures soar",
    "{P} unveils plan to rebuild rail network",
    "Film director defends controversial scene as lawsuit looms",
];

const SUBHEADS: &[&str] = &["Denial", "Investigation", "Rescue efforts", "Political fallout", "What we know", "Warnings", "Reaction"];

/// Template filling context for one article.
struct Ctx<'a> {
    ev: &'a Event,
    plan: &'a Plan,
    outlet: &'static str,
    when: String,
}

impl<'a> Ctx<'a> {
    fn new(ev: &'a Event, plan: &'a Plan) -> Ctx<'a> {
        // Only articles whose plan says so name the calendar date; notes make
        // date claims only against those.
        let when = if plan.date_explicit {
            format!("on {}", ev.date.month_day())
        } else if plan.day <= 5 {
            format!("on {}", ev.date.weekday())
        } else if plan.day <= 12 {
            "last week".to_string()
        } else {
            format!("in {}", MONTHS[ev.date.ymd().1 as usize - 1])
        };
        Ctx { ev, plan, outlet: OUTLETS[plan.outlet].name, when }
    }

    /// Appends `tpl` with `{KEY}`s replaced; `extra` overrides keys.
    fn fill(&self, tpl: &str, extra: &[(&str, &str)], out: &mut String) {
        let ev = self.ev;
        let mut rest = tpl;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = open + rest[open..].find('}').expect("unclosed {");
            let key = &rest[open + 1..close];
            rest = &rest[close + 1..];
            if let Some((_, v)) = extra.iter().find(|(k, _)| *k == key) {
                out.push_str(v);
                continue;
            }
            match key {
                "CITY" => out.push_str(&ev.place.city),
                "REGION" => out.push_str(&ev.place.region),
                "COUNTRY" => out.push_str(&ev.place.country),
                "SITE" => out.push_str(&ev.site),
                "SITE_BARE" => out.push_str(ev.site.trim_start_matches("the ")),
                "SITE_TYPE" => out.push_str(&ev.site_type),
                "ACTOR" => out.push_str(&ev.actor),
                "ACTOR_BARE" => out.push_str(ev.actor.trim_start_matches("the ")),
                "AGENCY" => out.push_str(&ev.agency),
                "NOUN" => out.push_str(ev.noun),
                "EVENT" => out.push_str(&ev.phrase),
                "SHORT_BARE" => out.push_str(&ev.short),
                "CHARGE" => out.push_str(ev.charge),
                "TOTAL" => {
                    let _ = write!(out, "{}", ev.total_seats);
                }
                "WHEN" => out.push_str(&self.when),
                "DAY" => {
                    let _ = write!(out, "on {}", self.plan.date.weekday());
                }
                "DAYNAME" => out.push_str(self.plan.date.weekday()),
                "OFFICIAL" => out.push_str(&ev.people[0].titled()),
                "OUTLET" => out.push_str(self.outlet),
                "OTHER" => out.push_str(ev.prior.as_ref().map_or("", |p| &p.phrase)),
                "OTHER_N" => {
                    let a = self.plan.other.expect("OTHER_N without other");
                    out.push_str(&amount_text(Fig::Killed, a));
                }
                other => panic!("unknown template key {other}"),
            }
        }
        out.push_str(rest);
    }

    fn sentence(&self, tpl: &str, extra: &[(&str, &str)]) -> String {
        let mut s = String::new();
        self.fill(tpl, extra, &mut s);
        cap_first(&s)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Lead,
    Figure,
    Quote,
    Narrative,
    Other,
}

struct Sent {
    text: String,
    class: Class,
    /// Quote sentences ending in “...” carry their own final punctuation.
    needs_period: bool,
}

/// A sentence stating amount `n` from one of `tpls`. Style guides never open
/// a sentence with a numeral ("34 others were hurt"): such templates are
/// avoided, or given a lead-in when nothing else is left.
fn figure_sentence(ctx: &Ctx, rng: &mut Rng, tpls: &[&str], n: &str) -> String {
    let digit = n.starts_with(|c: char| c.is_ascii_digit());
    let ok: Vec<&str> = tpls.iter().copied().filter(|t| !(digit && t.starts_with("{N}"))).collect();
    if ok.is_empty() {
        let mut s = String::from("In all, ");
        ctx.fill(rng.pick_s(tpls), &[("N", n)], &mut s);
        s
    } else {
        ctx.sentence(rng.pick_s(&ok), &[("N", n)])
    }
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// Composes the body sentences: lead, figures, quotes, background, then
/// narrative filler padded with clauses up to a word target.
/// Returns the sentences and the unpadded lead (a title candidate).
fn compose_sentences(ctx: &Ctx, rng: &mut Rng) -> (Vec<Sent>, String) {
    let ev = ctx.ev;
    let plan = ctx.plan;
    // Real copy: 300–1,500 words, 8–25 sentences, long tail of long pieces.
    let w_target = 300 + (1200.0 * rng.unit().powf(2.0)) as usize;
    let s_target = (w_target / rng.range(26, 40) as usize).clamp(8, 25);

    let main = &plan.mentions[0];
    let n_main = amount_text(main.fig, main.amount);
    let leads: Vec<&str> = LEADS.iter().filter(|l| l.0 == ev.kind).map(|l| l.1).collect();
    let mut lead = figure_sentence(ctx, rng, &leads, &n_main);
    if !plan.md && rng.chance(0.3) {
        let city = ev.place.city.to_uppercase();
        lead = if rng.chance(0.5) { format!("{city} - {lead}") } else { format!("{city} ({}) - {lead}", ctx.outlet) };
    }
    let plain_lead = lead.clone();
    let mut out = vec![Sent { text: lead, class: Class::Lead, needs_period: true }];

    for m in &plan.mentions[1..] {
        // For Killed only restatements reach here (it is always the headline
        // figure), and its templates are the "confirmed" forms.
        let n = amount_text(m.fig, m.amount);
        let text = figure_sentence(ctx, rng, fig_templates(m.fig), &n);
        out.push(Sent { text, class: Class::Figure, needs_period: true });
    }
    for &(qi, vi) in &plan.quotes {
        let q = &ev.quotes[qi];
        let p = &ev.people[q.speaker];
        let text = &q.variants[vi];
        let comma = match text.strip_suffix('.') {
            Some(t) => format!("{t},"),
            None => text.clone(),
        };
        let titled = p.titled();
        let (tpl, period) = *rng.pick(QUOTE_FORMS);
        let s = ctx.sentence(tpl, &[("Q", text), ("QC", &comma), ("SPEAKER", &p.name), ("SPEAKER_T", &titled), ("SURNAME", &p.surname)]);
        out.push(Sent { text: s, class: Class::Quote, needs_period: period });
    }
    if plan.other.is_some() {
        let forms: Vec<&str> = OTHER_EVENT.iter().filter(|o| o.0.fits(ev.kind)).map(|o| o.1).collect();
        out.push(Sent { text: ctx.sentence(rng.pick_s(&forms), &[]), class: Class::Other, needs_period: true });
    }

    let mut bank: Vec<&str> = NARRATIVE.iter().filter(|(k, _)| k.fits(ev.kind)).map(|(_, t)| *t).collect();
    rng.shuffle(&mut bank);
    let mut bank = bank.into_iter();
    while out.len() < s_target {
        let Some(t) = bank.next() else { break };
        out.push(Sent { text: ctx.sentence(t, &[]), class: Class::Narrative, needs_period: true });
    }

    // Figures early, background late, quotes and narrative interleaved.
    let mut keyed: Vec<(f64, Sent)> = out
        .into_iter()
        .map(|s| {
            let base = match s.class {
                Class::Lead => -100.0,
                Class::Figure => 0.0,
                Class::Quote => 1.0,
                Class::Narrative => 1.5,
                Class::Other => 2.5,
            };
            (base + rng.frac(0.0, 2.5), s)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<Sent> = keyed.into_iter().map(|(_, s)| s).collect();

    // Spare material for padding: the rest of the bank plus generated
    // reactions with fresh names, so long pieces never run dry.
    let mut spare: Vec<Filler> = bank.map(|t| Filler::new(t, ctx.sentence(t, &[]))).collect();
    spare.extend(generated_fillers(ctx, rng, 6 + w_target / 40));
    rng.shuffle(&mut spare);
    pad_to_words(ctx, &mut out, w_target, rng, spare);
    (out, plain_lead)
}

/// A sentence available for padding.
struct Filler {
    text: String,
    /// Keeps its capital when joined after a semicolon.
    opens_with_name: bool,
}

impl Filler {
    /// Templates opening with a slot usually open with a proper noun
    /// ("{COUNTRY}’s neighbours"), except slots that fill in "the ..." or an
    /// occupation.
    fn new(template: &str, text: String) -> Filler {
        let opens_with_name =
            template.starts_with('{') && !template.starts_with("{OCC_CAP}") && !["The ", "A ", "An "].iter().any(|a| text.starts_with(a));
        Filler { text, opens_with_name }
    }
}

/// Reaction/analysis/witness sentences; `{P2}`-style slots get fresh invented
/// names each time. No figures: padding must never add checkable numbers.
const GENERATED: &[(Scope, &str)] = &[
    (Scope::Any, "The foreign ministry of {C2} said it was following developments in {COUNTRY} closely"),
    (Scope::Any, "Analysts at the {W2} Institute in {C2} said the events could have lasting consequences for the government"),
    (Scope::Any, "{P2}, a political analyst based in {CITY}, said public trust in official statements had been badly shaken"),
    (Scope::Any, "Markets in {COUNTRY} were little changed, although some investors said they were watching the situation carefully"),
    (Scope::Any, "The story dominated front pages across {COUNTRY}, with several newspapers calling for an independent inquiry"),
    (Scope::Any, "A spokesperson for the {W2} Party, which is in opposition, said the government had serious questions to answer"),
    (Scope::Any, "{P2}, {OCC} in {CITY}, said people were angry and wanted to know who was responsible"),
    (Scope::Deadly, "{P2}, {OCC} who lives in {CITY}, said they had heard a loud noise and then screaming"),
    (Scope::Deadly, "{P2}, who was in {CITY} at the time, said people ran in every direction and nobody knew where to go"),
    (Scope::Deadly, "Hospitals in neighbouring districts sent doctors and ambulances to help cope with the number of casualties"),
    (Scope::Deadly, "The leaders of {C2} and {C3} sent messages of condolence to the families of the victims"),
    (Scope::Deadly, "Aid agencies including the {W2} Red Cross said they had sent teams and supplies to {CITY}"),
    (Scope::Deadly, "The {W2} family, who run a café in {CITY}, said they had opened their doors to people fleeing the scene"),
    (Scope::Any, "{P2}, a senior researcher at the {W2} Institute, said it was too early to draw firm conclusions"),
    (Scope::Any, "The embassy of {C2} in {COUNTRY} said none of its citizens were believed to be affected"),
    (Scope::Any, "Social media users in {COUNTRY} shared images and messages under a hashtag that trended for most of the day"),
    (Scope::Any, "{P2}, a former government adviser, said the handling of the affair had exposed deep divisions within the cabinet"),
    (Scope::Any, "A poll published by the {W2} Centre suggested most people in {COUNTRY} wanted a full public inquiry"),
    (Scope::Any, "The {W2} Foundation, a think tank in {C2}, called for greater transparency from the authorities"),
    (Scope::Deadly, "Blood banks across {REGION} reported a surge in donors after an appeal on national television"),
    (Scope::Deadly, "{P2}, a doctor at the main hospital in {CITY}, said staff had worked through the night to treat the wounded"),
    (Scope::Deadly, "Schools in {CITY} remained closed, and parents were advised to keep children at home"),
    (Scope::Deadly, "A memorial service was planned for the weekend in the main square of {CITY}"),
    (Scope::Deadly, "Insurance companies said it was too early to estimate the cost of the damage"),
    (Scope::Deadly, "Football clubs in {COUNTRY} said players would wear black armbands at their next matches"),
    (Scope::Only(Kind::Strike), "{P2}, who runs a small business in {CITY}, said the dispute had cost them most of their customers"),
    (Scope::Only(Kind::Strike), "Commuters in {CITY} faced long queues for buses as the walkout disrupted transport"),
    (Scope::Only(Kind::Election), "{P2}, a first-time voter in {CITY}, said they had chosen the candidate who talked most about jobs"),
    (Scope::Only(Kind::Election), "Election monitors from {C2} said they had been given full access to polling stations"),
    (Scope::Only(Kind::Court), "{P2}, who followed the trial from the public gallery, said the atmosphere in court had been tense"),
    (Scope::Only(Kind::Court), "Lawyers from the {W2} Bar Association said the case raised questions about judicial independence"),
    (
        Scope::Only(Kind::Attack),
        "{OCC_CAP} who gave her name only as {FIRST} said she had hidden behind a locked door until police arrived",
    ),
    (Scope::Only(Kind::Strike), "{P2}, {OCC} at {SITE}, said they had not had a real pay rise in years and could no longer make ends meet"),
    (Scope::Only(Kind::Election), "{P2}, {OCC} who voted in {CITY}, said they hoped the next government would focus on the cost of living"),
    (Scope::Only(Kind::Court), "{P2}, a law professor at the University of {CITY}, said the verdict could set an important precedent"),
];

const OCCUPATIONS: &[&str] = &[
    "a teacher",
    "a shopkeeper",
    "a nurse",
    "a taxi driver",
    "a student",
    "an engineer",
    "a pensioner",
    "a factory worker",
    "an accountant",
];

/// Up to `n` fillers, each from a different template: real copy doesn't
/// repeat itself, so long pieces top out where the material runs out.
fn generated_fillers(ctx: &Ctx, rng: &mut Rng, n: usize) -> Vec<Filler> {
    let mut forms: Vec<&str> = GENERATED.iter().filter(|g| g.0.fits(ctx.ev.kind)).map(|g| g.1).collect();
    rng.shuffle(&mut forms);
    forms.truncate(n);
    forms
        .into_iter()
        .map(|t| {
            let (p2, _) = person_name(rng);
            let first = rng.pick_s(FIRST_NAMES);
            let c2 = coin_word(rng, 2) + rng.pick_s(COUNTRY_SUFFIXES);
            let c3 = coin_word(rng, 2) + rng.pick_s(COUNTRY_SUFFIXES);
            let w2 = coin_word(rng, 2);
            let occ = rng.pick_s(OCCUPATIONS);
            let occ_cap = cap_first(occ);
            let extra = [("P2", p2.as_str()), ("FIRST", first), ("C2", &c2), ("C3", &c3), ("W2", &w2), ("OCC", occ), ("OCC_CAP", &occ_cap)];
            Filler::new(t, ctx.sentence(t, &extra))
        })
        .collect()
}

/// Grows an article to its word target in phases, so short pieces stay
/// short-sentenced and only long ones get long sentences: a clause per
/// sentence, a few more sentences, a joined narrative per sentence, more
/// sentences up to 25, then a second clause and up to two more joins (only
/// the longest pieces get there). No clause is used twice in one article.
fn pad_to_words(ctx: &Ctx, sents: &mut Vec<Sent>, target: usize, rng: &mut Rng, mut spare: Vec<Filler>) {
    let mut total: usize = sents.iter().map(|s| words(&s.text)).sum();
    let mut clauses: Vec<&str> = CLAUSES.to_vec();
    rng.shuffle(&mut clauses);
    let lead_ext = rng.chance(0.3);
    let s_soft = (sents.len() + 4).min(25);
    for phase in 0..7 {
        if total >= target {
            return;
        }
        match phase {
            1 | 3 => {
                let cap = if phase == 1 { s_soft } else { 25 };
                while total < target && sents.len() < cap {
                    let Some(f) = spare.pop() else { break };
                    let text = f.text;
                    total += words(&text);
                    // After the lead, so the headline facts stay on top.
                    let at = 1 + rng.below(sents.len());
                    sents.insert(at, Sent { text, class: Class::Narrative, needs_period: true });
                }
            }
            _ => {
                let join = matches!(phase, 2 | 5 | 6);
                // The lead may take a clause, never a joined sentence.
                let mut ext: Vec<usize> = (0..sents.len())
                    .filter(|&i| matches!(sents[i].class, Class::Narrative | Class::Figure) || (i == 0 && lead_ext && !join))
                    .collect();
                rng.shuffle(&mut ext);
                for i in ext {
                    if total >= target {
                        return;
                    }
                    let add = if join { join_narrative(&mut spare) } else { clause_for(ctx, &sents[i].text, &mut clauses) };
                    if let Some(add) = add {
                        total += words(&add);
                        sents[i].text.push_str(&add);
                    }
                }
            }
        }
    }
}

/// A trailing clause that doesn't repeat an attribution the sentence has.
fn clause_for(ctx: &Ctx, sentence: &str, clauses: &mut Vec<&str>) -> Option<String> {
    let attributed = sentence.contains("reported") || sentence.contains("according to") || sentence.ends_with(" said");
    let pos = clauses.iter().position(|c| !(attributed && (c.contains("reported") || c.contains("according to"))))?;
    let mut add = String::new();
    ctx.fill(clauses.remove(pos), &[], &mut add);
    Some(add)
}

/// "; " plus a spare sentence, decapitalised unless it opens with a name.
fn join_narrative(spare: &mut Vec<Filler>) -> Option<String> {
    let f = spare.pop()?;
    Some(format!("; {}", if f.opens_with_name { f.text } else { lower_first(&f.text) }))
}

fn compose_title(ctx: &Ctx, rng: &mut Rng, lead: &str) -> String {
    let main = &ctx.plan.mentions[0];
    if rng.chance(0.2) {
        // Like real copy, sometimes the title is just a sentence.
        let t = lead.split(" - ").last().unwrap_or(lead);
        return format!("{t}.");
    }
    let n = amount_text(main.fig, main.amount);
    let titles: Vec<&str> = TITLES.iter().filter(|t| t.0 == ctx.ev.kind).map(|t| t.1).collect();
    ctx.sentence(rng.pick_s(&titles), &[("N", &n)])
}

enum Credit {
    None,
    BylineOutlet,
    ByReporter,
    SourceAgencies,
    WireLastLine,
    TitleParen,
}

/// Renders one article into `out` (cleared first).
fn render_article(c: &Corpus, ev: &Event, plan: &Plan, out: &mut String) {
    out.clear();
    let mut rng = Rng::stream(c.seed, DOM_RENDER, plan.seq as u64, 0);
    let ctx = Ctx::new(ev, plan);
    let (sents, plain_lead) = compose_sentences(&ctx, &mut rng);
    let title = compose_title(&ctx, &mut rng, &plain_lead);
    let mut paras = group_paragraphs(&sents, &mut rng);
    if let Some(real_copy) = &c.real_copy {
        real_copy.pad(&mut paras, ev.idx, &mut Rng::stream(c.seed, DOM_REAL_COPY, plan.seq as u64, 0));
    }
    if plan.md {
        render_md(plan, &ctx, &title, &paras, out);
    } else {
        render_txt(plan, &ctx, &title, &paras, &mut rng, out);
    }
}

/// Groups sentences into paragraphs of 1–3 (occasionally one long block, as
/// in seed 003). NBSPs sneak into a few non-quote sentences, like real copy.
fn group_paragraphs(sents: &[Sent], rng: &mut Rng) -> Vec<String> {
    let nbsp = rng.chance(0.1);
    let mut paras = Vec::new();
    let mut cur = String::new();
    let mut left = 1; // the lead stands alone
    let long_block_at = if rng.chance(0.2) { Some(rng.range(2, 5) as usize) } else { None };
    for s in sents {
        if !cur.is_empty() {
            cur.push(' ');
        }
        let mut text = s.text.clone();
        if nbsp && s.class != Class::Quote {
            text = text.replacen("’s ", "’s\u{a0}", 1);
        }
        cur.push_str(&text);
        if s.needs_period {
            cur.push('.');
        }
        left -= 1;
        if left == 0 {
            paras.push(std::mem::take(&mut cur));
            left = if long_block_at == Some(paras.len()) { 6 } else { [1, 1, 2, 2, 2, 3][rng.below(6)] };
        }
    }
    if !cur.is_empty() {
        paras.push(cur);
    }
    paras
}

fn render_txt(plan: &Plan, ctx: &Ctx, title: &str, paras: &[String], rng: &mut Rng, out: &mut String) {
    let sep = if rng.chance(0.6) { "\n\n" } else { "\n" };
    let credit = match rng.weighted(&[35, 15, 10, 15, 17, 8]) {
        0 => Credit::None,
        1 => Credit::BylineOutlet,
        2 => Credit::ByReporter,
        3 => Credit::SourceAgencies,
        4 => Credit::WireLastLine,
        _ => Credit::TitleParen,
    };
    let (reporter, _) = person_name(rng);
    let wire = *rng.pick(&WIRES[..3]);
    // About 1 in 3 carry a date marker glued before the title, as in the seeds.
    if rng.chance(1.0 / 3.0) {
        let _ = write!(out, " date {} ", plan.date.iso());
    }
    out.push_str(title);
    if let Credit::TitleParen = credit {
        let _ = write!(out, " ({wire})");
    }
    out.push_str(sep);
    match credit {
        Credit::BylineOutlet => {
            out.push_str(ctx.outlet);
            if rng.chance(0.4) {
                out.push('\n');
                out.push_str(ctx.outlet); // duplicated, like the AP seed
            }
            out.push_str("\n\n");
        }
        Credit::ByReporter => {
            let _ = write!(out, "By {reporter}, {}\n\n", ctx.outlet);
        }
        _ => {}
    }
    let furniture = rng.chance(0.3);
    let related_at = if furniture && rng.chance(0.7) { Some(rng.range(1, 2) as usize) } else { None };
    let subhead_at = if rng.chance(0.15) && paras.len() > 4 { Some(rng.range(3, paras.len() as u32 - 1) as usize) } else { None };
    for (i, p) in paras.iter().enumerate() {
        if Some(i) == related_at {
            for _ in 0..rng.range(1, 3) {
                let place = coin_word(rng, 2);
                let mut h = String::from("- ");
                ctx.fill(rng.pick_s(RELATED), &[("P", &place)], &mut h);
                out.push_str(&h);
                out.push('\n');
            }
            if sep == "\n\n" {
                out.push('\n');
            }
        }
        if Some(i) == subhead_at {
            out.push_str(rng.pick_s(SUBHEADS));
            out.push_str(sep);
        }
        out.push_str(p);
        if i + 1 < paras.len() {
            out.push_str(sep);
        }
    }
    if furniture && rng.chance(0.6) {
        let _ = write!(
            out,
            "{sep}Follow {reporter} on\u{a0}Facebook\u{a0}and\u{a0}Twitter.{sep}COMMENTS{sep}Please let us know if you're having issues with commenting."
        );
    }
    match credit {
        Credit::SourceAgencies => out.push_str(&format!("{sep}Source: Agencies")),
        Credit::WireLastLine => {
            out.push('\n');
            out.push_str(if wire == "The Associated Press" { "AP" } else { wire });
        }
        _ => {}
    }
    if rng.chance(0.5) {
        out.push('\n');
    }
}

fn yaml_quote(s: &str) -> String {
    let mut o = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            _ => o.push(ch),
        }
    }
    o.push('"');
    o
}

fn slug(s: &str) -> String {
    let mut out = String::new();
    for ch in s.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    out.trim_end_matches('-').to_string()
}

fn render_md(plan: &Plan, ctx: &Ctx, title: &str, paras: &[String], out: &mut String) {
    let outlet = &OUTLETS[plan.outlet];
    let (y, m, d) = plan.date.ymd();
    let _ = write!(
        out,
        "---\ntitle: {}\ndate: {}\noutlet: {}\nurl: https://www.{}/{y:04}/{m:02}/{d:02}/{}\nid: {}\n---\n\n",
        yaml_quote(title),
        plan.date.iso(),
        ctx.outlet,
        outlet.domain,
        slug(title),
        plan.key.stem()
    );
    for p in paras {
        out.push_str(p);
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
}

// ============================================================== notes

/// One claim written into a note (correct or faulty); faults go to the manifest.
#[derive(Clone, Debug)]
struct Claim {
    line: usize,
    start: usize,
    end: usize,
    /// "figure", "date", "quote", "citation"
    what: &'static str,
    fig: Option<Fig>,
    /// Cited key as written (stem without '@').
    key: String,
    code: Option<&'static str>,
    /// The text in the note at [start, end).
    claimed: String,
    /// What the cited source says (figure text, date, or the true quote).
    source: String,
    /// Where a wrongly attributed quote really is.
    found_in: String,
    detail: String,
}

#[derive(Default, Clone, Debug)]
struct NoteStats {
    figures: usize,
    dates: usize,
    quotes: usize,
    citations: usize,
    events: usize,
}

struct Note {
    name: String,
    target_lines: u32,
    text: String,
    lines: usize,
    claims: Vec<Claim>,
    stats: NoteStats,
}

impl Note {
    fn faults(&self) -> impl Iterator<Item = &Claim> {
        self.claims.iter().filter(|c| c.code.is_some())
    }
}

/// Builds one note line by line, tracking byte columns of claims.
struct NoteBuilder<'c> {
    c: &'c Corpus,
    rng: Rng,
    straight_quotes: bool,
    text: String,
    line_no: usize,
    cur: String,
    claims: Vec<Claim>,
    stats: NoteStats,
}

/// Unicode quotes folded to ASCII, as someone typing a note would.
fn straighten(s: &str) -> String {
    s.replace(['‘', '’'], "'").replace(['“', '”'], "\"")
}

/// Normal form for quote matching (tests, misquote checks).
fn norm_quote(s: &str) -> String {
    straighten(s).replace('\u{a0}', " ")
}

const MISQUOTE_SWAPS: &[(&str, &str)] = &[
    ("people", "citizens"),
    ("border", "frontier"),
    ("every", "each"),
    ("will", "shall"),
    ("must", "should"),
    ("we", "they"),
    ("our", "their"),
    ("all", "many"),
    ("have", "had"),
    ("are", "were"),
    ("is", "was"),
    ("never", "not"),
    ("time", "moment"),
    ("families", "relatives"),
    ("victims", "casualties"),
    ("investigation", "inquiry"),
    ("found", "located"),
    ("work", "labour"),
    ("buildings", "houses"),
    ("water", "flood"),
    ("minute", "moment"),
    ("years", "decades"),
    ("message", "signal"),
    ("decision", "verdict"),
    ("evidence", "proof"),
    ("security", "safety"),
    ("hour", "day"),
    ("alive", "safely"),
    ("nobody", "no one"),
    ("help", "aid"),
    ("change", "reform"),
    ("the", "this"),
    ("that", "which"),
    ("and", "but"),
];

const NOTE_FIG: &[(Fig, &str)] = &[
    (Fig::Killed, "{N} people were killed"),
    (Fig::Killed, "{N} people died"),
    (Fig::Killed, "the death toll was {N}"),
    (Fig::Killed, "{N} people lost their lives"),
    (Fig::Injured, "{N} people were injured"),
    (Fig::Injured, "{N} were wounded"),
    (Fig::Arrested, "{N} people were arrested"),
    (Fig::Arrested, "{N} suspects were detained"),
    (Fig::Attackers, "{N} gunmen carried out the attack"),
    (Fig::Attackers, "there were {N} attackers"),
    (Fig::Children, "{N} children were among the dead"),
    (Fig::Missing, "{N} people were still missing"),
    (Fig::Displaced, "{N} people were displaced"),
    (Fig::Displaced, "{N} residents were evacuated"),
    (Fig::Magnitude, "the quake measured {N}"),
    (Fig::Buildings, "{N} buildings collapsed or were damaged"),
    (Fig::Firefighters, "{N} firefighters were deployed"),
    (Fig::Strikers, "{N} workers joined the strike"),
    (Fig::Turnout, "turnout was {N} percent"),
    (Fig::Seats, "{ACTOR} won {N} seats"),
    (Fig::Defendants, "{N} defendants stood trial"),
    (Fig::Sentence, "{ACTOR} was sentenced to {N} years"),
    (Fig::Decades, "it was the deadliest {NOUN} in {N}"),
];

const NOTE_TITLES: &[&str] = &[
    "Casualty reporting across outlets",
    "Disasters and emergencies: source review",
    "Fact-check log",
    "Background notes for the long read",
    "How the numbers changed",
];

const OPEN_QUESTIONS: &[&str] = &[
    "Who ordered it, if anyone? No outlet says.",
    "Check whether the official figures were revised later.",
    "Outlets disagree on the sequence of events; reconcile before publishing.",
    "Find a second source for the claims about earlier warnings.",
    "Ask the press office for the final report.",
    "Compare translations of the main statements.",
];

impl<'c> NoteBuilder<'c> {
    fn push(&mut self, s: &str) {
        self.cur.push_str(s);
    }

    fn mark(&mut self, s: &str) -> (usize, usize) {
        let start = self.cur.len();
        self.cur.push_str(s);
        (start, self.cur.len())
    }

    fn end_line(&mut self) {
        self.text.push_str(&self.cur);
        self.text.push('\n');
        self.cur.clear();
        self.line_no += 1;
    }

    fn blank(&mut self) {
        self.end_line();
    }

    /// A claim about `span` of the current line citing `key`; callers fill
    /// in the rest with struct-update syntax.
    fn claim_at(&self, span: (usize, usize), what: &'static str, key: String) -> Claim {
        Claim {
            line: self.line_no,
            start: span.0,
            end: span.1,
            what,
            fig: None,
            key,
            code: None,
            claimed: self.cur[span.0..span.1].to_string(),
            source: String::new(),
            found_in: String::new(),
            detail: String::new(),
        }
    }

    /// A fault rate scaled by `--fault-scale`.
    fn rate(&self, p: f64) -> f64 {
        (p * self.c.fault_scale).min(0.9)
    }

    /// Decides before the claim is written whether one of its `n` keys will be
    /// bogus, so a claim never carries two faults.
    fn decide_unknown(&mut self, n: usize) -> Option<usize> {
        (0..n).find(|_| self.rng.chance(self.rate(P_UNKNOWN_KEY)))
    }

    /// Writes ` [@a]` / ` [@a_hex]` / ` [@a; @b]`.
    fn cite(&mut self, keys: &[Key], unknown: Option<usize>) {
        self.push(" [");
        for (i, k) in keys.iter().enumerate() {
            if i > 0 {
                self.push("; ");
            }
            let long = self.rng.chance(0.25);
            if Some(i) == unknown {
                // Keys from [N, 999999] never exist in the corpus.
                let id = self.rng.range(self.c.n, 999_999);
                let text = if long { format!("{:06}_{:016x}", id, self.rng.next_u64()) } else { format!("{id:06}") };
                let span = self.mark(&format!("@{text}"));
                let c = Claim { code: Some("unknown-source"), detail: "key not in corpus".into(), ..self.claim_at(span, "citation", text) };
                self.claims.push(c);
            } else {
                let text = if long { k.stem() } else { k.short() };
                self.push("@");
                self.push(&text);
            }
            self.stats.citations += 1;
        }
        self.push("]");
    }

    /// A sentence stating mention `mi` of `plans[pi]`, wrong ~10% of the time.
    fn figure_claim(&mut self, ev: &Event, plans: &[Plan], pi: usize, mi: usize, lead_in: &str) {
        let plan = &plans[pi];
        let m = plan.mentions[mi].clone();
        let unknown = self.decide_unknown(1);
        let mut amount = m.amount;
        if amount.form == Form::Words && self.rng.chance(0.5) {
            amount.form = Form::Digits;
        } else if amount.form == Form::Digits && words_ok(m.fig, amount.r) && self.rng.chance(0.2) {
            amount.form = Form::Words;
        }
        let mut code = None;
        let mut detail = String::new();
        if unknown.is_none() && self.rng.chance(self.rate(P_FIGURE_WRONG)) {
            if let Some((a, d)) = self.wrong_amount(plans, pi, &m) {
                amount = a;
                detail = d;
                code = Some("figure-contradiction");
            }
        }
        let tpls: Vec<&str> = NOTE_FIG.iter().filter(|t| t.0 == m.fig).map(|t| t.1).collect();
        let tpl = self.rng.pick(&tpls).replace("{ACTOR}", &ev.actor).replace("{NOUN}", ev.noun);
        let (before, after) = tpl.split_once("{N}").expect("{N} in note template");
        let mut n_text = amount_text(m.fig, amount);
        let prefix = match self.rng.below(5) {
            0 => format!("According to {}, ", OUTLETS[plan.outlet].name),
            1 => format!("{} reported that ", OUTLETS[plan.outlet].name),
            2 => format!("In the {}, ", ev.short),
            _ => String::new(),
        };
        let mut before = before.to_string();
        let mut prefix = prefix;
        let starts_sentence = lead_in.is_empty() || lead_in.ends_with(": ") || lead_in.ends_with(". ") || lead_in == "- ";
        if !starts_sentence && (prefix.starts_with("According") || prefix.starts_with("In the")) {
            prefix = lower_first(&prefix);
        }
        if prefix.is_empty() && starts_sentence {
            if before.is_empty() {
                n_text = cap_first(&n_text);
            } else {
                before = cap_first(&before);
            }
        }
        self.push(lead_in);
        self.push(&prefix);
        self.push(&before);
        let span = self.mark(&n_text);
        self.push(after);
        self.cite(&[plan.key], unknown);
        self.push(".");
        self.stats.figures += 1;
        let source = plan.source_text(m.fig);
        let c = Claim { fig: Some(m.fig), code, source, detail, ..self.claim_at(span, "figure", plan.key.short()) };
        self.claims.push(c);
    }

    /// A value contradicting everything `plans[pi]` says about `m.fig`. Prefers
    /// realistic mistakes: another figure of the same article (injured as
    /// dead), the other event's toll mentioned in it, another outlet's
    /// number, then plain perturbation.
    fn wrong_amount(&mut self, plans: &[Plan], pi: usize, m: &Mention) -> Option<(Amount, String)> {
        let plan = &plans[pi];
        let src = plan.intervals(m.fig);
        let mut cands: Vec<(u32, String)> = Vec::new();
        for m2 in &plan.mentions {
            if m2.fig != m.fig && m2.fig.tenths() == m.fig.tenths() && m2.fig != Fig::Decades && m.fig != Fig::Decades {
                cands.push((m2.amount.r, format!("{} figure used as {}", m2.fig.name(), m.fig.name())));
            }
        }
        if let (Fig::Killed, Some(o)) = (m.fig, plan.other) {
            cands.push((o.r, "toll of another event mentioned in the source".into()));
        }
        for (j, p) in plans.iter().enumerate() {
            if j != pi {
                for m2 in p.mentions.iter().filter(|x| x.fig == m.fig) {
                    cands.push((m2.amount.r, format!("figure from another report ({})", p.key.short())));
                }
            }
        }
        self.rng.shuffle(&mut cands);
        let v = m.amount.r;
        for _ in 0..12 {
            cands.push((self.perturb(m.fig, v), "misremembered figure".into()));
        }
        for (w, d) in cands {
            if w == 0 {
                continue;
            }
            let a = Amount {
                qual: Qual::Exact,
                r: w,
                form: if words_ok(m.fig, w) && self.rng.chance(0.3) { Form::Words } else { Form::Digits },
            };
            if contradicts(m.fig, interval(m.fig, a), &src) {
                return Some((a, d));
            }
        }
        None
    }

    fn perturb(&mut self, fig: Fig, v: u32) -> u32 {
        match fig {
            Fig::Magnitude => {
                if self.rng.chance(0.5) {
                    v + self.rng.range(3, 9)
                } else {
                    v.saturating_sub(self.rng.range(3, 9))
                }
            }
            Fig::Turnout => {
                if self.rng.chance(0.5) {
                    v + self.rng.range(30, 120)
                } else {
                    v.saturating_sub(self.rng.range(30, 120))
                }
            }
            Fig::Decades => *self.rng.pick(&[10, 30, 40, 50, 60]),
            _ if v < 10 => {
                if self.rng.chance(0.7) || v < 4 {
                    v + self.rng.range(3, 9)
                } else {
                    v / 3
                }
            }
            _ => {
                let f = if self.rng.chance(0.5) { self.rng.frac(1.2, 1.8) } else { self.rng.frac(0.4, 0.8) };
                let w = (v as f64 * f).round() as u32;
                if w >= 100 && self.rng.chance(0.5) {
                    w / 10 * 10
                } else {
                    w
                }
            }
        }
    }

    /// "took place on March 22" against an article that names the date.
    fn date_claim(&mut self, ev: &Event, plans: &[Plan], pi: usize, lead_in: &str) {
        let plan = &plans[pi];
        let unknown = self.decide_unknown(1);
        let mut date = ev.date;
        let mut code = None;
        let mut detail = String::new();
        if unknown.is_none() && self.rng.chance(self.rate(P_FIGURE_WRONG)) {
            // Off by a few days, never landing on the publication date (which
            // a date marker may show in the article).
            for _ in 0..10 {
                let d = self.rng.range(1, 6) as i32 * if self.rng.chance(0.5) { 1 } else { -1 };
                let cand = ev.date.plus(d);
                if cand.month_day() != plan.date.month_day() && cand.month_day() != ev.date.month_day() {
                    date = cand;
                    code = Some("figure-contradiction");
                    detail = "wrong date".into();
                    break;
                }
            }
        }
        let verb = match ev.kind {
            Kind::Attack => "took place",
            Kind::Flood => "began",
            Kind::Earthquake => "struck",
            Kind::Fire => "broke out",
            Kind::Strike => "began",
            Kind::Election => "was held",
            Kind::Court => "ended in a verdict",
        };
        let (y, _, _) = date.ymd();
        let date_text = if self.rng.chance(0.3) { format!("{}, {y}", date.month_day()) } else { date.month_day() };
        let subject = format!("The {}", ev.short);
        self.push(lead_in);
        self.push(&subject);
        self.push(&format!(" {verb} on "));
        let span = self.mark(&date_text);
        self.cite(&[plan.key], unknown);
        self.push(".");
        self.stats.dates += 1;
        self.stats.figures += 1;
        let c = Claim { code, source: ev.date.month_day(), detail, ..self.claim_at(span, "date", plan.key.short()) };
        self.claims.push(c);
    }

    /// A quotation from `plans[pi]`'s `k`-th quote; ~5% misquoted, ~3% cited
    /// to an article that does not contain it.
    fn quote_claim(&mut self, ev: &Event, plans: &[Plan], pi: usize, k: usize, form: QuoteForm) {
        let (qi, vi) = plans[pi].quotes[k];
        let q = &ev.quotes[qi];
        let full = &q.variants[vi];
        let speaker = &ev.people[q.speaker];
        let unknown = self.decide_unknown(1);
        let mut fragment = self.fragment(full);
        let mut cited = plans[pi].key;
        let mut code = None;
        let mut found_in = String::new();
        let mut detail = String::new();
        let r = self.rng.unit();
        let (misquote, wrong_source) = (self.rate(P_MISQUOTE), self.rate(P_WRONG_SOURCE));
        if unknown.is_none() && r < misquote {
            if let Some((f, d)) = self.misquote(&fragment, q) {
                fragment = f;
                detail = d;
                code = Some("quote-not-found");
            }
        } else if unknown.is_none() && r < misquote + wrong_source {
            if let Some(k2) = self.wrong_source(ev, plans, qi, &fragment) {
                found_in = plans[pi].key.short();
                cited = k2;
                code = Some("quote-wrong-source");
                detail = "quote is in another article".into();
            }
        }
        let (open, close) = if self.straight_quotes { ("\"", "\"") } else { ("“", "”") };
        let body = if self.straight_quotes { straighten(&fragment) } else { fragment.clone() };
        let quoted = format!("{open}{body}{close}");
        let span;
        match form {
            QuoteForm::Sentence => {
                let intro = match self.rng.below(4) {
                    0 => format!("{} said ", speaker.name),
                    1 => format!("{} was quoted as saying ", speaker.name),
                    2 => format!("As {} put it, ", speaker.surname),
                    _ => format!("{} told reporters that ", speaker.surname),
                };
                self.push(&intro);
                span = self.mark(&quoted);
                self.cite(&[cited], unknown);
                self.push(".");
            }
            QuoteForm::Bullet => {
                self.push(&format!("- {} ({}): ", speaker.name, speaker.role));
                span = self.mark(&quoted);
                self.cite(&[cited], unknown);
            }
            QuoteForm::Blockquote => {
                self.push("> ");
                span = self.mark(&quoted);
                self.push(&format!(" — {}", speaker.name));
                self.cite(&[cited], unknown);
            }
        }
        self.stats.quotes += 1;
        let c = Claim { code, source: full.clone(), found_in, detail, ..self.claim_at(span, "quote", cited.short()) };
        self.claims.push(c);
    }

    /// Whole quote or a run of whole clauses (5–20 words), as people quote:
    /// never starting or ending mid-clause. Final punctuation is dropped so
    /// the text matches both “...attack.” and “...attack,” in sources.
    fn fragment(&mut self, full: &str) -> String {
        let words: Vec<&str> = full.split(' ').collect();
        // Boundaries: word indices where a clause starts.
        let mut bounds = vec![0];
        for (i, w) in words.iter().enumerate() {
            if w.ends_with([',', ';', '.', ':']) {
                bounds.push(i + 1);
            }
        }
        if *bounds.last().unwrap() != words.len() {
            bounds.push(words.len());
        }
        let mut spans = Vec::new();
        for (x, &a) in bounds.iter().enumerate() {
            for &b in &bounds[x + 1..] {
                if (5..=20).contains(&(b - a)) && !(a == 0 && b == words.len()) {
                    spans.push((a, b));
                }
            }
        }
        let (a, b) = if spans.is_empty() || self.rng.chance(0.45) { (0, words.len()) } else { *self.rng.pick(&spans) };
        let f = words[a..b].join(" ");
        f.trim_end_matches([',', '.', ';', ':', '!', '?']).to_string()
    }

    /// Changes one word (or drops one) so the text appears in no variant of
    /// the quote, hence nowhere in the corpus.
    fn misquote(&mut self, fragment: &str, q: &Quote) -> Option<(String, String)> {
        let words: Vec<&str> = fragment.split(' ').collect();
        let mut idx: Vec<usize> = (0..words.len()).collect();
        self.rng.shuffle(&mut idx);
        let absent = |cand: &str| q.variants.iter().all(|v| !norm_quote(v).contains(&norm_quote(cand)));
        for &i in &idx {
            let w = words[i];
            let core = w.trim_matches(|c: char| !c.is_alphanumeric());
            let Some(&(_, rep)) = MISQUOTE_SWAPS.iter().find(|(from, _)| core.eq_ignore_ascii_case(from)) else {
                continue;
            };
            let rep = if core.chars().next().is_some_and(char::is_uppercase) { cap_first(rep) } else { rep.to_string() };
            let mut ws: Vec<String> = words.iter().map(|s| s.to_string()).collect();
            ws[i] = w.replacen(core, &rep, 1);
            let cand = ws.join(" ");
            if absent(&cand) {
                return Some((cand, format!("“{core}” changed to “{rep}”")));
            }
        }
        // Fallback: drop an inner word.
        if words.len() >= 4 {
            let i = 1 + self.rng.below(words.len() - 2);
            let mut ws = words.clone();
            let dropped = ws.remove(i);
            let cand = ws.join(" ");
            if absent(&cand) {
                return Some((cand, format!("word “{dropped}” dropped")));
            }
        }
        None
    }

    /// An article that does not contain the fragment: another report of the
    /// same event lacking this quote, else an article about another event.
    fn wrong_source(&mut self, ev: &Event, plans: &[Plan], qi: usize, fragment: &str) -> Option<Key> {
        let lacking: Vec<&Plan> = plans.iter().filter(|p| !p.has_quote(qi)).collect();
        if !lacking.is_empty() {
            return Some(self.rng.pick(&lacking).key);
        }
        for _ in 0..5 {
            let e2 = self.rng.below(self.c.n_events() as usize) as u32;
            if e2 == ev.idx {
                continue;
            }
            let ev2 = self.c.event(e2);
            let p2 = plan_article(self.c, &ev2, 0);
            let nf = norm_quote(fragment);
            if p2.quotes.iter().all(|&(q2, v2)| !norm_quote(&ev2.quotes[q2].variants[v2]).contains(&nf)) {
                return Some(p2.key);
            }
        }
        None
    }

    /// A figure-free sentence supported by several reports.
    fn multi_claim(&mut self, ev: &Event, plans: &[Plan]) {
        let n = plans.len().min(2);
        let mut idx: Vec<usize> = (0..plans.len()).collect();
        self.rng.shuffle(&mut idx);
        let keys: Vec<Key> = idx[..n].iter().map(|&i| plans[i].key).collect();
        let text = match ev.kind {
            Kind::Attack => format!("Several outlets said {} claimed responsibility", ev.actor),
            Kind::Court => format!("The case was heard at {}", ev.site),
            Kind::Election => format!("The {} oversaw the vote", ev.agency),
            _ => format!("The {} coordinated the official response", ev.agency),
        };
        let unknown = self.decide_unknown(n);
        self.push(&text);
        self.cite(&keys, unknown);
        self.push(".");
    }

    fn pick_mention(&mut self, plans: &[Plan], fig: Option<Fig>) -> Option<(usize, usize)> {
        let mut all = Vec::new();
        for (pi, p) in plans.iter().enumerate() {
            for (mi, m) in p.mentions.iter().enumerate() {
                if fig.is_none_or(|f| f == m.fig) {
                    all.push((pi, mi));
                }
            }
        }
        if all.is_empty() {
            None
        } else {
            Some(*self.rng.pick(&all))
        }
    }

    fn pick_quote(&mut self, plans: &[Plan]) -> (usize, usize) {
        let all: Vec<(usize, usize)> = plans.iter().enumerate().flat_map(|(pi, p)| (0..p.quotes.len()).map(move |k| (pi, k))).collect();
        *self.rng.pick(&all)
    }

    fn section(&mut self, num: usize, e: u32, target: usize) {
        let ev = self.c.event(e);
        let plans: Vec<Plan> = (0..ev.n_articles).map(|s| plan_article(self.c, &ev, s)).collect();
        self.stats.events += 1;
        self.push(&format!("## {num}. {} ({})", cap_first(&ev.short), ev.date.month_year()));
        self.end_line();
        self.blank();

        // Intro paragraph: context then a few claims on one line.
        self.push(&format!("This section covers {}.", ev.phrase));
        for _ in 0..self.rng.range(1, 3) {
            self.push(" ");
            self.any_claim(&ev, &plans);
        }
        self.end_line();
        self.blank();

        let mut subs = vec![0, 1, 2, 3, 4, 5];
        self.rng.shuffle(&mut subs);
        let n_subs = self.rng.range(2, 4) as usize;
        for &s in &subs[..n_subs] {
            if self.line_no >= target {
                break;
            }
            if !self.text.ends_with("\n\n") {
                self.blank();
            }
            match s {
                0 => self.timeline(&ev, &plans),
                1 => self.figures_list(&ev, &plans),
                2 => self.statements(&ev, &plans),
                3 => self.discrepancies(&ev, &plans),
                4 => self.open_questions(),
                _ => self.sources(&plans),
            }
        }
        if !self.text.ends_with("\n\n") {
            self.blank();
        }
    }

    fn any_claim(&mut self, ev: &Event, plans: &[Plan]) {
        match self.rng.below(10) {
            0..=4 => {
                let (pi, mi) = self.pick_mention(plans, None).expect("every plan has a headline figure");
                self.figure_claim(ev, plans, pi, mi, "");
            }
            5 | 6 => {
                let (pi, k) = self.pick_quote(plans);
                self.quote_claim(ev, plans, pi, k, QuoteForm::Sentence);
            }
            7 => {
                let dated: Vec<usize> = (0..plans.len()).filter(|&i| plans[i].date_explicit).collect();
                if dated.is_empty() {
                    self.multi_claim(ev, plans);
                } else {
                    let pi = *self.rng.pick(&dated);
                    self.date_claim(ev, plans, pi, "");
                }
            }
            _ => self.multi_claim(ev, plans),
        }
    }

    fn timeline(&mut self, ev: &Event, plans: &[Plan]) {
        self.push("### Timeline");
        self.end_line();
        self.blank();
        let dated: Vec<usize> = (0..plans.len()).filter(|&i| plans[i].date_explicit).collect();
        if !dated.is_empty() {
            let pi = *self.rng.pick(&dated);
            self.date_claim(ev, plans, pi, "- ");
            self.end_line();
        }
        // Up to six reports in publication order (slots are date-ordered).
        let picked: Vec<usize> = (0..plans.len()).step_by(plans.len().div_ceil(6)).collect();
        for (i, &pi) in picked.iter().enumerate() {
            let label = match i {
                0 => "Early report",
                _ if i + 1 == picked.len() => "Latest report",
                _ => "Follow-up",
            };
            let lead = format!("- {label} ({}): ", OUTLETS[plans[pi].outlet].name);
            self.figure_claim(ev, plans, pi, 0, &lead);
            self.end_line();
        }
    }

    fn figures_list(&mut self, ev: &Event, plans: &[Plan]) {
        self.push("### Reported figures");
        self.end_line();
        self.blank();
        for i in 1..=self.rng.range(3, 7) {
            let (pi, mi) = self.pick_mention(plans, None).unwrap();
            let lead = format!("{i}. ");
            self.figure_claim(ev, plans, pi, mi, &lead);
            self.end_line();
        }
    }

    fn statements(&mut self, ev: &Event, plans: &[Plan]) {
        self.push("### Statements");
        self.end_line();
        self.blank();
        for _ in 0..self.rng.range(2, 4) {
            let (pi, k) = self.pick_quote(plans);
            let form = match self.rng.below(4) {
                0 => QuoteForm::Blockquote,
                1 => QuoteForm::Sentence,
                _ => QuoteForm::Bullet,
            };
            let at_para_start = self.text.ends_with("\n\n");
            if form == QuoteForm::Blockquote && !at_para_start {
                self.blank();
            }
            self.quote_claim(ev, plans, pi, k, form);
            self.end_line();
            if form == QuoteForm::Blockquote {
                self.blank();
            }
        }
    }

    fn discrepancies(&mut self, ev: &Event, plans: &[Plan]) {
        if plans.len() < 2 {
            return self.figures_list(ev, plans);
        }
        self.push("### Discrepancies");
        self.end_line();
        self.blank();
        // Two different reports of the headline figure.
        let fig = plans[0].mentions[0].fig;
        let a = self.pick_mention(plans, Some(fig)).unwrap();
        let others: Vec<usize> = (0..plans.len()).filter(|&i| i != a.0).collect();
        let b = (*self.rng.pick(&others), 0);
        self.push("Figures differ between outlets. ");
        self.figure_claim(ev, plans, a.0, a.1, "");
        self.push(" ");
        self.figure_claim(ev, plans, b.0, b.1, "Elsewhere, ");
        self.push(" The later reports are probably more reliable.");
        self.end_line();
    }

    fn open_questions(&mut self) {
        self.push("### Open questions");
        self.end_line();
        self.blank();
        let mut qs: Vec<&str> = OPEN_QUESTIONS.to_vec();
        self.rng.shuffle(&mut qs);
        for q in qs.iter().take(self.rng.range(2, 3) as usize) {
            self.push("- ");
            self.push(q);
            self.end_line();
        }
    }

    fn sources(&mut self, plans: &[Plan]) {
        self.push("### Sources consulted");
        self.end_line();
        self.blank();
        for p in plans.iter().take(5) {
            self.push(&format!("- {}", OUTLETS[p.outlet].name));
            let unknown = self.decide_unknown(1);
            self.cite(&[p.key], unknown);
            self.end_line();
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum QuoteForm {
    Sentence,
    Bullet,
    Blockquote,
}

/// Builds note `k` of roughly `target` lines.
fn build_note(c: &Corpus, target: u32, k: u32) -> Note {
    let mut b = NoteBuilder {
        c,
        rng: Rng::stream(c.seed, DOM_NOTE, target as u64, k as u64),
        straight_quotes: false,
        text: String::new(),
        line_no: 0,
        cur: String::new(),
        claims: Vec::new(),
        stats: NoteStats::default(),
    };
    b.straight_quotes = b.rng.chance(0.5);
    let title = *b.rng.pick(NOTE_TITLES);
    b.push(&format!("# {title}"));
    b.end_line();
    b.blank();
    b.push("Working notes. Sources are cited by corpus key in pandoc style; check every figure before use.");
    b.end_line();
    b.blank();
    let target = target as usize;
    let mut num = 1;
    while b.line_no < target {
        let e = b.rng.below(c.n_events() as usize) as u32;
        b.section(num, e, target);
        num += 1;
    }
    let lines = b.line_no;
    Note { name: format!("note_{target}_{k:02}.md"), target_lines: target as u32, text: b.text, lines, claims: b.claims, stats: b.stats }
}

// ============================================================== manifest

fn json_str(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for ch in s.chars() {
        match ch {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn manifest_json(c: &Corpus, t: &ArticleTotals, notes: &[Note], note_bytes: u64, content_hash: u64) -> String {
    let mut o = String::new();
    o.push_str("{\n");
    let _ = writeln!(o, "  \"generator\": \"gen_corpus\",");
    let _ = writeln!(o, "  \"schema_version\": 1,");
    let _ = writeln!(o, "  \"seed\": {},", c.seed);
    let _ = writeln!(o, "  \"articles\": {},", t.count);
    let _ = writeln!(o, "  \"articles_md\": {},", t.md);
    let _ = writeln!(o, "  \"events\": {},", c.n_events());
    let _ = writeln!(o, "  \"article_bytes\": {},", t.bytes);
    let _ = writeln!(o, "  \"article_words\": {},", t.words);
    let _ = writeln!(o, "  \"note_bytes\": {},", note_bytes);
    let _ = writeln!(o, "  \"content_fnv64\": \"{content_hash:016x}\",");
    let _ = writeln!(o, "  \"fault_codes\": [\"figure-contradiction\", \"quote-not-found\", \"quote-wrong-source\", \"unknown-source\"],");
    let _ = writeln!(o, "  \"span_units\": \"0-based line, byte columns [start, end) within the line\",");
    o.push_str("  \"notes\": [\n");
    for (i, n) in notes.iter().enumerate() {
        let faults: Vec<&Claim> = n.faults().collect();
        let _ = writeln!(o, "    {{");
        let _ = writeln!(o, "      \"path\": {},", json_str(&format!("notes/{}", n.name)));
        let _ = writeln!(o, "      \"target_lines\": {},", n.target_lines);
        let _ = writeln!(o, "      \"lines\": {},", n.lines);
        let _ = writeln!(o, "      \"bytes\": {},", n.text.len());
        let _ = writeln!(o, "      \"events\": {},", n.stats.events);
        let _ = writeln!(
            o,
            "      \"claims\": {{\"figures\": {}, \"dates\": {}, \"quotes\": {}, \"citations\": {}}},",
            n.stats.figures, n.stats.dates, n.stats.quotes, n.stats.citations
        );
        let _ = writeln!(o, "      \"faults\": [");
        for (j, f) in faults.iter().enumerate() {
            let _ = write!(
                o,
                "        {{\"line\": {}, \"start\": {}, \"end\": {}, \"code\": {}, \"what\": {}, \"figure\": {}, \"key\": {}, \"claimed\": {}, \"source\": {}, \"found_in\": {}, \"detail\": {}}}",
                f.line,
                f.start,
                f.end,
                json_str(f.code.unwrap_or("")),
                json_str(f.what),
                f.fig.map_or("null".to_string(), |g| json_str(g.name())),
                json_str(&f.key),
                json_str(&f.claimed),
                json_str(&f.source),
                if f.found_in.is_empty() { "null".to_string() } else { json_str(&f.found_in) },
                json_str(&f.detail)
            );
            o.push_str(if j + 1 < faults.len() { ",\n" } else { "\n" });
        }
        let _ = writeln!(o, "      ]");
        o.push_str(if i + 1 < notes.len() { "    },\n" } else { "    }\n" });
    }
    o.push_str("  ]\n}\n");
    o
}

// ============================================================== claims, for evaluations

/// One claim of a generated note, correct or planted wrong. The manifest lists only the faults;
/// an evaluation also needs the correct claims, to say what kind of figure a false alarm fell on.
#[allow(dead_code)] // read by tests/generated_eval.rs, not by the binary
pub(crate) struct ClaimRecord {
    /// The note as the manifest names it: `notes/note_1000_00.md`.
    pub(crate) note: String,
    pub(crate) line: usize,
    pub(crate) start: usize,
    pub(crate) end: usize,
    /// "figure", "date", "quote", "citation".
    pub(crate) what: &'static str,
    /// The manifest's `figure` name (`turnout-percent`) of a figure claim.
    pub(crate) figure: Option<&'static str>,
    pub(crate) code: Option<&'static str>,
    pub(crate) claimed: String,
}

/// Every claim of the notes `generate(cfg)` writes. The notes are rebuilt from the seed (each
/// from its own stream), so no file is read back.
#[allow(dead_code)] // called by tests/generated_eval.rs, not by the binary
pub(crate) fn note_claims(cfg: &Config) -> Vec<ClaimRecord> {
    let corpus = Corpus::new(cfg.seed, cfg.articles);
    let mut claims = Vec::new();
    for &lines in &cfg.notes_lines {
        for k in 0..cfg.notes_count {
            let note = build_note(&corpus, lines, k);
            claims.extend(note.claims.into_iter().map(|c| ClaimRecord {
                note: format!("notes/{}", note.name),
                line: c.line,
                start: c.start,
                end: c.end,
                what: c.what,
                figure: c.fig.map(Fig::name),
                code: c.code,
                claimed: c.claimed,
            }));
        }
    }
    claims
}

// ============================================================== tests

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn tmp(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("gen_corpus_test_{}_{name}", std::process::id()))
    }

    fn cfg(out: PathBuf, n: u32, seed: u64) -> Config {
        Config { articles: n, out, seed, notes_lines: vec![60, 300], notes_count: 2, force: true, ..Config::default() }
    }

    /// Renders article `seq` of a corpus in memory.
    fn article(c: &Corpus, e: u32, slot: u32) -> (Plan, String) {
        let ev = c.event(e);
        let plan = plan_article(c, &ev, slot);
        let mut s = String::new();
        render_article(c, &ev, &plan, &mut s);
        (plan, s)
    }

    fn find_article(c: &Corpus, key_text: &str) -> Option<(Event, Plan, String)> {
        let id: u32 = key_text[..6].parse().ok()?;
        for e in 0..c.n_events() {
            let ev = c.event(e);
            for s in 0..ev.n_articles {
                if c.key_of_seq(ev.first_seq + s).id == id {
                    let plan = plan_article(c, &ev, s);
                    let mut text = String::new();
                    render_article(c, &ev, &plan, &mut text);
                    return Some((ev, plan, text));
                }
            }
        }
        None
    }

    /// Title and body of a rendered article.
    fn split_article(text: &str) -> (String, String) {
        if let Some(rest) = text.strip_prefix("---\n") {
            let (fm, body) = rest.split_once("\n---\n").expect("front matter");
            let title = fm.lines().find_map(|l| l.strip_prefix("title: ")).unwrap_or("");
            (title.trim_matches('"').to_string(), body.to_string())
        } else {
            let (first, body) = text.split_once('\n').unwrap_or((text, ""));
            let t = first.trim_start();
            let t = match t.strip_prefix("date ") {
                Some(r) => r.get(11..).unwrap_or("").to_string(),
                None => t.to_string(),
            };
            (t, body.to_string())
        }
    }

    fn count_sentences(body: &str) -> usize {
        let b: Vec<char> = body.chars().collect();
        let mut n = 0;
        for i in 0..b.len() {
            if matches!(b[i], '.' | '?' | '!') {
                let mut j = i + 1;
                while j < b.len() && matches!(b[j], '”' | '’' | '"') {
                    j += 1;
                }
                if j == b.len() || b[j].is_whitespace() {
                    n += 1;
                }
            }
        }
        n
    }

    #[test]
    fn dates_roundtrip() {
        let d = Date::from_ymd(2024, 3, 22);
        assert_eq!(d.ymd(), (2024, 3, 22));
        assert_eq!(d.weekday(), "Friday");
        assert_eq!(d.month_day(), "March 22");
        assert_eq!(Date::from_ymd(2024, 2, 29).plus(1).iso(), "2024-03-01");
        for x in -1000..100_000 {
            let (y, m, dd) = Date(x).ymd();
            assert_eq!(Date::from_ymd(y, m, dd), Date(x));
        }
    }

    #[test]
    fn amounts_contain_true_value() {
        let mut rng = Rng::new(7);
        let figs = [Fig::Killed, Fig::Injured, Fig::Displaced, Fig::Turnout, Fig::Decades, Fig::Children];
        for _ in 0..20_000 {
            let fig = *rng.pick(&figs);
            let v = if fig == Fig::Turnout { rng.range(380, 820) } else { rng.log_uniform(1.0, 200_000.0) };
            let v = if fig == Fig::Decades { *rng.pick(&[10, 15, 20, 25, 30, 40, 50]) } else { v };
            let a = choose_amount(&mut rng, fig, v);
            let (lo, hi) = interval(fig, a);
            // "more than two decades" is stated one step lower by design.
            assert!(lo <= v as f64 + 1e-9 && v as f64 <= hi, "{fig:?} {v} -> {a:?} {}", amount_text(fig, a));
            assert!(!contradicts(fig, (v as f64, v as f64), &[(lo, hi)]));
        }
    }

    #[test]
    fn determinism_same_seed_same_bytes() {
        let (a, b, c) = (tmp("det_a"), tmp("det_b"), tmp("det_c"));
        let ha = generate(&cfg(a.clone(), 400, 42)).unwrap().hash;
        let hb = generate(&cfg(b.clone(), 400, 42)).unwrap().hash;
        let hc = generate(&cfg(c.clone(), 400, 43)).unwrap().hash;
        assert_eq!(ha, hb);
        assert_ne!(ha, hc);
        assert_eq!(fs::read(a.join("manifest.json")).unwrap(), fs::read(b.join("manifest.json")).unwrap());
        for d in [a, b, c] {
            let _ = fs::remove_dir_all(d);
        }
    }

    #[test]
    fn articles_have_title_and_enough_sentences() {
        let c = Corpus::new(5, 3000);
        let mut md = 0;
        let mut markers = 0;
        let mut word_counts = Vec::new();
        for e in 0..c.n_events() {
            let ev = c.event(e);
            for s in 0..ev.n_articles {
                let (plan, text) = article(&c, e, s);
                let (title, body) = split_article(&text);
                assert!(!title.trim().is_empty(), "empty title in {}", plan.key.stem());
                let n = count_sentences(&body);
                assert!(n >= 8, "{} has {n} sentences:\n{text}", plan.key.stem());
                md += plan.md as usize;
                markers += text.starts_with(" date ") as usize;
                word_counts.push(words(&body));
            }
        }
        assert!((50..=300).contains(&md), "md share off: {md}");
        assert!((700..=1300).contains(&markers), "date marker share off: {markers}");
        word_counts.sort();
        assert!(word_counts[word_counts.len() / 20] >= 250, "too short: {:?}", &word_counts[..10]);
        assert!(*word_counts.last().unwrap() <= 1800);
    }

    #[test]
    fn keys_unique() {
        let c = Corpus::new(9, 100_000);
        let mut ids = HashSet::new();
        let mut hexes = HashSet::new();
        for seq in 0..c.n {
            let k = c.key_of_seq(seq);
            assert!(k.id < c.n);
            assert!(ids.insert(k.id), "duplicate id {}", k.id);
            assert!(hexes.insert(k.hex));
        }
        for e in 0..c.n_events() as usize {
            let k = c.starts[e + 1] - c.starts[e];
            assert!((3..=12).contains(&k), "event {e} has {k} articles");
        }
        for n in [1, 2, 3, 4, 5, 13, 14, 15, 16, 1000, 1001, 1002] {
            let c = Corpus::new(3, n);
            assert_eq!(*c.starts.last().unwrap(), n);
            let small = (0..c.n_events() as usize).filter(|&e| c.starts[e + 1] - c.starts[e] < 3).count();
            assert!(small == 0 || n < 3, "n={n}");
            let _ = build_note(&c, 80, 0); // tiny corpora still produce notes
        }
        let ne = c.n_events() as f64;
        assert!((100_000.0 / 9.0..100_000.0 / 7.0).contains(&ne), "events {ne}");
    }

    fn notes_for(c: &Corpus) -> Vec<Note> {
        (0..6).map(|k| build_note(c, 1000, k)).collect()
    }

    #[test]
    fn planted_figure_faults_contradict_source() {
        let c = Corpus::new(11, 2000);
        let notes = notes_for(&c);
        let mut checked = 0;
        for n in &notes {
            let lines: Vec<&str> = n.text.lines().collect();
            for cl in n.claims.iter().filter(|cl| cl.what == "figure") {
                let fig = cl.fig.unwrap();
                // The manifest span really is the claimed text.
                assert_eq!(&lines[cl.line][cl.start..cl.end], cl.claimed);
                let Some((_, plan, text)) = find_article(&c, &cl.key) else {
                    continue;
                };
                let src = plan.intervals(fig);
                // Every source statement is literally in the article.
                for m in plan.mentions.iter().filter(|m| m.fig == fig) {
                    let t = amount_text(fig, m.amount);
                    assert!(text.to_lowercase().contains(&t.to_lowercase()), "{t:?} not in {}", plan.key.stem());
                }
                let v = parse_amount(fig, &cl.claimed).unwrap_or_else(|| panic!("cannot parse {:?}", cl.claimed));
                if cl.code.is_some() {
                    assert!(contradicts(fig, v, &src), "fault {:?} agrees with {:?}", cl.claimed, cl.source);
                    checked += 1;
                } else {
                    assert!(!contradicts(fig, v, &src), "correct claim {:?} contradicts {:?}", cl.claimed, cl.source);
                }
            }
            for cl in n.claims.iter().filter(|cl| cl.what == "date") {
                let (_, plan, text) = find_article(&c, &cl.key).unwrap();
                assert!(plan.date_explicit);
                let md = cl.claimed.split(',').next().unwrap();
                assert_eq!(contains_date(&text, md), cl.code.is_none(), "{md} vs {}", cl.source);
            }
        }
        assert!(checked >= 20, "only {checked} figure faults");
    }

    /// "March 2" must not match inside "March 2023" or "March 22".
    fn contains_date(text: &str, md: &str) -> bool {
        text.match_indices(md).any(|(i, _)| !text[i + md.len()..].starts_with(|c: char| c.is_ascii_digit()))
    }

    /// Parses a claimed amount back to an interval (inverse of amount_text).
    fn parse_amount(fig: Fig, s: &str) -> Option<(f64, f64)> {
        let lower = s.to_lowercase();
        let quals =
            [Qual::About, Qual::Roughly, Qual::Some, Qual::AtLeast, Qual::MoreThan, Qual::Over, Qual::Nearly, Qual::Almost, Qual::UpTo];
        let (qual, rest) =
            quals.iter().find_map(|&q| lower.strip_prefix(q.prefix()).map(|r| (q, r))).unwrap_or((Qual::Exact, lower.as_str()));
        let (r, form) = if rest == "a dozen" {
            (12, Form::Dozen)
        } else if let Some(i) = NUMBER_WORDS.iter().position(|w| *w == rest) {
            (i as u32, Form::Words)
        } else if let Some(r) = [10, 20, 30, 40, 50].iter().find(|&&r| decade_words(r) == rest) {
            (*r, Form::Words)
        } else {
            let num = rest.trim_end_matches(" years").replace(',', "");
            if fig.tenths() {
                let f: f64 = num.parse().ok()?;
                ((f * 10.0).round() as u32, Form::Digits)
            } else {
                (num.parse().ok()?, Form::Digits)
            }
        };
        Some(interval(fig, Amount { qual, r, form }))
    }

    #[test]
    fn planted_quote_faults_behave() {
        let c = Corpus::new(13, 2000);
        let notes = notes_for(&c);
        let (mut good, mut mis, mut wrong, mut unknown) = (0, 0, 0, 0);
        let ids: HashSet<u32> = (0..c.n).map(|s| c.key_of_seq(s).id).collect();
        for n in &notes {
            let lines: Vec<&str> = n.text.lines().collect();
            for cl in &n.claims {
                assert_eq!(&lines[cl.line][cl.start..cl.end], cl.claimed);
                if cl.what == "citation" {
                    assert_eq!(cl.code, Some("unknown-source"));
                    assert!(!ids.contains(&cl.key[..6].parse::<u32>().unwrap()));
                    unknown += 1;
                    continue;
                }
                if cl.what != "quote" {
                    continue;
                }
                // Strip the quote marks the span includes.
                let inner: String = {
                    let t = norm_quote(&cl.claimed);
                    t[1..t.len() - 1].to_string()
                };
                let (_, _, cited) = find_article(&c, &cl.key).unwrap();
                let in_cited = norm_quote(&cited).contains(&inner);
                match cl.code {
                    None => {
                        assert!(in_cited, "correct quote not in {}: {inner}", cl.key);
                        good += 1;
                    }
                    Some("quote-not-found") => {
                        assert!(!in_cited, "misquote found in cited article: {inner}");
                        mis += 1;
                    }
                    Some("quote-wrong-source") => {
                        assert!(!in_cited, "wrong-source quote is in cited article: {inner}");
                        let (_, _, real) = find_article(&c, &cl.found_in).unwrap();
                        assert!(norm_quote(&real).contains(&inner));
                        wrong += 1;
                    }
                    other => panic!("unexpected {other:?}"),
                }
            }
        }
        assert!(good > 100 && mis > 5 && wrong > 3 && unknown > 5, "{good} {mis} {wrong} {unknown}");
    }

    #[test]
    fn fault_rates_roughly_as_specified() {
        let c = Corpus::new(17, 5000);
        let notes: Vec<Note> = (0..3).map(|k| build_note(&c, 10_000, k)).collect();
        let (mut figs, mut fig_bad, mut quotes, mut q_mis, mut q_wrong, mut cites, mut unk) = (0, 0, 0, 0, 0, 0, 0);
        for n in &notes {
            assert!((n.lines as f64) < 10_000.0 * 1.05 && n.lines >= 10_000);
            figs += n.stats.figures;
            quotes += n.stats.quotes;
            cites += n.stats.citations;
            for f in n.faults() {
                match f.code.unwrap() {
                    "figure-contradiction" => fig_bad += 1,
                    "quote-not-found" => q_mis += 1,
                    "quote-wrong-source" => q_wrong += 1,
                    _ => unk += 1,
                }
            }
        }
        let r = |a: usize, b: usize| a as f64 / b as f64;
        assert!((0.07..0.12).contains(&r(fig_bad, figs)), "figure {}", r(fig_bad, figs));
        assert!((0.03..0.07).contains(&r(q_mis, quotes)), "misquote {}", r(q_mis, quotes));
        assert!((0.015..0.045).contains(&r(q_wrong, quotes)), "wrong {}", r(q_wrong, quotes));
        assert!((0.01..0.03).contains(&r(unk, cites)), "unknown {}", r(unk, cites));
    }

    #[test]
    fn json_escaping() {
        assert_eq!(json_str("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\u0001é\"");
    }
}
