package llmenrichmentprocessor // import "github.com/llm-observatory/collector/go/llmenrichmentprocessor"

import (
	"context"

	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmenrichmentprocessor/internal/metadata"
)

type enrichProcessor struct {
	cfg       *Config
	stage     *pipeline.Stage
	telemetry *metadata.TelemetryBuilder
}

func newEnrichProcessor(set processor.Settings, cfg *Config) (*enrichProcessor, error) {
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	p := &enrichProcessor{cfg: cfg, telemetry: tb}
	if !cfg.Enabled {
		return p, nil
	}
	b, err := cfg.toJSON()
	if err != nil {
		return nil, err
	}
	p.stage, err = pipeline.NewStage(metadataKind, b, set.Logger)
	if err != nil {
		tb.Shutdown()
		return nil, err
	}
	return p, nil
}

func (p *enrichProcessor) record(ctx context.Context, signal string, res pipeline.Result, err error) {
	p.telemetry.ProcessorLlmEnrichmentItems.Add(ctx, int64(res.Items))
	if res.Sent > 0 {
		p.telemetry.ProcessorLlmEnrichmentBridgeDuration.Record(ctx, res.Duration.Seconds())
	}
	if err != nil {
		p.telemetry.ProcessorLlmEnrichmentFailedBatches.Add(ctx, 1)
		p.stage.LogFailure(signal, err)
		return
	}
	p.telemetry.ProcessorLlmEnrichmentLlmItems.Add(ctx, int64(res.Counters["llm_items"]))
	p.telemetry.ProcessorLlmEnrichmentInvalidValues.Add(ctx, int64(res.Counters["invalid_values"]))
}

// processTraces fails open: whatever goes wrong, the batch goes on, unchanged.
func (p *enrichProcessor) processTraces(ctx context.Context, td ptrace.Traces) (ptrace.Traces, error) {
	if p.stage == nil || !p.cfg.Traces {
		return td, nil
	}
	res, err := p.stage.Traces(ctx, td)
	p.record(ctx, "traces", res, err)
	return td, nil
}

func (p *enrichProcessor) processLogs(ctx context.Context, ld plog.Logs) (plog.Logs, error) {
	if p.stage == nil || !p.cfg.Logs {
		return ld, nil
	}
	res, err := p.stage.Logs(ctx, ld)
	p.record(ctx, "logs", res, err)
	return ld, nil
}

func (p *enrichProcessor) shutdown(context.Context) error {
	if p.stage != nil {
		p.stage.Close()
	}
	p.telemetry.Shutdown()
	return nil
}
