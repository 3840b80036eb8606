//! Citations against the corpus: what each one resolves to, which articles a
//! sentence cites, and the `unknown-source` / `ambiguous-source` findings.

use std::ops::Range;

use crate::analysis::checks::findings::{Code, Edit, Finding, Fix, Place, Related};
use crate::analysis::checks::render::in_words_or;
use crate::analysis::checks::Snapshot;
use crate::analysis::corpus::ArticleId;
use crate::analysis::corpus::Resolution;
use crate::analysis::note::{Citation, CitationForm, Note, RefTarget, SourceRef};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    Article {
        article: ArticleId,
        line: Option<u32>,
    },
    Ambiguous(Vec<ArticleId>),
    Unknown,
    /// A link to a file that is not in the corpus (another note, say): not a citation.
    NotACitation,
}

pub fn resolve(corpus: &Snapshot, source: &SourceRef) -> Resolved {
    match &source.target {
        RefTarget::Key(key) => match corpus.resolve(key) {
            Resolution::Found(article) => Resolved::Article { article, line: None },
            Resolution::Ambiguous(ids) => Resolved::Ambiguous(ids),
            Resolution::Unknown => Resolved::Unknown,
        },
        RefTarget::Path { path, line } => match corpus.article_by_path(path) {
            Some(article) => Resolved::Article { article, line: *line },
            None if corpus.is_within_roots(path) => Resolved::Unknown,
            None => Resolved::NotACitation,
        },
    }
}

/// The articles cited by the sentence at `index`, in citation order, without repeats.
pub fn cited_articles(corpus: &Snapshot, note: &Note, index: usize) -> Vec<ArticleId> {
    let mut articles = Vec::new();
    for citation in note.citations_of_sentence(index) {
        for source in &citation.refs {
            if let Resolved::Article { article, .. } = resolve(corpus, source) {
                if !articles.contains(&article) {
                    articles.push(article);
                }
            }
        }
    }
    articles
}

/// Whether the sentence at `index` has any citation at all (resolvable or not).
pub fn has_citation(corpus: &Snapshot, note: &Note, index: usize) -> bool {
    note.citations_of_sentence(index)
        .any(|c| c.refs.iter().any(|r| resolve(corpus, r) != Resolved::NotACitation && !is_ignored_bare_mention(corpus, c, r)))
}

/// A bare `@name` that resolves to nothing and looks nothing like a corpus key is a
/// mention (`@elonmusk`), not a broken citation: reporting it would be a false alarm.
fn is_ignored_bare_mention(corpus: &Snapshot, citation: &Citation, source: &SourceRef) -> bool {
    let RefTarget::Key(key) = &source.target else {
        return false;
    };
    citation.form == CitationForm::Bare
        && resolve(corpus, source) == Resolved::Unknown
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && corpus.similar_keys(key, 1).is_empty()
}

pub fn check(corpus: &Snapshot, note: &Note) -> Vec<Finding> {
    check_within(corpus, note, 0..note.text.len())
}

/// The findings about the citations that start within `span`.
pub fn check_within(corpus: &Snapshot, note: &Note, span: Range<usize>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let first = note.citations.partition_point(|c| c.span.start < span.start);
    for citation in note.citations[first..].iter().take_while(|c| c.span.start < span.end) {
        // A footnote reference repeats its definition's refs; report them once, at the definition.
        if citation.form == CitationForm::Footnote {
            continue;
        }
        for source in &citation.refs {
            match resolve(corpus, source) {
                Resolved::Unknown if !is_ignored_bare_mention(corpus, citation, source) => findings.push(unknown_source(corpus, source)),
                Resolved::Ambiguous(candidates) => findings.push(ambiguous_source(corpus, source, &candidates)),
                _ => {}
            }
        }
    }
    findings
}

fn written_name(source: &SourceRef) -> String {
    match &source.target {
        RefTarget::Key(key) => format!("@{key}"),
        RefTarget::Path { path, .. } => path.rsplit('/').next().unwrap_or(path).to_string(),
    }
}

fn unknown_source(corpus: &Snapshot, source: &SourceRef) -> Finding {
    let name = written_name(source);
    let (suggestions, replace_range): (Vec<String>, Range<usize>) = match &source.target {
        RefTarget::Key(key) => (corpus.similar_keys(key, 3).into_iter().map(String::from).collect(), source.span.clone()),
        RefTarget::Path { .. } => (Vec::new(), source.span.clone()),
    };
    let mut message = format!("`{name}` names no article in the corpus");
    if !suggestions.is_empty() {
        let labels: Vec<String> = suggestions.iter().map(|key| label_of_key(corpus, key)).collect();
        message.push_str(&format!("; did you mean {}?", in_words_or(&labels)));
    }
    let fixes = suggestions
        .iter()
        .map(|key| Fix {
            title: format!("Cite {} instead", label_of_key(corpus, key)),
            edits: vec![Edit { range: replace_range.clone(), new_text: key.clone() }],
            preferred: suggestions.len() == 1,
        })
        .collect();
    Finding {
        range: source.span.clone(),
        severity: Code::UnknownSource.severity(),
        code: Code::UnknownSource,
        message,
        related: Vec::new(),
        fixes,
    }
}

/// The label of the article a key names (`AFP [@001]`), or the key alone.
fn label_of_key(corpus: &Snapshot, key: &str) -> String {
    match corpus.resolve(key) {
        crate::analysis::corpus::Resolution::Found(id) => corpus.source_label(id),
        _ => format!("[@{key}]"),
    }
}

fn ambiguous_source(corpus: &Snapshot, source: &SourceRef, candidates: &[ArticleId]) -> Finding {
    let articles: Vec<_> = candidates.iter().filter_map(|&id| corpus.article(id).map(|a| (id, a))).collect();
    let names: Vec<String> = articles.iter().map(|(_, a)| a.label(&a.key)).collect();
    let related = articles
        .iter()
        .map(|(id, article)| Related {
            place: Place::Article { article: *id, range: 0..0 },
            message: format!("could be {}: {}", article.label(&article.key), article.title),
        })
        .collect();
    let fixes = articles
        .iter()
        .map(|(_, article)| Fix {
            title: format!("Cite {}: {}", article.label(&article.key), crate::analysis::text::shorten(&article.title, 60)),
            edits: vec![Edit { range: source.span.clone(), new_text: article.key.clone() }],
            preferred: false,
        })
        .collect();
    Finding {
        range: source.span.clone(),
        severity: Code::AmbiguousSource.severity(),
        code: Code::AmbiguousSource,
        message: format!("`{}` could be any of {} articles: {}", written_name(source), articles.len(), in_words_or(&names)),
        related,
        fixes,
    }
}
