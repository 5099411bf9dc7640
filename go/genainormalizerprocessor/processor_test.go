package genainormalizerprocessor

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/confmap"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/llm-observatory/collector/go/genainormalizerprocessor/internal/metadata"
)

// An OpenLLMetry span and an OpenInference span, as those libraries emit them.
func sourceSpans() ptrace.Traces {
	td := ptrace.NewTraces()
	spans := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
	oll := spans.AppendEmpty()
	oll.SetName("openai.chat")
	oll.Attributes().PutStr("gen_ai.system", "openai")
	oll.Attributes().PutStr("llm.request.type", "chat")
	oll.Attributes().PutStr("gen_ai.request.model", "gpt-4o")
	oll.Attributes().PutInt("gen_ai.usage.prompt_tokens", 12)
	oll.Attributes().PutInt("gen_ai.usage.completion_tokens", 7)
	oi := spans.AppendEmpty()
	oi.SetName("ChatCompletion")
	oi.Attributes().PutStr("openinference.span.kind", "LLM")
	oi.Attributes().PutStr("llm.provider", "anthropic")
	oi.Attributes().PutStr("llm.model_name", "claude-3-5-haiku-20241022")
	oi.Attributes().PutInt("llm.token_count.prompt", 30)
	oi.Attributes().PutInt("llm.token_count.completion", 4)
	return td
}

func run(t *testing.T, yamlConf map[string]any) []ptrace.Span {
	cfg := NewFactory().CreateDefaultConfig().(*Config)
	require.NoError(t, confmap.NewFromStringMap(yamlConf).Unmarshal(cfg))
	require.NoError(t, cfg.Validate())
	sink := new(consumertest.TracesSink)
	p, err := NewFactory().CreateTraces(context.Background(), processortest.NewNopSettings(metadata.Type), cfg, sink)
	require.NoError(t, err)
	require.NoError(t, p.Start(context.Background(), componenttest.NewNopHost()))
	require.NoError(t, p.ConsumeTraces(context.Background(), sourceSpans()))
	require.NoError(t, p.Shutdown(context.Background()))
	spans := sink.AllTraces()[0].ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	return []ptrace.Span{spans.At(0), spans.At(1)}
}

func TestDemoConfigNormalizesBothConventions(t *testing.T) {
	spans := run(t, map[string]any{"sources": []any{map[string]any{"name": "openllmetry"}}})
	oll, oi := spans[0].Attributes(), spans[1].Attributes()
	for key, want := range map[string]any{
		"gen_ai.provider.name": "openai", "gen_ai.operation.name": "chat",
		"gen_ai.usage.input_tokens": int64(12), "gen_ai.usage.output_tokens": int64(7),
	} {
		v, ok := oll.Get(key)
		require.True(t, ok, key)
		assert.Equal(t, want, v.AsRaw(), key)
	}
	// listing one source does not narrow detection: the OpenInference span is normalized too
	for key, want := range map[string]any{
		"gen_ai.provider.name": "anthropic", "gen_ai.response.model": "claude-3-5-haiku-20241022",
		"gen_ai.usage.input_tokens": int64(30), "gen_ai.usage.output_tokens": int64(4),
	} {
		v, ok := oi.Get(key)
		require.True(t, ok, key)
		assert.Equal(t, want, v.AsRaw(), key)
	}
	_, kept := oll.Get("gen_ai.usage.prompt_tokens")
	assert.True(t, kept, "originals stay unless remove_originals is set")
}

func TestRemoveOriginals(t *testing.T) {
	spans := run(t, map[string]any{"sources": map[string]any{
		"openllmetry":   map[string]any{"remove_originals": true},
		"openinference": map[string]any{"remove_originals": true},
	}})
	for _, key := range []string{"gen_ai.usage.prompt_tokens", "gen_ai.usage.completion_tokens"} {
		_, ok := spans[0].Attributes().Get(key)
		assert.False(t, ok, key)
	}
	for _, key := range []string{"llm.token_count.prompt", "llm.token_count.completion", "llm.model_name"} {
		_, ok := spans[1].Attributes().Get(key)
		assert.False(t, ok, key)
	}
	v, ok := spans[1].Attributes().Get("gen_ai.usage.input_tokens")
	require.True(t, ok)
	assert.Equal(t, int64(30), v.Int())
}
