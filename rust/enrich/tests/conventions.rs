//! One test per source convention, on items in the shapes those libraries emit.

mod common;

use common::*;
use llmo_enrich::EnrichConfig;
use serde_json::json;

#[test]
fn genai_semconv_current_is_kept_and_canonicalized() {
    let o = enrich(&json!({"name": "chat gpt-4o", "attributes": {
        "gen_ai.provider.name": "openai", "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "gpt-4o", "gen_ai.response.model": "gpt-4o-2024-08-06",
        "gen_ai.usage.input_tokens": 1234, "gen_ai.usage.output_tokens": 56,
        "gen_ai.usage.cache_read.input_tokens": 1000, "gen_ai.usage.reasoning.output_tokens": 20}}));
    assert_usage(&o, [Some(1234), Some(56), Some(1000), None, Some(20)]);
    assert_eq!(
        o.get("llm_observatory.model.canonical"),
        Some(&json!("gpt-4o-2024-08-06"))
    );
    assert_eq!(
        o.get("llm_observatory.model.family"),
        Some(&json!("gpt-4o"))
    );
    assert_eq!(
        o.get("llm_observatory.source"),
        Some(&json!("genai_semconv"))
    );
    assert!(o
        .get("llm_observatory.original.gen_ai.usage.input_tokens")
        .is_none());
}

#[test]
fn genai_semconv_legacy_prompt_completion_tokens() {
    let o = enrich(&json!({"name": "chat gpt-4", "attributes": {
        "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4",
        "gen_ai.usage.prompt_tokens": 10, "gen_ai.usage.completion_tokens": 5,
        "gen_ai.prompt": "[{\"role\":\"user\",\"content\":\"hi\"}]"}}));
    assert_eq!(o.get("gen_ai.provider.name"), Some(&json!("openai")));
    assert_usage(&o, [Some(10), Some(5), None, None, None]);
    assert_eq!(
        o.get("llm_observatory.source"),
        Some(&json!("genai_semconv_legacy"))
    );
}

#[test]
fn genai_events_as_log_records_get_the_provider() {
    let o = enrich(
        &json!({"event_name": "gen_ai.user.message", "body": {"content": "hi"},
        "attributes": {"gen_ai.system": "openai"}}),
    );
    assert_eq!(o.get("gen_ai.provider.name"), Some(&json!("openai")));
    let o = enrich(
        &json!({"event_name": "gen_ai.client.inference.operation.details", "body": null,
        "attributes": {"gen_ai.provider.name": "anthropic", "gen_ai.request.model": "claude-sonnet-4-20250514",
            "gen_ai.usage.input_tokens": 7}}),
    );
    assert_eq!(
        o.get("llm_observatory.model.family"),
        Some(&json!("claude-sonnet-4"))
    );
    // it repeats its span's usage: marked, so sums over both signals can skip it
    assert_eq!(o.get("llm_observatory.repeats_span"), Some(&json!(true)));
    let message = enrich(
        &json!({"event_name": "gen_ai.user.message", "body": {"content": "hi"},
        "attributes": {"gen_ai.system": "openai", "gen_ai.usage.input_tokens": 7}}),
    );
    assert!(message.get("llm_observatory.repeats_span").is_none());
}

#[test]
fn openllmetry_anthropic_input_already_includes_cache() {
    let o = enrich(&json!({"name": "anthropic.chat", "attributes": {
        "gen_ai.system": "Anthropic", "llm.request.type": "chat",
        "gen_ai.request.model": "claude-3-5-sonnet-20241022",
        "gen_ai.usage.prompt_tokens": 2400, "gen_ai.usage.completion_tokens": 50,
        "gen_ai.usage.cache_read_input_tokens": 2000, "gen_ai.usage.cache_creation_input_tokens": 300,
        "llm.usage.total_tokens": 2450,
        "gen_ai.prompt.0.role": "user", "gen_ai.prompt.0.content": "hello"}}));
    assert_eq!(o.get("gen_ai.provider.name"), Some(&json!("anthropic")));
    assert_eq!(o.get("gen_ai.operation.name"), Some(&json!("chat")));
    assert_usage(&o, [Some(2400), Some(50), Some(2000), Some(300), None]);
    assert_eq!(
        o.get("llm_observatory.source"),
        Some(&json!("genai_semconv_legacy,openllmetry"))
    );
}

#[test]
fn openinference_reads_model_from_invocation_parameters() {
    let o = enrich(&json!({"name": "ChatCompletion", "attributes": {
        "openinference.span.kind": "LLM", "llm.system": "openai", "llm.provider": "openai",
        "llm.model_name": "gpt-4o-2024-08-06",
        "llm.invocation_parameters": "{\"model\": \"gpt-4o\", \"temperature\": 0.2}",
        "llm.token_count.prompt": 1234, "llm.token_count.completion": 56, "llm.token_count.total": 1290,
        "llm.token_count.prompt_details.cache_read": 1000,
        "llm.token_count.completion_details.reasoning": 20,
        "input.value": "{\"model\": \"gpt-4o\"}", "input.mime_type": "application/json"}}));
    assert_eq!(o.get("gen_ai.provider.name"), Some(&json!("openai")));
    assert_eq!(o.get("gen_ai.operation.name"), Some(&json!("chat")));
    assert_eq!(o.get("gen_ai.request.model"), Some(&json!("gpt-4o")));
    assert_eq!(
        o.get("gen_ai.response.model"),
        Some(&json!("gpt-4o-2024-08-06"))
    );
    assert_usage(&o, [Some(1234), Some(56), Some(1000), None, Some(20)]);
    // the model only inside input.value
    let o = enrich(
        &json!({"name": "x", "attributes": {"openinference.span.kind": "LLM",
        "input.value": "{\"model\": \"claude-3-haiku-20240307\", \"messages\": []}"}}),
    );
    assert_eq!(
        o.get("gen_ai.request.model"),
        Some(&json!("claude-3-haiku-20240307"))
    );
    assert_eq!(o.get("gen_ai.provider.name"), Some(&json!("anthropic")));
    assert_eq!(
        o.get("llm_observatory.provider.inferred_from"),
        Some(&json!("model"))
    );
}

#[test]
fn openinference_chain_spans_are_not_llm_calls() {
    let o = enrich(&json!({"name": "RunnableSequence", "attributes": {
        "openinference.span.kind": "CHAIN", "input.value": "{\"question\": \"hi\"}"}}));
    assert!(o.get("gen_ai.provider.name").is_none());
    assert!(o.get("llm_observatory.source").is_none());
}

#[test]
fn openlit_anthropic_input_excludes_cache_and_is_corrected() {
    let o = enrich(
        &json!({"name": "chat claude-3-5-sonnet-20241022", "attributes": {
        "gen_ai.system": "anthropic", "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "claude-3-5-sonnet-20241022",
        "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 50,
        "gen_ai.usage.cache_read_input_tokens": 2000, "gen_ai.usage.cache_creation_input_tokens": 300,
        "gen_ai.usage.cost": 0.0, "gen_ai.sdk.version": "1.33.0"}}),
    );
    assert_usage(&o, [Some(2400), Some(50), Some(2000), Some(300), None]);
    assert_eq!(
        o.get("llm_observatory.original.gen_ai.usage.input_tokens"),
        Some(&json!(100))
    );
    assert!(o
        .get("llm_observatory.source")
        .unwrap()
        .as_str()
        .unwrap()
        .contains("openlit"));
}

/// A gateway behind an agent collector enriches the agent's output again: a corrected input
/// is not corrected twice, and a cost we wrote as the plain `gen_ai.usage.cost` (beside its
/// `gen_ai.usage.cost.amount`) is not taken for OpenLIT's.
#[test]
fn enriching_our_own_output_again_changes_nothing() {
    let openlit = json!({"name": "chat claude-3-5-sonnet-20241022", "attributes": {
        "gen_ai.system": "anthropic", "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "claude-3-5-sonnet-20241022",
        "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 50,
        "gen_ai.usage.cache_read_input_tokens": 2000, "gen_ai.usage.cache_creation_input_tokens": 300,
        "gen_ai.usage.cost": 0.0, "gen_ai.sdk.version": "1.33.0"}});
    let priced = json!({"name": "chat claude-3-5-sonnet-20241022", "attributes": {
        "gen_ai.provider.name": "anthropic", "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "claude-3-5-sonnet-20241022",
        "gen_ai.usage.input_tokens": 2400, "gen_ai.usage.output_tokens": 50,
        "gen_ai.usage.cache_read.input_tokens": 2000,
        "gen_ai.usage.cost": 0.00177, "gen_ai.usage.cost.amount": 0.00177,
        "gen_ai.usage.cost.source": "llm_observatory"}});
    for item in [openlit, priced] {
        let once = enrich(&item);
        let again = enrich(&json!({"name": item["name"], "attributes": once.attrs}));
        assert_eq!(again.attrs, once.attrs, "{}", item["name"]);
    }
}

#[test]
fn vercel_ai_v4_and_v5() {
    let v4 = enrich(
        &json!({"name": "ai.generateText.doGenerate", "attributes": {
        "ai.operationId": "ai.generateText.doGenerate", "ai.model.id": "gpt-4o-mini",
        "ai.model.provider": "openai.chat", "ai.usage.promptTokens": 12, "ai.usage.completionTokens": 3}}),
    );
    assert_eq!(v4.get("gen_ai.provider.name"), Some(&json!("openai")));
    assert_eq!(v4.get("gen_ai.request.model"), Some(&json!("gpt-4o-mini")));
    assert_usage(&v4, [Some(12), Some(3), None, None, None]);
    let v5 = enrich(
        &json!({"name": "ai.generateText.doGenerate", "attributes": {
        "ai.operationId": "ai.generateText.doGenerate", "ai.model.id": "claude-3-5-sonnet-20241022",
        "ai.model.provider": "anthropic.messages", "ai.usage.inputTokens": 100, "ai.usage.outputTokens": 50,
        "ai.usage.cachedInputTokens": 2000,
        "ai.response.providerMetadata": "{\"anthropic\":{\"cacheCreationInputTokens\":300}}"}}),
    );
    assert_usage(&v5, [Some(2400), Some(50), Some(2000), Some(300), None]);
    // The wrapper span repeats its children's usage: flagged, no usage written.
    let wrapper = enrich(&json!({"name": "ai.generateText", "attributes": {
        "ai.operationId": "ai.generateText", "ai.model.id": "gpt-4o-mini",
        "ai.model.provider": "openai.chat", "ai.usage.promptTokens": 12}}));
    assert_eq!(wrapper.get("llm_observatory.aggregate"), Some(&json!(true)));
    assert!(wrapper.get("gen_ai.usage.input_tokens").is_none());
}

#[test]
fn langfuse_generation_usage_details() {
    let o = enrich(&json!({"name": "OpenAI-generation", "attributes": {
        "langfuse.observation.type": "generation", "langfuse.observation.model.name": "gpt-4o",
        "langfuse.observation.usage_details": "{\"input\": 234, \"output\": 56, \"input_cached_tokens\": 1000, \"output_reasoning_tokens\": 20}"}}));
    assert_eq!(o.get("gen_ai.request.model"), Some(&json!("gpt-4o")));
    assert_eq!(o.get("gen_ai.provider.name"), Some(&json!("openai")));
    assert_usage(&o, [Some(1234), Some(56), Some(1000), None, Some(20)]);
}

#[test]
fn anthropic_sdk_cache_write() {
    let o = enrich(
        &json!({"name": "chat claude-sonnet-4-20250514", "attributes": {
        "gen_ai.provider.name": "anthropic", "gen_ai.operation.name": "chat",
        "gen_ai.usage.input_tokens": 2400, "gen_ai.usage.cache_write.input_tokens": 300,
        "gen_ai.usage.cache_read.input_tokens": 2000}}),
    );
    assert_eq!(
        o.get("gen_ai.request.model"),
        Some(&json!("claude-sonnet-4-20250514")),
        "from the span name"
    );
    assert_usage(&o, [Some(2400), None, Some(2000), Some(300), None]);
}

#[test]
fn provider_inferred_from_server_address_beats_model() {
    let o = enrich(&json!({"name": "chat", "attributes": {
        "gen_ai.request.model": "my-gpt4o-deployment", "server.address": "acme.openai.azure.com",
        "gen_ai.usage.input_tokens": 3}}));
    assert_eq!(
        o.get("gen_ai.provider.name"),
        Some(&json!("azure.ai.openai"))
    );
    assert_eq!(
        o.get("llm_observatory.provider.inferred_from"),
        Some(&json!("server.address"))
    );
}

#[test]
fn azure_deployments_map_through_model_aliases() {
    let mut cfg = EnrichConfig::default();
    cfg.model_aliases
        .insert("my-gpt4o-deployment".into(), "gpt-4o".into());
    let o = enrich_with(
        cfg,
        &json!({"name": "chat", "attributes": {
        "gen_ai.provider.name": "azure.ai.openai", "gen_ai.request.model": "my-gpt4o-deployment"}}),
    );
    assert_eq!(
        o.get("gen_ai.request.model"),
        Some(&json!("my-gpt4o-deployment")),
        "the request stays as sent"
    );
    assert_eq!(
        o.get("llm_observatory.model.canonical"),
        Some(&json!("gpt-4o"))
    );
}

#[test]
fn custom_mappings_and_source_removal() {
    let mut cfg = EnrichConfig::default();
    cfg.attribute_mappings
        .insert("acme.llm.model".into(), "gen_ai.request.model".into());
    cfg.attribute_mappings
        .insert("acme.llm.in".into(), "gen_ai.usage.input_tokens".into());
    cfg.keep_source_attributes = false;
    let o = enrich_with(
        cfg,
        &json!({"name": "call", "attributes": {
        "acme.llm.model": "mistral-large-2411", "acme.llm.in": "42", "llm.token_count.completion": 8,
        "llm.model_name": "mistral-large-2411"}}),
    );
    assert_eq!(
        o.get("gen_ai.request.model"),
        Some(&json!("mistral-large-2411"))
    );
    assert_eq!(o.get("gen_ai.provider.name"), Some(&json!("mistral_ai")));
    assert_usage(&o, [Some(42), Some(8), None, None, None]);
    assert!(
        o.get("llm.token_count.completion").is_none(),
        "source removed"
    );
    assert!(o.get("llm.model_name").is_none(), "source removed");
}

#[test]
fn overwrite_false_keeps_present_values_true_replaces_them() {
    let item = json!({"name": "x", "attributes": {"openinference.span.kind": "LLM",
        "gen_ai.usage.input_tokens": 5, "llm.token_count.prompt": 7, "llm.model_name": "gpt-4o"}});
    let o = enrich(&item);
    assert_eq!(o.get("gen_ai.usage.input_tokens"), Some(&json!(5)));
    let o = enrich_with(
        EnrichConfig {
            overwrite: true,
            ..Default::default()
        },
        &item,
    );
    assert_eq!(o.get("gen_ai.usage.input_tokens"), Some(&json!(7)));
    assert_eq!(
        o.get("llm_observatory.original.gen_ai.usage.input_tokens"),
        Some(&json!(5))
    );
}

#[test]
fn wrong_types_are_counted_and_left_alone() {
    let o = enrich(
        &json!({"name": "x", "attributes": {"openinference.span.kind": "LLM",
        "llm.model_name": "gpt-4o", "llm.token_count.prompt": "many", "llm.token_count.completion": -4,
        "llm.token_count.total": 1.5, "llm.invocation_parameters": "{not json"}}),
    );
    assert_usage(&o, [None, None, None, None, None]);
    assert_eq!(
        o.get("llm.token_count.prompt"),
        Some(&json!("many")),
        "the bad value is not lost"
    );
    assert!(
        o.counters
            .iter()
            .any(|(k, v)| k == "invalid_values" && *v == 2),
        "{:?}",
        o.counters
    );
}

#[test]
fn ordinary_spans_are_untouched() {
    let o = enrich(
        &json!({"name": "GET /", "attributes": {"server.address": "api.openai.com",
        "http.request.method": "GET"}}),
    );
    assert_eq!(o.attrs.len(), 2);
    assert!(o.counters.iter().all(|(k, _)| k != "llm_items"));
}
