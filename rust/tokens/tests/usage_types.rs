//! Reported usage of the wrong type: a numeric string or an integral double is the provider's
//! count, rewritten as the integer the conventions specify; anything else is no count, and the
//! side is counted from the content as if nothing were reported.

use llmo_schema::edits::{decode_response, Edits};
use llmo_schema::encoder::Encoder;
use llmo_schema::view::{Batch, ItemKind};
use llmo_schema::Stage;
use llmo_tokens::{TokenCounter, TokensConfig};
use serde_json::{json, Value};

fn run(input: Value, output: Value) -> (Option<Value>, Option<Value>, Option<Value>) {
    let mut enc = Encoder::new();
    enc.begin_item(ItemKind::Span, "chat gpt-4o", 0);
    for (k, v) in [
        ("gen_ai.provider.name", json!("openai")),
        ("gen_ai.operation.name", json!("chat")),
        ("gen_ai.request.model", json!("gpt-4o")),
        ("gen_ai.usage.input_tokens", input),
        ("gen_ai.usage.output_tokens", output),
        (
            "gen_ai.input.messages",
            json!(
                r#"[{"role":"user","parts":[{"type":"text","content":"What is the capital of France?"}]}]"#
            ),
        ),
        (
            "gen_ai.output.messages",
            json!(
                r#"[{"role":"assistant","parts":[{"type":"text","content":"The capital of France is Paris."}]}]"#
            ),
        ),
    ] {
        enc.attr_json(k, &v);
    }
    enc.end_item_without_events_or_body();
    let req = enc.finish();
    let mut edits = Edits::new();
    TokenCounter::new(TokensConfig::default()).process(&Batch::decode(&req).unwrap(), &mut edits);
    let (edits, _) = decode_response(&edits.finish()).unwrap();
    let get = |k: &str| {
        edits
            .iter()
            .find(|e| e.key == k)
            .and_then(|e| e.value.clone())
    };
    (
        get("gen_ai.usage.input_tokens"),
        get("gen_ai.usage.output_tokens"),
        get("llm_observatory.usage.source"),
    )
}

#[test]
fn numeric_strings_and_integral_doubles_are_reported_counts() {
    let (input, output, source) = run(json!("12"), json!(5.0));
    assert_eq!(input, Some(json!(12)), "rewritten as an integer");
    assert_eq!(output, Some(json!(5)), "rewritten as an integer");
    assert_eq!(source, Some(json!("reported")));
}

#[test]
fn values_that_are_no_count_are_counted_from_content() {
    for (input, output) in [
        (json!("twelve"), json!(-3)),
        (json!("1.5"), json!(true)),
        (json!(""), json!(2.5)),
    ] {
        let (got_in, got_out, source) = run(input.clone(), output.clone());
        assert!(
            got_in
                .as_ref()
                .is_some_and(|v| v.as_i64().is_some_and(|n| n > 0)),
            "{input}: input counted, got {got_in:?}"
        );
        assert!(
            got_out
                .as_ref()
                .is_some_and(|v| v.as_i64().is_some_and(|n| n > 0)),
            "{output}: output counted, got {got_out:?}"
        );
        assert_eq!(source, Some(json!("counted")), "{input} / {output}");
    }
}
