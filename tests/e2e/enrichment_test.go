package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

func newSpan(ss ptrace.ScopeSpans, name string, attrs map[string]any) ptrace.Span {
	s := ss.Spans().AppendEmpty()
	s.SetName(name)
	s.SetTraceID(pcommon.TraceID([16]byte{1, 2, 3}))
	s.SetSpanID(pcommon.SpanID([8]byte{byte(ss.Spans().Len())}))
	s.SetStartTimestamp(pcommon.NewTimestampFromTime(time.Now()))
	s.SetEndTimestamp(pcommon.NewTimestampFromTime(time.Now()))
	if err := s.Attributes().FromRaw(attrs); err != nil {
		panic(err)
	}
	return s
}

func attr(t *testing.T, s ptrace.Span, k string) pcommon.Value {
	t.Helper()
	v, ok := s.Attributes().Get(k)
	if !ok {
		t.Fatalf("span %q has no %s: %v", s.Name(), k, s.Attributes().AsRaw())
	}
	return v
}

func wantStr(t *testing.T, s ptrace.Span, k, want string) {
	t.Helper()
	if got := attr(t, s, k).AsString(); got != want {
		t.Errorf("span %q %s = %q, want %q", s.Name(), k, got, want)
	}
}

func wantInt(t *testing.T, s ptrace.Span, k string, want int64) {
	t.Helper()
	if got := attr(t, s, k); got.Type() != pcommon.ValueTypeInt || got.Int() != want {
		t.Errorf("span %q %s = %v, want %d", s.Name(), k, got.AsRaw(), want)
	}
}

func defaultConfig(t *testing.T) string { return filepath.Join(repoRoot(t), "configs", "default.yaml") }

// LLM spans from three conventions over gRPC and HTTP come out normalized; others untouched.
func TestEnrichmentThroughTheBinary(t *testing.T) {
	c := startCollector(t, defaultConfig(t))

	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	newSpan(ss, "ChatCompletion", map[string]any{
		"openinference.span.kind": "LLM", "llm.system": "openai", "llm.model_name": "gpt-4o-2024-08-06",
		"llm.token_count.prompt": 1234, "llm.token_count.completion": 56,
		"llm.token_count.prompt_details.cache_read": 1000,
	})
	newSpan(ss, "ai.generateText.doGenerate", map[string]any{
		"ai.operationId": "ai.generateText.doGenerate", "ai.model.provider": "anthropic.messages",
		"ai.model.id": "claude-3-5-sonnet-20241022", "gen_ai.system": "anthropic.messages",
		"ai.usage.promptTokens": 100, "ai.usage.completionTokens": 50, "gen_ai.usage.input_tokens": 100,
		"ai.response.providerMetadata": `{"anthropic":{"cacheCreationInputTokens":300,"cacheReadInputTokens":2000}}`,
	})
	newSpan(ss, "GET /users", map[string]any{"http.request.method": "GET", "server.address": "api.openai.com"})
	c.sendTracesGRPC(t, td)

	td2 := ptrace.NewTraces()
	ss2 := td2.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	newSpan(ss2, "bedrock.converse", map[string]any{
		"gen_ai.system": "aws.bedrock", "gen_ai.request.model": "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
		"gen_ai.usage.prompt_tokens": 42, "gen_ai.usage.completion_tokens": 7,
	})
	c.sendTracesHTTP(t, td2)

	spans := c.waitSpans(t, 4)
	oi := spans["ChatCompletion"][0]
	wantStr(t, oi, "gen_ai.provider.name", "openai")
	wantStr(t, oi, "gen_ai.operation.name", "chat")
	wantStr(t, oi, "gen_ai.response.model", "gpt-4o-2024-08-06")
	wantInt(t, oi, "gen_ai.usage.input_tokens", 1234)
	wantInt(t, oi, "gen_ai.usage.cache_read.input_tokens", 1000)
	wantStr(t, oi, "llm_observatory.model.family", "gpt-4o")
	wantStr(t, oi, "llm_observatory.source", "openinference")

	v := spans["ai.generateText.doGenerate"][0]
	wantStr(t, v, "gen_ai.provider.name", "anthropic")
	wantInt(t, v, "gen_ai.usage.input_tokens", 2400) // 100 uncached + 2000 read + 300 written
	wantInt(t, v, "llm_observatory.original.gen_ai.usage.input_tokens", 100)
	wantInt(t, v, "gen_ai.usage.cache_creation.input_tokens", 300)

	b := spans["bedrock.converse"][0]
	wantStr(t, b, "gen_ai.provider.name", "aws.bedrock")
	wantStr(t, b, "llm_observatory.model.canonical", "claude-3-7-sonnet-20250219")
	wantInt(t, b, "gen_ai.usage.input_tokens", 42)

	h := spans["GET /users"][0]
	if h.Attributes().Len() != 2 {
		t.Errorf("an ordinary span was changed: %v", h.Attributes().AsRaw())
	}

	m := c.scrapeMetrics(t)
	re := regexp.MustCompile(`(?m)^otelcol_processor_llm_enrichment_llm_items(?:_total)?(?:\{[^}]*\})? (\d+)`)
	match := re.FindStringSubmatch(m)
	if match == nil {
		t.Fatalf("no llm_items metric in:\n%s", m)
	}
	if n, _ := strconv.Atoi(match[1]); n != 3 {
		t.Errorf("llm_items = %d, want 3", n)
	}
}

// GenAI events sent as log records over HTTP get the normalized provider.
func TestLogsThroughTheBinary(t *testing.T) {
	c := startCollector(t, defaultConfig(t))
	ld := plog.NewLogs()
	lr := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
	r := lr.AppendEmpty()
	r.SetEventName("gen_ai.user.message")
	r.Body().SetEmptyMap().PutStr("content", "hello")
	r.Attributes().PutStr("gen_ai.system", "openai")
	plain := lr.AppendEmpty()
	plain.Body().SetStr("GET /healthz 200")
	c.sendLogsHTTP(t, ld)
	recs := c.waitLogs(t, 2)
	found := false
	for _, r := range recs {
		if r.EventName() == "gen_ai.user.message" {
			p, ok := r.Attributes().Get("gen_ai.provider.name")
			found = ok && p.Str() == "openai"
		} else if r.Attributes().Len() != 0 {
			t.Errorf("an ordinary log record was changed: %v", r.Attributes().AsRaw())
		}
	}
	if !found {
		t.Errorf("the GenAI event did not get gen_ai.provider.name")
	}
}

// Wrong types, invalid UTF-8 in bytes, a 10 MB string and broken JSON pass through unchanged.
func TestMalformedInputLosesNothing(t *testing.T) {
	c := startCollector(t, defaultConfig(t))
	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	s := newSpan(ss, "chat", map[string]any{
		"gen_ai.system":                  "openai",
		"gen_ai.request.model":           "gpt-4o",
		"gen_ai.usage.prompt_tokens":     "not a number",
		"gen_ai.usage.completion_tokens": 2.5,
		"llm.invocation_parameters":      "{broken",
		"gen_ai.prompt":                  strings.Repeat("a", 10<<20),
		"gen_ai.usage.input_tokens":      []any{1, 2},
	})
	s.Attributes().PutEmptyBytes("gen_ai.raw").FromRaw([]byte{0xff, 0xfe, 'x'})
	orig := ptrace.NewSpan()
	s.CopyTo(orig)
	c.sendTracesHTTP(t, td)
	got := c.waitSpans(t, 1)["chat"][0]
	orig.Attributes().Range(func(k string, v pcommon.Value) bool {
		g, ok := got.Attributes().Get(k)
		if !ok || !g.Equal(v) {
			t.Errorf("attribute %s lost or changed", k)
		}
		return true
	})
	wantStr(t, got, "gen_ai.provider.name", "openai")
}

func TestComponentsListsOurProcessorAndTheStockOnes(t *testing.T) {
	out, err := exec.Command(binary(t), "components").CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// Some contrib components were renamed (the old names stay as aliases in configs).
	for _, names := range [][]string{{"llm_enrichment"}, {"token_counting"}, {"cost_calculation"}, {"pii_redaction"}, {"memory_limiter"}, {"batch"}, {"otlp"},
		{"file"}, {"debug"}, {"prometheus"}, {"health_check"}, {"pprof"}, {"zpages"}, {"file_storage"},
		{"filelog", "file_log"}, {"spanmetrics", "span_metrics"}, {"transform"}, {"filter"},
		{"redaction"}, {"tail_sampling"}, {"attributes"}, {"resource"}, {"otlp_grpc", "otlp"},
		{"otlp_http", "otlphttp"}, {"clickhouse"}, {"count"}} {
		found := false
		for _, name := range names {
			found = found || regexp.MustCompile(`(?m)^\s*(-\s*)?name: `+regexp.QuoteMeta(name)+`\s*$`).Match(out)
		}
		if !found {
			t.Errorf("components does not list %s", strings.Join(names, " or "))
		}
	}
}

func TestEveryShippedConfigValidates(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(repoRoot(t), "configs", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no configs: %v", err)
	}
	// the compose stack's collector config ships too
	files = append(files, filepath.Join(repoRoot(t), "docker", "otelcol", "config.yaml"))
	telemetryPort := regexp.MustCompile(`port: \$\{env:(METRICS_PORT|COLLECTOR_TELEMETRY_PORT):-8888\}`)
	for _, f := range files {
		// the collector's own metrics on a port the environment sets: the default
		// (localhost:8888) makes two collectors on one host (tests, agent and gateway) collide
		if b, err := os.ReadFile(f); err != nil || (!telemetryPort.Match(b) && strings.HasPrefix(f, filepath.Join(repoRoot(t), "configs"))) {
			t.Errorf("%s: its own telemetry port does not come from METRICS_PORT or COLLECTOR_TELEMETRY_PORT", filepath.Base(f))
		}
		cmd := exec.Command(binary(t), "validate", "--config", f)
		cmd.Env = os.Environ()
		// from an empty working directory: no config may depend on a file `make run` creates
		cmd.Dir = t.TempDir()
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s does not validate: %v\n%s", filepath.Base(f), err, out)
		}
	}
}

// Bad config is refused at start-up with a message naming the key.
func TestBadConfigIsRefusedNamingTheKey(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	cfg := strings.Replace(readFile(t, defaultConfig(t)), "  llm_enrichment:\n",
		"  llm_enrichment:\n    attribute_mappings:\n      acme.model: gen_ai.modle\n", 1)
	if err := os.WriteFile(bad, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(binary(t), "validate", "--config", bad).CombinedOutput()
	if err == nil {
		t.Fatal("a bad config validated")
	}
	if !strings.Contains(string(out), `attribute_mappings: "acme.model" maps to "gen_ai.modle"`) {
		t.Errorf("the error does not name the key:\n%s", out)
	}
}

func readFile(t *testing.T, p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
