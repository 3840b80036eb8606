//! A common term's sentences as one stored value (schema 5): the archive's answer to a search
//! of common words. Read through the GIN index, each sentence holding a term is a visit to the
//! sentence table: at 100,000 articles a common word's 20,000–200,000 sentences took 100–370 ms
//! on two shared cores. Stored as one compact list (about 3 bytes a sentence), the same sentences
//! are one read of a few hundred kilobytes, and the search runs over them in the reader.
//!
//! A list holds every sentence holding its term, sorted by article and position, each as the
//! article's archive id, the sentence's position and its length in words, varint-coded: the
//! article as a difference from the one before, the position as a difference when the article is
//! the same (sentences come in order), the length as it is.

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

/// Builds a list from sentences given in order (article, then position).
#[derive(Debug, Default)]
pub struct Builder {
    bytes: Vec<u8>,
    last: Option<(i64, i32)>,
    count: usize,
}

impl Builder {
    /// Appends a sentence; one out of order (or repeated) is refused, as a list must be sorted.
    pub fn push(&mut self, entry: Entry) -> bool {
        match self.last {
            Some((article, position)) if (entry.article, entry.position) <= (article, position) => return false,
            Some((article, position)) if entry.article == article => {
                put(&mut self.bytes, 0);
                put(&mut self.bytes, (entry.position - position) as u64);
            }
            Some((article, _)) => {
                put(&mut self.bytes, (entry.article - article) as u64);
                put(&mut self.bytes, entry.position.max(0) as u64);
            }
            None => {
                put(&mut self.bytes, entry.article.max(0) as u64);
                put(&mut self.bytes, entry.position.max(0) as u64);
            }
        }
        put(&mut self.bytes, u64::from(entry.length));
        self.last = Some((entry.article, entry.position));
        self.count += 1;
        true
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn finish(self) -> Vec<u8> {
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

/// Decodes a list; `None` when the bytes are not one (cut short, or a value out of range).
pub fn decode(bytes: &[u8]) -> Option<Vec<Entry>> {
    let mut entries = Vec::with_capacity(bytes.len() / 3);
    let mut at = 0;
    let mut last: Option<(i64, i32)> = None;
    while at < bytes.len() {
        let step = take(bytes, &mut at)?;
        let position = take(bytes, &mut at)?;
        let length = u32::try_from(take(bytes, &mut at)?).ok()?;
        let (article, position) = match last {
            Some((article, last_position)) if step == 0 => (article, last_position.checked_add(i32::try_from(position).ok()?)?),
            Some((article, _)) => (article.checked_add(i64::try_from(step).ok()?)?, i32::try_from(position).ok()?),
            None => (i64::try_from(step).ok()?, i32::try_from(position).ok()?),
        };
        if last.is_some_and(|last| (article, position) <= last) {
            return None;
        }
        last = Some((article, position));
        entries.push(Entry { article, position, length });
    }
    Some(entries)
}

fn put(bytes: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        bytes.push((value as u8) | 0x80);
        value >>= 7;
    }
    bytes.push(value as u8);
}

fn take(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
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

/// The sentences of both lists.
pub fn intersection(a: &[Entry], b: &[Entry]) -> Vec<Entry> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut out = Vec::with_capacity(small.len());
    let mut from = 0;
    for entry in small {
        // Galloping would pay only when one list is far shorter; a binary search of what is left does.
        match large[from..].binary_search_by(|probe| probe.order(entry)) {
            Ok(found) => {
                out.push(*entry);
                from += found + 1;
            }
            Err(insert) => from += insert,
        }
        if from >= large.len() {
            break;
        }
    }
    out
}

/// The sentences of `a` not in `b`.
pub fn difference(a: &[Entry], b: &[Entry]) -> Vec<Entry> {
    let mut out = Vec::with_capacity(a.len());
    let mut j = 0;
    for entry in a {
        while j < b.len() && b[j].order(entry) == Ordering::Less {
            j += 1;
        }
        if j < b.len() && b[j].order(entry) == Ordering::Equal {
            continue;
        }
        out.push(*entry);
    }
    out
}

/// Whether `list` holds the sentence of `entry`.
pub fn holds(list: &[Entry], entry: &Entry) -> bool {
    list.binary_search_by(|probe| probe.order(entry)).is_ok()
}

/// Adds `weight` to `sums[i]` for each `candidates[i]` that `list` holds (both sorted).
pub fn add_where_held(candidates: &[Entry], list: &[Entry], weight: f64, sums: &mut [f64]) {
    let mut j = 0;
    for (i, entry) in candidates.iter().enumerate() {
        while j < list.len() && list[j].order(entry) == Ordering::Less {
            j += 1;
        }
        if j == list.len() {
            break;
        }
        if list[j].order(entry) == Ordering::Equal {
            sums[i] += weight;
        }
    }
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
        assert!(bytes.len() <= entries.len() * 3, "{} bytes for {} sentences", bytes.len(), entries.len());
        let far = vec![entry(0, 0, 0), entry(i64::from(u32::MAX) * 4, i32::MAX, u32::MAX)];
        assert_eq!(decode(&encode(&far)), Some(far));
        assert_eq!(decode(&[]), Some(Vec::new()));
    }

    #[test]
    fn bytes_that_are_not_a_list_are_refused_not_misread() {
        let bytes = encode(&[entry(5, 1, 9), entry(5, 3, 12)]);
        assert_eq!(decode(&bytes[..bytes.len() - 1]), None, "cut short");
        assert_eq!(decode(&[0x80; 12]), None, "a varint that never ends");
        // A second sentence at the same place as the first.
        assert_eq!(decode(&[5, 1, 9, 0, 0, 12]), None);
        let mut builder = Builder::default();
        assert!(builder.push(entry(2, 4, 1)));
        assert!(!builder.push(entry(2, 4, 1)), "a repeated sentence");
        assert!(!builder.push(entry(1, 9, 1)), "out of order");
        assert_eq!(builder.len(), 1);
    }

    #[test]
    fn lists_combine_as_sets_of_sentences() {
        let a = [entry(1, 0, 5), entry(1, 2, 6), entry(3, 1, 7), entry(9, 0, 8)];
        let b = [entry(1, 2, 6), entry(2, 0, 4), entry(9, 0, 8), entry(9, 1, 3)];
        let places = |list: &[Entry]| list.iter().map(|e| (e.article, e.position)).collect::<Vec<_>>();
        assert_eq!(places(&union(&a, &b)), [(1, 0), (1, 2), (2, 0), (3, 1), (9, 0), (9, 1)]);
        assert_eq!(places(&intersection(&a, &b)), [(1, 2), (9, 0)]);
        assert_eq!(places(&intersection(&b, &a)), [(1, 2), (9, 0)]);
        assert_eq!(places(&difference(&a, &b)), [(1, 0), (3, 1)]);
        assert!(holds(&a, &entry(3, 1, 0)) && !holds(&a, &entry(3, 2, 0)));
        let mut sums = vec![0.0; a.len()];
        add_where_held(&a, &b, 0.5, &mut sums);
        assert_eq!(sums, [0.0, 0.5, 0.0, 0.5]);
    }
}
