package e2e

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// olderConventionSpans are spans of instrumentations that LLM backends reading the GenAI
// semconv 1.37+ do not understand as they come: OpenLLMetry (gen_ai.system, prompt_tokens),
// OpenInference (llm.*) and the Vercel AI SDK (ai.*), one of them without usage.
func olderConventionSpans() ptrace.Traces {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "chat-api")
	ss := rs.ScopeSpans().AppendEmpty()
	newSpan(ss, "openai.chat", map[string]any{
		"gen_ai.system": "openai", "llm.request.type": "chat", "gen_ai.request.model": "gpt-4o",
		"gen_ai.usage.prompt_tokens": 1000, "gen_ai.usage.completion_tokens": 100,
		"gen_ai.prompt.0.role": "user", "gen_ai.prompt.0.content": "What is the capital of France?",
		"gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.content": "The capital of France is Paris.",
		"gen_ai.completion.0.finish_reason": "stop",
	})
	newSpan(ss, "ChatOpenAI", map[string]any{
		"openinference.span.kind": "LLM", "llm.system": "openai", "llm.model_name": "gpt-4o-mini",
		"llm.token_count.prompt": 2000, "llm.token_count.completion": 200,
		"llm.input_messages.0.message.role": "user", "llm.input_messages.0.message.content": "What is the capital of France?",
		"llm.output_messages.0.message.role": "assistant", "llm.output_messages.0.message.content": "The capital of France is Paris.",
	})
	newSpan(ss, "ai.generateText.doGenerate", map[string]any{
		"ai.model.provider": "openai.chat", "ai.model.id": "gpt-4o", "ai.operationId": "ai.generateText.doGenerate",
		"ai.prompt.messages": `[{"role":"user","content":[{"type":"text","text":"What is the capital of France?"}]}]`,
		"ai.response.text":   "The capital of France is Paris.",
	})
	return td
}

// wantSemconv checks the 1.37+ attributes an LLM backend reads on each of the three spans.
func wantSemconv(t *testing.T, spans map[string][]ptrace.Span, plainCost bool) {
	t.Helper()
	for name, want := range map[string]struct {
		model   string
		in, out int64
	}{
		"openai.chat":                {"gpt-4o", 1000, 100},
		"ChatOpenAI":                 {"gpt-4o-mini", 2000, 200},
		"ai.generateText.doGenerate": {"gpt-4o", -1, -1}, // counted by token_counting
	} {
		if len(spans[name]) != 1 {
			t.Errorf("%s arrived %d times", name, len(spans[name]))
			continue
		}
		s := spans[name][0]
		wantStr(t, s, "gen_ai.provider.name", "openai")
		wantStr(t, s, "gen_ai.operation.name", "chat")
		model, ok := s.Attributes().Get("gen_ai.request.model")
		if !ok {
			model, ok = s.Attributes().Get("gen_ai.response.model")
		}
		if !ok || model.Str() != want.model {
			t.Errorf("%s: model %v, want %s", name, model.AsRaw(), want.model)
		}
		for k, w := range map[string]int64{"gen_ai.usage.input_tokens": want.in, "gen_ai.usage.output_tokens": want.out} {
			v, ok := s.Attributes().Get(k)
			if !ok || v.Type() != pcommon.ValueTypeInt || (w >= 0 && v.Int() != w) || v.Int() <= 0 {
				t.Errorf("%s: %s = %v, want %d", name, k, v.AsRaw(), w)
			}
		}
		amount, ok := s.Attributes().Get("gen_ai.usage.cost.amount")
		if !ok || amount.Double() <= 0 {
			t.Errorf("%s: no cost", name)
		}
		if plain, ok := s.Attributes().Get("gen_ai.usage.cost"); plainCost && (!ok || plain.Double() != amount.Double()) {
			t.Errorf("%s: gen_ai.usage.cost = %v, want %v", name, plain.AsRaw(), amount.Double())
		}
		// the prompt and the answer in the semconv messages, whatever convention wrote them
		var in, out []struct {
			Role  string `json:"role"`
			Parts []struct {
				Type    string `json:"type"`
				Content string `json:"content"`
			} `json:"parts"`
			FinishReason string `json:"finish_reason"`
		}
		inV, _ := s.Attributes().Get("gen_ai.input.messages")
		outV, _ := s.Attributes().Get("gen_ai.output.messages")
		if json.Unmarshal([]byte(inV.Str()), &in) != nil || len(in) != 1 || in[0].Role != "user" ||
			len(in[0].Parts) != 1 || in[0].Parts[0].Content != "What is the capital of France?" {
			t.Errorf("%s: gen_ai.input.messages = %q", name, inV.Str())
		}
		if json.Unmarshal([]byte(outV.Str()), &out) != nil || len(out) != 1 || out[0].FinishReason != "stop" ||
			len(out[0].Parts) != 1 || out[0].Parts[0].Content != "The capital of France is Paris." {
			t.Errorf("%s: gen_ai.output.messages = %q", name, outV.Str())
		}
	}
}

// configs/datadog-llmobs.yaml against a recording intake: OTLP http/protobuf at /v1/traces
// with dd-api-key and dd-otlp-source: llmobs, and spans of older conventions arrive in the
// GenAI semconv 1.37+ names LLM Observability reads.
func TestDatadogLLMObservabilityConfig(t *testing.T) {
	intake := newBackendSink(t, http.StatusAccepted)
	c := startCollector(t, configPath(t, "datadog-llmobs.yaml"),
		"DD_API_KEY=dd-llmobs-key-5e6f", "DD_LLMOBS_ENDPOINT="+intake.httpURL+"/v1/traces")
	c.sendTracesHTTP(t, olderConventionSpans())
	wantSemconv(t, intake.waitSpans(t, c, 3), false)
	for _, r := range intake.requestsSeen() {
		if r.path != "/v1/traces" {
			t.Errorf("request to %s, want /v1/traces", r.path)
		}
		for h, want := range map[string]string{"dd-api-key": "dd-llmobs-key-5e6f", "dd-otlp-source": "llmobs", "content-type": "application/x-protobuf"} {
			if got := r.headers[h]; len(got) != 1 || got[0] != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
	}
}

// configs/langfuse.yaml against a recording intake: OTLP http/protobuf at
// /api/public/otel/v1/traces with basic auth (public key : secret key), and the plain
// gen_ai.usage.cost Langfuse reads beside the semconv usage and model.
func TestLangfuseConfig(t *testing.T) {
	intake := newBackendSink(t, http.StatusOK)
	c := startCollector(t, configPath(t, "langfuse.yaml"),
		"LANGFUSE_HOST="+intake.httpURL, "LANGFUSE_PUBLIC_KEY=pk-lf-test-1", "LANGFUSE_SECRET_KEY=sk-lf-test-2")
	c.sendTracesGRPC(t, olderConventionSpans())
	wantSemconv(t, intake.waitSpans(t, c, 3), true)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("pk-lf-test-1:sk-lf-test-2"))
	for _, r := range intake.requestsSeen() {
		if r.path != "/api/public/otel/v1/traces" {
			t.Errorf("request to %s, want /api/public/otel/v1/traces", r.path)
		}
		if got := r.headers["authorization"]; len(got) != 1 || got[0] != basic {
			t.Errorf("authorization = %q, want basic auth of the key pair", got)
		}
	}
}
