//! Code actions: the fixes of the findings under a range, and "Cite [@key]"
//! for an uncited sentence that the corpus strongly supports.

use std::ops::Range;

use crate::analysis::checks::citations::has_citation;
use crate::analysis::checks::evidence::{supporting, STRONG_SUPPORT};
use crate::analysis::checks::findings::{Finding, Fix};
use crate::analysis::checks::quotes::cite_fix;
use crate::analysis::checks::Snapshot;
use crate::analysis::note::Note;

/// Citation suggestions offered for one sentence, at most.
const CITE_SUGGESTIONS: usize = 2;

/// Each action with the finding it fixes (an index into `findings`), if any.
pub fn actions(corpus: &Snapshot, note: &Note, findings: &[Finding], range: Range<usize>) -> Vec<(Option<usize>, Fix)> {
    let mut actions: Vec<(Option<usize>, Fix)> = Vec::new();
    for (index, finding) in findings.iter().enumerate() {
        if finding.range.start <= range.end && range.start <= finding.range.end {
            actions.extend(finding.fixes.iter().cloned().map(|fix| (Some(index), fix)));
        }
    }
    let Some(sentence) = note.sentence_index_at(range.start) else { return actions };
    if has_citation(corpus, note, sentence)
        || note.block_of_sentence(sentence).is_some_and(|b| matches!(b.kind, crate::analysis::note::BlockKind::Heading(_)))
    {
        return actions;
    }
    let mut suggested = Vec::new();
    for hit in supporting(corpus, note, sentence, CITE_SUGGESTIONS * 2) {
        if hit.coverage < STRONG_SUPPORT || suggested.contains(&hit.sentence.article) || suggested.len() == CITE_SUGGESTIONS {
            continue;
        }
        suggested.push(hit.sentence.article);
        let fix = cite_fix(corpus, note, sentence, hit.sentence.article);
        if !actions.iter().any(|(_, existing)| existing.edits == fix.edits) {
            actions.push((None, fix));
        }
    }
    actions
}
