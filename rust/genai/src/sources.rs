//! What each instrumentation convention says, read into one [`Found`].
//!
//! Every reader fills only what is still empty, so the order of [`read_all`] is the order of
//! trust. Each reader converts its own token counts to the semconv meaning (input includes
//! cached tokens) because only it knows whether its numbers include the cache.

use std::borrow::Cow;
use std::collections::BTreeMap;

use llmo_schema::attrs as a;
use llmo_schema::view::{Item, ItemKind, Value};

use crate::slots::{self, Prefix, Slot, Slot as S};

/// Detected conventions, in the order they are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Current GenAI semconv (`gen_ai.provider.name`, v1.37+).
    GenAiSemconv,
    /// Older GenAI semconv (`gen_ai.system`, prompt/completion tokens, content events).
    GenAiSemconvLegacy,
    /// OpenLLMetry / Traceloop.
    OpenLlmetry,
    /// OpenInference (Arize Phoenix).
    OpenInference,
    /// OpenLIT.
    OpenLit,
    /// Vercel AI SDK.
    VercelAi,
    /// Langfuse SDK.
    Langfuse,
    /// A vendor SDK's own attributes (e.g. Anthropic's `cache_write`).
    VendorSdk,
    /// PydanticAI's usage details (`gen_ai.usage.details.*`).
    PydanticAi,
    /// MLflow tracing (`mlflow.spanType`, `mlflow.chat.tokenUsage`).
    MlFlow,
    /// Logfire's spans of the OpenAI Agents SDK (`usage` JSON beside the semconv usage).
    Logfire,
    /// A user-configured attribute mapping.
    Custom,
}

impl Source {
    /// The value written to `llm_observatory.source`.
    pub fn name(self) -> &'static str {
        match self {
            Source::GenAiSemconv => "genai_semconv",
            Source::GenAiSemconvLegacy => "genai_semconv_legacy",
            Source::OpenLlmetry => "openllmetry",
            Source::OpenInference => "openinference",
            Source::OpenLit => "openlit",
            Source::VercelAi => "vercel_ai",
            Source::PydanticAi => "pydantic_ai",
            Source::MlFlow => "mlflow",
            Source::Logfire => "logfire",
            Source::Langfuse => "langfuse",
            Source::VendorSdk => "vendor_sdk",
            Source::Custom => "custom",
        }
    }
}

/// Token usage in semconv meaning.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    /// Input tokens, cache included.
    pub input: Option<i64>,
    /// Output tokens, reasoning included.
    pub output: Option<i64>,
    /// Cache read tokens.
    pub cache_read: Option<i64>,
    /// Cache creation tokens.
    pub cache_creation: Option<i64>,
    /// Reasoning tokens.
    pub reasoning: Option<i64>,
}

/// Everything learned about one item.
#[derive(Debug, Default)]
pub struct Found<'a> {
    /// Conventions seen.
    pub sources: Vec<Source>,
    /// Normalized provider.
    pub provider: Option<String>,
    /// Normalized operation.
    pub operation: Option<String>,
    /// Requested model as reported.
    pub request_model: Option<Cow<'a, str>>,
    /// Answering model as reported.
    pub response_model: Option<Cow<'a, str>>,
    /// Usage derived from non-normalized attributes.
    pub usage: Usage,
    /// Set when the instrumentation is known to write cache-exclusive input tokens under
    /// `gen_ai.usage.input_tokens`: `usage.input` then replaces it whatever `overwrite` says.
    pub correct_input: bool,
    /// Set when the instrumentation is known to leave reasoning out of
    /// `gen_ai.usage.output_tokens`: `usage.output` then replaces it whatever `overwrite` says.
    pub correct_output: bool,
    /// Wrapper span whose usage repeats its children's.
    pub aggregate: bool,
    /// Seconds to the first chunk of a streamed response, from any convention.
    pub first_chunk: Option<f64>,
    /// Source attribute keys whose values moved into normalized names.
    pub consumed: Vec<&'static str>,
    /// Attribute values of the wrong type.
    pub invalid: u64,
}

impl Found<'_> {
    fn saw(&mut self, s: Source) {
        if !self.sources.contains(&s) {
            self.sources.push(s);
        }
    }
}

/// An item's attributes, classified once: each key a reader knows ([`Slot`]) is found by
/// indexing an array, and the prefixes the readers test ([`Prefix`]) are a mask. Keys no
/// reader knows (the user's own mappings) are looked up in the item itself.
pub struct Attrs<'b, 'a> {
    slots: [Option<&'b Value<'a>>; Slot::COUNT],
    prefixes: u8,
    item: &'b Item<'a>,
}

impl<'b, 'a> Attrs<'b, 'a> {
    /// Indexes an item's attributes (first occurrence of a key wins, as in pdata).
    pub fn new(item: &'b Item<'a>) -> Self {
        let mut slots = [None; Slot::COUNT];
        let mut prefixes = 0;
        for (k, v) in &item.attrs {
            let c = slots::classify(k);
            if let Some(s) = c.slot {
                slots[s as usize].get_or_insert(v);
            }
            prefixes |= c.prefixes;
        }
        Self {
            slots,
            prefixes,
            item,
        }
    }

    /// The raw value.
    pub fn get(&self, key: &str) -> Option<&'b Value<'a>> {
        match slots::slot_of(key) {
            Some(s) => self.at(s),
            None => self
                .item
                .attrs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v),
        }
    }

    /// The raw value of a known key.
    #[inline]
    pub fn at(&self, slot: Slot) -> Option<&'b Value<'a>> {
        self.slots[slot as usize]
    }

    /// True if present.
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// True if a known key is present.
    #[inline]
    pub fn has_at(&self, slot: Slot) -> bool {
        self.at(slot).is_some()
    }

    /// True if any key starts with `prefix`.
    pub fn any_prefix(&self, prefix: &str) -> bool {
        match Prefix::of_text(prefix) {
            Some(p) => self.has_prefix(p),
            None => self.item.attrs.iter().any(|(k, _)| k.starts_with(prefix)),
        }
    }

    /// True if any key starts with a known prefix.
    #[inline]
    pub fn has_prefix(&self, prefix: Prefix) -> bool {
        self.prefixes & prefix.bit() != 0
    }

    /// A non-empty string value.
    pub fn str(&self, key: &str) -> Option<&'b str> {
        non_empty(self.get(key)?)
    }

    /// A non-empty string value of a known key.
    #[inline]
    pub fn str_at(&self, slot: Slot) -> Option<&'b str> {
        non_empty(self.at(slot)?)
    }
}

fn non_empty<'b>(v: &'b Value<'_>) -> Option<&'b str> {
    match v {
        Value::Str(s) if !s.trim().is_empty() => Some(s),
        _ => None,
    }
}

/// Reads a token count: ints, integral doubles and numeric strings; negative, fractional
/// or non-numeric values are counted as invalid and ignored.
pub fn tokens(at: &Attrs<'_, '_>, key: &str, invalid: &mut u64) -> Option<i64> {
    token_value(at.get(key)?, invalid)
}

/// [`tokens`] of a known key.
#[inline]
pub fn tokens_at(at: &Attrs<'_, '_>, slot: Slot, invalid: &mut u64) -> Option<i64> {
    token_value(at.at(slot)?, invalid)
}

fn token_value(v: &Value<'_>, invalid: &mut u64) -> Option<i64> {
    let n = match v {
        Value::Int(i) => Some(*i),
        Value::Double(d) if d.is_finite() && d.fract() == 0.0 && d.abs() < 9.0e15 => {
            Some(*d as i64)
        }
        Value::Str(s) => {
            let t = s.trim();
            t.parse::<i64>().ok().or_else(|| {
                t.parse::<f64>()
                    .ok()
                    .filter(|d| d.is_finite() && d.fract() == 0.0 && d.abs() < 9.0e15)
                    .map(|d| d as i64)
            })
        }
        Value::Empty => return None,
        _ => None,
    };
    match n {
        Some(n) if n >= 0 => Some(n),
        _ => {
            *invalid += 1;
            None
        }
    }
}

fn fill<T>(slot: &mut Option<T>, v: Option<T>) {
    if slot.is_none() {
        *slot = v;
    }
}

/// Normalizes operation names used by the conventions to the semconv values.
pub fn normalize_operation(raw: &str) -> String {
    match raw.trim().to_ascii_lowercase().as_str() {
        "chat" | "chat.completions" | "chat_completion" | "chat_completions" | "messages" => {
            "chat".into()
        }
        "completion" | "completions" | "text_completion" => "text_completion".into(),
        "embedding" | "embeddings" | "embed" => "embeddings".into(),
        other => other.to_string(),
    }
}

/// True for an operation that is not a model call: agents, tools, workflows and a framework's
/// tasks (`execute_task`: OpenLLMetry's LangChain/LangGraph nodes), whose spans hold model calls
/// or none; their span names (`execute_task Prompt`) name no model.
pub fn structural_operation(op: &str) -> bool {
    matches!(
        op,
        "invoke_agent"
            | "create_agent"
            | "execute_tool"
            | "invoke_workflow"
            | "execute_task"
            | "execute_event_loop_cycle"
            | "vector_db_retrieve"
            | "goto"
    )
}

/// True for the empty usage an SDK writes where the provider sent none (the OpenAI Agents SDK
/// streaming Chat Completions without `include_usage`: input 0, output 0): no call has no
/// input, so these are no counts. Token counting counts such a call, cost calculation does not
/// price it from them.
pub fn empty_usage(input: Option<i64>, output: Option<i64>) -> bool {
    input == Some(0) && matches!(output, None | Some(0))
}

/// Runs every reader over the item.
///
/// `mappings` are the user's own keys: attribute key -> the normalized name it fills.
pub fn read_all<'b, 'a>(
    item: &'b Item<'a>,
    at: &Attrs<'b, 'a>,
    mappings: &BTreeMap<String, String>,
) -> Found<'b> {
    let mut f = Found::default();
    custom(at, mappings, &mut f);
    semconv(item, at, &mut f);
    openinference(at, &item.name, &mut f);
    vercel(at, &mut f);
    langfuse(at, &mut f);
    openllmetry(at, &mut f);
    openlit(at, &mut f);
    mlflow(at, &mut f);
    logfire_agents(at, &mut f);
    vendor(at, &mut f);
    first_chunk(at, &mut f);
    f
}

/// A number of seconds (`scale` 1) or milliseconds (`scale` 1000) as seconds: finite and not
/// negative, or nothing.
fn seconds(v: Option<&Value<'_>>, scale: f64) -> Option<f64> {
    let x = match v? {
        Value::Double(d) => *d,
        Value::Int(i) => *i as f64,
        _ => return None,
    } / scale;
    (x.is_finite() && x >= 0.0).then_some(x)
}

/// The time to the first chunk of a streamed response, under the names and units the
/// conventions use: the semconv metric's name on spans (PydanticAI, Vercel AI SDK 7, seconds),
/// `gen_ai.server.time_to_first_token` (OpenLIT in seconds, Strands in integer milliseconds),
/// Vercel's `ai.response.msToFirstChunk` (milliseconds). Read only where the semconv attribute
/// is absent; a value of the wrong type is counted invalid.
fn first_chunk(at: &Attrs<'_, '_>, f: &mut Found<'_>) {
    if at.has_at(S::TimeToFirstChunk) || f.first_chunk.is_some() {
        return;
    }
    let lit = at.at(S::LitTimeToFirstToken);
    let lit_scale = if matches!(lit, Some(Value::Int(_))) {
        1000.0
    } else {
        1.0
    };
    for (slot, scale) in [
        (S::ClientTimeToFirstChunk, 1.0),
        (S::LitTimeToFirstToken, lit_scale),
        (S::AiMsToFirstChunk, 1000.0),
    ] {
        let Some(v) = at.at(slot) else { continue };
        match seconds(Some(v), scale) {
            Some(x) => {
                f.first_chunk = Some(x);
                f.consumed.push(slot.key());
                return;
            }
            None => f.invalid += 1,
        }
    }
}

fn custom<'b>(at: &Attrs<'b, '_>, mappings: &BTreeMap<String, String>, f: &mut Found<'b>) {
    for (from, to) in mappings {
        if !at.has(from) {
            continue;
        }
        f.saw(Source::Custom);
        let mut inv = 0;
        match to.as_str() {
            a::GEN_AI_PROVIDER_NAME => fill(
                &mut f.provider,
                at.str(from).map(crate::model::normalize_provider),
            ),
            a::GEN_AI_OPERATION_NAME => {
                fill(&mut f.operation, at.str(from).map(normalize_operation))
            }
            a::GEN_AI_REQUEST_MODEL => fill(&mut f.request_model, at.str(from).map(Cow::Borrowed)),
            a::GEN_AI_RESPONSE_MODEL => {
                fill(&mut f.response_model, at.str(from).map(Cow::Borrowed))
            }
            a::GEN_AI_USAGE_INPUT_TOKENS => fill(&mut f.usage.input, tokens(at, from, &mut inv)),
            a::GEN_AI_USAGE_OUTPUT_TOKENS => fill(&mut f.usage.output, tokens(at, from, &mut inv)),
            a::GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS => {
                fill(&mut f.usage.cache_read, tokens(at, from, &mut inv))
            }
            a::GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS => {
                fill(&mut f.usage.cache_creation, tokens(at, from, &mut inv))
            }
            a::GEN_AI_USAGE_REASONING_OUTPUT_TOKENS => {
                fill(&mut f.usage.reasoning, tokens(at, from, &mut inv))
            }
            a::GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK => match seconds(at.get(from), 1.0) {
                Some(x) => fill(&mut f.first_chunk, Some(x)),
                None => inv += 1,
            },
            _ => {}
        }
        f.invalid += inv;
    }
}

/// GenAI semconv, current and legacy. Normalized names themselves are read by the caller;
/// here: the legacy names and the span-name fallback for the model.
fn semconv<'b>(item: &'b Item<'_>, at: &Attrs<'b, '_>, f: &mut Found<'b>) {
    if at.has_at(S::ProviderName) {
        f.saw(Source::GenAiSemconv);
    }
    let legacy = at.has_at(S::GenAiSystem)
        || at.has_at(S::GenAiPromptTokens)
        || at.has_at(S::GenAiCompletionTokens)
        || at.has_at(S::GenAiPrompt)
        || at.has_at(S::GenAiCompletion)
        || (item.kind == ItemKind::Log && item.name.starts_with("gen_ai."))
        || item.events.iter().any(|e| e.name.starts_with("gen_ai."));
    if legacy && !at.has_at(S::ProviderName) {
        f.saw(Source::GenAiSemconvLegacy);
    }
    if let Some(system) = at.str_at(S::GenAiSystem) {
        fill(
            &mut f.provider,
            Some(crate::model::normalize_provider(system)),
        );
        f.consumed.push("gen_ai.system");
    }
    let mut inv = 0;
    if let Some(n) = tokens_at(at, S::GenAiPromptTokens, &mut inv) {
        fill(&mut f.usage.input, Some(n));
        f.consumed.push("gen_ai.usage.prompt_tokens");
    }
    if let Some(n) = tokens_at(at, S::GenAiCompletionTokens, &mut inv) {
        fill(&mut f.usage.output, Some(n));
        f.consumed.push("gen_ai.usage.completion_tokens");
    }
    f.invalid += inv;
    // Semconv span names of model calls are "{operation} {model}"; those of agents and tools
    // are "invoke_agent {agent}", "execute_tool {tool}": not a model.
    if item.kind == ItemKind::Span && !at.has_at(S::RequestModel) && at.has_at(S::OperationName) {
        if let Some((op, model)) = item.name.split_once(' ') {
            if !structural_operation(op)
                && Some(op) == at.str_at(S::OperationName)
                && !model.contains(' ')
            {
                if let Cow::Borrowed(name) = &item.name {
                    let model: &'b str = &name[op.len() + 1..];
                    fill(&mut f.request_model, Some(Cow::Borrowed(model)));
                }
            }
        }
    }
}

/// LlamaIndex methods OpenInference traces as LLM spans that are not model calls: they wrap
/// one (`predict` -> `chat`) or only prepare it (`_prepare_chat_with_tools`), and carry no usage.
const LLAMA_INDEX_WRAPPERS: &[&str] = &[
    "_prepare_chat_with_tools",
    "predict",
    "apredict",
    "structured_predict",
    "astructured_predict",
    "stream_structured_predict",
    "astream_structured_predict",
    "predict_and_call",
    "apredict_and_call",
    "stream",
    "astream",
];

/// LlamaIndex's public embedding methods, traced as EMBEDDING spans: each wraps the model's
/// own `_get_query_embedding`, `_get_text_embeddings`... (traced too, one per request of a
/// batch), which are the calls.
const LLAMA_INDEX_EMBEDDING_WRAPPERS: &[&str] = &[
    "get_query_embedding",
    "aget_query_embedding",
    "get_text_embedding",
    "aget_text_embedding",
    "get_text_embedding_batch",
    "aget_text_embedding_batch",
    "get_agg_embedding_from_queries",
    "aget_agg_embedding_from_queries",
];

fn openinference<'b>(at: &Attrs<'b, '_>, name: &str, f: &mut Found<'b>) {
    let kind = at.str_at(S::OiSpanKind);
    let method = name.rsplit_once('.').map(|(_, m)| m);
    let wrappers = match kind {
        Some(k) if k.eq_ignore_ascii_case("LLM") => LLAMA_INDEX_WRAPPERS,
        Some(k) if k.eq_ignore_ascii_case("EMBEDDING") => LLAMA_INDEX_EMBEDDING_WRAPPERS,
        _ => &[],
    };
    if !at.has_prefix(Prefix::LlmTokenCount) && method.is_some_and(|m| wrappers.contains(&m)) {
        return;
    }
    let llm_like = at.has_at(S::OiModelName)
        || at.has_at(S::OiRequestModelName)
        || at.has_at(S::OiResponseModelName)
        || at.has_prefix(Prefix::LlmTokenCount)
        || at.has_at(S::OiEmbeddingModelName);
    if kind.is_none() && !llm_like && !at.has_at(S::OiProvider) {
        return;
    }
    match kind.map(|k| k.to_ascii_uppercase()) {
        Some(k) if k == "LLM" => fill(&mut f.operation, Some("chat".into())),
        Some(k) if k == "EMBEDDING" => fill(&mut f.operation, Some("embeddings".into())),
        // CHAIN, TOOL, AGENT, RETRIEVER...: not a model call (its own children are)
        Some(_) if !llm_like => return,
        _ => {}
    }
    f.saw(Source::OpenInference);
    for slot in [S::OiProvider, S::OiSystem] {
        if let Some(p) = at.str_at(slot) {
            fill(&mut f.provider, Some(crate::model::normalize_provider(p)));
            f.consumed.push(slot.key());
            break;
        }
    }
    if let Some(m) = at
        .str_at(S::OiResponseModelName)
        .or_else(|| at.str_at(S::OiModelName))
        .or_else(|| at.str_at(S::OiEmbeddingModelName))
    {
        // OpenInference reports the response's model when it has one.
        fill(&mut f.response_model, Some(Cow::Borrowed(m)));
    }
    // The requested model: named since the conventions split it from the response's
    // (`llm.request.model_name`), before that in the invocation parameters or the request JSON.
    if let Some(m) = at.str_at(S::OiRequestModelName) {
        fill(&mut f.request_model, Some(Cow::Borrowed(m)));
    }
    let req = at
        .str_at(S::OiInvocationParameters)
        .and_then(model_in_json)
        .or_else(|| {
            at.str_at(S::OiInputValue)
                .filter(|s| s.trim_start().starts_with('{'))
                .and_then(model_in_json)
        });
    fill(&mut f.request_model, req.map(Cow::Owned));
    let mut inv = 0;
    let prompt = tokens_at(at, S::OiPromptTokens, &mut inv);
    let read = tokens_at(at, S::OiCacheRead, &mut inv);
    let write = tokens_at(at, S::OiCacheWrite, &mut inv);
    fill(&mut f.usage.input, prompt);
    fill(
        &mut f.usage.output,
        tokens_at(at, S::OiCompletionTokens, &mut inv),
    );
    fill(&mut f.usage.cache_read, read);
    fill(&mut f.usage.cache_creation, write);
    fill(
        &mut f.usage.reasoning,
        tokens_at(at, S::OiReasoning, &mut inv),
    );
    f.invalid += inv;
    f.consumed.extend([
        "llm.model_name",
        "llm.request.model_name",
        "llm.response.model_name",
        "llm.token_count.prompt",
        "llm.token_count.completion",
        "llm.token_count.prompt_details.cache_read",
        "llm.token_count.prompt_details.cache_write",
        "llm.token_count.completion_details.reasoning",
    ]);
}

/// `model` (or `model_name`, `model_id`) at the top of a JSON object, bounded in size.
///
/// Deserializes only those fields: everything else (messages, tools) is skipped without
/// building a value tree, which keeps a 4 KB request body at a fraction of a full parse.
fn model_in_json(s: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Request<'a> {
        #[serde(borrow, default)]
        model: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        model_name: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        model_id: Option<Cow<'a, str>>,
    }
    const MAX: usize = 256 * 1024;
    if s.len() > MAX {
        return None;
    }
    let r: Request<'_> = serde_json::from_str(s).ok()?;
    r.model
        .or(r.model_name)
        .or(r.model_id)
        .filter(|m| !m.is_empty())
        .map(Cow::into_owned)
}

fn vercel<'b>(at: &Attrs<'b, '_>, f: &mut Found<'b>) {
    let op_id = at.str_at(S::AiOperationId);
    if !(at.has_at(S::AiModelId) || op_id.is_some() || at.has_prefix(Prefix::AiUsage)) {
        return;
    }
    f.saw(Source::VercelAi);
    if let Some(op) = op_id {
        if op.contains("toolCall") {
            fill(&mut f.operation, Some("execute_tool".into()));
        } else if op.contains("embed") {
            fill(&mut f.operation, Some("embeddings".into()));
        } else {
            fill(&mut f.operation, Some("chat".into()));
        }
        // ai.generateText wraps ai.generateText.doGenerate (one per step): the wrapper's usage
        // is the sum of its children's.
        f.aggregate = !op.contains(".do") && !op.contains("toolCall");
    }
    let provider = at
        .str_at(S::AiModelProvider)
        .map(crate::model::normalize_provider);
    fill(&mut f.provider, provider.clone());
    fill(
        &mut f.request_model,
        at.str_at(S::AiModelId).map(Cow::Borrowed),
    );
    fill(
        &mut f.response_model,
        at.str_at(S::AiResponseModel).map(Cow::Borrowed),
    );
    let mut inv = 0;
    let input = tokens_at(at, S::AiInputTokens, &mut inv)
        .or_else(|| tokens_at(at, S::AiPromptTokens, &mut inv));
    let output = tokens_at(at, S::AiOutputTokens, &mut inv)
        .or_else(|| tokens_at(at, S::AiCompletionTokens, &mut inv));
    let embed = tokens_at(at, S::AiTokens, &mut inv);
    let meta = at
        .str_at(S::AiProviderMetadata)
        .and_then(provider_metadata)
        .unwrap_or_default();
    let read = tokens_at(at, S::AiCacheReadTokens, &mut inv)
        .or_else(|| tokens_at(at, S::AiCachedInputTokens, &mut inv))
        .or(meta.cache_read);
    let creation = tokens_at(at, S::AiCacheWriteTokens, &mut inv).or(meta.cache_creation);
    let reasoning = tokens_at(at, S::AiReasoningTokensDetail, &mut inv)
        .or_else(|| tokens_at(at, S::AiReasoningTokens, &mut inv))
        .or(meta.reasoning);
    f.invalid += inv;
    // AI SDK v4/v5 report Anthropic's raw input_tokens, which exclude cache reads and writes
    // (and copy them into gen_ai.usage.input_tokens); v6 added inputTokenDetails and made
    // inputTokens the inclusive total.
    let v6 = at.has_prefix(Prefix::AiUsageInputTokenDetails);
    let input = match input {
        Some(i) if provider.as_deref() == Some("anthropic") && !v6 => {
            f.correct_input = true;
            Some(i + read.unwrap_or(0) + creation.unwrap_or(0))
        }
        i => i,
    };
    fill(&mut f.usage.input, input.or(embed));
    fill(&mut f.usage.output, output);
    fill(&mut f.usage.cache_read, read);
    fill(&mut f.usage.cache_creation, creation);
    fill(&mut f.usage.reasoning, reasoning);
    f.consumed.extend([
        "ai.usage.inputTokens",
        "ai.usage.promptTokens",
        "ai.usage.outputTokens",
        "ai.usage.completionTokens",
        "ai.usage.cachedInputTokens",
        "ai.usage.reasoningTokens",
    ]);
}

#[derive(Default)]
struct ProviderMeta {
    cache_read: Option<i64>,
    cache_creation: Option<i64>,
    reasoning: Option<i64>,
}

/// Usage details the AI SDK leaves in `ai.response.providerMetadata` (v4/v5 shapes).
fn provider_metadata(meta: &str) -> Option<ProviderMeta> {
    if meta.len() > 64 * 1024 {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(meta).ok()?;
    let n = |v: Option<&serde_json::Value>| v.and_then(|x| x.as_i64()).filter(|n| *n >= 0);
    let mut m = ProviderMeta::default();
    if let Some(a) = v.get("anthropic") {
        let u = a.get("usage");
        m.cache_read = n(a.get("cacheReadInputTokens"))
            .or_else(|| n(u.and_then(|u| u.get("cache_read_input_tokens"))));
        m.cache_creation = n(a.get("cacheCreationInputTokens"))
            .or_else(|| n(u.and_then(|u| u.get("cache_creation_input_tokens"))));
    }
    if let Some(o) = v.get("openai") {
        m.cache_read = m.cache_read.or(n(o.get("cachedPromptTokens")));
        m.reasoning = n(o.get("reasoningTokens"));
    }
    Some(m)
}

fn langfuse<'b>(at: &Attrs<'b, '_>, f: &mut Found<'b>) {
    let ty = at.str_at(S::LfType);
    let model = at.str_at(S::LfModelName);
    if !matches!(ty, Some("generation") | Some("embedding")) && model.is_none() {
        return;
    }
    f.saw(Source::Langfuse);
    if ty == Some("embedding") {
        fill(&mut f.operation, Some("embeddings".into()));
    } else {
        fill(&mut f.operation, Some("chat".into()));
    }
    fill(&mut f.request_model, model.map(Cow::Borrowed));
    let Some(details) = at.str_at(S::LfUsageDetails) else {
        return;
    };
    if details.len() > 64 * 1024 {
        return;
    }
    let Ok(serde_json::Value::Object(u)) = serde_json::from_str::<serde_json::Value>(details)
    else {
        f.invalid += 1;
        return;
    };
    let get = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| u.get(*k)?.as_i64())
            .filter(|n| *n >= 0)
    };
    let nested = |outer: &str, inner: &str| u.get(outer)?.get(inner)?.as_i64().filter(|n| *n >= 0);
    if let Some(prompt) = get(&["prompt_tokens"]) {
        // The OpenAI integration stores the raw OpenAI usage object: inclusive, with details.
        fill(&mut f.usage.input, Some(prompt));
        fill(&mut f.usage.output, get(&["completion_tokens"]));
        fill(
            &mut f.usage.cache_read,
            nested("prompt_tokens_details", "cached_tokens"),
        );
        fill(
            &mut f.usage.reasoning,
            nested("completion_tokens_details", "reasoning_tokens"),
        );
        return;
    }
    // Langfuse's own usage types are disjoint so each is priced once: "input" excludes the
    // cached parts, which are separate keys. Semconv input includes them.
    let read = get(&[
        "input_cached_tokens",
        "cache_read_input_tokens",
        "input_cache_read",
    ]);
    let creation = get(&["cache_creation_input_tokens", "input_cache_creation"]);
    let input =
        get(&["input", "input_tokens"]).map(|i| i + read.unwrap_or(0) + creation.unwrap_or(0));
    fill(&mut f.usage.input, input);
    fill(&mut f.usage.output, get(&["output", "output_tokens"]));
    fill(&mut f.usage.cache_read, read);
    fill(&mut f.usage.cache_creation, creation);
    fill(
        &mut f.usage.reasoning,
        get(&[
            "output_reasoning_tokens",
            "reasoning_tokens",
            "output_reasoning",
        ]),
    );
}

fn openllmetry<'b>(at: &Attrs<'b, '_>, f: &mut Found<'b>) {
    let detected = at.has_at(S::OlRequestType)
        || at.has_at(S::OlTotalTokens)
        || at.has_prefix(Prefix::Traceloop)
        || at.has_prefix(Prefix::GenAiPrompt0)
        || at.has_prefix(Prefix::GenAiCompletion0);
    if !detected {
        return;
    }
    f.saw(Source::OpenLlmetry);
    if let Some(t) = at.str_at(S::OlRequestType) {
        fill(&mut f.operation, Some(normalize_operation(t)));
        f.consumed.push("llm.request.type");
    }
    let mut inv = 0;
    // OpenLLMetry's Anthropic instrumentation already adds cache tokens into the input.
    fill(
        &mut f.usage.cache_read,
        tokens_at(at, S::OlCacheReadInputTokens, &mut inv),
    );
    fill(
        &mut f.usage.cache_creation,
        tokens_at(at, S::OlCacheCreationInputTokens, &mut inv),
    );
    fill(
        &mut f.usage.reasoning,
        tokens_at(at, S::OlReasoningTokens, &mut inv),
    );
    f.invalid += inv;
    f.consumed.extend([
        "gen_ai.usage.cache_read_input_tokens",
        "gen_ai.usage.cache_creation_input_tokens",
        "gen_ai.usage.reasoning_tokens",
    ]);
}

fn openlit<'b>(at: &Attrs<'b, '_>, f: &mut Found<'b>) {
    // a plain cost beside gen_ai.usage.cost.amount is cost_calculation's copy, not OpenLIT's
    // (`gen_ai.server.time_to_first_token` alone is no sign: Strands writes it too, in ms)
    let detected = (at.has_at(S::LitCost) && !at.has_at(S::CostAmount))
        || at.has_at(S::LitSdkVersion)
        || at.has_at(S::LitApplicationName);
    if !detected {
        return;
    }
    f.saw(Source::OpenLit);
    let mut inv = 0;
    let read = tokens_at(at, S::OlCacheReadInputTokens, &mut inv)
        .or_else(|| tokens_at(at, S::CacheReadInputTokens, &mut inv));
    let creation = tokens_at(at, S::OlCacheCreationInputTokens, &mut inv)
        .or_else(|| tokens_at(at, S::CacheCreationInputTokens, &mut inv));
    fill(&mut f.usage.cache_read, read);
    fill(&mut f.usage.cache_creation, creation);
    // OpenLIT copies Anthropic's raw input_tokens, which exclude cache reads and writes.
    let provider = at
        .str_at(S::GenAiSystem)
        .or_else(|| at.str_at(S::ProviderName));
    if provider.map(crate::model::normalize_provider).as_deref() == Some("anthropic") {
        if let Some(raw) = tokens_at(at, S::InputTokens, &mut inv) {
            if read.is_some() || creation.is_some() {
                f.usage.input = Some(raw + read.unwrap_or(0) + creation.unwrap_or(0));
                f.correct_input = true;
            }
        }
    }
    f.invalid += inv;
}

/// MLflow tracing as exported over OTLP: every `mlflow.*` value is JSON-encoded (a string is
/// `"\"CHAT_MODEL\""`), the usage one JSON object whose input includes the cache. Only
/// CHAT_MODEL, LLM and EMBEDDING spans are calls; usage on an agent, chain or other span is
/// the sum of its calls.
fn mlflow<'b>(at: &Attrs<'b, '_>, f: &mut Found<'b>) {
    let decoded = |slot| {
        at.str_at(slot)
            .and_then(|s| serde_json::from_str::<String>(s).ok())
    };
    let Some(span_type) = decoded(S::MlSpanType) else {
        return;
    };
    let usage = at
        .str_at(S::MlTokenUsage)
        .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok());
    let call = match span_type.as_str() {
        "CHAT_MODEL" | "LLM" => Some("chat"),
        "EMBEDDING" => Some("embeddings"),
        _ => None,
    };
    if call.is_none() && usage.is_none() {
        return; // structure
    }
    f.saw(Source::MlFlow);
    match call {
        Some(op) => fill(&mut f.operation, Some(op.into())),
        None => {
            if span_type == "AGENT" {
                fill(&mut f.operation, Some("invoke_agent".into()));
            }
            f.aggregate = true;
        }
    }
    if let Some(m) = decoded(S::MlModel) {
        fill(&mut f.request_model, Some(Cow::Owned(m)));
    }
    if let Some(p) = decoded(S::MlProvider) {
        fill(&mut f.provider, Some(crate::model::normalize_provider(&p)));
    }
    if let Some(serde_json::Value::Object(u)) = usage {
        let n = |k: &str| {
            u.get(k)
                .and_then(serde_json::Value::as_i64)
                .filter(|n| *n >= 0)
        };
        fill(&mut f.usage.input, n("input_tokens"));
        fill(&mut f.usage.output, n("output_tokens"));
        fill(&mut f.usage.cache_read, n("cache_read_input_tokens"));
        fill(
            &mut f.usage.cache_creation,
            n("cache_creation_input_tokens"),
        );
    }
    f.consumed.extend([
        "mlflow.chat.tokenUsage",
        "mlflow.llm.model",
        "mlflow.llm.provider",
    ]);
}

/// True for a span Logfire made (`logfire.msg_template`) that names no model: the OpenAI
/// Agents SDK's agent runs, turns, tasks, functions, handoffs and guardrails under
/// `logfire.instrument_openai_agents()`. They carry `gen_ai.system` and the run's totals as a
/// `usage` JSON, and are no model call.
pub fn logfire_structure(at: &Attrs<'_, '_>) -> bool {
    at.has_at(S::LogfireTemplate) && !at.has_at(S::RequestModel) && !at.has_at(S::ResponseModel)
}

/// Logfire's model-call spans of the OpenAI Agents SDK (`Chat completion with ...`, `Responses
/// API with ...`): the semconv input and output counts (and cache read on the Responses path),
/// and the rest of the SDK's usage only in a `usage` JSON (`input_tokens_details.cached_tokens`,
/// `.cache_write_tokens`, `output_tokens_details.reasoning_tokens`), read from there.
fn logfire_agents<'b>(at: &Attrs<'b, '_>, f: &mut Found<'b>) {
    if !at.has_at(S::LogfireTemplate) || logfire_structure(at) {
        return;
    }
    let Some(serde_json::Value::Object(u)) = at
        .str_at(S::LogfireUsage)
        .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
    else {
        return;
    };
    let n = |outer: &str, k: &str| {
        u.get(outer)
            .and_then(|d| d.get(k))
            .and_then(serde_json::Value::as_i64)
            .filter(|n| *n >= 0)
    };
    f.saw(Source::Logfire);
    let template = at.str_at(S::LogfireTemplate).unwrap_or_default();
    if template.starts_with("Chat completion") || template.starts_with("Responses API") {
        fill(&mut f.operation, Some("chat".into()));
    }
    fill(
        &mut f.usage.cache_read,
        n("input_tokens_details", "cached_tokens"),
    );
    fill(
        &mut f.usage.cache_creation,
        n("input_tokens_details", "cache_write_tokens").filter(|n| *n > 0),
    );
    fill(
        &mut f.usage.reasoning,
        n("output_tokens_details", "reasoning_tokens"),
    );
}

/// Google ADK 1.x writes Gemini's `candidates_token_count` as the output and its
/// `thoughts_token_count` apart (`gen_ai.usage.experimental.reasoning_tokens`); Gemini's
/// candidates leave the thoughts out, the semconv output has them. On a Gemini model the
/// output is the two added (ADK 2.x adds them itself and writes the semconv reasoning key).
/// Not on other models: ADK reaches those through LiteLLM, whose completion count has the
/// reasoning in already.
fn adk_thoughts(at: &Attrs<'_, '_>, f: &mut Found<'_>) {
    // invalid values are counted where each key is read
    let inv = &mut 0;
    let Some(thoughts) = tokens_at(at, S::AdkReasoning, inv) else {
        return;
    };
    if at.str_at(S::GenAiSystem) != Some("gcp.vertex.agent") {
        return;
    }
    let gemini = at
        .str_at(S::RequestModel)
        .or_else(|| at.str_at(S::ResponseModel))
        .is_some_and(|m| {
            crate::model::parse_model_cached(m)
                .canonical
                .starts_with("gemini")
        });
    if !gemini {
        return;
    }
    if let Some(out) = tokens_at(at, S::OutputTokens, inv) {
        f.usage.output = Some(out + thoughts);
        f.correct_output = true;
    }
}

fn vendor<'b>(at: &Attrs<'b, '_>, f: &mut Found<'b>) {
    let mut inv = 0;
    // PydanticAI puts the provider's reasoning count under its usage details only (OpenAI
    // reasoning, Anthropic thinking, Google thoughts); before 1.78 its cache counts too
    let pai = |slot| tokens_at(at, slot, &mut 0);
    let pai_reasoning = pai(S::PaiReasoning)
        .or_else(|| pai(S::PaiThinking))
        .or_else(|| pai(S::PaiThoughts));
    let (pai_read, pai_write) = (pai(S::PaiCacheRead), pai(S::PaiCacheWrite));
    if pai_reasoning.is_some() || pai_read.is_some() || pai_write.is_some() {
        f.saw(Source::PydanticAi);
        fill(&mut f.usage.reasoning, pai_reasoning);
        fill(&mut f.usage.cache_read, pai_read);
        fill(&mut f.usage.cache_creation, pai_write);
        f.consumed.extend([
            "gen_ai.usage.details.reasoning_tokens",
            "gen_ai.usage.details.thinking_tokens",
            "gen_ai.usage.details.thoughts_tokens",
            "gen_ai.usage.details.cache_read_tokens",
            "gen_ai.usage.details.cache_write_tokens",
        ]);
    }
    // keys of one meaning whoever writes them, read also when nothing else of their
    // convention is there (OpenLLMetry 0.55+ outside a Traceloop workflow, OpenLIT, ADK,
    // Strands, OpenLLMetry's openai-agents)
    for (slot, key) in [
        (S::OlReasoningTokens, "gen_ai.usage.reasoning_tokens"),
        (S::LlmUsageReasoning, "llm.usage.reasoning_tokens"),
        (
            S::CompletionDetailsReasoning,
            "gen_ai.usage.completion_tokens_details.reasoning_tokens",
        ),
        (
            S::AdkReasoning,
            "gen_ai.usage.experimental.reasoning_tokens",
        ),
    ] {
        if let Some(n) = tokens_at(at, slot, &mut inv) {
            fill(&mut f.usage.reasoning, Some(n));
            f.consumed.push(key);
        }
    }
    adk_thoughts(at, f);
    if let Some(n) = tokens_at(at, S::OlCacheReadInputTokens, &mut inv) {
        fill(&mut f.usage.cache_read, Some(n));
        f.consumed.push("gen_ai.usage.cache_read_input_tokens");
    }
    for (slot, key) in [
        (
            S::OlCacheCreationInputTokens,
            "gen_ai.usage.cache_creation_input_tokens",
        ),
        (
            S::StrandsCacheWrite,
            "gen_ai.usage.cache_write_input_tokens",
        ),
    ] {
        if let Some(n) = tokens_at(at, slot, &mut inv) {
            fill(&mut f.usage.cache_creation, Some(n));
            f.consumed.push(key);
        }
    }
    if let Some(n) = tokens_at(at, S::VendorCacheWrite, &mut inv) {
        f.saw(Source::VendorSdk);
        fill(&mut f.usage.cache_creation, Some(n));
        f.consumed.push("gen_ai.usage.cache_write.input_tokens");
    }
    f.invalid += inv;
}
