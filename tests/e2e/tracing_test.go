package e2e

import (
	"fmt"
	"math/rand"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// configs/tracing.yaml end to end: errors, slow traces and LLM errors all kept, the rest
// sampled at the configured rate (counted), the same traces at Jaeger and at Tempo, RED
// metrics scraped with the counts of everything sent, and no password or token in the output.
func TestTracingStack(t *testing.T) {
	jaeger := newBackendSink(t, http.StatusOK)
	tempo := newBackendSink(t, http.StatusOK)
	red := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	c := startCollector(t, configPath(t, "tracing.yaml"),
		fmt.Sprintf("COLLECTOR_OTLP_GRPC_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_OTLP_HTTP_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_HEALTH_ENDPOINT=127.0.0.1:%d", freePort(t)),
		"RED_METRICS_ENDPOINT="+red, "RED_FLUSH_INTERVAL=500ms",
		"JAEGER_OTLP_ENDPOINT="+jaeger.grpcAddr, "TEMPO_OTLP_ENDPOINT="+tempo.grpcAddr,
		"TRACING_DECISION_WAIT=1s", "TRACING_SLOW_MS=1000", "TRACING_SAMPLE_PERCENT=20",
	)
	const perKind, ordinary = 15, 300
	const password, token = "hunter2-correct-horse", "sk-proj-Zx9vT3cQ8wL2mN5pR7sK1yB4dF6gH0jA"
	rng := rand.New(rand.NewSource(11))
	kindOf := map[pcommon.TraceID]string{}
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "chat-api")
	ss := rs.ScopeSpans().AppendEmpty()
	start := time.Now().Add(-time.Minute)
	n := 0
	add := func(kind string) {
		n++
		var id pcommon.TraceID
		rng.Read(id[:])
		kindOf[id] = kind
		server := ss.Spans().AppendEmpty()
		server.SetName("GET /chat")
		server.SetKind(ptrace.SpanKindServer)
		server.SetTraceID(id)
		server.SetSpanID(pcommon.SpanID{byte(n >> 8), byte(n), 1})
		server.SetStartTimestamp(pcommon.NewTimestampFromTime(start))
		took := 50 * time.Millisecond
		if kind == "slow" {
			took = 3 * time.Second
		}
		server.SetEndTimestamp(pcommon.NewTimestampFromTime(start.Add(took)))
		if kind == "error" {
			server.Status().SetCode(ptrace.StatusCodeError)
		}
		db := ss.Spans().AppendEmpty()
		db.SetName("SELECT users")
		db.SetKind(ptrace.SpanKindClient)
		db.SetTraceID(id)
		db.SetSpanID(pcommon.SpanID{byte(n >> 8), byte(n), 2})
		db.SetParentSpanID(server.SpanID())
		db.SetStartTimestamp(pcommon.NewTimestampFromTime(start))
		db.SetEndTimestamp(pcommon.NewTimestampFromTime(start.Add(5 * time.Millisecond)))
		db.Attributes().PutStr("db.system", "postgresql")
		db.Attributes().PutStr("db.password", password)
		db.Attributes().PutStr("http.request.header.authorization", "Bearer "+token)
		llm := ss.Spans().AppendEmpty()
		llm.SetName("chat gpt-4o")
		llm.SetKind(ptrace.SpanKindClient)
		llm.SetTraceID(id)
		llm.SetSpanID(pcommon.SpanID{byte(n >> 8), byte(n), 3})
		llm.SetParentSpanID(server.SpanID())
		llm.SetStartTimestamp(pcommon.NewTimestampFromTime(start))
		llm.SetEndTimestamp(pcommon.NewTimestampFromTime(start.Add(40 * time.Millisecond)))
		attrs := map[string]any{"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai",
			"gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": 10,
			"gen_ai.input.messages": `[{"role":"user","parts":[{"type":"text","content":"my key is ` + token + `"}]}]`}
		if kind == "llm-error" {
			attrs["error.type"] = "rate_limit_exceeded"
		}
		if err := llm.Attributes().FromRaw(attrs); err != nil {
			t.Fatal(err)
		}
	}
	kinds := []string{"error", "slow", "llm-error"}
	for _, k := range kinds {
		for i := 0; i < perKind; i++ {
			add(k)
		}
	}
	for i := 0; i < ordinary; i++ {
		add("ordinary")
	}
	c.sendTracesGRPC(t, td)

	// RED metrics: every trace's server span counted, before sampling
	calls := regexp.MustCompile(`(?m)^traces_span_metrics_calls_total\{([^}]*)\} (\S+)`)
	count := func(body, span, status string) float64 {
		total := 0.0
		for _, m := range calls.FindAllStringSubmatch(body, -1) {
			if strings.Contains(m[1], `span_name="`+span+`"`) && (status == "" || strings.Contains(m[1], `status_code="`+status+`"`)) {
				v, _ := strconv.ParseFloat(m[2], 64)
				total += v
			}
		}
		return total
	}
	traces := float64(n)
	var body string
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		body = get(t, "http://"+red+"/metrics")
		if count(body, "GET /chat", "") == traces {
			break
		}
	}
	if got := count(body, "GET /chat", ""); got != traces {
		t.Errorf("RED calls of GET /chat = %v, want %v (every trace, sampled or not)", got, traces)
	}
	if got := count(body, "GET /chat", "STATUS_CODE_ERROR"); got != perKind {
		t.Errorf("RED errors of GET /chat = %v, want %d", got, perKind)
	}
	durations := regexp.MustCompile(`(?m)^traces_span_metrics_duration_seconds_count\{([^}]*span_name="GET /chat"[^}]*)\} (\S+)`)
	observed := 0.0
	for _, m := range durations.FindAllStringSubmatch(body, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		observed += v
	}
	if observed != traces {
		t.Errorf("RED duration observations of GET /chat = %v, want %v", observed, traces)
	}

	// the sampled traces, the same at both backends
	atJaeger, atTempo := jaeger.settledTraces(t), tempo.settledTraces(t)
	kept := map[string]int{}
	for id, spans := range atJaeger {
		kind := kindOf[id]
		kept[kind]++
		if len(spans) != 3 {
			t.Errorf("%s trace exported with %d of its 3 spans", kind, len(spans))
		}
		if len(atTempo[id]) != len(spans) {
			t.Errorf("%s trace: %d spans at Jaeger, %d at Tempo", kind, len(spans), len(atTempo[id]))
		}
		for _, s := range spans {
			raw := fmt.Sprint(s.Attributes().AsRaw())
			if strings.Contains(raw, password) || strings.Contains(raw, token) {
				t.Errorf("%s span %q exported a secret: %s", kind, s.Name(), raw)
			}
		}
	}
	if len(atTempo) != len(atJaeger) {
		t.Errorf("%d traces at Jaeger, %d at Tempo", len(atJaeger), len(atTempo))
	}
	for _, k := range kinds {
		if kept[k] != perKind {
			t.Errorf("%s traces kept: %d of %d, want all", k, kept[k], perKind)
		}
	}
	if r := kept["ordinary"]; r < 25 || r > 100 {
		t.Errorf("ordinary traces kept: %d of %d at 20%%, want about 60", r, ordinary)
	}
	t.Logf("sent %d traces (%d spans); kept at Jaeger and Tempo: errors %d, slow %d, LLM errors %d of %d each, ordinary %d of %d at 20%%; RED: %v calls, %v errors of GET /chat",
		n, 3*n, kept["error"], kept["slow"], kept["llm-error"], perKind, kept["ordinary"], ordinary,
		count(body, "GET /chat", ""), count(body, "GET /chat", "STATUS_CODE_ERROR"))
}
