//! Recall per locale on phone and card numbers as Faker writes them in nine locales, inside
//! prompt sentences of the locale (tests/data/make_locales.py).
//!
//! Bar: for every locale and type, at least 99% of the labelled values are found with exactly
//! their span and type; misses are listed. One exception, checked value by value: Faker's
//! ja_JP writes landlines as `##-####-####`, without the trunk 0 every Japanese number dialled
//! at home has; after a name only, with no contact cue, such a number is not a phone number
//! under the plan and is not reported (4 of 200: recall 0.98). The table is printed
//! (`cargo test -p llmo-pii --test locales -- --nocapture`).

use std::collections::BTreeMap;

use llmo_pii::{Engine, PiiConfig};
use serde::Deserialize;

#[derive(Deserialize)]
struct Sample {
    id: String,
    locale: String,
    text: String,
    spans: Vec<(usize, usize, String)>,
}

const MIN_RECALL: f64 = 0.99;

#[test]
fn recall_per_locale_and_type() {
    let engine = Engine::new(&PiiConfig::default()).unwrap();
    let path = format!("{}/tests/data/locales.jsonl", env!("CARGO_MANIFEST_DIR"));
    let samples: Vec<Sample> = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(samples.len(), 3600, "{path} changed size");
    // (locale, type) -> (labelled, exact, covered)
    let mut rows: BTreeMap<(String, String), (usize, usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut excused: BTreeMap<String, usize> = BTreeMap::new();
    for s in &samples {
        let found = engine.find(&s.text);
        for (a, b, kind) in &s.spans {
            let row = rows.entry((s.locale.clone(), kind.clone())).or_default();
            row.0 += 1;
            let exact = found
                .iter()
                .any(|f| f.start == *a && f.end == *b && engine.detector_name(f.detector) == kind);
            let covered = found.iter().any(|f| f.start <= *a && f.end >= *b);
            row.1 += usize::from(exact);
            row.2 += usize::from(covered);
            let value = &s.text[*a..*b];
            let no_trunk_jp = s.locale == "ja_JP"
                && value.len() == 12
                && value.as_bytes()[0] != b'0'
                && value.split('-').map(str::len).eq([2, 4, 4]);
            if !exact && no_trunk_jp {
                *excused.entry(s.locale.clone()).or_default() += 1;
            }
            if !exact {
                let got: Vec<_> = found
                    .iter()
                    .filter(|f| f.start < *b && f.end > *a)
                    .map(|f| (engine.detector_name(f.detector), &s.text[f.start..f.end]))
                    .collect();
                misses.push(format!("{} {:?} -> {got:?}", s.id, &s.text[*a..*b]));
            }
        }
    }
    println!("| locale | type | labelled | found exactly | recall | redacted |");
    println!("|---|---|---|---|---|---|");
    let mut low = Vec::new();
    for ((loc, kind), (n, exact, covered)) in &rows {
        let recall = *exact as f64 / *n as f64;
        println!(
            "| {loc} | {kind} | {n} | {exact} | {recall:.3} | {:.3} |",
            *covered as f64 / *n as f64
        );
        let excuse = if kind == "phone" {
            excused.get(loc).copied().unwrap_or(0)
        } else {
            0
        };
        if (*exact + excuse) as f64 / (*n as f64) < MIN_RECALL || excuse > 4 {
            low.push(format!("{loc} {kind} {recall:.3} ({excuse} excused)"));
        }
    }
    for m in misses
        .iter()
        .filter(|m| std::env::var("MISS").map_or(true, |f| m.contains(&f)))
        .take(400)
    {
        println!("miss: {m}");
    }
    assert!(low.is_empty(), "recall under {MIN_RECALL}: {low:?}");
}
