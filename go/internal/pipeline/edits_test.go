package pipeline

import (
	"encoding/binary"
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

func oneSpan() ([]target, ptrace.Span) {
	s := ptrace.NewSpan()
	s.Attributes().PutStr("keep", "v")
	s.Events().AppendEmpty().SetName("ev")
	return []target{{kind: kindSpan, attrs: s.Attributes(), span: s}}, s
}

var allOf = func() *Interest {
	in := &Interest{AllItems: true, AllAttributes: true, Events: true, Strings: true, Resources: true}
	in.index()
	return in
}()

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
	resp, err := decodeResponse(editBytes(0, itemItself, opSetAttr, "gen_ai.provider.name", strVal("openai")), targets, allOf)
	require.NoError(t, err)
	resp.apply(targets, allOf)
	v, _ := s.Attributes().Get("gen_ai.provider.name")
	assert.Equal(t, "openai", v.Str())
	resp, err = decodeResponse(editBytes(0, 0, opSetAttr, "k", strVal("on-event")), targets, allOf)
	require.NoError(t, err)
	resp.apply(targets, allOf)
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
		_, err := decodeResponse(b, targets, allOf)
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
	allOf := in
	e := &encoder{}
	e.reset()
	targets, total := e.encodeLogs(in, ld, nil)
	require.Equal(t, 1, total)
	require.Len(t, targets, 2, "the resource, then its record")
	assert.Equal(t, byte(kindLogResource), targets[0].kind)

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
	resp, err := decodeResponse(editBytes(1, itemItself, opSetBody, "", body), targets, allOf)
	require.NoError(t, err)
	resp.apply(targets, allOf)
	assert.Equal(t, map[string]any{"content": "<EMAIL>", "n": []any{int64(1), "x", nil}, "raw": []byte{7, 9}}, rec.Body().Map().AsRaw())

	// an empty value replaces the body (the drop action)
	resp, err = decodeResponse(editBytes(1, itemItself, opSetBody, "", []byte{tagEmpty}), targets, allOf)
	require.NoError(t, err)
	resp.apply(targets, allOf)
	assert.Equal(t, pcommon.ValueTypeEmpty, rec.Body().Type())

	resp, err = decodeResponse(editBytes(0, itemItself, opSetAttr, "user.email", strVal("<EMAIL>")), targets, allOf)
	require.NoError(t, err)
	resp.apply(targets, allOf)
	v, _ := rl.Resource().Attributes().Get("user.email")
	assert.Equal(t, "<EMAIL>", v.Str())

	for name, b := range map[string][]byte{
		"event edit on a resource": editBytes(0, 0, opSetAttr, "k", strVal("v")),
		"body edit on a resource":  editBytes(0, itemItself, opSetBody, "", strVal("v")),
		"truncated nested value":   editBytes(1, itemItself, opSetBody, "", body[:len(body)-1]),
	} {
		_, err := decodeResponse(b, targets, allOf)
		assert.Error(t, err, name)
	}
	deep := []byte{}
	for i := 0; i < 40; i++ {
		deep = u32b(append(deep, tagArray), 1)
	}
	deep = append(deep, tagEmpty)
	_, err = decodeResponse(editBytes(1, itemItself, opSetBody, "", deep), targets, allOf)
	assert.ErrorContains(t, err, "nested deeper")
}

// edits builds a response of several edits, each written by a function of its own.
func edits(parts ...func([]byte) []byte) []byte {
	b := u32b(nil, uint32(len(parts)))
	for _, p := range parts {
		b = p(b)
	}
	return u32b(b, 0)
}

func at(item, sub uint32, op byte, pos uint32, val []byte) func([]byte) []byte {
	return func(b []byte) []byte {
		b = append(u32b(u32b(b, item), sub), op)
		return append(u32b(b, pos), val...)
	}
}

func fieldEdit(item, sub uint32, f byte, s string) func([]byte) []byte {
	return func(b []byte) []byte {
		b = append(u32b(u32b(b, item), sub), opSetField, f)
		return append(b, strVal(s)[1:]...)
	}
}

// Positional edits reach every copy of a duplicated key and a key that is not UTF-8; field
// edits reach names, status messages, trace states, event names, links, scopes and schema URLs.
func TestPositionalAndFieldEdits(t *testing.T) {
	// pdata keeps duplicate keys as they arrive on the wire (Put would overwrite the first)
	td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces([]byte(`{"resourceSpans":[{
		"schemaUrl":"https://example.com/a@b.example",
		"scopeSpans":[{"scope":{"name":"scope"},"spans":[{
			"name":"name","traceState":"k=v","status":{"message":"status"},
			"attributes":[{"key":"a","value":{"stringValue":"1"}},
				{"key":"x","value":{"stringValue":"2"}},{"key":"x","value":{"stringValue":"3"}}],
			"events":[{"name":"event"}],
			"links":[{"attributes":[{"key":"peer","value":{"stringValue":"p"}}]}]}]}]}]}`))
	require.NoError(t, err)
	rs := td.ResourceSpans().At(0)
	ss := rs.ScopeSpans().At(0)
	s := ss.Spans().At(0)
	require.Equal(t, 3, s.Attributes().Len())
	e := &encoder{}
	e.reset()
	targets, _ := e.encodeTraces(allOf, td, nil)
	require.Len(t, targets, 3, "resource, scope, span")
	require.Equal(t, byte(kindSpanScope), targets[1].kind)

	resp, err := decodeResponse(edits(
		fieldEdit(0, itemItself, fieldSchemaURL, "<URL>"),
		fieldEdit(1, itemItself, fieldName, "<SCOPE>"),
		fieldEdit(1, itemItself, fieldScopeVersion, "v"),
		at(2, itemItself, opSetAttrAt, 2, strVal("<X2>")),
		at(2, itemItself, opDeleteAttrAt, 0, nil),
		at(2, itemItself, opSetAttrAt, 1, strVal("<X1>")),
		at(2, linkBit, opSetAttrAt, 0, strVal("<PEER>")),
		fieldEdit(2, itemItself, fieldName, "<N>"),
		fieldEdit(2, itemItself, fieldStatusMessage, "<S>"),
		fieldEdit(2, itemItself, fieldTraceState, "k=w"),
		fieldEdit(2, 0, fieldName, "<E>"),
		fieldEdit(2, linkBit, fieldTraceState, "l=1"),
	), targets, allOf)
	require.NoError(t, err)
	resp.apply(targets, allOf)
	var got []string
	s.Attributes().Range(func(k string, v pcommon.Value) bool {
		got = append(got, k+"="+v.Str())
		return true
	})
	assert.Equal(t, []string{"x=<X1>", "x=<X2>"}, got, "each copy, in order")
	assert.Equal(t, "<N>", s.Name())
	assert.Equal(t, "<S>", s.Status().Message())
	assert.Equal(t, "k=w", s.TraceState().AsRaw())
	assert.Equal(t, "<E>", s.Events().At(0).Name())
	assert.Equal(t, "l=1", s.Links().At(0).TraceState().AsRaw())
	assert.Equal(t, map[string]any{"peer": "<PEER>"}, s.Links().At(0).Attributes().AsRaw())
	assert.Equal(t, "<SCOPE>", ss.Scope().Name())
	assert.Equal(t, "v", ss.Scope().Version())
	assert.Equal(t, "<URL>", rs.SchemaUrl())

	for name, b := range map[string][]byte{
		"position past the map":     edits(at(2, itemItself, opSetAttrAt, 2, strVal("v"))),
		"delete past the map":       edits(at(2, itemItself, opDeleteAttrAt, 9, nil)),
		"link out of range":         edits(at(2, linkBit|1, opSetAttrAt, 0, strVal("v"))),
		"status on a resource":      edits(fieldEdit(0, itemItself, fieldStatusMessage, "v")),
		"severity on a span":        edits(fieldEdit(2, itemItself, fieldSeverityText, "v")),
		"unknown field":             edits(fieldEdit(2, itemItself, 9, "v")),
		"trace state on events":     edits(fieldEdit(2, 0, fieldTraceState, "v")),
		"edit count beyond data":    u32b(nil, 1<<20),
		"items out of order":        edits(at(2, itemItself, opSetAttrAt, 0, strVal("v")), fieldEdit(1, itemItself, fieldName, "v")),
		"counter count beyond data": append(u32b(nil, 0), 0xff, 0xff, 0xff, 0x7f),
	} {
		_, err := decodeResponse(b, targets, allOf)
		assert.Error(t, err, name)
	}
}

// An interest in every key answers without lookups, and only when that is what it means.
func TestEveryKeyClassIsTheSlowClass(t *testing.T) {
	keys := []string{"", "gen_ai.prompt", "http.method", "user.email", string(make([]byte, 300))}
	for _, in := range []*Interest{
		{AllItems: true, AllAttributes: true},
		{AllItems: true, AllAttributes: true, skipKeys: map[string]struct{}{"k8s.pod.uid": {}}},
		{AllItems: true, AllAttributes: true, heavyPrefixes: []string{"gen_ai.prompt"}},
		{AllAttributes: true, prefixes: []string{"gen_ai."}},
	} {
		in.index()
		for _, k := range keys {
			assert.Equal(t, in.classify(k), in.class(k), "%+v %q", in.everyKey, k)
		}
	}
	everyKey := &Interest{AllItems: true, AllAttributes: true}
	everyKey.index()
	assert.True(t, everyKey.everyKey)
	heavy := &Interest{AllItems: true, AllAttributes: true, heavyPrefixes: []string{"gen_ai.prompt"}}
	heavy.index()
	assert.False(t, heavy.everyKey)
}

// randomTree writes a nested value of random shape (every wire tag) to b.
func randomTree(rng *rand.Rand, b []byte, depth int) []byte {
	tags := []byte{tagEmpty, tagStr, tagBool, tagInt, tagDouble, tagBytes, tagArray, tagMap}
	if depth > 3 {
		tags = tags[:6]
	}
	switch tg := tags[rng.Intn(len(tags))]; tg {
	case tagEmpty:
		return append(b, tg)
	case tagStr:
		return append(b, strVal(strings.Repeat("ab", rng.Intn(4)))...)
	case tagBool:
		return append(b, tg, byte(rng.Intn(2)))
	case tagInt, tagDouble:
		return binary.LittleEndian.AppendUint64(append(b, tg), rng.Uint64())
	case tagBytes:
		n := rng.Intn(4)
		return append(u32b(append(b, tg), uint32(n)), make([]byte, n)...)
	case tagArray:
		n := rng.Intn(4)
		b = u32b(append(b, tg), uint32(n))
		for i := 0; i < n; i++ {
			b = randomTree(rng, b, depth+1)
		}
		return b
	default:
		n := rng.Intn(4)
		b = u32b(append(b, tg), uint32(n))
		for i := 0; i < n; i++ {
			b = append(u32b(b, 1), 'k')
			b = randomTree(rng, b, depth+1)
		}
		return b
	}
}

// Decode only checks a nested value, and apply builds it later from the same bytes: the
// check must accept exactly what the build reads without error, and end where it ends, or
// a response decode accepted could fail half applied. Valid trees, and trees with a byte
// changed, cut short, or nested too deep.
func TestNestedValueCheckAcceptsWhatTheBuildReads(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	accepted, refused := 0, 0
	for i := 0; i < 20000; i++ {
		b := randomTree(rng, nil, 0)
		switch i % 4 {
		case 1:
			b[rng.Intn(len(b))] = byte(rng.Intn(256))
		case 2:
			b = b[:rng.Intn(len(b))]
		case 3:
			for d := rng.Intn(3); d > 0; d-- {
				b = append(u32b([]byte{tagArray}, 1), b...)
			}
		}
		check := reader{b: b}
		check.tree(pcommon.Value{}, false, maxEditDepth-2)
		build := reader{b: b}
		v := pcommon.NewValueEmpty()
		build.tree(v, true, maxEditDepth-2)
		require.Equal(t, check.err == nil, build.err == nil, "% x", b)
		if check.err == nil {
			require.Equal(t, check.pos, build.pos, "% x", b)
			accepted++
		} else {
			refused++
		}
	}
	assert.Greater(t, accepted, 5000)
	assert.Greater(t, refused, 2000)
}
