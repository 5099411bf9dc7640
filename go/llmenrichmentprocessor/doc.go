//go:generate mdatagen metadata.yaml

// Package llmenrichmentprocessor finds LLM spans and GenAI log records from any
// instrumentation and normalizes them to the OpenTelemetry GenAI semantic conventions.
// The logic lives in the Rust library (rust/enrich); this package is config, factory and
// the bridge call.
package llmenrichmentprocessor // import "github.com/llm-observatory/collector/go/llmenrichmentprocessor"
