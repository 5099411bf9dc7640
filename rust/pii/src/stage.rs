//! The `pii_redaction` stage: every string the config selects, in every item, redacted.
//!
//! Per item (span, log record, and resource when `resource_attributes` is on) it scans
//! string attributes, string arrays, maps and mixed arrays (recursively, nested map keys
//! included), bytes values, large ints (a card number stored as an int), span event
//! attributes and log bodies. Edits: a redacted string ([`NewValue::Str`]), a redacted
//! string array ([`NewValue::StrArray`]), a whole new nested value ([`NewValue::Tree`]) for
//! maps, mixed arrays and bytes, a delete for the drop action (a dropped log body becomes
//! empty). Items with findings get [`keys::PII_COUNT`] and [`keys::PII_TYPES`] (resources do
//! not: their attributes are shared). Counters per batch: see [`crate::counters`].

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use llmo_schema::edits::{link, Edits, NewValue, Tree, ITEM_ITSELF};
use llmo_schema::glob::glob_match;
use llmo_schema::memo::{TextHash, MIN_MEMO_BYTES};
use llmo_schema::view::{is_lossy, Batch, Field, Item, ItemKind, Value};
use llmo_schema::{Interest, Stage};

use crate::config::{ConfigError, PiiConfig};
use crate::engine::Engine;
use crate::outcome::{Redacted, Tally, UNSCANNABLE_MARKER};
use crate::{counters, keys};

/// Ints of at least this magnitude may be card numbers (13 digits); smaller ones are not
/// scanned.
const SCANNED_INT: u64 = 1_000_000_000_000;

/// Attribute keys selected by globs (`*` any run of characters, `?` one character); exact
/// keys and prefixes are kept apart because they also narrow the interest sent by Go.
#[derive(Debug, Clone, Default)]
struct KeyGlobs {
    exact: Vec<String>,
    prefixes: Vec<String>,
    complex: Vec<String>,
}

impl KeyGlobs {
    fn new(globs: &[String]) -> KeyGlobs {
        let mut g = KeyGlobs::default();
        for glob in globs {
            let body = glob.strip_suffix('*').unwrap_or(glob);
            if body.contains(['*', '?']) {
                g.complex.push(glob.clone());
            } else if body.len() == glob.len() {
                g.exact.push(glob.clone());
            } else {
                g.prefixes.push(body.to_string());
            }
        }
        g
    }

    fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.prefixes.is_empty() && self.complex.is_empty()
    }

    fn matches(&self, key: &str) -> bool {
        self.exact.iter().any(|k| k == key)
            || self.prefixes.iter().any(|p| key.starts_with(p.as_str()))
            || self
                .complex
                .iter()
                .any(|g| glob_match(g.as_bytes(), key.as_bytes()))
    }
}

/// `secret_attribute_keys`, case-insensitive: `*word*` globs (most of them) as one automaton,
/// `*suffix`, `prefix*` and exact keys as plain comparisons, anything else as a glob over the
/// lower-cased key. Every attribute key meets it, so none of the common shapes runs a glob.
#[derive(Debug, Clone, Default)]
struct SecretKeys {
    contains: Option<aho_corasick::AhoCorasick>,
    exact: Vec<String>,
    prefixes: Vec<String>,
    suffixes: Vec<String>,
    complex: Vec<String>,
}

impl SecretKeys {
    fn new(globs: &[String]) -> SecretKeys {
        let mut k = SecretKeys::default();
        let mut words = Vec::new();
        for g in globs {
            let g = g.to_ascii_lowercase();
            let (lead, trail) = (g.starts_with('*'), g.ends_with('*') && g.len() > 1);
            let body = g.trim_start_matches('*').trim_end_matches('*');
            if body.is_empty() || body.contains(['*', '?']) || g.contains('?') {
                k.complex.push(g.clone());
                continue;
            }
            match (lead, trail) {
                (true, true) => words.push(body.to_string()),
                (true, false) => k.suffixes.push(body.to_string()),
                (false, true) => k.prefixes.push(body.to_string()),
                (false, false) => k.exact.push(body.to_string()),
            }
        }
        k.contains = (!words.is_empty()).then(|| {
            // a DFA without prefilter: keys are short, one table step per byte is cheapest
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .prefilter(false)
                .build(&words)
                .expect("plain words always build")
        });
        k
    }

    fn matches(&self, key: &str) -> bool {
        let b = key.as_bytes();
        let ends = |s: &String| {
            b.len() >= s.len() && b[b.len() - s.len()..].eq_ignore_ascii_case(s.as_bytes())
        };
        let starts =
            |s: &String| b.len() >= s.len() && b[..s.len()].eq_ignore_ascii_case(s.as_bytes());
        if self.exact.iter().any(|s| key.eq_ignore_ascii_case(s))
            || self.suffixes.iter().any(ends)
            || self.prefixes.iter().any(starts)
            || self.contains.as_ref().is_some_and(|ac| ac.is_match(key))
        {
            return true;
        }
        !self.complex.is_empty() && {
            let lower = key.to_ascii_lowercase();
            self.complex
                .iter()
                .any(|g| glob_match(g.as_bytes(), lower.as_bytes()))
        }
    }
}

/// The stage.
#[derive(Debug)]
pub struct PiiRedactor {
    cfg: PiiConfig,
    engine: Engine,
    include: KeyGlobs,
    exclude: KeyGlobs,
    /// `secret_attribute_keys`.
    secret_keys: SecretKeys,
}

/// What became of one value.
enum Res {
    Same,
    New(Tree),
    Drop,
}

/// Where the findings and edits of one item go.
struct Out<'o, 'a> {
    tally: Tally,
    totals: &'o mut BatchTotals,
    edits: &'o mut Edits,
    seen: &'o mut Seen<'a>,
}

/// Most short strings remembered clean per batch.
const SEEN_MAX: usize = 4096;

/// The short strings of one batch found clean, apart by how they were scanned: attribute
/// keys, model names, roles and operation names repeat in every item, and scanning a short
/// string costs mostly the call. (Strings of [`MIN_MEMO_BYTES`] or more are remembered
/// across batches by the engine.) Exact strings: no hash decides a result.
#[derive(Default)]
struct Seen<'a> {
    values: HashSet<&'a str, TextHash>,
    texts: HashSet<&'a str, TextHash>,
    /// Whether a key names a secret: keys repeat on every item of a batch.
    secret_keys: HashMap<&'a str, bool, TextHash>,
}

impl<'a> Seen<'a> {
    /// [`Engine::redact`] (JSON-aware).
    fn value(&mut self, engine: &Engine, s: &'a str, tally: &mut Tally) -> Redacted {
        remember(&mut self.values, s, || engine.redact(s, tally))
    }

    /// [`Engine::redact_text`] (plain text: keys).
    fn text(&mut self, engine: &Engine, s: &'a str, tally: &mut Tally) -> Redacted {
        remember(&mut self.texts, s, || engine.redact_text(s, tally))
    }

    /// `is_secret(key)`, decided once per key and batch.
    fn secret_key(&mut self, key: &'a str, is_secret: impl FnOnce(&str) -> bool) -> bool {
        if let Some(&b) = self.secret_keys.get(key) {
            return b;
        }
        let b = is_secret(key);
        if self.secret_keys.len() < SEEN_MAX {
            self.secret_keys.insert(key, b);
        }
        b
    }
}

fn remember<'a>(
    set: &mut HashSet<&'a str, TextHash>,
    s: &'a str,
    redact: impl FnOnce() -> Redacted,
) -> Redacted {
    if s.len() >= MIN_MEMO_BYTES {
        return redact();
    }
    if set.contains(s) {
        return Redacted::Unchanged;
    }
    let r = redact();
    if matches!(r, Redacted::Unchanged) && set.len() < SEEN_MAX {
        set.insert(s);
    }
    r
}

/// Per-batch totals, turned into counters once.
#[derive(Default)]
struct BatchTotals {
    tally: Tally,
    redacted: u64,
    dropped: u64,
    items: u64,
}

impl PiiRedactor {
    /// Builds the stage from a config (validated and compiled here).
    pub fn new(cfg: PiiConfig) -> Result<Self, ConfigError> {
        let engine = Engine::new(&cfg)?;
        Ok(Self {
            include: KeyGlobs::new(&cfg.include_keys),
            exclude: KeyGlobs::new(&cfg.exclude_keys),
            secret_keys: SecretKeys::new(&cfg.secret_attribute_keys),
            cfg,
            engine,
        })
    }

    /// Parses the JSON config (errors name the key) and builds the stage.
    pub fn from_json(json: &[u8]) -> Result<Self, ConfigError> {
        Self::new(PiiConfig::from_json(json)?)
    }

    /// The engine, for redacting single strings.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// True when attribute `key` is scanned. Our own keys are no exception: a record may
    /// arrive carrying them.
    pub fn scans_key(&self, key: &str) -> bool {
        (self.include.is_empty() || self.include.matches(key)) && !self.exclude.matches(key)
    }

    /// True when attribute `key` names a secret (`secret_attribute_keys`): its whole value is
    /// redacted, whatever it looks like.
    pub fn is_secret_key(&self, key: &str) -> bool {
        self.secret_keys.matches(key)
    }

    /// The whole value of a secret-named attribute, redacted: text as it is, anything else
    /// (numbers, bytes, arrays, maps) by its JSON form. Empty values and booleans stay.
    fn secret_value(&self, v: &Value<'_>, tally: &mut Tally) -> Option<Redacted> {
        let text: Cow<'_, str> = match v {
            Value::Str(s) if !s.is_empty() => Cow::Borrowed(s),
            Value::Str(_) | Value::Empty | Value::Bool(_) => return None,
            Value::Int(i) => Cow::Owned(i.to_string()),
            Value::Double(d) => Cow::Owned(d.to_string()),
            Value::Bytes(b) | Value::InvalidStr(b) if b.is_empty() => return None,
            _ => Cow::Borrowed("<value>"),
        };
        self.engine.redact_secret(&text, tally)
    }

    fn wants(&self, kind: ItemKind) -> bool {
        !kind.is_shared() || self.cfg.resource_attributes
    }

    /// Redacts one value, recursively.
    fn value<'a>(&self, v: &Value<'a>, tally: &mut Tally, seen: &mut Seen<'a>) -> Res {
        let changed = |r: Redacted| match r {
            Redacted::Unchanged => Res::Same,
            Redacted::Changed(s) => Res::New(Tree::Str(s)),
            Redacted::Drop => Res::Drop,
        };
        match v {
            Value::Str(s) => changed(seen.value(&self.engine, s, tally)),
            Value::InvalidStr(_) | Value::Unscannable => {
                tally.add_unscannable();
                Res::New(Tree::Str(UNSCANNABLE_MARKER.to_string()))
            }
            Value::Bytes(b) => match self.engine.redact_bytes(b, tally) {
                Redacted::Unchanged => Res::Same,
                Redacted::Changed(b) => Res::New(Tree::Bytes(b)),
                Redacted::Drop => Res::Drop,
            },
            Value::Int(i) if i.unsigned_abs() >= SCANNED_INT => {
                changed(self.engine.redact_text(&i.to_string(), tally))
            }
            // a card number stored as a double: integral and 13+ digits
            Value::Double(d)
                if d.fract() == 0.0 && d.abs() >= SCANNED_INT as f64 && d.abs() < 1e19 =>
            {
                changed(self.engine.redact_text(&format!("{}", *d as i64), tally))
            }
            Value::Empty | Value::Bool(_) | Value::Int(_) | Value::Double(_) => Res::Same,
            Value::Array(items) => {
                let mut out: Option<Vec<Tree>> = None;
                for (i, it) in items.iter().enumerate() {
                    match self.value(it, tally, seen) {
                        Res::Drop => return Res::Drop,
                        Res::New(t) => {
                            out.get_or_insert_with(|| {
                                items[..i].iter().map(Tree::from_value).collect()
                            })
                            .push(t);
                        }
                        Res::Same => {
                            if let Some(o) = out.as_mut() {
                                o.push(Tree::from_value(it));
                            }
                        }
                    }
                }
                out.map_or(Res::Same, |a| Res::New(Tree::Array(a)))
            }
            Value::Map(entries) => {
                let mut out: Option<Vec<(String, Tree)>> = None;
                for (i, (k, it)) in entries.iter().enumerate() {
                    let lossy = is_lossy(k);
                    let scanned = match k {
                        Cow::Borrowed(k) => seen.text(&self.engine, k, tally),
                        Cow::Owned(k) => self.engine.redact_text(k, tally),
                    };
                    let key = match scanned {
                        Redacted::Drop => return Res::Drop,
                        Redacted::Changed(s) => Some(s),
                        // the decoded key is not the collector's: write the readable form
                        Redacted::Unchanged if lossy => Some(k.to_string()),
                        Redacted::Unchanged => None,
                    };
                    let val = if lossy {
                        // an undecodable key's value is not scanned: it becomes the marker
                        tally.add_unscannable();
                        Some(Tree::Str(UNSCANNABLE_MARKER.to_string()))
                    } else {
                        match self.value(it, tally, seen) {
                            Res::Drop => return Res::Drop,
                            Res::New(t) => Some(t),
                            Res::Same => None,
                        }
                    };
                    if key.is_some() || val.is_some() {
                        out.get_or_insert_with(|| {
                            entries[..i]
                                .iter()
                                .map(|(k, v)| (k.to_string(), Tree::from_value(v)))
                                .collect()
                        });
                    }
                    if let Some(o) = out.as_mut() {
                        o.push((
                            key.unwrap_or_else(|| k.to_string()),
                            val.unwrap_or_else(|| Tree::from_value(it)),
                        ));
                    }
                }
                out.map_or(Res::Same, |m| Res::New(Tree::Map(distinct_keys(m))))
            }
        }
    }

    /// Redacts the attribute at position `pos` of a map (the item's, or its event's or link's:
    /// `sub`) and records the edits. Every copy of a duplicated key has a position of its own.
    #[allow(clippy::ptr_arg)] // the Cow says whether the key was decoded lossily
    fn attr<'a>(
        &self,
        at: (u32, u32),
        pos: u32,
        key: &Cow<'a, str>,
        v: &Value<'a>,
        out: &mut Out<'_, 'a>,
        renames: &mut Renames<'_, '_>,
    ) {
        let (item, sub) = at;
        if is_lossy(key) {
            // The key is not the collector's key: what we decoded is not what an exporter
            // sends. Nothing of the attribute is scanned; it becomes the marker under a
            // readable key (scanned too).
            out.tally.add_unscannable();
            out.edits.delete_at(item, sub, pos);
            match self.engine.redact_text(key, &mut out.tally) {
                Redacted::Drop => out.totals.dropped += 1,
                r => {
                    let key = renames.free(match r {
                        Redacted::Changed(k) => k,
                        _ => key.to_string(),
                    });
                    out.edits
                        .set(item, sub, &key, NewValue::Str(UNSCANNABLE_MARKER));
                    out.totals.redacted += 1;
                }
            }
            return;
        }
        if !self.scans_key(key) {
            return;
        }
        let scanned = match key {
            Cow::Borrowed(k) => out.seen.text(&self.engine, k, &mut out.tally),
            Cow::Owned(k) => self.engine.redact_text(k, &mut out.tally),
        };
        let new_key = match scanned {
            Redacted::Unchanged => None,
            Redacted::Changed(k) => Some(k),
            Redacted::Drop => {
                out.edits.delete_at(item, sub, pos);
                out.totals.dropped += 1;
                return;
            }
        };
        let secret = match key {
            Cow::Borrowed(k) => out.seen.secret_key(k, |k| self.is_secret_key(k)),
            Cow::Owned(k) => self.is_secret_key(k),
        };
        if new_key.is_none() && secret {
            match self.secret_value(v, &mut out.tally) {
                Some(Redacted::Changed(m)) => {
                    out.edits.set_at(item, sub, pos, NewValue::Str(&m));
                    out.totals.redacted += 1;
                    return;
                }
                Some(Redacted::Drop) => {
                    out.edits.delete_at(item, sub, pos);
                    out.totals.dropped += 1;
                    return;
                }
                Some(Redacted::Unchanged) | None => {}
            }
        }
        let res = self.value(v, &mut out.tally, out.seen);
        let edits = &mut *out.edits;
        match (new_key, res) {
            (_, Res::Drop) => {
                edits.delete_at(item, sub, pos);
                out.totals.dropped += 1;
            }
            (None, Res::Same) => {}
            (None, Res::New(t)) => {
                out.totals.redacted += 1;
                match (&t, v) {
                    (Tree::Str(s), _) => edits.set_at(item, sub, pos, NewValue::Str(s)),
                    (Tree::Array(a), Value::Array(orig))
                        if orig.iter().all(|x| matches!(x, Value::Str(_)))
                            && a.iter().all(|x| matches!(x, Tree::Str(_))) =>
                    {
                        let strs: Vec<&str> = a
                            .iter()
                            .map(|x| match x {
                                Tree::Str(s) => s.as_str(),
                                _ => unreachable!("checked above"),
                            })
                            .collect();
                        edits.set_at(item, sub, pos, NewValue::StrArray(&strs));
                    }
                    _ => edits.set_at(item, sub, pos, NewValue::Tree(&t)),
                }
            }
            (Some(k), res) => {
                // a secret in the key: the attribute moves to the redacted key
                out.totals.redacted += 1;
                let t = match res {
                    Res::New(t) => t,
                    _ => Tree::from_value(v),
                };
                edits.delete_at(item, sub, pos);
                edits.set(item, sub, &renames.free(k), NewValue::Tree(&t));
            }
        }
    }

    fn attrs<'a>(
        &self,
        at: (u32, u32),
        attrs: &[(Cow<'a, str>, Value<'a>)],
        out: &mut Out<'_, 'a>,
    ) {
        let mut renames = Renames { attrs, taken: None };
        for (pos, (k, v)) in attrs.iter().enumerate() {
            self.attr(at, pos as u32, k, v, out, &mut renames);
        }
    }

    /// Redacts a string field (a name, status message, trace state, ...) of the item or of its
    /// event or link. A dropped field becomes empty; one that is not UTF-8 the marker.
    fn field<'a>(&self, at: (u32, u32), field: Field, v: &Value<'a>, out: &mut Out<'_, 'a>) {
        let (item, sub) = at;
        let new = match v {
            Value::Str(s) => match out.seen.value(&self.engine, s, &mut out.tally) {
                Redacted::Unchanged => return,
                Redacted::Changed(s) => Some(s),
                Redacted::Drop => None,
            },
            _ => {
                out.tally.add_unscannable();
                Some(UNSCANNABLE_MARKER.to_string())
            }
        };
        match new {
            Some(s) => {
                out.edits.set_field(item, sub, field, &s);
                out.totals.redacted += 1;
            }
            None => {
                out.edits.set_field(item, sub, field, "");
                out.totals.dropped += 1;
            }
        }
    }

    fn item<'a>(
        &self,
        item: &Item<'a>,
        totals: &mut BatchTotals,
        edits: &mut Edits,
        seen: &mut Seen<'a>,
    ) {
        let idx = item.index;
        let mut out = Out {
            tally: Tally::default(),
            totals,
            edits,
            seen,
        };
        let itself = (idx, ITEM_ITSELF);
        let scan_names = match item.kind {
            ItemKind::Span | ItemKind::Log => true,
            _ => self.cfg.resource_attributes,
        };
        if scan_names && !item.name.is_empty() {
            self.field(itself, Field::Name, &name_value(&item.name), &mut out);
        }
        for (f, v) in &item.fields {
            self.field(itself, *f, v, &mut out);
        }
        self.attrs(itself, &item.attrs, &mut out);
        if item.kind == ItemKind::Span && self.cfg.span_events {
            for ev in &item.events {
                let at = (idx, ev.index);
                if !ev.name.is_empty() {
                    self.field(at, Field::Name, &name_value(&ev.name), &mut out);
                }
                self.attrs(at, &ev.attrs, &mut out);
            }
        }
        for l in &item.links {
            let at = (idx, link(l.index));
            self.field(at, Field::TraceState, &l.trace_state, &mut out);
            self.attrs(at, &l.attrs, &mut out);
        }
        let Out {
            mut tally,
            totals,
            edits,
            seen,
        } = out;
        if item.kind == ItemKind::Log && self.cfg.log_bodies {
            match self.value(&item.body, &mut tally, seen) {
                Res::Same => {}
                Res::Drop => {
                    edits.set_body(idx, NewValue::Tree(&Tree::Empty));
                    totals.dropped += 1;
                }
                Res::New(Tree::Str(s)) => {
                    edits.set_body(idx, NewValue::Str(&s));
                    totals.redacted += 1;
                }
                Res::New(t) => {
                    edits.set_body(idx, NewValue::Tree(&t));
                    totals.redacted += 1;
                }
            }
        }
        if tally.is_empty() {
            return;
        }
        totals.items += 1;
        if !item.kind.is_shared() {
            edits.set_int(idx, keys::PII_COUNT, tally.total() as i64);
            let types = self.engine.types(&tally);
            edits.set(
                idx,
                ITEM_ITSELF,
                keys::PII_TYPES,
                NewValue::StrArray(&types),
            );
        }
        totals.tally.merge(&tally);
    }
}

/// The keys of one map, for an attribute that moves to a new key (a redacted or readable
/// one): the new key must not overwrite another attribute (the Go side sets by key).
struct Renames<'s, 'a> {
    attrs: &'s [(Cow<'a, str>, Value<'a>)],
    taken: Option<std::collections::HashSet<String>>,
}

impl Renames<'_, '_> {
    /// `key`, or `key#2`, `key#3`, ... whichever no attribute of the map has yet.
    fn free(&mut self, key: String) -> String {
        let attrs = self.attrs;
        let taken = self.taken.get_or_insert_with(|| {
            attrs
                .iter()
                .filter(|(k, _)| !is_lossy(k))
                .map(|(k, _)| k.to_string())
                .collect()
        });
        let key = unused(key, |k| taken.contains(k));
        taken.insert(key.clone());
        key
    }
}

/// `key`, or the first of `key#2`, `key#3`, ... that `used` says is free.
fn unused(key: String, used: impl Fn(&str) -> bool) -> String {
    if !used(&key) {
        return key;
    }
    (2..)
        .map(|n| format!("{key}#{n}"))
        .find(|k| !used(k))
        .expect("some suffix is free")
}

/// A rebuilt map whose keys are distinct (redaction can make two keys alike, and the wire may
/// bring duplicates): the Go side builds maps by key, so a repeated key would lose a value.
fn distinct_keys(mut m: Vec<(String, Tree)>) -> Vec<(String, Tree)> {
    let mut seen = std::collections::HashSet::with_capacity(m.len());
    if m.iter().all(|(k, _)| seen.insert(k.clone())) {
        return m;
    }
    seen.clear();
    let all: std::collections::HashSet<String> = m.iter().map(|(k, _)| k.clone()).collect();
    for (k, _) in &mut m {
        if !seen.insert(k.clone()) {
            *k = unused(std::mem::take(k), |c| all.contains(c) || seen.contains(c));
            seen.insert(k.clone());
        }
    }
    m
}

/// A decoded name as a value: the lossy copy of bytes that were not UTF-8 is unscannable.
#[allow(clippy::ptr_arg)] // the Cow says whether the name was decoded lossily
fn name_value<'a>(name: &Cow<'a, str>) -> Value<'a> {
    match name {
        Cow::Borrowed(s) => Value::Str(s),
        // a lossy copy: the bytes are not UTF-8, and what they were is not kept
        Cow::Owned(_) => Value::InvalidStr(b""),
    }
}

impl Stage for PiiRedactor {
    fn interest(&self) -> Interest {
        // a key list is enough when every include glob is exact or a prefix
        let narrow = !self.include.is_empty() && self.include.complex.is_empty();
        let skip_prefixes = self.exclude.prefixes.clone();
        Interest {
            keys: if narrow {
                self.include.exact.clone()
            } else {
                Vec::new()
            },
            prefixes: if narrow {
                self.include.prefixes.clone()
            } else {
                Vec::new()
            },
            skip_keys: self.exclude.exact.clone(),
            skip_prefixes,
            events: self.cfg.span_events,
            log_bodies: self.cfg.log_bodies,
            all_attributes: !narrow,
            all_items: true,
            resources: self.cfg.resource_attributes,
            strings: true,
            ..Interest::default()
        }
    }

    fn process(&self, batch: &Batch<'_>, edits: &mut Edits) {
        let mut totals = BatchTotals::default();
        let mut seen = Seen::default();
        for item in batch.items.iter().filter(|i| self.wants(i.kind)) {
            self.item(item, &mut totals, edits, &mut seen);
        }
        for (id, n) in totals.tally.by_detector() {
            let name = self.engine.detector_name(id);
            edits.count_by(counters::FINDINGS, name, u64::from(n));
        }
        edits.count(
            counters::UNSCANNABLE_VALUES,
            u64::from(totals.tally.unscannable()),
        );
        edits.count(counters::REDACTED_VALUES, totals.redacted);
        edits.count(counters::DROPPED_VALUES, totals.dropped);
        edits.count(counters::ITEMS_WITH_PII, totals.items);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use llmo_schema::edits::{decode_response, op, DecodedEdit};
    use llmo_schema::encoder::{encode_json_value, Encoder};
    use serde_json::json;

    /// Runs the stage; positional edits get the key they refer to, for the assertions.
    fn run(cfg: &str, enc: Encoder) -> (Vec<DecodedEdit>, Vec<(String, u64)>) {
        let stage = PiiRedactor::from_json(cfg.as_bytes()).unwrap();
        let buf = enc.finish();
        let batch = Batch::decode(&buf).unwrap();
        let mut edits = Edits::new();
        stage.process(&batch, &mut edits);
        let (mut edits, counters) = decode_response(&edits.finish()).unwrap();
        for e in &mut edits {
            let Some(pos) = e.pos else { continue };
            let item = batch.items.iter().find(|i| i.index == e.item).unwrap();
            let attrs = if e.event == ITEM_ITSELF {
                &item.attrs
            } else if e.event & llmo_schema::edits::LINK_BIT != 0 {
                let index = e.event & !llmo_schema::edits::LINK_BIT;
                &item.links.iter().find(|l| l.index == index).unwrap().attrs
            } else {
                &item
                    .events
                    .iter()
                    .find(|ev| ev.index == e.event)
                    .unwrap()
                    .attrs
            };
            e.key = attrs[pos as usize].0.to_string();
        }
        (edits, counters)
    }

    fn find<'e>(
        edits: &'e [DecodedEdit],
        item: u32,
        event: u32,
        key: &str,
    ) -> Option<&'e DecodedEdit> {
        edits
            .iter()
            .find(|e| e.item == item && e.event == event && e.key == key)
    }

    fn value(v: serde_json::Value) -> Vec<u8> {
        let mut b = Vec::new();
        encode_json_value(&v, &mut b);
        b
    }

    #[test]
    fn strings_arrays_events_and_report() {
        let mut enc = Encoder::new();
        enc.begin_item(ItemKind::Span, "chat", 0);
        enc.attr_str(
            "gen_ai.input.messages",
            r#"[{"role":"user","parts":[{"type":"text","content":"mail bob@example.com"}]}]"#,
        );
        enc.attr_str("clean", "nothing here");
        enc.attr_raw(
            "emails",
            &value(json!(["a@example.com", "ok", "b@example.org"])),
        );
        enc.attr_int("http.status_code", 200);
        enc.begin_events(1);
        enc.begin_event(3, "gen_ai.user.message");
        enc.attr_str("content", "call +1 415 555 2671");
        enc.end_event();
        enc.end_item_body(&[0]);
        let (edits, counters) = run("", enc);
        assert_eq!(
            find(&edits, 0, ITEM_ITSELF, "gen_ai.input.messages")
                .unwrap()
                .value,
            Some(json!(
                r#"[{"role":"user","parts":[{"type":"text","content":"mail <EMAIL>"}]}]"#
            ))
        );
        assert_eq!(
            find(&edits, 0, ITEM_ITSELF, "emails").unwrap().value,
            Some(json!(["<EMAIL>", "ok", "<EMAIL>"]))
        );
        assert_eq!(
            find(&edits, 0, 3, "content").unwrap().value,
            Some(json!("call <PHONE>"))
        );
        assert!(find(&edits, 0, ITEM_ITSELF, "clean").is_none());
        assert_eq!(
            find(&edits, 0, ITEM_ITSELF, keys::PII_COUNT).unwrap().value,
            Some(json!(4))
        );
        assert_eq!(
            find(&edits, 0, ITEM_ITSELF, keys::PII_TYPES).unwrap().value,
            Some(json!(["email", "phone"]))
        );
        let c: std::collections::HashMap<_, _> = counters.into_iter().collect();
        assert_eq!(c["findings:email"], 3);
        assert_eq!(c["findings:phone"], 1);
        assert_eq!(c[counters::REDACTED_VALUES], 3);
        assert_eq!(c[counters::ITEMS_WITH_PII], 1);
    }

    #[test]
    fn strings_repeated_across_items_are_judged_alike() {
        // short clean strings are remembered per batch, findings never are: every item gets
        // its own, whether the string is a value, a key, a name or inside a map
        let mut enc = Encoder::new();
        for i in 0..40 {
            enc.begin_item(ItemKind::Span, "chat gpt-4o", i);
            enc.attr_str("gen_ai.request.model", "gpt-4o");
            enc.attr_str("contact", "a@example.com");
            enc.attr_str("b@example.org", "gpt-4o");
            enc.attr_raw(
                "m",
                &value(json!({"a@example.com": "gpt-4o", "k": "a@example.com"})),
            );
            enc.end_item_without_events_or_body();
        }
        let (edits, counters) = run("", enc);
        for i in 0..40 {
            assert_eq!(
                find(&edits, i, ITEM_ITSELF, "contact").unwrap().value,
                Some(json!("<EMAIL>"))
            );
            assert_eq!(
                find(&edits, i, ITEM_ITSELF, "m").unwrap().value,
                Some(json!({"<EMAIL>": "gpt-4o", "k": "<EMAIL>"}))
            );
            assert!(find(&edits, i, ITEM_ITSELF, "gen_ai.request.model").is_none());
            assert_eq!(
                find(&edits, i, ITEM_ITSELF, keys::PII_COUNT).unwrap().value,
                Some(json!(4)),
                "item {i}"
            );
        }
        let c: std::collections::HashMap<_, _> = counters.into_iter().collect();
        assert_eq!(c["findings:email"], 160);
        assert_eq!(c[counters::ITEMS_WITH_PII], 40);
    }

    #[test]
    fn log_bodies_maps_and_nested_keys() {
        let mut enc = Encoder::new();
        enc.begin_item(ItemKind::Log, "", 0);
        enc.attr_raw(
            "user",
            &value(json!({"email": "a@example.com", "age": 42, "tags": [1, "x"]})),
        );
        enc.begin_events(0);
        enc.end_item_body(&value(
            json!({"msg": "card 4111 1111 1111 1111", "n": 1, "bob@example.com": true}),
        ));
        enc.begin_item(ItemKind::Log, "", 1);
        enc.begin_events(0);
        enc.end_item_body(&Encoder::value_str(b"ssn 123-45-6789"));
        let (edits, _) = run("", enc);
        assert_eq!(
            find(&edits, 0, ITEM_ITSELF, "user").unwrap().value,
            Some(json!({"email": "<EMAIL>", "age": 42, "tags": [1, "x"]}))
        );
        let body = edits
            .iter()
            .find(|e| e.item == 0 && e.op == op::SET_BODY)
            .unwrap();
        assert_eq!(
            body.value,
            Some(json!({"msg": "card <CREDIT_CARD>", "n": 1, "<EMAIL>": true}))
        );
        let body = edits
            .iter()
            .find(|e| e.item == 1 && e.op == op::SET_BODY)
            .unwrap();
        assert_eq!(body.value, Some(json!("ssn <US_SSN>")));
    }

    #[test]
    fn drop_deletes_the_attribute_and_empties_a_body() {
        let mut enc = Encoder::new();
        enc.begin_item(ItemKind::Log, "", 0);
        enc.attr_str("note", "ssn 123-45-6789");
        enc.attr_raw("list", &value(json!(["ok", "123-45-6789"])));
        enc.begin_events(0);
        enc.end_item_body(&Encoder::value_str(b"my ssn is 123-45-6789"));
        let (edits, counters) = run(r#"{"detectors": {"us_ssn": {"action": "drop"}}}"#, enc);
        assert_eq!(
            find(&edits, 0, ITEM_ITSELF, "note").unwrap().op,
            op::DELETE_ATTR_AT
        );
        assert_eq!(
            find(&edits, 0, ITEM_ITSELF, "list").unwrap().op,
            op::DELETE_ATTR_AT
        );
        let body = edits.iter().find(|e| e.op == op::SET_BODY).unwrap();
        assert_eq!(body.value, Some(serde_json::Value::Null));
        assert!(counters.contains(&(counters::DROPPED_VALUES.to_string(), 3)));
    }

    #[test]
    fn fails_closed_on_unscannable_values() {
        let mut enc = Encoder::new();
        enc.begin_item(ItemKind::Span, "x", 0);
        enc.attr_raw("bad", &Encoder::value_str(&[b'a', 0xff, b'@']));
        enc.attr_raw("deep", &[llmo_schema::wire::tag::UNSCANNABLE]);
        enc.attr_raw("nested", &value(json!({"ok": "fine"})));
        enc.attr_str("big", &"x".repeat(100));
        enc.end_item_without_events_or_body();
        let (edits, counters) = run(r#"{"max_value_bytes": 64}"#, enc);
        for k in ["bad", "deep", "big"] {
            assert_eq!(
                find(&edits, 0, ITEM_ITSELF, k).unwrap().value,
                Some(json!(UNSCANNABLE_MARKER)),
                "{k}"
            );
        }
        assert!(find(&edits, 0, ITEM_ITSELF, "nested").is_none());
        assert_eq!(
            find(&edits, 0, ITEM_ITSELF, keys::PII_TYPES).unwrap().value,
            Some(json!(["unscannable"]))
        );
        assert!(counters.contains(&(counters::UNSCANNABLE_VALUES.to_string(), 3)));
    }

    #[test]
    fn bytes_and_big_ints() {
        let mut enc = Encoder::new();
        enc.begin_item(ItemKind::Span, "x", 0);
        let mut b = vec![llmo_schema::wire::tag::BYTES];
        let raw = b"\x00\x01 mail a@example.com";
        b.extend_from_slice(&(raw.len() as u32).to_le_bytes());
        b.extend_from_slice(raw);
        enc.attr_raw("blob", &b);
        enc.attr_int("card", 4111111111111111);
        enc.attr_int("count", 4111);
        enc.end_item_without_events_or_body();
        let (edits, _) = run("", enc);
        assert!(find(&edits, 0, ITEM_ITSELF, "blob").is_some());
        assert_eq!(
            find(&edits, 0, ITEM_ITSELF, "card").unwrap().value,
            Some(json!("<CREDIT_CARD>"))
        );
        assert!(find(&edits, 0, ITEM_ITSELF, "count").is_none());
    }

    #[test]
    fn secret_named_attributes_are_redacted_whole() {
        let item = || {
            let mut enc = Encoder::new();
            enc.begin_item(ItemKind::Span, "SELECT", 0);
            for (k, v) in [
                ("db.password", json!("hunter2")),
                ("DB_PASSWORD", json!(123456)),
                ("app.client_secret", json!("c4f3")),
                (
                    "http.request.header.cookie",
                    json!(["sid=abc", "theme=dark"]),
                ),
                ("authorization", json!("Token abcdef")),
                ("oauth.refresh_token", json!("")),
                ("gen_ai.usage.input_tokens", json!(10)),
                ("gen_ai.token.type", json!("input")),
                ("db.statement", json!("SELECT 1")),
                ("feature.secret_sauce", json!(true)),
            ] {
                enc.attr_json(k, &v);
            }
            enc.end_item_without_events_or_body();
            enc
        };
        let (edits, counters) = run("", item());
        let got = |k: &str| find(&edits, 0, ITEM_ITSELF, k).map(|e| (e.op, e.value.clone()));
        let masked = Some((
            llmo_schema::edits::op::SET_ATTR_AT,
            Some(json!("<SECRET_ATTRIBUTE>")),
        ));
        for k in [
            "db.password",
            "DB_PASSWORD",
            "app.client_secret",
            "http.request.header.cookie",
            "authorization",
        ] {
            assert_eq!(got(k), masked, "{k}");
        }
        for k in [
            "oauth.refresh_token",
            "gen_ai.usage.input_tokens",
            "gen_ai.token.type",
            "db.statement",
            "feature.secret_sauce",
        ] {
            assert_eq!(got(k), None, "{k}");
        }
        assert!(
            counters.contains(&("findings:secret_attribute".into(), 5)),
            "{counters:?}"
        );
        // its own action; off; a key not scanned is not redacted either
        let (edits, _) = run(
            r#"{"detectors": {"secret_attribute": {"action": "drop"}}}"#,
            item(),
        );
        assert_eq!(
            find(&edits, 0, ITEM_ITSELF, "db.password").map(|e| e.op),
            Some(llmo_schema::edits::op::DELETE_ATTR_AT)
        );
        let (edits, _) = run(
            r#"{"detectors": {"secret_attribute": {"enabled": false}}}"#,
            item(),
        );
        assert!(find(&edits, 0, ITEM_ITSELF, "db.password").is_none());
        let (edits, _) = run(r#"{"exclude_keys": ["db.*"]}"#, item());
        assert!(find(&edits, 0, ITEM_ITSELF, "db.password").is_none());
        // the list is the user's: theirs replaces ours
        let (edits, _) = run(r#"{"secret_attribute_keys": ["*.pin"]}"#, {
            let mut enc = Encoder::new();
            enc.begin_item(ItemKind::Span, "x", 0);
            enc.attr_json("card.PIN", &json!(1234));
            enc.attr_json("db.password", &json!("hunter2"));
            enc.end_item_without_events_or_body();
            enc
        });
        assert!(find(&edits, 0, ITEM_ITSELF, "card.PIN").is_some());
        assert!(find(&edits, 0, ITEM_ITSELF, "db.password").is_none());
    }

    #[test]
    fn key_globs_and_resources() {
        let item = |kind, key: &str| {
            let mut enc = Encoder::new();
            enc.begin_item(kind, "x", 0);
            enc.attr_str(key, "a@example.com");
            enc.end_item_without_events_or_body();
            enc
        };
        let hit = |cfg: &str, kind, key: &str| !run(cfg, item(kind, key)).0.is_empty();
        assert!(hit("", ItemKind::Span, "user.email"));
        assert!(!hit(
            r#"{"exclude_keys": ["user.*"]}"#,
            ItemKind::Span,
            "user.email"
        ));
        assert!(!hit(
            r#"{"exclude_keys": ["*.e?ail"]}"#,
            ItemKind::Span,
            "user.email"
        ));
        assert!(hit(
            r#"{"include_keys": ["gen_ai.*"]}"#,
            ItemKind::Span,
            "gen_ai.prompt"
        ));
        assert!(!hit(
            r#"{"include_keys": ["gen_ai.*"]}"#,
            ItemKind::Span,
            "user.email"
        ));
        // enabled/traces/logs are the Go side's (pipeline.Envelope; piiredactionprocessor tests)
        assert!(hit("", ItemKind::SpanResource, "owner"));
        assert!(!hit(
            r#"{"resource_attributes": false}"#,
            ItemKind::SpanResource,
            "owner"
        ));
        assert!(hit("", ItemKind::Span, keys::PII_TYPES), "no exempt prefix");
        let (edits, _) = run(
            r#"{"resource_attributes": true}"#,
            item(ItemKind::LogResource, "owner"),
        );
        assert_eq!(edits.len(), 1, "the value only, no report on resources");
        assert_eq!(edits[0].value, Some(json!("<EMAIL>")));
    }

    #[test]
    fn no_field_is_exempt() {
        use llmo_schema::encoder::LinkSpec;
        let card = "4111 1111 1111 1111";
        let mut enc = Encoder::new();
        enc.begin_item(ItemKind::SpanScope, "lib bob@example.com", 0);
        enc.attr_str("scope.owner", "a@example.com");
        enc.begin_events(0);
        enc.end_item_parts(&[0], &[(Field::ScopeVersion, b"1.0 c@example.com")], &[]);
        enc.begin_item(ItemKind::Span, "SELECT * WHERE email = d@example.com", 1);
        enc.attr_str("dup", "ok");
        enc.attr_str("dup", card);
        enc.attr_str("dup", "e@example.com");
        enc.attr_raw_key(b"bad\xffkey", &Encoder::value_str(b"f@example.com"));
        enc.attr_str(keys::PII_TYPES, "g@example.com");
        enc.attr_str("token AKIAIOSFODNN7EXAMPLE", "v");
        enc.begin_events(1);
        enc.begin_event(2, "exception h@example.com");
        enc.end_event();
        let link_attrs = [(b"peer".as_slice(), Encoder::value_str(b"i@example.com"))];
        enc.end_item_parts(
            &[0],
            &[
                (Field::StatusMessage, b"failed for j@example.com"),
                (Field::TraceState, b"k=v"),
            ],
            &[LinkSpec {
                index: 4,
                trace_state: b"vendor=\xfe",
                attrs: &link_attrs,
            }],
        );
        let (edits, counters) = run("", enc);
        let field = |item, sub, f: Field| {
            edits
                .iter()
                .find(|e| e.item == item && e.event == sub && e.field == Some(f as u8))
                .and_then(|e| e.value.clone())
        };
        assert_eq!(
            field(0, ITEM_ITSELF, Field::Name),
            Some(json!("lib <EMAIL>"))
        );
        assert_eq!(
            field(0, ITEM_ITSELF, Field::ScopeVersion),
            Some(json!("1.0 <EMAIL>"))
        );
        assert_eq!(
            find(&edits, 0, ITEM_ITSELF, "scope.owner").unwrap().value,
            Some(json!("<EMAIL>"))
        );
        assert!(
            find(&edits, 0, ITEM_ITSELF, keys::PII_COUNT).is_none(),
            "shared"
        );
        assert_eq!(
            field(1, ITEM_ITSELF, Field::Name),
            Some(json!("SELECT * WHERE email = <EMAIL>"))
        );
        assert_eq!(
            field(1, ITEM_ITSELF, Field::StatusMessage),
            Some(json!("failed for <EMAIL>"))
        );
        assert_eq!(field(1, ITEM_ITSELF, Field::TraceState), None);
        assert_eq!(field(1, 2, Field::Name), Some(json!("exception <EMAIL>")));
        assert_eq!(
            field(1, link(4), Field::TraceState),
            Some(json!(UNSCANNABLE_MARKER))
        );
        assert_eq!(
            find(&edits, 1, link(4), "peer").unwrap().value,
            Some(json!("<EMAIL>"))
        );
        // every copy of a duplicated key, by position
        let at = |pos| {
            edits
                .iter()
                .find(|e| e.item == 1 && e.event == ITEM_ITSELF && e.pos == Some(pos))
                .map(|e| (e.op, e.value.clone()))
        };
        assert_eq!(at(0), None);
        assert_eq!(at(1), Some((op::SET_ATTR_AT, Some(json!("<CREDIT_CARD>")))));
        assert_eq!(at(2), Some((op::SET_ATTR_AT, Some(json!("<EMAIL>")))));
        // an undecodable key: deleted, its value unscanned, the marker under a readable key
        assert_eq!(at(3), Some((op::DELETE_ATTR_AT, None)));
        let keyed = |key: &str| {
            edits
                .iter()
                .find(|e| e.op == op::SET_ATTR && e.key == key)
                .and_then(|e| e.value.clone())
        };
        assert_eq!(keyed("bad\u{fffd}key"), Some(json!(UNSCANNABLE_MARKER)));
        // our own prefix is scanned
        assert_eq!(at(4), Some((op::SET_ATTR_AT, Some(json!("<EMAIL>")))));
        // a secret in a key: the attribute moves to the redacted key
        assert_eq!(at(5), Some((op::DELETE_ATTR_AT, None)));
        assert_eq!(keyed("token <AWS_ACCESS_KEY_ID>"), Some(json!("v")));
        let c: std::collections::HashMap<_, _> = counters.into_iter().collect();
        assert_eq!(
            c["findings:email"], 9,
            "a to j but f, behind an undecodable key"
        );
        assert_eq!(c[counters::UNSCANNABLE_VALUES], 2);
        assert_eq!(c[counters::ITEMS_WITH_PII], 2);
    }

    #[test]
    fn moved_keys_never_overwrite_another_attribute() {
        let mut enc = Encoder::new();
        enc.begin_item(ItemKind::Span, "x", 0);
        enc.attr_str("user <EMAIL>", "0");
        enc.attr_str("user a@example.com", "1");
        enc.attr_str("user b@example.com", "2");
        enc.attr_raw_key(b"k\xff", &Encoder::value_str(b"3"));
        enc.attr_raw_key(b"k\xfe", &Encoder::value_str(b"4"));
        enc.attr_json(
            "m",
            &json!({"a@example.com": 1, "b@example.com": 2, "<EMAIL>": 3}),
        );
        enc.attr_raw("bad", &nested_lossy());
        enc.attr_double("card", 4111111111111111.0);
        enc.end_item_without_events_or_body();
        let (edits, _) = run("", enc);
        let set = |key: &str| {
            edits
                .iter()
                .find(|e| e.op == op::SET_ATTR && e.key == key)
                .and_then(|e| e.value.clone())
        };
        assert_eq!(set("user <EMAIL>#2"), Some(json!("1")));
        assert_eq!(set("user <EMAIL>#3"), Some(json!("2")));
        assert_eq!(set("k\u{fffd}"), Some(json!(UNSCANNABLE_MARKER)));
        assert_eq!(set("k\u{fffd}#2"), Some(json!(UNSCANNABLE_MARKER)));
        assert_eq!(
            find(&edits, 0, ITEM_ITSELF, "m").unwrap().value,
            Some(json!({"<EMAIL>#2": 1, "<EMAIL>#3": 2, "<EMAIL>": 3}))
        );
        assert_eq!(
            find(&edits, 0, ITEM_ITSELF, "bad").unwrap().value,
            Some(json!({"x\u{fffd}": UNSCANNABLE_MARKER}))
        );
        assert_eq!(
            find(&edits, 0, ITEM_ITSELF, "card").unwrap().value,
            Some(json!("<CREDIT_CARD>"))
        );
    }

    /// A map value with one key that is not UTF-8: `{"x\xff": "secret@example.com"}`.
    fn nested_lossy() -> Vec<u8> {
        let mut b = vec![
            llmo_schema::wire::tag::MAP,
            1,
            0,
            0,
            0,
            2,
            0,
            0,
            0,
            b'x',
            0xff,
        ];
        b.extend_from_slice(&Encoder::value_str(b"secret@example.com"));
        b
    }

    #[test]
    fn interest_follows_the_config() {
        let i = PiiRedactor::from_json(b"").unwrap().interest();
        assert!(i.all_items && i.all_attributes && i.events && i.log_bodies);
        assert!(i.resources && i.strings);
        let i = PiiRedactor::from_json(br#"{"include_keys": ["gen_ai.*", "input.value"], "exclude_keys": ["gen_ai.usage.*", "x"], "resource_attributes": true}"#)
            .unwrap()
            .interest();
        assert!(!i.all_attributes && i.resources);
        assert_eq!(i.keys, ["input.value"]);
        assert_eq!(i.prefixes, ["gen_ai."]);
        assert_eq!(i.skip_keys, ["x"]);
        assert_eq!(i.skip_prefixes, ["gen_ai.usage."]);
        assert!(!i.matches_key("gen_ai.usage.input_tokens"));
        let i = PiiRedactor::from_json(br#"{"include_keys": ["*.content"]}"#)
            .unwrap()
            .interest();
        assert!(i.all_attributes);
    }
}
