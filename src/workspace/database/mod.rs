//! A team's shared corpus in PostgreSQL. `noteproof ingest --database URL` reads corpus folders
//! as the embedded index does and writes what changed into the archive; `check`, `facts`,
//! `report` and the server read the archive instead of folders when `"database"` in
//! `noteproof.json` (or `NOTEPROOF_DATABASE_URL`) names one.
//!
//! The archive holds articles as the loader hands them to the analysis core, and their sentences'
//! index terms as the embedded index makes them, so that both backends give the same answers.
//! Readers hold only the list of articles: the core fetches an article the first time an answer
//! needs it and asks the archive which sentences hold a term (`corpus::library`).

pub mod connection;
pub mod ingest;
pub mod max_score;
pub mod new_postings;
pub mod posting_lists;
pub mod read;
pub mod schema;
mod spill;
pub mod statements;

pub use connection::{DatabaseUrl, Retry, DATABASE_ENV};
pub use ingest::{ingest, IngestReport};
pub use read::{latest_generation, read_listing, ArchiveLibrary, ArchiveListing};
pub use statements::ArchiveStatements;
