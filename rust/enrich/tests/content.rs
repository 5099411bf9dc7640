//! Message content in the semconv shape, built from every convention in the captured spans
//! of eight libraries (`message_content: true`): every LLM call that carried its content on
//! the span in any form ends with `gen_ai.input.messages` and `gen_ai.output.messages`, and
//! what we write is valid against the GenAI semantic conventions' JSON schemas
//! (tests/data/semconv, Apache-2.0, see NOTICE) and well formed where they leave it open. A
//! library's own value is left as it came (its schema breaks are printed, not fixed). Calls
//! without content on the span (capture off; content in separate event log records) get none.
//! `cargo test -p llmo-enrich --test content -- --nocapture` prints the table.

#[allow(dead_code)] // the helpers other test files use
mod common;

use std::collections::BTreeMap;

use common::enrich_with;
use llmo_enrich::EnrichConfig;
use serde_json::Value;

fn schema(name: &str) -> jsonschema::Validator {
    let path = format!("{}/tests/data/semconv/{name}", env!("CARGO_MANIFEST_DIR"));
    let s: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    jsonschema::validator_for(&s).unwrap()
}

/// What the schemas leave open (a part of any `type` passes as a generic part): text parts
/// hold text, tool calls a name, output messages a finish reason.
fn well_formed(messages: &Value, output: bool) -> Result<(), String> {
    for m in messages.as_array().ok_or("not an array")? {
        let parts = m["parts"].as_array().ok_or("no parts")?;
        if parts.is_empty() {
            return Err(format!("a message without parts: {m}"));
        }
        for p in parts {
            match p["type"].as_str() {
                Some("text") | Some("reasoning") if p["content"].is_string() => {}
                Some("tool_call") if p["name"].is_string() => {}
                Some("tool_call_response") if p.get("response").is_some() => {}
                _ => return Err(format!("malformed part {p}")),
            }
        }
        if output && !m["finish_reason"].is_string() {
            return Err(format!("no finish_reason: {m}"));
        }
    }
    Ok(())
}

#[test]
fn every_captured_call_gets_semconv_messages() {
    let (input_schema, output_schema, system_schema) = (
        schema("gen-ai-input-messages.json"),
        schema("gen-ai-output-messages.json"),
        schema("gen-ai-system-instructions.json"),
    );
    let cfg = EnrichConfig {
        message_content: true,
        ..EnrichConfig::default()
    };
    let dir = format!("{}/tests/data/captured", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    // library -> (calls, with input before, after, with output before, after)
    let mut rows: BTreeMap<String, [usize; 5]> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut theirs = Vec::new();
    for f in files {
        let lib = f.file_stem().unwrap().to_string_lossy().to_string();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        for span in doc["spans"].as_array().unwrap() {
            let out = enrich_with(cfg.clone(), span);
            let llm_call = out.get("gen_ai.usage.input_tokens").is_some()
                && out.get("llm_observatory.aggregate") != Some(&Value::Bool(true))
                && out.get("gen_ai.operation.name").and_then(Value::as_str) != Some("embeddings");
            if !llm_call {
                continue;
            }
            let attrs = span["attributes"].as_object().unwrap();
            let row = rows.entry(lib.clone()).or_default();
            row[0] += 1;
            row[1] += usize::from(attrs.contains_key("gen_ai.input.messages"));
            row[3] += usize::from(attrs.contains_key("gen_ai.output.messages"));
            let name = span["name"].as_str().unwrap_or("");
            // content on the span in some form, per side (not only in separate log records,
            // and not withheld: content capture off)
            let sources =
                |side: &[&str]| attrs.keys().any(|k| side.iter().any(|c| k.starts_with(c)));
            let has_input = sources(&[
                "gen_ai.prompt.",
                "llm.input_messages.",
                "ai.prompt",
                "langfuse.observation.input",
                "gen_ai.input.messages",
            ]);
            let has_output = sources(&[
                "gen_ai.completion.",
                "llm.output_messages.",
                "ai.response.text",
                "ai.response.toolCalls",
                "langfuse.observation.output",
                "gen_ai.output.messages",
            ]);
            for (key, schema, output, col) in [
                ("gen_ai.input.messages", &input_schema, false, 2),
                ("gen_ai.output.messages", &output_schema, true, 4),
            ] {
                if !(if output { has_output } else { has_input }) {
                    continue;
                }
                let Some(v) = out.get(key).and_then(Value::as_str) else {
                    if !attrs.contains_key(key) {
                        problems.push(format!("{lib} {name}: no {key}"));
                    } else {
                        theirs.push(format!("{lib} {name}: {key} is not a string"));
                    }
                    continue;
                };
                row[col] += 1;
                let j: Value = match serde_json::from_str(v) {
                    Ok(j) => j,
                    Err(e) => {
                        problems.push(format!("{lib} {name}: {key} is not JSON: {e}"));
                        continue;
                    }
                };
                let err = schema.iter_errors(&j).next().map(|e| e.to_string());
                if let Some(e) = err {
                    let msg = format!("{lib} {name}: {key} breaks the schema: {e}");
                    if attrs.contains_key(key) {
                        theirs.push(msg); // the library's own value, left as it came
                    } else {
                        problems.push(msg);
                    }
                }
                if !attrs.contains_key(key) {
                    // ours: also what the schema leaves open
                    if let Err(e) = well_formed(&j, output) {
                        problems.push(format!("{lib} {name}: {key}: {e}"));
                    }
                }
            }
            if let Some(v) = out
                .get("gen_ai.system_instructions")
                .and_then(Value::as_str)
            {
                let j: Value = serde_json::from_str(v).unwrap();
                let err = system_schema.iter_errors(&j).next().map(|e| e.to_string());
                if let Some(e) = err {
                    problems.push(format!("{lib} {name}: system instructions: {e}"));
                }
            }
        }
    }
    println!("| library | LLM calls | input.messages before -> after | output.messages before -> after |");
    println!("|---|---|---|---|");
    let mut total = [0usize; 5];
    for (lib, r) in &rows {
        println!(
            "| {lib} | {} | {} -> {} | {} -> {} |",
            r[0], r[1], r[2], r[3], r[4]
        );
        for i in 0..5 {
            total[i] += r[i];
        }
    }
    println!(
        "| all | {} | {} -> {} | {} -> {} |",
        total[0], total[1], total[2], total[3], total[4]
    );
    for p in &theirs {
        println!("as the library wrote it: {p}");
    }
    for p in &problems {
        println!("problem: {p}");
    }
    assert!(total[2] >= 84 && total[4] >= 83, "{total:?}");
    assert!(problems.is_empty(), "{} problems", problems.len());
}

/// One conversation as five conventions write it comes out the same.
#[test]
fn each_convention_builds_the_same_messages() {
    use serde_json::json;
    let cfg = EnrichConfig {
        message_content: true,
        ..EnrichConfig::default()
    };
    let want_in = json!([
        {"role": "system", "parts": [{"type": "text", "content": "Be terse."}]},
        {"role": "user", "parts": [{"type": "text", "content": "Weather in Paris?"}]},
    ]);
    let want_out = json!([{"role": "assistant", "finish_reason": "tool_call", "parts": [
        {"type": "tool_call", "id": "call_1", "name": "get_weather", "arguments": {"city": "Paris"}}]}]);
    let usage = json!({"gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 20, "gen_ai.usage.output_tokens": 5});
    let with = |extra: Value| {
        let mut a = usage.as_object().unwrap().clone();
        a.extend(extra.as_object().unwrap().clone());
        json!({"name": "chat", "attributes": a})
    };
    let spans = [
        (
            "OpenLLMetry",
            with(json!({
                "gen_ai.system": "openai",
                "gen_ai.prompt.0.role": "system", "gen_ai.prompt.0.content": "Be terse.",
                "gen_ai.prompt.1.role": "user", "gen_ai.prompt.1.content": "Weather in Paris?",
                "gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.finish_reason": "tool_calls",
                "gen_ai.completion.0.tool_calls.0.id": "call_1",
                "gen_ai.completion.0.tool_calls.0.name": "get_weather",
                "gen_ai.completion.0.tool_calls.0.arguments": "{\"city\": \"Paris\"}",
            })),
        ),
        (
            "OpenInference",
            with(json!({
                "openinference.span.kind": "LLM", "llm.system": "openai",
                "llm.input_messages.0.message.role": "system", "llm.input_messages.0.message.content": "Be terse.",
                "llm.input_messages.1.message.role": "user",
                "llm.input_messages.1.message.contents.0.message_content.type": "text",
                "llm.input_messages.1.message.contents.0.message_content.text": "Weather in Paris?",
                "llm.output_messages.0.message.role": "assistant",
                "llm.output_messages.0.message.tool_calls.0.tool_call.id": "call_1",
                "llm.output_messages.0.message.tool_calls.0.tool_call.function.name": "get_weather",
                "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments": "{\"city\":\"Paris\"}",
            })),
        ),
        (
            "Vercel AI SDK",
            with(json!({
                "ai.model.provider": "openai.chat", "ai.operationId": "ai.generateText.doGenerate",
                "ai.prompt.messages": "[{\"role\":\"system\",\"content\":\"Be terse.\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Weather in Paris?\"}]}]",
                "ai.response.toolCalls": "[{\"toolCallType\":\"function\",\"toolCallId\":\"call_1\",\"toolName\":\"get_weather\",\"input\":\"{\\\"city\\\":\\\"Paris\\\"}\"}]",
                "ai.response.finishReason": "tool-calls",
            })),
        ),
        (
            "Langfuse",
            with(json!({
                "langfuse.observation.type": "generation",
                "langfuse.observation.input": "{\"messages\": [{\"role\": \"system\", \"content\": \"Be terse.\"}, {\"role\": \"user\", \"content\": \"Weather in Paris?\"}]}",
                "langfuse.observation.output": "{\"role\": \"assistant\", \"content\": null, \"tool_calls\": [{\"id\": \"call_1\", \"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"arguments\": \"{\\\"city\\\": \\\"Paris\\\"}\"}}]}",
            })),
        ),
    ];
    for (convention, span) in spans {
        let out = enrich_with(cfg.clone(), &span);
        let get = |k: &str| -> Value {
            serde_json::from_str(out.get(k).and_then(Value::as_str).unwrap_or("null")).unwrap()
        };
        assert_eq!(get("gen_ai.input.messages"), want_in, "{convention}");
        assert_eq!(get("gen_ai.output.messages"), want_out, "{convention}");
    }
    // a system prompt given apart (Vercel ai.prompt) is the system instructions; a value
    // already written is never replaced; OpenLIT's content events become one text each
    let out = enrich_with(
        cfg.clone(),
        &with(json!({
            "ai.model.provider": "openai.chat", "ai.operationId": "ai.generateText.doGenerate",
            "ai.prompt": "{\"system\":\"Be terse.\",\"prompt\":\"Hi\"}",
            "ai.response.text": "Hello", "ai.response.finishReason": "stop",
            "gen_ai.output.messages": "[]",
        })),
    );
    let parsed = |o: &common::Out, k: &str| -> Value {
        serde_json::from_str(o.get(k).and_then(Value::as_str).unwrap_or("null")).unwrap()
    };
    assert_eq!(
        parsed(&out, "gen_ai.system_instructions"),
        json!([{"type": "text", "content": "Be terse."}])
    );
    assert_eq!(
        parsed(&out, "gen_ai.input.messages"),
        json!([{"role": "user", "parts": [{"type": "text", "content": "Hi"}]}])
    );
    assert_eq!(out.get("gen_ai.output.messages"), Some(&json!("[]")));
    let mut span = with(json!({"gen_ai.system": "openai"}));
    span["events"] = json!([
        {"name": "gen_ai.content.prompt", "attributes": {"gen_ai.prompt": "user: Hi"}},
        {"name": "gen_ai.content.completion", "attributes": {"gen_ai.completion": "Hello"}},
    ]);
    let out = enrich_with(cfg.clone(), &span);
    assert_eq!(
        parsed(&out, "gen_ai.output.messages"),
        json!([{"role": "assistant", "finish_reason": "stop", "parts": [{"type": "text", "content": "Hello"}]}])
    );
    assert_eq!(
        parsed(&out, "gen_ai.input.messages"),
        json!([{"role": "user", "parts": [{"type": "text", "content": "user: Hi"}]}])
    );
    // off by default, and sources dropped on request
    assert!(enrich_with(EnrichConfig::default(), &spans_first())
        .get("gen_ai.input.messages")
        .is_none());
    let drop = EnrichConfig {
        message_content: true,
        keep_source_attributes: false,
        ..EnrichConfig::default()
    };
    let out = enrich_with(drop, &spans_first());
    assert!(out.get("gen_ai.input.messages").is_some());
    assert!(
        out.attrs.keys().all(|k| !k.starts_with("gen_ai.prompt.")),
        "{:?}",
        out.attrs.keys()
    );
}

fn spans_first() -> Value {
    serde_json::json!({"name": "openai.chat", "attributes": {
        "gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.prompt_tokens": 3,
        "gen_ai.prompt.0.role": "user", "gen_ai.prompt.0.content": "Hi",
    }})
}
