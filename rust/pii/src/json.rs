//! JSON-aware redaction: GenAI message JSON (`gen_ai.input.messages`, OpenInference
//! `input.value`, ...) stays valid JSON and only the offending substrings change.
//!
//! One pass over the raw text checks the JSON grammar (with an explicit stack, so deep nesting
//! cannot overflow the call stack) and visits every string token, keys included. A string
//! without escapes is scanned where it lies; one with escapes is unescaped into a scratch
//! buffer, and the offsets of its findings (only) are mapped back to the exact raw bytes to
//! replace. The replacement is JSON-escaped; every other byte, inside the changed string or
//! not, is copied as it was. A number token that holds a finding (a card number written as a
//! JSON number) becomes a JSON string with the marker. If the text turns out not to be JSON,
//! the caller falls back to plain-text redaction. The walk reaches the engine only through
//! [`Redactor`]: it knows leaves, spans and replacement text, not detectors.

use memchr::memchr2;

use crate::mark::Marks;
use crate::outcome::{Redacted, Tally};

/// What the walk needs from the engine: one leaf of the document redacted.
pub(crate) trait Redactor {
    /// Finds what `leaf` (a string's unescaped text, or a number token) holds, counts it in
    /// `tally`, and writes each finding's span and replacement to `marks`. True when a finding
    /// drops the whole value (then `marks` is not filled).
    fn redact_leaf(&self, leaf: &str, marks: &mut Marks, tally: &mut Tally) -> bool;
}

/// True when the first non-whitespace byte opens an object or an array.
pub(crate) fn looks_like_json(text: &str) -> bool {
    matches!(
        text.bytes().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Value,
    ValueOrClose,
    Key,
    KeyOrClose,
    Colon,
    CommaOrClose,
    End,
}

/// The output under construction: nothing is copied until the first change.
struct Splicer<'t> {
    raw: &'t str,
    out: Option<String>,
    copied: usize,
}

impl Splicer<'_> {
    /// Replaces raw bytes `s..e` by the JSON-escaped `with` (optionally quoted).
    fn splice(&mut self, s: usize, e: usize, with: &str, quoted: bool) {
        let raw = self.raw;
        let out = self
            .out
            .get_or_insert_with(|| String::with_capacity(raw.len() + 64));
        out.push_str(&raw[self.copied..s]);
        if quoted {
            out.push('"');
        }
        escape_into(with, out);
        if quoted {
            out.push('"');
        }
        self.copied = e;
    }

    /// Replaces the findings of a string token by their markers (`offsets`: raw offsets of
    /// each finding's start and end, relative to `base`).
    fn replace_marks(&mut self, marks: &Marks, offsets: Option<&[usize]>, base: usize) {
        for (n, (s, e, rep)) in marks.iter().enumerate() {
            let (s, e) = offsets.map_or((s, e), |o| (o[2 * n], o[2 * n + 1]));
            self.splice(base + s, base + e, rep, false);
        }
    }
}

/// Appends `s` as the inside of a JSON string.
fn escape_into(s: &str, out: &mut String) {
    let mut at = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[at..i]);
        if esc.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(esc);
        }
        at = i + 1;
    }
    out.push_str(&s[at..]);
}

fn hex4(b: &[u8]) -> Option<u32> {
    if b.len() < 4 {
        return None;
    }
    b[..4]
        .iter()
        .try_fold(0u32, |acc, &c| Some(acc * 16 + (c as char).to_digit(16)?))
}

/// The escape at `at` (a backslash): the character it stands for and its length in raw
/// bytes. `None` on a malformed escape or a lone surrogate.
fn escape_at(b: &[u8], at: usize) -> Option<(char, usize)> {
    Some(match *b.get(at + 1)? {
        b'"' => ('"', 2),
        b'\\' => ('\\', 2),
        b'/' => ('/', 2),
        b'b' => ('\u{8}', 2),
        b'f' => ('\u{c}', 2),
        b'n' => ('\n', 2),
        b'r' => ('\r', 2),
        b't' => ('\t', 2),
        b'u' => {
            let hi = hex4(&b[at + 2..])?;
            if (0xD800..0xDC00).contains(&hi) {
                if b.get(at + 6) != Some(&b'\\') || b.get(at + 7) != Some(&b'u') {
                    return None;
                }
                let lo = hex4(&b[at + 8..])?;
                if !(0xDC00..0xE000).contains(&lo) {
                    return None;
                }
                let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                (char::from_u32(c)?, 12)
            } else {
                (char::from_u32(hi)?, 6)
            }
        }
        _ => return None,
    })
}

/// Unescapes the inside of a JSON string into `buf`. `None` on a malformed escape.
fn unescape(raw: &str, buf: &mut String) -> Option<()> {
    buf.clear();
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let next = memchr::memchr(b'\\', &b[i..]).map_or(b.len(), |k| i + k);
        buf.push_str(&raw[i..next]);
        if next == b.len() {
            break;
        }
        let (ch, len) = escape_at(b, next)?;
        buf.push(ch);
        i = next + len;
    }
    Some(())
}

/// Turns offsets into the unescaped string (ascending, on character boundaries) into offsets
/// into the raw inside, in place. Only strings with findings pay for this walk.
fn raw_offsets(raw: &str, targets: &mut [usize]) {
    let b = raw.as_bytes();
    let (mut i, mut u, mut k) = (0, 0, 0);
    while i < b.len() && k < targets.len() {
        let next = memchr::memchr(b'\\', &b[i..]).map_or(b.len(), |x| i + x);
        let lit = next - i;
        while k < targets.len() && targets[k] < u + lit {
            targets[k] = i + (targets[k] - u);
            k += 1;
        }
        u += lit;
        if next == b.len() {
            break;
        }
        // validated by `unescape` already
        let (ch, len) = escape_at(b, next).unwrap_or(('\u{fffd}', 2));
        while k < targets.len() && targets[k] < u + ch.len_utf8() {
            targets[k] = next;
            k += 1;
        }
        u += ch.len_utf8();
        i = next + len;
    }
    for t in &mut targets[k..] {
        *t = b.len();
    }
}

/// The closing quote of the string token opening at `q`, and whether it has escapes.
fn string_end(t: &[u8], q: usize) -> Option<(usize, bool)> {
    let mut k = q + 1;
    let mut escaped = false;
    loop {
        let j = k + memchr2(b'"', b'\\', t.get(k..)?)?;
        if t[j] == b'"' {
            return Some((j, escaped));
        }
        escaped = true;
        // the escape is checked by `unescape`; here it only must not hide the quote
        k = j + 2;
    }
}

fn number_end(t: &[u8], i: usize) -> Option<usize> {
    let digits = |k: usize| k + t[k..].iter().take_while(|b| b.is_ascii_digit()).count();
    let mut k = i + usize::from(t[i] == b'-');
    let d = digits(k);
    if d == k {
        return None;
    }
    k = d;
    if k < t.len() && t[k] == b'.' {
        let d = digits(k + 1);
        if d == k + 1 {
            return None;
        }
        k = d;
    }
    if k < t.len() && (t[k] | 0x20) == b'e' {
        k += 1;
        if k < t.len() && (t[k] == b'+' || t[k] == b'-') {
            k += 1;
        }
        let d = digits(k);
        if d == k {
            return None;
        }
        k = d;
    }
    Some(k)
}

/// See the module documentation. `None` when `text` is not JSON.
pub(crate) fn redact(redactor: &impl Redactor, text: &str, tally: &mut Tally) -> Option<Redacted> {
    let t = text.as_bytes();
    let n = t.len();
    let mut local = Tally::default();
    let mut sp = Splicer {
        raw: text,
        out: None,
        copied: 0,
    };
    let mut stack: Vec<u8> = Vec::new();
    let mut marks = Marks::default();
    let (mut buf, mut offsets) = (String::new(), Vec::new());
    let mut ex = Expect::Value;
    let mut i = 0;
    let after = |stack: &Vec<u8>| {
        if stack.is_empty() {
            Expect::End
        } else {
            Expect::CommaOrClose
        }
    };
    loop {
        while i < n && matches!(t[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        if i == n {
            break;
        }
        let c = t[i];
        match ex {
            Expect::Value | Expect::ValueOrClose | Expect::Key | Expect::KeyOrClose
                if c == b'"' =>
            {
                let (close, escaped) = string_end(t, i)?;
                let inner = &text[i + 1..close];
                let base = i + 1;
                if escaped {
                    unescape(inner, &mut buf)?;
                    if redactor.redact_leaf(&buf, &mut marks, &mut local) {
                        tally.merge(&local);
                        return Some(Redacted::Drop);
                    }
                    if !marks.is_empty() {
                        offsets.clear();
                        offsets.extend(marks.iter().flat_map(|(s, e, _)| [s, e]));
                        raw_offsets(inner, &mut offsets);
                        sp.replace_marks(&marks, Some(&offsets), base);
                    }
                } else {
                    if redactor.redact_leaf(inner, &mut marks, &mut local) {
                        tally.merge(&local);
                        return Some(Redacted::Drop);
                    }
                    sp.replace_marks(&marks, None, base);
                }
                i = close + 1;
                ex = match ex {
                    Expect::Key | Expect::KeyOrClose => Expect::Colon,
                    _ => after(&stack),
                };
            }
            Expect::Value | Expect::ValueOrClose => match c {
                b'{' => {
                    stack.push(b'}');
                    ex = Expect::KeyOrClose;
                    i += 1;
                }
                b'[' => {
                    stack.push(b']');
                    ex = Expect::ValueOrClose;
                    i += 1;
                }
                b']' if ex == Expect::ValueOrClose => {
                    stack.pop();
                    ex = after(&stack);
                    i += 1;
                }
                b'-' | b'0'..=b'9' => {
                    let e = number_end(t, i)?;
                    let num = &text[i..e];
                    if redactor.redact_leaf(num, &mut marks, &mut local) {
                        tally.merge(&local);
                        return Some(Redacted::Drop);
                    }
                    if !marks.is_empty() {
                        let mut s = String::new();
                        let mut at = 0;
                        for (hs, he, rep) in marks.iter() {
                            s.push_str(&num[at..hs]);
                            s.push_str(rep);
                            at = he;
                        }
                        s.push_str(&num[at..]);
                        sp.splice(i, e, &s, true);
                    }
                    i = e;
                    ex = after(&stack);
                }
                _ => {
                    let lit: &[u8] = match c {
                        b't' => b"true",
                        b'f' => b"false",
                        b'n' => b"null",
                        _ => return None,
                    };
                    if !t[i..].starts_with(lit) {
                        return None;
                    }
                    i += lit.len();
                    ex = after(&stack);
                }
            },
            Expect::KeyOrClose if c == b'}' => {
                stack.pop();
                ex = after(&stack);
                i += 1;
            }
            Expect::Colon if c == b':' => {
                ex = Expect::Value;
                i += 1;
            }
            Expect::CommaOrClose => {
                let top = *stack.last()?;
                if c == b',' {
                    ex = if top == b'}' {
                        Expect::Key
                    } else {
                        Expect::Value
                    };
                } else if c == top {
                    stack.pop();
                    ex = after(&stack);
                } else {
                    return None;
                }
                i += 1;
            }
            _ => return None,
        }
    }
    if ex != Expect::End {
        return None;
    }
    tally.merge(&local);
    Some(match sp.out {
        None => Redacted::Unchanged,
        Some(mut out) => {
            out.push_str(&text[sp.copied..]);
            Redacted::Changed(out)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_offsets_follow_escapes() {
        let raw = r#"a\nb\u00e9c\ud83d\ude00d"#;
        let mut buf = String::new();
        unescape(raw, &mut buf).unwrap();
        assert_eq!(buf, "a\nb\u{e9}c\u{1f600}d");
        // every char boundary of the unescaped string, and its end
        let mut t: Vec<usize> = buf
            .char_indices()
            .map(|(i, _)| i)
            .chain([buf.len()])
            .collect();
        raw_offsets(raw, &mut t);
        assert_eq!(t, vec![0, 1, 3, 4, 10, 11, 23, 24]);
    }
}
