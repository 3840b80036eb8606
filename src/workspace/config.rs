//! The workspace's configuration: `noteproof.json`, the client's settings over it, and where the
//! workspace's root is.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::workspace::database::{DatabaseUrl, DATABASE_ENV};
use crate::workspace::paths::normalize;

pub const CONFIG_FILE: &str = "noteproof.json";

/// `noteproof.json`, also accepted as LSP `initializationOptions` or the `noteproof` settings section.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Corpus folders, relative to the workspace root.
    pub corpus: Vec<String>,
    /// Globs (relative to the root) of the notes to check.
    pub notes: Vec<String>,
    /// Extra synonyms per measure for the figure checker: `{"killed": ["slain"]}`.
    pub lexicon: BTreeMap<String, Vec<String>>,
    /// A corpus file larger than this many megabytes is skipped with a warning.
    #[serde(rename = "maxFileMegabytes")]
    pub max_file_megabytes: u64,
    /// A PDF with more pages than this is skipped with a warning.
    #[serde(rename = "maxPdfPages")]
    pub max_pdf_pages: usize,
    /// A PostgreSQL archive to read the corpus from instead of the corpus folders (see
    /// `noteproof ingest`); `NOTEPROOF_DATABASE_URL` when absent.
    pub database: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            corpus: vec!["seeds".into()],
            notes: vec!["**/*.md".into()],
            lexicon: BTreeMap::new(),
            max_file_megabytes: 64,
            max_pdf_pages: crate::analysis::corpus::pdf::DEFAULT_MAX_PAGES,
            database: None,
        }
    }
}

impl Config {
    /// Applies the fields present in a JSON object (client settings) over this configuration.
    pub fn merge_json(&mut self, value: &serde_json::Value) -> Result<()> {
        let Some(object) = value.as_object() else {
            return Ok(());
        };
        let strings = |v: &serde_json::Value| -> Result<Vec<String>> {
            serde_json::from_value::<Vec<String>>(v.clone()).context("expected a list of strings")
        };
        if let Some(corpus) = object.get("corpus").filter(|v| !v.is_null()) {
            let corpus = strings(corpus).context("`corpus`")?;
            if !corpus.is_empty() {
                self.corpus = corpus;
            }
        }
        if let Some(notes) = object.get("notes").filter(|v| !v.is_null()) {
            let notes = strings(notes).context("`notes`")?;
            if !notes.is_empty() {
                self.notes = notes;
            }
        }
        if let Some(lexicon) = object.get("lexicon").filter(|v| !v.is_null()) {
            let extra: BTreeMap<String, Vec<String>> = serde_json::from_value(lexicon.clone()).context("`lexicon`")?;
            self.lexicon.extend(extra);
        }
        if let Some(megabytes) = object.get("maxFileMegabytes").filter(|v| !v.is_null()) {
            self.max_file_megabytes = megabytes.as_u64().filter(|&m| m > 0).context("`maxFileMegabytes`: expected a positive number")?;
        }
        if let Some(pages) = object.get("maxPdfPages").filter(|v| !v.is_null()) {
            self.max_pdf_pages = pages.as_u64().filter(|&p| p > 0).context("`maxPdfPages`: expected a positive number")? as usize;
        }
        if let Some(database) = object.get("database").filter(|v| !v.is_null()) {
            let database = database.as_str().context("`database`: expected a connection URL")?.trim();
            self.database = (!database.is_empty()).then(|| database.to_string());
        }
        Ok(())
    }

    /// `NOTEPROOF_DATABASE_URL` as the archive when the configuration names none.
    pub fn with_environment(mut self) -> Config {
        if self.database.is_none() {
            self.database = std::env::var(DATABASE_ENV).ok().filter(|url| !url.trim().is_empty());
        }
        self
    }

    /// The archive to read the corpus from, if any.
    pub fn database_url(&self) -> Option<DatabaseUrl> {
        self.database.as_deref().filter(|url| !url.trim().is_empty()).map(DatabaseUrl::new)
    }

    /// The corpus folders as absolute paths.
    pub fn corpus_dirs(&self, root: &Path) -> Vec<PathBuf> {
        self.corpus.iter().map(|dir| normalize(&root.join(dir))).collect()
    }
}

/// The nearest ancestor of `start` holding `noteproof.json`, else `start` itself.
pub fn find_workspace_root(start: &Path) -> PathBuf {
    let start = normalize(start);
    start.ancestors().find(|dir| dir.join(CONFIG_FILE).is_file()).map_or(start.clone(), Path::to_path_buf)
}

/// Reads `noteproof.json` at `root` (a missing file means the defaults), with the environment's
/// archive when it names none.
pub fn read_config(root: &Path) -> Result<Config> {
    let path = root.join(CONFIG_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => serde_json::from_str::<Config>(&text)
            .map(Config::with_environment)
            .with_context(|| format!("{} is not a valid configuration", path.display())),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Config::default().with_environment()),
        Err(error) => Err(error).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// For an editor that opened a file without a workspace: the nearest ancestor with
/// `noteproof.json`, else the nearest with a `seeds/` folder, else the file's folder.
pub fn discover_root(start: &Path) -> PathBuf {
    let start = normalize(start);
    let with_config = start.ancestors().find(|dir| dir.join(CONFIG_FILE).is_file());
    let with_seeds = || start.ancestors().find(|dir| dir.join("seeds").is_dir());
    with_config.or_else(with_seeds).unwrap_or(&start).to_path_buf()
}

pub fn note_globs(config: &Config) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in &config.notes {
        builder.add(Glob::new(pattern).with_context(|| format!("invalid note pattern `{pattern}`"))?);
    }
    builder.build().context("invalid note patterns")
}

/// Whether `root` is a noteproof workspace: it has a `noteproof.json` or one of its corpus folders.
pub fn is_workspace(root: &Path, config: &Config) -> bool {
    root.join(CONFIG_FILE).is_file() || config.corpus_dirs(root).iter().any(|d| d.is_dir())
}

/// The workspace root to use once `opened` (an absolute path) is open: `None` to keep `current`.
/// The root changes when the client named no folder, or one that is no noteproof workspace while
/// the file lies in one.
pub fn root_for_opened_file(current: Option<&Path>, config: &Config, opened: &Path) -> Option<PathBuf> {
    if !opened.is_absolute() || current.is_some_and(|root| is_workspace(root, config)) {
        return None;
    }
    let discovered = discover_root(opened.parent().unwrap_or(Path::new("/")));
    if current.is_some() && !is_workspace(&discovered, config) {
        return None;
    }
    (current != Some(discovered.as_path())).then_some(discovered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_settings_override_the_file() {
        let mut config = Config::default();
        config.merge_json(&serde_json::json!({"corpus": ["more"], "notes": null, "lexicon": {"killed": ["slain"]}})).unwrap();
        assert_eq!(config.corpus, ["more"]);
        assert_eq!(config.notes, ["**/*.md"]);
        assert_eq!(config.lexicon["killed"], ["slain"]);
        assert!(config.merge_json(&serde_json::json!({"corpus": 3})).is_err());
    }

    #[test]
    fn an_archive_is_named_by_the_file_or_the_editor_and_blank_means_none() {
        let config: Config = serde_json::from_str(r#"{"database": "postgresql://analyst:pw@db/news"}"#).unwrap();
        assert_eq!(config.database_url().unwrap().redacted(), "postgresql://analyst:***@db/news");
        let mut config = config;
        config.merge_json(&serde_json::json!({"database": "host=db dbname=other"})).unwrap();
        assert_eq!(config.database.as_deref(), Some("host=db dbname=other"));
        config.merge_json(&serde_json::json!({"database": "  "})).unwrap();
        assert_eq!(config.database_url(), None);
        assert!(config.merge_json(&serde_json::json!({"database": 5})).is_err());
    }
}
