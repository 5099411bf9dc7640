//! Which keys a stage reads: the Go side sends only items that carry one of them, and only
//! those attributes, so detection logic lives in Rust alone.

/// The keys, key prefixes and event names a stage reads.
///
/// It crosses to Go once, when a processor starts, as a JSON object whose field names are
/// these (Go decodes it into a struct with the same names; unknown fields are an error there).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
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
    /// When an item carries every one of these keys as a positive integer, its heavy keys and
    /// events are not sent (e.g. token counting needs no message content when usage was
    /// reported; a count of another type may be unusable, and a zero is what SDKs write where
    /// the provider sent no usage, so then its content is sent).
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
    /// Send each selected span's place in its trace as fields: trace id, span id, parent span
    /// id, end time and status code ([`crate::view::Field`] 6-10).
    pub span_tree: bool,
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

    /// The encoded form for the Go side: JSON with the field names above.
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("an Interest is plain strings and bools")
    }
}
