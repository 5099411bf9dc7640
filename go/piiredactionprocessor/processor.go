package piiredactionprocessor // import "github.com/llm-observatory/collector/go/piiredactionprocessor"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/piiredactionprocessor/internal/metadata"
)

// Counter names of rust/pii/src/lib.rs (counters); findings is labelled by type.
const (
	counterFindings          = "findings"
	counterItemsWithPII      = "items_with_pii"
	counterRedactedValues    = "redacted_values"
	counterDroppedValues     = "dropped_values"
	counterUnscannableValues = "unscannable_values"
)

type telemetry struct {
	tb *metadata.TelemetryBuilder
}

func (t telemetry) Batch(ctx context.Context, items int, counters pipeline.Counters, took time.Duration, failed bool) {
	t.tb.ProcessorPiiRedactionItems.Add(ctx, int64(items))
	if took > 0 {
		t.tb.ProcessorPiiRedactionBridgeDuration.Record(ctx, took.Seconds())
	}
	if failed {
		t.tb.ProcessorPiiRedactionFailedBatches.Add(ctx, 1)
		return
	}
	counters.Labels(counterFindings, func(typ string, n uint64) {
		t.tb.ProcessorPiiRedactionFindings.Add(ctx, int64(n),
			metric.WithAttributes(attribute.String("pii.type", typ)))
	})
	t.tb.ProcessorPiiRedactionItemsWithPii.Add(ctx, int64(counters.Get(counterItemsWithPII)))
	t.tb.ProcessorPiiRedactionRedactedValues.Add(ctx, int64(counters.Get(counterRedactedValues)))
	t.tb.ProcessorPiiRedactionDroppedValues.Add(ctx, int64(counters.Get(counterDroppedValues)))
	t.tb.ProcessorPiiRedactionUnscannableValues.Add(ctx, int64(counters.Get(counterUnscannableValues)))
}

func newProcessor(set processor.Settings, c component.Config) (*pipeline.Processor, error) {
	cfg := c.(*Config)
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	p, err := pipeline.New(set, metadataKind, cfg.Envelope, cfg.wire(), telemetry{tb: tb}, tb.Shutdown)
	if err != nil {
		return nil, err
	}
	p.FailClosed = true
	return p, nil
}
