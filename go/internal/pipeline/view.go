package pipeline

import (
	"encoding/binary"
	"math"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Value tags and item kinds of the wire format (rust/schema/src/wire.rs).
const (
	tagEmpty       = 0
	tagStr         = 1
	tagBool        = 2
	tagInt         = 3
	tagDouble      = 4
	tagBytes       = 5
	tagArray       = 6
	tagMap         = 7
	tagUnscannable = 8

	kindSpan         = 0
	kindLog          = 1
	kindSpanResource = 2
	kindLogResource  = 3

	// maxDepth is below the Rust decoder's limit (32): deeper values are sent as unscannable.
	maxDepth = 16
)

// encoder builds a request; buffers are reused across batches through a pool.
type encoder struct {
	buf   []byte
	count uint32
}

func (e *encoder) reset() {
	e.buf = append(e.buf[:0], 0, 0, 0, 0)
	e.count = 0
}

func (e *encoder) u32(v uint32) { e.buf = binary.LittleEndian.AppendUint32(e.buf, v) }

func (e *encoder) u64(v uint64) { e.buf = binary.LittleEndian.AppendUint64(e.buf, v) }

func (e *encoder) str(s string) {
	e.u32(uint32(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *encoder) patch(at int, v uint32) { binary.LittleEndian.PutUint32(e.buf[at:], v) }

func (e *encoder) value(v pcommon.Value, depth int) {
	if depth > maxDepth {
		e.buf = append(e.buf, tagUnscannable)
		return
	}
	switch v.Type() {
	case pcommon.ValueTypeStr:
		e.buf = append(e.buf, tagStr)
		e.str(v.Str())
	case pcommon.ValueTypeBool:
		b := byte(0)
		if v.Bool() {
			b = 1
		}
		e.buf = append(e.buf, tagBool, b)
	case pcommon.ValueTypeInt:
		e.buf = append(e.buf, tagInt)
		e.buf = binary.LittleEndian.AppendUint64(e.buf, uint64(v.Int()))
	case pcommon.ValueTypeDouble:
		e.buf = append(e.buf, tagDouble)
		e.buf = binary.LittleEndian.AppendUint64(e.buf, math.Float64bits(v.Double()))
	case pcommon.ValueTypeBytes:
		e.buf = append(e.buf, tagBytes)
		b := v.Bytes().AsRaw()
		e.u32(uint32(len(b)))
		e.buf = append(e.buf, b...)
	case pcommon.ValueTypeSlice:
		s := v.Slice()
		e.buf = append(e.buf, tagArray)
		e.u32(uint32(s.Len()))
		for i := 0; i < s.Len(); i++ {
			e.value(s.At(i), depth+1)
		}
	case pcommon.ValueTypeMap:
		e.buf = append(e.buf, tagMap)
		at := len(e.buf)
		e.u32(0)
		n := uint32(0)
		v.Map().Range(func(k string, mv pcommon.Value) bool {
			e.str(k)
			e.value(mv, depth+1)
			n++
			return true
		})
		e.patch(at, n)
	default:
		e.buf = append(e.buf, tagEmpty)
	}
}

// attrs writes the attributes the interest sends (without heavy ones for a satisfied item).
func (e *encoder) attrs(in *Interest, m pcommon.Map, satisfied bool) {
	at := len(e.buf)
	e.u32(0)
	n := uint32(0)
	m.Range(func(k string, v pcommon.Value) bool {
		if in.sends(k) && !(satisfied && in.heavy(k)) {
			e.str(k)
			e.value(v, 0)
			n++
		}
		return true
	})
	e.patch(at, n)
}

func (in *Interest) mapSelects(m pcommon.Map) bool {
	found := false
	m.Range(func(k string, _ pcommon.Value) bool {
		found = in.selects(k)
		return !found
	})
	return found
}

func (in *Interest) spanSelected(s ptrace.Span) bool {
	if in.AllItems || in.mapSelects(s.Attributes()) {
		return true
	}
	evs := s.Events()
	for i := 0; i < evs.Len(); i++ {
		if in.eventSelects(evs.At(i).Name()) {
			return true
		}
	}
	return false
}

func (in *Interest) logSelected(l plog.LogRecord) bool {
	return in.AllItems || in.eventSelects(l.EventName()) || in.mapSelects(l.Attributes())
}

func (e *encoder) span(in *Interest, idx uint32, s ptrace.Span) {
	e.buf = append(e.buf, kindSpan)
	e.u32(idx)
	e.u64(uint64(s.StartTimestamp()))
	e.str(s.Name())
	satisfied := in.satisfied(s.Attributes())
	e.attrs(in, s.Attributes(), satisfied)
	at := len(e.buf)
	e.u32(0)
	n := uint32(0)
	if in.Events && !satisfied {
		evs := s.Events()
		for i := 0; i < evs.Len(); i++ {
			ev := evs.At(i)
			if in.AllItems || in.eventSelects(ev.Name()) || in.mapSelects(ev.Attributes()) {
				e.u32(uint32(i))
				e.str(ev.Name())
				e.attrs(in, ev.Attributes(), false)
				n++
			}
		}
	}
	e.patch(at, n)
	e.buf = append(e.buf, tagEmpty)
	e.count++
}

func (e *encoder) log(in *Interest, idx uint32, l plog.LogRecord) {
	e.buf = append(e.buf, kindLog)
	e.u32(idx)
	ts := l.Timestamp()
	if ts == 0 {
		ts = l.ObservedTimestamp()
	}
	e.u64(uint64(ts))
	e.str(l.EventName())
	satisfied := in.satisfied(l.Attributes())
	e.attrs(in, l.Attributes(), satisfied)
	e.u32(0)
	if in.LogBodies && !satisfied {
		e.value(l.Body(), 0)
	} else {
		e.buf = append(e.buf, tagEmpty)
	}
	e.count++
}

// resource sends every attribute of a resource (for stages that asked for resources).
func (e *encoder) resource(kind byte, idx uint32, attrs pcommon.Map) {
	e.buf = append(e.buf, kind)
	e.u32(idx)
	e.u64(0)
	e.str("")
	at := len(e.buf)
	e.u32(0)
	n := uint32(0)
	attrs.Range(func(k string, v pcommon.Value) bool {
		e.str(k)
		e.value(v, 0)
		n++
		return true
	})
	e.patch(at, n)
	e.u32(0)
	e.buf = append(e.buf, tagEmpty)
	e.count++
}

func (e *encoder) finish() []byte {
	e.patch(0, e.count)
	return e.buf
}

// target is an item the edits can refer to.
type target struct {
	attrs  pcommon.Map
	events ptrace.SpanEventSlice // zero for log records
	log    plog.LogRecord        // zero for spans
	isLog  bool
	// isResource: a resource's attributes (no events, no body).
	isResource bool
}

// encodeTraces appends the selected spans and returns the targets in request order, and how
// many spans the batch had.
func (e *encoder) encodeTraces(in *Interest, td ptrace.Traces, targets []target) ([]target, int) {
	total := 0
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		if in.Resources {
			attrs := rss.At(i).Resource().Attributes()
			e.resource(kindSpanResource, uint32(len(targets)), attrs)
			targets = append(targets, target{attrs: attrs, isResource: true})
		}
		sss := rss.At(i).ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			spans := sss.At(j).Spans()
			total += spans.Len()
			for k := 0; k < spans.Len(); k++ {
				s := spans.At(k)
				if !in.spanSelected(s) {
					continue
				}
				e.span(in, uint32(len(targets)), s)
				targets = append(targets, target{attrs: s.Attributes(), events: s.Events()})
			}
		}
	}
	return targets, total
}

func (e *encoder) encodeLogs(in *Interest, ld plog.Logs, targets []target) ([]target, int) {
	total := 0
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		if in.Resources {
			attrs := rls.At(i).Resource().Attributes()
			e.resource(kindLogResource, uint32(len(targets)), attrs)
			targets = append(targets, target{attrs: attrs, isResource: true})
		}
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			recs := sls.At(j).LogRecords()
			total += recs.Len()
			for k := 0; k < recs.Len(); k++ {
				l := recs.At(k)
				if !in.logSelected(l) {
					continue
				}
				e.log(in, uint32(len(targets)), l)
				targets = append(targets, target{attrs: l.Attributes(), log: l, isLog: true})
			}
		}
	}
	return targets, total
}
