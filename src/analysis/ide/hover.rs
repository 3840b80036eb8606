//! Hover: what stands behind the thing under the cursor — a citation's article
//! and its best-matching sentences, or the evidence for a plain sentence.

use crate::analysis::checks::citations::{resolve, Resolved};
use crate::analysis::checks::evidence;
use crate::analysis::checks::figures;
use crate::analysis::checks::diagnostics::BlockFindings;
use crate::analysis::checks::findings::{Code, Finding};
use crate::analysis::checks::findings::{Hover, Place};
use crate::analysis::checks::render::{article_header, escape, quoted_sentence, wrap_markdown, HOVER_COLUMNS};
use crate::analysis::checks::Snapshot;
use crate::analysis::note::{Note, SourceRef};

/// Sentences of a cited article shown under its header.
const CITATION_SENTENCES: usize = 3;
/// Supporting sentences shown for a plain sentence.
const EVIDENCE_SENTENCES: usize = 3;

pub fn hover(corpus: &Snapshot, note: &Note, offset: usize) -> Option<Hover> {
    hover_given(corpus, note, offset, None)
}

/// The hover at `offset`, given what the diagnostics found in this same text of the note, block
/// by block: a plain sentence's hover reads its contradiction there instead of checking the
/// sentence again. The answer is the same either way.
pub fn hover_given(corpus: &Snapshot, note: &Note, offset: usize, known: Option<&[BlockFindings]>) -> Option<Hover> {
    let mut found = unwrapped_hover(corpus, note, offset, known)?;
    found.markdown = wrap_markdown(&found.markdown, HOVER_COLUMNS);
    Some(found)
}

fn unwrapped_hover(corpus: &Snapshot, note: &Note, offset: usize, known: Option<&[BlockFindings]>) -> Option<Hover> {
    if let Some((citation, source)) = note.citation_at(offset) {
        let sentence = citation.sentence.map(|s| s as usize);
        return match source {
            Some(source) => citation_hover(corpus, note, source, sentence),
            None => Some(Hover {
                range: citation.span.clone(),
                markdown: format!("Cites {} sources; hover on one key for its article.", citation.refs.len()),
            }),
        };
    }
    if let Some(quote) = crate::analysis::checks::quotes::quote_at(note, offset) {
        return Some(Hover { range: quote.span.clone(), markdown: crate::analysis::checks::quotes::hover(corpus, note, quote) });
    }
    if let Some(judgement) = crate::analysis::checks::figures::check::figure_at(corpus, note, offset) {
        let range = judgement.statement.span.clone();
        return Some(Hover { range, markdown: crate::analysis::checks::figures::check::hover(corpus, note, &judgement) });
    }
    let index = note.sentence_index_at(offset)?;
    let span = note.sentences[index].span.clone();
    if span.start > offset || offset >= span.end {
        return None;
    }
    Some(Hover { range: span, markdown: evidence_markdown(corpus, note, index, known) })
}

fn citation_hover(corpus: &Snapshot, note: &Note, source: &SourceRef, sentence: Option<usize>) -> Option<Hover> {
    let markdown = match resolve(corpus, source) {
        Resolved::Article { article: id, .. } => {
            let article = corpus.article(id)?;
            let key = corpus.preferred_key(id);
            let mut markdown = article_header(article, key);
            let mut hits = sentence.map(|s| evidence::best_in_article(corpus, note, s, id, CITATION_SENTENCES)).unwrap_or_default();
            if hits.is_empty() {
                // Nothing in the article echoes the sentence: show its opening instead.
                hits = (0..article.sentences.len().min(2))
                    .map(|index| crate::analysis::corpus::search::Hit {
                        sentence: crate::analysis::corpus::search::SentenceRef { article: id, index: index as u32 },
                        score: 0.0,
                        coverage: 0.0,
                    })
                    .collect();
                if !hits.is_empty() {
                    markdown.push_str("\n\nNothing in this article matches the sentence closely; it opens:");
                }
            }
            for hit in hits {
                let span = article.sentences[hit.sentence.index as usize].span.range();
                markdown.push_str("\n\n");
                markdown.push_str(&quoted_sentence(article, key, span, false));
            }
            markdown
        }
        Resolved::Ambiguous(ids) => {
            let names: Vec<String> =
                ids.iter().filter_map(|&id| corpus.article(id)).map(|a| format!("- `@{}` — {}", a.key, escape(&a.title))).collect();
            format!("**Ambiguous citation**: it could name any of\n\n{}", names.join("\n"))
        }
        Resolved::Unknown => "**Unknown source**: no article in the corpus answers to this name.".to_string(),
        Resolved::NotACitation => return None,
    };
    Some(Hover { range: source.span.clone(), markdown })
}

/// Finds, while the editor is idle, what hovers over the open notes would look up and the
/// snapshot does not remember yet, so that they answer from its memos: first where each of their
/// quotations is found in the whole corpus (for one repeated across a large archive that reads
/// thousands of paragraphs, 20–50 ms at 100,000 articles, which the diagnostics do not when the
/// cited source holds it), then the evidence of each sentence. Each note is taken outwards from
/// its `focus` (where the analyst last edited or hovered), the first note (the one just checked)
/// before the others: a note the analyst left for another is prepared too, not left
/// half-prepared. A note's work stops at its next quotation or sentence once its `wanted` says
/// the editor moved or closed it; what is remembered already costs a lookup.
/// Every sentence is looked up, even from a team's archive: looking up only those near the
/// analyst moved the same searches into the minutes of writing, where they delayed the team's
/// edits (docs/SCALE.md).
pub fn prepare(corpus: &Snapshot, notes: &[Preparing]) {
    for preparing in notes {
        let mut quotes: Vec<_> = preparing.note.quotes.iter().collect();
        quotes.sort_by_key(|quote| distance(&quote.span, preparing.focus));
        for quote in quotes {
            if !(preparing.wanted)() {
                break;
            }
            crate::analysis::checks::quotes::hover(corpus, preparing.note, quote);
        }
    }
    for preparing in notes {
        for index in nearest_first(preparing.note, preparing.focus) {
            if !(preparing.wanted)() {
                break;
            }
            evidence::supporting(corpus, preparing.note, index, EVIDENCE_SENTENCES);
        }
    }
}

/// An open note whose hovers `prepare` looks up: the byte offset the analyst is at, and whether
/// it is still worth it (the editor is idle and the note open, as it was).
pub struct Preparing<'a> {
    pub note: &'a Note,
    pub focus: usize,
    pub wanted: &'a dyn Fn() -> bool,
}

/// The note's sentences by their distance from `focus`, the one holding it first.
fn nearest_first(note: &Note, focus: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..note.sentences.len()).collect();
    order.sort_by_key(|&index| distance(&note.sentences[index].span, focus));
    order
}

/// How many bytes lie between `span` and `focus`: none when it holds it.
fn distance(span: &std::ops::Range<usize>, focus: usize) -> usize {
    span.start.saturating_sub(focus).max(focus.saturating_sub(span.end))
}

fn evidence_markdown(corpus: &Snapshot, note: &Note, index: usize, known: Option<&[BlockFindings]>) -> String {
    let hits = evidence::supporting(corpus, note, index, EVIDENCE_SENTENCES);
    // The closest sources may be the ones that contradict a figure of the sentence: then they are
    // what the sources say, not support.
    let sentence = note.sentences[index].span.clone();
    let in_sentence = |finding: &Finding| finding.code == Code::FigureContradiction && sentence.contains(&finding.range.start);
    let block = known.and_then(|blocks| blocks.iter().find(|block| block.span.start <= sentence.start && sentence.end <= block.span.end));
    let contradiction = match block {
        Some(block) => block.in_note().find(in_sentence),
        None => {
            let never = crate::analysis::cancel::CancelToken::never();
            figures::check::check_sentences(corpus, note, index..index + 1, &never)
                .unwrap_or_default()
                .into_iter()
                .find(in_sentence)
        }
    };
    let mut places: Vec<(crate::analysis::corpus::ArticleId, std::ops::Range<usize>)> = hits
        .iter()
        .filter_map(|hit| {
            let article = corpus.article(hit.sentence.article)?;
            Some((hit.sentence.article, article.sentences[hit.sentence.index as usize].span.range()))
        })
        .collect();
    if places.is_empty() {
        // Nothing close in wording, but the sentences that state the contradicted figure speak to it.
        places = contradiction
            .iter()
            .flat_map(|finding| finding.related.iter())
            .filter_map(|related| match &related.place {
                Place::Article { article, range } => Some((*article, range.clone())),
                _ => None,
            })
            .take(EVIDENCE_SENTENCES)
            .collect();
    }
    if places.is_empty() {
        return "**No support found**: nothing in the corpus backs this sentence.".to_string();
    }
    let mut markdown = String::from(if contradiction.is_some() {
        "**What the sources say** (they contradict a figure of this sentence)"
    } else {
        "**Sources that support this sentence**"
    });
    for (id, span) in places {
        let Some(article) = corpus.article(id) else {
            continue;
        };
        markdown.push_str(&format!("\n\n{}", quoted_sentence(article, corpus.preferred_key(id), span, true)));
    }
    markdown
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A note of `count` one-line paragraphs, each its own sentence, with curly quotes and dashes.
    fn note_of(count: usize) -> Note {
        let text: String = (0..count).map(|i| format!("The river “rose” {i} metres — in Łódź.\n\n")).collect();
        Note::parse("/w/notes/n.md", &text)
    }

    #[test]
    fn the_sources_of_a_quotation_are_found_while_the_editor_is_idle() {
        use crate::analysis::checks::quotes::quote_text;
        use crate::analysis::ide::fixtures::said_by;
        let said = "T\n\nThe mayor of Łódź said the hall “will be rebuilt — stone by stone” by spring.\n";
        let (corpus, _, _) = said_by(said, 2);
        let note = Note::parse("/w/notes/n.md", "# Hall\n\nIntro.\n\nThe mayor said it “will be rebuilt — stone by stone” [@001].\n");
        let quote = &note.quotes[0];
        // Found in the cited article, the quotation needs no search of the whole corpus to be checked.
        assert!(crate::analysis::checks::diagnostics::check_note(&corpus, &note).is_empty());
        let everywhere = (quote_text(&note, quote), None);
        assert_eq!(corpus.quote_memo().get(&everywhere), None);
        prepare(&corpus, &[Preparing { note: &note, focus: 0, wanted: &|| true }]);
        let found = corpus.quote_memo().get(&everywhere).expect("remembered for the hover");
        assert_eq!(found.len(), 2);
        assert!(hover(&corpus, &note, quote.span.start + 3).unwrap().markdown.starts_with("**Quoted in 2 sources**"));
        // Once the editor moves, nothing more is looked up.
        let (fresh, _, _) = said_by(said, 2);
        prepare(&fresh, &[Preparing { note: &note, focus: 0, wanted: &|| false }]);
        assert_eq!(fresh.quote_memo().get(&everywhere), None);
        // A note the analyst left for another is prepared after it, its quotations before any
        // sentence's evidence.
        let left = Note::parse("/w/notes/left.md", "# Hall\n\nHe said it would “be rebuilt — stone by stone”.\n");
        let left_everywhere = (quote_text(&left, &left.quotes[0]), None);
        let asked = std::cell::Cell::new(0);
        let once = || {
            asked.set(asked.get() + 1);
            asked.get() == 1
        };
        prepare(&fresh, &[Preparing { note: &note, focus: 0, wanted: &|| false }, Preparing { note: &left, focus: 0, wanted: &once }]);
        assert_eq!(fresh.quote_memo().get(&left_everywhere).map(|found| found.len()), Some(2));
        assert_eq!(fresh.quote_memo().get(&everywhere), None, "the note closed meanwhile is not prepared");
    }

    /// From an archive, the sources a quotation's hover shows are fetched in one call, not one
    /// after another: a cold hover waited on each round trip.
    #[test]
    fn a_quotations_sources_are_fetched_together_from_an_archive() {
        let quoted = crate::analysis::ide::fixtures::quoted_everywhere();
        let markdown = hover(&quoted.remote, &quoted.note, quoted.at).unwrap().markdown;
        assert_eq!(markdown, hover(&quoted.embedded, &quoted.note, quoted.at).unwrap().markdown);
        assert!(markdown.starts_with("**Quoted in 6 sources**, the cited first"), "{markdown}");
        assert!(markdown.ends_with("and 2 more"), "{markdown}");
        assert_eq!(quoted.library.fetches.load(std::sync::atomic::Ordering::Relaxed), 1, "the four shown, in one call");
    }

    #[test]
    fn a_figures_sources_are_not_fetched_again_after_an_archives_text_is_let_go() {
        use std::sync::atomic::Ordering;
        let said = "T\n\nThe flood in Łódź killed 12 people — officials said on Tuesday.\n";
        let (embedded, remote, library) = crate::analysis::ide::fixtures::said_by(said, 3);
        let note = Note::parse("/w/notes/n.md", "# Flood\n\nThe flood in Łódź killed 12 people [@002].\n");
        let at = note.text.find("12").unwrap();
        let expected = hover(&embedded, &note, at).unwrap().markdown;
        assert!(expected.contains("12 people"), "{expected}");
        assert_eq!(hover(&remote, &note, at).unwrap().markdown, expected);
        // What a server does once the articles it fetched pass its budget.
        let emptied = remote.emptied();
        assert!(emptied.statements_read(1).is_some(), "the cited article's statements are carried over");
        let fetches = library.fetches.load(Ordering::Relaxed);
        assert_eq!(hover(&emptied, &note, at).unwrap().markdown, expected);
        assert_eq!(library.fetches.load(Ordering::Relaxed) - fetches, 1, "the text of the source shown, in one call");
        // Uncited, the figure is compared with every source about the event: they are ordered by
        // the list's dates and the three shown fetched together.
        let uncited = Note::parse("/w/notes/n.md", "# Flood\n\nThe flood in Łódź killed 12 people.\n");
        let at = uncited.text.find("12").unwrap();
        let expected = hover(&embedded, &uncited, at).unwrap().markdown;
        assert_eq!(expected.matches("people — officials").count(), 3, "{expected}");
        assert_eq!(hover(&remote, &uncited, at).unwrap().markdown, expected);
        let emptied = remote.emptied();
        let fetches = library.fetches.load(Ordering::Relaxed);
        assert_eq!(hover(&emptied, &uncited, at).unwrap().markdown, expected);
        assert_eq!(library.fetches.load(Ordering::Relaxed) - fetches, 1, "the three sources shown, in one call");
    }

    #[test]
    fn evidence_is_prepared_nearest_the_analysts_place_first() {
        let note = note_of(5);
        let focus = note.sentences[3].span.start + "The river “ro".len();
        assert_eq!(nearest_first(&note, focus), [3, 2, 4, 1, 0]);
        assert_eq!(nearest_first(&note, 0), [0, 1, 2, 3, 4]);
        assert_eq!(nearest_first(&note, note.text.len() + 10), [4, 3, 2, 1, 0], "a focus past the end");
    }
}
