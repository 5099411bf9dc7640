package llmspendguardprocessor // import "github.com/llm-observatory/collector/go/llmspendguardprocessor"

import (
	"time"

	"github.com/llm-observatory/collector/go/internal/pipeline"
)

// metadataKind is the Rust stage this processor runs.
const metadataKind = "llm_spend_guard"

// Config configures the llm_spend_guard processor. Its JSON form is what the Rust stage reads
// (rust/spend), which validates it and names the offending key.
type Config struct {
	pipeline.Envelope `mapstructure:",squash"`
	// Dimensions are the attributes spend is labelled by, each with its own bound.
	Dimensions []Dimension `mapstructure:"dimensions" json:"dimensions"`
	// Interval is how long a set of admitted values stands; at its end the top_k biggest
	// spenders of the interval become the next set.
	Interval time.Duration `mapstructure:"interval" json:"interval"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// Dimension is one attribute to label spend by.
type Dimension struct {
	// Attribute is read from the span or log record, else its resource.
	Attribute string `mapstructure:"attribute" json:"attribute"`
	// TopK is how many values keep their own label per interval; the rest are "other".
	// Unset: 100 (the Rust stage's default; a pointer, so that an explicit 0 is refused).
	TopK *uint32 `mapstructure:"top_k" json:"top_k,omitempty"`
}

// Validate checks the configuration with the Rust stage, so the rules live in one place.
func (cfg *Config) Validate() error {
	return pipeline.Validate(metadataKind, cfg)
}
