//! A note: the markdown an analyst writes, read into text blocks, sentences,
//! headings and citations with exact byte spans.
//!
//! `Note::parse` builds an immutable value from the path and text alone; it
//! does not know the corpus, so it records what is written (keys, link
//! targets) and leaves resolution to analysis. Code, HTML, URLs, link
//! destinations and front matter are never searched for citations.

pub mod quotes;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

use crate::analysis::text::paths::{join, parent, percent_decode};
use crate::analysis::text::sentences::split_sentences;
use crate::analysis::text::{trim_range, LineIndex};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading(u8),
    ListItem,
    TableCell,
}

/// A run of prose: a paragraph, a heading's text, a tight list item's text, a table cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub span: Range<usize>,
    pub kind: BlockKind,
    pub in_blockquote: bool,
    /// The label of the footnote definition this block belongs to, if any.
    pub footnote: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NoteSentence {
    pub span: Range<usize>,
    pub block: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CitationForm {
    /// `[@key]`, `[@a; @b]`, `[see @key, p. 2]`
    Bracketed,
    /// `@key` in running text
    Bare,
    /// `[text](../seeds/003.txt#L12)`
    Link,
    /// `[^1]` whose definition holds citations
    Footnote,
}

#[derive(Clone, Debug, PartialEq)]
pub enum RefTarget {
    Key(String),
    /// A normalised absolute path, and the 1-based line of a `#L12` fragment.
    Path {
        path: String,
        line: Option<u32>,
    },
}

/// One source named by a citation, with the span of its name.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceRef {
    pub span: Range<usize>,
    pub target: RefTarget,
    /// A Pandoc locator after the key: `[@key, p. 3]`, `[@key, pp. 3–5]`.
    pub pages: Option<Pages>,
}

/// The pages a citation points at (`first..=last`), and the span of their numbers in the note.
#[derive(Clone, Debug, PartialEq)]
pub struct Pages {
    pub first: u32,
    pub last: u32,
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Citation {
    pub span: Range<usize>,
    pub form: CitationForm,
    pub refs: Vec<SourceRef>,
    /// The sentence this citation covers.
    pub sentence: Option<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    /// The whole heading line, and the span of its text.
    pub span: Range<usize>,
    pub text_span: Range<usize>,
}

#[derive(Clone, Debug, Default)]
pub struct Note {
    pub path: String,
    pub text: String,
    pub line_index: LineIndex,
    pub blocks: Vec<Block>,
    pub sentences: Vec<NoteSentence>,
    pub citations: Vec<Citation>,
    pub headings: Vec<Heading>,
    /// Code, HTML, URLs, link destinations, front matter: never prose.
    pub excluded: Vec<Range<usize>>,
    pub quotes: Vec<crate::analysis::note::quotes::Quote>,
}

/// Citations before a sentence looked at for one that reaches into it (nested links are rare).
const CITATIONS_LOOKED_BACK: usize = 8;

static BRACKETED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[(?P<body>[^\[\]\n]*@[^\[\]\n]*)\]").unwrap());
static KEY_IN_BRACKETS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s;(\-])-?@(?:\{(?P<braced>[^{}\s]+)\}|(?P<key>[\p{L}\p{N}_][\p{L}\p{N}_:.#$%&\-+?<>~/]*))").unwrap()
});
static BARE_KEY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\p{L}\p{N}_@.\-/])@(?P<key>[\p{L}\p{N}_][\p{L}\p{N}_:.#$%&\-+?<>~/]*)").unwrap());
/// `, p. 3`, `, pp. 3-5`, `, page 12`, `, pages 3–5` after a key.
static PAGE_LOCATOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*,\s*(?:pp?\.?|pages?)\s*(?P<first>\d{1,5})(?:\s*[-–]\s*(?P<last>\d{1,5}))?\b").unwrap());
static BARE_URL: LazyLock<Regex> = LazyLock::new(|| Regex::new(crate::analysis::text::URL_PATTERN).unwrap());
static LIST_MARKER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?").unwrap());
static LINE_FRAGMENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^L(?P<line>\d{1,9})(?:-L?\d{1,9})?$").unwrap());

/// The longest sentence a note is read in, in bytes. Real sentences are a few hundred bytes; a page
/// pasted without full stops would otherwise be one sentence of thousands of words, and each of its
/// figures would cost the whole of it (its context, its query, its neighbours).
const LONGEST_SENTENCE: usize = 2_000;

/// `span` cut at white space into pieces of at most `LONGEST_SENTENCE` bytes (a piece with no white
/// space in it is cut at a character boundary).
fn pieces_of(text: &str, span: Range<usize>) -> Vec<Range<usize>> {
    let mut pieces = Vec::new();
    let mut start = span.start;
    while span.end - start > LONGEST_SENTENCE {
        let mut limit = start + LONGEST_SENTENCE;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let cut = match text[start..limit].rfind(char::is_whitespace) {
            Some(at) if at > 0 => start + at,
            _ => limit,
        };
        let next = cut + text[cut..].len() - text[cut..].trim_start().len();
        pieces.push(start..start + text[start..cut].trim_end().len());
        start = next;
    }
    if start < span.end {
        pieces.push(start..span.end);
    }
    pieces
}

impl Note {
    pub fn parse(path: &str, text: &str) -> Note {
        let mut note = Note { path: path.to_string(), text: text.to_string(), line_index: LineIndex::new(text), ..Note::default() };
        let links = note.read_structure();
        note.excluded = crate::analysis::text::merge_ranges(std::mem::take(&mut note.excluded));
        for (index, block) in note.blocks.iter().enumerate() {
            for span in split_sentences(text, block.span.clone()).into_iter().flat_map(|span| pieces_of(text, span)) {
                // An HTML comment or tag before a sentence is not part of it; a sentence of nothing else is none.
                if let Some(span) = trim_leading_excluded(text, &note.excluded, span) {
                    note.sentences.push(NoteSentence { span, block: index as u32 });
                }
            }
        }
        note.sentences.sort_by_key(|s| s.span.start);
        note.read_citations(links);
        note.quotes = crate::analysis::note::quotes::find_quotes(&note);
        note
    }

    /// Walks the markdown events: blocks, headings, excluded spans, links and footnote references.
    fn read_structure(&mut self) -> ReadLinks {
        let owned = self.text.clone();
        let text = owned.as_str();
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
            | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
        let mut links = ReadLinks::default();
        let mut items: Vec<ItemFrame> = Vec::new();
        let mut footnote: Option<String> = None;
        let mut blockquote_depth = 0usize;
        let mut heading: Option<(u8, Range<usize>)> = None;
        for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
            match event {
                Event::Start(tag) => {
                    let is_block = matches!(
                        tag,
                        Tag::Paragraph
                            | Tag::Heading { .. }
                            | Tag::CodeBlock(_)
                            | Tag::List(_)
                            | Tag::BlockQuote(_)
                            | Tag::Table(_)
                            | Tag::HtmlBlock
                    );
                    if is_block {
                        if let Some(item) = items.last_mut() {
                            item.first_child.get_or_insert(range.start);
                        }
                    }
                    match tag {
                        Tag::Paragraph => self.push_block(range, BlockKind::Paragraph, blockquote_depth > 0, &footnote),
                        Tag::Heading { level, .. } => heading = Some((level as u8, range)),
                        Tag::TableCell => self.push_block(range, BlockKind::TableCell, blockquote_depth > 0, &footnote),
                        Tag::Item => items.push(ItemFrame { span: range, first_child: None }),
                        Tag::BlockQuote(_) => blockquote_depth += 1,
                        Tag::FootnoteDefinition(label) => {
                            footnote = Some(label.to_string());
                            links.footnote_definitions.insert(label.to_string(), range);
                        }
                        Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_) | Tag::Image { .. } => self.excluded.push(range),
                        Tag::Link { link_type, dest_url, .. } => {
                            if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                                self.excluded.push(range);
                            } else {
                                // Everything after the link text (`](dest "title")`) is not prose.
                                if let Some(close) = text[range.clone()].rfind("](") {
                                    self.excluded.push(range.start + close + 1..range.end);
                                }
                                links.links.push((range, dest_url.to_string()));
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(end) => match end {
                    TagEnd::Heading(_) => {
                        if let Some((level, span)) = heading.take() {
                            self.push_heading(level, span, blockquote_depth > 0, &footnote);
                        }
                    }
                    TagEnd::Item => {
                        if let Some(item) = items.pop() {
                            let end = item.first_child.unwrap_or(item.span.end);
                            self.push_list_item_text(item.span.start..end, blockquote_depth > 0, &footnote);
                        }
                    }
                    TagEnd::BlockQuote(_) => blockquote_depth = blockquote_depth.saturating_sub(1),
                    TagEnd::FootnoteDefinition => footnote = None,
                    _ => {}
                },
                Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                    self.excluded.push(range)
                }
                Event::FootnoteReference(label) => links.footnote_references.push((range, label.to_string())),
                _ => {}
            }
        }
        for block in &self.blocks {
            for url in BARE_URL.find_iter(&text[block.span.clone()]) {
                self.excluded.push(block.span.start + url.start()..block.span.start + url.end());
            }
        }
        self.blocks.sort_by_key(|b| b.span.start);
        links
    }

    fn push_block(&mut self, span: Range<usize>, kind: BlockKind, in_blockquote: bool, footnote: &Option<String>) {
        let span = trim_range(&self.text, span);
        if !span.is_empty() {
            self.blocks.push(Block { span, kind, in_blockquote, footnote: footnote.clone() });
        }
    }

    fn push_heading(&mut self, level: u8, span: Range<usize>, in_blockquote: bool, footnote: &Option<String>) {
        let line = &self.text[span.clone()];
        // ATX (`## Title ##`) or setext (`Title\n===`): the text is the first line without markers.
        let first_line = line.lines().next().unwrap_or("");
        let without_open = first_line.trim_start().trim_start_matches('#');
        let content = without_open.trim().trim_end_matches('#').trim_end();
        let start = span.start + first_line.find(content).unwrap_or(0);
        let text_span = start..start + content.len();
        self.headings.push(Heading { level, text: content.to_string(), span: trim_range(&self.text, span), text_span: text_span.clone() });
        self.push_block(text_span, BlockKind::Heading(level), in_blockquote, footnote);
    }

    fn push_list_item_text(&mut self, span: Range<usize>, in_blockquote: bool, footnote: &Option<String>) {
        let content = &self.text[span.clone()];
        let marker = LIST_MARKER.find(content).map_or(0, |m| m.end());
        self.push_block(span.start + marker..span.end, BlockKind::ListItem, in_blockquote, footnote);
    }

    fn is_excluded(&self, span: &Range<usize>) -> bool {
        !crate::analysis::text::overlapping(&self.excluded, span).is_empty()
    }

    fn read_citations(&mut self, links: ReadLinks) {
        let text = self.text.clone();
        let mut citations = Vec::new();
        for block in &self.blocks {
            let offset = block.span.start;
            let content = &text[block.span.clone()];
            let mut bracketed_spans = Vec::new();
            // `find_iter`, not `captures_iter`, in the loops of a parse: where each group lies follows
            // from the match (a body inside its brackets, a key after its `@`), and finding a match
            // alone runs on the fast engine, finding its groups on a backtracking one.
            for whole in BRACKETED.find_iter(content) {
                let span = offset + whole.start()..offset + whole.end();
                if self.is_excluded(&span) {
                    continue;
                }
                let body = &whole.as_str()[1..whole.len() - 1];
                let refs = keys_in(&text, offset + whole.start() + 1, body);
                if refs.is_empty() {
                    continue;
                }
                bracketed_spans.push(span.clone());
                citations.push(Citation { span, form: CitationForm::Bracketed, refs, sentence: None });
            }
            for found in BARE_KEY.find_iter(content) {
                let (_, key_start) = after_at(found.as_str());
                let key_start = found.start() + key_start;
                let trimmed = trim_key(&content[key_start..found.end()]);
                let span = offset + key_start - 1..offset + key_start + trimmed.len();
                if trimmed.is_empty()
                    || self.is_excluded(&span)
                    || bracketed_spans.iter().any(|b| b.start <= span.start && span.end <= b.end)
                {
                    continue;
                }
                let refs = vec![SourceRef { span: span.start + 1..span.end, target: RefTarget::Key(trimmed.to_string()), pages: None }];
                citations.push(Citation { span, form: CitationForm::Bare, refs, sentence: None });
            }
        }
        for (span, destination) in links.links {
            if let Some(target) = link_target(&self.path, &destination) {
                citations.push(Citation {
                    refs: vec![SourceRef { span: span.clone(), target, pages: None }],
                    span,
                    form: CitationForm::Link,
                    sentence: None,
                });
            }
        }
        // A footnote reference cites what its definition cites.
        for (span, label) in links.footnote_references {
            let Some(definition) = links.footnote_definitions.get(&label) else {
                continue;
            };
            let refs: Vec<SourceRef> = citations
                .iter()
                .filter(|c| c.form != CitationForm::Footnote && definition.start <= c.span.start && c.span.end <= definition.end)
                .flat_map(|c| c.refs.iter().cloned())
                .collect();
            if !refs.is_empty() {
                citations.push(Citation { span, form: CitationForm::Footnote, refs, sentence: None });
            }
        }
        citations.sort_by_key(|c| c.span.start);
        for citation in &mut citations {
            citation.sentence = self.sentence_index_at(citation.span.start).map(|i| i as u32);
        }
        self.citations = citations;
    }

    /// The index of the sentence containing `offset`.
    pub fn sentence_index_at(&self, offset: usize) -> Option<usize> {
        let index = self.sentences.partition_point(|s| s.span.start <= offset);
        let candidate = index.checked_sub(1)?;
        (offset <= self.sentences[candidate].span.end).then_some(candidate)
    }

    pub fn sentence_text(&self, index: usize) -> &str {
        self.sentences.get(index).map_or("", |s| &self.text[s.span.clone()])
    }

    /// Citations that cover sentence `index` (they lie within its span: citations are sorted by position).
    pub fn citations_of_sentence(&self, index: usize) -> impl Iterator<Item = &Citation> {
        let span = self.sentences.get(index).map_or(0..0, |s| s.span.clone());
        // A citation covers the sentence its start lies in: sorted starts suffice.
        let first = self.citations.partition_point(|c| c.span.start < span.start);
        self.citations[first..].iter().take_while(move |c| c.span.start <= span.end).filter(move |c| c.sentence == Some(index as u32))
    }

    /// The citation and source ref under `offset`, if any.
    pub fn citation_at(&self, offset: usize) -> Option<(&Citation, Option<&SourceRef>)> {
        let citation = self.citations.iter().find(|c| c.span.start <= offset && offset <= c.span.end)?;
        let source = citation.refs.iter().find(|r| r.span.start <= offset && offset <= r.span.end);
        let source = source.or(if citation.refs.len() == 1 { citation.refs.first() } else { None });
        Some((citation, source))
    }

    /// Byte ranges inside `span` that are not prose: citations, code, URLs.
    pub fn non_prose_within(&self, span: &Range<usize>) -> Vec<Range<usize>> {
        // Citations are sorted by start; one may nest in another (`[see [@a]](seeds/a.txt)`), so
        // their ends are not: look a few back for one that starts earlier and still overlaps.
        let first_after = self.citations.partition_point(|c| c.span.start < span.start);
        let earlier = first_after.saturating_sub(CITATIONS_LOOKED_BACK);
        let citations = self.citations[earlier..].iter().take_while(|c| c.span.start < span.end).map(|c| c.span.clone());
        crate::analysis::text::overlapping(&self.excluded, span)
            .iter()
            .cloned()
            .chain(citations)
            .filter(|r| r.start < span.end && span.start < r.end)
            .map(|r| r.start.max(span.start) - span.start..r.end.min(span.end) - span.start)
            .collect()
    }

    /// The text of sentence `index` with its citations, code and links blanked out, byte for byte
    /// (offsets into it are offsets into the sentence): what its words say, without the words of a
    /// citation key (`[@quake]`) that would pass for the sentence's own.
    pub fn prose_of_sentence(&self, index: usize) -> String {
        let Some(sentence) = self.sentences.get(index) else { return String::new() };
        let mut text = self.text[sentence.span.clone()].to_string();
        for range in self.non_prose_within(&sentence.span) {
            if text.is_char_boundary(range.start) && text.is_char_boundary(range.end) {
                let blank = " ".repeat(range.len());
                text.replace_range(range, &blank);
            }
        }
        text
    }

    pub fn block_of_sentence(&self, index: usize) -> Option<&Block> {
        self.sentences.get(index).and_then(|s| self.blocks.get(s.block as usize))
    }
}

#[derive(Default)]
struct ReadLinks {
    links: Vec<(Range<usize>, String)>,
    footnote_references: Vec<(Range<usize>, String)>,
    footnote_definitions: HashMap<String, Range<usize>>,
}

struct ItemFrame {
    span: Range<usize>,
    first_child: Option<usize>,
}

/// The keys inside a bracketed citation body, each with its own span.
fn keys_in(text: &str, body_start: usize, body: &str) -> Vec<SourceRef> {
    KEY_IN_BRACKETS
        .find_iter(body)
        .filter_map(|found| {
            let (braced, key_start) = after_at(found.as_str());
            let key_start = found.start() + key_start;
            let trimmed = if braced { &body[key_start..found.end() - 1] } else { trim_key(&body[key_start..found.end()]) };
            let start = body_start + key_start;
            (!trimmed.is_empty()).then(|| {
                debug_assert!(text.is_char_boundary(start));
                let after = key_start + trimmed.len();
                let suffix = &body[after..body[after..].find(';').map_or(body.len(), |end| after + end)];
                let pages = PAGE_LOCATOR.captures(suffix).and_then(|found| {
                    let first: u32 = found["first"].parse().ok()?;
                    let last: u32 = found.name("last").map_or(Some(first), |l| l.as_str().parse().ok())?;
                    let numbers = found.name("first")?.start()..found.name("last").or(found.name("first"))?.end();
                    let at = body_start + after;
                    (first >= 1 && last >= first).then(|| Pages { first, last, span: at + numbers.start..at + numbers.end })
                });
                SourceRef { span: start..start + trimmed.len(), target: RefTarget::Key(trimmed.to_string()), pages }
            })
        })
        .collect()
}

/// Where the key of a `KEY_IN_BRACKETS` or `BARE_KEY` match starts, and whether it is braced
/// (`@{key}`): after the match's first `@`, since what may come before it is never one.
fn after_at(found: &str) -> (bool, usize) {
    let at = found.find('@').expect("a citation key follows an @") + 1;
    let braced = found[at..].starts_with('{');
    (braced, at + usize::from(braced))
}

/// Pandoc keys may hold internal punctuation, but not trailing punctuation.
fn trim_key(key: &str) -> &str {
    key.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '_'))
}

/// The file a relative link points at, with its `#L12` line; `None` for URLs, anchors and non-text files.
fn link_target(note_path: &str, destination: &str) -> Option<RefTarget> {
    let destination = destination.trim();
    if destination.is_empty() || destination.starts_with('#') || destination.contains("://") || destination.starts_with("mailto:") {
        return None;
    }
    let (file, fragment) = destination.split_once('#').map_or((destination, None), |(f, frag)| (f, Some(frag)));
    let file = percent_decode(file);
    if !(file.ends_with(".txt") || file.ends_with(".md")) {
        return None;
    }
    let line = fragment.and_then(|f| LINE_FRAGMENT.captures(f)).and_then(|c| c["line"].parse().ok());
    Some(RefTarget::Path { path: join(parent(note_path), &file), line })
}

fn trim_leading_excluded(text: &str, excluded: &[Range<usize>], mut span: Range<usize>) -> Option<Range<usize>> {
    while let Some(skip) = crate::analysis::text::overlapping(excluded, &(span.start..span.start + 1)).first() {
        if skip.end >= span.end {
            return None;
        }
        span.start = skip.end;
        span = trim_range(text, span);
    }
    (!span.is_empty()).then_some(span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_starts_where_the_patterns_own_group_starts() {
        let texts = [
            "see @smith2004, p. 3; -@doe; @{ly, 2000}; @{Ψ-ünï}; (@a.b:c) @“q” @",
            "mail a@b.org or @ré_sumé, then @_x; -@-@y ;@z @{} @{a b}",
        ];
        for text in texts {
            for (pattern, group) in [(&*KEY_IN_BRACKETS, "key"), (&*BARE_KEY, "key")] {
                let by_groups: Vec<(bool, usize)> = pattern
                    .captures_iter(text)
                    .map(|found| match found.name("braced") {
                        Some(braced) => (true, braced.start()),
                        None => (false, found.name(group).unwrap().start()),
                    })
                    .collect();
                let by_match: Vec<(bool, usize)> = pattern
                    .find_iter(text)
                    .map(|found| {
                        let (braced, start) = after_at(found.as_str());
                        (braced, found.start() + start)
                    })
                    .collect();
                assert!(!by_match.is_empty());
                assert_eq!(by_match, by_groups, "{text}");
            }
        }
    }

    fn keys(note: &Note) -> Vec<(CitationForm, Vec<String>)> {
        note.citations
            .iter()
            .map(|c| {
                let names = c
                    .refs
                    .iter()
                    .map(|r| match &r.target {
                        RefTarget::Key(key) => key.clone(),
                        RefTarget::Path { path, line } => format!("{path}{}", line.map(|l| format!("#L{l}")).unwrap_or_default()),
                    })
                    .collect();
                (c.form, names)
            })
            .collect()
    }

    #[test]
    fn a_paste_without_full_stops_is_read_in_pieces_of_whole_words() {
        let paste = "Then the toll – “139” rose  to 150 ".repeat(400);
        let text = format!("Before. {paste}[@000]\n\nAfter it.\n");
        let note = Note::parse("/w/notes/n.md", &text);
        let spans: Vec<&str> = note.sentences.iter().map(|s| &text[s.span.clone()]).collect();
        assert_eq!(spans.first(), Some(&"Before."));
        assert_eq!(spans.last(), Some(&"After it."));
        let pieces = &spans[1..spans.len() - 1];
        assert!(pieces.len() > 1, "{}", pieces.len());
        for piece in pieces {
            assert!(piece.len() <= LONGEST_SENTENCE && piece.trim() == *piece && !piece.is_empty(), "{piece:?}");
        }
        // No word is lost or cut: the pieces are the paste's words, in order.
        let words_of = |text: &str| text.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words_of(&pieces.join(" ")), words_of(&format!("{paste}[@000]")));
        // The citation at the end still stands in the last piece.
        assert!(pieces.last().unwrap().ends_with("[@000]"));
    }

    #[test]
    fn reads_every_citation_form() {
        let text = "Toll rose [@003]. Two [@a; @b] and [see @key, p. 2]. Bare @001 here.\n\n\
                    Link [source](../seeds/004_x.txt#L12). Footnote[^1].\n\n[^1]: See [@002].\n";
        let note = Note::parse("/w/notes/n.md", text);
        assert_eq!(
            keys(&note),
            [
                (CitationForm::Bracketed, vec!["003".to_string()]),
                (CitationForm::Bracketed, vec!["a".into(), "b".into()]),
                (CitationForm::Bracketed, vec!["key".into()]),
                (CitationForm::Bare, vec!["001".into()]),
                (CitationForm::Link, vec!["/w/seeds/004_x.txt#L12".into()]),
                (CitationForm::Footnote, vec!["002".into()]),
                (CitationForm::Bracketed, vec!["002".into()]),
            ]
        );
        let first = &note.citations[0];
        assert_eq!(&text[first.refs[0].span.clone()], "003");
        assert_eq!(note.sentence_text(first.sentence.unwrap() as usize), "Toll rose [@003].");
    }

    #[test]
    fn code_html_urls_emails_and_front_matter_hold_no_citations() {
        let text = "---\nsource: [@fm]\n---\n\nMail me@example.org, see `[@code]` and <!-- [@comment] -->.\n\n<div>\n[@html]\n</div>\n\n\
                    ```\n[@block]\n```\n\nVisit https://x.org/@handle/[@url] or <https://a.b/@c>.\n";
        let note = Note::parse("/w/n.md", text);
        assert!(note.citations.is_empty(), "{:?}", note.citations);
    }

    #[test]
    fn a_citation_after_a_sentence_end_covers_that_sentence() {
        let text = "She asked, “Can you think about it again?” [@000] Russia denied it.";
        let note = Note::parse("/w/n.md", text);
        let sentence = note.citations[0].sentence.unwrap() as usize;
        assert_eq!(note.sentence_text(sentence), "She asked, “Can you think about it again?” [@000]");
    }

    #[test]
    fn headings_lists_tables_and_quotes_are_prose_blocks() {
        let text = "# Brief — “Crocus”\n\n## 2. Timeline\n\n- First item [@001]\n  - nested [@002]\n\n1. Numbered\n\n| a | b [@003] |\n|---|---|\n| c | d |\n\n> Quoted line one\n> line two [@004]\n";
        let note = Note::parse("/w/n.md", text);
        let headings: Vec<(u8, &str)> = note.headings.iter().map(|h| (h.level, h.text.as_str())).collect();
        assert_eq!(headings, [(1, "Brief — “Crocus”"), (2, "2. Timeline")]);
        let blocks: Vec<&str> = note.blocks.iter().map(|b| &text[b.span.clone()]).collect();
        assert!(blocks.contains(&"First item [@001]"), "{blocks:?}");
        assert!(blocks.contains(&"nested [@002]"), "{blocks:?}");
        assert!(blocks.contains(&"Numbered"), "{blocks:?}");
        assert_eq!(note.citations.len(), 4);
        assert!(note.blocks.iter().any(|b| b.in_blockquote));
    }

    #[test]
    fn links_to_urls_anchors_and_images_are_not_citations() {
        let text = "[web](https://x.org/a.txt) [anchor](#top) [pdf](../a.pdf) ![img](../seeds/a.txt) [ok](../seeds/a%20b.txt)";
        let note = Note::parse("/w/notes/n.md", text);
        assert_eq!(keys(&note), [(CitationForm::Link, vec!["/w/seeds/a b.txt".to_string()])]);
    }

    #[test]
    fn bare_keys_drop_trailing_punctuation() {
        let note = Note::parse("/w/n.md", "As @003_0374629e18bf1a2b, and @004. said.");
        assert_eq!(keys(&note), [(CitationForm::Bare, vec!["003_0374629e18bf1a2b".into()]), (CitationForm::Bare, vec!["004".into()])]);
    }

    #[test]
    fn never_panics_on_broken_markdown() {
        for text in
            ["[@", "[@]", "@", "[^1]", "[^1]:", "> [@a", "| [@a | ", "```\n[@a]", "[@a](", "“unterminated [@x]", "\u{0}\u{feff}[@é]"]
        {
            let _ = Note::parse("/w/n.md", text);
        }
    }
}
