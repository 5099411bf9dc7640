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
    /// The instrumentation scope of the spans that follow it (sent with resources when a stage
    /// asks for every string): its name is the item's name, its attributes the item's.
    SpanScope = 4,
    /// The instrumentation scope of the log records that follow it.
    LogScope = 5,
}

impl ItemKind {
    /// The kind of a code, if it is one.
    pub fn from_code(code: u8) -> Option<ItemKind> {
        Some(match code {
            0 => ItemKind::Span,
            1 => ItemKind::Log,
            2 => ItemKind::SpanResource,
            3 => ItemKind::LogResource,
            4 => ItemKind::SpanScope,
            5 => ItemKind::LogScope,
            _ => return None,
        })
    }

    /// The kind's name (the Go constants are generated from it).
    pub fn name(self) -> &'static str {
        match self {
            ItemKind::Span => "Span",
            ItemKind::Log => "Log",
            ItemKind::SpanResource => "SpanResource",
            ItemKind::LogResource => "LogResource",
            ItemKind::SpanScope => "SpanScope",
            ItemKind::LogScope => "LogScope",
        }
    }

    /// True for kinds whose attributes are shared by the spans or records that follow them
    /// (resources and scopes).
    pub fn is_shared(self) -> bool {
        !matches!(self, ItemKind::Span | ItemKind::Log)
    }
}

/// A string field of an item other than its name and attributes, sent only to stages that
/// ask for every string ([`crate::Interest::strings`]); edits set them by the same codes.
/// Numbers are never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Field {
    /// The item's name: span name, log record event name, span event name, scope name. Never
    /// in [`Item::fields`] (it travels as [`Item::name`]); edits use it.
    Name = 0,
    /// A span's status message.
    StatusMessage = 1,
    /// A span's or a link's W3C trace state.
    TraceState = 2,
    /// A log record's severity text.
    SeverityText = 3,
    /// A resource's or scope's schema URL.
    SchemaUrl = 4,
    /// A scope's version.
    ScopeVersion = 5,
    /// A span's id (8 raw bytes); sent only to stages that ask for the span tree.
    SpanId = 6,
    /// A span's parent id (8 raw bytes, all zero for a root); with the span tree only.
    ParentSpanId = 7,
    /// A span's trace id (16 raw bytes); with the span tree only.
    TraceId = 8,
    /// A span's end time (8 bytes, little-endian Unix ns); with the span tree only.
    EndTime = 9,
    /// A span's status code (1 byte: 0 unset, 1 ok, 2 error); with the span tree only.
    StatusCode = 10,
}

impl Field {
    /// The field's name (the Go constants are generated from it).
    pub fn name(self) -> &'static str {
        match self {
            Field::Name => "Name",
            Field::StatusMessage => "StatusMessage",
            Field::TraceState => "TraceState",
            Field::SeverityText => "SeverityText",
            Field::SchemaUrl => "SchemaURL",
            Field::ScopeVersion => "ScopeVersion",
            Field::SpanId => "SpanID",
            Field::ParentSpanId => "ParentSpanID",
            Field::TraceId => "TraceID",
            Field::EndTime => "EndTime",
            Field::StatusCode => "StatusCode",
        }
    }

    /// The field of a code, if it is one.
    pub fn from_code(code: u8) -> Option<Field> {
        Some(match code {
            0 => Field::Name,
            1 => Field::StatusMessage,
            2 => Field::TraceState,
            3 => Field::SeverityText,
            4 => Field::SchemaUrl,
            5 => Field::ScopeVersion,
            6 => Field::SpanId,
            7 => Field::ParentSpanId,
            8 => Field::TraceId,
            9 => Field::EndTime,
            10 => Field::StatusCode,
            _ => return None,
        })
    }
}

/// True when a name or key decoded from the request was not valid UTF-8: the decoder borrows
/// valid text and owns only a lossy copy of invalid bytes, so the text seen is not the text
/// the collector holds.
#[allow(clippy::ptr_arg)] // the Cow itself is the information
pub fn is_lossy(s: &Cow<'_, str>) -> bool {
    matches!(s, Cow::Owned(_))
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

/// A span link (sent only to stages that ask for every string).
#[derive(Debug, Clone, PartialEq)]
pub struct Link<'a> {
    /// Position among the span's links (edits refer to it through [`crate::edits::link`]).
    pub index: u32,
    /// The link's trace state ([`Value::Str`] or [`Value::InvalidStr`]).
    pub trace_state: Value<'a>,
    /// Its attributes.
    pub attrs: Vec<(Cow<'a, str>, Value<'a>)>,
}

/// A span, log record, resource or scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<'a> {
    /// Span or log record.
    pub kind: ItemKind,
    /// The Go-side index; edits refer to it.
    pub index: u32,
    /// Span start time, or the log record's time (its observed time when unset); 0 if unknown
    /// and for resources.
    pub time_unix_nano: u64,
    /// Span name, or the log record's event name (its `event.name` attribute when the field
    /// is empty, as SDKs wrote it before the field existed).
    pub name: Cow<'a, str>,
    /// The attributes the stage asked for.
    pub attrs: Vec<(Cow<'a, str>, Value<'a>)>,
    /// Span events the stage asked for.
    pub events: Vec<Event<'a>>,
    /// Log body (empty for spans, or when not asked for).
    pub body: Value<'a>,
    /// The other non-empty string fields ([`Value::Str`] or [`Value::InvalidStr`]), when the
    /// stage asked for every string.
    pub fields: Vec<(Field, Value<'a>)>,
    /// The span's links, when the stage asked for every string.
    pub links: Vec<Link<'a>>,
}

impl<'a> Item<'a> {
    /// The first attribute with this key.
    pub fn attr(&self, key: &str) -> Option<&Value<'a>> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A field's raw bytes (valid UTF-8 or not), if it was sent.
    pub fn field_bytes(&self, field: Field) -> Option<&'a [u8]> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .and_then(|(_, v)| match v {
                Value::Str(s) => Some(s.as_bytes()),
                Value::InvalidStr(b) => Some(*b),
                _ => None,
            })
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
    /// Decodes a request buffer (format in [`crate::wire`]).
    pub fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(buf);
        // an item takes at least 1+4+8+4+4+4+1+4+4 bytes
        let n = r.count(34)?;
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
    let value = r.u8()?;
    let kind = ItemKind::from_code(value).ok_or(DecodeError::Unknown {
        what: "item kind",
        value,
        at,
    })?;
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
    let n_fields = r.count(5)?;
    let mut fields = Vec::with_capacity(n_fields);
    for _ in 0..n_fields {
        let at = r.pos();
        let code = r.u8()?;
        let field = match Field::from_code(code) {
            Some(f) if f != Field::Name => f,
            _ => {
                return Err(DecodeError::Unknown {
                    what: "field",
                    value: code,
                    at,
                })
            }
        };
        fields.push((field, text(r.bytes()?)));
    }
    let n_links = r.count(12)?;
    let mut links = Vec::with_capacity(n_links);
    for _ in 0..n_links {
        let index = r.u32()?;
        let trace_state = text(r.bytes()?);
        let attrs = decode_attrs(r, 0)?;
        links.push(Link {
            index,
            trace_state,
            attrs,
        });
    }
    Ok(Item {
        kind,
        index,
        time_unix_nano,
        name,
        attrs,
        events,
        body,
        fields,
        links,
    })
}

/// A string as a [`Value::Str`], or [`Value::InvalidStr`] when it is not UTF-8.
fn text(b: &[u8]) -> Value<'_> {
    match std::str::from_utf8(b) {
        Ok(s) => Value::Str(s),
        Err(_) => Value::InvalidStr(b),
    }
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
        tag::STR => text(r.bytes()?),
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
    use crate::encoder::Encoder;

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
    fn fields_links_scopes_and_lossy_names() {
        use crate::encoder::LinkSpec;
        let mut e = Encoder::new();
        e.begin_item(ItemKind::SpanScope, "lib", 0);
        e.begin_events(0);
        e.end_item_parts(&[tag::EMPTY], &[(Field::ScopeVersion, b"1.0")], &[]);
        e.begin_item(ItemKind::Span, "ok", 1);
        e.attr_str("k", "a");
        e.attr_str("k", "b");
        e.attr_raw_key(b"\xffk", &Encoder::value_str(b"c"));
        e.begin_events(1);
        e.begin_event(0, "ev\u{e9}");
        e.end_event();
        let attrs = [(b"peer".as_slice(), Encoder::value_str(b"p"))];
        e.end_item_parts(
            &[tag::EMPTY],
            &[(Field::StatusMessage, b"bad"), (Field::TraceState, b"\xfe")],
            &[LinkSpec {
                index: 2,
                trace_state: b"a=b",
                attrs: &attrs,
            }],
        );
        let buf = e.finish();
        let b = Batch::decode(&buf).unwrap();
        assert_eq!(b.items[0].kind, ItemKind::SpanScope);
        assert!(b.items[0].kind.is_shared());
        assert_eq!(
            b.items[0].fields,
            [(Field::ScopeVersion, Value::Str("1.0"))]
        );
        let it = &b.items[1];
        assert_eq!(it.attrs.len(), 3, "duplicates are kept, in order");
        assert_eq!(it.attrs[1], ("k".into(), Value::Str("b")));
        assert!(is_lossy(&it.attrs[2].0) && !is_lossy(&it.attrs[1].0));
        assert!(!is_lossy(&it.events[0].name));
        assert_eq!(
            it.fields,
            [
                (Field::StatusMessage, Value::Str("bad")),
                (Field::TraceState, Value::InvalidStr(&[0xfe]))
            ]
        );
        assert_eq!(it.links[0].index, 2);
        assert_eq!(it.links[0].trace_state, Value::Str("a=b"));
        assert_eq!(it.links[0].attrs, [("peer".into(), Value::Str("p"))]);
        // a field code that is not one, or the name (which travels as the item's name)
        for bad in [0u8, 11, 255] {
            let mut e = Encoder::new();
            e.begin_item(ItemKind::Span, "x", 0);
            e.begin_events(0);
            e.end_item_parts(&[tag::EMPTY], &[(Field::Name, b"x")], &[]);
            let mut buf = e.finish();
            let at = buf.len() - 4 - 1 - 4 - 1;
            buf[at] = bad;
            assert!(matches!(
                Batch::decode(&buf),
                Err(DecodeError::Unknown { what: "field", .. })
            ));
        }
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
