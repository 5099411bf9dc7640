//! Redaction throughput (goal: >= 300 MB/s per core on clean text).
//!
//! * `text/clean`: the clean technical corpus (code, logs, UUIDs, hashes, timestamps, ...)
//!   as one 0.5 MB string;
//! * `text/prose`: the prose and GenAI message categories of the clean corpus (39 KB), what
//!   LLM calls mostly carry;
//! * `text/dense`: the labelled PII corpus as one 1.8 MB string (a finding every ~370 bytes);
//! * `values/clean`: the clean corpus value by value (per-call overhead included);
//! * `json/messages`: GenAI message JSON (conversations of 1-4 KB turns of the clean corpus),
//!   JSON-aware;
//! * `stage/w1/traces` ...: the shared W1/W2 fixture batches (512 spans or log records) as
//!   the Go side sends them, through the stage (decode, scan, edits); throughput in request
//!   bytes;
//! * `stage/.../seen`: the same batch with every clean string of 64+ bytes remembered from
//!   an earlier call (`scan_cache_entries`): what a resent conversation costs.
//!
//! Everything else runs with the clean-text memo off (`scan_cache_entries: 0`), so each
//! iteration scans as if the text were new.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use llmo_pii::{Engine, PiiConfig, PiiRedactor, Tally};
use llmo_schema::edits::Edits;
use llmo_schema::view::Batch;
use llmo_schema::Stage;

fn texts(name: &str) -> Vec<String> {
    texts_of(name, |_| true)
}

/// The texts of a corpus whose category `keep` accepts.
fn texts_of(name: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            keep(v["category"].as_str().unwrap_or(""))
                .then(|| v["text"].as_str().unwrap().to_string())
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let cold = PiiConfig {
        scan_cache_entries: 0,
        ..PiiConfig::default()
    };
    let engine = Engine::new(&cold).unwrap();
    let clean = texts("clean.jsonl");
    let dense = texts("pii.jsonl");
    // what LLM calls mostly carry: the prose and message JSON of the clean corpus
    let prose_blob = texts_of("clean.jsonl", |c| c == "prose" || c == "genai_messages").join("\n");
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
    g.throughput(Throughput::Bytes(prose_blob.len() as u64));
    g.bench_function("text/prose", |b| {
        b.iter(|| engine.redact_text(&prose_blob, &mut Tally::default()))
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

    // the shared W1/W2 fixture as the Go side sends it: every string of every item
    let stage = PiiRedactor::from_json(br#"{"scan_cache_entries": 0}"#).unwrap();
    let seen = PiiRedactor::from_json(b"").unwrap();
    // the same without the secret-named-key check, to see what it costs
    let keyless =
        PiiRedactor::from_json(br#"{"scan_cache_entries": 0, "secret_attribute_keys": []}"#)
            .unwrap();
    for (name, view) in llmo_schema::encoder::bench_requests("pii_redaction") {
        g.throughput(Throughput::Bytes(view.len() as u64));
        for (label, stage) in [
            (name.clone(), &stage),
            (format!("{name}/seen"), &seen),
            (format!("{name}/no-secret-keys"), &keyless),
        ] {
            g.bench_function(format!("stage/{label}"), |b| {
                b.iter_batched(
                    Edits::new,
                    |mut edits| {
                        stage.process(&Batch::decode(&view).unwrap(), &mut edits);
                        edits.finish()
                    },
                    BatchSize::SmallInput,
                )
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
