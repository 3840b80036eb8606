//! The one place that converts positions between byte offsets (the core's
//! unit) and editor positions: UTF-16 code units by default, UTF-8 bytes when
//! the client offers them. Out-of-range positions are clamped, never a panic.
//!
//! Lines end at `\n` (a `\r` before it belongs to the terminator), the same
//! rule for incoming and outgoing positions, for notes, articles and ropes.

use ropey::Rope;

use crate::analysis::corpus::article::Article;
use crate::analysis::text::LineIndex;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

/// A 0-based line and a column in the negotiated encoding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: u32,
    pub character: u32,
}

/// Columns between two offsets of one line, without walking the line: from the index's prefix sums.
fn columns(index: &LineIndex, from: usize, to: usize, encoding: Encoding) -> usize {
    match encoding {
        Encoding::Utf8 => to - from,
        Encoding::Utf16 => {
            let (extra_to, fours_to) = index.multibyte_before(to);
            let (extra_from, fours_from) = index.multibyte_before(from);
            // A character of n bytes is one UTF-16 unit, or two when n is 4.
            (to - from) - (extra_to - extra_from) + (fours_to - fours_from)
        }
    }
}

/// The editor position of byte `offset` in `text` (clamped to the text and to a char boundary).
pub fn to_position(text: &str, index: &LineIndex, offset: usize, encoding: Encoding) -> Position {
    let offset = crate::analysis::text::floor_char_boundary(text, offset);
    let line = index.line_of(offset);
    let start = index.line_start(line).min(offset);
    Position { line: line as u32, character: columns(index, start, offset, encoding) as u32 }
}

/// The editor position of byte `offset` of an article's text, in the file an editor opens for it:
/// for a saved web page the place in its HTML, otherwise the text's own position (a PDF is opened
/// as its served text).
pub fn article_position(article: &Article, offset: usize, encoding: Encoding) -> Position {
    match article.origin.place_in_page(&article.text, offset) {
        Some(place) => Position { line: place.line, character: if encoding == Encoding::Utf8 { place.utf8 } else { place.utf16 } },
        None => to_position(&article.text, article.line_index(), offset, encoding),
    }
}

/// The byte offset of an editor position; past the end of a line means its end, past the
/// last line means the end of the text, and the middle of a character means its start.
pub fn to_offset(text: &str, index: &LineIndex, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= index.line_count() {
        return text.len();
    }
    let range = index.line_range(text, line);
    let wanted = position.character as usize;
    let offset = match encoding {
        Encoding::Utf8 => crate::analysis::text::floor_char_boundary(text, range.start + wanted.min(range.len())),
        Encoding::Utf16 => {
            // The last multi-byte character of the line that starts at or before the wanted column.
            let first = index.multibyte_index(range.start);
            let last = index.multibyte_index(range.end);
            let (line_extra, line_fours) = index.multibyte_before(range.start);
            let units_before = |k: usize| {
                let (start, _, extra, fours) = index.multibyte_at(k).expect("index within the line");
                (start - range.start) - (extra - line_extra) + (fours - line_fours)
            };
            // Binary search for the first character past the wanted column (`units_before` grows with k).
            let (mut low, mut high) = (first, last);
            while low < high {
                let middle = low + (high - low) / 2;
                if units_before(middle) <= wanted {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            match low.checked_sub(1).filter(|&k| k >= first) {
                None => range.start + wanted,
                Some(k) => {
                    let (start, length, _, _) = index.multibyte_at(k).expect("index within the line");
                    let width = if length == 4 { 2 } else { 1 };
                    let at = units_before(k);
                    if wanted < at + width {
                        start
                    } else {
                        start + length + (wanted - at - width)
                    }
                }
            }
        }
    };
    offset.min(range.end)
}

/// The char index in `rope` of an editor position, with the same clamping as `to_offset`,
/// through the rope's own indexes (no walk along a line).
pub fn rope_char_index(rope: &Rope, position: Position, encoding: Encoding) -> usize {
    let line = position.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let line_start = rope.line_to_char(line);
    let mut line_end = if line + 1 < rope.len_lines() { rope.line_to_char(line + 1) } else { rope.len_chars() };
    // The terminator is not part of the line's columns.
    if line_end > line_start && rope.char(line_end - 1) == '\n' {
        line_end -= 1;
        if line_end > line_start && rope.char(line_end - 1) == '\r' {
            line_end -= 1;
        }
    }
    let wanted = position.character as usize;
    match encoding {
        Encoding::Utf8 => {
            let start = rope.char_to_byte(line_start);
            let end = rope.char_to_byte(line_end);
            rope.byte_to_char((start + wanted).min(end))
        }
        Encoding::Utf16 => {
            let start = rope.char_to_utf16_cu(line_start);
            let end = rope.char_to_utf16_cu(line_end);
            let index = rope.utf16_cu_to_char((start + wanted).min(end));
            // Inside a surrogate pair, the rope answers the character after it: take its start instead.
            if rope.char_to_utf16_cu(index) > start + wanted {
                index - 1
            } else {
                index
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "é “x” 😀 end\r\nnext ’line’\nlast";

    fn round_trip(encoding: Encoding) {
        let index = LineIndex::new(TEXT);
        for (offset, _) in TEXT.char_indices() {
            if TEXT[..offset].ends_with('\r') {
                continue; // the `\n` of `\r\n` has no position of its own
            }
            let position = to_position(TEXT, &index, offset, encoding);
            assert_eq!(to_offset(TEXT, &index, position, encoding), offset, "{position:?}");
        }
    }

    #[test]
    fn utf16_and_utf8_positions_round_trip() {
        round_trip(Encoding::Utf16);
        round_trip(Encoding::Utf8);
    }

    #[test]
    fn utf16_counts_code_units_not_chars() {
        let index = LineIndex::new(TEXT);
        let end = TEXT.find(" end").unwrap();
        // é(1) space(1) “(1) x(1) ”(1) space(1) 😀(2) = 8 units, 7 chars, 15 bytes.
        assert_eq!(to_position(TEXT, &index, end, Encoding::Utf16), Position { line: 0, character: 8 });
        assert_eq!(to_position(TEXT, &index, end, Encoding::Utf8), Position { line: 0, character: 15 });
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let index = LineIndex::new(TEXT);
        let line_end = TEXT.find('\r').unwrap();
        assert_eq!(to_offset(TEXT, &index, Position { line: 0, character: 999 }, Encoding::Utf16), line_end);
        assert_eq!(to_offset(TEXT, &index, Position { line: 99, character: 0 }, Encoding::Utf16), TEXT.len());
        // Inside the surrogate pair of 😀: the start of the emoji.
        let emoji = TEXT.find('😀').unwrap();
        assert_eq!(to_offset(TEXT, &index, Position { line: 0, character: 7 }, Encoding::Utf16), emoji);
        assert_eq!(to_position(TEXT, &index, 10_000, Encoding::Utf16), Position { line: 2, character: 4 });
    }

    #[test]
    fn rope_and_text_agree() {
        let rope = Rope::from_str(TEXT);
        let index = LineIndex::new(TEXT);
        for line in 0..4 {
            for character in 0..16 {
                let position = Position { line, character };
                let offset = to_offset(TEXT, &index, position, Encoding::Utf16);
                assert_eq!(rope.char_to_byte(rope_char_index(&rope, position, Encoding::Utf16)), offset, "{position:?}");
            }
        }
    }
}
