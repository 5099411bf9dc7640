//go:generate mdatagen metadata.yaml

// Package piiredactionprocessor masks, hashes or drops personal data and credentials in
// attributes, span events, log bodies and inside GenAI message JSON. The detection lives in
// the Rust library (rust/pii); this package is config, factory, the bridge call and telemetry.
// It fails closed: a batch the Rust stage cannot process is refused, never passed on.
package piiredactionprocessor // import "github.com/llm-observatory/collector/go/piiredactionprocessor"
