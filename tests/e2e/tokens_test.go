package e2e

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Spans without usage come out counted with the model's tokenizer; spans with usage keep it.
func TestTokenCountingThroughTheBinary(t *testing.T) {
	c := startCollector(t, defaultConfig(t))
	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	// OpenLLMetry-style flattened prompt, no usage: enrichment finds the model, counting counts.
	newSpan(ss, "openai.chat", map[string]any{
		"gen_ai.system": "openai", "llm.request.type": "chat", "gen_ai.request.model": "gpt-4o-2024-08-06",
		"gen_ai.prompt.0.role": "system", "gen_ai.prompt.0.content": "You are a helpful assistant.",
		"gen_ai.prompt.1.role": "user", "gen_ai.prompt.1.content": "What is the capital of France?",
		"gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.content": "The capital of France is Paris.",
	})
	newSpan(ss, "chat gpt-4o", map[string]any{
		"gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
		"gen_ai.usage.input_tokens": 1234, "gen_ai.usage.output_tokens": 56,
		"gen_ai.input.messages": `[{"role":"user","parts":[{"type":"text","content":"hi"}]}]`,
	})
	c.sendTracesGRPC(t, td)
	spans := c.waitSpans(t, 2)

	counted := spans["openai.chat"][0]
	wantInt(t, counted, "gen_ai.usage.input_tokens", 24) // the same messages as OpenAI's chat rule gives 24
	wantInt(t, counted, "gen_ai.usage.output_tokens", 7)
	wantStr(t, counted, "llm_observatory.usage.source", "counted")
	wantStr(t, counted, "llm_observatory.usage.tokenizer", "o200k_base")

	reported := spans["chat gpt-4o"][0]
	wantInt(t, reported, "gen_ai.usage.input_tokens", 1234)
	wantStr(t, reported, "llm_observatory.usage.source", "reported")
}
