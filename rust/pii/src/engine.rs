//! The engine: detectors + allow lists + actions, applied to one string at a time. It joins
//! finding ([`crate::find`]) and marking ([`crate::mark`]): plain text, JSON-aware
//! ([`crate::json`]), or bytes, with the size bound that fails closed.

use std::fmt;

use llmo_schema::memo::{process_seed, Memo};

use crate::config::{Action, ConfigError, PiiConfig};
use crate::detectors::{Builtin, DetectorId};
use crate::find::{Finder, Finding};
use crate::json;
use crate::mark::{Marker, Marks};
use crate::outcome::{Redacted, Tally, UNSCANNABLE_MARKER, UNSCANNABLE_TYPE};

/// The compiled `pii_redaction` engine. Immutable, `Send + Sync`; build it once per config.
pub struct Engine {
    finder: Finder,
    marker: Marker,
    /// Detector names (reported types) by id.
    names: Vec<String>,
    max_value_bytes: usize,
    /// Texts found clean before (`scan_cache_entries`), keyed under `seed`.
    clean: Memo<()>,
    seed: u64,
    /// Whether the `secret_attribute` detector is on.
    secret_attribute: bool,
}

/// Tells texts scanned as plain text (keys, JSON leaves) apart in the memo from values, which
/// are scanned JSON-aware when they look like JSON.
const PLAIN: u64 = 1;

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // neither the key nor the allow-listed values
        f.debug_struct("Engine")
            .field(
                "detectors",
                &self.names.iter().map(String::as_str).collect::<Vec<_>>(),
            )
            .field("hmac", &self.marker.is_keyed().then_some("<keyed>"))
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// Compiles a validated config. Fails (naming the key) on a regex that does not compile
    /// or a config that [`PiiConfig::validate`] refuses.
    pub fn new(cfg: &PiiConfig) -> Result<Engine, ConfigError> {
        cfg.validate()?;
        let finder = Finder::new(cfg)?;
        let names = Builtin::ALL
            .iter()
            .map(|b| b.name().to_string())
            .chain(cfg.custom_detectors.iter().map(|c| c.name.clone()))
            .collect();
        Ok(Engine {
            finder,
            marker: Marker::new(cfg),
            names,
            max_value_bytes: cfg.max_value_bytes,
            clean: Memo::new(cfg.scan_cache_entries),
            seed: process_seed(),
            secret_attribute: cfg.detectors.get(Builtin::SecretAttribute).enabled,
        })
    }

    /// Redacts a whole value as a finding of the `secret_attribute` detector (the value of an
    /// attribute whose key names a secret); `None` when that detector is off.
    pub fn redact_secret(&self, text: &str, tally: &mut Tally) -> Option<Redacted> {
        if !self.secret_attribute {
            return None;
        }
        let hit = [crate::scan::Hit {
            start: 0,
            end: text.len(),
            det: Builtin::SecretAttribute as u16,
        }];
        if self.marker.tally(&hit, tally) {
            return Some(Redacted::Drop);
        }
        Some(Redacted::Changed(self.marker.apply(text, &hit)))
    }

    /// Number of detectors (built-in and custom); ids are `0..detector_count()`.
    pub fn detector_count(&self) -> usize {
        self.names.len()
    }

    /// The name (reported type) of a detector.
    pub fn detector_name(&self, id: DetectorId) -> &str {
        &self.names[usize::from(id.0)]
    }

    /// The action of a detector.
    pub fn action(&self, id: DetectorId) -> Action {
        self.marker.action(id)
    }

    /// Strings currently remembered clean (`scan_cache_entries`).
    pub fn remembered_clean(&self) -> usize {
        self.clean.len()
    }

    /// The largest value scanned (bytes).
    pub fn max_value_bytes(&self) -> usize {
        self.max_value_bytes
    }

    /// The distinct types in a tally, sorted (`unscannable` included when counted).
    pub fn types<'s>(&'s self, tally: &Tally) -> Vec<&'s str> {
        let mut v: Vec<&str> = tally
            .by_detector()
            .map(|(id, _)| self.detector_name(id))
            .collect();
        if tally.unscannable() > 0 {
            v.push(UNSCANNABLE_TYPE);
        }
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The findings in `text`: validated, allow lists applied, overlaps merged (the union of
    /// overlapping spans, typed by the detector that takes precedence), sorted.
    pub fn find(&self, text: &str) -> Vec<Finding> {
        let mut hits = Vec::new();
        self.finder.find_hits(text, &mut hits);
        hits.iter()
            .map(|h| Finding {
                start: h.start,
                end: h.end,
                detector: DetectorId(h.det),
            })
            .collect()
    }

    /// Redacts plain text: every finding replaced by its marker or HMAC.
    pub fn redact_text(&self, text: &str, tally: &mut Tally) -> Redacted {
        self.remembering(text, self.seed ^ PLAIN, || self.redact_plain(text, tally))
    }

    fn redact_plain(&self, text: &str, tally: &mut Tally) -> Redacted {
        let mut hits = Vec::new();
        self.finder.find_hits(text, &mut hits);
        if hits.is_empty() {
            return Redacted::Unchanged;
        }
        if self.marker.tally(&hits, tally) {
            return Redacted::Drop;
        }
        Redacted::Changed(self.marker.apply(text, &hits))
    }

    /// Redacts inside JSON text: only the string (and number) tokens that hold findings
    /// change, everything else stays byte-identical. `None` when `text` is not JSON.
    pub fn redact_json(&self, text: &str, tally: &mut Tally) -> Option<Redacted> {
        json::redact(self, text, tally)
    }

    /// Redacts one string value: JSON-aware when it is a JSON object or array, plain text
    /// otherwise (broken JSON included). A value over `max_value_bytes` becomes the
    /// unscannable marker.
    pub fn redact(&self, text: &str, tally: &mut Tally) -> Redacted {
        if text.len() > self.max_value_bytes {
            tally.add_unscannable();
            return Redacted::Changed(UNSCANNABLE_MARKER.to_string());
        }
        self.remembering(text, self.seed, || {
            if json::looks_like_json(text) {
                if let Some(r) = self.redact_json(text, tally) {
                    return r;
                }
            }
            self.redact_plain(text, tally)
        })
    }

    /// `Unchanged` for a text found clean before; else `redact`, remembering the text when it
    /// comes out clean (nothing found, so nothing counted: every action changes the text).
    fn remembering(&self, text: &str, seed: u64, redact: impl FnOnce() -> Redacted) -> Redacted {
        let key = self.clean.key(seed, text.as_bytes());
        if key.is_some_and(|k| self.clean.get(k).is_some()) {
            return Redacted::Unchanged;
        }
        let r = redact();
        if let (Redacted::Unchanged, Some(k)) = (&r, key) {
            self.clean.insert(k, ());
        }
        r
    }

    /// Redacts a bytes value: each valid UTF-8 stretch is scanned as text (JSON-aware), the
    /// bytes between them are kept as they are.
    pub fn redact_bytes(&self, bytes: &[u8], tally: &mut Tally) -> Redacted<Vec<u8>> {
        if bytes.len() > self.max_value_bytes {
            tally.add_unscannable();
            return Redacted::Changed(UNSCANNABLE_MARKER.as_bytes().to_vec());
        }
        let mut out: Option<Vec<u8>> = None;
        let mut at = 0;
        for chunk in bytes.utf8_chunks() {
            let (valid, invalid) = (chunk.valid(), chunk.invalid());
            let next = at + valid.len() + invalid.len();
            match self.redact(valid, tally) {
                Redacted::Drop => return Redacted::Drop,
                Redacted::Changed(s) => {
                    let o = out.get_or_insert_with(|| bytes[..at].to_vec());
                    o.extend_from_slice(s.as_bytes());
                    o.extend_from_slice(invalid);
                }
                Redacted::Unchanged => {
                    if let Some(o) = out.as_mut() {
                        o.extend_from_slice(&bytes[at..next]);
                    }
                }
            }
            at = next;
        }
        out.map_or(Redacted::Unchanged, Redacted::Changed)
    }
}

impl json::Redactor for Engine {
    fn redact_leaf(&self, leaf: &str, marks: &mut Marks, tally: &mut Tally) -> bool {
        // the contents of a resent conversation: the JSON around them is new on every call
        let key = self.clean.key(self.seed ^ PLAIN, leaf.as_bytes());
        if key.is_some_and(|k| self.clean.get(k).is_some()) {
            marks.hits.clear();
            return false;
        }
        self.finder.find_hits(leaf, &mut marks.hits);
        if marks.hits.is_empty() {
            if let Some(k) = key {
                self.clean.insert(k, ());
            }
            return false;
        }
        if self.marker.tally(&marks.hits, tally) {
            return true;
        }
        self.marker.mark(leaf, marks);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(json: &str) -> Engine {
        Engine::new(&PiiConfig::from_json(json.as_bytes()).unwrap()).unwrap()
    }

    fn red(e: &Engine, s: &str) -> String {
        match e.redact(s, &mut Tally::default()) {
            Redacted::Changed(s) => s,
            Redacted::Unchanged => s.to_string(),
            Redacted::Drop => "<dropped>".into(),
        }
    }

    #[test]
    fn masks_with_typed_markers() {
        let e = engine("");
        assert_eq!(
            red(
                &e,
                "mail a.b@example.com or call +1 415 555 2671 from 10.0.0.7"
            ),
            "mail <EMAIL> or call <PHONE> from <IP_ADDRESS>"
        );
        assert_eq!(red(&e, "nothing here"), "nothing here");
        let mut t = Tally::default();
        e.redact("x@example.com y@example.org 4111 1111 1111 1111", &mut t);
        assert_eq!(t.total(), 3);
        assert_eq!(e.types(&t), vec!["credit_card", "email"]);
    }

    #[test]
    fn templates_and_per_detector_markers() {
        let e = engine(
            r#"{"mask_template": "[{type} removed]", "detectors": {"phone": {"marker": "(phone)"}}}"#,
        );
        assert_eq!(
            red(&e, "a@example.com 415-555-2671"),
            "[email removed] (phone)"
        );
    }

    #[test]
    fn hashes_are_keyed_normalized_and_truncated() {
        let e = engine(r#"{"action": "hash", "hmac_key": "0123456789abcdef0123"}"#);
        let a = red(&e, "call +1 415 555 2671");
        let b = red(&e, "call +1-415-555-2671");
        assert_eq!(a, b);
        let h = a
            .strip_prefix("call <PHONE:hmac:")
            .unwrap()
            .strip_suffix('>')
            .unwrap();
        assert_eq!(h.len(), 16);
        assert!(h.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(red(&e, "JOHN@EXAMPLE.COM"), red(&e, "john@example.com"));
        let other = engine(r#"{"action": "hash", "hmac_key": "another-key-of-16-bytes"}"#);
        assert_ne!(red(&other, "call +1 415 555 2671"), a);
        let long =
            engine(r#"{"action": "hash", "hmac_key": "0123456789abcdef0123", "hash_length": 64}"#);
        assert_eq!(
            red(&long, "a@example.com").len(),
            "<EMAIL:hmac:>".len() + 64
        );
    }

    #[test]
    fn drop_action() {
        let e = engine(r#"{"detectors": {"us_ssn": {"action": "drop"}}}"#);
        assert_eq!(
            e.redact("ssn 123-45-6789", &mut Tally::default()),
            Redacted::Drop
        );
        assert_eq!(red(&e, "a@example.com"), "<EMAIL>");
    }

    #[test]
    fn allow_lists() {
        let e = engine(
            r#"{"allow": {"values": ["support@example.com"], "patterns": ["10\\.0\\.[0-9.]+", ".*@corp\\.example"]}}"#,
        );
        assert_eq!(
            red(
                &e,
                "support@example.com, bob@example.com, 10.0.1.2, 8.8.8.8, x@corp.example"
            ),
            "support@example.com, <EMAIL>, 10.0.1.2, <IP_ADDRESS>, x@corp.example"
        );
    }

    #[test]
    fn disabled_detectors_do_not_run() {
        let e = engine(
            r#"{"detectors": {"email": {"enabled": false}, "ip_address": {"enabled": false}}}"#,
        );
        assert_eq!(
            red(&e, "a@example.com 10.0.0.1 123-45-6789"),
            "a@example.com 10.0.0.1 <US_SSN>"
        );
    }

    #[test]
    fn custom_detectors_win_overlaps_and_nothing_leaks() {
        let e = engine(
            r#"{"custom_detectors": [{"name": "employee_id", "pattern": "(?-u:\\b)EMP-[0-9]{6}(?-u:\\b)"}, {"name": "half_key", "pattern": "sk-proj-[A-Za-z]{4}"}]}"#,
        );
        assert_eq!(red(&e, "id EMP-123456."), "id <EMPLOYEE_ID>.");
        // the custom match covers only part of the key: the union is redacted
        assert_eq!(
            red(&e, "sk-proj-Abcd3fGh1jKlMn0pQrStUvWxYz12"),
            "<HALF_KEY>"
        );
    }

    #[test]
    fn overlaps_take_the_union_and_the_stronger_type() {
        let e = engine("");
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        assert_eq!(
            red(&e, &format!("Authorization: Bearer {jwt}")),
            "Authorization: Bearer <JWT>"
        );
        assert_eq!(
            red(&e, "postgres://admin:s3cr3t@db.example.com/app"),
            "postgres://admin:<URL_PASSWORD>@db.example.com/app"
        );
    }

    #[test]
    fn too_large_values_fail_closed() {
        let e = engine(r#"{"max_value_bytes": 10}"#);
        let mut t = Tally::default();
        assert_eq!(
            e.redact("this is longer than ten bytes", &mut t),
            Redacted::Changed(UNSCANNABLE_MARKER.into())
        );
        assert_eq!(e.types(&t), vec![UNSCANNABLE_TYPE]);
    }

    #[test]
    fn bytes_keep_invalid_stretches() {
        let e = engine("");
        let r = e.redact_bytes(b"\xff\xfemail a@example.com \x80end", &mut Tally::default());
        assert_eq!(
            r,
            Redacted::Changed(b"\xff\xfemail <EMAIL> \x80end".to_vec())
        );
        let r = e.redact_bytes(b"\xffclean \xfe a@example.com", &mut Tally::default());
        assert_eq!(r, Redacted::Changed(b"\xffclean \xfe <EMAIL>".to_vec()));
        assert_eq!(
            e.redact_bytes(b"\xffclean", &mut Tally::default()),
            Redacted::Unchanged
        );
    }

    #[test]
    fn remembering_clean_texts_changes_no_result() {
        let on = engine("");
        let off = engine(r#"{"scan_cache_entries": 0}"#);
        let turn = |i: usize| {
            let pii = if i % 3 == 2 {
                " write to ops@example.com"
            } else {
                ""
            };
            format!(
                "turn {i}: the agent reads the whole build log again and plans its next step{pii}"
            )
        };
        // a conversation resent on every call, as plain text values and as message JSON
        let mut history = Vec::new();
        for i in 0..9 {
            history.push(serde_json::json!({"role": "user", "parts": [{"type": "text", "content": turn(i)}]}));
            let json = serde_json::to_string(&history).unwrap();
            for text in [turn(i), turn(i), json] {
                let (mut a, mut b) = (Tally::default(), Tally::default());
                assert_eq!(
                    on.redact(&text, &mut a),
                    off.redact(&text, &mut b),
                    "{text}"
                );
                assert_eq!(
                    a.total(),
                    b.total(),
                    "{text}: every finding counted every time"
                );
                let expected = if text.starts_with('[') {
                    (i as u64 + 1) / 3
                } else {
                    u64::from(i % 3 == 2)
                };
                assert_eq!(a.total(), expected, "{text}");
            }
        }
        // the clean turns as values and as JSON leaves (scanned as plain text), and the first
        // two JSON arrays (clean)
        assert_eq!(on.remembered_clean(), 6 + 6 + 2);
        assert_eq!(off.remembered_clean(), 0);
        // short texts are not remembered
        let short = engine("");
        short.redact("a short clean text", &mut Tally::default());
        assert_eq!(short.remembered_clean(), 0);
    }

    #[test]
    fn debug_shows_no_key() {
        let e = engine(r#"{"action": "hash", "hmac_key": "very-secret-key-123"}"#);
        assert!(!format!("{e:?}").contains("very-secret"));
    }
}
