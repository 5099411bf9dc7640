package llmpayloadbudgetprocessor // import "github.com/llm-observatory/collector/go/llmpayloadbudgetprocessor"

import (
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/processor"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmpayloadbudgetprocessor/internal/metadata"
)

// NewFactory returns the llm_payload_budget processor factory.
func NewFactory() processor.Factory {
	return pipeline.NewFactory(metadata.Type, metadata.TracesStability, metadata.LogsStability,
		createDefaultConfig, newProcessor)
}

// createDefaultConfig is off: content is cut only where a budget is asked for.
func createDefaultConfig() component.Config {
	env := pipeline.DefaultEnvelope()
	env.Enabled = false
	cfg := &Config{Envelope: env}
	pipeline.Defaults(metadataKind, cfg)
	return cfg
}
