//! Editor features built on the checks: hover, go to definition, references, completion,
//! symbols and code actions. Each takes a snapshot and a note and returns plain data with byte
//! ranges; the protocol layer converts it.

pub mod actions;
pub mod completion;
pub mod definition;
pub mod hover;
pub mod references;
pub mod symbols;
