//! Property tests of the wire decoders: whatever bytes arrive, decoding returns a batch or an
//! error, never panics, never allocates from a corrupt count; a request built as the Go side
//! builds it decodes to what was encoded, duplicates and undecodable keys included.
//!
//! `cargo test` runs the default number of cases; for a long run:
//! `PROPTEST_CASES=100000 cargo test --release -p llmo-schema --test fuzz`.

use llmo_schema::edits::decode_response;
use llmo_schema::encoder::{Encoder, LinkSpec};
use llmo_schema::view::{is_lossy, Batch, Field, ItemKind, Value};
use proptest::prelude::*;

/// One attribute: key bytes (maybe not UTF-8) and a string value (maybe not UTF-8).
fn attr() -> impl Strategy<Value = (Vec<u8>, Vec<u8>)> {
    (
        prop_oneof![
            "[a-z._]{1,12}".prop_map(String::into_bytes),
            prop::collection::vec(any::<u8>(), 0..8),
        ],
        prop::collection::vec(any::<u8>(), 0..24),
    )
}

type Attrs = Vec<(Vec<u8>, Vec<u8>)>;

#[derive(Debug, Clone)]
struct ItemSpec {
    kind: u8,
    name: Vec<u8>,
    attrs: Attrs,
    events: Vec<(Vec<u8>, Attrs)>,
    status: Vec<u8>,
    links: Vec<(Vec<u8>, Attrs)>,
}

fn named_attrs() -> impl Strategy<Value = Vec<(Vec<u8>, Attrs)>> {
    prop::collection::vec(
        (
            prop::collection::vec(any::<u8>(), 0..8),
            prop::collection::vec(attr(), 0..3),
        ),
        0..3,
    )
}

fn item() -> impl Strategy<Value = ItemSpec> {
    (
        0u8..6,
        prop::collection::vec(any::<u8>(), 0..16),
        prop::collection::vec(attr(), 0..6),
        named_attrs(),
        prop::collection::vec(any::<u8>(), 0..8),
        named_attrs(),
    )
        .prop_map(|(kind, name, attrs, events, status, links)| ItemSpec {
            kind,
            name,
            attrs,
            events,
            status,
            links,
        })
}

const KINDS: [ItemKind; 6] = [
    ItemKind::Span,
    ItemKind::Log,
    ItemKind::SpanResource,
    ItemKind::LogResource,
    ItemKind::SpanScope,
    ItemKind::LogScope,
];

fn encode(items: &[ItemSpec]) -> Vec<u8> {
    let mut e = Encoder::new();
    for (i, it) in items.iter().enumerate() {
        // the encoder's names are &str: a name that is not UTF-8 goes in as its lossy text
        let name = String::from_utf8_lossy(&it.name);
        e.begin_item(KINDS[it.kind as usize], &name, i as u32);
        for (k, v) in &it.attrs {
            e.attr_raw_key(k, &Encoder::value_str(v));
        }
        e.begin_events(it.events.len() as u32);
        for (n, (name, attrs)) in it.events.iter().enumerate() {
            e.begin_event(n as u32, &String::from_utf8_lossy(name));
            for (k, v) in attrs {
                e.attr_raw_key(k, &Encoder::value_str(v));
            }
            e.end_event();
        }
        let encoded: Vec<Vec<(&[u8], Vec<u8>)>> = it
            .links
            .iter()
            .map(|(_, attrs)| {
                attrs
                    .iter()
                    .map(|(k, v)| (k.as_slice(), Encoder::value_str(v)))
                    .collect()
            })
            .collect();
        let links: Vec<LinkSpec<'_>> = it
            .links
            .iter()
            .zip(&encoded)
            .enumerate()
            .map(|(n, ((ts, _), attrs))| LinkSpec {
                index: n as u32,
                trace_state: ts,
                attrs,
            })
            .collect();
        let fields: Vec<(Field, &[u8])> = if it.status.is_empty() {
            vec![]
        } else {
            vec![(Field::StatusMessage, it.status.as_slice())]
        };
        e.end_item_parts(&[0], &fields, &links);
    }
    e.finish()
}

fn text_of<'a>(v: &'a Value<'a>) -> &'a [u8] {
    match v {
        Value::Str(s) => s.as_bytes(),
        Value::InvalidStr(b) => b,
        other => panic!("not a string: {other:?}"),
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(buf in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = Batch::decode(&buf);
        let _ = decode_response(&buf);
    }

    #[test]
    fn requests_round_trip(items in prop::collection::vec(item(), 0..6)) {
        let buf = encode(&items);
        let b = Batch::decode(&buf).expect("a request built like Go's decodes");
        prop_assert_eq!(b.items.len(), items.len());
        for (got, want) in b.items.iter().zip(&items) {
            prop_assert_eq!(got.kind, KINDS[want.kind as usize]);
            prop_assert_eq!(got.attrs.len(), want.attrs.len(), "duplicates kept");
            for ((k, v), (wk, wv)) in got.attrs.iter().zip(&want.attrs) {
                prop_assert_eq!(is_lossy(k), std::str::from_utf8(wk).is_err());
                if !is_lossy(k) {
                    prop_assert_eq!(k.as_bytes(), wk.as_slice());
                }
                prop_assert_eq!(text_of(v), wv.as_slice());
            }
            prop_assert_eq!(got.events.len(), want.events.len());
            prop_assert_eq!(got.links.len(), want.links.len());
            for (l, (ts, attrs)) in got.links.iter().zip(&want.links) {
                prop_assert_eq!(text_of(&l.trace_state), ts.as_slice());
                prop_assert_eq!(l.attrs.len(), attrs.len());
            }
            prop_assert_eq!(got.fields.len(), usize::from(!want.status.is_empty()));
        }
    }

    #[test]
    fn mutated_requests_never_panic(
        items in prop::collection::vec(item(), 1..4),
        cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        truncate in any::<prop::sample::Index>(),
    ) {
        let mut buf = encode(&items);
        for (at, byte) in cuts {
            let i = at.index(buf.len());
            buf[i] = byte;
        }
        let _ = Batch::decode(&buf);
        let cut = truncate.index(buf.len() + 1);
        let _ = Batch::decode(&buf[..cut]);
    }
}
