//! Redaction throughput (goal: >= 300 MB/s per core on clean text).
//!
//! * `text/clean`: the clean technical corpus (code, logs, UUIDs, hashes, timestamps, ...)
//!   as one 0.5 MB string;
//! * `text/dense`: the labelled PII corpus as one 1.8 MB string (a finding every ~370 bytes);
//! * `values/clean`: the clean corpus value by value (per-call overhead included);
//! * `json/messages`: GenAI message JSON (conversations of 1-4 KB turns of the clean corpus),
//!   JSON-aware;
//! * `stage/batch`: a 64-item view through the stage (decode, scan, edits).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use llmo_pii::{Engine, PiiConfig, PiiRedactor, Tally};
use llmo_schema::edits::Edits;
use llmo_schema::encoder::Encoder;
use llmo_schema::view::{Batch, ItemKind};
use llmo_schema::Stage;

fn texts(name: &str) -> Vec<String> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["text"].as_str().unwrap().to_string()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let engine = Engine::new(&PiiConfig::default()).unwrap();
    let clean = texts("clean.jsonl");
    let dense = texts("pii.jsonl");
    let clean_blob = clean.join("\n");
    let dense_blob = dense.join("\n");
    // conversations of W1-sized turns: 1-4 KB of text each, alternating roles
    let messages: Vec<String> = clean
        .chunks(24)
        .map(|turns| {
            let msgs: Vec<_> = turns
                .chunks(6)
                .enumerate()
                .map(|(i, t)| {
                    let role = if i % 2 == 0 { "user" } else { "assistant" };
                    serde_json::json!({"role": role, "parts": [{"type": "text", "content": t.join("\n")}]})
                })
                .collect();
            serde_json::to_string(&msgs).unwrap()
        })
        .collect();

    let mut g = c.benchmark_group("llmo_pii");
    g.throughput(Throughput::Bytes(clean_blob.len() as u64));
    g.bench_function("text/clean", |b| {
        b.iter(|| engine.redact_text(&clean_blob, &mut Tally::default()))
    });
    g.throughput(Throughput::Bytes(dense_blob.len() as u64));
    g.bench_function("text/dense", |b| {
        b.iter(|| engine.redact_text(&dense_blob, &mut Tally::default()))
    });
    g.throughput(Throughput::Bytes(
        clean.iter().map(|t| t.len() as u64).sum(),
    ));
    g.bench_function("values/clean", |b| {
        b.iter(|| {
            let mut tally = Tally::default();
            for t in &clean {
                std::hint::black_box(engine.redact(t, &mut tally));
            }
        })
    });
    g.throughput(Throughput::Bytes(
        messages.iter().map(|m| m.len() as u64).sum(),
    ));
    g.bench_function("json/messages", |b| {
        b.iter(|| {
            let mut tally = Tally::default();
            for m in &messages {
                std::hint::black_box(engine.redact(m, &mut tally));
            }
        })
    });

    // 64 items: 16 LLM spans with message JSON (some PII), 48 ordinary spans
    let mut enc = Encoder::new();
    let mut bytes = 0u64;
    for i in 0..64u32 {
        enc.begin_item(ItemKind::Span, "span", i);
        let mut attr = |enc: &mut Encoder, k: &str, v: &str| {
            bytes += v.len() as u64;
            enc.attr_str(k, v);
        };
        if i % 4 == 0 {
            let content = format!(
                "{} {}",
                clean[i as usize % clean.len()],
                dense[i as usize % dense.len()]
            );
            let msgs = serde_json::json!([{"role": "user", "parts": [{"type": "text", "content": content}]}]);
            attr(&mut enc, "gen_ai.input.messages", &msgs.to_string());
            attr(&mut enc, "gen_ai.request.model", "gpt-4o");
        } else {
            attr(&mut enc, "http.request.method", "GET");
            attr(
                &mut enc,
                "url.full",
                "https://api.example.com/v1/orders?page=2",
            );
            attr(&mut enc, "server.address", "api.example.com");
            attr(
                &mut enc,
                "user_agent.original",
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
            );
            attr(
                &mut enc,
                "db.query.text",
                "SELECT id, total FROM orders WHERE customer_id = $1 LIMIT 50",
            );
            enc.attr_int("http.response.status_code", 200);
        }
        enc.end_item_without_events_or_body();
    }
    let view = enc.finish();
    let stage = PiiRedactor::from_json(b"").unwrap();
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("stage/batch_64", |b| {
        b.iter_batched(
            Edits::new,
            |mut edits| {
                stage.process(&Batch::decode(&view).unwrap(), &mut edits);
                edits.finish()
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
