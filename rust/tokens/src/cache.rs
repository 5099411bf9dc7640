//! Counts of texts seen before, by content hash: a conversation resends every earlier message
//! on each call (agent loops, chats), so without a cache the work per call grows with the
//! whole history; with it, with the new content only.
//!
//! Keyed by a 128-bit XXH3 hash of the counter's name and the text (a wrong count needs a
//! 128-bit collision; one pass at memory speed), bounded in entries, sharded
//! so that the collector's concurrent batches rarely wait on one lock. A full shard is
//! emptied and starts over: the cost is recounting, never a wrong count or unbounded memory.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::count::Counter;

/// Texts shorter than this are counted directly: hashing would cost about as much.
pub const MIN_CACHED_BYTES: usize = 64;

const SHARDS: usize = 16;

/// Bounded counts of texts by content hash.
pub struct TextCache {
    shards: Vec<Mutex<HashMap<u128, u32>>>,
    per_shard: usize,
}

impl TextCache {
    /// A cache of at most `entries` counts (about 40 bytes each); 0 caches nothing.
    pub fn new(entries: usize) -> Self {
        Self {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            per_shard: entries.div_ceil(SHARDS),
        }
    }

    /// The count of `s` by `counter` (named `id`, which must tell encodings and tokenizer
    /// files apart), from the cache when `s` was counted before.
    pub fn count(&self, id: &str, counter: &dyn Counter, s: &str) -> usize {
        if self.per_shard == 0 || s.len() < MIN_CACHED_BYTES {
            return counter.count(s);
        }
        let key = key(id, s);
        let shard = &self.shards[(key as usize) % SHARDS];
        // a poisoned lock only means another thread panicked mid-insert: the map is intact
        if let Some(n) = shard.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return *n as usize;
        }
        let n = counter.count(s);
        let mut map = shard.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() >= self.per_shard {
            map.clear();
        }
        map.insert(key, u32::try_from(n).unwrap_or(u32::MAX));
        n
    }

    /// Counts currently held.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|e| e.into_inner()).len())
            .sum()
    }

    /// True when nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn key(id: &str, s: &str) -> u128 {
    // the counter's name seeds the hash of the text: another encoding is another key
    xxhash_rust::xxh3::xxh3_128_with_seed(s.as_bytes(), xxhash_rust::xxh3::xxh3_64(id.as_bytes()))
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
