//! Requests built the way the Go side builds them (`go/internal/pipeline/view.go`), for the
//! tests, benches and fuzzers of the stages (feature `test-support`; the collector's library
//! has none of this).

use crate::view::{Field, ItemKind};
use crate::wire::{put, tag};

/// A span link for [`Encoder::end_item_parts`]: attribute keys and trace state as raw bytes,
/// values already encoded.
pub struct LinkSpec<'s> {
    /// Position among the span's links.
    pub index: u32,
    /// The trace state.
    pub trace_state: &'s [u8],
    /// Attributes: key bytes and encoded value.
    pub attrs: &'s [(&'s [u8], Vec<u8>)],
}

/// Builds a request the way the Go side does. Used by tests, benches and fuzzers in Rust.
#[derive(Default)]
pub struct Encoder {
    buf: Vec<u8>,
    items: u32,
    // positions of counts to patch
    attr_count_at: usize,
    attr_count: u32,
}

impl Encoder {
    /// An empty request.
    pub fn new() -> Self {
        Self {
            buf: vec![0; 4],
            ..Self::default()
        }
    }

    fn put_str(&mut self, s: &[u8]) {
        put::bytes(&mut self.buf, s);
    }

    fn open_attrs(&mut self) {
        self.attr_count_at = self.buf.len();
        self.attr_count = 0;
        self.buf.extend_from_slice(&[0; 4]);
    }

    fn close_attrs(&mut self) {
        let at = self.attr_count_at;
        self.buf[at..at + 4].copy_from_slice(&self.attr_count.to_le_bytes());
    }

    /// Starts an item with no time; attributes follow.
    pub fn begin_item(&mut self, kind: ItemKind, name: &str, index: u32) {
        self.begin_item_at(kind, name, index, 0);
    }

    /// Starts an item with its time (Unix ns); attributes follow.
    pub fn begin_item_at(&mut self, kind: ItemKind, name: &str, index: u32, time_unix_nano: u64) {
        self.buf.push(kind as u8);
        self.buf.extend_from_slice(&index.to_le_bytes());
        self.buf.extend_from_slice(&time_unix_nano.to_le_bytes());
        self.put_str(name.as_bytes());
        self.open_attrs();
        self.items += 1;
    }

    /// Adds an attribute with an already encoded value (see [`Encoder::value_str`]).
    pub fn attr_raw(&mut self, key: &str, encoded_value: &[u8]) {
        self.attr_raw_key(key.as_bytes(), encoded_value);
    }

    /// Adds an attribute whose key need not be UTF-8.
    pub fn attr_raw_key(&mut self, key: &[u8], encoded_value: &[u8]) {
        self.put_str(key);
        self.buf.extend_from_slice(encoded_value);
        self.attr_count += 1;
    }

    /// Adds a string attribute.
    pub fn attr_str(&mut self, key: &str, v: &str) {
        self.attr_raw(key, &Self::value_str(v.as_bytes()));
    }

    /// Adds an int attribute.
    pub fn attr_int(&mut self, key: &str, v: i64) {
        let mut b = Vec::with_capacity(9);
        put::int_value(&mut b, v);
        self.attr_raw(key, &b);
    }

    /// Adds a double attribute.
    pub fn attr_double(&mut self, key: &str, v: f64) {
        let mut b = Vec::with_capacity(9);
        put::double_value(&mut b, v);
        self.attr_raw(key, &b);
    }

    /// Adds a bool attribute.
    pub fn attr_bool(&mut self, key: &str, v: bool) {
        let mut b = Vec::with_capacity(2);
        put::bool_value(&mut b, v);
        self.attr_raw(key, &b);
    }

    /// An encoded string value; the bytes need not be UTF-8.
    pub fn value_str(v: &[u8]) -> Vec<u8> {
        let mut b = Vec::with_capacity(5 + v.len());
        put::str_value(&mut b, v);
        b
    }

    /// Closes the attributes and starts the span's events.
    pub fn begin_events(&mut self, n: u32) {
        self.close_attrs();
        self.buf.extend_from_slice(&n.to_le_bytes());
    }

    /// Starts event number `index` of the span; its attributes follow; close with
    /// [`Encoder::end_event`].
    pub fn begin_event(&mut self, index: u32, name: &str) {
        self.buf.extend_from_slice(&index.to_le_bytes());
        self.put_str(name.as_bytes());
        self.open_attrs();
    }

    /// Closes the current event's attributes.
    pub fn end_event(&mut self) {
        self.close_attrs();
    }

    /// Ends the item with an encoded body value (and no fields or links).
    pub fn end_item_body(&mut self, encoded_body: &[u8]) {
        self.end_item_parts(encoded_body, &[], &[]);
    }

    /// Ends the item with an encoded body value, its other string fields and its links.
    pub fn end_item_parts(
        &mut self,
        encoded_body: &[u8],
        fields: &[(Field, &[u8])],
        links: &[LinkSpec<'_>],
    ) {
        self.buf.extend_from_slice(encoded_body);
        self.buf
            .extend_from_slice(&(fields.len() as u32).to_le_bytes());
        for (f, v) in fields {
            self.buf.push(*f as u8);
            self.put_str(v);
        }
        self.buf
            .extend_from_slice(&(links.len() as u32).to_le_bytes());
        for l in links {
            self.buf.extend_from_slice(&l.index.to_le_bytes());
            self.put_str(l.trace_state);
            self.buf
                .extend_from_slice(&(l.attrs.len() as u32).to_le_bytes());
            for (k, v) in l.attrs {
                self.put_str(k);
                self.buf.extend_from_slice(v);
            }
        }
    }

    /// Ends an item that has no events and no body.
    pub fn end_item_without_events_or_body(&mut self) {
        self.begin_events(0);
        self.end_item_body(&[tag::EMPTY]);
    }

    /// The finished request.
    pub fn finish(mut self) -> Vec<u8> {
        self.buf[0..4].copy_from_slice(&self.items.to_le_bytes());
        self.buf
    }
}

/// Encodes a JSON value the way the Go side encodes the matching pcommon value: numbers
/// without a fraction become ints, other numbers doubles, objects maps, null empty.
pub fn encode_json_value(v: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value as J;
    match v {
        J::Null => out.push(tag::EMPTY),
        J::Bool(b) => put::bool_value(out, *b),
        J::Number(n) => {
            if let Some(i) = n.as_i64() {
                put::int_value(out, i);
            } else {
                put::double_value(out, n.as_f64().unwrap_or(0.0));
            }
        }
        J::String(s) => put::str_value(out, s.as_bytes()),
        J::Array(a) => {
            put::head(out, tag::ARRAY, a.len());
            for e in a {
                encode_json_value(e, out);
            }
        }
        J::Object(m) => {
            put::head(out, tag::MAP, m.len());
            for (k, e) in m {
                put::bytes(out, k.as_bytes());
                encode_json_value(e, out);
            }
        }
    }
}

impl Encoder {
    /// Adds an attribute from a JSON value (see [`encode_json_value`]).
    pub fn attr_json(&mut self, key: &str, v: &serde_json::Value) {
        let mut b = Vec::new();
        encode_json_value(v, &mut b);
        self.attr_raw(key, &b);
    }
}

/// The requests the Go side made of the shared W1 and W2 fixture batches for the stage `kind`
/// (`make bench-requests` writes them to `$LLMO_BENCH_REQUESTS`, by default
/// `target/bench-requests`), named `w1/traces`, `w1/logs`, `w2/traces`, `w2/logs`: the data
/// the benches measure, the same the Go benchmarks and the end-to-end runs send.
pub fn bench_requests(kind: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::env::var("LLMO_BENCH_REQUESTS").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/bench-requests").to_string()
    });
    let mut out = Vec::new();
    for workload in ["w1", "w2"] {
        for signal in ["traces", "logs"] {
            let path = format!("{dir}/{workload}/{kind}.{signal}.bin");
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("{path}: {e} (run `make bench-requests`)"));
            out.push((format!("{workload}/{signal}"), bytes));
        }
    }
    out
}
