//! The attribute keys the convention readers know, each with a fixed slot: an item's
//! attributes are classified once ([`crate::sources::Attrs::new`]) into an array indexed by
//! [`Slot`], so a reader's lookup is an array index instead of a hash of its key.
//!
//! The key prefixes the readers test ([`Prefix`]) are classified in the same pass.

use std::sync::LazyLock;

use llmo_schema::attrs as a;

macro_rules! slots {
    ($($name:ident = $key:expr,)*) => {
        /// A key the readers know.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u8)]
        #[allow(non_camel_case_types, missing_docs)]
        pub enum Slot {
            $($name,)*
        }

        impl Slot {
            /// Every slot, in order.
            pub const ALL: &'static [Slot] = &[$(Slot::$name,)*];
            /// How many there are.
            pub const COUNT: usize = Slot::ALL.len();

            /// The attribute key.
            pub const fn key(self) -> &'static str {
                match self {
                    $(Slot::$name => $key,)*
                }
            }
        }
    };
}

slots! {
    // GenAI semconv, the normalized names
    ProviderName = a::GEN_AI_PROVIDER_NAME,
    OperationName = a::GEN_AI_OPERATION_NAME,
    RequestModel = a::GEN_AI_REQUEST_MODEL,
    ResponseModel = a::GEN_AI_RESPONSE_MODEL,
    InputTokens = a::GEN_AI_USAGE_INPUT_TOKENS,
    OutputTokens = a::GEN_AI_USAGE_OUTPUT_TOKENS,
    CacheReadInputTokens = a::GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
    CacheCreationInputTokens = a::GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
    ReasoningOutputTokens = a::GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
    // GenAI semconv, legacy
    GenAiSystem = "gen_ai.system",
    GenAiPromptTokens = "gen_ai.usage.prompt_tokens",
    GenAiCompletionTokens = "gen_ai.usage.completion_tokens",
    GenAiPrompt = "gen_ai.prompt",
    GenAiCompletion = "gen_ai.completion",
    // OpenInference
    OiSpanKind = "openinference.span.kind",
    OiModelName = "llm.model_name",
    OiRequestModelName = "llm.request.model_name",
    OiResponseModelName = "llm.response.model_name",
    OiEmbeddingModelName = "embedding.model_name",
    OiProvider = "llm.provider",
    OiSystem = "llm.system",
    OiInvocationParameters = "llm.invocation_parameters",
    OiInputValue = "input.value",
    OiPromptTokens = "llm.token_count.prompt",
    OiCacheRead = "llm.token_count.prompt_details.cache_read",
    OiCacheWrite = "llm.token_count.prompt_details.cache_write",
    OiCompletionTokens = "llm.token_count.completion",
    OiReasoning = "llm.token_count.completion_details.reasoning",
    // Vercel AI SDK
    AiOperationId = "ai.operationId",
    AiModelId = "ai.model.id",
    AiModelProvider = "ai.model.provider",
    AiResponseModel = "ai.response.model",
    AiInputTokens = "ai.usage.inputTokens",
    AiPromptTokens = "ai.usage.promptTokens",
    AiOutputTokens = "ai.usage.outputTokens",
    AiCompletionTokens = "ai.usage.completionTokens",
    AiTokens = "ai.usage.tokens",
    AiProviderMetadata = "ai.response.providerMetadata",
    AiCacheReadTokens = "ai.usage.inputTokenDetails.cacheReadTokens",
    AiCachedInputTokens = "ai.usage.cachedInputTokens",
    AiCacheWriteTokens = "ai.usage.inputTokenDetails.cacheWriteTokens",
    AiReasoningTokensDetail = "ai.usage.outputTokenDetails.reasoningTokens",
    AiReasoningTokens = "ai.usage.reasoningTokens",
    // Langfuse
    LfType = "langfuse.observation.type",
    LfModelName = "langfuse.observation.model.name",
    LfUsageDetails = "langfuse.observation.usage_details",
    // OpenLLMetry
    OlRequestType = "llm.request.type",
    OlTotalTokens = "llm.usage.total_tokens",
    OlCacheReadInputTokens = "gen_ai.usage.cache_read_input_tokens",
    OlCacheCreationInputTokens = "gen_ai.usage.cache_creation_input_tokens",
    OlReasoningTokens = "gen_ai.usage.reasoning_tokens",
    // OpenLIT
    LitCost = "gen_ai.usage.cost",
    LitSdkVersion = "gen_ai.sdk.version",
    LitApplicationName = "gen_ai.application_name",
    // seconds (OpenLIT), milliseconds as an integer (Strands)
    LitTimeToFirstToken = "gen_ai.server.time_to_first_token",
    // time to first chunk: semconv; the semconv metric's name, which PydanticAI and Vercel
    // AI SDK 7 write on spans (s); Vercel AI SDK before 7 (ms)
    TimeToFirstChunk = a::GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
    ClientTimeToFirstChunk = "gen_ai.client.operation.time_to_first_chunk",
    AiMsToFirstChunk = "ai.response.msToFirstChunk",
    // vendor SDKs
    VendorCacheWrite = "gen_ai.usage.cache_write.input_tokens",
    // PydanticAI: the provider's usage details, verbatim (`gen_ai.aggregated_usage.*` on
    // agent spans is the sum of the model calls and not read)
    PaiReasoning = "gen_ai.usage.details.reasoning_tokens",
    PaiThinking = "gen_ai.usage.details.thinking_tokens",
    PaiThoughts = "gen_ai.usage.details.thoughts_tokens",
    PaiCacheRead = "gen_ai.usage.details.cache_read_tokens",
    PaiCacheWrite = "gen_ai.usage.details.cache_write_tokens",
    // reasoning and cache keys of one meaning whoever writes them: OpenLLMetry before 0.55,
    // OpenLIT's ADK instrumentation, ADK 1.x, Strands
    LlmUsageReasoning = "llm.usage.reasoning_tokens",
    CompletionDetailsReasoning = "gen_ai.usage.completion_tokens_details.reasoning_tokens",
    AdkReasoning = "gen_ai.usage.experimental.reasoning_tokens",
    StrandsCacheWrite = "gen_ai.usage.cache_write_input_tokens",
    // Logfire (`logfire.instrument_openai_agents()`): its message template, the SDK's usage
    LogfireTemplate = "logfire.msg_template",
    LogfireUsage = "usage",
    // MLflow tracing's OTLP export (values JSON-encoded)
    MlSpanType = "mlflow.spanType",
    MlTokenUsage = "mlflow.chat.tokenUsage",
    MlModel = "mlflow.llm.model",
    MlProvider = "mlflow.llm.provider",
    // the cost keys of the semconv proposal (cost_calculation writes them)
    CostAmount = a::GEN_AI_USAGE_COST_AMOUNT,
    // context
    ServerAddress = "server.address",
    // an earlier llm_enrichment's marks (an agent collector in front of this one)
    LlmoSource = a::LLMO_SOURCE,
    LlmoOriginalInput = "llm_observatory.original.gen_ai.usage.input_tokens",
    LlmoOriginalOutput = "llm_observatory.original.gen_ai.usage.output_tokens",
}

/// A key prefix the readers test for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Prefix {
    /// OpenInference token counts.
    LlmTokenCount,
    /// Vercel AI SDK usage.
    AiUsage,
    /// Vercel AI SDK v6 input token details.
    AiUsageInputTokenDetails,
    /// Traceloop.
    Traceloop,
    /// OpenLLMetry's first flattened prompt.
    GenAiPrompt0,
    /// OpenLLMetry's first flattened completion.
    GenAiCompletion0,
}

impl Prefix {
    /// Every prefix, in order.
    pub const ALL: [Prefix; 6] = [
        Prefix::LlmTokenCount,
        Prefix::AiUsage,
        Prefix::AiUsageInputTokenDetails,
        Prefix::Traceloop,
        Prefix::GenAiPrompt0,
        Prefix::GenAiCompletion0,
    ];

    /// The prefix itself.
    pub const fn text(self) -> &'static str {
        match self {
            Prefix::LlmTokenCount => "llm.token_count.",
            Prefix::AiUsage => "ai.usage.",
            Prefix::AiUsageInputTokenDetails => "ai.usage.inputTokenDetails.",
            Prefix::Traceloop => "traceloop.",
            Prefix::GenAiPrompt0 => "gen_ai.prompt.0.",
            Prefix::GenAiCompletion0 => "gen_ai.completion.0.",
        }
    }

    /// Its bit in a prefix mask.
    pub const fn bit(self) -> u8 {
        1 << self as u8
    }

    /// The prefix of this text, if it is one of ours.
    pub fn of_text(text: &str) -> Option<Prefix> {
        Prefix::ALL.into_iter().find(|p| p.text() == text)
    }
}

/// The prefixes `key` starts with, as a mask of [`Prefix::bit`]s.
pub fn prefix_mask(key: &str) -> u8 {
    // every prefix starts with one of these bytes: most keys need one comparison
    if !matches!(key.as_bytes().first(), Some(b'l' | b'a' | b't' | b'g')) {
        return 0;
    }
    Prefix::ALL
        .into_iter()
        .filter(|p| key.starts_with(p.text()))
        .fold(0, |m, p| m | p.bit())
}

/// What a key is: its slot, if it has one, and the prefixes it starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Class {
    /// The key's slot.
    pub slot: Option<Slot>,
    /// The [`Prefix`] bits of the key.
    pub prefixes: u8,
}

/// Open addressing over the slot keys: a hash of a key's length and its first and last eight
/// bytes picks a cell, a full comparison confirms. Cheaper than a general hash map for the
/// few dozen keys a reader knows, which every attribute an item carries is looked up in.
struct Table {
    cells: [u8; TABLE_SIZE],
}

const TABLE_SIZE: usize = 512;
const EMPTY: u8 = u8::MAX;
// a cell holds a slot number, EMPTY is none; the table stays at most a quarter full
const _: () = assert!(Slot::COUNT < EMPTY as usize && Slot::COUNT * 4 <= TABLE_SIZE);

fn word(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w[..b.len()].copy_from_slice(b);
    u64::from_le_bytes(w)
}

#[inline]
fn cell_of(key: &[u8]) -> usize {
    let n = key.len();
    let (first, last) = if n >= 8 {
        (word(&key[..8]), word(&key[n - 8..]))
    } else {
        (word(key), 0)
    };
    let h = (first ^ (n as u64).rotate_left(56))
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .rotate_left(23)
        ^ last.wrapping_mul(0xf135_7aea_2e62_a9c5);
    (h.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 55) as usize % TABLE_SIZE
}

static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let mut cells = [EMPTY; TABLE_SIZE];
    for &s in Slot::ALL {
        let mut c = cell_of(s.key().as_bytes());
        while cells[c] != EMPTY {
            assert_ne!(
                Slot::ALL[cells[c] as usize].key(),
                s.key(),
                "a key has two slots"
            );
            c = (c + 1) % TABLE_SIZE;
        }
        cells[c] = s as u8;
    }
    Table { cells }
});

/// The slot of a key, if it has one.
pub fn slot_of(key: &str) -> Option<Slot> {
    let t = &*TABLE;
    let mut c = cell_of(key.as_bytes());
    loop {
        let s = *Slot::ALL.get(t.cells[c] as usize)?;
        if s.key() == key {
            return Some(s);
        }
        c = (c + 1) % TABLE_SIZE;
    }
}

/// The reference [`slot_of`]: a plain search of the key list (for tests).
pub fn slot_of_by_search(key: &str) -> Option<Slot> {
    Slot::ALL.iter().copied().find(|s| s.key() == key)
}

/// The reference [`prefix_mask`]: every prefix tested (for tests).
pub fn prefix_mask_by_search(key: &str) -> u8 {
    Prefix::ALL
        .into_iter()
        .filter(|p| key.starts_with(p.text()))
        .fold(0, |m, p| m | p.bit())
}

/// Classifies a key.
pub fn classify(key: &str) -> Class {
    Class {
        slot: slot_of(key),
        prefixes: prefix_mask(key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slot_is_found_by_its_key() {
        for (i, &s) in Slot::ALL.iter().enumerate() {
            assert_eq!(s as usize, i);
            assert_eq!(slot_of(s.key()), Some(s));
        }
        assert_eq!(slot_of("gen_ai.system "), None);
        assert_eq!(slot_of(""), None);
    }

    #[test]
    fn prefixes_are_found() {
        assert_eq!(
            prefix_mask("ai.usage.inputTokenDetails.cacheReadTokens"),
            Prefix::AiUsage.bit() | Prefix::AiUsageInputTokenDetails.bit()
        );
        assert_eq!(
            prefix_mask("traceloop.entity.name"),
            Prefix::Traceloop.bit()
        );
        assert_eq!(prefix_mask("gen_ai.prompt.0"), 0);
        for p in Prefix::ALL {
            assert_eq!(Prefix::of_text(p.text()), Some(p));
        }
    }
}
