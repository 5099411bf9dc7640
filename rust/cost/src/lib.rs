//! `cost_calculation`: the price of every LLM call from an embedded, dated catalog.
//!
//! See [`pricing`] for the arithmetic and [`catalog`] for the data and why costs are exact
//! integers of attodollars until they are written.

pub mod catalog;
pub mod config;
pub mod matching;
pub mod overrides;
pub mod pricing;
pub mod stage;

pub use config::{ConfigError, CostConfig};
pub use stage::CostCalculator;
