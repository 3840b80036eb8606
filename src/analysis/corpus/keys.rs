//! Which articles a citation key or a path names, held as hashes.
//!
//! A corpus kept in an archive lists 100,000 articles and twice as many names; maps from owned
//! names and paths to ids took 30 MB there, and were copied whenever a snapshot was. The table
//! keeps a 64-bit hash of each name and path beside its article id, sorted, shared by the
//! snapshots. A hash only proposes candidates: the corpus confirms each one against the
//! article's own key, front-matter id or path, so even a collision answers exactly.

use std::sync::Arc;

use crate::analysis::corpus::ArticleId;

#[derive(Clone, Debug, Default)]
pub struct KeyTable {
    /// (hash of a name, id), sorted: a name shared by several articles has several entries.
    names: Arc<[(u64, ArticleId)]>,
    /// (hash of a normalised path, id), sorted.
    paths: Arc<[(u64, ArticleId)]>,
}

/// What names one article: its path (normalised), its key, its front-matter id.
pub struct Naming<'a> {
    pub path: String,
    pub key: &'a str,
    pub front_matter_id: Option<&'a str>,
}

impl KeyTable {
    /// The table of `articles`, each (id, naming). An article is named by its key, its
    /// front-matter id, and the part of its key before the first `_`, unless that part is the
    /// key or front-matter id of an article (it is then that article's name only).
    pub fn new<'a>(articles: &[(ArticleId, Naming<'a>)]) -> KeyTable {
        let mut names: Vec<(u64, ArticleId)> = Vec::with_capacity(articles.len() * 2);
        for (id, naming) in articles {
            names.push((hash(naming.key), *id));
            if let Some(front_matter_id) = naming.front_matter_id {
                names.push((hash(front_matter_id), *id));
            }
        }
        names.sort_unstable();
        let full_name = |name: &str| {
            equal_to(&names, hash(name)).any(|id| {
                let Ok(at) = articles.binary_search_by_key(&id, |(id, _)| *id) else { return false };
                let naming = &articles[at].1;
                naming.key == name || naming.front_matter_id == Some(name)
            })
        };
        let short: Vec<(u64, ArticleId)> = articles
            .iter()
            .filter_map(|(id, naming)| {
                let (prefix, _) = naming.key.split_once('_')?;
                (!prefix.is_empty() && !full_name(prefix)).then(|| (hash(prefix), *id))
            })
            .collect();
        names.extend(short);
        names.sort_unstable();
        names.dedup();
        let mut paths: Vec<(u64, ArticleId)> = articles.iter().map(|(id, naming)| (hash(&naming.path), *id)).collect();
        paths.sort_unstable();
        KeyTable { names: names.into(), paths: paths.into() }
    }

    /// Ids that may be named `name` (every one that is, and rarely one that is not).
    pub fn named(&self, name: &str) -> impl Iterator<Item = ArticleId> + '_ {
        equal_to(&self.names, hash(name))
    }

    /// Ids that may be at the normalised `path`.
    pub fn at(&self, path: &str) -> impl Iterator<Item = ArticleId> + '_ {
        equal_to(&self.paths, hash(path))
    }

    /// How many articles are listed (one path each).
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }
}

fn equal_to(entries: &[(u64, ArticleId)], hash: u64) -> impl Iterator<Item = ArticleId> + '_ {
    let first = entries.partition_point(|&(h, _)| h < hash);
    entries[first..].iter().take_while(move |&&(h, _)| h == hash).map(|&(_, id)| id)
}

/// FNV-1a over the bytes.
fn hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3))
}

/// Whether `naming` names its article `name` (as `KeyTable::new` decides, given that the
/// table proposed the article for that name).
pub fn names(naming: (&str, Option<&str>), name: &str) -> bool {
    let (key, front_matter_id) = naming;
    key == name || front_matter_id == Some(name) || key.split_once('_').is_some_and(|(prefix, _)| prefix == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naming<'a>(path: &str, key: &'a str, front_matter_id: Option<&'a str>) -> Naming<'a> {
        Naming { path: path.to_string(), key, front_matter_id }
    }

    #[test]
    fn a_short_key_that_is_another_articles_name_names_that_article_only() {
        let articles = [
            (0, naming("/w/seeds/crocus.txt", "crocus", None)),
            (1, naming("/w/seeds/crocus_toll.txt", "crocus_toll", Some("toll-2024"))),
            (2, naming("/w/seeds/010_a.txt", "010_a", None)),
            (3, naming("/w/seeds/010_b.txt", "010_b", None)),
            (4, naming("/w/seeds/réseau_é.txt", "réseau_é", None)),
        ];
        let table = KeyTable::new(&articles);
        let named = |name: &str| -> Vec<ArticleId> { table.named(name).collect() };
        assert_eq!(named("crocus"), [0], "`crocus` is an article's key, not the short key of `crocus_toll`");
        assert_eq!(named("crocus_toll"), [1]);
        assert_eq!(named("toll-2024"), [1]);
        assert_eq!(named("010"), [2, 3], "a short key two articles share names both");
        assert_eq!(named("réseau"), [4]);
        assert!(named("toll").is_empty() && named("").is_empty());
        assert_eq!(table.at("/w/seeds/réseau_é.txt").collect::<Vec<_>>(), [4]);
        assert_eq!(table.len(), 5);
    }

    #[test]
    fn a_candidate_is_confirmed_by_its_own_names() {
        assert!(names(("010_a", None), "010") && names(("010_a", None), "010_a") && names(("x", Some("id")), "id"));
        assert!(!names(("010_a", None), "01") && !names(("010_a", None), "a") && !names(("x", None), ""));
    }
}
