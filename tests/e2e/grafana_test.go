package e2e

import (
	"encoding/base64"
	"math"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/otlptranslator"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/pmetric"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// promPoint is one series as Mimir stores it after Prometheus' OTLP translation (the names
// the dashboard queries): the latest cumulative point of each stream.
type promPoint struct {
	name   string // e.g. gen_ai_client_operation_duration_seconds (histogram: without _bucket)
	labels map[string]string
	kind   pmetric.MetricType
	temp   pmetric.AggregationTemporality
	ts     pcommon.Timestamp
	count  uint64
	sum    float64
	bounds []float64
}

// promSeries translates what the sink received with otlptranslator, the library Prometheus
// and Mimir use for OTLP ingestion (UnderscoreEscapingWithSuffixes: unit and _total suffixes),
// and keeps the latest point of each series.
func promSeries(t *testing.T, all []pmetric.Metrics) map[string]*promPoint {
	t.Helper()
	namer := otlptranslator.NewMetricNamer("", otlptranslator.UnderscoreEscapingWithSuffixes)
	labeler := otlptranslator.LabelNamer{}
	out := map[string]*promPoint{}
	for _, md := range all {
		rms := md.ResourceMetrics()
		for i := 0; i < rms.Len(); i++ {
			sms := rms.At(i).ScopeMetrics()
			for j := 0; j < sms.Len(); j++ {
				ms := sms.At(j).Metrics()
				for k := 0; k < ms.Len(); k++ {
					m := ms.At(k)
					typ := otlptranslator.MetricType(otlptranslator.MetricTypeUnknown)
					switch {
					case m.Type() == pmetric.MetricTypeHistogram:
						typ = otlptranslator.MetricTypeHistogram
					case m.Type() == pmetric.MetricTypeSum && m.Sum().IsMonotonic():
						typ = otlptranslator.MetricTypeMonotonicCounter
					case m.Type() == pmetric.MetricTypeSum:
						typ = otlptranslator.MetricTypeNonMonotonicCounter
					}
					name, err := namer.Build(otlptranslator.Metric{Name: m.Name(), Unit: m.Unit(), Type: typ})
					if err != nil {
						t.Fatal(err)
					}
					add := func(attrs pcommon.Map, p *promPoint) {
						p.name, p.kind, p.labels = name, m.Type(), map[string]string{}
						attrs.Range(func(k string, v pcommon.Value) bool {
							l, err := labeler.Build(k)
							if err != nil {
								t.Fatal(err)
							}
							p.labels[l] = v.AsString()
							return true
						})
						keys := make([]string, 0, len(p.labels))
						for k, v := range p.labels {
							keys = append(keys, k+"="+v)
						}
						sort.Strings(keys)
						id := name + "{" + strings.Join(keys, ",") + "}"
						if old, ok := out[id]; !ok || old.ts < p.ts {
							out[id] = p
						}
					}
					switch m.Type() {
					case pmetric.MetricTypeHistogram:
						dps := m.Histogram().DataPoints()
						for d := 0; d < dps.Len(); d++ {
							dp := dps.At(d)
							add(dp.Attributes(), &promPoint{temp: m.Histogram().AggregationTemporality(), ts: dp.Timestamp(),
								count: dp.Count(), sum: dp.Sum(), bounds: dp.ExplicitBounds().AsRaw()})
						}
					case pmetric.MetricTypeSum:
						dps := m.Sum().DataPoints()
						for d := 0; d < dps.Len(); d++ {
							dp := dps.At(d)
							v := dp.DoubleValue()
							if dp.ValueType() == pmetric.NumberDataPointValueTypeInt {
								v = float64(dp.IntValue())
							}
							add(dp.Attributes(), &promPoint{temp: m.Sum().AggregationTemporality(), ts: dp.Timestamp(), sum: v})
						}
					}
				}
			}
		}
	}
	return out
}

// configs/grafana.yaml against a recording Grafana Cloud OTLP gateway: spans of OpenLLMetry,
// OpenInference and the Vercel AI SDK (which record no metrics) become the series Grafana's
// "GenAI Observability" dashboard queries, in the names Mimir gives them, with the labels its
// panels filter and group by; an OpenLIT app's spans (OpenLIT records those metrics itself),
// wrapper spans and non-LLM spans are not counted; the spans reach Tempo with basic auth.
func TestGrafanaGenAIDashboardConfig(t *testing.T) {
	gw := newBackendSink(t, http.StatusOK)
	c := startCollector(t, configPath(t, "grafana.yaml"),
		"GRAFANA_CLOUD_OTLP_ENDPOINT="+gw.httpURL+"/otlp", "GRAFANA_CLOUD_INSTANCE_ID=812345",
		"GRAFANA_CLOUD_API_TOKEN=glc_test_token", "COLLECTOR_BATCH_TIMEOUT=100ms")

	td := olderConventionSpans() // 3 calls of chat-api: OpenLLMetry, OpenInference, Vercel
	td.ResourceSpans().At(0).Resource().Attributes().PutStr("deployment.environment.name", "prod")
	ss := td.ResourceSpans().At(0).ScopeSpans().At(0)
	stream := newSpan(ss, "ai.streamText.doStream", map[string]any{
		"ai.model.provider": "openai.chat", "ai.model.id": "gpt-4o", "ai.operationId": "ai.streamText.doStream",
		"ai.usage.promptTokens": 50, "ai.usage.completionTokens": 5, "ai.response.msToFirstChunk": 250,
	})
	stream.SetSpanID(pcommon.SpanID{9})
	newSpan(ss, "GET /health", map[string]any{"http.request.method": "GET"}).SetSpanID(pcommon.SpanID{10})
	// another service, no environment: a failed call
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "batch-jobs")
	failed := newSpan(rs.ScopeSpans().AppendEmpty(), "openai.chat failed", map[string]any{
		"gen_ai.system": "openai", "llm.request.type": "chat", "gen_ai.request.model": "gpt-4o",
		"gen_ai.usage.prompt_tokens": 10, "gen_ai.usage.completion_tokens": 0,
	})
	failed.Status().SetCode(ptrace.StatusCodeError)
	// a Strands agent's streamed model call: its time to first token in integer milliseconds
	newSpan(rs.ScopeSpans().At(0), "chat", map[string]any{
		"gen_ai.operation.name": "chat", "gen_ai.system": "strands-agents", "gen_ai.request.model": "gpt-4o",
		"gen_ai.usage.input_tokens": 20, "gen_ai.usage.output_tokens": 2, "gen_ai.server.time_to_first_token": 500,
	}).SetSpanID(pcommon.SpanID{11})
	// an OpenLIT app: its SDK records these metrics itself
	rs = td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "openlit-app")
	rs.Resource().Attributes().PutStr("telemetry.sdk.name", "openlit")
	newSpan(rs.ScopeSpans().AppendEmpty(), "chat gpt-4o", map[string]any{
		"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
		"gen_ai.usage.input_tokens": 7000, "gen_ai.usage.output_tokens": 700,
	})
	c.sendTracesHTTP(t, td)

	spans := gw.waitSpans(t, c, 8)
	var wantCost float64
	for _, name := range []string{"openai.chat", "ChatOpenAI", "ai.generateText.doGenerate", "ai.streamText.doStream", "openai.chat failed", "chat"} {
		wantCost += attr(t, spans[name][0], "gen_ai.usage.cost.amount").Double()
	}
	if _, ok := spans["GET /health"][0].Attributes().Get("telemetry.sdk.name"); ok {
		t.Error("the label step changed the spans sent to Tempo")
	}

	// the series of the dashboard (genai-observability.json; the counters of its pre-1.37 version)
	var series map[string]*promPoint
	total := func(name string, match map[string]string) (count uint64, sum float64, n int) {
		for _, p := range series {
			if p.name != name {
				continue
			}
			ok := true
			for k, v := range match {
				if p.labels[k] != v {
					ok = false
				}
			}
			if ok {
				count, sum, n = count+p.count, sum+p.sum, n+1
			}
		}
		return count, sum, n
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		gw.mu.Lock()
		series = promSeries(t, gw.metrics)
		gw.mu.Unlock()
		if n, _, _ := total("gen_ai_client_operation_duration_seconds", nil); n >= 6 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the dashboard's request count never reached 6: %d series", len(series))
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(time.Second) // a later export must not count more

	gw.mu.Lock()
	series = promSeries(t, gw.metrics)
	gw.mu.Unlock()
	openlit := map[string]string{"telemetry_sdk_name": "openlit"}
	if n, _, _ := total("gen_ai_client_operation_duration_seconds", openlit); n != 6 {
		t.Errorf("Total Requests: %d, want 6 (not the OpenLIT app's, not the health check)", n)
	}
	if n, _, _ := total("gen_ai_client_operation_duration_seconds", map[string]string{"service_name": "openlit-app"}); n != 0 {
		t.Errorf("the OpenLIT app's call was counted: %d", n)
	}
	if n, _, _ := total("gen_ai_client_operation_duration_seconds", map[string]string{"error_type": "_OTHER", "service_name": "batch-jobs", "deployment_environment": "default"}); n != 1 {
		t.Errorf("Error Rate: %d failed calls with error_type, want 1", n)
	}
	if n, sum, _ := total("gen_ai_usage_cost_USD", openlit); n != 6 || math.Abs(sum-wantCost) > 1e-12 {
		t.Errorf("Total Usage Cost: %d calls, %.12g USD; want 6, %.12g", n, sum, wantCost)
	}
	if n, sum, _ := total("gen_ai_client_token_usage", map[string]string{"gen_ai_token_type": "input", "service_name": "chat-api", "deployment_environment": "prod"}); n != 4 || sum < 3050 {
		t.Errorf("input tokens of chat-api in prod: %d calls, %v tokens", n, sum)
	}
	if n, _, _ := total("gen_ai_client_token_usage", map[string]string{"gen_ai_token_type": "output"}); n != 6 {
		t.Errorf("output token points: %d calls, want 6", n)
	}
	if n, _, _ := total("gen_ai_client_operation_duration_seconds", map[string]string{"gen_ai_request_model": "gpt-4o-mini", "gen_ai_provider_name": "openai", "gen_ai_system": "openai", "gen_ai_operation_name": "chat"}); n != 1 {
		t.Errorf("the OpenInference call (response model only) by model: %d", n)
	}
	if n, sum, _ := total("gen_ai_server_time_to_first_token_seconds", nil); n != 2 || sum != 0.75 {
		t.Errorf("Time to First Token: %d streams, %v s; want 2, 0.25 + 0.5", n, sum)
	}
	if _, in, _ := total("gen_ai_usage_input_tokens_total", nil); in < 3060 {
		t.Errorf("gen_ai_usage_input_tokens_total = %v", in)
	}
	if _, reqs, _ := total("gen_ai_requests_total", map[string]string{"gen_ai_system": "openai"}); reqs != 6 {
		t.Errorf("gen_ai_requests_total = %v, want 6", reqs)
	}
	for _, p := range series {
		if p.temp != pmetric.AggregationTemporalityCumulative {
			t.Errorf("%s is %v: Mimir wants cumulative", p.name, p.temp)
		}
		for _, l := range []string{"telemetry_sdk_name", "service_name", "deployment_environment", "gen_ai_provider_name", "gen_ai_request_model", "gen_ai_operation_name"} {
			if p.labels[l] == "" {
				t.Errorf("%s has no %s label: %v", p.name, l, p.labels)
			}
		}
		if p.name == "gen_ai_client_token_usage" {
			// a panel reads the buckets le="4", "16", "64", "256", "1024", "4096"
			have := map[float64]bool{}
			for _, b := range p.bounds {
				have[b] = true
			}
			for _, le := range []float64{4, 16, 64, 256, 1024, 4096} {
				if !have[le] {
					t.Errorf("token buckets %v lack le=%v", p.bounds, le)
				}
			}
		}
	}
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("812345:glc_test_token"))
	paths := map[string]int{}
	for _, r := range gw.requestsSeen() {
		paths[r.path]++
		if got := r.headers["authorization"]; len(got) != 1 || got[0] != basic {
			t.Errorf("%s: authorization %q, want basic auth of instance id and token", r.path, got)
		}
	}
	if paths["/otlp/v1/traces"] == 0 || paths["/otlp/v1/metrics"] == 0 {
		t.Errorf("requests by path: %v", paths)
	}
	t.Logf("%d series; cost %.6g USD over 6 calls; requests by path %v", len(series), wantCost, paths)
}
