//! The price catalog: generated from LiteLLM's model_prices_and_context_window.json by
//! `data/generate_catalog.py` (MIT, see `data/NOTICE`) and embedded at build time.
//!
//! Prices are kept as exact integers of attodollars (1e-18 USD) per token, parsed from the
//! catalog's decimal text, so a call's cost is an exact integer sum and is rounded once, when
//! it becomes the `gen_ai.usage.cost.amount` double.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::value::RawValue;

/// Attodollars (1e-18 USD).
pub type Atto = i128;

/// One priced model.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The catalog key.
    pub key: String,
    /// LiteLLM's provider name.
    pub provider: String,
    /// `chat`, `completion`, `embedding`, `responses`.
    pub mode: String,
    /// Rate name (e.g. `input_cost_per_token_above_200k_tokens`) -> attodollars per token.
    pub rates: HashMap<String, Atto>,
    /// The date of this entry's price when it is not the catalog's (a user file or override).
    pub date: Option<String>,
}

/// The whole catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The date of the price data.
    pub date: String,
    /// Lower-case key -> entry.
    pub entries: HashMap<String, Entry>,
}

#[derive(Deserialize)]
struct RawCatalog<'a> {
    catalog_date: String,
    #[serde(borrow)]
    models: HashMap<String, HashMap<String, &'a RawValue>>,
}

/// Parses a non-negative decimal (`2.5e-06`, `0.000125`, `3`) into attodollars, exactly.
/// Precision below 1e-18 USD (none in practice) is truncated.
pub fn parse_atto(s: &str) -> Option<Atto> {
    let s = s.trim();
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.starts_with('-')
        || !(int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let digits: String = format!("{int}{frac}");
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some(0);
    }
    // value = digits * 10^(exp - frac.len()); in atto: * 10^18
    let scale = exp - frac.len() as i32 + 18;
    let mut v: Atto = digits.parse::<Atto>().ok()?;
    if scale >= 0 {
        v = v.checked_mul(10i128.checked_pow(scale as u32)?)?;
    } else {
        v /= 10i128.checked_pow((-scale) as u32).unwrap_or(i128::MAX);
    }
    Some(v)
}

fn entries_of(
    models: HashMap<String, HashMap<String, &RawValue>>,
    date: Option<&str>,
) -> HashMap<String, Entry> {
    let mut entries = HashMap::with_capacity(models.len());
    for (key, fields) in models {
        if key == "sample_spec" {
            continue; // LiteLLM's documentation entry
        }
        let mut e = Entry {
            key: key.clone(),
            provider: String::new(),
            mode: String::new(),
            rates: HashMap::new(),
            date: date.map(str::to_string),
        };
        for (name, v) in fields {
            let text = v.get();
            match name.as_str() {
                "litellm_provider" => e.provider = serde_json::from_str(text).unwrap_or_default(),
                "mode" => e.mode = serde_json::from_str(text).unwrap_or_default(),
                // only prices: context windows, flags and the like are not rates
                n if n.contains("cost") => {
                    if let Some(a) = parse_atto(text) {
                        e.rates.insert(name, a);
                    }
                }
                _ => {}
            }
        }
        if !e.rates.is_empty() {
            entries.insert(key.to_ascii_lowercase(), e);
        }
    }
    entries
}

/// Why a LiteLLM price map was refused.
#[derive(Debug, thiserror::Error)]
pub enum PriceMapError {
    /// Not a JSON object of models.
    #[error("not a LiteLLM price map: {0}")]
    NotAPriceMap(serde_json::Error),
    /// An object, but no model in it has a price.
    #[error("no priced models in it")]
    NoPricedModels,
}

impl Catalog {
    /// Parses a catalog in the generated format.
    pub fn parse(json: &str) -> Result<Self, serde_json::Error> {
        let raw: RawCatalog<'_> = serde_json::from_str(json)?;
        Ok(Catalog {
            date: raw.catalog_date,
            entries: entries_of(raw.models, None),
        })
    }

    /// This catalog with the entries of a file in LiteLLM's
    /// `model_prices_and_context_window.json` format laid over it (the file wins for the
    /// models it lists). `date` is the file's price date, written with the costs it gives.
    pub fn with_litellm_file(&self, json: &str, date: &str) -> Result<Self, PriceMapError> {
        let models: HashMap<String, HashMap<String, &RawValue>> =
            serde_json::from_str(json).map_err(PriceMapError::NotAPriceMap)?;
        let file = entries_of(models, Some(date));
        if file.is_empty() {
            return Err(PriceMapError::NoPricedModels);
        }
        let mut c = self.clone();
        c.entries.extend(file);
        Ok(c)
    }

    /// The embedded catalog, parsed once.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::parse(include_str!("../data/catalog.json"))
                .expect("the embedded catalog is generated and tested")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_exactly() {
        assert_eq!(parse_atto("2.5e-06"), Some(2_500_000_000_000));
        assert_eq!(parse_atto("1e-05"), Some(10_000_000_000_000));
        assert_eq!(parse_atto("0.000125"), Some(125_000_000_000_000));
        assert_eq!(parse_atto("3"), Some(3_000_000_000_000_000_000));
        assert_eq!(parse_atto("0"), Some(0));
        assert_eq!(parse_atto("1.25E-7"), Some(125_000_000_000));
        assert_eq!(parse_atto("-1"), None);
        assert_eq!(parse_atto("abc"), None);
    }

    #[test]
    fn a_litellm_file_lays_over_the_catalog() {
        let file = r#"{
            "sample_spec": {"input_cost_per_token": 0, "mode": "chat"},
            "gpt-4o": {"input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06,
                       "litellm_provider": "openai", "mode": "chat", "max_tokens": 16384},
            "acme/new-model": {"input_cost_per_token": 1e-07, "litellm_provider": "acme"},
            "no-prices": {"max_tokens": 100}
        }"#;
        let c = Catalog::embedded()
            .with_litellm_file(file, "2026-11-01")
            .unwrap();
        assert_eq!(
            c.entries["gpt-4o"].rates["input_cost_per_token"],
            2_000_000_000_000
        );
        assert!(!c.entries["gpt-4o"].rates.contains_key("max_tokens"));
        assert_eq!(c.entries["gpt-4o"].date.as_deref(), Some("2026-11-01"));
        assert!(c.entries.contains_key("acme/new-model"));
        assert!(!c.entries.contains_key("sample_spec") && !c.entries.contains_key("no-prices"));
        assert_eq!(c.entries.len(), Catalog::embedded().entries.len() + 1);
        assert!(Catalog::embedded().with_litellm_file("[1]", "d").is_err());
        assert!(Catalog::embedded().with_litellm_file("{}", "d").is_err());
    }

    #[test]
    fn the_embedded_catalog_is_large_enough() {
        let c = Catalog::embedded();
        assert!(c.entries.len() >= 2000, "{}", c.entries.len());
        let gpt4o = &c.entries["gpt-4o"];
        assert_eq!(gpt4o.rates["input_cost_per_token"], 2_500_000_000_000);
    }
}
