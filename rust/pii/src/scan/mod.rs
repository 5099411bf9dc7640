//! The built-in scanners: cheap anchors first, validators second.
//!
//! Clean text must not pay for every detector, so nothing here runs a general regex. Each
//! detector family has an anchor that a fast search finds, and does its real work only there:
//!
//! * one Aho-Corasick automaton over the literal prefixes of credentials and the other
//!   keywords (`sk-`, `AKIA`, `ghp_`, `eyJ`, `-----BEGIN`, `://`, `Bearer`, `aws`, ...):
//!   [`anchors`], which hands each to its family ([`keys`], [`aws`], [`tokens`], [`pem`],
//!   [`url`]);
//! * `memchr` for `@` ([`email`]) and `:` (IPv6, [`network`]);
//! * a SWAR search for ASCII digits, whose runs (digit groups joined by single separators,
//!   [`groups`]) feed the card ([`numbers`]), phone ([`phone`]), SSN and IBAN ([`ids`]) and
//!   IPv4 ([`network`]) validators.
//!
//! From an anchor, a scanner expands over the characters its format allows ([`bytes`]),
//! checks ASCII word boundaries on both sides and calls a validator ([`crate::validate`]).
//! Every expansion is bounded or starts only at a token's left boundary, so the whole scan is
//! linear in the input, including on pathological text (megabytes of digits or `@`).
//!
//! A finding also bounds the tokens beside it, as its marker (`<EMAIL>`) will in the redacted
//! text: the scanners that run later stop at the findings already made ([`ctx`]), and the
//! literal anchors and `@`s that a later finding could change get a second look. So redacting
//! the redacted text finds nothing new, except where a keyword window (a contact or card cue
//! within 48 characters, `aws` within 96/160) is measured across a finding longer than its
//! marker. Markers themselves are never cues.

mod anchors;
mod aws;
mod bytes;
mod ctx;
mod email;
mod groups;
mod ids;
mod keys;
mod network;
mod numbers;
mod pem;
mod phone;
mod tokens;
mod url;

use crate::detectors::Builtin;
use anchors::{Covered, Literals, MIN_LITERAL_TEXT};
use ctx::Ctx;
pub(crate) use ctx::Hit;

/// The built-in detectors, compiled for the enabled set.
#[derive(Debug, Clone)]
pub(crate) struct Scanner {
    on: [bool; Builtin::ALL.len()],
    literals: Option<Literals>,
    numbers: bool,
    /// Whether the shortcuts are taken (number runs too short to judge skipped, cue words
    /// looked up in an index of the text): off only in tests that hold them to the long way.
    shortcuts: bool,
}

impl Scanner {
    pub(crate) fn new(on: [bool; Builtin::ALL.len()]) -> Scanner {
        let numbers = [
            Builtin::CreditCard,
            Builtin::Phone,
            Builtin::UsSsn,
            Builtin::Iban,
            Builtin::IpAddress,
        ]
        .iter()
        .any(|b| on[*b as usize]);
        Scanner {
            on,
            literals: Literals::new(&on),
            numbers,
            shortcuts: true,
        }
    }

    /// The scanner without its shortcuts: the reference its property tests compare with.
    #[cfg(test)]
    fn exhaustive(on: [bool; Builtin::ALL.len()]) -> Scanner {
        Scanner {
            shortcuts: false,
            ..Scanner::new(on)
        }
    }

    /// Appends the built-in findings in `text` to `out` (unsorted, possibly overlapping).
    pub(crate) fn scan(&self, text: &str, out: &mut Vec<Hit>) {
        let t = text.as_bytes();
        if !quiet(t) {
            self.scan_all(t, out);
        }
    }

    /// [`Scanner::scan`] without the quick look at short texts.
    fn scan_all(&self, t: &[u8], out: &mut Vec<Hit>) {
        let mut cx = Ctx {
            t,
            out,
            on: &self.on,
            max_end: 0,
            phone_end: None,
            shortcuts: self.shortcuts,
            phone_cues: Default::default(),
            card_cues: Default::default(),
        };
        let mut covered = Covered::default();
        if let Some(literals) = &self.literals {
            cx.literals(literals, &mut covered);
        }
        let mut later = Vec::new();
        if self.on[Builtin::Email as usize] {
            cx.emails(memchr::memchr_iter(b'@', t), &mut later);
        }
        if self.on[Builtin::IpAddress as usize] {
            cx.ipv6();
        }
        if self.numbers {
            cx.numbers();
        }
        // with every finding known: `Bearer abc123XYZ=<EMAIL>`, `://<CREDIT_CARD>-x@host`
        cx.second_look(&mut covered);
        if !later.is_empty() && !cx.out.is_empty() {
            cx.emails(later.into_iter(), &mut Vec::new());
        }
    }
}

/// True when no built-in scanner can find anything in `t`: shorter than any literal finding,
/// with none of the bytes the others start from (a digit, `@`, `:`). The keys, roles and
/// types of message JSON and most short values are such texts, and one pass over their few
/// bytes costs less than setting up the scanners.
#[inline]
fn quiet(t: &[u8]) -> bool {
    t.len() < MIN_LITERAL_TEXT
        && !t
            .iter()
            .any(|&b| b.is_ascii_digit() || b == b'@' || b == b':')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in findings in `text` (every detector on), in order.
    pub(super) fn scan(text: &str) -> Vec<(Builtin, &str)> {
        let s = Scanner::new([true; Builtin::ALL.len()]);
        let mut out = Vec::new();
        s.scan(text, &mut out);
        out.sort_by_key(|h| (h.start, h.end));
        out.iter()
            .map(|h| (Builtin::ALL[h.det as usize], &text[h.start..h.end]))
            .collect()
    }

    /// The one finding in `text`, if any (fails on more than one).
    pub(super) fn one(text: &str) -> Option<(Builtin, &str)> {
        let v = scan(text);
        assert!(v.len() <= 1, "{text:?}: {v:?}");
        v.into_iter().next()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The quick look skips only texts in which the scanners find nothing.
        #[test]
        fn quiet_texts_hold_no_finding(t in "[a-zA-Z_.:@/+=()#$%\\ \\-0-9\u{a0}\u{2009}é]{0,16}") {
            let s = Scanner::new([true; Builtin::ALL.len()]);
            let mut out = Vec::new();
            s.scan_all(t.as_bytes(), &mut out);
            if quiet(t.as_bytes()) {
                proptest::prop_assert!(out.is_empty(), "{t:?}: {out:?}");
            }
            let mut fast = Vec::new();
            s.scan(&t, &mut fast);
            proptest::prop_assert_eq!(fast, out);
        }
    }

    /// Text that makes the number scanner and the cue search work hard: numbers of one to six
    /// digit groups joined by every separator, after cue words, `+`, parentheses, letters,
    /// other findings, and before extensions, words and punctuation.
    fn numbery() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        use proptest::sample::select;
        let before = select(vec![
            "",
            "",
            " ",
            "call ",
            "phone: ",
            "Tel. ",
            "call id ",
            "card ",
            "visa ",
            "mobil ",
            "<PHONE> ",
            "+",
            "+",
            "(",
            "00",
            "DE",
            "GB82WEST",
            "v",
            "ref-",
            "path/",
            "1,",
            "AKIAIOSFODNN7EXAMPLE ",
            "x@example.com ",
            "version ",
        ]);
        let sep = select(vec![
            " ", " ", "-", "-", ".", ".", "/", " - ", "\u{a0}", ") ", "(", ",", ":", "",
        ]);
        let after = select(vec![
            " ", " ", ", ", ".", "x12", " ext. 3", "abc", "_", "\n", " thanks ", "-",
        ]);
        let groups = (
            "[0-9]{1,6}",
            proptest::collection::vec((sep, "[0-9]{1,6}"), 0..6),
        )
            .prop_map(|(first, rest)| {
                rest.into_iter().fold(first, |mut n, (s, g)| {
                    n.push_str(s);
                    n.push_str(&g);
                    n
                })
            });
        let number = prop_oneof![
            3 => groups,
            1 => "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}",
        ];
        proptest::collection::vec((before, number, after), 0..8).prop_map(|v| {
            v.into_iter()
                .map(|(b, n, a)| format!("{b}{n}{a}"))
                .collect()
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1500))]
        /// The shortcuts change how fast the scanner is, never what it finds.
        #[test]
        fn shortcuts_find_what_the_long_way_finds(t in numbery()) {
            let fast = Scanner::new([true; Builtin::ALL.len()]);
            let slow = Scanner::exhaustive([true; Builtin::ALL.len()]);
            let (mut a, mut b) = (Vec::new(), Vec::new());
            fast.scan(&t, &mut a);
            slow.scan(&t, &mut b);
            proptest::prop_assert_eq!(a, b, "{:?}", t);
        }
    }

    #[test]
    fn uuids_hashes_and_versions_are_clean() {
        for s in [
            "550e8400-e29b-41d4-a716-446655440000",
            "commit 3f786850e387550fdab836ed7e6dc881de23001b",
            "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "2024-03-15T10:30:00.123Z",
            "version 1.24.3 and v2.0.0-rc.1",
            "price $1,299.99 total 4,111,111,111",
        ] {
            assert_eq!(scan(s), vec![], "{s}");
        }
    }

    #[test]
    fn credential_near_misses() {
        for s in [
            "AKIAIOSFODNN7EXAMPL",                      // 15 after the prefix
            "AKIAIOSFODNN7EXAMPLEX",                    // 17
            "akiaiosfodnn7example",                     // lower case
            "ghp_1234567890abcdefghij",                 // too short
            "ghp_abcdefghijklmnopqrstuvwxyzabcdefghij", // one class only
            "glpat-short-token",                        // too short
            "xoxb-abcdefghijklmnop",                    // no digits
            "xoxz-123456789012-abcdef",                 // unknown kind
            "sk_live_abcdefghijklmnopqrstuvwx",         // one class only
            "sk_prod_4eC39HqLyjWDarjtT1zdp7dc",         // not live/test
            "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6",   // 34 after the prefix
            "eyJhbGciOiJIUzI1NiJ9",                     // a header alone
            "Bearer abc123",                            // too short
            "Bearer ${ACCESS_TOKEN}",                   // placeholder
            "Basic dXNlcnBhc3M=",                       // no colon inside
            "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----",
            "postgres://user@db.example.com/app", // no password
            "https://example.com/a:b@c",          // @ in the path
        ] {
            assert_eq!(scan(s), vec![], "{s}");
        }
    }
}
