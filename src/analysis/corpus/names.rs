//! "Did you mean": the names an article can be cited by that are close to an unknown key.
//!
//! A note full of mistyped keys asks for each one; comparing a key with every name of a large
//! corpus costs a scan of tens of thousands of edit distances a key. Two strings within two edits
//! of each other become equal once at most two characters are deleted from each (a substitution
//! is a deletion from both), so every name is indexed under the hashes of its deletion variants
//! (SymSpell's observation), and only the names that share a variant with the key are measured.
//! Long names, whose variants would be many, are cut in three parts and indexed by the first
//! `PIECE` characters of each part and where the part starts: two edits touch at most two parts,
//! so a key within two edits of a name holds one of the name's parts intact, shifted by at most
//! two characters (the pigeonhole principle). Only the long names with a part's start at one of
//! the key's runs of `PIECE` characters, within two of where the run is, are measured.

/// Suggestions are at most this many edits away.
const MAX_EDITS: usize = 2;
/// Names up to this many characters are indexed by their deletion variants.
const INDEXED_CHARS: usize = 16;
/// A long name's parts are indexed by their first this many characters: no more than the
/// shortest third of a long name (`(INDEXED_CHARS + 1) / 3`).
const PIECE: usize = 5;

#[derive(Debug, Default)]
pub struct NameNeighbours {
    /// Every name, sorted (names that start with a key are a range), one after another: one
    /// string each took 11 MB for the 200,000 names of 100,000 articles.
    sorted: String,
    /// Where each name of `sorted` starts; the last entry is `sorted`'s length.
    starts: Vec<u32>,
    /// (hash of a deletion variant, index into `sorted`), sorted by hash. Hashes are folded to 32
    /// bits: a collision only adds a name to measure, and at 100,000 articles the two lists took
    /// 73 MB with 64-bit hashes, 45 MB now.
    variants: Vec<(u32, u32)>,
    /// (hash of the first `PIECE` characters of one of the three parts of a name longer than
    /// `INDEXED_CHARS`, index into `sorted`, character position of the part), sorted by hash.
    /// Three entries a long name; every run of `PIECE` characters took 19 for a news stem
    /// (`000123_7bccf2caa1c7ca91`), 23 MB at 100,000 articles.
    pieces: Vec<(u32, u32, u32)>,
}

impl NameNeighbours {
    pub fn new<'a>(names: impl Iterator<Item = &'a str>) -> NameNeighbours {
        let mut names: Vec<&str> = names.collect();
        names.sort_unstable();
        names.dedup();
        let mut sorted = String::with_capacity(names.iter().map(|name| name.len()).sum());
        let mut starts = Vec::with_capacity(names.len() + 1);
        for name in &names {
            starts.push(sorted.len() as u32);
            sorted.push_str(name);
        }
        starts.push(sorted.len() as u32);
        // Sized before they are filled: doubling a vector of 100,000 names' variants held both
        // copies at once, the server's peak.
        let mut hashes = Vec::new();
        let mut counts = (0, 0);
        for name in &names {
            let chars = name.chars().count();
            if chars > INDEXED_CHARS {
                counts.1 += MAX_EDITS + 1;
            } else {
                deletion_variants(&name.chars().collect::<Vec<_>>(), &mut hashes);
                counts.0 += hashes.len();
            }
        }
        let mut variants = Vec::with_capacity(counts.0);
        let mut pieces = Vec::with_capacity(counts.1);
        for (index, name) in names.iter().enumerate() {
            let chars: Vec<char> = name.chars().collect();
            if chars.len() > INDEXED_CHARS {
                for start in part_starts(chars.len()) {
                    pieces.push((hash_chars(&chars[start..start + PIECE]), index as u32, start as u32));
                }
                continue;
            }
            deletion_variants(&chars, &mut hashes);
            variants.extend(hashes.iter().map(|&hash| (hash, index as u32)));
        }
        variants.sort_unstable();
        pieces.sort_unstable();
        NameNeighbours { sorted, starts, variants, pieces }
    }

    fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Name `index` of the sorted names.
    fn name(&self, index: usize) -> &str {
        &self.sorted[self.starts[index] as usize..self.starts[index + 1] as usize]
    }

    /// Index of the first name not before `key`.
    fn first_from(&self, key: &str) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = (low + high) / 2;
            if self.name(middle) < key {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }

    /// Names close to `key`, best first: within two edits, or one a prefix of the other (scored
    /// by the difference in length, at most two).
    pub fn similar<'a>(&'a self, key: &str, limit: usize) -> Vec<&'a str> {
        let key_chars: Vec<char> = key.chars().collect();
        let mut scored: Vec<(usize, &'a str)> = Vec::new();
        let prefix_score = |name: &str| name.len().abs_diff(key.len()).min(MAX_EDITS);
        // Names that start with the key, then names the key starts with.
        let from = self.first_from(key);
        for name in (from..self.len()).map(|index| self.name(index)).take_while(|name| name.starts_with(key)) {
            scored.push((prefix_score(name), name));
        }
        for (end, _) in key.char_indices().skip(1) {
            let index = self.first_from(&key[..end]);
            if index < self.len() && self.name(index) == &key[..end] {
                scored.push((prefix_score(self.name(index)), self.name(index)));
            }
        }
        let mut candidates: Vec<u32> = Vec::new();
        if key_chars.len() <= INDEXED_CHARS + MAX_EDITS {
            let mut hashes = Vec::new();
            deletion_variants(&key_chars, &mut hashes);
            for hash in hashes {
                let start = self.variants.partition_point(|&(h, _)| h < hash);
                candidates.extend(self.variants[start..].iter().take_while(|&&(h, _)| h == hash).map(|&(_, index)| index));
            }
        }
        if key_chars.len() + MAX_EDITS > INDEXED_CHARS {
            // One of the name's parts is intact in the key, two characters from its place at most.
            for (start, run) in key_chars.windows(PIECE).enumerate() {
                let hash = hash_chars(run);
                let first = self.pieces.partition_point(|&(h, _, _)| h < hash);
                let near = self.pieces[first..]
                    .iter()
                    .take_while(|&&(h, _, _)| h == hash)
                    .filter(|&&(_, _, at)| (at as usize).abs_diff(start) <= MAX_EDITS)
                    .map(|&(_, index, _)| index);
                candidates.extend(near);
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        for index in candidates {
            let name = self.name(index as usize);
            // Prefixes were scored above, as prefixes.
            if name.starts_with(key) || key.starts_with(name) {
                continue;
            }
            if let Some(distance) = bounded_edit_distance(&key_chars, name, MAX_EDITS) {
                scored.push((distance, name));
            }
        }
        scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        scored.dedup_by(|a, b| a.1 == b.1);
        scored.into_iter().take(limit).map(|(_, name)| name).collect()
    }
}

/// Where each of the `MAX_EDITS + 1` parts of a name of `length` characters starts.
fn part_starts(length: usize) -> impl Iterator<Item = usize> {
    (0..=MAX_EDITS).map(move |part| length * part / (MAX_EDITS + 1))
}

/// FNV-1a of a run of characters, folded to 32 bits.
fn hash_chars(chars: &[char]) -> u32 {
    folded(chars.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &c| (hash ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3)))
}

fn folded(hash: u64) -> u32 {
    (hash ^ (hash >> 32)) as u32
}

/// The hashes of `chars` with any zero, one or two characters deleted, deduplicated.
fn deletion_variants(chars: &[char], hashes: &mut Vec<u32>) {
    hashes.clear();
    let hash_without = |skip: &[usize]| {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for (i, &c) in chars.iter().enumerate() {
            if !skip.contains(&i) {
                hash = (hash ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        folded(hash)
    };
    hashes.push(hash_without(&[]));
    for i in 0..chars.len() {
        hashes.push(hash_without(&[i]));
        for j in i + 1..chars.len() {
            hashes.push(hash_without(&[i, j]));
        }
    }
    hashes.sort_unstable();
    hashes.dedup();
}

/// The Levenshtein distance between `a` and `b` when it is at most `max`; `None` beyond, decided
/// as soon as a whole row exceeds it.
fn bounded_edit_distance(a: &[char], b: &str, max: usize) -> Option<usize> {
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        current[0] = i + 1;
        let mut row_min = current[0];
        for (j, &cb) in b.iter().enumerate() {
            current[j + 1] = (previous[j] + usize::from(ca != cb)).min(previous[j + 1] + 1).min(current[j] + 1);
            row_min = row_min.min(current[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    (previous[b.len()] <= max).then_some(previous[b.len()])
}

/// The answer of a full scan, as the index must give it: every name measured.
#[cfg(test)]
fn similar_by_scan<'a>(names: &'a [String], key: &str, limit: usize) -> Vec<&'a str> {
    let key_chars: Vec<char> = key.chars().collect();
    let mut scored: Vec<(usize, &str)> = names
        .iter()
        .filter_map(|name| {
            if name.starts_with(key) || key.starts_with(name.as_str()) {
                return Some((name.len().abs_diff(key.len()).min(MAX_EDITS), name.as_str()));
            }
            bounded_edit_distance(&key_chars, name, MAX_EDITS).map(|distance| (distance, name.as_str()))
        })
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(limit).map(|(_, name)| name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_answers_as_a_scan_of_every_name_would() {
        // Names as corpora have them: numbered stems, their short keys, front-matter ids, long
        // stems, non-ASCII letters.
        let mut names: Vec<String> = Vec::new();
        for n in 0..400u32 {
            names.push(format!("{n:06}"));
            names.push(format!("{n:06}_{:016x}", u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15)));
        }
        names.extend(["narvik-flood", "crocus-city-hall-attack-2024", "réseau", "réseaux", "tarsk", "a"].map(String::from));
        let index = NameNeighbours::new(names.iter().map(String::as_str));
        names.sort();
        let keys = [
            "000123",
            "000132",
            "00012",
            "0001234",
            "001",
            "0",
            "",
            "narvik-fold",
            "narvikflood",
            "crocus-city-hall-atack-2024",
            "crocus-city-hall-attack-2042",
            "reseau",
            "réseua",
            "tarks",
            "b",
            "000399_9e3779b97f4a7c15",
            "zzz",
            "é",
            "000007_0000000000000000",
        ];
        for key in keys {
            assert_eq!(index.similar(key, 5), similar_by_scan(&names, key, 5), "suggestions for {key:?}");
        }
        // Every edit of one or two characters of a long stem, wherever they fall: deletions,
        // insertions, substitutions, at the start, in the middle, at the end.
        let stem: Vec<char> = names.iter().find(|n| n.starts_with("000123_")).unwrap().chars().collect();
        let mut edited: Vec<String> = Vec::new();
        for i in 0..stem.len() {
            for j in (i..stem.len()).step_by(4) {
                let mut deleted = stem.clone();
                deleted.remove(j);
                if j > i {
                    deleted.remove(i);
                }
                let mut substituted = stem.clone();
                substituted[i] = 'x';
                substituted[j] = 'é';
                let mut inserted = stem.clone();
                inserted.insert(j, '-');
                inserted.insert(i, '9');
                edited.extend([deleted, substituted, inserted].map(|chars| chars.into_iter().collect::<String>()));
            }
        }
        for key in &edited {
            let found = index.similar(key, 5);
            assert_eq!(found, similar_by_scan(&names, key, 5), "suggestions for {key:?}");
            assert!(found.iter().any(|name| name.starts_with("000123_")), "the stem is found for {key:?}");
        }
    }

    #[test]
    fn deletions_of_two_characters_meet_in_the_middle() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        deletion_variants(&"000123".chars().collect::<Vec<_>>(), &mut a);
        deletion_variants(&"010132".chars().collect::<Vec<_>>(), &mut b);
        assert!(a.iter().any(|h| b.contains(h)), "two substitutions apart: one shared variant");
        assert_eq!(a.len(), 1 + 4 + 7, "a variant made twice (deleting one zero or another) is kept once");
    }
}
