//! The usage-keys audit (issue 16): every usage, cost and model key the current releases of the
//! libraries we follow can emit is either normalized or deliberately ignored, one test per key.
//! Where each key comes from, library by library: docs/usage-keys.md.

#[allow(dead_code)] // the helpers other test files use
mod common;

use common::*;
use serde_json::{json, Value};

/// A chat span of `gpt-4o` with `extra`, enriched.
fn chat(extra: Value) -> Out {
    let mut a = json!({"gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o",
        "gen_ai.usage.input_tokens": 1234, "gen_ai.usage.output_tokens": 56});
    a.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    enrich(&json!({"name": "chat gpt-4o", "attributes": a}))
}

macro_rules! normalized {
    ($($name:ident: $key:literal = $v:expr => $target:literal;)*) => {$(
        #[test]
        fn $name() {
            let o = chat(json!({"gen_ai.provider.name": "openai", $key: $v}));
            assert_eq!(o.get($target), Some(&json!($v)), "{} -> {}: {:#?}", $key, $target, o.attrs);
        }
    )*};
}

normalized! {
    // OpenLLMetry >= 0.55 (openai, anthropic, openai-agents) outside a Traceloop workflow; OpenLIT
    reasoning_tokens_of_openllmetry_and_openlit: "gen_ai.usage.reasoning_tokens" = 20
        => "gen_ai.usage.reasoning.output_tokens";
    // OpenLLMetry <= 0.54
    llm_usage_reasoning_tokens: "llm.usage.reasoning_tokens" = 20
        => "gen_ai.usage.reasoning.output_tokens";
    // OpenLIT's Google ADK instrumentation
    completion_tokens_details_reasoning: "gen_ai.usage.completion_tokens_details.reasoning_tokens" = 20
        => "gen_ai.usage.reasoning.output_tokens";
    // Google ADK 1.x
    adk_experimental_reasoning: "gen_ai.usage.experimental.reasoning_tokens" = 20
        => "gen_ai.usage.reasoning.output_tokens";
    // PydanticAI: OpenAI, Anthropic, Google models
    pydantic_ai_reasoning: "gen_ai.usage.details.reasoning_tokens" = 20
        => "gen_ai.usage.reasoning.output_tokens";
    pydantic_ai_thinking: "gen_ai.usage.details.thinking_tokens" = 20
        => "gen_ai.usage.reasoning.output_tokens";
    pydantic_ai_thoughts: "gen_ai.usage.details.thoughts_tokens" = 20
        => "gen_ai.usage.reasoning.output_tokens";
    // PydanticAI before 1.78: cache counts only among its details
    pydantic_ai_cache_read: "gen_ai.usage.details.cache_read_tokens" = 1000
        => "gen_ai.usage.cache_read.input_tokens";
    pydantic_ai_cache_write: "gen_ai.usage.details.cache_write_tokens" = 300
        => "gen_ai.usage.cache_creation.input_tokens";
    // OpenLLMetry, OpenLIT, Strands: the underscore spellings, also alone
    cache_read_input_tokens: "gen_ai.usage.cache_read_input_tokens" = 1000
        => "gen_ai.usage.cache_read.input_tokens";
    cache_creation_input_tokens: "gen_ai.usage.cache_creation_input_tokens" = 300
        => "gen_ai.usage.cache_creation.input_tokens";
    strands_cache_write_input_tokens: "gen_ai.usage.cache_write_input_tokens" = 300
        => "gen_ai.usage.cache_creation.input_tokens";
    // util-genai 1.x, Anthropic SDK: the semconv's newer spelling
    cache_write_input_tokens: "gen_ai.usage.cache_write.input_tokens" = 300
        => "gen_ai.usage.cache_creation.input_tokens";
}

/// Keys deliberately not normalized: totals (derivable, and wrong where an instrumentation
/// counts cache apart), per-modality subsets, aggregates of an agent's model calls (those
/// spans carry the usage), a thinking budget (a setting, not usage).
#[test]
fn ignored_keys_change_nothing() {
    let base = chat(json!({"gen_ai.provider.name": "openai"}));
    for (key, v) in [
        ("gen_ai.usage.total_tokens", json!(1290)),
        ("llm.usage.total_tokens", json!(1290)),
        ("llm.token_count.total", json!(1290)),
        ("gen_ai.usage.audio.input_tokens", json!(3)),
        ("gen_ai.usage.details.audio_tokens", json!(3)),
        ("gen_ai.usage.details.accepted_prediction_tokens", json!(0)),
        ("gen_ai.aggregated_usage.input_tokens", json!(9999)),
        (
            "gen_ai.aggregated_usage.details.reasoning_tokens",
            json!(99),
        ),
        (
            "gen_ai.usage.experimental.reasoning_tokens_limit",
            json!(4096),
        ),
        ("pydantic_ai.cache.hit_ratio", json!(0.81)),
    ] {
        let o = chat(json!({"gen_ai.provider.name": "openai", key: v}));
        for k in [
            "gen_ai.usage.input_tokens",
            "gen_ai.usage.output_tokens",
            "gen_ai.usage.cache_read.input_tokens",
            "gen_ai.usage.cache_creation.input_tokens",
            "gen_ai.usage.reasoning.output_tokens",
        ] {
            assert_eq!(o.get(k), base.get(k), "{key} changed {k}");
        }
    }
    // OpenLLMetry's LangChain association properties: inherited by every span under the run
    // (tools and chains too), so they would name a model where there is no call; the chat
    // spans carry the semconv names themselves (captured)
    for (key, v) in [
        ("traceloop.association.properties.ls_provider", "anthropic"),
        (
            "traceloop.association.properties.ls_model_name",
            "claude-3-haiku",
        ),
    ] {
        let o = chat(json!({"gen_ai.provider.name": "openai", key: v}));
        for k in [
            "gen_ai.provider.name",
            "gen_ai.request.model",
            "gen_ai.response.model",
        ] {
            assert_eq!(o.get(k), base.get(k), "{key} changed {k}");
        }
        let tool = enrich(&json!({"name": "get_weather.tool", "attributes": {
            "traceloop.span.kind": "tool", key: v}}));
        assert!(
            tool.get("gen_ai.request.model").is_none(),
            "{key}: {:?}",
            tool.attrs
        );
    }
}

/// A framework's name, or `unknown`, in the provider key is no provider: the provider is
/// inferred from the model or the host, the value kept under `llm_observatory.original.*`.
#[test]
fn framework_names_are_not_providers() {
    for (value, extra, want) in [
        ("langgraph", json!({}), "openai"),
        ("strands-agents", json!({}), "openai"),
        ("gcp.vertex.agent", json!({}), "openai"),
        (
            "unknown",
            json!({"server.address": "api.anthropic.com"}),
            "anthropic",
        ),
        ("agno", json!({}), "openai"),
    ] {
        let mut e = json!({"gen_ai.provider.name": value});
        e.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let o = chat(e);
        assert_eq!(o.get("gen_ai.provider.name"), Some(&json!(want)), "{value}");
        assert_eq!(
            o.get("llm_observatory.original.gen_ai.provider.name"),
            Some(&json!(value)),
            "{value}"
        );
    }
}

/// Provider ids of PydanticAI and display names of Agno, in semconv spelling.
#[test]
fn provider_ids_of_frameworks() {
    for (raw, want) in [
        ("google-gla", "gcp.gemini"),
        ("google-cloud", "gcp.vertex_ai"),
        ("bedrock-mantle", "aws.bedrock"),
        ("AwsBedrock", "aws.bedrock"),
        ("AzureFoundry", "azure.ai.inference"),
        ("googleai", "gcp.gemini"),
    ] {
        let o = chat(json!({"gen_ai.provider.name": raw}));
        assert_eq!(o.get("gen_ai.provider.name"), Some(&json!(want)), "{raw}");
    }
}

/// OpenLLMetry's framework spans (`traceloop.span.kind`): an agent or workflow span with the
/// run's totals (its Agno instrumentation) is an aggregate, not a call; one without usage is
/// structure and left alone.
#[test]
fn traceloop_span_kinds() {
    let agent = enrich(&json!({"name": "weather_agent.agent", "attributes": {
        "traceloop.span.kind": "agent", "gen_ai.system": "agno", "gen_ai.request.model": "gpt-4o",
        "gen_ai.usage.input_tokens": 2468, "gen_ai.usage.output_tokens": 112}}));
    assert_eq!(agent.get("llm_observatory.aggregate"), Some(&json!(true)));
    let workflow = enrich(&json!({"name": "Agent Workflow", "attributes": {
        "traceloop.span.kind": "workflow", "gen_ai.provider.name": "openai"}}));
    assert!(
        workflow
            .attrs
            .keys()
            .all(|k| !k.starts_with("llm_observatory.")),
        "{:?}",
        workflow.attrs
    );
}

/// MLflow tracing over OTLP: JSON-encoded `mlflow.*` values; a CHAT_MODEL span is a call with
/// the usage object's counts (input includes the cache), an AGENT span with usage an aggregate,
/// a CHAIN span without usage structure.
#[test]
fn mlflow_tracing() {
    let call = enrich(&json!({"name": "Completions", "attributes": {
        "mlflow.spanType": "\"CHAT_MODEL\"", "mlflow.llm.model": "\"claude-sonnet-4-20250514\"",
        "mlflow.llm.provider": "\"anthropic\"",
        "mlflow.chat.tokenUsage": "{\"input_tokens\": 2400, \"output_tokens\": 50, \"total_tokens\": 2450, \"cache_read_input_tokens\": 2000, \"cache_creation_input_tokens\": 300}"}}));
    assert_usage(&call, [Some(2400), Some(50), Some(2000), Some(300), None]);
    assert_eq!(call.get("gen_ai.provider.name"), Some(&json!("anthropic")));
    assert_eq!(
        call.get("gen_ai.request.model"),
        Some(&json!("claude-sonnet-4-20250514"))
    );
    assert_eq!(call.get("llm_observatory.source"), Some(&json!("mlflow")));
    let agent = enrich(&json!({"name": "run", "attributes": {
        "mlflow.spanType": "\"AGENT\"", "mlflow.llm.model": "\"gpt-4o\"",
        "mlflow.chat.tokenUsage": "{\"input_tokens\": 2468, \"output_tokens\": 112}"}}));
    assert_eq!(agent.get("llm_observatory.aggregate"), Some(&json!(true)));
    assert!(agent.get("gen_ai.usage.input_tokens").is_none());
    let chain = enrich(&json!({"name": "answer", "attributes": {"mlflow.spanType": "\"CHAIN\""}}));
    assert!(
        chain.attrs.keys().all(|k| k == "mlflow.spanType"),
        "{:?}",
        chain.attrs
    );
}

/// Time to the first chunk of a streamed response, under each convention's name and unit,
/// becomes the semconv `gen_ai.response.time_to_first_chunk` in seconds; the semconv value,
/// where present, is never replaced; a value of the wrong type is counted, not read.
#[test]
fn time_to_first_chunk() {
    let ttfc = |extra: &Value| {
        let mut a = extra.clone();
        a["gen_ai.provider.name"] = json!("openai");
        let o = chat(a);
        (o.get("gen_ai.response.time_to_first_chunk").cloned(), o)
    };
    for (extra, want) in [
        // PydanticAI, Vercel AI SDK 7: the semconv metric's name, seconds
        (
            json!({"gen_ai.client.operation.time_to_first_chunk": 0.25}),
            json!(0.25),
        ),
        // OpenLIT: seconds, a double
        (
            json!({"gen_ai.server.time_to_first_token": 0.031}),
            json!(0.031),
        ),
        // Strands: the same key in milliseconds, an integer
        (
            json!({"gen_ai.server.time_to_first_token": 378}),
            json!(0.378),
        ),
        // Vercel AI SDK 4-7 (legacy attributes): milliseconds
        (json!({"ai.response.msToFirstChunk": 250.0}), json!(0.25)),
        // semconv and another: the semconv value stays
        (
            json!({"gen_ai.response.time_to_first_chunk": 0.5, "ai.response.msToFirstChunk": 250.0}),
            json!(0.5),
        ),
    ] {
        let (got, o) = ttfc(&extra);
        assert_eq!(got, Some(want), "{extra}: {:#?}", o.attrs);
    }
    // wrong types and negative values: not read, counted invalid
    for bad in [
        json!({"ai.response.msToFirstChunk": "fast"}),
        json!({"gen_ai.server.time_to_first_token": -1.0}),
    ] {
        let (got, o) = ttfc(&bad);
        assert_eq!(got, None, "{bad}");
        assert!(
            o.counters
                .iter()
                .any(|(k, n)| k == "invalid_values" && *n == 1),
            "{bad}: {:?}",
            o.counters
        );
    }
}

/// OpenInference's newest conventions split the model in two: `llm.request.model_name` (what
/// was asked for) and `llm.response.model_name` (what answered; `llm.model_name` repeats it).
/// Both are read, the request's before the invocation parameters; a span that names only the
/// requested model is a model call too.
#[test]
fn openinference_request_and_response_model_names() {
    let both = enrich(&json!({"name": "ChatCompletion", "attributes": {
        "openinference.span.kind": "LLM", "llm.provider": "openai",
        "llm.request.model_name": "gpt-4o", "llm.response.model_name": "gpt-4o-2024-08-06",
        "llm.model_name": "gpt-4o-2024-08-06",
        "llm.invocation_parameters": "{\"model\": \"gpt-4o-mini\"}",
        "llm.token_count.prompt": 1234, "llm.token_count.completion": 56}}));
    assert_eq!(both.get("gen_ai.request.model"), Some(&json!("gpt-4o")));
    assert_eq!(
        both.get("gen_ai.response.model"),
        Some(&json!("gpt-4o-2024-08-06"))
    );
    assert_usage(&both, [Some(1234), Some(56), None, None, None]);
    // the response's name wins over llm.model_name where they differ (a fallback model)
    let fallback = enrich(&json!({"name": "messages", "attributes": {
        "openinference.span.kind": "LLM", "llm.provider": "anthropic",
        "llm.request.model_name": "claude-fable-5", "llm.response.model_name": "claude-opus-4-8",
        "llm.model_name": "claude-fable-5"}}));
    assert_eq!(
        fallback.get("gen_ai.response.model"),
        Some(&json!("claude-opus-4-8"))
    );
    // no span kind, only the requested model: still a model call
    let bare = enrich(&json!({"name": "call", "attributes": {
        "llm.request.model_name": "gpt-4o", "llm.token_count.prompt": 10}}));
    assert_eq!(bare.get("gen_ai.request.model"), Some(&json!("gpt-4o")));
    assert_eq!(
        bare.get("llm_observatory.source"),
        Some(&json!("openinference"))
    );
}

/// Google ADK 1.x on a Gemini model: Gemini's candidates count (the output ADK writes) leaves
/// the thoughts out, which ADK writes apart; the semconv output has them, so they are added
/// (the reported output kept as the original). Not on a LiteLLM model (its completion count
/// has the reasoning already), not on ADK 2.x's semconv reasoning key, and not twice.
#[test]
fn adk_1x_thoughts_are_given_back_to_gemini_output() {
    let adk = |model: &str, reasoning_key: &str| {
        enrich(&json!({"name": format!("call_llm"), "attributes": {
            "gen_ai.system": "gcp.vertex.agent", "gen_ai.request.model": model,
            "gen_ai.usage.input_tokens": 1234, "gen_ai.usage.output_tokens": 36,
            reasoning_key: 20}}))
    };
    let gemini = adk(
        "gemini-2.5-flash",
        "gen_ai.usage.experimental.reasoning_tokens",
    );
    assert_usage(&gemini, [Some(1234), Some(56), None, None, Some(20)]);
    assert_eq!(
        gemini.get("llm_observatory.original.gen_ai.usage.output_tokens"),
        Some(&json!(36))
    );
    // a Vertex resource name ends in the model id
    let vertex = adk(
        "projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro",
        "gen_ai.usage.experimental.reasoning_tokens",
    );
    assert_eq!(vertex.get("gen_ai.usage.output_tokens"), Some(&json!(56)));
    let litellm = adk(
        "openai/gpt-4o",
        "gen_ai.usage.experimental.reasoning_tokens",
    );
    assert_eq!(litellm.get("gen_ai.usage.output_tokens"), Some(&json!(36)));
    let adk2 = adk("gemini-2.5-flash", "gen_ai.usage.reasoning.output_tokens");
    assert_eq!(adk2.get("gen_ai.usage.output_tokens"), Some(&json!(36)));
    // the enriched span through a second enrichment (an agent collector before a gateway)
    let again = enrich(&json!({"name": "call_llm", "attributes": gemini.attrs}));
    assert_eq!(again.get("gen_ai.usage.output_tokens"), Some(&json!(56)));
}

/// Every key the convention readers know is sent to the enricher by the Go side (a key its
/// interest does not name never arrives, and a correction that relies on it, such as the
/// original kept by an earlier enrichment, would be made twice).
#[test]
fn every_key_the_readers_know_is_sent() {
    use llmo_schema::Stage;
    for message_content in [false, true] {
        let cfg = llmo_enrich::EnrichConfig {
            message_content,
            ..llmo_enrich::EnrichConfig::default()
        };
        let interest = llmo_enrich::Enricher::new(cfg).interest();
        let sent =
            |k: &str| interest.matches_key(k) || interest.context_keys.iter().any(|c| c == k);
        let missing: Vec<&str> = llmo_genai::slots::Slot::ALL
            .iter()
            .map(|s| s.key())
            // legacy semconv content: read only to build the semconv messages from it
            .filter(|k| message_content || !matches!(*k, "gen_ai.prompt" | "gen_ai.completion"))
            .filter(|k| !sent(k))
            .collect();
        assert!(
            missing.is_empty(),
            "not sent to llm_enrichment (message_content {message_content}): {missing:?}"
        );
    }
}
