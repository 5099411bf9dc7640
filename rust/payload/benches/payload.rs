//! Time per MB cut: what `llm_payload_budget` spends on the values it cuts (an 8 MiB
//! conversation, a 64 MiB single prompt, 8 MiB of legacy plain text, an 8 MiB GenAI event
//! body), and what it costs on the shared W1/W2 batches, where nearly nothing is over budget.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use llmo_payload::{cut, PayloadBudget};
use llmo_schema::edits::Edits;
use llmo_schema::encoder::{encode_json_value, Encoder};
use llmo_schema::view::{Batch, ItemKind};
use llmo_schema::Stage;
use serde_json::json;

/// A system prompt and `turns` alternating turns, `size` bytes in all.
fn conversation(turns: usize, size: usize) -> String {
    let mut v = vec![
        json!({"role": "system", "parts": [{"type": "text", "content": "You answer from the documents."}]}),
    ];
    for i in 0..turns {
        let role = if i % 2 == 0 { "user" } else { "assistant" };
        let text = "lorem ipsum dolor sit amet ".repeat(size / turns / 27);
        v.push(json!({"role": role, "parts": [{"type": "text", "content": text}]}));
    }
    serde_json::to_string(&v).unwrap()
}

fn bench(c: &mut Criterion) {
    let budget = 64 << 10;
    let stage = PayloadBudget::from_json(b"").unwrap();
    let mut g = c.benchmark_group("payload/cut");
    g.sample_size(10);
    for (name, key, text) in [
        (
            "conversation_8MiB",
            "gen_ai.input.messages",
            conversation(20, 8 << 20),
        ),
        (
            "prompt_64MiB",
            "gen_ai.input.messages",
            conversation(1, 64 << 20),
        ),
        (
            "plain_8MiB",
            "gen_ai.prompt",
            "naïve café ".repeat((8 << 20) / 13),
        ),
    ] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(name, |b| b.iter(|| cut(key, &text, budget)));
    }
    // the whole stage on a GenAI event log record: body walk, cut, SHA-256, rebuilt body
    let body = json!({"index": 0, "finish_reason": "stop",
        "message": {"role": "assistant", "content": "x".repeat(8 << 20)}});
    let mut enc = Encoder::new();
    enc.begin_item(ItemKind::Log, "gen_ai.choice", 0);
    enc.begin_events(0);
    let mut b = Vec::new();
    encode_json_value(&body, &mut b);
    enc.end_item_body(&b);
    let req = enc.finish();
    g.throughput(Throughput::Bytes(8 << 20));
    g.bench_function("stage/event_body_8MiB", |b| {
        b.iter(|| {
            let mut edits = Edits::new();
            stage.process(&Batch::decode(&req).unwrap(), &mut edits);
            edits.finish()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("payload/stage");
    for (name, req) in llmo_schema::encoder::bench_requests("llm_payload_budget") {
        g.throughput(Throughput::Bytes(req.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut edits = Edits::new();
                stage.process(&Batch::decode(&req).unwrap(), &mut edits);
                edits.finish()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
