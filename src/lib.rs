pub mod analysis;
pub mod cache;
pub mod cli;
pub mod convert;
pub mod load;
pub mod lsp;
pub mod report;
