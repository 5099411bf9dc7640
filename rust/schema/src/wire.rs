//! The byte format that crosses the Go/Rust boundary.
//!
//! All integers are little-endian. A string is `u32 len` + bytes (not necessarily valid
//! UTF-8: the collector does not validate it, so neither may we assume it).
//!
//! Request (Go -> Rust), one per batch:
//! ```text
//! u32 item_count
//! item  := u8 kind · u32 index · u64 time · str name · attrs · events · value body
//!          · fields · links
//!          kind: 0 span, 1 log record, 2 resource of spans, 3 resource of log records,
//!          4 scope of spans, 5 scope of log records;
//!          time: span start / log time in Unix ns (0: unknown, resources, scopes)
//! attrs := u32 n · (str key · value)*
//! events:= u32 n · (u32 index · str name · attrs)*   index: position among the span's events
//! fields:= u32 n · (u8 field · str)*   the item's other non-empty strings (view::Field codes:
//!          1 status message, 2 trace state, 3 severity text, 4 schema URL, 5 scope version)
//!          and, for stages that ask for the span tree, a span's place in its trace as raw
//!          bytes: 6 span id (8), 7 parent span id (8, zero for a root), 8 trace id (16),
//!          9 end time (u64 Unix ns), 10 status code (u8: 0 unset, 1 ok, 2 error)
//! links := u32 n · (u32 index · str trace_state · attrs)*   index: position among the links
//! value := u8 tag · payload
//!          0 empty | 1 str | 2 bool (u8) | 3 int (i64) | 4 double (f64) | 5 bytes (str)
//!          6 array (u32 n · value*) | 7 map (attrs) | 8 unscannable (nested too deep)
//! ```
//! `index` is the item's position in the Go-side list of items sent; edits refer to it.
//! A span's `name` is the span name; a log record's is its `event_name`; a scope's its name.
//! Fields and links are sent only to stages that ask for every string; a scope is sent (before
//! its spans or records, after its resource) only to stages that ask for resources and every
//! string. Attributes of a map are sent in the map's order, duplicate keys included; edits
//! may refer to an attribute by its position among those sent.
//!
//! Response (Rust -> Go): see [`crate::edits`].

/// Value tags, shared with the Go encoder/decoder. Numbers are never reused.
#[allow(missing_docs)]
pub mod tag {
    pub const EMPTY: u8 = 0;
    pub const STR: u8 = 1;
    pub const BOOL: u8 = 2;
    pub const INT: u8 = 3;
    pub const DOUBLE: u8 = 4;
    pub const BYTES: u8 = 5;
    pub const ARRAY: u8 = 6;
    pub const MAP: u8 = 7;
    pub const UNSCANNABLE: u8 = 8;
    /// Every tag with its name (the Go constants are generated from this list).
    pub const ALL: [(&str, u8); 9] = [
        ("Empty", EMPTY),
        ("Str", STR),
        ("Bool", BOOL),
        ("Int", INT),
        ("Double", DOUBLE),
        ("Bytes", BYTES),
        ("Array", ARRAY),
        ("Map", MAP),
        ("Unscannable", UNSCANNABLE),
    ];
}

/// Deepest array/map nesting accepted; the Go encoder sends `unscannable` below it.
pub const MAX_DEPTH: usize = 32;

/// Why a request could not be decoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// The buffer ended inside a field.
    #[error("view truncated at byte {0}")]
    Truncated(usize),
    /// A tag or kind byte had no meaning.
    #[error("unknown {what} {value} at byte {at}")]
    Unknown {
        /// What was being read.
        what: &'static str,
        /// The byte found.
        value: u8,
        /// Where.
        at: usize,
    },
    /// Nesting beyond [`MAX_DEPTH`].
    #[error("value nested deeper than {MAX_DEPTH}")]
    TooDeep,
    /// Bytes left after the last item.
    #[error("{0} trailing bytes after the last item")]
    Trailing(usize),
}

/// A cursor over a request buffer.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Self { buf, pos: 0 }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or(DecodeError::Truncated(self.pos))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }

    pub(crate) fn u32(&mut self) -> Result<u32, DecodeError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn u64(&mut self) -> Result<u64, DecodeError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    pub(crate) fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = self.u32()? as usize;
        self.take(n)
    }

    /// A count that cannot exceed what is left in the buffer (each element takes >= `min` bytes),
    /// so a corrupt count never makes us allocate gigabytes.
    pub(crate) fn count(&mut self, min: usize) -> Result<usize, DecodeError> {
        let at = self.pos;
        let n = self.u32()? as usize;
        if n.saturating_mul(min) > self.remaining() {
            return Err(DecodeError::Truncated(at));
        }
        Ok(n)
    }
}

/// Writers of the value format: the one codec every encoder of this crate writes with (the
/// stages' edits, and the test-side request encoder); [`crate::view`] is its reader.
pub(crate) mod put {
    use super::tag;

    /// A string or bytes payload: `u32 len` + bytes.
    pub(crate) fn bytes(buf: &mut Vec<u8>, b: &[u8]) {
        buf.extend_from_slice(&(b.len() as u32).to_le_bytes());
        buf.extend_from_slice(b);
    }

    /// A string value.
    pub(crate) fn str_value(buf: &mut Vec<u8>, s: &[u8]) {
        buf.push(tag::STR);
        bytes(buf, s);
    }

    /// An int value.
    pub(crate) fn int_value(buf: &mut Vec<u8>, i: i64) {
        buf.push(tag::INT);
        buf.extend_from_slice(&i.to_le_bytes());
    }

    /// A double value.
    pub(crate) fn double_value(buf: &mut Vec<u8>, d: f64) {
        buf.push(tag::DOUBLE);
        buf.extend_from_slice(&d.to_le_bytes());
    }

    /// A bool value.
    pub(crate) fn bool_value(buf: &mut Vec<u8>, b: bool) {
        buf.extend_from_slice(&[tag::BOOL, b as u8]);
    }

    /// The head of an array or map value (`tag` + `u32 n`); its elements follow.
    pub(crate) fn head(buf: &mut Vec<u8>, tag: u8, n: usize) {
        buf.push(tag);
        buf.extend_from_slice(&(n as u32).to_le_bytes());
    }
}
