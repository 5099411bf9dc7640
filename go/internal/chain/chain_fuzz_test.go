// Package chain_test fuzzes the four LLM Observatory processors chained in process, as a
// pipeline runs them: llm_enrichment -> token_counting -> cost_calculation -> pii_redaction.
//
// Invariants, for any input: no panic, no error, no span or log record lost, and a secret
// planted in any string of a record (chosen by the fuzzer) never comes out of pii_redaction.
//
// `go test` runs the seeds and the committed corpus (testdata/fuzz); `make fuzz` runs the
// fuzzer for a bounded time and new failing inputs land in testdata/fuzz to be committed.
package chain_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/consumer/consumertest"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/processortest"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/llm-observatory/collector/go/costcalculationprocessor"
	"github.com/llm-observatory/collector/go/llmenrichmentprocessor"
	"github.com/llm-observatory/collector/go/piiredactionprocessor"
	"github.com/llm-observatory/collector/go/tokencountingprocessor"
)

var factories = []processor.Factory{ // in pipeline order; built back to front
	llmenrichmentprocessor.NewFactory(),
	tokencountingprocessor.NewFactory(),
	costcalculationprocessor.NewFactory(),
	piiredactionprocessor.NewFactory(),
}

type chain struct {
	// failures holds what the fail-open stages log when a batch passes through unchanged
	failures *observer.ObservedLogs
	traces   consumer.Traces
	logs     consumer.Logs
	tsink    *consumertest.TracesSink
	lsink    *consumertest.LogsSink
	shutdown []component.Component
}

func newChain(t testing.TB) *chain {
	core, logs := observer.New(zap.WarnLevel)
	c := &chain{tsink: new(consumertest.TracesSink), lsink: new(consumertest.LogsSink), failures: logs}
	var nextT consumer.Traces = c.tsink
	var nextL consumer.Logs = c.lsink
	ctx := context.Background()
	for i := len(factories) - 1; i >= 0; i-- {
		f := factories[i]
		set := processortest.NewNopSettings(f.Type())
		set.Logger = zap.New(core)
		tp, err := f.CreateTraces(ctx, set, f.CreateDefaultConfig(), nextT)
		if err != nil {
			t.Fatal(err)
		}
		lp, err := f.CreateLogs(ctx, set, f.CreateDefaultConfig(), nextL)
		if err != nil {
			t.Fatal(err)
		}
		c.shutdown = append(c.shutdown, tp, lp)
		nextT, nextL = tp, lp
	}
	c.traces, c.logs = nextT, nextL
	t.Cleanup(func() {
		for _, p := range c.shutdown {
			_ = p.Shutdown(ctx)
		}
	})
	return c
}

// secrets a default pii_redaction must find wherever they are, between spaces.
var secrets = []string{
	"fuzz.planted@example.com",
	"AKIAIOSFODNN7EXAMPLE",
	"4111 1111 1111 1111",
	"sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGh",
	"ghp_0123456789abcdefghijklmnopqrstuvwxyz",
}

// plantsInSpans is how many places plantTraces can put a secret in.
const plantsInSpans = 18

// plant puts " secret " into the string of a record that where chooses.
func plantTraces(td ptrace.Traces, where uint8, secret string) {
	if td.ResourceSpans().Len() == 0 {
		td.ResourceSpans().AppendEmpty()
	}
	rs := td.ResourceSpans().At(0)
	if rs.ScopeSpans().Len() == 0 {
		rs.ScopeSpans().AppendEmpty()
	}
	ss := rs.ScopeSpans().At(0)
	if ss.Spans().Len() == 0 {
		ss.Spans().AppendEmpty()
	}
	s := ss.Spans().At(0)
	text := func(old string) string { return old + " " + secret + " " }
	switch where % plantsInSpans {
	case 0:
		s.SetName(text(s.Name()))
	case 1:
		s.Status().SetMessage(text(s.Status().Message()))
	case 2:
		s.TraceState().FromRaw("acme=" + secret)
	case 3:
		s.Attributes().PutStr("fuzz.attr", secret)
	case 4: // a duplicated key: the second copy carries it
		putDuplicate(s.Attributes(), "fuzz.dup", "clean", text(""))
	case 5:
		s.Attributes().PutStr("fuzz\xffkey", text(""))
	case 6:
		s.Attributes().PutStr("llm_observatory.pii.fuzz", text(""))
	case 7:
		s.Attributes().PutStr("key "+secret+" ", "v")
	case 8:
		ev := s.Events().AppendEmpty()
		ev.SetName(text("event"))
	case 9:
		s.Events().AppendEmpty().Attributes().PutStr("detail", text(""))
	case 10:
		s.Links().AppendEmpty().Attributes().PutStr("peer", text(""))
	case 11:
		s.Links().AppendEmpty().TraceState().FromRaw("acme=" + secret)
	case 12:
		rs.Resource().Attributes().PutStr("owner", text(""))
	case 13:
		ss.Scope().SetName(text(ss.Scope().Name()))
	case 14:
		ss.Scope().Attributes().PutStr("team", text(""))
	case 15:
		s.Attributes().PutEmptySlice("fuzz.list").AppendEmpty().SetStr(text(""))
	case 16:
		putDuplicate(s.Events().AppendEmpty().Attributes(), "fuzz.dup", "clean", text(""))
	case 17:
		putDuplicate(s.Links().AppendEmpty().Attributes(), "fuzz.dup", "clean", text(""))
	}
}

func plantLogs(ld plog.Logs, where uint8, secret string) {
	if ld.ResourceLogs().Len() == 0 {
		ld.ResourceLogs().AppendEmpty()
	}
	rl := ld.ResourceLogs().At(0)
	if rl.ScopeLogs().Len() == 0 {
		rl.ScopeLogs().AppendEmpty()
	}
	sl := rl.ScopeLogs().At(0)
	if sl.LogRecords().Len() == 0 {
		sl.LogRecords().AppendEmpty()
	}
	r := sl.LogRecords().At(0)
	text := " " + secret + " "
	switch where % 6 {
	case 0:
		r.Body().SetStr(text)
	case 1:
		r.SetEventName("gen_ai.user.message" + text)
	case 2:
		r.SetSeverityText(text)
	case 3:
		putDuplicate(r.Attributes(), "fuzz.dup", "clean", text)
	case 4:
		r.Body().SetEmptyMap().PutStr("content", text)
	case 5:
		rl.SetSchemaUrl("https://example.com/" + secret)
	}
}

// putDuplicate gives m two attributes with the same key, as a decoded wire message can hold
// (pdata's Put would overwrite the first): the pair comes from the JSON decoder, which keeps
// both, and the map is rebuilt around it.
func putDuplicate(m pcommon.Map, key, first, second string) {
	k, _ := json.Marshal(key)
	v1, _ := json.Marshal(first)
	v2, _ := json.Marshal(second)
	td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces([]byte(`{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[` +
		`{"key":` + string(k) + `,"value":{"stringValue":` + string(v1) + `}},` +
		`{"key":` + string(k) + `,"value":{"stringValue":` + string(v2) + `}}]}]}]}]}`))
	if err != nil {
		panic(err)
	}
	pair := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0).Attributes()
	m.Range(func(mk string, mv pcommon.Value) bool {
		if mk != key {
			mv.CopyTo(pair.PutEmpty(mk))
		}
		return true
	})
	pair.CopyTo(m)
}

// FuzzChain runs any OTLP traces or logs message (or, when data does not decode, one record
// built from it) through the chain with a secret planted where the fuzzer says.
func FuzzChain(f *testing.F) {
	for _, seed := range seeds(f) {
		f.Add(seed, uint8(0), uint8(0), false)
	}
	for where := uint8(0); where < plantsInSpans; where++ {
		f.Add([]byte{}, where, where, false)
		f.Add([]byte{}, where, where, true)
	}
	c := newChain(f)
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, data []byte, where, which uint8, logs bool) {
		secret := secrets[int(which)%len(secrets)]
		var out []byte
		if logs {
			ld, err := (&plog.ProtoUnmarshaler{}).UnmarshalLogs(data)
			if err != nil {
				ld = plog.NewLogs()
				r := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
				r.Body().SetStr(string(data))
				r.Attributes().PutStr(string(data), string(data))
			}
			plantLogs(ld, where, secret)
			in, err := (&plog.ProtoMarshaler{}).MarshalLogs(ld)
			if err != nil || !bytes.Contains(in, []byte(secret)) {
				t.Fatalf("the secret was not planted (where %d): %v", where, err)
			}
			want := ld.LogRecordCount()
			c.lsink.Reset()
			if err := c.logs.ConsumeLogs(ctx, ld); err != nil {
				t.Fatalf("logs refused: %v", err)
			}
			got := c.lsink.AllLogs()
			if len(got) != 1 || got[0].LogRecordCount() != want {
				t.Fatalf("sent %d log records, %d batches came out", want, len(got))
			}
			if out, err = (&plog.ProtoMarshaler{}).MarshalLogs(got[0]); err != nil {
				t.Fatal(err)
			}
		} else {
			td, err := (&ptrace.ProtoUnmarshaler{}).UnmarshalTraces(data)
			if err != nil {
				td = ptrace.NewTraces()
				s := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans().AppendEmpty()
				s.SetName(string(data))
				s.Attributes().PutStr("gen_ai.input.messages", string(data))
				s.Attributes().PutStr("gen_ai.request.model", string(data))
			}
			plantTraces(td, where, secret)
			in, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(td)
			if err != nil || !bytes.Contains(in, []byte(secret)) {
				t.Fatalf("the secret was not planted (where %d): %v", where, err)
			}
			want := td.SpanCount()
			c.tsink.Reset()
			if err := c.traces.ConsumeTraces(ctx, td); err != nil {
				t.Fatalf("traces refused: %v", err)
			}
			got := c.tsink.AllTraces()
			if len(got) != 1 || got[0].SpanCount() != want {
				t.Fatalf("sent %d spans, %d batches came out", want, len(got))
			}
			if out, err = (&ptrace.ProtoMarshaler{}).MarshalTraces(got[0]); err != nil {
				t.Fatal(err)
			}
		}
		if failed := c.failures.FilterMessageSnippet("passed through unchanged"); failed.Len() > 0 {
			t.Fatalf("a stage failed open: %v", failed.All()[0].ContextMap())
		}
		if bytes.Contains(out, []byte(secret)) {
			t.Fatalf("planted %q (where %d, logs %v) passed pii_redaction", secret, where, logs)
		}
		// redaction takes the secret, not what sits beside it: the clean copy of a
		// duplicated key survives
		if dup := (!logs && (where%plantsInSpans == 4 || where%plantsInSpans >= 16)) || (logs && where%6 == 3); dup && !bytes.Contains(out, []byte("clean")) {
			t.Fatalf("the clean copy of a duplicated key was lost (where %d, logs %v)", where, logs)
		}
	})
}

// seeds are real-looking messages: LLM spans of several conventions and a GenAI log event.
func seeds(f *testing.F) [][]byte {
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	rs.Resource().Attributes().PutStr("service.name", "chat-api")
	spans := rs.ScopeSpans().AppendEmpty().Spans()
	for i, attrs := range []map[string]any{
		{"gen_ai.system": "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.prompt_tokens": 12,
			"gen_ai.prompt.0.role": "user", "gen_ai.prompt.0.content": "hello, mail me at a@example.com"},
		{"llm.model_name": "claude-3-5-sonnet-20241022", "llm.provider": "anthropic",
			"llm.input_messages.0.message.content": "card 5555 5555 5555 4444"},
		{"ai.model.id": "gpt-4o-mini", "ai.model.provider": "openai.chat", "ai.usage.promptTokens": "7",
			"ai.prompt.messages": `[{"role":"user","content":"hi"}]`},
		{"gen_ai.provider.name": "aws.bedrock", "gen_ai.request.model": "anthropic.claude-3-haiku-20240307-v1:0",
			"gen_ai.input.messages": `[{"role":"user","parts":[{"type":"text","content":"AKIAIOSFODNN7EXAMPLE"}]}]`},
		{"http.method": "GET", "url.path": "/health"},
	} {
		s := spans.AppendEmpty()
		s.SetName("span")
		if err := s.Attributes().FromRaw(attrs); err != nil {
			f.Fatal(err)
		}
		s.SetStartTimestamp(pcommon.Timestamp(1_700_000_000_000_000_000 + i))
	}
	tb, err := (&ptrace.ProtoMarshaler{}).MarshalTraces(td)
	if err != nil {
		f.Fatal(err)
	}
	ld := plog.NewLogs()
	r := ld.ResourceLogs().AppendEmpty().ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	r.SetEventName("gen_ai.user.message")
	r.Attributes().PutStr("gen_ai.system", "openai")
	r.Body().SetEmptyMap().PutStr("content", "call +1 415 555 2671")
	lb, err := (&plog.ProtoMarshaler{}).MarshalLogs(ld)
	if err != nil {
		f.Fatal(err)
	}
	return [][]byte{tb, lb}
}
