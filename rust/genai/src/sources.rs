//! What each instrumentation convention says, read into one [`Found`].
//!
//! Every reader fills only what is still empty, so the order of [`read_all`] is the order of
//! trust. Each reader converts its own token counts to the semconv meaning (input includes
//! cached tokens) because only it knows whether its numbers include the cache.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use llmo_schema::attrs as a;
use llmo_schema::view::{Item, ItemKind, Value};

use crate::fx::FxBuild;

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
    /// Wrapper span whose usage repeats its children's.
    pub aggregate: bool,
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

/// An item's attributes by key.
pub struct Attrs<'b, 'a> {
    map: HashMap<&'b str, &'b Value<'a>, FxBuild>,
    item: &'b Item<'a>,
}

impl<'b, 'a> Attrs<'b, 'a> {
    /// Indexes an item's attributes (first occurrence of a key wins, as in pdata).
    pub fn new(item: &'b Item<'a>) -> Self {
        let mut map = HashMap::with_capacity_and_hasher(item.attrs.len(), FxBuild::default());
        for (k, v) in &item.attrs {
            map.entry(k.as_ref()).or_insert(v);
        }
        Self { map, item }
    }

    /// The raw value.
    pub fn get(&self, key: &str) -> Option<&'b Value<'a>> {
        self.map.get(key).copied()
    }

    /// True if present.
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// True if any key starts with `prefix`.
    pub fn any_prefix(&self, prefix: &str) -> bool {
        self.item.attrs.iter().any(|(k, _)| k.starts_with(prefix))
    }

    /// A non-empty string value.
    pub fn str(&self, key: &str) -> Option<&'b str> {
        match self.get(key)? {
            Value::Str(s) if !s.trim().is_empty() => Some(s),
            _ => None,
        }
    }
}

/// Reads a token count: ints, integral doubles and numeric strings; negative, fractional
/// or non-numeric values are counted as invalid and ignored.
pub fn tokens(at: &Attrs<'_, '_>, key: &str, invalid: &mut u64) -> Option<i64> {
    let v = at.get(key)?;
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
    openinference(at, &mut f);
    vercel(at, &mut f);
    langfuse(at, &mut f);
    openllmetry(at, &mut f);
    openlit(at, &mut f);
    vendor(at, &mut f);
    f
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
            _ => {}
        }
        f.invalid += inv;
    }
}

/// GenAI semconv, current and legacy. Normalized names themselves are read by the caller;
/// here: the legacy names and the span-name fallback for the model.
fn semconv<'b>(item: &'b Item<'_>, at: &Attrs<'b, '_>, f: &mut Found<'b>) {
    if at.has(a::GEN_AI_PROVIDER_NAME) {
        f.saw(Source::GenAiSemconv);
    }
    let legacy = at.has("gen_ai.system")
        || at.has("gen_ai.usage.prompt_tokens")
        || at.has("gen_ai.usage.completion_tokens")
        || at.has("gen_ai.prompt")
        || at.has("gen_ai.completion")
        || (item.kind == ItemKind::Log && item.name.starts_with("gen_ai."))
        || item.events.iter().any(|e| e.name.starts_with("gen_ai."));
    if legacy && !at.has(a::GEN_AI_PROVIDER_NAME) {
        f.saw(Source::GenAiSemconvLegacy);
    }
    if let Some(system) = at.str("gen_ai.system") {
        fill(
            &mut f.provider,
            Some(crate::model::normalize_provider(system)),
        );
        f.consumed.push("gen_ai.system");
    }
    let mut inv = 0;
    if let Some(n) = tokens(at, "gen_ai.usage.prompt_tokens", &mut inv) {
        fill(&mut f.usage.input, Some(n));
        f.consumed.push("gen_ai.usage.prompt_tokens");
    }
    if let Some(n) = tokens(at, "gen_ai.usage.completion_tokens", &mut inv) {
        fill(&mut f.usage.output, Some(n));
        f.consumed.push("gen_ai.usage.completion_tokens");
    }
    f.invalid += inv;
    // Semconv span names are "{operation} {model}".
    if item.kind == ItemKind::Span
        && !at.has(a::GEN_AI_REQUEST_MODEL)
        && at.has(a::GEN_AI_OPERATION_NAME)
    {
        if let Some((op, model)) = item.name.split_once(' ') {
            if Some(op) == at.str(a::GEN_AI_OPERATION_NAME) && !model.contains(' ') {
                if let Cow::Borrowed(name) = &item.name {
                    let model: &'b str = &name[op.len() + 1..];
                    fill(&mut f.request_model, Some(Cow::Borrowed(model)));
                }
            }
        }
    }
}

fn openinference<'b>(at: &Attrs<'b, '_>, f: &mut Found<'b>) {
    let kind = at.str("openinference.span.kind");
    let llm_like = at.has("llm.model_name")
        || at.any_prefix("llm.token_count.")
        || at.has("embedding.model_name");
    if kind.is_none() && !llm_like && !at.has("llm.provider") {
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
    for key in ["llm.provider", "llm.system"] {
        if let Some(p) = at.str(key) {
            fill(&mut f.provider, Some(crate::model::normalize_provider(p)));
            f.consumed.push(if key == "llm.provider" {
                "llm.provider"
            } else {
                "llm.system"
            });
            break;
        }
    }
    if let Some(m) = at
        .str("llm.model_name")
        .or_else(|| at.str("embedding.model_name"))
    {
        // OpenInference reports the response's model when it has one.
        fill(&mut f.response_model, Some(Cow::Borrowed(m)));
    }
    // The requested model hides in the invocation parameters or the raw request JSON.
    let req = at
        .str("llm.invocation_parameters")
        .and_then(model_in_json)
        .or_else(|| {
            at.str("input.value")
                .filter(|s| s.trim_start().starts_with('{'))
                .and_then(model_in_json)
        });
    fill(&mut f.request_model, req.map(Cow::Owned));
    let mut inv = 0;
    let prompt = tokens(at, "llm.token_count.prompt", &mut inv);
    let read = tokens(at, "llm.token_count.prompt_details.cache_read", &mut inv);
    let write = tokens(at, "llm.token_count.prompt_details.cache_write", &mut inv);
    fill(&mut f.usage.input, prompt);
    fill(
        &mut f.usage.output,
        tokens(at, "llm.token_count.completion", &mut inv),
    );
    fill(&mut f.usage.cache_read, read);
    fill(&mut f.usage.cache_creation, write);
    fill(
        &mut f.usage.reasoning,
        tokens(at, "llm.token_count.completion_details.reasoning", &mut inv),
    );
    f.invalid += inv;
    f.consumed.extend([
        "llm.model_name",
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
    let op_id = at.str("ai.operationId");
    if !(at.has("ai.model.id") || op_id.is_some() || at.any_prefix("ai.usage.")) {
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
        .str("ai.model.provider")
        .map(crate::model::normalize_provider);
    fill(&mut f.provider, provider.clone());
    fill(
        &mut f.request_model,
        at.str("ai.model.id").map(Cow::Borrowed),
    );
    fill(
        &mut f.response_model,
        at.str("ai.response.model").map(Cow::Borrowed),
    );
    let mut inv = 0;
    let input = tokens(at, "ai.usage.inputTokens", &mut inv)
        .or_else(|| tokens(at, "ai.usage.promptTokens", &mut inv));
    let output = tokens(at, "ai.usage.outputTokens", &mut inv)
        .or_else(|| tokens(at, "ai.usage.completionTokens", &mut inv));
    let embed = tokens(at, "ai.usage.tokens", &mut inv);
    let meta = at
        .str("ai.response.providerMetadata")
        .and_then(provider_metadata)
        .unwrap_or_default();
    let read = tokens(at, "ai.usage.inputTokenDetails.cacheReadTokens", &mut inv)
        .or_else(|| tokens(at, "ai.usage.cachedInputTokens", &mut inv))
        .or(meta.cache_read);
    let creation =
        tokens(at, "ai.usage.inputTokenDetails.cacheWriteTokens", &mut inv).or(meta.cache_creation);
    let reasoning = tokens(at, "ai.usage.outputTokenDetails.reasoningTokens", &mut inv)
        .or_else(|| tokens(at, "ai.usage.reasoningTokens", &mut inv))
        .or(meta.reasoning);
    f.invalid += inv;
    // AI SDK v4/v5 report Anthropic's raw input_tokens, which exclude cache reads and writes
    // (and copy them into gen_ai.usage.input_tokens); v6 added inputTokenDetails and made
    // inputTokens the inclusive total.
    let v6 = at.any_prefix("ai.usage.inputTokenDetails.");
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
    let ty = at.str("langfuse.observation.type");
    let model = at.str("langfuse.observation.model.name");
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
    let Some(details) = at.str("langfuse.observation.usage_details") else {
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
    let detected = at.has("llm.request.type")
        || at.has("llm.usage.total_tokens")
        || at.any_prefix("traceloop.")
        || at.any_prefix("gen_ai.prompt.0.")
        || at.any_prefix("gen_ai.completion.0.");
    if !detected {
        return;
    }
    f.saw(Source::OpenLlmetry);
    if let Some(t) = at.str("llm.request.type") {
        fill(&mut f.operation, Some(normalize_operation(t)));
        f.consumed.push("llm.request.type");
    }
    let mut inv = 0;
    // OpenLLMetry's Anthropic instrumentation already adds cache tokens into the input.
    fill(
        &mut f.usage.cache_read,
        tokens(at, "gen_ai.usage.cache_read_input_tokens", &mut inv),
    );
    fill(
        &mut f.usage.cache_creation,
        tokens(at, "gen_ai.usage.cache_creation_input_tokens", &mut inv),
    );
    fill(
        &mut f.usage.reasoning,
        tokens(at, "gen_ai.usage.reasoning_tokens", &mut inv),
    );
    f.invalid += inv;
    f.consumed.extend([
        "gen_ai.usage.cache_read_input_tokens",
        "gen_ai.usage.cache_creation_input_tokens",
        "gen_ai.usage.reasoning_tokens",
    ]);
}

fn openlit<'b>(at: &Attrs<'b, '_>, f: &mut Found<'b>) {
    let detected = at.has("gen_ai.usage.cost")
        || at.has("gen_ai.sdk.version")
        || at.has("gen_ai.application_name")
        || at.has("gen_ai.server.time_to_first_token");
    if !detected {
        return;
    }
    f.saw(Source::OpenLit);
    let mut inv = 0;
    let read = tokens(at, "gen_ai.usage.cache_read_input_tokens", &mut inv)
        .or_else(|| tokens(at, a::GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, &mut inv));
    let creation = tokens(at, "gen_ai.usage.cache_creation_input_tokens", &mut inv)
        .or_else(|| tokens(at, a::GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, &mut inv));
    fill(&mut f.usage.cache_read, read);
    fill(&mut f.usage.cache_creation, creation);
    // OpenLIT copies Anthropic's raw input_tokens, which exclude cache reads and writes.
    let provider = at
        .str("gen_ai.system")
        .or_else(|| at.str(a::GEN_AI_PROVIDER_NAME));
    if provider.map(crate::model::normalize_provider).as_deref() == Some("anthropic") {
        if let Some(raw) = tokens(at, a::GEN_AI_USAGE_INPUT_TOKENS, &mut inv) {
            if read.is_some() || creation.is_some() {
                f.usage.input = Some(raw + read.unwrap_or(0) + creation.unwrap_or(0));
                f.correct_input = true;
            }
        }
    }
    f.invalid += inv;
}

fn vendor<'b>(at: &Attrs<'b, '_>, f: &mut Found<'b>) {
    let mut inv = 0;
    if let Some(n) = tokens(at, "gen_ai.usage.cache_write.input_tokens", &mut inv) {
        f.saw(Source::VendorSdk);
        fill(&mut f.usage.cache_creation, Some(n));
        f.consumed.push("gen_ai.usage.cache_write.input_tokens");
    }
    f.invalid += inv;
}
