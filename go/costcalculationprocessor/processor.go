package costcalculationprocessor // import "github.com/llm-observatory/collector/go/costcalculationprocessor"

import (
	"context"
	"sort"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/processor"
	"go.uber.org/zap"

	"github.com/llm-observatory/collector/go/costcalculationprocessor/internal/metadata"
	"github.com/llm-observatory/collector/go/internal/pipeline"
)

// Counter names of rust/cost/src/stage.rs. unknown_model is labelled by the model id (Rust
// bounds it and withholds one shaped like a secret).
const (
	counterPriced       = "priced"
	counterUnknownModel = "unknown_model"
)

// maxModelsLogged bounds one warning: a batch of many distinct unknown ids names the first ones.
const maxModelsLogged = 20

type telemetry struct {
	tb      *metadata.TelemetryBuilder
	logger  *zap.Logger
	limiter *pipeline.RateLimiter
}

func (t telemetry) Batch(ctx context.Context, items int, counters pipeline.Counters, took time.Duration, failed bool) {
	t.tb.ProcessorCostCalculationItems.Add(ctx, int64(items))
	if took > 0 {
		t.tb.ProcessorCostCalculationBridgeDuration.Record(ctx, took.Seconds())
	}
	if failed {
		t.tb.ProcessorCostCalculationFailedBatches.Add(ctx, 1)
		return
	}
	t.tb.ProcessorCostCalculationPriced.Add(ctx, int64(counters.Get(counterPriced)))
	var unknown []string
	counters.Labels(counterUnknownModel, func(model string, n uint64) {
		t.tb.ProcessorCostCalculationUnknownModels.Add(ctx, int64(n))
		unknown = append(unknown, model)
	})
	if len(unknown) > 0 {
		if suppressed, ok := t.limiter.Allow(); ok {
			sort.Strings(unknown)
			more := max(0, len(unknown)-maxModelsLogged)
			t.logger.Warn("no price for these models: no cost written (add them with a price override)",
				zap.Strings("models", unknown[:len(unknown)-more]), zap.Int("more_models", more),
				zap.Uint64("suppressed_since_last", suppressed))
		}
	}
}

func newProcessor(set processor.Settings, c component.Config) (*pipeline.Processor, error) {
	cfg := c.(*Config)
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	return pipeline.New(set, metadataKind, cfg.Envelope, cfg.wire(), telemetry{tb: tb, logger: set.Logger, limiter: pipeline.NewRateLimiter(time.Minute)}, tb.Shutdown)
}
