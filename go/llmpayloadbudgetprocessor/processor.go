package llmpayloadbudgetprocessor // import "github.com/llm-observatory/collector/go/llmpayloadbudgetprocessor"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/processor"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmpayloadbudgetprocessor/internal/metadata"
)

// Counter names of rust/payload.
const (
	counterCutValues = "cut_values"
	counterCutBytes  = "cut_bytes"
)

type telemetry struct{ tb *metadata.TelemetryBuilder }

func (t telemetry) Batch(ctx context.Context, _ int, counters pipeline.Counters, took time.Duration, failed bool) {
	if took > 0 {
		t.tb.ProcessorLlmPayloadBudgetBridgeDuration.Record(ctx, took.Seconds())
	}
	if failed {
		t.tb.ProcessorLlmPayloadBudgetFailedBatches.Add(ctx, 1)
		return
	}
	t.tb.ProcessorLlmPayloadBudgetCutValues.Add(ctx, int64(counters.Get(counterCutValues)))
	t.tb.ProcessorLlmPayloadBudgetCutBytes.Add(ctx, int64(counters.Get(counterCutBytes)))
}

func newProcessor(set processor.Settings, c component.Config) (*pipeline.Processor, error) {
	cfg := c.(*Config)
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	return pipeline.New(set, metadataKind, cfg.Envelope, cfg, telemetry{tb: tb}, tb.Shutdown)
}
