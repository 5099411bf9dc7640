//! Token counts: plain text, chat messages with OpenAI's framing, tool definitions.
//!
//! Chat framing follows OpenAI's published rule (the "How to count tokens with tiktoken"
//! cookbook): 3 tokens per message plus its role, 1 more for a `name`, 3 to prime the reply;
//! tool calls count name + arguments + 1; tool definitions follow the cookbook's
//! function-calling formula. `tests/data/chat_reference.jsonl` holds the reference cases.

use serde_json::Value as J;

use crate::content::{Message, Part};
use crate::model_map::Encoding;

/// Something that counts tokens of text: an OpenAI encoding or a loaded tokenizer.json.
pub trait Counter {
    /// Tokens of ordinary text (special-token look-alikes are text).
    fn count(&self, s: &str) -> usize;
}

impl Counter for Encoding {
    fn count(&self, s: &str) -> usize {
        crate::fast_count::text(*self, s)
    }
}

/// Tokens of ordinary text counted by bpe-openai alone (its regex pre-tokenizer, then its
/// byte-pair count per piece): the reference [`text`] is tested against, slower.
pub fn reference_text(enc: Encoding, s: &str) -> usize {
    match enc {
        Encoding::O200kBase => bpe_openai::o200k_base().count(s),
        Encoding::Cl100kBase => bpe_openai::cl100k_base().count(s),
    }
}

/// Counts ordinary text (special-token look-alikes are text, as in `encode_ordinary`).
pub fn text(enc: &dyn Counter, s: &str) -> usize {
    if s.is_empty() {
        return 0;
    }
    enc.count(s)
}

const TOKENS_PER_MESSAGE: usize = 3;
const TOKENS_PER_NAME: usize = 1;
const REPLY_PRIMING: usize = 3;
const TOOL_CALL_OVERHEAD: usize = 1;

/// Tokens of the content of messages, without framing (what a completion costs).
pub fn content(enc: &dyn Counter, messages: &[Message]) -> usize {
    messages.iter().map(|m| parts(enc, m)).sum()
}

fn parts(enc: &dyn Counter, m: &Message) -> usize {
    m.parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => text(enc, t),
            Part::ToolCall { name, arguments } => {
                text(enc, name) + text(enc, arguments) + TOOL_CALL_OVERHEAD
            }
        })
        .sum()
}

/// Prompt tokens of a chat request, framing and reply priming included.
pub fn chat(enc: &dyn Counter, messages: &[Message]) -> usize {
    let mut n = REPLY_PRIMING;
    for m in messages {
        n += TOKENS_PER_MESSAGE + text(enc, &m.role) + parts(enc, m);
        if let Some(name) = &m.name {
            n += text(enc, name) + TOKENS_PER_NAME;
        }
        if let Some(id) = &m.tool_call_id {
            n += text(enc, id);
        }
    }
    n
}

/// Tokens for tool (function) definitions sent with a request, per the cookbook formula.
/// Accepts the OpenAI shape (`{type, function:{name, description, parameters}}`), the flat
/// semconv/Vercel shape (`{name, description, parameters|inputSchema}`), one object or an array.
pub fn tools(enc: Encoding, defs: &[J]) -> usize {
    let func_init = match enc {
        Encoding::O200kBase => 7,
        Encoding::Cl100kBase => 10,
    };
    const PROP_INIT: isize = 3;
    const PROP_KEY: isize = 3;
    const ENUM_INIT: isize = -3;
    const ENUM_ITEM: isize = 3;
    const FUNC_END: isize = 12;
    let trim = |s: &str| s.strip_suffix('.').unwrap_or(s).to_string();
    let mut n: isize = 0;
    let mut functions = 0;
    for def in defs {
        let f = def.get("function").unwrap_or(def);
        let Some(name) = f.get("name").and_then(J::as_str) else {
            continue;
        };
        functions += 1;
        n += func_init;
        let desc = f.get("description").and_then(J::as_str).unwrap_or("");
        n += text(&enc, &format!("{name}:{}", trim(desc))) as isize;
        let params = f
            .get("parameters")
            .or_else(|| f.get("inputSchema"))
            .or_else(|| f.get("input_schema"));
        let props = params
            .and_then(|p| p.get("properties"))
            .and_then(J::as_object);
        if let Some(props) = props.filter(|p| !p.is_empty()) {
            n += PROP_INIT;
            for (key, p) in props {
                n += PROP_KEY;
                if let Some(items) = p.get("enum").and_then(J::as_array) {
                    n += ENUM_INIT;
                    for item in items {
                        let s = match item {
                            J::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        n += ENUM_ITEM + text(&enc, &s) as isize;
                    }
                }
                let ty = p.get("type").and_then(J::as_str).unwrap_or("");
                let pdesc = p.get("description").and_then(J::as_str).unwrap_or("");
                n += text(&enc, &format!("{key}:{ty}:{}", trim(pdesc))) as isize;
            }
        }
    }
    if functions > 0 {
        n += FUNC_END;
    }
    n.max(0) as usize
}
