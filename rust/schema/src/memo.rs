//! What a stage worked out for a text it saw before, by content hash.
//!
//! LLM telemetry repeats itself: a conversation resends every earlier message on each call
//! (agent loops, chats), an application sends the same system prompt and tool definitions
//! with every call, and some instrumentations write one prompt under two keys. A stage whose
//! work on a text depends on the text alone (its token count, "no PII in it") keeps the result
//! here, so its cost per call grows with the new content only.
//!
//! Keys are 128-bit XXH3 hashes of the text seeded with what else the result depends on (the
//! counter's name, a per-process random value): a wrong result needs a 128-bit collision, and
//! hashing runs at memory speed. Bounded in entries and sharded, so the collector's concurrent
//! batches rarely wait on one lock; a full shard is emptied and starts over: the cost of a
//! full cache is recomputing, never a wrong result or unbounded memory.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Mutex, MutexGuard};

/// Texts shorter than this are not remembered: hashing would cost about as much as the work.
pub const MIN_MEMO_BYTES: usize = 64;

const SHARDS: usize = 16;

/// Bounded results by content hash.
pub struct Memo<V> {
    shards: Vec<Mutex<HashMap<u128, V, KeyIsHash>>>,
    per_shard: usize,
}

/// The key of a text: `None` when the text is too short to be worth remembering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoKey(u128);

impl<V: Copy> Memo<V> {
    /// A memo of at most `entries` results (rounded up to a multiple of 16); 0 keeps nothing.
    pub fn new(entries: usize) -> Self {
        Self {
            shards: (0..SHARDS)
                .map(|_| Mutex::new(HashMap::default()))
                .collect(),
            per_shard: entries.div_ceil(SHARDS),
        }
    }

    /// The key of `text` under `seed`, or `None` when the memo is off or the text is shorter
    /// than [`MIN_MEMO_BYTES`].
    pub fn key(&self, seed: u64, text: &[u8]) -> Option<MemoKey> {
        (self.per_shard > 0 && text.len() >= MIN_MEMO_BYTES)
            .then(|| MemoKey(xxhash_rust::xxh3::xxh3_128_with_seed(text, seed)))
    }

    /// The result kept for `key`.
    pub fn get(&self, key: MemoKey) -> Option<V> {
        self.shard(key).get(&key.0).copied()
    }

    /// Keeps `value` for `key` (emptying the key's shard first when it is full).
    pub fn insert(&self, key: MemoKey, value: V) {
        let mut map = self.shard(key);
        if map.len() >= self.per_shard {
            map.clear();
        }
        map.insert(key.0, value);
    }

    /// The result for `text` under `seed`: kept, or computed by `f` and kept.
    pub fn get_or_insert_with(&self, seed: u64, text: &[u8], f: impl FnOnce() -> V) -> V {
        let Some(key) = self.key(seed, text) else {
            return f();
        };
        if let Some(v) = self.get(key) {
            return v;
        }
        let v = f();
        self.insert(key, v);
        v
    }

    /// Results currently held.
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

    fn shard(&self, key: MemoKey) -> MutexGuard<'_, HashMap<u128, V, KeyIsHash>> {
        // a poisoned lock only means another thread panicked mid-insert: the map is intact
        self.shards[(key.0 >> 64) as usize % SHARDS]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }
}

/// The seed for results that depend on a name (a tokenizer's, an encoding's).
pub fn name_seed(name: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(name.as_bytes())
}

/// A seed for results that hold within one process only: random, so that texts cannot be
/// prepared to collide with one another ahead of time.
pub fn process_seed() -> u64 {
    use std::hash::BuildHasher;
    std::collections::hash_map::RandomState::new().hash_one(0x6c6c_6d6fu32)
}

/// Hashes short texts for maps that live for one batch (attribute keys and short values that
/// repeat in every item): XXH3 seeded per process, a few nanoseconds per key. Keep such maps
/// bounded: an outsider chooses their contents.
#[derive(Debug, Clone, Copy)]
pub struct TextHash(u64);

impl Default for TextHash {
    fn default() -> Self {
        static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
        TextHash(*SEED.get_or_init(process_seed))
    }
}

impl std::hash::BuildHasher for TextHash {
    type Hasher = TextHasher;
    fn build_hasher(&self) -> TextHasher {
        TextHasher(self.0)
    }
}

/// The hasher of [`TextHash`].
pub struct TextHasher(u64);

impl Hasher for TextHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxhash_rust::xxh3::xxh3_64_with_seed(bytes, self.0);
    }

    fn write_u8(&mut self, b: u8) {
        // the terminator `str` hashes after its bytes
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// The keys are uniform hashes already: the map uses their low bits as they are.
type KeyIsHash = BuildHasherDefault<LowBits>;

#[derive(Default)]
struct LowBits(u64);

impl Hasher for LowBits {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // only u128 keys are hashed (write_u128); kept total for any other use
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u128(&mut self, k: u128) {
        self.0 = k as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn long(i: usize) -> String {
        format!("message number {i} of a conversation that is resent on every turn ").repeat(2)
    }

    #[test]
    fn a_resent_text_is_worked_on_once() {
        let m = Memo::new(1024);
        let work = Cell::new(0);
        let words = |s: &str| {
            work.set(work.get() + 1);
            s.split_whitespace().count()
        };
        let history: Vec<String> = (0..30).map(long).collect();
        for turn in 1..=history.len() {
            let before = work.get();
            for t in &history[..turn] {
                let n = m.get_or_insert_with(7, t.as_bytes(), || words(t));
                assert_eq!(n, t.split_whitespace().count());
            }
            assert_eq!(
                work.get() - before,
                1,
                "turn {turn}: only the new text is worked on"
            );
        }
        // another seed is another result
        m.get_or_insert_with(8, history[0].as_bytes(), || words(&history[0]));
        assert_eq!(work.get(), 31);
    }

    #[test]
    fn short_texts_bypass_and_memory_is_bounded() {
        let m = Memo::new(64);
        assert_eq!(m.key(1, b"short"), None);
        assert!(m.is_empty());
        for i in 0..10_000 {
            m.get_or_insert_with(1, long(i).as_bytes(), || i);
        }
        assert!(m.len() <= 64, "{}", m.len());
        let off = Memo::<()>::new(0);
        assert_eq!(off.key(1, long(1).as_bytes()), None);
        off.get_or_insert_with(1, long(1).as_bytes(), || ());
        assert!(off.is_empty());
    }

    #[test]
    fn one_byte_changes_the_key() {
        let m = Memo::<()>::new(16);
        let a = long(1);
        let mut b = a.clone().into_bytes();
        b[70] ^= 1;
        assert_ne!(m.key(3, a.as_bytes()), m.key(3, &b));
        assert_ne!(m.key(3, a.as_bytes()), m.key(4, a.as_bytes()));
        assert_ne!(process_seed(), process_seed());
    }

    #[test]
    fn text_hash_sets_tell_texts_apart() {
        let mut set = std::collections::HashSet::with_hasher(TextHash::default());
        let texts: Vec<String> = (0..1000).map(|i| format!("gen_ai.key.{i}")).collect();
        for t in &texts {
            assert!(set.insert(t.as_str()));
        }
        assert!(texts.iter().all(|t| set.contains(t.as_str())));
        assert!(!set.contains("gen_ai.key.1000"));
        assert!(!set.contains(""));
    }
}
