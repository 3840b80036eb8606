//! Editor features built on the checks: hover, go to definition, references, completion,
//! symbols and code actions. Each takes a snapshot and a note and returns plain data with byte
//! ranges; the protocol layer converts it.

pub mod actions;
pub mod completion;
pub mod definition;
pub mod hover;
pub mod references;
pub mod symbols;

/// Fixtures the editor features' tests share.
#[cfg(test)]
pub(crate) mod fixtures {
    use std::sync::Arc;

    use crate::analysis::checks::Snapshot;
    use crate::analysis::corpus::article::ArticleSource;
    use crate::analysis::corpus::library::testing::Embedded;
    use crate::analysis::note::Note;

    /// `copies` articles (`/w/seeds/001.txt` on) whose text is `said`, as folders and as an
    /// archive over a library that counts its fetches: (embedded, remote, library).
    pub fn said_by(said: &str, copies: usize) -> (Snapshot, Snapshot, Arc<Embedded>) {
        let sources = (1..=copies)
            .map(|n| ArticleSource {
                path: format!("/w/seeds/{n:03}.txt"),
                display_path: format!("{n:03}.txt"),
                text: said.into(),
                ..Default::default()
            })
            .collect();
        let embedded = Snapshot::build(sources, vec!["/w/seeds".into()]);
        let (remote, library) = Embedded::remote(embedded.corpus());
        let remote = Snapshot::new(remote, embedded.lexicon().clone());
        (embedded, remote, library)
    }

    /// Six articles that say the same thing, as folders (`embedded`) and as an archive
    /// (`remote`, over `library`), and a note that quotes them, citing the third.
    pub struct QuotedEverywhere {
        pub said: &'static str,
        pub embedded: Snapshot,
        pub remote: Snapshot,
        pub library: Arc<Embedded>,
        pub note: Note,
        /// An offset inside the note's quotation.
        pub at: usize,
    }

    pub fn quoted_everywhere() -> QuotedEverywhere {
        let said = "T\n\nThe mayor of Łódź said the hall “will be rebuilt — stone by stone” by spring.\n";
        let (embedded, remote, library) = said_by(said, 6);
        let note = Note::parse("/w/notes/n.md", "# Hall\n\nThe mayor said it “will be rebuilt — stone by stone” [@003].\n");
        let at = note.quotes[0].span.start + 3;
        QuotedEverywhere { said, embedded, remote, library, note, at }
    }
}
