//! Test helpers: run the enricher on items described as JSON and apply its edits.

use std::collections::BTreeMap;

use llmo_enrich::{EnrichConfig, Enricher};
use llmo_schema::edits::{decode_response, op, Edits, ITEM_ITSELF};
use llmo_schema::encoder::{encode_json_value, Encoder};
use llmo_schema::view::{Batch, ItemKind};
use llmo_schema::Stage;
use serde_json::{json, Value};

/// Attributes after enrichment, plus the counters.
pub struct Out {
    pub attrs: BTreeMap<String, Value>,
    pub counters: Vec<(String, u64)>,
}

impl Out {
    pub fn get(&self, k: &str) -> Option<&Value> {
        self.attrs.get(k)
    }
}

/// `item` is `{"name": .., "attributes": {..}, "events": [{"name":..,"attributes":{..}}]}` for a
/// span or `{"event_name": .., "body": .., "attributes": {..}}` for a log record.
pub fn enrich_with(cfg: EnrichConfig, item: &Value) -> Out {
    let is_log = item.get("event_name").is_some() || item.get("body").is_some();
    let attrs = item["attributes"].as_object().cloned().unwrap_or_default();
    let mut enc = Encoder::new();
    let name = if is_log {
        item["event_name"].as_str()
    } else {
        item["name"].as_str()
    }
    .unwrap_or("");
    enc.begin_item(
        if is_log {
            ItemKind::Log
        } else {
            ItemKind::Span
        },
        name,
        0,
    );
    for (k, v) in &attrs {
        enc.attr_json(k, v);
    }
    let events = item["events"].as_array().cloned().unwrap_or_default();
    enc.begin_events(events.len() as u32);
    for (i, e) in events.iter().enumerate() {
        enc.begin_event(i as u32, e["name"].as_str().unwrap_or(""));
        for (k, v) in e["attributes"].as_object().cloned().unwrap_or_default() {
            enc.attr_json(&k, &v);
        }
        enc.end_event();
    }
    let mut body = Vec::new();
    encode_json_value(item.get("body").unwrap_or(&Value::Null), &mut body);
    enc.end_item_body(&body);
    let req = enc.finish();

    let stage = Enricher::new(cfg);
    let mut edits = Edits::new();
    stage.process(&Batch::decode(&req).unwrap(), &mut edits);
    let (edits, counters) = decode_response(&edits.finish()).unwrap();
    let mut out: BTreeMap<String, Value> = attrs.into_iter().collect();
    for e in edits {
        assert_eq!(e.item, 0);
        assert_eq!(e.event, ITEM_ITSELF, "enrichment edits items, not events");
        match e.op {
            op::SET_ATTR => {
                out.insert(e.key, e.value.unwrap());
            }
            op::DELETE_ATTR => {
                out.remove(&e.key);
            }
            other => panic!("unexpected op {other}"),
        }
    }
    Out {
        attrs: out,
        counters,
    }
}

pub fn enrich(item: &Value) -> Out {
    enrich_with(EnrichConfig::default(), item)
}

#[allow(dead_code)]
/// Asserts the normalized usage: [input, output, cache_read, cache_creation, reasoning].
pub fn assert_usage(o: &Out, want: [Option<i64>; 5]) {
    let keys = [
        "gen_ai.usage.input_tokens",
        "gen_ai.usage.output_tokens",
        "gen_ai.usage.cache_read.input_tokens",
        "gen_ai.usage.cache_creation.input_tokens",
        "gen_ai.usage.reasoning.output_tokens",
    ];
    for (k, w) in keys.iter().zip(want) {
        assert_eq!(
            o.get(k),
            w.map(|n| json!(n)).as_ref(),
            "{k} in {:#?}",
            o.attrs
        );
    }
}

#[allow(dead_code)]
pub fn load_fixture(name: &str) -> Value {
    let p = format!("{}/tests/data/captured/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}")))
        .unwrap()
}
