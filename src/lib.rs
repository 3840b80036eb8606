pub mod analysis;
pub mod cli;
pub mod convert;
pub mod lsp;
pub mod report;
pub mod workspace;
