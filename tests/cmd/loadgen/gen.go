package main

// W1 workload generator: batches of spans (or log records) of which exactly 20% are LLM
// calls in a rotating mix of instrumentation conventions, with 1-4 KB prompts/completions
// (~10% of them carrying PII), and 80% ordinary HTTP/DB items with ~10 attributes.
// Everything is derived from a seeded math/rand source, so a (seed, batch index) pair
// always yields the same data.

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand"
	"strings"
	"time"

	"go.opentelemetry.io/collector/pdata/pcommon"
	"go.opentelemetry.io/collector/pdata/plog"
	"go.opentelemetry.io/collector/pdata/ptrace"
)

// Convention identifies the instrumentation style an LLM item imitates.
type Convention int

const (
	ConvGenAINew Convention = iota
	ConvGenAIOld
	ConvOpenLLMetry
	ConvOpenInference
	ConvVercelAI
	numConventions
)

func (c Convention) String() string {
	switch c {
	case ConvGenAINew:
		return "genai_new"
	case ConvGenAIOld:
		return "genai_old"
	case ConvOpenLLMetry:
		return "openllmetry"
	case ConvOpenInference:
		return "openinference"
	case ConvVercelAI:
		return "vercel_ai"
	}
	return "unknown"
}

// LLMPercent is the share of LLM items in a batch; PIIPercent the share of LLM texts with PII.
const (
	LLMPercent = 20
	PIIPercent = 10
)

// Marker attribute put on every generated item so tests can tell generator output apart.
const (
	AttrKind       = "loadgen.kind"       // "llm" | "http" | "db"
	AttrConvention = "loadgen.convention" // Convention.String() on LLM items
	AttrPII        = "loadgen.pii"        // true when some text of the item contains PII
	// W2 only: the conversation an item belongs to and its turn.
	AttrConversation = "loadgen.conversation"
	AttrTurn         = "loadgen.turn"
)

// Stats describes what a generated batch contains.
type Stats struct {
	Items, LLM, PIITexts, Texts int
	NoUsage                     int // LLM items without reported usage
	ByConvention                [numConventions]int
}

// Workload names what the LLM items look like.
type Workload string

const (
	// W1: independent calls with 1-4 KB prompts and completions.
	W1 Workload = "w1"
	// W2: multi-turn conversations (agent loops, chats): each call resends the conversation
	// so far, 10-40 turns, and reports no usage, so every call needs counting.
	W2 Workload = "w2"
)

// DefaultNoUsagePercent is the share of W1 LLM items that report no usage: streaming calls
// made without include_usage are common, and token_counting must count them.
const DefaultNoUsagePercent = 25

type Generator struct {
	seed     int64
	workload Workload
	noUsage  int
}

// NewGenerator makes W1 with DefaultNoUsagePercent.
func NewGenerator(seed int64) *Generator {
	return &Generator{seed: seed, workload: W1, noUsage: DefaultNoUsagePercent}
}

// WithWorkload selects W1 or W2.
func (g *Generator) WithWorkload(w Workload) *Generator { g.workload = w; return g }

// WithNoUsagePercent sets the share of W1 LLM items without usage (W2 never has usage).
func (g *Generator) WithNoUsagePercent(p int) *Generator { g.noUsage = p; return g }

// usageKey tells the attributes an instrumentation writes only when the provider reported usage.
func usageKey(k string) bool {
	return strings.Contains(k, "usage") || strings.Contains(k, "token_count")
}

// withoutUsage drops the usage attributes, as when a streamed call reports none.
func (it *item) withoutUsage() {
	kept := it.attrs[:0]
	for _, a := range it.attrs {
		if !usageKey(a.k) {
			kept = append(kept, a)
		}
	}
	it.attrs = kept
}

// decide is a deterministic yes with probability pct/100 for (batch, index), drawn apart from
// the batch's random stream so turning it on does not change the rest of the data.
func (g *Generator) decide(b, i, pct int) bool {
	h := uint64(g.seed)*0x9e3779b97f4a7c15 ^ uint64(b)<<32 ^ uint64(i)
	h ^= h >> 31
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 29
	return int(h%100) < pct
}

var words = strings.Fields(`the a of to and in is that for it as with was on be by this are at from or an
which have not but had all were when there can more if will one about their what so out up them into
model prompt answer user system assistant please summarize explain translate list code function
request response error latency database query table index customer order invoice payment shipping
weather report market analysis quarterly revenue growth forecast risk compliance policy document
contract clause section review draft email meeting schedule project deadline team release feature`)

var providers = []string{"openai", "anthropic", "aws.bedrock", "gcp.vertex_ai", "azure.ai.openai", "mistral_ai", "groq"}
var models = map[string][]string{
	"openai":          {"gpt-4o", "gpt-4o-mini", "gpt-4.1", "o3-mini", "gpt-5"},
	"anthropic":       {"claude-sonnet-4-20250514", "claude-3-5-haiku-20241022", "claude-opus-4-1"},
	"aws.bedrock":     {"anthropic.claude-3-5-sonnet-20240620-v1:0", "meta.llama3-70b-instruct-v1:0"},
	"gcp.vertex_ai":   {"gemini-2.5-pro", "gemini-2.0-flash"},
	"azure.ai.openai": {"gpt-4o-2024-08-06", "gpt-35-turbo"},
	"mistral_ai":      {"mistral-large-latest", "open-mixtral-8x7b"},
	"groq":            {"llama-3.1-8b-instant"},
}

var piiSnippets = []string{
	"contact me at jane.doe@example.com",
	"my phone is +1 415-555-0132",
	"card 4111 1111 1111 1111 exp 12/29",
	"use key sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAB7cD0eF",
	"email john.smith+test@corp.example.org or call (212) 555-0199",
	"visa 4012888888881881 cvv 123",
	"AWS key AKIAIOSFODNN7EXAMPLE",
}

var httpRoutes = []string{"/api/v1/users", "/api/v1/orders", "/checkout", "/search", "/health", "/api/v2/items/{id}"}
var dbStatements = []string{
	"SELECT id, name, email FROM users WHERE id = ?",
	"UPDATE orders SET status = ? WHERE id = ?",
	"INSERT INTO events (ts, kind, payload) VALUES (?, ?, ?)",
	"SELECT count(*) FROM sessions WHERE expires_at > now()",
}

// item is one generated span/log record before it is written to pdata.
type item struct {
	name  string
	kind  string
	conv  Convention
	pii   bool
	body  string // log body (LLM: prompt text)
	attrs []kv
	texts int
}

type kv struct {
	k string
	v any // string, int64, float64, bool
}

func (it *item) add(k string, v any) { it.attrs = append(it.attrs, kv{k, v}) }

// batchRand returns the deterministic source for batch index b.
func (g *Generator) batchRand(b int) *rand.Rand {
	return rand.New(rand.NewSource(g.seed*1_000_003 + int64(b)))
}

// items builds the n items of batch b. Exactly n*LLMPercent/100 are LLM items, at
// positions chosen by a seeded shuffle; conventions rotate so the mix is even.
func (g *Generator) items(b, n int) ([]item, Stats) {
	r := g.batchRand(b)
	nLLM := n * LLMPercent / 100
	isLLM := make([]bool, n)
	for _, p := range r.Perm(n)[:nLLM] {
		isLLM[p] = true
	}
	var st Stats
	st.Items = n
	out := make([]item, n)
	llmIdx := 0
	for i := 0; i < n; i++ {
		if isLLM[i] {
			global := b*nLLM + llmIdx
			conv := Convention(global % int(numConventions))
			llmIdx++
			if g.workload == W2 {
				out[i] = g.turnItem(global, conv, &st)
			} else {
				out[i] = g.llmItem(r, conv, &st)
			}
			if g.workload == W2 || g.decide(b, i, g.noUsage) {
				out[i].withoutUsage()
				st.NoUsage++
			}
			st.LLM++
			st.ByConvention[conv]++
		} else {
			out[i] = g.plainItem(r)
		}
	}
	return out, st
}

// Every generated text starts with the tag of the cycle it is sent in (cycle 0 when made). A
// sender re-sends its pool of batches in cycles; Retag gives each cycle new texts, as real
// calls have (caches keyed by content must not see the same prompt again), while the messages
// a W2 conversation resends stay byte-identical within a cycle.
const cycleTagPrefix = "zqcyc"

// CycleTag is the tag of cycle c: the prefix and six letters (no digits, so no detector of
// ours sees a number in it).
func CycleTag(c int) string {
	b := []byte(cycleTagPrefix + "aaaaaa")
	for i := len(b) - 1; i >= len(cycleTagPrefix) && c > 0; i-- {
		b[i] = byte('a' + c%26)
		c /= 26
	}
	return string(b)
}

func text(r *rand.Rand, minB, maxB int, pii bool) string {
	target := minB + r.Intn(maxB-minB+1)
	var sb strings.Builder
	sb.Grow(target + 64)
	sb.WriteString(CycleTag(0))
	sb.WriteByte(' ')
	piiAt := -1
	if pii {
		piiAt = r.Intn(target)
	}
	for sb.Len() < target {
		if piiAt >= 0 && sb.Len() >= piiAt {
			sb.WriteString(piiSnippets[r.Intn(len(piiSnippets))])
			sb.WriteByte(' ')
			piiAt = -1
			continue
		}
		sb.WriteString(words[r.Intn(len(words))])
		if r.Intn(12) == 0 {
			sb.WriteString(". ")
		} else {
			sb.WriteByte(' ')
		}
	}
	if piiAt >= 0 { // the text ended before the insertion point
		sb.WriteString(piiSnippets[r.Intn(len(piiSnippets))])
	}
	return sb.String()
}

func (g *Generator) llmItem(r *rand.Rand, conv Convention, st *Stats) item {
	prov := providers[r.Intn(len(providers))]
	ms := models[prov]
	model := ms[r.Intn(len(ms))]
	respModel := model
	if r.Intn(3) == 0 {
		respModel = model + "-2025-01-01"
	}
	in := int64(50 + r.Intn(4000))
	out := int64(10 + r.Intn(1500))
	piiP := r.Intn(100) < PIIPercent
	piiC := r.Intn(100) < PIIPercent
	prompt := text(r, 1024, 4096, piiP)
	completion := text(r, 1024, 4096, piiC)
	sys := "You are a helpful assistant."
	it := item{kind: "llm", conv: conv, pii: piiP || piiC, body: prompt, texts: 2}
	st.Texts += 2
	if piiP {
		st.PIITexts++
	}
	if piiC {
		st.PIITexts++
	}
	msgsJSON := func(role, content string) string {
		b, _ := json.Marshal([]map[string]any{{"role": role, "parts": []map[string]any{{"type": "text", "content": content}}}})
		return string(b)
	}
	switch conv {
	case ConvGenAINew:
		it.name = "chat " + model
		it.add("gen_ai.provider.name", prov)
		it.add("gen_ai.operation.name", "chat")
		it.add("gen_ai.request.model", model)
		it.add("gen_ai.response.model", respModel)
		it.add("gen_ai.usage.input_tokens", in)
		it.add("gen_ai.usage.output_tokens", out)
		it.add("gen_ai.request.temperature", 0.2)
		it.add("gen_ai.request.max_tokens", int64(2048))
		it.add("gen_ai.response.finish_reasons", "stop")
		it.add("gen_ai.system_instructions", `[{"type":"text","content":"`+sys+`"}]`)
		it.add("gen_ai.input.messages", msgsJSON("user", prompt))
		it.add("gen_ai.output.messages", msgsJSON("assistant", completion))
	case ConvGenAIOld:
		it.name = "chat " + model
		it.add("gen_ai.system", prov)
		it.add("gen_ai.operation.name", "chat")
		it.add("gen_ai.request.model", model)
		it.add("gen_ai.response.model", respModel)
		it.add("gen_ai.usage.prompt_tokens", in)
		it.add("gen_ai.usage.completion_tokens", out)
		it.add("gen_ai.prompt", prompt)
		it.add("gen_ai.completion", completion)
	case ConvOpenLLMetry:
		it.name = prov + ".chat"
		it.add("gen_ai.system", prov)
		it.add("llm.request.type", "chat")
		it.add("gen_ai.request.model", model)
		it.add("gen_ai.response.model", respModel)
		it.add("gen_ai.prompt.0.role", "system")
		it.add("gen_ai.prompt.0.content", sys)
		it.add("gen_ai.prompt.1.role", "user")
		it.add("gen_ai.prompt.1.content", prompt)
		it.add("gen_ai.completion.0.role", "assistant")
		it.add("gen_ai.completion.0.content", completion)
		it.add("gen_ai.completion.0.finish_reason", "stop")
		it.add("gen_ai.usage.prompt_tokens", in)
		it.add("gen_ai.usage.completion_tokens", out)
		it.add("llm.usage.total_tokens", in+out)
	case ConvOpenInference:
		it.name = "ChatCompletion"
		it.add("openinference.span.kind", "LLM")
		it.add("llm.model_name", respModel)
		it.add("llm.provider", prov)
		it.add("llm.system", prov)
		it.add("llm.token_count.prompt", in)
		it.add("llm.token_count.completion", out)
		it.add("llm.token_count.total", in+out)
		it.add("llm.input_messages.0.message.role", "system")
		it.add("llm.input_messages.0.message.content", sys)
		it.add("llm.input_messages.1.message.role", "user")
		it.add("llm.input_messages.1.message.content", prompt)
		it.add("llm.output_messages.0.message.role", "assistant")
		it.add("llm.output_messages.0.message.content", completion)
		it.add("input.value", prompt)
		it.add("input.mime_type", "text/plain")
		it.add("output.value", completion)
		it.add("llm.invocation_parameters", `{"temperature":0.2}`)
	case ConvVercelAI:
		it.name = "ai.generateText.doGenerate"
		it.add("operation.name", "ai.generateText.doGenerate")
		it.add("ai.operationId", "ai.generateText.doGenerate")
		it.add("ai.model.id", model)
		it.add("ai.model.provider", prov+".chat")
		it.add("ai.usage.promptTokens", in)
		it.add("ai.usage.completionTokens", out)
		b, _ := json.Marshal([]map[string]any{
			{"role": "system", "content": sys},
			{"role": "user", "content": []map[string]string{{"type": "text", "text": prompt}}},
		})
		it.add("ai.prompt.messages", string(b))
		it.add("ai.response.text", completion)
		it.add("ai.response.finishReason", "stop")
		it.add("gen_ai.system", prov)
		it.add("gen_ai.request.model", model)
	}
	return it
}

func (g *Generator) plainItem(r *rand.Rand) item {
	if r.Intn(3) == 0 {
		st := dbStatements[r.Intn(len(dbStatements))]
		it := item{kind: "db", name: strings.Fields(st)[0] + " app", body: st}
		it.add("db.system", []string{"postgresql", "mysql", "redis"}[r.Intn(3)])
		it.add("db.namespace", "app")
		it.add("db.statement", st)
		it.add("db.operation.name", strings.Fields(st)[0])
		it.add("db.collection.name", "users")
		it.add("server.address", fmt.Sprintf("db-%d.internal", r.Intn(4)))
		it.add("server.port", int64(5432))
		it.add("network.peer.address", fmt.Sprintf("10.0.%d.%d", r.Intn(4), r.Intn(250)))
		it.add("db.response.returned_rows", int64(r.Intn(500)))
		it.add("thread.id", int64(r.Intn(64)))
		return it
	}
	route := httpRoutes[r.Intn(len(httpRoutes))]
	method := []string{"GET", "POST", "PUT", "DELETE"}[r.Intn(4)]
	status := []int64{200, 200, 200, 201, 204, 400, 404, 500}[r.Intn(8)]
	it := item{kind: "http", name: method + " " + route, body: method + " " + route}
	it.add("http.request.method", method)
	it.add("http.route", route)
	it.add("url.full", fmt.Sprintf("https://api.example.com%s?page=%d", route, r.Intn(20)))
	it.add("url.scheme", "https")
	it.add("http.response.status_code", status)
	it.add("server.address", "api.example.com")
	it.add("server.port", int64(443))
	it.add("client.address", fmt.Sprintf("192.0.2.%d", r.Intn(250)))
	it.add("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) loadgen/1.0")
	it.add("http.response.body.size", int64(r.Intn(100000)))
	return it
}

func putAttrs(m pcommon.Map, it *item) {
	m.EnsureCapacity(len(it.attrs) + 3)
	for _, a := range it.attrs {
		switch v := a.v.(type) {
		case string:
			m.PutStr(a.k, v)
		case int64:
			m.PutInt(a.k, v)
		case float64:
			m.PutDouble(a.k, v)
		case bool:
			m.PutBool(a.k, v)
		}
	}
	m.PutStr(AttrKind, it.kind)
	if it.kind == "llm" {
		m.PutStr(AttrConvention, it.conv.String())
		m.PutBool(AttrPII, it.pii)
	}
}

func putResource(res pcommon.Resource, b int) {
	ra := res.Attributes()
	ra.PutStr("service.name", fmt.Sprintf("w1-service-%d", b%4))
	ra.PutStr("service.version", "1.0.0")
	ra.PutStr("deployment.environment.name", "bench")
	ra.PutStr("telemetry.sdk.language", "go")
}

var baseTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// Traces builds batch b with n spans.
func (g *Generator) Traces(b, n int) (ptrace.Traces, Stats) {
	items, st := g.items(b, n)
	td := ptrace.NewTraces()
	rs := td.ResourceSpans().AppendEmpty()
	putResource(rs.Resource(), b)
	ss := rs.ScopeSpans().AppendEmpty()
	ss.Scope().SetName("github.com/llm-observatory/collector/tests/loadgen")
	spans := ss.Spans()
	spans.EnsureCapacity(n)
	r := g.batchRand(-b - 1)
	for i := range items {
		it := &items[i]
		sp := spans.AppendEmpty()
		sp.SetName(it.name)
		if it.kind == "llm" {
			sp.SetKind(ptrace.SpanKindClient)
		} else if it.kind == "http" {
			sp.SetKind(ptrace.SpanKindServer)
		} else {
			sp.SetKind(ptrace.SpanKindClient)
		}
		start := baseTime.Add(time.Duration(b)*time.Second + time.Duration(i)*time.Millisecond)
		sp.SetStartTimestamp(pcommon.NewTimestampFromTime(start))
		sp.SetEndTimestamp(pcommon.NewTimestampFromTime(start.Add(time.Duration(1+r.Intn(3000)) * time.Millisecond)))
		putAttrs(sp.Attributes(), it)
	}
	SetIDs(td, uint64(b)<<20)
	return td, st
}

// SetIDs assigns fresh trace/span ids derived from base: every 8 consecutive spans share a
// trace. Senders call it before re-sending a pooled batch so ids do not repeat.
func SetIDs(td ptrace.Traces, base uint64) {
	var tid [16]byte
	var sid [8]byte
	k := uint64(0)
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		sss := rss.At(i).ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			spans := sss.At(j).Spans()
			for s := 0; s < spans.Len(); s++ {
				binary.BigEndian.PutUint64(tid[0:8], base+k/8+1)
				binary.BigEndian.PutUint64(tid[8:16], 0x9e3779b97f4a7c15^(base+k/8))
				binary.BigEndian.PutUint64(sid[:], (base<<8)+k+1)
				spans.At(s).SetTraceID(tid)
				spans.At(s).SetSpanID(sid)
				k++
			}
		}
	}
}

// RetagTraces moves every text of td from cycle `from` to cycle `to` (see CycleTag).
func RetagTraces(td ptrace.Traces, from, to int) {
	old, tag := CycleTag(from), CycleTag(to)
	rss := td.ResourceSpans()
	for i := 0; i < rss.Len(); i++ {
		sss := rss.At(i).ScopeSpans()
		for j := 0; j < sss.Len(); j++ {
			spans := sss.At(j).Spans()
			for s := 0; s < spans.Len(); s++ {
				retag(spans.At(s).Attributes(), old, tag)
			}
		}
	}
}

// RetagLogs is RetagTraces for log records (attributes and bodies).
func RetagLogs(ld plog.Logs, from, to int) {
	old, tag := CycleTag(from), CycleTag(to)
	rls := ld.ResourceLogs()
	for i := 0; i < rls.Len(); i++ {
		sls := rls.At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				lr := lrs.At(k)
				retag(lr.Attributes(), old, tag)
				if b := lr.Body(); b.Type() == pcommon.ValueTypeStr && strings.Contains(b.Str(), old) {
					b.SetStr(strings.ReplaceAll(b.Str(), old, tag))
				}
			}
		}
	}
}

func retag(m pcommon.Map, old, tag string) {
	m.Range(func(_ string, v pcommon.Value) bool {
		if v.Type() == pcommon.ValueTypeStr && strings.Contains(v.Str(), old) {
			v.SetStr(strings.ReplaceAll(v.Str(), old, tag))
		}
		return true
	})
}

// Logs builds batch b with n log records (LLM records carry the prompt as body).
func (g *Generator) Logs(b, n int) (plog.Logs, Stats) {
	items, st := g.items(b, n)
	ld := plog.NewLogs()
	rl := ld.ResourceLogs().AppendEmpty()
	putResource(rl.Resource(), b)
	sl := rl.ScopeLogs().AppendEmpty()
	sl.Scope().SetName("github.com/llm-observatory/collector/tests/loadgen")
	lrs := sl.LogRecords()
	lrs.EnsureCapacity(n)
	for i := range items {
		it := &items[i]
		lr := lrs.AppendEmpty()
		ts := baseTime.Add(time.Duration(b)*time.Second + time.Duration(i)*time.Millisecond)
		lr.SetTimestamp(pcommon.NewTimestampFromTime(ts))
		lr.SetObservedTimestamp(pcommon.NewTimestampFromTime(ts))
		lr.SetSeverityNumber(plog.SeverityNumberInfo)
		lr.SetSeverityText("INFO")
		if it.kind == "llm" {
			lr.SetEventName("gen_ai.client.inference.operation.details")
		}
		lr.Body().SetStr(it.body)
		putAttrs(lr.Attributes(), it)
	}
	return ld, st
}

// W2 conversations: conversation c (40 consecutive LLM items) has 10-40 turns; the item at
// turn t sends the system prompt, every user and assistant message before it and the new user
// message, and carries the new assistant message as its completion. A message's text depends
// only on (seed, conversation, index), so it is resent byte for byte on every later turn.
const w2Slots = 40

type message struct{ role, content string }

func (g *Generator) conversation(c, upto int) []message {
	msgs := []message{{"system", "You are a helpful assistant that uses tools when needed."}}
	for j := 0; j <= upto; j++ {
		r := rand.New(rand.NewSource(g.seed*7_919 + int64(c)*1_000_003 + int64(j)))
		role, minB, maxB := "user", 100, 600
		if j%2 == 1 {
			role, minB, maxB = "assistant", 200, 1000
		}
		msgs = append(msgs, message{role, text(r, minB, maxB, r.Intn(100) < PIIPercent)})
	}
	return msgs
}

func (g *Generator) turnItem(global int, conv Convention, st *Stats) item {
	c := global / w2Slots
	turns := 10 + int(uint64(c)*0x9e3779b97f4a7c15>>40)%31
	t := (global % w2Slots) % turns
	all := g.conversation(c, 2*t+1) // ... user t, assistant t
	in, completion := all[:len(all)-1], all[len(all)-1].content
	prov := providers[c%len(providers)]
	model := models[prov][c%len(models[prov])]
	it := item{kind: "llm", conv: conv, body: in[len(in)-1].content, texts: len(all)}
	st.Texts += len(all)
	it.add(AttrConversation, int64(c))
	it.add(AttrTurn, int64(t))
	semconv := func(ms []message) string {
		parts := make([]map[string]any, len(ms))
		for i, m := range ms {
			parts[i] = map[string]any{"role": m.role, "parts": []map[string]any{{"type": "text", "content": m.content}}}
		}
		b, _ := json.Marshal(parts)
		return string(b)
	}
	switch conv {
	case ConvGenAINew, ConvGenAIOld:
		it.name = "chat " + model
		if conv == ConvGenAINew {
			it.add("gen_ai.provider.name", prov)
		} else {
			it.add("gen_ai.system", prov)
		}
		it.add("gen_ai.operation.name", "chat")
		it.add("gen_ai.request.model", model)
		it.add("gen_ai.input.messages", semconv(in))
		it.add("gen_ai.output.messages", semconv([]message{{"assistant", completion}}))
	case ConvOpenLLMetry:
		it.name = prov + ".chat"
		it.add("gen_ai.system", prov)
		it.add("llm.request.type", "chat")
		it.add("gen_ai.request.model", model)
		for i, m := range in {
			it.add(fmt.Sprintf("gen_ai.prompt.%d.role", i), m.role)
			it.add(fmt.Sprintf("gen_ai.prompt.%d.content", i), m.content)
		}
		it.add("gen_ai.completion.0.role", "assistant")
		it.add("gen_ai.completion.0.content", completion)
	case ConvOpenInference:
		it.name = "ChatCompletion"
		it.add("openinference.span.kind", "LLM")
		it.add("llm.model_name", model)
		it.add("llm.provider", prov)
		for i, m := range in {
			it.add(fmt.Sprintf("llm.input_messages.%d.message.role", i), m.role)
			it.add(fmt.Sprintf("llm.input_messages.%d.message.content", i), m.content)
		}
		it.add("llm.output_messages.0.message.role", "assistant")
		it.add("llm.output_messages.0.message.content", completion)
	case ConvVercelAI:
		it.name = "ai.streamText.doStream"
		it.add("operation.name", "ai.streamText.doStream")
		it.add("ai.model.id", model)
		it.add("ai.model.provider", prov+".chat")
		ms := make([]map[string]any, len(in))
		for i, m := range in {
			ms[i] = map[string]any{"role": m.role, "content": m.content}
		}
		b, _ := json.Marshal(ms)
		it.add("ai.prompt.messages", string(b))
		it.add("ai.response.text", completion)
		it.add("gen_ai.system", prov)
		it.add("gen_ai.request.model", model)
	}
	return it
}
