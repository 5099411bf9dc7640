package e2e

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/pdata/ptrace/ptraceotlp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// killRequest is request r of the SIGKILL test: n plain spans with ids unique to (r, j).
func killRequest(r, n int) ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "kill-test")
	ss := rs.ScopeSpans().AppendEmpty()
	now := time.Now()
	for j := 0; j < n; j++ {
		s := ss.Spans().AppendEmpty()
		s.SetName("kill " + strconv.Itoa(r) + "/" + strconv.Itoa(j))
		s.SetTraceID(pcommon.TraceID([16]byte{0xee, byte(r >> 16), byte(r >> 8), byte(r), byte(j >> 8), byte(j)}))
		s.SetSpanID(pcommon.SpanID([8]byte{0xee, byte(r >> 16), byte(r >> 8), byte(r), byte(j >> 8), byte(j), 1}))
		s.SetStartTimestamp(pcommon.NewTimestampFromTime(now))
		s.SetEndTimestamp(pcommon.NewTimestampFromTime(now.Add(time.Millisecond)))
		s.Attributes().PutStr("http.request.method", "GET")
	}
	return td
}

// configs/clickhouse.yaml promises that what the collector acknowledged is not lost: the
// collector is SIGKILLed in the middle of a load, restarted on the same disk queue, and every
// span it had acknowledged (gRPC OK) is in ClickHouse.
func TestClickHouseKilledMidLoadLosesNothingAcknowledged(t *testing.T) {
	ch := startClickHouse(t)
	config, _ := chConfig(t)
	env := []string{fmt.Sprintf("CLICKHOUSE_ENDPOINT=tcp://127.0.0.1:%d?dial_timeout=10s", ch.tcpPort)}
	c := startCollector(t, config, env...)

	const perRequest = 50
	var acked, sent atomic.Int64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		conn, err := grpc.NewClient(c.grpc, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		client := ptraceotlp.NewGRPCClient(conn)
		for r := 0; ; r++ {
			select {
			case <-stop:
				return
			default:
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			sent.Add(perRequest)
			_, err := client.Export(ctx, ptraceotlp.NewExportRequestFromTraces(killRequest(r, perRequest)))
			cancel()
			if err != nil {
				return // the collector is gone: what it did not acknowledge is the sender's to retry
			}
			acked.Add(perRequest)
		}
	}()
	time.Sleep(1500 * time.Millisecond)
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-c.done
	close(stop)
	<-done
	if acked.Load() < 10*perRequest {
		t.Fatalf("only %d spans acknowledged before the kill: no load\n%s", acked.Load(), c.stderr.String())
	}

	c = startCollector(t, config, append(env, "DATA_DIR="+c.dataDir)...)
	deadline := time.Now().Add(90 * time.Second)
	var distinct int64
	for {
		distinct = ch.count(t, "SELECT uniqExact(TraceId, SpanId) FROM otel.otel_traces WHERE ServiceName = 'kill-test'")
		if distinct >= acked.Load() || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	time.Sleep(3 * time.Second) // what the queue still replays arrives now
	distinct = ch.count(t, "SELECT uniqExact(TraceId, SpanId) FROM otel.otel_traces WHERE ServiceName = 'kill-test'")
	rows := ch.count(t, "SELECT count() FROM otel.otel_traces WHERE ServiceName = 'kill-test'")
	t.Logf("SIGKILL mid-load: %d spans sent, %d acknowledged, %d in ClickHouse after the restart (%d rows: %d delivered twice)",
		sent.Load(), acked.Load(), distinct, rows, rows-distinct)
	if distinct < acked.Load() {
		t.Errorf("%d acknowledged spans are not in ClickHouse\n%s", acked.Load()-distinct, c.stderr.String())
	}
}
