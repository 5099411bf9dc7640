package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// everyField plants a distinct address in every string a span and a log record carry: resource
// and scope (attributes, schema URLs, scope name and version), span name, status message,
// trace state, both copies of a duplicated key, the value behind a key that is not UTF-8, our
// own prefix, an attribute key, event names and attributes, link trace state and attributes;
// log event name, severity text and body.
func everyField(t *testing.T) (ptrace.Traces, plog.Logs, []string) {
	t.Helper()
	// pdata keeps duplicate keys as they arrive on the wire; build them the same way
	td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces([]byte(`{"resourceSpans":[{
		"resource":{"attributes":[{"key":"owner","value":{"stringValue":"res@example.com"}}]},
		"schemaUrl":"https://example.com/rschema@example.com",
		"scopeSpans":[{"scope":{"name":"lib scope@example.com","version":"1 version@example.com",
			"attributes":[{"key":"team","value":{"stringValue":"scopeattr@example.com"}}]},
			"schemaUrl":"https://example.com/sschema@example.com",
			"spans":[{"traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"0102030405060708",
			"name":"notify name@example.com","traceState":"acme=AKIAIOSFODNN7EXAMPLE",
			"status":{"code":2,"message":"failed for status@example.com"},
			"attributes":[{"key":"note","value":{"stringValue":"dup1@example.com"}},
				{"key":"note","value":{"stringValue":"dup2@example.com"}},
				{"key":"llm_observatory.pii.note","value":{"stringValue":"own@example.com"}},
				{"key":"to key@example.com","value":{"stringValue":"v"}},
				{"key":"to keytwo@example.com","value":{"stringValue":"v2"}}],
			"events":[{"name":"event@example.com bounced",
				"attributes":[{"key":"detail","value":{"stringValue":"evattr@example.com"}}]}],
			"links":[{"traceId":"0102030405060708090a0b0c0d0e0f11","spanId":"0102030405060709",
				"traceState":"acme=AKIAJ2QWERTYUIOPASDF",
				"attributes":[{"key":"peer","value":{"stringValue":"link@example.com"}}]}]}]}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	span := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	span.Attributes().PutStr("k\xffey", "badkey@example.com")

	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("owner", "logres@example.com")
	rec := rl.ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	rec.SetEventName("app.event logevent@example.com")
	rec.SetSeverityText("INFO sev@example.com")
	rec.Body().SetStr("body@example.com")
	rec.Attributes().PutStr("user", "logattr@example.com")

	var secrets []string
	for _, s := range []string{"res", "rschema", "scope", "version", "scopeattr", "sschema", "name",
		"status", "dup1", "dup2", "own", "key", "keytwo", "event", "evattr", "link", "badkey",
		"logres", "logevent", "sev", "body", "logattr"} {
		secrets = append(secrets, s+"@example.com")
	}
	return td, ld, append(secrets, "AKIAIOSFODNN7EXAMPLE", "AKIAJ2QWERTYUIOPASDF")
}

// No string a record carries passes pii_redaction, masked or dropped, and nothing is lost.
func TestPIIReachesEveryField(t *testing.T) {
	for _, action := range []string{"mask", "drop"} {
		t.Run(action, func(t *testing.T) {
			c := startCollector(t, piiConfig(t, "    action: "+action+"\n"))
			td, ld, secrets := everyField(t)
			c.sendTracesHTTP(t, td)
			c.sendLogsHTTP(t, ld)
			spans := c.waitSpans(t, 1)
			c.waitLogs(t, 1)
			var out strings.Builder
			for _, f := range []string{"traces.jsonl", "logs.jsonl"} {
				b, err := os.ReadFile(filepath.Join(c.dataDir, f))
				if err != nil {
					t.Fatal(err)
				}
				out.Write(b)
			}
			for _, s := range secrets {
				if strings.Contains(out.String(), s) {
					t.Errorf("%s passed pii_redaction (%s)", s, action)
				}
			}
			if action != "mask" {
				return
			}
			for name, sp := range spans {
				if name != "notify <EMAIL>" {
					t.Errorf("span name %q", name)
				}
				if got := sp[0].Status().Message(); got != "failed for <EMAIL>" {
					t.Errorf("status message %q", got)
				}
				if n := attr(t, sp[0], "llm_observatory.pii.count").Int(); n != 13 {
					t.Errorf("pii.count = %d, want 13 (every finding on the span, not the shared ones)", n)
				}
				// two keys redacted alike: both attributes kept, under distinct keys
				moved := map[string]bool{}
				for _, k := range []string{"to <EMAIL>", "to <EMAIL>#2"} {
					moved[attr(t, sp[0], k).Str()] = true
				}
				if !moved["v"] || !moved["v2"] {
					t.Errorf("an attribute whose key moved was lost: %v", moved)
				}
			}
			for _, marker := range []string{`"<EMAIL>"`, `"acme=<AWS_ACCESS_KEY_ID>"`, `"<UNSCANNABLE>"`} {
				if !strings.Contains(out.String(), marker) {
					t.Errorf("output lacks %s:\n%s", marker, out.String())
				}
			}
		})
	}
}

// Card numbers, an AWS key id and an address in the short contexts real text puts them in
// are found through the binary (seven of these ten passed the previous binary).
func TestPIIShortContexts(t *testing.T) {
	c := startCollector(t, piiConfig(t, ""))
	values := map[string]string{
		"plus":     "+4111111111111111",
		"parens":   "(4111 1111 1111 1111)",
		"dash":     "ref 12-4111111111111111",
		"commas":   "7,4111111111111111,bob",
		"path":     "/v1/cards/4111111111111111/charge",
		"windows":  `C:\4111111111111111`,
		"nbsp":     "card 4111\u00a01111\u00a01111\u00a01111",
		"under":    "x_AKIAIOSFODNN7EXAMPLE_y",
		"quoted":   "WHERE email='d@example.com'",
		"sql.name": "SELECT * FROM users WHERE card = '5555555555554444'",
	}
	td := ptrace.NewTraces()
	ss := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty()
	attrs := map[string]any{}
	for k, v := range values {
		attrs[k] = v
	}
	newSpan(ss, "contexts", attrs)
	c.sendTracesHTTP(t, td)
	span := c.waitSpans(t, 1)["contexts"][0]
	for k, v := range values {
		got := attr(t, span, k).Str()
		for _, secret := range []string{"4111", "1111 1111", "5555555555554444", "AKIAIOSFODNN7EXAMPLE", "d@example.com"} {
			if strings.Contains(v, secret) && strings.Contains(got, secret) {
				t.Errorf("%s: %q passed as %q", k, v, got)
			}
		}
	}
}
