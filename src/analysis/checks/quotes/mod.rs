//! Verdicts on a note's quotations, and what hover and go-to-definition show for them.
//!
//! Found in a cited article: fine. Found elsewhere: `quote-wrong-source`.
//! Found nowhere: `quote-not-found`, with the closest passage and any close
//! variant in another outlet. Found, but the sentence cites nothing:
//! `quote-uncited`. One- and two-word quotations may be scare quotes, so
//! anything said about them is a hint.

pub mod matching;
pub mod memo;

use std::ops::Range;

use crate::analysis::cancel::{CancelToken, Cancelled};
use crate::analysis::checks::citations::{cited_articles, has_citation, resolve, Resolved};
use crate::analysis::checks::findings::{Code, Edit, Finding, Fix, Place, Related};
use crate::analysis::checks::quotes::matching::{closest, locate, Closest, QuoteMatch, QuoteText};
use crate::analysis::checks::render::{escape, excerpt, in_words, line_link, markdown_label, QUOTED_CHARS};
use crate::analysis::checks::Snapshot;
use crate::analysis::corpus::ArticleId;
use crate::analysis::note::quotes::{Quote, QuoteKind};
use crate::analysis::note::Note;
use crate::analysis::text::{collapse_whitespace, shorten};

/// From this similarity on, the closest passage is worth offering as a replacement.
const REPLACEABLE_SIMILARITY: f32 = 0.75;
/// From this similarity on, a passage in another article is a variant of the same statement.
const VARIANT_SIMILARITY: f32 = 0.6;
/// Articles named in a message, at most.
const NAMED_ARTICLES: usize = 3;

/// The quoted words of a quotation, ready for matching (citations inside blockquotes left out).
pub fn quote_text(note: &Note, quote: &Quote) -> QuoteText {
    let skip: Vec<Range<usize>> = note
        .citations
        .iter()
        .filter(|c| c.span.start >= quote.inner.start && c.span.end <= quote.inner.end)
        .map(|c| c.span.start - quote.inner.start..c.span.end - quote.inner.start)
        .collect();
    QuoteText::parse(&note.text[quote.inner.clone()], &skip)
}

/// The sentences whose citations vouch for a quotation: its own, or for a blockquote its citing block's.
fn citing_sentences(note: &Note, quote: &Quote) -> Vec<usize> {
    match (quote.kind, quote.citing_block) {
        (QuoteKind::Blockquote, Some(block)) => {
            note.sentences.iter().enumerate().filter(|(_, s)| s.block == block).map(|(i, _)| i).collect()
        }
        (QuoteKind::Blockquote, None) => {
            // The quotation's own block (a blockquote without a sentence of its own reads no other
            // block's citations: the block cache keys a block by its neighbours only).
            let block = quote.sentence.and_then(|s| note.sentences.get(s as usize)).map(|s| s.block).or_else(|| {
                note.blocks.iter().position(|b| b.span.start <= quote.span.start && quote.span.end <= b.span.end).map(|b| b as u32)
            });
            note.sentences.iter().enumerate().filter(|(_, s)| Some(s.block) == block).map(|(i, _)| i).collect()
        }
        (QuoteKind::Inline, _) => quote.sentence.map(|s| vec![s as usize]).unwrap_or_default(),
    }
}

/// The articles that the quotation's sentence (or, for a blockquote, its citing block) cites.
pub fn quote_citations(corpus: &Snapshot, note: &Note, quote: &Quote) -> (Vec<ArticleId>, bool) {
    let sentences = citing_sentences(note, quote);
    let mut articles = Vec::new();
    let mut cites = false;
    for sentence in sentences {
        cites |= has_citation(corpus, note, sentence);
        for article in cited_articles(corpus, note, sentence) {
            if !articles.contains(&article) {
                articles.push(article);
            }
        }
    }
    (articles, cites)
}

/// Articles in date order, earliest (the originating one) first, undated last.
fn by_date(matches: &mut [QuoteMatch]) {
    // Articles are numbered in path order, so the id breaks ties like the key would, without copying it.
    matches.sort_by_key(|m| (m.date.map_or((1, None), |d| (0, Some(d))), m.article));
}

fn names(corpus: &Snapshot, ids: impl IntoIterator<Item = ArticleId>) -> String {
    let mut labels: Vec<String> = Vec::new();
    for id in ids {
        let label = corpus.source_label(id);
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    in_words(&labels, NAMED_ARTICLES)
}

/// "The cited source, AFP [@001], does not" / "The cited sources, A and B, do not".
fn cited_sources(corpus: &Snapshot, cited: &[ArticleId]) -> String {
    let (noun, verb) = if cited.len() == 1 { ("source", "does") } else { ("sources", "do") };
    format!("The cited {noun}, {}, {verb} not", names(corpus, cited.iter().copied()))
}

/// A quotation found in a cited PDF, cited with pages (`[@report, p. 3]`) that do not hold it:
/// a hint naming the page it is on, with the fix.
fn wrong_page(corpus: &Snapshot, note: &Note, quote: &Quote, found: &[QuoteMatch]) -> Option<Finding> {
    let sentences = citing_sentences(note, quote);
    let refs = note.citations.iter().filter(|c| c.sentence.is_some_and(|s| sentences.contains(&(s as usize)))).flat_map(|c| &c.refs);
    for source in refs {
        let Some(pages) = &source.pages else { continue };
        let Resolved::Article { article: id, .. } = resolve(corpus, source) else { continue };
        let Some(article) = corpus.article(id) else { continue };
        let on: Vec<u32> = found.iter().filter(|m| m.article == id).filter_map(|m| article.page_of(m.span.start)).collect();
        if on.is_empty() || on.iter().any(|page| (pages.first..=pages.last).contains(page)) {
            continue;
        }
        let page = on[0];
        let given = &note.text[pages.span.clone()];
        let label = corpus.source_label(id);
        let at = found.iter().find(|m| m.article == id)?;
        return Some(Finding {
            // The key and its locator, so that the fix is offered wherever the cursor is on them.
            range: source.span.start..pages.span.end,
            severity: Code::QuoteWrongPage.severity(),
            code: Code::QuoteWrongPage,
            message: format!(
                "“{}” is on page {page} of {label}, not on page {}",
                shorten(&note.text[quote.inner.clone()], 60),
                given.replace('-', "–")
            ),
            related: vec![Related {
                place: Place::Article { article: id, range: at.span.clone() },
                message: format!("on page {page} of {label}"),
            }],
            fixes: vec![Fix {
                title: format!("Cite page {page}"),
                edits: vec![Edit { range: pages.span.clone(), new_text: page.to_string() }],
                preferred: true,
            }],
        });
    }
    None
}

/// Every finding about the note's quotations.
pub fn check(corpus: &Snapshot, note: &Note) -> Vec<Finding> {
    check_within(corpus, note, 0..note.text.len(), &CancelToken::never()).unwrap_or_default()
}

/// The findings about the quotations that start within `span`; once `cancel` is cancelled it
/// stops before the next quotation.
pub fn check_within(corpus: &Snapshot, note: &Note, span: Range<usize>, cancel: &CancelToken) -> Result<Vec<Finding>, Cancelled> {
    let mut findings = Vec::new();
    for quote in note.quotes.iter().filter(|q| span.contains(&q.span.start)) {
        cancel.check()?;
        findings.extend(check_quote(corpus, note, quote));
    }
    Ok(findings)
}

fn check_quote(corpus: &Snapshot, note: &Note, quote: &Quote) -> Option<Finding> {
    let text = quote_text(note, quote);
    if text.word_count() == 0 {
        return None;
    }
    let words = text.word_count();
    let (cited, cites) = quote_citations(corpus, note, quote);
    if !cited.is_empty() {
        let in_cited = locate(corpus, &text, Some(&cited));
        if !in_cited.is_empty() {
            return wrong_page(corpus, note, quote, &in_cited);
        }
    }
    let mut found = locate(corpus, &text, None);
    by_date(&mut found);
    let shown = shorten(&note.text[quote.inner.clone()], 60);
    let related = |matches: &[QuoteMatch]| -> Vec<Related> {
        matches
            .iter()
            .take(NAMED_ARTICLES)
            .map(|m| Related {
                place: Place::Article { article: m.article, range: m.span.clone() },
                message: format!("quoted in {}", corpus.source_label(m.article)),
            })
            .collect()
    };
    if !found.is_empty() {
        if !cited.is_empty() {
            let fixes = found.iter().take(NAMED_ARTICLES).filter_map(|m| recite_fix(corpus, note, quote, &cited, m.article)).collect();
            return Some(Finding {
                range: quote.span.clone(),
                severity: Code::QuoteWrongSource.quote_severity(words),
                code: Code::QuoteWrongSource,
                message: format!(
                    "{} contain “{shown}”; it is in {}",
                    cited_sources(corpus, &cited),
                    names(corpus, found.iter().map(|m| m.article))
                ),
                related: related(&found),
                fixes,
            });
        }
        if cites {
            return None; // the citation itself is broken, and reported as such
        }
        let origin = found[0].article;
        return Some(Finding {
            range: quote.span.clone(),
            severity: Code::QuoteUncited.quote_severity(words),
            code: Code::QuoteUncited,
            message: format!("“{shown}” is from {}, but this sentence cites no source", names(corpus, found.iter().map(|m| m.article))),
            related: related(&found),
            fixes: quote.sentence.map(|s| cite_fix(corpus, note, s as usize, origin)).into_iter().collect(),
        });
    }
    Some(not_found(corpus, &note.text, quote, &text, &cited, &shown))
}

/// The source's words laid out on the lines of the note's words: a hard-wrapped quotation stays
/// wrapped where it was (after the same number of words), so that a fix changes words, not layout.
pub fn keep_line_breaks(written: &str, replacement: &str) -> String {
    let mut breaks: Vec<(usize, &str)> = Vec::new(); // (words before the break, the break's own text)
    let mut words = 0;
    let mut rest = written;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        let gap = &rest[..start];
        if gap.contains('\n') && words > 0 {
            breaks.push((words, gap));
        }
        rest = &rest[start..];
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        words += 1;
        rest = &rest[end..];
    }
    let mut out = String::with_capacity(replacement.len() + 8);
    for (index, word) in replacement.split_whitespace().enumerate() {
        if index > 0 {
            match breaks.iter().find(|(before, _)| *before == index) {
                Some((_, gap)) => out.push_str(gap),
                None => out.push(' '),
            }
        }
        out.push_str(word);
    }
    out
}

fn not_found(corpus: &Snapshot, note_text: &str, quote: &Quote, text: &QuoteText, cited: &[ArticleId], shown: &str) -> Finding {
    let within = (!cited.is_empty()).then_some(cited);
    let nearest = closest(corpus, text, within, &[]);
    let variant = match within {
        Some(cited) => closest(corpus, text, None, cited).filter(|v| v.similarity >= VARIANT_SIMILARITY),
        None => None,
    };
    let mut message = match within {
        Some(cited) => format!("{} contain “{shown}”", cited_sources(corpus, cited)),
        None => format!("No source in the corpus contains “{shown}”"),
    };
    let mut related = Vec::new();
    let mut fixes = Vec::new();
    let describe = |passage: &Closest| {
        let article = corpus.article(passage.article);
        let words = article.map(|a| shorten(&a.text[passage.span.clone()], 80)).unwrap_or_default();
        format!("“{words}” in {}, {:.0}% alike", corpus.source_label(passage.article), passage.similarity * 100.0)
    };
    if let Some(passage) = nearest.as_ref().filter(|p| p.similarity > 0.0) {
        let described = describe(passage);
        message.push_str(&format!("; the closest passage is {described}"));
        related.push(Related {
            place: Place::Article { article: passage.article, range: passage.span.clone() },
            message: "closest passage".into(),
        });
        if passage.similarity >= REPLACEABLE_SIMILARITY && text.is_plain() {
            if let Some(article) = corpus.article(passage.article) {
                let exact = collapse_whitespace(&article.text[passage.span.clone()]);
                fixes.push(Fix {
                    title: format!("Quote the exact words of [@{}]", corpus.preferred_key(passage.article)),
                    edits: vec![Edit { range: quote.inner.clone(), new_text: keep_line_breaks(&note_text[quote.inner.clone()], &exact) }],
                    preferred: true,
                });
            }
        }
    }
    if let Some(variant) = variant.filter(|v| nearest.as_ref().is_none_or(|n| v.similarity > n.similarity)) {
        let described = describe(&variant);
        message.push_str(&format!("; a close variant is {described}"));
        related.push(Related {
            place: Place::Article { article: variant.article, range: variant.span.clone() },
            message: "a close variant in another outlet".into(),
        });
    }
    Finding {
        range: quote.span.clone(),
        severity: Code::QuoteNotFound.quote_severity(text.word_count()),
        code: Code::QuoteNotFound,
        message,
        related,
        fixes,
    }
}

/// Replaces the first resolvable key the quotation's sentence cites with `article`'s key.
fn recite_fix(corpus: &Snapshot, note: &Note, quote: &Quote, cited: &[ArticleId], article: ArticleId) -> Option<Fix> {
    let sentence = quote.sentence? as usize;
    let key_span = note
        .citations_of_sentence(sentence)
        .chain(quote.citing_block.into_iter().flat_map(|b| {
            note.citations.iter().filter(move |c| note.blocks.get(b as usize).is_some_and(|block| block.span.start <= c.span.start && c.span.end <= block.span.end))
        }))
        .flat_map(|c| c.refs.iter())
        .find(|r| matches!(crate::analysis::checks::citations::resolve(corpus, r), crate::analysis::checks::citations::Resolved::Article { article, .. } if cited.contains(&article)))
        .filter(|r| matches!(r.target, crate::analysis::note::RefTarget::Key(_)))?
        .span
        .clone();
    let key = corpus.preferred_key(article).to_string();
    Some(Fix { title: format!("Cite [@{key}] instead"), edits: vec![Edit { range: key_span, new_text: key }], preferred: false })
}

/// Inserts `[@key]` at the end of a sentence: before its final period, after a closing quote or `?`/`!`.
pub fn cite_fix(corpus: &Snapshot, note: &Note, sentence: usize, article: ArticleId) -> Fix {
    let key = corpus.preferred_key(article);
    let span = &note.sentences[sentence].span;
    let text = &note.text[span.clone()];
    let at = if text.ends_with('.') && !text.ends_with("...") { span.end - 1 } else { span.end };
    Fix { title: format!("Cite [@{key}]"), edits: vec![Edit { range: at..at, new_text: format!(" [@{key}]") }], preferred: false }
}

/// The quotation under `offset`, if any.
pub fn quote_at(note: &Note, offset: usize) -> Option<&Quote> {
    note.quotes.iter().find(|q| q.span.start <= offset && offset < q.span.end)
}

/// Where the quotation occurs: cited articles first, then by date.
fn occurrences(corpus: &Snapshot, note: &Note, quote: &Quote) -> (Vec<QuoteMatch>, Vec<ArticleId>) {
    let (cited, _) = quote_citations(corpus, note, quote);
    let mut found = locate(corpus, &quote_text(note, quote), None);
    by_date(&mut found);
    (found, cited)
}

/// Sources shown in a quotation's hover; the rest are counted.
const HOVER_SOURCES: usize = 4;

pub fn hover(corpus: &Snapshot, note: &Note, quote: &Quote) -> String {
    let (mut found, cited) = occurrences(corpus, note, quote);
    if found.is_empty() {
        return match check_quote(corpus, note, quote) {
            Some(finding) => format!("**Quotation not found**\n\n{}", escape(&finding.message)),
            None => "**Quotation**: too common to check.".to_string(),
        };
    }
    found.sort_by_key(|m| !cited.contains(&m.article));
    let mut markdown = match found.len() {
        1 => "**Quoted from 1 source**".to_string(),
        n => format!("**Quoted in {n} sources**, the cited first, then the earliest"),
    };
    // Their articles in one call, where a library keeps them (one after another, a cold hover
    // waited on four round trips).
    let shown: Vec<ArticleId> = found.iter().take(HOVER_SOURCES).map(|m| m.article).collect();
    corpus.prefetch(&shown);
    for occurrence in found.iter().take(HOVER_SOURCES) {
        let Some(article) = corpus.article(occurrence.article) else { continue };
        let sentence =
            article.sentence_at(occurrence.span.start).map(|i| article.sentences[i].span.range()).unwrap_or(occurrence.span.clone());
        let marker = if cited.contains(&occurrence.article) { " (cited)" } else { "" };
        markdown.push_str(&format!(
            "\n\n> {} — {}{marker}, {}",
            escape(&excerpt(&article.text, sentence, occurrence.span.clone(), QUOTED_CHARS)),
            markdown_label(&corpus.source_label(occurrence.article)),
            line_link(article, occurrence.span.start)
        ));
    }
    if found.len() > HOVER_SOURCES {
        markdown.push_str(&format!("\n\nand {} more", found.len() - HOVER_SOURCES));
    }
    markdown
}

/// Locations offered for one quotation at most: an editor's list of hundreds helps nobody.
const MAX_DEFINITIONS: usize = 50;

/// The exact spans in the sources, the earliest dated (originating) article first.
pub fn definition(corpus: &Snapshot, note: &Note, quote: &Quote) -> Vec<Place> {
    // The originating article first (the earliest dated), as the mission asks of definitions.
    let (found, _) = occurrences(corpus, note, quote);
    found.into_iter().take(MAX_DEFINITIONS).map(|m| Place::Article { article: m.article, range: m.span }).collect()
}
