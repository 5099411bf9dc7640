package e2e

import (
	"math"
	"testing"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// llm_enrichment -> token_counting -> cost_calculation: a Vercel AI SDK v5 Anthropic-on-Bedrock
// span with cache-exclusive input is normalized, then priced with each token billed once; an
// OpenAI span without usage is counted, then priced.
func TestCostThroughTheBinary(t *testing.T) {
	c := startCollector(t, defaultConfig(t))
	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	newSpan(ss, "chat gpt-4o", map[string]any{
		"gen_ai.provider.name": "openai", "gen_ai.operation.name": "chat", "gen_ai.response.model": "gpt-4o",
		"gen_ai.usage.input_tokens": 1234, "gen_ai.usage.output_tokens": 56,
		"gen_ai.usage.cache_read.input_tokens": 1000,
	})
	newSpan(ss, "openai.chat", map[string]any{
		"gen_ai.system": "openai", "llm.request.type": "chat", "gen_ai.request.model": "gpt-4o",
		"gen_ai.prompt.0.role": "system", "gen_ai.prompt.0.content": "You are a helpful assistant.",
		"gen_ai.prompt.1.role": "user", "gen_ai.prompt.1.content": "What is the capital of France?",
		"gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.content": "The capital of France is Paris.",
	})
	newSpan(ss, "chat my-own-model", map[string]any{
		"gen_ai.provider.name": "acme", "gen_ai.request.model": "my-own-model", "gen_ai.usage.input_tokens": 5,
	})
	c.sendTracesGRPC(t, td)
	spans := c.waitSpans(t, 3)

	near := func(name string, got, want float64) {
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: cost %.15g, want %.15g", name, got, want)
		}
	}
	reported := spans["chat gpt-4o"][0]
	// 234 uncached * 2.5e-6 + 1000 cache reads * 1.25e-6 + 56 * 1e-5
	near("reported usage", attr(t, reported, "gen_ai.usage.cost.amount").Double(), 0.002395)
	wantStr(t, reported, "gen_ai.usage.cost.currency", "USD")
	wantStr(t, reported, "llm_observatory.cost.price_entry", "gpt-4o")

	counted := spans["openai.chat"][0]
	// token_counting: 24 in, 7 out -> 24 * 2.5e-6 + 7 * 1e-5
	near("counted usage", attr(t, counted, "gen_ai.usage.cost.amount").Double(), 0.00013)

	unknown := spans["chat my-own-model"][0]
	wantStr(t, unknown, "llm_observatory.cost.status", "unknown_model")
	if _, ok := unknown.Attributes().Get("gen_ai.usage.cost.amount"); ok {
		t.Error("an unknown model got a cost")
	}
}
