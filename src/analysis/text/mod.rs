//! Text primitives shared by the whole core: byte ranges, a UTF-8 line index,
//! word tokens and typographic folding.
//!
//! Everything here counts UTF-8 bytes. Conversions to the editor's units
//! (UTF-16 code units) live in `lsp::convert` and nowhere else.

pub mod date;
pub mod interned;
pub mod paths;
pub mod sentences;
pub mod terms;

use std::ops::Range;

/// Byte offsets of line starts, so that a byte offset maps to a (line, byte column) pair, and
/// where the multi-byte characters are, so that columns in other units can be found without
/// walking a line (a 10 MB line must not cost 10 MB per lookup).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
    /// Start offsets of the characters longer than one byte, ascending.
    multibyte: Vec<u32>,
    /// For each of those, the sum of (byte length − 1) and the count of 4-byte characters up to
    /// and including it: prefix sums over plain UTF-8 facts.
    extra_bytes: Vec<u32>,
    four_byte: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(text.len() / 40 + 1);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|offset| offset as u32 + 1));
        let (mut multibyte, mut extra_bytes, mut four_byte) = (Vec::new(), Vec::new(), Vec::new());
        if !text.is_ascii() {
            let (mut extra, mut fours) = (0u32, 0u32);
            // A lead byte (not 10xxxxxx) of a multi-byte character tells its length.
            for (offset, &byte) in bytes.iter().enumerate().filter(|(_, &b)| b >= 0xC0) {
                let length = if byte >= 0xF0 {
                    4
                } else if byte >= 0xE0 {
                    3
                } else {
                    2
                };
                extra += length - 1;
                fours += u32::from(length == 4);
                multibyte.push(offset as u32);
                extra_bytes.push(extra);
                four_byte.push(fours);
            }
        }
        LineIndex { line_starts, len: text.len() as u32, multibyte, extra_bytes, four_byte }
    }

    /// For the characters that start before `offset`: the sum of their bytes beyond the first,
    /// and how many of them take four bytes.
    pub fn multibyte_before(&self, offset: usize) -> (usize, usize) {
        let count = self.multibyte.partition_point(|&start| (start as usize) < offset);
        match count.checked_sub(1) {
            Some(last) => (self.extra_bytes[last] as usize, self.four_byte[last] as usize),
            None => (0, 0),
        }
    }

    /// The index of the first multi-byte character at or after `offset`.
    pub fn multibyte_index(&self, offset: usize) -> usize {
        self.multibyte.partition_point(|&start| (start as usize) < offset)
    }

    /// The `index`-th multi-byte character: (start offset, byte length, prefix sums before it).
    pub fn multibyte_at(&self, index: usize) -> Option<(usize, usize, usize, usize)> {
        let start = *self.multibyte.get(index)? as usize;
        let (extra_before, fours_before) =
            if index == 0 { (0, 0) } else { (self.extra_bytes[index - 1] as usize, self.four_byte[index - 1] as usize) };
        let length = self.extra_bytes[index] as usize - extra_before + 1;
        Some((start, length, extra_before, fours_before))
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based line holding `offset` (clamped to the text).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len as usize) as u32;
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where `line` starts; the end of the text past the last line.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).map_or(self.len as usize, |&s| s as usize)
    }

    /// Byte range of `line` without its line terminator (`\n` or `\r\n`).
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let start = self.line_start(line).min(text.len());
        let mut end = self.line_start(line + 1).min(text.len());
        let bytes = text.as_bytes();
        if end > start && bytes[end - 1] == b'\n' {
            end -= 1;
            if end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
        }
        start..end
    }
}

/// Largest char boundary at or below `offset`, so that any offset can be used to slice.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A word: a run of letters and digits, with inner apostrophes (`Ukraine’s`)
/// and inner periods between digits (`2.5`) kept inside.
pub fn words(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> + '_ {
    let bytes = text.as_bytes();
    // Read byte by byte where the text is ASCII, as most of it is: decoding every character
    // made this tokenizer a quarter of a quotation's search through thousands of paragraphs.
    let char_at = move |at: usize| -> Option<char> {
        match bytes.get(at) {
            Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
            Some(_) => text[at..].chars().next(),
            None => None,
        }
    };
    let mut at = 0;
    std::iter::from_fn(move || {
        // Skip to the next alphanumeric character.
        let start = loop {
            let c = char_at(at)?;
            if c.is_alphanumeric() {
                break at;
            }
            at += c.len_utf8();
        };
        let mut end = start;
        while let Some(c) = char_at(at) {
            let next = at + c.len_utf8();
            if c.is_alphanumeric() {
                at = next;
                end = next;
                continue;
            }
            // Keep `’s`, `n't`, `2.5` and `1,200` together when a word character follows.
            let joins = matches!(c, '\'' | '’' | '.' | ',')
                && char_at(next).is_some_and(char::is_alphanumeric)
                && match c {
                    '.' | ',' => bytes[at - 1].is_ascii_digit() && bytes.get(next).is_some_and(u8::is_ascii_digit),
                    _ => true,
                };
            if !joins {
                break;
            }
            at = next;
        }
        Some((start..end, &text[start..end]))
    })
}

/// The last `n` words of `text` (fewer near its start), in order, as `words` reads them: read
/// from the end, one whitespace-delimited chunk at a time, so that looking behind a figure late in
/// a very long sentence does not cost the whole sentence. No word spans whitespace.
pub fn last_words(text: &str, n: usize) -> Vec<(Range<usize>, &str)> {
    let mut found: Vec<(Range<usize>, &str)> = Vec::new();
    let mut end = text.len();
    while found.len() < n && end > 0 {
        let trimmed = text[..end].trim_end();
        let (start, next_end) = match trimmed.char_indices().rev().find(|(_, c)| c.is_whitespace()) {
            Some((at, c)) => (at + c.len_utf8(), at),
            None => (0, 0),
        };
        let chunk: Vec<(Range<usize>, &str)> = words(&trimmed[start..]).map(|(span, word)| (start + span.start..start + span.end, word)).collect();
        found.splice(0..0, chunk);
        end = next_end;
    }
    let extra = found.len().saturating_sub(n);
    found.drain(..extra);
    found
}

/// The search form of a word: lowercase, with curly apostrophes made straight and possessive `'s` dropped.
pub fn term_of(word: &str) -> String {
    // Most words are ASCII: lowercase them bytewise, without the Unicode case tables.
    let mut term: String = if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        word.chars().map(|c| if c == '’' { '\'' } else { c }).flat_map(char::to_lowercase).collect()
    };
    if term.ends_with("'s") {
        term.truncate(term.len() - 2);
    }
    term
}

/// Common English words that carry no evidence on their own.
pub fn is_stopword(term: &str) -> bool {
    // Called for every word of every article: most words are longer than any stop word.
    term.len() <= LONGEST_STOPWORD && PACKED_STOPWORDS.binary_search(&packed(term)).is_ok()
}

/// A word of at most eight bytes as one integer, for comparisons without `memcmp`: the bytes
/// big-endian, zero-padded, so integers sort as the words do.
fn packed(word: &str) -> u64 {
    let mut bytes = [0u8; 8];
    bytes[..word.len().min(8)].copy_from_slice(&word.as_bytes()[..word.len().min(8)]);
    u64::from_be_bytes(bytes)
}

static PACKED_STOPWORDS: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| STOPWORDS.iter().map(|w| packed(w)).collect());

const LONGEST_STOPWORD: usize = 7;

// Sorted, for binary search; none longer than `LONGEST_STOPWORD` (a test checks both).
const STOPWORDS: &[&str] = &[
    "a", "about", "after", "again", "against", "ago", "all", "already", "also", "among", "an", "and", "another", "any", "are", "around",
    "as", "at", "be", "because", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "during",
    "each", "earlier", "even", "ever", "for", "from", "had", "has", "have", "he", "her", "here", "his", "how", "however", "i", "if", "in",
    "into", "is", "it", "its", "just", "later", "least", "less", "like", "many", "may", "more", "most", "much", "must", "no", "nor", "not",
    "now", "of", "often", "on", "only", "or", "other", "our", "out", "over", "own", "per", "said", "same", "say", "says", "several", "she",
    "should", "since", "so", "some", "still", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "through", "to", "too", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "yet", "you",
];

/// Folds typographic variants to one form: curly quotes and apostrophes to straight ones,
/// dash variants to `-`, any white space (including no-break spaces) to a plain space.
/// Returns `None` for characters that should vanish (soft hyphen, zero-width spaces).
pub fn fold_typography(c: char) -> Option<char> {
    Some(match c {
        '“' | '”' | '„' | '‟' | '«' | '»' | '″' => '"',
        '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' => '\'',
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => '-',
        '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' => return None,
        c if c.is_whitespace() => ' ',
        c => c,
    })
}

/// A byte range of an article's text in 8 bytes instead of 16: an article holds hundreds of
/// sentences and paragraphs, and a corpus millions (`Article::parse` keeps a text below 4 GB).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct TextSpan {
    pub start: u32,
    pub end: u32,
}

impl TextSpan {
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }
}

impl From<Range<usize>> for TextSpan {
    /// Offsets past 4 GB are cut to it; no article text reaches it.
    fn from(range: Range<usize>) -> TextSpan {
        let cut = |offset: usize| u32::try_from(offset).unwrap_or(u32::MAX);
        TextSpan { start: cut(range.start), end: cut(range.end) }
    }
}

/// `span` without the white space at either end of its text.
pub fn trim_range(text: &str, span: Range<usize>) -> Range<usize> {
    let content = &text[span.clone()];
    let start = span.start + (content.len() - content.trim_start().len());
    let end = span.end - (content.len() - content.trim_end().len());
    start..end.max(start)
}

/// Sorts ranges and merges the overlapping ones, so that lookups can binary-search.
pub fn merge_ranges(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| r.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// Whether `offset` falls inside one of `merged` (sorted, disjoint) ranges.
pub fn in_ranges(merged: &[Range<usize>], offset: usize) -> bool {
    let index = merged.partition_point(|r| r.end <= offset);
    merged.get(index).is_some_and(|r| r.start <= offset)
}

/// The ranges of `sorted` (sorted by start, disjoint) that overlap `span`.
pub fn overlapping<'a>(sorted: &'a [Range<usize>], span: &Range<usize>) -> &'a [Range<usize>] {
    let first = sorted.partition_point(|r| r.end <= span.start);
    let last = first + sorted[first..].partition_point(|r| r.start < span.end);
    &sorted[first..last]
}

/// `text` on one line: every run of whitespace (line breaks of hard-wrapped copy included) becomes
/// one space, and the ends are trimmed.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` on one line, cut at a word's end after at most `max_chars` characters, with `…` when cut.
pub fn shorten(text: &str, max_chars: usize) -> String {
    let text = collapse_whitespace(text);
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => {
            // At a word's end when one is near: "implicated in th…" reads as a typo.
            let ends_a_word = text[cut..].starts_with(' ');
            let at_word = if ends_a_word { Some(cut) } else { text[..cut].rfind(' ') }
                .filter(|&space| text[space..cut].chars().count() <= 20)
                .unwrap_or(cut);
            format!("{}…", text[..at_word].trim_end().trim_end_matches([',', ';', ':']))
        }
        None => text,
    }
}

/// A web address written out in prose (`https://…`, `www.…`), up to the first space, parenthesis
/// or angle bracket: brackets and quotes inside it belong to it (`…/a[@b]`, `…/"x"`), so that no
/// citation or quotation is read there. The one definition that notes and the number reader use.
pub const URL_PATTERN: &str = r"(?i)(?-u:\b)(?:https?://|ftp://|www\.)[^\s<>()]+";

/// The `file://` URI of an absolute path, percent-encoded by the `url` crate (spaces, `%`,
/// non-ASCII; drive letters and backslashes on Windows). A path that is not absolute (an unsaved
/// buffer's URI, kept as the editor gave it) is returned as it is.
pub fn file_uri(path: &str) -> String {
    url::Url::from_file_path(path).map_or_else(|()| path.to_string(), String::from)
}

#[cfg(test)]
mod tests {

    #[test]
    fn last_words_reads_from_the_end_as_words_does() {
        for text in ["", "  ", "one", "The toll – “rose” to", "a b\tc\n d’s 2.5 (by", "Ukraine’s  1,200 — troops  "] {
            let all: Vec<_> = words(text).collect();
            for n in 0..6 {
                assert_eq!(last_words(text, n), all[all.len().saturating_sub(n)..].to_vec(), "{text:?} {n}");
            }
        }
    }

    use super::*;

    #[test]
    fn a_text_span_is_the_range_it_was_made_from_in_half_the_bytes() {
        let text = "Москва — 139 killed.";
        let span = TextSpan::from(6..text.len());
        assert_eq!(&text[span.range()], &text[6..]);
        assert_eq!((span.len(), span.is_empty()), (text.len() - 6, false));
        assert_eq!(std::mem::size_of::<TextSpan>(), 8);
        assert!(TextSpan::default().is_empty());
        // Offsets past 4 GB (no article reaches them) are cut, not wrapped.
        assert_eq!(TextSpan::from(1..usize::MAX).range(), 1..u32::MAX as usize);
    }

    #[test]
    fn line_index_maps_offsets_to_lines_with_crlf() {
        let text = "é one\r\ntwo “x”\nthree";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.line_of(0), 0);
        assert_eq!(index.line_of(text.find("two").unwrap()), 1);
        assert_eq!(&text[index.line_range(text, 0)], "é one");
        assert_eq!(&text[index.line_range(text, 1)], "two “x”");
        assert_eq!(&text[index.line_range(text, 2)], "three");
        assert_eq!(index.line_of(10_000), 2, "offsets past the end clamp to the last line");
    }

    #[test]
    fn words_keep_apostrophes_decimals_and_thousands() {
        let found: Vec<&str> = words("Ukraine’s toll: 1,200 (2.5%) — “don't”; end.").map(|(_, w)| w).collect();
        assert_eq!(found, ["Ukraine’s", "toll", "1,200", "2.5", "don't", "end"]);
    }

    #[test]
    fn terms_fold_case_and_possessives() {
        assert_eq!(term_of("Ukraine’s"), "ukraine");
        assert_eq!(term_of("FSB"), "fsb");
    }

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(STOPWORDS.iter().all(|w| w.len() <= LONGEST_STOPWORD), "a longer stop word would never be found");
        assert!(is_stopword("the") && is_stopword("however") && !is_stopword("killed"));
    }

    #[test]
    fn merged_ranges_answer_lookups_by_binary_search() {
        let merged = merge_ranges(vec![10..20, 0..3, 15..25, 30..31]);
        assert_eq!(merged, [0..3, 10..25, 30..31]);
        assert!(in_ranges(&merged, 12) && in_ranges(&merged, 0) && !in_ranges(&merged, 3) && !in_ranges(&merged, 29));
        assert_eq!(overlapping(&merged, &(2..11)), [0..3, 10..25]);
        assert!(overlapping(&merged, &(26..30)).is_empty());
    }

    #[test]
    fn file_uris_are_percent_encoded() {
        assert_eq!(file_uri("/tmp/a b/é.txt"), "file:///tmp/a%20b/%C3%A9.txt");
        assert_eq!(file_uri("/tmp/100% “sure”/x.txt"), "file:///tmp/100%25%20%E2%80%9Csure%E2%80%9D/x.txt");
        assert_eq!(file_uri("untitled:Untitled-1"), "untitled:Untitled-1");
    }
}
