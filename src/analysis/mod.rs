//! The pure analysis core: corpus, notes, and the answers built on them.
//!
//! Nothing in here does I/O or knows the LSP: inputs are paths and texts,
//! outputs are plain structs with byte ranges and strings.
//!
//! Layers, each a folder; a layer may use the layers before it, never those after it
//! (`tests/layers.rs` reads the `use` lines and fails on a violation):
//!
//! `text` ← `corpus` ← `note` ← `checks` ← `ide`
//!
//! `cancel`, the cancellation token that long loops check, is a leaf outside the layers: it uses
//! nothing of the crate and every layer may use it.

pub mod cancel;

pub mod text;

pub mod corpus;

pub mod note;

pub mod checks;

pub mod ide;
