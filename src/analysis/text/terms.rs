//! Index terms: the normalised form of a word under which sentences are indexed and searched.

use std::hash::{BuildHasherDefault, Hasher};

use crate::analysis::text::{is_stopword, term_of};

/// Hashes index terms for the search index's dictionaries: FNV-1a, several times faster than
/// the default SipHash on words of a few bytes. The keys are the corpus's own words, not input
/// an attacker shapes against a server, so a keyed hash buys nothing here.
pub type TermHasher = BuildHasherDefault<Fnv1a>;

#[derive(Clone, Copy)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The index form of a word: lowercase, thousands separators dropped from numbers, and a light
/// stem (`attacked`, `attacks` → `attack`; `homes` → `home`) so that inflections find each other.
pub fn index_term(word: &str) -> String {
    stem(plain_term(word))
}

/// A word's lowercase form without a stem: what stop lists and lexicons are written in.
pub fn plain_term(word: &str) -> String {
    let term = term_of(word);
    if term.starts_with(|c: char| c.is_ascii_digit()) && term.contains(',') {
        term.replace(',', "")
    } else {
        term
    }
}

/// Strips one common English suffix, keeping stems of at least four letters; never touches
/// stop words, numbers or short words. Deliberately light: a wrong merge costs precision.
pub fn stem(term: String) -> String {
    if term.len() <= 4 || is_stopword(&term) || !term.bytes().all(|b| b.is_ascii_lowercase()) {
        return term;
    }
    let undouble = |stem: &str| -> String {
        let bytes = stem.as_bytes();
        let n = bytes.len();
        if n >= 5 && bytes[n - 1] == bytes[n - 2] && !matches!(bytes[n - 1], b'l' | b's' | b'z') {
            stem[..n - 1].to_string()
        } else {
            stem.to_string()
        }
    };
    if let Some(stem) = term.strip_suffix("ies").filter(|s| s.len() >= 3) {
        return format!("{stem}y");
    }
    if let Some(stem) = term.strip_suffix("ing").filter(|s| s.len() >= 4) {
        return undouble(stem);
    }
    if let Some(stem) = term.strip_suffix("ed").filter(|s| s.len() >= 4) {
        return undouble(stem);
    }
    if let Some(stem) =
        term.strip_suffix("es").filter(|s| s.len() >= 4 && (s.ends_with(['s', 'x', 'z']) || s.ends_with("ch") || s.ends_with("sh")))
    {
        return stem.to_string();
    }
    if term.ends_with('s') && !term.ends_with("ss") && !term.ends_with("us") && !term.ends_with("is") {
        return term[..term.len() - 1].to_string();
    }
    term
}
