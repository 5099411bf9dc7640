//! Message content in the GenAI semantic conventions' shape: `gen_ai.input.messages`,
//! `gen_ai.output.messages` and `gen_ai.system_instructions` (JSON, the parts format: `text`,
//! `tool_call`, `tool_call_response`, `reasoning`; `finish_reason` on output messages), built
//! from the content each convention writes elsewhere:
//!
//! * OpenLLMetry and semconv before 1.37, flattened: `gen_ai.prompt.N.role/content/
//!   tool_call_id/tool_calls.M.{id,name,arguments}`, `gen_ai.completion.N.*` with
//!   `finish_reason`;
//! * OpenInference, flattened: `llm.input_messages.N.message.role/content/name/tool_call_id/
//!   contents.M.message_content.{type,text}/tool_calls.M.tool_call.{id,function.name,
//!   function.arguments}`, `llm.output_messages.N.message.*`;
//! * the Vercel AI SDK: `ai.prompt.messages` (and `ai.prompt`'s `system`, `prompt`,
//!   `messages`), `ai.response.text`, `ai.response.toolCalls`, `ai.response.reasoning`,
//!   `ai.response.finishReason`;
//! * Langfuse: `langfuse.observation.input` / `.output` (a message list, `{messages}`, a
//!   message, or text);
//! * OpenLIT and semconv before 1.28, content events: `gen_ai.content.prompt` /
//!   `gen_ai.content.completion` span events (`gen_ai.prompt` / `gen_ai.completion`), and the
//!   plain `gen_ai.prompt` / `gen_ai.completion` attributes.
//!
//! A target already present is never replaced; text that is not JSON where JSON was expected
//! is kept as a text part, never dropped.

use std::borrow::Cow;
use std::collections::BTreeMap;

use llmo_schema::view::{Item, Value};
use serde_json::{json, Map, Value as Json};

/// The content built for one item, as JSON text, and the source keys it was built from.
#[derive(Debug, Default)]
pub(crate) struct Content<'a> {
    pub input: Option<String>,
    pub output: Option<String>,
    pub system: Option<String>,
    /// Source attributes read (for `keep_source_attributes: false`).
    pub consumed: Vec<&'a str>,
}

/// The keys content is read from (exact), for the stage's interest.
pub(crate) const KEYS: &[&str] = &[
    "gen_ai.prompt",
    "gen_ai.completion",
    "gen_ai.input.messages",
    "gen_ai.output.messages",
    "gen_ai.system_instructions",
    "ai.prompt",
    "ai.prompt.messages",
    "ai.response.text",
    "ai.response.toolCalls",
    "ai.response.reasoning",
    "ai.response.finishReason",
    "gen_ai.response.finish_reasons",
    "langfuse.observation.input",
    "langfuse.observation.output",
];
/// The key prefixes content is read from.
pub(crate) const PREFIXES: &[&str] = &[
    "gen_ai.prompt.",
    "gen_ai.completion.",
    "llm.input_messages.",
    "llm.output_messages.",
];

const INPUT: &str = "gen_ai.input.messages";
const OUTPUT: &str = "gen_ai.output.messages";
const SYSTEM: &str = "gen_ai.system_instructions";

fn text(s: &str) -> Json {
    json!({"type": "text", "content": s})
}

/// A JSON value from text that should hold JSON (tool arguments): the value, else the text.
fn json_or_text(s: &str) -> Json {
    serde_json::from_str(s).unwrap_or_else(|_| Json::String(s.to_string()))
}

fn str_of(v: &Value<'_>) -> Option<String> {
    match v {
        Value::Str(s) => Some((*s).to_string()),
        Value::InvalidStr(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Value::Int(i) => Some(i.to_string()),
        Value::Double(d) => Some(d.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `key` split as `<prefix><n>.<rest>`.
fn indexed<'k>(key: &'k str, prefix: &str) -> Option<(usize, &'k str)> {
    let rest = key.strip_prefix(prefix)?;
    let (n, rest) = rest.split_once('.')?;
    Some((n.parse().ok()?, rest))
}

/// Flattened messages (`<prefix>N.<field>`) as field maps by index, in index order.
fn flattened<'a>(
    item: &'a Item<'a>,
    prefix: &str,
    consumed: &mut Vec<&'a str>,
) -> BTreeMap<usize, BTreeMap<&'a str, String>> {
    let mut out: BTreeMap<usize, BTreeMap<&'a str, String>> = BTreeMap::new();
    for (k, v) in &item.attrs {
        let k: &'a str = match k {
            Cow::Borrowed(k) => k,
            Cow::Owned(_) => continue,
        };
        if let (Some((n, field)), Some(s)) = (indexed(k, prefix), str_of(v)) {
            out.entry(n).or_default().insert(field, s);
            consumed.push(k);
        }
    }
    out
}

/// A flattened tool call's id, name and arguments.
type CallFields<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>);

/// The `tool_calls.M.*` of one flattened message (`id`, `name`, `arguments` under `base`,
/// e.g. `tool_calls.` with `name`, or `tool_calls.` with `tool_call.function.name`).
fn flattened_calls(
    fields: &BTreeMap<&str, String>,
    base: &str,
    id: &str,
    name: &str,
    args: &str,
) -> Vec<Json> {
    let mut calls: BTreeMap<usize, CallFields<'_>> = BTreeMap::new();
    for (k, v) in fields {
        if let Some((m, rest)) = indexed(k, base) {
            let c = calls.entry(m).or_default();
            if rest == id {
                c.0 = Some(v);
            } else if rest == name {
                c.1 = Some(v);
            } else if rest == args {
                c.2 = Some(v);
            }
        }
    }
    calls
        .into_values()
        .filter_map(|(id, name, args)| {
            let name = name?;
            Some(json!({"type": "tool_call", "id": id, "name": name,
                "arguments": args.map(json_or_text).unwrap_or(Json::Null)}))
        })
        .collect()
}

/// A flattened tool message (its id, its content as text) as the one part it holds: the
/// response, JSON where it is.
fn tool_response(id: &str, content: Option<&str>) -> Json {
    let response = content.map_or(Json::Null, json_or_text);
    json!({"type": "tool_call_response", "id": id, "response": response})
}

/// A legacy `content` (text, or OpenAI/Anthropic-style parts) as semconv parts.
fn content_parts(content: &Json) -> Vec<Json> {
    match content {
        Json::String(s) => vec![text(s)],
        Json::Array(a) => a.iter().filter_map(part).collect(),
        Json::Null => Vec::new(),
        other => vec![text(&other.to_string())],
    }
}

/// One part of a provider's or SDK's content list as a semconv part.
fn part(p: &Json) -> Option<Json> {
    let Json::Object(o) = p else {
        return p.as_str().map(text);
    };
    let s = |k: &str| o.get(k).and_then(Json::as_str);
    let ty = s("type").unwrap_or("text");
    Some(match ty {
        "text" | "input_text" | "output_text" => text(s("text").or(s("content"))?),
        "reasoning" | "thinking" => {
            json!({"type": "reasoning", "content": s("text").or(s("thinking")).or(s("content"))?})
        }
        // Vercel AI SDK (args in v4, input from v5), Anthropic tool_use
        "tool-call" | "tool_use" | "tool_call" | "function_call" => json!({
            "type": "tool_call",
            "id": s("toolCallId").or(s("id")).or(s("call_id")),
            "name": s("toolName").or(s("name"))?,
            "arguments": o.get("input").or(o.get("args")).or(o.get("arguments"))
                .map(|a| a.as_str().map(json_or_text).unwrap_or_else(|| a.clone()))
                .unwrap_or(Json::Null),
        }),
        "tool-result" | "tool_result" | "function_call_output" => json!({
            "type": "tool_call_response",
            "id": s("toolCallId").or(s("tool_use_id")).or(s("call_id")),
            "response": o.get("output").or(o.get("result")).or(o.get("content"))
                .cloned().unwrap_or(Json::Null),
        }),
        // images, files, audio...: kept as a part of their own type
        other => {
            let mut m = o.clone();
            m.insert("type".into(), Json::String(other.to_string()));
            Json::Object(m)
        }
    })
}

/// A message of a provider-style list (`{role, content, tool_calls, tool_call_id, name}`).
fn message(m: &Json) -> Option<Json> {
    let o = m.as_object()?;
    let role = o.get("role").and_then(Json::as_str).unwrap_or("user");
    let mut parts = o.get("content").map(content_parts).unwrap_or_default();
    if let Some(Json::Array(calls)) = o.get("tool_calls") {
        for c in calls {
            let f = c.get("function").unwrap_or(c);
            if let Some(name) = f.get("name").and_then(Json::as_str) {
                let args = f.get("arguments").cloned().unwrap_or(Json::Null);
                parts.push(json!({"type": "tool_call", "id": c.get("id"), "name": name,
                    "arguments": args.as_str().map(json_or_text).unwrap_or(args)}));
            }
        }
    }
    if role == "tool" {
        if let Some(id) = o.get("tool_call_id") {
            // an OpenAI tool message: its content is the response
            let response = match o.get("content") {
                Some(Json::String(s)) => json_or_text(s),
                Some(other) => other.clone(),
                None => Json::Null,
            };
            parts = vec![json!({"type": "tool_call_response", "id": id, "response": response})];
        }
    }
    let mut out = Map::new();
    out.insert("role".into(), Json::String(role.to_string()));
    out.insert("parts".into(), Json::Array(parts));
    if let Some(n) = o.get("name").and_then(Json::as_str) {
        out.insert("name".into(), Json::String(n.to_string()));
    }
    Some(Json::Object(out))
}

/// A message list in a provider's shape, or `None` when `v` is not one.
fn messages(v: &Json) -> Option<Vec<Json>> {
    match v {
        Json::Array(a) if a.iter().all(|m| m.get("role").is_some()) => {
            Some(a.iter().filter_map(message).collect())
        }
        Json::Object(o) if o.contains_key("messages") => messages(&o["messages"]),
        _ => None,
    }
}

fn output_message(role: &str, parts: Vec<Json>, finish: Option<&str>) -> Json {
    // the reason the instrumentation gave; else what the parts say: a tool call, or a stop
    let has_calls = parts.iter().any(|p| p["type"] == "tool_call");
    let finish =
        finish
            .map(normalize_finish)
            .unwrap_or(if has_calls { "tool_call" } else { "stop" });
    json!({"role": role, "parts": parts, "finish_reason": finish})
}

/// Finish reasons in the semconv's words where one is meant (`tool_calls`, `tool-calls`,
/// `tool_use` -> `tool_call`; `max_tokens`, `length` -> `length`; `end_turn` -> `stop`).
fn normalize_finish(r: &str) -> &str {
    match r {
        "tool_calls" | "tool-calls" | "tool_use" | "function_call" => "tool_call",
        "max_tokens" | "length" | "MAX_TOKENS" => "length",
        "end_turn" | "stop_sequence" | "STOP" | "stop" => "stop",
        "content-filter" | "content_filter" | "SAFETY" => "content_filter",
        other => other,
    }
}

/// Builds what is missing of the three targets on `item` from the conventions above.
pub(crate) fn build<'a>(item: &'a Item<'a>) -> Content<'a> {
    let mut c = Content::default();
    let has = |k: &str| item.attr(k).is_some();
    let s = |k: &str| item.attr(k).and_then(Value::as_str);
    let (want_in, want_out, want_sys) = (!has(INPUT), !has(OUTPUT), !has(SYSTEM));
    if !(want_in || want_out || want_sys) {
        return c;
    }
    let mut input: Option<Vec<Json>> = None;
    let mut output: Option<Vec<Json>> = None;
    let mut system: Option<Vec<Json>> = None;
    let finish_reasons: Vec<String> = match item.attr("gen_ai.response.finish_reasons") {
        Some(Value::Array(a)) => a.iter().filter_map(str_of).collect(),
        Some(Value::Str(s)) => serde_json::from_str(s).unwrap_or_else(|_| vec![s.to_string()]),
        _ => Vec::new(),
    };

    // OpenLLMetry / semconv before 1.37, flattened
    let prompt = flattened(item, "gen_ai.prompt.", &mut c.consumed);
    if want_in && !prompt.is_empty() {
        input = Some(
            prompt
                .values()
                .map(|f| {
                    let role = f.get("role").map_or("user", String::as_str);
                    let mut parts = f
                        .get("content")
                        .map(|t| match serde_json::from_str::<Json>(t) {
                            // Anthropic content blocks, serialized
                            Ok(j @ Json::Array(_)) => content_parts(&j),
                            _ => vec![text(t)],
                        })
                        .unwrap_or_default();
                    parts.extend(flattened_calls(f, "tool_calls.", "id", "name", "arguments"));
                    if let (Some(id), "tool") = (f.get("tool_call_id"), role) {
                        parts = vec![tool_response(id, f.get("content").map(String::as_str))];
                    }
                    json!({"role": role, "parts": parts})
                })
                .collect(),
        );
    }
    let completion = flattened(item, "gen_ai.completion.", &mut c.consumed);
    if want_out && !completion.is_empty() {
        output = Some(
            completion
                .values()
                .map(|f| {
                    let mut parts: Vec<Json> = f.get("content").map(|t| text(t)).into_iter().collect();
                    parts.extend(flattened_calls(f, "tool_calls.", "id", "name", "arguments"));
                    if let Some(name) = f.get("function_call.name") {
                        parts.push(json!({"type": "tool_call", "id": null, "name": name,
                            "arguments": f.get("function_call.arguments").map_or(Json::Null, |a| json_or_text(a))}));
                    }
                    let role = f.get("role").map_or("assistant", String::as_str);
                    output_message(role, parts, f.get("finish_reason").map(String::as_str))
                })
                .collect(),
        );
    }

    // OpenInference, flattened
    let oi = |prefix: &str, c: &mut Vec<&'a str>, out: bool| -> Option<Vec<Json>> {
        let msgs = flattened(item, prefix, c);
        if msgs.is_empty() {
            return None;
        }
        Some(
            msgs.values()
                .enumerate()
                .map(|(i, f)| {
                    let get = |k: &str| f.get(k).map(String::as_str);
                    let role =
                        get("message.role").unwrap_or(if out { "assistant" } else { "user" });
                    let mut parts: Vec<Json> =
                        get("message.content").map(text).into_iter().collect();
                    let mut contents: BTreeMap<usize, (Option<&str>, Option<&str>)> =
                        BTreeMap::new();
                    for (k, v) in f {
                        if let Some((m, rest)) = indexed(k, "message.contents.") {
                            let e = contents.entry(m).or_default();
                            match rest {
                                "message_content.type" => e.0 = Some(v),
                                "message_content.text" => e.1 = Some(v),
                                _ => {}
                            }
                        }
                    }
                    for (ty, t) in contents.into_values() {
                        if let (Some("text") | None, Some(t)) = (ty, t) {
                            parts.push(text(t));
                        }
                    }
                    parts.extend(flattened_calls(
                        f,
                        "message.tool_calls.",
                        "tool_call.id",
                        "tool_call.function.name",
                        "tool_call.function.arguments",
                    ));
                    if let (Some(id), "tool") = (get("message.tool_call_id"), role) {
                        parts = vec![tool_response(id, get("message.content"))];
                    }
                    if out {
                        output_message(role, parts, finish_reasons.get(i).map(String::as_str))
                    } else {
                        let mut m = json!({"role": role, "parts": parts});
                        if let Some(n) = get("message.name") {
                            m["name"] = Json::String(n.to_string());
                        }
                        m
                    }
                })
                .collect(),
        )
    };
    let oi_in = oi("llm.input_messages.", &mut c.consumed, false);
    if want_in && input.is_none() {
        input = oi_in;
    }
    let oi_out = oi("llm.output_messages.", &mut c.consumed, true);
    if want_out && output.is_none() {
        output = oi_out;
    }

    // Vercel AI SDK
    if let Some(t) = s("ai.prompt.messages") {
        c.consumed.push("ai.prompt.messages");
        if want_in && input.is_none() {
            input = Some(
                serde_json::from_str::<Json>(t)
                    .ok()
                    .and_then(|j| messages(&j))
                    .unwrap_or_else(|| vec![json!({"role": "user", "parts": [text(t)]})]),
            );
        }
    }
    if let Some(t) = s("ai.prompt") {
        c.consumed.push("ai.prompt");
        let j = serde_json::from_str::<Json>(t).ok();
        let field = |k: &str| j.as_ref().and_then(|j| j.get(k)).and_then(Json::as_str);
        if want_sys && system.is_none() {
            system = field("system").map(|sys| vec![text(sys)]);
        }
        if want_in && input.is_none() {
            input = j.as_ref().and_then(messages).or_else(|| {
                field("prompt").map(|p| vec![json!({"role": "user", "parts": [text(p)]})])
            });
        }
    }
    let vercel_out = [
        "ai.response.text",
        "ai.response.toolCalls",
        "ai.response.reasoning",
    ]
    .iter()
    .any(|k| has(k));
    if vercel_out {
        let mut parts = Vec::new();
        if let Some(r) = s("ai.response.reasoning") {
            parts.push(json!({"type": "reasoning", "content": r}));
        }
        if let Some(t) = s("ai.response.text") {
            parts.push(text(t));
        }
        if let Some(Json::Array(calls)) =
            s("ai.response.toolCalls").and_then(|t| serde_json::from_str(t).ok())
        {
            parts.extend(calls.iter().filter_map(|p| {
                let mut p = p.clone();
                if p.get("type").is_none() {
                    p["type"] = Json::String("tool-call".into());
                }
                part(&p)
            }));
        }
        for k in [
            "ai.response.text",
            "ai.response.toolCalls",
            "ai.response.reasoning",
            "ai.response.finishReason",
        ] {
            if has(k) {
                c.consumed.push(k);
            }
        }
        if want_out && output.is_none() {
            output = Some(vec![output_message(
                "assistant",
                parts,
                s("ai.response.finishReason"),
            )]);
        }
    }

    // Langfuse
    if let Some(t) = s("langfuse.observation.input") {
        c.consumed.push("langfuse.observation.input");
        if want_in && input.is_none() {
            input = Some(match serde_json::from_str::<Json>(t) {
                Ok(j) => messages(&j).unwrap_or_else(|| {
                    let content = j.as_str().map_or_else(|| j.to_string(), str::to_string);
                    vec![json!({"role": "user", "parts": [text(&content)]})]
                }),
                Err(_) => vec![json!({"role": "user", "parts": [text(t)]})],
            });
        }
    }
    if let Some(t) = s("langfuse.observation.output") {
        c.consumed.push("langfuse.observation.output");
        if want_out && output.is_none() {
            let j = serde_json::from_str::<Json>(t).unwrap_or_else(|_| Json::String(t.to_string()));
            output = Some(match &j {
                Json::String(s) => vec![output_message("assistant", vec![text(s)], None)],
                Json::Object(o) if o.contains_key("role") => {
                    let m = message(&j).unwrap_or_default();
                    let parts = m["parts"].as_array().cloned().unwrap_or_default();
                    vec![output_message(
                        o["role"].as_str().unwrap_or("assistant"),
                        parts,
                        None,
                    )]
                }
                other => vec![output_message(
                    "assistant",
                    vec![text(&other.to_string())],
                    None,
                )],
            });
        }
    }

    // content events and plain attributes (OpenLIT, semconv before 1.28)
    let event_attr = |ev: &str, key: &str| {
        item.events
            .iter()
            .filter(|e| e.name == ev)
            .flat_map(|e| e.attrs.iter())
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_str())
    };
    if want_in && input.is_none() {
        if let Some(p) =
            event_attr("gen_ai.content.prompt", "gen_ai.prompt").or_else(|| s("gen_ai.prompt"))
        {
            input = Some(
                serde_json::from_str::<Json>(p)
                    .ok()
                    .and_then(|j| messages(&j))
                    .unwrap_or_else(|| vec![json!({"role": "user", "parts": [text(p)]})]),
            );
        }
    }
    if want_out && output.is_none() {
        if let Some(p) = event_attr("gen_ai.content.completion", "gen_ai.completion")
            .or_else(|| s("gen_ai.completion"))
        {
            output = Some(vec![output_message(
                "assistant",
                vec![text(p)],
                finish_reasons.first().map(String::as_str),
            )]);
        }
    }
    for k in ["gen_ai.prompt", "gen_ai.completion"] {
        if has(k) {
            c.consumed.push(k);
        }
    }

    let to_text = |v: Vec<Json>| serde_json::to_string(&v).expect("JSON serializes");
    c.input = input.filter(|v| !v.is_empty()).map(to_text);
    c.output = output.filter(|v| !v.is_empty()).map(to_text);
    c.system = system.filter(|v| !v.is_empty()).map(to_text);
    c
}
