package e2e

import (
	"bufio"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

// promSum adds the values of every sample of a metric (all label sets) in a Prometheus text
// exposition; found is false when there is none.
func promSum(body, metric string) (sum float64, found bool) {
	sc := bufio.NewScanner(strings.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, metric+"{") && !strings.HasPrefix(line, metric+" ") {
			continue
		}
		fields := strings.Fields(line[strings.LastIndex(line, "}")+1:])
		if len(fields) == 0 {
			continue
		}
		v, err := strconv.ParseFloat(fields[0], 64)
		if err != nil {
			continue
		}
		sum += v
		found = true
	}
	return sum, found
}

// full.yaml's LLM usage metrics add up: after several batches, the scraped token totals are the
// sums of what was sent and the per-call histograms count every call (they are running totals,
// not the last batch); prompt-cache reads, what they saved and the write premium add up too.
func TestFullConfigLLMMetricsAddUp(t *testing.T) {
	metrics := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	c, _ := startFull(t, "COLLECTOR_METRICS_ENDPOINT="+metrics, "COLLECTOR_BATCH_TIMEOUT=50ms")
	const batches, perBatch = 5, 8
	wantIn, wantOut := 0, 0
	for b := 0; b < batches; b++ {
		td := llmWorkload(perBatch, 0)
		sp := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
		for i := 0; i < sp.Len(); i++ {
			sp.At(i).SetName(fmt.Sprintf("b%d-%s", b, sp.At(i).Name()))
		}
		for i := 0; i < perBatch; i++ {
			wantIn += 1000 + i
			if i%2 == 0 {
				wantOut += 50
			} else {
				wantOut += 20
			}
		}
		// a call that reads 2,000 cached tokens and writes 500: Claude 3.5 Haiku reads at
		// 8e-8 and writes at 1e-6 where uncached input is 8e-7 per token
		newSpan(td.ResourceSpans().At(0).ScopeSpans().At(0), fmt.Sprintf("b%d-cached", b), map[string]any{
			"gen_ai.provider.name": "anthropic", "gen_ai.operation.name": "chat",
			"gen_ai.response.model":     "claude-3-5-haiku-20241022",
			"gen_ai.usage.input_tokens": 2600, "gen_ai.usage.output_tokens": 10,
			"gen_ai.usage.cache_read.input_tokens": 2000, "gen_ai.usage.cache_creation.input_tokens": 500,
		})
		wantIn += 2600
		wantOut += 10
		c.sendTracesGRPC(t, td)
		time.Sleep(300 * time.Millisecond) // its own batch, its own delta
	}
	calls := float64(batches * (perBatch + 1))
	want := map[string]float64{
		"llm_observatory_usage_cache_read_tokens_total":  batches * 2000,
		"llm_observatory_cost_cache_savings_total":       batches * 2000 * (8e-7 - 8e-8),
		"llm_observatory_cost_cache_write_premium_total": batches * 500 * (1e-6 - 8e-7),
		"llm_observatory_usage_input_tokens_total":       float64(wantIn),
		"llm_observatory_usage_output_tokens_total":      float64(wantOut),
		"gen_ai_client_token_usage_count":                2 * calls, // input and output points per call
		"gen_ai_client_token_usage_sum":                  float64(wantIn + wantOut),
		"gen_ai_client_operation_duration_seconds_count": calls,
	}
	deadline := time.Now().Add(20 * time.Second)
	var body string
	for {
		body = get(t, "http://"+metrics+"/metrics")
		ok := true
		for m, w := range want {
			got, _ := promSum(body, m)
			ok = ok && math.Abs(got-w) < 1e-9
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	for m, w := range want {
		if got, found := promSum(body, m); !found || math.Abs(got-w) > 1e-9 {
			t.Errorf("%s = %v (found %v), want %v", m, got, found, w)
		}
	}
}
