package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// A conversation of `turns` user/assistant turns after a system prompt, about `size` bytes.
func hugeMessages(turns, size int) string {
	each := size / turns
	var b strings.Builder
	b.WriteString(`[{"role":"system","parts":[{"type":"text","content":"You answer from the documents."}]}`)
	for i := 0; i < turns; i++ {
		role := "user"
		if i%2 == 1 {
			role = "assistant"
		}
		b.WriteString(`,{"role":"` + role + `","parts":[{"type":"text","content":"turn ` + strings.Repeat("d", each) + `"}]}`)
	}
	b.WriteString("]")
	return b.String()
}

// llm_payload_budget through the binary, after token counting: an 8 MB conversation and a
// 64 MB single prompt sent over OTLP/HTTP come out within the budget as valid JSON, the
// system prompt and the last user turn kept, the original length and SHA-256 beside them, and
// the usage untouched.
func TestPayloadBudgetThroughTheBinary(t *testing.T) {
	base, err := os.ReadFile(defaultConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(base), "  cost_calculation:\n", "  cost_calculation:\n  llm_payload_budget:\n    enabled: true\n", 1)
	cfg = strings.Replace(cfg, "processors: [memory_limiter, llm_enrichment, token_counting, cost_calculation]",
		"processors: [memory_limiter, llm_enrichment, token_counting, cost_calculation, llm_payload_budget]", -1)
	cfg = strings.Replace(cfg, "      http:\n", "      http:\n        max_request_body_size: 268435456\n", 1)
	if strings.Count(cfg, "llm_payload_budget]") != 2 || !strings.Contains(cfg, "max_request_body_size") {
		t.Fatal("configs/default.yaml changed shape")
	}
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	c := startCollector(t, path)

	sent := map[string]string{
		"chat 8MB":  hugeMessages(20, 8<<20),
		"chat 64MB": hugeMessages(1, 64<<20),
	}
	for name, msgs := range sent {
		td := ptrace.NewTraces()
		ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
		newSpan(ss, name, map[string]any{
			"gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o",
			"gen_ai.usage.input_tokens": 2_000_000, "gen_ai.usage.output_tokens": 10,
			"gen_ai.input.messages": msgs,
		}).SetSpanID(pcommon.SpanID{byte(len(msgs) >> 20)})
		b, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(td)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		resp, err := http.Post("http://"+c.http+"/v1/traces", "application/x-protobuf", bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: HTTP %d", name, resp.StatusCode)
		}
		t.Logf("%s: %d bytes accepted in %v", name, len(msgs), time.Since(start).Round(time.Millisecond))
	}
	// content where older conventions put it: a span event (OpenLIT, semconv before 1.28) and
	// GenAI event log records (1.28-1.36), the body a map or a string
	eventPrompt := strings.Repeat("e", 8<<20)
	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	ev := newSpan(ss, "chat event", map[string]any{"gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o"}).Events().AppendEmpty()
	ev.SetName("gen_ai.content.prompt")
	ev.Attributes().PutStr("gen_ai.prompt", eventPrompt)
	c.sendTracesHTTP(t, td)
	ld := plog.NewLogs()
	lrs := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
	choice := lrs.AppendEmpty()
	choice.SetEventName("gen_ai.choice")
	choice.Attributes().PutStr("gen_ai.system", "openai")
	msg := choice.Body().SetEmptyMap()
	msg.PutStr("finish_reason", "stop")
	m := msg.PutEmptyMap("message")
	m.PutStr("role", "assistant")
	m.PutStr("content", strings.Repeat("c", 8<<20))
	user := lrs.AppendEmpty()
	user.Attributes().PutStr("event.name", "gen_ai.user.message")
	user.Body().SetStr(strings.Repeat("u", 8<<20))
	appLog := lrs.AppendEmpty()
	appLog.Body().SetStr(strings.Repeat("a", 100_000))
	c.sendLogsHTTP(t, ld)

	spans := c.waitSpans(t, 3)
	evOut := spans["chat event"][0].Events().At(0)
	got, _ := evOut.Attributes().Get("gen_ai.prompt")
	if n := len(got.Str()); n > 64<<10 || !strings.HasSuffix(got.Str(), " bytes]") {
		t.Errorf("span event content: %d bytes kept, ends %q", n, got.Str()[max(0, n-30):])
	}
	if n, _ := evOut.Attributes().Get("llm_observatory.payload.gen_ai.prompt.original_bytes"); n.Int() != 8<<20 {
		t.Errorf("span event original_bytes %d", n.Int())
	}
	logs := c.waitLogs(t, 3)
	if len(logs) != 3 {
		t.Fatalf("%d log records, want 3", len(logs))
	}
	body := logs[0].Body().Map().AsRaw()
	content := body["message"].(map[string]any)["content"].(string)
	if len(content) > 64<<10 || !strings.HasPrefix(content, "ccc") || body["finish_reason"] != "stop" {
		t.Errorf("gen_ai.choice body: %d bytes of content, finish_reason %v", len(content), body["finish_reason"])
	}
	if n, _ := logs[0].Attributes().Get("llm_observatory.payload.body.message.content.original_bytes"); n.Int() != 8<<20 {
		t.Errorf("gen_ai.choice original_bytes %d", n.Int())
	}
	if n := len(logs[1].Body().Str()); n > 64<<10 {
		t.Errorf("gen_ai.user.message body: %d bytes kept", n)
	}
	if n := len(logs[2].Body().Str()); n != 100_000 {
		t.Errorf("a log that is not a GenAI event was cut: %d bytes", n)
	}
	t.Logf("span event 8 MiB -> %d bytes; gen_ai.choice body 8 MiB -> %d; gen_ai.user.message 8 MiB -> %d",
		len(got.Str()), len(content), len(logs[1].Body().Str()))
	for name, msgs := range sent {
		s := spans[name][0]
		got := attr(t, s, "gen_ai.input.messages").Str()
		if len(got) > 64<<10+64 {
			t.Errorf("%s: %d bytes kept, over the 64 KiB budget", name, len(got))
		}
		var v []map[string]any
		if err := json.Unmarshal([]byte(got), &v); err != nil {
			t.Fatalf("%s: not valid JSON: %v", name, err)
		}
		text := func(m map[string]any) string {
			parts, _ := m["parts"].([]any)
			if len(parts) == 0 {
				return ""
			}
			p, _ := parts[0].(map[string]any)
			s, _ := p["content"].(string)
			return s
		}
		if text(v[0]) != "You answer from the documents." {
			t.Errorf("%s: the system prompt was not kept: %q", name, text(v[0]))
		}
		last := v[len(v)-1]
		if !strings.HasPrefix(text(last), "turn ddd") || !strings.Contains(text(last), "…[truncated ") {
			t.Errorf("%s: the last turn is not its start with a marker: %.60q", name, text(last))
		}
		if n := attr(t, s, "llm_observatory.payload.gen_ai.input.messages.original_bytes").Int(); n != int64(len(msgs)) {
			t.Errorf("%s: original_bytes %d, want %d", name, n, len(msgs))
		}
		sum := sha256.Sum256([]byte(msgs))
		wantStr(t, s, "llm_observatory.payload.gen_ai.input.messages.sha256", hex.EncodeToString(sum[:]))
		if n := attr(t, s, "gen_ai.usage.input_tokens").Int(); n != 2_000_000 {
			t.Errorf("%s: usage touched: %d", name, n)
		}
		t.Logf("%s: %d -> %d bytes, %d messages kept", name, len(msgs), len(got), len(v))
	}
}
