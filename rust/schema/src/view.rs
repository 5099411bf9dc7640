//! The read-only view of a batch that a stage works on, borrowed from the request buffer.

use std::borrow::Cow;

use crate::wire::{tag, DecodeError, Reader, MAX_DEPTH};

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ItemKind {
    /// A span.
    Span = 0,
    /// A log record.
    Log = 1,
    /// The resource of the spans that follow it (sent only when a stage asks for resources).
    SpanResource = 2,
    /// The resource of the log records that follow it.
    LogResource = 3,
}

impl ItemKind {
    /// True for the resource kinds.
    pub fn is_resource(self) -> bool {
        matches!(self, ItemKind::SpanResource | ItemKind::LogResource)
    }
}

/// An attribute or body value, borrowed from the request.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// No value.
    Empty,
    /// A UTF-8 string.
    Str(&'a str),
    /// A string value whose bytes are not valid UTF-8.
    InvalidStr(&'a [u8]),
    /// A bool.
    Bool(bool),
    /// An int.
    Int(i64),
    /// A double.
    Double(f64),
    /// Raw bytes.
    Bytes(&'a [u8]),
    /// An array.
    Array(Vec<Value<'a>>),
    /// A map.
    Map(Vec<(Cow<'a, str>, Value<'a>)>),
    /// A value the Go side could not encode (nested too deeply); it was not sent.
    Unscannable,
}

impl<'a> Value<'a> {
    /// The string, if this is a valid UTF-8 string.
    pub fn as_str(&self) -> Option<&'a str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// A span event (or nothing, for log records).
#[derive(Debug, Clone, PartialEq)]
pub struct Event<'a> {
    /// Position among the span's events (edits refer to it).
    pub index: u32,
    /// Event name.
    pub name: Cow<'a, str>,
    /// Its attributes (only those the stage asked for).
    pub attrs: Vec<(Cow<'a, str>, Value<'a>)>,
}

/// A span or log record.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<'a> {
    /// Span or log record.
    pub kind: ItemKind,
    /// The Go-side index; edits refer to it.
    pub index: u32,
    /// Span start time, or the log record's time (its observed time when unset); 0 if unknown
    /// and for resources.
    pub time_unix_nano: u64,
    /// Span name, or the log record's event name.
    pub name: Cow<'a, str>,
    /// The attributes the stage asked for.
    pub attrs: Vec<(Cow<'a, str>, Value<'a>)>,
    /// Span events the stage asked for.
    pub events: Vec<Event<'a>>,
    /// Log body (empty for spans, or when not asked for).
    pub body: Value<'a>,
}

impl<'a> Item<'a> {
    /// The first attribute with this key.
    pub fn attr(&self, key: &str) -> Option<&Value<'a>> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// A decoded request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Batch<'a> {
    /// The items, in the order Go sent them.
    pub items: Vec<Item<'a>>,
}

fn lossy(b: &[u8]) -> Cow<'_, str> {
    // from_utf8 is the fast path; the lossy decoder only for the rare invalid key.
    match std::str::from_utf8(b) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => Cow::Owned(String::from_utf8_lossy(b).into_owned()),
    }
}

impl<'a> Batch<'a> {
    /// The items of the signals a stage is configured for.
    pub fn items_of(&self, traces: bool, logs: bool) -> impl Iterator<Item = &Item<'a>> {
        self.items.iter().filter(move |i| match i.kind {
            ItemKind::Span | ItemKind::SpanResource => traces,
            ItemKind::Log | ItemKind::LogResource => logs,
        })
    }

    /// Decodes a request buffer (format in [`crate::wire`]).
    pub fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf);
        // an item takes at least 1+4+8+4+4+4+1 bytes
        let n = r.count(26)?;
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(decode_item(&mut r)?);
        }
        if r.remaining() != 0 {
            return Err(DecodeError::Trailing(r.remaining()));
        }
        Ok(Batch { items })
    }
}

fn decode_item<'a>(r: &mut Reader<'a>) -> Result<Item<'a>, DecodeError> {
    let at = r.pos();
    let kind = match r.u8()? {
        0 => ItemKind::Span,
        1 => ItemKind::Log,
        2 => ItemKind::SpanResource,
        3 => ItemKind::LogResource,
        value => {
            return Err(DecodeError::Unknown {
                what: "item kind",
                value,
                at,
            })
        }
    };
    let index = r.u32()?;
    let time_unix_nano = r.u64()?;
    let name = lossy(r.bytes()?);
    let attrs = decode_attrs(r, 0)?;
    let n_events = r.count(12)?;
    let mut events = Vec::with_capacity(n_events);
    for _ in 0..n_events {
        let index = r.u32()?;
        let name = lossy(r.bytes()?);
        let attrs = decode_attrs(r, 0)?;
        events.push(Event { index, name, attrs });
    }
    let body = decode_value(r, 0)?;
    Ok(Item {
        kind,
        index,
        time_unix_nano,
        name,
        attrs,
        events,
        body,
    })
}

fn decode_attrs<'a>(
    r: &mut Reader<'a>,
    depth: usize,
) -> Result<Vec<(Cow<'a, str>, Value<'a>)>, DecodeError> {
    let n = r.count(5)?;
    let mut attrs = Vec::with_capacity(n);
    for _ in 0..n {
        let k = lossy(r.bytes()?);
        let v = decode_value(r, depth)?;
        attrs.push((k, v));
    }
    Ok(attrs)
}

fn decode_value<'a>(r: &mut Reader<'a>, depth: usize) -> Result<Value<'a>, DecodeError> {
    if depth > MAX_DEPTH {
        return Err(DecodeError::TooDeep);
    }
    let at = r.pos();
    Ok(match r.u8()? {
        tag::EMPTY => Value::Empty,
        tag::STR => {
            let b = r.bytes()?;
            match std::str::from_utf8(b) {
                Ok(s) => Value::Str(s),
                Err(_) => Value::InvalidStr(b),
            }
        }
        tag::BOOL => Value::Bool(r.u8()? != 0),
        tag::INT => Value::Int(r.u64()? as i64),
        tag::DOUBLE => Value::Double(f64::from_bits(r.u64()?)),
        tag::BYTES => Value::Bytes(r.bytes()?),
        tag::ARRAY => {
            let n = r.count(1)?;
            let mut a = Vec::with_capacity(n);
            for _ in 0..n {
                a.push(decode_value(r, depth + 1)?);
            }
            Value::Array(a)
        }
        tag::MAP => Value::Map(decode_attrs(r, depth + 1)?),
        tag::UNSCANNABLE => Value::Unscannable,
        value => {
            return Err(DecodeError::Unknown {
                what: "value tag",
                value,
                at,
            })
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::Encoder;

    #[test]
    fn round_trips_every_value_kind() {
        let mut e = Encoder::new();
        e.begin_item_at(
            ItemKind::Log,
            "gen_ai.user.message",
            7,
            1_700_000_000_123_456_789,
        );
        e.attr_str("s", "x");
        e.attr_int("i", -3);
        e.attr_double("d", 0.5);
        e.attr_bool("b", true);
        e.attr_raw("bad", &Encoder::value_str(&[0xff, 0xfe]));
        e.attr_json("m", &serde_json::json!({"a": [1, "two", null]}));
        e.begin_events(0);
        e.end_item_body(&Encoder::value_str(b"hello"));
        let buf = e.finish();
        let b = Batch::decode(&buf).unwrap();
        let it = &b.items[0];
        assert_eq!(it.kind, ItemKind::Log);
        assert_eq!(it.index, 7);
        assert_eq!(it.time_unix_nano, 1_700_000_000_123_456_789);
        assert_eq!(it.attr("s"), Some(&Value::Str("x")));
        assert_eq!(it.attr("i"), Some(&Value::Int(-3)));
        assert_eq!(it.attr("d"), Some(&Value::Double(0.5)));
        assert_eq!(it.attr("b"), Some(&Value::Bool(true)));
        assert_eq!(it.attr("bad"), Some(&Value::InvalidStr(&[0xff, 0xfe])));
        assert_eq!(
            it.attr("m"),
            Some(&Value::Map(vec![(
                "a".into(),
                Value::Array(vec![Value::Int(1), Value::Str("two"), Value::Empty])
            )]))
        );
        assert_eq!(it.body, Value::Str("hello"));
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let mut e = Encoder::new();
        e.begin_item(ItemKind::Span, "chat", 0);
        e.attr_json("m", &serde_json::json!({"a": [1, 2.5, "x", {"b": true}]}));
        e.begin_events(1);
        e.begin_event(0, "ev");
        e.attr_str("k", "v");
        e.end_event();
        e.end_item_body(&[tag::EMPTY]);
        let buf = e.finish();
        assert!(Batch::decode(&buf).is_ok());
        for cut in 0..buf.len() {
            assert!(Batch::decode(&buf[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = buf.clone();
        longer.push(0);
        assert_eq!(Batch::decode(&longer), Err(DecodeError::Trailing(1)));
    }

    #[test]
    fn absurd_counts_do_not_allocate() {
        let buf = [0xff, 0xff, 0xff, 0xff];
        assert_eq!(Batch::decode(&buf), Err(DecodeError::Truncated(0)));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let mut v = vec![tag::ARRAY, 1, 0, 0, 0];
        for _ in 0..40 {
            v.extend_from_slice(&[tag::ARRAY, 1, 0, 0, 0]);
        }
        v.push(tag::EMPTY);
        let mut e = Encoder::new();
        e.begin_item(ItemKind::Span, "x", 0);
        e.attr_raw("deep", &v);
        e.end_item_without_events_or_body();
        assert_eq!(Batch::decode(&e.finish()), Err(DecodeError::TooDeep));
    }
}
