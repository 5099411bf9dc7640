package pipeline

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// contractSpan is the span rust/schema/tests/contract.rs encodes into
// testdata/contract/request.bin (pdata keeps the duplicate key as the wire does).
func contractSpan(t *testing.T) (ptrace.Traces, ptrace.Span) {
	td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces([]byte(`{"resourceSpans":[{"scopeSpans":[{"spans":[{
		"name":"chat","startTimeUnixNano":"1700000000000000000","traceState":"k=v",
		"status":{"message":"bad"},
		"attributes":[{"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o"}},
			{"key":"n","value":{"intValue":"3"}},
			{"key":"note","value":{"stringValue":"a"}},{"key":"note","value":{"stringValue":"b"}}],
		"events":[{"name":"ev","attributes":[{"key":"k","value":{"stringValue":"v"}}]}],
		"links":[{"traceState":"a=b","attributes":[{"key":"peer","value":{"stringValue":"p"}}]}]}]}]}]}`))
	require.NoError(t, err)
	return td, td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
}

func pairs(m pcommon.Map) []string {
	var out []string
	m.Range(func(k string, v pcommon.Value) bool {
		out = append(out, k+"="+v.AsString())
		return true
	})
	sort.Strings(out)
	return out
}

// The Go encoder writes, byte for byte, the request Rust's encoder writes for the same span,
// and the Go decoder applies every edit op of a response Rust wrote.
func TestWireConformsToRustVectors(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("testdata", "contract", "request.bin"))
	require.NoError(t, err)
	in := &Interest{AllItems: true, AllAttributes: true, Events: true, Strings: true}
	in.index()
	td, s := contractSpan(t)
	e := &encoder{}
	e.reset()
	targets, _ := e.encodeTraces(in, td, nil)
	assert.Equal(t, want, e.finish(), "request bytes differ from rust/schema/tests/contract.rs")

	b, err := os.ReadFile(filepath.Join("testdata", "contract", "response.bin"))
	require.NoError(t, err)
	resp, err := decodeResponse(b, targets, in)
	require.NoError(t, err)
	resp.apply(targets, in)
	assert.Equal(t, []string{"gen_ai.request.model=gpt-4o", "note=<B>", `x=["y","z"]`}, pairs(s.Attributes()))
	assert.Equal(t, "<N>", s.Name())
	assert.Equal(t, "<S>", s.Status().Message())
	assert.Equal(t, "k=v", s.TraceState().AsRaw())
	assert.Equal(t, "<E>", s.Events().At(0).Name())
	assert.Equal(t, []string{"k2=7", "k=v"}, pairs(s.Events().At(0).Attributes()))
	assert.Equal(t, []string{"peer=0.5"}, pairs(s.Links().At(0).Attributes()))
	assert.Equal(t, "a=c", s.Links().At(0).TraceState().AsRaw())
	assert.Equal(t, Counters{{Name: "redacted_values"}: 2, {Name: "findings", Label: "email"}: 3}, resp.counters)
}
