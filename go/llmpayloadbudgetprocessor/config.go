package llmpayloadbudgetprocessor // import "github.com/llm-observatory/collector/go/llmpayloadbudgetprocessor"

import (
	"github.com/llm-observatory/collector/go/internal/pipeline"
)

// metadataKind is the Rust stage this processor runs.
const metadataKind = "llm_payload_budget"

// Config configures the llm_payload_budget processor. Its JSON form is what the Rust stage
// reads (rust/payload), which validates it and names the offending key. Off by default:
// turn it on with `enabled: true` (configs/full.yaml does).
type Config struct {
	pipeline.Envelope `mapstructure:",squash"`
	// MaxAttributeBytes is the most bytes one content attribute keeps.
	MaxAttributeBytes int `mapstructure:"max_attribute_bytes" json:"max_attribute_bytes"`
	// MaxItemBytes is the most bytes all content attributes of a span or log record keep.
	MaxItemBytes int `mapstructure:"max_item_bytes" json:"max_item_bytes"`
	// Keys are the content attributes by exact key; KeyPrefixes by prefix.
	Keys        []string `mapstructure:"keys" json:"keys"`
	KeyPrefixes []string `mapstructure:"key_prefixes" json:"key_prefixes"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// Validate checks the configuration with the Rust stage, so the rules live in one place.
func (cfg *Config) Validate() error {
	return pipeline.Validate(metadataKind, cfg)
}
