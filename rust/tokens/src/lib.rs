//! `token_counting`: every LLM span and GenAI log record leaves with input and output token
//! counts and where they came from.
//!
//! Provider-reported usage is kept (`llm_observatory.usage.source = reported`). Where input
//! or output tokens are missing, they are counted from the content the instrumentation
//! recorded ([`content`]): exactly with the model's own OpenAI encoding (`counted`), or with
//! the closest encoding for other models (`estimated`). See [`model_map`] for which is which.
//!
//! ```
//! use llmo_tokens::{TokenCounter, TokensConfig};
//! use llmo_schema::{Stage, edits::{Edits, decode_response}, view::{Batch, ItemKind}, encoder::Encoder};
//!
//! let stage = TokenCounter::new(TokensConfig::default());
//! let mut enc = Encoder::new();
//! enc.begin_item(ItemKind::Span, "chat gpt-4o", 0);
//! enc.attr_str("gen_ai.request.model", "gpt-4o");
//! enc.attr_str("gen_ai.input.messages", r#"[{"role":"user","parts":[{"type":"text","content":"Hello!"}]}]"#);
//! enc.end_item_without_events_or_body();
//! let bytes = enc.finish();
//! let mut edits = Edits::new();
//! stage.process(&Batch::decode(&bytes).unwrap(), &mut edits);
//! let (edits, _) = decode_response(&edits.finish()).unwrap();
//! // 3 (message) + 1 ("user") + 2 ("Hello!") + 3 (reply priming)
//! assert!(edits.iter().any(|e| e.key == "gen_ai.usage.input_tokens" && e.value == Some(9.into())));
//! ```

pub mod cache;
pub mod config;
pub mod content;
pub mod count;
mod fast_count;
pub mod model_map;
pub mod pretok;
mod runs;
mod vocab;

use llmo_schema::attrs as a;
use llmo_schema::edits::{Edits, NewValue, ITEM_ITSELF};
use llmo_schema::view::{Batch, Item, ItemKind, Value};
use llmo_schema::{Interest, Stage};

pub use config::{ConfigError, TokensConfig};
use model_map::Plan;

/// `llm_observatory.usage.tokenizer`: the encoding that counted.
pub const LLMO_USAGE_TOKENIZER: &str = "llm_observatory.usage.tokenizer";
/// `llm_observatory.usage.input_source` / `output_source`: per side, reported/counted/estimated.
pub const LLMO_USAGE_INPUT_SOURCE: &str = "llm_observatory.usage.input_source";
/// See [`LLMO_USAGE_INPUT_SOURCE`].
pub const LLMO_USAGE_OUTPUT_SOURCE: &str = "llm_observatory.usage.output_source";
/// Why content was not counted (too large).
pub const LLMO_USAGE_SKIPPED: &str = "llm_observatory.usage.skipped";
/// Estimated input tokens when `fill_estimated_usage` is off.
pub const LLMO_USAGE_ESTIMATED_INPUT: &str = "llm_observatory.usage.estimated.input_tokens";
/// Estimated output tokens when `fill_estimated_usage` is off.
pub const LLMO_USAGE_ESTIMATED_OUTPUT: &str = "llm_observatory.usage.estimated.output_tokens";

/// A Hugging Face tokenizer loaded from a `tokenizer.json`.
pub struct HfTokenizer {
    inner: tokenizers::Tokenizer,
    name: String,
}

impl HfTokenizer {
    /// Loads a tokenizer.json from disk (offline).
    pub fn from_file(path: &str) -> Result<Self, String> {
        let inner = tokenizers::Tokenizer::from_file(path).map_err(|e| e.to_string())?;
        let file = std::path::Path::new(path)
            .file_name()
            .map(|f| f.to_string_lossy().into_owned());
        Ok(Self {
            inner,
            name: format!("tokenizer.json:{}", file.unwrap_or_default()),
        })
    }
}

impl count::Counter for HfTokenizer {
    fn count(&self, s: &str) -> usize {
        self.inner.encode(s, false).map(|e| e.len()).unwrap_or(0)
    }
}

/// The `token_counting` stage.
pub struct TokenCounter {
    cfg: TokensConfig,
    /// (model prefix, tokenizer) from `tokenizer_files`, longest prefix first.
    files: Vec<(String, HfTokenizer)>,
    /// Counts of long texts seen before (bounded).
    cache: cache::TextCache,
}

impl TokenCounter {
    /// A stage with a validated config and no tokenizer files.
    pub fn new(cfg: TokensConfig) -> Self {
        Self {
            cache: cache::TextCache::new(cfg.count_cache_entries),
            cfg,
            files: Vec::new(),
        }
    }

    /// Parses the JSON config, loads the tokenizer files it names, and builds the stage.
    pub fn from_json(json: &[u8]) -> Result<Self, ConfigError> {
        let cfg = TokensConfig::from_json(json)?;
        let mut files = Vec::new();
        for (pattern, path) in &cfg.tokenizer_files {
            let t = HfTokenizer::from_file(path).map_err(|reason| ConfigError::TokenizerFile {
                pattern: pattern.clone(),
                path: path.clone(),
                reason,
            })?;
            files.push((pattern.trim_end_matches('*').to_string(), t));
        }
        files.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        Ok(Self {
            cache: cache::TextCache::new(cfg.count_cache_entries),
            cfg,
            files,
        })
    }
}

/// Where a side's count came from; ordered from strongest to weakest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    Reported,
    Counted,
    Estimated,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::Reported => "reported",
            Source::Counted => "counted",
            Source::Estimated => "estimated",
        }
    }
}

/// The counter of items by where their usage came from, labelled `reported`, `counted`,
/// `estimated` or `skipped` (content over the size bound).
pub const COUNTER_ITEMS: &str = "items";

impl Stage for TokenCounter {
    fn interest(&self) -> Interest {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        Interest {
            prefixes: s(&[
                "gen_ai.",
                "llm.",
                "ai.",
                "langfuse.",
                "openinference.",
                "traceloop.",
                "input.value",
                "output.value",
                "embedding.model_name",
                "llm_observatory.model.",
                "llm_observatory.aggregate",
            ]),
            event_prefixes: s(&["gen_ai."]),
            // Logfire's OpenAI Agents SDK spans: which span Logfire made, and its content;
            // the texts PydanticAI's Embedder records
            context_keys: s(&[
                "server.address",
                "logfire.msg_template",
                "input",
                "output",
                "inputs",
                "mlflow.spanInputs",
                "mlflow.spanOutputs",
            ]),
            // An item that already carries both counts needs no content: only the marks.
            satisfied_keys: s(&[a::GEN_AI_USAGE_INPUT_TOKENS, a::GEN_AI_USAGE_OUTPUT_TOKENS]),
            heavy_keys: s(&[
                "gen_ai.input.messages",
                "gen_ai.output.messages",
                "gen_ai.system_instructions",
                "gen_ai.tool.definitions",
                "gen_ai.prompt",
                "gen_ai.completion",
                "ai.prompt",
                "ai.prompt.messages",
                "ai.prompt.tools",
                "ai.response.text",
                "ai.response.toolCalls",
                "langfuse.observation.input",
                "langfuse.observation.output",
                "input.value",
                "output.value",
                "input",
                "output",
                "inputs",
                "mlflow.spanInputs",
                "mlflow.spanOutputs",
            ]),
            heavy_prefixes: s(&[
                "gen_ai.prompt.",
                "gen_ai.completion.",
                "llm.input_messages.",
                "llm.output_messages.",
                "llm.tools.",
            ]),
            events: true,
            ..Interest::default()
        }
    }

    fn process(&self, batch: &Batch<'_>, edits: &mut Edits) {
        for item in &batch.items {
            self.count_item(item, edits);
        }
    }
}

/// A reported count under `key`: a non-negative integer, or the same written as an integral
/// double or a numeric string (some instrumentations do), which is rewritten as the integer the
/// semantic conventions specify. Anything else (text, negative, fractional) is no count: the
/// side is counted from content as if nothing were reported.
fn reported_count(item: &Item<'_>, key: &str, edits: &mut Edits) -> Option<i64> {
    let n = match item.attr(key)? {
        Value::Int(i) => return (*i >= 0).then_some(*i),
        Value::Double(d) if d.is_finite() && d.fract() == 0.0 && *d >= 0.0 && *d < 9.0e15 => {
            *d as i64
        }
        Value::Str(s) => s.trim().parse::<i64>().ok().filter(|n| *n >= 0)?,
        _ => return None,
    };
    edits.set_int(item.index, key, n);
    Some(n)
}

impl TokenCounter {
    fn plan(&self, model: &str) -> Plan {
        match self.cfg.override_for(model) {
            Some(encoding) => Plan {
                encoding,
                exact: true,
                calibration: 1.0,
                family: "configured",
            },
            None => model_map::plan_for(model),
        }
    }

    fn count_item(&self, item: &Item<'_>, edits: &mut Edits) {
        if matches!(item.attr(a::LLMO_AGGREGATE), Some(Value::Bool(true))) {
            return; // its children carry the usage
        }
        // What enrichment would find, so that this stage also works on its own: read only
        // when a normalized name is missing, and never for an item enrichment already
        // normalized (it wrote the canonical model id and every value the readers find).
        let enriched = item.attr(a::LLMO_MODEL_CANONICAL).is_some();
        let found_once = std::cell::OnceCell::new();
        let found = || {
            found_once.get_or_init(|| {
                if enriched {
                    return Default::default();
                }
                let at = llmo_genai::sources::Attrs::new(item);
                llmo_genai::sources::read_all(item, &at, &Default::default())
            })
        };
        let str_attr = |k: &str| item.attr(k).and_then(Value::as_str);
        let model = str_attr(a::LLMO_MODEL_CANONICAL)
            .map(str::to_string)
            .or_else(|| {
                str_attr(a::GEN_AI_RESPONSE_MODEL)
                    .or_else(|| found().response_model.as_deref())
                    .or_else(|| str_attr(a::GEN_AI_REQUEST_MODEL))
                    .or_else(|| found().request_model.as_deref())
                    .map(|m| llmo_genai::model::parse_model(m).canonical)
            });
        let operation = str_attr(a::GEN_AI_OPERATION_NAME).or_else(|| found().operation.as_deref());
        let is_llm = model.is_some()
            || str_attr(a::GEN_AI_PROVIDER_NAME).is_some()
            || found().provider.is_some()
            || operation.is_some();
        if !is_llm || operation.is_some_and(llmo_genai::sources::structural_operation) {
            return;
        }
        if item.kind == ItemKind::Log && model.is_none() {
            return; // a per-message GenAI event, not a call: nothing to count against
        }
        let reported_in = reported_count(item, a::GEN_AI_USAGE_INPUT_TOKENS, edits)
            .or_else(|| found().usage.input);
        let reported_out = reported_count(item, a::GEN_AI_USAGE_OUTPUT_TOKENS, edits)
            .or_else(|| found().usage.output);
        // An SDK's empty usage (input 0, output 0 or none) is no count: the zeros are kept as
        // originals, taken off, and the content counted instead.
        let (reported_in, reported_out) =
            if llmo_genai::sources::empty_usage(reported_in, reported_out) {
                for key in [a::GEN_AI_USAGE_INPUT_TOKENS, a::GEN_AI_USAGE_OUTPUT_TOKENS] {
                    if item.attr(key).is_some() {
                        edits.set_int(item.index, &format!("{}{key}", a::LLMO_ORIGINAL_PREFIX), 0);
                        edits.delete(item.index, ITEM_ITSELF, key);
                    }
                }
                edits.count_by(COUNTER_ITEMS, "empty_usage", 1);
                (None, None)
            } else {
                (reported_in, reported_out)
            };
        let embeddings = operation == Some("embeddings");
        let model_id = model.as_deref().unwrap_or("");
        let plan = self.plan(model_id);
        let file = self
            .files
            .iter()
            .find(|(p, _)| model_id.starts_with(p.as_str()));
        // The model's own tokenizer.json: exact content counts, no OpenAI framing.
        let (counter, exact, framing, tokenizer_name, cache_id): (
            &dyn count::Counter,
            bool,
            bool,
            &str,
            &str,
        ) = match file {
            Some((pattern, t)) => (t, true, false, &t.name, pattern),
            None => (
                &plan.encoding,
                plan.exact,
                true,
                plan.encoding.name(),
                plan.encoding.name(),
            ),
        };
        // texts resent call after call (a conversation's history) are counted once
        let cached = cache::Cached {
            cache: &self.cache,
            id: cache_id,
            inner: counter,
        };
        let counter: &dyn count::Counter = &cached;
        let plan = if file.is_some() {
            Plan {
                calibration: 1.0,
                ..plan
            }
        } else {
            plan
        };

        let mut sides: Vec<Source> = Vec::new();
        let mut counted_any = false;
        let mut skipped: Option<String> = None;

        // input
        let mut in_source = reported_in.map(|_| Source::Reported);
        if reported_in.is_none() && self.cfg.count_input {
            if let Some(found_in) = content::input_messages(item) {
                let bytes: usize = found_in.messages.iter().map(|m| m.content_bytes()).sum();
                if bytes > self.cfg.max_content_bytes {
                    skipped = Some(format!(
                        "input content of {bytes} bytes is over max_content_bytes"
                    ));
                } else {
                    let defs = tool_defs(item);
                    let mut n = if found_in.chat && !embeddings && framing {
                        count::chat(counter, &found_in.messages)
                    } else {
                        count::content(counter, &found_in.messages)
                    };
                    n += count::tools(plan.encoding, &defs);
                    let src = if exact && defs.is_empty() {
                        Source::Counted
                    } else {
                        Source::Estimated
                    };
                    self.write_count(
                        edits,
                        item.index,
                        a::GEN_AI_USAGE_INPUT_TOKENS,
                        LLMO_USAGE_ESTIMATED_INPUT,
                        calibrate(n, &plan),
                        src,
                    );
                    in_source = Some(src);
                    counted_any = true;
                }
            }
        }
        // output
        let mut out_source = reported_out.map(|_| Source::Reported);
        if reported_out.is_none() && self.cfg.count_output && !embeddings {
            if let Some(found_out) = content::output_messages(item) {
                let bytes: usize = found_out.messages.iter().map(|m| m.content_bytes()).sum();
                if bytes > self.cfg.max_content_bytes {
                    skipped = Some(format!(
                        "output content of {bytes} bytes is over max_content_bytes"
                    ));
                } else {
                    let n = count::content(counter, &found_out.messages);
                    let src = if exact {
                        Source::Counted
                    } else {
                        Source::Estimated
                    };
                    self.write_count(
                        edits,
                        item.index,
                        a::GEN_AI_USAGE_OUTPUT_TOKENS,
                        LLMO_USAGE_ESTIMATED_OUTPUT,
                        calibrate(n, &plan),
                        src,
                    );
                    out_source = Some(src);
                    counted_any = true;
                }
            }
        }
        for (key, src) in [
            (LLMO_USAGE_INPUT_SOURCE, in_source),
            (LLMO_USAGE_OUTPUT_SOURCE, out_source),
        ] {
            if let Some(src) = src {
                edits.set_str(item.index, key, src.name());
                sides.push(src);
            }
        }
        if let Some(weakest) = sides.iter().max() {
            edits.set_str(item.index, a::LLMO_USAGE_SOURCE, weakest.name());
            edits.count_by(COUNTER_ITEMS, weakest.name(), 1);
        }
        if counted_any {
            edits.set_str(item.index, LLMO_USAGE_TOKENIZER, tokenizer_name);
        }
        if let Some(why) = skipped {
            edits.set_str(item.index, LLMO_USAGE_SKIPPED, &why);
            edits.count_by(COUNTER_ITEMS, "skipped", 1);
        }
    }

    fn write_count(
        &self,
        edits: &mut Edits,
        item: u32,
        key: &str,
        estimated_key: &str,
        n: i64,
        src: Source,
    ) {
        if src == Source::Estimated && !self.cfg.fill_estimated_usage {
            edits.set(item, ITEM_ITSELF, estimated_key, NewValue::Int(n));
        } else {
            edits.set(item, ITEM_ITSELF, key, NewValue::Int(n));
        }
    }
}

fn calibrate(n: usize, plan: &Plan) -> i64 {
    if plan.calibration == 1.0 {
        n as i64
    } else {
        (n as f64 * plan.calibration).round() as i64
    }
}

fn tool_defs(item: &Item<'_>) -> Vec<serde_json::Value> {
    content::tool_definitions(item)
        .iter()
        .filter_map(|s| serde_json::from_str(s).ok())
        .collect()
}
