package piiredactionprocessor // import "github.com/llm-observatory/collector/go/piiredactionprocessor"

import (
	"context"
	"strings"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/piiredactionprocessor/internal/metadata"
)

// findingsPrefix marks the Rust counters of findings by type (rust/pii/src/lib.rs).
const findingsPrefix = "findings:"

type telemetry struct {
	tb *metadata.TelemetryBuilder
}

func (t telemetry) Batch(ctx context.Context, items int, counters map[string]uint64, took time.Duration, failed bool) {
	t.tb.ProcessorPiiRedactionItems.Add(ctx, int64(items))
	if took > 0 {
		t.tb.ProcessorPiiRedactionBridgeDuration.Record(ctx, took.Seconds())
	}
	if failed {
		t.tb.ProcessorPiiRedactionFailedBatches.Add(ctx, 1)
		return
	}
	for name, n := range counters {
		if typ, ok := strings.CutPrefix(name, findingsPrefix); ok {
			t.tb.ProcessorPiiRedactionFindings.Add(ctx, int64(n),
				metric.WithAttributes(attribute.String("pii.type", typ)))
		}
	}
	t.tb.ProcessorPiiRedactionItemsWithPii.Add(ctx, int64(counters["items_with_pii"]))
	t.tb.ProcessorPiiRedactionRedactedValues.Add(ctx, int64(counters["redacted_values"]))
	t.tb.ProcessorPiiRedactionDroppedValues.Add(ctx, int64(counters["dropped_values"]))
	t.tb.ProcessorPiiRedactionUnscannableValues.Add(ctx, int64(counters["unscannable_values"]))
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
