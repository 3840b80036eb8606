//! One function that returns every finding about a note: the single pipeline
//! behind the server's diagnostics and the `check` command.
//!
//! Findings are computed block by block (a paragraph, a list item, a heading),
//! and a `BlockCache` keeps each block's findings under a key made of
//! everything they depend on — its text, its section heading and the note's
//! title, its neighbours when it is a blockquote, the footnote definitions it
//! cites through — so that after an edit only the touched block is re-checked.
//!
//! A run checks a `CancelToken` before each block, quotation and figure: cancelled (the editor
//! gave up on the request, or a newer edit superseded the text), it stops there and returns
//! `Cancelled` instead of findings, keeping in the cache the blocks it did check.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use super::{citations, figures, quotes};
use crate::analysis::cancel::{CancelToken, Cancelled};
use crate::analysis::checks::findings::{Finding, Place};
use crate::analysis::checks::Snapshot;
use crate::analysis::note::{BlockKind, Note};

pub fn check_note(corpus: &Snapshot, note: &Note) -> Vec<Finding> {
    // A token nobody cancels: the run always ends with its findings.
    check_note_cached(corpus, note, &mut BlockCache::default(), &CancelToken::never()).unwrap_or_default()
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

/// One block's findings as the cache holds them: offsets relative to the block's start, in the
/// order of the note. Blocks with the same key have the same findings.
#[derive(Clone, Debug)]
pub struct BlockFindings {
    /// The key of everything the findings depend on: the block's text and its context.
    pub key: u64,
    /// Where the block is in the note.
    pub span: Range<usize>,
    pub findings: Arc<Vec<Finding>>,
}

impl BlockFindings {
    /// The block's findings with note offsets.
    pub fn in_note(&self) -> impl Iterator<Item = Finding> + '_ {
        self.findings.iter().cloned().map(|finding| shift(finding, self.span.start, true))
    }
}

/// Every finding of `note`, re-using `cache` for blocks whose inputs have not changed; `Err` when
/// `cancel` was cancelled before the last block was checked.
pub fn check_note_cached(corpus: &Snapshot, note: &Note, cache: &mut BlockCache, cancel: &CancelToken) -> Result<Vec<Finding>, Cancelled> {
    Ok(findings_in_note(&check_blocks(corpus, note, cache, cancel)?))
}

/// The findings of `blocks` with note offsets, in the order of the note.
pub fn findings_in_note(blocks: &[BlockFindings]) -> Vec<Finding> {
    let mut findings: Vec<Finding> = blocks.iter().flat_map(BlockFindings::in_note).collect();
    findings.sort_by(in_note_order); // blocks come in order: this only confirms it
    findings
}

/// The findings of every block of `note`, in note order, re-using `cache` for blocks whose inputs
/// have not changed. The run checks `cancel` before each block and within it before each
/// quotation and figure; once cancelled it returns `Err(Cancelled)` and keeps in `cache` the
/// blocks it did check, which are as valid as any.
pub fn check_blocks(corpus: &Snapshot, note: &Note, cache: &mut BlockCache, cancel: &CancelToken) -> Result<Vec<BlockFindings>, Cancelled> {
    if cache.corpus_generation != corpus.generation() {
        cache.clear();
        cache.corpus_generation = corpus.generation();
    }
    // A run cancelled before it starts leaves the cache as it was.
    cancel.check()?;
    let footnotes = footnote_definitions_hash(note);
    // Each block with the sentences it holds and the key of everything its findings depend on.
    let mut keyed: Vec<(Range<usize>, u64)> = Vec::with_capacity(note.blocks.len());
    let mut first_sentence = 0;
    for index in 0..note.blocks.len() {
        let last_sentence = first_sentence + note.sentences[first_sentence..].iter().take_while(|s| s.block as usize == index).count();
        keyed.push((first_sentence..last_sentence, block_key(note, index, footnotes)));
        first_sentence = last_sentence;
    }
    // Blocks not in the cache are checked in parallel (a note just opened is all of them), each
    // worker with its own memo of event lookups; a block repeated word for word is checked once.
    let mut missing: Vec<usize> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (index, (_, key)) in keyed.iter().enumerate() {
        if !cache.entries.contains_key(key) && seen.insert(*key) {
            missing.push(index);
        }
    }
    let failures_before = corpus.library_failures();
    let checked: Vec<(u64, Result<Vec<Finding>, Cancelled>)> = missing
        .par_iter()
        .map(|&index| {
            let (sentences, key) = &keyed[index];
            (*key, check_block(corpus, note, &note.blocks[index].span, sentences.clone(), cancel))
        })
        .collect();
    let mut computed: HashMap<u64, Arc<Vec<Finding>>> = HashMap::with_capacity(checked.len());
    let mut outcome = Ok(());
    for (key, result) in checked {
        match result {
            Ok(found) => {
                computed.insert(key, Arc::new(found));
            }
            Err(cancelled) => outcome = Err(cancelled),
        }
    }
    cache.hits = note.blocks.len() - missing.len();
    cache.misses = missing.len();
    if corpus.library_failures() != failures_before {
        // The corpus's library failed to answer during the run (a shared archive away): what
        // was read of the sources may be missing the article, the weight or the sentence that
        // decides. Only findings about citation keys are kept, and the blocks are checked again
        // on the next run: a missed finding until the archive is back, never a false one.
        for findings in computed.values_mut() {
            Arc::make_mut(findings).retain(|finding| !finding.code.reads_articles());
        }
        // Their key differs from the complete findings' so that no cache downstream mixes them up.
        const INCOMPLETE: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut blocks = Vec::with_capacity(note.blocks.len());
        for (block, (_, key)) in note.blocks.iter().zip(&keyed) {
            let (key, findings) = match (cache.entries.get(key), computed.get(key)) {
                (Some(complete), _) => (*key, complete),
                (None, Some(incomplete)) => (key ^ INCOMPLETE, incomplete),
                (None, None) => continue,
            };
            blocks.push(BlockFindings { key, span: block.span.clone(), findings: findings.clone() });
        }
        return outcome.map(|()| blocks);
    }
    if let Err(cancelled) = outcome {
        // Stopped part-way: keep what the cache knew and the blocks this run did check, for the next run.
        cache.entries.extend(computed);
        return Err(cancelled);
    }
    let mut blocks = Vec::with_capacity(note.blocks.len());
    let mut used: HashMap<u64, Arc<Vec<Finding>>> = HashMap::with_capacity(note.blocks.len());
    for (block, (_, key)) in note.blocks.iter().zip(&keyed) {
        let Some(relative) = cache.entries.get(key).or_else(|| computed.get(key)) else { continue };
        used.insert(*key, relative.clone());
        blocks.push(BlockFindings { key: *key, span: block.span.clone(), findings: relative.clone() });
    }
    // Keep only what this version of the note uses: the cache never outgrows the note.
    cache.entries = used;
    Ok(blocks)
}

/// The findings of one block, with offsets relative to its start, in note order; `Err` once
/// `cancel` is cancelled, before the block or before one of its quotations or figures.
fn check_block(
    corpus: &Snapshot,
    note: &Note,
    span: &Range<usize>,
    sentences: Range<usize>,
    cancel: &CancelToken,
) -> Result<Vec<Finding>, Cancelled> {
    cancel.check()?;
    let mut found = citations::check_within(corpus, note, span.clone());
    found.extend(quotes::check_within(corpus, note, span.clone(), cancel)?);
    found.extend(figures::check::check_sentences(corpus, note, sentences, cancel)?);
    let mut relative: Vec<Finding> = found.into_iter().map(|f| shift(f, span.start, false)).collect();
    relative.sort_by(in_note_order);
    Ok(relative)
}

fn in_note_order(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    a.range.start.cmp(&b.range.start).then(a.code.name().cmp(b.code.name()))
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
    use crate::analysis::checks::findings::Code;
    use crate::analysis::corpus::article::ArticleSource;

    fn never() -> CancelToken {
        CancelToken::never()
    }

    fn corpus() -> Snapshot {
        let source = ArticleSource {
            path: "/w/seeds/000_a.txt".into(),
            display_path: "seeds/000_a.txt".into(),
            text: "T\n\nThe FSB arrested 11 people.\n".into(),
            ..Default::default()
        };
        Snapshot::build(vec![source], vec!["/w/seeds".into()])
    }

    /// A corpus whose library fails (a shared archive away) gives no finding that needs an
    /// article, keeps none of the run in the cache, and once the library answers again (a
    /// snapshot fetched afresh) gives every finding the embedded corpus gives.
    #[test]
    fn a_run_without_the_library_reports_only_citation_keys_and_is_not_kept() {
        use crate::analysis::corpus::library::testing::Embedded;
        use std::sync::atomic::Ordering;
        let embedded = corpus();
        let (remote, library) = Embedded::remote(embedded.corpus());
        let remote = Snapshot::new(remote, embedded.lexicon().clone());
        let text = "# Brief\n\nThe FSB detained 14 people [@000].\n\nUnknown [@404].\n\n“Said nowhere at all” [@000].\n";
        let note = Note::parse("/w/notes/brief.md", text);
        let expected = check_note(&embedded, &note);
        assert!(expected.iter().any(|f| f.code == Code::FigureContradiction) && expected.iter().any(|f| f.code == Code::QuoteNotFound));

        library.failing.store(true, Ordering::Relaxed);
        let mut cache = BlockCache::default();
        let during = check_note_cached(&remote, &note, &mut cache, &never()).unwrap();
        assert_eq!(during.iter().map(|f| f.code).collect::<Vec<_>>(), [Code::UnknownSource], "{during:?}");
        assert!(cache.entries.is_empty(), "a run without the library is not kept");

        library.failing.store(false, Ordering::Relaxed);
        let after = check_note_cached(&remote.refetched(), &note, &mut cache, &never()).unwrap();
        assert_eq!(after, expected);
    }

    #[test]
    fn an_edit_rechecks_only_the_blocks_it_touches_and_the_result_is_the_same() {
        let corpus = corpus();
        let before = "# Brief\n\nThe FSB detained 14 people [@000].\n\nUnknown [@404].\n\n“Said nowhere” [@000].\n";
        let after = "# Brief\n\nThe FSB detained 14 people [@000].\n\nUnknown [@405] é.\n\n“Said nowhere” [@000].\n";
        let mut cache = BlockCache::default();
        check_note_cached(&corpus, &Note::parse("/w/n.md", before), &mut cache, &never()).unwrap();
        assert_eq!((cache.hits, cache.misses), (0, 4));
        let note = Note::parse("/w/n.md", after);
        let cached = check_note_cached(&corpus, &note, &mut cache, &never()).unwrap();
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
        assert_eq!(check_note_cached(&corpus, &note, &mut cache, &never()).unwrap().len(), 1);
        let source = ArticleSource {
            path: "/w/seeds/001_b.txt".into(),
            display_path: "seeds/001_b.txt".into(),
            text: "T\n\nB.\n".into(),
            ..Default::default()
        };
        let updated = corpus.updated(vec![source], &[]);
        assert!(check_note_cached(&updated, &note, &mut cache, &never()).unwrap().is_empty());
        assert_eq!(cache.misses, 1);
    }

    /// A note of `paragraphs` different paragraphs, each with a contradicted figure, a quotation
    /// found nowhere and an unknown key.
    fn busy_note(paragraphs: usize) -> Note {
        let text: String = (0..paragraphs)
            .map(|i| format!("Paragraph {i} — the FSB detained 14 people [@000]; “said nowhere {i}” [@000], and [@40{i}].\n\n"))
            .collect();
        Note::parse("/w/n.md", &text)
    }

    #[test]
    fn a_cancelled_run_stops_before_the_first_block_and_returns_no_findings() {
        let corpus = corpus();
        let note = busy_note(50);
        let cancel = CancelToken::new();
        cancel.cancel();
        let mut cache = BlockCache::default();
        assert_eq!(check_note_cached(&corpus, &note, &mut cache, &cancel), Err(Cancelled));
        assert_eq!(cache.misses, 0, "no block was checked");
        let found = check_note_cached(&corpus, &note, &mut cache, &never()).unwrap();
        assert_eq!(found.len(), 150, "an uncancelled run then finds everything");
        assert_eq!(found, check_note(&corpus, &note));
    }

    #[test]
    fn a_cancelled_run_keeps_the_blocks_the_cache_already_had() {
        let corpus = corpus();
        let mut cache = BlockCache::default();
        check_note_cached(&corpus, &busy_note(50), &mut cache, &never()).unwrap();
        let cancel = CancelToken::new();
        cancel.cancel();
        assert_eq!(check_note_cached(&corpus, &busy_note(51), &mut cache, &cancel), Err(Cancelled));
        check_note_cached(&corpus, &busy_note(51), &mut cache, &never()).unwrap();
        assert_eq!((cache.hits, cache.misses), (50, 1), "only the new paragraph is checked");
    }

    #[test]
    fn blocks_come_in_note_order_with_their_findings_relative_to_the_block() {
        let corpus = corpus();
        let note = busy_note(3);
        let blocks = check_blocks(&corpus, &note, &mut BlockCache::default(), &never()).unwrap();
        assert_eq!(blocks.len(), 3);
        assert!(blocks.windows(2).all(|pair| pair[0].span.end <= pair[1].span.start));
        let starts: Vec<usize> = blocks[1].findings.iter().map(|f| f.range.start).collect();
        assert!(starts.windows(2).all(|pair| pair[0] <= pair[1]) && starts[0] < blocks[1].span.len(), "{starts:?}");
        let concatenated: Vec<Finding> = blocks.iter().flat_map(BlockFindings::in_note).collect();
        assert_eq!(concatenated, check_note(&corpus, &note), "in order, with note offsets, they are the note's findings");
    }

    #[test]
    fn a_heading_change_rechecks_its_section() {
        let corpus = corpus();
        let mut cache = BlockCache::default();
        check_note_cached(&corpus, &Note::parse("/w/n.md", "# A\n\nOne.\n\nTwo.\n"), &mut cache, &never()).unwrap();
        check_note_cached(&corpus, &Note::parse("/w/n.md", "# B\n\nOne.\n\nTwo.\n"), &mut cache, &never()).unwrap();
        assert_eq!((cache.hits, cache.misses), (0, 3));
    }
}
