// Package pipeline is the Go half of every LLM Observatory processor: it encodes the pruned
// batch view a Rust stage asked for, sends it through the bridge in one call, and applies the
// edits that come back to pdata in place. Detection logic stays in Rust.
package pipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// Interest mirrors rust/schema/src/interest.rs: which keys a stage reads.
type Interest struct {
	keys          map[string]struct{}
	prefixes      []string
	eventPrefixes []string
	contextKeys   map[string]struct{}
	skipKeys      map[string]struct{}
	skipPrefixes  []string
	// an item carrying every satisfied key is sent without heavy keys and events
	satisfiedKeys []string
	heavyKeys     map[string]struct{}
	heavyPrefixes []string
	// firstByte[b] is true when some selecting key or prefix starts with byte b, and
	// contextFirst likewise for context keys: most keys of ordinary spans (http.*, url.*,
	// db.*) are rejected by one lookup.
	firstByte     [256]bool
	contextFirst  [256]bool
	Events        bool
	LogBodies     bool
	AllAttributes bool
	AllItems      bool
	// Resources sends each resource, with all its attributes, as an item of its own.
	Resources bool
	// Strings sends every string of a selected item (status message, trace state, severity
	// text, schema URLs, links) and, with Resources, each scope as an item of its own.
	Strings bool
	// SpanTree sends each selected span's place in its trace (trace, span and parent ids, end
	// time, status code) as fields.
	SpanTree bool

	// classes caches what each key seen so far is (classify), so an attribute costs one map
	// lookup instead of a key lookup and prefix loops per question asked of it. Copy-on-write
	// like the intern table: readers never write shared memory; a new key (rare once a
	// pipeline has run a few batches) copies the map, which is bounded.
	classes   atomic.Pointer[map[string]keyClass]
	classesMu sync.Mutex
	// everyKey: every key selects and is sent, none is heavy (pii_redaction's interest):
	// no key needs a lookup.
	everyKey bool
}

// keyClass is what an attribute key is to a stage.
type keyClass uint8

const (
	classSelects keyClass = 1 << iota // makes an item interesting (selectsSlow)
	classSends                        // sent with a selected item (sendsSlow)
	classHeavy                        // sent only for unsatisfied items (heavySlow; set only on keys that are sent)
)

// maxClasses and maxClassKey bound the class cache (entries, key bytes): other keys are
// classified every time, so neither many distinct keys nor huge ones grow memory.
const (
	maxClasses  = 4096
	maxClassKey = 256
)

// wireInterest is the JSON form of rust/schema/src/interest.rs's Interest: the same field
// names, decoded strictly, so a field added on one side only fails at start-up.
type wireInterest struct {
	Keys          []string `json:"keys"`
	Prefixes      []string `json:"prefixes"`
	EventPrefixes []string `json:"event_prefixes"`
	ContextKeys   []string `json:"context_keys"`
	SkipKeys      []string `json:"skip_keys"`
	SkipPrefixes  []string `json:"skip_prefixes"`
	SatisfiedKeys []string `json:"satisfied_keys"`
	HeavyKeys     []string `json:"heavy_keys"`
	HeavyPrefixes []string `json:"heavy_prefixes"`
	Events        bool     `json:"events"`
	LogBodies     bool     `json:"log_bodies"`
	AllAttributes bool     `json:"all_attributes"`
	AllItems      bool     `json:"all_items"`
	Resources     bool     `json:"resources"`
	Strings       bool     `json:"strings"`
	SpanTree      bool     `json:"span_tree"`
}

func decodeInterest(b []byte) (*Interest, error) {
	var w wireInterest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return nil, fmt.Errorf("pipeline: the stage's interest set: %w", err)
	}
	set := func(keys []string) map[string]struct{} {
		m := make(map[string]struct{}, len(keys))
		for _, k := range keys {
			m[k] = struct{}{}
		}
		return m
	}
	in := &Interest{
		keys:          set(w.Keys),
		prefixes:      w.Prefixes,
		eventPrefixes: w.EventPrefixes,
		contextKeys:   set(w.ContextKeys),
		skipKeys:      set(w.SkipKeys),
		skipPrefixes:  w.SkipPrefixes,
		satisfiedKeys: w.SatisfiedKeys,
		heavyKeys:     set(w.HeavyKeys),
		heavyPrefixes: w.HeavyPrefixes,
		Events:        w.Events,
		LogBodies:     w.LogBodies,
		AllAttributes: w.AllAttributes,
		AllItems:      w.AllItems,
		Resources:     w.Resources,
		Strings:       w.Strings,
		SpanTree:      w.SpanTree,
	}
	in.index()
	return in, nil
}

// index builds the first-byte tables from the key lists.
func (in *Interest) index() {
	prefixes := append([]string{}, in.prefixes...)
	for k := range in.keys {
		prefixes = append(prefixes, k)
	}
	var context []string
	for k := range in.contextKeys {
		context = append(context, k)
	}
	markFirstBytes(&in.firstByte, prefixes)
	markFirstBytes(&in.contextFirst, context)
	in.everyKey = in.AllAttributes && in.AllItems && len(in.heavyKeys) == 0 && len(in.heavyPrefixes) == 0
}

func markFirstBytes(table *[256]bool, lists ...[]string) {
	for _, list := range lists {
		for _, k := range list {
			if k == "" { // an empty prefix matches every key
				for i := range table {
					table[i] = true
				}
				return
			}
			table[k[0]] = true
		}
	}
}

// class is what key is, from the cache when it was seen before. Keys whose first byte
// starts no key, prefix or context key of the stage (most keys of ordinary spans: http.*,
// url.*, db.*) are answered without a lookup.
func (in *Interest) class(key string) keyClass {
	if in.everyKey {
		return classSelects | classSends
	}
	if !in.AllAttributes && (key == "" || (!in.firstByte[key[0]] && !in.contextFirst[key[0]])) {
		if key == "" {
			return in.classify(key)
		}
		return 0
	}
	if m := in.classes.Load(); m != nil {
		if c, ok := (*m)[key]; ok {
			return c
		}
	}
	c := in.classify(key)
	in.remember(key, c)
	return c
}

func (in *Interest) remember(key string, c keyClass) {
	in.classesMu.Lock()
	defer in.classesMu.Unlock()
	old := in.classes.Load()
	n := 0
	if old != nil {
		if _, ok := (*old)[key]; ok {
			return
		}
		n = len(*old)
	}
	if n >= maxClasses || len(key) > maxClassKey {
		return
	}
	next := make(map[string]keyClass, n+1)
	if old != nil {
		for k, v := range *old {
			next[k] = v
		}
	}
	next[strings.Clone(key)] = c // the key may live in a batch that is about to be freed
	in.classes.Store(&next)
}

// classify answers every question about key the slow way; class caches it.
func (in *Interest) classify(key string) keyClass {
	var c keyClass
	if in.selectsSlow(key) {
		c |= classSelects
	}
	if in.sendsSlow(key) {
		c |= classSends
	}
	if c&classSends != 0 && in.heavySlow(key) {
		c |= classHeavy
	}
	return c
}

// selects reports whether an attribute key makes an item interesting.
func (in *Interest) selects(key string) bool { return in.class(key)&classSelects != 0 }

// sends reports whether an attribute of a selected item is sent.
func (in *Interest) sends(key string) bool { return in.class(key)&classSends != 0 }

func (in *Interest) heavy(key string) bool { return in.class(key)&classHeavy != 0 }

// selectsSlow is selects without the cache.
func (in *Interest) selectsSlow(key string) bool {
	if in.AllAttributes && in.AllItems {
		return true
	}
	if key == "" || !in.firstByte[key[0]] {
		return false
	}
	if _, ok := in.keys[key]; ok {
		return !in.skipped(key)
	}
	for _, p := range in.prefixes {
		if strings.HasPrefix(key, p) {
			return !in.skipped(key)
		}
	}
	return false
}

func (in *Interest) skipped(key string) bool {
	if _, ok := in.skipKeys[key]; ok {
		return true
	}
	for _, p := range in.skipPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// sendsSlow is sends without the cache.
func (in *Interest) sendsSlow(key string) bool {
	if in.AllAttributes || in.selectsSlow(key) {
		return true
	}
	if key == "" || !in.contextFirst[key[0]] {
		return false
	}
	_, ok := in.contextKeys[key]
	return ok
}

// satisfied reports whether an item carries every satisfied key as a positive integer
// (never, if there are none): a count of another type may be unusable, so the content the
// stage would count instead is sent.
func (in *Interest) satisfied(m pcommon.Map) bool {
	if len(in.satisfiedKeys) == 0 {
		return false
	}
	for _, k := range in.satisfiedKeys {
		// a zero count is no knowledge: an SDK writes 0 where the provider sent no usage
		if v, ok := m.Get(k); !ok || v.Type() != pcommon.ValueTypeInt || v.Int() <= 0 {
			return false
		}
	}
	return true
}

// heavySlow is heavy without the cache.
func (in *Interest) heavySlow(key string) bool {
	if _, ok := in.heavyKeys[key]; ok {
		return true
	}
	for _, p := range in.heavyPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

func (in *Interest) eventSelects(name string) bool {
	for _, p := range in.eventPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
