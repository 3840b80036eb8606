//! The checks: what is wrong in a note, judged against the corpus.
//!
//! `diagnostics` is the one driver behind the server's diagnostics and the `check` command; it
//! calls the citation, quotation and figure checks block by block. What a check precomputes per
//! article (figure statements, where quotations were found) lives in side tables owned here and
//! kept with the corpus in one immutable `Snapshot`; the corpus itself stores no check's types.

pub mod citations;
pub mod diagnostics;
pub mod evidence;
pub mod figures;
pub mod findings;
pub mod memo;
pub mod quantities;
pub mod quotes;
pub mod render;
mod snapshot;

pub use snapshot::Snapshot;
