//! Which keys a stage reads: the Go side sends only items that carry one of them, and only
//! those attributes, so detection logic lives in Rust alone.

/// The keys, key prefixes and event names a stage reads.
///
/// Encoded for Go as:
/// ```text
/// u8 flags   bit0 send span events · bit1 send log bodies · bit2 send all attributes of a
///            selected item · bit3 select every item · bit4 send each resource as an item
///            (all its attributes) before its spans or log records · bit5 send every string:
///            fields and links of selected items and, with bit4, each scope as an item
/// u32 n · str exact keys
/// u32 n · str key prefixes
/// u32 n · str event-name prefixes (a span event or log `event_name` that selects the item)
/// u32 n · str context keys (sent along with a selected item, but never select one)
/// u32 n · str skipped keys (never sent, even when a prefix matches)
/// u32 n · str skipped key prefixes
/// u32 n · str satisfied keys (an item carrying all of them is sent without its heavy keys)
/// u32 n · str heavy keys
/// u32 n · str heavy key prefixes
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Interest {
    /// Attribute keys read as they are.
    pub keys: Vec<String>,
    /// Attribute key prefixes read.
    pub prefixes: Vec<String>,
    /// Event names (prefixes) that make an item interesting.
    pub event_prefixes: Vec<String>,
    /// Keys sent along with a selected item that do not select it (e.g. `server.address`).
    pub context_keys: Vec<String>,
    /// Keys never sent even when a prefix matches (e.g. message content a stage does not read).
    pub skip_keys: Vec<String>,
    /// Key prefixes never sent.
    pub skip_prefixes: Vec<String>,
    /// When an item carries every one of these keys as a non-negative integer, its heavy keys
    /// and events are not sent (e.g. token counting needs no message content when usage was
    /// reported; a count of another type may be unusable, so its content is sent).
    pub satisfied_keys: Vec<String>,
    /// Keys sent only for items that are not satisfied.
    pub heavy_keys: Vec<String>,
    /// Key prefixes sent only for items that are not satisfied.
    pub heavy_prefixes: Vec<String>,
    /// Send matching span events (with their matching attributes).
    pub events: bool,
    /// Send log bodies of selected log records.
    pub log_bodies: bool,
    /// Send every attribute of a selected item, not only matching ones.
    pub all_attributes: bool,
    /// Select every item, whatever its keys.
    pub all_items: bool,
    /// Send every resource (all its attributes) as an item of its own.
    pub resources: bool,
    /// Send every string of a selected item: its other fields (status message, trace state,
    /// severity text, schema URL) and its links; with `resources`, each instrumentation scope
    /// as an item of its own (name, version, schema URL, attributes).
    pub strings: bool,
}

impl Interest {
    /// True if `key` is one this stage reads.
    pub fn matches_key(&self, key: &str) -> bool {
        if self.skip_keys.iter().any(|k| k == key)
            || self.skip_prefixes.iter().any(|p| key.starts_with(p))
        {
            return false;
        }
        self.keys.iter().any(|k| k == key) || self.prefixes.iter().any(|p| key.starts_with(p))
    }

    /// The encoded form for the Go side.
    pub fn encode(&self) -> Vec<u8> {
        let mut b = Vec::new();
        b.push(
            (self.events as u8)
                | (self.log_bodies as u8) << 1
                | (self.all_attributes as u8) << 2
                | (self.all_items as u8) << 3
                | (self.resources as u8) << 4
                | (self.strings as u8) << 5,
        );
        for list in [
            &self.keys,
            &self.prefixes,
            &self.event_prefixes,
            &self.context_keys,
            &self.skip_keys,
            &self.skip_prefixes,
            &self.satisfied_keys,
            &self.heavy_keys,
            &self.heavy_prefixes,
        ] {
            b.extend_from_slice(&(list.len() as u32).to_le_bytes());
            for s in list {
                b.extend_from_slice(&(s.len() as u32).to_le_bytes());
                b.extend_from_slice(s.as_bytes());
            }
        }
        b
    }
}
