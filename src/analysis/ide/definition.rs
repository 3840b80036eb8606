//! Go-to-definition: from a citation (or a sentence) to the source sentence that says it.

use crate::analysis::checks::citations::{resolve, Resolved};
use crate::analysis::checks::evidence;
use crate::analysis::checks::findings::{Place, Target};
use crate::analysis::checks::Snapshot;
use crate::analysis::note::Note;

pub fn definition(corpus: &Snapshot, note: &Note, offset: usize) -> Vec<Target> {
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
