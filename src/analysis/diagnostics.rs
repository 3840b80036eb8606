//! One function that returns every finding about a note: the single pipeline
//! behind the server's diagnostics and the `check` command.

use super::corpus::Corpus;
use super::findings::Finding;
use super::note::Note;
use super::{citations, figures, quotes};

pub fn check_note(corpus: &Corpus, note: &Note) -> Vec<Finding> {
    let mut findings = citations::check(corpus, note);
    findings.extend(quotes::check(corpus, note));
    findings.extend(figures::check::check(corpus, note));
    findings.sort_by(|a, b| a.range.start.cmp(&b.range.start).then(a.code.cmp(b.code)));
    findings
}
