package llmenrichmentprocessor // import "github.com/llm-observatory/collector/go/llmenrichmentprocessor"

import (
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/processor"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmenrichmentprocessor/internal/metadata"
)

// metadataKind is the Rust stage this processor runs.
const metadataKind = "llm_enrichment"

// NewFactory returns the llm_enrichment processor factory.
func NewFactory() processor.Factory {
	return pipeline.NewFactory(metadata.Type, metadata.TracesStability, metadata.LogsStability,
		createDefaultConfig, newProcessor)
}

func createDefaultConfig() component.Config {
	cfg := &Config{Envelope: pipeline.DefaultEnvelope()}
	pipeline.Defaults(metadataKind, cfg)
	return cfg
}
