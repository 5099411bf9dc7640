//! The GenAI knowledge the stages share, between `llmo-schema` (the wire and the vocabulary)
//! and the stages (enrich, tokens, cost, pii), which never import each other:
//!
//! * [`model`]: model ids (canonical id, family, date/version suffixes, provider prefixes,
//!   ARNs and resource paths) and provider names (normalized, from hosts, from models).
//! * [`sources`]: the readers of each instrumentation convention (GenAI semconv old and new,
//!   OpenInference, OpenLLMetry, OpenLIT, Vercel AI SDK, Langfuse, vendor keys and the user's
//!   own mappings) over an item's attributes, into one [`sources::Found`].
//! * [`slots`]: the attribute index: every key a reader knows has a fixed slot, so an item's
//!   attributes are classified once and each reader's lookup is an array index.
//! * [`fx`]: the hasher of the model-id cache.

pub mod fx;
pub mod model;
pub mod slots;
pub mod sources;
