//go:generate mdatagen metadata.yaml

// Package llmspendguardprocessor writes bounded labels for spend metrics by tenant, user or
// any attribute: the top-K spenders of the last interval keep their value, the rest become
// "other". The logic lives in the Rust library (rust/spend); this package is config, factory
// and the bridge call.
package llmspendguardprocessor // import "github.com/llm-observatory/collector/go/llmspendguardprocessor"
