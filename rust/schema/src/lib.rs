//! The shared language of the LLM Observatory processors.
//!
//! * [`attrs`]: the attribute vocabulary every processor agrees on: the OpenTelemetry GenAI
//!   semantic-convention names we normalize to, and the `llm_observatory.*` names this project
//!   adds. It is the only place those strings are spelled.
//! * [`view`]: the read-only view of a batch that crosses from Go into Rust: only the items
//!   (spans, log records) that carry keys a stage asked for, with only those keys.
//! * [`edits`]: what a stage sends back: set/delete attribute (or body) per item, plus counters.
//! * [`Interest`]: which keys a stage reads, so the Go side prunes the batch before encoding it.
//! * [`config`]: reading a stage's config, errors naming the YAML key path.
//! * [`memo`]: results of work on a text kept by content hash (resent conversations, repeated
//!   system prompts).
//! * [`loggable`]: user-supplied strings made fit for the collector's own log (bounded, and
//!   withheld when shaped like a secret).
//!
//! ```
//! use llmo_schema::{view::Batch, edits::Edits, encoder::Encoder};
//!
//! // The Go side encodes a view; here we build one by hand.
//! let mut enc = Encoder::new();
//! enc.begin_item(llmo_schema::view::ItemKind::Span, "chat gpt-4o", 1);
//! enc.attr_str("gen_ai.system", "openai");
//! enc.end_item_without_events_or_body();
//! let bytes = enc.finish();
//!
//! let batch = Batch::decode(&bytes).unwrap();
//! assert_eq!(batch.items.len(), 1);
//! let mut edits = Edits::new();
//! edits.set_str(0, llmo_schema::attrs::GEN_AI_PROVIDER_NAME, "openai");
//! assert_eq!(edits.len(), 1);
//! ```

pub mod attrs;
pub mod config;
pub mod edits;
#[cfg(any(test, feature = "test-support"))]
pub mod encoder;
pub mod glob;
mod interest;
pub mod loggable;
pub mod memo;
pub mod view;
pub mod wire;

pub use interest::Interest;

/// A processing stage: the Rust half of one collector processor.
///
/// Stages are immutable after construction and shared by all goroutines, hence `Send + Sync`.
pub trait Stage: Send + Sync {
    /// The keys this stage reads. Computed once; the Go side uses it to prune batches.
    fn interest(&self) -> Interest;

    /// Reads the batch and records the changes it wants in `edits`.
    ///
    /// A stage never fails as a whole on bad data: an item it cannot understand is left alone
    /// (or, for redaction, replaced by a marker) and counted.
    fn process(&self, batch: &view::Batch<'_>, edits: &mut edits::Edits);
}
