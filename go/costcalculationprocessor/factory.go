package costcalculationprocessor // import "github.com/llm-observatory/collector/go/costcalculationprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"

	"github.com/llm-observatory/collector/go/costcalculationprocessor/internal/metadata"
)

// metadataKind is the Rust stage this processor runs.
const metadataKind = "cost_calculation"

var processorCapabilities = consumer.Capabilities{MutatesData: true}

// NewFactory returns the cost_calculation processor factory.
func NewFactory() processor.Factory {
	return processor.NewFactory(
		metadata.Type,
		createDefaultConfig,
		processor.WithTraces(createTraces, metadata.TracesStability),
		processor.WithLogs(createLogs, metadata.LogsStability),
	)
}

func createDefaultConfig() component.Config {
	return &Config{Enabled: true, Traces: true, Logs: true}
}

func createTraces(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Traces) (processor.Traces, error) {
	p, err := newCostProcessor(set, cfg.(*Config))
	if err != nil {
		return nil, err
	}
	return processorhelper.NewTraces(ctx, set, cfg, next, p.ProcessTraces,
		processorhelper.WithCapabilities(processorCapabilities), processorhelper.WithShutdown(p.shutdown))
}

func createLogs(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Logs) (processor.Logs, error) {
	p, err := newCostProcessor(set, cfg.(*Config))
	if err != nil {
		return nil, err
	}
	return processorhelper.NewLogs(ctx, set, cfg, next, p.ProcessLogs,
		processorhelper.WithCapabilities(processorCapabilities), processorhelper.WithShutdown(p.shutdown))
}
