//! Markdown building blocks shared by hovers and messages: quoted source
//! sentences with their attribution and a link that opens the article at that line.

use crate::analysis::corpus::article::Article;
use crate::analysis::text::{collapse_whitespace, file_uri, shorten};

/// A quoted source sentence is cut after this many characters: three lines of an 80-column float.
pub const QUOTED_CHARS: usize = 220;
/// An article's title is cut to one line of the float.
const TITLE_CHARS: usize = 76;

/// `[line 13](file:///…#L13)`: opens `article` at the line holding `offset` (1-based, as editors
/// expect); for a PDF, `[page 5](file:///…/report.pdf#page=5)`, which PDF viewers open at the page.
/// An archive's article, whose file this machine may not have, links to the text the server serves.
pub fn line_link(article: &Article, offset: usize) -> String {
    if let Some(page) = article.page_of(offset).filter(|_| !article.served) {
        return format!("[page {page}]({}#page={page})", file_uri(&article.path));
    }
    if article.served {
        let line = article.line_index().line_of(offset) + 1;
        return format!("[line {line}]({}#L{line})", article.text_uri());
    }
    let line = article.line_of(offset) + 1;
    format!("[line {line}]({}#L{line})", file_uri(&article.path))
}

/// `**AFP, 24 May 2024 [@001]** · *title*`, then the file as a link.
pub fn article_header(article: &Article, key: &str) -> String {
    format!(
        "**{}** · *{}*\n\n[{}]({})",
        markdown_label(&article.label(key)),
        escape(&shorten(&article.title, TITLE_CHARS)),
        escape(&article.display_path),
        if article.served { article.text_uri() } else { file_uri(&article.path) }
    )
}

/// The part of a sentence around `focus` that fits `max_chars`, cut at words and marked with "…":
/// a long sentence shows the words that matter (a quotation inside it), not only its opening.
pub fn excerpt(text: &str, sentence: std::ops::Range<usize>, focus: std::ops::Range<usize>, max_chars: usize) -> String {
    let whole = collapse_whitespace(&text[sentence.clone()]);
    if whole.chars().count() <= max_chars {
        return whole;
    }
    let focus = focus.start.max(sentence.start)..focus.end.min(sentence.end).max(focus.start.max(sentence.start));
    let focus_chars = text[focus.clone()].chars().count();
    let context = max_chars.saturating_sub(focus_chars) / 2;
    // Step back `context` characters from the focus, then forward to the start of a word.
    let mut start = text[sentence.start..focus.start].char_indices().rev().nth(context).map_or(sentence.start, |(i, _)| sentence.start + i);
    if start > sentence.start {
        start = text[start..focus.start].find(' ').map_or(focus.start, |space| start + space + 1);
    }
    let shown = shorten(&text[start..sentence.end], max_chars);
    if start > sentence.start {
        format!("…{shown}")
    } else {
        shown
    }
}

/// A source sentence as a blockquote ending with where it comes from: its article's label (when
/// the hover has not named the article already) and a link to its line.
pub fn quoted_sentence(article: &Article, key: &str, span: std::ops::Range<usize>, with_attribution: bool) -> String {
    let text = shorten(&article.text[span.clone()], QUOTED_CHARS);
    let from = if with_attribution { format!("— {}, ", markdown_label(&article.label(key))) } else { String::new() };
    format!("> {} {from}{}", escape(&text), line_link(article, span.start))
}

/// A source's label in markdown: the words escaped, the key as code (`AFP `[@001]``), because
/// Neovim's markdown reads a bare `[@001]` as a link and hides its brackets.
pub fn markdown_label(label: &str) -> String {
    match label.rfind("[@") {
        Some(at) if label.ends_with(']') => format!("{}`{}`", escape(&label[..at]), &label[at..]),
        _ => escape(label),
    }
}

/// Width a hover is wrapped to: an 80-column float with its border.
pub const HOVER_COLUMNS: usize = 78;

/// Hard-wraps markdown prose at `columns` characters: editors size floats to the window and some
/// wrap inside words. Paragraphs, list items and blockquotes wrap with their prefix; a wrapped line
/// in markdown joins its paragraph, so nothing changes where the editor reflows. A link stands on
/// a line of its own: Neovim wraps lines before it hides link targets, so a link in a full line
/// leaves a stray row.
pub fn wrap_markdown(markdown: &str, columns: usize) -> String {
    let mut out = String::with_capacity(markdown.len() + markdown.len() / columns.max(1) * 4);
    for (index, line) in markdown.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let (first_prefix, rest_prefix) = if line.starts_with("> ") {
            ("> ", "> ")
        } else if line.starts_with("- ") {
            ("- ", "  ")
        } else {
            ("", "")
        };
        if line.starts_with("```") || line.starts_with('#') || (line.chars().count() <= columns && !line.contains("](")) {
            out.push_str(line);
            continue;
        }
        out.push_str(first_prefix);
        let mut width = first_prefix.chars().count();
        let mut line_is_empty = true;
        let mut after_link = false;
        for word in words_keeping_links(&line[first_prefix.len()..]) {
            let word = word.as_str();
            let length = word.chars().count();
            let link = word.contains("](");
            if !line_is_empty && (width + 1 + length > columns || link || after_link) {
                out.push('\n');
                out.push_str(rest_prefix);
                width = rest_prefix.chars().count();
            } else if !line_is_empty {
                out.push(' ');
                width += 1;
            }
            out.push_str(word);
            width += length;
            line_is_empty = false;
            after_link = link;
        }
    }
    out
}

/// The words of a line, a link's text kept with its target (`[line 3](…)` is one word).
fn words_keeping_links(line: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut open_link = false;
    for word in line.split(' ').filter(|w| !w.is_empty()) {
        if open_link {
            let last = words.last_mut().expect("an open link has its start");
            last.push(' ');
            last.push_str(word);
        } else {
            words.push(word.to_string());
        }
        let current = words.last().expect("just pushed");
        let brackets_open = current.matches('[').count() > current.matches(']').count();
        let target_open = current.rfind("](").is_some_and(|at| !current[at..].contains(')'));
        open_link = brackets_open || target_open;
    }
    words
}

/// "A", "A and B", "A, B and C", "A, B and 2 more": at most `limit` named.
pub fn in_words(items: &[String], limit: usize) -> String {
    let named = &items[..items.len().min(limit)];
    let rest = items.len() - named.len();
    let mut parts: Vec<String> = named.to_vec();
    if rest > 0 {
        parts.push(format!("{rest} more"));
    }
    joined(&parts, "and")
}

/// "A", "A or B", "A, B or C": the choices offered, all of them.
pub fn in_words_or(items: &[String]) -> String {
    joined(items, "or")
}

fn joined(parts: &[String], conjunction: &str) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

/// Escapes only what markdown would read as markup. Every other backslash shows as a
/// backslash in some editors' floats (Neovim's), so copy's brackets and bars stay as they are.
pub fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut escaped = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let markup = match c {
            '`' | '*' => true,
            '_' => !previous.is_some_and(char::is_alphanumeric) || !next.is_some_and(char::is_alphanumeric),
            '\\' => next.is_some_and(|n| n.is_ascii_punctuation()),
            ']' => next == Some('(') || next == Some('['),
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!'),
            '#' | '>' | '+' | '-' | '=' => chars[..i].iter().all(|p| p.is_whitespace()),
            _ => false,
        };
        if markup {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_but_leaves_copy_as_it_reads() {
        assert_eq!(escape("“ISIS-K” [ISKP or ISIS-K] *x* a|b snake_case"), "“ISIS-K” [ISKP or ISIS-K] \\*x\\* a|b snake_case");
        assert_eq!(escape("[text](url) <b> # not a heading"), "[text\\](url) \\<b> # not a heading");
        assert_eq!(escape("# heading"), "\\# heading");
    }

    #[test]
    fn hovers_wrap_and_links_stand_alone() {
        assert_eq!(words_keeping_links("a [line 3](x#L3) — b"), ["a", "[line 3](x#L3)", "—", "b"]);
        let long = "> “The investigation continues, but it can already be said with certainty that Ukrainian military intelligence is implicated” — AFP `[@001]`, [line 7](file:///w/seeds/001.txt#L7)";
        let wrapped = wrap_markdown(long, 40);
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(lines.iter().all(|line| line.starts_with("> ") && line.chars().count() <= 40), "{wrapped}");
        assert_eq!(lines.last(), Some(&"> [line 7](file:///w/seeds/001.txt#L7)"), "a link on its own line: {wrapped}");
        assert_eq!(wrap_markdown("- a b c", 3), "- a\n  b\n  c");
        assert_eq!(wrap_markdown("**Short**\n\nplain", 40), "**Short**\n\nplain");
        assert_eq!(markdown_label("AFP, 24 May 2024 [@001]"), "AFP, 24 May 2024 `[@001]`");
    }

    #[test]
    fn an_archive_article_links_to_its_served_text_at_the_texts_line() {
        let html = crate::analysis::corpus::html::tests::PAGE;
        let page = crate::analysis::corpus::html::extract_page(html, 7).unwrap();
        let source = |served| crate::analysis::corpus::article::ArticleSource {
            path: "/w/seeds/page.html".into(),
            display_path: "seeds/page.html".into(),
            text: page.text.clone(),
            origin: page.origin.clone(),
            served,
            ..Default::default()
        };
        let offset = page.text.find("Officials said 11").unwrap();
        let on_disk = Article::parse(source(false));
        let served = Article::parse(source(true));
        let file_line = on_disk.line_of(offset) + 1;
        let text_line = page.text[..offset].matches('\n').count() + 1;
        assert_ne!(file_line, text_line, "the page's line and the text's line differ here");
        assert_eq!(line_link(&on_disk, offset), format!("[line {file_line}](file:///w/seeds/page.html#L{file_line})"));
        assert_eq!(line_link(&served, offset), format!("[line {text_line}](noteproof:///w/seeds/page.html.txt#L{text_line})"));
    }

    #[test]
    fn lists_in_words() {
        let items: Vec<String> = ["A", "B", "C", "D"].map(String::from).to_vec();
        assert_eq!(in_words(&items[..1], 3), "A");
        assert_eq!(in_words(&items[..2], 3), "A and B");
        assert_eq!(in_words(&items[..3], 3), "A, B and C");
        assert_eq!(in_words(&items, 3), "A, B, C and 1 more");
    }
}
