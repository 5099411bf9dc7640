//! Finds the messages of an LLM call wherever the instrumentation put them, as one shape.
//!
//! Input and output are read separately; for each, the first source that has content wins,
//! in the order of [`input_messages`] / [`output_messages`].

use llmo_schema::view::{Item, Value};
use serde_json::Value as J;

/// One part of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Text (or any content counted as text).
    Text(String),
    /// A tool call the model made: function name and JSON arguments.
    ToolCall {
        /// Function name.
        name: String,
        /// Arguments as sent (JSON text).
        arguments: String,
    },
}

/// One chat message.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    /// `system`, `user`, `assistant`, `tool`...
    pub role: String,
    /// Optional participant name (OpenAI `name`).
    pub name: Option<String>,
    /// The call a tool result answers (OpenAI `tool_call_id`).
    pub tool_call_id: Option<String>,
    /// Content parts.
    pub parts: Vec<Part>,
}

impl Message {
    fn text(role: &str, text: impl Into<String>) -> Self {
        Message {
            role: role.into(),
            parts: vec![Part::Text(text.into())],
            ..Default::default()
        }
    }

    /// Bytes of content, for the size cap.
    pub fn content_bytes(&self) -> usize {
        self.role.len()
            + self.name.as_ref().map_or(0, String::len)
            + self.tool_call_id.as_ref().map_or(0, String::len)
            + self
                .parts
                .iter()
                .map(|p| match p {
                    Part::Text(t) => t.len(),
                    Part::ToolCall { name, arguments } => name.len() + arguments.len(),
                })
                .sum::<usize>()
    }
}

/// What was found on one side of the call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Found {
    /// The messages (a plain prompt or completion is one message).
    pub messages: Vec<Message>,
    /// True when the content is a chat message list (framing tokens apply).
    pub chat: bool,
    /// Where it came from (attribute key or event name), for the record.
    pub from: &'static str,
}

/// Attribute lookup for one item.
pub struct Attrs<'b, 'a> {
    item: &'b Item<'a>,
}

impl<'b, 'a> Attrs<'b, 'a> {
    /// Wraps an item.
    pub fn new(item: &'b Item<'a>) -> Self {
        Self { item }
    }

    fn get(&self, key: &str) -> Option<&'b Value<'a>> {
        self.item.attr(key)
    }

    fn str(&self, key: &str) -> Option<&'a str> {
        self.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    }

    /// A value as JSON: JSON text is parsed, structured values (log records carry maps and
    /// arrays) are converted.
    fn json(&self, key: &str) -> Option<J> {
        to_json(self.get(key)?)
    }

    /// The messages of a key holding a JSON array of them (as text: the fast path, else the
    /// general one; or a structured value of a log record).
    fn messages(&self, key: &str) -> Option<Vec<Message>> {
        if let Some(Value::Str(t)) = self.get(key) {
            if let Some(ms) = messages_from_text(t) {
                return Some(ms);
            }
        }
        self.json(key).as_ref().and_then(messages_from_json)
    }

    /// A key of Logfire's spans (`input`, `output`): read only on a span Logfire made, since
    /// other instrumentations may use such plain names for anything.
    fn logfire(&self, key: &str) -> Option<J> {
        self.get("logfire.msg_template")?;
        self.json(key)
    }

    fn flattened(&self, prefix: &str) -> bool {
        self.item.attrs.iter().any(|(k, _)| k.starts_with(prefix))
    }
}

/// Converts a view value to JSON; strings that hold JSON arrays/objects are parsed.
pub fn to_json(v: &Value<'_>) -> Option<J> {
    Some(match v {
        Value::Str(s) => {
            let t = s.trim_start();
            if t.starts_with('[') || t.starts_with('{') {
                serde_json::from_str(s).unwrap_or_else(|_| J::String((*s).to_string()))
            } else {
                J::String((*s).to_string())
            }
        }
        Value::Array(a) => J::Array(a.iter().filter_map(to_json).collect()),
        Value::Map(m) => J::Object(
            m.iter()
                .filter_map(|(k, v)| Some((k.to_string(), to_json(v)?)))
                .collect(),
        ),
        Value::Int(i) => J::from(*i),
        Value::Double(d) => J::from(*d),
        Value::Bool(b) => J::Bool(*b),
        _ => return None,
    })
}

/// The text of one content part: a string, or `{type:"text", text|content}` (images, audio,
/// files: none).
fn part_text(p: &J) -> Option<&str> {
    match p {
        J::String(s) => Some(s.as_str()),
        J::Object(o) => match o.get("type").and_then(J::as_str) {
            None | Some("text" | "input_text" | "output_text") => o
                .get("text")
                .or_else(|| o.get("content"))
                .and_then(J::as_str),
            Some(_) => None,
        },
        _ => None,
    }
}

/// Text of a JSON content value: a string, or an array of parts (`{type:"text", text|content}`).
fn content_text(v: &J) -> Option<String> {
    match v {
        J::String(s) => Some(s.clone()),
        J::Array(parts) => Some(
            parts
                .iter()
                .filter_map(part_text)
                .collect::<Vec<_>>()
                .join(""),
        ),
        J::Null => None,
        other => Some(other.to_string()),
    }
}

/// Each part of a JSON content value, counted separately as the API does (a part that is not
/// text counts as an empty one).
fn content_parts(v: &J) -> Vec<String> {
    match v {
        J::Array(parts) => parts
            .iter()
            .map(|p| part_text(p).unwrap_or_default().to_string())
            .collect(),
        J::Null => Vec::new(),
        other => content_text(other).into_iter().collect(),
    }
}

fn s(v: Option<&J>) -> Option<String> {
    v.and_then(J::as_str).map(str::to_string)
}

/// One message object of the common shapes: OpenAI/Anthropic/Vercel `{role, content, name,
/// tool_calls}` and semconv `{role, parts:[...], name}`.
fn message_from_json(v: &J) -> Option<Message> {
    let o = v.as_object()?;
    let role = s(o.get("role")).unwrap_or_else(|| "user".into());
    let mut m = Message {
        role,
        name: s(o.get("name")),
        tool_call_id: s(o.get("tool_call_id")),
        parts: Vec::new(),
    };
    if let Some(parts) = o.get("parts").and_then(J::as_array) {
        // GenAI semconv parts
        for p in parts {
            let Some(po) = p.as_object() else { continue };
            match po.get("type").and_then(J::as_str) {
                Some("tool_call") => m.parts.push(Part::ToolCall {
                    name: s(po.get("name")).unwrap_or_default(),
                    arguments: po.get("arguments").map(json_text).unwrap_or_default(),
                }),
                Some("tool_call_response") => {
                    if let Some(r) = po.get("response") {
                        m.parts.push(Part::Text(json_text(r)));
                    }
                }
                _ => {
                    if let Some(t) = po.get("content").and_then(content_text) {
                        m.parts.push(Part::Text(t));
                    }
                }
            }
        }
    } else if let Some(c) = o.get("content") {
        m.parts.extend(content_parts(c).into_iter().map(Part::Text));
    }
    // OpenAI tool_calls / Vercel toolCalls
    for key in ["tool_calls", "toolCalls"] {
        if let Some(calls) = o.get(key).and_then(J::as_array) {
            m.parts.extend(calls.iter().map(tool_call));
        }
    }
    Some(m)
}

/// JSON text of a value: strings as they are, anything else serialized.
fn json_text(v: &J) -> String {
    match v {
        J::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The messages of OpenAI Responses-shaped output: a response object's `output` items, or
/// those of a list of them (what the OpenAI Agents SDK builds from a stream, as OpenInference
/// and Logfire record it).
fn responses_output(v: &J) -> Option<Vec<Message>> {
    let items: Vec<&J> = match v {
        J::Object(o) => o.get("output")?.as_array()?.iter().collect(),
        J::Array(a) => a
            .iter()
            .filter_map(|r| r.get("output").and_then(J::as_array))
            .flatten()
            .collect(),
        _ => return None,
    };
    let ms: Vec<Message> = items.into_iter().filter_map(message_from_json).collect();
    (!ms.is_empty()).then_some(ms)
}

/// A JSON array of message objects read straight into messages, without building a
/// `serde_json::Value` of the whole conversation first (a resent history is parsed on every
/// call). `None` when the text is anything else (not an array, an element that is not an
/// object, a field of an unexpected type, a key given twice): the caller then reads it the
/// general way, [`messages_from_json`], which this must equal wherever it answers.
fn messages_from_text(text: &str) -> Option<Vec<Message>> {
    use std::borrow::Cow;

    /// A field present (`null` included, which the general path reads as a value).
    fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<J>, D::Error> {
        serde::Deserialize::deserialize(d).map(Some)
    }
    #[derive(serde::Deserialize)]
    struct RawPart<'a> {
        #[serde(borrow, default, rename = "type")]
        kind: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        name: Option<Cow<'a, str>>,
        #[serde(default, deserialize_with = "present")]
        arguments: Option<J>,
        #[serde(default, deserialize_with = "present")]
        response: Option<J>,
        #[serde(default, deserialize_with = "present")]
        content: Option<J>,
    }
    #[derive(serde::Deserialize)]
    struct RawMessage<'a> {
        #[serde(borrow, default)]
        role: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        name: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        tool_call_id: Option<Cow<'a, str>>,
        #[serde(borrow, default)]
        parts: Option<Vec<RawPart<'a>>>,
        #[serde(default, deserialize_with = "present")]
        content: Option<J>,
        #[serde(default)]
        tool_calls: Option<Vec<J>>,
        #[serde(default, rename = "toolCalls")]
        tool_calls_camel: Option<Vec<J>>,
    }
    if !text.trim_start().starts_with('[') {
        return None;
    }
    let raw: Vec<RawMessage<'_>> = serde_json::from_str(text).ok()?;
    let mut out = Vec::with_capacity(raw.len());
    for r in raw {
        let mut m = Message {
            role: r.role.map_or_else(|| "user".to_string(), Cow::into_owned),
            name: r.name.map(Cow::into_owned),
            tool_call_id: r.tool_call_id.map(Cow::into_owned),
            parts: Vec::new(),
        };
        if let Some(parts) = r.parts {
            // GenAI semconv parts
            for p in parts {
                match p.kind.as_deref() {
                    Some("tool_call") => m.parts.push(Part::ToolCall {
                        name: p.name.map(Cow::into_owned).unwrap_or_default(),
                        arguments: p.arguments.as_ref().map(json_text).unwrap_or_default(),
                    }),
                    Some("tool_call_response") => {
                        if let Some(resp) = &p.response {
                            m.parts.push(Part::Text(json_text(resp)));
                        }
                    }
                    _ => match p.content {
                        Some(J::String(t)) => m.parts.push(Part::Text(t)),
                        Some(c) => {
                            if let Some(t) = content_text(&c) {
                                m.parts.push(Part::Text(t));
                            }
                        }
                        None => {}
                    },
                }
            }
        } else if let Some(c) = r.content {
            match c {
                J::String(t) => m.parts.push(Part::Text(t)),
                c => m
                    .parts
                    .extend(content_parts(&c).into_iter().map(Part::Text)),
            }
        }
        for calls in [&r.tool_calls, &r.tool_calls_camel].into_iter().flatten() {
            m.parts.extend(calls.iter().map(tool_call));
        }
        out.push(m);
    }
    (!out.is_empty()).then_some(out)
}

/// An OpenAI `tool_calls` / Vercel `toolCalls` entry as a part.
fn tool_call(c: &J) -> Part {
    let f = c.get("function").unwrap_or(c);
    Part::ToolCall {
        name: s(f.get("name").or_else(|| f.get("toolName"))).unwrap_or_default(),
        arguments: f
            .get("arguments")
            .or_else(|| f.get("input"))
            .or_else(|| f.get("args"))
            .map(json_text)
            .unwrap_or_default(),
    }
}

fn messages_from_json(v: &J) -> Option<Vec<Message>> {
    match v {
        J::Array(a) => {
            let ms: Vec<Message> = a.iter().filter_map(message_from_json).collect();
            (!ms.is_empty()).then_some(ms)
        }
        J::Object(o) if o.contains_key("messages") => messages_from_json(o.get("messages")?),
        J::Object(o) if o.contains_key("role") || o.contains_key("parts") => {
            Some(vec![message_from_json(v)?])
        }
        _ => None,
    }
}

/// `prefix.N.<role_key>` / `prefix.N.<content_key>` flattened messages (OpenLLMetry, OpenInference).
///
/// One pass over the item's attributes (a resent conversation of N messages has ~2N of them;
/// looking each field up by a formatted key was quadratic in N). The messages are those of
/// N = 0, 1, ... up to the first without a role or any part; contents and tool calls likewise up
/// to the first missing index; of a key sent twice the first counts, an empty string is none.
fn flattened_messages(at: &Attrs<'_, '_>, prefix: &str, msg: &str) -> Option<Vec<Message>> {
    /// A field's first value: not seen yet, or seen (a non-empty string or none)
    type Slot<'a> = Option<Option<&'a str>>;
    #[derive(Default)]
    struct Partial<'a> {
        role: Slot<'a>,
        content: Slot<'a>,
        name: Slot<'a>,
        tool_call_id: Slot<'a>,
        contents: Vec<Slot<'a>>,
        /// (name, arguments) of each tool call
        calls: Vec<(Slot<'a>, Slot<'a>)>,
    }
    fn first<'a>(slot: &mut Slot<'a>, v: Option<&'a str>) {
        if slot.is_none() {
            *slot = Some(v.filter(|s| !s.is_empty()));
        }
    }
    fn at_index<T: Default>(v: &mut Vec<T>, i: usize) -> &mut T {
        if v.len() <= i {
            v.resize_with(i + 1, T::default);
        }
        &mut v[i]
    }
    let (call_name, call_args) = if msg.is_empty() {
        ("name", "arguments")
    } else {
        ("tool_call.function.name", "tool_call.function.arguments")
    };
    let mut msgs: Vec<Partial<'_>> = Vec::new();
    for (k, v) in &at.item.attrs {
        let Some(rest) = k.strip_prefix(prefix) else {
            continue;
        };
        let Some((i, rest)) = index(rest, 10_000) else {
            continue;
        };
        let Some(field) = rest.strip_prefix(msg) else {
            continue;
        };
        let text = v.as_str();
        let m = at_index(&mut msgs, i);
        match field {
            "role" => first(&mut m.role, text),
            "content" => first(&mut m.content, text),
            "name" => first(&mut m.name, text),
            "tool_call_id" => first(&mut m.tool_call_id, text),
            _ => {
                if let Some((j, "message_content.text")) =
                    field.strip_prefix("contents.").and_then(|r| index(r, 1000))
                {
                    first(at_index(&mut m.contents, j), text);
                } else if let Some((j, f)) = field
                    .strip_prefix("tool_calls.")
                    .and_then(|r| index(r, 1000))
                {
                    let call = at_index(&mut m.calls, j);
                    if f == call_name {
                        first(&mut call.0, text);
                    } else if f == call_args {
                        first(&mut call.1, text);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for p in &msgs {
        let role = p.role.flatten();
        let mut m = Message {
            role: role.unwrap_or("user").to_string(),
            name: p.name.flatten().map(str::to_string),
            tool_call_id: p.tool_call_id.flatten().map(str::to_string),
            parts: Vec::new(),
        };
        if let Some(c) = p.content.flatten() {
            m.parts.push(Part::Text(c.to_string()));
        } else {
            // OpenInference multi-part contents
            for t in p.contents.iter().map_while(|c| c.flatten()) {
                m.parts.push(Part::Text(t.to_string()));
            }
        }
        for (name, args) in &p.calls {
            let (name, args) = (name.flatten(), args.flatten());
            if name.is_none() && args.is_none() {
                break;
            }
            m.parts.push(Part::ToolCall {
                name: name.unwrap_or_default().to_string(),
                arguments: args.unwrap_or_default().to_string(),
            });
        }
        if role.is_none() && m.parts.is_empty() {
            break;
        }
        out.push(m);
    }
    (!out.is_empty()).then_some(out)
}

/// A decimal index below `limit` written as `format!("{i}")` writes it (no sign, no leading
/// zero), then a `.`: the index and what follows the dot.
fn index(s: &str, limit: usize) -> Option<(usize, &str)> {
    let dot = s.find('.')?;
    let digits = &s[..dot];
    if digits.is_empty()
        || !digits.bytes().all(|b| b.is_ascii_digit())
        || (digits.len() > 1 && digits.starts_with('0'))
        || digits.len() > 5
    {
        return None;
    }
    let i: usize = digits.parse().ok()?;
    (i < limit).then_some((i, &s[dot + 1..]))
}

/// A non-empty JSON array of texts (the inputs of an embeddings call), each counted on its own.
fn texts(v: &J, from: &'static str) -> Option<Found> {
    let J::Array(list) = v else { return None };
    if list.is_empty() || !list.iter().all(J::is_string) {
        return None;
    }
    Some(Found {
        messages: list
            .iter()
            .map(|t| Message::text("user", json_text(t)))
            .collect(),
        chat: false,
        from,
    })
}

fn chat(messages: Vec<Message>, from: &'static str) -> Found {
    Found {
        messages,
        chat: true,
        from,
    }
}

fn plain(text: String, role: &str, from: &'static str) -> Found {
    Found {
        messages: vec![Message::text(role, text)],
        chat: false,
        from,
    }
}

/// The input side: prompt messages, system instructions included.
pub fn input_messages(item: &Item<'_>) -> Option<Found> {
    let at = Attrs::new(item);
    let system = at
        .json("gen_ai.system_instructions")
        .and_then(|v| content_text(&v));
    let with_system = |mut ms: Vec<Message>| {
        if let Some(sys) = &system {
            ms.insert(0, Message::text("system", sys.clone()));
        }
        ms
    };
    if let Some(ms) = at.messages("gen_ai.input.messages") {
        return Some(chat(with_system(ms), "gen_ai.input.messages"));
    }
    if at.flattened("gen_ai.prompt.0.") {
        if let Some(ms) = flattened_messages(&at, "gen_ai.prompt.", "") {
            return Some(chat(ms, "gen_ai.prompt.N"));
        }
    }
    if at.flattened("llm.input_messages.0.") {
        if let Some(ms) = flattened_messages(&at, "llm.input_messages.", "message.") {
            return Some(chat(ms, "llm.input_messages"));
        }
    }
    if let Some(ms) = at.messages("ai.prompt.messages") {
        return Some(chat(ms, "ai.prompt.messages"));
    }
    if let Some(J::Object(p)) = at.json("ai.prompt") {
        let mut ms = Vec::new();
        if let Some(sys) = p.get("system").and_then(J::as_str) {
            ms.push(Message::text("system", sys));
        }
        if let Some(more) = p.get("messages").and_then(messages_from_json) {
            ms.extend(more);
        }
        if let Some(prompt) = p.get("prompt").and_then(content_text) {
            ms.push(Message::text("user", prompt));
        }
        if !ms.is_empty() {
            return Some(chat(ms, "ai.prompt"));
        }
    }
    for key in ["langfuse.observation.input", "gen_ai.prompt"] {
        if let Some(v) = at.json(key) {
            return Some(match messages_from_json(&v) {
                Some(ms) => chat(
                    with_system(ms),
                    if key == "gen_ai.prompt" {
                        "gen_ai.prompt"
                    } else {
                        "langfuse.observation.input"
                    },
                ),
                None => plain(
                    json_text(&v),
                    "user",
                    if key == "gen_ai.prompt" {
                        "gen_ai.prompt"
                    } else {
                        "langfuse.observation.input"
                    },
                ),
            });
        }
    }
    // Logfire's OpenAI Agents SDK spans: the chat messages sent, as `input`
    if let Some(ms) = at.logfire("input").as_ref().and_then(messages_from_json) {
        return Some(chat(ms, "input"));
    }
    // PydanticAI's Embedder: the texts embedded, a JSON array (`inputs`), each counted; read
    // only on an embeddings span, since other instrumentations may use the plain name
    if at.str("gen_ai.operation.name") == Some("embeddings") {
        if let Some(found) = at.json("inputs").as_ref().and_then(|v| texts(v, "inputs")) {
            return Some(found);
        }
    }
    // MLflow's autolog: the request as `mlflow.spanInputs` (chat `messages`, embeddings
    // `input`, a text or a list of texts each counted)
    if let Some(v) = at.json("mlflow.spanInputs") {
        if let Some(ms) = v.get("messages").and_then(messages_from_json) {
            return Some(chat(ms, "mlflow.spanInputs"));
        }
        match v.get("input") {
            Some(J::String(t)) => return Some(plain(t.clone(), "user", "mlflow.spanInputs")),
            Some(list) => {
                if let Some(found) = texts(list, "mlflow.spanInputs") {
                    return Some(found);
                }
            }
            None => {}
        }
    }
    if let Some(v) = at.json("input.value") {
        if let Some(ms) = messages_from_json(&v) {
            return Some(chat(ms, "input.value"));
        }
        // embeddings / completions request bodies (OpenAI's `input` / `prompt`, LlamaIndex's
        // `query` / `text` / `texts`), or plain text; a list of texts is each counted
        let body = ["input", "prompt", "query", "text", "texts"]
            .iter()
            .find_map(|k| v.get(k));
        if let Some(found) = body.and_then(|b| texts(b, "input.value")) {
            return Some(found);
        }
        return Some(plain(json_text(body.unwrap_or(&v)), "user", "input.value"));
    }
    for ev in &item.events {
        if ev.name == "gen_ai.content.prompt" {
            if let Some(v) = ev
                .attrs
                .iter()
                .find(|(k, _)| k == "gen_ai.prompt")
                .and_then(|(_, v)| to_json(v))
            {
                return Some(match messages_from_json(&v) {
                    Some(ms) => chat(ms, "gen_ai.content.prompt"),
                    None => plain(json_text(&v), "user", "gen_ai.content.prompt"),
                });
            }
        }
    }
    system.map(|s| {
        chat(
            vec![Message::text("system", s)],
            "gen_ai.system_instructions",
        )
    })
}

/// The output side: what the model returned.
pub fn output_messages(item: &Item<'_>) -> Option<Found> {
    let at = Attrs::new(item);
    if let Some(ms) = at
        .json("gen_ai.output.messages")
        .as_ref()
        .and_then(messages_from_json)
    {
        return Some(chat(ms, "gen_ai.output.messages"));
    }
    if at.flattened("gen_ai.completion.0.") {
        if let Some(ms) = flattened_messages(&at, "gen_ai.completion.", "") {
            return Some(chat(ms, "gen_ai.completion.N"));
        }
    }
    if at.flattened("llm.output_messages.0.") {
        if let Some(ms) = flattened_messages(&at, "llm.output_messages.", "message.") {
            return Some(chat(ms, "llm.output_messages"));
        }
    }
    let text = at.str("ai.response.text");
    let calls = at.json("ai.response.toolCalls");
    if text.is_some() || calls.is_some() {
        let mut m = Message::text("assistant", text.unwrap_or_default());
        if let Some(J::Array(cs)) = calls {
            for c in cs {
                m.parts.push(Part::ToolCall {
                    name: s(c.get("toolName")).unwrap_or_default(),
                    arguments: c
                        .get("input")
                        .or_else(|| c.get("args"))
                        .map(json_text)
                        .unwrap_or_default(),
                });
            }
        }
        return Some(chat(vec![m], "ai.response"));
    }
    for key in ["langfuse.observation.output", "gen_ai.completion"] {
        if let Some(v) = at.json(key) {
            let from = if key == "gen_ai.completion" {
                "gen_ai.completion"
            } else {
                "langfuse.observation.output"
            };
            return Some(match messages_from_json(&v) {
                Some(ms) => chat(ms, from),
                None => plain(json_text(&v), "assistant", from),
            });
        }
    }
    // Logfire's OpenAI Agents SDK spans: the messages returned, as `output` (a streamed call's
    // as the Responses-shaped objects the SDK builds from the stream: `[{"output": [...]}]`)
    if let Some(v) = at.logfire("output") {
        if let Some(ms) = responses_output(&v).or_else(|| messages_from_json(&v)) {
            return Some(chat(ms, "output"));
        }
    }
    // MLflow's autolog: the response object as `mlflow.spanOutputs` (an OpenAI chat completion,
    // also for a stream, which MLflow puts together; or a Responses API response)
    if let Some(v) = at.json("mlflow.spanOutputs") {
        let ms = responses_output(&v).or_else(|| {
            let ms: Vec<Message> = v
                .get("choices")?
                .as_array()?
                .iter()
                .filter_map(|c| c.get("message"))
                .filter_map(message_from_json)
                .collect();
            (!ms.is_empty()).then_some(ms)
        });
        if let Some(ms) = ms {
            return Some(chat(ms, "mlflow.spanOutputs"));
        }
    }
    if let Some(v) = at.json("output.value") {
        if let Some(ms) = responses_output(&v) {
            return Some(chat(ms, "output.value"));
        }
        // an OpenAI response body: choices[].message
        if let Some(choices) = v.get("choices").and_then(J::as_array) {
            let ms: Vec<Message> = choices
                .iter()
                .filter_map(|c| c.get("message"))
                .filter_map(message_from_json)
                .collect();
            if !ms.is_empty() {
                return Some(chat(ms, "output.value"));
            }
        }
        return Some(plain(json_text(&v), "assistant", "output.value"));
    }
    for ev in &item.events {
        if ev.name == "gen_ai.content.completion" {
            if let Some(v) = ev
                .attrs
                .iter()
                .find(|(k, _)| k == "gen_ai.completion")
                .and_then(|(_, v)| to_json(v))
            {
                return Some(match messages_from_json(&v) {
                    Some(ms) => chat(ms, "gen_ai.content.completion"),
                    None => plain(json_text(&v), "assistant", "gen_ai.content.completion"),
                });
            }
        }
    }
    None
}

/// Tool definitions sent with the request, as JSON texts.
pub fn tool_definitions(item: &Item<'_>) -> Vec<String> {
    let at = Attrs::new(item);
    let mut out = Vec::new();
    for key in ["gen_ai.tool.definitions", "ai.prompt.tools", "llm.tools"] {
        match at.json(key) {
            Some(J::Array(a)) => out.extend(a.iter().map(json_text)),
            Some(v) => out.push(json_text(&v)),
            None => {}
        }
    }
    for (k, v) in &item.attrs {
        if k.starts_with("llm.tools.") && k.ends_with(".tool.json_schema") {
            if let Some(s) = v.as_str() {
                out.push(s.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
/// The first version of [`flattened_messages`] (a formatted key per field, looked up one by
/// one): the reference its property test compares with.
fn flattened_messages_reference(
    at: &Attrs<'_, '_>,
    prefix: &str,
    msg: &str,
) -> Option<Vec<Message>> {
    let mut out = Vec::new();
    for i in 0..10_000usize {
        let base = format!("{prefix}{i}.{msg}");
        let role = at.str(&format!("{base}role"));
        let content = at.str(&format!("{base}content"));
        let mut m = Message {
            role: role.unwrap_or("user").to_string(),
            name: at.str(&format!("{base}name")).map(str::to_string),
            tool_call_id: at.str(&format!("{base}tool_call_id")).map(str::to_string),
            parts: Vec::new(),
        };
        if let Some(c) = content {
            m.parts.push(Part::Text(c.to_string()));
        } else {
            // OpenInference multi-part contents
            for j in 0..1000usize {
                let key = format!("{base}contents.{j}.message_content.text");
                match at.str(&key) {
                    Some(t) => m.parts.push(Part::Text(t.to_string())),
                    None => break,
                }
            }
        }
        for j in 0..1000usize {
            let (name_key, args_key) = if msg.is_empty() {
                (
                    format!("{base}tool_calls.{j}.name"),
                    format!("{base}tool_calls.{j}.arguments"),
                )
            } else {
                (
                    format!("{base}tool_calls.{j}.tool_call.function.name"),
                    format!("{base}tool_calls.{j}.tool_call.function.arguments"),
                )
            };
            let name = at.str(&name_key);
            let args = at.str(&args_key);
            if name.is_none() && args.is_none() {
                break;
            }
            m.parts.push(Part::ToolCall {
                name: name.unwrap_or_default().to_string(),
                arguments: args.unwrap_or_default().to_string(),
            });
        }
        if role.is_none() && m.parts.is_empty() {
            break;
        }
        out.push(m);
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod flattened_tests {
    use super::*;
    use llmo_schema::view::ItemKind;
    use proptest::prelude::*;
    use std::borrow::Cow;

    fn key() -> impl Strategy<Value = String> {
        let prefix =
            prop::sample::select(vec!["gen_ai.prompt.", "llm.input_messages.", "gen_ai.x."]);
        let index = prop::sample::select(vec!["0", "1", "2", "3", "01", "x", "", "12"]);
        let msg = prop::sample::select(vec!["", "message.", "msg."]);
        let j = prop::sample::select(vec!["0", "1", "2", "00", ""]);
        let field = (
            prop::sample::select(vec![0usize, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
            j,
        )
            .prop_map(|(f, j)| match f {
                0 => "role".to_string(),
                1 => "content".to_string(),
                2 => "name".to_string(),
                3 => "tool_call_id".to_string(),
                4 => format!("contents.{j}.message_content.text"),
                5 => format!("tool_calls.{j}.name"),
                6 => format!("tool_calls.{j}.arguments"),
                7 => format!("tool_calls.{j}.tool_call.function.name"),
                8 => format!("tool_calls.{j}.tool_call.function.arguments"),
                _ => "role.extra".to_string(),
            });
        (prefix, index, msg, field).prop_map(|(p, i, m, f)| format!("{p}{i}.{m}{f}"))
    }

    fn value() -> impl Strategy<Value = Value<'static>> {
        prop_oneof![
            prop::sample::select(vec!["user", "assistant", "", "hello there", "get_weather"])
                .prop_map(Value::Str),
            Just(Value::Int(7)),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// The one-pass reading of flattened messages finds what the first version, a lookup
        /// per formatted key, found: gaps, duplicates, empty strings, values of other types,
        /// indexes with leading zeros and keys of other prefixes included.
        #[test]
        fn one_pass_equals_the_lookups(attrs in prop::collection::vec((key(), value()), 0..40)) {
            let item = Item {
                kind: ItemKind::Span,
                index: 0,
                time_unix_nano: 0,
                name: Cow::Borrowed("chat"),
                attrs: attrs.into_iter().map(|(k, v)| (Cow::Owned(k), v)).collect(),
                events: Vec::new(),
                body: Value::Empty,
                fields: Vec::new(),
                links: Vec::new(),
            };
            let at = Attrs::new(&item);
            for (prefix, msg) in [("gen_ai.prompt.", ""), ("llm.input_messages.", "message.")] {
                prop_assert_eq!(
                    flattened_messages(&at, prefix, msg),
                    flattened_messages_reference(&at, prefix, msg)
                );
            }
        }
    }
}

#[cfg(test)]
mod part_tests {
    use super::*;

    /// Each part of a content array is a part of its own, an image an empty one; the whole
    /// content's text joins the text parts.
    #[test]
    fn content_parts_and_text() {
        let v: J = serde_json::json!([
            {"type": "text", "text": "a"},
            {"type": "image_url", "image_url": {"url": "https://x"}},
            "s",
            {"type": "input_text", "text": "b"},
            {"content": "c"},
            7
        ]);
        assert_eq!(content_parts(&v), ["a", "", "s", "b", "c", ""]);
        assert_eq!(content_text(&v).as_deref(), Some("asbc"));
        assert_eq!(content_parts(&J::Null), Vec::<String>::new());
        assert_eq!(content_parts(&serde_json::json!("x")), ["x"]);
        assert_eq!(content_parts(&serde_json::json!(3)), ["3"]);
    }
}

#[cfg(test)]
mod typed_tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn leaf() -> impl Strategy<Value = J> {
        prop_oneof![
            4 => prop::sample::select(vec!["hi", "", " padded ", "The capital of France is Paris.", "a\nb", "é 漢"])
                .prop_map(|s| J::String(s.to_string())),
            1 => Just(J::Null),
            1 => Just(json!(3)),
            1 => Just(json!({"city": "Paris"})),
            1 => Just(json!(["x", {"type": "text", "text": "y"}])),
        ]
    }

    /// Mostly a string, which the typed path reads; now and then what makes it step aside.
    fn text_field() -> impl Strategy<Value = J> {
        prop_oneof![
            8 => prop::sample::select(vec!["get_weather", "", " x "]).prop_map(|s| J::String(s.to_string())),
            1 => Just(J::Null),
            1 => Just(json!(2)),
        ]
    }

    fn part() -> impl Strategy<Value = J> {
        (
            prop::option::of(prop_oneof![
                9 => prop::sample::select(vec!["text", "tool_call", "tool_call_response", "image"])
                    .prop_map(|s| J::String(s.to_string())),
                1 => Just(json!(7)),
            ]),
            prop::option::of(text_field()),
            prop::option::of(leaf()),
            prop::option::of(leaf()),
            prop::option::of(leaf()),
        )
            .prop_map(|(t, name, args, resp, content)| {
                let mut o = serde_json::Map::new();
                for (k, v) in [
                    ("type", t),
                    ("name", name),
                    ("arguments", args),
                    ("response", resp),
                    ("content", content),
                ] {
                    if let Some(v) = v {
                        o.insert(k.to_string(), v);
                    }
                }
                J::Object(o)
            })
    }

    fn message() -> impl Strategy<Value = J> {
        (
            prop::option::of(prop_oneof![
                9 => prop::sample::select(vec!["user", "assistant", "tool"]).prop_map(|s| J::String(s.to_string())),
                1 => Just(json!(null)),
                1 => Just(json!(1)),
            ]),
            prop::option::of(text_field()),
            prop::option::of(text_field()),
            prop::option::of(prop_oneof![
                8 => prop::collection::vec(part(), 0..3).prop_map(J::Array),
                1 => Just(J::Null),
                1 => Just(json!({"type": "text"})),
            ]),
            prop::option::of(leaf()),
            prop::option::of(prop_oneof![
                Just(json!([{"function": {"name": "get_weather", "arguments": "{\"location\":\"Paris\"}"}}])),
                Just(json!([{"toolName": "t", "input": {"a": 1}}, 5])),
                Just(json!(null)),
                Just(json!({"not": "a list"})),
            ]),
            any::<bool>(),
        )
            .prop_map(|(role, name, id, parts, content, calls, camel)| {
                let mut o = serde_json::Map::new();
                for (k, v) in [("role", role), ("name", name), ("tool_call_id", id), ("parts", parts), ("content", content)] {
                    if let Some(v) = v {
                        o.insert(k.to_string(), v);
                    }
                }
                if let Some(c) = calls {
                    o.insert(if camel { "toolCalls" } else { "tool_calls" }.to_string(), c);
                }
                J::Object(o)
            })
    }

    thread_local!(static TYPED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) });

    /// The generator reaches the typed path often enough to test it.
    #[test]
    fn the_typed_path_is_exercised() {
        TYPED.with(|n| n.set(0));
        typed_equals_general();
        let n = TYPED.with(|n| n.get());
        assert!(n > 500, "only {n} of 3000 cases read typed");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Wherever the typed reading answers, it answers what the general one does; and through
        /// [`Attrs::messages`] every text reads as the general path reads it.
        #[test]
        fn typed_equals_general(
            ms in prop::collection::vec(prop_oneof![19 => message(), 1 => leaf()], 0..4),
            pretty in any::<bool>(),
        ) {
            let v = J::Array(ms);
            let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { v.to_string() };
            let general = messages_from_json(&v);
            if let Some(typed) = messages_from_text(&text) {
                TYPED.with(|n| n.set(n.get() + 1));
                prop_assert_eq!(Some(typed), general.clone());
            }
            let item = llmo_schema::view::Item {
                kind: llmo_schema::view::ItemKind::Span,
                index: 0,
                time_unix_nano: 0,
                name: "chat".into(),
                attrs: vec![("gen_ai.input.messages".into(), Value::Str(&text))],
                events: Vec::new(),
                body: Value::Empty,
                fields: Vec::new(),
                links: Vec::new(),
            };
            prop_assert_eq!(Attrs::new(&item).messages("gen_ai.input.messages"), general);
        }
    }

    /// The common shapes take the typed path (not only the fallback).
    #[test]
    fn common_shapes_are_read_typed() {
        for text in [
            r#"[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"What is the capital of France?"}]"#,
            r#"[{"role":"user","parts":[{"type":"text","content":"hi"}]},{"role":"assistant","parts":[{"type":"tool_call","name":"get_weather","arguments":{"location":"Paris"}}]}]"#,
            r#"[{"role":"user","content":[{"type":"text","text":"hi"}]},{"role":"assistant","content":null,"tool_calls":[{"function":{"name":"f","arguments":"{}"}}]}]"#,
        ] {
            let typed = messages_from_text(text).expect(text);
            let general: J = serde_json::from_str(text).unwrap();
            assert_eq!(Some(typed), messages_from_json(&general), "{text}");
        }
    }
}
