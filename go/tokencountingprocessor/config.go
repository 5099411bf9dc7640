package tokencountingprocessor // import "github.com/llm-observatory/collector/go/tokencountingprocessor"

import (
	"github.com/llm-observatory/collector/go/internal/pipeline"
)

// Config configures the token_counting processor. Its JSON form is what the Rust stage reads
// (rust/tokens/src/config.rs), which validates it and names the offending key.
type Config struct {
	pipeline.Envelope `mapstructure:",squash"`
	// CountInput counts input tokens when the provider did not report them.
	CountInput bool `mapstructure:"count_input" json:"count_input"`
	// CountOutput counts output tokens when the provider did not report them.
	CountOutput bool `mapstructure:"count_output" json:"count_output"`
	// MaxContentBytes is the largest content, per item and side, that is tokenized; larger
	// content is marked llm_observatory.usage.skipped instead.
	MaxContentBytes int `mapstructure:"max_content_bytes" json:"max_content_bytes"`
	// ModelTokenizers maps a model id prefix to o200k_base or cl100k_base for models the
	// built-in table does not know; their counts are then exact.
	ModelTokenizers map[string]string `mapstructure:"model_tokenizers" json:"model_tokenizers"`
	// TokenizerFiles maps a model id prefix to a Hugging Face tokenizer.json on disk, loaded
	// once at start-up; those models' content is then counted exactly with it.
	TokenizerFiles map[string]string `mapstructure:"tokenizer_files" json:"tokenizer_files"`
	// FillEstimatedUsage writes estimated counts to gen_ai.usage.* (marked estimated); when
	// false they go to llm_observatory.usage.estimated.* only.
	FillEstimatedUsage bool `mapstructure:"fill_estimated_usage" json:"fill_estimated_usage"`
	// CountCacheEntries bounds the counts of long texts kept by content hash, so a
	// conversation's resent history is tokenized once; 0 turns the cache off.
	CountCacheEntries int `mapstructure:"count_cache_entries" json:"count_cache_entries"`

	// prevent unkeyed literal initialization
	_ struct{}
}

func (cfg *Config) wire() any {
	type plain Config
	c := plain(*cfg)
	if c.ModelTokenizers == nil {
		c.ModelTokenizers = map[string]string{}
	}
	if c.TokenizerFiles == nil {
		c.TokenizerFiles = map[string]string{}
	}
	return c
}

// Validate checks the configuration with the Rust stage, so the rules live in one place.
func (cfg *Config) Validate() error {
	return pipeline.Validate(metadataKind, cfg.wire())
}
