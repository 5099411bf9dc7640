package pipeline

import (
	"encoding/binary"
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/collector/pdata/pcommon"
)

// Edit operations (rust/schema/src/edits.rs). Numbers are never reused.
const (
	opSetAttr    = 1
	opDeleteAttr = 2
	opSetBody    = 3

	itemItself = math.MaxUint32

	// tagTree marks a decoded nested value; it never appears on the wire.
	tagTree = 0xff

	// maxEditDepth bounds nested edit values like the request's depth limit.
	maxEditDepth = 32
)

type newValue struct {
	tag byte
	s   string
	i   int64
	f   float64
	b   bool
	// tree holds a nested value (array, map, bytes, empty) decoded whole.
	tree *pcommon.Value
}

type edit struct {
	item, event uint32
	op          byte
	key         string
	val         newValue
}

// response is a fully decoded and checked response: nothing is applied until all of it is
// known to be valid, so a bad response leaves the batch unchanged.
type response struct {
	edits    []edit
	counters map[string]uint64
}

type reader struct {
	b   []byte
	pos int
	err error
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
// (attribute keys, providers, operations, model ids) repeat batch after batch and are interned.
func (r *reader) str() string {
	n := int(r.u32())
	if !r.need(n) {
		return ""
	}
	s := intern(r.b[r.pos : r.pos+n])
	r.pos += n
	return s
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
		v = r.wholeTree(at)
	default:
		if r.err == nil {
			r.err = fmt.Errorf("pipeline: unknown value tag %d at byte %d", v.tag, r.pos-1)
		}
	}
	return v
}

// wholeTree decodes the value starting at byte at as one nested pcommon value.
func (r *reader) wholeTree(at int) newValue {
	r.pos = at
	t := pcommon.NewValueEmpty()
	r.tree(t, 0)
	return newValue{tag: tagTree, tree: &t}
}

// tree decodes a value of any shape into dst.
func (r *reader) tree(dst pcommon.Value, depth int) {
	if depth > maxEditDepth {
		r.err = fmt.Errorf("pipeline: edit value nested deeper than %d at byte %d", maxEditDepth, r.pos)
		return
	}
	switch tg := r.u8(); tg {
	case tagEmpty:
	case tagStr:
		n := int(r.u32())
		if r.need(n) {
			dst.SetStr(string(r.b[r.pos : r.pos+n]))
			r.pos += n
		}
	case tagBool:
		dst.SetBool(r.u8() != 0)
	case tagInt:
		dst.SetInt(int64(r.u64()))
	case tagDouble:
		dst.SetDouble(math.Float64frombits(r.u64()))
	case tagBytes:
		n := int(r.u32())
		if r.need(n) {
			dst.SetEmptyBytes().FromRaw(r.b[r.pos : r.pos+n])
			r.pos += n
		}
	case tagArray:
		n := int(r.u32())
		if !r.need(n) { // every element takes at least one byte
			return
		}
		s := dst.SetEmptySlice()
		s.EnsureCapacity(n)
		for i := 0; i < n && r.err == nil; i++ {
			r.tree(s.AppendEmpty(), depth+1)
		}
	case tagMap:
		n := int(r.u32())
		if !r.need(n) {
			return
		}
		m := dst.SetEmptyMap()
		m.EnsureCapacity(n)
		for i := 0; i < n && r.err == nil; i++ {
			k := r.str()
			r.tree(m.PutEmpty(k), depth+1)
		}
	default:
		if r.err == nil {
			r.err = fmt.Errorf("pipeline: unknown value tag %d at byte %d", tg, r.pos-1)
		}
	}
}

func decodeResponse(b []byte, targets []target) (*response, error) {
	r := &reader{b: b}
	n := int(r.u32())
	resp := &response{edits: make([]edit, 0, n)}
	for i := 0; i < n && r.err == nil; i++ {
		e := edit{item: r.u32(), event: r.u32(), op: r.u8()}
		e.key = r.str()
		if e.op == opSetAttr || e.op == opSetBody {
			e.val = r.value()
		} else if e.op != opDeleteAttr && r.err == nil {
			r.err = fmt.Errorf("pipeline: unknown edit op %d", e.op)
		}
		if r.err != nil {
			break
		}
		if int(e.item) >= len(targets) {
			return nil, fmt.Errorf("pipeline: edit for item %d of %d", e.item, len(targets))
		}
		t := targets[e.item]
		if e.event != itemItself && (t.isLog || t.isResource || int(e.event) >= t.events.Len()) {
			return nil, fmt.Errorf("pipeline: edit for event %d of item %d which has none such", e.event, e.item)
		}
		if e.op == opSetBody && !t.isLog {
			return nil, fmt.Errorf("pipeline: body edit for item %d, which is not a log record", e.item)
		}
		resp.edits = append(resp.edits, e)
	}
	nc := int(r.u32())
	resp.counters = make(map[string]uint64, nc)
	for i := 0; i < nc && r.err == nil; i++ {
		k := r.str()
		resp.counters[k] += r.u64()
	}
	if r.err != nil {
		return nil, r.err
	}
	if r.pos != len(b) {
		return nil, fmt.Errorf("pipeline: %d trailing bytes in response", len(b)-r.pos)
	}
	return resp, nil
}

func (v newValue) copyTo(dst pcommon.Value) {
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
		v.tree.CopyTo(dst)
	}
}

func (resp *response) apply(targets []target) {
	// Grow each item's attribute map once instead of once per new key.
	for i := 0; i < len(resp.edits); {
		j, sets := i, 0
		for ; j < len(resp.edits) && resp.edits[j].item == resp.edits[i].item; j++ {
			if resp.edits[j].op == opSetAttr && resp.edits[j].event == itemItself {
				sets++
			}
		}
		t := targets[resp.edits[i].item]
		t.attrs.EnsureCapacity(t.attrs.Len() + sets)
		i = j
	}
	for _, e := range resp.edits {
		t := targets[e.item]
		attrs := t.attrs
		if e.event != itemItself {
			attrs = t.events.At(int(e.event)).Attributes()
		}
		switch e.op {
		case opSetAttr:
			e.val.copyTo(attrs.PutEmpty(e.key))
		case opDeleteAttr:
			attrs.Remove(e.key)
		case opSetBody:
			e.val.copyTo(t.log.Body())
		}
	}
}
