//! Interned words and phrases: one shared allocation per distinct string in the whole process.
//!
//! Figure statements name what they count with a handful of words (`count`, `percent`, `killed`,
//! `people`), and 100,000 news articles hold millions of statements: a `String` each took an
//! allocation and 24 bytes of header per word, more than the statement's own numbers. An
//! interned word is a pointer to the one copy, compared by address first.
//!
//! What is interned is never freed: the words of figures are a vocabulary, bounded by the
//! language of the corpus more than by its size (see `interned`).

use std::borrow::Borrow;
use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::{Arc, LazyLock, Mutex};

static WORDS: LazyLock<Mutex<HashSet<Arc<str>>>> = LazyLock::new(Default::default);
static PHRASES: LazyLock<Mutex<HashSet<Arc<[Word]>>>> = LazyLock::new(Default::default);

/// The one shared copy of `key` in `set`, made from `make` the first time.
fn intern<T: ?Sized + Hash + Eq, Q: ?Sized + Hash + Eq>(set: &Mutex<HashSet<Arc<T>>>, key: &Q, make: impl FnOnce() -> Arc<T>) -> Arc<T>
where
    Arc<T>: Borrow<Q>,
{
    // A panic elsewhere while the lock was held left the set whole: every insert is one call.
    let mut set = set.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(shared) = set.get(key) {
        return shared.clone();
    }
    let shared = make();
    set.insert(shared.clone());
    shared
}

/// How many distinct words and phrases the process holds, and the bytes of the words' text (for
/// the profiling aids: none is ever freed; 10,107 words in 0.1 MB and 7,102 phrases for every
/// statement of 10,000 news-like articles).
pub fn interned() -> (usize, usize, usize) {
    let words = WORDS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let phrases = PHRASES.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).len();
    (words.len(), phrases, words.iter().map(|word| word.len()).sum())
}

/// A word (or a short name such as `money USD per month`), shared by every statement that uses it.
#[derive(Clone)]
pub struct Word(Arc<str>);

impl Word {
    pub fn new(text: &str) -> Word {
        Word(intern(&WORDS, text, || Arc::from(text)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Word {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Word {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Word {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq for Word {
    fn eq(&self, other: &Word) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl Eq for Word {}

impl PartialEq<str> for Word {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Word {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Word {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Word> for str {
    fn eq(&self, other: &Word) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Word> for &str {
    fn eq(&self, other: &Word) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<Word> for String {
    fn eq(&self, other: &Word) -> bool {
        **self == *other.0
    }
}

/// Hashed as its text, so that a set of words can be asked about a `&str`.
impl Hash for Word {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state)
    }
}

impl PartialOrd for Word {
    fn partial_cmp(&self, other: &Word) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Word {
    fn cmp(&self, other: &Word) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

impl fmt::Debug for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Word {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Word {
    fn from(text: &str) -> Word {
        Word::new(text)
    }
}

impl From<String> for Word {
    fn from(text: String) -> Word {
        Word::new(&text)
    }
}

impl From<&String> for Word {
    fn from(text: &String) -> Word {
        Word::new(text)
    }
}

impl serde::Serialize for Word {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Word {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Word, D::Error> {
        // A word is looked up where the format holds it (the index file's bytes, JSON's
        // unescaped text): no `String` is made for a word already known, which most are.
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = Word;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("a word")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Word, E> {
                Ok(Word::new(text))
            }
        }
        deserializer.deserialize_str(Text)
    }
}

/// A sequence of words (a noun phrase after a figure, its head last), shared like a word: the
/// same few phrases (`people`, `percent`, `seats`) recur across a corpus.
#[derive(Clone)]
pub struct Phrase(Arc<[Word]>);

impl Phrase {
    pub fn new(words: &[Word]) -> Phrase {
        Phrase(intern(&PHRASES, words, || Arc::from(words)))
    }

    pub fn empty() -> Phrase {
        Phrase::new(&[])
    }
}

impl Default for Phrase {
    fn default() -> Phrase {
        Phrase::empty()
    }
}

impl Deref for Phrase {
    type Target = [Word];
    fn deref(&self) -> &[Word] {
        &self.0
    }
}

impl PartialEq for Phrase {
    fn eq(&self, other: &Phrase) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl Eq for Phrase {}

impl Hash for Phrase {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state)
    }
}

impl PartialOrd for Phrase {
    fn partial_cmp(&self, other: &Phrase) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Phrase {
    fn cmp(&self, other: &Phrase) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

impl fmt::Debug for Phrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.iter()).finish()
    }
}

impl<S: AsRef<str>> FromIterator<S> for Phrase {
    fn from_iter<I: IntoIterator<Item = S>>(words: I) -> Phrase {
        let words: Vec<Word> = words.into_iter().map(|w| Word::new(w.as_ref())).collect();
        Phrase::new(&words)
    }
}

impl From<Vec<String>> for Phrase {
    fn from(words: Vec<String>) -> Phrase {
        words.into_iter().collect()
    }
}

impl serde::Serialize for Phrase {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter())
    }
}

impl<'de> serde::Deserialize<'de> for Phrase {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Phrase, D::Error> {
        let words = Vec::<Word>::deserialize(deserializer)?;
        Ok(Phrase::new(&words))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_words_share_one_copy_and_compare_as_text() {
        let a = Word::new("Москва");
        let b = Word::from(String::from("Москва"));
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a, b);
        assert_eq!(a, "Москва");
        assert_eq!("Москва", a);
        assert_ne!(a, Word::new("москва"));
        assert!(Word::new("count") < Word::new("date"));
        assert_eq!(format!("{a} {a:?}"), "Москва \"Москва\"");
    }

    #[test]
    fn phrases_share_one_copy_and_read_as_their_words() {
        let a: Phrase = ["flood", "alerts"].into_iter().collect();
        let b = Phrase::from(vec!["flood".to_string(), "alerts".to_string()]);
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert_eq!(a.last().map(Word::as_str), Some("alerts"));
        assert!(Phrase::default().is_empty());
        assert_ne!(a, Phrase::empty());
    }

    #[test]
    fn words_and_phrases_serialise_as_plain_text() {
        let phrase: Phrase = ["“quoted”", "seats"].into_iter().collect();
        let json = serde_json::to_string(&phrase).unwrap();
        assert_eq!(json, r#"["“quoted”","seats"]"#);
        let back: Phrase = serde_json::from_str(&json).unwrap();
        assert_eq!(back, phrase);
        let escaped: Word = serde_json::from_str(r#""a\"b""#).unwrap();
        assert_eq!(escaped, "a\"b");
        let bytes = postcard::to_allocvec(&phrase).unwrap();
        assert_eq!(postcard::from_bytes::<Phrase>(&bytes).unwrap(), phrase);
    }
}
