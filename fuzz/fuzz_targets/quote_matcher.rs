//! Quotation parsing, matching and the closest passage, on arbitrary quotations.
#![no_main]

use libfuzzer_sys::fuzz_target;
use noteproof::analysis::corpus::article::ArticleSource;
use noteproof::analysis::checks::Snapshot;
use noteproof::analysis::checks::quotes::matching::{closest, locate, QuoteText};
use std::sync::LazyLock;

static CORPUS: LazyLock<Snapshot> = LazyLock::new(|| {
    let source = ArticleSource {
        path: "/w/seeds/001_a.txt".into(),
        display_path: "seeds/001_a.txt".into(),
        text: "Report\n\n“Upon completing the attack, the terrorists received clear instructions [sic] to move toward the border,” he said… “blackmail”.\n".into(), ..Default::default()
    };
    Snapshot::build(vec![source], vec!["/w/seeds".into()])
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let quote = QuoteText::parse(&text, &[0..text.len().min(3)]);
    for found in locate(&CORPUS, &quote, None) {
        assert!(found.span.start <= found.span.end);
    }
    let _ = closest(&CORPUS, &quote, None, &[]);
    let _ = closest(&CORPUS, &quote, Some(&[0]), &[]);
});
