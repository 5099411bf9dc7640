//! Cost per span: catalog lookup + arithmetic (goal < 1 us warm), and a whole 102-item view.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use llmo_cost::catalog::Catalog;
use llmo_cost::pricing::{price, Tier, Usage};
use llmo_cost::{matching, CostCalculator};
use llmo_schema::edits::Edits;
use llmo_schema::encoder::Encoder;
use llmo_schema::view::{Batch, ItemKind};
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
    let mut enc = Encoder::new();
    for i in 0..102u32 {
        enc.begin_item(ItemKind::Span, "chat", i);
        enc.attr_str("gen_ai.provider.name", "openai");
        enc.attr_str(
            "gen_ai.response.model",
            if i % 2 == 0 {
                "gpt-4o-2024-08-06"
            } else {
                "gpt-4o-mini"
            },
        );
        enc.attr_int("gen_ai.usage.input_tokens", 812);
        enc.attr_int("gen_ai.usage.output_tokens", 90);
        enc.end_item_without_events_or_body();
    }
    let view = enc.finish();
    let stage = CostCalculator::from_json(b"").unwrap();
    g.throughput(Throughput::Elements(102));
    g.bench_function("stage/102_llm_items", |b| {
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
