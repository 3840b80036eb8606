//! One function that returns every finding about a note: the single pipeline
//! behind the server's diagnostics and the `check` command.
//!
//! Findings are computed block by block (a paragraph, a list item, a heading),
//! and a `BlockCache` keeps each block's findings under a key made of
//! everything they depend on — its text, its section heading and the note's
//! title, its neighbours when it is a blockquote, the footnote definitions it
//! cites through — so that after an edit only the touched block is re-checked.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use super::{citations, figures, quotes};
use crate::analysis::checks::figures::event::EventCache;
use crate::analysis::checks::findings::{Finding, Place};
use crate::analysis::checks::Snapshot;
use crate::analysis::note::{BlockKind, Note};

pub fn check_note(corpus: &Snapshot, note: &Note) -> Vec<Finding> {
    check_note_cached(corpus, note, &mut BlockCache::default())
}

/// The findings of each block, by a key of everything they depend on; offsets relative to the block.
#[derive(Default)]
pub struct BlockCache {
    entries: HashMap<u64, Arc<Vec<Finding>>>,
    /// The corpus snapshot the entries were computed against.
    corpus_generation: u64,
    /// How many blocks the last check took from the cache, and how many it computed.
    pub hits: usize,
    pub misses: usize,
}

impl BlockCache {
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

/// Every finding of `note`, re-using `cache` for blocks whose inputs have not changed.
pub fn check_note_cached(corpus: &Snapshot, note: &Note, cache: &mut BlockCache) -> Vec<Finding> {
    if cache.corpus_generation != corpus.generation() {
        cache.clear();
        cache.corpus_generation = corpus.generation();
    }
    let footnotes = footnote_definitions_hash(note);
    // Each block with the sentences it holds and the key of everything its findings depend on.
    let mut blocks: Vec<(Range<usize>, u64)> = Vec::with_capacity(note.blocks.len());
    let mut first_sentence = 0;
    for index in 0..note.blocks.len() {
        let last_sentence = first_sentence + note.sentences[first_sentence..].iter().take_while(|s| s.block as usize == index).count();
        blocks.push((first_sentence..last_sentence, block_key(note, index, footnotes)));
        first_sentence = last_sentence;
    }
    // Blocks not in the cache are checked in parallel (a note just opened is all of them), each
    // worker with its own memo of event lookups; a block repeated word for word is checked once.
    let mut missing: Vec<usize> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, (_, key)) in blocks.iter().enumerate() {
        if !cache.entries.contains_key(key) && seen.insert(*key) {
            missing.push(index);
        }
    }
    let computed: HashMap<u64, Arc<Vec<Finding>>> = missing
        .par_iter()
        .map_init(EventCache::default, |events, &index| {
            let (sentences, key) = &blocks[index];
            let span = note.blocks[index].span.clone();
            let mut found = citations::check_within(corpus, note, span.clone());
            found.extend(quotes::check_within(corpus, note, span.clone()));
            found.extend(figures::check::check_sentences(corpus, note, sentences.clone(), events));
            (*key, Arc::new(found.into_iter().map(|f| shift(f, span.start, false)).collect()))
        })
        .collect();
    let mut findings = Vec::new();
    let mut used: HashMap<u64, Arc<Vec<Finding>>> = HashMap::with_capacity(note.blocks.len());
    for (block, (_, key)) in note.blocks.iter().zip(&blocks) {
        let Some(relative) = cache.entries.get(key).or_else(|| computed.get(key)) else { continue };
        findings.extend(relative.iter().cloned().map(|f| shift(f, block.span.start, true)));
        used.insert(*key, relative.clone());
    }
    // Keep only what this version of the note uses: the cache never outgrows the note.
    cache.hits = note.blocks.len() - missing.len();
    cache.misses = missing.len();
    cache.entries = used;
    findings.sort_by(|a, b| a.range.start.cmp(&b.range.start).then(a.code.name().cmp(b.code.name())));
    findings
}

/// Moves a finding's note offsets by `base`: to block-relative (`forward` false) or back.
fn shift(mut finding: Finding, base: usize, forward: bool) -> Finding {
    let move_range = |range: &mut Range<usize>| {
        if forward {
            *range = range.start + base..range.end + base;
        } else {
            *range = range.start - base..range.end - base;
        }
    };
    move_range(&mut finding.range);
    for fix in &mut finding.fixes {
        for edit in &mut fix.edits {
            move_range(&mut edit.range);
        }
    }
    for related in &mut finding.related {
        if let Place::Note { range, .. } = &mut related.place {
            move_range(range);
        }
    }
    finding
}

fn block_key(note: &Note, index: usize, footnotes: u64) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let block = &note.blocks[index];
    let text_of = |i: usize| note.blocks.get(i).map_or("", |b| &note.text[b.span.clone()]);
    text_of(index).hash(&mut hasher);
    std::mem::discriminant(&block.kind).hash(&mut hasher);
    if let BlockKind::Heading(level) = block.kind {
        level.hash(&mut hasher);
    }
    block.in_blockquote.hash(&mut hasher);
    block.footnote.hash(&mut hasher);
    note.path.hash(&mut hasher);
    // Figures read their event from the section heading and the note's title.
    let heading = note.blocks[..index].iter().rposition(|b| matches!(b.kind, BlockKind::Heading(_)));
    heading.map(text_of).hash(&mut hasher);
    let title = note.blocks[..index].iter().position(|b| b.kind == BlockKind::Heading(1));
    title.map(text_of).hash(&mut hasher);
    // A blockquote takes its citation from the block before or after it.
    let quoting = |i: usize| note.blocks.get(i).is_some_and(|b| b.in_blockquote);
    if block.in_blockquote || index.checked_sub(1).is_some_and(quoting) || quoting(index + 1) {
        index.checked_sub(1).map(text_of).hash(&mut hasher);
        text_of(index + 1).hash(&mut hasher);
    }
    if text_of(index).contains("[^") {
        footnotes.hash(&mut hasher);
    }
    hasher.finish()
}

fn footnote_definitions_hash(note: &Note) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    for block in note.blocks.iter().filter(|b| b.footnote.is_some()) {
        note.text[block.span.clone()].hash(&mut hasher);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::corpus::article::ArticleSource;

    fn corpus() -> Snapshot {
        let source = ArticleSource {
            path: "/w/seeds/000_a.txt".into(),
            display_path: "seeds/000_a.txt".into(),
            text: "T\n\nThe FSB arrested 11 people.\n".into(),
            ..Default::default()
        };
        Snapshot::build(vec![source], vec!["/w/seeds".into()])
    }

    #[test]
    fn an_edit_rechecks_only_the_blocks_it_touches_and_the_result_is_the_same() {
        let corpus = corpus();
        let before = "# Brief\n\nThe FSB detained 14 people [@000].\n\nUnknown [@404].\n\n“Said nowhere” [@000].\n";
        let after = "# Brief\n\nThe FSB detained 14 people [@000].\n\nUnknown [@405] é.\n\n“Said nowhere” [@000].\n";
        let mut cache = BlockCache::default();
        check_note_cached(&corpus, &Note::parse("/w/n.md", before), &mut cache);
        assert_eq!((cache.hits, cache.misses), (0, 4));
        let note = Note::parse("/w/n.md", after);
        let cached = check_note_cached(&corpus, &note, &mut cache);
        assert_eq!((cache.hits, cache.misses), (3, 1));
        assert_eq!(cached, check_note(&corpus, &note), "the cache changes nothing but the work done");
        let codes: Vec<&str> = cached.iter().map(|f| f.code.name()).collect();
        assert_eq!(codes, ["figure-contradiction", "unknown-source", "quote-not-found"]);
    }

    #[test]
    fn a_new_corpus_snapshot_empties_the_cache() {
        let corpus = corpus();
        let mut cache = BlockCache::default();
        let note = Note::parse(
            "/w/n.md",
            "One [@001].
",
        );
        assert_eq!(check_note_cached(&corpus, &note, &mut cache).len(), 1);
        let source = ArticleSource {
            path: "/w/seeds/001_b.txt".into(),
            display_path: "seeds/001_b.txt".into(),
            text: "T\n\nB.\n".into(),
            ..Default::default()
        };
        let updated = corpus.updated(vec![source], &[]);
        assert!(check_note_cached(&updated, &note, &mut cache).is_empty());
        assert_eq!(cache.misses, 1);
    }

    #[test]
    fn a_heading_change_rechecks_its_section() {
        let corpus = corpus();
        let mut cache = BlockCache::default();
        check_note_cached(&corpus, &Note::parse("/w/n.md", "# A\n\nOne.\n\nTwo.\n"), &mut cache);
        check_note_cached(&corpus, &Note::parse("/w/n.md", "# B\n\nOne.\n\nTwo.\n"), &mut cache);
        assert_eq!((cache.hits, cache.misses), (0, 3));
    }
}
