//! The cost of one call from its usage and a catalog entry, in exact attodollars.
//!
//! Token counts follow the GenAI semconv: input includes cache reads and writes, output
//! includes reasoning. Each part is billed once at its own rate (the cache is never billed
//! twice). Long-context tiers (`*_above_<N>k_tokens`) price the whole request at the tier rate
//! when the prompt exceeds the threshold, as providers bill. Service tiers (`flex`,
//! `priority`, ...) use their own rates where the catalog has them; batch uses `*_batches`
//! rates, or half price where a model has none.

use crate::catalog::{Atto, Entry};

/// Usage of one call (semconv meaning).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Input tokens, cache included.
    pub input: u64,
    /// Output tokens, reasoning included.
    pub output: u64,
    /// Cache reads (part of input).
    pub cache_read: u64,
    /// Cache writes (part of input).
    pub cache_creation: u64,
    /// Reasoning (part of output).
    pub reasoning: u64,
}

/// How the request was served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Standard.
    Standard,
    /// A named service tier with its own rates (`flex`, `priority`, `balanced`, `ultrafast`).
    Service(&'static str),
    /// The batch API.
    Batch,
}

impl Tier {
    /// From a `service_tier` attribute value.
    pub fn parse(s: &str) -> Tier {
        match s.trim().to_ascii_lowercase().as_str() {
            "flex" => Tier::Service("flex"),
            "priority" | "fast" => Tier::Service("priority"),
            "balanced" => Tier::Service("balanced"),
            "ultrafast" => Tier::Service("ultrafast"),
            "batch" | "batches" => Tier::Batch,
            _ => Tier::Standard,
        }
    }
}

/// A priced call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cost {
    /// Uncached input.
    pub input: Atto,
    /// Cache reads.
    pub cache_read: Atto,
    /// Cache writes.
    pub cache_creation: Atto,
    /// Output, reasoning included.
    pub output: Atto,
    /// The long-context threshold (tokens) whose rates applied, if any.
    pub tier_threshold: Option<u64>,
}

impl Cost {
    /// Input side (uncached + cache reads + cache writes).
    pub fn prompt(&self) -> Atto {
        self.input + self.cache_read + self.cache_creation
    }

    /// The whole call.
    pub fn total(&self) -> Atto {
        self.prompt() + self.output
    }
}

/// Attodollars as USD, rounded once.
pub fn usd(a: Atto) -> f64 {
    // the nearest double to the exact decimal: whole and fraction added as doubles would
    // round twice (1 + 0.36 is 1.3599999999999999)
    const ATTO: Atto = 1_000_000_000_000_000_000;
    let (sign, m) = if a < 0 { ("-", -a) } else { ("", a) };
    format!("{sign}{}.{:018}", m / ATTO, m % ATTO)
        .parse()
        .unwrap_or(f64::NAN)
}

/// The highest `_above_<N>k_tokens` threshold the prompt crosses.
fn crossed_threshold(e: &Entry, prompt: u64) -> Option<u64> {
    let inclusive = e.provider == "xai";
    e.rates
        .keys()
        .filter_map(|k| {
            let rest = k.split("_above_").nth(1)?;
            let n: u64 = rest.split("k_tokens").next()?.parse().ok()?;
            Some(n * 1000)
        })
        .filter(|t| if inclusive { prompt >= *t } else { prompt > *t })
        .max()
}

struct Rates<'e> {
    e: &'e Entry,
    threshold: Option<u64>,
    tier: Tier,
}

impl Rates<'_> {
    /// A rate by base name, with tier and service-tier variants, falling back to the base.
    fn get(&self, base: &str) -> Option<Atto> {
        let r = &self.e.rates;
        let above = self
            .threshold
            .map(|t| format!("{base}_above_{}k_tokens", t / 1000));
        let suffix = match self.tier {
            Tier::Service(s) => Some(s),
            Tier::Batch | Tier::Standard => None,
        };
        if let Some(s) = suffix {
            if let Some(a) = &above {
                if let Some(v) = r.get(&format!("{a}_{s}")) {
                    return Some(*v);
                }
            }
            if above.as_ref().is_none_or(|a| !r.contains_key(a)) {
                if let Some(v) = r.get(&format!("{base}_{s}")) {
                    return Some(*v);
                }
            }
        }
        above
            .as_ref()
            .and_then(|a| r.get(a))
            .or_else(|| r.get(base))
            .copied()
    }
}

/// A batch rate: `<base>_above_<N>k_tokens_batches` for the highest threshold the prompt
/// crosses among that rate's own batch tiers, else `<base>_batches`.
fn batch_rate(e: &Entry, base: &str, prompt: u64) -> Option<Atto> {
    let inclusive = e.provider == "xai";
    let prefix = format!("{base}_above_");
    let tier = e
        .rates
        .keys()
        .filter_map(|k| {
            k.strip_prefix(&prefix)?
                .strip_suffix("k_tokens_batches")?
                .parse::<u64>()
                .ok()
        })
        .map(|n| n * 1000)
        .filter(|t| if inclusive { prompt >= *t } else { prompt > *t })
        .max();
    tier.and_then(|t| {
        e.rates
            .get(&format!("{prefix}{}k_tokens_batches", t / 1000))
    })
    .or_else(|| e.rates.get(&format!("{base}_batches")))
    .copied()
}

/// The batch API: its own rates where the catalog has them, else half the standard rates.
/// Every output token is billed at the batch output rate (no separate reasoning rate).
fn price_batch(e: &Entry, u: Usage) -> Option<Cost> {
    let t = |n: u64| n as Atto;
    let base = |k: &str| e.rates.get(k).copied();
    let output_rate = batch_rate(e, "output_cost_per_token", u.input)
        .or(base("output_cost_per_token").map(|r| r / 2))
        .unwrap_or(0);
    let output = t(u.output) * output_rate;
    if let Some(input_rate) = batch_rate(e, "input_cost_per_token", u.input) {
        let read_rate = batch_rate(e, "cache_read_input_token_cost", u.input);
        let write_rate = batch_rate(e, "cache_creation_input_token_cost", u.input);
        // cache parts without a batch rate are billed as ordinary input
        let read = if read_rate.is_some() { u.cache_read } else { 0 };
        let written = if write_rate.is_some() {
            u.cache_creation
        } else {
            0
        };
        return Some(Cost {
            input: t(u.input.saturating_sub(read + written)) * input_rate,
            cache_read: t(read) * read_rate.unwrap_or(0),
            cache_creation: t(written) * write_rate.unwrap_or(0),
            output,
            tier_threshold: None,
        });
    }
    let input_rate = base("input_cost_per_token")?;
    Some(Cost {
        input: t(u.input.saturating_sub(u.cache_read + u.cache_creation)) * input_rate / 2,
        cache_read: t(u.cache_read) * base("cache_read_input_token_cost").unwrap_or(0) / 2,
        cache_creation: t(u.cache_creation)
            * base("cache_creation_input_token_cost").unwrap_or(input_rate)
            / 2,
        output,
        tier_threshold: None,
    })
}

/// Prices a call. `None` when the entry has no input price.
pub fn price(e: &Entry, u: Usage, tier: Tier, embeddings: bool) -> Option<Cost> {
    if tier == Tier::Batch && !(embeddings || e.mode == "embedding") {
        return price_batch(e, u);
    }
    let threshold = crossed_threshold(e, u.input);
    let rates = Rates { e, threshold, tier };
    let input_rate = rates.get("input_cost_per_token")?;
    let t = |n: u64| n as Atto;
    if embeddings || e.mode == "embedding" {
        return Some(Cost {
            input: t(u.input) * input_rate,
            tier_threshold: threshold,
            ..Cost::default()
        });
    }
    let cache_read_rate = rates.get("cache_read_input_token_cost").unwrap_or(
        // Fireworks bills uncached-priced cache reads at half the input price
        if e.provider == "fireworks_ai" {
            input_rate / 2
        } else {
            input_rate
        },
    );
    let cache_creation_rate = rates
        .get("cache_creation_input_token_cost")
        .unwrap_or(input_rate);
    let output_rate = rates.get("output_cost_per_token").unwrap_or(0);
    let uncached = u.input.saturating_sub(u.cache_read + u.cache_creation);
    // Reasoning at its own (flat) rate where the catalog has one, otherwise as output; under a
    // service tier, the tier's reasoning rate, else the tier's output rate if it has one.
    let reasoning_rate = match tier {
        _ if e.provider == "xai" => None,
        Tier::Service(s) => e
            .rates
            .get(&format!("output_cost_per_reasoning_token_{s}"))
            .copied()
            .or_else(|| {
                e.rates
                    .contains_key(&format!("output_cost_per_token_{s}"))
                    .then_some(output_rate)
            })
            .or_else(|| e.rates.get("output_cost_per_reasoning_token").copied()),
        _ => e.rates.get("output_cost_per_reasoning_token").copied(),
    };
    let output = match reasoning_rate {
        Some(rr) if u.reasoning > 0 => {
            let reasoning = u.reasoning.min(u.output);
            t(u.output - reasoning) * output_rate + t(reasoning) * rr
        }
        _ => t(u.output) * output_rate,
    };
    Some(Cost {
        input: t(uncached) * input_rate,
        cache_read: t(u.cache_read) * cache_read_rate,
        cache_creation: t(u.cache_creation) * cache_creation_rate,
        output,
        tier_threshold: threshold,
    })
}
