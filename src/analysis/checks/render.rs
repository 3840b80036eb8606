//! Markdown building blocks shared by hovers and messages: quoted source
//! sentences with their attribution and a link that opens the article at that line.

use crate::analysis::corpus::article::Article;
use crate::analysis::text::{collapse_whitespace, file_uri};

/// A link that opens `article` at the line holding `offset` (1-based `#L` fragment, as editors expect).
pub fn line_link(article: &Article, offset: usize) -> String {
    let line = article.line_of(offset) + 1;
    format!("[{}:{line}]({}#L{line})", article.display_path, file_uri(&article.path))
}

/// `**Title**` then `Outlet · date · @key · link`.
pub fn article_header(article: &Article, key: &str) -> String {
    let date = article.date.map_or_else(|| "undated".to_string(), |d| d.short());
    let outlet = article.outlet.as_deref().unwrap_or("unknown outlet");
    format!("**{}**\n\n{outlet} · {date} · `@{key}` · {}", escape(&article.title), line_link(article, 0))
}

/// A source sentence as a markdown blockquote, with where it comes from.
pub fn quoted_sentence(article: &Article, key: &str, span: std::ops::Range<usize>, with_attribution: bool) -> String {
    let text = collapse_whitespace(&article.text[span.clone()]);
    let mut quoted = format!("> {}\n>\n> — ", escape(&text));
    if with_attribution {
        quoted.push_str(&format!("`@{key}`, {}, ", article.attribution()));
    }
    quoted.push_str(&line_link(article, span.start));
    quoted
}

/// Escapes the characters that would turn copy into markdown markup.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|') {
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
    fn escapes_markup_but_keeps_typography() {
        assert_eq!(escape("“ISIS-K” [sic] *x*"), "“ISIS-K” \\[sic\\] \\*x\\*");
    }
}
