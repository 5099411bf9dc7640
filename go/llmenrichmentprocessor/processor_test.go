package llmenrichmentprocessor

import (
	"context"
	"flag"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/plogtest"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/ptracetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/llm-observatory/collector/go/llmenrichmentprocessor/internal/metadata"
)

var update = flag.Bool("update", false, "rewrite the expected golden files")

func newTestTraces(t *testing.T, cfg *Config) (*consumertest.TracesSink, func(ptrace.Traces) error) {
	sink := new(consumertest.TracesSink)
	p, err := NewFactory().CreateTraces(context.Background(), processortest.NewNopSettings(metadata.Type), cfg, sink)
	require.NoError(t, err)
	require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))
	t.Cleanup(func() { require.NoError(t, p.Shutdown(context.Background())) })
	return sink, func(td ptrace.Traces) error { return p.ConsumeTraces(context.Background(), td) }
}

func TestGoldenTraces(t *testing.T) {
	dir := filepath.Join("testdata", "traces")
	in, err := golden.ReadTraces(filepath.Join(dir, "input.yaml"))
	require.NoError(t, err)
	sink, consume := newTestTraces(t, createDefaultConfig().(*Config))
	require.NoError(t, consume(in))
	got := sink.AllTraces()[0]
	if *update {
		require.NoError(t, golden.WriteTraces(t, filepath.Join(dir, "expected.yaml"), got))
	}
	want, err := golden.ReadTraces(filepath.Join(dir, "expected.yaml"))
	require.NoError(t, err)
	require.NoError(t, ptracetest.CompareTraces(want, got, ptracetest.IgnoreResourceSpansOrder()))
}

func TestGoldenLogs(t *testing.T) {
	dir := filepath.Join("testdata", "logs")
	in, err := golden.ReadLogs(filepath.Join(dir, "input.yaml"))
	require.NoError(t, err)
	sink := new(consumertest.LogsSink)
	p, err := NewFactory().CreateLogs(context.Background(), processortest.NewNopSettings(metadata.Type), createDefaultConfig(), sink)
	require.NoError(t, err)
	require.NoError(t, p.ConsumeLogs(context.Background(), in))
	got := sink.AllLogs()[0]
	if *update {
		require.NoError(t, golden.WriteLogs(t, filepath.Join(dir, "expected.yaml"), got))
	}
	want, err := golden.ReadLogs(filepath.Join(dir, "expected.yaml"))
	require.NoError(t, err)
	require.NoError(t, plogtest.CompareLogs(want, got))
	require.NoError(t, p.Shutdown(context.Background()))
}

func TestDisabledPassesThroughUntouched(t *testing.T) {
	in, err := golden.ReadTraces(filepath.Join("testdata", "traces", "input.yaml"))
	require.NoError(t, err)
	orig := ptrace.NewTraces()
	in.CopyTo(orig)
	sink, consume := newTestTraces(t, &Config{})
	require.NoError(t, consume(in))
	require.NoError(t, ptracetest.CompareTraces(orig, sink.AllTraces()[0]))
}

// Wrong types, invalid UTF-8, huge strings, deep nesting and broken JSON: nothing is lost.
func TestMalformedInputLosesNothing(t *testing.T) {
	td := ptrace.NewTraces()
	spans := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
	s := spans.AppendEmpty()
	s.SetName("chat")
	a := s.Attributes()
	a.PutStr("gen_ai.system", "openai")
	a.PutStr("gen_ai.request.model", string([]byte{'g', 'p', 't', 0xff, 0xfe}))
	a.PutStr("gen_ai.usage.prompt_tokens", "lots")
	a.PutDouble("gen_ai.usage.completion_tokens", 1.5)
	a.PutStr("llm.invocation_parameters", "{broken json")
	a.PutStr("gen_ai.prompt", strings.Repeat("x", 10<<20))
	deep := a.PutEmptyMap("gen_ai.deep")
	for i := 0; i < 100; i++ {
		deep = deep.PutEmptyMap("d")
	}
	a.PutEmptyBytes("gen_ai.bytes").FromRaw([]byte{0, 1, 2})
	orig := ptrace.NewTraces()
	td.CopyTo(orig)

	sink, consume := newTestTraces(t, createDefaultConfig().(*Config))
	require.NoError(t, consume(td))
	got := sink.AllTraces()[0].ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).Attributes()
	// every original attribute is still there, unchanged
	orig.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).Attributes().Range(func(k string, v pcommon.Value) bool {
		gv, ok := got.Get(k)
		require.True(t, ok, k)
		require.True(t, v.Equal(gv), k)
		return true
	})
	prov, _ := got.Get("gen_ai.provider.name")
	assert.Equal(t, "openai", prov.Str())
	_, hasInput := got.Get("gen_ai.usage.input_tokens")
	assert.False(t, hasInput, "an unparsable count is not invented")
}

func TestConcurrentBatches(t *testing.T) {
	in, err := golden.ReadTraces(filepath.Join("testdata", "traces", "input.yaml"))
	require.NoError(t, err)
	want, err := golden.ReadTraces(filepath.Join("testdata", "traces", "expected.yaml"))
	require.NoError(t, err)
	p, err := newProcessor(processortest.NewNopSettings(metadata.Type), createDefaultConfig())
	require.NoError(t, err)
	defer func() { require.NoError(t, p.Shutdown(context.Background())) }()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				td := ptrace.NewTraces()
				in.CopyTo(td)
				out, err := p.ProcessTraces(context.Background(), td)
				assert.NoError(t, err)
				assert.NoError(t, ptracetest.CompareTraces(want, out))
			}
		}()
	}
	wg.Wait()
}
