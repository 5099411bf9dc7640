package pipeline

import (
	"math/rand"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// TestKeyedEditsMoveLikeTheyCopy applies random keyed sets and deletes (values that repeat
// the values of deleted keys, duplicated keys, keys set then deleted and the reverse) with
// applyItem, which moves a value a later delete drops instead of copying it, and with plain
// copies in order; the maps must end the same, order included.
func TestKeyedEditsMoveLikeTheyCopy(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	keys := []string{"a", "b", "c", "d", "e"}
	vals := []newValue{{tag: tagStr, s: "x"}, {tag: tagStr, s: "y"}, {tag: tagInt, i: 1}, {tag: tagInt, i: 2}, {tag: tagBool, b: true}}
	// spans from OTLP JSON, so a key can come twice as it can in a real batch
	spanWith := func(attrs string) ptrace.Span {
		td, err := (&ptrace.JSONUnmarshaler{}).UnmarshalTraces([]byte(`{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[` + attrs + `]}]}]}]}`))
		if err != nil {
			t.Fatal(err)
		}
		return td.ResourceSpans().At(0).ScopeSpans().At(0).Spans().At(0)
	}
	jsonVals := []string{`{"stringValue":"x"}`, `{"stringValue":"y"}`, `{"intValue":"1"}`, `{"intValue":"2"}`, `{"boolValue":true}`}
	for round := 0; round < 3000; round++ {
		var attrs []string
		for n := rng.Intn(6); n > 0; n-- {
			attrs = append(attrs, `{"key":"`+keys[rng.Intn(len(keys))]+`","value":`+jsonVals[rng.Intn(len(jsonVals))]+`}`)
		}
		span := spanWith(strings.Join(attrs, ","))
		src := pcommon.NewMap()
		span.Attributes().CopyTo(src)
		var edits []edit
		for n := rng.Intn(8); n > 0; n-- {
			e := edit{item: 0, sub: itemItself, key: keys[rng.Intn(len(keys))]}
			if rng.Intn(2) == 0 {
				e.op, e.val = opSetAttr, vals[rng.Intn(len(vals))]
			} else {
				e.op = opDeleteAttr
			}
			edits = append(edits, e)
		}
		tg := target{kind: kindSpan, attrs: span.Attributes(), span: span}
		applyItem(&Interest{}, &tg, edits, nil)

		want := pcommon.NewMap()
		src.CopyTo(want)
		for _, e := range edits {
			if e.op == opSetAttr {
				e.val.copyTo(want.PutEmpty(e.key), nil)
			} else {
				want.Remove(e.key)
			}
		}
		got := span.Attributes()
		if got.Len() != want.Len() {
			t.Fatalf("round %d: %v, want %v (edits %+v)", round, got.AsRaw(), want.AsRaw(), edits)
		}
		var gk, wk []string
		var gv, wv []any
		got.Range(func(k string, v pcommon.Value) bool { gk, gv = append(gk, k), append(gv, v.AsRaw()); return true })
		want.Range(func(k string, v pcommon.Value) bool { wk, wv = append(wk, k), append(wv, v.AsRaw()); return true })
		for i := range gk {
			if gk[i] != wk[i] || gv[i] != wv[i] {
				t.Fatalf("round %d: %v %v, want %v %v (src %v, edits %+v)", round, gk, gv, wk, wv, src.AsRaw(), edits)
			}
		}
	}
}
