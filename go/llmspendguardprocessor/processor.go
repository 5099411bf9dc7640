package llmspendguardprocessor // import "github.com/llm-observatory/collector/go/llmspendguardprocessor"

import (
	"context"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmspendguardprocessor/internal/metadata"
)

// Counter names of rust/spend, labelled by attribute.
const (
	counterKept   = "kept"
	counterFolded = "folded"
)

type telemetry struct{ tb *metadata.TelemetryBuilder }

func (t telemetry) Batch(ctx context.Context, _ int, counters pipeline.Counters, took time.Duration, failed bool) {
	if took > 0 {
		t.tb.ProcessorLlmSpendGuardBridgeDuration.Record(ctx, took.Seconds())
	}
	if failed {
		t.tb.ProcessorLlmSpendGuardFailedBatches.Add(ctx, 1)
		return
	}
	counters.Labels(counterKept, func(attr string, n uint64) {
		t.tb.ProcessorLlmSpendGuardKept.Add(ctx, int64(n), metric.WithAttributes(attribute.String("attribute", attr)))
	})
	counters.Labels(counterFolded, func(attr string, n uint64) {
		t.tb.ProcessorLlmSpendGuardFolded.Add(ctx, int64(n), metric.WithAttributes(attribute.String("attribute", attr)))
	})
}

func newProcessor(set processor.Settings, c component.Config) (*pipeline.Processor, error) {
	cfg := c.(*Config)
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	return pipeline.New(set, metadataKind, cfg.Envelope, cfg, telemetry{tb: tb}, tb.Shutdown)
}
