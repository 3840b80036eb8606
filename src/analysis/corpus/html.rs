//! Saved web pages: the article's text as a reader mode sees it (readability, by `dom_smoothie`),
//! its metadata from the page's tags, and anchors that map every sentence back to the line of
//! the HTML file where it stands. Navigation, scripts, related links and comments are left out by
//! the readability pass, so they are never evidence. Pure: bytes in, text out.

use dom_smoothie::{Config, Readability, ReadabilityError, TextMode};

use crate::analysis::corpus::origin::{Anchor, Metadata, Origin};
use crate::analysis::text::date::Date;

/// An article read from a file that is not plain text.
#[derive(Debug)]
pub struct Extracted {
    /// The title on the first line, then one paragraph a line, with blank lines between.
    pub text: String,
    pub origin: Origin,
    pub meta: Metadata,
}

/// A page with more elements than this is not an article (or is a trap): it is refused with a
/// message rather than parsed for seconds.
pub const MAX_ELEMENTS: usize = 60_000;

/// Reads the article of a saved web page. The error says, in plain words, why there is none.
pub fn extract_page(html: &str, file_hash: u64) -> Result<Extracted, String> {
    let config = Config { text_mode: TextMode::Formatted, max_elements_to_parse: MAX_ELEMENTS, ..Config::default() };
    let mut readability = Readability::new(html, None, Some(config)).map_err(explain)?;
    // Read before `parse`, which rewrites the document.
    let time_tag = first_attribute(&readability, "time[datetime]", "datetime");
    let canonical = first_attribute(&readability, "link[rel=canonical]", "href")
        .or_else(|| first_attribute(&readability, "meta[property='og:url']", "content"));
    let article = readability.parse().map_err(explain)?;

    let paragraphs: Vec<String> = article
        .text_content
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect();
    if paragraphs.iter().map(|p| p.len()).sum::<usize>() < 40 {
        return Err(
            "has no article text (a front page, a list of links, or a page that needs JavaScript); save the article's own page".into()
        );
    }
    let title = article.title.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut text = String::with_capacity(html.len() / 2);
    if !title.is_empty() && paragraphs.first().is_none_or(|first| *first != title) {
        text.push_str(&title);
        text.push_str("\n\n");
    }
    text.push_str(&paragraphs.join("\n\n"));
    text.push('\n');

    let meta = Metadata {
        title: (!title.is_empty()).then_some(title),
        outlet: article.site_name.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        date: article.published_time.as_deref().and_then(Date::parse_iso).or_else(|| time_tag.as_deref().and_then(Date::parse_iso)),
        url: canonical.or(article.url).filter(|u| u.starts_with("http")),
        author: article.byline.map(|s| s.trim().trim_start_matches("By ").trim().to_string()).filter(|s| !s.is_empty()),
    };
    let anchors = anchors(html, &text);
    Ok(Extracted { text, origin: Origin::Html { anchors, file_hash }, meta })
}

fn explain(error: ReadabilityError) -> String {
    match error {
        ReadabilityError::TooManyElements(found, max) => {
            format!("has {found} elements, more than the {max} an article page has; save the article alone (reader view, or print to PDF)")
        }
        ReadabilityError::GrabFailed => "has no article in it (a front page or a list of links?); save the article's own page".into(),
        other => format!("could not be read as a web page ({other})"),
    }
}

fn first_attribute(readability: &Readability, selector: &str, attribute: &str) -> Option<String> {
    readability.doc.select(selector).iter().find_map(|node| node.attr(attribute)).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// A visible character of the HTML: its byte offset; `None` stands for an entity (`&amp;`),
/// which matches any one character of the extracted text.
#[derive(Clone, Copy)]
struct Visible {
    ch: Option<char>,
    at: u32,
}

/// Elements whose content is never shown as text.
const HIDDEN: &[&str] = &["script", "style", "noscript", "template", "svg", "head"];

/// The non-space characters a browser would show, in order, with their byte offsets in `html`.
/// Spaces are dropped on both sides of the alignment, so tags that break or join words do not matter.
fn visible_characters(html: &str) -> Vec<Visible> {
    let bytes = html.as_bytes();
    let mut out = Vec::with_capacity(html.len() / 3);
    let mut i = 0;
    let lower_starts =
        |at: usize, prefix: &str| bytes.len() >= at + prefix.len() && bytes[at..at + prefix.len()].eq_ignore_ascii_case(prefix.as_bytes());
    while i < bytes.len() {
        match bytes[i] {
            b'<' if lower_starts(i, "<!--") => {
                i = memchr::memmem::find(&bytes[i + 4..], b"-->").map_or(bytes.len(), |end| i + 4 + end + 3);
            }
            b'<' if bytes.get(i + 1).is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?')) => {
                let name_start = i + 1;
                let name_end = name_start + bytes[name_start..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
                let name = html[name_start..name_end].to_ascii_lowercase();
                i = tag_end(bytes, i);
                // `<title>` lives in `<head>`, and the title is the article's first line.
                if HIDDEN.contains(&name.as_str()) && name != "head" {
                    let closing = format!("</{name}");
                    i = find_ignoring_case(bytes, i, &closing).map_or(bytes.len(), |at| tag_end(bytes, at));
                }
            }
            b'&' => {
                let end = bytes[i + 1..].iter().take(32).position(|&b| b == b';').map(|p| i + 1 + p + 1);
                match end {
                    Some(end) => {
                        let entity = &html[i..end];
                        if !matches!(entity, "&nbsp;" | "&#160;" | "&#xa0;" | "&#xA0;") {
                            out.push(Visible { ch: None, at: i as u32 });
                        }
                        i = end;
                    }
                    None => {
                        out.push(Visible { ch: Some('&'), at: i as u32 });
                        i += 1;
                    }
                }
            }
            _ => {
                let ch = html[i..].chars().next().unwrap_or(' ');
                if !ch.is_whitespace() {
                    out.push(Visible { ch: Some(ch), at: i as u32 });
                }
                i += ch.len_utf8();
            }
        }
    }
    out
}

/// The offset after the `>` that closes the tag opening at `start`, with quoted attributes skipped.
fn tag_end(bytes: &[u8], start: usize) -> usize {
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(start + 1) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    bytes.len()
}

fn find_ignoring_case(bytes: &[u8], from: usize, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    (from..bytes.len().saturating_sub(needle.len() - 1)).find(|&at| bytes[at..at + needle.len()].eq_ignore_ascii_case(needle))
}

/// How many non-space characters must agree before a place in the page is taken as the start of
/// a paragraph: enough that a common word does not anchor a sentence to the navigation.
const PROBE: usize = 16;

/// Aligns the extracted text with the page's visible characters and records an anchor wherever
/// the two stop running in step (a tag, an entity, a line break of the HTML).
fn anchors(html: &str, text: &str) -> Vec<Anchor> {
    let visible = visible_characters(html);
    let wanted: Vec<(usize, char)> = text.char_indices().filter(|(_, c)| !c.is_whitespace()).collect();
    let mut places = Places::new(html);
    let mut anchors: Vec<Anchor> = Vec::new();
    let mut previous: Option<(usize, usize)> = None; // (text offset, html offset) of the last matched pair
    let mut from = 0; // where in `visible` the search goes on
    let mut w = 0;
    while w < wanted.len() {
        let Some(start) = find_run(&visible, from, &wanted[w..]).or_else(|| find_run(&visible, 0, &wanted[w..])) else {
            // Not in the page as such (text the readability pass joined or rewrote): next word.
            let here = wanted[w].0;
            w += wanted[w..].iter().position(|(offset, _)| text[here..*offset].contains(char::is_whitespace)).unwrap_or(wanted.len() - w);
            continue;
        };
        let mut v = start;
        let first = w;
        while w < wanted.len() && v < visible.len() && matches(visible[v], wanted[w].1) {
            // A new paragraph is looked for afresh: running on would tie its first letter to
            // whatever letter follows the last paragraph in the page.
            if w > first && text[wanted[w - 1].0..wanted[w].0].contains('\n') {
                break;
            }
            let (text_at, html_at) = (wanted[w].0, visible[v].at as usize);
            let in_step = previous.is_some_and(|(t, h)| html_at >= h && html_at - h == text_at - t && !html[h..html_at].contains('\n'));
            if !in_step {
                let place = places.at(html_at);
                anchors.push(Anchor { text: text_at as u32, line: place.0, utf8: place.1, utf16: place.2 });
            }
            previous = Some((text_at, html_at));
            w += 1;
            v += 1;
        }
        from = v;
    }
    if anchors.first().is_none_or(|a| a.text != 0) {
        anchors.insert(0, Anchor { text: 0, line: 0, utf8: 0, utf16: 0 });
    }
    anchors
}

fn matches(visible: Visible, wanted: char) -> bool {
    visible.ch.is_none_or(|c| c == wanted)
}

/// The first index at or after `from` where the next `PROBE` wanted characters (fewer at the end
/// of the text) appear in a row.
fn find_run(visible: &[Visible], from: usize, wanted: &[(usize, char)]) -> Option<usize> {
    let probe = &wanted[..wanted.len().min(PROBE)];
    let first = probe.first()?.1;
    (from..visible.len().saturating_sub(probe.len() - 1))
        .find(|&at| visible[at].ch == Some(first) && probe.iter().zip(&visible[at..]).all(|((_, c), v)| matches(*v, *c)))
}

/// Byte offsets of the HTML to (line, UTF-8 column, UTF-16 column), walking forward from the
/// last answer: anchors come nearly in order, and minified pages have lines of megabytes.
struct Places<'a> {
    html: &'a str,
    offset: usize,
    line: u32,
    line_start: usize,
    utf16: u32,
}

impl<'a> Places<'a> {
    fn new(html: &'a str) -> Self {
        Places { html, offset: 0, line: 0, line_start: 0, utf16: 0 }
    }

    fn at(&mut self, offset: usize) -> (u32, u32, u32) {
        if offset < self.offset {
            *self = Places::new(self.html);
        }
        for ch in self.html[self.offset..offset].chars() {
            if ch == '\n' {
                self.line += 1;
                self.utf16 = 0;
            } else {
                self.utf16 += ch.len_utf16() as u32;
            }
        }
        if let Some(newline) = self.html[self.offset..offset].rfind('\n') {
            self.line_start = self.offset + newline + 1;
        }
        self.offset = offset;
        (self.line, (offset - self.line_start) as u32, self.utf16)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const PAGE: &str = r#"<!doctype html>
<html lang="en"><head>
<title>Toll rises after concert hall attack | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2024-03-24T09:30:00Z">
<link rel="canonical" href="https://news.example/world/toll-rises">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Toll rises","author":{"name":"Jane Roe"}}</script>
<style>p { color: black }</style>
</head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all?</div>
<article>
<h1>Toll rises after concert hall attack</h1>
<p class="byline">By Jane Roe</p>
<p>The death toll from Friday’s attack on the Crocus City Hall concert venue rose to 137 on Sunday, the Investigative Committee said in a statement &mdash; a figure that may rise further.</p>
<p>Officials said 11 people had been detained, including four suspected gunmen who were
stopped near the border with Ukraine, and that &ldquo;all those responsible will be punished&rdquo;.</p>
<p>Rescue workers searched the burnt-out building through the weekend, and the regional governor said more than 100 people remained in hospital.</p>
<p>The venue, on the outskirts of the capital, can hold more than 6,000 people; it was nearly full for a sold-out concert when the gunmen opened fire in the foyer.</p>
</article>
<aside class="related"><h2>Related</h2><ul><li><a href="/a">Floods hit the north: 12 dead</a></li></ul></aside>
<section id="comments"><p>Comment by troll99: the real toll is 500!</p></section>
<script>var toll = 999; document.write("ad");</script>
</body></html>"#;

    #[test]
    fn the_article_text_is_the_copy_without_navigation_scripts_or_comments() {
        let page = extract_page(PAGE, 7).unwrap();
        assert!(page.text.contains("rose to 137 on Sunday"), "{}", page.text);
        assert!(page.text.contains("“all those responsible will be punished”"), "entities decoded: {}", page.text);
        for furniture in ["Home", "cookies", "Floods hit the north", "troll99", "999", "color: black"] {
            assert!(!page.text.contains(furniture), "{furniture:?} is furniture: {}", page.text);
        }
    }

    #[test]
    fn metadata_comes_from_the_page_tags() {
        let meta = extract_page(PAGE, 7).unwrap().meta;
        assert_eq!(meta.outlet.as_deref(), Some("Example News"));
        assert_eq!(meta.date, Date::new(2024, 3, 24));
        assert_eq!(meta.url.as_deref(), Some("https://news.example/world/toll-rises"));
        assert_eq!(meta.author.as_deref(), Some("Jane Roe"));
    }

    /// A page with one kind of metadata tag in its head (and the same article body).
    fn page_with(head: &str, body_extra: &str) -> String {
        let body = PAGE[PAGE.find("<article>").unwrap()..PAGE.find("</article>").unwrap()].to_string();
        format!("<html><head><title>Toll rises</title>{head}</head><body>{body_extra}{body}</article></body></html>")
    }

    #[test]
    fn outlet_and_date_are_read_from_each_place_pages_keep_them() {
        let cases = [
            (r#"<meta property="og:site_name" content="Wire One">"#, "", Some("Wire One"), None),
            (
                r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Toll rises","publisher":{"@type":"Organization","name":"Wire Two"},"datePublished":"2024-03-25T10:00:00+03:00"}</script>"#,
                "",
                Some("Wire Two"),
                Date::new(2024, 3, 25),
            ),
            (r#"<meta property="article:published_time" content="2024-03-26T08:00:00Z">"#, "", None, Date::new(2024, 3, 26)),
            ("", r#"<time datetime="2024-03-27">27 March</time>"#, None, Date::new(2024, 3, 27)),
        ];
        for (head, body, outlet, date) in cases {
            let meta = extract_page(&page_with(head, body), 0).unwrap().meta;
            assert_eq!((meta.outlet.as_deref(), meta.date), (outlet, date), "{head}{body}");
        }
    }

    #[test]
    fn each_sentence_maps_to_its_line_of_the_html() {
        let page = extract_page(PAGE, 7).unwrap();
        let line_of = |needle: &str| {
            let at = page.text.find(needle).unwrap_or_else(|| panic!("{needle:?} in {}", page.text));
            page.origin.place_in_page(&page.text, at).unwrap()
        };
        let html_place = |needle: &str| {
            let at = PAGE.find(needle).unwrap();
            let line = PAGE[..at].matches('\n').count() as u32;
            let column = PAGE[..at].rsplit('\n').next().unwrap();
            (line, column.len() as u32, column.encode_utf16().count() as u32)
        };
        for needle in ["The death toll", "rose to 137", "Officials said 11", "stopped near the border", "Rescue workers"] {
            let place = line_of(needle);
            assert_eq!((place.line, place.utf8, place.utf16), html_place(needle), "{needle}");
        }
        // After an entity the text still maps to the right place.
        let after_entity = line_of("a figure that may");
        assert_eq!((after_entity.line, after_entity.utf8), (html_place("a figure that may").0, html_place("a figure that may").1));
    }

    #[test]
    fn pages_without_an_article_are_refused_in_plain_words() {
        let error = extract_page("<html><body><nav><a href=/>Home</a></nav></body></html>", 0).unwrap_err();
        assert!(error.contains("article"), "{error}");
        assert!(extract_page("", 0).is_err());
        assert!(extract_page("<<<>>>&&&;\u{0}", 0).is_err());
    }
}
