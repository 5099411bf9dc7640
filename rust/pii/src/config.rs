//! Configuration of the `pii_redaction` processor.
//!
//! The Go component passes its YAML config as JSON with the same keys. Every problem is
//! reported with the path of the key (`custom_detectors[1].pattern: invalid regex: ...`), and
//! no error or `Debug` output ever contains the HMAC key.
//!
//! ```json
//! {
//!   "action": "mask",
//!   "hmac_key": "at-least-16-bytes-of-secret",
//!   "detectors": {
//!     "email": { "action": "hash" },
//!     "ip_address": { "enabled": false }
//!   },
//!   "custom_detectors": [ { "name": "employee_id", "pattern": "(?-u:\\b)EMP-[0-9]{6}(?-u:\\b)" } ],
//!   "allow": { "values": ["support@example.com"], "patterns": [".*@example\\.org"] },
//!   "exclude_keys": ["http.request.header.x-request-id", "k8s.*"]
//! }
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::detectors::{with_builtins, Builtin};
use crate::outcome::UNSCANNABLE_TYPE;

/// What happens to a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Replace the found text with a typed marker (`<EMAIL>`; see `mask_template`).
    Mask,
    /// Replace the found text with a keyed HMAC-SHA256 of it (`<EMAIL:hmac:3f9a1c0e5b7d2a64>`;
    /// see `hash_template`): equal values stay joinable, nothing is reversible without the key.
    Hash,
    /// Delete the whole attribute that contains the finding (a log body becomes empty).
    Drop,
}

/// A string that never appears in `Debug` output or errors (the HMAC key).
#[derive(Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }

    /// The secret itself, for keying the HMAC.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Settings of one built-in detector.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DetectorConfig {
    /// When false this detector does not run.
    pub enabled: bool,
    /// What to do with its findings; the top-level `action` when absent.
    pub action: Option<Action>,
    /// The marker that replaces its findings under the mask action, instead of the one
    /// `mask_template` makes.
    pub marker: Option<String>,
}

impl DetectorConfig {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

impl Default for DetectorConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            action: None,
            marker: None,
        }
    }
}

/// A user-defined detector: a named regular expression.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CustomDetector {
    /// Its name: lower-case letters, digits and `_`; the type reported for its findings and,
    /// upper-cased, its default marker. It must differ from the built-in names.
    pub name: String,
    /// A Rust `regex` pattern (linear time, no look-around or back-references). Every match
    /// is a finding; there is no validator, so anchor it with `(?-u:\b)` (the ASCII word
    /// boundary: Unicode `\b` is ~100x slower on non-ASCII text). A pattern that can match
    /// the empty string is refused.
    pub pattern: String,
    /// What to do with its findings; the top-level `action` when absent.
    #[serde(default)]
    pub action: Option<Action>,
    /// The marker under the mask action, instead of the one `mask_template` makes.
    #[serde(default)]
    pub marker: Option<String>,
}

/// Writes [`Detectors`] from the list of built-in detectors ([`with_builtins`]).
macro_rules! detector_settings {
    ($($(#[$doc:meta])* $variant:ident => $name:ident,)*) => {
        /// Per-detector settings: one key per built-in detector (all enabled by default).
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct Detectors {
            $(
                #[doc = concat!("The settings of `", stringify!($name), "`.")]
                #[serde(skip_serializing_if = "DetectorConfig::is_default")]
                pub $name: DetectorConfig,
            )*
        }

        impl Detectors {
            /// The settings of a built-in detector.
            pub fn get(&self, b: Builtin) -> &DetectorConfig {
                match b {
                    $(Builtin::$variant => &self.$name,)*
                }
            }

            /// Mutable settings of a built-in detector.
            pub fn get_mut(&mut self, b: Builtin) -> &mut DetectorConfig {
                match b {
                    $(Builtin::$variant => &mut self.$name,)*
                }
            }
        }
    };
}

with_builtins!(detector_settings);

/// Found values that are not redacted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Allow {
    /// Exact found values to keep (e.g. a support address printed in every prompt). Compared
    /// with the text a detector found: for `url_password`, `bearer_token` and `basic_auth`
    /// that is the credential alone.
    pub values: Vec<String>,
    /// Regular expressions; a found value that one of them matches as a whole is kept.
    pub patterns: Vec<String>,
}

/// `pii_redaction` settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PiiConfig {
    /// Scan log bodies (strings, maps and arrays, recursively).
    pub log_bodies: bool,
    /// Scan span event attributes.
    pub span_events: bool,
    /// Also scan resources and instrumentation scopes: their attributes (`service.name`,
    /// `host.name`, ...), schema URLs, scope names and versions. On by default (fail closed:
    /// a deployment attribute can carry a secret as well as a span's); they are scanned once
    /// per resource or scope, not per item.
    pub resource_attributes: bool,
    /// The action of every detector that does not set its own: `mask`, `hash` or `drop`.
    pub action: Action,
    /// The marker of the mask action. `{TYPE}` is the detector name upper-cased, `{type}` as
    /// it is.
    pub mask_template: String,
    /// The marker of the hash action; must contain `{HASH}` (the truncated hex HMAC) and may
    /// contain `{TYPE}` / `{type}`.
    pub hash_template: String,
    /// The HMAC-SHA256 key of the hash action, at least 16 bytes (the Go side resolves
    /// `${env:...}`). Required when any detector hashes: there is no unkeyed hash.
    #[serde(skip_serializing)]
    pub hmac_key: Option<Secret>,
    /// Hex characters of the HMAC kept in the marker: an even number from 8 to 64.
    pub hash_length: usize,
    /// Per-detector settings of the built-in detectors.
    pub detectors: Detectors,
    /// User-defined detectors, run after the built-in ones on every scanned value.
    pub custom_detectors: Vec<CustomDetector>,
    /// Found values that are kept.
    pub allow: Allow,
    /// Attribute keys to scan (globs: `*` any run of characters, `?` one character, the whole
    /// key must match, case-sensitive). Empty: every key. Applies to item, span event and
    /// resource attributes, not to log bodies.
    pub include_keys: Vec<String>,
    /// Attribute keys never scanned (globs as in `include_keys`); wins over `include_keys`.
    pub exclude_keys: Vec<String>,
    /// Attribute keys that name a secret (globs as in `include_keys`, matched against the key
    /// lower-cased): their whole value is redacted by the `secret_attribute` detector, whatever
    /// it looks like (a password has no shape to find). Keys not scanned (`include_keys`,
    /// `exclude_keys`) are not redacted either.
    pub secret_attribute_keys: Vec<String>,
    /// The largest string (bytes) that is scanned. A longer value is replaced by the
    /// `<UNSCANNABLE>` marker (fail closed). Scanning is linear, so this only bounds the work
    /// per value.
    pub max_value_bytes: usize,
    /// Strings of 64+ bytes found clean are remembered (by a 128-bit content hash seeded at
    /// random per process, about 20 bytes each), so that a conversation history resent on
    /// every call, a repeated system prompt or tool list, a prompt written under two keys is
    /// scanned once. 0 turns it off.
    pub scan_cache_entries: usize,
}

impl Default for PiiConfig {
    fn default() -> Self {
        Self {
            log_bodies: true,
            span_events: true,
            resource_attributes: true,
            action: Action::Mask,
            mask_template: "<{TYPE}>".into(),
            hash_template: "<{TYPE}:hmac:{HASH}>".into(),
            hmac_key: None,
            hash_length: 16,
            detectors: Detectors::default(),
            custom_detectors: Vec::new(),
            allow: Allow::default(),
            include_keys: Vec::new(),
            exclude_keys: Vec::new(),
            secret_attribute_keys: default_secret_attribute_keys(),
            max_value_bytes: 16 << 20,
            scan_cache_entries: 65_536,
        }
    }
}

/// Keys that name a secret: passwords, tokens and keys under the names HTTP, database and SDK
/// instrumentations and applications give them. Narrow on purpose: `*token*` alone would take
/// `gen_ai.usage.input_tokens` and `gen_ai.token.type`.
pub fn default_secret_attribute_keys() -> Vec<String> {
    [
        "*password*",
        "*passwd*",
        "*secret*",
        "*api_key*",
        "*apikey*",
        "*api-key*",
        "*access_token*",
        "*refresh_token*",
        "*auth_token*",
        "*session_token*",
        "*id_token*",
        "*client_secret*",
        "*private_key*",
        "authorization",
        "*.authorization",
        "*cookie*",
        "*credentials*",
    ]
    .map(String::from)
    .to_vec()
}

/// A configuration problem, naming the key.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// The JSON did not parse, or a key is unknown or of the wrong type (its path named).
    #[error(transparent)]
    Parse(#[from] llmo_schema::config::ParseError),
    /// A custom detector's pattern does not compile.
    #[error("custom_detectors[{index}].pattern: invalid regex: {reason}")]
    CustomPattern {
        /// Position in `custom_detectors`.
        index: usize,
        /// The compiler's message.
        reason: String,
    },
    /// A custom detector's pattern matches the empty string.
    #[error("custom_detectors[{index}].pattern: matches the empty string")]
    CustomPatternEmpty {
        /// Position in `custom_detectors`.
        index: usize,
    },
    /// A custom detector's name is not usable.
    #[error("custom_detectors[{index}].name: {reason}")]
    CustomName {
        /// Position in `custom_detectors`.
        index: usize,
        /// Why.
        reason: String,
    },
    /// An allow pattern does not compile.
    #[error("allow.patterns[{index}]: invalid regex: {reason}")]
    AllowPattern {
        /// Position in `allow.patterns`.
        index: usize,
        /// The compiler's message.
        reason: String,
    },
    /// A marker template is malformed.
    #[error("{key}: {reason}")]
    Template {
        /// The key (`mask_template`, `hash_template`).
        key: &'static str,
        /// Why.
        reason: String,
    },
    /// A detector hashes but there is no key.
    #[error("hmac_key: required because the hash action is used by {users} (an unkeyed hash of a phone number or card is reversible by enumeration)")]
    MissingHmacKey {
        /// The detectors (or `action`) that hash.
        users: String,
    },
    /// The key is too short.
    #[error("hmac_key: must be at least 16 bytes")]
    ShortHmacKey,
    /// Bad truncation length.
    #[error("hash_length: must be an even number from 8 to 64, got {0}")]
    HashLength(usize),
    /// Zero size bound.
    #[error("max_value_bytes: must be greater than 0")]
    ZeroMaxValueBytes,
    /// An empty key glob.
    #[error("{key}[{index}]: must not be empty")]
    EmptyKeyPattern {
        /// `include_keys` or `exclude_keys`.
        key: &'static str,
        /// Position in it.
        index: usize,
    },
}

/// The last line of a `regex` error (`error: unclosed group`), without the pattern echo.
pub(crate) fn regex_reason(e: &regex::Error) -> String {
    let s = e.to_string();
    s.lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .unwrap_or(s.trim())
        .to_string()
}

fn check_template(key: &'static str, t: &str, needs_hash: bool) -> Result<(), ConfigError> {
    let mut rest = t;
    let mut hashes = 0;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_') {
            match name {
                "TYPE" | "type" => {}
                "HASH" if needs_hash => hashes += 1,
                _ => {
                    return Err(ConfigError::Template {
                        key,
                        reason: format!(
                            "unknown placeholder {{{name}}} (expected {})",
                            if needs_hash {
                                "{TYPE}, {type} or {HASH}"
                            } else {
                                "{TYPE} or {type}"
                            }
                        ),
                    })
                }
            }
        }
        rest = &after[close + 1..];
    }
    if needs_hash && hashes != 1 {
        return Err(ConfigError::Template {
            key,
            reason: "must contain {HASH} exactly once".into(),
        });
    }
    Ok(())
}

impl PiiConfig {
    /// Parses and validates the JSON form of the YAML config. Empty input is the default
    /// config. Regular expressions are compiled (and so checked) by [`crate::Engine::new`].
    pub fn from_json(json: &[u8]) -> Result<Self, ConfigError> {
        // serde quotes an offending value: never echo a key
        let cfg: Self = llmo_schema::config::from_json(json, &["hmac_key"])?;
        cfg.validate()?;
        Ok(cfg)
    }

    /// The action of a built-in detector.
    pub fn action_of(&self, b: Builtin) -> Action {
        self.detectors.get(b).action.unwrap_or(self.action)
    }

    /// Checks everything but the regular expressions.
    pub fn validate(&self) -> Result<(), ConfigError> {
        check_template("mask_template", &self.mask_template, false)?;
        check_template("hash_template", &self.hash_template, true)?;
        if self.hash_length % 2 != 0 || !(8..=64).contains(&self.hash_length) {
            return Err(ConfigError::HashLength(self.hash_length));
        }
        if self.max_value_bytes == 0 {
            return Err(ConfigError::ZeroMaxValueBytes);
        }
        for (key, list) in [
            ("include_keys", &self.include_keys),
            ("exclude_keys", &self.exclude_keys),
            ("secret_attribute_keys", &self.secret_attribute_keys),
        ] {
            if let Some(index) = list.iter().position(String::is_empty) {
                return Err(ConfigError::EmptyKeyPattern { key, index });
            }
        }
        let mut names: Vec<&str> = Vec::new();
        for (index, c) in self.custom_detectors.iter().enumerate() {
            let bad = |reason: String| ConfigError::CustomName { index, reason };
            if c.name.is_empty()
                || !c
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                return Err(bad(format!(
                    "{:?} must be lower-case letters, digits and _",
                    c.name
                )));
            }
            if Builtin::from_name(&c.name).is_some() || c.name == UNSCANNABLE_TYPE {
                return Err(bad(format!("{:?} is a built-in type", c.name)));
            }
            if names.contains(&c.name.as_str()) {
                return Err(bad(format!("{:?} is used twice", c.name)));
            }
            names.push(&c.name);
        }
        let mut hashing: Vec<&str> = Builtin::ALL
            .iter()
            .filter(|b| self.detectors.get(**b).enabled && self.action_of(**b) == Action::Hash)
            .map(|b| b.name())
            .collect();
        hashing.extend(
            self.custom_detectors
                .iter()
                .filter(|c| c.action.unwrap_or(self.action) == Action::Hash)
                .map(|c| c.name.as_str()),
        );
        match &self.hmac_key {
            None if !hashing.is_empty() => {
                let users = if self.action == Action::Hash {
                    "action".to_string()
                } else {
                    format!("detectors {}", hashing.join(", "))
                };
                return Err(ConfigError::MissingHmacKey { users });
            }
            Some(k) if k.expose().len() < 16 => return Err(ConfigError::ShortHmacKey),
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> String {
        PiiConfig::from_json(json.as_bytes())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn empty_is_default() {
        assert_eq!(PiiConfig::from_json(b"").unwrap(), PiiConfig::default());
        assert_eq!(PiiConfig::from_json(b"{}").unwrap(), PiiConfig::default());
    }

    #[test]
    fn every_builtin_has_a_config_key() {
        for b in Builtin::ALL {
            let json = format!(
                r#"{{"detectors": {{"{}": {{"enabled": false}}}}}}"#,
                b.name()
            );
            let cfg = PiiConfig::from_json(json.as_bytes()).unwrap();
            assert!(!cfg.detectors.get(b).enabled, "{}", b.name());
            let mut d = Detectors::default();
            d.get_mut(b).enabled = false;
            assert!(!d.get(b).enabled);
        }
    }

    #[test]
    fn errors_name_the_key() {
        let e = err(r#"{"detectors": {"emial": {}}}"#);
        assert!(
            e.starts_with("detectors.emial: unknown field `emial`"),
            "{e}"
        );
        assert!(err(r#"{"detectors": {"email": {"action": "hide"}}}"#)
            .starts_with("detectors.email.action: unknown variant `hide`"));
        assert!(err(r#"{"log_bodies": "yes"}"#).starts_with("log_bodies: invalid type"));
        assert!(
            err(r#"{"enabled": false}"#).starts_with("enabled: unknown field"),
            "the envelope is the Go side's"
        );
        assert!(
            err(r#"{"custom_detectors": [{"name": "Bad Name", "pattern": "x"}]}"#)
                .starts_with("custom_detectors[0].name:")
        );
        assert!(
            err(r#"{"custom_detectors": [{"name": "email", "pattern": "x"}]}"#)
                .contains("built-in")
        );
        assert!(err(r#"{"custom_detectors": [{"name": "a", "pattern": "x"}, {"name": "a", "pattern": "y"}]}"#)
            .starts_with("custom_detectors[1].name:"));
        assert!(err(r#"{"custom_detectors": [{"name": "a"}]}"#)
            .starts_with("custom_detectors[0]: missing field `pattern`"));
        assert!(err(r#"{"mask_template": "<{TPYE}>"}"#)
            .starts_with("mask_template: unknown placeholder {TPYE}"));
        assert!(err(r#"{"mask_template": "<{HASH}>"}"#)
            .starts_with("mask_template: unknown placeholder {HASH}"));
        assert_eq!(
            err(r#"{"hash_template": "<{TYPE}>", "hmac_key": "0123456789abcdef"}"#),
            "hash_template: must contain {HASH} exactly once"
        );
        assert_eq!(
            err(r#"{"hash_length": 7}"#),
            "hash_length: must be an even number from 8 to 64, got 7"
        );
        assert_eq!(
            err(r#"{"max_value_bytes": 0}"#),
            "max_value_bytes: must be greater than 0"
        );
        assert_eq!(
            err(r#"{"exclude_keys": ["a", ""]}"#),
            "exclude_keys[1]: must not be empty"
        );
    }

    #[test]
    fn hash_needs_a_key_of_16_bytes() {
        assert!(err(r#"{"action": "hash"}"#)
            .starts_with("hmac_key: required because the hash action is used by action"));
        assert!(err(r#"{"detectors": {"phone": {"action": "hash"}}}"#)
            .starts_with("hmac_key: required because the hash action is used by detectors phone"));
        assert!(err(
            r#"{"custom_detectors": [{"name": "emp", "pattern": "E[0-9]+", "action": "hash"}]}"#
        )
        .contains("detectors emp"));
        assert_eq!(
            err(r#"{"action": "hash", "hmac_key": "short"}"#),
            "hmac_key: must be at least 16 bytes"
        );
        // a disabled detector that would hash needs no key
        assert!(PiiConfig::from_json(
            br#"{"detectors": {"phone": {"action": "hash", "enabled": false}}}"#
        )
        .is_ok());
        assert!(
            PiiConfig::from_json(br#"{"action": "hash", "hmac_key": "0123456789abcdef"}"#).is_ok()
        );
    }

    #[test]
    fn the_key_never_shows() {
        let cfg =
            PiiConfig::from_json(br#"{"action": "hash", "hmac_key": "super-secret-key-material"}"#)
                .unwrap();
        assert!(!format!("{cfg:?}").contains("super-secret"));
        let e =
            PiiConfig::from_json(br#"{"action": "hash", "hmac_key": "tiny-secret"}"#).unwrap_err();
        assert!(!e.to_string().contains("tiny-secret"));
        assert!(!format!("{e:?}").contains("tiny-secret"));
    }
}
