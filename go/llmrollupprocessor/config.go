package llmrollupprocessor // import "github.com/llm-observatory/collector/go/llmrollupprocessor"

import (
	"encoding/json"
	"time"

	"github.com/llm-observatory/collector/go/internal/pipeline"
)

// metadataKind is the Rust stage this processor runs.
const metadataKind = "llm_rollup"

// Config configures the llm_rollup processor. Its JSON form is what the Rust stage reads
// (rust/rollup), which validates it and names the offending key.
type Config struct {
	// Enabled turns the processor on; when false it passes spans through untouched.
	Enabled bool `mapstructure:"enabled" json:"-"`
	// DecisionWait is how long the spans of a trace are held after its first span arrived
	// before its totals are written and it is passed on.
	DecisionWait time.Duration `mapstructure:"decision_wait" json:"decision_wait"`
	// MaxTraces bounds the traces held at once; spans of further traces are passed on at once
	// without totals, counted and logged.
	MaxTraces uint64 `mapstructure:"max_traces" json:"max_traces"`
	// MaxSpans bounds the spans held at once over all traces (the memory bound), likewise.
	MaxSpans uint64 `mapstructure:"max_spans" json:"max_spans"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// Validate checks the configuration with the Rust stage, so the rules live in one place.
func (cfg *Config) Validate() error {
	return pipeline.Validate(metadataKind, cfg)
}

// mustJSON is the config as the Rust stage reads it (plain numbers and bools: it cannot fail).
func mustJSON(cfg *Config) []byte {
	b, err := json.Marshal(cfg)
	if err != nil {
		panic(err)
	}
	return b
}
