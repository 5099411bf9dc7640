//! What a stage sends back: edits to apply to pdata in place, and counters.
//!
//! Response format (little-endian, strings as in [`crate::wire`]):
//! ```text
//! u32 edit_count
//! edit    := u32 item · u32 sub · u8 op · operands
//!            sub: 0xFFFFFFFF the item itself | i < 2^31 span event i | 0x80000000+i link i
//!            op 1 set attribute       str key · value
//!            op 2 delete attribute    str key
//!            op 3 set body            str key (empty) · value
//!            op 4 set attribute at    u32 pos · value
//!            op 5 delete attribute at u32 pos
//!            op 6 set field           u8 field · str value
//! u32 counter_count · (str name · str label · u64 value)*
//! ```
//! Ops 1 and 2 name an attribute by key (the first with that key; a set adds it when there is
//! none). Ops 4 and 5 name one by its position among the attributes of that map the request
//! carried, so each copy of a duplicated key, and a key that is not UTF-8, can be edited. The
//! Go side applies an item's positional sets first, then its positional deletes, then the rest
//! in order, so positions always refer to the map as it was sent. Op 6 sets a string field
//! ([`crate::view::Field`]) of the item or of its event or link.
//! Set values use the request's value tags: str, bool, int, double, arrays, and (for whole
//! nested values such as a redacted log body) empty, bytes and maps at any depth up to
//! [`crate::wire::MAX_DEPTH`].

use crate::wire::{put, tag};

/// Edit operation codes. Numbers are never reused.
#[allow(missing_docs)]
pub mod op {
    pub const SET_ATTR: u8 = 1;
    pub const DELETE_ATTR: u8 = 2;
    pub const SET_BODY: u8 = 3;
    pub const SET_ATTR_AT: u8 = 4;
    pub const DELETE_ATTR_AT: u8 = 5;
    pub const SET_FIELD: u8 = 6;
    /// Every op with its name (the Go constants are generated from this list).
    pub const ALL: [(&str, u8); 6] = [
        ("SetAttr", SET_ATTR),
        ("DeleteAttr", DELETE_ATTR),
        ("SetBody", SET_BODY),
        ("SetAttrAt", SET_ATTR_AT),
        ("DeleteAttrAt", DELETE_ATTR_AT),
        ("SetField", SET_FIELD),
    ];
}

/// `sub` value meaning "the item itself, not one of its events or links".
pub const ITEM_ITSELF: u32 = u32::MAX;

/// The bit of `sub` that makes it a link index.
pub const LINK_BIT: u32 = 0x8000_0000;

/// The `sub` of the span's link number `index`.
pub fn link(index: u32) -> u32 {
    LINK_BIT | index
}

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
        Tree::Str(s) => put::str_value(buf, s.as_bytes()),
        Tree::Bool(b) => put::bool_value(buf, *b),
        Tree::Int(i) => put::int_value(buf, *i),
        Tree::Double(d) => put::double_value(buf, *d),
        Tree::Bytes(b) => {
            buf.push(tag::BYTES);
            put::bytes(buf, b);
        }
        Tree::Array(a) => {
            put::head(buf, tag::ARRAY, a.len());
            for x in a {
                put_tree(buf, x);
            }
        }
        Tree::Map(m) => {
            put::head(buf, tag::MAP, m.len());
            for (k, v) in m {
                put::bytes(buf, k.as_bytes());
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
    counters: Vec<Counter>,
}

/// A counter of one batch: a name the Go side knows, and a label (empty, or the dimension
/// the count is by: a PII type, an unknown model id), so nothing is parsed back out of a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    /// The counter's name, e.g. `findings`.
    pub name: &'static str,
    /// Its label, e.g. `email`; empty for a plain counter.
    pub label: String,
    /// The count.
    pub value: u64,
}

impl Default for Edits {
    fn default() -> Self {
        Self::new()
    }
}

impl Edits {
    /// No edits yet.
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    /// No edits yet, with room for about `bytes` of encoded edits (a response grown from
    /// nothing by doubling spends its time copying and faulting in pages).
    pub fn with_capacity(bytes: usize) -> Self {
        let mut buf = Vec::with_capacity(bytes.max(4));
        buf.extend_from_slice(&[0; 4]);
        Self {
            buf,
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

    fn head(&mut self, item: u32, sub: u32, op: u8) {
        self.buf.extend_from_slice(&item.to_le_bytes());
        self.buf.extend_from_slice(&sub.to_le_bytes());
        self.buf.push(op);
        self.count += 1;
    }

    fn keyed(&mut self, item: u32, sub: u32, op: u8, key: &str) {
        self.head(item, sub, op);
        put_str(&mut self.buf, key);
    }

    fn value(&mut self, v: &NewValue<'_>) {
        let buf = &mut self.buf;
        match v {
            NewValue::Str(s) => put::str_value(buf, s.as_bytes()),
            NewValue::Int(i) => put::int_value(buf, *i),
            NewValue::Double(d) => put::double_value(buf, *d),
            NewValue::Bool(b) => put::bool_value(buf, *b),
            NewValue::StrArray(a) => {
                put::head(buf, tag::ARRAY, a.len());
                for s in a.iter() {
                    put::str_value(buf, s.as_bytes());
                }
            }
            NewValue::Tree(t) => put_tree(buf, t),
        }
    }

    /// Sets attribute `key` of item `item` (or of its event `event`, see [`ITEM_ITSELF`]).
    pub fn set(&mut self, item: u32, event: u32, key: &str, v: NewValue<'_>) {
        self.keyed(item, event, op::SET_ATTR, key);
        self.value(&v);
    }

    /// Sets the value of the attribute at position `pos` among those the request carried for
    /// the item (or its event or link: `sub`).
    pub fn set_at(&mut self, item: u32, sub: u32, pos: u32, v: NewValue<'_>) {
        self.head(item, sub, op::SET_ATTR_AT);
        self.buf.extend_from_slice(&pos.to_le_bytes());
        self.value(&v);
    }

    /// Deletes the attribute at position `pos` (as in [`Edits::set_at`]).
    pub fn delete_at(&mut self, item: u32, sub: u32, pos: u32) {
        self.head(item, sub, op::DELETE_ATTR_AT);
        self.buf.extend_from_slice(&pos.to_le_bytes());
    }

    /// Sets a string field of the item (or of its event or link: `sub`).
    pub fn set_field(&mut self, item: u32, sub: u32, field: crate::view::Field, v: &str) {
        self.head(item, sub, op::SET_FIELD);
        self.buf.push(field as u8);
        put_str(&mut self.buf, v);
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
        self.keyed(item, event, op::DELETE_ATTR, key);
    }

    /// Replaces a log record's body.
    pub fn set_body(&mut self, item: u32, v: NewValue<'_>) {
        self.keyed(item, ITEM_ITSELF, op::SET_BODY, "");
        self.value(&v);
    }

    /// Adds `n` to counter `name`.
    pub fn count(&mut self, name: &'static str, n: u64) {
        self.count_by(name, "", n);
    }

    /// Adds `n` to counter `name` with label `label` (one series per label).
    pub fn count_by(&mut self, name: &'static str, label: &str, n: u64) {
        if n == 0 {
            return;
        }
        match self
            .counters
            .iter_mut()
            .find(|c| c.name == name && c.label == label)
        {
            Some(c) => c.value += n,
            None => self.counters.push(Counter {
                name,
                label: label.to_owned(),
                value: n,
            }),
        }
    }

    /// The counters so far.
    pub fn counters(&self) -> &[Counter] {
        &self.counters
    }

    /// The encoded response.
    pub fn finish(mut self) -> Vec<u8> {
        self.buf[0..4].copy_from_slice(&self.count.to_le_bytes());
        self.buf
            .extend_from_slice(&(self.counters.len() as u32).to_le_bytes());
        for c in &self.counters {
            put_str(&mut self.buf, c.name);
            put_str(&mut self.buf, &c.label);
            self.buf.extend_from_slice(&c.value.to_le_bytes());
        }
        self.buf
    }
}

fn put_str(buf: &mut Vec<u8>, s: &str) {
    put::bytes(buf, s.as_bytes());
}

#[cfg(any(test, feature = "test-support"))]
/// A decoded edit, for tests and tools on the Rust side.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedEdit {
    /// Item index.
    pub item: u32,
    /// Event index, [`link`] index or [`ITEM_ITSELF`].
    pub event: u32,
    /// Operation, see [`op`].
    pub op: u8,
    /// Attribute key (empty for body, positional ops and fields).
    pub key: String,
    /// The position, for positional ops.
    pub pos: Option<u32>,
    /// The field code, for [`op::SET_FIELD`].
    pub field: Option<u8>,
    /// The value, rendered as JSON, for set operations.
    pub value: Option<serde_json::Value>,
}

#[cfg(any(test, feature = "test-support"))]
/// A decoded response: the edits and the counters (`name`, or `name:label` when labelled).
pub type DecodedResponse = (Vec<DecodedEdit>, Vec<(String, u64)>);

#[cfg(any(test, feature = "test-support"))]
/// Decodes a response (the inverse of [`Edits::finish`]), for tests.
pub fn decode_response(buf: &[u8]) -> Result<DecodedResponse, crate::wire::DecodeError> {
    use crate::wire::Reader;
    let mut r = Reader::new(buf);
    let n = r.count(10)?;
    let mut edits = Vec::with_capacity(n);
    for _ in 0..n {
        let item = r.u32()?;
        let event = r.u32()?;
        let at = r.pos();
        let op = r.u8()?;
        let (mut key, mut pos, mut field) = (String::new(), None, None);
        match op {
            op::SET_ATTR | op::DELETE_ATTR | op::SET_BODY => {
                key = String::from_utf8_lossy(r.bytes()?).into_owned()
            }
            op::SET_ATTR_AT | op::DELETE_ATTR_AT => pos = Some(r.u32()?),
            op::SET_FIELD => field = Some(r.u8()?),
            value => {
                return Err(crate::wire::DecodeError::Unknown {
                    what: "edit op",
                    value,
                    at,
                })
            }
        }
        let value = match op {
            op::DELETE_ATTR | op::DELETE_ATTR_AT => None,
            op::SET_FIELD => Some(serde_json::Value::String(
                String::from_utf8_lossy(r.bytes()?).into_owned(),
            )),
            _ => Some(read_value_json(&mut r)?),
        };
        edits.push(DecodedEdit {
            item,
            event,
            op,
            key,
            pos,
            field,
            value,
        });
    }
    let nc = r.count(16)?;
    let mut counters = Vec::with_capacity(nc);
    for _ in 0..nc {
        let mut k = String::from_utf8_lossy(r.bytes()?).into_owned();
        let label = r.bytes()?;
        if !label.is_empty() {
            k.push(':');
            k.push_str(&String::from_utf8_lossy(label));
        }
        counters.push((k, r.u64()?));
    }
    Ok((edits, counters))
}

#[cfg(any(test, feature = "test-support"))]
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
        e.count_by("redacted", "email", 2);
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
    fn positional_and_field_edits_round_trip() {
        use crate::view::Field;
        let mut e = Edits::new();
        e.set_at(1, ITEM_ITSELF, 3, NewValue::Str("<EMAIL>"));
        e.delete_at(1, link(2), 0);
        e.set_field(1, 4, Field::Name, "<N>");
        let (edits, _) = decode_response(&e.finish()).unwrap();
        assert_eq!(
            (edits[0].op, edits[0].pos, edits[0].value.clone()),
            (op::SET_ATTR_AT, Some(3), Some(serde_json::json!("<EMAIL>")))
        );
        assert_eq!(
            (
                edits[1].op,
                edits[1].event,
                edits[1].pos,
                edits[1].value.clone()
            ),
            (op::DELETE_ATTR_AT, LINK_BIT | 2, Some(0), None)
        );
        assert_eq!(
            (edits[2].op, edits[2].event, edits[2].field),
            (op::SET_FIELD, 4, Some(Field::Name as u8))
        );
        assert_eq!(edits[2].value, Some(serde_json::json!("<N>")));
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
