//! `pii_redaction`: finds PII and secrets in attribute values, span event attributes, log
//! bodies and inside GenAI message JSON; masks, hashes (keyed HMAC-SHA256) or drops them.
//!
//! * [`detectors`]: the built-in detectors and their names (email, phone, credit_card, iban,
//!   us_ssn, ip_address and fifteen credential kinds), which are also config keys, reported
//!   types and default markers (`<EMAIL>`).
//! * [`validate`]: the checks that cut false positives (Luhn, mod-97, country codes, NANP
//!   rules, SSA rules, `std::net`, JWT headers).
//! * [`Engine`]: detectors + custom regexes + allow lists + actions, for one string at a time:
//!   plain text, JSON-aware ([`Engine::redact_json`]: the JSON stays valid and byte-identical
//!   outside the findings), or bytes. Inside, finding (`scan`: the built-in scanners, a file
//!   per family; `find`: custom regexes, allow lists, overlaps) is kept apart from marking
//!   (`mark`: masks, keyed hashes, drop) and from the JSON walk (`json`).
//! * [`PiiRedactor`]: the [`llmo_schema::Stage`] over a batch view.
//! * [`config`]: the processor config ([`PiiConfig`]), errors naming the key.
//!
//! Fail closed: a value that cannot be scanned (invalid UTF-8, nested too deeply for the
//! wire, larger than `max_value_bytes`) is replaced by [`UNSCANNABLE_MARKER`]. Found values
//! never appear in errors, counters or `Debug` output: findings are spans and detector ids.
//!
//! # Types, markers, hashes
//!
//! Every finding has a type: a built-in detector name ([`Builtin::name`]) or a custom
//! detector's name. The default mask marker is the type upper-cased in angle brackets:
//! `<EMAIL>`, `<PHONE>`, `<CREDIT_CARD>`, `<IBAN>`, `<US_SSN>`, `<IP_ADDRESS>`, and per
//! credential `<OPENAI_API_KEY>`, `<ANTHROPIC_API_KEY>`, `<AWS_ACCESS_KEY_ID>`,
//! `<AWS_SECRET_ACCESS_KEY>`, `<GITHUB_TOKEN>`, `<GITLAB_TOKEN>`, `<SLACK_TOKEN>`,
//! `<SLACK_WEBHOOK>`, `<STRIPE_KEY>`, `<GOOGLE_API_KEY>`, `<JWT>`, `<BEARER_TOKEN>`,
//! `<BASIC_AUTH>`, `<PRIVATE_KEY>`, `<URL_PASSWORD>` (`mask_template`, default `<{TYPE}>`).
//! The hash action writes `<EMAIL:hmac:3f9a1c0e5b7d2a64>` (`hash_template`, default
//! `<{TYPE}:hmac:{HASH}>`): HMAC-SHA256 under `hmac_key`, hex, truncated to `hash_length`
//! characters (16 by default). The input is normalized first so that one value written two
//! ways hashes alike: emails lower-cased, phones, cards and SSNs as their digits, IBANs
//! without spaces, IP addresses in canonical form. There is no unkeyed hash: a config that
//! hashes without a key is refused. The drop action deletes the whole attribute (a log body
//! becomes empty).
//!
//! Only the secret part is replaced where a format has a harmless frame: `Bearer <token>`,
//! `Basic <credentials>`, `scheme://user:<password>@host`. Overlapping findings are merged
//! into their union (nothing half-redacted), typed by the detector that takes precedence:
//! custom detectors first, then [`Builtin::ALL`] order (credentials before personal data).
//!
//! # Speed
//!
//! Clean text does not run the detectors: an Aho-Corasick pass over credential prefixes and
//! keywords, `memchr` for `@` and `:`, and a SWAR digit search find the few places worth
//! validating, and every expansion from an anchor is bounded, so the scan is linear in the
//! input (see `benches/pii.rs`; `tests/pathological.rs` holds the inputs built to break that).
//!
//! ```
//! use llmo_pii::{Engine, PiiConfig, Redacted, Tally};
//!
//! let engine = Engine::new(&PiiConfig::default()).unwrap();
//! let mut tally = Tally::default();
//! let r = engine.redact(
//!     r#"[{"role":"user","parts":[{"type":"text","content":"I'm bob@example.com, card 4111 1111 1111 1111"}]}]"#,
//!     &mut tally,
//! );
//! assert_eq!(
//!     r,
//!     Redacted::Changed(
//!         r#"[{"role":"user","parts":[{"type":"text","content":"I'm <EMAIL>, card <CREDIT_CARD>"}]}]"#.into()
//!     )
//! );
//! assert_eq!(tally.total(), 2);
//! assert_eq!(engine.types(&tally), ["credit_card", "email"]);
//! ```

pub mod config;
pub mod detectors;
mod engine;
mod find;
mod json;
mod mark;
mod outcome;
mod scan;
pub mod stage;
pub mod validate;

pub use config::{Action, ConfigError, PiiConfig};
pub use detectors::{Builtin, DetectorId};
pub use engine::Engine;
pub use find::Finding;
pub use outcome::{Redacted, Tally, UNSCANNABLE_MARKER, UNSCANNABLE_TYPE};
pub use stage::PiiRedactor;

/// Attributes this processor writes on items with findings.
pub mod keys {
    /// Number of findings on the item (int), unscannable values included.
    pub const PII_COUNT: &str = "llm_observatory.pii.count";
    /// Sorted distinct types found on the item (string array), e.g. `["email", "phone"]`.
    pub const PII_TYPES: &str = "llm_observatory.pii.types";
}

/// Counter names the stage reports per batch (the Go side turns them into metrics).
pub mod counters {
    /// Findings, labelled by type (`email`, `jwt`, ...).
    pub const FINDINGS: &str = "findings";
    /// Values (attributes, bodies, array elements count once per attribute) changed.
    pub const REDACTED_VALUES: &str = "redacted_values";
    /// Attributes deleted by the drop action (a dropped log body counts here too).
    pub const DROPPED_VALUES: &str = "dropped_values";
    /// Values replaced by the unscannable marker (fail closed).
    pub const UNSCANNABLE_VALUES: &str = "unscannable_values";
    /// Items (spans, log records, resources) with at least one finding.
    pub const ITEMS_WITH_PII: &str = "items_with_pii";
}
