package llmenrichmentprocessor // import "github.com/llm-observatory/collector/go/llmenrichmentprocessor"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/processor"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmenrichmentprocessor/internal/metadata"
)

type telemetry struct{ tb *metadata.TelemetryBuilder }

func (t telemetry) Batch(ctx context.Context, items int, counters map[string]uint64, took time.Duration, failed bool) {
	t.tb.ProcessorLlmEnrichmentItems.Add(ctx, int64(items))
	if took > 0 {
		t.tb.ProcessorLlmEnrichmentBridgeDuration.Record(ctx, took.Seconds())
	}
	if failed {
		t.tb.ProcessorLlmEnrichmentFailedBatches.Add(ctx, 1)
		return
	}
	t.tb.ProcessorLlmEnrichmentLlmItems.Add(ctx, int64(counters["llm_items"]))
	t.tb.ProcessorLlmEnrichmentInvalidValues.Add(ctx, int64(counters["invalid_values"]))
}

type enrichProcessor struct {
	*pipeline.Processor
	tb *metadata.TelemetryBuilder
}

func newEnrichProcessor(set processor.Settings, cfg *Config) (*enrichProcessor, error) {
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	p, err := pipeline.New(set, metadataKind, cfg.Enabled, cfg.Traces, cfg.Logs, cfg.wire(), telemetry{tb})
	if err != nil {
		tb.Shutdown()
		return nil, err
	}
	return &enrichProcessor{Processor: p, tb: tb}, nil
}

func (p *enrichProcessor) shutdown(ctx context.Context) error {
	err := p.Processor.Shutdown(ctx)
	p.tb.Shutdown()
	return err
}
