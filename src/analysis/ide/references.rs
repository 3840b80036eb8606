//! Find references: every place in any note that cites a given article.

use crate::analysis::cancel::{CancelToken, Cancelled};
use crate::analysis::checks::citations::{resolve, Resolved};
use crate::analysis::checks::findings::Place;
use crate::analysis::checks::Snapshot;
use crate::analysis::corpus::ArticleId;
use crate::analysis::note::Note;

/// The article a note position refers to: the citation key under the cursor.
pub fn article_at(corpus: &Snapshot, note: &Note, offset: usize) -> Option<ArticleId> {
    let (_, source) = note.citation_at(offset)?;
    match resolve(corpus, source?) {
        Resolved::Article { article, .. } => Some(article),
        _ => None,
    }
}

/// Every citation of `article` in `notes`, in note order; stops before the next note once `cancel`
/// is cancelled.
pub fn references<'a>(
    corpus: &Snapshot,
    notes: impl IntoIterator<Item = &'a Note>,
    article: ArticleId,
    cancel: &CancelToken,
) -> Result<Vec<Place>, Cancelled> {
    let mut places = Vec::new();
    for note in notes {
        cancel.check()?;
        for citation in &note.citations {
            if citation.form == crate::analysis::note::CitationForm::Footnote {
                continue; // the definition's own citation is the reference
            }
            for source in &citation.refs {
                if matches!(resolve(corpus, source), Resolved::Article { article: a, .. } if a == article) {
                    places.push(Place::Note { path: note.path.clone(), range: source.span.clone() });
                }
            }
        }
    }
    Ok(places)
}
