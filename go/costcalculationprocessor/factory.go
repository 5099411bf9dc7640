package costcalculationprocessor // import "github.com/llm-observatory/collector/go/costcalculationprocessor"

import (
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/processor"

	"github.com/llm-observatory/collector/go/costcalculationprocessor/internal/metadata"
	"github.com/llm-observatory/collector/go/internal/pipeline"
)

// metadataKind is the Rust stage this processor runs.
const metadataKind = "cost_calculation"

// NewFactory returns the cost_calculation processor factory.
func NewFactory() processor.Factory {
	return pipeline.NewFactory(metadata.Type, metadata.TracesStability, metadata.LogsStability,
		createDefaultConfig, newProcessor)
}

func createDefaultConfig() component.Config {
	cfg := &Config{Envelope: pipeline.DefaultEnvelope()}
	pipeline.Defaults(metadataKind, cfg)
	return cfg
}
