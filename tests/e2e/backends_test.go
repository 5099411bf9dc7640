package e2e

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/plog/plogotlp"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/pmetric/pmetricotlp"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
	"google.golang.org/grpc"
	_ "google.golang.org/grpc/encoding/gzip" // the otlp_grpc exporter compresses with gzip
	"google.golang.org/grpc/metadata"
)

// backendSink stands in for Jaeger, SigNoz, a Datadog Agent or Datadog's OTLP intake: an OTLP
// gRPC and HTTP server that keeps every span and log record it is sent, and the headers
// (gRPC metadata) of every export request.
type backendSink struct {
	grpcAddr string
	httpURL  string
	// httpStatus is what the HTTP side answers to an accepted export (Datadog's intake: 202).
	httpStatus int

	// delay is how long each gRPC trace export takes (a slow backend).
	delay time.Duration

	mu       sync.Mutex
	traces   []ptrace.Traces
	logs     []plog.Logs
	metrics  []pmetric.Metrics
	requests []sinkRequest
}

type sinkRequest struct {
	path    string // /v1/traces, /v1/logs, or the gRPC service
	headers map[string][]string
}

func newBackendSink(t *testing.T, httpStatus int) *backendSink {
	t.Helper()
	s := &backendSink{httpStatus: httpStatus}

	gl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gs := grpc.NewServer()
	ptraceotlp.RegisterGRPCServer(gs, &sinkTraceService{s: s})
	plogotlp.RegisterGRPCServer(gs, &sinkLogService{s: s})
	go func() { _ = gs.Serve(gl) }()
	s.grpcAddr = gl.Addr().String()

	hl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: http.HandlerFunc(s.serveHTTP), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = hs.Serve(hl) }()
	s.httpURL = "http://" + hl.Addr().String()

	t.Cleanup(func() {
		gs.Stop()
		_ = hs.Close()
	})
	return s
}

func (s *backendSink) record(path string, headers map[string][]string, td *ptrace.Traces, ld *plog.Logs) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := make(map[string][]string, len(headers))
	for k, v := range headers {
		h[strings.ToLower(k)] = v
	}
	s.requests = append(s.requests, sinkRequest{path: path, headers: h})
	if td != nil {
		s.traces = append(s.traces, *td)
	}
	if ld != nil {
		s.logs = append(s.logs, *ld)
	}
}

type sinkTraceService struct {
	ptraceotlp.UnimplementedGRPCServer
	s *backendSink
}

func (t *sinkTraceService) Export(ctx context.Context, req ptraceotlp.ExportRequest) (ptraceotlp.ExportResponse, error) {
	time.Sleep(t.s.delay)
	md, _ := metadata.FromIncomingContext(ctx)
	td := req.Traces()
	t.s.record("grpc traces", md, &td, nil)
	return ptraceotlp.NewExportResponse(), nil
}

type sinkLogService struct {
	plogotlp.UnimplementedGRPCServer
	s *backendSink
}

func (l *sinkLogService) Export(ctx context.Context, req plogotlp.ExportRequest) (plogotlp.ExportResponse, error) {
	md, _ := metadata.FromIncomingContext(ctx)
	ld := req.Logs()
	l.s.record("grpc logs", md, nil, &ld)
	return plogotlp.NewExportResponse(), nil
}

func (s *backendSink) serveHTTP(w http.ResponseWriter, r *http.Request) {
	var body io.Reader = r.Body
	if strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		gz, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		defer gz.Close()
		body = gz
	}
	raw, err := io.ReadAll(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-protobuf") {
		http.Error(w, "want application/x-protobuf, got "+r.Header.Get("Content-Type"), http.StatusUnsupportedMediaType)
		return
	}
	var out []byte
	// Loki 3 takes OTLP under /otlp (/otlp/v1/logs), Langfuse under /api/public/otel: the
	// signal is what follows the last /v1/; the path is recorded as it came
	path := r.URL.Path
	if i := strings.LastIndex(path, "/v1/"); i > 0 {
		path = path[i:]
	}
	switch path {
	case "/v1/traces":
		req := ptraceotlp.NewExportRequest()
		if err = req.UnmarshalProto(raw); err == nil {
			td := req.Traces()
			s.record(r.URL.Path, r.Header, &td, nil)
			out, err = ptraceotlp.NewExportResponse().MarshalProto()
		}
	case "/v1/logs":
		req := plogotlp.NewExportRequest()
		if err = req.UnmarshalProto(raw); err == nil {
			ld := req.Logs()
			s.record(r.URL.Path, r.Header, nil, &ld)
			out, err = plogotlp.NewExportResponse().MarshalProto()
		}
	case "/v1/metrics":
		req := pmetricotlp.NewExportRequest()
		if err = req.UnmarshalProto(raw); err == nil {
			md := req.Metrics()
			s.record(r.URL.Path, r.Header, nil, nil)
			s.mu.Lock()
			s.metrics = append(s.metrics, md)
			s.mu.Unlock()
			out, err = pmetricotlp.NewExportResponse().MarshalProto()
		}
	default:
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.WriteHeader(s.httpStatus)
	_, _ = w.Write(out)
}

// settledTraces waits until the number of traces received stops changing (3 s without a new
// one: tail sampling releases traces on its own schedule) and returns their spans by trace id.
func (s *backendSink) settledTraces(t *testing.T) map[pcommon.TraceID][]ptrace.Span {
	t.Helper()
	var got map[pcommon.TraceID][]ptrace.Span
	last, stable := -1, 0
	for deadline := time.Now().Add(30 * time.Second); stable < 6 && time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		got = map[pcommon.TraceID][]ptrace.Span{}
		s.mu.Lock()
		for _, td := range s.traces {
			for i := 0; i < td.ResourceSpans().Len(); i++ {
				sss := td.ResourceSpans().At(i).ScopeSpans()
				for j := 0; j < sss.Len(); j++ {
					for k := 0; k < sss.At(j).Spans().Len(); k++ {
						sp := sss.At(j).Spans().At(k)
						got[sp.TraceID()] = append(got[sp.TraceID()], sp)
					}
				}
			}
		}
		s.mu.Unlock()
		if len(got) == last && last > 0 {
			stable++
		} else {
			stable = 0
		}
		last = len(got)
	}
	return got
}

// spans returns every span received so far by name, and how many there were.
func (s *backendSink) spans() (map[string][]ptrace.Span, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	byName := map[string][]ptrace.Span{}
	n := 0
	for _, td := range s.traces {
		rss := td.ResourceSpans()
		for i := 0; i < rss.Len(); i++ {
			sss := rss.At(i).ScopeSpans()
			for j := 0; j < sss.Len(); j++ {
				sp := sss.At(j).Spans()
				for k := 0; k < sp.Len(); k++ {
					byName[sp.At(k).Name()] = append(byName[sp.At(k).Name()], sp.At(k))
					n++
				}
			}
		}
	}
	return byName, n
}

func (s *backendSink) logRecords() []plog.LogRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []plog.LogRecord
	for _, ld := range s.logs {
		rls := ld.ResourceLogs()
		for i := 0; i < rls.Len(); i++ {
			sls := rls.At(i).ScopeLogs()
			for j := 0; j < sls.Len(); j++ {
				lr := sls.At(j).LogRecords()
				for k := 0; k < lr.Len(); k++ {
					out = append(out, lr.At(k))
				}
			}
		}
	}
	return out
}

func (s *backendSink) requestsSeen() []sinkRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sinkRequest(nil), s.requests...)
}

// waitSpans waits until want spans arrived, then a little longer to catch duplicates: the
// sink must end with exactly want.
func (s *backendSink) waitSpans(t *testing.T, c *collector, want int) map[string][]ptrace.Span {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, n := s.spans()
		if n >= want {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the backend got %d of %d spans\n%s", n, want, c.stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // a batch timeout and more: anything sent twice is here now
	byName, n := s.spans()
	if n != want {
		t.Fatalf("the backend got %d spans, %d were sent", n, want)
	}
	return byName
}

func (s *backendSink) waitLogs(t *testing.T, c *collector, want int) []plog.LogRecord {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for len(s.logRecords()) < want {
		if time.Now().After(deadline) {
			t.Fatalf("the backend got %d of %d log records\n%s", len(s.logRecords()), want, c.stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return s.logRecords()
}

// llmWorkload is nLLM LLM spans in two instrumentation conventions that llm_enrichment
// normalizes (OpenInference and OpenLLMetry on the pre-1.37 GenAI names), priced models, plus
// nPlain ordinary spans. Names are unique: llm-<i>, plain-<i>.
func llmWorkload(nLLM, nPlain int) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "chat-api")
	ss := rs.ScopeSpans().AppendEmpty()
	for i := 0; i < nLLM; i++ {
		if i%2 == 0 {
			newSpan(ss, fmt.Sprintf("llm-%d", i), map[string]any{
				"openinference.span.kind": "LLM", "llm.system": "openai", "llm.model_name": "gpt-4o-mini",
				"llm.token_count.prompt": 1000 + i, "llm.token_count.completion": 50,
			})
		} else {
			newSpan(ss, fmt.Sprintf("llm-%d", i), map[string]any{
				"gen_ai.system": "openai", "llm.request.type": "chat", "gen_ai.request.model": "gpt-4o",
				"gen_ai.usage.prompt_tokens": 1000 + i, "gen_ai.usage.completion_tokens": 20,
			})
		}
	}
	for i := 0; i < nPlain; i++ {
		newSpan(ss, fmt.Sprintf("plain-%d", i), map[string]any{"http.request.method": "GET", "url.path": "/healthz"})
	}
	return td
}

// sendWorkload sends half of the spans over gRPC and half over HTTP.
func sendWorkload(t *testing.T, c *collector, nLLM, nPlain int) {
	t.Helper()
	c.sendTracesGRPC(t, llmWorkload(nLLM/2, nPlain/2))
	second := llmWorkload(nLLM-nLLM/2, nPlain-nPlain/2)
	// unique names and span ids across both requests
	sp := second.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	for i := 0; i < sp.Len(); i++ {
		sp.At(i).SetName("b-" + sp.At(i).Name())
		sp.At(i).SetTraceID(pcommon.TraceID([16]byte{9, 9, 9}))
	}
	c.sendTracesHTTP(t, second)
}

// checkLLMSpans asserts every LLM span arrived normalized and priced, and no plain span
// picked up gen_ai attributes.
func checkLLMSpans(t *testing.T, byName map[string][]ptrace.Span) {
	t.Helper()
	llm := 0
	for name, spans := range byName {
		if len(spans) != 1 {
			t.Errorf("span %q arrived %d times", name, len(spans))
		}
		s := spans[0]
		if strings.Contains(name, "plain-") {
			if _, ok := s.Attributes().Get("gen_ai.provider.name"); ok {
				t.Errorf("plain span %q got gen_ai attributes: %v", name, s.Attributes().AsRaw())
			}
			continue
		}
		llm++
		wantStr(t, s, "gen_ai.provider.name", "openai")
		wantStr(t, s, "gen_ai.operation.name", "chat")
		if v := attr(t, s, "gen_ai.usage.input_tokens"); v.Type() != pcommon.ValueTypeInt || v.Int() < 1000 {
			t.Errorf("span %q gen_ai.usage.input_tokens = %v", name, v.AsRaw())
		}
		if v := attr(t, s, "gen_ai.usage.cost.amount"); v.Type() != pcommon.ValueTypeDouble || v.Double() <= 0 {
			t.Errorf("span %q gen_ai.usage.cost.amount = %v, want a positive double", name, v.AsRaw())
		}
		wantStr(t, s, "gen_ai.usage.cost.currency", "USD")
	}
	if llm == 0 {
		t.Error("no LLM span arrived")
	}
}

func genAIEvent() plog.Logs {
	ld := plog.NewLogs()
	lr := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
	r := lr.AppendEmpty()
	r.SetEventName("gen_ai.user.message")
	r.Body().SetEmptyMap().PutStr("content", "hello")
	r.Attributes().PutStr("gen_ai.system", "openai")
	return ld
}

func configPath(t *testing.T, name string) string {
	return filepath.Join(repoRoot(t), "configs", name)
}

// printConfig resolves a shipped config with the given environment, secrets in clear.
func printConfig(t *testing.T, config string, env ...string) string {
	t.Helper()
	cmd := exec.Command(binary(t), "print-config", "--mode", "unredacted", "--config", config)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("print-config: %v\n%s", err, out)
	}
	return string(out)
}

func TestJaegerConfigDeliversEverySpan(t *testing.T) {
	jaeger := newBackendSink(t, http.StatusOK)
	c := startCollector(t, configPath(t, "jaeger.yaml"), "JAEGER_OTLP_ENDPOINT="+jaeger.grpcAddr)
	sendWorkload(t, c, 40, 10)
	checkLLMSpans(t, jaeger.waitSpans(t, c, 50))
}

func TestSigNozConfig(t *testing.T) {
	t.Run("cloud over gRPC carries the ingestion key", func(t *testing.T) {
		signoz := newBackendSink(t, http.StatusOK)
		c := startCollector(t, configPath(t, "signoz.yaml"),
			"SIGNOZ_ENDPOINT="+signoz.grpcAddr, "SIGNOZ_INSECURE=true",
			"SIGNOZ_INGESTION_KEY=sz-test-key-7f3a")
		sendWorkload(t, c, 40, 10)
		c.sendLogsHTTP(t, genAIEvent())
		spans := signoz.waitSpans(t, c, 50)
		checkLLMSpans(t, spans)
		// what SigNoz's LLM dashboards read: the plain cost double, equal to the amount
		for name, s := range spans {
			amount, ok := s[0].Attributes().Get("gen_ai.usage.cost.amount")
			if !ok {
				continue
			}
			if plain, ok := s[0].Attributes().Get("gen_ai.usage.cost"); !ok || plain.Double() != amount.Double() {
				t.Errorf("span %q: gen_ai.usage.cost = %v, want %v", name, plain.AsRaw(), amount.Double())
			}
		}
		signoz.waitLogs(t, c, 1)
		reqs := signoz.requestsSeen()
		for _, r := range reqs {
			if got := r.headers["signoz-ingestion-key"]; len(got) != 1 || got[0] != "sz-test-key-7f3a" {
				t.Errorf("%s request: signoz-ingestion-key = %q, want the SIGNOZ_INGESTION_KEY value", r.path, got)
			}
		}
		if len(reqs) < 2 {
			t.Errorf("%d export requests, want traces and logs", len(reqs))
		}
	})

	t.Run("self-hosted over HTTP", func(t *testing.T) {
		signoz := newBackendSink(t, http.StatusOK)
		c := startCollector(t, configPath(t, "signoz.yaml"),
			"SIGNOZ_EXPORTERS=[otlp_http/signoz]", "SIGNOZ_HTTP_ENDPOINT="+signoz.httpURL)
		sendWorkload(t, c, 20, 6)
		checkLLMSpans(t, signoz.waitSpans(t, c, 26))
		for _, r := range signoz.requestsSeen() {
			if r.path != "/v1/traces" {
				t.Errorf("request to %s, want /v1/traces", r.path)
			}
		}
	})

	t.Run("cloud endpoint follows SIGNOZ_REGION", func(t *testing.T) {
		out := printConfig(t, configPath(t, "signoz.yaml"), "SIGNOZ_REGION=eu")
		for _, want := range []string{"endpoint: ingest.eu.signoz.cloud:443", "endpoint: https://ingest.eu.signoz.cloud:443"} {
			if !strings.Contains(out, want) {
				t.Errorf("resolved config lacks %q:\n%s", want, out)
			}
		}
	})
}

func TestDatadogConfig(t *testing.T) {
	t.Run("agentless intake gets LLM spans and logs with the API key", func(t *testing.T) {
		intake := newBackendSink(t, http.StatusAccepted) // the intake answers 202
		c := startCollector(t, configPath(t, "datadog.yaml"),
			"DD_API_KEY=dd-test-key-0c1d", "DD_SITE=datadoghq.eu",
			"DD_OTLP_TRACES_ENDPOINT="+intake.httpURL+"/v1/traces",
			"DD_OTLP_LOGS_ENDPOINT="+intake.httpURL+"/v1/logs")
		sendWorkload(t, c, 40, 10)
		c.sendLogsHTTP(t, genAIEvent())
		checkLLMSpans(t, intake.waitSpans(t, c, 50))
		recs := intake.waitLogs(t, c, 1)
		if p, ok := recs[0].Attributes().Get("gen_ai.provider.name"); !ok || p.Str() != "openai" {
			t.Errorf("GenAI event arrived without gen_ai.provider.name: %v", recs[0].Attributes().AsRaw())
		}
		paths := map[string]bool{}
		for _, r := range intake.requestsSeen() {
			paths[r.path] = true
			if got := r.headers["dd-api-key"]; len(got) != 1 || got[0] != "dd-test-key-0c1d" {
				t.Errorf("%s request: dd-api-key = %q, want the DD_API_KEY value", r.path, got)
			}
			if got := r.headers["compute_stats"]; len(got) != 1 || got[0] != "true" {
				t.Errorf("%s request: compute_stats = %q, want \"true\"", r.path, got)
			}
		}
		if !paths["/v1/traces"] || !paths["/v1/logs"] {
			t.Errorf("requests went to %v, want /v1/traces and /v1/logs", paths)
		}
		// A 202 is a success: every span counted sent, none failed or retried.
		m := c.scrapeMetrics(t)
		sent := regexp.MustCompile(`(?m)^otelcol_exporter_sent_spans\{[^}]*exporter="otlp_http/datadog"[^}]*\} (\d+)$`).FindStringSubmatch(m)
		if sent == nil || sent[1] != "50" {
			t.Errorf("otelcol_exporter_sent_spans for otlp_http/datadog = %v, want 50:\n%s", sent, m)
		}
		if regexp.MustCompile(`(?m)^otelcol_exporter_send_failed_spans\{.*\} [1-9]`).MatchString(m) {
			t.Errorf("send failures reported:\n%s", m)
		}
	})

	t.Run("through a Datadog Agent's OTLP ingest", func(t *testing.T) {
		agent := newBackendSink(t, http.StatusOK)
		c := startCollector(t, configPath(t, "datadog.yaml"),
			"DD_EXPORTERS=[otlp_grpc/datadog_agent]", "DD_AGENT_OTLP_ENDPOINT="+agent.grpcAddr)
		sendWorkload(t, c, 20, 6)
		checkLLMSpans(t, agent.waitSpans(t, c, 26))
	})

	t.Run("intake endpoints follow DD_SITE", func(t *testing.T) {
		out := printConfig(t, configPath(t, "datadog.yaml"), "DD_SITE=us5.datadoghq.com", "DD_API_KEY=k")
		for _, want := range []string{
			"traces_endpoint: https://trace.agent.us5.datadoghq.com/v1/traces",
			"logs_endpoint: https://otlp.us5.datadoghq.com/v1/logs",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("resolved config lacks %q:\n%s", want, out)
			}
		}
	})
}
