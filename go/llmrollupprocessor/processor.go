package llmrollupprocessor // import "github.com/llm-observatory/collector/go/llmrollupprocessor"

import (
	"context"
	"sync"
	"time"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumererror"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.uber.org/zap"

	"github.com/llm-observatory/collector/go/internal/pipeline"
	"github.com/llm-observatory/collector/go/llmrollupprocessor/internal/metadata"
)

// counterRuns is rust/rollup's counter of run spans written, labelled by role.
const counterRuns = "runs"

// held is one trace's spans waiting for their decision_wait to pass.
type held struct {
	td       ptrace.Traces
	spans    int
	deadline time.Time
}

// rollup holds spans by trace the way groupbytrace and tail_sampling do: a trace is released
// decision_wait after its first span arrived, with the run totals written by the Rust stage
// over the whole trace at once. Over max_traces or max_spans, spans of traces not held are
// passed on at once without totals (counted, logged): never dropped.
type rollup struct {
	next     consumer.Traces
	stage    *pipeline.Stage // nil when disabled
	wait     time.Duration
	maxT     int
	maxS     int
	tb       *metadata.TelemetryBuilder
	logger   *zap.Logger
	overflow *pipeline.RateLimiter
	failures *pipeline.RateLimiter

	mu     sync.Mutex
	traces map[pcommon.TraceID]*held
	queue  []pcommon.TraceID // in arrival order, so deadlines are in order too
	spans  int

	// now is time.Now, replaceable in tests.
	now      func() time.Time
	stop     chan struct{}
	loop     sync.WaitGroup
	stopOnce sync.Once
}

func newRollup(set processor.Settings, cfg *Config, next consumer.Traces) (*rollup, error) {
	tb, err := metadata.NewTelemetryBuilder(set.TelemetrySettings)
	if err != nil {
		return nil, err
	}
	r := &rollup{
		next: next, wait: cfg.DecisionWait, maxT: clampInt(cfg.MaxTraces), maxS: clampInt(cfg.MaxSpans),
		tb: tb, logger: set.Logger, overflow: pipeline.NewRateLimiter(time.Minute),
		failures: pipeline.NewRateLimiter(time.Minute),
		traces:   map[pcommon.TraceID]*held{}, now: time.Now,
		stop: make(chan struct{}),
	}
	if cfg.Enabled {
		if r.stage, err = pipeline.NewStage(metadataKind, mustJSON(cfg), set.Logger); err != nil {
			tb.Shutdown()
			return nil, err
		}
	}
	return r, nil
}

func clampInt(v uint64) int {
	if v > 1<<40 {
		return 1 << 40
	}
	return int(v)
}

// Capabilities: spans are moved out of the batches the processor is given into the traces it
// holds (no copy of their attributes, which carry whole prompts), so it mutates its input.
func (r *rollup) Capabilities() consumer.Capabilities {
	return consumer.Capabilities{MutatesData: true}
}

// Start runs the release loop: every tick, the traces whose decision_wait has passed.
func (r *rollup) Start(context.Context, component.Host) error {
	if r.stage == nil {
		return nil
	}
	tick := min(max(r.wait/10, 10*time.Millisecond), time.Second)
	r.loop.Add(1)
	go func() {
		defer r.loop.Done()
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-r.stop:
				return
			case <-t.C:
				r.release(false)
			}
		}
	}()
	return nil
}

// Shutdown releases every trace still held, with its totals, before the pipeline stops.
func (r *rollup) Shutdown(context.Context) error {
	first := false
	r.stopOnce.Do(func() { close(r.stop); first = true })
	r.loop.Wait()
	if !first {
		return nil
	}
	if r.stage != nil {
		r.release(true)
		r.stage.Close()
	}
	r.tb.Shutdown()
	return nil
}

// ConsumeTraces holds each span with the others of its trace.
func (r *rollup) ConsumeTraces(ctx context.Context, td ptrace.Traces) error {
	if r.stage == nil {
		return r.next.ConsumeTraces(ctx, td)
	}
	n := td.SpanCount()
	r.tb.ProcessorLlmRollupSpans.Add(ctx, int64(n))
	pass := ptrace.NewTraces()
	passed := 0
	r.mu.Lock()
	now := r.now()
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		rs := rss.At(i)
		sss := rs.ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			ss := sss.At(j)
			// where this scope's spans go: one destination per trace (or the pass-through)
			dest := map[pcommon.TraceID]ptrace.SpanSlice{}
			var passDest ptrace.SpanSlice
			passing := false
			spans := ss.Spans()
			for k := 0; k < spans.Len(); k++ {
				s := spans.At(k)
				id := s.TraceID()
				h, ok := r.traces[id]
				if !ok && len(r.traces) < r.maxT && r.spans < r.maxS {
					h = &held{td: ptrace.NewTraces(), deadline: now.Add(r.wait)}
					r.traces[id] = h
					r.queue = append(r.queue, id)
					ok = true
				}
				if !ok || r.spans >= r.maxS {
					if !passing {
						passDest, passing = scopeIn(pass, rs, ss), true
					}
					s.MoveTo(passDest.AppendEmpty())
					passed++
					continue
				}
				d, found := dest[id]
				if !found {
					d = scopeIn(h.td, rs, ss)
					dest[id] = d
				}
				s.MoveTo(d.AppendEmpty())
				h.spans++
				r.spans++
			}
		}
	}
	r.mu.Unlock()
	if passed == 0 {
		return nil
	}
	r.tb.ProcessorLlmRollupOverflowSpans.Add(ctx, int64(passed))
	if suppressed, ok := r.overflow.Allow(); ok {
		r.logger.Warn("llm_rollup is full: spans passed on without run totals (raise max_traces or max_spans)",
			zap.Int("spans", passed), zap.Int("max_traces", r.maxT), zap.Int("max_spans", r.maxS),
			zap.Uint64("suppressed_since_last", suppressed))
	}
	return r.next.ConsumeTraces(ctx, pass)
}

// scopeIn appends a copy of rs's resource and ss's scope to td and returns its span slice.
func scopeIn(td ptrace.Traces, rs ptrace.ResourceSpans, ss ptrace.ScopeSpans) ptrace.SpanSlice {
	drs := td.ResourceSpans().AppendEmpty()
	rs.Resource().CopyTo(drs.Resource())
	drs.SetSchemaUrl(rs.SchemaUrl())
	dss := drs.ScopeSpans().AppendEmpty()
	ss.Scope().CopyTo(dss.Scope())
	dss.SetSchemaUrl(ss.SchemaUrl())
	return dss.Spans()
}

// release passes on the traces whose decision_wait has passed (all of them when all is set),
// as one batch with the run totals written.
func (r *rollup) release(all bool) {
	r.mu.Lock()
	now := r.now()
	out := ptrace.NewTraces()
	traces, spans := 0, 0
	cut := 0
	for _, id := range r.queue {
		h := r.traces[id]
		if !all && h.deadline.After(now) {
			break
		}
		cut++
		h.td.ResourceSpans().MoveAndAppendTo(out.ResourceSpans())
		spans += h.spans
		traces++
		delete(r.traces, id)
	}
	r.queue = append(r.queue[:0], r.queue[cut:]...)
	r.spans -= spans
	r.mu.Unlock()
	if traces == 0 {
		return
	}
	ctx := context.Background()
	r.tb.ProcessorLlmRollupTracesReleased.Add(ctx, int64(traces))
	res, err := r.stage.Traces(ctx, out)
	if res.Sent > 0 {
		r.tb.ProcessorLlmRollupBridgeDuration.Record(ctx, res.Duration.Seconds())
	}
	if err != nil {
		r.tb.ProcessorLlmRollupFailedBatches.Add(ctx, 1)
		r.stage.LogFailure("traces", err)
	} else {
		var runs uint64
		res.Counters.Labels(counterRuns, func(_ string, n uint64) { runs += n })
		r.tb.ProcessorLlmRollupRuns.Add(ctx, int64(runs))
	}
	if err := r.next.ConsumeTraces(ctx, out); err != nil {
		r.tb.ProcessorLlmRollupForwardFailedSpans.Add(ctx, int64(spans))
		if suppressed, ok := r.failures.Allow(); ok {
			r.logger.Error("the next consumer refused released spans", zap.Int("spans", spans),
				zap.Bool("permanent", consumererror.IsPermanent(err)), zap.Error(err),
				zap.Uint64("suppressed_since_last", suppressed))
		}
	}
}
