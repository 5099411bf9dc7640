//go:generate mdatagen metadata.yaml

// Package llmpayloadbudgetprocessor cuts GenAI message content over a byte budget, keeping
// the JSON valid and what matters most (system instructions, the last user turn, the output).
// The logic lives in the Rust library (rust/payload); this package is config, factory and the
// bridge call.
package llmpayloadbudgetprocessor // import "github.com/llm-observatory/collector/go/llmpayloadbudgetprocessor"
