package e2e

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
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

// User prices through the binary: a LiteLLM-format pricing_file laid over the catalog, a
// pattern price whose newer rule applies only to spans that started after its date, and a
// provider discount.
func TestCostOverridesThroughTheBinary(t *testing.T) {
	dir := t.TempDir()
	prices := filepath.Join(dir, "prices.json")
	if err := os.WriteFile(prices, []byte(`{"gpt-4o": {"input_cost_per_token": 2e-06,
		"output_cost_per_token": 8e-06, "litellm_provider": "openai", "mode": "chat"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	base, err := os.ReadFile(defaultConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(base), "  cost_calculation:\n", `  cost_calculation:
    pricing_file: `+prices+`
    pricing_file_date: 2026-11-01
    prices:
      - model: acme-llm-*
        input_cost_per_token: 0.000001
        output_cost_per_token: 0.000002
      - model: acme-llm-*
        input_cost_per_token: 0.0000005
        output_cost_per_token: 0.000001
        effective_from: 2026-06-01
    provider_discounts:
      aws.bedrock: 0.5
`, 1)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	c := startCollector(t, path)
	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	usage := func(m map[string]any) map[string]any {
		m["gen_ai.operation.name"] = "chat"
		m["gen_ai.usage.input_tokens"] = 1000
		m["gen_ai.usage.output_tokens"] = 100
		return m
	}
	newSpan(ss, "file", usage(map[string]any{"gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o"}))
	old := newSpan(ss, "old", usage(map[string]any{"gen_ai.provider.name": "acme", "gen_ai.request.model": "acme-llm-large"}))
	old.SetStartTimestamp(pcommon.NewTimestampFromTime(time.Date(2026, 5, 31, 23, 0, 0, 0, time.UTC)))
	recent := newSpan(ss, "new", usage(map[string]any{"gen_ai.provider.name": "acme", "gen_ai.request.model": "acme-llm-large"}))
	recent.SetStartTimestamp(pcommon.NewTimestampFromTime(time.Date(2026, 6, 1, 0, 0, 1, 0, time.UTC)))
	newSpan(ss, "bedrock", usage(map[string]any{"gen_ai.provider.name": "aws.bedrock",
		"gen_ai.request.model": "us.anthropic.claude-3-5-haiku-20241022-v1:0"}))
	c.sendTracesGRPC(t, td)
	spans := c.waitSpans(t, 4)
	near := func(name string, got, want float64) {
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: cost %.15g, want %.15g", name, got, want)
		}
	}
	file := spans["file"][0]
	near("pricing_file", attr(t, file, "gen_ai.usage.cost.amount").Double(), 1000*2e-6+100*8e-6)
	wantStr(t, file, "llm_observatory.cost.catalog_date", "2026-11-01")
	near("price before effective_from", attr(t, spans["old"][0], "gen_ai.usage.cost.amount").Double(), 1000*1e-6+100*2e-6)
	near("price after effective_from", attr(t, spans["new"][0], "gen_ai.usage.cost.amount").Double(), 1000*5e-7+100*1e-6)
	wantStr(t, spans["new"][0], "llm_observatory.cost.price_entry", "override:acme-llm-*")
	// Haiku 3.5 on Bedrock: 8e-7 in, 4e-6 out, at half price
	near("discount", attr(t, spans["bedrock"][0], "gen_ai.usage.cost.amount").Double(), (1000*8e-7+100*4e-6)/2)
	wantStr(t, spans["bedrock"][0], "llm_observatory.cost.discount", "aws.bedrock")
}

// A model id is user input that arrives before pii_redaction: the unknown-model warning names
// an ordinary id, but never writes a secret or a megabyte into the collector's log.
func TestUnknownModelWarningLeaksNothing(t *testing.T) {
	c := startCollector(t, defaultConfig(t))
	const awsKey, card = "AKIAIOSFODNN7EXAMPLE", "4111111111111111"
	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	for name, model := range map[string]string{
		"plain":    "acme-llm-9000",
		"key":      "acme-" + awsKey,
		"card":     "model-" + card,
		"megabyte": "m-" + strings.Repeat("x", 1<<20) + awsKey + card,
	} {
		newSpan(ss, "chat "+name, map[string]any{
			"gen_ai.provider.name": "acme", "gen_ai.request.model": model, "gen_ai.usage.input_tokens": 5,
		})
	}
	c.sendTracesGRPC(t, td)
	spans := c.waitSpans(t, 4)
	wantStr(t, spans["chat key"][0], "llm_observatory.cost.status", "unknown_model")
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(c.stderr.String(), "no price for these models") && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	c.stop()
	log := c.stderr.String()
	if !strings.Contains(log, "acme-llm-9000") {
		t.Errorf("the warning does not name the ordinary unknown model:\n%.2000s", log)
	}
	for _, secret := range []string{awsKey, card} {
		if strings.Contains(log, secret) {
			t.Errorf("the collector's log carries %q", secret)
		}
	}
	for _, line := range strings.Split(log, "\n") {
		if len(line) > 64<<10 {
			t.Errorf("a log line of %d bytes", len(line))
		}
	}
}

// Costs someone else reported, through the binary with plain_cost_attribute on: a provider's
// gen_ai.usage.cost.amount and OpenLIT's plain gen_ai.usage.cost stay as they came, our price
// goes beside them, the plain double appears for dashboards that read it; and the output sent
// through again (an agent collector in front of a gateway) comes out the same.
func TestReportedCostsThroughTheBinary(t *testing.T) {
	dir := t.TempDir()
	base, err := os.ReadFile(defaultConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(base), "  cost_calculation:\n", "  cost_calculation:\n    plain_cost_attribute: true\n", 1)
	path := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	c := startCollector(t, path)
	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	usage := func(m map[string]any) map[string]any {
		m["gen_ai.provider.name"] = "openai"
		m["gen_ai.operation.name"] = "chat"
		m["gen_ai.request.model"] = "gpt-4o"
		m["gen_ai.usage.input_tokens"] = 1000
		m["gen_ai.usage.output_tokens"] = 100
		return m
	}
	newSpan(ss, "ours", usage(map[string]any{}))
	newSpan(ss, "provider", usage(map[string]any{"gen_ai.usage.cost.amount": 0.0031}))
	newSpan(ss, "openlit", usage(map[string]any{"gen_ai.usage.cost": 0.0034}))
	newSpan(ss, "unpriced", map[string]any{"gen_ai.provider.name": "acme", "gen_ai.operation.name": "chat",
		"gen_ai.request.model": "my-own-model", "gen_ai.usage.input_tokens": 5, "gen_ai.usage.cost": 0.0007})
	c.sendTracesGRPC(t, td)
	first := c.waitSpans(t, 4)

	const gpt4o = 1000*2.5e-6 + 100*1e-5 // 0.0035
	for _, w := range []struct {
		span          string
		amount, plain float64
		source        string
		computed      bool
		reportedAside bool
	}{
		{"ours", gpt4o, gpt4o, "llm_observatory", true, false},
		{"provider", 0.0031, 0.0031, "instrumentation", true, false},
		{"openlit", gpt4o, 0.0034, "llm_observatory", true, true},
		{"unpriced", 0.0007, 0.0007, "instrumentation", false, true},
	} {
		s := first[w.span][0]
		if got := attr(t, s, "gen_ai.usage.cost.amount").Double(); math.Abs(got-w.amount) > 1e-12 {
			t.Errorf("%s: gen_ai.usage.cost.amount = %.15g, want %.15g", w.span, got, w.amount)
		}
		if got := attr(t, s, "gen_ai.usage.cost").Double(); math.Abs(got-w.plain) > 1e-12 {
			t.Errorf("%s: gen_ai.usage.cost = %.15g, want %.15g", w.span, got, w.plain)
		}
		wantStr(t, s, "gen_ai.usage.cost.source", w.source)
		if v, ok := s.Attributes().Get("llm_observatory.cost.computed"); ok != w.computed || (ok && math.Abs(v.Double()-gpt4o) > 1e-12) {
			t.Errorf("%s: llm_observatory.cost.computed = %v (present %v), want present %v", w.span, v.AsRaw(), ok, w.computed)
		}
		if _, ok := s.Attributes().Get("llm_observatory.cost.reported"); ok != w.reportedAside {
			t.Errorf("%s: llm_observatory.cost.reported present %v, want %v", w.span, ok, w.reportedAside)
		}
	}

	again := ptrace.NewTraces()
	out := again.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
	for name, spans := range first {
		s := out.AppendEmpty()
		spans[0].CopyTo(s)
		s.SetName("again-" + name)
	}
	c.sendTracesGRPC(t, again)
	second := c.waitSpans(t, 8)
	for name, spans := range first {
		want := spans[0].Attributes().AsRaw()
		if got := second["again-"+name][0].Attributes().AsRaw(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s priced again:\n got %v\nwant %v", name, got, want)
		}
	}
}

// Dated prices through the binary: the same o3 and Mistral Large 4 calls started on different
// days are priced at the price in force that day (genai-prices' dated changes laid over the
// LiteLLM catalog), with the period named.
func TestDatedPricesThroughTheBinary(t *testing.T) {
	c := startCollector(t, defaultConfig(t))
	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	cases := []struct {
		name, model, day string
		usd              float64
		period           string
	}{
		{"o3 before the cut", "o3", "2025-05-01", 10, "../2025-06-10"},
		{"o3 after the cut", "o3", "2025-07-01", 2, ""},
		{"mistral before", "mistral-large-4", "2026-10-01", 0.68, "../2026-10-20"},
		{"mistral doubled", "mistral-large-4", "2026-10-25", 1.36, "2026-10-20/2026-10-29"},
		{"mistral after", "mistral-large-4", "2026-11-15", 0.70, "2026-10-29/.."},
	}
	for _, tc := range cases {
		provider := "openai"
		if strings.HasPrefix(tc.model, "mistral") {
			provider = "mistral_ai"
		}
		s := newSpan(ss, tc.name, map[string]any{
			"gen_ai.provider.name": provider, "gen_ai.operation.name": "chat", "gen_ai.response.model": tc.model,
			"gen_ai.usage.input_tokens": 1_000_000, "gen_ai.usage.output_tokens": 0,
		})
		day, err := time.Parse("2006-01-02", tc.day)
		if err != nil {
			t.Fatal(err)
		}
		s.SetStartTimestamp(pcommon.NewTimestampFromTime(day.Add(12 * time.Hour)))
		s.SetEndTimestamp(pcommon.NewTimestampFromTime(day.Add(12*time.Hour + time.Second)))
	}
	c.sendTracesHTTP(t, td)
	spans := c.waitSpans(t, len(cases))
	for _, tc := range cases {
		s := spans[tc.name][0]
		if got := attr(t, s, "gen_ai.usage.cost.amount").Double(); got != tc.usd {
			t.Errorf("%s: %v USD, want %v", tc.name, got, tc.usd)
		}
		p, ok := s.Attributes().Get("llm_observatory.cost.price_period")
		if ok != (tc.period != "") || (ok && p.Str() != tc.period) {
			t.Errorf("%s: price_period %q (present %v), want %q", tc.name, p.AsString(), ok, tc.period)
		}
	}
}
