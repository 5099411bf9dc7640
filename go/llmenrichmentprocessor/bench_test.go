package llmenrichmentprocessor

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"

	"github.com/llm-observatory/collector/go/llmenrichmentprocessor/internal/metadata"
)

// w1Batch is the reference workload of DESIGN.md: 512 spans, 20% LLM spans of mixed
// conventions with 1-4 KB prompts, 80% HTTP/DB spans with ~10 attributes.
func w1Batch() ptrace.Traces {
	td := ptrace.NewTraces()
	spans := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
	prompt := strings.Repeat("Summarize the quarterly revenue report for the board. ", 40)
	for i := 0; i < 512; i++ {
		s := spans.AppendEmpty()
		a := s.Attributes()
		if i%5 != 0 {
			s.SetName("GET /api/orders")
			a.PutStr("http.request.method", "GET")
			a.PutStr("url.full", fmt.Sprintf("https://shop.example.com/api/orders/%d", i))
			a.PutInt("http.response.status_code", 200)
			a.PutStr("server.address", "shop.example.com")
			a.PutInt("server.port", 443)
			a.PutStr("network.protocol.version", "1.1")
			a.PutStr("user_agent.original", "Mozilla/5.0")
			a.PutStr("db.system", "postgresql")
			a.PutStr("db.statement", "SELECT * FROM orders WHERE id = $1")
			a.PutStr("service.version", "1.4.2")
			continue
		}
		switch (i / 5) % 4 {
		case 0:
			s.SetName("chat gpt-4o")
			a.PutStr("gen_ai.provider.name", "openai")
			a.PutStr("gen_ai.operation.name", "chat")
			a.PutStr("gen_ai.request.model", "gpt-4o")
			a.PutStr("gen_ai.response.model", "gpt-4o-2024-08-06")
			a.PutInt("gen_ai.usage.input_tokens", 812)
			a.PutInt("gen_ai.usage.output_tokens", 90)
			a.PutStr("gen_ai.input.messages", `[{"role":"user","parts":[{"type":"text","content":"`+prompt+`"}]}]`)
		case 1:
			s.SetName("ChatCompletion")
			a.PutStr("openinference.span.kind", "LLM")
			a.PutStr("llm.system", "openai")
			a.PutStr("llm.model_name", "gpt-4o-mini-2024-07-18")
			a.PutInt("llm.token_count.prompt", 700)
			a.PutInt("llm.token_count.completion", 80)
			a.PutStr("llm.input_messages.0.message.content", prompt)
			a.PutStr("output.value", prompt)
		case 2:
			s.SetName("anthropic.chat")
			a.PutStr("gen_ai.system", "Anthropic")
			a.PutStr("llm.request.type", "chat")
			a.PutStr("gen_ai.request.model", "claude-3-5-sonnet-20241022")
			a.PutInt("gen_ai.usage.prompt_tokens", 900)
			a.PutInt("gen_ai.usage.completion_tokens", 60)
			a.PutStr("gen_ai.prompt.0.role", "user")
			a.PutStr("gen_ai.prompt.0.content", prompt)
		default:
			s.SetName("ai.generateText.doGenerate")
			a.PutStr("ai.operationId", "ai.generateText.doGenerate")
			a.PutStr("ai.model.id", "us.anthropic.claude-3-5-sonnet-20241022-v2:0")
			a.PutStr("ai.model.provider", "amazon-bedrock")
			a.PutInt("ai.usage.promptTokens", 640)
			a.PutInt("ai.usage.completionTokens", 64)
			a.PutStr("ai.prompt.messages", prompt)
		}
	}
	return td
}

// BenchmarkW1Batch: one 512-span W1 batch through the processor (encode, one cgo call, apply).
func BenchmarkW1Batch(b *testing.B) {
	p, err := newProcessor(processortest.NewNopSettings(metadata.Type), createDefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = p.Shutdown(context.Background()) }()
	src := w1Batch()
	batches := make([]ptrace.Traces, b.N)
	for i := range batches {
		batches[i] = ptrace.NewTraces()
		src.CopyTo(batches[i])
	}
	b.ReportAllocs()
	b.SetBytes(int64((&ptrace.ProtoMarshaler{}).TracesSize(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := p.ProcessTraces(context.Background(), batches[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*512), "ns/span")
}
