//! The attribute vocabulary.
//!
//! Normalized names follow the OpenTelemetry GenAI semantic conventions (v1.37+, with the
//! v1.41 reasoning-token attribute). Everything this project adds beyond semconv is under
//! `llm_observatory.`. Token counts follow the semconv rule: `gen_ai.usage.input_tokens`
//! includes cached tokens, and the cache/reasoning counts are parts of the totals.

// --- GenAI semantic conventions (normalized output) ------------------------------------

/// The GenAI provider, e.g. `openai`, `anthropic`, `aws.bedrock` (semconv well-known values).
pub const GEN_AI_PROVIDER_NAME: &str = "gen_ai.provider.name";
/// The operation: `chat`, `text_completion`, `embeddings`, `generate_content`, `execute_tool`,
/// `create_agent`, `invoke_agent`.
pub const GEN_AI_OPERATION_NAME: &str = "gen_ai.operation.name";
/// The model the caller asked for.
pub const GEN_AI_REQUEST_MODEL: &str = "gen_ai.request.model";
/// The model that answered.
pub const GEN_AI_RESPONSE_MODEL: &str = "gen_ai.response.model";
/// Input (prompt) tokens, cached tokens included.
pub const GEN_AI_USAGE_INPUT_TOKENS: &str = "gen_ai.usage.input_tokens";
/// Output (completion) tokens, reasoning tokens included.
pub const GEN_AI_USAGE_OUTPUT_TOKENS: &str = "gen_ai.usage.output_tokens";
/// Input tokens served from the provider's prompt cache (part of input_tokens).
pub const GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: &str = "gen_ai.usage.cache_read.input_tokens";
/// Input tokens written to the provider's prompt cache (part of input_tokens).
pub const GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS: &str =
    "gen_ai.usage.cache_creation.input_tokens";
/// Output tokens spent on reasoning (part of output_tokens).
pub const GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: &str = "gen_ai.usage.reasoning.output_tokens";
/// Seconds from the request to the first chunk of a streamed response.
pub const GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK: &str = "gen_ai.response.time_to_first_chunk";
/// Chat history sent to the model, as the semconv JSON message array.
pub const GEN_AI_INPUT_MESSAGES: &str = "gen_ai.input.messages";
/// Messages returned by the model, as the semconv JSON message array.
pub const GEN_AI_OUTPUT_MESSAGES: &str = "gen_ai.output.messages";
/// System instructions, as the semconv JSON parts array.
pub const GEN_AI_SYSTEM_INSTRUCTIONS: &str = "gen_ai.system_instructions";
/// Cost of the call as one USD double: what SigNoz's and Langfuse's LLM dashboards read, and
/// what OpenLIT writes.
pub const GEN_AI_USAGE_COST: &str = "gen_ai.usage.cost";
/// Cost of the call (open semconv proposal).
pub const GEN_AI_USAGE_COST_AMOUNT: &str = "gen_ai.usage.cost.amount";
/// Currency of the cost, `USD`.
pub const GEN_AI_USAGE_COST_CURRENCY: &str = "gen_ai.usage.cost.currency";
/// Who computed the cost.
pub const GEN_AI_USAGE_COST_SOURCE: &str = "gen_ai.usage.cost.source";

/// Every normalized name this project writes from semconv, for validation of user mappings.
pub const NORMALIZED: &[&str] = &[
    GEN_AI_PROVIDER_NAME,
    GEN_AI_OPERATION_NAME,
    GEN_AI_REQUEST_MODEL,
    GEN_AI_RESPONSE_MODEL,
    GEN_AI_USAGE_INPUT_TOKENS,
    GEN_AI_USAGE_OUTPUT_TOKENS,
    GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
    GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
    GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
    GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
];

// --- llm_observatory.* (this project's additions) --------------------------------------

/// Prefix of the value a correction replaced: `llm_observatory.original.<key>`.
pub const LLMO_ORIGINAL_PREFIX: &str = "llm_observatory.original.";
/// Canonical model id: lower case, provider/region prefixes, deployment paths and
/// version suffixes removed, release date kept (`claude-3-5-sonnet-20241022`).
pub const LLMO_MODEL_CANONICAL: &str = "llm_observatory.model.canonical";
/// Model family: the canonical id without its date/version (`claude-3-5-sonnet`).
pub const LLMO_MODEL_FAMILY: &str = "llm_observatory.model.family";
/// The instrumentation convention(s) detected on the item, comma separated
/// (`genai_semconv`, `genai_semconv_legacy`, `openllmetry`, `openinference`, `openlit`,
/// `vercel_ai`, `langfuse`, `vendor_sdk`).
pub const LLMO_SOURCE: &str = "llm_observatory.source";
/// How the provider was found when the item did not name it: `model` or `server.address`.
pub const LLMO_PROVIDER_INFERRED_FROM: &str = "llm_observatory.provider.inferred_from";
/// Set to `true` on wrapper spans (e.g. Vercel AI SDK `ai.generateText`) whose usage repeats
/// the usage of their child call spans; cost and token sums must skip them.
pub const LLMO_AGGREGATE: &str = "llm_observatory.aggregate";
/// Set to `true` on log records that repeat the usage of the span they were emitted in
/// (opentelemetry-util-genai's `gen_ai.client.inference.operation.details` event). They are
/// priced, for pipelines that keep only logs; a sum over spans and log records together must
/// skip them.
pub const LLMO_REPEATS_SPAN: &str = "llm_observatory.repeats_span";
/// Where the token counts came from: `reported`, `counted` or `estimated`.
pub const LLMO_USAGE_SOURCE: &str = "llm_observatory.usage.source";

/// The most tokens one call can plausibly use (no model reads or writes 100 million tokens in
/// one call; the largest context windows are about a tenth of that). A count above it is a
/// broken instrumentation, not usage: it is not priced, so it cannot poison every cost sum.
pub const MAX_PLAUSIBLE_TOKENS: u64 = 100_000_000;

/// Counter: items that were recognised as LLM calls or GenAI events.
pub const COUNTER_LLM_ITEMS: &str = "llm_items";
/// Counter: attribute values of the wrong type or unparsable, left as they were.
pub const COUNTER_INVALID_VALUES: &str = "invalid_values";
