//! Reading a stage's configuration: the YAML the user wrote, as JSON from Go.
//!
//! Errors name the key path the user wrote (`prices[1].input_per_million: invalid type: string
//! "x", expected f64`), never a line and column of JSON the user never saw. Keys whose values
//! must never be echoed (keys, passwords) are reported by path only.

use serde::de::DeserializeOwned;

/// A config that did not parse: the key path (empty at the top level) and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(.path, .reason))]
pub struct ParseError {
    /// Dotted path of the offending key (`model_aliases.gpt-4`), empty for the whole config.
    pub path: String,
    /// What was wrong, without the JSON position.
    pub reason: String,
}

fn render(path: &str, reason: &str) -> String {
    if path.is_empty() {
        reason.to_string()
    } else {
        format!("{path}: {reason}")
    }
}

/// A stage's configuration problem, naming the key: one that did not parse, or a value of the
/// right type that is not acceptable. Stages with problems of their own define their own.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A key that is unknown or of the wrong type.
    #[error(transparent)]
    Parse(#[from] ParseError),
    /// A value of the right type that is not acceptable.
    #[error("{key}: {reason}")]
    Invalid {
        /// The key's path (`dimensions[1].top_k`).
        key: String,
        /// Why.
        reason: String,
    },
}

impl ConfigError {
    /// An unacceptable value at `key`.
    pub fn invalid(key: impl Into<String>, reason: impl Into<String>) -> Self {
        ConfigError::Invalid {
            key: key.into(),
            reason: reason.into(),
        }
    }
}

/// Parses a config; empty (or all-whitespace) input is `T::default()`. A value under one of
/// `secret_keys` (top-level names) is never quoted in the error.
pub fn from_json<T: DeserializeOwned + Default>(
    json: &[u8],
    secret_keys: &[&str],
) -> Result<T, ParseError> {
    if json.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    let de = &mut serde_json::Deserializer::from_slice(json);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = match e.path().to_string() {
            p if p == "." => String::new(),
            p => p,
        };
        let inner = e.into_inner();
        let reason = if secret_keys.iter().any(|k| path == *k) {
            "must be a string".to_string()
        } else {
            without_position(&inner)
        };
        ParseError { path, reason }
    })
}

/// serde_json's message without its " at line L column C" suffix.
fn without_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match (e.line(), s.rfind(" at line ")) {
        (l, Some(i)) if l > 0 => s[..i].to_string(),
        _ => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct Inner {
        rate: f64,
    }

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(deny_unknown_fields, default)]
    struct Cfg {
        enabled: bool,
        list: Vec<Inner>,
        map: BTreeMap<String, Inner>,
        key: String,
    }

    fn err(json: &str) -> String {
        from_json::<Cfg>(json.as_bytes(), &["key"])
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn empty_is_default() {
        let c: Cfg = from_json(b"  \n", &[]).unwrap();
        assert!(!c.enabled && c.list.is_empty());
    }

    #[test]
    fn errors_name_the_key_path_without_json_positions() {
        assert_eq!(
            err(r#"{"enabled": "yes"}"#),
            "enabled: invalid type: string \"yes\", expected a boolean"
        );
        assert_eq!(
            err(r#"{"list": [{}, {"rate": "x"}]}"#),
            "list[1].rate: invalid type: string \"x\", expected f64"
        );
        assert_eq!(
            err(r#"{"map": {"gpt-4": {"rat": 1}}}"#),
            "map.gpt-4.rat: unknown field `rat`, expected `rate`"
        );
        let top = err(r#"{"enabeld": true}"#);
        assert!(top.starts_with("enabeld: unknown field `enabeld`"), "{top}");
        assert!(!top.contains("line"), "{top}");
        let broken = err(r#"{"enabled": tru"#);
        assert!(!broken.contains("column"), "{broken}");
    }

    #[test]
    fn secret_values_are_not_quoted() {
        let e = err(r#"{"key": 123456789}"#);
        assert_eq!(e, "key: must be a string");
    }
}
