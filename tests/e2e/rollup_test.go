package e2e

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// rollupConfig is default.yaml with llm_rollup after cost_calculation.
func rollupConfig(t *testing.T, settings string) string {
	t.Helper()
	base, err := os.ReadFile(defaultConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(base), "  cost_calculation:\n", "  cost_calculation:\n  llm_rollup:\n"+settings, 1)
	cfg = strings.Replace(cfg, "processors: [memory_limiter, llm_enrichment, token_counting, cost_calculation]",
		"processors: [memory_limiter, llm_enrichment, token_counting, cost_calculation, llm_rollup]", 1)
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runSpan adds a span of trace tr (id 0 parent: a root) to ss.
func runSpan(ss ptrace.ScopeSpans, tr, id, parent byte, name string, attrs map[string]any) {
	s := newSpan(ss, name, attrs)
	s.SetTraceID(pcommon.TraceID{0: 0x42, 15: tr})
	s.SetSpanID(pcommon.SpanID{0: tr, 7: id})
	if parent != 0 {
		s.SetParentSpanID(pcommon.SpanID{0: tr, 7: parent})
	}
}

// llm_rollup through the binary: an agent run with a nested agent, a tool that calls an LLM
// and an agent span repeating its children's usage, sent in three requests over gRPC and HTTP
// (each request its own batch), normalized and priced on the way, summed exactly on the root
// and on each agent span; a run over max_traces passes through whole without totals.
func TestAgentRunRollupThroughTheBinary(t *testing.T) {
	c := startCollector(t, rollupConfig(t, "    decision_wait: 3s\n    max_traces: 1\n"))

	first := ptrace.NewTraces()
	ss := first.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	runSpan(ss, 1, 1, 0, "POST /research", map[string]any{"http.request.method": "POST"})
	runSpan(ss, 1, 2, 1, "invoke_agent planner", map[string]any{
		"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "planner", "gen_ai.provider.name": "openai",
		// the agent repeats its children's usage: enrichment flags it, the rollup skips it
		"gen_ai.usage.input_tokens": 3700, "gen_ai.usage.output_tokens": 350,
	})
	runSpan(ss, 1, 3, 2, "chat gpt-4o", map[string]any{
		"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
		"gen_ai.usage.input_tokens": 1000, "gen_ai.usage.output_tokens": 100,
	})
	c.sendTracesGRPC(t, first)

	second := ptrace.NewTraces()
	ss = second.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	runSpan(ss, 1, 4, 2, "execute_tool summarize", map[string]any{"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "summarize"})
	// an OpenLLMetry-shaped call made inside the tool
	runSpan(ss, 1, 5, 4, "openai.chat", map[string]any{
		"gen_ai.system": "openai", "llm.request.type": "chat", "gen_ai.request.model": "gpt-4o-mini",
		"gen_ai.usage.prompt_tokens": 2000, "gen_ai.usage.completion_tokens": 200,
	})
	c.sendTracesHTTP(t, second)

	third := ptrace.NewTraces()
	ss = third.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	runSpan(ss, 1, 6, 2, "invoke_agent researcher", map[string]any{"gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "researcher"})
	failed := newSpan(ss, "chat claude", map[string]any{
		"gen_ai.operation.name": "chat", "gen_ai.provider.name": "anthropic", "gen_ai.request.model": "claude-3-5-haiku-20241022",
		"gen_ai.usage.input_tokens": 700, "gen_ai.usage.output_tokens": 50, "error.type": "overloaded_error",
	})
	failed.SetTraceID(pcommon.TraceID{0: 0x42, 15: 1})
	failed.SetSpanID(pcommon.SpanID{0: 1, 7: 7})
	failed.SetParentSpanID(pcommon.SpanID{0: 1, 7: 6})
	// a second run while the first is held: over max_traces, passed on at once, untouched
	runSpan(ss, 2, 1, 0, "POST /other", map[string]any{"http.request.method": "POST"})
	runSpan(ss, 2, 2, 1, "chat other", map[string]any{
		"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
		"gen_ai.usage.input_tokens": 10, "gen_ai.usage.output_tokens": 1,
	})
	runSpan(ss, 2, 3, 1, "chat other 2", map[string]any{
		"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
		"gen_ai.usage.input_tokens": 10, "gen_ai.usage.output_tokens": 1,
	})
	c.sendTracesGRPC(t, third)

	spans := c.waitSpans(t, 10)
	one := func(name string) ptrace.Span {
		t.Helper()
		if len(spans[name]) != 1 {
			t.Fatalf("%s arrived %d times", name, len(spans[name]))
		}
		return spans[name][0]
	}
	wantInt := func(s ptrace.Span, k string, want int64) {
		t.Helper()
		v, ok := s.Attributes().Get(k)
		if !ok || v.Type() != pcommon.ValueTypeInt || v.Int() != want {
			t.Errorf("%s: %s = %v, want %d", s.Name(), k, v.AsRaw(), want)
		}
	}
	// gpt-4o 1000/100 = 0.0035; gpt-4o-mini 2000/200 at 1.5e-7/6e-7 = 0.00042;
	// claude-3-5-haiku 700/50 at 8e-7/4e-6 = 0.00076
	const total = 0.0035 + 0.00042 + 0.00076
	root := one("POST /research")
	wantStr(t, root, "llm_observatory.run.role", "root")
	wantInt(root, "llm_observatory.run.calls", 3)
	wantInt(root, "llm_observatory.run.input_tokens", 3700)
	wantInt(root, "llm_observatory.run.output_tokens", 350)
	wantInt(root, "llm_observatory.run.tool_calls", 1)
	wantInt(root, "llm_observatory.run.errors", 1)
	wantInt(root, "llm_observatory.run.unpriced_calls", 0)
	wantStr(t, root, "llm_observatory.run.usage_source", "reported")
	if got := attr(t, root, "llm_observatory.run.cost").Double(); math.Abs(got-total) > 1e-12 {
		t.Errorf("root: llm_observatory.run.cost = %.15g, want %.15g", got, total)
	}
	planner := one("invoke_agent planner")
	wantStr(t, planner, "llm_observatory.run.role", "agent")
	wantInt(planner, "llm_observatory.run.calls", 3)
	wantInt(planner, "llm_observatory.run.input_tokens", 3700)
	researcher := one("invoke_agent researcher")
	wantInt(researcher, "llm_observatory.run.calls", 1)
	wantInt(researcher, "llm_observatory.run.input_tokens", 700)
	wantInt(researcher, "llm_observatory.run.errors", 1)
	for _, name := range []string{"chat gpt-4o", "execute_tool summarize", "openai.chat", "POST /other", "chat other"} {
		if _, ok := one(name).Attributes().Get("llm_observatory.run.calls"); ok {
			t.Errorf("%s got run totals", name)
		}
	}
	metrics := c.scrapeMetrics(t)
	for _, want := range []string{"otelcol_processor_llm_rollup_overflow_spans", "otelcol_processor_llm_rollup_runs"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("metric %s not exported", want)
		}
	}
	// the collector's own counters, with or without labels and a _total suffix
	sum := func(name string) float64 {
		total := 0.0
		re := regexp.MustCompile(`(?m)^` + name + `(?:_total)?(?:\{[^}]*\})? (\S+)$`)
		for _, m := range re.FindAllStringSubmatch(metrics, -1) {
			v, _ := strconv.ParseFloat(m[1], 64)
			total += v
		}
		return total
	}
	if got := sum("otelcol_processor_llm_rollup_overflow_spans"); got != 3 {
		t.Errorf("overflow spans = %v, want 3\n%s", got, grepLines(metrics, "llm_rollup"))
	}
	if got := sum("otelcol_processor_llm_rollup_runs"); got != 3 {
		t.Errorf("runs written = %v, want 3 (root and two agents)\n%s", got, grepLines(metrics, "llm_rollup"))
	}
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
