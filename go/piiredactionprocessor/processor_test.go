package piiredactionprocessor

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/component/componenttest"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor/processortest"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"

	"github.com/llm-observatory/collector/go/piiredactionprocessor/internal/metadata"
	"github.com/llm-observatory/collector/go/piiredactionprocessor/internal/metadatatest"
)

const (
	email = "jane.doe@example.org"
	card  = "4111 1111 1111 1111"
	key   = "sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGh"
)

func TestRedactsSpansThroughTheRustLibrary(t *testing.T) {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.owner", email)
	spans := rs.ScopeSpans().AppendEmpty().Spans()
	llm := spans.AppendEmpty()
	msgs := `[{"role":"user","parts":[{"type":"text","content":"Mail ` + email + `, card ` + card + `. Thanks!"}]}]`
	llm.Attributes().PutStr("gen_ai.input.messages", msgs)
	llm.Attributes().PutStr("gen_ai.request.model", "gpt-4o")
	tags := llm.Attributes().PutEmptySlice("app.tags")
	tags.AppendEmpty().SetStr("ok")
	tags.AppendEmpty().SetStr("key=" + key)
	ev := llm.Events().AppendEmpty()
	ev.SetName("gen_ai.user.message")
	ev.Attributes().PutStr("content", "call me at "+email)
	other := spans.AppendEmpty()
	other.Attributes().PutStr("http.route", "/v1/chat")
	other.Attributes().PutStr("owner", email)

	tel := componenttest.NewTelemetry()
	sink := new(consumertest.TracesSink)
	cfg := createDefaultConfig().(*Config)
	cfg.ResourceAttributes = true
	p, err := NewFactory().CreateTraces(context.Background(), metadatatest.NewSettings(tel), cfg, sink)
	require.NoError(t, err)
	require.NoError(t, p.ConsumeTraces(context.Background(), td))
	require.NoError(t, p.Shutdown(context.Background()))

	out := sink.AllTraces()[0].ResourceSpans().At(0)
	owner, _ := out.Resource().Attributes().Get("service.owner")
	assert.Equal(t, "<EMAIL>", owner.Str())
	s := out.ScopeSpans().At(0).Spans()
	a := s.At(0).Attributes().AsRaw()
	got := a["gen_ai.input.messages"].(string)
	assert.True(t, json.Valid([]byte(got)), got)
	assert.Equal(t, strings.NewReplacer(email, "<EMAIL>", card, "<CREDIT_CARD>").Replace(msgs), got,
		"only the found substrings change")
	assert.Equal(t, "gpt-4o", a["gen_ai.request.model"])
	assert.Equal(t, "ok", a["app.tags"].([]any)[0])
	assert.NotContains(t, a["app.tags"].([]any)[1], "sk-proj-")
	assert.EqualValues(t, 4, a["llm_observatory.pii.count"], "its events included")
	ea := s.At(0).Events().At(0).Attributes().AsRaw()
	assert.Equal(t, "call me at <EMAIL>", ea["content"])
	assert.Equal(t, "<EMAIL>", s.At(1).Attributes().AsRaw()["owner"])
	assert.Equal(t, "/v1/chat", s.At(1).Attributes().AsRaw()["http.route"])

	metadatatest.AssertEqualProcessorPiiRedactionFindings(t, tel, []metricdata.DataPoint[int64]{
		{Value: 1, Attributes: attribute.NewSet(attribute.String("pii.type", "credit_card"))},
		{Value: 4, Attributes: attribute.NewSet(attribute.String("pii.type", "email"))},
		{Value: 1, Attributes: attribute.NewSet(attribute.String("pii.type", "openai_api_key"))},
	}, metricdatatest.IgnoreTimestamp())
	require.NoError(t, tel.Shutdown(context.Background()))
}

// Map bodies are redacted in place; the hash action gives the same token for the same value
// in different records; drop deletes the attribute; bytes that are not UTF-8 fail closed.
func TestRedactsLogsHashesAndFailsClosed(t *testing.T) {
	ld := plog.NewLogs()
	recs := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords()
	r1 := recs.AppendEmpty()
	body := r1.Body().SetEmptyMap()
	body.PutStr("role", "user")
	body.PutEmptySlice("content").AppendEmpty().SetStr("my email is " + email)
	r1.Attributes().PutStr("ssn", "SSN 078-05-1120 on file")
	r2 := recs.AppendEmpty()
	r2.Body().SetStr("again: " + email)
	r2.Attributes().PutStr("bad", string([]byte{'a', 0xff, 'b'}))

	sink := new(consumertest.LogsSink)
	cfg := createDefaultConfig().(*Config)
	cfg.HMACKey = "0123456789abcdef-test-key"
	cfg.Detectors = map[string]DetectorConfig{"email": {Action: "hash"}, "us_ssn": {Action: "drop"}}
	p, err := NewFactory().CreateLogs(context.Background(), processortest.NewNopSettings(metadata.Type), cfg, sink)
	require.NoError(t, err)
	require.NoError(t, p.ConsumeLogs(context.Background(), ld))
	require.NoError(t, p.Shutdown(context.Background()))

	out := sink.AllLogs()[0].ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	b := out.At(0).Body().Map().AsRaw()
	assert.Equal(t, "user", b["role"])
	first := b["content"].([]any)[0].(string)
	assert.True(t, strings.HasPrefix(first, "my email is <EMAIL:hmac:"), first)
	token := strings.TrimPrefix(first, "my email is ")
	assert.Equal(t, "again: "+token, out.At(1).Body().Str(), "same value, same token")
	_, hasSSN := out.At(0).Attributes().Get("ssn")
	assert.False(t, hasSSN, "dropped")
	bad, _ := out.At(1).Attributes().Get("bad")
	assert.NotContains(t, bad.Str(), "a\xffb", "unscannable bytes do not pass")
}

// The envelope (enabled, traces, logs) is the Go side's: a signal turned off, or the whole
// processor, passes data through untouched (these were Rust tests before the envelope moved).
func TestEnvelopeDecidesWhatIsRedacted(t *testing.T) {
	redacted := func(cfg *Config) (span, log bool) {
		ctx := context.Background()
		set := metadatatest.NewSettings(componenttest.NewTelemetry())
		ts := new(consumertest.TracesSink)
		tp, err := NewFactory().CreateTraces(ctx, set, cfg, ts)
		require.NoError(t, err)
		ls := new(consumertest.LogsSink)
		lp, err := NewFactory().CreateLogs(ctx, set, cfg, ls)
		require.NoError(t, err)
		td := ptrace.NewTraces()
		td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty().Attributes().PutStr("user.email", email)
		require.NoError(t, tp.ConsumeTraces(ctx, td))
		ld := plog.NewLogs()
		ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty().Attributes().PutStr("user.email", email)
		require.NoError(t, lp.ConsumeLogs(ctx, ld))
		require.NoError(t, tp.Shutdown(ctx))
		require.NoError(t, lp.Shutdown(ctx))
		sv, _ := ts.AllTraces()[0].ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).Attributes().Get("user.email")
		lv, _ := ls.AllLogs()[0].ResourceLogs().At(0).ScopeLogs().At(0).LogRecords().At(0).Attributes().Get("user.email")
		return sv.Str() != email, lv.Str() != email
	}
	cfg := createDefaultConfig().(*Config)
	s, l := redacted(cfg)
	assert.True(t, s && l, "default: both signals")
	cfg.Traces = false
	s, l = redacted(cfg)
	assert.True(t, !s && l, "traces off: spans untouched, logs redacted")
	cfg = createDefaultConfig().(*Config)
	cfg.Enabled = false
	s, l = redacted(cfg)
	assert.True(t, !s && !l, "disabled: nothing touched")
}
