//! Argument parsing only: serve the language server (default) or run a command.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use noteproof::cli::{self, CheckOptions, FactsFormat, FailOn, Format, ReportFormat, ReportOptions};

#[derive(Parser)]
#[command(name = "noteproof", version, about = "Checks markdown notes against a corpus of source articles")]
struct Arguments {
    #[command(subcommand)]
    command: Option<Command>,
    /// Accepted and ignored: stdio is the only transport (some clients pass it anyway).
    #[arg(long, hide = true, global = true)]
    stdio: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the language server protocol over stdio (the default).
    Lsp,
    /// Check notes against the corpus and report findings.
    Check {
        /// A corpus folder (repeatable); default: the workspace's configured corpus, `seeds/`.
        #[arg(long = "corpus", value_name = "DIR")]
        corpus: Vec<PathBuf>,
        /// Read every article afresh and neither read nor write the index cache in `.noteproof/`.
        #[arg(long = "no-cache")]
        no_cache: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Exit 1 when a finding at or above this severity is reported.
        #[arg(long = "fail-on", value_enum, default_value = "warning")]
        fail_on: FailOn,
        /// Notes or folders of notes; default: every note of the workspace.
        paths: Vec<PathBuf>,
    },
    /// Print the corpus fact sheet: every figure of the sources, by measure, in date order.
    Facts {
        #[arg(long = "corpus", value_name = "DIR")]
        corpus: Vec<PathBuf>,
        #[arg(long = "no-cache")]
        no_cache: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: FactsFormat,
    },
    /// Write a report to read in a browser: findings beside the note's and the sources' sentences,
    /// a summary per note, and a timeline of every figure the sources give.
    Report {
        #[arg(long = "corpus", value_name = "DIR")]
        corpus: Vec<PathBuf>,
        #[arg(long = "no-cache")]
        no_cache: bool,
        /// `html`: one self-contained page; `json`: the same data (version 1).
        #[arg(long, value_enum, default_value = "html")]
        format: ReportFormat,
        /// The file to write; default: standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Also write the report's data as JSON to this file.
        #[arg(long = "json-out", value_name = "FILE")]
        json_out: Option<PathBuf>,
        /// Notes or folders of notes; default: every note of the workspace.
        paths: Vec<PathBuf>,
    },
    /// Write corpus folders into a shared PostgreSQL archive, which `check` and the server then
    /// read when `"database"` in noteproof.json (or NOTEPROOF_DATABASE_URL) names it. Only what
    /// changed is written, in one transaction.
    Ingest {
        /// The archive, e.g. `postgresql://writer@db.example/news`; default: the configured one.
        /// A password is better kept in PGPASSWORD or ~/.pgpass than in the URL.
        #[arg(long, value_name = "URL")]
        database: Option<String>,
        /// Corpus folders; default: the workspace's configured corpus.
        paths: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let arguments = Arguments::parse();
    match arguments.command.unwrap_or(Command::Lsp) {
        Command::Lsp => {
            noteproof::lsp::allocator::limit_arenas();
            let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
                Ok(runtime) => runtime,
                Err(error) => {
                    eprintln!("noteproof: cannot start: {error}");
                    return ExitCode::from(2);
                }
            };
            runtime.block_on(noteproof::lsp::serve_stdio());
            // Do not wait for analysis still running on the blocking pool: the client asked us to exit.
            runtime.shutdown_timeout(std::time::Duration::from_millis(100));
            ExitCode::SUCCESS
        }
        Command::Check { corpus, no_cache, format, fail_on, paths } => {
            exit_code(cli::check(CheckOptions { corpus, no_cache, format, fail_on, paths }, &mut std::io::stdout().lock()))
        }
        Command::Facts { corpus, no_cache, format } => exit_code(cli::facts(&corpus, no_cache, format, &mut std::io::stdout().lock())),
        Command::Report { corpus, no_cache, format, out, json_out, paths } => {
            exit_code(cli::report(ReportOptions { corpus, no_cache, format, out, json_out, paths }, &mut std::io::stdout().lock()))
        }
        Command::Ingest { database, paths } => exit_code(cli::ingest(database, &paths, &mut std::io::stdout().lock())),
    }
}

fn exit_code(result: anyhow::Result<i32>) -> ExitCode {
    match result {
        Ok(code) => ExitCode::from(code as u8),
        Err(error) => {
            eprintln!("noteproof: error: {error:#}");
            ExitCode::from(2)
        }
    }
}
