//! User-supplied strings made fit for the collector's own log.
//!
//! A stage that names a value in a counter the Go side logs (cost's unknown models) passes it
//! through [`loggable`] first: the log is read by people and shipped to other systems, and the
//! value arrives before `pii_redaction` runs, so it may carry a key, a card number or an e-mail
//! address, and may be megabytes long.

use std::borrow::Cow;

/// The longest value written to the log as it is.
pub const MAX_LOGGED_BYTES: usize = 96;

/// `value` itself when it is short, made of the characters identifiers use, and shaped like no
/// secret; otherwise a placeholder that gives only its length. Conservative on purpose: a model
/// id that is withheld by mistake costs a look at the data, a secret in the log cannot be undone.
pub fn loggable(value: &str) -> Cow<'_, str> {
    if value.is_empty()
        || value.len() > MAX_LOGGED_BYTES
        || !value.bytes().all(identifier_byte)
        || carries_secret_shape(value)
    {
        return Cow::Owned(format!("<withheld: {} bytes>", value.len()));
    }
    Cow::Borrowed(value)
}

fn identifier_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'/' | b'@' | b'+' | b'-')
}

/// 12 or more digits in a row once dashes are skipped (card numbers, account ids; dates have 8),
/// 20 or more letters and digits in a row (API keys, AWS key ids, tokens), or an e-mail address.
fn carries_secret_shape(value: &str) -> bool {
    let (mut digits, mut alnum) = (0, 0);
    for b in value.bytes() {
        digits = match b {
            b'0'..=b'9' => digits + 1,
            b'-' => digits,
            _ => 0,
        };
        alnum = if b.is_ascii_alphanumeric() {
            alnum + 1
        } else {
            0
        };
        if digits >= 12 || alnum >= 20 {
            return true;
        }
    }
    value
        .split_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && domain.contains('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_ids_are_logged_as_they_are() {
        for id in [
            "gpt-4o-2024-08-06",
            "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
            "claude-3-5-sonnet-v2@20241022",
            "meta-llama/Llama-3.1-70B-Instruct",
            "ft:gpt-4o-mini-2024-07-18:acme:support:9XyZ12Ab",
            "acme-llm-9000",
        ] {
            assert_eq!(loggable(id), id);
        }
    }

    #[test]
    fn secrets_and_long_values_are_withheld() {
        for (value, why) in [
            ("AKIAIOSFODNN7EXAMPLE", "AWS key id"),
            ("model-AKIAIOSFODNN7EXAMPLE", "key inside an id"),
            ("gpt-4111111111111111", "card number"),
            ("4111-1111-1111-1111", "card with dashes"),
            ("bob@example.com", "e-mail"),
            ("gpt 4o", "a space"),
            ("gpt-4o\nERROR forged log line", "a line break"),
            ("sk-proj-abcdefghijklmnopqrstuvwx", "API key"),
            ("", "empty"),
        ] {
            assert!(
                loggable(value).starts_with("<withheld: "),
                "{why}: {value:?}"
            );
        }
        let huge = "a-".repeat(1 << 19);
        assert_eq!(loggable(&huge), "<withheld: 1048576 bytes>");
    }
}
