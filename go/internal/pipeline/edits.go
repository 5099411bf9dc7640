package pipeline

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

const (
	// tagTree marks a decoded nested value; it never appears on the wire.
	tagTree = 0xff

	// maxEditDepth bounds nested edit values like the request's depth limit.
	maxEditDepth = wireMaxDepth
)

type newValue struct {
	tag byte
	s   string
	i   int64
	f   float64
	b   bool
	// at is where a nested value (array, map, bytes, empty) starts in the response: checked
	// whole when decoded, built straight into its destination when applied.
	at int
	// intern says whether the strings inside a nested value are interned (see reader.str).
	intern bool
}

type edit struct {
	item, sub uint32
	op        byte
	field     byte
	pos       uint32
	key       string
	val       newValue
}

// response is a fully decoded and checked response: nothing is applied until all of it is
// known to be valid, so a bad response leaves the batch unchanged.
type response struct {
	edits    []edit
	counters Counters
	// b is the response bytes the edits were decoded from, which apply builds nested values
	// from: apply must run while they live (the bridge frees them when its callback returns).
	b []byte
}

// Counter names one series of a stage's counts: a name, and a label (empty, or the dimension
// the count is by: a PII type, a model id).
type Counter struct {
	Name, Label string
}

// Counters are a batch's counts by Counter.
type Counters map[Counter]uint64

// Get is the count of the unlabelled counter name.
func (c Counters) Get(name string) uint64 { return c[Counter{Name: name}] }

// Labels calls f with each label of counter name and its count.
func (c Counters) Labels(name string, f func(label string, n uint64)) {
	for k, n := range c {
		if k.Name == name && k.Label != "" {
			f(k.Label, n)
		}
	}
}

type reader struct {
	b   []byte
	pos int
	err error
	// noIntern copies strings instead of interning them (user text a stage rewrote)
	noIntern bool
}

func (r *reader) need(n int) bool {
	if r.err == nil && len(r.b)-r.pos < n {
		r.err = fmt.Errorf("pipeline: response truncated at byte %d", r.pos)
	}
	return r.err == nil
}

func (r *reader) u8() byte {
	if !r.need(1) {
		return 0
	}
	v := r.b[r.pos]
	r.pos++
	return v
}

func (r *reader) u32() uint32 {
	if !r.need(4) {
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b[r.pos:])
	r.pos += 4
	return v
}

func (r *reader) u64() uint64 {
	if !r.need(8) {
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b[r.pos:])
	r.pos += 8
	return v
}

// str copies: the response lives in Rust memory that is freed after decoding. Short strings
// (attribute keys, providers, operations, model ids) repeat batch after batch and are interned;
// text a stage rewrote (redacted values) is not, unless r.intern says so.
func (r *reader) str() string {
	n := int(r.u32())
	if !r.need(n) {
		return ""
	}
	var s string
	if r.noIntern {
		s = string(r.b[r.pos : r.pos+n])
	} else {
		s = intern(r.b[r.pos : r.pos+n])
	}
	r.pos += n
	return s
}

// skipStr passes over a string, checking only that it is all there.
func (r *reader) skipStr() {
	if n := int(r.u32()); r.need(n) {
		r.pos += n
	}
}

const (
	internMaxLen     = 96
	internMaxEntries = 4096
)

// internTable is copy-on-write: readers do one atomic load and never write shared memory,
// so concurrent batches do not contend on it; writers (rare: a new key or model) copy.
var (
	internTable atomic.Pointer[map[string]string]
	internMu    sync.Mutex
)

func intern(b []byte) string {
	if len(b) > internMaxLen {
		return string(b)
	}
	if m := internTable.Load(); m != nil {
		if s, ok := (*m)[string(b)]; ok { // no allocation for the lookup
			return s
		}
	}
	s := string(b)
	internMu.Lock()
	defer internMu.Unlock()
	old := internTable.Load()
	n := 0
	if old != nil {
		n = len(*old)
	}
	if n >= internMaxEntries {
		return s
	}
	next := make(map[string]string, n+1)
	if old != nil {
		for k, v := range *old {
			next[k] = v
		}
	}
	next[s] = s
	internTable.Store(&next)
	return s
}

func (r *reader) value() newValue {
	at := r.pos
	v := newValue{tag: r.u8()}
	switch v.tag {
	case tagStr:
		v.s = r.str()
	case tagInt:
		v.i = int64(r.u64())
	case tagDouble:
		v.f = math.Float64frombits(r.u64())
	case tagBool:
		v.b = r.u8() != 0
	case tagEmpty, tagBytes, tagArray, tagMap:
		r.pos = at
		r.tree(pcommon.Value{}, false, 0)
		v = newValue{tag: tagTree, at: at, intern: !r.noIntern}
	default:
		if r.err == nil {
			r.err = fmt.Errorf("pipeline: unknown value tag %d at byte %d", v.tag, r.pos-1)
		}
	}
	return v
}

// tree reads a value of any shape, building it into dst when build is set and only checking
// it otherwise (decode checks every nested value whole before anything is applied, apply
// builds it in place: no intermediate value to copy).
func (r *reader) tree(dst pcommon.Value, build bool, depth int) {
	if depth > maxEditDepth {
		r.err = fmt.Errorf("pipeline: edit value nested deeper than %d at byte %d", maxEditDepth, r.pos)
		return
	}
	switch tg := r.u8(); tg {
	case tagEmpty:
		if build && dst.Type() != pcommon.ValueTypeEmpty {
			pcommon.NewValueEmpty().CopyTo(dst) // a dropped body
		}
	case tagStr:
		if !build {
			r.skipStr()
		} else {
			dst.SetStr(r.str())
		}
	case tagBool:
		b := r.u8() != 0
		if build {
			dst.SetBool(b)
		}
	case tagInt:
		i := int64(r.u64())
		if build {
			dst.SetInt(i)
		}
	case tagDouble:
		f := math.Float64frombits(r.u64())
		if build {
			dst.SetDouble(f)
		}
	case tagBytes:
		n := int(r.u32())
		if r.need(n) {
			if build {
				dst.SetEmptyBytes().FromRaw(r.b[r.pos : r.pos+n])
			}
			r.pos += n
		}
	case tagArray:
		n := int(r.u32())
		if !r.need(n) { // every element takes at least one byte
			return
		}
		if !build {
			for i := 0; i < n && r.err == nil; i++ {
				r.tree(dst, false, depth+1)
			}
			return
		}
		s := dst.SetEmptySlice()
		s.EnsureCapacity(n)
		for i := 0; i < n && r.err == nil; i++ {
			r.tree(s.AppendEmpty(), true, depth+1)
		}
	case tagMap:
		n := int(r.u32())
		if !r.need(n) {
			return
		}
		if !build {
			for i := 0; i < n && r.err == nil; i++ {
				r.skipStr()
				r.tree(dst, false, depth+1)
			}
			return
		}
		m := dst.SetEmptyMap()
		m.EnsureCapacity(n)
		for i := 0; i < n && r.err == nil; i++ {
			k := r.str()
			r.tree(m.PutEmpty(k), true, depth+1)
		}
	default:
		if r.err == nil {
			r.err = fmt.Errorf("pipeline: unknown value tag %d at byte %d", tg, r.pos-1)
		}
	}
}

func decodeResponse(b []byte, targets []target, in *Interest) (*response, error) {
	resp := &response{}
	if err := resp.decode(b, targets, in); err != nil {
		return nil, err
	}
	return resp, nil
}

// reset empties the response for reuse, keeping its edit slice (the pipeline reuses one
// response per pooled encoder, so a batch's edits cost no allocation).
func (resp *response) reset() {
	clear(resp.edits) // drop the strings and trees they hold
	resp.edits = resp.edits[:0]
	resp.counters = nil
	resp.b = nil
}

// decode reads and checks a whole response into resp (reusing its edit slice).
func (resp *response) decode(b []byte, targets []target, in *Interest) error {
	resp.reset()
	resp.b = b
	r := &reader{b: b}
	n := int(r.u32())
	if !r.need(n) { // an edit takes more than one byte
		return r.err
	}
	resp.edits = slices.Grow(resp.edits, n)
	var c sentCounter
	for i := 0; i < n && r.err == nil; i++ {
		e := edit{item: r.u32(), sub: r.u32(), op: r.u8()}
		switch e.op {
		case opSetAttr, opSetBody:
			e.key = r.str()
			e.val = r.value()
		case opDeleteAttr:
			e.key = r.str()
		case opSetAttrAt:
			e.pos = r.u32()
			r.noIntern = true
			e.val = r.value()
			r.noIntern = false
		case opDeleteAttrAt:
			e.pos = r.u32()
		case opSetField:
			e.field = r.u8()
			r.noIntern = true
			e.val = newValue{tag: tagStr, s: r.str()}
			r.noIntern = false
		default:
			if r.err == nil {
				r.err = fmt.Errorf("pipeline: unknown edit op %d", e.op)
			}
		}
		if r.err != nil {
			break
		}
		if err := e.check(targets, in, &c); err != nil {
			return err
		}
		// an item's edits are applied together (positions name the map as it was sent)
		if k := len(resp.edits); k > 0 && e.item < resp.edits[k-1].item {
			return fmt.Errorf("pipeline: edit for item %d after item %d: edits must come in item order", e.item, resp.edits[k-1].item)
		}
		resp.edits = append(resp.edits, e)
	}
	nc := int(r.u32())
	if !r.need(nc * 16) { // a counter takes at least 16 bytes
		return r.err
	}
	resp.counters = make(Counters, nc)
	for i := 0; i < nc && r.err == nil; i++ {
		k := Counter{Name: r.str(), Label: r.str()}
		resp.counters[k] += r.u64()
	}
	if r.err != nil {
		return r.err
	}
	if r.pos != len(b) {
		return fmt.Errorf("pipeline: %d trailing bytes in response", len(b)-r.pos)
	}
	return nil
}

// check reports an edit that does not fit the batch.
func (e *edit) check(targets []target, in *Interest, c *sentCounter) error {
	if int(e.item) >= len(targets) {
		return fmt.Errorf("pipeline: edit for item %d of %d", e.item, len(targets))
	}
	t := &targets[e.item]
	if e.sub != itemItself {
		i, n := int(e.sub), 0
		if t.isSpan() {
			n = t.span.Events().Len()
		}
		if e.sub&linkBit != 0 {
			i, n = int(e.sub&^linkBit), 0
			if t.isSpan() {
				n = t.span.Links().Len()
			}
		}
		if i >= n {
			return fmt.Errorf("pipeline: edit for event or link %#x of item %d which has none such", e.sub, e.item)
		}
	}
	switch e.op {
	case opSetBody:
		if t.kind != kindLog || e.sub != itemItself {
			return fmt.Errorf("pipeline: body edit for item %d, which is not a log record", e.item)
		}
	case opSetAttrAt, opDeleteAttrAt:
		if n := c.count(targets, in, e.item, e.sub); e.pos >= n {
			return fmt.Errorf("pipeline: edit for attribute %d of %d sent (item %d, sub %#x)", e.pos, n, e.item, e.sub)
		}
	case opSetField:
		if !t.hasField(e.sub, e.field) {
			return fmt.Errorf("pipeline: item %d (kind %d, sub %#x) has no field %d", e.item, t.kind, e.sub, e.field)
		}
	}
	return nil
}

// sentCounter counts the attributes sent of the map an edit names, once per run of edits
// to the same map (a stage's edits to one map are consecutive).
type sentCounter struct {
	item, sub uint32
	n         uint32
	valid     bool
}

func (c *sentCounter) count(targets []target, in *Interest, item, sub uint32) uint32 {
	if !c.valid || c.item != item || c.sub != sub {
		m, mode := targets[item].attrMap(sub)
		n := uint32(0)
		m.Range(func(k string, _ pcommon.Value) bool {
			if in.sent(mode, k) {
				n++
			}
			return true
		})
		*c = sentCounter{item: item, sub: sub, n: n, valid: true}
	}
	return c.n
}

// attrMap is the attribute map an edit's sub names, and how it was sent.
func (t *target) attrMap(sub uint32) (pcommon.Map, sendMode) {
	switch {
	case sub == itemItself:
		return t.attrs, t.mode
	case sub&linkBit != 0:
		return t.span.Links().At(int(sub &^ linkBit)).Attributes(), sendSelected
	default:
		return t.span.Events().At(int(sub)).Attributes(), sendSelected
	}
}

// hasField reports whether the item (or its event or link) has the string field.
func (t *target) hasField(sub uint32, f byte) bool {
	switch {
	case sub&linkBit != 0 && sub != itemItself:
		return f == fieldTraceState
	case sub != itemItself:
		return f == fieldName
	}
	switch t.kind {
	case kindSpan:
		return f == fieldName || f == fieldStatusMessage || f == fieldTraceState
	case kindLog:
		return f == fieldName || f == fieldSeverityText
	case kindSpanResource, kindLogResource:
		return f == fieldSchemaURL
	default: // scopes
		return f == fieldName || f == fieldScopeVersion || f == fieldSchemaURL
	}
}

func (t *target) setField(sub uint32, f byte, s string) {
	switch {
	case sub&linkBit != 0 && sub != itemItself:
		t.span.Links().At(int(sub &^ linkBit)).TraceState().FromRaw(s)
	case sub != itemItself:
		t.span.Events().At(int(sub)).SetName(s)
	case f == fieldSchemaURL:
		t.schema.SetSchemaUrl(s)
	case t.kind == kindSpan:
		switch f {
		case fieldName:
			t.span.SetName(s)
		case fieldStatusMessage:
			t.span.Status().SetMessage(s)
		default:
			t.span.TraceState().FromRaw(s)
		}
	case t.kind == kindLog:
		if f == fieldName {
			t.log.SetEventName(s)
		} else {
			t.log.SetSeverityText(s)
		}
	default:
		if f == fieldName {
			t.scope.SetName(s)
		} else {
			t.scope.SetVersion(s)
		}
	}
}

// copyTo sets dst to the value; b is the response it was decoded from (a nested value is
// built from it).
func (v newValue) copyTo(dst pcommon.Value, b []byte) {
	switch v.tag {
	case tagStr:
		dst.SetStr(v.s)
	case tagInt:
		dst.SetInt(v.i)
	case tagDouble:
		dst.SetDouble(v.f)
	case tagBool:
		dst.SetBool(v.b)
	case tagTree:
		r := reader{b: b, pos: v.at, noIntern: !v.intern}
		r.tree(dst, true, 0) // checked whole by decode
	}
}

func (resp *response) apply(targets []target, in *Interest) {
	for i := 0; i < len(resp.edits); {
		j := i
		for j < len(resp.edits) && resp.edits[j].item == resp.edits[i].item {
			j++
		}
		applyItem(in, &targets[resp.edits[i].item], resp.edits[i:j], resp.b)
		i = j
	}
}

func skipGroup(edits []edit, idx []int, g int, sub uint32) int {
	for g < len(idx) && edits[idx[g]].sub == sub {
		g++
	}
	return g
}

// applyItem applies one item's edits: positional sets first, then positional deletes (which
// move later attributes), then the rest in order, so positions name the map as it was sent.
func applyItem(in *Interest, t *target, edits []edit, b []byte) {
	var sets, deletes []int
	adds := 0
	for i := range edits {
		switch edits[i].op {
		case opSetAttrAt:
			sets = append(sets, i)
		case opDeleteAttrAt:
			deletes = append(deletes, i)
		case opSetAttr:
			if edits[i].sub == itemItself {
				adds++
			}
		}
	}
	byMapAndPos := func(a, b int) int {
		ea, eb := &edits[a], &edits[b]
		if ea.sub != eb.sub {
			return cmp.Compare(ea.sub, eb.sub)
		}
		return cmp.Compare(ea.pos, eb.pos)
	}
	slices.SortStableFunc(sets, byMapAndPos)
	for g := 0; g < len(sets); {
		sub := edits[sets[g]].sub
		m, mode := t.attrMap(sub)
		pos := uint32(0)
		m.Range(func(k string, v pcommon.Value) bool {
			if !in.sent(mode, k) {
				return true
			}
			for g < len(sets) && edits[sets[g]].sub == sub && edits[sets[g]].pos == pos {
				edits[sets[g]].val.copyTo(v, b)
				g++
			}
			pos++
			return g < len(sets) && edits[sets[g]].sub == sub
		})
		g = skipGroup(edits, sets, g, sub) // checked positions are all found; never loop
	}
	slices.SortStableFunc(deletes, byMapAndPos)
	for g := 0; g < len(deletes); {
		sub := edits[deletes[g]].sub
		m, mode := t.attrMap(sub)
		pos := uint32(0)
		m.RemoveIf(func(k string, _ pcommon.Value) bool {
			if !in.sent(mode, k) {
				return false
			}
			hit := false
			for g < len(deletes) && edits[deletes[g]].sub == sub && edits[deletes[g]].pos == pos {
				hit = true
				g++
			}
			pos++
			return hit
		})
		g = skipGroup(edits, deletes, g, sub)
	}
	// Grow the item's attribute map once instead of once per new key, to a power of two as
	// append does: the next stage of ours adds its keys to the same items (cost after
	// tokens after enrichment), and then finds room instead of copying the map again.
	if adds > 0 {
		t.attrs.EnsureCapacity(roomFor(t.attrs.Len() + adds))
	}
	var srcs renames
	srcs.collect(t.attrs, edits)
	for i := range edits {
		e := &edits[i]
		switch e.op {
		case opSetAttr:
			if e.sub == itemItself {
				srcs.set(t.attrs, edits, i, b)
				continue
			}
			m, _ := t.attrMap(e.sub)
			e.val.copyTo(m.PutEmpty(e.key), b)
		case opDeleteAttr:
			m, _ := t.attrMap(e.sub)
			m.Remove(e.key)
			if e.sub == itemItself {
				srcs.drop(e.key)
			}
		case opSetBody:
			e.val.copyTo(t.log.Body(), b)
		case opSetField:
			t.setField(e.sub, e.field, e.val.s)
		}
	}
}

// roomFor is the capacity an attribute map grows to when it must hold n: the next power of
// two, at least 16.
func roomFor(n int) int {
	return max(16, 1<<bits.Len(uint(n-1)))
}

// renames are the values an item's keyed deletes are about to drop. A keyed set of the same
// value (a stage moving a source attribute to its normalized name) takes the value over
// instead of allocating a copy: the map ends the same, the value moved is removed anyway.
type renames struct {
	n    int
	srcs [8]renameSrc
}

type renameSrc struct {
	key  string
	at   int // the delete's position among the item's edits
	val  newValue
	used bool
}

// collect notes the string and int values the item's own keyed deletes will remove (the
// first delete of each key: a later one may remove a duplicate with another value).
func (r *renames) collect(m pcommon.Map, edits []edit) {
	for i := range edits {
		e := &edits[i]
		if e.op != opDeleteAttr || e.sub != itemItself || r.n == len(r.srcs) || r.has(e.key) {
			continue
		}
		v, ok := uniqueValue(m, e.key)
		if !ok {
			continue
		}
		src := renameSrc{key: e.key, at: i}
		switch v.Type() {
		case pcommon.ValueTypeStr:
			src.val = newValue{tag: tagStr, s: v.Str()}
		case pcommon.ValueTypeInt:
			src.val = newValue{tag: tagInt, i: v.Int()}
		default:
			continue
		}
		r.srcs[r.n] = src
		r.n++
	}
}

// uniqueValue is the value of key when the map holds it exactly once: which copy of a
// duplicated key a delete removes depends on the order other deletes leave the map in.
func uniqueValue(m pcommon.Map, key string) (pcommon.Value, bool) {
	var v pcommon.Value
	n := 0
	m.Range(func(k string, mv pcommon.Value) bool {
		if k == key {
			v = mv
			n++
		}
		return n < 2
	})
	return v, n == 1
}

func (r *renames) has(key string) bool {
	for j := 0; j < r.n; j++ {
		if r.srcs[j].key == key {
			return true
		}
	}
	return false
}

// drop forgets the value of a key once it is deleted or set: it is no longer the value noted.
func (r *renames) drop(key string) {
	for j := 0; j < r.n; j++ {
		if r.srcs[j].key == key {
			r.srcs[j].used = true
		}
	}
}

// set applies keyed set edits[i] to the item's own attributes m, moving a value that a later
// delete of the item removes when it is the same value.
func (r *renames) set(m pcommon.Map, edits []edit, i int, b []byte) {
	e := &edits[i]
	r.drop(e.key)
	for j := 0; j < r.n; j++ {
		src := &r.srcs[j]
		if src.used || src.at < i || src.val.tag != e.val.tag || src.val.s != e.val.s || src.val.i != e.val.i {
			continue
		}
		dst := m.PutEmpty(e.key)
		if v, ok := m.Get(src.key); ok { // after PutEmpty, which may have moved the map
			src.used = true
			v.MoveTo(dst)
			return
		}
		e.val.copyTo(dst, b)
		return
	}
	e.val.copyTo(m.PutEmpty(e.key), b)
}
