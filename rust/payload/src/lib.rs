//! The `llm_payload_budget` stage: GenAI message content over a byte budget is cut so that
//! backends neither truncate it at an arbitrary byte (breaking the JSON), nor drop the span or
//! the batch.
//!
//! Per attribute (`max_attribute_bytes`) and per item (`max_item_bytes`, over all its content
//! attributes). A JSON message array (`gen_ai.input.messages`, OpenInference and Vercel message
//! lists, ...) keeps its system instructions, its last user turn and its last message; older
//! turns are replaced first, oldest first, by a stub saying how many bytes they held; if that
//! is not enough, the longest texts of what is kept are cut, each ending with a marker. Other
//! JSON is cut in its longest texts the same way, and plain text on a UTF-8 boundary. Every cut
//! text ends with `…[truncated N bytes]`, and the item gains the original length and SHA-256
//! of each value cut (`llm_observatory.payload.<key>.original_bytes` / `.sha256`), so identical
//! prompts can still be joined. Usage and cost attributes are never content: never touched.

use llmo_schema::edits::{Edits, NewValue, Tree, ITEM_ITSELF};
use llmo_schema::view::{Batch, Item, ItemKind, Value};
use llmo_schema::{Interest, Stage};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use std::borrow::Cow;

pub use llmo_schema::config::ConfigError;

/// Counter names the stage reports per batch.
pub mod counters {
    /// Values cut.
    pub const CUT_VALUES: &str = "cut_values";
    /// Bytes removed.
    pub const CUT_BYTES: &str = "cut_bytes";
}

/// Prefix of the keys the stage writes: `llm_observatory.payload.<key>.original_bytes`, `.sha256`.
pub const KEY_PREFIX: &str = "llm_observatory.payload.";

/// `llm_payload_budget` settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PayloadConfig {
    /// The most bytes one content attribute keeps.
    pub max_attribute_bytes: usize,
    /// The most bytes all content attributes of one span or log record keep together.
    pub max_item_bytes: usize,
    /// Content attributes, by exact key.
    pub keys: Vec<String>,
    /// Content attributes, by key prefix (flattened messages: `gen_ai.prompt.0.content`).
    pub key_prefixes: Vec<String>,
}

impl Default for PayloadConfig {
    fn default() -> Self {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect();
        Self {
            max_attribute_bytes: 64 << 10,
            max_item_bytes: 256 << 10,
            keys: s(&[
                "gen_ai.input.messages",
                "gen_ai.output.messages",
                "gen_ai.system_instructions",
                "gen_ai.tool.definitions",
                "gen_ai.prompt",
                "gen_ai.completion",
                "gen_ai.tool.call.arguments",
                "gen_ai.tool.call.result",
                "input.value",
                "output.value",
                "llm.prompts",
                "ai.prompt",
                "ai.prompt.messages",
                "ai.response.text",
                "ai.response.toolCalls",
                "ai.response.object",
                "langfuse.observation.input",
                "langfuse.observation.output",
                "traceloop.entity.input",
                "traceloop.entity.output",
            ]),
            key_prefixes: s(&[
                "gen_ai.prompt.",
                "gen_ai.completion.",
                "llm.input_messages.",
                "llm.output_messages.",
            ]),
        }
    }
}

/// The smallest budget a value is cut to when a whole item is over its budget: the marker
/// and a readable start.
const MIN_KEEP: usize = 1024;

/// The stage.
pub struct PayloadBudget {
    cfg: PayloadConfig,
}

impl PayloadBudget {
    /// Parses and checks the JSON config.
    pub fn from_json(json: &[u8]) -> Result<Self, ConfigError> {
        let cfg: PayloadConfig = llmo_schema::config::from_json(json, &[])?;
        if cfg.max_attribute_bytes < MIN_KEEP {
            return Err(ConfigError::invalid(
                "max_attribute_bytes",
                format!("must be at least {MIN_KEEP}"),
            ));
        }
        if cfg.max_item_bytes < cfg.max_attribute_bytes {
            return Err(ConfigError::invalid(
                "max_item_bytes",
                "must be at least max_attribute_bytes",
            ));
        }
        for (name, list) in [("keys", &cfg.keys), ("key_prefixes", &cfg.key_prefixes)] {
            if let Some(i) = list.iter().position(|k| k.is_empty()) {
                return Err(ConfigError::invalid(format!("{name}[{i}]"), "is empty"));
            }
        }
        Ok(Self { cfg })
    }

    /// The content attributes among `attrs` (of the item itself or of its event `sub`).
    fn content_attrs<'v>(
        &self,
        sub: u32,
        attrs: &'v [(Cow<'v, str>, Value<'v>)],
        out: &mut Vec<(Place<'v>, &'v str)>,
    ) {
        for (i, (k, v)) in attrs.iter().enumerate() {
            if let Value::Str(s) = v {
                if self.is_content(k) {
                    let key = k.as_ref();
                    out.push((
                        Place::Attr {
                            sub,
                            pos: i as u32,
                            key,
                        },
                        s,
                    ));
                }
            }
        }
    }

    fn is_content(&self, key: &str) -> bool {
        self.cfg.keys.iter().any(|k| k == key)
            || self.cfg.key_prefixes.iter().any(|p| key.starts_with(p))
    }
}

/// Where a content value sits in its item.
enum Place<'a> {
    /// An attribute of the item itself ([`ITEM_ITSELF`]) or of its event `sub`, at `pos`.
    Attr { sub: u32, pos: u32, key: &'a str },
    /// A string in a log record's body, at `path` (`body`, `body.content`,
    /// `body.message.tool_calls.0.function.arguments`).
    Body { path: String },
}

/// True for a log record whose body is GenAI content: a `gen_ai.*` event (the view's name of
/// a log record is its event name, or the `event.name` attribute older SDKs write).
fn genai_event_log(item: &Item<'_>) -> bool {
    item.kind == ItemKind::Log && item.name.starts_with("gen_ai.")
}

/// The string leaves of a body, in walk order, with their paths; `None` when the body holds a
/// value that could not be rebuilt as it came (invalid UTF-8, nested too deeply), so it is
/// left whole rather than changed.
fn body_leaves<'a>(
    v: &Value<'a>,
    path: &mut String,
    out: &mut Vec<(String, &'a str)>,
) -> Option<()> {
    match v {
        Value::Str(s) => out.push((path.clone(), s)),
        Value::InvalidStr(_) | Value::Unscannable => return None,
        Value::Array(a) => {
            for (i, e) in a.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!(".{i}"));
                body_leaves(e, path, out)?;
                path.truncate(len);
            }
        }
        Value::Map(m) => {
            for (k, e) in m {
                let len = path.len();
                path.push('.');
                path.push_str(k);
                body_leaves(e, path, out)?;
                path.truncate(len);
            }
        }
        _ => {}
    }
    Some(())
}

/// The body with its string leaves replaced, in walk order, by `cuts` where one is given.
fn rebuild(v: &Value<'_>, cuts: &mut impl Iterator<Item = Option<String>>) -> Tree {
    match v {
        Value::Str(s) => Tree::Str(cuts.next().flatten().unwrap_or_else(|| (*s).to_owned())),
        Value::Array(a) => Tree::Array(a.iter().map(|e| rebuild(e, cuts)).collect()),
        Value::Map(m) => Tree::Map(
            m.iter()
                .map(|(k, e)| (k.to_string(), rebuild(e, cuts)))
                .collect(),
        ),
        other => Tree::from_value(other),
    }
}

impl Stage for PayloadBudget {
    fn interest(&self) -> Interest {
        Interest {
            keys: self.cfg.keys.clone(),
            prefixes: self.cfg.key_prefixes.clone(),
            // content events: `gen_ai.content.prompt` span events (OpenLIT, semconv before
            // 1.28), `gen_ai.*.message` / `gen_ai.choice` log records (1.28-1.36),
            // `gen_ai.client.inference.operation.details` (1.37+)
            event_prefixes: vec!["gen_ai.".into()],
            events: true,
            log_bodies: true,
            ..Interest::default()
        }
    }

    fn process(&self, batch: &Batch<'_>, edits: &mut Edits) {
        for item in &batch.items {
            let mut content: Vec<(Place<'_>, &str)> = Vec::new();
            self.content_attrs(ITEM_ITSELF, &item.attrs, &mut content);
            for ev in &item.events {
                self.content_attrs(ev.index, &ev.attrs, &mut content);
            }
            let mut body = Vec::new();
            let body_ok = genai_event_log(item)
                && body_leaves(&item.body, &mut "body".to_string(), &mut body).is_some();
            if body_ok {
                content.extend(body.into_iter().map(|(path, s)| (Place::Body { path }, s)));
            }
            let budgets = budgets(
                &content.iter().map(|c| c.1.len()).collect::<Vec<_>>(),
                self.cfg.max_attribute_bytes,
                self.cfg.max_item_bytes,
            );
            let mut body_cuts: Vec<Option<String>> = Vec::new();
            for ((place, text), budget) in content.into_iter().zip(budgets) {
                if text.len() <= budget {
                    if matches!(place, Place::Body { .. }) {
                        body_cuts.push(None);
                    }
                    continue;
                }
                let (sub, key) = match &place {
                    Place::Attr { sub, key, .. } => (*sub, *key),
                    Place::Body { path } => (ITEM_ITSELF, path.as_str()),
                };
                let cut = cut(key, text, budget);
                edits.set(
                    item.index,
                    sub,
                    &format!("{KEY_PREFIX}{key}.original_bytes"),
                    NewValue::Int(text.len() as i64),
                );
                let digest = Sha256::digest(text.as_bytes());
                let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                edits.set(
                    item.index,
                    sub,
                    &format!("{KEY_PREFIX}{key}.sha256"),
                    NewValue::Str(&hex),
                );
                edits.count(counters::CUT_VALUES, 1);
                edits.count(
                    counters::CUT_BYTES,
                    text.len().saturating_sub(cut.len()) as u64,
                );
                match place {
                    Place::Attr { sub, pos, .. } => {
                        edits.set_at(item.index, sub, pos, NewValue::Str(&cut))
                    }
                    Place::Body { .. } => body_cuts.push(Some(cut)),
                }
            }
            if body_cuts.iter().any(Option::is_some) {
                let tree = rebuild(&item.body, &mut body_cuts.into_iter());
                match &tree {
                    Tree::Str(s) => edits.set_body(item.index, NewValue::Str(s)),
                    t => edits.set_body(item.index, NewValue::Tree(t)),
                }
            }
        }
    }
}

/// The budget of each value: at most `per_value`, and together at most `total` by one level
/// all values are cut to (the largest lose most; none below [`MIN_KEEP`] unless it is smaller
/// already, so an item of many values may stay a little over `total`).
fn budgets(sizes: &[usize], per_value: usize, total: usize) -> Vec<usize> {
    let capped: Vec<usize> = sizes.iter().map(|s| (*s).min(per_value)).collect();
    let fits = |level: usize| capped.iter().map(|s| (*s).min(level)).sum::<usize>() <= total;
    if fits(per_value) {
        return capped;
    }
    // the highest level at which everything fits
    let (mut lo, mut hi) = (MIN_KEEP, per_value);
    if !fits(lo) {
        hi = lo;
    }
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    capped.iter().map(|s| (*s).min(lo)).collect()
}

/// The marker that ends cut text.
fn marker(removed: usize) -> String {
    format!("…[truncated {removed} bytes]")
}

/// `text` cut to about `budget` bytes (the marker may take a few more), JSON kept valid.
pub fn cut(key: &str, text: &str, budget: usize) -> String {
    let t = text.trim_start();
    if t.starts_with('[') {
        if let Some(out) = cut_messages(key, text, budget) {
            return out;
        }
    }
    if t.starts_with('[') || t.starts_with('{') {
        if let Ok(mut v) = serde_json::from_str::<serde_json::Value>(text) {
            cut_leaves(&mut v, budget);
            return serde_json::to_string(&v).expect("a JSON value serializes");
        }
    }
    cut_text(text, budget)
}

/// Plain text: the start, cut on a UTF-8 boundary, and the marker.
fn cut_text(text: &str, budget: usize) -> String {
    if text.len() <= budget {
        return text.to_string();
    }
    let mut keep = budget.saturating_sub(marker(text.len()).len());
    while !text.is_char_boundary(keep) {
        keep -= 1;
    }
    let mut out = text[..keep].to_string();
    out.push_str(&marker(text.len() - keep));
    out
}

/// What [`cut_messages`] reads of a message: its role and which content shape it has (semconv
/// `parts`, or a legacy `content`); the content is skipped, not copied.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    role: Option<serde_json::Value>,
    #[serde(default)]
    parts: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    content: Option<serde::de::IgnoredAny>,
}

/// A message array: older turns become stubs (oldest first), then the longest texts of what
/// is kept are cut. `None` when `text` is not an array of objects.
fn cut_messages(key: &str, text: &str, budget: usize) -> Option<String> {
    let raw: Vec<&RawValue> = serde_json::from_str(text).ok()?;
    let mut roles = Vec::with_capacity(raw.len());
    for m in &raw {
        // the role and which content shape, without copying the content itself
        let h: Head = serde_json::from_str(m.get()).ok()?;
        roles.push((
            h.role.unwrap_or_default(),
            h.content.is_some() && h.parts.is_none(),
        ));
    }
    let last_user = roles.iter().rposition(|(r, _)| r == "user");
    let output = key.contains("output") || key.contains("completion");
    let protected =
        |i: usize| roles[i].0 == "system" || Some(i) == last_user || i + 1 == raw.len() || output;
    let mut parts: Vec<String> = raw.iter().map(|m| m.get().to_string()).collect();
    let size = |parts: &[String]| parts.iter().map(String::len).sum::<usize>() + parts.len() + 1;
    for i in 0..parts.len() {
        if size(&parts) <= budget {
            break;
        }
        if protected(i) {
            continue;
        }
        let (role, legacy) = &roles[i];
        let note = serde_json::to_string(&format!("[truncated {} bytes]", parts[i].len()))
            .expect("a string serializes");
        let role = serde_json::to_string(role).expect("a string serializes");
        parts[i] = if *legacy {
            format!(r#"{{"role":{role},"content":{note}}}"#)
        } else {
            format!(r#"{{"role":{role},"parts":[{{"type":"text","content":{note}}}]}}"#)
        };
    }
    let over = size(&parts).saturating_sub(budget);
    if over > 0 {
        // what is kept is still too big: cut its longest texts, largest message first
        let mut order: Vec<usize> = (0..parts.len()).collect();
        order.sort_by_key(|i| std::cmp::Reverse(parts[*i].len()));
        let mut over = over;
        for i in order {
            if over == 0 {
                break;
            }
            let mut v: serde_json::Value = serde_json::from_str(&parts[i]).ok()?;
            let target = parts[i].len().saturating_sub(over);
            cut_leaves(&mut v, target);
            let s = serde_json::to_string(&v).expect("a JSON value serializes");
            over = over.saturating_sub(parts[i].len().saturating_sub(s.len()));
            parts[i] = s;
        }
    }
    Some(format!("[{}]", parts.join(",")))
}

/// Cuts the longest strings of `v` (largest first) until its JSON is about `budget` bytes.
fn cut_leaves(v: &mut serde_json::Value, budget: usize) {
    let total = serde_json::to_string(v).map_or(0, |s| s.len());
    let mut over = total.saturating_sub(budget);
    while over > 0 {
        let Some(s) = longest_string(v) else { return };
        let len = s.len();
        let floor = 64.min(len);
        if len <= floor + marker(len).len() {
            return; // nothing left worth cutting
        }
        let keep_budget = len.saturating_sub(over).max(floor + marker(len).len());
        let cut = cut_text(s, keep_budget);
        let saved = len.saturating_sub(cut.len());
        *s = cut;
        if saved == 0 {
            return;
        }
        over = over.saturating_sub(saved);
    }
}

fn longest_string(v: &mut serde_json::Value) -> Option<&mut String> {
    let mut best: Option<&mut String> = None;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s)
                if !s.contains("…[truncated ")
                    && best.as_ref().is_none_or(|b| s.len() > b.len()) =>
            {
                best = Some(s);
            }
            serde_json::Value::Array(a) => stack.extend(a.iter_mut()),
            serde_json::Value::Object(o) => stack.extend(o.values_mut()),
            _ => {}
        }
    }
    best
}

#[cfg(test)]
mod tests;
