package tokencountingprocessor

import (
	"context"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/golden"
	"github.com/open-telemetry/opentelemetry-collector-contrib/pkg/pdatatest/ptracetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/llm-observatory/collector/go/tokencountingprocessor/internal/metadata"
)

var update = flag.Bool("update", false, "rewrite the expected golden files")

func run(t *testing.T, cfg *Config, in ptrace.Traces) ptrace.Traces {
	sink := new(consumertest.TracesSink)
	p, err := NewFactory().CreateTraces(context.Background(), processortest.NewNopSettings(metadata.Type), cfg, sink)
	require.NoError(t, err)
	require.NoError(t, p.ConsumeTraces(context.Background(), in))
	require.NoError(t, p.Shutdown(context.Background()))
	return sink.AllTraces()[0]
}

func TestGoldenTraces(t *testing.T) {
	dir := filepath.Join("testdata", "traces")
	in, err := golden.ReadTraces(filepath.Join(dir, "input.yaml"))
	require.NoError(t, err)
	got := run(t, createDefaultConfig().(*Config), in)
	if *update {
		require.NoError(t, golden.WriteTraces(t, filepath.Join(dir, "expected.yaml"), got))
	}
	want, err := golden.ReadTraces(filepath.Join(dir, "expected.yaml"))
	require.NoError(t, err)
	require.NoError(t, ptracetest.CompareTraces(want, got))
}

func attrs(td ptrace.Traces, i int) map[string]any {
	return td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(i).Attributes().AsRaw()
}

// The numbers in the golden file, spelled out: OpenAI's chat rule on the gpt-4o span.
func TestCountsAreExactAndMarked(t *testing.T) {
	in, err := golden.ReadTraces(filepath.Join("testdata", "traces", "input.yaml"))
	require.NoError(t, err)
	got := run(t, createDefaultConfig().(*Config), in)
	counted := attrs(got, 0)
	// system (3 + 1 + 6) + user (3 + 1 + 7) + priming 3 = 24; output "The capital of France is Paris." = 7
	assert.Equal(t, int64(24), counted["gen_ai.usage.input_tokens"])
	assert.Equal(t, int64(7), counted["gen_ai.usage.output_tokens"])
	assert.Equal(t, "counted", counted["llm_observatory.usage.source"])
	assert.Equal(t, "o200k_base", counted["llm_observatory.usage.tokenizer"])
	reported := attrs(got, 1)
	assert.Equal(t, int64(1234), reported["gen_ai.usage.input_tokens"], "reported usage is never replaced")
	assert.Equal(t, "reported", reported["llm_observatory.usage.source"])
	estimated := attrs(got, 2)
	assert.Equal(t, "estimated", estimated["llm_observatory.usage.source"])
	assert.NotNil(t, estimated["gen_ai.usage.input_tokens"])
	emb := attrs(got, 3)
	assert.Equal(t, int64(2), emb["gen_ai.usage.input_tokens"], `"hello world" is 2 tokens`)
	assert.Nil(t, emb["gen_ai.usage.output_tokens"], "embeddings have no output")
	assert.Len(t, attrs(got, 4), 1, "an ordinary span is untouched")
}

func TestOversizeContentIsSkippedAndMarked(t *testing.T) {
	td := ptrace.NewTraces()
	s := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
	s.Attributes().PutStr("gen_ai.request.model", "gpt-4o")
	s.Attributes().PutStr("gen_ai.prompt", strings.Repeat(" ", 3<<20))
	got := run(t, createDefaultConfig().(*Config), td)
	a := attrs(got, 0)
	assert.Nil(t, a["gen_ai.usage.input_tokens"])
	assert.Contains(t, a["llm_observatory.usage.skipped"], "over max_content_bytes")
}

func TestEstimatesCanStayOutOfSemconv(t *testing.T) {
	in, err := golden.ReadTraces(filepath.Join("testdata", "traces", "input.yaml"))
	require.NoError(t, err)
	cfg := createDefaultConfig().(*Config)
	cfg.FillEstimatedUsage = false
	got := attrs(run(t, cfg, in), 2)
	assert.Nil(t, got["gen_ai.usage.input_tokens"])
	assert.NotNil(t, got["llm_observatory.usage.estimated.input_tokens"])
}
