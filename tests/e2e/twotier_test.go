package e2e

import (
	binenc "encoding/binary"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// tierWorkload is traces first .. first+traces-1 of spansPerTrace spans each, spread over
// requests so that the spans of one trace travel in different requests (span k of trace i goes
// in request (i + k*stride) % requests; with one request, a trace travels whole).
type tierWorkload struct {
	first, traces, spansPerTrace, requests int
}

func (w tierWorkload) request(r int) ptrace.Traces {
	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	stride := w.requests / w.spansPerTrace
	now := time.Now()
	for i := w.first; i < w.first+w.traces; i++ {
		for k := 0; k < w.spansPerTrace; k++ {
			if (i+k*stride)%w.requests != r {
				continue
			}
			s := ss.Spans().AppendEmpty()
			s.SetName(fmt.Sprintf("t%d/s%d", i, k))
			var tid [16]byte
			binenc.BigEndian.PutUint64(tid[:8], uint64(i)*0x9e3779b97f4a7c15+1)
			binenc.BigEndian.PutUint64(tid[8:], uint64(i))
			s.SetTraceID(pcommon.TraceID(tid))
			s.SetSpanID(pcommon.SpanID([8]byte{byte(k + 1), byte(i), byte(i >> 8), byte(i >> 16)}))
			s.SetStartTimestamp(pcommon.NewTimestampFromTime(now))
			s.SetEndTimestamp(pcommon.NewTimestampFromTime(now.Add(time.Millisecond)))
			s.Attributes().PutStr("http.request.method", "GET")
		}
	}
	return td
}

// sinkTotal is the number of spans all sinks hold.
func sinkTotal(sinks []*backendSink) int {
	n := 0
	for _, s := range sinks {
		_, c := s.spans()
		n += c
	}
	return n
}

func waitTotal(t *testing.T, sinks []*backendSink, want int, within time.Duration, logs func() string) {
	t.Helper()
	deadline := time.Now().Add(within)
	for sinkTotal(sinks) < want {
		if time.Now().After(deadline) {
			t.Fatalf("the gateways delivered %d of %d spans\n%s", sinkTotal(sinks), want, logs())
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(time.Second) // anything delivered twice has arrived by now
}

// gatewayEnv is the environment of a gateway (configs/gateway.yaml) on free loopback ports that
// exports to sink, with tail sampling keeping every trace so that every span can be counted.
func gatewayEnv(t *testing.T, grpcAddr string, sink *backendSink) []string {
	return []string{
		"COLLECTOR_OTLP_GRPC_ENDPOINT=" + grpcAddr,
		fmt.Sprintf("COLLECTOR_OTLP_HTTP_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_HEALTH_ENDPOINT=127.0.0.1:%d", freePort(t)),
		fmt.Sprintf("COLLECTOR_TELEMETRY_PORT=%d", freePort(t)),
		"COLLECTOR_TELEMETRY_HOST=127.0.0.1",
		"BACKEND_OTLP_ENDPOINT=" + sink.grpcAddr,
		"GATEWAY_DECISION_WAIT=1s",
		"GATEWAY_SAMPLE_PERCENT=100",
	}
}

// tierTally is what the gateways' sinks hold, by trace (spans named t<trace>/s<span>).
type tierTally struct {
	spans      int   // spans delivered
	whole      int   // traces with all their spans, all on one gateway
	perGateway []int // traces first seen on each gateway
}

// tally checks that no span arrived twice and no trace is split over gateways, and counts; traces
// numbered at or above skipFrom (probes) are counted as spans only.
func tally(t *testing.T, sinks []*backendSink, spansPerTrace, skipFrom int) tierTally {
	t.Helper()
	owner := map[int]int{} // trace -> gateway
	count := map[int]int{} // trace -> spans delivered
	out := tierTally{perGateway: make([]int, len(sinks))}
	for g, s := range sinks {
		byName, n := s.spans()
		out.spans += n
		for name, copies := range byName {
			if len(copies) != 1 {
				t.Errorf("span %s delivered %d times", name, len(copies))
			}
			var i, k int
			if _, err := fmt.Sscanf(name, "t%d/s%d", &i, &k); err != nil {
				t.Fatalf("unexpected span %q", name)
			}
			if i >= skipFrom {
				continue
			}
			if prev, ok := owner[i]; ok && prev != g {
				t.Errorf("trace %d split over gateways %d and %d", i, prev, g)
			} else if !ok {
				out.perGateway[g]++
			}
			owner[i] = g
			count[i]++
		}
	}
	for _, n := range count {
		if n == spansPerTrace {
			out.whole++
		}
	}
	return out
}

// One agent (configs/agent.yaml, loadbalancing by trace id, static resolver) in front of three
// gateways (configs/gateway.yaml: the LLM processors and tail sampling, kept at 100% here so
// every span is counted), each exporting to its own counting backend. Every trace must arrive
// whole on exactly one gateway, and a gateway stopped (SIGINT, holding undecided traces) and
// restarted mid-run must lose nothing: it decides what it holds on the way down, and what the
// agent could not deliver meanwhile waits in its queue.
func TestTwoTierEveryTraceWholeOnOneGateway(t *testing.T) {
	w := tierWorkload{traces: 3000, spansPerTrace: 4, requests: 60}
	sinks := make([]*backendSink, 3)
	gwEnv := make([][]string, 3)
	gateways := make([]*collector, 3)
	var hosts []string
	for i := range gateways {
		sinks[i] = newBackendSink(t, http.StatusOK)
		grpcAddr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
		hosts = append(hosts, grpcAddr)
		gwEnv[i] = gatewayEnv(t, grpcAddr, sinks[i])
		gateways[i] = startCollector(t, configPath(t, "gateway.yaml"), gwEnv[i]...)
	}
	agent := startCollector(t, configPath(t, "agent.yaml"), "GATEWAY_HOSTS=["+strings.Join(hosts, ", ")+"]")
	logs := func() string {
		var b strings.Builder
		b.WriteString("agent:\n" + agent.stderr.String())
		for i, g := range gateways {
			fmt.Fprintf(&b, "gateway %d:\n%s", i, g.stderr.String())
		}
		return b.String()
	}

	half := w.requests / 2
	for r := 0; r < half; r++ {
		agent.sendTracesGRPC(t, w.request(r))
	}
	// no drain: the gateway is stopped while its sampler holds traces it has not decided
	time.Sleep(300 * time.Millisecond)
	stopped := 1
	gateways[stopped].stop()
	for r := half; r < w.requests; r++ {
		agent.sendTracesGRPC(t, w.request(r))
	}
	time.Sleep(2 * time.Second) // the agent retries against the stopped gateway meanwhile
	_, beforeRestart := sinks[stopped].spans()
	if missing := w.traces*w.spansPerTrace - sinkTotal(sinks); missing == 0 {
		t.Fatal("nothing was waiting for the stopped gateway: the test did not exercise the queue")
	}
	gateways[stopped] = startCollector(t, configPath(t, "gateway.yaml"), gwEnv[stopped]...)
	waitTotal(t, sinks, w.traces*w.spansPerTrace, 120*time.Second, logs)
	_, afterRestart := sinks[stopped].spans()
	t.Logf("held in the agent's queue while gateway %d was down, delivered after its restart: %d spans",
		stopped, afterRestart-beforeRestart)

	got := tally(t, sinks, w.spansPerTrace, w.first+w.traces)
	sent := w.traces * w.spansPerTrace
	t.Logf("traces sent %d, whole on one gateway %d, per gateway %v; spans sent %d, delivered %d, lost %d (gateway %d stopped and restarted mid-run)",
		w.traces, got.whole, got.perGateway, sent, got.spans, sent-got.spans, stopped)
	if got.whole != w.traces || got.spans != sent {
		t.Errorf("%d of %d traces whole, %d of %d spans delivered", got.whole, w.traces, got.spans, sent)
	}
	for g, n := range got.perGateway {
		if n < w.traces/10 {
			t.Errorf("gateway %d got %d traces: the load is not spread", g, n)
		}
	}
}
