//! Enrichment throughput on the shared W1/W2 fixture, as the Go side sends it (LLM candidates
//! only).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use llmo_enrich::{EnrichConfig, Enricher};
use llmo_schema::edits::Edits;
use llmo_schema::view::Batch;
use llmo_schema::Stage;

fn bench(c: &mut Criterion) {
    let stage = Enricher::new(EnrichConfig::default());
    let mut g = c.benchmark_group("llmo_enrich::Enricher::process");
    // the shared fixture: 512 spans or records, 20% LLM calls; only LLM candidates cross
    for (name, view) in llmo_schema::encoder::bench_requests("llm_enrichment") {
        let items = Batch::decode(&view).unwrap().items.len();
        g.throughput(Throughput::Elements(items as u64));
        g.bench_function(format!("decode+enrich+encode/{name}"), |b| {
            b.iter_batched(
                Edits::new,
                |mut edits| {
                    let batch = Batch::decode(&view).unwrap();
                    stage.process(&batch, &mut edits);
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
