package e2e

import (
	"fmt"
	"math"
	"math/rand"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// configs/sampling.yaml end to end: every trace with an error, an expensive LLM call or a PII
// finding is exported whole, a sample of the others is, and the usage metrics are the totals
// of everything sent (taken before the sampler dropped anything), per call and per run.
func TestCostCompleteSampling(t *testing.T) {
	backend := newBackendSink(t, http.StatusOK)
	metrics := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	c := startCollector(t, configPath(t, "sampling.yaml"),
		fmt.Sprintf("COLLECTOR_OTLP_GRPC_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_OTLP_HTTP_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_HEALTH_ENDPOINT=127.0.0.1:%d", freePort(t)),
		"COLLECTOR_METRICS_ENDPOINT="+metrics,
		"BACKEND_OTLP_ENDPOINT="+backend.grpcAddr,
		"SAMPLING_DECISION_WAIT=1s",
		"SAMPLING_PERCENT=20",
		"ROLLUP_DECISION_WAIT=1s",
	)

	// Each trace: an HTTP server span and a gpt-4o call under it. gpt-4o: 2.5e-6 per input
	// token, 1e-5 per output token.
	const perKind, ordinary = 15, 300
	kinds := []string{"error", "llm-error", "expensive", "pii"}
	var wantIn, wantOut, wantCalls int
	var wantCost float64
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "chat-api")
	ss := rs.ScopeSpans().AppendEmpty()
	kindOf := map[pcommon.TraceID]string{}
	rng := rand.New(rand.NewSource(7))
	n := 0
	add := func(kind string) {
		n++
		// random ids: the probabilistic policy reads its randomness from the trace id
		var id pcommon.TraceID
		rng.Read(id[:])
		kindOf[id] = kind
		in, out := 1000+n, 100
		if kind == "expensive" {
			in = 30000 // 0.075 USD and more
		}
		attrs := map[string]any{
			"gen_ai.provider.name": "openai", "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o",
			"gen_ai.usage.input_tokens": in, "gen_ai.usage.output_tokens": out,
			"gen_ai.input.messages": `[{"role":"user","parts":[{"type":"text","content":"What is the capital of France?"}]}]`,
		}
		switch kind {
		case "llm-error":
			attrs["error.type"] = "rate_limit_exceeded"
		case "pii":
			attrs["gen_ai.input.messages"] = `[{"role":"user","parts":[{"type":"text","content":"Mail the report to jane.doe@example.com"}]}]`
		}
		wantIn += in
		wantOut += out
		wantCalls++
		wantCost += float64(in)*2.5e-6 + float64(out)*1e-5
		server := ss.Spans().AppendEmpty()
		server.SetName(fmt.Sprintf("%s-%d GET /chat", kind, n))
		server.SetTraceID(id)
		server.SetSpanID(pcommon.SpanID{byte(n >> 8), byte(n), 1})
		server.Attributes().PutStr("http.request.method", "GET")
		if kind == "error" {
			server.Status().SetCode(ptrace.StatusCodeError)
		}
		llm := newSpan(ss, fmt.Sprintf("%s-%d chat gpt-4o", kind, n), attrs)
		llm.SetTraceID(id)
		llm.SetSpanID(pcommon.SpanID{byte(n >> 8), byte(n), 2})
		llm.SetParentSpanID(server.SpanID())
	}
	for _, k := range kinds {
		for i := 0; i < perKind; i++ {
			add(k)
		}
	}
	for i := 0; i < ordinary; i++ {
		add("ordinary")
	}
	sent := ss.Spans().Len()
	c.sendTracesGRPC(t, td)

	// the metrics: everything sent, sampled or not
	want := map[string]float64{
		"llm_observatory_usage_calls_total":         float64(wantCalls),
		"llm_observatory_usage_input_tokens_total":  float64(wantIn),
		"llm_observatory_usage_output_tokens_total": float64(wantOut),
		"llm_observatory_usage_cost_total":          wantCost,
		// every trace is a run of one call under its server span: llm_rollup's totals
		"llm_observatory_run_cost_count":        float64(n),
		"llm_observatory_run_cost_sum":          wantCost,
		"llm_observatory_run_token_usage_count": float64(2 * n),
		"llm_observatory_run_token_usage_sum":   float64(wantIn + wantOut),
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		body := get(t, "http://"+metrics+"/metrics")
		ok := true
		for m, w := range want {
			got, _ := promSum(body, m)
			ok = ok && math.Abs(got-w) < 1e-6
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			for m, w := range want {
				got, found := promSum(body, m)
				t.Errorf("%s = %v (found %v), want %v", m, got, found, w)
			}
			t.Fatalf("metrics never added up\n%s", c.stderr.String())
		}
		time.Sleep(300 * time.Millisecond)
	}

	// the traces: decided decision_wait after their first span
	got := backend.settledTraces(t)
	kept := map[string]int{}
	exported := 0
	for id, spans := range got {
		kind, ok := kindOf[id]
		if !ok {
			t.Fatalf("a trace that was never sent: %v", id)
		}
		if len(spans) != 2 {
			t.Errorf("%s trace %v exported with %d of its 2 spans", kind, id, len(spans))
		}
		kept[kind]++
		exported += len(spans)
		for _, s := range spans {
			if v, ok := s.Attributes().Get("gen_ai.input.messages"); ok && kind == "pii" {
				if want := "jane.doe@example.com"; strings.Contains(v.Str(), want) {
					t.Errorf("PII trace exported with %s in it", want)
				}
			}
		}
	}
	for _, k := range kinds {
		if kept[k] != perKind {
			t.Errorf("%s traces kept: %d of %d, want all", k, kept[k], perKind)
		}
	}
	// 20% of 300: the binomial's 99.9999% interval is about 30-95
	if r := kept["ordinary"]; r < 25 || r > 100 {
		t.Errorf("ordinary traces kept: %d of %d at 20%%, want about 60", r, ordinary)
	}
	t.Logf("sent %d spans in %d traces; exported %d spans: errors %d, LLM errors %d, expensive %d, PII %d of %d each, ordinary %d of %d (20%%); metrics: %d calls, %d input and %d output tokens, %.6f USD (all sent)",
		sent, n, exported, kept["error"], kept["llm-error"], kept["expensive"], kept["pii"], perKind, kept["ordinary"], ordinary,
		wantCalls, wantIn, wantOut, wantCost)
}
