//! User prices: model patterns with per-token rates and effective-from dates, and per-provider
//! discount multipliers. Overrides are tried before the catalog; among those that match a call,
//! the most specific pattern wins, then the latest `effective_from` not after the call's start.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use llmo_schema::glob::glob_match;

use crate::catalog::{parse_atto, Atto, Entry};
use crate::config::ConfigError;

/// One user price, as written in YAML (LiteLLM's rate names, USD per token).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriceOverride {
    /// Model id or glob pattern (`*` any run, `?` one character), case-insensitive; matched
    /// against the reported id and the canonical id.
    pub model: String,
    /// Only calls to this provider (semconv `gen_ai.provider.name`), if set.
    #[serde(default)]
    pub provider: Option<String>,
    /// The first day (`2026-03-01`) or instant (`2026-03-01T12:00:00Z`) the price applies;
    /// calls that started earlier use an older price. Unset: always.
    #[serde(default)]
    pub effective_from: Option<String>,
    /// USD per input token.
    pub input_cost_per_token: serde_json::Number,
    /// USD per output token.
    #[serde(default)]
    pub output_cost_per_token: Option<serde_json::Number>,
    /// USD per cached input token read.
    #[serde(default)]
    pub cache_read_input_token_cost: Option<serde_json::Number>,
    /// USD per input token written to the cache.
    #[serde(default)]
    pub cache_creation_input_token_cost: Option<serde_json::Number>,
    /// USD per reasoning token, when billed apart from output.
    #[serde(default)]
    pub output_cost_per_reasoning_token: Option<serde_json::Number>,
    /// `chat` (default) or `embedding` (input only).
    #[serde(default)]
    pub mode: Option<String>,
}

/// A checked override.
#[derive(Debug, Clone)]
pub struct Rule {
    pattern: Vec<u8>,
    literal_len: usize,
    provider: Option<String>,
    /// Unix ns from which it applies (i64::MIN: always).
    from: i64,
    /// The rates, as a catalog entry named `override:<pattern>`.
    pub entry: Entry,
}

/// The user's prices and discounts.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    rules: Vec<Rule>,
    /// Semconv provider -> multiplier in attodollars per dollar (1e18 = no discount).
    discounts: HashMap<String, Atto>,
}

const ATTO: Atto = 1_000_000_000_000_000_000;

fn rate(key: String, n: &serde_json::Number) -> Result<Atto, ConfigError> {
    parse_atto(&n.to_string()).ok_or_else(|| ConfigError::Invalid {
        key,
        reason: format!("must be a non-negative number, got {n}"),
    })
}

impl Overrides {
    /// Checks the YAML forms; errors name the key (`prices[1].effective_from: ...`).
    pub fn new(
        prices: &[PriceOverride],
        discounts: &HashMap<String, serde_json::Number>,
    ) -> Result<Self, ConfigError> {
        let mut rules = Vec::with_capacity(prices.len());
        for (i, p) in prices.iter().enumerate() {
            let at = |field: &str| format!("prices[{i}].{field}");
            let invalid = |field: &str, reason: String| ConfigError::Invalid {
                key: at(field),
                reason,
            };
            let model = p.model.trim().to_ascii_lowercase();
            if model.is_empty() || model.bytes().all(|b| b == b'*' || b == b'?') {
                return Err(invalid(
                    "model",
                    "must name a model or family (a pattern of only wildcards would price every model)".into(),
                ));
            }
            let from = match &p.effective_from {
                None => i64::MIN,
                Some(s) => parse_instant(s).ok_or_else(|| {
                    invalid(
                        "effective_from",
                        format!("{s:?} is not a date (2026-03-01) or an RFC 3339 instant (2026-03-01T12:00:00Z)"),
                    )
                })?,
            };
            let mode = match p.mode.as_deref() {
                None | Some("chat") => "chat",
                Some("embedding") => "embedding",
                Some(m) => return Err(invalid("mode", format!("{m:?} is not chat or embedding"))),
            };
            let mut rates = HashMap::new();
            let fields = [
                ("input_cost_per_token", Some(&p.input_cost_per_token)),
                ("output_cost_per_token", p.output_cost_per_token.as_ref()),
                (
                    "cache_read_input_token_cost",
                    p.cache_read_input_token_cost.as_ref(),
                ),
                (
                    "cache_creation_input_token_cost",
                    p.cache_creation_input_token_cost.as_ref(),
                ),
                (
                    "output_cost_per_reasoning_token",
                    p.output_cost_per_reasoning_token.as_ref(),
                ),
            ];
            for (name, v) in fields {
                if let Some(v) = v {
                    rates.insert(name.to_string(), rate(at(name), v)?);
                }
            }
            let literal_len = model.bytes().filter(|b| *b != b'*' && *b != b'?').count();
            rules.push(Rule {
                literal_len,
                provider: p.provider.clone().filter(|s| !s.is_empty()),
                from,
                entry: Entry {
                    key: format!("override:{model}"),
                    provider: String::new(),
                    mode: mode.to_string(),
                    rates,
                    date: p.effective_from.clone(),
                    period: None,
                },
                pattern: model.into_bytes(),
            });
        }
        let mut d = HashMap::with_capacity(discounts.len());
        for (provider, m) in discounts {
            let v = rate(format!("provider_discounts.{provider}"), m)?;
            if v > 10 * ATTO {
                return Err(ConfigError::Invalid {
                    key: format!("provider_discounts.{provider}"),
                    reason: format!("{m} is a multiplier (0.9 = 10% off), not a percentage"),
                });
            }
            d.insert(provider.clone(), v);
        }
        Ok(Self {
            rules,
            discounts: d,
        })
    }

    /// True when there are no price rules (discounts may still apply).
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rule pricing a call to `ids` (lower-case; reported and canonical) of `provider` that
    /// started at `time_ns`: the most specific pattern, then the latest price in force.
    pub fn find(&self, ids: &[&str], provider: Option<&str>, time_ns: i64) -> Option<&Rule> {
        self.rules
            .iter()
            .filter(|r| r.from <= time_ns)
            .filter(|r| r.provider.is_none() || r.provider.as_deref() == provider)
            .filter(|r| ids.iter().any(|id| glob_match(&r.pattern, id.as_bytes())))
            .max_by_key(|r| (r.literal_len, r.provider.is_some(), r.from))
    }

    /// Applies the provider's discount to an amount.
    pub fn discount(&self, provider: Option<&str>, a: Atto) -> Atto {
        match provider.and_then(|p| self.discounts.get(p)) {
            // exact: split so the product stays far from i128's range
            Some(m) => (a / ATTO) * m + (a % ATTO) * m / ATTO,
            None => a,
        }
    }

    /// True when a discount applies to the provider.
    pub fn discounted(&self, provider: Option<&str>) -> bool {
        provider.is_some_and(|p| self.discounts.contains_key(p))
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` (midnight UTC) or RFC 3339 `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, as Unix ns.
pub fn parse_instant(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let t = s.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())?
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let days_in = [
        31,
        28 + (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) as i64,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&mo) || d < 1 || d > days_in[(mo - 1) as usize] {
        return None;
    }
    let mut secs = days_from_civil(y, mo, d) * 86_400;
    let mut nanos = 0i64;
    if b.len() > 10 {
        if !(b[10] == b'T' || b[10] == b't' || b[10] == b' ')
            || b.len() < 19
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if h > 23 || mi > 59 || se > 60 {
            return None;
        }
        secs += h * 3600 + mi * 60 + se;
        let mut i = 19;
        if b.get(i) == Some(&b'.') {
            let start = i + 1;
            i = start;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let frac = &s[start..i];
            if frac.is_empty() {
                return None;
            }
            let digits: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
            nanos = digits.parse().ok()?;
        }
        match &s[i..] {
            "Z" | "z" => {}
            tz if tz.len() == 6
                && (tz.starts_with('+') || tz.starts_with('-'))
                && &tz[3..4] == ":" =>
            {
                let off = num(i + 1..i + 3)? * 3600 + num(i + 4..i + 6)? * 60;
                secs -= if tz.starts_with('+') { off } else { -off };
            }
            _ => return None,
        }
    }
    secs.checked_mul(1_000_000_000)?.checked_add(nanos)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules(v: serde_json::Value) -> Result<Overrides, String> {
        let prices: Vec<PriceOverride> = serde_json::from_value(v).unwrap();
        Overrides::new(&prices, &HashMap::new()).map_err(|e| e.to_string())
    }

    #[test]
    fn instants() {
        assert_eq!(parse_instant("1970-01-01"), Some(0));
        assert_eq!(parse_instant("2026-03-01"), Some(1_772_323_200_000_000_000));
        assert_eq!(
            parse_instant("2026-03-01T01:00:00+01:00"),
            Some(1_772_323_200_000_000_000)
        );
        assert_eq!(
            parse_instant("2026-03-01T00:00:00.5Z"),
            Some(1_772_323_200_500_000_000)
        );
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "yesterday",
            "2026-03-01T25:00:00Z",
            "2026-03-01T00:00:00",
        ] {
            assert_eq!(parse_instant(bad), None, "{bad}");
        }
        assert!(parse_instant("2024-02-29").is_some());
    }

    #[test]
    fn most_specific_then_latest_in_force() {
        let o = rules(json!([
            {"model": "acme-*", "input_cost_per_token": 1e-6},
            {"model": "acme-large", "input_cost_per_token": 2e-6},
            {"model": "acme-large", "input_cost_per_token": 3e-6, "effective_from": "2026-06-01"},
        ]))
        .unwrap();
        let t = |d: &str| parse_instant(d).unwrap();
        let key = |id: &str, at: i64| {
            o.find(&[id], None, at)
                .map(|r| r.entry.rates["input_cost_per_token"])
        };
        assert_eq!(key("acme-small", t("2026-01-01")), Some(1_000_000_000_000));
        assert_eq!(key("acme-large", t("2026-05-31")), Some(2_000_000_000_000));
        assert_eq!(key("acme-large", t("2026-06-01")), Some(3_000_000_000_000));
        assert_eq!(key("other", t("2026-06-01")), None);
    }

    #[test]
    fn provider_scoped_rules_and_discounts() {
        let prices: Vec<PriceOverride> = serde_json::from_value(json!([
            {"model": "gpt-4o", "provider": "azure.ai.openai", "input_cost_per_token": 0.000002},
        ]))
        .unwrap();
        let discounts: HashMap<String, serde_json::Number> =
            serde_json::from_value(json!({"openai": 0.9})).unwrap();
        let o = Overrides::new(&prices, &discounts).unwrap();
        assert!(o.find(&["gpt-4o"], Some("openai"), 0).is_none());
        assert!(o.find(&["gpt-4o"], Some("azure.ai.openai"), 0).is_some());
        assert_eq!(o.discount(Some("openai"), 1_000), 900);
        assert_eq!(
            o.discount(Some("openai"), 3 * ATTO + 10),
            2_700_000_000_000_000_009
        );
        assert_eq!(o.discount(Some("anthropic"), 1_000), 1_000);
    }

    #[test]
    fn errors_name_the_key() {
        let e = rules(json!([{"model": "*", "input_cost_per_token": 1e-6}])).unwrap_err();
        assert!(e.starts_with("prices[0].model:"), "{e}");
        let e = rules(json!([
            {"model": "a", "input_cost_per_token": 1e-6},
            {"model": "b", "input_cost_per_token": 1e-6, "effective_from": "March"}
        ]))
        .unwrap_err();
        assert!(e.starts_with("prices[1].effective_from:"), "{e}");
        let e = rules(json!([{"model": "a", "input_cost_per_token": -1}])).unwrap_err();
        assert!(e.starts_with("prices[0].input_cost_per_token:"), "{e}");
        let d: HashMap<String, serde_json::Number> =
            serde_json::from_value(json!({"openai": 90})).unwrap();
        let e = Overrides::new(&[], &d).unwrap_err().to_string();
        assert!(e.starts_with("provider_discounts.openai:"), "{e}");
    }
}
