package e2e

import (
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
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

// Usage of the wrong type or out of all proportion: a numeric string is the provider's count
// (rewritten as an integer); a text where a count belongs is no count, so the call is counted
// from its content; a count over 100 million tokens is flagged, not priced.
func TestUsageOfTheWrongTypeOrSizeThroughTheBinary(t *testing.T) {
	c := startCollector(t, defaultConfig(t))
	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	messages := map[string]any{
		"gen_ai.provider.name": "openai", "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o",
		"gen_ai.input.messages":  `[{"role":"user","parts":[{"type":"text","content":"What is the capital of France?"}]}]`,
		"gen_ai.output.messages": `[{"role":"assistant","parts":[{"type":"text","content":"The capital of France is Paris."}]}]`,
	}
	with := func(extra map[string]any) map[string]any {
		m := map[string]any{}
		for k, v := range messages {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	newSpan(ss, "strings", with(map[string]any{"gen_ai.usage.input_tokens": "12", "gen_ai.usage.output_tokens": "5"}))
	newSpan(ss, "text", with(map[string]any{"gen_ai.usage.input_tokens": "twelve", "gen_ai.usage.output_tokens": "five"}))
	newSpan(ss, "huge", with(map[string]any{"gen_ai.usage.input_tokens": int64(1) << 62, "gen_ai.usage.output_tokens": 5}))
	c.sendTracesGRPC(t, td)
	spans := c.waitSpans(t, 3)

	s := spans["strings"][0]
	wantInt(t, s, "gen_ai.usage.input_tokens", 12)
	wantInt(t, s, "gen_ai.usage.output_tokens", 5)
	wantStr(t, s, "llm_observatory.usage.source", "reported")
	if got := attr(t, s, "gen_ai.usage.cost.amount").Double(); got <= 0 {
		t.Errorf("the numeric-string usage was not priced: %v", got)
	}

	x := spans["text"][0]
	wantStr(t, x, "llm_observatory.usage.source", "counted")
	if v := attr(t, x, "gen_ai.usage.input_tokens"); v.Type() != pcommon.ValueTypeInt || v.Int() <= 0 {
		t.Errorf("text usage: input_tokens = %v, want a count from the content", v.AsRaw())
	}

	h := spans["huge"][0]
	wantStr(t, h, "llm_observatory.cost.status", "implausible_usage")
	if _, ok := h.Attributes().Get("gen_ai.usage.cost.amount"); ok {
		t.Error("2^62 tokens were priced")
	}
}

// The OpenAI Agents SDK streaming without include_usage, as Logfire exports it: input 0 and
// output 0, the messages in Logfire's `input` / `output`. Through the default config
// (enrichment, token counting, cost): counted and priced, the zeros kept as originals, where
// before the call was kept at 0 tokens and priced at 0.
func TestAnSDKsEmptyUsageIsCountedThroughTheBinary(t *testing.T) {
	c := startCollector(t, defaultConfig(t))
	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	ss.Scope().SetName("logfire.openai_agents")
	newSpan(ss, "Chat completion with {gen_ai.request.model!r}", map[string]any{
		"logfire.msg_template": "Chat completion with {gen_ai.request.model!r}",
		"gen_ai.system":        "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.response.model": "gpt-4o",
		"gen_ai.usage.input_tokens": 0, "gen_ai.usage.output_tokens": 0,
		"input":  `[{"content":"You are a helpful assistant.","role":"system"},{"role":"user","content":"What is the capital of France?"}]`,
		"output": `[{"object":"response","output":[{"content":[{"text":"The capital of France is Paris.","type":"output_text"}],"role":"assistant","type":"message"}]}]`,
		"usage":  `{"requests":1,"input_tokens":0,"output_tokens":0,"total_tokens":0}`,
	})
	c.sendTracesGRPC(t, td)
	s := c.waitSpans(t, 1)["Chat completion with {gen_ai.request.model!r}"][0]
	wantInt(t, s, "gen_ai.usage.input_tokens", 24)
	wantInt(t, s, "gen_ai.usage.output_tokens", 7)
	wantInt(t, s, "llm_observatory.original.gen_ai.usage.input_tokens", 0)
	wantStr(t, s, "llm_observatory.usage.source", "counted")
	if got := attr(t, s, "gen_ai.usage.cost.amount").Double(); got <= 0 {
		t.Errorf("the counted call was not priced: %v", got)
	}
}
