package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// piiConfig is the default config with pii_redaction last in both pipelines.
func piiConfig(t *testing.T, settings string) string {
	t.Helper()
	base, err := os.ReadFile(defaultConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(base), "cost_calculation]") != 2 || !strings.Contains(string(base), "  cost_calculation:\n") {
		t.Fatal("configs/default.yaml changed shape: want cost_calculation last in both pipelines")
	}
	cfg := strings.Replace(string(base), "  cost_calculation:\n", "  cost_calculation:\n  pii_redaction:\n"+settings, 1)
	cfg = strings.ReplaceAll(cfg, "cost_calculation]", "cost_calculation, pii_redaction]")
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Secrets and personal data in prompts, attributes and log bodies do not leave the binary;
// the message JSON stays valid with only the found substrings changed, and the metrics name
// types, never values.
func TestPIIRedactionThroughTheBinary(t *testing.T) {
	c := startCollector(t, piiConfig(t, `    hmac_key: ${env:PII_HMAC_KEY}
    detectors:
      email:
        action: hash
`), "PII_HMAC_KEY=e2e-0123456789abcdef")
	const (
		email = "maria.garcia@example.com"
		key   = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AAAAAA"
		iban  = "DE89 3704 0044 0532 0130 00"
	)
	msgs := `[{"role":"user","parts":[{"type":"text","content":"Refund to ` + iban + ` and email ` + email + `"}]}]`
	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	newSpan(ss, "chat claude-sonnet-4-5", map[string]any{
		"gen_ai.provider.name": "anthropic", "gen_ai.operation.name": "chat",
		"gen_ai.request.model": "claude-sonnet-4-5", "gen_ai.input.messages": msgs,
		"gen_ai.usage.input_tokens": 30, "gen_ai.usage.output_tokens": 5,
		"http.request.header.authorization": "Bearer " + key,
	})
	c.sendTracesGRPC(t, td)
	ld := plog.NewLogs()
	rec := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	rec.SetEventName("gen_ai.user.message")
	rec.Body().SetEmptyMap().PutStr("content", "my card is 5555 5555 5555 4444, mail "+email)
	c.sendLogsHTTP(t, ld)

	span := c.waitSpans(t, 1)["chat claude-sonnet-4-5"][0]
	got := attr(t, span, "gen_ai.input.messages").Str()
	if !json.Valid([]byte(got)) {
		t.Fatalf("message JSON no longer valid: %s", got)
	}
	if strings.Contains(got, email) || strings.Contains(got, iban) {
		t.Fatalf("PII left in %s", got)
	}
	if !strings.Contains(got, `"content":"Refund to <IBAN> and email <EMAIL:hmac:`) {
		t.Errorf("unexpected redaction: %s", got)
	}
	if a := attr(t, span, "http.request.header.authorization").Str(); strings.Contains(a, "AbCdEf") {
		t.Errorf("credential left: %s", a)
	}
	wantStr(t, span, "gen_ai.request.model", "claude-sonnet-4-5")
	if n := attr(t, span, "llm_observatory.pii.count").Int(); n != 3 {
		t.Errorf("pii.count = %d, want 3", n)
	}
	// priced before redaction: cost_calculation ran first
	if _, ok := span.Attributes().Get("gen_ai.usage.cost.amount"); !ok {
		t.Error("no cost on the redacted span")
	}

	logs := c.waitLogs(t, 1)
	body := logs[0].Body().Map().AsRaw()["content"].(string)
	if strings.Contains(body, "5555") || strings.Contains(body, email) {
		t.Errorf("PII left in log body: %s", body)
	}

	m := c.scrapeMetrics(t)
	for _, want := range []string{`pii_type="email"`, `pii_type="iban"`, `pii_type="credit_card"`} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, secret := range []string{email, "5555 5555", key[:20]} {
		if strings.Contains(m, secret) || strings.Contains(c.stderr.String(), secret) {
			t.Errorf("a found value reached the collector's own metrics or logs: %q", secret)
		}
	}
}
