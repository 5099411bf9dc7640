//! Provider names, canonical model ids and families, provider inference.

/// Maps the many spellings instrumentations use for a provider to the semconv well-known
/// value (`gen_ai.provider.name`). Unknown names are lower-cased and kept, never invented.
pub fn normalize_provider(raw: &str) -> String {
    let lower = raw.trim().to_ascii_lowercase();
    // Vercel AI SDK writes "<provider>.<api>" (openai.chat, anthropic.messages,
    // google.vertex.chat, google.generative-ai); a few semconv values contain dots too.
    if let Some(known) = provider_alias(&lower) {
        return known.to_string();
    }
    if lower.starts_with("google.vertex") {
        return "gcp.vertex_ai".into();
    }
    if let Some((head, _)) = lower.split_once('.') {
        if let Some(known) = provider_alias(head) {
            return known.to_string();
        }
    }
    lower
}

fn provider_alias(s: &str) -> Option<&'static str> {
    Some(match s {
        "openai" => "openai",
        "anthropic" => "anthropic",
        "azure" | "azure_openai" | "azure-openai" | "az.ai.openai" | "azure.openai"
        | "azure openai" | "azure.ai.openai" => "azure.ai.openai",
        "az.ai.inference" | "azure.ai.inference" | "azure_ai" | "azure-ai" => "azure.ai.inference",
        "aws.bedrock" | "bedrock" | "aws" | "amazon-bedrock" | "amazon_bedrock" | "aws_bedrock"
        | "bedrock_converse" => "aws.bedrock",
        "vertex_ai" | "vertexai" | "gcp.vertex_ai" | "vertex" | "google-vertex"
        | "vertex_ai_beta" => "gcp.vertex_ai",
        "gemini"
        | "gcp.gemini"
        | "google.generative-ai"
        | "google_genai"
        | "google-genai"
        | "google_ai_studio"
        | "google-generative-ai" => "gcp.gemini",
        "google" | "gcp.gen_ai" => "gcp.gen_ai",
        "cohere" | "cohere_chat" => "cohere",
        "mistral" | "mistralai" | "mistral_ai" => "mistral_ai",
        "groq" => "groq",
        "deepseek" => "deepseek",
        "xai" | "x_ai" | "x.ai" => "x_ai",
        "perplexity" | "perplexityai" => "perplexity",
        "ibm.watsonx.ai" | "watsonx" | "ibm" => "ibm.watsonx.ai",
        "ollama" => "ollama",
        "together" | "togetherai" | "together_ai" => "together_ai",
        "fireworks" | "fireworks_ai" | "fireworksai" => "fireworks_ai",
        "openrouter" => "openrouter",
        "huggingface" | "hugging_face" => "huggingface",
        // PydanticAI's provider ids, Agno's display names
        "google-gla" => "gcp.gemini",
        "google-cloud" | "google-vertex-ai" => "gcp.vertex_ai",
        "bedrock-mantle" | "awsbedrock" => "aws.bedrock",
        "azurefoundry" | "azure-foundry" => "azure.ai.inference",
        "googleai" => "gcp.gemini",
        _ => return None,
    })
}

/// True for a `gen_ai.provider.name` / `gen_ai.system` value that names a framework or says
/// nothing, not a provider (`langgraph` on OpenLLMetry's LangChain spans, `strands-agents`,
/// `gcp.vertex.agent` on ADK's agent-level call spans, `unknown`): treated as absent, so the
/// provider is inferred from the host or the model.
pub fn not_a_provider(raw: &str) -> bool {
    matches!(
        raw.trim().to_ascii_lowercase().as_str(),
        "" | "unknown"
            | "langchain"
            | "langgraph"
            | "crewai"
            | "agno"
            | "llama_index"
            | "llamaindex"
            | "haystack"
            | "strands-agents"
            | "strands"
            | "gcp.vertex.agent"
            | "pydantic_ai"
            | "autogen"
            | "semantic_kernel"
    )
}

/// Provider from a host name (`server.address`).
pub fn provider_from_host(host: &str) -> Option<&'static str> {
    let h = host.trim().trim_end_matches('.').to_ascii_lowercase();
    let h = h.as_str();
    let ends = |suffix: &str| {
        h == suffix
            || (h.len() > suffix.len()
                && h.ends_with(suffix)
                && h.as_bytes()[h.len() - suffix.len() - 1] == b'.')
    };
    Some(
        if ends("openai.azure.com") || ends("cognitiveservices.azure.com") {
            "azure.ai.openai"
        } else if ends("services.ai.azure.com")
            || ends("models.ai.azure.com")
            || ends("inference.ai.azure.com")
        {
            "azure.ai.inference"
        } else if ends("api.openai.com") {
            "openai"
        } else if ends("api.anthropic.com") {
            "anthropic"
        } else if h.starts_with("bedrock-runtime") && h.ends_with("amazonaws.com") {
            "aws.bedrock"
        } else if h.ends_with("aiplatform.googleapis.com") {
            "gcp.vertex_ai"
        } else if ends("generativelanguage.googleapis.com") {
            "gcp.gemini"
        } else if ends("api.mistral.ai") {
            "mistral_ai"
        } else if ends("api.groq.com") {
            "groq"
        } else if ends("api.deepseek.com") {
            "deepseek"
        } else if ends("api.x.ai") {
            "x_ai"
        } else if ends("api.cohere.com") || ends("api.cohere.ai") {
            "cohere"
        } else if ends("api.perplexity.ai") {
            "perplexity"
        } else if ends("api.together.xyz") || ends("api.together.ai") {
            "together_ai"
        } else if ends("api.fireworks.ai") {
            "fireworks_ai"
        } else if ends("openrouter.ai") {
            "openrouter"
        } else {
            return None;
        },
    )
}

/// A model id taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelId {
    /// Canonical id: lower case, without provider/region prefixes, deployment paths or
    /// version suffixes; the release date stays (`claude-3-5-sonnet-20241022`).
    pub canonical: String,
    /// The canonical id without date or version (`claude-3-5-sonnet`).
    pub family: String,
    /// A provider implied by the id's form (`bedrock/...`, a Bedrock id, a Vertex path).
    pub provider_hint: Option<&'static str>,
}

const BEDROCK_REGIONS: &[&str] = &["us", "eu", "apac", "us-gov", "global", "jp", "au", "ca"];
const BEDROCK_VENDORS: &[&str] = &[
    "anthropic",
    "amazon",
    "meta",
    "cohere",
    "mistral",
    "ai21",
    "deepseek",
    "openai",
    "qwen",
    "writer",
    "stability",
    "twelvelabs",
    "luma",
];

thread_local! {
    // Model ids repeat from batch to batch; parsing them is most of an item's work otherwise.
    // Per thread, so there is no lock; bounded, so odd ids cannot grow it without limit.
    static PARSED: std::cell::RefCell<std::collections::HashMap<Box<str>, std::rc::Rc<ModelId>, crate::fx::FxBuild>> =
        Default::default();
}
const PARSED_MAX: usize = 4096;

/// [`parse_model`], memoized per thread.
pub fn parse_model_cached(raw: &str) -> std::rc::Rc<ModelId> {
    PARSED.with(|cache| {
        if let Some(m) = cache.borrow().get(raw) {
            return m.clone();
        }
        let m = std::rc::Rc::new(parse_model(raw));
        let mut c = cache.borrow_mut();
        if c.len() >= PARSED_MAX {
            c.clear();
        }
        c.insert(raw.into(), m.clone());
        m
    })
}

/// Parses a model id as instrumentations report it.
pub fn parse_model(raw: &str) -> ModelId {
    let mut s = raw.trim().to_ascii_lowercase();
    let mut hint: Option<&'static str> = None;

    // ARN: arn:aws:bedrock:region:acct:foundation-model/anthropic.claude-...
    if s.starts_with("arn:aws") {
        hint = Some("aws.bedrock");
        if let Some((_, tail)) = s.rsplit_once('/') {
            s = tail.to_string();
        }
    }
    // Vertex resource path: projects/p/locations/l/publishers/google/models/gemini-1.5-pro-002
    if let Some(pos) = s.find("publishers/") {
        hint = Some("gcp.vertex_ai");
        s = s[pos..].rsplit('/').next().unwrap_or_default().to_string();
    } else if let Some(rest) = s.strip_prefix("models/") {
        s = rest.to_string();
    }
    // Provider-qualified (LiteLLM style): openai/gpt-4o, bedrock/anthropic.claude..., azure/dep
    for _ in 0..2 {
        if let Some((head, tail)) = s.split_once('/') {
            if let Some(p) = provider_alias(head) {
                hint = hint.or(Some(p));
                s = tail.to_string();
                continue;
            }
        }
        break;
    }
    // Bedrock: [region.]vendor.model[-vN][:M]
    let parts: Vec<&str> = s.splitn(3, '.').collect();
    let (region, vendor_at) = if parts.len() == 3 && BEDROCK_REGIONS.contains(&parts[0]) {
        (true, 1)
    } else {
        (false, 0)
    };
    if parts.len() > vendor_at + 1 && BEDROCK_VENDORS.contains(&parts[vendor_at]) {
        // everything after "vendor."
        let prefix_len: usize = parts[..=vendor_at].iter().map(|p| p.len() + 1).sum();
        let rest = s[prefix_len..].to_string();
        // "meta.llama3" vs a dotted version like "gpt-4.1" : only take it when the id
        // looks like Bedrock (region prefix, or a :N / -vN suffix, or a known vendor+dash)
        if region || rest.contains(':') || rest.contains('-') {
            hint = Some("aws.bedrock");
            s = strip_bedrock_version(&rest);
        }
    } else if hint == Some("aws.bedrock") {
        s = strip_bedrock_version(&s);
    }
    // Vertex Anthropic: claude-3-5-sonnet-v2@20241022 -> claude-3-5-sonnet-20241022
    if let Some((name, date)) = s.split_once('@') {
        let name = strip_version_suffix(name);
        s = if date.is_empty() {
            name.to_string()
        } else {
            format!("{name}-{date}")
        };
    }
    let family = family_of(&s);
    ModelId {
        canonical: s,
        family,
        provider_hint: hint,
    }
}

fn strip_bedrock_version(s: &str) -> String {
    // anthropic.claude-3-5-sonnet-20241022-v2:0 -> claude-3-5-sonnet-20241022
    let s = match s.rsplit_once(':') {
        Some((head, tail)) if tail.bytes().all(|b| b.is_ascii_alphanumeric()) => head,
        _ => s,
    };
    strip_version_suffix(s).to_string()
}

/// Removes a trailing `-vN`.
fn strip_version_suffix(s: &str) -> &str {
    if let Some((head, tail)) = s.rsplit_once("-v") {
        if !tail.is_empty() && tail.bytes().all(|b| b.is_ascii_digit()) {
            return head;
        }
    }
    s
}

fn all_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// The family: the canonical id without trailing dates, snapshot numbers and `-latest`.
pub fn family_of(canonical: &str) -> String {
    let segs: Vec<&str> = canonical.split('-').collect();
    let mut end = segs.len();
    // keep at least one segment
    while end > 1 {
        let last = segs[end - 1];
        if last == "latest"
            || (last.len() >= 2 && last.starts_with('v') && all_digits(&last[1..], last.len() - 1))
        {
            end -= 1;
            continue;
        }
        // YYYY-MM-DD
        if end >= 4
            && all_digits(segs[end - 3], 4)
            && all_digits(segs[end - 2], 2)
            && all_digits(last, 2)
        {
            end -= 3;
            continue;
        }
        // MM-YYYY (command-r-08-2024)
        if end >= 3 && all_digits(segs[end - 2], 2) && all_digits(last, 4) {
            end -= 2;
            continue;
        }
        // YYYYMMDD, MMDD / YYMM snapshots, NNN snapshot numbers (gemini-1.5-pro-002)
        if all_digits(last, 8) || all_digits(last, 4) || all_digits(last, 3) {
            end -= 1;
            continue;
        }
        break;
    }
    // gpt-4-1106-preview -> gpt-4-preview: a snapshot number before "preview"
    let mut kept: Vec<&str> = segs[..end].to_vec();
    if kept.len() >= 3 && kept[kept.len() - 1] == "preview" && all_digits(kept[kept.len() - 2], 4) {
        kept.remove(kept.len() - 2);
    }
    kept.join("-")
}

/// True when `model` is `word` or starts with `word-` (`o3`, `o3-mini`, but not `o3x`).
pub fn is_model_word(model: &str, word: &str) -> bool {
    model == word
        || (model.len() > word.len()
            && model.starts_with(word)
            && model.as_bytes()[word.len()] == b'-')
}

/// Provider implied by a model's name alone.
pub fn provider_from_model(canonical: &str) -> Option<&'static str> {
    let m = canonical;
    let word = |p: &str| is_model_word(m, p);
    Some(
        if m.starts_with("gpt-")
            || word("o1")
            || word("o3")
            || word("o4")
            || m.starts_with("chatgpt-")
            || m.starts_with("text-embedding-")
            || m.starts_with("davinci")
            || m.starts_with("babbage")
            || m.starts_with("whisper")
            || m.starts_with("tts-")
            || m.starts_with("dall-e")
            || m.starts_with("omni-moderation")
            || m.starts_with("text-moderation")
            || m.starts_with("codex-")
            || m.starts_with("computer-use-")
        {
            "openai"
        } else if m.starts_with("claude") {
            "anthropic"
        } else if m.starts_with("gemini")
            || m.starts_with("text-bison")
            || m.starts_with("chat-bison")
        {
            "gcp.gemini"
        } else if [
            "mistral",
            "mixtral",
            "codestral",
            "ministral",
            "pixtral",
            "magistral",
            "devstral",
            "open-mistral",
            "open-mixtral",
        ]
        .iter()
        .any(|p| m.starts_with(p))
        {
            "mistral_ai"
        } else if m.starts_with("command")
            || m.starts_with("embed-english")
            || m.starts_with("embed-multilingual")
        {
            "cohere"
        } else if m.starts_with("deepseek") {
            "deepseek"
        } else if m.starts_with("grok") {
            "x_ai"
        } else if m.starts_with("sonar") {
            "perplexity"
        } else {
            return None;
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_and_family() {
        let cases = [
            ("gpt-4o-2024-08-06", "gpt-4o-2024-08-06", "gpt-4o", None),
            ("GPT-4o-Mini", "gpt-4o-mini", "gpt-4o-mini", None),
            ("openai/gpt-4o", "gpt-4o", "gpt-4o", Some("openai")),
            ("gpt-3.5-turbo-0125", "gpt-3.5-turbo-0125", "gpt-3.5-turbo", None),
            ("gpt-4-1106-preview", "gpt-4-1106-preview", "gpt-4-preview", None),
            ("o1-2024-12-17", "o1-2024-12-17", "o1", None),
            ("gpt-4.1-nano", "gpt-4.1-nano", "gpt-4.1-nano", None),
            ("claude-3-5-sonnet-20241022", "claude-3-5-sonnet-20241022", "claude-3-5-sonnet", None),
            ("claude-sonnet-4-20250514", "claude-sonnet-4-20250514", "claude-sonnet-4", None),
            ("claude-3-5-haiku-latest", "claude-3-5-haiku-latest", "claude-3-5-haiku", None),
            (
                "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
                "claude-3-5-sonnet-20241022",
                "claude-3-5-sonnet",
                Some("aws.bedrock"),
            ),
            (
                "anthropic.claude-3-haiku-20240307-v1:0",
                "claude-3-haiku-20240307",
                "claude-3-haiku",
                Some("aws.bedrock"),
            ),
            (
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.anthropic.claude-3-7-sonnet-20250219-v1:0",
                "claude-3-7-sonnet-20250219",
                "claude-3-7-sonnet",
                Some("aws.bedrock"),
            ),
            ("meta.llama3-1-70b-instruct-v1:0", "llama3-1-70b-instruct", "llama3-1-70b-instruct", Some("aws.bedrock")),
            (
                "projects/p1/locations/us-central1/publishers/google/models/gemini-1.5-pro-002",
                "gemini-1.5-pro-002",
                "gemini-1.5-pro",
                Some("gcp.vertex_ai"),
            ),
            (
                "publishers/anthropic/models/claude-3-5-sonnet-v2@20241022",
                "claude-3-5-sonnet-20241022",
                "claude-3-5-sonnet",
                Some("gcp.vertex_ai"),
            ),
            ("models/gemini-2.0-flash-001", "gemini-2.0-flash-001", "gemini-2.0-flash", None),
            ("command-r-08-2024", "command-r-08-2024", "command-r", None),
            ("mistral-large-2411", "mistral-large-2411", "mistral-large", None),
            ("text-embedding-3-small", "text-embedding-3-small", "text-embedding-3-small", None),
            ("meta-llama/Llama-3.1-8B-Instruct", "meta-llama/llama-3.1-8b-instruct", "meta-llama/llama-3.1-8b-instruct", None),
        ];
        for (raw, canonical, family, hint) in cases {
            let m = parse_model(raw);
            assert_eq!(m.canonical, canonical, "{raw}");
            assert_eq!(m.family, family, "{raw}");
            assert_eq!(m.provider_hint, hint, "{raw}");
        }
    }

    #[test]
    fn providers() {
        for (raw, want) in [
            ("OpenAI", "openai"),
            ("Anthropic", "anthropic"),
            ("openai.chat", "openai"),
            ("openai.responses", "openai"),
            ("anthropic.messages", "anthropic"),
            ("google.vertex.chat", "gcp.vertex_ai"),
            ("google.generative-ai", "gcp.gemini"),
            ("amazon-bedrock", "aws.bedrock"),
            ("az.ai.inference", "azure.ai.inference"),
            ("mistralai", "mistral_ai"),
            ("aws.bedrock", "aws.bedrock"),
            ("some-new-llm", "some-new-llm"),
        ] {
            assert_eq!(normalize_provider(raw), want, "{raw}");
        }
        assert_eq!(
            provider_from_host("myres.openai.azure.com"),
            Some("azure.ai.openai")
        );
        assert_eq!(provider_from_host("api.openai.com"), Some("openai"));
        assert_eq!(
            provider_from_host("bedrock-runtime.us-east-1.amazonaws.com"),
            Some("aws.bedrock")
        );
        assert_eq!(
            provider_from_host("us-central1-aiplatform.googleapis.com"),
            Some("gcp.vertex_ai")
        );
        assert_eq!(provider_from_host("notapi.openai.com.evil.example"), None);
        assert_eq!(provider_from_model("gpt-4o"), Some("openai"));
        assert_eq!(provider_from_model("o3-mini"), Some("openai"));
        assert_eq!(provider_from_model("o3x"), None);
        assert_eq!(
            provider_from_model("claude-3-opus-20240229"),
            Some("anthropic")
        );
        assert_eq!(provider_from_model("llama-3.1-70b"), None);
    }
}
