//! The GenAI knowledge the stages share, between `llmo-schema` (the wire and the vocabulary)
//! and the stages (enrich, tokens, cost, pii), which never import each other:
//!
//! * [`model`]: model ids (canonical id, family, date/version suffixes, provider prefixes,
//!   ARNs and resource paths) and provider names (normalized, from hosts, from models).
//! * [`sources`]: the readers of each instrumentation convention (GenAI semconv old and new,
//!   OpenInference, OpenLLMetry, OpenLIT, Vercel AI SDK, Langfuse, vendor keys and the user's
//!   own mappings) over an item's attributes, into one [`sources::Found`].
//! * [`fx`]: the hasher of the attribute index.

pub mod fx;
pub mod model;
pub mod sources;
