//go:generate mdatagen metadata.yaml

// Package llmrollupprocessor holds the spans of each trace for a bounded time and memory and
// writes onto the run's root span and each agent or workflow span the totals of the LLM calls
// beneath it. The totals are computed in the Rust library (rust/rollup); this package is config,
// factory, the buffer and the bridge call.
package llmrollupprocessor // import "github.com/llm-observatory/collector/go/llmrollupprocessor"
