package pipeline

import (
	"context"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processorhelper"
)

var capabilities = consumer.Capabilities{MutatesData: true}

// NewFactory is the factory of every processor in this module: traces and logs, each
// pipeline getting its own Processor from build.
func NewFactory(
	typ component.Type,
	tracesStability, logsStability component.StabilityLevel,
	createDefaultConfig component.CreateDefaultConfigFunc,
	build func(processor.Settings, component.Config) (*Processor, error),
) processor.Factory {
	createTraces := func(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Traces) (processor.Traces, error) {
		p, err := build(set, cfg)
		if err != nil {
			return nil, err
		}
		return processorhelper.NewTraces(ctx, set, cfg, next, p.ProcessTraces,
			processorhelper.WithCapabilities(capabilities), processorhelper.WithShutdown(p.Shutdown))
	}
	createLogs := func(ctx context.Context, set processor.Settings, cfg component.Config, next consumer.Logs) (processor.Logs, error) {
		p, err := build(set, cfg)
		if err != nil {
			return nil, err
		}
		return processorhelper.NewLogs(ctx, set, cfg, next, p.ProcessLogs,
			processorhelper.WithCapabilities(capabilities), processorhelper.WithShutdown(p.Shutdown))
	}
	return processor.NewFactory(typ, createDefaultConfig,
		processor.WithTraces(createTraces, tracesStability),
		processor.WithLogs(createLogs, logsStability))
}
