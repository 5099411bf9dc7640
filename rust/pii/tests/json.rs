//! JSON-aware redaction on the corpus: message JSON stays parseable, only the offending
//! substrings change, escapes are handled, broken JSON falls back to plain text.

use llmo_pii::{Engine, PiiConfig, Redacted, Tally};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct Sample {
    text: String,
}

fn corpus() -> Vec<String> {
    let path = format!("{}/tests/data/pii.jsonl", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Sample>(l).unwrap().text)
        .collect()
}

fn redacted(e: &Engine, s: &str) -> String {
    match e.redact(s, &mut Tally::default()) {
        Redacted::Changed(s) => s,
        Redacted::Unchanged => s.to_string(),
        Redacted::Drop => panic!("no drop configured"),
    }
}

/// The message shapes PII arrives in: semconv parts, OpenAI chat, OpenInference input.value.
fn shapes(text: &str) -> Vec<(Value, Vec<&'static str>)> {
    vec![
        (
            json!([{"role": "system", "parts": [{"type": "text", "content": "You are helpful."}]},
                   {"role": "user", "parts": [{"type": "text", "content": text}]}]),
            vec!["1", "parts", "0", "content"],
        ),
        (
            json!({"model": "gpt-4o", "temperature": 0.2, "messages": [{"role": "user", "content": text}]}),
            vec!["messages", "0", "content"],
        ),
        (
            json!([{"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function",
                   "function": {"name": "lookup", "arguments": json!({"query": text}).to_string()}}]}]),
            vec!["0", "tool_calls", "0", "function", "arguments"],
        ),
    ]
}

fn at<'v>(v: &'v Value, path: &[&str]) -> &'v Value {
    path.iter().fold(v, |v, p| match p.parse::<usize>() {
        Ok(i) => &v[i],
        Err(_) => &v[*p],
    })
}

/// ASCII-only JSON as Python's json.dumps writes it: every non-ASCII char as \uXXXX.
fn ascii_escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u16; 2];
            for u in c.encode_utf16(&mut buf) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

#[test]
fn message_json_stays_valid_and_changes_only_the_findings() {
    let e = Engine::new(&PiiConfig::default()).unwrap();
    let mut checked = 0;
    for text in corpus().iter().step_by(3) {
        let plain = redacted(&e, text);
        for (doc, path) in shapes(text) {
            for raw in [
                serde_json::to_string(&doc).unwrap(),
                serde_json::to_string_pretty(&doc).unwrap(),
                ascii_escaped(&serde_json::to_string_pretty(&doc).unwrap()),
            ] {
                let out = redacted(&e, &raw);
                let parsed: Value =
                    serde_json::from_str(&out).unwrap_or_else(|err| panic!("{err}: {out}"));
                let original: Value = serde_json::from_str(&raw).unwrap();
                // the content is what plain-text redaction makes of it
                let field = at(&parsed, &path).as_str().unwrap();
                if path.last() == Some(&"arguments") {
                    let inner: Value = serde_json::from_str(field).unwrap();
                    assert_eq!(inner["query"].as_str().unwrap(), plain);
                } else {
                    assert_eq!(field, plain);
                }
                // everything else is the same value...
                let mut expected = original.clone();
                let mut got = parsed.clone();
                *path
                    .iter()
                    .fold(&mut expected, |v, p| match p.parse::<usize>() {
                        Ok(i) => &mut v[i],
                        Err(_) => &mut v[*p],
                    }) = Value::Null;
                *path.iter().fold(&mut got, |v, p| match p.parse::<usize>() {
                    Ok(i) => &mut v[i],
                    Err(_) => &mut v[*p],
                }) = Value::Null;
                assert_eq!(got, expected);
                // ...and byte-identical before and after the content string
                let ours = at(&original, &path).as_str().unwrap();
                let start = raw.find(&first_raw_bytes(&raw, ours)).unwrap();
                assert_eq!(&out[..start], &raw[..start]);
                let tail = raw.len() - start - raw_len_of_string_at(&raw, start);
                assert_eq!(&out[out.len() - tail..], &raw[raw.len() - tail..]);
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000, "{checked}");
}

/// The first bytes of the JSON string token holding `content` (enough to locate it).
fn first_raw_bytes(raw: &str, content: &str) -> String {
    // the encoded token starts with the quote and the first escaped characters
    let enc = if raw.is_ascii() {
        ascii_escaped(&serde_json::to_string(content).unwrap())
    } else {
        serde_json::to_string(content).unwrap()
    };
    enc.chars().take(24).collect()
}

/// Bytes of the string token that starts at `start` (a quote), quotes included.
fn raw_len_of_string_at(raw: &str, start: usize) -> usize {
    let b = raw.as_bytes();
    let mut i = start + 1;
    while b[i] != b'"' {
        i += if b[i] == b'\\' { 2 } else { 1 };
    }
    i + 1 - start
}

#[test]
fn escapes_are_kept_byte_for_byte() {
    let e = Engine::new(&PiiConfig::default()).unwrap();
    let raw = r#"{"content": "Caf\u00e9 \"Le Z\u00e8bre\"\nmail: bob@example.com\ttel +33 1 23 45 67 89 \ud83d\ude00 end\\"}"#;
    assert_eq!(
        redacted(&e, raw),
        r#"{"content": "Caf\u00e9 \"Le Z\u00e8bre\"\nmail: <EMAIL>\ttel <PHONE> \ud83d\ude00 end\\"}"#
    );
    // a finding written with escapes is found and replaced whole
    let raw = r#"["card 4111\u00201111\u00201111\u00201111!", "x\u0040example.com"]"#;
    assert_eq!(redacted(&e, raw), r#"["card <CREDIT_CARD>!", "<EMAIL>"]"#);
    // escaped newlines around a PEM block
    let raw = r#"{"key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\nthanks"}"#;
    assert_eq!(redacted(&e, raw), r#"{"key": "<PRIVATE_KEY>\nthanks"}"#);
}

#[test]
fn broken_json_falls_back_to_plain_text() {
    let e = Engine::new(&PiiConfig::default()).unwrap();
    for raw in [
        r#"[{"role": "user", "content": "mail bob@example.com"#,
        r#"{"content": "mail bob@example.com"} trailing"#,
        r#"{"content": "mail bob@example.com", }"#,
        r#"[{"content": "bad \x escape bob@example.com"}]"#,
    ] {
        let out = redacted(&e, raw);
        assert!(
            out.contains("<EMAIL>") && !out.contains("bob@"),
            "{raw} -> {out}"
        );
    }
}

#[test]
fn clean_json_is_returned_unchanged() {
    let e = Engine::new(&PiiConfig::default()).unwrap();
    let raw = serde_json::to_string_pretty(&json!({
        "id": "550e8400-e29b-41d4-a716-446655440000",
        "n": [1, 2.5, -3e10, 12345678901234567890u64],
        "nested": {"a": {"b": [true, false, null, "x:y", "v1.2.3"]}},
    }))
    .unwrap();
    assert_eq!(e.redact(&raw, &mut Tally::default()), Redacted::Unchanged);
}

/// `s` redacted as JSON by the default engine; `None` when it is not JSON.
fn red(s: &str) -> Option<String> {
    let e = Engine::new(&PiiConfig::default()).unwrap();
    match e.redact_json(s, &mut Tally::default())? {
        Redacted::Changed(s) => Some(s),
        Redacted::Unchanged => Some(s.to_string()),
        Redacted::Drop => Some("<dropped>".into()),
    }
}

#[test]
fn only_the_finding_changes() {
    let j = r#"[ {"role": "user", "parts": [{"type": "text", "content": "I am bob@example.com, call 415-555-2671"}]} ]"#;
    let r = red(j).unwrap();
    assert_eq!(
        r,
        r#"[ {"role": "user", "parts": [{"type": "text", "content": "I am <EMAIL>, call <PHONE>"}]} ]"#
    );
}

#[test]
fn escapes_map_back_to_raw_bytes() {
    let j = r#"{"content":"caf\u00e9\n\"quoted\" mail: bob@example.com\tend \u00e9"}"#;
    let r = red(j).unwrap();
    assert_eq!(
        r,
        r#"{"content":"caf\u00e9\n\"quoted\" mail: <EMAIL>\tend \u00e9"}"#
    );
    // the finding itself is escaped
    let j = r#"{"c":"mail bob\u0040example.com now"}"#;
    assert_eq!(red(j).unwrap(), r#"{"c":"mail <EMAIL> now"}"#);
    // surrogate pairs before the finding
    let j = r#"{"c":"\ud83d\ude00 bob@example.com"}"#;
    assert_eq!(red(j).unwrap(), r#"{"c":"\ud83d\ude00 <EMAIL>"}"#);
}

#[test]
fn keys_and_numbers_are_scanned() {
    assert_eq!(
        red(r#"{"bob@example.com": 1}"#).unwrap(),
        r#"{"<EMAIL>": 1}"#
    );
    assert_eq!(
        red(r#"{"card": 4111111111111111, "n": 42}"#).unwrap(),
        r#"{"card": "<CREDIT_CARD>", "n": 42}"#
    );
}

#[test]
fn markers_that_need_escaping_are_escaped() {
    let e =
        Engine::new(&PiiConfig::from_json(br#"{"mask_template": "\"{TYPE}\\"}"#).unwrap()).unwrap();
    let Some(Redacted::Changed(r)) = e.redact_json(r#"["bob@example.com"]"#, &mut Tally::default())
    else {
        panic!()
    };
    assert_eq!(r, r#"["\"EMAIL\\"]"#);
    let v: serde_json::Value = serde_json::from_str(&r).unwrap();
    assert_eq!(v[0], "\"EMAIL\\");
}

#[test]
fn not_json_is_none() {
    for s in [
        "{",
        "[1,]",
        "{\"a\" 1}",
        "{\"a\":1}}",
        "[\"\\x\"]",
        "[\"\\ud800\"]",
        "[tru]",
        "[1.]",
        "{} x",
        "[\"unterminated]",
        "[\"ends in a backslash\\",
    ] {
        assert_eq!(red(s), None, "{s}");
    }
    for s in [
        "{}",
        "[]",
        " [1, -2.5e+3, true, false, null, {\"a\": []}] ",
        "{\"a\":{\"b\":[[]]}}",
    ] {
        assert_eq!(red(s).as_deref(), Some(s), "{s}");
    }
}

#[test]
fn deep_nesting_does_not_recurse() {
    let depth = 200_000;
    let s = format!(
        "{}\"a@example.com\"{}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let r = red(&s).unwrap();
    assert!(r.contains("\"<EMAIL>\""));
    let broken = "[".repeat(depth);
    assert_eq!(red(&broken), None);
}
