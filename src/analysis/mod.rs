//! The pure analysis core: corpus, notes, and the answers built on them.
//!
//! Nothing in here does I/O or knows the LSP: inputs are paths and texts,
//! outputs are plain structs with byte ranges and strings.

pub mod actions;
pub mod article;
pub mod citations;
pub mod completion;
pub mod corpus;
pub mod date;
pub mod definition;
pub mod diagnostics;
pub mod evidence;
pub mod figures;
pub mod findings;
pub mod hover;
pub mod note;
pub mod note_quotes;
pub mod paths;
pub mod quantities;
pub mod quote_match;
pub mod quotes;
pub mod references;
pub mod render;
pub mod retrieval;
pub mod sentences;
pub mod symbols;
pub mod text;
