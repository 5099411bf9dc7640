//! The built-in scanners: cheap anchors first, validators second.
//!
//! Clean text must not pay for every detector, so nothing here runs a general regex. Each
//! detector family has an anchor that a fast search finds, and does its real work only there:
//!
//! * one Aho-Corasick automaton over the literal prefixes of credentials and the other
//!   keywords (`sk-`, `AKIA`, `ghp_`, `eyJ`, `-----BEGIN`, `://`, `Bearer`, `aws`, ...);
//! * `memchr` for `@` (email) and `:` (IPv6);
//! * a SWAR search for ASCII digits, whose runs (digit groups joined by single separators)
//!   feed the card, phone, SSN, IPv4 and IBAN validators.
//!
//! From an anchor, a scanner expands over the characters its format allows, checks ASCII
//! word boundaries on both sides and calls a validator ([`crate::validate`]). Every expansion
//! is bounded or starts only at a token's left boundary, so the whole scan is linear in the
//! input, including on pathological text (megabytes of digits or `@`).
//!
//! A finding also bounds the tokens beside it, as its marker (`<EMAIL>`) will in the redacted
//! text: the scanners that run later stop at the findings already made, and the literal
//! anchors and `@`s that a later finding could change get a second look. So redacting the
//! redacted text finds nothing new, except where a keyword window (a phone keyword within 32
//! bytes, `aws` within 96/160) is measured across a finding longer than its marker.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use memchr::memmem;

use crate::detectors::Builtin;
use crate::validate;

/// A finding before allow lists and overlap resolution: a byte span and its detector id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub det: u16,
}

/// Literal anchors found by the Aho-Corasick pass. The automaton is case-sensitive so that
/// its SIMD prefilter (Teddy) works; the keywords people write in several cases are listed in
/// each of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trigger {
    SkDash,
    StripeSk,
    StripeRk,
    AwsKeyId,
    GithubClassic,
    GithubPat,
    Gitlab,
    Slack,
    SlackHook,
    Google,
    Jwt,
    Pem,
    Scheme,
    Bearer,
    Basic,
    AwsKeyword,
}

const TRIGGERS: &[(&str, Trigger, &[Builtin])] = &[
    (
        "sk-",
        Trigger::SkDash,
        &[Builtin::OpenaiApiKey, Builtin::AnthropicApiKey],
    ),
    ("sk_", Trigger::StripeSk, &[Builtin::StripeKey]),
    ("rk_", Trigger::StripeRk, &[Builtin::StripeKey]),
    ("AKIA", Trigger::AwsKeyId, &[Builtin::AwsAccessKeyId]),
    ("ASIA", Trigger::AwsKeyId, &[Builtin::AwsAccessKeyId]),
    ("ghp_", Trigger::GithubClassic, &[Builtin::GithubToken]),
    ("gho_", Trigger::GithubClassic, &[Builtin::GithubToken]),
    ("ghu_", Trigger::GithubClassic, &[Builtin::GithubToken]),
    ("ghs_", Trigger::GithubClassic, &[Builtin::GithubToken]),
    ("ghr_", Trigger::GithubClassic, &[Builtin::GithubToken]),
    ("github_pat_", Trigger::GithubPat, &[Builtin::GithubToken]),
    ("glpat-", Trigger::Gitlab, &[Builtin::GitlabToken]),
    ("xox", Trigger::Slack, &[Builtin::SlackToken]),
    (
        "hooks.slack.com/",
        Trigger::SlackHook,
        &[Builtin::SlackWebhook],
    ),
    ("AIza", Trigger::Google, &[Builtin::GoogleApiKey]),
    ("eyJ", Trigger::Jwt, &[Builtin::Jwt]),
    ("-----BEGIN ", Trigger::Pem, &[Builtin::PrivateKey]),
    ("://", Trigger::Scheme, &[Builtin::UrlPassword]),
    ("Bearer", Trigger::Bearer, &[Builtin::BearerToken]),
    ("bearer", Trigger::Bearer, &[Builtin::BearerToken]),
    ("BEARER", Trigger::Bearer, &[Builtin::BearerToken]),
    ("Basic", Trigger::Basic, &[Builtin::BasicAuth]),
    ("basic", Trigger::Basic, &[Builtin::BasicAuth]),
    ("BASIC", Trigger::Basic, &[Builtin::BasicAuth]),
    ("aws", Trigger::AwsKeyword, &[Builtin::AwsSecretAccessKey]),
    ("AWS", Trigger::AwsKeyword, &[Builtin::AwsSecretAccessKey]),
    ("Aws", Trigger::AwsKeyword, &[Builtin::AwsSecretAccessKey]),
    (
        "secret",
        Trigger::AwsKeyword,
        &[Builtin::AwsSecretAccessKey],
    ),
    (
        "Secret",
        Trigger::AwsKeyword,
        &[Builtin::AwsSecretAccessKey],
    ),
    (
        "SECRET",
        Trigger::AwsKeyword,
        &[Builtin::AwsSecretAccessKey],
    ),
];

/// How far from an `aws`/`secret` keyword an AWS secret access key is looked for.
const AWS_BEFORE: usize = 96;
const AWS_AFTER: usize = 160;

/// Most digit groups one run is evaluated over at once (bounds memory on `1 1 1 1 ...`).
const MAX_RUN_GROUPS: usize = 32;
/// Most groups one finding spans (`+44 (0) 20 7946 0958` has 5).
const MAX_FINDING_GROUPS: usize = 8;

const WORD: u8 = 1;
const KEY: u8 = 2;
const B64: u8 = 4;

/// Byte classes, one table lookup each (the token loops run over every byte of a hash or a
/// UUID in technical text).
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let mut c = 0;
        if b.is_ascii_alphanumeric() {
            c |= WORD | KEY | B64;
        }
        if b == b'_' {
            c |= WORD | KEY;
        }
        if b == b'-' {
            c |= KEY;
        }
        if b == b'+' || b == b'/' {
            c |= B64;
        }
        t[i] = c;
        i += 1;
    }
    t
};

/// `[A-Za-z0-9_]`: the ASCII word characters of `(?-u:\b)`.
#[inline]
fn is_word(b: u8) -> bool {
    CLASS[usize::from(b)] & WORD != 0
}

/// `[A-Za-z0-9_-]`: the characters of API keys and base64url.
#[inline]
fn is_key_char(b: u8) -> bool {
    CLASS[usize::from(b)] & KEY != 0
}

#[inline]
fn is_b64url(b: u8) -> bool {
    is_key_char(b)
}

/// `[A-Za-z0-9+/]`: standard base64 without padding.
#[inline]
fn is_b64(b: u8) -> bool {
    CLASS[usize::from(b)] & B64 != 0
}

#[inline]
fn run_end(t: &[u8], mut i: usize, pred: impl Fn(u8) -> bool) -> usize {
    while i < t.len() && pred(t[i]) {
        i += 1;
    }
    i
}

/// The end of the word (`[A-Za-z0-9_]+`) at `i`, eight bytes per branch: hashes, UUIDs and
/// identifiers are skipped whole when their first digit is not a number's.
#[inline]
fn skip_word(t: &[u8], mut i: usize) -> usize {
    while i + 8 <= t.len() {
        let w = &t[i..i + 8];
        let all = w.iter().fold(WORD, |acc, &b| acc & CLASS[usize::from(b)]);
        if all == 0 {
            break;
        }
        i += 8;
    }
    run_end(t, i, is_word)
}

/// The first ASCII digit at or after `i`, eight bytes at a time.
#[inline]
fn next_digit(t: &[u8], mut i: usize) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    while i + 8 <= t.len() {
        let x = u64::from_le_bytes(t[i..i + 8].try_into().expect("8 bytes"));
        // a digit is a byte whose xor with '0' is below 10; the lowest flagged lane is exact
        let y = x ^ (0x30 * LO);
        let m = y.wrapping_sub(10 * LO) & !y & HI;
        if m != 0 {
            return Some(i + (m.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    (i..t.len()).find(|&k| t[k].is_ascii_digit())
}

/// Most literal anchors looked at twice per text (bounds memory on `sk-sk-sk-...`; past it a
/// candidate glued to a later finding stays unfound in one pass and is found in the next).
const MAX_SECOND_LOOKS: usize = 4096;

/// The shortest text a literal anchor can turn into a finding, except a URL password
/// (`a://:x@`): `Basic ` and eight base64 characters. Shorter strings (the keys and roles of
/// message JSON) skip the automaton unless they hold a `:`.
const MIN_LITERAL_TEXT: usize = 14;

/// The built-in detectors, compiled for the enabled set.
#[derive(Debug, Clone)]
pub(crate) struct Scanner {
    on: [bool; Builtin::ALL.len()],
    literals: Option<(AhoCorasick, Vec<Trigger>)>,
    numbers: bool,
}

/// Byte-level helpers carry the text and the output together.
struct Ctx<'t, 'o> {
    t: &'t [u8],
    out: &'o mut Vec<Hit>,
    on: &'t [bool; Builtin::ALL.len()],
    /// The end of the findings made so far (the literal anchors come in order).
    max_end: usize,
    /// The end of the last phone number found: a phone keyword, as its marker (`<PHONE>`)
    /// will be in the redacted text.
    phone_end: Option<usize>,
    /// The literal anchors that made no finding, for a second look.
    missed: Vec<(Trigger, usize, usize)>,
}

impl Ctx<'_, '_> {
    #[inline]
    fn hit(&mut self, start: usize, end: usize, b: Builtin) {
        if self.on[b as usize] && start < end {
            self.out.push(Hit {
                start,
                end,
                det: b as u16,
            });
            self.max_end = self.max_end.max(end);
            if b == Builtin::Phone {
                self.phone_end = Some(end);
            }
        }
    }

    /// True when the byte before `i` is not one `inside` accepts, `i` starts the text, or a
    /// finding ends there (as its marker will in the redacted text:
    /// `<PRIVATE_KEY>sk-proj-...`).
    #[inline]
    fn left_ok(&self, i: usize, inside: impl Fn(u8) -> bool) -> bool {
        i == 0 || !inside(self.t[i - 1]) || (i == self.max_end && !self.out.is_empty())
    }
}

impl Scanner {
    pub(crate) fn new(on: [bool; Builtin::ALL.len()]) -> Scanner {
        let mut pats = Vec::new();
        let mut kinds = Vec::new();
        for (lit, trig, users) in TRIGGERS {
            if users.iter().any(|b| on[*b as usize]) {
                pats.push(*lit);
                kinds.push(*trig);
            }
        }
        let literals = (!pats.is_empty()).then(|| {
            let ac = AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostFirst)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&pats)
                .expect("literal anchors compile");
            (ac, kinds)
        });
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
            literals,
            numbers,
        }
    }

    /// Appends the built-in findings in `text` to `out` (unsorted, possibly overlapping).
    pub(crate) fn scan(&self, text: &str, out: &mut Vec<Hit>) {
        let t = text.as_bytes();
        let mut cx = Ctx {
            t,
            out,
            on: &self.on,
            max_end: 0,
            phone_end: None,
            missed: Vec::new(),
        };
        let mut covered = Covered::default();
        if let Some((ac, kinds)) = &self.literals {
            if t.len() >= MIN_LITERAL_TEXT || memchr::memchr(b':', t).is_some() {
                for m in ac.find_iter(t) {
                    let (trig, p, q) = (kinds[m.pattern().as_usize()], m.start(), m.end());
                    let n = cx.out.len();
                    cx.literal(trig, p, q, &mut covered);
                    if cx.out.len() == n && trig.token() && cx.missed.len() < MAX_SECOND_LOOKS {
                        cx.missed.push((trig, p, q));
                    }
                }
            }
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

impl Trigger {
    /// The anchor starts a token that a later finding can end: in the redacted text its
    /// marker (`<...>`) ends the token, so the second look cuts the text there.
    fn token(self) -> bool {
        !matches!(self, Trigger::Pem | Trigger::AwsKeyword)
    }
}

/// Where earlier anchors of the same kind already looked, so overlapping windows and
/// unterminated blocks are not scanned twice.
#[derive(Default)]
struct Covered {
    pem: usize,
    aws: Scanned,
}

/// Where AWS secret access keys were looked for: `lo..hi`, and everything before `prev_hi`
/// that any window reached.
#[derive(Default)]
struct Scanned {
    lo: usize,
    hi: usize,
    prev_hi: usize,
}

impl<'t> Ctx<'t, '_> {
    /// Looks again at the literal anchors that made no finding, with the text cut where the
    /// next finding starts: `AIza...-<PRIVATE_KEY>`, `Bearer abc123XYZ=<GITHUB_TOKEN>` are
    /// what the redacted text holds, and redacting it again must find nothing new.
    fn second_look(&mut self, cov: &mut Covered) {
        if self.missed.is_empty() || self.out.is_empty() {
            return;
        }
        let made = Made::new(self.out);
        let whole: &'t [u8] = self.t;
        for (trig, p, q) in std::mem::take(&mut self.missed) {
            let cut = made.ceiling(q);
            if cut < whole.len() {
                self.t = &whole[..cut];
                self.literal(trig, p, q, cov);
            }
        }
        self.t = whole;
    }

    fn literal(&mut self, trig: Trigger, p: usize, q: usize, cov: &mut Covered) {
        let t = self.t;
        match trig {
            Trigger::SkDash => {
                if &t[p..q] != b"sk-" || !self.left_ok(p, is_key_char) {
                    return;
                }
                if t[q..].starts_with(b"ant-") {
                    let end = run_end(t, q + 4, is_key_char);
                    let body = &t[q + 4..end];
                    if body.len() >= 20 && validate::mixed_classes(body) {
                        self.hit(p, end, Builtin::AnthropicApiKey);
                    }
                } else {
                    let end = run_end(t, q, is_key_char);
                    let body = &t[q..end];
                    if body.len() >= 20 && validate::mixed_classes(body) {
                        self.hit(p, end, Builtin::OpenaiApiKey);
                    }
                }
            }
            Trigger::StripeSk | Trigger::StripeRk => {
                if !matches!(&t[p..q], b"sk_" | b"rk_") || !self.left_ok(p, is_word) {
                    return;
                }
                let rest = &t[q..];
                if !(rest.starts_with(b"live_") || rest.starts_with(b"test_")) {
                    return;
                }
                let end = run_end(t, q + 5, |b| b.is_ascii_alphanumeric());
                let body = &t[q + 5..end];
                if body.len() >= 16 && validate::mixed_classes(body) && !is_word_at(t, end) {
                    self.hit(p, end, Builtin::StripeKey);
                }
            }
            Trigger::AwsKeyId => {
                let alnum = |b: u8| b.is_ascii_alphanumeric();
                if !matches!(&t[p..q], b"AKIA" | b"ASIA") || !self.left_ok(p, alnum) {
                    return;
                }
                let end = q + 16;
                if end > t.len()
                    || !t[q..end]
                        .iter()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
                    || (is_word_at(t, end) && t[end] != b'_')
                {
                    return;
                }
                // glued into an identifier by `_` (`x_AKIA..._y`), it must look like a key
                // id, base32 with a digit, and not like a constant (`ASIAPACIFICNORTHEAST`)
                let glued = (p > 0 && t[p - 1] == b'_') || (end < t.len() && t[end] == b'_');
                if glued
                    && !(t[q..end].iter().any(|b| (b'2'..=b'7').contains(b))
                        && t[q..end].iter().all(|b| !b"0189".contains(b)))
                {
                    return;
                }
                self.hit(p, end, Builtin::AwsAccessKeyId);
                self.aws_near(p, end, true, &mut cov.aws);
            }
            Trigger::GithubClassic => {
                if t[p..q].iter().any(u8::is_ascii_uppercase) || !self.left_ok(p, is_word) {
                    return;
                }
                let end = run_end(t, q, |b| b.is_ascii_alphanumeric());
                let body = &t[q..end];
                if body.len() >= 30 && validate::mixed_classes(body) && !is_word_at(t, end) {
                    self.hit(p, end, Builtin::GithubToken);
                }
            }
            Trigger::GithubPat => {
                if &t[p..q] != b"github_pat_" || !self.left_ok(p, is_word) {
                    return;
                }
                let end = run_end(t, q, is_word);
                let body = &t[q..end];
                if body.len() >= 22 && validate::mixed_classes(body) {
                    self.hit(p, end, Builtin::GithubToken);
                }
            }
            Trigger::Gitlab => {
                if &t[p..q] != b"glpat-" || !self.left_ok(p, is_key_char) {
                    return;
                }
                let end = run_end(t, q, |b| is_key_char(b) || b == b'.');
                let end = trim_end(t, q, end, b'.');
                let body = &t[q..end];
                if body.len() >= 20 && validate::mixed_classes(body) {
                    self.hit(p, end, Builtin::GitlabToken);
                }
            }
            Trigger::Slack => {
                if &t[p..q] != b"xox" || !self.left_ok(p, is_key_char) {
                    return;
                }
                if q + 2 > t.len() || !b"abprs".contains(&t[q]) || t[q + 1] != b'-' {
                    return;
                }
                let end = run_end(t, q + 2, |b| b.is_ascii_alphanumeric() || b == b'-');
                let body = &t[q + 2..end];
                if body.len() >= 10 && body.iter().any(u8::is_ascii_digit) {
                    self.hit(p, end, Builtin::SlackToken);
                }
            }
            Trigger::SlackHook => {
                let rest = &t[q..];
                let kind = [&b"services/"[..], b"workflows/", b"triggers/"]
                    .into_iter()
                    .find(|k| rest.starts_with(k));
                let Some(kind) = kind else { return };
                let path = q + kind.len();
                let end = run_end(t, path, |b| is_key_char(b) || b == b'/');
                if end - path < 20 {
                    return;
                }
                let start = [&b"https://"[..], b"http://"]
                    .into_iter()
                    .find(|s| t[..p].ends_with(s))
                    .map_or(p, |s| p - s.len());
                self.hit(start, end, Builtin::SlackWebhook);
            }
            Trigger::Google => {
                if &t[p..q] != b"AIza" || !self.left_ok(p, is_key_char) {
                    return;
                }
                let end = run_end(t, q, is_key_char);
                if end - q == 35 {
                    self.hit(p, end, Builtin::GoogleApiKey);
                }
            }
            Trigger::Jwt => {
                if &t[p..q] != b"eyJ" || !self.left_ok(p, |b| is_b64url(b) || b == b'.') {
                    return;
                }
                self.jwt(p);
            }
            Trigger::Pem => {
                if p < cov.pem || &t[p..q] != b"-----BEGIN " {
                    return;
                }
                if let Some(end) = pem_block(t, q) {
                    cov.pem = end;
                    self.hit(p, end, Builtin::PrivateKey);
                }
            }
            Trigger::Scheme => self.url_password(p),
            Trigger::Bearer => {
                if !self.left_ok(p, |b| b.is_ascii_alphanumeric()) {
                    return;
                }
                let s = run_end(t, q, |b| b == b' ' || b == b'\t');
                if s == q || s - q > 8 {
                    return;
                }
                let e = run_end(t, s, |b| {
                    b.is_ascii_alphanumeric() || b"-._~+/".contains(&b)
                });
                let e = run_end(t, e, |b| b == b'=');
                let tok = &t[s..e];
                if tok.len() >= 12 && validate::mixed_classes(tok) && !is_word_at(t, e) {
                    self.hit(s, e, Builtin::BearerToken);
                }
            }
            Trigger::Basic => {
                if !self.left_ok(p, |b| b.is_ascii_alphanumeric()) {
                    return;
                }
                let s = run_end(t, q, |b| b == b' ' || b == b'\t');
                if s == q || s - q > 8 {
                    return;
                }
                let e = run_end(t, s, is_b64);
                let e = run_end(t, e, |b| b == b'=');
                let tok = &t[s..e];
                if tok.len() >= 8 && !is_word_at(t, e) && validate::basic_credentials(tok) {
                    self.hit(s, e, Builtin::BasicAuth);
                }
            }
            Trigger::AwsKeyword => self.aws_near(p, q, false, &mut cov.aws),
        }
    }

    /// Looks for AWS secret access keys from `AWS_BEFORE` bytes before `p` to `AWS_AFTER`
    /// after `q`: an `aws`/`secret` keyword, or an AWS key (`found`), whose marker
    /// (`<AWS_ACCESS_KEY_ID>`) will be a keyword in the redacted text. A secret key found is
    /// such a key in turn. Every byte is looked at once.
    fn aws_near(&mut self, p: usize, q: usize, found: bool, cov: &mut Scanned) {
        if !self.on[Builtin::AwsSecretAccessKey as usize] {
            return;
        }
        let len = self.t.len();
        let from = p.saturating_sub(AWS_BEFORE);
        if from > cov.hi {
            cov.prev_hi = cov.hi;
            cov.lo = from;
            cov.hi = from;
        }
        // a marker is shorter than its key: its keyword reaches further in the original
        let reach = |e: usize| (e + AWS_AFTER + 32).min(len);
        let mut to = if found {
            reach(q)
        } else {
            (q + AWS_AFTER).min(len)
        };
        while cov.hi < to {
            let (first, last) = self.aws_secrets(cov.hi, to);
            cov.hi = to;
            if let Some(e) = last {
                to = to.max(reach(e));
            }
            let mut first = first;
            while let Some(s) = first {
                let back = s.saturating_sub(AWS_BEFORE).max(cov.prev_hi);
                if back >= cov.lo {
                    break;
                }
                first = self.aws_secrets(back, cov.lo).0;
                cov.lo = back;
            }
        }
    }

    /// 40-character base64 tokens starting in `from..to` (AWS secret access keys), not glued
    /// to an identifier (`_`, `-`) or followed by padding. Returns where the first found
    /// starts and the last ends.
    fn aws_secrets(&mut self, from: usize, to: usize) -> (Option<usize>, Option<usize>) {
        let t = self.t;
        let (mut first, mut last) = (None, None);
        let mut i = from;
        while i < to {
            if !is_b64(t[i]) {
                i += 1;
                continue;
            }
            let e = run_end(t, i, is_b64);
            if e - i == 40
                && self.left_ok(i, |b| is_b64(b) || b == b'_' || b == b'-')
                && !(e < t.len() && matches!(t[e], b'_' | b'-' | b'='))
            {
                let tok = &t[i..e];
                if tok.iter().any(u8::is_ascii_uppercase) && tok.iter().any(u8::is_ascii_lowercase)
                {
                    self.hit(i, e, Builtin::AwsSecretAccessKey);
                    first = first.or(Some(i));
                    last = Some(e);
                }
            }
            i = e;
        }
        (first, last)
    }

    fn jwt(&mut self, p: usize) {
        let t = self.t;
        let mut ends = [0usize; 5];
        let mut n = 0;
        let mut i = p;
        loop {
            let e = run_end(t, i, is_b64url);
            ends[n] = e;
            n += 1;
            // a further part needs a dot; the signature of an unsecured JWT may be empty
            if n == 5 || e >= t.len() || t[e] != b'.' {
                break;
            }
            if n >= 2 && (e + 1 >= t.len() || !is_b64url(t[e + 1])) {
                if n == 2 {
                    ends[n] = e + 1;
                    n += 1;
                }
                break;
            }
            i = e + 1;
        }
        if n < 3 || ends[1] - ends[0] < 2 {
            return;
        }
        if validate::jwt_header(&t[p..ends[0]]) {
            self.hit(p, ends[n - 1], Builtin::Jwt);
        }
    }

    fn url_password(&mut self, p: usize) {
        let t = self.t;
        let mut k = p;
        while k > 0 && (t[k - 1].is_ascii_alphanumeric() || b"+.-".contains(&t[k - 1])) {
            k -= 1;
        }
        if k == p || !t[k].is_ascii_alphabetic() {
            return;
        }
        let a = p + 3;
        let mut e = a;
        let mut at = None;
        while e < t.len() && e - a < 2048 && !url_stop(t[e]) {
            if t[e] == b'@' {
                at = Some(e);
            }
            e += 1;
        }
        let Some(at) = at else { return };
        if let Some(colon) = memchr::memchr(b':', &t[a..at]) {
            self.hit(a + colon + 1, at, Builtin::UrlPassword);
        }
    }

    /// Email addresses at the `@`s in `ats` (in order). The `@`s left alone as URL user
    /// names or SSH remotes are added to `later` (up to [`MAX_SECOND_LOOKS`]): a finding
    /// made later may end the URL before them or start after the `:`, as its marker will in
    /// the redacted text.
    fn emails(&mut self, ats: impl Iterator<Item = usize>, later: &mut Vec<usize>) {
        let t = self.t;
        let local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-'".contains(&b);
        let mut upto = 0;
        // credentials found around an address bound it (`<SLACK_WEBHOOK>'bob@example.com`)
        let made = Made::new(self.out);
        let mut authorities = Authorities::new(t, &made);
        for at in ats {
            if at < upto {
                continue;
            }
            let floor = made.floor(at);
            let mut s = at;
            while s > floor && at - s <= 64 && local(t[s - 1]) {
                s -= 1;
            }
            // the expansion stopped at the length limit, not at the start of the address
            let cut = s > floor && local(t[s - 1]);
            // an address in single quotes (`{'to': 'bob@example.com'}`) starts after them
            while s < at && matches!(t[s], b'.' | b'\'') {
                s += 1;
            }
            let lp = &t[s..at];
            if lp.is_empty()
                || lp.len() > 64
                || cut
                || lp.ends_with(b".")
                || lp.windows(2).any(|w| w == b"..")
            {
                continue;
            }
            if authorities.contains(at) {
                if later.len() < MAX_SECOND_LOOKS {
                    later.push(at);
                }
                continue;
            }
            let ceiling = made.ceiling(at + 1).min(t.len());
            let Some(end) = domain_end(&t[..ceiling], at + 1) else {
                continue;
            };
            // `git@github.com:org/repo.git` is an SSH remote, not an address
            if end + 1 < ceiling
                && t[end] == b':'
                && (t[end + 1].is_ascii_alphanumeric() || b"/~".contains(&t[end + 1]))
            {
                if later.len() < MAX_SECOND_LOOKS {
                    later.push(at);
                }
                continue;
            }
            self.hit(s, end, Builtin::Email);
            upto = end;
        }
    }

    fn ipv6(&mut self) {
        let t = self.t;
        let v6 = |b: u8| b.is_ascii_hexdigit() || b == b':' || b == b'.';
        let mut upto = 0;
        // addresses found beside a candidate bound it (`DE89::<EMAIL>`)
        let made = Made::new(self.out);
        for c in memchr::memchr_iter(b':', t) {
            if c < upto {
                continue;
            }
            let (floor, ceiling) = (made.floor(c), made.ceiling(c).min(t.len()));
            let mut s = c;
            while s > floor && c - s < 45 && v6(t[s - 1]) {
                s -= 1;
            }
            let mut e = run_end(&t[..ceiling], c, v6);
            upto = e;
            if e - s > 45 {
                continue;
            }
            while e > s && t[e - 1] == b'.' {
                e -= 1;
            }
            let cand = &t[s..e];
            if (s > floor && (is_word(t[s - 1]) || t[s - 1] == b':'))
                || is_word_at(&t[..ceiling], e)
                || memchr::memchr_iter(b':', cand).count() < 2
                || !cand.iter().any(u8::is_ascii_digit)
                || python_slice(t, s, e)
            {
                continue;
            }
            if validate::ipv6(cand) {
                self.hit(s, e, Builtin::IpAddress);
            }
        }
    }

    fn numbers(&mut self) {
        let t = self.t;
        // made on the first run: most strings have none worth parsing
        let mut groups: Option<Groups> = None;
        // findings made so far bound a number as their markers will in the redacted text
        // (`<AWS_ACCESS_KEY_ID>-4111111111111111`); this scanner's own come in order
        let made = Made::new(self.out);
        let mut own_end = None;
        let mut i = 0;
        while let Some(d) = next_digit(t, i) {
            if self.on[Builtin::Iban as usize]
                && d >= 2
                && t[d - 1].is_ascii_uppercase()
                && t[d - 2].is_ascii_uppercase()
                && (d == 2 || !is_word(t[d - 3]))
            {
                if let Some(end) = iban_at(t, d - 2) {
                    self.hit(d - 2, end, Builtin::Iban);
                    i = end;
                    continue;
                }
            }
            let st = if d > 0 && (t[d - 1] == b'+' || t[d - 1] == b'(') {
                d - 1
            } else {
                d
            };
            let after_finding = |e: usize| made.ends_at(e) || own_end == Some(e);
            let left = if st > 0
                && (after_finding(st) || (after_finding(st - 1) && !is_word(t[st - 1])))
            {
                Edge::Open
            } else {
                number_left(t, st)
            };
            if left == Edge::Closed {
                i = skip_word(t, d);
                continue;
            }
            let n = self.out.len();
            // a finding after the run ends it, as its marker will (`+4310000<SLACK_WEBHOOK>`)
            let stop = made.ceiling(d + 1).min(t.len());
            i = self
                .digit_run(st, left, stop, groups.get_or_insert_with(Groups::default))
                .max(d + 1);
            if let Some(e) = self.out[n..].iter().map(|h| h.end).max() {
                own_end = Some(e);
            }
        }
    }

    /// Parses the run of digit groups at `st` (whose left edge is `left`, and which ends at
    /// `stop` at the latest) and records the findings in it; returns where scanning goes on.
    ///
    /// A finding starts and ends at whitespace or at the ends of the run. Card numbers are
    /// looked for first, also where a dash joins them to the run (`ref 12-4111111111111111`,
    /// `2024-4111-1111-1111-1111`) or a [`Edge::CardOnly`] edge starts it; the rest is then
    /// judged as if each card were cut out, which is what the text redacted once more looks
    /// like (so redacting is idempotent).
    fn digit_run(&mut self, st: usize, left: Edge, stop: usize, groups: &mut Groups) -> usize {
        let t = self.t;
        let plus = t[st] == b'+';
        let (end, glued) = parse_groups(&t[..stop], if plus { st + 1 } else { st }, groups);
        let groups = groups.as_slice();
        let n = groups.len();
        let capped = n == MAX_RUN_GROUPS;
        // findings may start in this many groups; with a capped run the rest is parsed again
        let starts = if capped {
            MAX_RUN_GROUPS - MAX_FINDING_GROUPS
        } else {
            n
        };
        // digits before each group, so hopeless candidates skip the validators
        let mut before = [0usize; MAX_RUN_GROUPS + 1];
        for (k, g) in groups.iter().enumerate() {
            before[k + 1] = before[k] + (g.e - g.s);
        }
        let worth = |i: usize, j: usize| {
            let nd = before[j + 1] - before[i];
            // the shortest finding is an IPv4 address (4 dotted groups) or a 7-digit phone
            nd <= 20 && (nd >= 7 || (j - i == 3 && groups[i + 1..=j].iter().all(|g| g.sep == b'.')))
        };
        let card_digits = |i: usize, j: usize| (13..=19).contains(&(before[j + 1] - before[i]));
        // groups as bits (a run has at most 32): in a finding, first and last of one
        let bit = |k: usize| 1u64 << k;
        let span = |i: usize, j: usize| (bit(j + 1) - 1) & !(bit(i) - 1);
        let mut found = Found::default();
        // the edge before group k > 0; one beside a finding is open, as in the redacted text
        let inner = |k: usize, f: &Found| {
            let g = &groups[k];
            if g.space || f.ends & bit(k - 1) != 0 || f.firsts & bit(k) != 0 {
                Edge::Open
            } else if g.sep == b'-' {
                Edge::Dash
            } else {
                Edge::Closed
            }
        };
        let from = |i: usize, f: &Found| if i == 0 { left } else { inner(i, f) };
        let to = |j: usize, f: &Found| {
            if j + 1 < n {
                inner(j + 1, f)
            } else {
                Edge::Open
            }
        };
        let card_edge = |e: Edge| matches!(e, Edge::Dash | Edge::CardOnly);

        if self.on[Builtin::CreditCard as usize]
            && (left == Edge::CardOnly || groups.iter().any(|g| g.sep == b'-' && !g.space))
        {
            // one group of 13-19 digits between any edges that are not closed
            for k in 0..starts {
                let (a, b) = (from(k, &found), to(k, &found));
                if a != Edge::Closed
                    && b != Edge::Closed
                    && (card_edge(a) || card_edge(b))
                    && card_digits(k, k)
                    && self.classify(&groups[k..=k], false, false, true)
                        == Some(Builtin::CreditCard)
                {
                    self.hit(groups[k].s, groups[k].e, Builtin::CreditCard);
                    found.add(k, k, groups[k].e, bit);
                }
            }
            // grouped cards with one open edge and one card edge; a dash must join them to
            // one more group only, not to a long dashed id
            let lone = |k: usize, f: &Found| k == 0 || inner(k, f) == Edge::Open;
            let mut i = 0;
            while i < starts {
                let last = (i + 4).min(n - 1);
                let hit = (i + 1..=last).rev().find(|&j| {
                    let (a, b) = (from(i, &found), to(j, &found));
                    found.taken & span(i, j) == 0
                        && ((card_edge(a) && b == Edge::Open) || (a == Edge::Open && card_edge(b)))
                        && (a != Edge::Dash || lone(i - 1, &found))
                        && (b != Edge::Dash || j + 2 == n || to(j + 1, &found) == Edge::Open)
                        && card_digits(i, j)
                        && groups[i].e - groups[i].s == 4
                        && self.classify(&groups[i..=j], false, false, true)
                            == Some(Builtin::CreditCard)
                });
                match hit {
                    Some(j) => {
                        self.hit(groups[i].s, groups[j].e, Builtin::CreditCard);
                        found.add(i, j, groups[j].e, bit);
                        i = j + 1;
                    }
                    None => i += 1,
                }
            }
        }

        let open = |e: Edge| e == Edge::Open;
        let mut i = 0;
        while i < starts {
            if i > 0 && plus && found.resume.is_none() {
                // the tail of an invalid international number is not a national one
                break;
            }
            if found.taken & bit(i) != 0 || !open(from(i, &found)) {
                i += 1;
                continue;
            }
            // the run starts here, or a finding ended just before
            let fresh = i == 0 || found.ends & bit(i - 1) != 0;
            let last = (i + MAX_FINDING_GROUPS).min(n) - 1;
            let hit = (i..=last).rev().find_map(|j| {
                if !open(to(j, &found)) || found.taken & span(i, j) != 0 || !worth(i, j) {
                    return None;
                }
                let kind = self.classify(&groups[i..=j], plus && i == 0, fresh, false)?;
                Some((j, kind))
            });
            match hit {
                Some((j, kind)) => {
                    let g = &groups[i];
                    // a card is its digits: `+<CREDIT_CARD>`, `(<CREDIT_CARD>)`
                    let frame = kind != Builtin::CreditCard;
                    let s =
                        g.s - usize::from(frame && g.paren) - usize::from(frame && plus && i == 0);
                    let e = groups[j].e + usize::from(frame && groups[j].paren);
                    self.hit(s, e, kind);
                    found.add(i, j, e, bit);
                    i = j + 1;
                }
                None => i += 1,
            }
        }
        if capped {
            let from = groups[starts.max(i).min(n - 1)].s;
            return found.resume.map_or(from, |r| r.max(from));
        }
        match glued {
            Some(g) => skip_word(t, g),
            None => end,
        }
    }

    /// The detector whose validator accepts these groups. `run_start`: the groups start the
    /// run or follow a finding (national numbers with a trunk 0 are not looked for inside
    /// longer runs);
    /// `card_only`: a dash or an [`Edge::CardOnly`] edge beside them allows a card number and
    /// nothing else.
    fn classify(
        &self,
        gs: &[Group],
        plus: bool,
        run_start: bool,
        card_only: bool,
    ) -> Option<Builtin> {
        let t = self.t;
        let nd: usize = gs.iter().map(|g| g.e - g.s).sum();
        if nd > 20 {
            return None;
        }
        let mut buf = [0u8; 20];
        let mut k = 0;
        for g in gs {
            buf[k..k + g.e - g.s].copy_from_slice(&t[g.s..g.e]);
            k += g.e - g.s;
        }
        let digits = &buf[..nd];
        let lens = |i: usize| gs[i].e - gs[i].s;
        let parens = gs.iter().any(|g| g.paren);
        let uniform = gs.len() < 2 || gs[2..].iter().all(|g| g.sep == gs[1].sep);
        let on = |b: Builtin| self.on[b as usize];
        // one group may be in parentheses, `(4111111111111111)`: the parentheses stay
        let card = || {
            on(Builtin::CreditCard)
                && (13..=19).contains(&nd)
                && (gs.len() == 1
                    || (gs.len() <= 5
                        && !parens
                        && uniform
                        && matches!(gs[1].sep, b' ' | b'-')
                        && lens(0) == 4
                        && (1..gs.len()).all(|i| (2..=6).contains(&lens(i)))))
                && validate::card_brand(digits).is_some()
        };
        if card_only {
            return card().then_some(Builtin::CreditCard);
        }

        if on(Builtin::IpAddress)
            && !plus
            && !parens
            && gs.len() == 4
            && gs[1..].iter().all(|g| g.sep == b'.' && !g.space)
            && (0..4).all(|i| lens(i) <= 3)
            && validate::ipv4(&t[gs[0].s..gs[3].e])
            && !version_context(t, gs[0].s)
        {
            return Some(Builtin::IpAddress);
        }
        if on(Builtin::UsSsn)
            && !plus
            && !parens
            && gs.len() == 3
            && uniform
            && matches!(gs[1].sep, b'-' | b' ')
            && (lens(0), lens(1), lens(2)) == (3, 2, 4)
            && validate::us_ssn(&digits[..3], &digits[3..5], &digits[5..])
        {
            return Some(Builtin::UsSsn);
        }
        // after `+` a phone number comes first: `+4915112345678` has a Visa prefix and passes
        // Luhn, and is a German mobile number
        if !plus && card() {
            return Some(Builtin::CreditCard);
        }
        if on(Builtin::Phone)
            && (phone(gs, plus, run_start, digits, uniform)
                || (gs.len() == 1
                    && !plus
                    && bare_phone(digits)
                    && (phone_keyword(t, gs[0].s)
                        || self
                            .phone_end
                            .is_some_and(|e| e <= gs[0].s && gs[0].s - e <= 32))))
        {
            return Some(Builtin::Phone);
        }
        (plus && card()).then_some(Builtin::CreditCard)
    }
}

/// The spans of the findings made before a scanner runs, sorted.
struct Made {
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl Made {
    fn new(out: &[Hit]) -> Made {
        let mut starts: Vec<usize> = out.iter().map(|h| h.start).collect();
        let mut ends: Vec<usize> = out.iter().map(|h| h.end).collect();
        starts.sort_unstable();
        ends.sort_unstable();
        Made { starts, ends }
    }

    /// The end of the last finding that ends at or before `i` (0 when none does).
    fn floor(&self, i: usize) -> usize {
        match self.ends.partition_point(|&e| e <= i) {
            0 => 0,
            k => self.ends[k - 1],
        }
    }

    /// The start of the first finding that starts at or after `i` (`usize::MAX` when none).
    fn ceiling(&self, i: usize) -> usize {
        let k = self.starts.partition_point(|&s| s < i);
        self.starts.get(k).copied().unwrap_or(usize::MAX)
    }

    fn ends_at(&self, i: usize) -> bool {
        self.ends.binary_search(&i).is_ok()
    }
}

/// The findings made so far in one run of digit groups, as bit sets over its groups.
#[derive(Default)]
struct Found {
    /// Groups inside a finding.
    taken: u64,
    /// Groups that start a finding.
    firsts: u64,
    /// Groups that end a finding.
    ends: u64,
    /// Where the last finding ends (bytes).
    resume: Option<usize>,
}

impl Found {
    fn add(&mut self, i: usize, j: usize, end: usize, bit: impl Fn(usize) -> u64) {
        for k in i..=j {
            self.taken |= bit(k);
        }
        self.firsts |= bit(i);
        self.ends |= bit(j);
        self.resume = Some(self.resume.map_or(end, |r| r.max(end)));
    }
}

/// How a number may meet what is beside it: at whitespace or the end of a token anything may
/// start or end there; after a word joined by `/` or `\` (`path/4111...`), after a digit and
/// a comma, or beside a group joined by a dash, only a card number (whose Luhn check and issuer
/// prefix keep ids out); after a letter or the dotted or dashed tail of a token (`v1.2`,
/// `build-42`), nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// Whitespace, the ends of the run, a finding.
    Open,
    /// The start of a run after `path/`, `C:\`, `1,`.
    CardOnly,
    /// A dash between two groups of one run.
    Dash,
    /// Glued to a word, or the dotted or dashed tail of a token.
    Closed,
}

/// The left edge of the number run starting at `st`.
fn number_left(t: &[u8], st: usize) -> Edge {
    if st == 0 {
        return Edge::Open;
    }
    let p = t[st - 1];
    if is_word(p) {
        return Edge::Closed;
    }
    if !(st >= 2 && t[st - 2].is_ascii_alphanumeric()) {
        return Edge::Open;
    }
    match p {
        // a CSV field (`name,123-45-6789`, `tel,+4915112345678`) is any number; after a
        // digit, a comma marks thousands or decimals (`1,299`, `0,75`)
        b',' if t[st] == b'+' || t[st - 2].is_ascii_alphabetic() => Edge::Open,
        b'/' | b'\\' | b',' => Edge::CardOnly,
        b'.' | b'-' | b'+' | b'#' | b'$' | b'%' => Edge::Closed,
        _ => Edge::Open,
    }
}

#[inline]
fn is_word_at(t: &[u8], i: usize) -> bool {
    i < t.len() && is_word(t[i])
}

fn trim_end(t: &[u8], s: usize, mut e: usize, c: u8) -> usize {
    while e > s && t[e - 1] == c {
        e -= 1;
    }
    e
}

/// The groups of one run, on the stack.
struct Groups {
    g: [Group; MAX_RUN_GROUPS],
    n: usize,
}

impl Default for Groups {
    fn default() -> Self {
        let empty = Group {
            s: 0,
            e: 0,
            paren: false,
            sep: 0,
            space: false,
        };
        Groups {
            g: [empty; MAX_RUN_GROUPS],
            n: 0,
        }
    }
}

impl Groups {
    fn clear(&mut self) {
        self.n = 0;
    }

    fn push(&mut self, g: Group) {
        self.g[self.n] = g;
        self.n += 1;
    }

    fn len(&self) -> usize {
        self.n
    }

    fn as_slice(&self) -> &[Group] {
        &self.g[..self.n]
    }
}

/// A group of digits inside a number run.
#[derive(Debug, Clone, Copy)]
struct Group {
    /// First digit.
    s: usize,
    /// After the last digit.
    e: usize,
    /// Written in parentheses: `(415)`.
    paren: bool,
    /// The separator before it: `b' '`, `b'-'`, `b'.'` or 0 (none, or parentheses only).
    sep: u8,
    /// Whitespace in the gap before it (findings may start or end there).
    space: bool,
}

/// Digit groups joined by single separators (` `, `-`, `.`, ` - `, `) `, `(`; any space of
/// [`space_len`]) from `k`.
/// Returns where the run ends and, if it stopped at a group glued to letters (`550e8400`),
/// where that group starts.
fn parse_groups(t: &[u8], mut k: usize, groups: &mut Groups) -> (usize, Option<usize>) {
    groups.clear();
    let n = t.len();
    let (mut sep, mut space) = (0u8, false);
    loop {
        let open = k < n && t[k] == b'(';
        let ds = k + usize::from(open);
        let de = run_end(t, ds, |b| b.is_ascii_digit());
        if de == ds {
            return (k, None);
        }
        // `415-555-2671x204`: an extension ends the number; other letters glue the group
        // into a word (`550e8400`)
        let extension = de + 1 < n && t[de] == b'x' && t[de + 1].is_ascii_digit();
        if de < n && (t[de].is_ascii_alphabetic() || t[de] == b'_') && !extension {
            return (k, Some(ds));
        }
        let paren = open && de < n && t[de] == b')';
        groups.push(Group {
            s: ds,
            e: de,
            paren,
            sep,
            space,
        });
        k = de + usize::from(paren);
        if extension {
            return (k, None);
        }
        if groups.len() == MAX_RUN_GROUPS {
            return (k, None);
        }
        let g0 = k;
        let (mut s2, mut sp2) = (0u8, false);
        let w = space_len(t, k);
        if w > 0 {
            s2 = b' ';
            sp2 = true;
            k += w;
        }
        if k < n && (t[k] == b'-' || t[k] == b'.') {
            s2 = t[k];
            k += 1;
            if sp2 {
                k += space_len(t, k);
            }
        }
        let next_open = k + 1 < n && t[k] == b'(' && t[k + 1].is_ascii_digit();
        let next_digit = k < n && t[k].is_ascii_digit();
        if next_open || (next_digit && (k > g0 || paren)) {
            sep = s2;
            space = sp2;
            continue;
        }
        return (g0, None);
    }
}

/// The length of the space at `k` that may part digit groups: ASCII space, or the no-break,
/// figure, thin and narrow no-break spaces that typesetting and locale formatting put between
/// the groups of a card or phone number (`4111\u{a0}1111...`). 0 when there is none.
#[inline]
fn space_len(t: &[u8], k: usize) -> usize {
    match t.get(k..).unwrap_or_default() {
        [b' ', ..] => 1,
        [0xc2, 0xa0, ..] => 2,
        [0xe2, 0x80, 0x87 | 0x89 | 0xaf, ..] => 3,
        _ => 0,
    }
}

fn phone(gs: &[Group], plus: bool, run_start: bool, digits: &[u8], uniform: bool) -> bool {
    let mut lens_buf = [0usize; MAX_FINDING_GROUPS];
    let mut parens_buf = [false; MAX_FINDING_GROUPS];
    for (i, g) in gs.iter().enumerate() {
        lens_buf[i] = g.e - g.s;
        parens_buf[i] = g.paren;
    }
    let lens = &lens_buf[..gs.len()];
    let parens = &parens_buf[..gs.len()];
    let nd = digits.len();
    let intl = plus
        || (run_start
            && digits.starts_with(b"00")
            && gs.len() >= 2
            && lens[0] >= 2
            && !gs[0].paren);
    if intl {
        // `+44 (0)20 ...`: the parenthesized trunk 0 is not dialled from abroad
        let mut buf = [0u8; 20];
        let mut n = 0;
        let mut at = 0;
        for (i, g) in gs.iter().enumerate() {
            let l = lens[i];
            if !(i >= 1 && g.paren && l == 1 && digits[at] == b'0') {
                buf[n..n + l].copy_from_slice(&digits[at..at + l]);
                n += l;
            }
            at += l;
        }
        let d = if plus { &buf[..n] } else { &buf[2..n] };
        // only the area code may be in parentheses
        if gs.iter().skip(2).any(|g| g.paren) {
            return false;
        }
        if validate::e164(d) {
            return true;
        }
        // `+44 020 7946 0958`: a trunk 0 kept by mistake is still that phone number
        return validate::country_code(d).is_some_and(|(_, nsn)| {
            nsn.first() == Some(&b'0') && {
                let cc_len = d.len() - nsn.len();
                let mut fixed = [0u8; 20];
                fixed[..cc_len].copy_from_slice(&d[..cc_len]);
                fixed[cc_len..d.len() - 1].copy_from_slice(&nsn[1..]);
                validate::e164(&fixed[..d.len() - 1])
            }
        });
    }
    // North American: (NPA) NXX-XXXX, NPA-NXX-XXXX, NPA.NXX.XXXX, 1-NPA-NXX-XXXX
    let nanp_groups = |g: &[Group], l: &[usize], p: &[bool]| match l {
        [3, 3, 4] => !p[1] && !p[2] && (p[0] || (g[1].sep != 0 && g[1].sep == g[2].sep)),
        [3, 7] => p[0] && !p[1],
        _ => false,
    };
    if nd == 10 && nanp_groups(gs, lens, parens) {
        // NANP-shaped numbers are judged by NANP rules alone: (012) 345-6789 is not a
        // national number with a trunk 0
        return validate::nanp(digits);
    }
    if nd == 11
        && digits[0] == b'1'
        && lens[0] == 1
        && !parens[0]
        && gs.len() > 1
        && nanp_groups(&gs[1..], &lens[1..], &parens[1..])
    {
        return validate::nanp(&digits[1..]);
    }
    // national numbers with a trunk 0: 020 7946 0958, 01 23 45 67 89, 030 12345678
    if run_start
        && digits[0] == b'0'
        && digits.get(1).is_some_and(|&d| d != b'0')
        && (10..=11).contains(&nd)
        && (2..=6).contains(&gs.len())
        && lens.iter().all(|&l| l >= 2)
        && !parens[1..].iter().any(|&p| p)
    {
        let seps_ok = if parens[0] {
            gs.len() < 3 || gs[3..].iter().all(|g| g.sep == gs[2].sep)
        } else {
            uniform && gs[1].sep != 0
        };
        return seps_ok;
    }
    false
}

/// True when the dotted quad at `s` follows a version keyword (`version 1.2.0.0`,
/// `AssemblyVersion("1.0.0.0")`, `Build 5.1.22.7`): a four-part version, not an address.
fn version_context(t: &[u8], s: usize) -> bool {
    let mut k = s;
    while k > 0 && s - k < 4 && b" \t\"'(=:".contains(&t[k - 1]) {
        k -= 1;
    }
    let mut w = k;
    while w > 0 && k - w < 24 && t[w - 1].is_ascii_alphabetic() {
        w -= 1;
    }
    let word = t[w..k].to_ascii_lowercase();
    [
        &b"version"[..],
        b"ver",
        b"release",
        b"build",
        b"firmware",
        b"revision",
        b"rev",
    ]
    .iter()
    .any(|kw| word.ends_with(kw))
}

/// `a[1::2]`, `m[:, 0::3]`: a Python slice looks like a short IPv6 address. A candidate of at
/// most two decimal groups is taken for a slice, unless it is the loopback `::1` or sits in
/// an address context: after `//[` or before `]:port`.
fn python_slice(t: &[u8], s: usize, e: usize) -> bool {
    let cand = &t[s..e];
    cand != b"::1"
        && !t[..s].ends_with(b"//[")
        && !t[e..].starts_with(b"]:")
        && cand.iter().all(|&b| b == b':' || b.is_ascii_digit())
        && cand.split(|&b| b == b':').filter(|g| !g.is_empty()).count() <= 2
}

/// A phone number written without separators (`4155552671`, `14155552671`, `07700900123`):
/// NANP rules or a national trunk 0. Only with a phone keyword before it (see
/// [`phone_keyword`]): half of all random 10-digit ids pass the NANP rules.
fn bare_phone(d: &[u8]) -> bool {
    match d.len() {
        10 => validate::nanp(d) || (d[0] == b'0' && d[1] != b'0'),
        11 => (d[0] == b'1' && validate::nanp(&d[1..])) || (d[0] == b'0' && d[1] != b'0'),
        _ => false,
    }
}

/// True when one of `phone`, `tel`, `call`, `mobile`, `cell`, `whatsapp`, `sms`, `fax` or
/// `contact` (any case) ends within the 32 bytes before `s`.
fn phone_keyword(t: &[u8], s: usize) -> bool {
    let before = t[s.saturating_sub(32)..s].to_ascii_lowercase();
    [
        &b"phone"[..],
        b"tel",
        b"call",
        b"mobile",
        b"cell",
        b"whatsapp",
        b"sms",
        b"fax",
        b"contact",
    ]
    .iter()
    .any(|k| before.windows(k.len()).any(|w| w == *k))
}

/// The end of an IBAN whose country code starts at `s` (print format spaces allowed).
fn iban_at(t: &[u8], s: usize) -> Option<usize> {
    if s + 4 > t.len() || !t[s + 2].is_ascii_digit() || !t[s + 3].is_ascii_digit() {
        return None;
    }
    let len = validate::iban_length(&t[s..s + 2])?;
    let mut buf = [0u8; 34];
    buf[..4].copy_from_slice(&t[s..s + 4]);
    let mut count = 4;
    let mut k = s + 4;
    let ok = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit();
    while count < len {
        if k < t.len() && ok(t[k]) {
            buf[count] = t[k];
            count += 1;
            k += 1;
        } else if k + 1 < t.len() && t[k] == b' ' && ok(t[k + 1]) {
            k += 1;
        } else {
            return None;
        }
    }
    if is_word_at(t, k) || !validate::iban(&buf[..len]) {
        return None;
    }
    Some(k)
}

/// After `-----BEGIN LABEL-----` of a private key, the end of its END line; the rest of the
/// text when the block is cut off (fail closed). `None` for certificates and public keys.
fn pem_block(t: &[u8], q: usize) -> Option<usize> {
    let window = &t[q..t.len().min(q + 80)];
    let close = window.windows(5).position(|w| w == b"-----")?;
    let label = &window[..close];
    if !(label.ends_with(b"PRIVATE KEY") || label.ends_with(b"PRIVATE KEY BLOCK"))
        || !label.iter().all(|b| b.is_ascii_uppercase() || *b == b' ')
    {
        return None;
    }
    let body = q + close + 5;
    let mut end_line = Vec::with_capacity(label.len() + 14);
    end_line.extend_from_slice(b"-----END ");
    end_line.extend_from_slice(label);
    end_line.extend_from_slice(b"-----");
    Some(memmem::find(&t[body..], &end_line).map_or(t.len(), |i| body + i + end_line.len()))
}

/// The end of the domain of an email address starting at `d`, if it is a plausible one:
/// two or more labels of letters, digits and inner hyphens, an alphabetic TLD of 2+ letters.
fn domain_end(t: &[u8], d: usize) -> Option<usize> {
    let mut i = d;
    let mut labels = 0;
    let mut last_label = (d, d);
    let mut end = d;
    loop {
        let ls = i;
        let le = run_end(t, i, |b| b.is_ascii_alphanumeric() || b == b'-');
        if le == ls || le - ls > 63 || t[ls] == b'-' || t[le - 1] == b'-' {
            break;
        }
        labels += 1;
        last_label = (ls, le);
        end = le;
        if end - d > 253 {
            return None;
        }
        if le + 1 < t.len() && t[le] == b'.' && t[le + 1].is_ascii_alphanumeric() {
            i = le + 1;
        } else {
            break;
        }
    }
    let tld = &t[last_label.0..last_label.1];
    let tld_ok = (tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic))
        || (tld.len() > 4 && tld[..4].eq_ignore_ascii_case(b"xn--"));
    (labels >= 2 && tld_ok && !is_word_at(t, end)).then_some(end)
}

/// The authority parts of the URLs in a text (`scheme://` up to `/?#`, whitespace or a quote),
/// found lazily and in order, so that asking about every `@` stays linear.
struct Authorities<'t> {
    t: &'t [u8],
    /// Findings end an authority (`://<SLACK_TOKEN>,bob@example.com`).
    made: &'t Made,
    /// Where the search for the next `://` goes on.
    from: usize,
    /// The authority that contains or follows the last position asked about.
    current: Option<(usize, usize)>,
}

impl<'t> Authorities<'t> {
    fn new(t: &'t [u8], made: &'t Made) -> Self {
        Authorities {
            t,
            made,
            from: 0,
            current: None,
        }
    }

    /// True when the `@` at `at` is inside a URL authority (`scheme://user:pass@host`): the
    /// URL password scanner owns that text, and a URL user name is not an address. Positions
    /// must be asked about in increasing order.
    fn contains(&mut self, at: usize) -> bool {
        loop {
            if let Some((s, e)) = self.current {
                if at < e {
                    return at >= s;
                }
            }
            // `://` ends with the authority's first byte before it: look for ':' then "//"
            let Some(p) = scheme_sep(self.t, self.from) else {
                self.current = Some((usize::MAX, usize::MAX));
                return false;
            };
            let s = p + 3;
            let limit = self.t.len().min(s + 2048).min(self.made.ceiling(s));
            let e = (s..limit).find(|&i| url_stop(self.t[i])).unwrap_or(limit);
            self.from = s;
            self.current = Some((s, e));
        }
    }
}

/// The next `://` at or after `from` (memchr for the `:`; no searcher to build per call).
fn scheme_sep(t: &[u8], mut from: usize) -> Option<usize> {
    while let Some(k) = memchr::memchr(b':', &t[from..]) {
        let p = from + k;
        if t[p + 1..].starts_with(b"//") {
            return Some(p);
        }
        from = p + 1;
    }
    None
}

/// Bytes that end the authority part of a URL.
fn url_stop(b: u8) -> bool {
    b.is_ascii_whitespace() || b"/?#\"'<>`\\[]{}|^".contains(&b) || b < 0x20
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Vec<(Builtin, &str)> {
        let s = Scanner::new([true; Builtin::ALL.len()]);
        let mut out = Vec::new();
        s.scan(text, &mut out);
        out.sort_by_key(|h| (h.start, h.end));
        out.iter()
            .map(|h| (Builtin::ALL[h.det as usize], &text[h.start..h.end]))
            .collect()
    }

    fn one(text: &str) -> Option<(Builtin, &str)> {
        let v = scan(text);
        assert!(v.len() <= 1, "{text:?}: {v:?}");
        v.into_iter().next()
    }

    #[test]
    fn next_digit_finds_the_first_digit_in_every_lane() {
        for len in 0..40 {
            for pos in 0..len {
                let mut v = vec![b'a'; len];
                v[pos] = b'7';
                if pos + 1 < len {
                    v[pos + 1] = b'0';
                }
                assert_eq!(next_digit(&v, 0), Some(pos));
            }
            let mut v = vec![b'a'; len];
            for (i, b) in v.iter_mut().enumerate() {
                *b = [b'/', b':', 0x80, 0xff, b'a'][i % 5];
            }
            assert_eq!(next_digit(&v, 0), None);
        }
    }

    #[test]
    fn emails() {
        use Builtin::Email;
        assert_eq!(
            one("mail john.doe+x@example.co.uk."),
            Some((Email, "john.doe+x@example.co.uk"))
        );
        assert_eq!(
            one("<a_b@sub.example.org>"),
            Some((Email, "a_b@sub.example.org"))
        );
        assert_eq!(one("user@localhost"), None);
        assert_eq!(one("lodash@4.17.21"), None);
        assert_eq!(one("@dataclass"), None);
        assert_eq!(one("a..b@example.com"), None);
        assert_eq!(one("git@github.com:org/repo.git"), None);
        assert_eq!(one("write to a@b.com: thanks"), Some((Email, "a@b.com")));
        assert_eq!(one("x@-bad.com"), None);
    }

    #[test]
    fn phones() {
        use Builtin::Phone;
        for p in [
            "+1 415 555 2671",
            "+1-415-555-2671",
            "+14155552671",
            "+1 (415) 555-2671",
            "(415) 555-2671",
            "(415)555-2671",
            "415-555-2671",
            "415.555.2671",
            "415 555 2671",
            "1-415-555-2671",
            "+44 20 7946 0958",
            "+44 (0)20 7946 0958",
            "+44(0)20 7946 0958",
            "0044 20 7946 0958",
            "020 7946 0958",
            "07700 900123",
            "+49 30 12345678",
            "030 12345678",
            "+33 1 23 45 67 89",
            "01 23 45 67 89",
            "+91 98765 43210",
            "+81 3-1234-5678",
            "+61 2 9876 5432",
            "+44 020 7946 0958",
        ] {
            let text = format!("call {p}, thanks");
            assert_eq!(one(&text), Some((Phone, p)), "{p}");
        }
        for p in [
            "123-456-7890",     // NPA starts with 1
            "415-155-2671",     // NXX starts with 1
            "4155552671",       // no separators, no +
            "+999 123 456 789", // unassigned country code
            "+1 415 555 267",   // too short
            "+44 0 7946 0958",  // too short once the trunk 0 is dropped
            "2024-01-15",
            "10:30:45",
            "1.2.3",
            "0.5 12 34",
            "order 2024-000123",
            "(012) 345-6789",
            "+289 415 555 2671",
        ] {
            assert_eq!(one(&format!("x {p} y")), None, "{p}");
        }
    }

    #[test]
    fn bare_numbers_need_a_phone_keyword() {
        use Builtin::Phone;
        assert_eq!(one("Call me at 4155552671!"), Some((Phone, "4155552671")));
        assert_eq!(one("mobile: 07700900123"), Some((Phone, "07700900123")));
        assert_eq!(one("tel 14155552671"), Some((Phone, "14155552671")));
        assert_eq!(one("order 4155552671"), None);
        assert_eq!(one("phone 1155552671"), None); // NPA starts with 1
        assert_eq!(one("call at 1712345678"), None); // a timestamp is never NANP
    }

    #[test]
    fn cards() {
        use Builtin::CreditCard;
        for c in [
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "4111111111111111",
            "5555 5555 5555 4444",
            "2223 0031 2200 3222",
            "3782 822463 10005",
            "6011 1111 1111 1117",
            "3530 1113 3330 0000",
            "3056 930902 5904",
            "4111 1111 1111 1111 003",
        ] {
            assert_eq!(one(&format!("card: {c}.")), Some((CreditCard, c)), "{c}");
        }
        assert_eq!(one("card 4111 1111 1111 1112"), None);
        assert_eq!(one("id 4111111111111111abc"), None);
        assert_eq!(one("4111 1111-1111 1111"), None);
    }

    #[test]
    fn ssn_iban_ip() {
        assert_eq!(
            one("ssn 123-45-6789"),
            Some((Builtin::UsSsn, "123-45-6789"))
        );
        assert_eq!(one("ssn 666-45-6789"), None);
        assert_eq!(one("ssn 123-00-6789"), None);
        assert_eq!(
            one("IBAN DE89 3704 0044 0532 0130 00 ok"),
            Some((Builtin::Iban, "DE89 3704 0044 0532 0130 00"))
        );
        assert_eq!(
            one("to GB82WEST12345698765432."),
            Some((Builtin::Iban, "GB82WEST12345698765432"))
        );
        assert_eq!(one("to DE88 3704 0044 0532 0130 00"), None);
        assert_eq!(
            one("from 192.168.1.20:8080"),
            Some((Builtin::IpAddress, "192.168.1.20"))
        );
        assert_eq!(one("v1.2.3.4"), None);
        assert_eq!(one("version 1.2.3.4"), None);
        assert_eq!(one("[assembly: AssemblyVersion(\"1.0.0.0\")]"), None);
        assert_eq!(one("host 1.2.3.4"), Some((Builtin::IpAddress, "1.2.3.4")));
        assert_eq!(one("1.2.3.4.5"), None);
        assert_eq!(one("999.1.1.1"), None);
        assert_eq!(
            one("at [2001:db8::8a2e:370:7334]:443"),
            Some((Builtin::IpAddress, "2001:db8::8a2e:370:7334"))
        );
        assert_eq!(one("std::vector"), None);
        assert_eq!(one("evens = a[1::2]"), None);
        assert_eq!(
            one("tel 415-555-2671x204"),
            Some((Builtin::Phone, "415-555-2671"))
        );
        assert_eq!(one("x[::2]"), None);
        assert_eq!(one("http://[::1]:8080/"), Some((Builtin::IpAddress, "::1")));
        assert_eq!(one("[fe80::1:2]"), Some((Builtin::IpAddress, "fe80::1:2")));
        assert_eq!(one("listen [::1]:8080"), Some((Builtin::IpAddress, "::1")));
        assert_eq!(one("m[:, 1::2]"), None);
        assert_eq!(
            one("http://[2001::1]/"),
            Some((Builtin::IpAddress, "2001::1"))
        );
        assert_eq!(one("12:30:45"), None);
        assert_eq!(one("mac 00:1a:2b:3c:4d:5e"), None);
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
    fn credentials() {
        let k = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";
        assert_eq!(one(&format!("key={k}")), Some((Builtin::OpenaiApiKey, k)));
        let a = "sk-ant-api03-Zx9yW8vU7tS6rQ5pO4nM3lK2jI1hG0fE";
        assert_eq!(
            one(&format!("\"{a}\"")),
            Some((Builtin::AnthropicApiKey, a))
        );
        assert_eq!(one("sk-this-is-not-a-real-key-at-all"), None);
        assert_eq!(one("task-sk-Ab3dEf6hIj9kLm2nOp5qRs8tUv1"), None);
        assert_eq!(
            one("AKIAIOSFODNN7EXAMPLE"),
            Some((Builtin::AwsAccessKeyId, "AKIAIOSFODNN7EXAMPLE"))
        );
        assert_eq!(one("XAKIAIOSFODNN7EXAMPLE"), None);
        let s = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        assert_eq!(
            one(&format!("aws_secret_access_key = {s}")),
            Some((Builtin::AwsSecretAccessKey, s))
        );
        assert_eq!(one(&format!("unrelated {s}")), None);
        let g = "ghp_1234567890abcdefghijABCDEFGHIJ123456";
        assert_eq!(one(g), Some((Builtin::GithubToken, g)));
        let g = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
        assert_eq!(one(g), Some((Builtin::GithubToken, g)));
        assert_eq!(
            one("glpat-Ab12Cd34Ef56Gh78Ij90"),
            Some((Builtin::GitlabToken, "glpat-Ab12Cd34Ef56Gh78Ij90"))
        );
        let x = "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx";
        assert_eq!(one(x), Some((Builtin::SlackToken, x)));
        let h = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";
        assert_eq!(
            one(&format!("post to {h} now")),
            Some((Builtin::SlackWebhook, h))
        );
        let st = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
        assert_eq!(one(st), Some((Builtin::StripeKey, st)));
        let gk = "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q";
        assert_eq!(one(gk), Some((Builtin::GoogleApiKey, gk)));
        assert_eq!(one("AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7"), None);
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

    #[test]
    fn jwt_bearer_basic_pem_url() {
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        let text = format!("Authorization: Bearer {jwt}");
        let v = scan(&text);
        assert!(
            v.contains(&(Builtin::Jwt, jwt)) && v.contains(&(Builtin::BearerToken, jwt)),
            "{v:?}"
        );
        assert_eq!(one("eyJub3QganNvbg.eyJ4IjoxfQ.abc"), None);
        assert_eq!(
            one("Bearer Ab3dEf6hIj9kLm2nOp"),
            Some((Builtin::BearerToken, "Ab3dEf6hIj9kLm2nOp"))
        );
        assert_eq!(one("bearer authentication is simple"), None);
        assert_eq!(
            one("Basic dXNlcjpwYXNzd29yZA=="),
            Some((Builtin::BasicAuth, "dXNlcjpwYXNzd29yZA=="))
        );
        assert_eq!(one("basic usage of the API"), None);
        let pem =
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";
        assert_eq!(
            one(&format!("key:\n{pem}\nend")),
            Some((Builtin::PrivateKey, pem))
        );
        assert_eq!(
            one("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"),
            None
        );
        let cut = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg";
        assert_eq!(one(&format!("x {cut}")), Some((Builtin::PrivateKey, cut)));
        assert_eq!(
            one("postgres://admin:s3cr3t@db.example.com:5432/app"),
            Some((Builtin::UrlPassword, "s3cr3t"))
        );
        assert_eq!(one("https://user@example.com/path"), None);
        assert_eq!(
            one("https://ex.com/contact?to=bob@example.com"),
            Some((Builtin::Email, "bob@example.com"))
        );
        assert_eq!(
            one("mysql://app:pa!ss.w0rd@db.example.com"),
            Some((Builtin::UrlPassword, "pa!ss.w0rd"))
        );
        assert_eq!(one("https://example.com/@user"), None);
    }
}
