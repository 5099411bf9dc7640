//! `llm_enrichment`: finds LLM spans and GenAI log records whatever instrumentation made them
//! and normalizes them to the OpenTelemetry GenAI semantic conventions.
//!
//! Readers for each convention ([`llmo_genai::sources`]) fill one [`Found`]; the enricher then
//! merges it with the normalized attributes already present and records the edits.
//!
//! ```
//! use llmo_enrich::{Enricher, EnrichConfig};
//! use llmo_schema::{Stage, edits::{Edits, decode_response}, view::{Batch, ItemKind}, encoder::Encoder};
//!
//! let enricher = Enricher::new(EnrichConfig::default());
//! let mut enc = Encoder::new();
//! enc.begin_item(ItemKind::Span, "ChatOpenAI", 0);
//! enc.attr_str("openinference.span.kind", "LLM");
//! enc.attr_str("llm.model_name", "gpt-4o-2024-08-06");
//! enc.attr_int("llm.token_count.prompt", 12);
//! enc.end_item_without_events_or_body();
//! let bytes = enc.finish();
//! let mut edits = Edits::new();
//! enricher.process(&Batch::decode(&bytes).unwrap(), &mut edits);
//! let (edits, _) = decode_response(&edits.finish()).unwrap();
//! assert!(edits.iter().any(|e| e.key == "gen_ai.usage.input_tokens" && e.value == Some(12.into())));
//! assert!(edits.iter().any(|e| e.key == "gen_ai.provider.name" && e.value == Some("openai".into())));
//! ```

pub mod config;
mod content;

use std::borrow::Cow;

use llmo_schema::attrs as a;
use llmo_schema::edits::{Edits, NewValue, ITEM_ITSELF};
use llmo_schema::view::{Batch, Item, ItemKind, Value};
use llmo_schema::{Interest, Stage};

pub use config::{ConfigError, EnrichConfig};
use llmo_genai::model;
use llmo_genai::slots::Slot as S;
use llmo_genai::sources::{self, Attrs, Found};

/// Key prefixes whose presence makes an item a candidate.
const PREFIXES: &[&str] = &[
    "gen_ai.",
    "llm.",
    "ai.",
    "langfuse.",
    "traceloop.",
    "openinference.",
    "embedding.model_name",
    "input.value",
    "mlflow.",
];
/// The log record opentelemetry-util-genai emits with a call's details inside its span.
const OPERATION_DETAILS_EVENT: &str = "gen_ai.client.inference.operation.details";
/// Keys read only when the item is a candidate already.
const CONTEXT_KEYS: &[&str] = &[
    "server.address",
    // Logfire's spans of the OpenAI Agents SDK: which are model calls, and their usage JSON
    "logfire.msg_template",
    "usage",
    a::LLMO_SOURCE,
    "llm_observatory.original.gen_ai.usage.input_tokens",
    "llm_observatory.original.gen_ai.usage.output_tokens",
];
/// Message content and other bulky values enrichment never reads: not worth a copy across
/// the boundary (`input.value` stays: OpenInference hides the request model in it).
const SKIP_KEYS: &[&str] = &[
    "gen_ai.prompt",
    "gen_ai.completion",
    "gen_ai.input.messages",
    "gen_ai.output.messages",
    "gen_ai.system_instructions",
    "gen_ai.tool.definitions",
    "llm.prompts",
    "llm.tools",
    "ai.prompt",
    "ai.prompt.messages",
    "ai.prompt.tools",
    "ai.response.text",
    "ai.response.toolCalls",
    "ai.response.object",
    "ai.values",
    "ai.embeddings",
    "langfuse.observation.input",
    "langfuse.observation.output",
    "mlflow.spanInputs",
    "mlflow.spanOutputs",
    "mlflow.chat.tools",
];
const SKIP_PREFIXES: &[&str] = &[
    "gen_ai.prompt.",
    "gen_ai.completion.",
    "llm.input_messages.",
    "llm.output_messages.",
    "traceloop.entity.input",
    "traceloop.entity.output",
];

/// The `llm_enrichment` stage.
pub struct Enricher {
    cfg: EnrichConfig,
}

impl Enricher {
    /// A stage with a validated config.
    pub fn new(cfg: EnrichConfig) -> Self {
        Self { cfg }
    }

    /// Parses the JSON config and builds the stage.
    pub fn from_json(json: &[u8]) -> Result<Self, ConfigError> {
        Ok(Self::new(EnrichConfig::from_json(json)?))
    }
}

impl Stage for Enricher {
    fn interest(&self) -> Interest {
        let mut keys: Vec<String> = self.cfg.attribute_mappings.keys().cloned().collect();
        keys.sort();
        Interest {
            keys,
            prefixes: PREFIXES.iter().map(|s| s.to_string()).collect(),
            event_prefixes: vec!["gen_ai.".into()],
            context_keys: CONTEXT_KEYS.iter().map(|s| s.to_string()).collect(),
            // message content is read only to build the semconv messages from it
            skip_keys: SKIP_KEYS
                .iter()
                .filter(|k| !(self.cfg.message_content && content::KEYS.contains(k)))
                .map(|s| s.to_string())
                .collect(),
            skip_prefixes: SKIP_PREFIXES
                .iter()
                .filter(|k| !(self.cfg.message_content && content::PREFIXES.contains(k)))
                .map(|s| s.to_string())
                .collect(),
            events: true,
            ..Interest::default()
        }
    }

    fn process(&self, batch: &Batch<'_>, edits: &mut Edits) {
        let mut counts = Counts::default();
        for item in &batch.items {
            self.enrich(item, edits, &mut counts);
        }
        counts.record(edits);
    }
}

/// The batch's counters, added up here and recorded once (in the order they first became
/// non-zero, as recording them item by item would).
#[derive(Default)]
struct Counts {
    llm_items: u64,
    invalid: u64,
    invalid_first: bool,
}

impl Counts {
    fn invalid(&mut self, n: u64) {
        if n > 0 && self.invalid == 0 && self.llm_items == 0 {
            self.invalid_first = true;
        }
        self.invalid += n;
    }

    fn record(&self, edits: &mut Edits) {
        if self.invalid_first {
            edits.count(a::COUNTER_INVALID_VALUES, self.invalid);
        }
        edits.count(a::COUNTER_LLM_ITEMS, self.llm_items);
        if !self.invalid_first {
            edits.count(a::COUNTER_INVALID_VALUES, self.invalid);
        }
    }
}

/// Writes one normalized attribute according to the merge rules.
struct Writer<'e> {
    edits: &'e mut Edits,
    item: u32,
    overwrite: bool,
}

impl Writer<'_> {
    fn merge(
        &mut self,
        key: &str,
        present: Option<&Value<'_>>,
        derived: Option<NewValue<'_>>,
        correct: bool,
    ) {
        let Some(derived) = derived else { return };
        match present {
            None | Some(Value::Empty) => self.edits.set(self.item, ITEM_ITSELF, key, derived),
            Some(p) => {
                if same(p, &derived) || !(correct || self.overwrite) {
                    return;
                }
                self.keep_original(key, p);
                self.edits.set(self.item, ITEM_ITSELF, key, derived);
            }
        }
    }

    fn keep_original(&mut self, key: &str, p: &Value<'_>) {
        let orig = format!("{}{key}", a::LLMO_ORIGINAL_PREFIX);
        match p {
            Value::Str(s) => self.edits.set_str(self.item, &orig, s),
            Value::Int(i) => self.edits.set_int(self.item, &orig, *i),
            Value::Double(d) => self
                .edits
                .set(self.item, ITEM_ITSELF, &orig, NewValue::Double(*d)),
            Value::Bool(b) => self
                .edits
                .set(self.item, ITEM_ITSELF, &orig, NewValue::Bool(*b)),
            _ => {}
        }
    }
}

fn same(p: &Value<'_>, d: &NewValue<'_>) -> bool {
    match (p, d) {
        (Value::Str(a), NewValue::Str(b)) => a == b,
        (Value::Int(a), NewValue::Int(b)) => a == b,
        _ => false,
    }
}

fn int(n: Option<i64>) -> Option<NewValue<'static>> {
    n.map(NewValue::Int)
}

impl Enricher {
    fn enrich(&self, item: &Item<'_>, edits: &mut Edits, counts: &mut Counts) {
        let at = Attrs::new(item);
        let f: Found<'_> = sources::read_all(item, &at, &self.cfg.attribute_mappings);
        let present_model = at
            .str_at(S::RequestModel)
            .or_else(|| at.str_at(S::ResponseModel));
        let usage_present = at.has_at(S::InputTokens) || at.has_at(S::OutputTokens);
        let signal = f.provider.is_some()
            || f.request_model.is_some()
            || f.response_model.is_some()
            || f.usage.input.is_some()
            || f.usage.output.is_some()
            || at.has_at(S::ProviderName)
            || present_model.is_some()
            || usage_present
            || (item.kind == ItemKind::Log && item.name.starts_with("gen_ai."));
        counts.invalid(f.invalid);
        // a span of an agent, tool or task with no usage of its own: structure, not a call
        // (its `gen_ai.provider.name` may be the framework's name, `langgraph`)
        // OpenLLMetry marks its framework spans with `traceloop.span.kind`
        let traceloop_kind = at.str("traceloop.span.kind");
        let structural = at
            .str_at(S::OperationName)
            .or(f.operation.as_deref())
            .is_some_and(sources::structural_operation)
            || matches!(traceloop_kind, Some("workflow" | "task" | "agent" | "tool"))
            || sources::logfire_structure(&at);
        if !signal
            || (structural && !usage_present && f.usage.input.is_none() && f.usage.output.is_none())
        {
            return;
        }
        counts.llm_items += 1;
        let mut w = Writer {
            edits,
            item: item.index,
            overwrite: self.cfg.overwrite,
        };

        // Provider: present (normalized spelling), derived, or inferred.
        let present_provider = at.at(S::ProviderName);
        // a framework's name (`langgraph`, `strands-agents`) or `unknown` says no provider
        let framework = at
            .str_at(S::ProviderName)
            .is_some_and(model::not_a_provider);
        let present_norm = at
            .str_at(S::ProviderName)
            .filter(|p| !model::not_a_provider(p))
            .map(model::normalize_provider);
        let misspelt =
            matches!((present_provider, &present_norm), (Some(Value::Str(p)), Some(n)) if p != n);
        let request_model = at
            .str_at(S::RequestModel)
            .map(Cow::Borrowed)
            .or(f.request_model.clone());
        let response_model = at
            .str_at(S::ResponseModel)
            .map(Cow::Borrowed)
            .or(f.response_model.clone());
        // The model that tells the most: the answering model, else the alias target, else the request.
        let aliased = request_model
            .as_deref()
            .and_then(|m| self.cfg.model_aliases.get(m));
        let model_src: Option<&str> = response_model
            .as_deref()
            .or(aliased.map(String::as_str))
            .or(request_model.as_deref());
        let parsed = model_src.map(model::parse_model_cached);
        let mut provider = if misspelt { present_norm.clone() } else { None }
            .or(f.provider.clone())
            .filter(|p| !model::not_a_provider(p));
        let mut inferred_from = None;
        if provider.is_none() && present_norm.is_none() && self.cfg.infer_provider {
            if let Some(p) = at
                .str_at(S::ServerAddress)
                .and_then(model::provider_from_host)
            {
                provider = Some(p.to_string());
                inferred_from = Some("server.address");
            } else if let Some(p) = parsed.as_ref().and_then(|m| {
                m.provider_hint
                    .or_else(|| model::provider_from_model(&m.canonical))
            }) {
                provider = Some(p.to_string());
                inferred_from = Some("model");
            }
        }
        w.merge(
            a::GEN_AI_PROVIDER_NAME,
            present_provider,
            provider.as_deref().map(NewValue::Str),
            misspelt || framework,
        );
        if let Some(from) = inferred_from {
            w.edits
                .set_str(item.index, a::LLMO_PROVIDER_INFERRED_FROM, from);
        }

        let op = f.operation.as_deref().map(NewValue::Str);
        w.merge(a::GEN_AI_OPERATION_NAME, at.at(S::OperationName), op, false);
        w.merge(
            a::GEN_AI_REQUEST_MODEL,
            at.at(S::RequestModel),
            f.request_model.as_deref().map(NewValue::Str),
            false,
        );
        w.merge(
            a::GEN_AI_RESPONSE_MODEL,
            at.at(S::ResponseModel),
            f.response_model.as_deref().map(NewValue::Str),
            false,
        );

        let mut u = f.usage;
        // An input an earlier enrichment corrected (an agent collector in front of this one)
        // includes the cache already: correcting it again would count the cache twice.
        let corrected_before = at.has_at(S::LlmoOriginalInput);
        if corrected_before {
            u.input = None;
        }
        let mut correct_input = f.correct_input && !corrected_before;
        // likewise an output an earlier enrichment gave its reasoning back
        let output_corrected_before = at.has_at(S::LlmoOriginalOutput);
        if output_corrected_before {
            u.output = None;
        }
        let correct_output = f.correct_output && !output_corrected_before;
        if !correct_input && !corrected_before {
            // Semconv input includes the cache; an input smaller than its own cache parts can
            // only be a cache-exclusive count (an instrumentation copying Anthropic's raw
            // input_tokens). Left alone, it makes cost calculation bill the cache twice.
            let mut ignored = 0;
            let mut present = |k| sources::tokens_at(&at, k, &mut ignored);
            let read = present(S::CacheReadInputTokens)
                .or(u.cache_read)
                .unwrap_or(0);
            let creation = present(S::CacheCreationInputTokens)
                .or(u.cache_creation)
                .unwrap_or(0);
            if let Some(input) = present(S::InputTokens).or(u.input) {
                if input < read + creation {
                    u.input = Some(input + read + creation);
                    correct_input = true;
                }
            }
        }
        // An agent span's usage is the sum of its model calls (their spans carry it too).
        // (OpenLLMetry's Agno agent spans carry the run's totals with no operation name)
        let aggregate = f.aggregate
            || at.str_at(S::OperationName) == Some("invoke_agent")
            || matches!(traceloop_kind, Some("workflow" | "agent"));
        if !aggregate {
            w.merge(
                a::GEN_AI_USAGE_INPUT_TOKENS,
                at.at(S::InputTokens),
                int(u.input),
                correct_input,
            );
            w.merge(
                a::GEN_AI_USAGE_OUTPUT_TOKENS,
                at.at(S::OutputTokens),
                int(u.output),
                correct_output,
            );
            w.merge(
                a::GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
                at.at(S::CacheReadInputTokens),
                int(u.cache_read),
                false,
            );
            w.merge(
                a::GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
                at.at(S::CacheCreationInputTokens),
                int(u.cache_creation),
                false,
            );
            w.merge(
                a::GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
                at.at(S::ReasoningOutputTokens),
                int(u.reasoning),
                false,
            );
        } else {
            w.edits.set(
                item.index,
                ITEM_ITSELF,
                a::LLMO_AGGREGATE,
                NewValue::Bool(true),
            );
        }
        // util-genai emits the operation details of a call inside the call's span, with the
        // span's usage: one call, reported on both signals
        if item.kind == ItemKind::Log
            && item.name == OPERATION_DETAILS_EVENT
            && (usage_present || u.input.is_some() || u.output.is_some())
        {
            w.edits.set(
                item.index,
                ITEM_ITSELF,
                a::LLMO_REPEATS_SPAN,
                NewValue::Bool(true),
            );
        }

        w.merge(
            a::GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
            at.at(S::TimeToFirstChunk),
            f.first_chunk.map(NewValue::Double),
            false,
        );
        if let Some(m) = &parsed {
            w.edits
                .set_str(item.index, a::LLMO_MODEL_CANONICAL, &m.canonical);
            w.edits.set_str(item.index, a::LLMO_MODEL_FAMILY, &m.family);
        }
        // The conventions the instrumentation used: an earlier enrichment saw them, this one
        // sees its output.
        if !f.sources.is_empty() && !at.has_at(S::LlmoSource) {
            let names: Vec<&str> = f.sources.iter().map(|s| s.name()).collect();
            w.edits
                .set_str(item.index, a::LLMO_SOURCE, &names.join(","));
        }
        let mut consumed = f.consumed.clone();
        if self.cfg.message_content && !aggregate {
            let c = content::build(item);
            for (key, v) in [
                (a::GEN_AI_INPUT_MESSAGES, &c.input),
                (a::GEN_AI_OUTPUT_MESSAGES, &c.output),
                (a::GEN_AI_SYSTEM_INSTRUCTIONS, &c.system),
            ] {
                if let Some(v) = v {
                    w.edits.set_str(item.index, key, v);
                }
            }
            consumed.extend(c.consumed);
        }
        if !self.cfg.keep_source_attributes {
            let mut done: Vec<&str> = Vec::new();
            for key in consumed.iter().copied() {
                if at.has(key) && !done.contains(&key) && !a::NORMALIZED.contains(&key) {
                    w.edits.delete(item.index, ITEM_ITSELF, key);
                    done.push(key);
                }
            }
        }
    }
}
