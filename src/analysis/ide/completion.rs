//! Completion of citation keys after `@` (bare or inside `[@…]`).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::analysis::checks::Snapshot;
use crate::analysis::corpus::ArticleId;
use crate::analysis::note::Note;

/// Enough to choose from; the client narrows the list as the user types.
const MAX_ITEMS: usize = 200;

static PARTIAL_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\p{L}\p{N}_@])@(?P<partial>[\p{L}\p{N}_:.#$%&\-+?<>~/]*)$").unwrap());

#[derive(Clone, Debug, PartialEq)]
pub struct CompletionItem {
    pub label: String,
    pub detail: String,
    pub documentation: String,
    /// What the client filters on: the key, then the title, so typing a title word finds it.
    pub filter_text: String,
    pub sort_text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    /// The partial key to replace.
    pub replace: Range<usize>,
    pub items: Vec<CompletionItem>,
    pub incomplete: bool,
}

pub fn completion(corpus: &Snapshot, note: &Note, offset: usize) -> Option<Completion> {
    let text = &note.text;
    let offset = crate::analysis::text::floor_char_boundary(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let found = PARTIAL_KEY.captures(&text[line_start..offset])?;
    let partial = found.name("partial")?;
    let replace = line_start + partial.start()..offset;
    let typed = partial.as_str().to_lowercase();
    // Matched on the list, which names every article without its text (a shared archive's are
    // fetched only for the items shown).
    let mut matching: Vec<(ArticleId, &str)> = corpus
        .listed()
        .filter(|(_, key, title, _)| typed.is_empty() || key.to_lowercase().starts_with(&typed) || title.to_lowercase().contains(&typed))
        .map(|(id, key, _, _)| (id, key))
        .collect();
    matching.sort_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(&b.0)));
    let incomplete = matching.len() > MAX_ITEMS;
    matching.truncate(MAX_ITEMS);
    let ids: Vec<ArticleId> = matching.iter().map(|(id, _)| *id).collect();
    corpus.prefetch(&ids);
    let items: Vec<CompletionItem> = ids
        .into_iter()
        .filter_map(|id| Some((id, corpus.article(id)?)))
        .map(|(id, article)| {
            let key = corpus.preferred_key(id).to_string();
            let date = article.date.map_or_else(|| "undated".to_string(), |d| d.to_string());
            let outlet = article.outlet.as_deref().unwrap_or("unknown outlet");
            CompletionItem {
                detail: format!("{} — {outlet}, {date}", article.title),
                documentation: article.sentences.first().map_or_else(String::new, |s| article.sentence_text(s).to_string()),
                filter_text: format!("{key} {}", article.title),
                sort_text: article.key.clone(),
                label: key,
            }
        })
        .collect();
    Some(Completion { replace, items, incomplete })
}
