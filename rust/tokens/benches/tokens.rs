//! Token counting throughput: MB/s per encoding on mixed text, per-call cost on small
//! messages, and the worst cases (long whitespace and tab runs).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use llmo_tokens::content::Message;
use llmo_tokens::count;
use llmo_tokens::model_map::Encoding;

fn corpus_text() -> String {
    let data = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/corpus.jsonl"
    ))
    .unwrap();
    let mut all = String::new();
    for line in data.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let t = v["text"].as_str().unwrap();
        if t.len() < 64 * 1024 {
            all.push_str(t);
            all.push('\n');
        }
    }
    all
}

fn bench(c: &mut Criterion) {
    let mixed = corpus_text();
    let mut g = c.benchmark_group("llmo_tokens::count::text");
    for enc in [Encoding::O200kBase, Encoding::Cl100kBase] {
        count::text(&enc, "warm up the lazily loaded encoder");
        g.throughput(Throughput::Bytes(mixed.len() as u64));
        g.bench_function(format!("{}/mixed_corpus", enc.name()), |b| {
            b.iter(|| count::text(&enc, &mixed))
        });
    }
    let spaces = " ".repeat(1 << 20);
    let tabs = "\t".repeat(1 << 20);
    for (name, s) in [("spaces_1MiB", &spaces), ("tabs_1MiB", &tabs)] {
        g.throughput(Throughput::Bytes(s.len() as u64));
        g.sample_size(10);
        g.bench_function(format!("o200k_base/worst_{name}"), |b| {
            b.iter(|| count::text(&Encoding::O200kBase, s))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("llmo_tokens::count::chat");
    let msgs = vec![
        Message {
            role: "system".into(),
            parts: vec![llmo_tokens::content::Part::Text("You are terse.".into())],
            ..Default::default()
        },
        Message {
            role: "user".into(),
            parts: vec![llmo_tokens::content::Part::Text(
                "What is the capital of France?".into(),
            )],
            ..Default::default()
        },
    ];
    g.throughput(Throughput::Elements(1));
    g.bench_function("o200k_base/two_small_messages", |b| {
        b.iter(|| count::chat(&Encoding::O200kBase, &msgs))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
