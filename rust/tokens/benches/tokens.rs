//! Token counting throughput: MB/s per encoding on mixed text, per-call cost on small
//! messages, and the worst cases (long whitespace and tab runs).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use llmo_schema::edits::Edits;
use llmo_schema::view::Batch;
use llmo_schema::Stage;
use llmo_tokens::content::Message;
use llmo_tokens::count;
use llmo_tokens::model_map::Encoding;
use llmo_tokens::TokenCounter;

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
        // The same text on a new thread each time: its piece cache starts empty, as for
        // text never seen before (includes spawning the thread).
        g.bench_function(format!("{}/mixed_corpus_cold_cache", enc.name()), |b| {
            b.iter(|| std::thread::scope(|s| s.spawn(|| count::text(&enc, &mixed)).join()))
        });
        // bpe-openai alone (regex pre-tokenizer, bpe count per piece): what `text` replaced.
        g.bench_function(format!("{}/mixed_corpus_reference", enc.name()), |b| {
            b.iter(|| count::reference_text(enc, &mixed))
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
        g.bench_function(format!("o200k_base/worst_{name}_reference"), |b| {
            b.iter(|| count::reference_text(Encoding::O200kBase, s))
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

    // The shared W1/W2 fixture as the Go side sends it to token_counting alone. `cold`: a new
    // stage per batch (every text counted); `warm`: one stage, so W2's resent history comes
    // from the count cache and only each call's new messages are counted.
    let mut g = c.benchmark_group("llmo_tokens::TokenCounter::process");
    g.sample_size(20);
    for (name, view) in llmo_schema::encoder::bench_requests("token_counting") {
        g.throughput(Throughput::Bytes(view.len() as u64));
        g.bench_function(format!("cold/{name}"), |b| {
            b.iter_batched(
                || (TokenCounter::from_json(b"").unwrap(), Edits::new()),
                |(stage, mut edits)| {
                    stage.process(&Batch::decode(&view).unwrap(), &mut edits);
                    edits.finish()
                },
                BatchSize::LargeInput,
            )
        });
        let stage = TokenCounter::from_json(b"").unwrap();
        g.bench_function(format!("warm/{name}"), |b| {
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
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
