use std::collections::HashMap;

use llmo_schema::edits::decode_response;
use llmo_schema::encoder::Encoder;
use llmo_schema::view::{Batch, Field, ItemKind};
use llmo_schema::Stage;
use proptest::prelude::*;
use serde_json::{json, Value as Json};

use super::*;

/// A span of a test trace: ids are small numbers, 0 = no parent.
#[derive(Debug, Clone)]
struct S {
    trace: u8,
    id: u8,
    parent: u8,
    name: &'static str,
    attrs: Vec<(&'static str, Json)>,
    start: u64,
    end: u64,
    status: u8,
}

fn span(id: u8, parent: u8, name: &'static str, attrs: &[(&'static str, Json)]) -> S {
    S {
        trace: 1,
        id,
        parent,
        name,
        attrs: attrs.to_vec(),
        start: 1_000 * id as u64,
        end: 1_000 * id as u64 + 500,
        status: 0,
    }
}

fn call(id: u8, parent: u8, input: i64, output: i64, cost: f64) -> S {
    span(
        id,
        parent,
        "chat gpt-4o",
        &[
            ("gen_ai.operation.name", json!("chat")),
            ("gen_ai.usage.input_tokens", json!(input)),
            ("gen_ai.usage.output_tokens", json!(output)),
            ("gen_ai.usage.cost.amount", json!(cost)),
        ],
    )
}

fn encode(spans: &[S]) -> Vec<u8> {
    let mut enc = Encoder::new();
    for (i, s) in spans.iter().enumerate() {
        enc.begin_item_at(ItemKind::Span, s.name, i as u32, s.start);
        for (k, v) in &s.attrs {
            enc.attr_json(k, v);
        }
        enc.begin_events(0);
        let mut trace = [0u8; 16];
        trace[15] = s.trace;
        let (mut id, mut parent) = ([0u8; 8], [0u8; 8]);
        id[7] = s.id;
        parent[7] = s.parent;
        let end = s.end.to_le_bytes();
        let status = [s.status];
        enc.end_item_parts(
            &[llmo_schema::wire::tag::EMPTY],
            &[
                (Field::TraceId, &trace),
                (Field::SpanId, &id),
                (Field::ParentSpanId, &parent),
                (Field::EndTime, &end),
                (Field::StatusCode, &status),
            ],
            &[],
        );
    }
    enc.finish()
}

/// The attributes written per span, by position.
type Written = HashMap<u32, HashMap<String, Json>>;

/// The attributes written per span (by position), and the counters.
fn run(spans: &[S]) -> (Written, Vec<(String, u64)>) {
    let req = encode(spans);
    let mut edits = Edits::new();
    Rollup::from_json(b"")
        .unwrap()
        .process(&Batch::decode(&req).unwrap(), &mut edits);
    let (edits, counters) = decode_response(&edits.finish()).unwrap();
    let mut out: HashMap<u32, HashMap<String, Json>> = HashMap::new();
    for e in edits {
        assert_eq!(e.event, ITEM_ITSELF);
        out.entry(e.item)
            .or_default()
            .insert(e.key, e.value.unwrap_or_default());
    }
    (out, counters)
}

#[test]
fn nested_agents_and_calls_inside_tools() {
    // root (HTTP) -> planner agent (repeats its children's usage) -> chat, tool -> chat
    //                                                            -> researcher agent -> chat
    let agent = |id, parent, name| {
        span(
            id,
            parent,
            name,
            &[
                ("gen_ai.operation.name", json!("invoke_agent")),
                ("gen_ai.agent.name", json!(name)),
                ("gen_ai.usage.input_tokens", json!(999_999)),
                ("llm_observatory.aggregate", json!(true)),
            ],
        )
    };
    let tool = span(
        4,
        2,
        "execute_tool search",
        &[("gen_ai.operation.name", json!("execute_tool"))],
    );
    let mut failed = call(7, 6, 10, 0, 0.0);
    failed.status = 2;
    let spans = vec![
        span(1, 0, "POST /run", &[("http.request.method", json!("POST"))]),
        agent(2, 1, "planner"),
        call(3, 2, 1000, 100, 0.0035),
        tool,
        call(5, 4, 200, 20, 0.0007),
        agent(6, 2, "researcher"),
        failed,
    ];
    let (out, counters) = run(&spans);
    let root = &out[&0];
    assert_eq!(root["llm_observatory.run.role"], json!("root"));
    assert_eq!(root["llm_observatory.run.calls"], json!(3));
    assert_eq!(root["llm_observatory.run.input_tokens"], json!(1210));
    assert_eq!(root["llm_observatory.run.output_tokens"], json!(120));
    assert_eq!(root["llm_observatory.run.tool_calls"], json!(1));
    assert_eq!(root["llm_observatory.run.errors"], json!(1));
    let cost = root["llm_observatory.run.cost"].as_f64().unwrap();
    assert!((cost - 0.0042).abs() < 1e-15, "{cost}");
    assert_eq!(root["llm_observatory.run.first_call_start"], json!(3000));
    assert_eq!(root["llm_observatory.run.last_call_end"], json!(7500));
    // the planner includes the call made inside its tool and its inner agent's
    assert_eq!(out[&1]["llm_observatory.run.role"], json!("agent"));
    assert_eq!(out[&1]["llm_observatory.run.calls"], json!(3));
    assert_eq!(out[&1]["llm_observatory.run.input_tokens"], json!(1210));
    // the researcher only its own
    assert_eq!(out[&5]["llm_observatory.run.calls"], json!(1));
    assert_eq!(out[&5]["llm_observatory.run.input_tokens"], json!(10));
    assert_eq!(out[&5]["llm_observatory.run.errors"], json!(1));
    // calls, tools and plain spans are not written to
    for i in [2, 3, 4, 6] {
        assert!(!out.contains_key(&i), "span {i}: {:?}", out.get(&i));
    }
    assert!(counters.contains(&("calls".into(), 3)), "{counters:?}");
    assert!(counters.contains(&("runs:agent".into(), 2)), "{counters:?}");
}

/// One model call traced twice counts once: Google ADK 1.x's `call_llm` (usage with the
/// thinking tokens) around its `generate_content` (the same call, without them), and a
/// framework span without usage around the client's span with it.
#[test]
fn a_call_traced_twice_counts_once() {
    let agent = span(
        2,
        1,
        "invoke_agent capital_agent",
        &[("gen_ai.operation.name", json!("invoke_agent"))],
    );
    // as enrichment leaves ADK 1.39's spans (captured): the outer has the thoughts added
    let call_llm = span(
        3,
        2,
        "call_llm",
        &[
            ("gen_ai.usage.input_tokens", json!(1234)),
            ("gen_ai.usage.output_tokens", json!(56)),
            ("gen_ai.usage.reasoning.output_tokens", json!(20)),
            ("gen_ai.usage.cost.amount", json!(0.0005)),
        ],
    );
    let generate = span(
        4,
        3,
        "generate_content gemini-2.5-flash",
        &[
            ("gen_ai.operation.name", json!("generate_content")),
            ("gen_ai.usage.input_tokens", json!(1234)),
            ("gen_ai.usage.output_tokens", json!(36)),
            ("gen_ai.usage.cost.amount", json!(0.0004)),
        ],
    );
    // a framework's chat span without usage around the client library's span with it
    let framework = span(
        5,
        2,
        "ChatOpenAI",
        &[("gen_ai.operation.name", json!("chat"))],
    );
    let client = call(6, 5, 100, 10, 0.0001);
    // and two nested spans, neither reporting: one call, usage missing
    let outer = span(7, 2, "chat a", &[("gen_ai.operation.name", json!("chat"))]);
    let inner = span(8, 7, "chat b", &[("gen_ai.operation.name", json!("chat"))]);
    let spans = vec![
        span(1, 0, "invocation", &[]),
        agent,
        call_llm,
        generate,
        framework,
        client,
        outer,
        inner,
    ];
    let (out, counters) = run(&spans);
    let a = &out[&1];
    assert_eq!(a["llm_observatory.run.calls"], json!(3));
    assert_eq!(a["llm_observatory.run.input_tokens"], json!(1334));
    assert_eq!(a["llm_observatory.run.output_tokens"], json!(66));
    assert_eq!(a["llm_observatory.run.reasoning_tokens"], json!(20));
    let cost = a["llm_observatory.run.cost"].as_f64().unwrap();
    assert!((cost - 0.0006).abs() < 1e-12, "{cost}");
    assert_eq!(a["llm_observatory.run.usage_source"], json!("missing"));
    assert!(
        counters.contains(&("nested_calls".into(), 3)),
        "{counters:?}"
    );
}

#[test]
fn a_trace_of_one_call_or_none_is_left_alone() {
    assert!(run(&[call(1, 0, 10, 1, 0.1)]).0.is_empty());
    let http = [
        span(1, 0, "GET /", &[]),
        span(2, 1, "SELECT", &[("db.system", json!("postgresql"))]),
    ];
    assert!(run(&http).0.is_empty());
    // a root call with a tool beneath it that makes a call of its own is a run
    let tool = span(
        2,
        1,
        "execute_tool",
        &[("gen_ai.operation.name", json!("execute_tool"))],
    );
    let (out, _) = run(&[call(1, 0, 10, 1, 0.1), tool, call(3, 2, 20, 2, 0.2)]);
    assert_eq!(out[&0]["llm_observatory.run.calls"], json!(2));
    assert_eq!(out[&0]["llm_observatory.run.input_tokens"], json!(30));
    // a call directly beneath it is the same call, traced twice
    assert!(run(&[call(1, 0, 10, 1, 0.1), call(2, 1, 10, 1, 0.1)])
        .0
        .is_empty());
}

#[test]
fn the_weakest_source_and_unpriced_calls_are_named() {
    let mut counted = call(3, 1, 50, 5, 0.0);
    counted
        .attrs
        .push(("llm_observatory.usage.source", json!("counted")));
    let unpriced = span(
        4,
        1,
        "chat my-model",
        &[
            ("gen_ai.operation.name", json!("chat")),
            ("gen_ai.usage.input_tokens", json!(7)),
        ],
    );
    let euro = span(
        5,
        1,
        "chat",
        &[
            ("gen_ai.operation.name", json!("chat")),
            ("gen_ai.usage.input_tokens", json!(1)),
            ("gen_ai.usage.cost.amount", json!(0.5)),
            ("gen_ai.usage.cost.currency", json!("EUR")),
        ],
    );
    let spans = vec![
        span(1, 0, "run", &[]),
        call(2, 1, 10, 1, 0.25),
        counted,
        unpriced,
        euro,
    ];
    let (out, _) = run(&spans);
    let root = &out[&0];
    assert_eq!(root["llm_observatory.run.usage_source"], json!("counted"));
    assert_eq!(root["llm_observatory.run.unpriced_calls"], json!(2));
    assert_eq!(root["llm_observatory.run.cost"], json!(0.25));
    let nothing = span(6, 1, "chat", &[("gen_ai.operation.name", json!("chat"))]);
    let (out, _) = run(&[span(1, 0, "run", &[]), call(2, 1, 10, 1, 0.25), nothing]);
    assert_eq!(
        out[&0]["llm_observatory.run.usage_source"],
        json!("missing")
    );
}

#[test]
fn broken_ids_neither_loop_nor_mix_traces() {
    // 2 and 3 are each other's parents; 4 hangs under them
    let spans = vec![
        span(1, 0, "run", &[]),
        call(2, 3, 10, 1, 0.1),
        call(3, 2, 10, 1, 0.1),
        call(4, 2, 10, 1, 0.1),
    ];
    let (out, counters) = run(&spans);
    assert!(out.is_empty(), "{out:?}");
    assert!(counters.contains(&("cycles".into(), 3)), "{counters:?}");
    // the same span ids in two traces are two runs
    let mut other: Vec<S> = vec![span(1, 0, "run", &[]), call(2, 1, 5, 0, 0.0)];
    for s in &mut other {
        s.trace = 2;
    }
    let mut spans = vec![
        span(1, 0, "run", &[]),
        call(2, 1, 10, 0, 0.0),
        call(3, 1, 10, 0, 0.0),
    ];
    spans.extend(other);
    let (out, _) = run(&spans);
    assert_eq!(out[&0]["llm_observatory.run.input_tokens"], json!(20));
    assert_eq!(out[&3]["llm_observatory.run.input_tokens"], json!(5));
    // a span sent without ids is counted and left out
    let mut enc = Encoder::new();
    enc.begin_item(ItemKind::Span, "x", 0);
    enc.end_item_without_events_or_body();
    let req = enc.finish();
    let mut edits = Edits::new();
    Rollup::from_json(b"")
        .unwrap()
        .process(&Batch::decode(&req).unwrap(), &mut edits);
    let (e, c) = decode_response(&edits.finish()).unwrap();
    assert!(e.is_empty());
    assert_eq!(c, vec![("no_ids".to_string(), 1)]);
}

#[test]
fn config_is_checked() {
    let d = Rollup::from_json(b"").unwrap();
    assert_eq!(d.config().decision_wait, 10_000_000_000);
    for (cfg, want) in [
        (r#"{"decision_wait": 0}"#, "decision_wait: must be above 0"),
        (r#"{"max_traces": 0}"#, "max_traces: must be above 0"),
        (r#"{"max_spans": 0}"#, "max_spans: must be above 0"),
        (
            r#"{"decision_wait": 3600000000001}"#,
            "decision_wait: must be at most 1h",
        ),
    ] {
        let err = Rollup::from_json(cfg.as_bytes()).err().unwrap().to_string();
        assert_eq!(err, want, "{cfg}");
    }
    let err = Rollup::from_json(br#"{"max_trace": 1}"#)
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("unknown field `max_trace`"), "{err}");
}

/// A random trace: each span's parent is an earlier span; kinds random.
fn arb_trace() -> impl Strategy<Value = Vec<(u8, u8, u8, i64)>> {
    (2usize..40).prop_flat_map(|n| {
        proptest::collection::vec((any::<prop::sample::Index>(), 0u8..6, 0i64..5000), n).prop_map(
            |v| {
                v.into_iter()
                    .enumerate()
                    .map(|(i, (p, kind, tokens))| {
                        let id = i as u8 + 1;
                        let parent = if i == 0 { 0 } else { p.index(i) as u8 + 1 };
                        (id, parent, kind, tokens)
                    })
                    .collect()
            },
        )
    })
}

proptest! {
    /// Every run span's totals equal a direct sum over its subtree (the reference), and the
    /// root's calls equal the trace's non-aggregate calls.
    #[test]
    fn totals_equal_the_sum_over_each_subtree(trace in arb_trace()) {
        let spans: Vec<S> = trace
            .iter()
            .map(|&(id, parent, kind, tokens)| match kind {
                0 => call(id, parent, tokens, 1, 0.5),
                1 => span(id, parent, "agent", &[("gen_ai.operation.name", json!("invoke_agent"))]),
                2 => span(id, parent, "tool", &[("gen_ai.operation.name", json!("execute_tool"))]),
                3 => span(id, parent, "wrapper", &[
                    ("gen_ai.operation.name", json!("chat")),
                    ("gen_ai.usage.input_tokens", json!(tokens)),
                    ("llm_observatory.aggregate", json!(true)),
                ]),
                _ => span(id, parent, "GET", &[]),
            })
            .collect();
        let (out, _) = run(&spans);
        fn subtree(trace: &[(u8, u8, u8, i64)], id: u8, acc: &mut Vec<u8>) {
            for t in trace.iter().filter(|t| t.1 == id) {
                acc.push(t.0);
                subtree(trace, t.0, acc);
            }
        }
        for (pos, &(id, _, kind, _)) in trace.iter().enumerate() {
            let is_run = pos == 0 || kind == 1;
            let mut below = Vec::new();
            subtree(&trace, id, &mut below);
            if pos == 0 {
                below.push(id);
            }
            let kinds: Vec<(u8, i64)> = below
                .iter()
                .map(|b| (trace[*b as usize - 1].2, trace[*b as usize - 1].3))
                .collect();
            // a call directly beneath another call (no agent or tool between) is that call
            // traced twice: every generated call reports usage, so the outer one counts
            let nested = |b: u8| {
                let mut p = trace[b as usize - 1].1;
                while p != 0 {
                    match trace[p as usize - 1].2 {
                        0 => return true,
                        1 | 2 => return false,
                        _ => p = trace[p as usize - 1].1,
                    }
                }
                false
            };
            let counted: Vec<u8> = below
                .iter()
                .copied()
                .filter(|b| trace[*b as usize - 1].2 != 0 || !nested(*b))
                .collect();
            let kinds: Vec<(u8, i64)> = counted
                .iter()
                .map(|b| (trace[*b as usize - 1].2, trace[*b as usize - 1].3))
                .collect();
            let calls = kinds.iter().filter(|k| k.0 == 0).count() as i64;
            let tools = kinds.iter().filter(|k| k.0 == 2).count() as i64;
            let input: i64 = kinds.iter().filter(|k| k.0 == 0).map(|k| k.1).sum();
            let own = (pos == 0 && kind == 0 && !nested(id)) as i64;
            match out.get(&(pos as u32)) {
                Some(w) => {
                    prop_assert!(is_run);
                    prop_assert_eq!(&w["llm_observatory.run.calls"], &json!(calls));
                    prop_assert_eq!(&w["llm_observatory.run.tool_calls"], &json!(tools));
                    if calls > 0 {
                        prop_assert_eq!(&w["llm_observatory.run.input_tokens"], &json!(input));
                        let cost = w["llm_observatory.run.cost"].as_f64().unwrap();
                        prop_assert!((cost - 0.5 * calls as f64).abs() < 1e-9);
                    }
                }
                None => prop_assert!(!is_run || (calls == own && tools == 0)),
            }
        }
    }
}
