//! Enrichment throughput on W1-like LLM items (the Go side only sends LLM candidates).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use llmo_enrich::{EnrichConfig, Enricher};
use llmo_schema::edits::Edits;
use llmo_schema::encoder::Encoder;
use llmo_schema::view::{Batch, ItemKind};
use llmo_schema::Stage;
use serde_json::json;

/// What the Go side sends for W1's LLM spans: message content is skipped by the interest set,
/// OpenInference's input.value (where the request model may hide) is not.
fn w1_llm_view(n: usize) -> Vec<u8> {
    let text = "Summarize the quarterly report for the board. ".repeat(50);
    let mut enc = Encoder::new();
    for i in 0..n {
        enc.begin_item(ItemKind::Span, "chat gpt-4o", i as u32);
        match i % 4 {
            0 => {
                enc.attr_str("gen_ai.system", "openai");
                enc.attr_str("gen_ai.request.model", "gpt-4o");
                enc.attr_int("gen_ai.usage.prompt_tokens", 812);
                enc.attr_int("gen_ai.usage.completion_tokens", 90);
            }
            1 => {
                enc.attr_str("openinference.span.kind", "LLM");
                enc.attr_str("llm.model_name", "gpt-4o-mini-2024-07-18");
                enc.attr_int("llm.token_count.prompt", 700);
                enc.attr_int("llm.token_count.completion", 80);
                let body = json!({"model": "gpt-4o-mini", "temperature": 0.2,
                    "messages": [{"role": "system", "content": "You are terse."}, {"role": "user", "content": text}]});
                enc.attr_str("input.value", &body.to_string());
                enc.attr_str("input.mime_type", "application/json");
            }
            2 => {
                enc.attr_str("gen_ai.system", "Anthropic");
                enc.attr_str("llm.request.type", "chat");
                enc.attr_str("gen_ai.request.model", "claude-3-5-sonnet-20241022");
                enc.attr_int("gen_ai.usage.prompt_tokens", 900);
                enc.attr_str("gen_ai.prompt.0.role", "user");
            }
            _ => {
                enc.attr_str("ai.operationId", "ai.generateText.doGenerate");
                enc.attr_str(
                    "ai.model.id",
                    "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
                );
                enc.attr_str("ai.model.provider", "amazon-bedrock");
                enc.attr_json("ai.usage.promptTokens", &json!(640));
            }
        }
        enc.attr_str("server.address", "api.openai.com");
        enc.end_item_without_events_or_body();
    }
    enc.finish()
}

fn bench(c: &mut Criterion) {
    let stage = Enricher::new(EnrichConfig::default());
    let mut g = c.benchmark_group("llmo_enrich::Enricher::process");
    // W1: 512 spans per batch, 20% LLM spans -> ~102 items cross the boundary.
    let view = w1_llm_view(102);
    g.throughput(Throughput::Elements(102));
    g.bench_function("decode+enrich+encode/102_llm_items", |b| {
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
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
