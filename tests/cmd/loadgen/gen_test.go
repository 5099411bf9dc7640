package main

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

func spansOf(td ptrace.Traces) ptrace.SpanSlice {
	return td.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
}

func TestMixOfOneBatch(t *testing.T) {
	g := NewGenerator(1)
	td, st := g.Traces(0, 512)
	if td.SpanCount() != 512 || st.Items != 512 {
		t.Fatalf("want 512 spans, got %d (stats %d)", td.SpanCount(), st.Items)
	}
	if want := 512 * 20 / 100; st.LLM != want {
		t.Fatalf("want %d LLM spans, got %d", want, st.LLM)
	}
	spans := spansOf(td)
	llm, convs := 0, map[string]int{}
	for i := 0; i < spans.Len(); i++ {
		a := spans.At(i).Attributes()
		k, _ := a.Get(AttrKind)
		if k.Str() == "llm" {
			llm++
			c, _ := a.Get(AttrConvention)
			convs[c.Str()]++
		} else if a.Len() < 10 {
			t.Errorf("span %d (%s) has %d attributes, want >= 10", i, k.Str(), a.Len())
		}
	}
	if llm != st.LLM {
		t.Fatalf("attribute count %d != stats %d", llm, st.LLM)
	}
	if len(convs) != int(numConventions) {
		t.Fatalf("want all %d conventions in one batch, got %v", numConventions, convs)
	}
	for c, n := range convs {
		if n < st.LLM/int(numConventions) {
			t.Errorf("convention %s under-represented: %d", c, n)
		}
	}
}

func TestDeterministic(t *testing.T) {
	m := &ptrace.ProtoMarshaler{}
	a, _ := NewGenerator(7).Traces(3, 512)
	b, _ := NewGenerator(7).Traces(3, 512)
	c, _ := NewGenerator(8).Traces(3, 512)
	ab, _ := m.MarshalTraces(a)
	bb, _ := m.MarshalTraces(b)
	cb, _ := m.MarshalTraces(c)
	if string(ab) != string(bb) {
		t.Fatal("same seed and batch index must give identical bytes")
	}
	if string(ab) == string(cb) {
		t.Fatal("different seeds should differ")
	}
}

var piiRe = regexp.MustCompile(`@example\.com|@corp\.example\.org|555-01|4111 1111 1111 1111|4012888888881881|sk-proj-|AKIA`)

func TestTextsAndPII(t *testing.T) {
	g := NewGenerator(1)
	var texts, pii int
	for b := 0; b < 20; b++ {
		td, st := g.Traces(b, 512)
		texts += st.Texts
		pii += st.PIITexts
		spans := spansOf(td)
		for i := 0; i < spans.Len(); i++ {
			a := spans.At(i).Attributes()
			k, _ := a.Get(AttrKind)
			if k.Str() != "llm" {
				continue
			}
			flag, _ := a.Get(AttrPII)
			found := false
			a.Range(func(_ string, v pcommon.Value) bool {
				s := v.AsString()
				if piiRe.MatchString(s) {
					found = true
				}
				return true
			})
			if found != flag.Bool() {
				t.Fatalf("batch %d span %d: pii flag %v but found=%v", b, i, flag.Bool(), found)
			}
		}
	}
	ratio := float64(pii) / float64(texts)
	if ratio < 0.07 || ratio > 0.13 {
		t.Fatalf("PII share of LLM texts = %.3f, want ~0.10", ratio)
	}
}

func TestTextSizes(t *testing.T) {
	g := NewGenerator(2)
	td, _ := g.Traces(0, 512)
	spans := spansOf(td)
	for i := 0; i < spans.Len(); i++ {
		a := spans.At(i).Attributes()
		c, ok := a.Get(AttrConvention)
		if !ok || c.Str() != ConvGenAINew.String() {
			continue
		}
		v, _ := a.Get("gen_ai.input.messages")
		var msgs []map[string]any
		if err := json.Unmarshal([]byte(v.Str()), &msgs); err != nil {
			t.Fatalf("gen_ai.input.messages is not JSON: %v", err)
		}
		if n := len(v.Str()); n < 1024 || n > 4096+512 {
			t.Fatalf("prompt JSON size %d out of range", n)
		}
	}
}

func TestLogs(t *testing.T) {
	ld, st := NewGenerator(1).Logs(0, 512)
	if ld.LogRecordCount() != 512 || st.LLM != 102 {
		t.Fatalf("logs: %d records, %d LLM", ld.LogRecordCount(), st.LLM)
	}
	lr := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	n := 0
	for i := 0; i < lr.Len(); i++ {
		if lr.At(i).EventName() == "gen_ai.client.inference.operation.details" {
			n++
			if len(lr.At(i).Body().Str()) < 1024 {
				t.Fatalf("LLM log body too short")
			}
		}
	}
	if n != 102 {
		t.Fatalf("want 102 LLM log records, got %d", n)
	}
}

func TestW1QuarterReportsNoUsage(t *testing.T) {
	g := NewGenerator(3)
	var llm, none int
	for b := 0; b < 8; b++ {
		td, st := g.Traces(b, 512)
		llm += st.LLM
		none += st.NoUsage
		spans := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
		n := 0
		for i := 0; i < spans.Len(); i++ {
			a := spans.At(i).Attributes()
			if v, ok := a.Get(AttrKind); !ok || v.Str() != "llm" {
				continue
			}
			has := false
			a.Range(func(k string, _ pcommon.Value) bool { has = has || usageKey(k); return !has })
			if !has {
				n++
			}
		}
		if n != st.NoUsage {
			t.Fatalf("batch %d: %d LLM spans without usage, stats say %d", b, n, st.NoUsage)
		}
	}
	if share := float64(none) / float64(llm); share < 0.2 || share > 0.3 {
		t.Fatalf("%d of %d LLM items without usage (%.2f), want about 0.25", none, llm, share)
	}
}

func TestW2ResendsTheConversation(t *testing.T) {
	g := NewGenerator(5).WithWorkload(W2)
	td, st := g.Traces(0, 512)
	if st.NoUsage != st.LLM || st.LLM != 102 {
		t.Fatalf("stats %+v: every W2 call must lack usage", st)
	}
	// the OpenLLMetry items of one conversation: a later turn starts with the earlier messages
	prompts := map[int64][]string{} // turn -> prompt contents
	spans := td.ResourceSpans().At(0).ScopeSpans().At(0).Spans()
	for i := 0; i < spans.Len(); i++ {
		a := spans.At(i).Attributes()
		c, ok := a.Get(AttrConversation)
		if !ok || c.Int() != 0 {
			continue
		}
		turn, _ := a.Get(AttrTurn)
		var ps []string
		for j := 0; ; j++ {
			v, ok := a.Get(fmt.Sprintf("gen_ai.prompt.%d.content", j))
			if !ok {
				break
			}
			ps = append(ps, v.Str())
		}
		if len(ps) > 0 {
			prompts[turn.Int()] = ps
		}
	}
	if len(prompts) < 2 {
		t.Fatalf("want OpenLLMetry items of several turns of conversation 0, got %d", len(prompts))
	}
	for t1, p1 := range prompts {
		for t2, p2 := range prompts {
			if t1 < t2 {
				if len(p2) != len(p1)+2*int(t2-t1) {
					t.Fatalf("turn %d has %d messages, turn %d has %d", t1, len(p1), t2, len(p2))
				}
				for k := range p1 {
					if p1[k] != p2[k] {
						t.Fatalf("message %d differs between turns %d and %d", k, t1, t2)
					}
				}
			}
		}
	}
}

func TestRetagMakesEveryTextNewAndKeepsTheResentHistory(t *testing.T) {
	g := NewGenerator(5).WithWorkload(W2)
	long := func(td ptrace.Traces) map[string]bool {
		out := map[string]bool{}
		spans := spansOf(td)
		for i := 0; i < spans.Len(); i++ {
			spans.At(i).Attributes().Range(func(k string, v pcommon.Value) bool {
				if len(v.Str()) >= 64 {
					out[v.Str()] = true
				}
				return true
			})
		}
		return out
	}
	td, _ := g.Traces(0, 512)
	before := long(td)
	RetagTraces(td, 0, 1)
	after := long(td)
	if len(after) != len(before) || len(before) < 100 {
		t.Fatalf("%d long texts before, %d after", len(before), len(after))
	}
	for s := range after {
		if before[s] {
			t.Fatalf("a text is the same in cycle 1: %.60q", s)
		}
		if !strings.Contains(s, CycleTag(1)) || strings.Contains(s, CycleTag(0)) {
			t.Fatalf("not retagged: %.60q", s)
		}
	}
	// the retagged batch is the cycle-0 batch with the tag changed, byte for byte
	td0, _ := g.Traces(0, 512)
	want := map[string]bool{}
	for s := range long(td0) {
		want[strings.ReplaceAll(s, CycleTag(0), CycleTag(1))] = true
	}
	for s := range after {
		if !want[s] {
			t.Fatalf("retagging changed more than the tag: %.60q", s)
		}
	}
	if CycleTag(0) == CycleTag(26) || CycleTag(1) == CycleTag(27) || len(CycleTag(1<<20)) != len(CycleTag(0)) {
		t.Fatal("cycle tags must differ and keep their length")
	}
	ld, _ := g.Logs(0, 512)
	RetagLogs(ld, 0, 3)
	lrs := ld.ResourceLogs().At(0).ScopeLogs().At(0).LogRecords()
	for i := 0; i < lrs.Len(); i++ {
		if b := lrs.At(i).Body().Str(); strings.Contains(b, CycleTag(0)) {
			t.Fatalf("log body not retagged: %.60q", b)
		}
	}
}
