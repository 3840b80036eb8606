//! A bounded memo that a snapshot keeps for a check: it changes how often work is done, never an
//! answer, and a new snapshot (or a clone of one) starts empty.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

pub struct Memo<K, V> {
    entries: Mutex<HashMap<K, V>>,
    /// Entries kept at most; a full memo is emptied rather than aged, which is cheap and rare.
    capacity: usize,
}

impl<K: Hash + Eq, V: Clone> Memo<K, V> {
    pub fn new(capacity: usize) -> Memo<K, V> {
        Memo { entries: Mutex::new(HashMap::new()), capacity }
    }

    pub fn get(&self, key: &K) -> Option<V> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner()).get(key).cloned()
    }

    pub fn put(&self, key: K, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.capacity {
            entries.clear();
        }
        entries.insert(key, value);
    }
}

impl<K: Hash + Eq + Clone, V: Clone> Memo<K, V> {
    /// A memo holding what this one holds, for a snapshot that gives the same answers.
    pub fn carried(&self) -> Memo<K, V> {
        Memo { entries: Mutex::new(self.entries.lock().unwrap_or_else(|p| p.into_inner()).clone()), capacity: self.capacity }
    }
}

impl<K: Hash + Eq, V: Clone> Clone for Memo<K, V> {
    fn clone(&self) -> Self {
        Memo::new(self.capacity)
    }
}

impl<K, V> std::fmt::Debug for Memo<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Memo")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_memo_starts_again_and_a_clone_starts_empty() {
        let memo: Memo<u32, &str> = Memo::new(2);
        memo.put(1, "one");
        memo.put(2, "two");
        assert_eq!(memo.get(&1), Some("one"));
        memo.put(3, "three");
        assert_eq!((memo.get(&1), memo.get(&3)), (None, Some("three")));
        assert_eq!(memo.clone().get(&3), None);
    }
}
