package llmenrichmentprocessor // import "github.com/llm-observatory/collector/go/llmenrichmentprocessor"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/processor"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmenrichmentprocessor/internal/metadata"
)

type telemetry struct{ tb *metadata.TelemetryBuilder }

func (t telemetry) Batch(ctx context.Context, items int, counters pipeline.Counters, took time.Duration, failed bool) {
	t.tb.ProcessorLlmEnrichmentItems.Add(ctx, int64(items))
	if took > 0 {
		t.tb.ProcessorLlmEnrichmentBridgeDuration.Record(ctx, took.Seconds())
	}
	if failed {
		t.tb.ProcessorLlmEnrichmentFailedBatches.Add(ctx, 1)
		return
	}
	t.tb.ProcessorLlmEnrichmentLlmItems.Add(ctx, int64(counters.Get("llm_items")))
	t.tb.ProcessorLlmEnrichmentInvalidValues.Add(ctx, int64(counters.Get("invalid_values")))
}

func newProcessor(set processor.Settings, c component.Config) (*pipeline.Processor, error) {
	return NewProcessor(set, c.(*Config))
}

// NewProcessor runs the enrichment stage with cfg; gen_ai_normalizer (a config front end for
// configs written for contrib's processor of that name) builds its processor through it.
func NewProcessor(set processor.Settings, cfg *Config) (*pipeline.Processor, error) {
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	return pipeline.New(set, metadataKind, cfg.Envelope, cfg.wire(), telemetry{tb}, tb.Shutdown)
}
