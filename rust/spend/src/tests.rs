use llmo_schema::edits::{decode_response, ITEM_ITSELF};
use llmo_schema::encoder::Encoder;
use llmo_schema::view::{Batch, ItemKind};
use std::collections::HashSet;

use serde_json::{json, Value as Json};

use super::*;

const MIN: u64 = 60_000_000_000;

/// Calls as (attributes) after an optional resource; returns the label each call got for
/// `attr` (None: none written) and the counters.
fn run(
    g: &SpendGuard,
    now: u64,
    resource: &[(&str, Json)],
    calls: &[Vec<(&str, Json)>],
    attr: &str,
) -> (Vec<Option<String>>, Vec<(String, u64)>) {
    let mut enc = Encoder::new();
    let mut idx = 0;
    if !resource.is_empty() {
        enc.begin_item(ItemKind::SpanResource, "", idx);
        for (k, v) in resource {
            enc.attr_json(k, v);
        }
        enc.end_item_without_events_or_body();
        idx += 1;
    }
    for c in calls {
        enc.begin_item(ItemKind::Span, "chat", idx);
        for (k, v) in c {
            enc.attr_json(k, v);
        }
        enc.end_item_without_events_or_body();
        idx += 1;
    }
    let req = enc.finish();
    let mut edits = Edits::new();
    g.process_at(&Batch::decode(&req).unwrap(), &mut edits, now);
    let (edits, counters) = decode_response(&edits.finish()).unwrap();
    let first = if resource.is_empty() { 0 } else { 1 };
    let key = format!("{KEY_PREFIX}{attr}");
    let labels = (0..calls.len() as u32)
        .map(|i| {
            edits
                .iter()
                .find(|e| e.item == i + first && e.key == key && e.event == ITEM_ITSELF)
                .map(|e| e.value.clone().unwrap().as_str().unwrap().to_string())
        })
        .collect();
    (labels, counters)
}

fn call(tenant: &str, usd: f64) -> Vec<(&'static str, Json)> {
    vec![
        ("tenant.id", json!(tenant)),
        ("gen_ai.usage.input_tokens", json!(10)),
        ("gen_ai.usage.cost.amount", json!(usd)),
    ]
}

fn guard(top_k: u32) -> SpendGuard {
    SpendGuard::from_json(
        format!(r#"{{"dimensions": [{{"attribute": "tenant.id", "top_k": {top_k}}}], "interval": {MIN}}}"#)
            .as_bytes(),
    )
    .unwrap()
}

#[test]
fn the_first_k_are_admitted_then_the_rest_fold_into_other() {
    let g = guard(2);
    let calls = vec![
        call("a", 0.1),
        call("b", 0.1),
        call("c", 5.0),
        call("a", 0.1),
    ];
    let (labels, counters) = run(&g, MIN, &[], &calls, "tenant.id");
    let l: Vec<_> = labels.iter().map(|l| l.as_deref().unwrap()).collect();
    assert_eq!(l, ["a", "b", "other", "a"]);
    assert!(
        counters.contains(&("folded:tenant.id".into(), 1)),
        "{counters:?}"
    );
    assert!(
        counters.contains(&("kept:tenant.id".into(), 3)),
        "{counters:?}"
    );
}

#[test]
fn the_next_interval_keeps_the_biggest_spenders() {
    let g = guard(2);
    // interval 1: a and b admitted first, c spends most but folds
    let calls = vec![
        call("a", 0.01),
        call("b", 0.02),
        call("c", 9.0),
        call("c", 9.0),
    ];
    run(&g, MIN, &[], &calls, "tenant.id");
    // interval 2: c and b (the two biggest) are admitted; a folds now
    let (labels, _) = run(
        &g,
        2 * MIN + 1,
        &[],
        &[call("a", 1.0), call("b", 1.0), call("c", 1.0)],
        "tenant.id",
    );
    let l: Vec<_> = labels.iter().map(|l| l.as_deref().unwrap()).collect();
    assert_eq!(l, ["other", "b", "c"]);
    // within the same interval nothing changes, however much a spends
    let (labels, _) = run(&g, 2 * MIN + 2, &[], &[call("a", 100.0)], "tenant.id");
    assert_eq!(labels[0].as_deref(), Some("other"));
    // ... and in the next one it is back
    let (labels, _) = run(&g, 4 * MIN, &[], &[call("a", 1.0)], "tenant.id");
    assert_eq!(labels[0].as_deref(), Some("a"));
}

#[test]
fn many_values_stay_bounded_and_a_heavy_one_is_not_lost() {
    let g = guard(10);
    // 50,000 users spending a little, one spending a lot, in one interval
    let mut calls: Vec<Vec<(&str, Json)>> = Vec::new();
    let names: Vec<String> = (0..50_000).map(|i| format!("user-{i}")).collect();
    for (i, n) in names.iter().enumerate() {
        calls.push(call(n, 0.001));
        if i % 1000 == 0 {
            calls.push(call("whale", 1.0));
        }
    }
    let (labels, _) = run(&g, MIN, &[], &calls, "tenant.id");
    let distinct: HashSet<_> = labels.iter().flatten().collect();
    assert!(distinct.len() <= 11, "{} labels", distinct.len());
    {
        let st = g.state.lock().unwrap();
        assert!(st.guards[0].summary.spend.len() <= 1024);
    }
    let (labels, _) = run(&g, 2 * MIN, &[], &[call("whale", 1.0)], "tenant.id");
    assert_eq!(labels[0].as_deref(), Some("whale"));
}

#[test]
fn the_resource_supplies_the_attribute_and_non_calls_are_left_alone() {
    let g = guard(5);
    let calls = vec![
        vec![("gen_ai.usage.cost.amount", json!(0.5))],
        vec![
            ("tenant.id", json!("own")),
            ("gen_ai.usage.cost.amount", json!(0.5)),
        ],
        vec![("http.route", json!("/x"))],
        vec![
            ("gen_ai.usage.input_tokens", json!(10)),
            ("llm_observatory.aggregate", json!(true)),
        ],
    ];
    let (labels, _) = run(
        &g,
        MIN,
        &[("tenant.id", json!("acme"))],
        &calls,
        "tenant.id",
    );
    assert_eq!(labels[0].as_deref(), Some("acme"));
    assert_eq!(
        labels[1].as_deref(),
        Some("own"),
        "the span's own value wins"
    );
    assert_eq!(labels[2], None);
    assert_eq!(labels[3], None, "an aggregate repeats its children");
    // oversized or literally "other" values are folded; non-strings get nothing
    let long = "x".repeat(MAX_LABEL_BYTES + 1);
    let calls = vec![
        call(&long, 1.0),
        call("other", 1.0),
        vec![
            ("tenant.id", json!(7)),
            ("gen_ai.usage.cost.amount", json!(1.0)),
        ],
    ];
    let (labels, _) = run(&g, MIN, &[], &calls, "tenant.id");
    assert_eq!(labels[0].as_deref(), Some("other"));
    assert_eq!(labels[1].as_deref(), Some("other"));
    assert_eq!(labels[2], None);
}

#[test]
fn config_is_checked() {
    for (cfg, want) in [
        (r#"{"interval": 10}"#, "interval: must be at least 1s"),
        (
            r#"{"dimensions": [{"attribute": ""}]}"#,
            "dimensions[0].attribute: is empty",
        ),
        (
            r#"{"dimensions": [{"attribute": "a"}, {"attribute": "a"}]}"#,
            "dimensions[1].attribute: is listed twice",
        ),
        (
            r#"{"dimensions": [{"attribute": "a", "top_k": 0}]}"#,
            "dimensions[0].top_k: must be 1 to 10000",
        ),
    ] {
        let err = SpendGuard::from_json(cfg.as_bytes())
            .err()
            .unwrap()
            .to_string();
        assert_eq!(err, want, "{cfg}");
    }
    let d = SpendGuard::from_json(b"").unwrap();
    assert_eq!(d.cfg.dimensions.len(), 2);
}
