//! Which tokenizer counts which model. The one table of it.

/// An OpenAI BPE encoding we carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// gpt-4o, gpt-4.1, gpt-4.5, gpt-5, o1, o3, o4 families.
    O200kBase,
    /// gpt-4, gpt-3.5-turbo, text-embedding-3-*, text-embedding-ada-002.
    Cl100kBase,
}

impl Encoding {
    /// The name recorded in `llm_observatory.usage.tokenizer`.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::O200kBase => "o200k_base",
            Encoding::Cl100kBase => "cl100k_base",
        }
    }

    /// Parses a config value.
    pub fn from_name(s: &str) -> Option<Self> {
        match s {
            "o200k_base" => Some(Encoding::O200kBase),
            "cl100k_base" => Some(Encoding::Cl100kBase),
            _ => None,
        }
    }
}

/// How a model's tokens are counted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    /// The encoding used.
    pub encoding: Encoding,
    /// True when the encoding is the model's own (the count is exact).
    pub exact: bool,
    /// Multiplier applied to an estimate (1.0 for exact counts).
    pub calibration: f64,
    /// The family the estimate is calibrated for (for the record).
    pub family: &'static str,
}

const fn exact(encoding: Encoding) -> Plan {
    Plan {
        encoding,
        exact: true,
        calibration: 1.0,
        family: "openai",
    }
}

/// Non-OpenAI families: the closest OpenAI encoding and a calibration factor.
///
/// A factor is the ratio of the family's own token count to the chosen encoding's count on
/// this repository's reference corpus, where the family's tokenizer is public
/// (`tests/data/calibration.py` computes it): claude = 1.011 from Anthropic's public legacy
/// tokenizer (62,030 vs 61,350 cl100k tokens over 195 entries; Claude 3+ tokenizers are not
/// public). Where no tokenizer is public here, 1.0. Every such count is marked `estimated`.
const ESTIMATES: &[(&str, Encoding, f64, &str)] = &[
    ("claude", Encoding::Cl100kBase, 1.011, "claude"),
    ("gemini", Encoding::O200kBase, 1.0, "gemini"),
    ("gemma", Encoding::O200kBase, 1.0, "gemma"),
    ("llama", Encoding::O200kBase, 1.0, "llama"),
    ("meta-llama/", Encoding::O200kBase, 1.0, "llama"),
    ("mistral", Encoding::O200kBase, 1.0, "mistral"),
    ("mixtral", Encoding::O200kBase, 1.0, "mistral"),
    ("codestral", Encoding::O200kBase, 1.0, "mistral"),
    ("command", Encoding::O200kBase, 1.0, "cohere"),
    ("deepseek", Encoding::O200kBase, 1.0, "deepseek"),
    ("qwen", Encoding::O200kBase, 1.0, "qwen"),
    ("grok", Encoding::O200kBase, 1.0, "grok"),
];

/// The plan for a canonical (lower-case, prefix-free) model id.
pub fn plan_for(model: &str) -> Plan {
    let m = model;
    let word = |p: &str| llmo_genai::model::is_model_word(m, p);
    // OpenAI: o200k for the 4o generation and later, cl100k for gpt-4 / 3.5 / embeddings.
    if m.starts_with("gpt-4o")
        || m.starts_with("gpt-4.1")
        || m.starts_with("gpt-4.5")
        || m.starts_with("gpt-5")
        || m.starts_with("chatgpt-4o")
        || m.starts_with("gpt-oss")
        || word("o1")
        || word("o3")
        || word("o4")
        || m.starts_with("o1-")
        || m.starts_with("o3-")
        || m.starts_with("o4-")
        || m.starts_with("codex-")
    {
        return exact(Encoding::O200kBase);
    }
    if m.starts_with("gpt-4")
        || m.starts_with("gpt-3.5")
        || m.starts_with("gpt-35")
        || m.starts_with("text-embedding-")
    {
        return exact(Encoding::Cl100kBase);
    }
    for (prefix, encoding, calibration, family) in ESTIMATES {
        if m.starts_with(prefix) || m.contains(&format!("/{prefix}")) {
            return Plan {
                encoding: *encoding,
                exact: false,
                calibration: *calibration,
                family,
            };
        }
    }
    Plan {
        encoding: Encoding::O200kBase,
        exact: false,
        calibration: 1.0,
        family: "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openai_models_are_exact() {
        for m in [
            "gpt-4o",
            "gpt-4o-mini-2024-07-18",
            "gpt-4.1-nano",
            "gpt-5",
            "o1",
            "o3-mini",
            "o4-mini-2025-04-16",
            "chatgpt-4o-latest",
        ] {
            assert_eq!(plan_for(m), exact(Encoding::O200kBase), "{m}");
        }
        for m in [
            "gpt-4",
            "gpt-4-0613",
            "gpt-4-turbo-2024-04-09",
            "gpt-3.5-turbo-0125",
            "text-embedding-3-small",
            "text-embedding-ada-002",
        ] {
            assert_eq!(plan_for(m), exact(Encoding::Cl100kBase), "{m}");
        }
    }

    #[test]
    fn others_are_estimates() {
        let p = plan_for("claude-3-5-sonnet-20241022");
        assert!(!p.exact);
        assert_eq!(p.family, "claude");
        assert!(!plan_for("llama-3.1-70b-instruct").exact);
        assert!(!plan_for("o3x-custom").exact, "not an o3 model");
        assert_eq!(plan_for("my-own-model").family, "unknown");
    }
}
