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
		"processors: [memory_limiter, llm_enrichment, token_counting, cost_calculation, llm_payload_budget]", 1)
	cfg = strings.Replace(cfg, "      http:\n", "      http:\n        max_request_body_size: 268435456\n", 1)
	if !strings.Contains(cfg, "llm_payload_budget]") || !strings.Contains(cfg, "max_request_body_size") {
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
	spans := c.waitSpans(t, 2)
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
