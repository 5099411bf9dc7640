package costcalculationprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/llm-observatory/collector/go/costcalculationprocessor/internal/metadata"
)

func TestPricesThroughTheRustLibrary(t *testing.T) {
	td := ptrace.NewTraces()
	spans := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
	priced := spans.AppendEmpty()
	require.NoError(t, priced.Attributes().FromRaw(map[string]any{
		"gen_ai.provider.name": "openai", "gen_ai.response.model": "gpt-4o",
		"gen_ai.usage.input_tokens": 1234, "gen_ai.usage.output_tokens": 56,
		"gen_ai.usage.cache_read.input_tokens": 1000,
	}))
	unknown := spans.AppendEmpty()
	require.NoError(t, unknown.Attributes().FromRaw(map[string]any{
		"gen_ai.request.model": "my-own-model", "gen_ai.usage.input_tokens": 10,
	}))
	plain := spans.AppendEmpty()
	plain.Attributes().PutStr("http.request.method", "GET")

	sink := new(consumertest.TracesSink)
	p, err := NewFactory().CreateTraces(context.Background(), processortest.NewNopSettings(metadata.Type), createDefaultConfig(), sink)
	require.NoError(t, err)
	require.NoError(t, p.ConsumeTraces(context.Background(), td))
	require.NoError(t, p.Shutdown(context.Background()))

	out := sink.AllTraces()[0].ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	a := out.At(0).Attributes().AsRaw()
	// 234 uncached * 2.5e-6 + 1000 cached * 1.25e-6 + 56 * 1e-5
	assert.Equal(t, 0.002395, a["gen_ai.usage.cost.amount"])
	assert.Equal(t, "USD", a["gen_ai.usage.cost.currency"])
	assert.Equal(t, "gpt-4o", a["llm_observatory.cost.price_entry"])
	u := out.At(1).Attributes().AsRaw()
	assert.Equal(t, "unknown_model", u["llm_observatory.cost.status"])
	assert.Nil(t, u["gen_ai.usage.cost.amount"], "no invented cost")
	assert.Len(t, out.At(2).Attributes().AsRaw(), 1, "an ordinary span is untouched")
}
