//! Configuration of the `cost_calculation` processor (the YAML keys, as JSON from Go).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::overrides::PriceOverride;

/// `cost_calculation` settings.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CostConfig {
    /// Trust a cost the instrumentation reported (`gen_ai.usage.cost`) over the catalog's.
    pub prefer_reported_cost: bool,
    /// Also write the price as the plain `gen_ai.usage.cost` double (SigNoz's and Langfuse's
    /// dashboards read it), unless the item arrived with one of its own.
    pub plain_cost_attribute: bool,
    /// A newer price map in LiteLLM's `model_prices_and_context_window.json` format, laid over
    /// the embedded catalog (the file wins for the models it lists).
    pub pricing_file: Option<String>,
    /// The date the file's prices are from (`YYYY-MM-DD`), written with the costs it gives;
    /// default: the file's modification date.
    pub pricing_file_date: Option<String>,
    /// User prices by model pattern, tried before the catalog (see [`PriceOverride`]).
    pub prices: Vec<PriceOverride>,
    /// Semconv provider name -> multiplier applied to every cost of that provider (0.8 = 20%
    /// off, e.g. a negotiated discount).
    pub provider_discounts: HashMap<String, serde_json::Number>,
}

/// A configuration problem, naming the key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A key that is unknown or of the wrong type (its path named).
    #[error(transparent)]
    Parse(#[from] llmo_schema::config::ParseError),
    /// A value of the right type that is not acceptable.
    #[error("{key}: {reason}")]
    Invalid {
        /// The key's path (`prices[1].effective_from`).
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A `pricing_file` that cannot be read or is not a price map.
    #[error("pricing_file: {path}: {reason}")]
    PricingFile {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
}
