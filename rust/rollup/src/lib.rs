//! The `llm_rollup` stage: the totals of the LLM calls of an agent run, written onto the run's
//! root span and onto each agent or workflow span, from the calls beneath it.
//!
//! The Go processor holds the spans of a trace for a while (its `decision_wait`) and hands the
//! whole trace over at once, so a run spread over several requests and batches is summed in
//! one pass. The stage sees every span with its place in the trace (trace, span and parent
//! ids, end time, status: [`llmo_schema::view::Field`] 6-10) and the few keys it reads.
//!
//! What counts, once each:
//! - an LLM call is a span of a model operation (`chat`, `text_completion`,
//!   `generate_content`, `embeddings`, ...) or one without an operation that reports usage,
//!   unless it is flagged `llm_observatory.aggregate` (an agent or wrapper span repeating its
//!   children's usage, as `llm_enrichment` marks them): those are never summed;
//! - one model call traced twice, a call span directly beneath another (a framework's span
//!   around the client library's, Google ADK 1.x's `call_llm` around its `generate_content`;
//!   not through an agent, workflow or tool span), counts once: the outermost that reports
//!   usage (ADK's outer span has the thinking tokens its inner one lacks), or the outermost
//!   when none does;
//! - a tool call is a span of `execute_tool`;
//! - an error is a call or tool call with an error status or an `error.type`.
//!
//! Calls made inside tools count for every agent above the tool. Nested agents each get the
//! totals of everything beneath them, so an outer agent includes its inner agents' calls.

use std::collections::HashMap;

use llmo_schema::attrs as a;
use llmo_schema::edits::{Edits, NewValue, ITEM_ITSELF};
use llmo_schema::view::{Batch, Field, Item, ItemKind, Value};
use llmo_schema::{Interest, Stage};
use serde::{Deserialize, Serialize};

/// The keys the stage writes onto root, agent and workflow spans.
pub mod keys {
    /// `root`, `agent` or `workflow`: what the span is to the run.
    pub const ROLE: &str = "llm_observatory.run.role";
    /// LLM calls beneath (the root's own call included).
    pub const CALLS: &str = "llm_observatory.run.calls";
    /// Input tokens of those calls (cache included).
    pub const INPUT_TOKENS: &str = "llm_observatory.run.input_tokens";
    /// Output tokens (reasoning included).
    pub const OUTPUT_TOKENS: &str = "llm_observatory.run.output_tokens";
    /// Cache reads.
    pub const CACHE_READ_TOKENS: &str = "llm_observatory.run.cache_read_tokens";
    /// Cache writes.
    pub const CACHE_CREATION_TOKENS: &str = "llm_observatory.run.cache_creation_tokens";
    /// Reasoning tokens.
    pub const REASONING_TOKENS: &str = "llm_observatory.run.reasoning_tokens";
    /// Cost in USD of the priced calls (written when at least one is priced).
    pub const COST: &str = "llm_observatory.run.cost";
    /// Calls without a USD cost (unknown model, no usage, another currency).
    pub const UNPRICED_CALLS: &str = "llm_observatory.run.unpriced_calls";
    /// The weakest usage source among the calls: `reported`, `counted`, `estimated` or
    /// `missing` (a call with no usage at all).
    pub const USAGE_SOURCE: &str = "llm_observatory.run.usage_source";
    /// Tool calls beneath.
    pub const TOOL_CALLS: &str = "llm_observatory.run.tool_calls";
    /// Failed calls and tool calls beneath.
    pub const ERRORS: &str = "llm_observatory.run.errors";
    /// Start of the first call (Unix ns).
    pub const FIRST_CALL_START: &str = "llm_observatory.run.first_call_start";
    /// End of the last call (Unix ns).
    pub const LAST_CALL_END: &str = "llm_observatory.run.last_call_end";
}

/// Counter names the stage reports per batch.
pub mod counters {
    /// Spans written with run totals, labelled by role.
    pub const RUNS: &str = "runs";
    /// LLM calls summed into at least one run.
    pub const CALLS: &str = "calls";
    /// Spans whose parent chain loops back on itself (broken ids): summed up to the loop.
    pub const CYCLES: &str = "cycles";
    /// Spans sent without their place in the trace (a bug on the Go side; left alone).
    pub const NO_IDS: &str = "no_ids";
    /// Call spans not summed because another call span around or beneath them is the same
    /// call, traced twice.
    pub const NESTED_CALLS: &str = "nested_calls";
}

/// `llm_rollup` settings. The buffering ones are the Go processor's; they are parsed and
/// checked here so that every rule of the config lives in one place.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RollupConfig {
    /// How long the spans of a trace are held after its first span arrived, in nanoseconds
    /// (a Go `time.Duration`): spans arriving later pass through without totals.
    pub decision_wait: u64,
    /// Traces held at once; spans of further traces pass through without totals (counted).
    pub max_traces: u64,
    /// Spans held at once, over all traces (the memory bound); beyond it, as above.
    pub max_spans: u64,
}

impl Default for RollupConfig {
    fn default() -> Self {
        Self {
            decision_wait: 10_000_000_000,
            max_traces: 50_000,
            max_spans: 1_000_000,
        }
    }
}

pub use llmo_schema::config::ConfigError;

/// The stage.
pub struct Rollup {
    cfg: RollupConfig,
}

impl Rollup {
    /// Parses and checks the JSON config.
    pub fn from_json(json: &[u8]) -> Result<Self, ConfigError> {
        let cfg: RollupConfig = llmo_schema::config::from_json(json, &[])?;
        let invalid = |key, reason| Err(ConfigError::invalid(key, reason));
        if cfg.decision_wait == 0 {
            return invalid("decision_wait", "must be above 0");
        }
        if cfg.decision_wait > 3_600_000_000_000 {
            return invalid("decision_wait", "must be at most 1h");
        }
        if cfg.max_traces == 0 {
            return invalid("max_traces", "must be above 0");
        }
        if cfg.max_spans == 0 {
            return invalid("max_spans", "must be above 0");
        }
        Ok(Self { cfg })
    }

    /// The settings.
    pub fn config(&self) -> &RollupConfig {
        &self.cfg
    }
}

/// Model operations: a span of one of these is an LLM call.
const MODEL_OPERATIONS: &[&str] = &[
    "chat",
    "text_completion",
    "generate_content",
    "embeddings",
    "create_embeddings",
    "completion",
    "responses",
];

const TRACELOOP_KIND: &str = "traceloop.span.kind";
const OPENINFERENCE_KIND: &str = "openinference.span.kind";
const GEN_AI_AGENT_NAME: &str = "gen_ai.agent.name";
const ERROR_TYPE: &str = "error.type";
const STATUS_ERROR: u8 = 2;

impl Stage for Rollup {
    fn interest(&self) -> Interest {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        Interest {
            keys: s(&[
                a::GEN_AI_OPERATION_NAME,
                a::GEN_AI_USAGE_INPUT_TOKENS,
                a::GEN_AI_USAGE_OUTPUT_TOKENS,
                a::GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
                a::GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
                a::GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
                a::GEN_AI_USAGE_COST_AMOUNT,
                a::GEN_AI_USAGE_COST_CURRENCY,
                a::LLMO_AGGREGATE,
                a::LLMO_USAGE_SOURCE,
                TRACELOOP_KIND,
                OPENINFERENCE_KIND,
                GEN_AI_AGENT_NAME,
                ERROR_TYPE,
            ]),
            // every span: the spans between an agent and its calls (HTTP, tools, chains)
            // carry the parent links that connect them
            all_items: true,
            span_tree: true,
            ..Interest::default()
        }
    }

    fn process(&self, batch: &Batch<'_>, edits: &mut Edits) {
        roll_up(batch, edits);
    }
}

/// Where a call's usage came from, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
enum Source {
    #[default]
    Reported,
    Counted,
    Estimated,
    Missing,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::Reported => "reported",
            Source::Counted => "counted",
            Source::Estimated => "estimated",
            Source::Missing => "missing",
        }
    }
}

/// What a span is to the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Root,
    Agent,
    Workflow,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Root => "root",
            Role::Agent => "agent",
            Role::Workflow => "workflow",
        }
    }
}

/// The sums written onto a run span.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Totals {
    calls: i64,
    input: i64,
    output: i64,
    cache_read: i64,
    cache_creation: i64,
    reasoning: i64,
    cost: f64,
    priced: i64,
    source: Source,
    tools: i64,
    errors: i64,
    first_start: u64,
    last_end: u64,
}

impl Totals {
    fn add(&mut self, p: &Part) {
        if p.call {
            self.calls += 1;
            self.input += p.input;
            self.output += p.output;
            self.cache_read += p.cache_read;
            self.cache_creation += p.cache_creation;
            self.reasoning += p.reasoning;
            if let Some(c) = p.cost {
                self.cost += c;
                self.priced += 1;
            }
            self.source = self.source.max(p.source);
            if self.first_start == 0 || (p.start != 0 && p.start < self.first_start) {
                self.first_start = p.start;
            }
            self.last_end = self.last_end.max(p.end);
        } else {
            self.tools += 1;
        }
        self.errors += p.error as i64;
    }
}

/// What one call or tool call contributes.
#[derive(Debug, Clone, Copy, Default)]
struct Part {
    call: bool,
    input: i64,
    output: i64,
    cache_read: i64,
    cache_creation: i64,
    reasoning: i64,
    cost: Option<f64>,
    source: Source,
    error: bool,
    start: u64,
    end: u64,
}

struct Node {
    /// Position in the batch's items.
    item: usize,
    trace: [u8; 16],
    parent: Option<[u8; 8]>,
    role: Option<Role>,
    part: Option<Part>,
}

fn text<'a>(item: &Item<'a>, k: &str) -> Option<&'a str> {
    item.attr(k).and_then(Value::as_str)
}

fn tokens(item: &Item<'_>, k: &str) -> Option<i64> {
    match item.attr(k)? {
        Value::Int(i) if *i >= 0 && *i as u64 <= a::MAX_PLAUSIBLE_TOKENS => Some(*i),
        _ => None,
    }
}

fn ids<const N: usize>(item: &Item<'_>, f: Field) -> Option<[u8; N]> {
    item.field_bytes(f)?.try_into().ok()
}

fn role_of(item: &Item<'_>, root: bool) -> Option<Role> {
    if root {
        return Some(Role::Root);
    }
    let op = text(item, a::GEN_AI_OPERATION_NAME);
    let tl = text(item, TRACELOOP_KIND);
    let oi = text(item, OPENINFERENCE_KIND);
    if op == Some("invoke_agent") || op == Some("create_agent") || tl == Some("agent") {
        return Some(Role::Agent);
    }
    if oi.is_some_and(|k| k.eq_ignore_ascii_case("agent")) {
        return Some(Role::Agent);
    }
    if op == Some("invoke_workflow") || tl == Some("workflow") {
        return Some(Role::Workflow);
    }
    None
}

fn part_of(item: &Item<'_>, end: u64, status: u8) -> Option<Part> {
    let op = text(item, a::GEN_AI_OPERATION_NAME);
    let error = status == STATUS_ERROR || item.attr(ERROR_TYPE).is_some();
    if op == Some("execute_tool") {
        return Some(Part {
            error,
            ..Part::default()
        });
    }
    if matches!(item.attr(a::LLMO_AGGREGATE), Some(Value::Bool(true))) {
        return None;
    }
    let input = tokens(item, a::GEN_AI_USAGE_INPUT_TOKENS);
    let output = tokens(item, a::GEN_AI_USAGE_OUTPUT_TOKENS);
    let is_call = match op {
        Some(op) => MODEL_OPERATIONS.contains(&op),
        None => input.is_some() || output.is_some(),
    };
    if !is_call {
        return None;
    }
    let source = match text(item, a::LLMO_USAGE_SOURCE) {
        Some("counted") => Source::Counted,
        Some("estimated") => Source::Estimated,
        Some("reported") => Source::Reported,
        _ if input.is_some() || output.is_some() => Source::Reported,
        _ => Source::Missing,
    };
    let in_usd = matches!(
        text(item, a::GEN_AI_USAGE_COST_CURRENCY),
        None | Some("USD")
    );
    let cost = match item.attr(a::GEN_AI_USAGE_COST_AMOUNT) {
        Some(Value::Double(d)) if in_usd && d.is_finite() && *d >= 0.0 => Some(*d),
        Some(Value::Int(i)) if in_usd && *i >= 0 => Some(*i as f64),
        _ => None,
    };
    Some(Part {
        call: true,
        input: input.unwrap_or(0),
        output: output.unwrap_or(0),
        cache_read: tokens(item, a::GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS).unwrap_or(0),
        cache_creation: tokens(item, a::GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS).unwrap_or(0),
        reasoning: tokens(item, a::GEN_AI_USAGE_REASONING_OUTPUT_TOKENS).unwrap_or(0),
        cost,
        source,
        error,
        start: item.time_unix_nano,
        end,
    })
}

/// Sums every call and tool call of the batch into its root, agent and workflow ancestors.
fn roll_up(batch: &Batch<'_>, edits: &mut Edits) {
    let mut nodes: Vec<Node> = Vec::new();
    let mut by_id: HashMap<([u8; 16], [u8; 8]), usize> = HashMap::new();
    let mut no_ids = 0;
    for (i, item) in batch.items.iter().enumerate() {
        if item.kind != ItemKind::Span {
            continue;
        }
        let (Some(trace), Some(span), Some(parent)) = (
            ids::<16>(item, Field::TraceId),
            ids::<8>(item, Field::SpanId),
            ids::<8>(item, Field::ParentSpanId),
        ) else {
            no_ids += 1;
            continue;
        };
        let end = ids::<8>(item, Field::EndTime).map_or(0, u64::from_le_bytes);
        let status = item
            .field_bytes(Field::StatusCode)
            .and_then(|b| b.first().copied())
            .unwrap_or(0);
        let root = parent == [0; 8];
        // the first span with an id wins, as a backend would show one of them
        by_id.entry((trace, span)).or_insert(nodes.len());
        nodes.push(Node {
            item: i,
            trace,
            parent: (!root).then_some(parent),
            role: role_of(item, root),
            part: part_of(item, end, status),
        });
    }
    if no_ids > 0 {
        edits.count(counters::NO_IDS, no_ids);
    }
    let twice = traced_twice(&nodes, &by_id);
    let mut totals: Vec<Option<Totals>> = vec![None; nodes.len()];
    let (mut calls, mut cycles) = (0, 0);
    for (n, node) in nodes.iter().enumerate() {
        let Some(part) = &node.part else { continue };
        // the same call as another span of its chain: walked for broken ids, not summed
        let once = !twice[n];
        let mut summed = false;
        // a root call is part of its own run; an agent span is never a call
        if node.role == Some(Role::Root) && once {
            totals[n].get_or_insert_with(Totals::default).add(part);
            summed = true;
        }
        let mut cur = node.parent;
        let mut steps = 0;
        while let Some(p) = cur {
            let Some(&up) = by_id.get(&(node.trace, p)) else {
                break;
            };
            steps += 1;
            if up == n || steps > nodes.len() {
                cycles += 1;
                break;
            }
            if nodes[up].role.is_some() && once {
                totals[up].get_or_insert_with(Totals::default).add(part);
                summed = true;
            }
            cur = nodes[up].parent;
        }
        calls += (summed && part.call) as u64;
    }
    if cycles > 0 {
        edits.count(counters::CYCLES, cycles);
    }
    let nested = twice.iter().filter(|t| **t).count() as u64;
    if nested > 0 {
        edits.count(counters::NESTED_CALLS, nested);
    }
    if calls > 0 {
        edits.count(counters::CALLS, calls);
    }
    for (n, t) in totals.iter().enumerate() {
        let Some(t) = t else { continue };
        let node = &nodes[n];
        // a trace that is one call, or a root that is a call with nothing else beneath:
        // its own attributes say it all
        let own = node.part.as_ref().is_some_and(|p| p.call) as i64;
        if t.calls == own && t.tools == 0 {
            continue;
        }
        let role = node.role.expect("totals are kept for run spans only");
        write(edits, batch.items[node.item].index, role, t);
    }
}

/// The call spans that repeat another call span around or beneath them: of each chain of
/// calls nested directly (through plain spans such as HTTP clients, not through an agent,
/// workflow or tool span, under which a call is a call of its own) one is summed: the outermost
/// that reports usage, or the outermost when none does.
fn traced_twice(nodes: &[Node], by_id: &HashMap<([u8; 16], [u8; 8]), usize>) -> Vec<bool> {
    let call = |n: usize| nodes[n].part.as_ref().is_some_and(|p| p.call);
    let barrier = |n: usize| {
        matches!(nodes[n].role, Some(Role::Agent | Role::Workflow))
            || nodes[n].part.as_ref().is_some_and(|p| !p.call)
    };
    let reports = |n: usize| {
        nodes[n]
            .part
            .as_ref()
            .is_some_and(|p| p.call && p.source != Source::Missing)
    };
    // beneath a call, beneath one that reports; a call with a reporting call beneath it
    let mut below_call = vec![false; nodes.len()];
    let mut below_reporting = vec![false; nodes.len()];
    let mut covered = vec![false; nodes.len()];
    for n in 0..nodes.len() {
        if !call(n) {
            continue;
        }
        let mut cur = nodes[n].parent;
        let mut steps = 0;
        while let Some(p) = cur {
            let Some(&up) = by_id.get(&(nodes[n].trace, p)) else {
                break;
            };
            steps += 1;
            if up == n || steps > nodes.len() || barrier(up) {
                break;
            }
            if call(up) {
                below_call[n] = true;
                below_reporting[n] |= reports(up);
                covered[up] |= reports(n);
            }
            cur = nodes[up].parent;
        }
    }
    (0..nodes.len())
        .map(|n| call(n) && (below_reporting[n] || (!reports(n) && (covered[n] || below_call[n]))))
        .collect()
}

fn write(edits: &mut Edits, idx: u32, role: Role, t: &Totals) {
    let int = |edits: &mut Edits, k: &str, v: i64| {
        edits.set(idx, ITEM_ITSELF, k, NewValue::Int(v));
    };
    edits.set_str(idx, keys::ROLE, role.name());
    int(edits, keys::CALLS, t.calls);
    int(edits, keys::TOOL_CALLS, t.tools);
    int(edits, keys::ERRORS, t.errors);
    if t.calls > 0 {
        int(edits, keys::INPUT_TOKENS, t.input);
        int(edits, keys::OUTPUT_TOKENS, t.output);
        int(edits, keys::CACHE_READ_TOKENS, t.cache_read);
        int(edits, keys::CACHE_CREATION_TOKENS, t.cache_creation);
        int(edits, keys::REASONING_TOKENS, t.reasoning);
        int(edits, keys::UNPRICED_CALLS, t.calls - t.priced);
        edits.set_str(idx, keys::USAGE_SOURCE, t.source.name());
        if t.priced > 0 {
            edits.set(idx, ITEM_ITSELF, keys::COST, NewValue::Double(t.cost));
        }
        int(
            edits,
            keys::FIRST_CALL_START,
            t.first_start.min(i64::MAX as u64) as i64,
        );
        int(
            edits,
            keys::LAST_CALL_END,
            t.last_end.min(i64::MAX as u64) as i64,
        );
    }
    edits.count_by(counters::RUNS, role.name(), 1);
}

#[cfg(test)]
mod tests;
