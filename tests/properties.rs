//! Properties over arbitrary input: positions round-trip, incremental edits equal a fresh
//! open, and no parser, reader or matcher panics on anything.

use proptest::prelude::*;

use noteproof::analysis::checks::diagnostics::{check_note, check_note_cached, BlockCache};
use noteproof::analysis::checks::quantities::{read_quantities, ReadContext};
use noteproof::analysis::checks::quotes::matching::{locate, QuoteText};
use noteproof::analysis::checks::Snapshot;
use noteproof::analysis::corpus::article::ArticleSource;
use noteproof::analysis::note::Note;
use noteproof::analysis::text::LineIndex;
use noteproof::convert::{rope_char_index, to_offset, to_position, Encoding, Position};
use noteproof::lsp::documents::{Change, Documents};

/// Text that exercises what matters: multi-byte letters, astral characters, curly quotes,
/// dashes, CRLF, markdown syntax, citations and figures.
fn text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "é",
        "Ж",
        "😀",
        "“",
        "”",
        "‘",
        "’",
        "—",
        "\n",
        "\r\n",
        " ",
        "\u{a0}",
        "[@001]",
        "[@",
        "]",
        "@",
        "#",
        "> ",
        "- ",
        "1. ",
        "`",
        "```\n",
        "139",
        "more than 140",
        "March 22",
        "killed",
        "people",
        "\"",
        "…",
        "[…]",
        ".",
        "?",
        "\0",
        "<!--",
        "-->",
        "|",
        "[^1]",
    ]);
    prop::collection::vec(pieces, 0..80).prop_map(|p| p.concat())
}

fn corpus() -> Snapshot {
    let source = |name: &str, text: &str| ArticleSource { path: format!("/w/seeds/{name}"), display_path: name.into(), text: text.into() };
    Snapshot::build(
        vec![
            source("001_a.txt", "Report “é”\n\nThe attack killed more than 140 people on March 22, officials said.\n"),
            source("002_b.txt", "Second\n\n“We believe it was prepared,” he said. 182 people were injured.\n"),
        ],
        vec!["/w/seeds".into()],
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn positions_round_trip_in_both_encodings(text in text()) {
        let index = LineIndex::new(&text);
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
                    continue; // the `\n` of `\r\n` has no position of its own
                }
                let position = to_position(&text, &index, offset, encoding);
                prop_assert_eq!(to_offset(&text, &index, position, encoding), offset);
            }
        }
    }

    #[test]
    fn any_position_converts_without_panicking(text in text(), line in 0u32..50, character in 0u32..200) {
        let index = LineIndex::new(&text);
        let rope = ropey::Rope::from_str(&text);
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let position = Position { line, character };
            let offset = to_offset(&text, &index, position, encoding);
            prop_assert!(text.is_char_boundary(offset));
            prop_assert_eq!(rope.char_to_byte(rope_char_index(&rope, position, encoding)), offset);
        }
    }

    #[test]
    fn incremental_edits_give_the_same_text_and_findings_as_a_fresh_open(
        start in text(),
        edits in prop::collection::vec((0usize..1000, 0usize..6, text()), 1..12),
    ) {
        let corpus = corpus();
        let mut documents = Documents::default();
        documents.open("u", "/w/n.md".into(), &start, 1);
        let mut expected = start.clone();
        let mut cache = BlockCache::default();
        check_note_cached(&corpus, &Note::parse("/w/n.md", &expected), &mut cache);
        for (version, (at, length, insert)) in edits.into_iter().enumerate() {
            let boundaries: Vec<usize> = expected.char_indices().map(|(i, _)| i).chain([expected.len()]).collect();
            let from = boundaries[at % boundaries.len()];
            let to = boundaries.iter().copied().filter(|&b| b >= from).nth(length).unwrap_or(expected.len());
            let index = LineIndex::new(&expected);
            let range = (to_position(&expected, &index, from, Encoding::Utf16), to_position(&expected, &index, to, Encoding::Utf16));
            // Skip edits that would split a `\r\n`: an editor never sends them.
            if expected[..from].ends_with('\r') && expected[from..].starts_with('\n') || expected[..to].ends_with('\r') && expected[to..].starts_with('\n') {
                continue;
            }
            documents.change("u", version as i32 + 2, vec![Change { range: Some(range), text: insert.clone() }], Encoding::Utf16);
            expected.replace_range(from..to, &insert);
            check_note_cached(&corpus, &Note::parse("/w/n.md", &expected), &mut cache);
        }
        prop_assert_eq!(documents.get("u").unwrap().rope.to_string(), expected.clone());
        let fresh = check_note(&corpus, &Note::parse("/w/n.md", &expected));
        prop_assert_eq!(check_note_cached(&corpus, &Note::parse("/w/n.md", &expected), &mut cache), fresh);
    }

    #[test]
    fn the_note_parser_the_figure_reader_and_the_quote_matcher_never_panic(text in text(), raw in ".{0,200}") {
        let corpus = corpus();
        for input in [&text, &raw] {
            let note = Note::parse("/w/n.md", input);
            for sentence in &note.sentences {
                prop_assert!(sentence.span.end <= input.len() && input.is_char_boundary(sentence.span.start));
            }
            let _ = check_note(&corpus, &note);
            for quantity in read_quantities(input, &ReadContext::default()) {
                prop_assert!(input.is_char_boundary(quantity.span.start) && input.is_char_boundary(quantity.span.end));
            }
            let _ = locate(&corpus, &QuoteText::parse(input, &[]), None);
        }
    }
}
