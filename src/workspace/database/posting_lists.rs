//! A common term's sentences as one stored value (schema 5): the archive's answer to a search
//! of common words. Read through the GIN index, each sentence holding a term is a visit to the
//! sentence table: at 100,000 articles a common word's 20,000–200,000 sentences took 100–370 ms
//! on two shared cores. Stored as one compact list (about 3 bytes a sentence), the same sentences
//! are one read of a few hundred kilobytes, and the search runs over them in the reader.
//!
//! A list holds every sentence holding its term, sorted by article and position, each as the
//! article's archive id, the sentence's position and its length in words, varint-coded: the
//! article as a difference from the one before, the position as a difference when the article is
//! the same (sentences come in order), the length as it is. Sentences come in blocks of
//! `BLOCK`, each behind a header with its count, its size in bytes and its last sentence, so that
//! a reader looking for a few sentences in a long list skips the blocks that cannot hold them
//! without decoding them.

use std::cmp::Ordering;

/// One sentence of a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub article: i64,
    pub position: i32,
    pub length: u32,
}

impl Entry {
    fn order(&self, other: &Entry) -> Ordering {
        (self.article, self.position).cmp(&(other.article, other.position))
    }
}

/// Sentences per block.
const BLOCK: usize = 64;

/// Builds a list from sentences given in order (article, then position).
#[derive(Debug, Default)]
pub struct Builder {
    bytes: Vec<u8>,
    /// The open block's sentences, encoded.
    block: Vec<u8>,
    in_block: usize,
    /// The last sentence of the blocks written.
    written: Option<(i64, i32)>,
    last: Option<(i64, i32)>,
    count: usize,
}

impl Builder {
    /// Appends a sentence; one out of order (or repeated) is refused, as a list must be sorted.
    pub fn push(&mut self, entry: Entry) -> bool {
        if entry.article < 0 || entry.position < 0 || self.last.is_some_and(|last| (entry.article, entry.position) <= last) {
            return false;
        }
        match self.last {
            Some((article, position)) if entry.article == article => {
                put(&mut self.block, 0);
                put(&mut self.block, (entry.position - position) as u64);
            }
            Some((article, _)) => {
                put(&mut self.block, (entry.article - article) as u64);
                put(&mut self.block, entry.position as u64);
            }
            None => {
                put(&mut self.block, entry.article as u64);
                put(&mut self.block, entry.position as u64);
            }
        }
        put(&mut self.block, u64::from(entry.length));
        self.last = Some((entry.article, entry.position));
        self.count += 1;
        self.in_block += 1;
        if self.in_block == BLOCK {
            self.close_block();
        }
        true
    }

    fn close_block(&mut self) {
        let Some((article, position)) = self.last.filter(|_| self.in_block > 0) else { return };
        put(&mut self.bytes, self.in_block as u64);
        put(&mut self.bytes, self.block.len() as u64);
        put(&mut self.bytes, (article - self.written.map_or(0, |(a, _)| a)) as u64);
        put(&mut self.bytes, position as u64);
        self.bytes.append(&mut self.block);
        self.written = self.last;
        self.in_block = 0;
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The memory its bytes take, spare capacity included.
    pub fn bytes_held(&self) -> usize {
        self.bytes.capacity() + self.block.capacity()
    }

    pub fn finish(mut self) -> Vec<u8> {
        self.close_block();
        self.bytes
    }
}

/// Encodes `entries` (sorted, each once).
pub fn encode(entries: &[Entry]) -> Vec<u8> {
    let mut builder = Builder::default();
    for &entry in entries {
        builder.push(entry);
    }
    builder.finish()
}

/// Reads a list's sentences in order, or from a given sentence on, skipping the blocks before it
/// undecoded; stops at the first byte that is not part of a list (then `broken`).
pub struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
    /// The open block's sentences left, where it ends, and its last sentence.
    left: usize,
    block_end: usize,
    block_last: (i64, i32),
    last: Option<(i64, i32)>,
    broken: bool,
}

impl<'a> Cursor<'a> {
    pub fn new(bytes: &'a [u8]) -> Cursor<'a> {
        Cursor { bytes, at: 0, left: 0, block_end: 0, block_last: (0, 0), last: None, broken: false }
    }

    /// Opens the next block; `None` at the end or on bytes that are not a block.
    fn open_block(&mut self) -> Option<()> {
        let count = usize::try_from(take(self.bytes, &mut self.at)?).ok()?;
        let size = usize::try_from(take(self.bytes, &mut self.at)?).ok()?;
        let step = i64::try_from(take(self.bytes, &mut self.at)?).ok()?;
        let position = i32::try_from(take(self.bytes, &mut self.at)?).ok()?;
        let article = self.last.map_or(0, |(a, _)| a).checked_add(step)?;
        let end = self.at.checked_add(size).filter(|&end| end <= self.bytes.len())?;
        if count == 0 || count > BLOCK || self.last.is_some_and(|last| (article, position) <= last) {
            return None;
        }
        (self.left, self.block_end, self.block_last) = (count, end, (article, position));
        Some(())
    }

    /// Whether a block with sentences left is open, the next one opened when needed: false at
    /// the end of the list, or on bytes that are not a block (then `broken`).
    fn has_block(&mut self) -> bool {
        if self.broken || (self.left == 0 && self.at >= self.bytes.len()) {
            return false;
        }
        if self.left == 0 {
            self.broken = self.open_block().is_none();
        }
        !self.broken
    }

    /// Passes over the open block without decoding it.
    fn skip_block(&mut self) {
        self.at = self.block_end;
        self.last = Some(self.block_last);
        self.left = 0;
    }

    fn read(&mut self) -> Option<Entry> {
        let (bytes, at) = (self.bytes, &mut self.at);
        let step = take(bytes, at)?;
        let position = take(bytes, at)?;
        let length = u32::try_from(take(bytes, at)?).ok()?;
        let (article, position) = match self.last {
            Some((article, last_position)) if step == 0 => (article, last_position.checked_add(i32::try_from(position).ok()?)?),
            Some((article, _)) => (article.checked_add(i64::try_from(step).ok()?)?, i32::try_from(position).ok()?),
            None => (i64::try_from(step).ok()?, i32::try_from(position).ok()?),
        };
        if self.last.is_some_and(|last| (article, position) <= last) {
            return None;
        }
        self.left -= 1;
        // A block must end where its header says, at the sentence it names.
        if *at > self.block_end
            || (self.left == 0) != (*at == self.block_end)
            || (self.left == 0 && (article, position) != self.block_last) {
            return None;
        }
        self.last = Some((article, position));
        Some(Entry { article, position, length })
    }

    /// The first sentence at or after `target`'s place, passing over whole blocks that end before it.
    pub fn seek(&mut self, target: &Entry) -> Option<Entry> {
        loop {
            if !self.has_block() {
                return None;
            }
            if self.block_last < (target.article, target.position) {
                self.skip_block();
                continue;
            }
            let entry = self.next()?;
            if entry.order(target) != Ordering::Less {
                return Some(entry);
            }
        }
    }
}

impl Iterator for Cursor<'_> {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        if !self.has_block() {
            return None;
        }
        let entry = self.read();
        self.broken = entry.is_none();
        entry
    }
}

/// Decodes a list; `None` when the bytes are not one (cut short, or a value out of range).
pub fn decode(bytes: &[u8]) -> Option<Vec<Entry>> {
    let mut cursor = Cursor::new(bytes);
    let mut entries = Vec::with_capacity(bytes.len() / 3);
    entries.extend(cursor.by_ref());
    (!cursor.broken).then_some(entries)
}

/// Whether `bytes` are a list (what `decode` reads without `None`), checked without allocating.
pub fn is_list(bytes: &[u8]) -> bool {
    let mut cursor = Cursor::new(bytes);
    cursor.by_ref().for_each(drop);
    !cursor.broken
}

fn put(bytes: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        bytes.push((value as u8) | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}

fn take(bytes: &[u8], at: &mut usize) -> Option<u64> {
    // Most values are under 128: one byte.
    let first = *bytes.get(*at)?;
    *at += 1;
    if first & 0x80 == 0 {
        return Some(u64::from(first));
    }
    let mut value = u64::from(first & 0x7f);
    for shift in (7..64).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// The sentences of either list, each once.
pub fn union(a: &[Entry], b: &[Entry]) -> Vec<Entry> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].order(&b[j]) {
            Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(article: i64, position: i32, length: u32) -> Entry {
        Entry { article, position, length }
    }

    #[test]
    fn a_list_reads_back_as_written_in_about_three_bytes_a_sentence() {
        let entries: Vec<Entry> =
            (0..1_000).flat_map(|article| (0..5).map(move |position| entry(article * 3 + 1, position * 2, 7 + position as u32))).collect();
        let bytes = encode(&entries);
        assert_eq!(decode(&bytes), Some(entries.clone()));
        assert!(bytes.len() * 10 <= entries.len() * 32, "{} bytes for {} sentences", bytes.len(), entries.len());
        let far = vec![entry(0, 0, 0), entry(i64::from(u32::MAX) * 4, i32::MAX, u32::MAX)];
        assert_eq!(decode(&encode(&far)), Some(far));
        assert_eq!(decode(&[]), Some(Vec::new()));
    }

    #[test]
    fn bytes_that_are_not_a_list_are_refused_not_misread() {
        let bytes = encode(&[entry(5, 1, 9), entry(5, 3, 12)]);
        assert_eq!(decode(&bytes[..bytes.len() - 1]), None, "cut short");
        assert_eq!(decode(&[0x80; 12]), None, "a varint that never ends");
        // A block of two sentences, the second at the same place as the first.
        assert_eq!(decode(&[2, 6, 5, 1, 5, 1, 9, 0, 0, 12]), None);
        // A block whose header names another last sentence than its own.
        assert_eq!(decode(&[2, 6, 5, 3, 5, 1, 9, 0, 1, 12]), None);
        assert_eq!(decode(&[2, 6, 5, 2, 5, 1, 9, 0, 1, 12]), Some(vec![entry(5, 1, 9), entry(5, 2, 12)]));
        let mut builder = Builder::default();
        assert!(builder.push(entry(2, 4, 1)));
        assert!(!builder.push(entry(2, 4, 1)), "a repeated sentence");
        assert!(!builder.push(entry(1, 9, 1)), "out of order");
        assert_eq!(builder.len(), 1);
    }

    /// Those of `entries` (sorted) that the list `bytes` holds, by index, each found by seeking.
    fn held(entries: &[Entry], bytes: &[u8]) -> Vec<usize> {
        let mut list = Cursor::new(bytes);
        let mut next: Option<Entry> = None;
        let mut held = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            if next.is_none_or(|next| next.order(entry) == Ordering::Less) {
                next = list.seek(entry);
            }
            match next {
                Some(found) if found.order(entry) == Ordering::Equal => held.push(i),
                Some(_) => {}
                None => break,
            }
        }
        held
    }

    #[test]
    fn looking_for_few_sentences_in_a_long_list_finds_exactly_those_it_holds() {
        // A small linear congruential generator: the same lists every run.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |below: u64| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % below
        };
        for round in 0..40 {
            let (long, short) = (1 + next(5_000) as usize, 1 + next(if round % 2 == 0 { 50 } else { 5_000 }) as usize);
            let mut draw = |count: usize| {
                let mut entries: Vec<Entry> =
                    (0..count).map(|_| entry(next(3_000) as i64, next(40) as i32, next(300) as u32)).collect();
                entries.sort_by_key(|e| (e.article, e.position));
                entries.dedup_by_key(|e| (e.article, e.position));
                entries
            };
            let (list, wanted) = (draw(long), draw(short));
            let bytes = encode(&list);
            assert_eq!(decode(&bytes).as_ref(), Some(&list));
            let held = held(&wanted, &bytes);
            let expected: Vec<usize> =
                (0..wanted.len()).filter(|&i| list.iter().any(|e| e.order(&wanted[i]) == Ordering::Equal)).collect();
            assert_eq!(held, expected, "round {round}");
        }
    }

    #[test]
    fn lists_combine_as_sets_of_sentences() {
        let a = [entry(1, 0, 5), entry(1, 2, 6), entry(3, 1, 7), entry(9, 0, 8)];
        let b = [entry(1, 2, 6), entry(2, 0, 4), entry(9, 0, 8), entry(9, 1, 3)];
        let places = |list: &[Entry]| list.iter().map(|e| (e.article, e.position)).collect::<Vec<_>>();
        assert_eq!(places(&union(&a, &b)), [(1, 0), (1, 2), (2, 0), (3, 1), (9, 0), (9, 1)]);
        assert_eq!(held(&a, &encode(&b)), [1, 3]);
        assert!(held(&a, &[]).is_empty(), "an empty list holds nothing");
        assert!(is_list(&encode(&a)) && !is_list(&[0x80]));
    }
}
