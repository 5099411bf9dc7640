package e2e

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// startKafka runs a real single-node Apache Kafka broker (KRaft, jars from Maven Central) with
// tests/kafka/kafka.sh, and returns its address.
func startKafka(t *testing.T, partitions int) string {
	t.Helper()
	script := filepath.Join(repoRoot(t), "tests", "kafka", "kafka.sh")
	work := t.TempDir()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	port := addr[strings.LastIndex(addr, ":")+1:]
	cmd := exec.Command(script, "start", work, port)
	cmd.Env = append(os.Environ(), fmt.Sprintf("KAFKA_NUM_PARTITIONS=%d", partitions))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("kafka.sh start: %v\n%s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command(script, "stop", work).CombinedOutput(); err != nil {
			t.Errorf("kafka.sh stop: %v\n%s", err, out)
		}
	})
	return addr
}

// Kafka as the buffer between the tiers: one agent (configs/agent-kafka.yaml) writes spans,
// partitioned by trace id, to a real broker; two gateways (configs/gateway.yaml with the kafka
// overlay, one consumer group) read them. Traces written while no gateway runs wait in Kafka;
// once the group has settled, traces whose spans travel in many requests arrive whole on one
// gateway. Every span arrives exactly once.
func TestTwoTierThroughKafka(t *testing.T) {
	broker := startKafka(t, 6)
	early := tierWorkload{first: 0, traces: 500, spansPerTrace: 4, requests: 1}
	main := tierWorkload{first: 500, traces: 1000, spansPerTrace: 4, requests: 20}
	const probeFirst = 100000
	probe := tierWorkload{first: probeFirst, traces: 60, spansPerTrace: 1, requests: 1}
	env := []string{"KAFKA_BROKERS=[" + broker + "]", "KAFKA_TRACES_TOPIC=e2e_spans", "KAFKA_LOGS_TOPIC=e2e_logs"}
	agent := startCollector(t, configPath(t, "agent-kafka.yaml"), env...)
	// written before any gateway runs: Kafka holds them, the new group starts at the oldest record
	agent.sendTracesGRPC(t, early.request(0))

	sinks := make([]*backendSink, 2)
	gateways := make([]*collector, 2)
	for i := range gateways {
		sinks[i] = newBackendSink(t, http.StatusOK)
		gateways[i] = startCollectorIn(t, "", []string{configPath(t, "gateway.yaml"),
			filepath.Join(repoRoot(t), "configs", "overlays", "gateway-kafka.yaml")},
			append(gatewayEnv(t, fmt.Sprintf("127.0.0.1:%d", freePort(t)), sinks[i]),
				append(env, "KAFKA_GROUP_ID=e2e-gateways")...)...)
	}
	logs := func() string {
		return "agent:\n" + agent.stderr.String() + "gateway 0:\n" + gateways[0].stderr.String() + "gateway 1:\n" + gateways[1].stderr.String()
	}
	waitTotal(t, sinks, early.traces*early.spansPerTrace, 120*time.Second, logs)
	// the group has settled when single-span probe traces, spread over the partitions, reach
	// both gateways
	deadline := time.Now().Add(60 * time.Second)
	for settled := false; !settled; {
		if time.Now().After(deadline) {
			t.Fatalf("the two gateways never shared the partitions\n%s", logs())
		}
		agent.sendTracesGRPC(t, probe.request(0))
		time.Sleep(time.Second)
		probe.first += probe.traces
		settled = true
		for _, s := range sinks {
			byName, _ := s.spans()
			settled = settled && hasTraceIn(byName, probeFirst, probe.first)
		}
	}
	probes := probe.first - probeFirst
	for r := 0; r < main.requests; r++ {
		agent.sendTracesGRPC(t, main.request(r))
	}
	sent := (early.traces+main.traces)*4 + probes
	waitTotal(t, sinks, sent, 120*time.Second, logs)

	got := tally(t, sinks, 4, probeFirst)
	traces := early.traces + main.traces
	t.Logf("through Kafka: traces sent %d (%d before any gateway ran), whole on one gateway %d, per gateway %v; spans sent %d (%d probes), delivered %d, lost %d",
		traces, early.traces, got.whole, got.perGateway, sent, probes, got.spans, sent-got.spans)
	if got.whole != traces || got.spans != sent {
		t.Errorf("%d of %d traces whole, %d of %d spans delivered", got.whole, traces, got.spans, sent)
	}
}

// hasTraceIn reports whether a span of a trace numbered in [from, to) is there.
func hasTraceIn(byName map[string][]ptrace.Span, from, to int) bool {
	for name := range byName {
		var i, k int
		if _, err := fmt.Sscanf(name, "t%d/s%d", &i, &k); err == nil && i >= from && i < to {
			return true
		}
	}
	return false
}
