//! The real libraries' spans (rust/enrich/tests/data/captured) with their usage removed: the
//! content each library recorded is found and counted. All OpenAI captures sent the same two
//! messages ("You are a helpful assistant." / "What is the capital of France?") and got
//! "The capital of France is Paris.", so every convention must count the same: 24 in, 7 out.

use llmo_schema::edits::{decode_response, DecodedEdit, Edits};
use llmo_schema::encoder::Encoder;
use llmo_schema::view::{Batch, ItemKind};
use llmo_schema::Stage;
use llmo_tokens::{TokenCounter, TokensConfig};
use serde_json::Value;

/// A fixture of rust/enrich/tests/data/captured.
fn fixture(file: &str) -> Value {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../enrich/tests/data/captured");
    serde_json::from_str(&std::fs::read_to_string(format!("{dir}/{file}")).unwrap()).unwrap()
}

/// The first span of a fixture that `pred` picks.
fn span_where(file: &str, pred: impl Fn(&Value) -> bool) -> Value {
    fixture(file)["spans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| pred(s))
        .unwrap_or_else(|| panic!("{file}: no such span"))
        .clone()
}

/// The edits token counting makes on one span, given those of its attributes `keep` keeps,
/// of which only those the stage's interest names are sent, as the Go side sends them (a
/// key the interest leaves out never reaches the stage in a collector).
fn process(span: &Value, keep: impl Fn(&str) -> bool) -> Vec<DecodedEdit> {
    let stage = TokenCounter::new(TokensConfig::default());
    let interest = stage.interest();
    let sent = |k: &str| interest.matches_key(k) || interest.context_keys.iter().any(|c| c == k);
    let mut enc = Encoder::new();
    enc.begin_item(ItemKind::Span, span["name"].as_str().unwrap_or(""), 0);
    for (k, v) in span["attributes"].as_object().unwrap() {
        if keep(k) && sent(k) {
            enc.attr_json(k, v);
        }
    }
    enc.end_item_without_events_or_body();
    let req = enc.finish();
    let mut edits = Edits::new();
    stage.process(&Batch::decode(&req).unwrap(), &mut edits);
    decode_response(&edits.finish()).unwrap().0
}

/// The counts and their source for a span with its usage removed.
fn count(span: &Value) -> (Option<i64>, Option<i64>, Option<String>) {
    let edits = process(span, |k| {
        !(k.contains("usage") || k.contains("token_count") || k.contains("Tokens"))
    });
    let get = |k: &str| {
        edits
            .iter()
            .find(|e| e.key == k)
            .and_then(|e| e.value.clone())
    };
    (
        get("gen_ai.usage.input_tokens").and_then(|v| v.as_i64()),
        get("gen_ai.usage.output_tokens").and_then(|v| v.as_i64()),
        get("llm_observatory.usage.source").and_then(|v| v.as_str().map(str::to_string)),
    )
}

#[test]
fn every_convention_counts_the_same_conversation_the_same() {
    // (file, span name) of a non-streaming, tool-free chat call with content captured
    let cases = [
        ("openai_v2_latest.json", "chat gpt-4o"),
        ("openllmetry_openai_v0_47.json", "openai.chat"),
        ("openinference_openai.json", "ChatCompletion"),
        ("vercel_ai_v5.json", "ai.generateText.doGenerate"),
        ("langfuse.json", "OpenAI-generation"),
    ];
    for (file, name) in cases {
        let span = span_where(file, |s| {
            s["name"] == name && !s["attributes"].to_string().contains("get_weather")
        });
        let (input, output, source) = count(&span);
        assert_eq!(input, Some(24), "{file}: input");
        assert_eq!(output, Some(7), "{file}: output");
        assert_eq!(source.as_deref(), Some("counted"), "{file}");
    }
}

/// LlamaIndex's embeddings under OpenInference report no usage: the model's own
/// `_get_query_embedding` span is counted from its request (`{"query": ...}`: the query, not
/// the JSON around it), its public `get_query_embedding` wrapper not at all, so the one query
/// is counted once; a batch's `{"texts": [...]}` is each text counted.
#[test]
fn llama_index_embeddings_are_counted_once() {
    let span = |name: &str| span_where("llama_index_openinference.json", |s| s["name"] == name);
    // "hello world": 2 tokens in cl100k_base (text-embedding-3-small's encoding)
    let (input, output, source) = count(&span("OpenAIEmbedding._get_query_embedding"));
    assert_eq!(
        (input, output, source.as_deref()),
        (Some(2), None, Some("counted"))
    );
    assert_eq!(
        count(&span("OpenAIEmbedding.get_query_embedding")),
        (None, None, None)
    );
    let mut batch = span("OpenAIEmbedding._get_query_embedding");
    batch["name"] = "OpenAIEmbedding._get_text_embeddings".into();
    batch["attributes"]["input.value"] = r#"{"texts": ["hello world", "hello world"]}"#.into();
    assert_eq!(count(&batch).0, Some(4));
}

/// Haystack's embedder under OpenInference: the EMBEDDING span carries no token counts (the
/// provider's usage is only inside `output.value`, which no stage reads): counted from the
/// request's `text`, 2 tokens, not its JSON.
#[test]
fn haystack_embedding_is_counted_from_its_text() {
    let span = span_where("haystack_openinference.json", |s| {
        s["attributes"]["openinference.span.kind"] == "EMBEDDING"
    });
    let (input, output, source) = count(&span);
    assert_eq!(
        (input, output, source.as_deref()),
        (Some(2), None, Some("counted"))
    );
}

/// The OpenAI Agents SDK streaming Chat Completions without include_usage, as Logfire exports
/// it, reports input 0 and output 0: not counts. Token counting keeps the zeros as originals
/// and counts the messages Logfire records (`input` / `output`): the standard conversation's
/// 24 in, 7 out.
#[test]
fn an_sdks_empty_usage_is_counted() {
    let span = span_where("openai_agents_logfire.json", |s| {
        s["attributes"]["gen_ai.usage.input_tokens"] == 0
    });
    let edits = process(&span, |_| true);
    let last = |k: &str| edits.iter().rev().find(|e| e.key == k).cloned();
    for (k, want) in [
        ("gen_ai.usage.input_tokens", 24),
        ("gen_ai.usage.output_tokens", 7),
        ("llm_observatory.original.gen_ai.usage.input_tokens", 0),
        ("llm_observatory.original.gen_ai.usage.output_tokens", 0),
    ] {
        let e = last(k).unwrap_or_else(|| panic!("{k} not written: {edits:?}"));
        assert_eq!(e.value.and_then(|v| v.as_i64()), Some(want), "{k}");
    }
    assert_eq!(
        last("llm_observatory.usage.source").and_then(|e| e.value),
        Some("counted".into())
    );
}

/// The OpenAI Agents SDK streaming Chat Completions without include_usage, under OpenInference:
/// no counts on the generation span, its output the Responses-shaped objects the SDK builds
/// from the stream: counted as the messages inside (24 in, 7 out), not as the JSON around them.
#[test]
fn a_streamed_agent_generation_is_counted_from_its_messages() {
    let span = span_where("openai_agents_openinference.json", |s| {
        s["name"] == "generation" && s["attributes"].get("llm.token_count.prompt").is_none()
    });
    assert_eq!(count(&span), (Some(24), Some(7), Some("counted".into())));
}

/// PydanticAI's `Embedder` reports the provider's usage (8 from the fake server) on its
/// `embeddings` spans; without it, the texts it records (`inputs`, a JSON array) are counted
/// in the embedding model's encoding, each on its own: the query 7, the two documents 7 + 7.
#[test]
fn pydantic_ai_embeddings_are_counted_from_their_inputs() {
    let query = span_where("pydantic_ai.json", |s| {
        s["attributes"]["gen_ai.operation.name"] == "embeddings"
            && s["attributes"]["input_type"] == "query"
    });
    let docs = span_where("pydantic_ai.json", |s| {
        s["attributes"]["gen_ai.operation.name"] == "embeddings"
            && s["attributes"]["input_type"] == "document"
    });
    assert_eq!(count(&query), (Some(7), None, Some("counted".into())));
    assert_eq!(count(&docs), (Some(14), None, Some("counted".into())));
    // reported: kept
    let kept = process(&query, |_| true);
    assert!(
        kept.iter().all(|e| e.key != "gen_ai.usage.input_tokens"),
        "{kept:?}"
    );
}

/// MLflow's autolog records the request as `mlflow.spanInputs` JSON and, on its EMBEDDING
/// spans, no usage at all (the provider's is only inside `mlflow.spanOutputs`, beside the
/// vectors). As llm_enrichment leaves them (operation and model in semconv names): the
/// embedding's `input` is counted, 2 for "hello world"; a chat span without its usage counts
/// its `messages` and the response in `mlflow.spanOutputs`, the standard conversation's 24 and
/// 7, as does the chat streamed without `include_usage`, which has no usage at all.
#[test]
fn mlflow_requests_are_counted_from_span_inputs() {
    let enriched = |name: &str, op: &str, model: &str| {
        let mut s = span_where("mlflow.json", |s| s["name"] == name);
        let a = s["attributes"].as_object_mut().unwrap();
        a.insert("gen_ai.operation.name".into(), op.into());
        a.insert("gen_ai.request.model".into(), model.into());
        s
    };
    let embedding = enriched("Embeddings", "embeddings", "text-embedding-3-small");
    assert_eq!(count(&embedding), (Some(2), None, Some("counted".into())));
    let mut chat = enriched("Completions", "chat", "gpt-4o");
    let a = chat["attributes"].as_object_mut().unwrap();
    a.remove("mlflow.chat.tokenUsage");
    assert_eq!(count(&chat), (Some(24), Some(7), Some("counted".into())));
    // the chat streamed without include_usage, as captured: no usage at all
    let streamed = fixture("mlflow.json")["spans"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|s| s["name"] == "Completions")
        .unwrap()
        .clone();
    assert!(streamed["attributes"]
        .get("mlflow.chat.tokenUsage")
        .is_none());
    let mut streamed = streamed;
    let a = streamed["attributes"].as_object_mut().unwrap();
    a.insert("gen_ai.operation.name".into(), "chat".into());
    a.insert("gen_ai.request.model".into(), "gpt-4o".into());
    let edits = process(&streamed, |_| true);
    let get = |k: &str| {
        edits
            .iter()
            .find(|e| e.key == k)
            .and_then(|e| e.value.clone())
    };
    assert_eq!(get("gen_ai.usage.input_tokens"), Some(24.into()));
    assert_eq!(get("gen_ai.usage.output_tokens"), Some(7.into()));
}
