//! Go-to-definition: from a citation (or a sentence) to the source sentence that says it.

use crate::analysis::checks::citations::{resolve, Resolved};
use crate::analysis::checks::evidence;
use crate::analysis::checks::findings::{Place, Target};
use crate::analysis::checks::Snapshot;
use crate::analysis::corpus::ArticleId;
use crate::analysis::note::Note;

pub fn definition(corpus: &Snapshot, note: &Note, offset: usize) -> Vec<Target> {
    let found = targets(corpus, note, offset);
    // The editor's location of each is read from its article's text: fetched from an archive in
    // one call, not one round trip each (a quotation repeated across the archive has 50 targets).
    let articles: Vec<ArticleId> =
        found.iter().filter_map(|target| if let Place::Article { article, .. } = target { Some(*article) } else { None }).collect();
    corpus.prefetch(&articles);
    found
}

fn targets(corpus: &Snapshot, note: &Note, offset: usize) -> Vec<Target> {
    if let Some((citation, source)) = note.citation_at(offset) {
        let Some(source) = source else {
            return Vec::new();
        };
        return match resolve(corpus, source) {
            Resolved::Article { article: id, line } => {
                let Some(article) = corpus.article(id) else {
                    return Vec::new();
                };
                let range = match line {
                    Some(line) => {
                        let line = (line as usize).saturating_sub(1).min(article.line_index().line_count() - 1);
                        article.line_index().line_range(&article.text, line)
                    }
                    None => citation
                        .sentence
                        .and_then(|s| evidence::best_in_article(corpus, note, s as usize, id, 1).into_iter().next())
                        .map(|hit| article.sentences[hit.sentence.index as usize].span.range())
                        .unwrap_or_else(|| article.line_index().line_range(&article.text, 0)),
                };
                vec![Place::Article { article: id, range }]
            }
            Resolved::Ambiguous(ids) => ids.into_iter().map(|article| Place::Article { article, range: 0..0 }).collect(),
            Resolved::Unknown | Resolved::NotACitation => Vec::new(),
        };
    }
    if let Some(quote) = crate::analysis::checks::quotes::quote_at(note, offset) {
        return crate::analysis::checks::quotes::definition(corpus, note, quote);
    }
    if let Some(judgement) = crate::analysis::checks::figures::check::figure_at(corpus, note, offset) {
        return crate::analysis::checks::figures::check::definition(corpus, &judgement);
    }
    // A plain sentence leads to the source sentence that best supports it.
    let Some(index) = note.sentence_index_at(offset) else {
        return Vec::new();
    };
    evidence::supporting(corpus, note, index, 1)
        .into_iter()
        .filter_map(|hit| {
            let article = corpus.article(hit.sentence.article)?;
            Some(Place::Article { article: hit.sentence.article, range: article.sentences[hit.sentence.index as usize].span.range() })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// From an archive, the articles of a quotation's targets are fetched in one call, so that
    /// the editor's locations (their lines) cost one round trip, not one each.
    #[test]
    fn a_quotations_targets_are_fetched_together_from_an_archive() {
        let quoted = crate::analysis::ide::fixtures::quoted_everywhere();
        let fetches = || quoted.library.fetches.load(std::sync::atomic::Ordering::Relaxed);
        let found = definition(&quoted.remote, &quoted.note, quoted.at);
        assert_eq!(found, definition(&quoted.embedded, &quoted.note, quoted.at));
        let said = quoted.said;
        let span = said.find("will be").unwrap()..said.find("” by").unwrap();
        assert_eq!(found.len(), 6);
        assert!(found.iter().all(|place| matches!(place, Place::Article { range, .. } if *range == span)), "{found:?}");
        assert_eq!(fetches(), 1);
        assert!((0..6).all(|id| quoted.remote.corpus().article(id).is_some()));
        assert_eq!(fetches(), 1, "every target's article was fetched with the others");
    }
}
