//! Property tests of the scanner: no panic and bounded output on any input, planted secrets
//! always redacted (in plain text and inside message JSON, which stays valid), redaction
//! idempotent.
//!
//! Each property runs 256 cases by default. To run longer (failures are shrunk and saved in
//! `tests/fuzz.proptest-regressions`, which is committed and replayed first on every run):
//!
//! ```sh
//! PROPTEST_CASES=100000 cargo test -p llmo-pii --test fuzz --release
//! ```

use std::sync::LazyLock;

use llmo_pii::{Engine, PiiConfig, Redacted, Tally};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::new(&PiiConfig::default()).unwrap());

/// The longest default marker (`<AWS_SECRET_ACCESS_KEY>`, quoted when it replaces a JSON
/// number) is 25 bytes and the shortest finding (a URL password) one byte.
fn max_output(input: usize) -> usize {
    25 * input + 64
}

// ---- arbitrary input -------------------------------------------------------------------

/// Pieces of text that make the scanners work: digit runs and the separators between them,
/// credential prefixes, `@`, `:`, Unicode spaces, controls.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[0-9]{1,24}",
        1 => "[0-9]{20,200}",
        3 => select(vec![
            " ", "-", ".", "(", ")", "+", "/", "\\", ",", "_", "@", ":", "::", "=", "\"", "'", "\n",
            "\t", " - ", "x", "\u{a0}", "\u{202f}", "\u{2009}", "\u{2007}", "\0", "\u{1}",
        ])
        .prop_map(String::from),
        2 => "[a-zA-Z]{1,10}",
        2 => select(vec![
            "sk-", "sk-ant-", "sk_live_", "rk_test_", "AKIA", "ASIA", "ghp_", "github_pat_",
            "glpat-", "xoxb-", "AIza", "eyJ", "eyJhbGciOiJIUzI1NiJ9.", "-----BEGIN ",
            "-----BEGIN RSA PRIVATE KEY-----", "-----END RSA PRIVATE KEY-----", "://", "https://",
            "Bearer ", "Basic ", "aws", "secret", "hooks.slack.com/services/", "DE89", "GB82WEST",
            "@example.com", "4111", "[", "]", "{", "}",
        ])
        .prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
    ]
}

fn technical_text() -> impl Strategy<Value = String> {
    vec(fragment(), 0..64).prop_map(|v| v.concat())
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        vec(any::<char>(), 0..256).prop_map(String::from_iter),
        technical_text(),
        // long runs of one digit pattern with a separator
        (
            "[0-9]{1,6}",
            select(vec!["", " ", "-", ".", ",", "\u{a0}"]),
            1usize..2000
        )
            .prop_map(|(d, sep, n)| [d.as_str(), sep].concat().repeat(n)),
    ]
}

fn any_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..512),
        vec(
            prop_oneof![
                3 => fragment().prop_map(String::into_bytes),
                1 => vec(0x80u8..=0xff, 1..4),
            ],
            0..48
        )
        .prop_map(|v| v.concat()),
    ]
}

// ---- planted secrets -------------------------------------------------------------------

const DIGITS: &[u8] = b"0123456789";
const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `len` characters of `alphabet`, drawn from `seed` (one byte per character).
fn chars(alphabet: &[u8], seed: &[u8], len: usize) -> String {
    (0..len)
        .map(|i| char::from(alphabet[usize::from(seed[i % seed.len()]) % alphabet.len()]))
        .collect()
}

fn luhn_check_digit(body: &str) -> char {
    let sum: u32 = body
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let v = u32::from(d - b'0');
            if i % 2 == 0 {
                let w = v * 2;
                if w > 9 {
                    w - 9
                } else {
                    w
                }
            } else {
                v
            }
        })
        .sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

/// A Luhn-valid number of a brand this crate knows, written plain or in groups.
fn card(brand: usize, seed: &[u8], format: usize) -> String {
    let (prefix, len, groups): (&str, usize, &[usize]) = match brand % 7 {
        0 => ("4", 16, &[4, 4, 4, 4]),
        1 => ("4", 13, &[4, 4, 5]),
        2 => ("4", 19, &[4, 4, 4, 4, 3]),
        3 => ("5", 16, &[4, 4, 4, 4]),
        4 => ("2221", 16, &[4, 4, 4, 4]),
        5 => ("37", 15, &[4, 6, 5]),
        _ => ("6011", 16, &[4, 4, 4, 4]),
    };
    let mut body = prefix.to_string();
    if prefix == "5" {
        body.push(char::from(b'1' + seed[0] % 5));
    }
    body.push_str(&chars(DIGITS, &seed[1..], len - 1 - body.len()));
    body.push(luhn_check_digit(&body));
    let sep = ["", " ", "-", "\u{a0}", "\u{202f}", "\u{2009}"][format % 6];
    if sep.is_empty() {
        return body;
    }
    let mut out = String::new();
    let mut at = 0;
    for (i, g) in groups.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(&body[at..at + g]);
        at += g;
    }
    out
}

/// A valid IBAN (German or British), compact or in groups of four.
fn iban(seed: &[u8], print: bool) -> String {
    let (country, bban) = if seed[0] % 2 == 0 {
        ("DE", chars(DIGITS, &seed[1..], 18))
    } else {
        (
            "GB",
            chars(UPPER, &seed[1..], 4) + &chars(DIGITS, &seed[5..], 14),
        )
    };
    // mod-97 over BBAN + country + "00", letters as two digits
    let rem = format!("{bban}{country}00").bytes().fold(0u32, |r, c| {
        if c.is_ascii_digit() {
            (r * 10 + u32::from(c - b'0')) % 97
        } else {
            (r * 100 + u32::from(c - b'A' + 10)) % 97
        }
    });
    let compact = format!("{country}{:02}{bban}", 98 - rem);
    if !print {
        return compact;
    }
    compact
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Card,
    Email,
    AwsKeyId,
    OpenAi,
    Github,
    Jwt,
    Ssn,
    Iban,
}

const KINDS: &[Kind] = &[
    Kind::Card,
    Kind::Email,
    Kind::AwsKeyId,
    Kind::OpenAi,
    Kind::Github,
    Kind::Jwt,
    Kind::Ssn,
    Kind::Iban,
];

/// One secret of `kind`, drawn from `seed` (64 bytes) and `variant`.
fn secret(kind: Kind, seed: &[u8], variant: usize) -> String {
    match kind {
        Kind::Card => card(variant, seed, variant / 7),
        Kind::Email => format!(
            "{}{}@{}.{}",
            chars(LOWER, seed, 1 + variant % 10),
            if variant % 3 == 0 { ".x" } else { "" },
            chars(LOWER, &seed[10..], 2 + variant % 9),
            ["com", "org", "co.uk", "io", "de"][variant % 5]
        ),
        Kind::AwsKeyId => {
            let mut body = chars(BASE32, seed, 16).into_bytes();
            // key ids carry digits; one glued into an identifier must (see src/scan/aws.rs)
            body[variant % 16] = b"234567"[variant % 6];
            let prefix = if variant % 2 == 0 { "AKIA" } else { "ASIA" };
            format!("{prefix}{}", String::from_utf8(body).unwrap())
        }
        Kind::OpenAi => format!(
            "sk-proj-{}{}",
            chars(ALNUM, seed, 20 + variant % 40),
            char::from(b'0' + (variant % 10) as u8)
        ),
        Kind::Github => format!(
            "{}{}7",
            ["ghp_", "gho_", "ghs_"][variant % 3],
            chars(ALNUM, seed, 35)
        ),
        Kind::Jwt => format!(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{}.{}",
            chars(B64URL, seed, 8 + variant % 40),
            chars(B64URL, &seed[40..], 16 + variant % 27)
        ),
        Kind::Ssn => {
            let n = |s: &[u8], lo: u32, hi: u32| {
                lo + u32::from_le_bytes([s[0], s[1], s[2], s[3]]) % (hi - lo + 1)
            };
            let mut area = n(&seed[0..4], 1, 899);
            if area == 666 {
                area = 667;
            }
            let sep = if variant % 4 == 0 { " " } else { "-" };
            format!(
                "{area:03}{sep}{:02}{sep}{:04}",
                n(&seed[4..8], 1, 99),
                n(&seed[8..12], 1, 9999)
            )
        }
        Kind::Iban => iban(seed, variant % 2 == 0),
    }
}

/// Delimiters around a planted secret that hold whatever text touches them (the filler may
/// end or start with a letter).
const CONTEXTS: &[(&str, &str)] = &[
    (" ", " "),
    ("\n", "\n"),
    (",", ","),
    ("\"", "\""),
    ("'", "'"),
    (" (", ") "),
    (" (", ")"),
    (": ", "\n"),
    (":", ","),
    ("=", " "),
    ("=", ";"),
    ("\t", "\t"),
];

/// More contexts, for one kind of secret.
fn contexts_of(kind: Kind) -> &'static [(&'static str, &'static str)] {
    match kind {
        Kind::Card => &[
            (" +", " "),
            ("+", ""),
            ("(", ")"),
            (" ref 12-", " "),
            (" 2024-", ","),
            (" ", "-12 "),
            ("path/", " "),
            ("C:\\", " "),
            ("a,", ",b"),
            ("\u{a0}", "\u{a0}"),
        ],
        Kind::AwsKeyId => &[("x_", "_y"), ("_", "_"), ("/", "/"), ("s3://b/", "/k")],
        _ => &[],
    }
}

#[derive(Debug, Clone)]
struct Planted {
    kind: Kind,
    secret: String,
    text: String,
}

fn filler() -> impl Strategy<Value = String> {
    "[a-zA-Z \n,\"'():=]{0,40}"
}

/// Filler, a delimiter, a secret, a delimiter, filler. Contexts that hold only at the edge of
/// the text (`+4111...`, `(4111...)`) are used there.
fn planted() -> impl Strategy<Value = Planted> {
    (
        select(KINDS),
        vec(any::<u8>(), 64),
        any::<usize>(),
        any::<usize>(),
        filler(),
        filler(),
    )
        .prop_map(|(kind, seed, variant, ctx, before, after)| {
            let secret = secret(kind, &seed, variant);
            let extra = contexts_of(kind);
            let n = CONTEXTS.len() + extra.len();
            let (pre, post) = match ctx % n {
                i if i < CONTEXTS.len() => CONTEXTS[i],
                i => extra[i - CONTEXTS.len()],
            };
            let edge = matches!(pre, "+" | "(");
            let before = if edge { String::new() } else { before };
            // a context whose closing side is empty ends the text
            let after = if post.is_empty() {
                String::new()
            } else {
                after
            };
            Planted {
                kind,
                text: format!("{before}{pre}{secret}{post}{after}"),
                secret,
            }
        })
}

fn changed(r: Redacted) -> Option<String> {
    match r {
        Redacted::Changed(s) => Some(s),
        Redacted::Unchanged => None,
        Redacted::Drop => panic!("the default config masks, it never drops"),
    }
}

// ---- properties --------------------------------------------------------------------------

proptest! {
    #[test]
    fn any_text_redacts_without_panic_and_within_bounds(text in any_text()) {
        let e = &*ENGINE;
        let mut tally = Tally::default();
        match changed(e.redact(&text, &mut tally)) {
            Some(out) => {
                prop_assert_ne!(&out, &text);
                prop_assert!(out.len() <= max_output(text.len()), "{} -> {}", text.len(), out.len());
                prop_assert!(tally.total() >= 1);
            }
            None => prop_assert!(tally.is_empty()),
        }
        // findings are sorted, disjoint spans on character boundaries
        let found = e.find(&text);
        let mut at = 0;
        for f in &found {
            prop_assert!(at <= f.start && f.start < f.end && f.end <= text.len(), "{found:?}");
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            at = f.end;
        }
    }

    #[test]
    fn any_bytes_redact_without_panic_and_within_bounds(bytes in any_bytes()) {
        let e = &*ENGINE;
        let mut tally = Tally::default();
        let r = e.redact_bytes(&bytes, &mut tally);
        match &r {
            Redacted::Changed(out) => {
                prop_assert!(out.len() <= max_output(bytes.len()));
                prop_assert!(tally.total() >= 1);
            }
            Redacted::Unchanged => prop_assert!(tally.is_empty()),
            Redacted::Drop => prop_assert!(false, "dropped"),
        }
        // valid UTF-8 is redacted as the same text would be
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let as_text = e.redact(text, &mut Tally::default());
            let as_bytes = match r {
                Redacted::Changed(b) => Redacted::Changed(String::from_utf8(b).unwrap()),
                Redacted::Unchanged => Redacted::Unchanged,
                Redacted::Drop => Redacted::Drop,
            };
            prop_assert_eq!(as_bytes, as_text);
        }
    }

    #[test]
    fn planted_secrets_are_always_redacted(p in planted()) {
        let e = &*ENGINE;
        let mut tally = Tally::default();
        let out = changed(e.redact(&p.text, &mut tally));
        prop_assert!(out.is_some(), "{:?} not found in {:?}", p.kind, p.text);
        let out = out.unwrap();
        prop_assert!(!out.contains(&p.secret), "{:?} survived: {:?}", p.kind, out);
        prop_assert!(tally.total() >= 1);
    }

    #[test]
    fn message_json_stays_valid_and_loses_the_secret(p in planted(), role in select(vec!["user", "assistant", "system"])) {
        let e = &*ENGINE;
        let msg = serde_json::json!([
            {"role": role, "parts": [{"type": "text", "content": p.text}]}
        ]);
        let json = serde_json::to_string(&msg).unwrap();
        let mut tally = Tally::default();
        let out = changed(e.redact(&json, &mut tally));
        prop_assert!(out.is_some(), "{:?} not found in {}", p.kind, json);
        let out = out.unwrap();
        let v: serde_json::Value = serde_json::from_str(&out)
            .map_err(|err| TestCaseError::fail(format!("{err}: {out}")))?;
        let content = v[0]["parts"][0]["content"].as_str().unwrap_or_default();
        prop_assert!(!content.contains(&p.secret), "{:?} survived: {}", p.kind, content);
        prop_assert!(!out.contains(&p.secret));
        prop_assert_eq!(&v[0]["role"], role);
        prop_assert!(tally.total() >= 1);
    }

    #[test]
    fn redaction_is_idempotent(text in prop_oneof![any_text(), planted().prop_map(|p| p.text)]) {
        let e = &*ENGINE;
        if let Some(once) = changed(e.redact(&text, &mut Tally::default())) {
            let twice = changed(e.redact(&once, &mut Tally::default()));
            if twice.is_some() && twice.as_deref() != Some(once.as_str()) {
                let b = once.as_bytes();
                let again: Vec<_> = e
                    .find(&once)
                    .iter()
                    .map(|f| {
                        let glued = (f.start > 0 && b[f.start - 1] == b'>')
                            || b.get(f.end) == Some(&b'<');
                        (e.detector_name(f.detector), &once[f.start..f.end], glued)
                    })
                    .collect();
                prop_assert!(
                    again.iter().all(|(kind, found, glued)| *glued || keyword_window(kind, found)),
                    "{text:?} -> {once:?} -> {twice:?}: {again:?}"
                );
            }
        }
    }
}

/// The two known ways a second pass finds more (the caller checks the first):
///
/// * a candidate glued to a marker: the scan treats findings as boundaries where they are
///   known when the candidate is looked at (literal anchors and `@`s get a second look once
///   every finding is known, numbers do not; see `src/scan/`);
/// * a keyword window: a phone number the plans alone do not make (bare digits, no trunk
///   prefix, ...) needs a contact cue within 48 characters before it (24 bytes after), a card
///   not known by its issuer a card cue, an AWS secret access key an `aws`/`secret` keyword
///   within 96 bytes before or 160 after. Those distances are measured in the text as given,
///   so a finding between cue and candidate that is longer than its marker (a PEM block, an
///   email address) can bring the candidate into range once it is a marker. Markers
///   themselves are never cues.
fn keyword_window(kind: &str, found: &str) -> bool {
    let digits: Vec<u8> = found.bytes().filter(u8::is_ascii_digit).collect();
    match kind {
        "phone" => true,
        "credit_card" => llmo_pii::validate::card_brand(&digits).is_none(),
        "aws_secret_access_key" => true,
        _ => false,
    }
}
