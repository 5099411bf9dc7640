//! What a stage sends back: edits to apply to pdata in place, and counters.
//!
//! Response format (little-endian, strings as in [`crate::wire`]):
//! ```text
//! u32 edit_count
//! edit    := u32 item · u32 event (0xFFFFFFFF = the item itself) · u8 op · str key · [value]
//!            op: 1 set attribute (value follows) | 2 delete attribute | 3 set body (key empty)
//! u32 counter_count · (str name · u64 value)*
//! ```
//! Set values use the request's value tags: str, bool, int, double, arrays, and (for whole
//! nested values such as a redacted log body) empty, bytes and maps at any depth up to
//! [`crate::wire::MAX_DEPTH`].

use std::borrow::Cow;

use crate::wire::tag;

/// Edit operation codes. Numbers are never reused.
#[allow(missing_docs)]
pub mod op {
    pub const SET_ATTR: u8 = 1;
    pub const DELETE_ATTR: u8 = 2;
    pub const SET_BODY: u8 = 3;
}

/// `event` value meaning "the item itself, not one of its events".
pub const ITEM_ITSELF: u32 = u32::MAX;

/// A value a stage writes.
#[derive(Debug, Clone, PartialEq)]
pub enum NewValue<'v> {
    /// A string.
    Str(&'v str),
    /// An int.
    Int(i64),
    /// A double.
    Double(f64),
    /// A bool.
    Bool(bool),
    /// An array of strings.
    StrArray(&'v [&'v str]),
    /// A whole nested value (maps, arrays, bytes...).
    Tree(&'v Tree),
}

/// An owned value of any shape, for edits that replace a whole map or array.
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    /// No value.
    Empty,
    /// A string.
    Str(String),
    /// A bool.
    Bool(bool),
    /// An int.
    Int(i64),
    /// A double.
    Double(f64),
    /// Raw bytes.
    Bytes(Vec<u8>),
    /// An array.
    Array(Vec<Tree>),
    /// A map, in order.
    Map(Vec<(String, Tree)>),
}

impl Tree {
    /// An owned copy of a request value; an unscannable value becomes empty.
    pub fn from_value(v: &crate::view::Value<'_>) -> Tree {
        use crate::view::Value as V;
        match v {
            V::Empty | V::Unscannable => Tree::Empty,
            V::Str(s) => Tree::Str((*s).to_owned()),
            V::InvalidStr(b) => Tree::Str(String::from_utf8_lossy(b).into_owned()),
            V::Bool(b) => Tree::Bool(*b),
            V::Int(i) => Tree::Int(*i),
            V::Double(d) => Tree::Double(*d),
            V::Bytes(b) => Tree::Bytes(b.to_vec()),
            V::Array(a) => Tree::Array(a.iter().map(Tree::from_value).collect()),
            V::Map(m) => Tree::Map(
                m.iter()
                    .map(|(k, v)| (k.to_string(), Tree::from_value(v)))
                    .collect(),
            ),
        }
    }
}

fn put_tree(buf: &mut Vec<u8>, t: &Tree) {
    match t {
        Tree::Empty => buf.push(tag::EMPTY),
        Tree::Str(s) => {
            buf.push(tag::STR);
            put_str(buf, s);
        }
        Tree::Bool(b) => buf.extend_from_slice(&[tag::BOOL, *b as u8]),
        Tree::Int(i) => {
            buf.push(tag::INT);
            buf.extend_from_slice(&i.to_le_bytes());
        }
        Tree::Double(d) => {
            buf.push(tag::DOUBLE);
            buf.extend_from_slice(&d.to_le_bytes());
        }
        Tree::Bytes(b) => {
            buf.push(tag::BYTES);
            buf.extend_from_slice(&(b.len() as u32).to_le_bytes());
            buf.extend_from_slice(b);
        }
        Tree::Array(a) => {
            buf.push(tag::ARRAY);
            buf.extend_from_slice(&(a.len() as u32).to_le_bytes());
            for x in a {
                put_tree(buf, x);
            }
        }
        Tree::Map(m) => {
            buf.push(tag::MAP);
            buf.extend_from_slice(&(m.len() as u32).to_le_bytes());
            for (k, v) in m {
                put_str(buf, k);
                put_tree(buf, v);
            }
        }
    }
}

/// The edits and counters of one batch, encoded as they are recorded.
#[derive(Debug)]
pub struct Edits {
    buf: Vec<u8>,
    count: u32,
    counters: Vec<(Cow<'static, str>, u64)>,
}

impl Default for Edits {
    fn default() -> Self {
        Self::new()
    }
}

impl Edits {
    /// No edits yet.
    pub fn new() -> Self {
        Self {
            buf: vec![0; 4],
            count: 0,
            counters: Vec::new(),
        }
    }

    /// Number of edits recorded.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn head(&mut self, item: u32, event: u32, op: u8, key: &str) {
        self.buf.extend_from_slice(&item.to_le_bytes());
        self.buf.extend_from_slice(&event.to_le_bytes());
        self.buf.push(op);
        put_str(&mut self.buf, key);
        self.count += 1;
    }

    fn value(&mut self, v: &NewValue<'_>) {
        match v {
            NewValue::Str(s) => {
                self.buf.push(tag::STR);
                put_str(&mut self.buf, s);
            }
            NewValue::Int(i) => {
                self.buf.push(tag::INT);
                self.buf.extend_from_slice(&i.to_le_bytes());
            }
            NewValue::Double(d) => {
                self.buf.push(tag::DOUBLE);
                self.buf.extend_from_slice(&d.to_le_bytes());
            }
            NewValue::Bool(b) => {
                self.buf.push(tag::BOOL);
                self.buf.push(*b as u8);
            }
            NewValue::StrArray(a) => {
                self.buf.push(tag::ARRAY);
                self.buf.extend_from_slice(&(a.len() as u32).to_le_bytes());
                for s in a.iter() {
                    self.buf.push(tag::STR);
                    put_str(&mut self.buf, s);
                }
            }
            NewValue::Tree(t) => put_tree(&mut self.buf, t),
        }
    }

    /// Sets attribute `key` of item `item` (or of its event `event`, see [`ITEM_ITSELF`]).
    pub fn set(&mut self, item: u32, event: u32, key: &str, v: NewValue<'_>) {
        self.head(item, event, op::SET_ATTR, key);
        self.value(&v);
    }

    /// Sets a string attribute on the item itself.
    pub fn set_str(&mut self, item: u32, key: &str, v: &str) {
        self.set(item, ITEM_ITSELF, key, NewValue::Str(v));
    }

    /// Sets an int attribute on the item itself.
    pub fn set_int(&mut self, item: u32, key: &str, v: i64) {
        self.set(item, ITEM_ITSELF, key, NewValue::Int(v));
    }

    /// Deletes attribute `key` of the item (or of one of its events).
    pub fn delete(&mut self, item: u32, event: u32, key: &str) {
        self.head(item, event, op::DELETE_ATTR, key);
    }

    /// Replaces a log record's body.
    pub fn set_body(&mut self, item: u32, v: NewValue<'_>) {
        self.head(item, ITEM_ITSELF, op::SET_BODY, "");
        self.value(&v);
    }

    /// Adds `n` to counter `name`.
    pub fn count(&mut self, name: impl Into<Cow<'static, str>>, n: u64) {
        if n == 0 {
            return;
        }
        let name = name.into();
        match self.counters.iter_mut().find(|(k, _)| *k == name) {
            Some((_, v)) => *v += n,
            None => self.counters.push((name, n)),
        }
    }

    /// The counters so far.
    pub fn counters(&self) -> &[(Cow<'static, str>, u64)] {
        &self.counters
    }

    /// The encoded response.
    pub fn finish(mut self) -> Vec<u8> {
        self.buf[0..4].copy_from_slice(&self.count.to_le_bytes());
        self.buf
            .extend_from_slice(&(self.counters.len() as u32).to_le_bytes());
        for (k, v) in &self.counters {
            put_str(&mut self.buf, k);
            self.buf.extend_from_slice(&v.to_le_bytes());
        }
        self.buf
    }
}

fn put_str(buf: &mut Vec<u8>, s: &str) {
    buf.extend_from_slice(&(s.len() as u32).to_le_bytes());
    buf.extend_from_slice(s.as_bytes());
}

/// A decoded edit, for tests and tools on the Rust side.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedEdit {
    /// Item index.
    pub item: u32,
    /// Event index or [`ITEM_ITSELF`].
    pub event: u32,
    /// Operation, see [`op`].
    pub op: u8,
    /// Attribute key (empty for body).
    pub key: String,
    /// The value, rendered as JSON, for set operations.
    pub value: Option<serde_json::Value>,
}

/// A decoded response: the edits and the counters.
pub type DecodedResponse = (Vec<DecodedEdit>, Vec<(String, u64)>);

/// Decodes a response (the inverse of [`Edits::finish`]), for tests.
pub fn decode_response(buf: &[u8]) -> Result<DecodedResponse, crate::wire::DecodeError> {
    use crate::wire::Reader;
    let mut r = Reader::new(buf);
    let n = r.count(13)?;
    let mut edits = Vec::with_capacity(n);
    for _ in 0..n {
        let item = r.u32()?;
        let event = r.u32()?;
        let op = r.u8()?;
        let key = String::from_utf8_lossy(r.bytes()?).into_owned();
        let value = if op == op::DELETE_ATTR {
            None
        } else {
            Some(read_value_json(&mut r)?)
        };
        edits.push(DecodedEdit {
            item,
            event,
            op,
            key,
            value,
        });
    }
    let nc = r.count(12)?;
    let mut counters = Vec::with_capacity(nc);
    for _ in 0..nc {
        let k = String::from_utf8_lossy(r.bytes()?).into_owned();
        counters.push((k, r.u64()?));
    }
    Ok((edits, counters))
}

fn read_value_json(
    r: &mut crate::wire::Reader<'_>,
) -> Result<serde_json::Value, crate::wire::DecodeError> {
    use serde_json::Value as J;
    let at = r.pos();
    Ok(match r.u8()? {
        tag::STR => J::String(String::from_utf8_lossy(r.bytes()?).into_owned()),
        tag::INT => J::from(r.u64()? as i64),
        tag::DOUBLE => J::from(f64::from_bits(r.u64()?)),
        tag::BOOL => J::Bool(r.u8()? != 0),
        tag::ARRAY => {
            let n = r.count(1)?;
            let mut a = Vec::with_capacity(n);
            for _ in 0..n {
                a.push(read_value_json(r)?);
            }
            J::Array(a)
        }
        tag::EMPTY => J::Null,
        tag::BYTES => J::String(format!("bytes:{}", r.bytes()?.len())),
        tag::MAP => {
            let n = r.count(5)?;
            let mut m = serde_json::Map::with_capacity(n);
            for _ in 0..n {
                let k = String::from_utf8_lossy(r.bytes()?).into_owned();
                m.insert(k, read_value_json(r)?);
            }
            J::Object(m)
        }
        value => {
            return Err(crate::wire::DecodeError::Unknown {
                what: "edit value tag",
                value,
                at,
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_values_round_trip() {
        let body = Tree::Map(vec![
            ("role".into(), Tree::Str("user".into())),
            (
                "parts".into(),
                Tree::Array(vec![Tree::Int(1), Tree::Empty, Tree::Bool(true)]),
            ),
            ("raw".into(), Tree::Bytes(vec![1, 2, 3])),
        ]);
        let mut e = Edits::new();
        e.set_body(3, NewValue::Tree(&body));
        e.set(1, 0, "tags", NewValue::StrArray(&["a", "b"]));
        e.delete(2, ITEM_ITSELF, "k");
        e.count("redacted:email", 2);
        let (edits, counters) = decode_response(&e.finish()).unwrap();
        assert_eq!(edits.len(), 3);
        assert_eq!(edits[0].op, op::SET_BODY);
        assert_eq!(
            edits[0].value,
            Some(serde_json::json!({"role": "user", "parts": [1, null, true], "raw": "bytes:3"}))
        );
        assert_eq!(edits[1].value, Some(serde_json::json!(["a", "b"])));
        assert_eq!(edits[2].value, None);
        assert_eq!(counters, vec![("redacted:email".to_string(), 2)]);
    }

    #[test]
    fn tree_copies_a_request_value() {
        use crate::view::Value;
        let v = Value::Map(vec![(
            "a".into(),
            Value::Array(vec![Value::Str("x"), Value::InvalidStr(&[0xff])]),
        )]);
        assert_eq!(
            Tree::from_value(&v),
            Tree::Map(vec![(
                "a".into(),
                Tree::Array(vec![Tree::Str("x".into()), Tree::Str("\u{fffd}".into())])
            )])
        );
    }
}
