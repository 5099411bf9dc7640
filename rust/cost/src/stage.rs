//! The `cost_calculation` stage: prices each LLM span / GenAI operation record.

use serde::Deserialize;

use llmo_schema::attrs as a;
use llmo_schema::edits::{Edits, NewValue, ITEM_ITSELF};
use llmo_schema::view::{Batch, Item, Value};
use llmo_schema::{Interest, Stage};

use crate::catalog::Catalog;
use crate::pricing::{price, usd, Tier, Usage};

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
    /// Why no cost was written (`unknown_model`, `no_usage`).
    pub const STATUS: &str = "llm_observatory.cost.status";
    /// A cost the instrumentation reported itself (e.g. OpenLIT's gen_ai.usage.cost), kept aside.
    pub const REPORTED: &str = "llm_observatory.cost.reported";
}

/// `cost_calculation` settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CostConfig {
    /// When false the processor passes data through untouched.
    pub enabled: bool,
    /// Price spans.
    pub traces: bool,
    /// Price log records.
    pub logs: bool,
    /// Trust a cost the instrumentation reported (`gen_ai.usage.cost`) over the catalog's.
    pub prefer_reported_cost: bool,
}

impl Default for CostConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            traces: true,
            logs: true,
            prefer_reported_cost: false,
        }
    }
}

/// The stage.
pub struct CostCalculator {
    cfg: CostConfig,
    catalog: &'static Catalog,
}

impl CostCalculator {
    /// Parses the JSON config (keys named in errors) and builds the stage on the embedded catalog.
    pub fn from_json(json: &[u8]) -> Result<Self, String> {
        let cfg: CostConfig = if json.iter().all(u8::is_ascii_whitespace) {
            CostConfig::default()
        } else {
            serde_json::from_slice(json).map_err(|e| e.to_string())?
        };
        Ok(Self {
            cfg,
            catalog: Catalog::embedded(),
        })
    }
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
                "gen_ai.usage.cost",
                "openai.response.service_tier",
                "openai.request.service_tier",
                "gen_ai.openai.request.service_tier",
                "gen_ai.openai.response.service_tier",
            ]),
            ..Interest::default()
        }
    }

    fn process(&self, batch: &Batch<'_>, edits: &mut Edits) {
        if !self.cfg.enabled {
            return;
        }
        for item in batch.items_of(self.cfg.traces, self.cfg.logs) {
            self.price_item(item, edits);
        }
    }
}

/// No price: mark the item and count the model (the Go side names it in a warning).
fn unknown_model(edits: &mut Edits, idx: u32, model: &str) {
    edits.set_str(idx, keys::STATUS, "unknown_model");
    edits.count(format!("unknown_model:{model}"), 1);
}

impl CostCalculator {
    fn price_item(&self, item: &Item<'_>, edits: &mut Edits) {
        if matches!(item.attr(a::LLMO_AGGREGATE), Some(Value::Bool(true))) {
            return; // its children carry the cost
        }
        let model = text(item, a::GEN_AI_RESPONSE_MODEL).or(text(item, a::GEN_AI_REQUEST_MODEL));
        let Some(model) = model else { return };
        let idx = item.index;
        let reported = match item.attr("gen_ai.usage.cost") {
            Some(Value::Double(d)) => Some(*d),
            Some(Value::Int(i)) => Some(*i as f64),
            _ => None,
        };
        if let Some(r) = reported {
            edits.set(idx, ITEM_ITSELF, keys::REPORTED, NewValue::Double(r));
        }
        let (Some(input), output) = (
            int(item, a::GEN_AI_USAGE_INPUT_TOKENS),
            int(item, a::GEN_AI_USAGE_OUTPUT_TOKENS),
        ) else {
            edits.set_str(idx, keys::STATUS, "no_usage");
            edits.count("no_usage", 1);
            return;
        };
        let provider = text(item, a::GEN_AI_PROVIDER_NAME);
        let entry = crate::matching::find(self.catalog, model, provider).or_else(|| {
            // the enrichment's canonical id (e.g. an Azure deployment resolved through aliases)
            text(item, a::LLMO_MODEL_CANONICAL)
                .and_then(|c| crate::matching::find(self.catalog, c, provider))
        });
        let Some(entry) = entry else {
            return unknown_model(edits, idx, model);
        };
        let usage = Usage {
            input,
            output: output.unwrap_or(0),
            cache_read: int(item, a::GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS).unwrap_or(0),
            cache_creation: int(item, a::GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS).unwrap_or(0),
            reasoning: int(item, a::GEN_AI_USAGE_REASONING_OUTPUT_TOKENS).unwrap_or(0),
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
            return unknown_model(edits, idx, model);
        };
        let (amount, source) = match reported {
            Some(r) if self.cfg.prefer_reported_cost => (r, "instrumentation"),
            _ => (usd(cost.total()), "llm_observatory"),
        };
        edits.set(
            idx,
            ITEM_ITSELF,
            a::GEN_AI_USAGE_COST_AMOUNT,
            NewValue::Double(amount),
        );
        edits.set_str(idx, a::GEN_AI_USAGE_COST_CURRENCY, "USD");
        edits.set_str(idx, a::GEN_AI_USAGE_COST_SOURCE, source);
        edits.set(
            idx,
            ITEM_ITSELF,
            keys::INPUT,
            NewValue::Double(usd(cost.input)),
        );
        edits.set(
            idx,
            ITEM_ITSELF,
            keys::CACHE_READ,
            NewValue::Double(usd(cost.cache_read)),
        );
        edits.set(
            idx,
            ITEM_ITSELF,
            keys::CACHE_CREATION,
            NewValue::Double(usd(cost.cache_creation)),
        );
        edits.set(
            idx,
            ITEM_ITSELF,
            keys::OUTPUT,
            NewValue::Double(usd(cost.output)),
        );
        edits.set_str(idx, keys::PRICE_ENTRY, &entry.key);
        edits.set_str(idx, keys::CATALOG_DATE, &self.catalog.date);
        edits.count("priced", 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use llmo_schema::edits::decode_response;
    use llmo_schema::view::ItemKind;
    use llmo_schema::wire::Encoder;

    fn run(
        attrs: &[(&str, serde_json::Value)],
    ) -> std::collections::HashMap<String, serde_json::Value> {
        let mut enc = Encoder::new();
        enc.begin_item(ItemKind::Span, "chat", 0);
        for (k, v) in attrs {
            enc.attr_json(k, v);
        }
        enc.end_item_without_events_or_body();
        let req = enc.finish();
        let mut edits = Edits::new();
        CostCalculator::from_json(b"")
            .unwrap()
            .process(&Batch::decode(&req).unwrap(), &mut edits);
        let (edits, _) = decode_response(&edits.finish()).unwrap();
        edits
            .into_iter()
            .map(|e| (e.key, e.value.unwrap_or_default()))
            .collect()
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
}
