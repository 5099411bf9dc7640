//! Counts of texts seen before, by content hash: a conversation resends every earlier message
//! on each call (agent loops, chats), so without a cache the work per call grows with the
//! whole history; with it, with the new content only. The bounded, sharded store is
//! [`llmo_schema::memo`]; a count is keyed by the counter's name and the text.

use llmo_schema::memo::{name_seed, Memo};

use crate::count::Counter;

/// Bounded counts of texts by content hash.
pub struct TextCache(Memo<u32>);

impl TextCache {
    /// A cache of at most `entries` counts (about 40 bytes each); 0 caches nothing.
    pub fn new(entries: usize) -> Self {
        Self(Memo::new(entries))
    }

    /// The count of `s` by `counter` (named `id`, which must tell encodings and tokenizer
    /// files apart), from the cache when `s` was counted before.
    pub fn count(&self, id: &str, counter: &dyn Counter, s: &str) -> usize {
        // the counter's name seeds the hash of the text: another encoding is another key
        self.0.get_or_insert_with(name_seed(id), s.as_bytes(), || {
            u32::try_from(counter.count(s)).unwrap_or(u32::MAX)
        }) as usize
    }

    /// Counts currently held.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when nothing is held.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A [`Counter`] that asks the cache first.
pub struct Cached<'a> {
    /// The cache.
    pub cache: &'a TextCache,
    /// Tells the counter apart in the cache (encoding or tokenizer file name).
    pub id: &'a str,
    /// The counter.
    pub inner: &'a dyn Counter,
}

impl Counter for Cached<'_> {
    fn count(&self, s: &str) -> usize {
        self.cache.count(self.id, self.inner, s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// Counts words and how often it was asked.
    struct Words(Cell<usize>);
    impl Counter for Words {
        fn count(&self, s: &str) -> usize {
            self.0.set(self.0.get() + 1);
            s.split_whitespace().count()
        }
    }

    fn long(i: usize) -> String {
        format!("message number {i} of a conversation that is resent on every turn ").repeat(2)
    }

    #[test]
    fn a_resent_text_is_counted_once_and_counts_stay_right() {
        let c = TextCache::new(1024);
        let w = Words(Cell::new(0));
        let history: Vec<String> = (0..30).map(long).collect();
        let mut total_asked = 0;
        for turn in 1..=history.len() {
            let before = w.0.get();
            for m in &history[..turn] {
                assert_eq!(c.count("o200k_base", &w, m), m.split_whitespace().count());
            }
            // only the new message reaches the counter
            assert_eq!(w.0.get() - before, 1, "turn {turn}");
            total_asked += 1;
        }
        assert_eq!(w.0.get(), total_asked);
        // another encoding is another count
        c.count("cl100k_base", &w, &history[0]);
        assert_eq!(w.0.get(), total_asked + 1);
    }

    #[test]
    fn short_texts_bypass_and_memory_is_bounded() {
        let c = TextCache::new(64);
        let w = Words(Cell::new(0));
        c.count("e", &w, "short");
        c.count("e", &w, "short");
        assert_eq!(w.0.get(), 2);
        assert!(c.is_empty());
        for i in 0..10_000 {
            c.count("e", &w, &long(i));
        }
        assert!(c.len() <= 64, "{}", c.len());
        let off = TextCache::new(0);
        off.count("e", &w, &long(1));
        assert!(off.is_empty());
    }
}
