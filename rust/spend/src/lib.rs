//! The `llm_spend_guard` stage: bounded labels for spend metrics by tenant, user or any
//! attribute.
//!
//! Per-tenant cost metrics need the tenant as a metric label, and an attribute such as
//! `user.id` can take millions of values: one series each would sink any metrics backend.
//! The guard writes, onto each LLM call, `llm_observatory.spend.<attribute>` = the value when
//! it is one of the `top_k` biggest spenders, else `other`; spend metrics use that label
//! (`signal_to_metrics`), so each dimension has at most `top_k + 1` values per interval.
//!
//! Which values keep their own label: those that spent most (USD, from
//! `gen_ai.usage.cost.amount`) in the previous interval; while fewer than `top_k` are
//! admitted, a new value is admitted as it comes. The spend of the interval is tracked with a
//! space-saving summary of bounded size (a value evicted from it carries its count to the one
//! replacing it, so a heavy spender is never missed), and at each interval's end the `top_k`
//! biggest become the admitted set of the next. Every value folded into `other` is counted.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use llmo_schema::attrs as a;
use llmo_schema::edits::Edits;
use llmo_schema::view::{Batch, Item, ItemKind, Value};
use llmo_schema::{Interest, Stage};
use serde::{Deserialize, Serialize};

/// The label of a value that is not among the admitted ones.
pub const OTHER: &str = "other";
/// Prefix of the keys the stage writes: `llm_observatory.spend.<attribute>`.
pub const KEY_PREFIX: &str = "llm_observatory.spend.";
/// Longest value kept as a label; longer ones are folded into [`OTHER`].
pub const MAX_LABEL_BYTES: usize = 256;

/// Counter names the stage reports per batch, labelled by attribute.
pub mod counters {
    /// Calls labelled with their own value.
    pub const KEPT: &str = "kept";
    /// Calls whose value was folded into `other` (the guard's own drops).
    pub const FOLDED: &str = "folded";
}

/// One attribute to label spend by.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    /// The attribute, read from the span (or log record), else its resource.
    pub attribute: String,
    /// How many values keep their own label per interval.
    #[serde(default = "default_top_k")]
    pub top_k: u32,
}

fn default_top_k() -> u32 {
    100
}

/// `llm_spend_guard` settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SpendConfig {
    /// The attributes to label spend by.
    pub dimensions: Vec<Dimension>,
    /// How long an admitted set stands, in nanoseconds (a Go `time.Duration`).
    pub interval: u64,
}

impl Default for SpendConfig {
    fn default() -> Self {
        Self {
            // tenants are few and each matters; users are many: the guard keeps the top ones.
            // gen_ai.conversation.id is no dimension: every value is new and short-lived, so it
            // would be all `other` (look conversations up in traces instead).
            dimensions: vec![
                Dimension {
                    attribute: "tenant.id".into(),
                    top_k: 100,
                },
                Dimension {
                    attribute: "user.id".into(),
                    top_k: 100,
                },
            ],
            interval: 300_000_000_000,
        }
    }
}

pub use llmo_schema::config::ConfigError;

/// The largest `top_k`: label values beyond a few thousand per dimension defeat the guard.
pub const MAX_TOP_K: u32 = 10_000;

/// Space-saving summary of the spend per value in the current interval.
#[derive(Debug, Default)]
struct Summary {
    spend: HashMap<String, f64>,
    capacity: usize,
}

impl Summary {
    fn add(&mut self, value: &str, usd: f64) {
        if let Some(s) = self.spend.get_mut(value) {
            *s += usd;
            return;
        }
        if self.spend.len() < self.capacity {
            self.spend.insert(value.to_string(), usd);
            return;
        }
        // replace the smallest: the newcomer inherits its count (an overestimate, never an
        // underestimate, so a value that spends much is never lost)
        let (min_key, min) = self
            .spend
            .iter()
            .min_by(|a, b| a.1.total_cmp(b.1))
            .map(|(k, v)| (k.clone(), *v))
            .expect("capacity is above 0");
        self.spend.remove(&min_key);
        self.spend.insert(value.to_string(), min + usd);
    }

    /// The `k` biggest spenders, and a fresh summary.
    fn top(&mut self, k: usize) -> HashSet<String> {
        let mut all: Vec<(String, f64)> = self.spend.drain().collect();
        all.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        all.into_iter().take(k).map(|(v, _)| v).collect()
    }
}

#[derive(Debug)]
struct Guard {
    key: String,
    top_k: usize,
    admitted: HashSet<String>,
    summary: Summary,
}

#[derive(Debug)]
struct State {
    guards: Vec<Guard>,
    interval_end: u64,
}

/// The stage.
pub struct SpendGuard {
    cfg: SpendConfig,
    state: Mutex<State>,
}

impl SpendGuard {
    /// Parses and checks the JSON config.
    pub fn from_json(json: &[u8]) -> Result<Self, ConfigError> {
        let cfg: SpendConfig = llmo_schema::config::from_json(json, &[])?;
        let invalid = |key: String, reason: &str| ConfigError::invalid(key, reason);
        if cfg.interval < 1_000_000_000 {
            return Err(invalid("interval".into(), "must be at least 1s"));
        }
        let mut seen = HashSet::new();
        for (i, d) in cfg.dimensions.iter().enumerate() {
            if d.attribute.is_empty() {
                return Err(invalid(format!("dimensions[{i}].attribute"), "is empty"));
            }
            if !seen.insert(&d.attribute) {
                return Err(invalid(
                    format!("dimensions[{i}].attribute"),
                    "is listed twice",
                ));
            }
            if d.top_k == 0 || d.top_k > MAX_TOP_K {
                return Err(invalid(
                    format!("dimensions[{i}].top_k"),
                    &format!("must be 1 to {MAX_TOP_K}"),
                ));
            }
        }
        let guards = cfg
            .dimensions
            .iter()
            .map(|d| Guard {
                key: format!("{KEY_PREFIX}{}", d.attribute),
                top_k: d.top_k as usize,
                admitted: HashSet::new(),
                summary: Summary {
                    spend: HashMap::new(),
                    capacity: (d.top_k as usize * 8).max(1024),
                },
            })
            .collect();
        Ok(Self {
            cfg,
            state: Mutex::new(State {
                guards,
                interval_end: 0,
            }),
        })
    }

    /// Labels the batch's calls as of `now_unix_nano` (the stage uses the wall clock).
    pub fn process_at(&self, batch: &Batch<'_>, edits: &mut Edits, now_unix_nano: u64) {
        // a poisoned lock only means another batch panicked mid-way: the sets are still sets
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if now_unix_nano >= st.interval_end {
            for g in &mut st.guards {
                g.admitted = g.summary.top(g.top_k);
            }
            st.interval_end = now_unix_nano.saturating_add(self.cfg.interval);
        }
        let mut resource: Option<&Item<'_>> = None;
        for item in &batch.items {
            match item.kind {
                ItemKind::SpanResource | ItemKind::LogResource => {
                    resource = Some(item);
                    continue;
                }
                ItemKind::Span | ItemKind::Log => {}
                _ => continue,
            }
            if !is_call(item) {
                continue;
            }
            let usd = match item.attr(a::GEN_AI_USAGE_COST_AMOUNT) {
                Some(Value::Double(d)) if d.is_finite() && *d > 0.0 => *d,
                _ => 0.0,
            };
            for g in &mut st.guards {
                let attr = &g.key[KEY_PREFIX.len()..];
                let Some(value) =
                    label_value(item, attr).or_else(|| resource.and_then(|r| label_value(r, attr)))
                else {
                    continue;
                };
                let keep = value.len() <= MAX_LABEL_BYTES
                    && value != OTHER
                    && (g.admitted.contains(value)
                        || (g.admitted.len() < g.top_k && g.admitted.insert(value.to_string())));
                if keep {
                    g.summary.add(value, usd);
                    edits.set_str(item.index, &g.key, value);
                    edits.count_by(counters::KEPT, attr, 1);
                } else {
                    // it competes for the next interval's set (an oversized one never can)
                    if value.len() <= MAX_LABEL_BYTES && value != OTHER {
                        g.summary.add(value, usd);
                    }
                    edits.set_str(item.index, &g.key, OTHER);
                    edits.count_by(counters::FOLDED, attr, 1);
                }
            }
        }
    }
}

/// An LLM call with usage or cost that is not an aggregate of its children.
fn is_call(item: &Item<'_>) -> bool {
    if matches!(item.attr(a::LLMO_AGGREGATE), Some(Value::Bool(true))) {
        return false;
    }
    item.attr(a::GEN_AI_USAGE_COST_AMOUNT).is_some()
        || item.attr(a::GEN_AI_USAGE_INPUT_TOKENS).is_some()
        || item.attr(a::GEN_AI_USAGE_OUTPUT_TOKENS).is_some()
}

/// The attribute as label text: a non-empty string (an id of another type is left alone).
fn label_value<'a>(item: &Item<'a>, key: &str) -> Option<&'a str> {
    match item.attr(key)? {
        Value::Str(s) if !s.is_empty() => Some(s),
        _ => None,
    }
}

impl Stage for SpendGuard {
    fn interest(&self) -> Interest {
        let keys: Vec<String> = vec![
            a::GEN_AI_USAGE_COST_AMOUNT.into(),
            a::GEN_AI_USAGE_INPUT_TOKENS.into(),
            a::GEN_AI_USAGE_OUTPUT_TOKENS.into(),
        ];
        Interest {
            context_keys: self
                .cfg
                .dimensions
                .iter()
                .map(|d| d.attribute.clone())
                .chain([a::LLMO_AGGREGATE.to_string()])
                .collect(),
            keys,
            // a tenant is often a resource attribute (set once per service or SDK client)
            resources: true,
            ..Interest::default()
        }
    }

    fn process(&self, batch: &Batch<'_>, edits: &mut Edits) {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        self.process_at(batch, edits, now);
    }
}

#[cfg(test)]
mod tests;
