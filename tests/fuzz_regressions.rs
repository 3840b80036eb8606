//! Inputs the fuzzers found that once crashed noteproof, kept as regression tests.
//! Each file in tests/data/fuzz/ is named `<target>-<what it broke>.bin`.

mod common;

use noteproof::analysis::checks::diagnostics::check_note;
use noteproof::analysis::ide::completion;
use noteproof::analysis::ide::definition;
use noteproof::analysis::ide::hover;
use noteproof::analysis::note::Note;

/// `note_parser`: a citation that ends before a sentence starts, met while listing the non-prose
/// parts of that sentence, underflowed an offset subtraction (a panic in debug builds).
#[test]
fn note_parser_non_prose_overflow() {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/fuzz/note_parser-non-prose-overflow.bin")).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    let fixture = common::fixture::Fixture::with_seeds("//- /notes/n.md\nx\n");
    let note = Note::parse("/w/notes/n.md", &text);
    let _ = check_note(&fixture.corpus, &note);
    for offset in [0, text.len() / 2, text.len()] {
        let _ = hover::hover(&fixture.corpus, &note, offset);
        let _ = definition::definition(&fixture.corpus, &note, offset);
        let _ = completion::completion(&fixture.corpus, &note, offset);
    }
    for (index, sentence) in note.sentences.iter().enumerate() {
        for part in note.non_prose_within(&sentence.span) {
            assert!(part.start <= part.end && part.end <= sentence.span.len(), "sentence {index}: {part:?}");
        }
    }
}

/// `quote_matcher`: a quotation with two dozen bracketed insertions made the matcher backtrack
/// through 4^24 ways of skipping source words (the fuzzer reported a unit that never finished).
/// The matcher is now a dynamic programme; the watchdog only turns a regression into a failure
/// instead of a stuck CI run.
#[test]
fn quote_matcher_insertion_blowup() {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/fuzz/quote_matcher-insertion-blowup.bin")).unwrap();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        // The fuzz target's corpus: one article whose words the insertions can stand for.
        let source = noteproof::analysis::corpus::article::ArticleSource {
            path: "/w/seeds/001_a.txt".into(),
            display_path: "seeds/001_a.txt".into(),
            text: "Report\n\n“Upon completing the attack, the terrorists received clear instructions [sic] to move toward the border,” he said… “blackmail”.\n".into(), ..Default::default()
        };
        let corpus = &noteproof::analysis::checks::Snapshot::build(vec![source], vec!["/w/seeds".into()]);
        // As the fuzz target reads it: the first three bytes are not quoted words.
        let quote = noteproof::analysis::checks::quotes::matching::QuoteText::parse(&text, std::slice::from_ref(&(0..text.len().min(3))));
        let _ = noteproof::analysis::checks::quotes::matching::locate(corpus, &quote, None);
        let _ = noteproof::analysis::checks::quotes::matching::closest(corpus, &quote, None, &[]);
        let _ = noteproof::analysis::checks::quotes::matching::closest(corpus, &quote, Some(&[0]), &[]);
        let _ = done.send(());
    });
    finished.recv_timeout(std::time::Duration::from_secs(60)).expect("matching a quotation with many insertions finishes");
}
