//! Sentence splitting for news copy and notes.
//!
//! Works on byte ranges of the original text and never copies it. Handles
//! abbreviations (`U.S.`, `Mr.`, `St.`), initials, decimals, sentences that end
//! inside closing quotes (`…again?”`), quoted passages that hold several
//! sentences, and citations that follow a sentence's end (`… again?" [@000]`).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// `…the Ukrainian border?” Antonov asked.`: a quotation that ends in `?` or `!` and is
/// followed by its attribution is one sentence with it.
static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\p{Lu}[\p{L}’'.-]*\s+){1,3}(?:asked|said|added|wrote|told|says|asks|adds|claimed|continued|replied|insisted|noted|stated|explained|declared|shouted|warned|argued)\b").unwrap()
});

/// Words that end with a period without ending a sentence (compared without the period, lowercase).
const ABBREVIATIONS: &[&str] = &[
    "a.m", "adm", "apr", "aug", "capt", "cf", "co", "col", "corp", "cpl", "dec", "dept", "dr", "e.g", "e.u", "est", "etc", "feb", "fig",
    "fr", "gen", "gov", "i.e", "inc", "jan", "jr", "jul", "jun", "lt", "ltd", "maj", "mar", "messrs", "mr", "mrs", "ms", "mt", "no", "nov",
    "oct", "p", "p.m", "pp", "prof", "rep", "rev", "sen", "sep", "sept", "sgt", "sr", "st", "u.k", "u.n", "u.s", "u.s.a", "vol", "vs",
];

/// Splits `text[range]` into sentence ranges, trimmed of surrounding white space.
pub fn split_sentences(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let region = &text[range.clone()];
    let quoted = quoted_regions(region);
    let mut sentences = Vec::new();
    let mut start = 0;
    let mut iter = region.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        // Run of terminal punctuation and closing quotes/brackets: `?”`, `.)`, `!!`.
        let mut end = i + c.len_utf8();
        while let Some(&(j, next)) = iter.peek() {
            if matches!(next, '.' | '!' | '?' | '…' | '"' | '”' | '’' | '\'' | ')' | '»') {
                end = j + next.len_utf8();
                iter.next();
            } else {
                break;
            }
        }
        if c == '.' && !ends_sentence_at_period(region, i) {
            continue;
        }
        // A terminal inside a quotation ends the sentence only when the quotation closes with it.
        if is_inside(&quoted, i) && is_inside(&quoted, end) {
            continue;
        }
        let end = absorb_trailing_citations(region, end);
        let next_start = skip_space(region, end);
        if next_start < region.len() && !starts_sentence(&region[next_start..]) {
            continue;
        }
        if next_start == end && next_start < region.len() {
            continue; // `3.5`, `U.S.A`: no space after the period
        }
        let closes_quote = region[..end].ends_with(['”', '"']);
        if closes_quote && matches!(c, '?' | '!') && ATTRIBUTION.is_match(&region[next_start..]) {
            continue;
        }
        push_sentence(&mut sentences, region, start..end);
        start = next_start;
        // Keep the iterator in step with `start`.
        while iter.peek().is_some_and(|&(j, _)| j < start) {
            iter.next();
        }
    }
    if start < region.len() {
        push_sentence(&mut sentences, region, start..region.len());
    }
    sentences.into_iter().map(|r| r.start + range.start..r.end + range.start).collect()
}

/// Adds a trimmed sentence, folding fragments without letters (a stray ` ?`) into the previous one.
fn push_sentence(sentences: &mut Vec<Range<usize>>, region: &str, span: Range<usize>) {
    let text = &region[span.clone()];
    let trimmed_start = span.start + (text.len() - text.trim_start().len());
    let trimmed_end = span.end - (text.len() - text.trim_end().len());
    if trimmed_start >= trimmed_end {
        return;
    }
    let has_letters = region[trimmed_start..trimmed_end].chars().any(|c| c.is_alphanumeric());
    match sentences.last_mut() {
        Some(previous) if !has_letters => previous.end = trimmed_end,
        _ => sentences.push(trimmed_start..trimmed_end),
    }
}

fn ends_sentence_at_period(region: &str, period: usize) -> bool {
    let before = &region[..period];
    let word_start = before.char_indices().rev().find(|&(_, c)| !(c.is_alphanumeric() || c == '.')).map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    if word.is_empty() {
        return true;
    }
    let lower = word.to_lowercase();
    if ABBREVIATIONS.binary_search(&lower.as_str()).is_ok() {
        return false;
    }
    // Initials: `J. K. Rowling`, `U.S` written without the list's help.
    let mut chars = word.chars();
    if let (Some(first), None) = (chars.next(), chars.next()) {
        if first.is_uppercase() {
            return false;
        }
    }
    if word.contains('.') && word.split('.').all(|part| part.chars().count() <= 1) {
        return false;
    }
    true
}

/// After a sentence's end, a citation (`[@key]`, `[^1]`, `[1]`) still belongs to it.
fn absorb_trailing_citations(region: &str, mut end: usize) -> usize {
    loop {
        let after = skip_space_same_line(region, end);
        let rest = &region[after..];
        if !rest.starts_with('[') {
            return end;
        }
        let Some(close) = rest.find(']') else {
            return end;
        };
        let inner = &rest[1..close];
        let is_citation = inner.starts_with('@')
            || inner.starts_with('^')
            || inner.contains(" @")
            || inner.contains(";@")
            || inner.chars().all(|c| c.is_ascii_digit());
        if close > 200 || inner.contains('\n') || !is_citation {
            return end;
        }
        end = after + close + 1;
        // A period may follow the citation: `… people [@001].`
        if region[end..].starts_with('.') {
            end += 1;
        }
    }
}

fn skip_space(region: &str, from: usize) -> usize {
    from + region[from..].len() - region[from..].trim_start().len()
}

fn skip_space_same_line(region: &str, from: usize) -> usize {
    from + region[from..].len() - region[from..].trim_start_matches([' ', '\t', '\u{a0}']).len()
}

fn starts_sentence(rest: &str) -> bool {
    let mut chars = rest.chars();
    match chars.next() {
        Some(c) if c.is_uppercase() || c.is_ascii_digit() => true,
        // Quotes, brackets, markdown emphasis and list marks, and `<` of an HTML comment or tag.
        Some('"' | '“' | '‘' | '\'' | '(' | '[' | '*' | '_' | '-' | '–' | '—' | '•' | '#' | '>' | '<' | '¿' | '¡') => true,
        _ => false,
    }
}

/// Byte ranges strictly inside balanced quotation marks, within one region.
fn quoted_regions(region: &str) -> Vec<Range<usize>> {
    let mut regions = Vec::new();
    let mut open_curly: Option<usize> = None;
    let mut open_straight: Option<usize> = None;
    for (i, c) in region.char_indices() {
        match c {
            '“' => open_curly = Some(i + c.len_utf8()),
            '”' => {
                if let Some(start) = open_curly.take() {
                    regions.push(start..i);
                }
            }
            '"' => match open_straight.take() {
                Some(start) => regions.push(start..i),
                None => open_straight = Some(i + 1),
            },
            _ => {}
        }
    }
    crate::analysis::text::merge_ranges(regions)
}

fn is_inside(regions: &[Range<usize>], offset: usize) -> bool {
    crate::analysis::text::in_ranges(regions, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        split_sentences(text, 0..text.len()).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(
            split("Mr. Putin met U.S. and U.K. envoys at St. Basil’s. J. K. Rowling wrote 2.5 books. Done."),
            ["Mr. Putin met U.S. and U.K. envoys at St. Basil’s.", "J. K. Rowling wrote 2.5 books.", "Done."]
        );
    }

    #[test]
    fn sentences_end_inside_closing_quotes() {
        let text = "She said, “Are you sure it is ISIS? Can you think about it again?” ? Russia disagreed.";
        assert_eq!(split(text), ["She said, “Are you sure it is ISIS? Can you think about it again?” ?", "Russia disagreed."]);
    }

    #[test]
    fn quoted_passages_with_several_sentences_stay_with_their_attribution() {
        let text = "“What is it expected to do? It is expected to carry out sabotage,” the FSB leader added. Next.";
        assert_eq!(split(text), ["“What is it expected to do? It is expected to carry out sabotage,” the FSB leader added.", "Next."]);
    }

    #[test]
    fn citations_after_the_end_belong_to_the_sentence() {
        assert_eq!(
            split("Can you think about it again?\" [@000] The toll rose [@001]. It stood at 139. [@a; @b]"),
            ["Can you think about it again?\" [@000]", "The toll rose [@001].", "It stood at 139. [@a; @b]"]
        );
    }

    #[test]
    fn a_question_quoted_before_its_attribution_is_one_sentence() {
        let text = "“Why did these bandits flee towards the Ukrainian border?” Antonov asked, referring to claims. Next.";
        assert_eq!(
            split(text),
            ["“Why did these bandits flee towards the Ukrainian border?” Antonov asked, referring to claims.", "Next."]
        );
    }

    #[test]
    fn lowercase_after_a_period_continues_the_sentence() {
        assert_eq!(split("It rose to 139 vs. 140 in the end. ok then"), ["It rose to 139 vs. 140 in the end. ok then"]);
    }

    #[test]
    fn ranges_are_relative_to_the_whole_text() {
        let text = "Title line\nFirst one. Second “é” one.";
        let start = text.find('F').unwrap();
        let found: Vec<&str> = split_sentences(text, start..text.len()).into_iter().map(|r| &text[r]).collect();
        assert_eq!(found, ["First one.", "Second “é” one."]);
    }

    #[test]
    fn abbreviation_list_is_sorted() {
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0] < w[1]));
    }
}
