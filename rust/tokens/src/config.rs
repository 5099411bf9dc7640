//! Configuration of the `token_counting` processor.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model_map::Encoding;

/// `token_counting` settings.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct TokensConfig {
    /// Count input tokens when the provider did not report them.
    pub count_input: bool,
    /// Count output tokens when the provider did not report them.
    pub count_output: bool,
    /// Largest content (bytes, per item and side) that is tokenized; larger content is
    /// marked `llm_observatory.usage.skipped` instead. Bounds the work per item.
    pub max_content_bytes: usize,
    /// Model id prefix (lower case; a trailing `*` is optional) -> `o200k_base` or
    /// `cl100k_base`, for models the built-in table does not know. Counts are then exact.
    pub model_tokenizers: BTreeMap<String, String>,
    /// Model id prefix -> path of a Hugging Face `tokenizer.json` (loaded once, offline, at
    /// start-up). Counts for those models are then exact for the content; chat-template
    /// framing tokens are not added.
    pub tokenizer_files: BTreeMap<String, String>,
    /// Write estimated counts to `gen_ai.usage.*` (marked `estimated`). When false they go to
    /// `llm_observatory.usage.estimated.*` only and `gen_ai.usage.*` stays absent.
    pub fill_estimated_usage: bool,
    /// Counts of long texts (64+ bytes) kept by content hash, so a conversation's resent
    /// history is tokenized once (about 40 bytes each); 0 turns the cache off.
    pub count_cache_entries: usize,
}

impl Default for TokensConfig {
    fn default() -> Self {
        Self {
            count_input: true,
            count_output: true,
            max_content_bytes: 1 << 20,
            model_tokenizers: BTreeMap::new(),
            tokenizer_files: BTreeMap::new(),
            fill_estimated_usage: true,
            count_cache_entries: 65_536,
        }
    }
}

/// A configuration problem, naming the key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// A key that is unknown or of the wrong type (its path named).
    #[error(transparent)]
    Parse(#[from] llmo_schema::config::ParseError),
    /// An unknown encoding name.
    #[error("model_tokenizers: \"{pattern}\" maps to \"{encoding}\", expected o200k_base or cl100k_base")]
    UnknownEncoding {
        /// The model pattern.
        pattern: String,
        /// The bad value.
        encoding: String,
    },
    /// A tokenizer.json that does not load.
    #[error("tokenizer_files: \"{pattern}\": cannot load {path}: {reason}")]
    TokenizerFile {
        /// The model pattern.
        pattern: String,
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// A zero byte cap.
    #[error("max_content_bytes: must be greater than 0")]
    ZeroCap,
}

impl TokensConfig {
    /// Parses and validates the JSON form of the YAML config.
    pub fn from_json(json: &[u8]) -> Result<Self, ConfigError> {
        let cfg: Self = llmo_schema::config::from_json(json, &[])?;
        if cfg.max_content_bytes == 0 {
            return Err(ConfigError::ZeroCap);
        }
        for (pattern, encoding) in &cfg.model_tokenizers {
            if Encoding::from_name(encoding).is_none() {
                return Err(ConfigError::UnknownEncoding {
                    pattern: pattern.clone(),
                    encoding: encoding.clone(),
                });
            }
        }
        Ok(cfg)
    }

    /// The encoding a user mapped this model to, if any (longest prefix wins).
    pub fn override_for(&self, model: &str) -> Option<Encoding> {
        self.model_tokenizers
            .iter()
            .filter(|(p, _)| model.starts_with(p.trim_end_matches('*')))
            .max_by_key(|(p, _)| p.len())
            .and_then(|(_, e)| Encoding::from_name(e))
    }
}
