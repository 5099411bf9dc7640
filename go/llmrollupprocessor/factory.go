package llmrollupprocessor // import "github.com/llm-observatory/collector/go/llmrollupprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmrollupprocessor/internal/metadata"
)

// NewFactory returns the llm_rollup processor factory.
func NewFactory() processor.Factory {
	return processor.NewFactory(metadata.Type, createDefaultConfig,
		processor.WithTraces(createTraces, metadata.TracesStability))
}

func createDefaultConfig() component.Config {
	cfg := &Config{Enabled: true}
	pipeline.Defaults(metadataKind, cfg)
	return cfg
}

func createTraces(_ context.Context, set processor.Settings, c component.Config, next consumer.Traces) (processor.Traces, error) {
	return newRollup(set, c.(*Config), next)
}
