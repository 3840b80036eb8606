//! One source article, parsed tolerantly from real news copy.
//!
//! Reads the title (first line), a glued `date YYYY-MM-DD` marker, YAML front
//! matter in `.md` articles, the outlet from a credit line or byline, and
//! splits the body into paragraphs and sentences with exact byte spans. Page
//! furniture (related-story links, `COMMENTS`, social-media plugs, credit
//! lines) is marked so that it is never used as evidence. No I/O here.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::analysis::corpus::origin::{Metadata as Given, Origin};
use crate::analysis::text::date::Date;
use crate::analysis::text::sentences::split_sentences;
use crate::analysis::text::{file_uri, shorten, trim_range, LineIndex, TextSpan};

/// The scheme of the documents the server serves: texts that editors cannot open as files.
pub const SERVED_SCHEME: &str = "noteproof";

/// What the loader hands over: the file's identity and its text (decoded, or extracted from a
/// page or a PDF), with what is known of it from outside its copy.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct ArticleSource {
    /// Absolute path of the file.
    pub path: String,
    /// Path relative to the workspace, for display and reports.
    pub display_path: String,
    pub text: String,
    pub origin: Origin,
    /// What the file states outside the copy: a page's meta tags, a PDF's document information.
    pub file_meta: Given,
    /// The analyst's row for this article in the sources file: it wins over everything else.
    pub listed: Option<Given>,
    /// The file may not be on this machine (an article of a shared archive): editors open the text
    /// the server serves, at the text's positions. Commands still name the file and its lines.
    pub served: bool,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Paragraph {
    pub span: TextSpan,
    /// Related-story links, credit lines, comment prompts: never evidence.
    pub furniture: bool,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Sentence {
    pub span: TextSpan,
    pub paragraph: u32,
}

/// An article's outlet and date, as far as they are known: `AFP, 24 May 2024`.
pub fn attribution(outlet: Option<&str>, date: Option<Date>) -> Option<String> {
    match (outlet, date) {
        (Some(outlet), Some(date)) => Some(format!("{outlet}, {}", date.short())),
        (Some(outlet), None) => Some(outlet.to_string()),
        (None, Some(date)) => Some(date.short()),
        (None, None) => None,
    }
}

/// How every answer names an article (see `Article::label`).
pub fn label(outlet: Option<&str>, date: Option<Date>, key: &str) -> String {
    match attribution(outlet, date) {
        Some(attribution) => format!("{attribution} [@{key}]"),
        None => format!("[@{key}]"),
    }
}

/// An article's number in a corpus snapshot: stable while the article is unchanged, never reused.
pub type ArticleId = u32;

/// Serialised (for the index cache) without its text and line index, which come from the file.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Article {
    /// The file stem: `003_0374629e18bf1a2b`.
    pub key: String,
    /// A front-matter `id`, another name the article can be cited by.
    pub front_matter_id: Option<String>,
    pub path: String,
    pub display_path: String,
    #[serde(skip)]
    pub text: String,
    pub title: String,
    pub outlet: Option<String>,
    pub date: Option<Date>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// The kind of file the text was read from, and how its offsets map back to that file.
    pub origin: Origin,
    /// Kept to re-read the article when its row in the sources file changes.
    pub file_meta: Given,
    pub listed: Option<Given>,
    /// See `ArticleSource::served`.
    pub served: bool,
    pub paragraphs: Vec<Paragraph>,
    /// Sentences of evidence paragraphs only, in text order.
    pub sentences: Vec<Sentence>,
    /// Built on first use: only articles that answers point into need one.
    #[serde(skip)]
    line_index: std::sync::OnceLock<LineIndex>,
    /// Hashes of the index terms of the evidence sentences, sorted: "does this article mention X?"
    /// in O(log n) for an article a library keeps (a corpus held here asks its search index).
    /// Built on first use: only the candidates of an event's scope are ever asked.
    #[serde(skip)]
    term_hashes: std::sync::OnceLock<Box<[u32]>>,
}

/// Outlets recognised when they stand alone on a line (a credit or a byline).
const KNOWN_OUTLETS: &[&str] = &[
    "ABC News",
    "AFP",
    "Agence France-Presse",
    "Agencies",
    "Al Jazeera",
    "AP",
    "Associated Press",
    "BBC",
    "BBC News",
    "Bloomberg",
    "Breitbart",
    "CBS News",
    "CNN",
    "Deutsche Welle",
    "DW",
    "Euronews",
    "Fox News",
    "France 24",
    "Interfax",
    "Meduza",
    "NBC News",
    "NPR",
    "Reuters",
    "RIA Novosti",
    "Sky News",
    "TASS",
    "The Associated Press",
    "The Guardian",
    "The Independent",
    "The Moscow Times",
    "The New York Times",
    "The Telegraph",
    "The Washington Post",
    "UPI",
    "Xinhua",
];

static DATE_MARKER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*date\s+(?P<date>\d{4}-\d{2}-\d{2})\b[ \t]*").unwrap());
static CREDIT_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:source|sources|credit|via)\s*:\s*(?P<outlet>[^\n]{1,60}?)\s*\.?\s*$").unwrap());
/// A dateline: a place in capitals, perhaps its region, then the outlet in parentheses and a dash
/// ("LONDON, England (CNN) —"). Place and region are at most `DATELINE_PART` characters, counted
/// after the match (`dateline_outlet`): written as bounded repetitions of Unicode classes, they
/// compiled into an automaton whose caches, one per thread that parsed a fetched article, took
/// 10 MB of a server reading an archive.
static DATELINE_OUTLET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<place>\p{Lu}[\p{Lu} .'-]+)(?:, (?P<region>\p{Lu}[\p{L} .'-]+))?\s*\((?P<outlet>\p{Lu}[\p{L}&.]*(?: \p{Lu}[\p{L}&.]*){0,2})\)\s*[-—–]",
    )
    .unwrap()
});
const DATELINE_PART: usize = 31;

/// The outlet a dateline names, if `line` opens with one.
fn dateline_outlet(line: &str) -> Option<&str> {
    let dateline = DATELINE_OUTLET.captures(line)?;
    let short = |part: &str| part.trim_end().chars().count() <= DATELINE_PART;
    let parts_short = ["place", "region"].iter().all(|name| dateline.name(name).is_none_or(|part| short(part.as_str())));
    parts_short.then(|| dateline.name("outlet").map_or("", |outlet| outlet.as_str()))
}
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*By\s+\p{Lu}[\p{L}.'’-]+(?:\s+\p{Lu}[\p{L}.'’-]+){0,3}(?:\s*,\s*(?P<outlet>[^\n]{2,40}))?\s*$").unwrap()
});
static PUBLISHED_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:published|date|updated)\s*:\s*(?P<date>\d{4}-\d{2}-\d{2})\s*$").unwrap());
static SOCIAL_PLUG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:follow\s+.{1,80}\s+on\s+(?:facebook|twitter|x|instagram|telegram)\b|sign up\b|subscribe\b|share this\b|read more\b|related\s*:|advertisement\s*$|comments\s*$|please let us know if you'?’?re having issues with commenting)").unwrap()
});

impl Article {
    /// The sentences of paragraph `index`, as indices into `sentences` (text order, so one run).
    pub fn sentences_of_paragraph(&self, index: u32) -> std::ops::Range<u32> {
        let start = self.sentences.partition_point(|s| s.paragraph < index);
        let end = self.sentences.partition_point(|s| s.paragraph <= index);
        start as u32..end as u32
    }

    pub fn parse(source: ArticleSource) -> Article {
        let ArticleSource { path, display_path, mut text, origin, file_meta, listed, served } = source;
        // Spans are kept in 32 bits: a text past 4 GB (no article is) is cut there.
        if text.len() > u32::MAX as usize {
            let mut end = u32::MAX as usize;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            text.truncate(end);
        }
        let key = file_stem(&path).to_string();
        let mut meta = CopyMetadata::default();
        let body_start = read_front_matter(&text, &mut meta);

        let lines = lines_with_spans(&text, body_start);
        let mut paragraphs = Vec::new();
        let mut title_span = None;
        let mut previous_line_continues = false;
        for line in &lines {
            let mut span = line.clone();
            let content = &text[span.clone()];
            if content.trim().is_empty() {
                previous_line_continues = false;
                continue;
            }
            let is_title = title_span.is_none();
            if is_title {
                if let Some(marker) = DATE_MARKER.captures(content) {
                    meta.date = meta.date.or_else(|| Date::parse_iso(&marker["date"]));
                    span.start += marker.get(0).unwrap().end();
                }
                let content = text[span.clone()].trim_start_matches('#').trim();
                let start = span.start + text[span.clone()].find(content).unwrap_or(0);
                title_span = Some(start..start + content.len());
                span = start..span.end;
            }
            let content = &text[span.clone()];
            let before_copy = paragraphs.iter().skip(1).all(|p: &Paragraph| p.furniture);
            let furniture = classify_furniture(content, &mut meta, before_copy);
            // Hard-wrapped paragraphs: a line that does not end a sentence continues into the next.
            let continues = previous_line_continues && !furniture && !is_bullet(content);
            match paragraphs.last_mut() {
                Some(Paragraph { span: previous, furniture: false }) if continues => previous.end = TextSpan::from(span).end,
                _ => paragraphs.push(Paragraph { span: trim_range(&text, span.clone()).into(), furniture }),
            }
            previous_line_continues = !is_title && !furniture && !ends_a_paragraph(content) && content.len() > 60;
        }

        let sentences: Vec<Sentence> = paragraphs
            .iter()
            .enumerate()
            .filter(|(_, paragraph)| !paragraph.furniture)
            .flat_map(|(index, paragraph)| {
                split_sentences(&text, paragraph.span.range()).into_iter().map(move |span| Sentence { span: span.into(), paragraph: index as u32 })
            })
            .collect();

        // The analyst's row wins; then the front matter (the author's word), the file's own
        // metadata (a page's tags), and last what the copy suggests.
        let empty = Given::default();
        let listed_meta = listed.as_ref().unwrap_or(&empty);
        let title = match (listed_meta.title.clone().or(meta.title.take()).or(file_meta.title.clone()), title_span) {
            (Some(title), _) => title,
            (None, Some(span)) => shorten(text[span].trim(), 160),
            (None, None) => key.clone(),
        };
        let outlet = listed_meta.outlet.clone().or(meta.outlet.clone()).or(file_meta.outlet.clone()).or_else(|| meta.outlet());
        let date = listed_meta.date.or(meta.front_matter_date).or(file_meta.date).or(meta.date);
        let url = listed_meta.url.clone().or(meta.url.take()).or(file_meta.url.clone());
        let author = listed_meta.author.clone().or(file_meta.author.clone());
        Article {
            key,
            front_matter_id: meta.id,
            path,
            display_path,
            title,
            outlet,
            date,
            url,
            author,
            origin,
            file_meta,
            listed,
            served,
            paragraphs,
            sentences,
            line_index: std::sync::OnceLock::new(),
            term_hashes: std::sync::OnceLock::new(),
            text,
        }
    }

    /// Whether an evidence sentence of the article holds the index term `term`.
    pub fn mentions(&self, term: &str) -> bool {
        self.term_hashes().binary_search(&term_hash(term)).is_ok()
    }

    /// The sorted hashes of the article's index terms, built now if they were not yet.
    pub fn term_hashes(&self) -> &[u32] {
        self.term_hashes.get_or_init(|| term_hashes(&self.text, &self.sentences))
    }

    pub fn sentence_text(&self, sentence: &Sentence) -> &str {
        &self.text[sentence.span.range()]
    }

    /// The article's line index (built the first time it is asked for).
    pub fn line_index(&self) -> &LineIndex {
        self.line_index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// The 0-based line where a byte offset falls, in the file an editor opens: the line of a
    /// web page's HTML that holds it, else the line of the text (a PDF's served text).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.origin.place_in_page(&self.text, offset) {
            Some(place) => place.line as usize,
            None => self.line_index().line_of(offset),
        }
    }

    /// The 1-based page of a PDF that prints `offset`.
    pub fn page_of(&self, offset: usize) -> Option<u32> {
        self.origin.page_of(offset)
    }

    /// What to parse again when the article's row in the sources file changes: the same text,
    /// origin and file metadata, with the new row.
    pub fn relisted(&self, listed: Option<Given>) -> ArticleSource {
        ArticleSource {
            path: self.path.clone(),
            display_path: self.display_path.clone(),
            text: self.text.clone(),
            origin: self.origin.clone(),
            file_meta: self.file_meta.clone(),
            listed,
            served: self.served,
        }
    }

    /// The document an editor opens for this article's text: its file, or, for a PDF or an
    /// archive's article, the text the server serves (`noteproof:///…/report.pdf.txt`).
    pub fn text_uri(&self) -> String {
        let file = file_uri(&self.path);
        if !self.served && !matches!(self.origin, Origin::Pdf { .. }) {
            return file;
        }
        match file.strip_prefix("file:") {
            Some(rest) => format!("{SERVED_SCHEME}:{rest}.txt"),
            None => file,
        }
    }

    /// `Agencies, 26 Mar 2024`, or as much of it as is known; `None` when neither is.
    pub fn attribution(&self) -> Option<String> {
        attribution(self.outlet.as_deref(), self.date)
    }

    /// How every answer names the article: `AFP, 24 May 2024 [@001]`, `[@003]` when nothing more is known.
    /// The key is the one the note would cite it by (see `Corpus::source_label`).
    pub fn label(&self, key: &str) -> String {
        label(self.outlet.as_deref(), self.date, key)
    }

    /// The index of the sentence that holds `offset`, if it is evidence.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let index = self.sentences.partition_point(|s| (s.span.end as usize) <= offset);
        (index < self.sentences.len() && self.sentences[index].span.start as usize <= offset).then_some(index)
    }
}

#[derive(Default)]
struct CopyMetadata {
    title: Option<String>,
    date: Option<Date>,
    /// A front matter's date: the author's word, which wins over a page's tags.
    front_matter_date: Option<Date>,
    /// From front matter: the author's word, which wins over anything the copy suggests.
    outlet: Option<String>,
    /// Outlets the copy names in its furniture (credit lines, bylines, datelines, sign-offs).
    named_outlets: Vec<String>,
    url: Option<String>,
    id: Option<String>,
}

impl CopyMetadata {
    /// The front matter's outlet, else the one outlet the copy names. Copy that names two different
    /// outlets (a wire credit and another outlet's sign-off) has no outlet we can vouch for: a wrong
    /// outlet costs the reader more than an unknown one.
    fn outlet(&self) -> Option<String> {
        if self.outlet.is_some() {
            return self.outlet.clone();
        }
        let first = self.named_outlets.first()?;
        self.named_outlets.iter().all(|other| same_outlet(first, other)).then(|| first.clone())
    }
}

/// `The Associated Press`, `Associated Press` and `AP` are one outlet.
fn same_outlet(a: &str, b: &str) -> bool {
    fn canonical(name: &str) -> String {
        let lower = name.trim().trim_end_matches('.').to_lowercase();
        let lower = lower.strip_prefix("the ").unwrap_or(&lower).to_string();
        match lower.as_str() {
            "ap" => "associated press".to_string(),
            "agence france-presse" => "afp".to_string(),
            "bbc news" => "bbc".to_string(),
            "dw" => "deutsche welle".to_string(),
            _ => lower,
        }
    }
    canonical(a) == canonical(b)
}

/// Reads `---` YAML front matter (flat `key: value` pairs) and returns where the body starts.
fn read_front_matter(text: &str, meta: &mut CopyMetadata) -> usize {
    let rest = text.trim_start_matches('\u{feff}');
    let offset = text.len() - rest.len();
    let Some(after_open) = rest.strip_prefix("---\n").or_else(|| rest.strip_prefix("---\r\n")) else {
        return offset;
    };
    let open_len = rest.len() - after_open.len();
    let mut consumed = 0;
    for line in after_open.split_inclusive('\n') {
        consumed += line.len();
        let line = line.trim_end();
        if line == "---" || line == "..." {
            return offset + open_len + consumed;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().trim_matches(['"', '\'']).trim();
        if value.is_empty() {
            continue;
        }
        match key.trim().to_ascii_lowercase().as_str() {
            "title" => meta.title = Some(value.to_string()),
            "date" => meta.front_matter_date = Date::parse_iso(value),
            "outlet" | "source" | "publisher" => meta.outlet = Some(value.to_string()),
            "url" => meta.url = Some(value.to_string()),
            "id" | "key" => meta.id = Some(value.to_string()),
            _ => {}
        }
    }
    // No closing fence: not front matter after all.
    offset
}

/// Decides whether a line is page furniture, noting any outlet or date it names. `before_copy`:
/// no line of the article's copy has come yet (only its headline).
fn classify_furniture(line: &str, meta: &mut CopyMetadata, before_copy: bool) -> bool {
    let trimmed = line.trim();
    if let Some(credit) = CREDIT_LINE.captures(trimmed) {
        // Before the copy, a credit belongs to the picture above it ("Credit: Reuters").
        if !before_copy {
            meta.named_outlets.push(credit["outlet"].trim().to_string());
        }
        return true;
    }
    if let Some(outlet) = KNOWN_OUTLETS.iter().find(|o| o.eq_ignore_ascii_case(trimmed.trim_end_matches('.'))) {
        // A sign-off after the copy names its outlet; an outlet alone between the headline and the
        // copy is the credit of the picture that stood there, often a wire agency's.
        if !before_copy {
            meta.named_outlets.push(outlet.to_string());
        }
        return true;
    }
    if let Some(outlet) = dateline_outlet(trimmed) {
        meta.named_outlets.push(outlet.to_string());
        return false; // the dateline opens a paragraph of real copy
    }
    if let Some(published) = PUBLISHED_LINE.captures(trimmed) {
        meta.date = meta.date.or_else(|| Date::parse_iso(&published["date"]));
        return true;
    }
    if trimmed.len() < 80 {
        if let Some(byline) = BYLINE.captures(trimmed) {
            if let Some(outlet) = byline.name("outlet") {
                meta.named_outlets.push(outlet.as_str().trim().to_string());
            }
            return true;
        }
    }
    // A bulleted line in an article is a related-story link, not copy.
    if is_bullet(trimmed) {
        return true;
    }
    SOCIAL_PLUG.is_match(trimmed)
}

fn is_bullet(line: &str) -> bool {
    let trimmed = line.trim_start();
    ["- ", "* ", "• ", "+ "].iter().any(|bullet| trimmed.starts_with(bullet))
}

fn ends_a_paragraph(line: &str) -> bool {
    line.trim_end().ends_with(['.', '!', '?', '"', '”', '’', ':', ')'])
}

fn lines_with_spans(text: &str, from: usize) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start = from;
    for line in text[from..].split_inclusive('\n') {
        let end = start + line.len();
        let content_end = start + line.trim_end_matches(['\n', '\r']).len();
        spans.push(start..content_end);
        start = end;
    }
    spans
}

fn term_hashes(text: &str, sentences: &[Sentence]) -> Box<[u32]> {
    let mut hashes: Vec<u32> = sentences
        .iter()
        .flat_map(|s| {
            crate::analysis::text::words(&text[s.span.range()]).map(|(_, w)| term_hash(&crate::analysis::text::terms::index_term(w)))
        })
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    hashes.into_boxed_slice()
}

/// FNV-1a: a fast, stable 32-bit hash; a rare collision only makes `mentions` say yes wrongly.
pub fn term_hash(term: &str) -> u32 {
    term.bytes().fold(0x811c_9dc5u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193))
}

fn file_stem(path: &str) -> &str {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(name: &str, text: &str) -> Article {
        Article::parse(ArticleSource {
            path: format!("/w/seeds/{name}"),
            display_path: format!("seeds/{name}"),
            text: text.into(),
            ..Default::default()
        })
    }

    #[test]
    fn glued_date_marker_is_metadata_not_title() {
        let article = parse("002_x.txt", " date 2024-05-24 Russia says ISIL coordinated the assault.\n\nBody one.\n");
        assert_eq!(article.key, "002_x");
        assert_eq!(article.date.unwrap().to_string(), "2024-05-24");
        assert_eq!(article.title, "Russia says ISIL coordinated the assault.");
        assert_eq!(article.sentence_text(&article.sentences[0]), "Russia says ISIL coordinated the assault.");
    }

    #[test]
    fn credit_lines_name_the_outlet_and_are_furniture() {
        let article = parse("000.txt", "Title\n\nThe toll rose to 139.\n\nSource: Agencies");
        assert_eq!(article.outlet.as_deref(), Some("Agencies"));
        assert!(article.paragraphs.last().unwrap().furniture);
        assert_eq!(article.sentences.len(), 2);
    }

    #[test]
    fn lone_outlet_lines_and_bulleted_links_are_furniture() {
        let text = "Headline here\n- Trump film director defends rape scene\n- Zelensky says ‘results’\nReal copy.\nAFP";
        let article = parse("001.txt", text);
        assert_eq!(article.outlet.as_deref(), Some("AFP"));
        let evidence: Vec<&str> = article.sentences.iter().map(|s| article.sentence_text(s)).collect();
        assert_eq!(evidence, ["Headline here", "Real copy."]);
    }

    #[test]
    fn an_outlet_alone_under_the_headline_is_a_picture_credit_not_the_outlet() {
        let text = "Spymaster blames the West\n\nThe Associated Press\nThe Associated Press\n\nThe head of the FSB claimed on Tuesday that the West was behind it.\n\nCOMMENTS";
        let article = parse("004.txt", text);
        assert_eq!(article.outlet, None);
        assert_eq!(article.sentences.len(), 2, "the credits are furniture");
    }

    #[test]
    fn a_dateline_names_its_outlet_when_its_place_is_a_place() {
        assert_eq!(dateline_outlet("MOSCOW (AP) — The toll rose."), Some("AP"));
        assert_eq!(dateline_outlet("ÎLE-DE-FRANCE, Région Île (Agence France) – Les secours…"), Some("Agence France"));
        assert_eq!(dateline_outlet("KRASNOGORSK  (Reuters)- Rescuers"), Some("Reuters"));
        let place = "A".repeat(DATELINE_PART);
        assert_eq!(dateline_outlet(&format!("{place} (AP) — x")), Some("AP"), "a place of {DATELINE_PART} characters");
        assert_eq!(dateline_outlet(&format!("{place}B (AP) — x")), None, "a longer run of capitals is a shout, not a place");
        assert_eq!(dateline_outlet(&format!("PARIS, É{place} (AP) — x")), None, "nor a longer region");
        assert_eq!(dateline_outlet("The FSB (Russia) — said"), None);
    }

    #[test]
    fn copy_that_names_two_outlets_has_none() {
        let article = parse("x.txt", "Title\n\nMOSCOW (AP) — The toll rose to 139.\n\nSource: Reuters");
        assert_eq!(article.outlet, None);
        let agreeing = parse("y.txt", "Title\n\nMOSCOW (AP) — The toll rose to 139.\n\nThe Associated Press");
        assert_eq!(agreeing.outlet.as_deref(), Some("AP"));
        let dateline = parse("z.txt", "Title\n\nLONDON, England (CNN) — The compound accumulates in animals.");
        assert_eq!(dateline.outlet.as_deref(), Some("CNN"));
        // An agency named in parentheses in the copy is no dateline.
        let copy = parse("f.txt", "Title\n\nThe Federal Security Service (FSB) — Russia’s main security agency — said so.");
        assert_eq!(copy.outlet, None);
    }

    #[test]
    fn social_plugs_and_comment_prompts_are_furniture() {
        let text = "T\n\nCopy.\n\nFollow Frances Martel on Facebook and Twitter.\n\nCOMMENTS\n\nPlease let us know if you're having issues with commenting.";
        let article = parse("004.txt", text);
        assert_eq!(article.paragraphs.iter().filter(|p| p.furniture).count(), 3);
        assert_eq!(article.sentences.len(), 2);
    }

    #[test]
    fn front_matter_supplies_metadata() {
        let text = "---\ntitle: \"Flood in Narvik\"\ndate: 2024-04-02\noutlet: NRK\nurl: https://example.org/a\nid: narvik-flood\n---\n# Flood in Narvik\n\nWater rose 2.5 metres.\n";
        let article = parse("narvik.md", text);
        assert_eq!(article.title, "Flood in Narvik");
        assert_eq!(article.outlet.as_deref(), Some("NRK"));
        assert_eq!(article.front_matter_id.as_deref(), Some("narvik-flood"));
        assert_eq!(article.date.unwrap().to_string(), "2024-04-02");
        assert_eq!(article.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(article.sentence_text(&article.sentences.last().unwrap().clone()), "Water rose 2.5 metres.");
    }

    #[test]
    fn hard_wrapped_lines_join_into_one_paragraph() {
        let text = "Title\n\nThe toll from the attack on the concert hall near Moscow rose again\nto 139 on Sunday, officials said.\nA second paragraph.";
        let article = parse("w.txt", text);
        assert_eq!(article.paragraphs.len(), 3);
        assert_eq!(article.sentences.len(), 3);
    }

    #[test]
    fn empty_and_whitespace_articles_do_not_panic() {
        for text in ["", "\n\n", "   ", "\u{feff}", "---\n", "---\ntitle: x\n"] {
            let article = parse("e.txt", text);
            assert!(!article.title.is_empty(), "the title falls back to the key");
        }
    }
}
