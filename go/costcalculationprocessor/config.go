package costcalculationprocessor // import "github.com/llm-observatory/collector/go/costcalculationprocessor"

import (
	"github.com/llm-observatory/collector/go/internal/pipeline"
)

// Config configures the cost_calculation processor. Its JSON form is what the Rust stage
// reads (rust/cost/src/stage.rs), which validates it and names the offending key.
type Config struct {
	// Enabled turns the processor on; when false it passes data through untouched.
	Enabled bool `mapstructure:"enabled" json:"enabled"`
	// Traces enables pricing of spans.
	Traces bool `mapstructure:"traces" json:"traces"`
	// Logs enables pricing of log records (GenAI operation-details events).
	Logs bool `mapstructure:"logs" json:"logs"`
	// PreferReportedCost trusts a cost the instrumentation reported (gen_ai.usage.cost) over
	// the catalog's; either way the reported value is kept under llm_observatory.cost.reported.
	PreferReportedCost bool `mapstructure:"prefer_reported_cost" json:"prefer_reported_cost"`

	// prevent unkeyed literal initialization
	_ struct{}
}

func (cfg *Config) wire() any {
	type plain Config
	return plain(*cfg)
}

// Validate checks the configuration with the Rust stage, so the rules live in one place.
func (cfg *Config) Validate() error {
	return pipeline.Validate(metadataKind, cfg.wire())
}
