package genainormalizerprocessor // import "github.com/llm-observatory/collector/go/genainormalizerprocessor"

import (
	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/processor"

	"github.com/llm-observatory/collector/go/genainormalizerprocessor/internal/metadata"
	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmenrichmentprocessor"
)

// NewFactory returns the gen_ai_normalizer processor factory.
func NewFactory() processor.Factory {
	return pipeline.NewFactory(metadata.Type, metadata.TracesStability, metadata.LogsStability,
		createDefaultConfig, newProcessor)
}

func createDefaultConfig() component.Config {
	return &Config{Sources: map[string]Source{}}
}

func newProcessor(set processor.Settings, c component.Config) (*pipeline.Processor, error) {
	enrichment, err := c.(*Config).enrichment()
	if err != nil {
		return nil, err
	}
	return llmenrichmentprocessor.NewProcessor(set, enrichment)
}
