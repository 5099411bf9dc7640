package llmenrichmentprocessor // import "github.com/llm-observatory/collector/go/llmenrichmentprocessor"

import (
	"github.com/llm-observatory/collector/go/internal/pipeline"
)

// Config configures the llm_enrichment processor. Its JSON form is what the Rust stage reads
// (rust/enrich/src/config.rs), which validates it and names the offending key.
type Config struct {
	pipeline.Envelope `mapstructure:",squash"`
	// KeepSourceAttributes keeps the instrumentation's own attributes after their values were
	// copied to the normalized names; when false they are removed.
	KeepSourceAttributes bool `mapstructure:"keep_source_attributes" json:"keep_source_attributes"`
	// Overwrite replaces normalized attributes that are already present with values derived
	// from other sources. Known convention deviations are corrected either way.
	Overwrite bool `mapstructure:"overwrite" json:"overwrite"`
	// InferProvider fills gen_ai.provider.name from server.address or the model when missing.
	InferProvider bool `mapstructure:"infer_provider" json:"infer_provider"`
	// ModelAliases maps a request model name (an Azure OpenAI deployment, a proxy alias) to
	// the model it serves.
	ModelAliases map[string]string `mapstructure:"model_aliases" json:"model_aliases"`
	// AttributeMappings maps an attribute key your instrumentation uses to the normalized
	// gen_ai.* name it fills.
	AttributeMappings map[string]string `mapstructure:"attribute_mappings" json:"attribute_mappings"`
	// MessageContent writes gen_ai.input.messages, gen_ai.output.messages and
	// gen_ai.system_instructions (semconv parts JSON) from the content other conventions write.
	MessageContent bool `mapstructure:"message_content" json:"message_content"`

	// prevent unkeyed literal initialization
	_ struct{}
}

// wire is the config as the Rust stage reads it (json tags above).
func (cfg *Config) wire() any {
	type plain Config
	c := plain(*cfg)
	if c.ModelAliases == nil {
		c.ModelAliases = map[string]string{}
	}
	if c.AttributeMappings == nil {
		c.AttributeMappings = map[string]string{}
	}
	return c
}

// Validate checks the configuration with the Rust stage, so the rules live in one place.
func (cfg *Config) Validate() error {
	return pipeline.Validate(metadataKind, cfg.wire())
}
