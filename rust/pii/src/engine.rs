//! The engine: detectors + allow lists + actions, applied to one string at a time.

use std::collections::HashSet;
use std::fmt;
use std::net::IpAddr;

use hmac::{Hmac, Mac};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use sha2::Sha256;

use crate::config::{regex_reason, Action, ConfigError, PiiConfig};
use crate::detectors::Builtin;
use crate::scan::{Hit, Scanner};

/// The marker that replaces a value that could not be scanned (fail closed).
pub const UNSCANNABLE_MARKER: &str = "<UNSCANNABLE>";
/// The type reported for unscannable values.
pub const UNSCANNABLE_TYPE: &str = "unscannable";

/// Compiled size limit of user regexes (custom detectors, allow patterns).
const REGEX_SIZE_LIMIT: usize = 1 << 22;

/// Which detector found something: the built-ins first ([`Builtin`] order), then the custom
/// detectors in config order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DetectorId(pub u16);

impl DetectorId {
    /// The id of a built-in detector.
    pub const fn builtin(b: Builtin) -> DetectorId {
        DetectorId(b as u16)
    }
}

/// A finding: a byte span of the scanned text and its detector. It holds no text, so it can
/// be logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    /// First byte.
    pub start: usize,
    /// After the last byte.
    pub end: usize,
    /// The detector (after overlaps were merged: the one that takes precedence).
    pub detector: DetectorId,
}

/// The outcome of redacting one value (a string, or bytes for bytes values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redacted<T = String> {
    /// Nothing found.
    Unchanged,
    /// The value with its findings replaced (or the unscannable marker).
    Changed(T),
    /// A finding's action is `drop`: delete the value.
    Drop,
}

/// Findings counted by detector, for the per-item report and the component counters. Holds
/// counts only, never text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    counts: Vec<u32>,
    unscannable: u32,
}

impl Tally {
    /// Counts one finding.
    pub fn add(&mut self, id: DetectorId) {
        let i = usize::from(id.0);
        if self.counts.len() <= i {
            self.counts.resize(i + 1, 0);
        }
        self.counts[i] += 1;
    }

    /// Counts one value that could not be scanned.
    pub fn add_unscannable(&mut self) {
        self.unscannable += 1;
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &Tally) {
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.unscannable += other.unscannable;
    }

    /// Findings plus unscannable values.
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|&c| u64::from(c)).sum::<u64>() + u64::from(self.unscannable)
    }

    /// True when nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    /// Values that could not be scanned.
    pub fn unscannable(&self) -> u32 {
        self.unscannable
    }

    /// Findings by detector (non-zero counts only).
    pub fn by_detector(&self) -> impl Iterator<Item = (DetectorId, u32)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(i, &c)| (DetectorId(i as u16), c))
    }

    /// Forgets everything, keeping the allocation.
    pub fn clear(&mut self) {
        self.counts.iter_mut().for_each(|c| *c = 0);
        self.unscannable = 0;
    }
}

/// How a finding is normalized before hashing, so that `+1 415 555 2671` and
/// `+1-415-555-2671` hash alike.
#[derive(Debug, Clone, Copy)]
enum Norm {
    AsIs,
    Lower,
    Digits,
    NoSpaces,
    Ip,
}

struct Detector {
    name: String,
    action: Action,
    marker: String,
    hash_prefix: String,
    hash_suffix: String,
    norm: Norm,
    /// Overlap precedence: lower wins.
    rank: u16,
}

/// The compiled `pii_redaction` engine. Immutable, `Send + Sync`; build it once per config.
pub struct Engine {
    scanner: Scanner,
    customs: Vec<Regex>,
    dets: Vec<Detector>,
    allow_values: HashSet<String>,
    allow_patterns: Option<RegexSet>,
    mac: Option<Hmac<Sha256>>,
    hash_len: usize,
    max_value_bytes: usize,
}

impl fmt::Debug for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // neither the key nor the allow-listed values
        f.debug_struct("Engine")
            .field(
                "detectors",
                &self
                    .dets
                    .iter()
                    .map(|d| d.name.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("hmac", &self.mac.as_ref().map(|_| "<keyed>"))
            .finish_non_exhaustive()
    }
}

fn fill(template: &str, name: &str) -> String {
    template
        .replace("{TYPE}", &name.to_ascii_uppercase())
        .replace("{type}", name)
}

impl Engine {
    /// Compiles a validated config. Fails (naming the key) on a regex that does not compile
    /// or a config that [`PiiConfig::validate`] refuses.
    pub fn new(cfg: &PiiConfig) -> Result<Engine, ConfigError> {
        cfg.validate()?;
        let mut on = [false; Builtin::ALL.len()];
        let ncustom = cfg.custom_detectors.len() as u16;
        let (hash_prefix_t, hash_suffix_t) = cfg
            .hash_template
            .split_once("{HASH}")
            .expect("validated: one {HASH}");
        let mut dets = Vec::new();
        for b in Builtin::ALL {
            let d = cfg.detectors.get(b);
            on[b as usize] = d.enabled;
            let name = b.name();
            dets.push(Detector {
                name: name.to_string(),
                action: cfg.action_of(b),
                marker: d
                    .marker
                    .clone()
                    .unwrap_or_else(|| fill(&cfg.mask_template, name)),
                hash_prefix: fill(hash_prefix_t, name),
                hash_suffix: fill(hash_suffix_t, name),
                norm: match b {
                    Builtin::Email => Norm::Lower,
                    Builtin::Phone | Builtin::CreditCard | Builtin::UsSsn => Norm::Digits,
                    Builtin::Iban => Norm::NoSpaces,
                    Builtin::IpAddress => Norm::Ip,
                    _ => Norm::AsIs,
                },
                rank: b as u16 + ncustom,
            });
        }
        let mut customs = Vec::new();
        for (index, c) in cfg.custom_detectors.iter().enumerate() {
            let re = RegexBuilder::new(&c.pattern)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| ConfigError::CustomPattern {
                    index,
                    reason: regex_reason(&e),
                })?;
            if re.is_match("") {
                return Err(ConfigError::CustomPatternEmpty { index });
            }
            customs.push(re);
            dets.push(Detector {
                name: c.name.clone(),
                action: c.action.unwrap_or(cfg.action),
                marker: c
                    .marker
                    .clone()
                    .unwrap_or_else(|| fill(&cfg.mask_template, &c.name)),
                hash_prefix: fill(hash_prefix_t, &c.name),
                hash_suffix: fill(hash_suffix_t, &c.name),
                norm: Norm::AsIs,
                rank: index as u16,
            });
        }
        for (index, p) in cfg.allow.patterns.iter().enumerate() {
            // compiled one by one first, so the error names the pattern
            RegexBuilder::new(p)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| ConfigError::AllowPattern {
                    index,
                    reason: regex_reason(&e),
                })?;
        }
        let allow_patterns = (!cfg.allow.patterns.is_empty())
            .then(|| {
                RegexSetBuilder::new(cfg.allow.patterns.iter().map(|p| format!("^(?:{p})$")))
                    .size_limit(REGEX_SIZE_LIMIT * 4)
                    .build()
            })
            .transpose()
            .map_err(|e| ConfigError::AllowPattern {
                index: 0,
                reason: regex_reason(&e),
            })?;
        let mac = cfg.hmac_key.as_ref().map(|k| {
            Hmac::<Sha256>::new_from_slice(k.expose().as_bytes()).expect("HMAC takes any key size")
        });
        Ok(Engine {
            scanner: Scanner::new(on),
            customs,
            dets,
            allow_values: cfg.allow.values.iter().cloned().collect(),
            allow_patterns,
            mac,
            hash_len: cfg.hash_length,
            max_value_bytes: cfg.max_value_bytes,
        })
    }

    /// Number of detectors (built-in and custom); ids are `0..detector_count()`.
    pub fn detector_count(&self) -> usize {
        self.dets.len()
    }

    /// The name (reported type) of a detector.
    pub fn detector_name(&self, id: DetectorId) -> &str {
        &self.dets[usize::from(id.0)].name
    }

    /// The action of a detector.
    pub fn action(&self, id: DetectorId) -> Action {
        self.dets[usize::from(id.0)].action
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
        self.find_hits(text, &mut hits);
        hits.iter()
            .map(|h| Finding {
                start: h.start,
                end: h.end,
                detector: DetectorId(h.det),
            })
            .collect()
    }

    pub(crate) fn find_hits(&self, text: &str, hits: &mut Vec<Hit>) {
        hits.clear();
        self.scanner.scan(text, hits);
        let base = Builtin::ALL.len() as u16;
        for (i, re) in self.customs.iter().enumerate() {
            for m in re.find_iter(text) {
                if !m.is_empty() {
                    hits.push(Hit {
                        start: m.start(),
                        end: m.end(),
                        det: base + i as u16,
                    });
                }
            }
        }
        if hits.is_empty() {
            return;
        }
        if !self.allow_values.is_empty() || self.allow_patterns.is_some() {
            hits.retain(|h| !self.allowed(&text[h.start..h.end]));
        }
        if hits.len() > 1 {
            hits.sort_unstable_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
            let mut w = 0;
            for r in 1..hits.len() {
                let h = hits[r];
                let cur = &mut hits[w];
                if h.start < cur.end {
                    cur.end = cur.end.max(h.end);
                    if self.dets[usize::from(h.det)].rank < self.dets[usize::from(cur.det)].rank {
                        cur.det = h.det;
                    }
                } else {
                    w += 1;
                    hits[w] = h;
                }
            }
            hits.truncate(w + 1);
        }
    }

    fn allowed(&self, found: &str) -> bool {
        self.allow_values.contains(found)
            || self
                .allow_patterns
                .as_ref()
                .is_some_and(|s| s.is_match(found))
    }

    /// Counts the hits; true when one of them drops the value.
    pub(crate) fn tally_hits(&self, hits: &[Hit], tally: &mut Tally) -> bool {
        let mut drop = false;
        for h in hits {
            tally.add(DetectorId(h.det));
            drop |= self.dets[usize::from(h.det)].action == Action::Drop;
        }
        drop
    }

    /// Appends what replaces `found` (a finding of `det`) to `out`.
    pub(crate) fn replacement(&self, det: u16, found: &str, out: &mut String) {
        let d = &self.dets[usize::from(det)];
        match (d.action, &self.mac) {
            (Action::Hash, Some(mac)) => {
                let mut m = mac.clone();
                match d.norm {
                    Norm::AsIs => m.update(found.as_bytes()),
                    Norm::Lower => m.update(found.to_ascii_lowercase().as_bytes()),
                    Norm::Digits => {
                        let digits: Vec<u8> = found.bytes().filter(u8::is_ascii_digit).collect();
                        m.update(&digits);
                    }
                    Norm::NoSpaces => {
                        let s: Vec<u8> = found.bytes().filter(|b| *b != b' ').collect();
                        m.update(&s);
                    }
                    Norm::Ip => match found.parse::<IpAddr>() {
                        Ok(ip) => m.update(ip.to_string().as_bytes()),
                        Err(_) => m.update(found.as_bytes()),
                    },
                }
                let digest = m.finalize().into_bytes();
                out.push_str(&d.hash_prefix);
                for b in &digest[..self.hash_len / 2] {
                    out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
                    out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
                }
                out.push_str(&d.hash_suffix);
            }
            // config validation guarantees a key whenever a detector hashes; should that ever
            // not hold, mask: never an unkeyed hash, never the value
            _ => out.push_str(&d.marker),
        }
    }

    /// Redacts plain text: every finding replaced by its marker or HMAC.
    pub fn redact_text(&self, text: &str, tally: &mut Tally) -> Redacted {
        let mut hits = Vec::new();
        self.find_hits(text, &mut hits);
        if hits.is_empty() {
            return Redacted::Unchanged;
        }
        if self.tally_hits(&hits, tally) {
            return Redacted::Drop;
        }
        let mut out = String::with_capacity(text.len() + 16 * hits.len());
        let mut at = 0;
        for h in &hits {
            out.push_str(&text[at..h.start]);
            self.replacement(h.det, &text[h.start..h.end], &mut out);
            at = h.end;
        }
        out.push_str(&text[at..]);
        Redacted::Changed(out)
    }

    /// Redacts inside JSON text: only the string (and number) tokens that hold findings
    /// change, everything else stays byte-identical. `None` when `text` is not JSON.
    pub fn redact_json(&self, text: &str, tally: &mut Tally) -> Option<Redacted> {
        crate::json::redact(self, text, tally)
    }

    /// Redacts one string value: JSON-aware when it is a JSON object or array, plain text
    /// otherwise (broken JSON included). A value over `max_value_bytes` becomes the
    /// unscannable marker.
    pub fn redact(&self, text: &str, tally: &mut Tally) -> Redacted {
        if text.len() > self.max_value_bytes {
            tally.add_unscannable();
            return Redacted::Changed(UNSCANNABLE_MARKER.to_string());
        }
        if crate::json::looks_like_json(text) {
            if let Some(r) = self.redact_json(text, tally) {
                return r;
            }
        }
        self.redact_text(text, tally)
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
    fn debug_shows_no_key() {
        let e = engine(r#"{"action": "hash", "hmac_key": "very-secret-key-123"}"#);
        assert!(!format!("{e:?}").contains("very-secret"));
    }
}
