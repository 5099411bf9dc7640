package pipeline

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

func oneSpan() ([]target, ptrace.Span) {
	s := ptrace.NewSpan()
	s.Attributes().PutStr("keep", "v")
	s.Events().AppendEmpty().SetName("ev")
	return []target{{attrs: s.Attributes(), events: s.Events()}}, s
}

func editBytes(item, event uint32, op byte, key string, val []byte) []byte {
	b := binary.LittleEndian.AppendUint32(nil, 1)
	b = binary.LittleEndian.AppendUint32(b, item)
	b = binary.LittleEndian.AppendUint32(b, event)
	b = append(b, op)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(key)))
	b = append(b, key...)
	b = append(b, val...)
	return binary.LittleEndian.AppendUint32(b, 0) // no counters
}

func strVal(s string) []byte {
	b := []byte{tagStr}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

func TestResponseAppliesEdits(t *testing.T) {
	targets, s := oneSpan()
	resp, err := decodeResponse(editBytes(0, itemItself, opSetAttr, "gen_ai.provider.name", strVal("openai")), targets)
	require.NoError(t, err)
	resp.apply(targets)
	v, _ := s.Attributes().Get("gen_ai.provider.name")
	assert.Equal(t, "openai", v.Str())
	resp, err = decodeResponse(editBytes(0, 0, opSetAttr, "k", strVal("on-event")), targets)
	require.NoError(t, err)
	resp.apply(targets)
	v, _ = s.Events().At(0).Attributes().Get("k")
	assert.Equal(t, "on-event", v.Str())
}

// A response that does not fit the batch is rejected whole, before anything is applied.
func TestBadResponsesAreRejectedWhole(t *testing.T) {
	targets, _ := oneSpan()
	good := editBytes(0, itemItself, opSetAttr, "a", strVal("b"))
	cases := map[string][]byte{
		"item out of range":  editBytes(7, itemItself, opSetAttr, "a", strVal("b")),
		"event out of range": editBytes(0, 3, opSetAttr, "a", strVal("b")),
		"body on a span":     editBytes(0, itemItself, opSetBody, "", strVal("b")),
		"unknown op":         editBytes(0, itemItself, 9, "a", nil),
		"unknown tag":        editBytes(0, itemItself, opSetAttr, "a", []byte{42}),
		"trailing":           append(append([]byte{}, good...), 0),
	}
	for cut := 0; cut < len(good); cut++ {
		cases["truncated"+string(rune('a'+cut%26))+string(rune('0'+cut/26))] = good[:cut]
	}
	for name, b := range cases {
		_, err := decodeResponse(b, targets)
		assert.Error(t, err, name)
	}
}

func TestInterestSelection(t *testing.T) {
	in := &Interest{
		keys:          map[string]struct{}{"acme.model": {}},
		prefixes:      []string{"gen_ai."},
		eventPrefixes: []string{"gen_ai."},
		contextKeys:   map[string]struct{}{"server.address": {}},
		skipKeys:      map[string]struct{}{"gen_ai.prompt": {}},
		skipPrefixes:  []string{"gen_ai.prompt."},
		Events:        true,
	}
	in.index()
	e := &encoder{}
	e.reset()
	td := ptrace.NewTraces()
	spans := td.ResourceSpans().AppendEmpty().ScopeSpans().AppendEmpty().Spans()
	http := spans.AppendEmpty()
	http.Attributes().PutStr("server.address", "api.openai.com")
	llm := spans.AppendEmpty()
	llm.Attributes().PutStr("acme.model", "gpt-4o")
	llm.Attributes().PutStr("http.method", "POST")
	ev := spans.AppendEmpty()
	ev.Events().AppendEmpty().SetName("gen_ai.content.prompt")
	content := spans.AppendEmpty()
	content.Attributes().PutStr("gen_ai.prompt", "a long prompt")
	content.Attributes().PutStr("gen_ai.prompt.0.content", "a long prompt")
	targets, total := e.encodeTraces(in, td, nil)
	assert.Equal(t, 4, total)
	require.Len(t, targets, 2, "a context key or skipped keys alone do not select a span")
	assert.Equal(t, uint32(2), binary.LittleEndian.Uint32(e.finish()))
}

func u32b(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }

// A nested value (a redacted map body, a mixed array) is decoded whole and replaces the old one.
func TestNestedValuesReplaceBodiesAndResources(t *testing.T) {
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	rl.Resource().Attributes().PutStr("user.email", "a@b.example")
	rec := rl.ScopeLogs().AppendEmpty().LogRecords().AppendEmpty()
	rec.Body().SetEmptyMap().PutStr("content", "secret")
	in := &Interest{Resources: true, AllItems: true, AllAttributes: true, LogBodies: true}
	in.index()
	e := &encoder{}
	e.reset()
	targets, total := e.encodeLogs(in, ld, nil)
	require.Equal(t, 1, total)
	require.Len(t, targets, 2, "the resource, then its record")
	assert.True(t, targets[0].isResource)

	// body := {"content": "<EMAIL>", "n": [1, "x", null], "raw": bytes(2)}
	body := []byte{tagMap}
	body = u32b(body, 3)
	body = u32b(body, 7)
	body = append(body, "content"...)
	body = append(body, strVal("<EMAIL>")...)
	body = u32b(body, 1)
	body = append(body, 'n', tagArray)
	body = u32b(body, 3)
	body = append(body, tagInt)
	body = binary.LittleEndian.AppendUint64(body, 1)
	body = append(body, strVal("x")...)
	body = append(body, tagEmpty)
	body = u32b(body, 3)
	body = append(body, "raw"...)
	body = append(body, tagBytes)
	body = u32b(body, 2)
	body = append(body, 7, 9)
	resp, err := decodeResponse(editBytes(1, itemItself, opSetBody, "", body), targets)
	require.NoError(t, err)
	resp.apply(targets)
	assert.Equal(t, map[string]any{"content": "<EMAIL>", "n": []any{int64(1), "x", nil}, "raw": []byte{7, 9}}, rec.Body().Map().AsRaw())

	resp, err = decodeResponse(editBytes(0, itemItself, opSetAttr, "user.email", strVal("<EMAIL>")), targets)
	require.NoError(t, err)
	resp.apply(targets)
	v, _ := rl.Resource().Attributes().Get("user.email")
	assert.Equal(t, "<EMAIL>", v.Str())

	for name, b := range map[string][]byte{
		"event edit on a resource": editBytes(0, 0, opSetAttr, "k", strVal("v")),
		"body edit on a resource":  editBytes(0, itemItself, opSetBody, "", strVal("v")),
		"truncated nested value":   editBytes(1, itemItself, opSetBody, "", body[:len(body)-1]),
	} {
		_, err := decodeResponse(b, targets)
		assert.Error(t, err, name)
	}
	deep := []byte{}
	for i := 0; i < 40; i++ {
		deep = u32b(append(deep, tagArray), 1)
	}
	deep = append(deep, tagEmpty)
	_, err = decodeResponse(editBytes(1, itemItself, opSetBody, "", deep), targets)
	assert.ErrorContains(t, err, "nested deeper")
}
