//! The command line: `check` (load → analysis → render → exit code), `facts`, `report`, and
//! `ingest` into a shared archive.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::analysis::checks::diagnostics::check_note;
use crate::analysis::checks::findings::Severity;
use crate::analysis::corpus::sources_file::SOURCES_FILE;
use crate::report::{self, NoteReport};
use crate::workspace::cache::PendingSave;
use crate::workspace::database::{DatabaseUrl, Retry};
use crate::workspace::{self, Config};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    fn is_met_by(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity == Severity::Error,
            FailOn::Warning => severity <= Severity::Warning,
            FailOn::Info => severity <= Severity::Information,
            FailOn::Never => false,
        }
    }
}

pub struct CheckOptions {
    pub corpus: Vec<PathBuf>,
    /// Read every article afresh and leave `.noteproof/` alone.
    pub no_cache: bool,
    pub format: Format,
    pub fail_on: FailOn,
    pub paths: Vec<PathBuf>,
}

/// The corpus, through the persisted index unless told otherwise, and the index being written
/// aside (its drop waits for the write: keep it until the command's output is written).
/// With an archive configured, the corpus is the archive's.
fn load_corpus(
    root: &Path,
    config: &Config,
    no_cache: bool,
    warnings: &mut Vec<String>,
) -> Result<(crate::analysis::checks::Snapshot, PendingSave)> {
    if let Some(url) = config.database_url() {
        let (corpus, _) = workspace::load_corpus_from_database(&url, config, Retry::COMMAND)?;
        return Ok((corpus, PendingSave::none()));
    }
    Ok(if no_cache {
        (workspace::load_corpus_dirs(root, config, warnings), PendingSave::none())
    } else {
        let (corpus, _, saving) = crate::workspace::cache::load_corpus_saving_aside(root, config, warnings);
        (corpus, saving)
    })
}

/// The workspace for a command run from `cwd`, and its configuration with `--corpus` applied.
fn workspace(cwd: &Path, corpus: &[PathBuf]) -> Result<(PathBuf, Config)> {
    let root = workspace::find_workspace_root(cwd);
    let mut config = workspace::read_config(&root)?;
    if !corpus.is_empty() {
        // Folders named on the command line are read, whatever archive is configured.
        config.corpus = corpus.iter().map(|dir| workspace::path_string(&workspace::normalize(dir))).collect();
        config.database = None;
    }
    if config.database.is_some() {
        return Ok((root, config));
    }
    for dir in config.corpus_dirs(&root) {
        if !dir.is_dir() {
            bail!("corpus folder {} does not exist", dir.display());
        }
    }
    Ok((root, config))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FactsFormat {
    Text,
    Json,
}

/// Runs `facts`: the corpus fact sheet, one row per measure and statement.
pub fn facts(corpus: &[PathBuf], no_cache: bool, format: FactsFormat, out: &mut dyn std::io::Write) -> Result<i32> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let (root, config) = workspace(&cwd, corpus)?;
    let mut warnings = Vec::new();
    let (corpus, _saving) = load_corpus(&root, &config, no_cache, &mut warnings)?;
    for warning in &warnings {
        eprintln!("noteproof: warning: {warning}");
    }
    let rows = crate::analysis::checks::figures::facts::fact_sheet(&corpus);
    match format {
        FactsFormat::Text => write!(out, "{}", crate::analysis::checks::figures::facts::render_text(&rows))?,
        FactsFormat::Json => {
            // Written as it is serialised: a fact sheet of a large archive is hundreds of
            // megabytes of JSON, and a tree of it took twice that again.
            #[derive(serde::Serialize)]
            struct FactSheet<'a> {
                version: u32,
                facts: &'a [crate::analysis::checks::figures::facts::FactRow],
            }
            use std::io::Write as _;
            let mut buffered = std::io::BufWriter::new(&mut *out);
            serde_json::to_writer_pretty(&mut buffered, &FactSheet { version: 2, facts: &rows })?;
            writeln!(buffered)?;
            buffered.flush()?;
        }
    }
    Ok(0)
}

/// The notes named by `paths` (notes or folders; none: every note of the workspace), read, with
/// the corpus they are checked against and each note's findings.
struct Checked {
    corpus: crate::analysis::checks::Snapshot,
    notes: Vec<crate::analysis::note::Note>,
    display_paths: Vec<String>,
    /// Where the analyst would add the outlet and date of a source: the first corpus folder's sources file.
    sources_file: String,
    /// Dropped with the rest once the command has written its output.
    _saving: PendingSave,
}

impl Checked {
    fn reports(&self) -> Vec<NoteReport<'_>> {
        self.notes
            .iter()
            .zip(&self.display_paths)
            .map(|(note, display_path)| NoteReport { note, display_path: display_path.clone(), findings: check_note(&self.corpus, note) })
            .collect()
    }
}

fn load_and_read(corpus: &[PathBuf], no_cache: bool, paths: &[PathBuf]) -> Result<Checked> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let (root, config) = workspace(&cwd, corpus)?;
    let mut warnings = Vec::new();
    // Notes first: a mistyped path is reported before the corpus is read.
    let note_paths = if paths.is_empty() {
        workspace::note_paths(&root, &config, &config.corpus_dirs(&root))?
    } else {
        let corpus_dirs = config.corpus_dirs(&root);
        let mut found = Vec::new();
        for path in paths {
            let path = workspace::normalize(path);
            if path.is_dir() {
                found.extend(workspace::note_paths(&path, &Config { notes: vec!["**/*.md".into()], ..config.clone() }, &corpus_dirs)?);
            } else if path.is_file() {
                found.push(path);
            } else {
                bail!("{} does not exist", path.display());
            }
        }
        found
    };
    let (corpus, saving) = load_corpus(&root, &config, no_cache, &mut warnings)?;
    // An unreadable note named for checking is a usage error (exit 2), not a warning.
    let mut notes = Vec::with_capacity(note_paths.len());
    for read in workspace::files::read_notes(&note_paths) {
        let (note, warning) = read?;
        warnings.extend(warning);
        notes.push(note);
    }
    for warning in &warnings {
        eprintln!("noteproof: warning: {warning}");
    }
    let display_paths = note_paths.iter().map(|path| workspace::display_path(&root, path)).collect();
    let sources_file =
        config.corpus_dirs(&root).first().map_or(SOURCES_FILE.to_string(), |dir| workspace::display_path(&root, &dir.join(SOURCES_FILE)));
    Ok(Checked { corpus, notes, display_paths, sources_file, _saving: saving })
}

/// Runs `check`; returns the process exit code (0 clean, 1 findings at or above `--fail-on`).
pub fn check(options: CheckOptions, out: &mut dyn std::io::Write) -> Result<i32> {
    let checked = load_and_read(&options.corpus, options.no_cache, &options.paths)?;
    let corpus = &checked.corpus;
    let reports = checked.reports();
    match options.format {
        Format::Text => {
            write!(out, "{}", report::text(&reports, corpus))?;
            if let Some(info) = report::unknown_sources(&reports, corpus, &checked.sources_file) {
                write!(out, "{info}")?;
            }
        }
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&report::json(&reports, corpus))?)?,
        Format::Sarif => writeln!(out, "{}", serde_json::to_string_pretty(&report::sarif(&reports, corpus))?)?,
    }
    out.flush()?;
    let count = reports.iter().map(|r| r.findings.len()).sum::<usize>();
    if options.format == Format::Text {
        eprintln!("noteproof: {count} finding(s) in {} note(s) against {} article(s)", reports.len(), corpus.len());
    }
    let failed = reports.iter().flat_map(|r| &r.findings).any(|f| options.fail_on.is_met_by(f.severity));
    Ok(i32::from(failed))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Html,
    Json,
}

pub struct ReportOptions {
    pub corpus: Vec<PathBuf>,
    pub no_cache: bool,
    pub format: ReportFormat,
    /// Where the report goes; standard output when absent.
    pub out: Option<PathBuf>,
    /// Also write the report's data as JSON here.
    pub json_out: Option<PathBuf>,
    pub paths: Vec<PathBuf>,
}

fn write_file(path: &Path, contents: &str) -> Result<()> {
    std::fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))
}

/// Runs `report`: the findings, summaries and figure timelines of the notes as one HTML page (or
/// its data as JSON). Exit code 0 whatever was found: a report informs, `check` gates.
pub fn report(options: ReportOptions, out: &mut dyn std::io::Write) -> Result<i32> {
    let checked = load_and_read(&options.corpus, options.no_cache, &options.paths)?;
    let data = report::data::gather(&checked.corpus, &checked.reports());
    let json = || serde_json::to_string_pretty(&data).map(|text| text + "\n");
    let rendered = match options.format {
        ReportFormat::Html => report::html::render(&data).context("cannot render the report")?,
        ReportFormat::Json => json()?,
    };
    match &options.out {
        Some(path) => write_file(path, &rendered)?,
        None => write!(out, "{rendered}")?,
    }
    if let Some(path) = &options.json_out {
        write_file(path, &json()?)?;
    }
    out.flush()?;
    let findings: usize = data.notes.iter().map(|note| note.summary.findings).sum();
    if let Some(path) = &options.out {
        eprintln!(
            "noteproof: wrote {} ({findings} finding(s) in {} note(s), {} timeline(s))",
            path.display(),
            data.notes.len(),
            data.timelines.len()
        );
    }
    Ok(0)
}

/// Runs `ingest`: writes the articles of `paths` (default: the workspace's corpus folders) into
/// the archive at `database` (default: the configured one), and says what changed.
pub fn ingest(database: Option<String>, paths: &[PathBuf], out: &mut dyn std::io::Write) -> Result<i32> {
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let root = workspace::find_workspace_root(&cwd);
    let config = workspace::read_config(&root)?;
    let Some(url) = database.map(DatabaseUrl::new).or_else(|| config.database_url()) else {
        bail!("no archive to ingest into: pass --database URL, or set \"database\" in noteproof.json or {}", workspace::database::DATABASE_ENV);
    };
    let dirs = if paths.is_empty() { config.corpus_dirs(&root) } else { paths.iter().map(|p| workspace::normalize(&cwd.join(p))).collect() };
    for dir in &dirs {
        if !dir.is_dir() {
            bail!("corpus folder {} does not exist", dir.display());
        }
    }
    let started = std::time::Instant::now();
    let mut warnings = Vec::new();
    let lexicon = crate::analysis::checks::figures::lexicon::Lexicon::with_extensions(&config.lexicon);
    let report = workspace::database::ingest(&url, &root, &dirs, workspace::files::Limits::of(&config), &lexicon, &mut warnings)?;
    for warning in &warnings {
        eprintln!("noteproof: warning: {warning}");
    }
    let folders: Vec<String> = dirs.iter().map(|dir| workspace::display_path(&root, dir)).collect();
    let seconds = started.elapsed().as_secs_f64();
    writeln!(
        out,
        "ingested {} into {url} as generation {}: {} added, {} changed, {} removed, {} unchanged ({:.1} MB of text in {seconds:.1} s)",
        folders.join(", "),
        report.generation,
        report.added,
        report.changed,
        report.removed,
        report.unchanged,
        report.bytes as f64 / 1e6,
    )?;
    if report.staged_parts > 0 {
        // Said, as a slower ingest should be explained: each part is read back and joined at the end.
        writeln!(
            out,
            "its posting lists were built in {} parts, staged in the database, to bound the memory they take",
            report.staged_parts
        )?;
    }
    if report.statements_read_again > 0 {
        // Said, as a slower ingest should be explained: articles it did not write were read.
        writeln!(
            out,
            "it read the figure statements of {} articles again (the archive had none for them, or those another noteproof version or lexicon read)",
            report.statements_read_again
        )?;
    }
    Ok(0)
}
