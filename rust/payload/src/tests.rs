use llmo_schema::edits::decode_response;
use llmo_schema::encoder::Encoder;
use llmo_schema::view::{Batch, ItemKind};
use proptest::prelude::*;
use serde_json::{json, Value as Json};

use super::*;

fn messages(n: usize, each: usize) -> String {
    let mut v =
        vec![json!({"role": "system", "parts": [{"type": "text", "content": "You are terse."}]})];
    for i in 0..n {
        let role = if i % 2 == 0 { "user" } else { "assistant" };
        v.push(json!({"role": role, "parts": [{"type": "text", "content": format!("turn {i} {}", "x".repeat(each))}]}));
    }
    serde_json::to_string(&v).unwrap()
}

#[test]
fn older_turns_go_first_and_the_json_stays_valid() {
    // system + 10 turns of ~10 KB; the last is a user turn
    let text = messages(11, 10_000);
    let out = cut("gen_ai.input.messages", &text, 40_000);
    let v: Json = serde_json::from_str(&out).expect("valid JSON");
    let msgs = v.as_array().unwrap();
    assert_eq!(
        msgs.len(),
        12,
        "every turn is still there, as a stub or whole"
    );
    assert!(out.len() <= 40_000, "{}", out.len());
    assert_eq!(
        msgs[0]["parts"][0]["content"],
        json!("You are terse."),
        "system kept"
    );
    let last = msgs[11]["parts"][0]["content"].as_str().unwrap();
    assert!(
        last.starts_with("turn 10 ") && last.len() > 10_000,
        "the last user turn kept whole"
    );
    let first = msgs[1]["parts"][0]["content"].as_str().unwrap();
    assert!(
        first.starts_with("[truncated "),
        "the oldest turn went first: {first}"
    );
    assert_eq!(msgs[1]["role"], json!("user"));
    // the most recent older turns are kept while they fit
    assert!(msgs[10]["parts"][0]["content"]
        .as_str()
        .unwrap()
        .starts_with("turn 9 "));
}

#[test]
fn a_single_huge_turn_is_cut_with_a_marker() {
    let text = messages(1, 8 << 20);
    let out = cut("gen_ai.input.messages", &text, 64 << 10);
    let v: Json = serde_json::from_str(&out).expect("valid JSON");
    let content = v[1]["parts"][0]["content"].as_str().unwrap();
    assert!(content.starts_with("turn 0 xxx"));
    assert!(
        content.ends_with(" bytes]") && content.contains("…[truncated "),
        "{}",
        &content[content.len() - 40..]
    );
    assert!(out.len() <= (64 << 10) + 64, "{}", out.len());
}

#[test]
fn plain_text_is_cut_on_a_character_boundary() {
    let text = "é".repeat(100_000); // 2 bytes each
    let out = cut("gen_ai.prompt", &text, 1001);
    assert!(out.len() <= 1001);
    assert!(out.ends_with(&marker(text.len() - out.find('…').unwrap())));
    // legacy content shape and other JSON too
    let legacy = serde_json::to_string(&json!([
        {"role": "user", "content": "a".repeat(50_000)},
        {"role": "assistant", "content": "b".repeat(50_000)},
        {"role": "user", "content": "c".repeat(50_000)},
    ]))
    .unwrap();
    let out = cut("llm.prompts", &legacy, 60_000);
    let v: Json = serde_json::from_str(&out).unwrap();
    assert!(v[0]["content"].as_str().unwrap().starts_with("[truncated "));
    assert_eq!(v[2]["content"].as_str().unwrap().len(), 50_000);
    let obj = serde_json::to_string(&json!({"query": "q".repeat(30_000), "k": 3})).unwrap();
    let out = cut("input.value", &obj, 2_000);
    let v: Json = serde_json::from_str(&out).unwrap();
    assert_eq!(v["k"], json!(3));
    assert!(out.len() <= 2_100, "{}", out.len());
}

#[test]
fn item_budgets_cut_the_largest_first() {
    assert_eq!(budgets(&[10, 20], 100, 1000), vec![10, 20]);
    assert_eq!(
        budgets(&[5000, 200_000], 64 << 10, 1 << 20),
        vec![5000, 64 << 10]
    );
    let b = budgets(&[60_000, 60_000, 2_000], 64 << 10, 100_000);
    assert!(b.iter().sum::<usize>() <= 100_000, "{b:?}");
    assert_eq!(b[2], 2_000, "the small one untouched: {b:?}");
    assert_eq!(b[0], b[1]);
    // never below the floor
    assert_eq!(budgets(&[5000; 10], 8192, 2048), vec![MIN_KEEP; 10]);
}

#[test]
fn the_stage_writes_the_cut_value_its_length_and_hash() {
    let big = messages(3, 100_000);
    let mut enc = Encoder::new();
    enc.begin_item(ItemKind::Span, "chat", 0);
    enc.attr_str("gen_ai.input.messages", &big);
    enc.attr_int("gen_ai.usage.input_tokens", 75_000);
    enc.attr_str("gen_ai.output.messages", "[]");
    enc.end_item_without_events_or_body();
    let req = enc.finish();
    let mut edits = Edits::new();
    PayloadBudget::from_json(b"")
        .unwrap()
        .process(&Batch::decode(&req).unwrap(), &mut edits);
    let (edits, counters) = decode_response(&edits.finish()).unwrap();
    let get = |k: &str| {
        edits
            .iter()
            .find(|e| e.key == k)
            .and_then(|e| e.value.clone())
    };
    let cut_value = edits
        .iter()
        .find(|e| e.pos == Some(0))
        .unwrap()
        .value
        .clone()
        .unwrap();
    assert!(cut_value.as_str().unwrap().len() <= 64 << 10);
    assert_eq!(
        get("llm_observatory.payload.gen_ai.input.messages.original_bytes"),
        Some(json!(big.len()))
    );
    let sha = get("llm_observatory.payload.gen_ai.input.messages.sha256").unwrap();
    assert_eq!(sha.as_str().unwrap().len(), 64);
    assert!(
        edits.iter().all(|e| e.pos != Some(1)),
        "usage never touched"
    );
    assert!(counters.iter().any(|(k, v)| k == "cut_values" && *v == 1));
}

fn run(req: Vec<u8>) -> (Vec<llmo_schema::edits::DecodedEdit>, Vec<(String, u64)>) {
    let mut edits = Edits::new();
    PayloadBudget::from_json(b"")
        .unwrap()
        .process(&Batch::decode(&req).unwrap(), &mut edits);
    decode_response(&edits.finish()).unwrap()
}

#[test]
fn content_in_span_events_is_cut_on_the_event() {
    // OpenLIT and semconv before 1.28: the prompt rides on a `gen_ai.content.prompt` event
    let big = "p".repeat(200_000);
    let mut enc = Encoder::new();
    enc.begin_item(ItemKind::Span, "chat", 4);
    enc.attr_int("gen_ai.usage.input_tokens", 50_000);
    enc.begin_events(2);
    enc.begin_event(0, "gen_ai.content.prompt");
    enc.attr_str("gen_ai.prompt", &big);
    enc.end_event();
    enc.begin_event(1, "gen_ai.content.completion");
    enc.attr_str("gen_ai.completion", "short");
    enc.end_event();
    enc.end_item_body(&[llmo_schema::wire::tag::EMPTY]);
    let (edits, counters) = run(enc.finish());
    let on_event: Vec<_> = edits.iter().filter(|e| e.event == 0).collect();
    let cut = on_event.iter().find(|e| e.pos == Some(0)).unwrap();
    let text = cut.value.as_ref().unwrap().as_str().unwrap();
    assert!(
        text.len() <= 64 << 10 && text.ends_with(" bytes]"),
        "{}",
        text.len()
    );
    assert!(on_event.iter().any(|e| e.key
        == "llm_observatory.payload.gen_ai.prompt.original_bytes"
        && e.value == Some(json!(200_000))));
    assert!(
        edits.iter().all(|e| e.event == 0),
        "nothing else touched: {edits:?}"
    );
    assert_eq!(
        counters,
        vec![
            ("cut_values".into(), 1),
            ("cut_bytes".into(), (200_000 - text.len()) as u64)
        ]
    );
}

#[test]
fn content_in_genai_log_bodies_is_cut_in_place() {
    // semconv 1.28-1.36: `gen_ai.choice` with the message in the body
    let big = "c".repeat(100_000);
    let body = json!({"index": 0, "finish_reason": "stop",
        "message": {"role": "assistant", "content": big,
            "tool_calls": [{"id": "t1", "function": {"name": "f", "arguments": "{}"}}]}});
    let mut enc = Encoder::new();
    enc.begin_item(ItemKind::Log, "gen_ai.choice", 2);
    enc.attr_str("gen_ai.system", "openai");
    enc.begin_events(0);
    let mut b = Vec::new();
    llmo_schema::encoder::encode_json_value(&body, &mut b);
    enc.end_item_body(&b);
    // an older SDK: the event name is an attribute, which the view names the record by
    enc.begin_item(ItemKind::Log, "gen_ai.user.message", 3);
    enc.attr_str("event.name", "gen_ai.user.message");
    enc.begin_events(0);
    enc.end_item_body(&Encoder::value_str(big.as_bytes()));
    // not a GenAI event: its body is not ours to cut
    enc.begin_item(ItemKind::Log, "app.log", 5);
    enc.begin_events(0);
    enc.end_item_body(&Encoder::value_str(big.as_bytes()));
    let (edits, _) = run(enc.finish());
    let body_of = |item: u32| {
        edits
            .iter()
            .find(|e| e.item == item && e.op == llmo_schema::edits::op::SET_BODY)
            .and_then(|e| e.value.clone())
    };
    let b2 = body_of(2).expect("the choice body is cut");
    let content = b2["message"]["content"].as_str().unwrap();
    assert!(
        content.len() <= 64 << 10 && content.starts_with("ccc") && content.ends_with(" bytes]")
    );
    assert_eq!(
        b2["message"]["tool_calls"], body["message"]["tool_calls"],
        "the rest as it came"
    );
    assert_eq!(b2["finish_reason"], json!("stop"));
    assert!(edits.iter().any(|e| e.item == 2
        && e.key == "llm_observatory.payload.body.message.content.original_bytes"
        && e.value == Some(json!(100_000))));
    let b3 = body_of(3).expect("a string body is cut too");
    assert!(b3.as_str().unwrap().len() <= 64 << 10);
    assert!(edits
        .iter()
        .any(|e| e.item == 3 && e.key == "llm_observatory.payload.body.sha256"));
    assert!(edits.iter().all(|e| e.item != 5), "app.log untouched");
}

#[test]
fn a_body_that_cannot_be_rebuilt_is_left_whole() {
    let mut enc = Encoder::new();
    enc.begin_item(ItemKind::Log, "gen_ai.user.message", 0);
    enc.begin_events(0);
    // a map of two: `content` (big) and `raw` (not UTF-8)
    let mut b = vec![llmo_schema::wire::tag::MAP];
    b.extend_from_slice(&2u32.to_le_bytes());
    for (k, v) in [
        (&b"content"[..], "u".repeat(100_000).into_bytes()),
        (b"raw", vec![0xff, 0xfe]),
    ] {
        b.extend_from_slice(&(k.len() as u32).to_le_bytes());
        b.extend_from_slice(k);
        b.extend_from_slice(&Encoder::value_str(&v));
    }
    enc.end_item_body(&b);
    let (edits, _) = run(enc.finish());
    assert!(
        edits.is_empty(),
        "invalid UTF-8 would be changed by a rebuild: {edits:?}"
    );
}

#[test]
fn config_is_checked() {
    for (cfg, want) in [
        (
            r#"{"max_attribute_bytes": 10}"#,
            "max_attribute_bytes: must be at least 1024",
        ),
        (
            r#"{"max_attribute_bytes": 4096, "max_item_bytes": 2048}"#,
            "max_item_bytes: must be at least max_attribute_bytes",
        ),
        (r#"{"keys": [""]}"#, "keys[0]: is empty"),
    ] {
        assert_eq!(
            PayloadBudget::from_json(cfg.as_bytes())
                .err()
                .unwrap()
                .to_string(),
            want
        );
    }
}

proptest! {
    /// Whatever is cut stays valid JSON when it was JSON, never grows past budget + marker,
    /// and text is cut on a character boundary.
    #[test]
    fn cut_values_stay_valid(n in 0usize..12, each in 0usize..3000, budget in 1024usize..20_000, plain in any::<String>()) {
        let text = messages(n, each);
        let out = cut("gen_ai.input.messages", &text, budget);
        prop_assert!(serde_json::from_str::<Json>(&out).is_ok());
        if text.len() <= budget {
            prop_assert_eq!(&out, &text);
        }
        let p = plain.repeat(50);
        let out = cut("gen_ai.prompt", &p, budget);
        prop_assert!(out.len() <= budget.max(p.len().min(budget)) + 40);
    }
}
