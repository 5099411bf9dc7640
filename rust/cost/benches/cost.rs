//! Cost per span: catalog lookup + arithmetic (goal < 1 us warm), and the shared W1/W2
//! fixture batches as the Go side sends them.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use llmo_cost::catalog::Catalog;
use llmo_cost::pricing::{price, Tier, Usage};
use llmo_cost::{matching, CostCalculator};
use llmo_schema::edits::Edits;
use llmo_schema::view::Batch;
use llmo_schema::Stage;

fn bench(c: &mut Criterion) {
    let cat = Catalog::embedded();
    let usage = Usage {
        input: 1234,
        output: 56,
        cache_read: 1000,
        cache_creation: 0,
        reasoning: 0,
    };
    let mut g = c.benchmark_group("llmo_cost");
    g.throughput(Throughput::Elements(1));
    g.bench_function("find+price/gpt-4o", |b| {
        b.iter(|| {
            let e = matching::find(cat, "gpt-4o", Some("openai")).unwrap();
            price(e, usage, Tier::Standard, false)
        })
    });
    g.bench_function("find+price/bedrock_region_id", |b| {
        b.iter(|| {
            let e = matching::find(
                cat,
                "apac.anthropic.claude-3-5-sonnet-20241022-v2:0",
                Some("aws.bedrock"),
            )
            .unwrap();
            price(e, usage, Tier::Standard, false)
        })
    });
    let stage = CostCalculator::from_json(b"").unwrap();
    // the shared W1/W2 fixture as the Go side sends it to cost_calculation alone
    for (name, view) in llmo_schema::encoder::bench_requests("cost_calculation") {
        let items = Batch::decode(&view).unwrap().items.len();
        g.throughput(Throughput::Elements(items as u64));
        g.bench_function(format!("stage/{name}"), |b| {
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
