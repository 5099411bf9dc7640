//! The price catalog: generated from LiteLLM's model_prices_and_context_window.json by
//! `data/generate_catalog.py` (MIT, see `data/NOTICE`) and embedded at build time.
//!
//! Dated prices come from pydantic's genai-prices (MIT, see `data/NOTICE`) through
//! `data/generate_history.py`: a call is priced at the price in force at its start.
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
    /// For a dated price of the price history: the period it was in force
    /// (`2026-10-20/2026-10-29`, an open end `..`).
    pub period: Option<String>,
}

/// A price in force for a while: [`Catalog::history`].
#[derive(Debug, Clone)]
pub struct Period {
    /// From (Unix ns, inclusive); `None`: since ever.
    pub from: Option<i64>,
    /// Until (Unix ns, exclusive); `None`: still.
    pub until: Option<i64>,
    /// The entry with this period's rates.
    pub entry: Entry,
}

/// The whole catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    /// The date of the price data.
    pub date: String,
    /// Lower-case key -> entry.
    pub entries: HashMap<String, Entry>,
    /// Lower-case key -> the periods in which the entry's price is not the one in force
    /// (pydantic's genai-prices, `data/generate_history.py`): between them, the entry's.
    pub history: HashMap<String, Vec<Period>>,
}

#[derive(Deserialize)]
struct RawHistory<'a> {
    #[serde(borrow)]
    models: HashMap<String, Vec<RawPeriod<'a>>>,
}

#[derive(Deserialize)]
struct RawPeriod<'a> {
    from: Option<String>,
    until: Option<String>,
    #[serde(borrow)]
    rates: HashMap<String, &'a str>,
}

/// Why a price history was refused.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// Not JSON of the generated shape.
    #[error("not a price history: {0}")]
    Json(#[from] serde_json::Error),
    /// A date or a price that does not parse, or a period that ends before it starts.
    #[error("{key}: {reason}")]
    Invalid {
        /// The catalog key.
        key: String,
        /// What is wrong.
        reason: String,
    },
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
            period: None,
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
            history: HashMap::new(),
        })
    }

    /// This catalog with a price history in the generated format (`data/history.json`): each
    /// period's rates replace the entry's while the period lasts. A period of a key the
    /// catalog does not have is refused.
    pub fn with_history(mut self, json: &str) -> Result<Self, HistoryError> {
        let raw: RawHistory<'_> = serde_json::from_str(json)?;
        for (key, periods) in raw.models {
            let invalid = |reason: String| HistoryError::Invalid {
                key: key.clone(),
                reason,
            };
            let lower = key.to_ascii_lowercase();
            let Some(base) = self.entries.get(&lower) else {
                return Err(invalid("not in the catalog".into()));
            };
            let mut out = Vec::with_capacity(periods.len());
            for p in periods {
                let instant = |d: &Option<String>| -> Result<Option<i64>, HistoryError> {
                    d.as_deref()
                        .map(|d| {
                            crate::overrides::parse_instant(d)
                                .ok_or_else(|| invalid(format!("{d:?} is not a date")))
                        })
                        .transpose()
                };
                let (from, until) = (instant(&p.from)?, instant(&p.until)?);
                if let (Some(f), Some(u)) = (from, until) {
                    if f >= u {
                        return Err(invalid(format!("{:?} is not before {:?}", p.from, p.until)));
                    }
                }
                let mut rates = HashMap::with_capacity(p.rates.len());
                for (name, text) in p.rates {
                    let a = parse_atto(text)
                        .ok_or_else(|| invalid(format!("{name}: {text:?} is not a price")))?;
                    rates.insert(name, a);
                }
                let period = format!(
                    "{}/{}",
                    p.from.as_deref().unwrap_or(".."),
                    p.until.as_deref().unwrap_or("..")
                );
                out.push(Period {
                    from,
                    until,
                    entry: Entry {
                        rates,
                        period: Some(period),
                        ..base.clone()
                    },
                });
            }
            self.history.insert(lower, out);
        }
        Ok(self)
    }

    /// The price of `e` in force at `t` (Unix ns): the period of its history that holds `t`,
    /// else `e` itself.
    pub fn in_force<'c>(&'c self, e: &'c Entry, t: i64) -> &'c Entry {
        if self.history.is_empty() || e.period.is_some() {
            return e;
        }
        self.history
            .get(&e.key.to_ascii_lowercase())
            .and_then(|ps| {
                ps.iter()
                    .find(|p| p.from.is_none_or(|f| f <= t) && p.until.is_none_or(|u| t < u))
            })
            .map_or(e, |p| &p.entry)
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
        // the file's price is the user's: no dated price of ours replaces it
        for k in file.keys() {
            c.history.remove(k);
        }
        c.entries.extend(file);
        Ok(c)
    }

    /// The embedded catalog, parsed once.
    pub fn embedded() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| {
            Catalog::parse(include_str!("../data/catalog.json"))
                .expect("the embedded catalog is generated and tested")
                .with_history(include_str!("../data/history.json"))
                .expect("the embedded history is generated and tested")
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

    /// Where genai-prices and LiteLLM disagree on the price in force on the catalog date, the
    /// history file names the winner and the catalog prices as it says: genai-prices when it
    /// dates that price (the snapshot predates the change), LiteLLM otherwise.
    #[test]
    fn disagreements_resolve_as_the_history_says() {
        let c = Catalog::embedded();
        let h: serde_json::Value =
            serde_json::from_str(include_str!("../data/history.json")).unwrap();
        let t = crate::overrides::parse_instant(&c.date).unwrap() + 12 * 3600 * 1_000_000_000;
        let d = h["disagreements"].as_object().unwrap();
        assert!(!d.is_empty(), "the test data has disagreements to show");
        for (key, v) in d {
            let e = &c.entries[&key.to_ascii_lowercase()];
            let priced = c.in_force(e, t);
            let want = if v["wins"] == "genai-prices" {
                assert!(
                    v["from"].is_string(),
                    "{key}: genai-prices wins only when dated"
                );
                &v["genai_prices"]
            } else {
                &v["litellm"]
            };
            for (rate, text) in want.as_object().unwrap() {
                assert_eq!(
                    priced.rates[rate],
                    parse_atto(text.as_str().unwrap()).unwrap(),
                    "{key} {rate}"
                );
            }
        }
        // every dated period belongs to a catalog entry, and none overlap
        for (key, ps) in &c.history {
            for w in ps.windows(2) {
                assert!(w[0].until.is_some() && w[0].until <= w[1].from, "{key}");
            }
        }
        assert!(c.history.len() >= 40, "{}", c.history.len());
    }

    #[test]
    fn a_history_is_checked() {
        let base = || Catalog::embedded().clone();
        for (json, want) in [
            (r#"{"models":{"nope":[]}}"#, "nope: not in the catalog"),
            (
                r#"{"models":{"gpt-4o":[{"from":"2026-13-01","until":null,"rates":{}}]}}"#,
                "gpt-4o: \"2026-13-01\" is not a date",
            ),
            (
                r#"{"models":{"gpt-4o":[{"from":"2026-10-01","until":"2026-09-01","rates":{}}]}}"#,
                "gpt-4o: Some(\"2026-10-01\") is not before Some(\"2026-09-01\")",
            ),
            (
                r#"{"models":{"gpt-4o":[{"from":null,"until":null,"rates":{"input_cost_per_token":"-1"}}]}}"#,
                "gpt-4o: input_cost_per_token: \"-1\" is not a price",
            ),
        ] {
            assert_eq!(base().with_history(json).unwrap_err().to_string(), want);
        }
        assert!(base().with_history("[]").is_err());
    }

    #[test]
    fn the_embedded_catalog_is_large_enough() {
        let c = Catalog::embedded();
        assert!(c.entries.len() >= 2000, "{}", c.entries.len());
        let gpt4o = &c.entries["gpt-4o"];
        assert_eq!(gpt4o.rates["input_cost_per_token"], 2_500_000_000_000);
    }
}
