//go:generate mdatagen metadata.yaml

// Package costcalculationprocessor prices every LLM call from an embedded, dated price
// catalog. The logic lives in the Rust library (rust/cost); this package is config, factory
// and the bridge call.
package costcalculationprocessor // import "github.com/llm-observatory/collector/go/costcalculationprocessor"
