//! The attribute index ([`Attrs`]: slots and prefix masks) against the plain lookups it
//! replaces: a hash map of first occurrences, and a search of the key list.

use std::borrow::Cow;
use std::collections::HashMap;

use llmo_genai::slots::{self, Prefix, Slot};
use llmo_genai::sources::Attrs;
use llmo_schema::view::{Item, ItemKind, Value};
use proptest::prelude::*;

/// Keys near the known ones: the keys themselves, their prefixes, and small edits of them.
fn key() -> impl Strategy<Value = String> {
    let known: Vec<String> = Slot::ALL
        .iter()
        .map(|s| s.key().to_string())
        .chain(Prefix::ALL.iter().map(|p| p.text().to_string()))
        .chain(
            [
                "gen_ai.prompt.0.content",
                "traceloop.entity.name",
                "ai.usage.x",
            ]
            .map(String::from),
        )
        .collect();
    prop_oneof![
        4 => proptest::sample::select(known.clone()),
        2 => (proptest::sample::select(known.clone()), any::<prop::sample::Index>(), any::<u8>())
            .prop_map(|(k, at, b)| {
                let mut bytes = k.into_bytes();
                let i = at.index(bytes.len());
                bytes[i] = b'a' + b % 26;
                String::from_utf8(bytes).unwrap()
            }),
        1 => (proptest::sample::select(known), any::<prop::sample::Index>())
            .prop_map(|(k, at)| k[..at.index(k.len() + 1).min(k.len())].to_string()),
        1 => "[a-z_.]{0,40}",
    ]
}

fn value() -> impl Strategy<Value = Value<'static>> {
    prop_oneof![
        Just(Value::Empty),
        Just(Value::Str("")),
        Just(Value::Str("  ")),
        Just(Value::Str("openai")),
        any::<i64>().prop_map(Value::Int),
        any::<bool>().prop_map(Value::Bool),
    ]
}

fn item() -> impl Strategy<Value = Item<'static>> {
    prop::collection::vec((key(), value()), 0..24).prop_map(|attrs| Item {
        kind: ItemKind::Span,
        index: 0,
        time_unix_nano: 0,
        name: Cow::Borrowed("span"),
        attrs: attrs.into_iter().map(|(k, v)| (Cow::Owned(k), v)).collect(),
        events: vec![],
        body: Value::Empty,
        fields: vec![],
        links: vec![],
    })
}

fn same(a: Option<&Value<'_>>, b: Option<&Value<'_>>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => std::ptr::eq(a, b),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn slot_table_matches_the_key_list(k in key()) {
        prop_assert_eq!(slots::slot_of(&k), slots::slot_of_by_search(&k));
        prop_assert_eq!(slots::prefix_mask(&k), slots::prefix_mask_by_search(&k));
    }

    #[test]
    fn index_matches_a_map_of_first_occurrences(item in item(), probes in prop::collection::vec(key(), 8)) {
        let mut reference: HashMap<&str, &Value<'_>> = HashMap::new();
        for (k, v) in &item.attrs {
            reference.entry(k.as_ref()).or_insert(v);
        }
        let at = Attrs::new(&item);
        for &s in Slot::ALL {
            prop_assert!(same(at.at(s), reference.get(s.key()).copied()), "slot {:?}", s);
            prop_assert_eq!(at.has_at(s), reference.contains_key(s.key()));
            prop_assert_eq!(at.str_at(s), at.str(s.key()));
        }
        for k in probes.iter().map(String::as_str).chain(item.attrs.iter().map(|(k, _)| k.as_ref())) {
            prop_assert!(same(at.get(k), reference.get(k).copied()), "key {:?}", k);
            prop_assert_eq!(at.has(k), reference.contains_key(k));
            let scan = item.attrs.iter().any(|(key, _)| key.starts_with(k));
            prop_assert_eq!(at.any_prefix(k), scan, "prefix {:?}", k);
        }
        for p in Prefix::ALL {
            let scan = item.attrs.iter().any(|(key, _)| key.starts_with(p.text()));
            prop_assert_eq!(at.has_prefix(p), scan);
            prop_assert_eq!(at.any_prefix(p.text()), scan);
        }
    }
}
