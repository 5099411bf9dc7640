//! The `cost_calculation` stage: prices each LLM span / GenAI operation record.

use std::borrow::Cow;

use llmo_schema::attrs as a;
use llmo_schema::edits::{Edits, NewValue, ITEM_ITSELF};
use llmo_schema::view::{Batch, Item, Value};
use llmo_schema::{Interest, Stage};

use crate::catalog::{Catalog, Entry};
use crate::config::{ConfigError, CostConfig};
use crate::overrides::Overrides;
use crate::pricing::{price, usd, Cost, Tier, Usage};

/// `llm_observatory.cost.*` breakdown and provenance.
pub mod keys {
    /// Uncached input, USD.
    pub const INPUT: &str = "llm_observatory.cost.input";
    /// Cache reads, USD.
    pub const CACHE_READ: &str = "llm_observatory.cost.cache_read";
    /// Cache writes, USD.
    pub const CACHE_CREATION: &str = "llm_observatory.cost.cache_creation";
    /// Output incl. reasoning, USD.
    pub const OUTPUT: &str = "llm_observatory.cost.output";
    /// The catalog key that priced the call.
    pub const PRICE_ENTRY: &str = "llm_observatory.cost.price_entry";
    /// The catalog's date.
    pub const CATALOG_DATE: &str = "llm_observatory.cost.catalog_date";
    /// When the call was priced from the price history (a price that changed): the period
    /// that price was in force, `2026-10-20/2026-10-29` (`..` an open end).
    pub const PRICE_PERIOD: &str = "llm_observatory.cost.price_period";
    /// Why no cost was written (`unknown_model`, `no_usage`, `implausible_usage`: a count over
    /// [`a::MAX_PLAUSIBLE_TOKENS`]).
    pub const STATUS: &str = "llm_observatory.cost.status";
    /// A cost the instrumentation reported itself (e.g. OpenLIT's gen_ai.usage.cost), kept aside.
    pub const REPORTED: &str = "llm_observatory.cost.reported";
    /// The provider whose configured discount was applied.
    pub const DISCOUNT: &str = "llm_observatory.cost.discount";
    /// What the prompt cache saved on the call in USD: its cache reads priced as uncached input
    /// minus what they cost. Written for calls with cache reads.
    pub const CACHE_SAVINGS: &str = "llm_observatory.cost.cache_savings";
    /// What cache writes cost over the same tokens as uncached input, USD (Anthropic: 25% more
    /// for 5-minute writes). Written for calls with cache writes.
    pub const CACHE_WRITE_PREMIUM: &str = "llm_observatory.cost.cache_write_premium";
    /// Our price of the call in USD, written whenever it could be priced, also when a reported
    /// cost stands as `gen_ai.usage.cost.amount` (to compare the two).
    pub const COMPUTED: &str = "llm_observatory.cost.computed";
}

/// Counter names the stage reports per batch (the Go side turns them into metrics).
pub mod counters {
    /// Items priced.
    pub const PRICED: &str = "priced";
    /// Items whose model has no price, labelled by the model id (bounded, and withheld when
    /// shaped like a secret: see `llmo_schema::loggable`).
    pub const UNKNOWN_MODEL: &str = "unknown_model";
}

/// The stage.
pub struct CostCalculator {
    cfg: CostConfig,
    catalog: Cow<'static, Catalog>,
    overrides: Overrides,
}

impl CostCalculator {
    /// Parses the JSON config (keys named in errors) and builds the stage on the embedded catalog.
    pub fn from_json(json: &[u8]) -> Result<Self, ConfigError> {
        let cfg: CostConfig = llmo_schema::config::from_json(json, &[])?;
        let overrides = Overrides::new(&cfg.prices, &cfg.provider_discounts)?;
        let catalog = match &cfg.pricing_file {
            None => Cow::Borrowed(Catalog::embedded()),
            Some(path) => Cow::Owned(load_pricing_file(path, cfg.pricing_file_date.as_deref())?),
        };
        if let Some(d) = &cfg.pricing_file_date {
            if crate::overrides::parse_instant(d).is_none() {
                return Err(ConfigError::Invalid {
                    key: "pricing_file_date".into(),
                    reason: format!("{d:?} is not a date (2026-11-01)"),
                });
            }
        }
        Ok(Self {
            cfg,
            catalog,
            overrides,
        })
    }
}

fn load_pricing_file(path: &str, date: Option<&str>) -> Result<Catalog, ConfigError> {
    let err = |e: &dyn std::fmt::Display| ConfigError::PricingFile {
        path: path.to_string(),
        reason: e.to_string(),
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(&e))?;
    let date = match date {
        Some(d) => d.to_string(),
        None => std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| civil_date(d.as_secs() as i64))
            .unwrap_or_else(|| "unknown".into()),
    };
    Catalog::embedded()
        .with_litellm_file(&text, &date)
        .map_err(|e| err(&e))
}

/// `YYYY-MM-DD` of a Unix time (UTC).
fn civil_date(secs: i64) -> String {
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + (m <= 2) as i64;
    format!("{y:04}-{m:02}-{d:02}")
}

fn int(item: &Item<'_>, k: &str) -> Option<u64> {
    match item.attr(k)? {
        Value::Int(i) if *i >= 0 => Some(*i as u64),
        _ => None,
    }
}

fn text<'a>(item: &Item<'a>, k: &str) -> Option<&'a str> {
    item.attr(k)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

impl Stage for CostCalculator {
    fn interest(&self) -> Interest {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        Interest {
            keys: s(&[
                a::GEN_AI_PROVIDER_NAME,
                a::GEN_AI_OPERATION_NAME,
                a::GEN_AI_REQUEST_MODEL,
                a::GEN_AI_RESPONSE_MODEL,
                a::GEN_AI_USAGE_INPUT_TOKENS,
                a::GEN_AI_USAGE_OUTPUT_TOKENS,
                a::GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
                a::GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
                a::GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
                a::LLMO_MODEL_CANONICAL,
                a::LLMO_AGGREGATE,
                a::GEN_AI_USAGE_COST,
                a::GEN_AI_USAGE_COST_AMOUNT,
                a::GEN_AI_USAGE_COST_CURRENCY,
                a::GEN_AI_USAGE_COST_SOURCE,
                OPERATION_COST,
                OPENINFERENCE_COST,
                MLFLOW_COST,
                keys::COMPUTED,
                "openai.response.service_tier",
                "openai.request.service_tier",
                "gen_ai.openai.request.service_tier",
                "gen_ai.openai.response.service_tier",
            ]),
            ..Interest::default()
        }
    }

    fn process(&self, batch: &Batch<'_>, edits: &mut Edits) {
        for item in &batch.items {
            self.price_item(item, edits);
        }
    }
}

/// No price: mark the item and count the model (the Go side names it in a warning, so the name
/// is bounded and withheld when shaped like a secret: it arrives before pii_redaction).
fn unknown_model(edits: &mut Edits, idx: u32, model: &str) {
    edits.set_str(idx, keys::STATUS, "unknown_model");
    edits.count_by(
        counters::UNKNOWN_MODEL,
        &llmo_schema::loggable::loggable(model),
        1,
    );
}

/// A number as instrumentations write it: a double, an integer or numeric text; finite only.
fn number(v: Option<&Value<'_>>) -> Option<f64> {
    let n = match v? {
        Value::Double(d) => *d,
        Value::Int(i) => *i as f64,
        Value::Str(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    n.is_finite().then_some(n)
}

/// The costs an item arrived with, and whose they are.
struct Arrived {
    /// `gen_ai.usage.cost` written by someone else (OpenLIT, Langfuse SDKs...).
    plain: Option<f64>,
    /// `gen_ai.usage.cost.amount` written by someone else (its source is not ours).
    amount: Option<f64>,
    /// That amount's source is missing (then we name it `instrumentation`).
    amount_unsourced: bool,
    /// That amount's currency is USD (or not given), so it can stand as the plain cost.
    amount_in_usd: bool,
}

impl Arrived {
    /// Reads the cost keys, telling a cost an earlier collector of ours wrote (an agent in front
    /// of this gateway: `gen_ai.usage.cost.source = llm_observatory`, or a plain copy of the
    /// amount) from a reported one, so running twice prices again instead of taking our own
    /// output for the provider's.
    fn read(item: &Item<'_>) -> Self {
        let ours = text(item, a::GEN_AI_USAGE_COST_SOURCE) == Some(SOURCE_OURS);
        let amount = number(item.attr(a::GEN_AI_USAGE_COST_AMOUNT));
        // a plain cost equal to the amount beside it is our copy of that amount; PydanticAI
        // and Logfire report theirs (genai-prices, USD) as `operation.cost`
        let plain = number(item.attr(a::GEN_AI_USAGE_COST))
            .or_else(|| number(item.attr(OPERATION_COST)))
            .or_else(|| number(item.attr(OPENINFERENCE_COST)))
            .or_else(|| mlflow_cost(item))
            .filter(|p| Some(*p) != amount);
        let amount = if ours { None } else { amount };
        Self {
            plain,
            amount,
            amount_unsourced: amount.is_some() && item.attr(a::GEN_AI_USAGE_COST_SOURCE).is_none(),
            amount_in_usd: matches!(
                text(item, a::GEN_AI_USAGE_COST_CURRENCY),
                None | Some("USD")
            ),
        }
    }
}

/// The cost PydanticAI and Logfire report per model call (USD).
const OPERATION_COST: &str = "operation.cost";
/// The call's total cost in OpenInference's conventions (USD).
const OPENINFERENCE_COST: &str = "llm.cost.total";
/// MLflow's cost of a call (USD), a JSON object `{input_cost, output_cost, total_cost}` that
/// its OTLP export encodes once more as a JSON string.
const MLFLOW_COST: &str = "mlflow.llm.cost";

/// `total_cost` of `mlflow.llm.cost` (or its parts summed), if it is a non-negative number.
fn mlflow_cost(item: &Item<'_>) -> Option<f64> {
    let raw = item.attr(MLFLOW_COST)?.as_str()?;
    if raw.len() > 4096 {
        return None;
    }
    let mut v: serde_json::Value = serde_json::from_str(raw).ok()?;
    if let serde_json::Value::String(inner) = &v {
        v = serde_json::from_str(inner).ok()?;
    }
    let part = |k: &str| v.get(k).and_then(serde_json::Value::as_f64);
    let total = part("total_cost").or_else(|| Some(part("input_cost")? + part("output_cost")?))?;
    (total.is_finite() && total >= 0.0).then_some(total)
}

/// `gen_ai.usage.cost.source` of a cost we computed.
pub const SOURCE_OURS: &str = "llm_observatory";
/// `gen_ai.usage.cost.source` of a cost the instrumentation or provider reported.
pub const SOURCE_REPORTED: &str = "instrumentation";

impl CostCalculator {
    fn price_item(&self, item: &Item<'_>, edits: &mut Edits) {
        if matches!(item.attr(a::LLMO_AGGREGATE), Some(Value::Bool(true))) {
            return; // its children carry the cost
        }
        let model = text(item, a::GEN_AI_RESPONSE_MODEL).or(text(item, a::GEN_AI_REQUEST_MODEL));
        let Some(model) = model else { return };
        let idx = item.index;
        let arrived = Arrived::read(item);
        if let Some(r) = arrived.plain {
            edits.set(idx, ITEM_ITSELF, keys::REPORTED, NewValue::Double(r));
        }
        let computed = self.compute(item, model, edits);
        // What stands as the call's cost: a reported amount is never overwritten; a reported
        // plain cost wins when preferred, or when we have no price of our own (OpenLIT writes
        // 0 when it has no price, which is no cost at all, so only a positive one stands in).
        let (amount, source) = match (arrived.amount, arrived.plain, computed) {
            (Some(r), _, _) => {
                if arrived.amount_unsourced {
                    edits.set_str(idx, a::GEN_AI_USAGE_COST_SOURCE, SOURCE_REPORTED);
                }
                (arrived.amount_in_usd.then_some(r), None)
            }
            (None, Some(r), Some(_)) if self.cfg.prefer_reported_cost => {
                (Some(r), Some(SOURCE_REPORTED))
            }
            (None, _, Some(c)) => (Some(c), Some(SOURCE_OURS)),
            (None, Some(r), None) if r > 0.0 => (Some(r), Some(SOURCE_REPORTED)),
            (None, _, None) => (None, None),
        };
        if let (Some(amount), Some(source)) = (amount, source) {
            edits.set(
                idx,
                ITEM_ITSELF,
                a::GEN_AI_USAGE_COST_AMOUNT,
                NewValue::Double(amount),
            );
            edits.set_str(idx, a::GEN_AI_USAGE_COST_CURRENCY, "USD");
            edits.set_str(idx, a::GEN_AI_USAGE_COST_SOURCE, source);
        }
        if self.cfg.plain_cost_attribute && arrived.plain.is_none() {
            if let Some(amount) = amount {
                edits.set(
                    idx,
                    ITEM_ITSELF,
                    a::GEN_AI_USAGE_COST,
                    NewValue::Double(amount),
                );
            }
        }
    }

    /// Prices the call from its usage (writing the breakdown and provenance), or marks why it
    /// cannot be priced; the total in USD.
    fn compute(&self, item: &Item<'_>, model: &str, edits: &mut Edits) -> Option<f64> {
        let idx = item.index;
        let (input, output) = (
            int(item, a::GEN_AI_USAGE_INPUT_TOKENS),
            int(item, a::GEN_AI_USAGE_OUTPUT_TOKENS),
        );
        // an SDK's empty usage (0 / 0) is none: no price of 0 for a call that ran
        let empty =
            llmo_genai::sources::empty_usage(input.map(|n| n as i64), output.map(|n| n as i64));
        let (Some(input), false) = (input, empty) else {
            edits.set_str(idx, keys::STATUS, "no_usage");
            edits.count("no_usage", 1);
            return None;
        };
        let usage = Usage {
            input,
            output: output.unwrap_or(0),
            cache_read: int(item, a::GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS).unwrap_or(0),
            cache_creation: int(item, a::GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS).unwrap_or(0),
            reasoning: int(item, a::GEN_AI_USAGE_REASONING_OUTPUT_TOKENS).unwrap_or(0),
        };
        let counts = [
            usage.input,
            usage.output,
            usage.cache_read,
            usage.cache_creation,
            usage.reasoning,
        ];
        if counts.iter().any(|n| *n > a::MAX_PLAUSIBLE_TOKENS) {
            edits.set_str(idx, keys::STATUS, "implausible_usage");
            edits.count("implausible_usage", 1);
            return None;
        }
        let provider = text(item, a::GEN_AI_PROVIDER_NAME);
        let canonical = text(item, a::LLMO_MODEL_CANONICAL);
        let Some(entry) = self.entry_for(model, canonical, provider, item.time_unix_nano) else {
            unknown_model(edits, idx, model);
            return None;
        };
        let tier = [
            "openai.response.service_tier",
            "gen_ai.openai.response.service_tier",
            "openai.request.service_tier",
            "gen_ai.openai.request.service_tier",
        ]
        .iter()
        .find_map(|k| text(item, k))
        .map(Tier::parse)
        .unwrap_or(Tier::Standard);
        let embeddings = text(item, a::GEN_AI_OPERATION_NAME) == Some("embeddings");
        let Some(cost) = price(entry, usage, tier, embeddings) else {
            unknown_model(edits, idx, model);
            return None;
        };
        let cost = self.discounted(provider, cost);
        if usage.cache_read > 0 || usage.cache_creation > 0 {
            self.cache_effect(entry, usage, tier, embeddings, provider, cost, idx, edits);
        }
        let total = usd(cost.total());
        let double = |edits: &mut Edits, k: &str, v: f64| {
            edits.set(idx, ITEM_ITSELF, k, NewValue::Double(v));
        };
        double(edits, keys::COMPUTED, total);
        double(edits, keys::INPUT, usd(cost.input));
        double(edits, keys::CACHE_READ, usd(cost.cache_read));
        double(edits, keys::CACHE_CREATION, usd(cost.cache_creation));
        double(edits, keys::OUTPUT, usd(cost.output));
        edits.set_str(idx, keys::PRICE_ENTRY, &entry.key);
        if let Some(p) = &entry.period {
            edits.set_str(idx, keys::PRICE_PERIOD, p);
        }
        edits.set_str(
            idx,
            keys::CATALOG_DATE,
            entry.date.as_deref().unwrap_or(&self.catalog.date),
        );
        if self.overrides.discounted(provider) {
            edits.set_str(idx, keys::DISCOUNT, provider.unwrap_or_default());
        }
        edits.count(counters::PRICED, 1);
        Some(total)
    }

    /// What the prompt cache did to the call's price: its cache reads billed as uncached input
    /// minus what they cost (the saving), and its cache writes minus the same tokens billed as
    /// uncached input (the premium). Both are zero or more; net saving = saving - premium.
    #[allow(clippy::too_many_arguments)]
    fn cache_effect(
        &self,
        entry: &Entry,
        usage: Usage,
        tier: Tier,
        embeddings: bool,
        provider: Option<&str>,
        cost: Cost,
        idx: u32,
        edits: &mut Edits,
    ) {
        let total = |u: Usage| {
            price(entry, u, tier, embeddings).map(|c| self.discounted(provider, c).total())
        };
        let mut usd_attr = |k: &str, atto| {
            edits.set(idx, ITEM_ITSELF, k, NewValue::Double(usd(atto)));
        };
        if usage.cache_read > 0 {
            if let Some(uncached) = total(Usage {
                cache_read: 0,
                ..usage
            }) {
                usd_attr(keys::CACHE_SAVINGS, uncached - cost.total());
            }
        }
        if usage.cache_creation > 0 {
            if let Some(uncached) = total(Usage {
                cache_creation: 0,
                ..usage
            }) {
                usd_attr(keys::CACHE_WRITE_PREMIUM, cost.total() - uncached);
            }
        }
    }

    /// The user's price in force at the call's start, else the catalog's price in force then.
    fn entry_for(
        &self,
        model: &str,
        canonical: Option<&str>,
        provider: Option<&str>,
        time_unix_nano: u64,
    ) -> Option<&Entry> {
        // an item without a time was made now
        let t = match time_unix_nano {
            0 => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(i64::MAX, |d| d.as_nanos() as i64),
            t => t.min(i64::MAX as u64) as i64,
        };
        if !self.overrides.is_empty() {
            let raw = model.trim().to_ascii_lowercase();
            let parsed = llmo_genai::model::parse_model(&raw).canonical;
            let canon = canonical.map(str::to_ascii_lowercase);
            let mut ids = vec![raw.as_str(), parsed.as_str()];
            ids.extend(canon.as_deref());
            if let Some(rule) = self.overrides.find(&ids, provider, t) {
                return Some(&rule.entry);
            }
        }
        crate::matching::find(&self.catalog, model, provider)
            .or_else(|| {
                // the enrichment's canonical id (e.g. an Azure deployment resolved through aliases)
                canonical.and_then(|c| crate::matching::find(&self.catalog, c, provider))
            })
            .map(|e| self.catalog.in_force(e, t))
    }

    fn discounted(&self, provider: Option<&str>, c: Cost) -> Cost {
        if !self.overrides.discounted(provider) {
            return c;
        }
        let d = |a| self.overrides.discount(provider, a);
        Cost {
            input: d(c.input),
            cache_read: d(c.cache_read),
            cache_creation: d(c.cache_creation),
            output: d(c.output),
            tier_threshold: c.tier_threshold,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use llmo_schema::edits::decode_response;
    use llmo_schema::encoder::Encoder;
    use llmo_schema::view::ItemKind;

    fn run(
        attrs: &[(&str, serde_json::Value)],
    ) -> std::collections::HashMap<String, serde_json::Value> {
        run_with("", 0, attrs)
    }

    fn run_with(
        config: &str,
        time_unix_nano: u64,
        attrs: &[(&str, serde_json::Value)],
    ) -> std::collections::HashMap<String, serde_json::Value> {
        let mut enc = Encoder::new();
        enc.begin_item_at(ItemKind::Span, "chat", 0, time_unix_nano);
        for (k, v) in attrs {
            enc.attr_json(k, v);
        }
        enc.end_item_without_events_or_body();
        let req = enc.finish();
        let mut edits = Edits::new();
        CostCalculator::from_json(config.as_bytes())
            .unwrap()
            .process(&Batch::decode(&req).unwrap(), &mut edits);
        let (edits, _) = decode_response(&edits.finish()).unwrap();
        edits
            .into_iter()
            .map(|e| (e.key, e.value.unwrap_or_default()))
            .collect()
    }

    /// The empty usage an SDK writes where the provider sent none (0 in, 0 out) is no usage:
    /// the call is not priced at 0; a real call with output 0 is priced.
    #[test]
    fn an_sdks_empty_usage_is_not_priced() {
        use serde_json::json;
        let call = |input: i64, output: i64| {
            run_with(
                "",
                0,
                &[
                    ("gen_ai.response.model", json!("gpt-4o")),
                    ("gen_ai.usage.input_tokens", json!(input)),
                    ("gen_ai.usage.output_tokens", json!(output)),
                ],
            )
        };
        let empty = call(0, 0);
        assert_eq!(empty.get("gen_ai.usage.cost.amount"), None, "{empty:?}");
        assert_eq!(empty["llm_observatory.cost.status"], json!("no_usage"));
        let cut_short = call(1000, 0);
        assert_eq!(cut_short["gen_ai.usage.cost.amount"], json!(0.0025));
    }

    #[test]
    fn a_call_is_priced_at_the_price_in_force_at_its_start() {
        use serde_json::json;
        let at = |date: &str, model: &str, input: i64| {
            let t = crate::overrides::parse_instant(date).unwrap() as u64;
            run_with(
                "",
                t,
                &[
                    ("gen_ai.response.model", json!(model)),
                    ("gen_ai.usage.input_tokens", json!(input)),
                    ("gen_ai.usage.output_tokens", json!(0)),
                ],
            )
        };
        // Mistral Large 4: LiteLLM's snapshot (2026-10-21) has 0.68 USD per M input;
        // genai-prices dates a doubling from 2026-10-20 (it wins: a dated change the
        // snapshot predates) and 0.70 from 2026-10-29 (after the snapshot)
        for (date, usd, period) in [
            ("2026-10-01T08:00:00Z", 0.68, Some("../2026-10-20")),
            ("2026-10-20T00:00:00Z", 1.36, Some("2026-10-20/2026-10-29")),
            ("2026-10-28T23:59:59Z", 1.36, Some("2026-10-20/2026-10-29")),
            ("2026-11-15T12:00:00Z", 0.70, Some("2026-10-29/..")),
        ] {
            let o = at(date, "mistral/mistral-large-4", 1_000_000);
            assert_eq!(o["gen_ai.usage.cost.amount"], json!(usd), "{date}");
            assert_eq!(
                o.get("llm_observatory.cost.price_period"),
                period.map(|p| json!(p)).as_ref(),
                "{date}"
            );
        }
        // o3 cost 10 USD per M input until OpenAI's cut of 2025-06-10, 2 since (LiteLLM's)
        let before = at("2025-05-01T00:00:00Z", "o3", 1_000_000);
        assert_eq!(before["gen_ai.usage.cost.amount"], json!(10.0));
        assert_eq!(before["llm_observatory.cost.price_entry"], json!("o3"));
        let after = at("2025-07-01T00:00:00Z", "o3", 1_000_000);
        assert_eq!(after["gen_ai.usage.cost.amount"], json!(2.0));
        assert!(!after.contains_key("llm_observatory.cost.price_period"));
        // a user's price file wins over our dated prices
        let cfg = r#"{"prices":[{"model":"o3","input_cost_per_token":3e-6,"output_cost_per_token":8e-6}]}"#;
        let t = crate::overrides::parse_instant("2025-05-01").unwrap() as u64;
        let o = run_with(
            cfg,
            t,
            &[
                ("gen_ai.response.model", json!("o3")),
                ("gen_ai.usage.input_tokens", json!(1_000_000)),
                ("gen_ai.usage.output_tokens", json!(0)),
            ],
        );
        assert_eq!(o["gen_ai.usage.cost.amount"], json!(3.0));
    }

    #[test]
    fn prices_a_call_with_cache_once() {
        use serde_json::json;
        // gpt-4o: input 2.5e-6, cache read 1.25e-6, output 1e-5 per token
        let o = run(&[
            ("gen_ai.provider.name", json!("openai")),
            ("gen_ai.response.model", json!("gpt-4o")),
            ("gen_ai.usage.input_tokens", json!(1234)),
            ("gen_ai.usage.output_tokens", json!(56)),
            ("gen_ai.usage.cache_read.input_tokens", json!(1000)),
        ]);
        // 234 * 2.5e-6 + 1000 * 1.25e-6 + 56 * 1e-5 = 0.000585 + 0.00125 + 0.00056
        assert_eq!(o["gen_ai.usage.cost.amount"], json!(0.002395));
        assert_eq!(o["gen_ai.usage.cost.currency"], json!("USD"));
        assert_eq!(o["llm_observatory.cost.price_entry"], json!("gpt-4o"));
    }

    #[test]
    fn cache_savings_and_the_write_premium() {
        use serde_json::json;
        // gpt-4o: input 2.5e-6, cache read 1.25e-6: 1000 reads save 1000 * 1.25e-6
        let o = run(&[
            ("gen_ai.response.model", json!("gpt-4o")),
            ("gen_ai.usage.input_tokens", json!(1234)),
            ("gen_ai.usage.output_tokens", json!(56)),
            ("gen_ai.usage.cache_read.input_tokens", json!(1000)),
        ]);
        assert_eq!(o["llm_observatory.cost.cache_savings"], json!(0.00125));
        assert!(!o.contains_key("llm_observatory.cost.cache_write_premium"));
        // claude-3-5-haiku on Anthropic: input 8e-7, cache read 8e-8, cache write 1e-6
        let call = |read: u64, write: u64| {
            run(&[
                ("gen_ai.provider.name", json!("anthropic")),
                ("gen_ai.response.model", json!("claude-3-5-haiku-20241022")),
                ("gen_ai.usage.input_tokens", json!(100 + read + write)),
                ("gen_ai.usage.output_tokens", json!(10)),
                ("gen_ai.usage.cache_read.input_tokens", json!(read)),
                ("gen_ai.usage.cache_creation.input_tokens", json!(write)),
            ])
        };
        // the first call writes the cache: 2000 * (1e-6 - 8e-7) over uncached input
        let first = call(0, 2000);
        assert_eq!(
            first["llm_observatory.cost.cache_write_premium"],
            json!(0.0004)
        );
        assert!(!first.contains_key("llm_observatory.cost.cache_savings"));
        // the next reads it: 2000 * (8e-7 - 8e-8)
        let next = call(2000, 0);
        assert_eq!(next["llm_observatory.cost.cache_savings"], json!(0.00144));
        // none without a cache
        assert!(!next.contains_key("llm_observatory.cost.cache_write_premium"));
        // both at once, each on its own tokens
        let both = call(2000, 500);
        assert_eq!(both["llm_observatory.cost.cache_savings"], json!(0.00144));
        assert_eq!(
            both["llm_observatory.cost.cache_write_premium"],
            json!(0.0001)
        );
        let none = call(0, 0);
        assert!(!none.contains_key("llm_observatory.cost.cache_savings"));
        assert!(!none.contains_key("llm_observatory.cost.cache_write_premium"));
    }

    #[test]
    fn unknown_models_are_marked_not_priced() {
        use serde_json::json;
        let o = run(&[
            ("gen_ai.request.model", json!("my-own-model")),
            ("gen_ai.usage.input_tokens", json!(10)),
        ]);
        assert_eq!(o["llm_observatory.cost.status"], json!("unknown_model"));
        assert!(!o.contains_key("gen_ai.usage.cost.amount"));
    }

    #[test]
    fn implausible_usage_is_marked_not_priced() {
        use serde_json::json;
        for key in [
            "gen_ai.usage.input_tokens",
            "gen_ai.usage.output_tokens",
            "gen_ai.usage.cache_read.input_tokens",
        ] {
            let mut attrs = vec![("gen_ai.request.model", json!("gpt-4o"))];
            if key != "gen_ai.usage.input_tokens" {
                attrs.push(("gen_ai.usage.input_tokens", json!(10)));
            }
            attrs.push((key, json!(1_i64 << 62)));
            let o = run(&attrs);
            assert_eq!(
                o["llm_observatory.cost.status"],
                json!("implausible_usage"),
                "{key}"
            );
            assert!(!o.contains_key("gen_ai.usage.cost.amount"), "{key}");
        }
        // at the bound itself, it is priced
        let o = run(&[
            ("gen_ai.request.model", json!("gpt-4o")),
            ("gen_ai.usage.input_tokens", json!(100_000_000)),
        ]);
        assert_eq!(o["gen_ai.usage.cost.amount"], json!(250.0));
    }

    #[test]
    fn a_reported_cost_is_kept_aside() {
        use serde_json::json;
        let o = run(&[
            ("gen_ai.request.model", json!("gpt-4o")),
            ("gen_ai.usage.input_tokens", json!(1000)),
            ("gen_ai.usage.output_tokens", json!(0)),
            ("gen_ai.usage.cost", json!(0)),
        ]);
        assert_eq!(o["llm_observatory.cost.reported"], json!(0.0));
        assert_eq!(o["gen_ai.usage.cost.amount"], json!(0.0025));
    }

    #[test]
    fn a_reported_amount_is_never_overwritten() {
        use serde_json::json;
        let call = |extra: &[(&str, serde_json::Value)], cfg: &str| {
            let mut attrs = vec![
                ("gen_ai.request.model", json!("gpt-4o")),
                ("gen_ai.usage.input_tokens", json!(1000)),
                ("gen_ai.usage.output_tokens", json!(0)),
            ];
            attrs.extend(extra.iter().cloned());
            run_with(cfg, 0, &attrs)
        };
        // the provider's own figure (a gateway such as OpenRouter reports it), unsourced
        let o = call(&[("gen_ai.usage.cost.amount", json!(0.0031))], "");
        assert!(!o.contains_key("gen_ai.usage.cost.amount"), "{o:?}");
        assert_eq!(o["gen_ai.usage.cost.source"], json!("instrumentation"));
        assert_eq!(o["llm_observatory.cost.computed"], json!(0.0025));
        // sourced by whoever wrote it: nothing of theirs is touched, ours is written aside
        let o = call(
            &[
                ("gen_ai.usage.cost.amount", json!(0.0031)),
                ("gen_ai.usage.cost.source", json!("provider")),
            ],
            r#"{"plain_cost_attribute": true}"#,
        );
        assert!(!o.contains_key("gen_ai.usage.cost.amount"));
        assert!(!o.contains_key("gen_ai.usage.cost.source"));
        assert_eq!(o["gen_ai.usage.cost"], json!(0.0031), "dashboards see it");
        assert_eq!(o["llm_observatory.cost.computed"], json!(0.0025));
        // in another currency it cannot stand as the plain USD figure
        let o = call(
            &[
                ("gen_ai.usage.cost.amount", json!(0.0029)),
                ("gen_ai.usage.cost.currency", json!("EUR")),
            ],
            r#"{"plain_cost_attribute": true}"#,
        );
        assert!(!o.contains_key("gen_ai.usage.cost"), "{o:?}");
        assert!(!o.contains_key("gen_ai.usage.cost.currency"));
    }

    #[test]
    fn the_plain_cost_is_written_when_asked_and_never_over_a_reported_one() {
        use serde_json::json;
        let call = [
            ("gen_ai.request.model", json!("gpt-4o")),
            ("gen_ai.usage.input_tokens", json!(1000)),
            ("gen_ai.usage.output_tokens", json!(0)),
        ];
        let off = run(&call);
        assert!(!off.contains_key("gen_ai.usage.cost"), "off by default");
        let on = run_with(r#"{"plain_cost_attribute": true}"#, 0, &call);
        assert_eq!(on["gen_ai.usage.cost"], json!(0.0025));
        assert_eq!(on["gen_ai.usage.cost.amount"], json!(0.0025));
        assert_eq!(on["gen_ai.usage.cost.source"], json!("llm_observatory"));
        // OpenLIT's figure stays as it came; amount follows prefer_reported_cost
        let mut lit = call.to_vec();
        lit.push(("gen_ai.usage.cost", json!(0.0024)));
        for (cfg, amount, source) in [
            (
                r#"{"plain_cost_attribute": true}"#,
                0.0025,
                "llm_observatory",
            ),
            (
                r#"{"plain_cost_attribute": true, "prefer_reported_cost": true}"#,
                0.0024,
                "instrumentation",
            ),
        ] {
            let o = run_with(cfg, 0, &lit);
            assert!(!o.contains_key("gen_ai.usage.cost"), "{cfg}");
            assert_eq!(o["gen_ai.usage.cost.amount"], json!(amount), "{cfg}");
            assert_eq!(o["gen_ai.usage.cost.source"], json!(source), "{cfg}");
            assert_eq!(o["llm_observatory.cost.reported"], json!(0.0024), "{cfg}");
        }
    }

    #[test]
    fn pydantic_ai_operation_cost_is_a_reported_cost() {
        use serde_json::json;
        // as captured: PydanticAI's own price of the call beside its usage
        let o = run(&[
            ("gen_ai.provider.name", json!("openai")),
            ("gen_ai.response.model", json!("gpt-4o-2024-08-06")),
            ("gen_ai.usage.input_tokens", json!(1234)),
            ("gen_ai.usage.output_tokens", json!(56)),
            ("gen_ai.usage.cache_read.input_tokens", json!(1000)),
            ("operation.cost", json!(0.002395)),
        ]);
        assert_eq!(o["llm_observatory.cost.reported"], json!(0.002395));
        assert_eq!(
            o["gen_ai.usage.cost.amount"],
            json!(0.002395),
            "ours agrees"
        );
        // a model we cannot price: theirs stands in
        let o = run(&[
            ("gen_ai.response.model", json!("acme-private-1")),
            ("gen_ai.usage.input_tokens", json!(10)),
            ("operation.cost", json!(0.5)),
        ]);
        assert_eq!(o["gen_ai.usage.cost.amount"], json!(0.5));
        assert_eq!(o["gen_ai.usage.cost.source"], json!("instrumentation"));
    }

    #[test]
    fn openinference_and_mlflow_costs_are_reported_costs() {
        use serde_json::json;
        let call = |extra: (&'static str, serde_json::Value)| {
            run(&[
                ("gen_ai.response.model", json!("acme-private-1")),
                ("gen_ai.usage.input_tokens", json!(10)),
                extra,
            ])
        };
        for (extra, want) in [
            (("llm.cost.total", json!(0.25)), Some(0.25)),
            // MLflow's OTLP export: the JSON object encoded once more as a JSON string
            (
                (
                    "mlflow.llm.cost",
                    json!("\"{\\\"input_cost\\\": 0.1, \\\"output_cost\\\": 0.15, \\\"total_cost\\\": 0.25}\""),
                ),
                Some(0.25),
            ),
            // as the SDK writes it in process; parts without a total
            (
                (
                    "mlflow.llm.cost",
                    json!("{\"input_cost\": 0.1, \"output_cost\": 0.15}"),
                ),
                Some(0.25),
            ),
            // broken or negative: not a cost
            (("mlflow.llm.cost", json!("{\"total_cost\": -1}")), None),
            (("mlflow.llm.cost", json!("not json")), None),
            (("llm.cost.total", json!("cheap")), None),
        ] {
            let o = call(extra.clone());
            match want {
                Some(w) => {
                    assert_eq!(o["llm_observatory.cost.reported"], json!(w), "{extra:?}");
                    assert_eq!(o["gen_ai.usage.cost.amount"], json!(w), "{extra:?}");
                    assert_eq!(o["gen_ai.usage.cost.source"], json!("instrumentation"));
                }
                None => assert!(
                    !o.contains_key("llm_observatory.cost.reported")
                        && !o.contains_key("gen_ai.usage.cost.amount"),
                    "{extra:?}: {o:?}"
                ),
            }
        }
    }

    #[test]
    fn a_reported_cost_stands_in_where_there_is_no_price() {
        use serde_json::json;
        let unknown = |cost: serde_json::Value| {
            run(&[
                ("gen_ai.request.model", json!("my-own-model")),
                ("gen_ai.usage.input_tokens", json!(10)),
                ("gen_ai.usage.cost", cost),
            ])
        };
        let o = unknown(json!(0.0007));
        assert_eq!(o["gen_ai.usage.cost.amount"], json!(0.0007));
        assert_eq!(o["gen_ai.usage.cost.source"], json!("instrumentation"));
        assert_eq!(o["llm_observatory.cost.status"], json!("unknown_model"));
        assert!(!o.contains_key("llm_observatory.cost.computed"));
        // OpenLIT's 0 without a price table is no figure: nothing stands in
        let o = unknown(json!(0));
        assert!(!o.contains_key("gen_ai.usage.cost.amount"), "{o:?}");
        // numeric text counts, broken text and non-finite values do not
        assert_eq!(
            unknown(json!(" 0.5 "))["gen_ai.usage.cost.amount"],
            json!(0.5)
        );
        for bad in [json!("n/a"), json!("NaN"), json!("inf"), json!(true)] {
            let o = unknown(bad.clone());
            assert!(!o.contains_key("gen_ai.usage.cost.amount"), "{bad}");
            assert!(!o.contains_key("llm_observatory.cost.reported"), "{bad}");
        }
    }

    #[test]
    fn pricing_our_own_output_again_changes_nothing() {
        use serde_json::json;
        // an agent collector priced the call; the gateway's cost_calculation sees its output
        let cfg = r#"{"plain_cost_attribute": true}"#;
        let call = vec![
            ("gen_ai.request.model", json!("gpt-4o")),
            ("gen_ai.usage.input_tokens", json!(1000)),
            ("gen_ai.usage.output_tokens", json!(0)),
        ];
        let mut provider = call.clone();
        provider.push(("gen_ai.usage.cost.amount", json!(0.0031)));
        let mut openlit = call.clone();
        openlit.push(("gen_ai.usage.cost", json!(0.0024)));
        for (name, call) in [("ours", call), ("provider", provider), ("openlit", openlit)] {
            let first = run_with(cfg, 0, &call);
            // the item as the agent sent it: what it came with, with the edits applied
            let mut merged: std::collections::BTreeMap<&str, serde_json::Value> =
                call.iter().cloned().collect();
            merged.extend(first.iter().map(|(k, v)| (k.as_str(), v.clone())));
            let again: Vec<_> = merged.into_iter().collect();
            let second = run_with(cfg, 0, &again);
            // the second pass writes nothing the item does not hold already
            for (k, v) in &second {
                assert_eq!(
                    Some(v),
                    again.iter().find(|(a, _)| a == k).map(|(_, v)| v),
                    "{name}: {k}"
                );
            }
        }
    }

    fn at(day: &str) -> u64 {
        crate::overrides::parse_instant(day).unwrap() as u64
    }

    #[test]
    fn user_prices_follow_the_span_start_time() {
        use serde_json::json;
        let cfg = r#"{"prices": [
            {"model": "acme-llm-*", "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6},
            {"model": "acme-llm-*", "input_cost_per_token": 5e-7, "output_cost_per_token": 1e-6,
             "effective_from": "2026-06-01"}
        ]}"#;
        let call = [
            ("gen_ai.request.model", json!("acme-llm-large")),
            ("gen_ai.usage.input_tokens", json!(1000)),
            ("gen_ai.usage.output_tokens", json!(100)),
        ];
        let before = run_with(cfg, at("2026-05-31"), &call);
        assert_eq!(before["gen_ai.usage.cost.amount"], json!(0.0012));
        assert_eq!(
            before["llm_observatory.cost.price_entry"],
            json!("override:acme-llm-*")
        );
        let after = run_with(cfg, at("2026-06-02"), &call);
        assert_eq!(after["gen_ai.usage.cost.amount"], json!(0.0006));
        assert_eq!(
            after["llm_observatory.cost.catalog_date"],
            json!("2026-06-01")
        );
        // a user price beats the catalog for a model the catalog knows
        let gpt = run_with(
            r#"{"prices": [{"model": "gpt-4o", "input_cost_per_token": 1e-6}]}"#,
            0,
            &[
                ("gen_ai.request.model", json!("gpt-4o")),
                ("gen_ai.usage.input_tokens", json!(1000)),
                ("gen_ai.usage.output_tokens", json!(0)),
            ],
        );
        assert_eq!(gpt["gen_ai.usage.cost.amount"], json!(0.001));
    }

    #[test]
    fn provider_discounts_apply_to_every_part() {
        use serde_json::json;
        let o = run_with(
            r#"{"provider_discounts": {"openai": 0.8}}"#,
            0,
            &[
                ("gen_ai.provider.name", json!("openai")),
                ("gen_ai.response.model", json!("gpt-4o")),
                ("gen_ai.usage.input_tokens", json!(1234)),
                ("gen_ai.usage.output_tokens", json!(56)),
                ("gen_ai.usage.cache_read.input_tokens", json!(1000)),
            ],
        );
        // 0.002395 * 0.8, exactly
        assert_eq!(o["gen_ai.usage.cost.amount"], json!(0.001916));
        assert_eq!(o["llm_observatory.cost.output"], json!(0.000448));
        assert_eq!(o["llm_observatory.cost.discount"], json!("openai"));
    }

    #[test]
    fn a_pricing_file_lays_over_the_catalog() {
        use serde_json::json;
        let dir = std::env::temp_dir().join(format!("llmo-cost-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("prices.json");
        std::fs::write(
            &path,
            r#"{"gpt-4o": {"input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06,
                 "litellm_provider": "openai", "mode": "chat"}}"#,
        )
        .unwrap();
        let cfg = format!(
            r#"{{"pricing_file": {:?}, "pricing_file_date": "2026-11-01"}}"#,
            path.to_str().unwrap()
        );
        let o = run_with(
            &cfg,
            0,
            &[
                ("gen_ai.request.model", json!("gpt-4o")),
                ("gen_ai.usage.input_tokens", json!(1000)),
                ("gen_ai.usage.output_tokens", json!(100)),
            ],
        );
        assert_eq!(o["gen_ai.usage.cost.amount"], json!(0.0028));
        assert_eq!(o["llm_observatory.cost.catalog_date"], json!("2026-11-01"));
        let missing = CostCalculator::from_json(br#"{"pricing_file": "/nonexistent/p.json"}"#)
            .err()
            .unwrap()
            .to_string();
        assert!(
            missing.starts_with("pricing_file: /nonexistent/p.json:"),
            "{missing}"
        );
        std::fs::write(&path, "not json").unwrap();
        let broken = CostCalculator::from_json(cfg.as_bytes())
            .err()
            .unwrap()
            .to_string();
        assert!(broken.contains("not a LiteLLM price map"), "{broken}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(1_772_323_200), "2026-03-01");
    }
}
