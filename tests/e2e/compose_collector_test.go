package e2e

import (
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
)

// The compose stack's collector (docker/otelcol/config.yaml) run for real: a ClickHouse server
// (chdb), and stand-ins for Jaeger (OTLP/gRPC) and Loki (OTLP/HTTP at /otlp/v1/logs). Spans
// reach ClickHouse and Jaeger (after llm_rollup's wait), GenAI log records reach ClickHouse and
// Loki, normalized on the way.
func TestComposeCollectorConfig(t *testing.T) {
	ch := startClickHouse(t)
	jaeger := newBackendSink(t, http.StatusOK)
	loki := newBackendSink(t, http.StatusNoContent)
	c := startCollector(t, filepath.Join(repoRoot(t), "docker", "otelcol", "config.yaml"),
		fmt.Sprintf("CLICKHOUSE_ENDPOINT=tcp://127.0.0.1:%d?dial_timeout=10s", ch.tcpPort),
		"JAEGER_OTLP_ENDPOINT="+jaeger.grpcAddr,
		"LOKI_OTLP_ENDPOINT="+loki.httpURL+"/otlp",
		fmt.Sprintf("PROMETHEUS_EXPORTER_ENDPOINT=127.0.0.1:%d", freePort(t)),
		"ROLLUP_DECISION_WAIT=500ms",
	)
	sendWorkload(t, c, 20, 6)
	ld := plog.NewLogs()
	lrs := ld.ResourceLogs().AppendEmpty()
	lrs.Resource().Attributes().PutStr("service.name", "chat-api")
	recs := lrs.ScopeLogs().AppendEmpty().LogRecords()
	for i := 0; i < 5; i++ {
		r := recs.AppendEmpty()
		// some with a time, some with none at all: those get their time of receipt (else
		// stored as 1970, the table's TTL would remove them as they are inserted)
		if i%2 == 0 {
			r.SetTimestamp(pcommon.NewTimestampFromTime(time.Now()))
		}
		r.SetEventName("gen_ai.user.message")
		r.Body().SetEmptyMap().PutStr("content", fmt.Sprintf("question %d", i))
		r.Attributes().PutStr("gen_ai.system", "openai")
	}
	c.sendLogsHTTP(t, ld)

	checkLLMSpans(t, jaeger.waitSpans(t, c, 26))
	got := loki.waitLogs(t, c, 5)
	for _, r := range got {
		if p, ok := r.Attributes().Get("gen_ai.provider.name"); !ok || p.Str() != "openai" {
			t.Errorf("log record at Loki without gen_ai.provider.name: %v", r.Attributes().AsRaw())
		}
	}
	for _, r := range loki.requestsSeen() {
		if r.path != "/otlp/v1/logs" {
			t.Errorf("Loki got a request at %s, want /otlp/v1/logs", r.path)
		}
	}
	ch.waitRows(t, c, "otel.otel_traces", 26)
	ch.waitRows(t, c, "otel.otel_logs", 5)
}
