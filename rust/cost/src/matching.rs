//! Which catalog entry prices a model.
//!
//! Only exact keys are tried, most specific first: the id as reported, the id qualified with
//! the provider's catalog prefix, then the canonical id (provider/region prefixes, Bedrock
//! versions, Vertex paths removed) the same two ways. There is no prefix or fuzzy matching, so
//! `gpt-4o-mini` can never be priced as `gpt-4o`, nor an unknown model as its neighbour.

use crate::catalog::{Catalog, Entry};

/// Catalog key prefixes used for a semconv provider, most specific first.
fn prefixes(provider: Option<&str>) -> &'static [&'static str] {
    match provider.unwrap_or("") {
        "openai" => &["", "openai/"],
        "anthropic" => &["", "anthropic/"],
        "azure.ai.openai" => &["azure/", ""],
        "azure.ai.inference" => &["azure_ai/"],
        "aws.bedrock" => &["", "bedrock/", "bedrock/converse/"],
        "gcp.vertex_ai" => &["vertex_ai/", ""],
        "gcp.gemini" | "gcp.gen_ai" => &["gemini/", "vertex_ai/"],
        "mistral_ai" => &["mistral/"],
        "groq" => &["groq/"],
        "deepseek" => &["deepseek/"],
        "x_ai" => &["xai/"],
        "together_ai" => &["together_ai/"],
        "fireworks_ai" => &["fireworks_ai/", "fireworks_ai/accounts/fireworks/models/"],
        "cohere" => &["", "cohere/", "cohere_chat/"],
        "perplexity" => &["perplexity/"],
        "openrouter" => &["openrouter/"],
        _ => &[""],
    }
}

/// The entry that prices `model` served by `provider` (semconv name), if any.
pub fn find<'c>(cat: &'c Catalog, model: &str, provider: Option<&str>) -> Option<&'c Entry> {
    let raw = model.trim().to_ascii_lowercase();
    let canonical = llmo_genai::model::parse_model(&raw).canonical;
    // Bedrock ids without their region prefix (us./eu./apac./global.), as the catalog often
    // lists the base id only.
    // ARNs and resource paths: the last segment is the model id.
    let tail = raw
        .rsplit('/')
        .next()
        .filter(|t| *t != raw)
        .map(str::to_string);
    let unregion = |id: &str| {
        id.split_once('.')
            .filter(|(r, _)| ["us", "eu", "apac", "global", "jp", "au", "ca", "us-gov"].contains(r))
            .map(|(_, rest)| rest.to_string())
    };
    let tail_unregioned = tail.as_deref().and_then(unregion);
    let ids = [
        Some(raw.clone()),
        unregion(&raw),
        tail,
        tail_unregioned,
        Some(canonical),
    ];
    for id in ids.iter().flatten() {
        for p in prefixes(provider) {
            if let Some(e) = cat.entries.get(&format!("{p}{id}")) {
                return Some(e);
            }
        }
        if let Some(e) = cat.entries.get(id) {
            return Some(e);
        }
    }
    retired_claude(cat, &raw, provider)
}

/// A dated first-party Claude id the catalog no longer lists (LiteLLM drops retired models from
/// Anthropic's own section, e.g. `claude-3-5-sonnet-20241022`): the same dated snapshot as
/// Bedrock or Vertex list it, whose on-demand prices equal Anthropic's list prices. Only the
/// exact snapshot: an unknown date finds nothing.
fn retired_claude<'c>(cat: &'c Catalog, id: &str, provider: Option<&str>) -> Option<&'c Entry> {
    if !matches!(provider, None | Some("anthropic")) {
        return None;
    }
    let id = id.strip_prefix("anthropic/").unwrap_or(id);
    let (base, date) = id.rsplit_once('-')?;
    if !base.starts_with("claude-") || date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    ["-v1:0", "-v2:0"]
        .iter()
        .find_map(|v| cat.entries.get(&format!("anthropic.{id}{v}")))
        .or_else(|| cat.entries.get(&format!("vertex_ai/{base}@{date}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(model: &str, provider: Option<&str>) -> Option<String> {
        find(Catalog::embedded(), model, provider).map(|e| e.key.clone())
    }

    #[test]
    fn id_forms_resolve() {
        assert_eq!(key("gpt-4o", Some("openai")).as_deref(), Some("gpt-4o"));
        assert_eq!(key("GPT-4o", None).as_deref(), Some("gpt-4o"));
        assert_eq!(
            key("openai/gpt-4o", None).as_deref(),
            Some("gpt-4o"),
            "provider-qualified"
        );
        assert_eq!(
            key("gpt-4o-2024-08-06", Some("openai")).as_deref(),
            Some("gpt-4o-2024-08-06"),
            "dated"
        );
        assert_eq!(
            key("claude-sonnet-4-5-20250929", Some("anthropic")).as_deref(),
            Some("claude-sonnet-4-5-20250929")
        );
        assert_eq!(
            key(
                "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
                Some("aws.bedrock")
            )
            .as_deref(),
            Some("us.anthropic.claude-3-5-sonnet-20241022-v2:0")
        );
        assert_eq!(
            key(
                "apac.anthropic.claude-3-5-sonnet-20241022-v2:0",
                Some("aws.bedrock")
            )
            .as_deref(),
            Some("anthropic.claude-3-5-sonnet-20241022-v2:0"),
            "region prefix the catalog does not list"
        );
        assert_eq!(
            key(
                "arn:aws:bedrock:us-east-1:123456789012:foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0",
                Some("aws.bedrock")
            )
            .as_deref(),
            Some("anthropic.claude-3-5-haiku-20241022-v1:0")
        );
        let vertex = key(
            "projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro",
            Some("gcp.vertex_ai"),
        )
        .unwrap();
        assert!(vertex.ends_with("gemini-2.5-pro"), "{vertex}");
        assert_eq!(
            key("gemini-2.5-pro", Some("gcp.gemini")).as_deref(),
            Some("gemini/gemini-2.5-pro")
        );
    }

    #[test]
    fn retired_first_party_claude_snapshots_use_the_cloud_listing() {
        assert_eq!(
            key("claude-3-5-sonnet-20241022", Some("anthropic")).as_deref(),
            Some("anthropic.claude-3-5-sonnet-20241022-v2:0")
        );
        assert_eq!(
            key("claude-3-5-haiku-20241022", None).as_deref(),
            Some("anthropic.claude-3-5-haiku-20241022-v1:0")
        );
        assert_eq!(key("claude-3-5-sonnet-20991231", Some("anthropic")), None);
        assert_eq!(
            key("claude-3-5-sonnet-20241022", Some("openai")),
            None,
            "only for Anthropic's own API"
        );
    }

    #[test]
    fn near_misses_do_not_match() {
        assert_eq!(
            key("gpt-4o-mini-2099-01-01", Some("openai")),
            None,
            "an unknown snapshot is not gpt-4o-mini"
        );
        assert_eq!(key("gpt-4o-turbo-ultra", Some("openai")), None);
        assert_eq!(key("claude-9-opus", Some("anthropic")), None);
        assert_ne!(
            key("gpt-4o-mini", Some("openai")).as_deref(),
            Some("gpt-4o")
        );
        assert_eq!(key("my-own-finetune", None), None);
    }
}
