package pipeline

import (
	"encoding/binary"
	"math"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// maxDepth is below the Rust decoder's limit: deeper values are sent as unscannable. The wire
// constants (tags, kinds, fields, ops) are generated from Rust: zz_generated_contract.go.
const maxDepth = 16

// a maxDepth at or above the decoder's limit does not compile
var _ [wireMaxDepth - maxDepth - 1]struct{}

// encoder builds a request; buffers are reused across batches through a pool, and so are
// the targets and the decoded response of the batch.
type encoder struct {
	buf     []byte
	count   uint32
	targets []target
	resp    response
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

// sendMode says which attributes of a map are sent.
type sendMode byte

const (
	sendSelected sendMode = iota // those the interest sends
	sendLight                    // those, without heavy keys (an item whose usage is known)
	sendEvery                    // all (resources and scopes)
)

// sent reports whether attribute k of a map is sent. Positional edits count attributes with
// the same function, so the positions Rust sees are the positions Go applies.
func (in *Interest) sent(mode sendMode, k string) bool {
	switch mode {
	case sendEvery:
		return true
	case sendLight:
		return in.sends(k) && !in.heavy(k)
	default:
		return in.sends(k)
	}
}

// attrs writes the attributes of m that mode sends, in map order (duplicate keys included).
func (e *encoder) attrs(in *Interest, m pcommon.Map, mode sendMode) {
	at := len(e.buf)
	e.u32(0)
	n := uint32(0)
	m.Range(func(k string, v pcommon.Value) bool {
		if in.sent(mode, k) {
			e.str(k)
			e.value(v, 0)
			n++
		}
		return true
	})
	e.patch(at, n)
}

// field writes one string field if it is not empty, and returns how many it wrote.
func (e *encoder) field(code byte, s string) uint32 {
	if s == "" {
		return 0
	}
	e.buf = append(e.buf, code)
	e.str(s)
	return 1
}

// spanTree writes a span's place in its trace as raw-byte fields, and returns how many.
func (e *encoder) spanTree(s ptrace.Span) uint32 {
	sid, pid, tid := s.SpanID(), s.ParentSpanID(), s.TraceID()
	e.buf = append(e.buf, fieldSpanID)
	e.str(string(sid[:]))
	e.buf = append(e.buf, fieldParentSpanID)
	e.str(string(pid[:]))
	e.buf = append(e.buf, fieldTraceID)
	e.str(string(tid[:]))
	e.buf = append(e.buf, fieldEndTime)
	e.u32(8)
	e.u64(uint64(s.EndTimestamp()))
	e.buf = append(e.buf, fieldStatusCode)
	e.u32(1)
	e.buf = append(e.buf, byte(s.Status().Code()))
	return 5
}

// noFieldsOrLinks ends an item that sends neither.
func (e *encoder) noFieldsOrLinks() {
	e.u32(0)
	e.u32(0)
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
	return in.AllItems || in.eventSelects(eventName(l)) || in.mapSelects(l.Attributes())
}

// eventName is a log record's event name: its field, or the `event.name` attribute that SDKs
// wrote before the field existed (OpenTelemetry Python before 1.35, semconv 1.28-1.36 GenAI
// events from many instrumentations).
func eventName(l plog.LogRecord) string {
	if n := l.EventName(); n != "" {
		return n
	}
	if v, ok := l.Attributes().Get("event.name"); ok && v.Type() == pcommon.ValueTypeStr {
		return v.Str()
	}
	return ""
}

// span encodes a span and reports whether it was sent without its heavy keys.
func (e *encoder) span(in *Interest, idx uint32, s ptrace.Span) bool {
	e.buf = append(e.buf, kindSpan)
	e.u32(idx)
	e.u64(uint64(s.StartTimestamp()))
	e.str(s.Name())
	satisfied := in.satisfied(s.Attributes())
	e.attrs(in, s.Attributes(), itemMode(satisfied))
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
				e.attrs(in, ev.Attributes(), sendSelected)
				n++
			}
		}
	}
	e.patch(at, n)
	e.buf = append(e.buf, tagEmpty)
	if !in.Strings && !in.SpanTree {
		e.noFieldsOrLinks()
	} else {
		at = len(e.buf)
		e.u32(0)
		n = 0
		if in.Strings {
			n += e.field(fieldStatusMessage, s.Status().Message()) + e.field(fieldTraceState, s.TraceState().AsRaw())
		}
		if in.SpanTree {
			n += e.spanTree(s)
		}
		e.patch(at, n)
		if !in.Strings {
			e.u32(0) // links go with every string
		} else {
			links := s.Links()
			e.u32(uint32(links.Len()))
			for i := 0; i < links.Len(); i++ {
				l := links.At(i)
				e.u32(uint32(i))
				e.str(l.TraceState().AsRaw())
				e.attrs(in, l.Attributes(), sendSelected)
			}
		}
	}
	e.count++
	return satisfied
}

func itemMode(satisfied bool) sendMode {
	if satisfied {
		return sendLight
	}
	return sendSelected
}

// log encodes a log record and reports whether it was sent without its heavy keys.
func (e *encoder) log(in *Interest, idx uint32, l plog.LogRecord) bool {
	e.buf = append(e.buf, kindLog)
	e.u32(idx)
	ts := l.Timestamp()
	if ts == 0 {
		ts = l.ObservedTimestamp()
	}
	e.u64(uint64(ts))
	e.str(eventName(l))
	satisfied := in.satisfied(l.Attributes())
	e.attrs(in, l.Attributes(), itemMode(satisfied))
	e.u32(0)
	if in.LogBodies && !satisfied {
		e.value(l.Body(), 0)
	} else {
		e.buf = append(e.buf, tagEmpty)
	}
	if in.Strings {
		at := len(e.buf)
		e.u32(0)
		e.patch(at, e.field(fieldSeverityText, l.SeverityText()))
		e.u32(0)
	} else {
		e.noFieldsOrLinks()
	}
	e.count++
	return satisfied
}

// shared sends a resource or scope with every attribute (for stages that asked for
// resources): its name (a scope's), its schema URL and version when the stage asked for every
// string.
func (e *encoder) shared(in *Interest, kind byte, idx uint32, name, version, schemaURL string, attrs pcommon.Map) {
	e.buf = append(e.buf, kind)
	e.u32(idx)
	e.u64(0)
	e.str(name)
	e.attrs(in, attrs, sendEvery)
	e.u32(0)
	e.buf = append(e.buf, tagEmpty)
	if in.Strings {
		at := len(e.buf)
		e.u32(0)
		e.patch(at, e.field(fieldScopeVersion, version)+e.field(fieldSchemaURL, schemaURL))
		e.u32(0)
	} else {
		e.noFieldsOrLinks()
	}
	e.count++
}

func (e *encoder) finish() []byte {
	e.patch(0, e.count)
	return e.buf
}

// schemaHolder is a resource's or scope's container, whose schema URL edits may set.
type schemaHolder interface {
	SchemaUrl() string //nolint:revive // pdata's name
	SetSchemaUrl(string)
}

// target is an item the edits can refer to.
type target struct {
	kind  byte
	attrs pcommon.Map
	// mode is how the item's own attributes were sent (positional edits count with it).
	mode  sendMode
	span  ptrace.Span                  // kindSpan
	log   plog.LogRecord               // kindLog
	scope pcommon.InstrumentationScope // scope kinds
	// schema holds the schema URL of a resource or scope.
	schema schemaHolder
}

func (t *target) isSpan() bool { return t.kind == kindSpan }

// encodeTraces appends the selected spans and returns the targets in request order, and how
// many spans the batch had.
func (e *encoder) encodeTraces(in *Interest, td ptrace.Traces, targets []target) ([]target, int) {
	total := 0
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		rs := rss.At(i)
		if in.Resources {
			attrs := rs.Resource().Attributes()
			e.shared(in, kindSpanResource, uint32(len(targets)), "", "", rs.SchemaUrl(), attrs)
			targets = append(targets, target{kind: kindSpanResource, attrs: attrs, mode: sendEvery, schema: rs})
		}
		sss := rs.ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			ss := sss.At(j)
			if in.Resources && in.Strings {
				sc := ss.Scope()
				e.shared(in, kindSpanScope, uint32(len(targets)), sc.Name(), sc.Version(), ss.SchemaUrl(), sc.Attributes())
				targets = append(targets, target{kind: kindSpanScope, attrs: sc.Attributes(), mode: sendEvery, scope: sc, schema: ss})
			}
			spans := ss.Spans()
			total += spans.Len()
			for k := 0; k < spans.Len(); k++ {
				s := spans.At(k)
				if !in.spanSelected(s) {
					continue
				}
				satisfied := e.span(in, uint32(len(targets)), s)
				targets = append(targets, target{kind: kindSpan, attrs: s.Attributes(), mode: itemMode(satisfied), span: s})
			}
		}
	}
	return targets, total
}

func (e *encoder) encodeLogs(in *Interest, ld plog.Logs, targets []target) ([]target, int) {
	total := 0
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		rl := rls.At(i)
		if in.Resources {
			attrs := rl.Resource().Attributes()
			e.shared(in, kindLogResource, uint32(len(targets)), "", "", rl.SchemaUrl(), attrs)
			targets = append(targets, target{kind: kindLogResource, attrs: attrs, mode: sendEvery, schema: rl})
		}
		sls := rl.ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			sl := sls.At(j)
			if in.Resources && in.Strings {
				sc := sl.Scope()
				e.shared(in, kindLogScope, uint32(len(targets)), sc.Name(), sc.Version(), sl.SchemaUrl(), sc.Attributes())
				targets = append(targets, target{kind: kindLogScope, attrs: sc.Attributes(), mode: sendEvery, scope: sc, schema: sl})
			}
			recs := sl.LogRecords()
			total += recs.Len()
			for k := 0; k < recs.Len(); k++ {
				l := recs.At(k)
				if !in.logSelected(l) {
					continue
				}
				satisfied := e.log(in, uint32(len(targets)), l)
				targets = append(targets, target{kind: kindLog, attrs: l.Attributes(), mode: itemMode(satisfied), log: l})
			}
		}
	}
	return targets, total
}
