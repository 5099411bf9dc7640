package tokencountingprocessor // import "github.com/llm-observatory/collector/go/tokencountingprocessor"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/tokencountingprocessor/internal/metadata"
)

// counterItems is rust/tokens/src/lib.rs's COUNTER_ITEMS, labelled by usage source.
const counterItems = "items"

type telemetry struct{ tb *metadata.TelemetryBuilder }

func (t telemetry) Batch(ctx context.Context, items int, counters pipeline.Counters, took time.Duration, failed bool) {
	t.tb.ProcessorTokenCountingItems.Add(ctx, int64(items))
	if took > 0 {
		t.tb.ProcessorTokenCountingBridgeDuration.Record(ctx, took.Seconds())
	}
	if failed {
		t.tb.ProcessorTokenCountingFailedBatches.Add(ctx, 1)
		return
	}
	counters.Labels(counterItems, func(source string, n uint64) {
		t.tb.ProcessorTokenCountingUsage.Add(ctx, int64(n), metric.WithAttributes(attribute.String("source", source)))
	})
}

func newProcessor(set processor.Settings, c component.Config) (*pipeline.Processor, error) {
	cfg := c.(*Config)
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	return pipeline.New(set, metadataKind, cfg.Envelope, cfg.wire(), telemetry{tb}, tb.Shutdown)
}
