package e2e

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/ptrace"
)

// full.yaml's spend by tenant: llm_spend_guard keeps the first top_k tenants of the interval
// under their own label and folds the rest into "other"; the spend metrics by that label add
// up to everything sent, with at most top_k + 1 tenant series, and the guard counts its folds.
func TestSpendByTenantIsBoundedAndAddsUp(t *testing.T) {
	metrics := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	c, telemetry := startFull(t, "COLLECTOR_METRICS_ENDPOINT="+metrics, "COLLECTOR_BATCH_TIMEOUT=50ms",
		"COLLECTOR_SPEND_TENANT_TOP_K=2")
	td := ptrace.NewTraces()
	// tenants a and b on their spans; c on its resource (one SDK client per tenant)
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	rc := td.ResourceSpans().AppendEmpty()
	rc.Resource().Attributes().PutStr("tenant.id", "c")
	sc := rc.ScopeSpans().AppendEmpty()
	calls := map[string]int{"a": 3, "b": 2, "c": 4}
	n := 0
	for _, tenant := range []string{"a", "b", "c"} {
		for i := 0; i < calls[tenant]; i++ {
			n++
			attrs := map[string]any{
				"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
				"gen_ai.usage.input_tokens": 1000, "gen_ai.usage.output_tokens": 100,
				"user.id": fmt.Sprintf("user-%d", n),
			}
			target := sc
			if tenant != "c" {
				attrs["tenant.id"] = tenant
				target = ss
			}
			newSpan(target, fmt.Sprintf("chat %s %d", tenant, i), attrs)
		}
	}
	c.sendTracesGRPC(t, td)

	const perCall = 1000*2.5e-6 + 100*1e-5 // gpt-4o: 0.0035
	want := map[string]float64{"a": 3 * perCall, "b": 2 * perCall, "other": 4 * perCall}
	series := regexp.MustCompile(`(?m)^llm_observatory_spend_tenant_cost_total\{[^}]*llm_observatory_spend_tenant_id="([^"]*)"[^}]*\} (\S+)`)
	var got map[string]float64
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(300 * time.Millisecond) {
		got = map[string]float64{}
		for _, m := range series.FindAllStringSubmatch(get(t, "http://"+metrics+"/metrics"), -1) {
			v, _ := strconv.ParseFloat(m[2], 64)
			got[m[1]] += v
		}
		ok := len(got) == len(want)
		for k, w := range want {
			ok = ok && math.Abs(got[k]-w) < 1e-12
		}
		if ok || time.Now().After(deadline) {
			break
		}
	}
	for k, w := range want {
		if math.Abs(got[k]-w) > 1e-12 {
			t.Errorf("spend of tenant %q = %v, want %v", k, got[k], w)
		}
	}
	if len(got) != 3 {
		t.Errorf("tenant series %v: want a, b and other only", got)
	}
	// user.id: 9 users, top 100: all their own
	users := regexp.MustCompile(`(?m)^llm_observatory_spend_user_cost_total\{[^}]*llm_observatory_spend_user_id="user-\d+"`)
	if m := users.FindAllString(get(t, "http://"+metrics+"/metrics"), -1); len(m) != 9 {
		t.Errorf("%d user series, want 9", len(m))
	}
	folded := regexp.MustCompile(`(?m)^otelcol_processor_llm_spend_guard_folded(?:_total)?\{[^}]*attribute="tenant.id"[^}]*\} (\S+)`)
	m := folded.FindStringSubmatch(get(t, "http://"+telemetry+"/metrics"))
	if m == nil || m[1] != "4" {
		t.Errorf("folded tenant.id calls: %v, want 4", m)
	}
}
