package llmrollupprocessor

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/llm-observatory/collector/go/internal/benchdata"
	"github.com/llm-observatory/collector/go/llmrollupprocessor/internal/metadata"
)

// addSpan appends a span of trace t with id and parent (0: a root).
func addSpan(ss ptrace.ScopeSpans, t, id, parent byte, name string, attrs map[string]any) {
	s := ss.Spans().AppendEmpty()
	s.SetName(name)
	s.SetTraceID(pcommon.TraceID{15: t})
	s.SetSpanID(pcommon.SpanID{7: id})
	if parent != 0 {
		s.SetParentSpanID(pcommon.SpanID{7: parent})
	}
	s.SetStartTimestamp(pcommon.Timestamp(uint64(id) * 1000))
	s.SetEndTimestamp(pcommon.Timestamp(uint64(id)*1000 + 500))
	if err := s.Attributes().FromRaw(attrs); err != nil {
		panic(err)
	}
}

func chat(in, out int, cost float64) map[string]any {
	return map[string]any{"gen_ai.operation.name": "chat", "gen_ai.usage.input_tokens": in,
		"gen_ai.usage.output_tokens": out, "gen_ai.usage.cost.amount": cost}
}

func newScope() (ptrace.Traces, ptrace.ScopeSpans) {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "agent-api")
	ss := rs.ScopeSpans().AppendEmpty()
	ss.Scope().SetName("test")
	return td, ss
}

func newTestRollup(t *testing.T, cfg *Config) (*rollup, *consumertest.TracesSink) {
	t.Helper()
	sink := new(consumertest.TracesSink)
	r, err := newRollup(processortest.NewNopSettings(metadata.Type), cfg, sink)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, r.Shutdown(context.Background())) })
	return r, sink
}

func defaultCfg() *Config { return createDefaultConfig().(*Config) }

// byName collects every span the sink got, by name.
func byName(sink *consumertest.TracesSink) map[string][]ptrace.Span {
	out := map[string][]ptrace.Span{}
	for _, td := range sink.AllTraces() {
		rss := td.ResourceSpans()
		for i := 0; i < rss.Len(); i++ {
			sss := rss.At(i).ScopeSpans()
			for j := 0; j < sss.Len(); j++ {
				for k := 0; k < sss.At(j).Spans().Len(); k++ {
					s := sss.At(j).Spans().At(k)
					out[s.Name()] = append(out[s.Name()], s)
				}
			}
		}
	}
	return out
}

func intAttr(t *testing.T, s ptrace.Span, k string) int64 {
	t.Helper()
	v, ok := s.Attributes().Get(k)
	require.True(t, ok, "%s has no %s: %v", s.Name(), k, s.Attributes().AsRaw())
	return v.Int()
}

// A run whose spans arrive in two requests is summed as one, once its decision_wait passed.
func TestARunSplitAcrossRequestsSumsRight(t *testing.T) {
	r, sink := newTestRollup(t, defaultCfg())
	clock := time.Unix(1000, 0)
	r.now = func() time.Time { return clock }

	first, ss := newScope()
	addSpan(ss, 1, 1, 0, "POST /run", map[string]any{"http.request.method": "POST"})
	addSpan(ss, 1, 2, 1, "invoke_agent planner", map[string]any{"gen_ai.operation.name": "invoke_agent",
		"gen_ai.agent.name": "planner", "llm_observatory.aggregate": true, "gen_ai.usage.input_tokens": 99999})
	addSpan(ss, 1, 3, 2, "chat 1", chat(1000, 100, 0.0035))
	addSpan(ss, 2, 1, 0, "other trace", chat(5, 5, 0.001))
	require.NoError(t, r.ConsumeTraces(context.Background(), first))

	second, ss := newScope()
	addSpan(ss, 1, 4, 2, "execute_tool search", map[string]any{"gen_ai.operation.name": "execute_tool"})
	addSpan(ss, 1, 5, 4, "chat inside the tool", chat(200, 20, 0.0007))
	require.NoError(t, r.ConsumeTraces(context.Background(), second))

	r.release(false)
	assert.Zero(t, sink.SpanCount(), "held until decision_wait passes")
	clock = clock.Add(10 * time.Second)
	r.release(false)
	require.Equal(t, 6, sink.SpanCount())

	got := byName(sink)
	root := got["POST /run"][0]
	assert.Equal(t, int64(2), intAttr(t, root, "llm_observatory.run.calls"))
	assert.Equal(t, int64(1200), intAttr(t, root, "llm_observatory.run.input_tokens"))
	assert.Equal(t, int64(1), intAttr(t, root, "llm_observatory.run.tool_calls"))
	cost, _ := root.Attributes().Get("llm_observatory.run.cost")
	assert.InDelta(t, 0.0042, cost.Double(), 1e-15)
	agent := got["invoke_agent planner"][0]
	assert.Equal(t, int64(2), intAttr(t, agent, "llm_observatory.run.calls"))
	_, written := got["other trace"][0].Attributes().Get("llm_observatory.run.calls")
	assert.False(t, written, "a trace of one call is left alone")
	// the spans keep their resource and scope
	svc, _ := sink.AllTraces()[0].ResourceSpans().At(0).Resource().Attributes().Get("service.name")
	assert.Equal(t, "agent-api", svc.Str())
}

// Over max_traces, spans of traces not held are passed on at once, without totals; none is lost.
func TestOverflowPassesOnAndLosesNothing(t *testing.T) {
	cfg := defaultCfg()
	cfg.MaxTraces = 1
	r, sink := newTestRollup(t, cfg)
	td, ss := newScope()
	addSpan(ss, 1, 1, 0, "held root", map[string]any{})
	addSpan(ss, 1, 2, 1, "held call a", chat(10, 1, 0.1))
	addSpan(ss, 1, 3, 1, "held call b", chat(10, 1, 0.1))
	addSpan(ss, 2, 1, 0, "overflow root", map[string]any{})
	addSpan(ss, 2, 2, 1, "overflow call a", chat(10, 1, 0.1))
	addSpan(ss, 2, 3, 1, "overflow call b", chat(10, 1, 0.1))
	require.NoError(t, r.ConsumeTraces(context.Background(), td))
	require.Equal(t, 3, sink.SpanCount(), "the second trace passed on at once")
	_, written := byName(sink)["overflow root"][0].Attributes().Get("llm_observatory.run.calls")
	assert.False(t, written)
	r.release(true)
	require.Equal(t, 6, sink.SpanCount())
	assert.Equal(t, int64(2), intAttr(t, byName(sink)["held root"][0], "llm_observatory.run.calls"))

	// max_spans likewise: the span over the bound passes on
	cfg = defaultCfg()
	cfg.MaxSpans = 2
	r, sink = newTestRollup(t, cfg)
	td, ss = newScope()
	addSpan(ss, 1, 1, 0, "root", map[string]any{})
	addSpan(ss, 1, 2, 1, "call a", chat(10, 1, 0.1))
	addSpan(ss, 1, 3, 1, "call b", chat(10, 1, 0.1))
	require.NoError(t, r.ConsumeTraces(context.Background(), td))
	assert.Equal(t, 1, sink.SpanCount())
	r.release(true)
	assert.Equal(t, 3, sink.SpanCount())
}

// Shutdown releases every held trace with its totals; disabled, spans go straight through.
func TestShutdownReleasesAndDisabledPassesThrough(t *testing.T) {
	sink := new(consumertest.TracesSink)
	r, err := newRollup(processortest.NewNopSettings(metadata.Type), defaultCfg(), sink)
	require.NoError(t, err)
	require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))
	td, ss := newScope()
	addSpan(ss, 1, 1, 0, "root", map[string]any{})
	addSpan(ss, 1, 2, 1, "call a", chat(10, 1, 0.1))
	addSpan(ss, 1, 3, 1, "call b", chat(10, 1, 0.1))
	require.NoError(t, r.ConsumeTraces(context.Background(), td))
	assert.Zero(t, sink.SpanCount())
	require.NoError(t, r.Shutdown(context.Background()))
	require.Equal(t, 3, sink.SpanCount())
	assert.Equal(t, int64(2), intAttr(t, byName(sink)["root"][0], "llm_observatory.run.calls"))

	off := defaultCfg()
	off.Enabled = false
	r, sink = newTestRollup(t, off)
	require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))
	td, ss = newScope()
	addSpan(ss, 1, 1, 0, "root", map[string]any{})
	require.NoError(t, r.ConsumeTraces(context.Background(), td))
	assert.Equal(t, 1, sink.SpanCount())
}

// The release loop passes traces on by itself once their decision_wait passed.
func TestTheLoopReleasesOnTime(t *testing.T) {
	cfg := defaultCfg()
	cfg.DecisionWait = 50 * time.Millisecond
	r, sink := newTestRollup(t, cfg)
	require.NoError(t, r.Start(context.Background(), componenttest.NewNopHost()))
	td, ss := newScope()
	addSpan(ss, 1, 1, 0, "root", map[string]any{})
	addSpan(ss, 1, 2, 1, "call a", chat(10, 1, 0.1))
	require.NoError(t, r.ConsumeTraces(context.Background(), td))
	require.Eventually(t, func() bool { return sink.SpanCount() == 2 }, 5*time.Second, 10*time.Millisecond)
}

// The W1 and W2 fixture batches held and released: ns per span of the processor's own work
// (grouping by trace, the Rust stage over the released batch, forwarding).
func BenchmarkRollup(b *testing.B) {
	for _, w := range []string{"w1", "w2"} {
		b.Run(w, func(b *testing.B) {
			r, err := newRollup(processortest.NewNopSettings(metadata.Type), defaultCfg(), consumertest.NewNop())
			require.NoError(b, err)
			defer func() { require.NoError(b, r.Shutdown(context.Background())) }()
			benchdata.RunTraces(b, benchdata.Traces(b, w), func(td ptrace.Traces) error {
				if err := r.ConsumeTraces(context.Background(), td); err != nil {
					return err
				}
				r.release(true)
				return nil
			})
		})
	}
}
