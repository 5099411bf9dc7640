//go:generate mdatagen metadata.yaml

// Package tokencountingprocessor keeps provider-reported token usage and counts what is
// missing with the model's tokenizer. The logic lives in the Rust library (rust/tokens);
// this package is config, factory and the bridge call.
package tokencountingprocessor // import "github.com/llm-observatory/collector/go/tokencountingprocessor"
