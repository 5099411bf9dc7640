package llmspendguardprocessor // import "github.com/llm-observatory/collector/go/llmspendguardprocessor"

import (
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/processor"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmspendguardprocessor/internal/metadata"
)

// NewFactory returns the llm_spend_guard processor factory.
func NewFactory() processor.Factory {
	return pipeline.NewFactory(metadata.Type, metadata.TracesStability, metadata.LogsStability,
		createDefaultConfig, newProcessor)
}

func createDefaultConfig() component.Config {
	cfg := &Config{Envelope: pipeline.DefaultEnvelope()}
	pipeline.Defaults(metadataKind, cfg)
	return cfg
}
