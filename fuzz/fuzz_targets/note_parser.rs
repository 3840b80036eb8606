//! The note parser, and every check over the parsed note, on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use noteproof::analysis::corpus::article::ArticleSource;
use noteproof::analysis::checks::Snapshot;
use std::sync::LazyLock;

static CORPUS: LazyLock<Snapshot> = LazyLock::new(|| {
    let source = ArticleSource {
        path: "/w/seeds/001_a.txt".into(),
        display_path: "seeds/001_a.txt".into(),
        text: "Report “é”\n\nThe attack killed more than 140 people on March 22. “We believe it,” he said.\n".into(), ..Default::default()
    };
    Snapshot::build(vec![source], vec!["/w/seeds".into()])
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let note = noteproof::analysis::note::Note::parse("/w/notes/n.md", &text);
    let _ = noteproof::analysis::checks::diagnostics::check_note(&CORPUS, &note);
    for offset in [0, text.len() / 2, text.len()] {
        let _ = noteproof::analysis::ide::hover::hover(&CORPUS, &note, offset);
        let _ = noteproof::analysis::ide::definition::definition(&CORPUS, &note, offset);
        let _ = noteproof::analysis::ide::completion::completion(&CORPUS, &note, offset);
    }
});
