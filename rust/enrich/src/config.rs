//! Configuration of the `llm_enrichment` processor (the YAML keys, as JSON from Go).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use llmo_schema::attrs;

/// `llm_enrichment` settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct EnrichConfig {
    /// Keep the instrumentation's own attributes (e.g. `llm.token_count.prompt`) after their
    /// values were copied to the normalized names. When false they are removed.
    pub keep_source_attributes: bool,
    /// Replace normalized attributes that are already present with the values derived from
    /// other sources. When false (default) values already under normalized names win, except
    /// for known convention deviations (e.g. cache-exclusive input tokens), which are always
    /// corrected; the original is then kept under `llm_observatory.original.<key>`.
    pub overwrite: bool,
    /// Infer `gen_ai.provider.name` from `server.address` or the model when missing.
    pub infer_provider: bool,
    /// Model aliases: a name seen as request model (an Azure OpenAI deployment, a proxy
    /// alias) -> the model it serves. Used for the canonical model id and provider inference.
    pub model_aliases: BTreeMap<String, String>,
    /// Extra mappings: an attribute key your instrumentation uses -> the normalized name it
    /// fills (one of the `gen_ai.*` names this processor writes).
    pub attribute_mappings: BTreeMap<String, String>,
    /// Write `gen_ai.input.messages`, `gen_ai.output.messages` and
    /// `gen_ai.system_instructions` (semconv parts JSON) from the content other conventions
    /// write (flattened prompts, OpenInference messages, Vercel, Langfuse, content events).
    /// Off by default: it reads every message across the boundary.
    pub message_content: bool,
}

impl Default for EnrichConfig {
    fn default() -> Self {
        Self {
            keep_source_attributes: true,
            overwrite: false,
            infer_provider: true,
            model_aliases: BTreeMap::new(),
            attribute_mappings: BTreeMap::new(),
            message_content: false,
        }
    }
}

/// A configuration problem, naming the key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// A key that is unknown or of the wrong type (its path named).
    #[error(transparent)]
    Parse(#[from] llmo_schema::config::ParseError),
    /// A mapping targets a name we do not write.
    #[error("attribute_mappings: \"{from}\" maps to \"{to}\", which is not one of the normalized names ({})", attrs::NORMALIZED.join(", "))]
    UnknownTarget {
        /// Source key.
        from: String,
        /// The bad target.
        to: String,
    },
    /// An empty key or alias.
    #[error("{0}: keys and values must not be empty")]
    Empty(&'static str),
}

impl EnrichConfig {
    /// Parses and validates the JSON form of the YAML config.
    pub fn from_json(json: &[u8]) -> Result<Self, ConfigError> {
        let cfg: Self = llmo_schema::config::from_json(json, &[])?;
        cfg.validate()?;
        Ok(cfg)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        for (from, to) in &self.attribute_mappings {
            if from.is_empty() || to.is_empty() {
                return Err(ConfigError::Empty("attribute_mappings"));
            }
            if !attrs::NORMALIZED.contains(&to.as_str()) {
                return Err(ConfigError::UnknownTarget {
                    from: from.clone(),
                    to: to.clone(),
                });
            }
        }
        if self
            .model_aliases
            .iter()
            .any(|(k, v)| k.is_empty() || v.is_empty())
        {
            return Err(ConfigError::Empty("model_aliases"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_is_default() {
        let c = EnrichConfig::from_json(b"").unwrap();
        assert!(c.keep_source_attributes && !c.overwrite);
    }

    #[test]
    fn unknown_keys_are_named() {
        let e = EnrichConfig::from_json(br#"{"overwrit": true}"#).unwrap_err();
        assert!(e.to_string().contains("unknown field `overwrit`"), "{e}");
    }

    #[test]
    fn wrong_types_are_named() {
        let e = EnrichConfig::from_json(br#"{"overwrite": "yes"}"#).unwrap_err();
        assert!(e.to_string().contains("invalid type"), "{e}");
    }

    #[test]
    fn mapping_targets_are_checked() {
        let e =
            EnrichConfig::from_json(br#"{"attribute_mappings": {"acme.model": "gen_ai.modle"}}"#)
                .unwrap_err();
        assert!(e.to_string().starts_with(
            "attribute_mappings: \"acme.model\" maps to \"gen_ai.modle\", which is not one of"
        ));
        let ok = EnrichConfig::from_json(
            br#"{"attribute_mappings": {"acme.model": "gen_ai.request.model"}}"#,
        );
        assert!(ok.is_ok());
    }
}
