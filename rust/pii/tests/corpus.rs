//! Recall and false positives on the generated corpus (tests/data/make_corpus.py).
//!
//! Bars: recall >= 0.99 for every type (a labelled value counts when a finding of its type
//! has exactly its span), and at most 0.5% of the clean technical samples with any finding.
//! The table is printed (`cargo test -p llmo-pii --test corpus -- --nocapture`).

use std::collections::BTreeMap;

use llmo_pii::{Engine, PiiConfig, Redacted, Tally};
use serde::Deserialize;

#[derive(Deserialize)]
struct PiiSample {
    id: String,
    text: String,
    spans: Vec<(usize, usize, String)>,
}

#[derive(Deserialize)]
struct CleanSample {
    id: String,
    category: String,
    text: String,
}

fn lines<T: for<'de> Deserialize<'de>>(name: &str) -> Vec<T> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const MIN_RECALL: f64 = 0.99;
const MAX_FP_RATE: f64 = 0.005;

#[derive(Default)]
struct Row {
    labelled: usize,
    exact: usize,
    redacted: usize,
}

#[test]
fn recall_per_type_and_false_positives_on_clean_text() {
    let engine = Engine::new(&PiiConfig::default()).unwrap();
    let pii: Vec<PiiSample> = lines("pii.jsonl");
    let clean: Vec<CleanSample> = lines("clean.jsonl");

    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut extra = 0;
    let mut leaks = Vec::new();
    for s in &pii {
        let found = engine.find(&s.text);
        for (a, b, kind) in &s.spans {
            let row = rows.entry(kind.clone()).or_default();
            row.labelled += 1;
            let exact = found
                .iter()
                .any(|f| f.start == *a && f.end == *b && engine.detector_name(f.detector) == kind);
            let covered = found.iter().any(|f| f.start <= *a && f.end >= *b);
            row.exact += usize::from(exact);
            row.redacted += usize::from(covered);
            if !exact {
                let got: Vec<_> = found
                    .iter()
                    .filter(|f| f.start < *b && f.end > *a)
                    .map(|f| (engine.detector_name(f.detector), &s.text[f.start..f.end]))
                    .collect();
                misses.push(format!("{} {kind} {:?} -> {got:?}", s.id, &s.text[*a..*b]));
            }
        }
        extra += found
            .iter()
            .filter(|f| !s.spans.iter().any(|(a, b, _)| f.start < *b && f.end > *a))
            .count();
        // and the redacted text never contains a labelled value
        if let Redacted::Changed(out) = engine.redact_text(&s.text, &mut Tally::default()) {
            for (a, b, _) in &s.spans {
                if out.contains(&s.text[*a..*b]) {
                    leaks.push(format!("{}: {:?}", s.id, &s.text[*a..*b]));
                }
            }
        }
    }

    let mut fp_by_cat: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut fps = Vec::new();
    for s in &clean {
        let e = fp_by_cat.entry(&s.category).or_default();
        e.0 += 1;
        let mut tally = Tally::default();
        let r = engine.redact(&s.text, &mut tally);
        if r != Redacted::Unchanged {
            e.1 += 1;
            let found: Vec<_> = engine
                .find(&s.text)
                .iter()
                .map(|f| {
                    (
                        engine.detector_name(f.detector),
                        s.text[f.start..f.end].to_string(),
                    )
                })
                .collect();
            fps.push(format!("{} {found:?}", s.id));
        }
    }
    let fp_total: usize = fp_by_cat.values().map(|v| v.1).sum();
    let fp_rate = fp_total as f64 / clean.len() as f64;

    eprintln!();
    eprintln!(
        "{:<24} {:>8} {:>8} {:>10}",
        "type", "samples", "recall", "redacted"
    );
    let mut failed = Vec::new();
    for (kind, r) in &rows {
        let recall = r.exact as f64 / r.labelled as f64;
        let redacted = r.redacted as f64 / r.labelled as f64;
        eprintln!(
            "{kind:<24} {:>8} {recall:>8.4} {redacted:>10.4}",
            r.labelled
        );
        if recall < MIN_RECALL {
            failed.push(format!("{kind}: recall {recall:.4} < {MIN_RECALL}"));
        }
    }
    eprintln!("findings outside the labels in the PII corpus: {extra}");
    eprintln!();
    eprintln!("{:<24} {:>8} {:>8}", "clean category", "samples", "FP");
    for (cat, (n, fp)) in &fp_by_cat {
        eprintln!("{cat:<24} {n:>8} {fp:>8}");
    }
    eprintln!(
        "clean total: {} samples, {fp_total} with a finding, FP rate {:.4}% (bar {:.1}%)",
        clean.len(),
        fp_rate * 100.0,
        MAX_FP_RATE * 100.0
    );
    for m in misses.iter().take(30) {
        eprintln!("miss: {m}");
    }
    for f in fps.iter().take(30) {
        eprintln!("false positive: {f}");
    }
    for l in leaks.iter().take(10) {
        eprintln!("leak: {l}");
    }
    if fp_rate > MAX_FP_RATE {
        failed.push(format!(
            "FP rate {:.4}% > {:.1}%",
            fp_rate * 100.0,
            MAX_FP_RATE * 100.0
        ));
    }
    if !leaks.is_empty() {
        failed.push(format!(
            "{} labelled values survived redaction",
            leaks.len()
        ));
    }
    assert!(rows.len() >= 21, "every built-in type is in the corpus");
    assert!(
        rows.values().all(|r| r.labelled >= 200),
        "at least 200 samples per type"
    );
    assert!(failed.is_empty(), "{failed:?}");
}
