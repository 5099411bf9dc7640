package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// configs/full.yaml honours the LLM Observatory environment variables: ports move, a
// processor toggled off passes data through, pii_redaction toggled on redacts, the batch
// size and log level apply, and the LLM usage metrics reach the Prometheus exporter.
func TestFullConfigHonoursItsEnvironment(t *testing.T) {
	jaeger := newBackendSink(t, http.StatusOK)
	metrics := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	c := startCollector(t, configPath(t, "full.yaml"),
		fmt.Sprintf("COLLECTOR_OTLP_GRPC_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_OTLP_HTTP_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_HEALTH_ENDPOINT=127.0.0.1:%d", freePort(t)),
		"COLLECTOR_METRICS_ENDPOINT="+metrics,
		fmt.Sprintf("COLLECTOR_TELEMETRY_PORT=%d", freePort(t)),
		"COLLECTOR_TELEMETRY_HOST=127.0.0.1",
		fmt.Sprintf("COLLECTOR_PPROF_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_ZPAGES_ENDPOINT=127.0.0.1:%d", freePort(t)),
		"COLLECTOR_BATCH_SIZE=7", "COLLECTOR_BATCH_TIMEOUT=200ms",
		"COLLECTOR_COST_CALCULATION_ENABLED=false",
		"COLLECTOR_PII_REDACTION_ENABLED=true",
		"COLLECTOR_LOG_LEVEL=debug",
		"JAEGER_OTLP_ENDPOINT="+jaeger.grpcAddr,
		"APP_LOG_GLOB="+t.TempDir()+"/*.json",
	)
	td := llmWorkload(20, 1)
	ss := td.ResourceSpans().At(0).ScopeSpans().At(0)
	newSpan(ss, "chat with pii", map[string]any{
		"gen_ai.provider.name": "openai", "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o",
		"gen_ai.usage.input_tokens": 10, "gen_ai.usage.output_tokens": 2,
		"gen_ai.input.messages": `[{"role":"user","parts":[{"type":"text","content":"I am bob@example.net"}]}]`,
	})
	c.sendTracesGRPC(t, td)
	spans := jaeger.waitSpans(t, c, 22)

	pii := spans["chat with pii"][0]
	if got := attr(t, pii, "gen_ai.input.messages").Str(); strings.Contains(got, "bob@example.net") {
		t.Errorf("COLLECTOR_PII_REDACTION_ENABLED=true did not redact: %s", got)
	}
	for name, ss := range spans {
		if _, ok := ss[0].Attributes().Get("gen_ai.usage.cost.amount"); ok {
			t.Errorf("COLLECTOR_COST_CALCULATION_ENABLED=false, yet %q was priced", name)
		}
	}
	wantStr(t, spans["llm-0"][0], "gen_ai.provider.name", "openai") // enrichment on by default
	// batches of at most COLLECTOR_BATCH_SIZE spans
	for _, r := range jaeger.batchSizes() {
		if r > 7 {
			t.Errorf("a batch of %d spans: COLLECTOR_BATCH_SIZE=7 not applied", r)
		}
	}
	if !strings.Contains(c.stderr.String(), "debug") {
		t.Error("COLLECTOR_LOG_LEVEL=debug: no debug lines")
	}

	// LLM usage metrics on COLLECTOR_METRICS_ENDPOINT
	deadline := time.Now().Add(20 * time.Second)
	want := []string{
		`llm_observatory_usage_input_tokens_total{`, `gen_ai_client_token_usage_bucket{`,
		`gen_ai_client_operation_duration_seconds_bucket{`, `gen_ai_response_model="gpt-4o-mini"`, `gen_ai_request_model="gpt-4o"`,
	}
	var body string
	for time.Now().Before(deadline) {
		body = get(t, "http://"+metrics+"/metrics")
		missing := false
		for _, w := range want {
			missing = missing || !strings.Contains(body, w)
		}
		if !missing {
			return
		}
		time.Sleep(300 * time.Millisecond)
	}
	t.Errorf("LLM metrics missing on %s; got:\n%s", metrics, body)
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 64<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

// batchSizes is the number of spans in each request the sink received.
func (s *backendSink) batchSizes() []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]int, 0, len(s.traces))
	for _, td := range s.traces {
		out = append(out, td.SpanCount())
	}
	return out
}
