//! A model mapped to a Hugging Face tokenizer.json is counted with that tokenizer, exactly.
//! The file is made here with the `tokenizers` crate (a small word-level vocabulary), so the
//! test needs no download.

use std::collections::HashMap;

use llmo_schema::edits::{decode_response, Edits};
use llmo_schema::encoder::Encoder;
use llmo_schema::view::{Batch, ItemKind};
use llmo_schema::Stage;
use llmo_tokens::TokenCounter;
use tokenizers::models::wordlevel::WordLevel;
use tokenizers::pre_tokenizers::whitespace::Whitespace;
use tokenizers::Tokenizer;

fn write_tokenizer(dir: &std::path::Path) -> String {
    let vocab: HashMap<String, u32> = ["[UNK]", "summarize", "the", "report", "done", "."]
        .iter()
        .enumerate()
        .map(|(i, w)| (w.to_string(), i as u32))
        .collect();
    let model = WordLevel::builder()
        .vocab(vocab.into_iter().collect())
        .unk_token("[UNK]".into())
        .build()
        .unwrap();
    let mut tok = Tokenizer::new(model);
    tok.with_pre_tokenizer(Some(Whitespace {}));
    let path = dir.join("tokenizer.json");
    tok.save(&path, false).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn mapped_models_are_counted_with_their_tokenizer_file() {
    let dir = std::env::temp_dir().join(format!("llmo-tok-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = write_tokenizer(&dir);
    let cfg = format!(
        r#"{{"tokenizer_files": {{"acme-llama-": {}}}}}"#,
        serde_json::to_string(&path).unwrap()
    );
    let stage = TokenCounter::from_json(cfg.as_bytes()).unwrap();

    let mut enc = Encoder::new();
    enc.begin_item(ItemKind::Span, "chat", 0);
    enc.attr_str("gen_ai.request.model", "acme-llama-3-8b");
    enc.attr_str("gen_ai.prompt", "summarize the report .");
    enc.attr_str("gen_ai.completion", "done .");
    enc.end_item_without_events_or_body();
    let req = enc.finish();
    let mut edits = Edits::new();
    stage.process(&Batch::decode(&req).unwrap(), &mut edits);
    let (edits, _) = decode_response(&edits.finish()).unwrap();
    let get = |k: &str| {
        edits
            .iter()
            .find(|e| e.key == k)
            .and_then(|e| e.value.clone())
    };
    assert_eq!(get("gen_ai.usage.input_tokens"), Some(4.into()));
    assert_eq!(get("gen_ai.usage.output_tokens"), Some(2.into()));
    assert_eq!(get("llm_observatory.usage.source"), Some("counted".into()));
    assert_eq!(
        get("llm_observatory.usage.tokenizer"),
        Some("tokenizer.json:tokenizer.json".into())
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_missing_file_is_a_config_error_naming_the_key() {
    let err = TokenCounter::from_json(
        br#"{"tokenizer_files": {"llama-": "/nonexistent/tokenizer.json"}}"#,
    )
    .err()
    .unwrap()
    .to_string();
    assert!(
        err.starts_with("tokenizer_files: \"llama-\": cannot load /nonexistent/tokenizer.json"),
        "{err}"
    );
}
