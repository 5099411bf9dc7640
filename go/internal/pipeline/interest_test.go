package pipeline

import (
	"math/rand"
	"testing"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// TestKeyClassCacheMatchesSlowPath compares what the cached classes answer (first-byte
// shortcut, cache hit, cache miss, cache full) with the uncached predicates, over random keys
// built from the interest's own keys and prefixes, their edits, and random text.
func TestKeyClassCacheMatchesSlowPath(t *testing.T) {
	interests := map[string]*Interest{
		"enrichment-like": {
			keys:          map[string]struct{}{"acme.model": {}, "x": {}},
			prefixes:      []string{"gen_ai.", "llm.", "ai.", "input.value"},
			contextKeys:   map[string]struct{}{"server.address": {}},
			skipKeys:      map[string]struct{}{"gen_ai.prompt": {}, "ai.prompt": {}},
			skipPrefixes:  []string{"gen_ai.prompt.", "llm.input_messages."},
			heavyKeys:     map[string]struct{}{"gen_ai.input.messages": {}, "server.address": {}},
			heavyPrefixes: []string{"gen_ai.completion.", "llm.output"},
		},
		"all-attributes": {
			prefixes:      []string{"gen_ai."},
			heavyKeys:     map[string]struct{}{"http.body": {}},
			AllAttributes: true,
		},
		"everything":   {AllItems: true, AllAttributes: true},
		"empty-prefix": {prefixes: []string{""}, skipPrefixes: []string{"gen_ai.prompt"}},
	}
	words := []string{"gen_ai.", "prompt", "prompt.", "llm.", "input_messages.", "output", "ai.", "acme.model",
		"server.address", "input.value", "x", ".", "completion.", "http.body", "messages", "0", "s"}
	rng := rand.New(rand.NewSource(1))
	randomKey := func() string {
		switch rng.Intn(4) {
		case 0: // random bytes, first ones included
			b := make([]byte, rng.Intn(12))
			for i := range b {
				b[i] = byte(rng.Intn(256))
			}
			return string(b)
		default: // glued pieces of the interest's own vocabulary
			k := ""
			for n := rng.Intn(4); n >= 0; n-- {
				k += words[rng.Intn(len(words))]
			}
			if rng.Intn(5) == 0 && k != "" {
				k = k[:rng.Intn(len(k))]
			}
			return k
		}
	}
	for name, in := range interests {
		in.index()
		for i := 0; i < 6000; i++ {
			k := randomKey()
			if i == 3000 { // the cache full: every later key is classified each time
				in.classesMu.Lock()
				full := make(map[string]keyClass, maxClasses)
				for j := 0; j < maxClasses; j++ {
					full[string(rune(0x4e00+j))] = 0
				}
				in.classes.Store(&full)
				in.classesMu.Unlock()
			}
			for pass := 0; pass < 2; pass++ { // a miss, then (below the bound) a hit
				if got, want := in.selects(k), in.selectsSlow(k); got != want {
					t.Fatalf("%s: selects(%q) = %v, want %v", name, k, got, want)
				}
				if got, want := in.sends(k), in.sendsSlow(k); got != want {
					t.Fatalf("%s: sends(%q) = %v, want %v", name, k, got, want)
				}
				if got, want := in.sent(sendLight, k), in.sendsSlow(k) && !in.heavySlow(k); got != want {
					t.Fatalf("%s: sent(light, %q) = %v, want %v", name, k, got, want)
				}
			}
		}
	}
}

// TestSatisfiedNeedsPositiveCounts: an item is satisfied (its content not sent) only by
// positive integer counts; the zeros an SDK writes when the provider sent no usage, and counts
// of other types, leave it unsatisfied.
func TestSatisfiedNeedsPositiveCounts(t *testing.T) {
	in := &Interest{satisfiedKeys: []string{"in", "out"}}
	for _, c := range []struct {
		in, out any
		want    bool
	}{
		{int64(1234), int64(56), true},
		{int64(0), int64(0), false},
		{int64(1234), int64(0), false},
		{int64(-1), int64(56), false},
		{"1234", int64(56), false},
		{nil, int64(56), false},
	} {
		m := pcommon.NewMap()
		for k, v := range map[string]any{"in": c.in, "out": c.out} {
			if v != nil {
				_ = m.PutEmpty(k).FromRaw(v)
			}
		}
		if got := in.satisfied(m); got != c.want {
			t.Errorf("in=%v out=%v: satisfied = %v, want %v", c.in, c.out, got, c.want)
		}
	}
}
