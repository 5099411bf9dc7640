//! Phone numbers: international (`+` or `00` and an assigned country code, E.164), North
//! American (NANP rules) and national numbers with a trunk `0`, written with separators; a
//! number without separators, and the numbers people write that no plan we check accepts,
//! only beside a contact cue in one of the major languages.

use std::cell::{Cell, OnceCell};
use std::sync::LazyLock;

use super::groups::{Group, MAX_FINDING_GROUPS};
use crate::validate;

/// True when the groups (`plus`: after a `+`) are a phone number written with separators.
pub(super) fn phone(
    gs: &[Group],
    plus: bool,
    run_start: bool,
    digits: &[u8],
    uniform: bool,
) -> bool {
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

/// A phone number written without separators (`4155552671`, `14155552671`, `07700900123`):
/// NANP rules or a national trunk 0. Only beside a contact cue (see [`phone_cue`]): half of
/// all random 10-digit ids pass the NANP rules.
pub(super) fn bare_phone(d: &[u8]) -> bool {
    match d.len() {
        10 => validate::nanp(d) || (d[0] == b'0' && d[1] != b'0'),
        11 => (d[0] == b'1' && validate::nanp(&d[1..])) || (d[0] == b'0' && d[1] != b'0'),
        _ => false,
    }
}

/// A number that is a phone number only beside a contact cue ([`phone_cue`]): what the
/// plans allow but a random number often is too, as people write it in every locale --
/// a North American number of an unassigned area (`493.619.0853`); a national number without
/// its trunk 0 (`61-0192-1910` in Japan, `17 5684-9503` in Brazil) or with it but grouped
/// freely (`(028)9018512`, `0#### ######`); a bare mobile (`347 0905430` written `3470905430`);
/// an international number whose national part has the length of no plan we know
/// (`+91 080 3866983`). North American numbers keep their plan's fixed length and the first
/// digits of area and exchange (2-9): `phone 1155552671` is not one.
pub(super) fn cued_phone(gs: &[Group], plus: bool, digits: &[u8]) -> bool {
    let nd = digits.len();
    let nanp_possible = |d: &[u8]| d.len() == 10 && d[0] >= b'2' && d[3] >= b'2';
    if !plus && digits.starts_with(b"00") && gs[0].e - gs[0].s >= 3 {
        // `001-296-742-1916`: 00 is how many countries dial abroad, as `+`
        if validate::country_code(&digits[2..])
            .is_some_and(|(cc, nsn)| cc == 1 && nanp_possible(nsn))
        {
            return true;
        }
    }
    if plus {
        return match validate::country_code(digits) {
            Some((1, nsn)) => nanp_possible(nsn),
            Some((_, nsn)) => (6..=12).contains(&nsn.len()),
            None => false,
        };
    }
    // separators a phone number is written with; only the first group in parentheses
    if gs
        .iter()
        .skip(1)
        .any(|g| g.paren || !matches!(g.sep, b' ' | b'-' | b'.' | b'/' | 0))
        || gs.len() > 5
        || gs.iter().any(|g| g.e - g.s < 2) && gs.len() > 1
    {
        return false;
    }
    // a trunk 0 (or an international 00) and the rest of a national number
    if digits[0] == b'0' {
        return (9..=12).contains(&nd);
    }
    // North American: 10 digits, or 11 after a country code 1
    if (nd == 10 && nanp_possible(digits))
        || (nd == 11 && digits[0] == b'1' && nanp_possible(&digits[1..]))
    {
        return true;
    }
    // other national numbers without a trunk prefix: 8 to 11 digits in groups (`17
    // 5684-9503`, `16-1063-3144`); bare, the plans without one: Spain's 9 digits from 6 to
    // 9, Italy's mobiles (3, 9 to 11 digits)
    (8..=11).contains(&nd)
        && (gs.len() > 1
            || (digits[0] == b'3' && nd >= 9)
            || (nd == 9 && (b'6'..=b'9').contains(&digits[0])))
}

/// The end of a phone number's extension right after it (`x204`, ` ext. 12`, `#3`), else
/// `end`: it is part of what identifies the person.
pub(super) fn extension_end(t: &[u8], end: usize) -> usize {
    let rest = &t[end..];
    let lower = |i: usize| rest.get(i).map(u8::to_ascii_lowercase);
    let mut i = 0;
    if lower(0) == Some(b' ') {
        i = 1;
    }
    let marker = if lower(i) == Some(b'x') {
        1
    } else if rest.len() >= i + 3 && rest[i..i + 3].eq_ignore_ascii_case(b"ext") {
        if lower(i + 3) == Some(b'.') {
            4
        } else {
            3
        }
    } else if i == 0 && lower(0) == Some(b'#') {
        1
    } else {
        return end;
    };
    i += marker;
    if marker > 1 && lower(i) == Some(b' ') {
        i += 1;
    }
    let digits = rest[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    let after = rest.get(i + digits);
    if (1..=6).contains(&digits) && after.is_none_or(|b| !b.is_ascii_alphanumeric()) {
        end + i + digits
    } else {
        end
    }
}

/// Contact cues: words people write a phone number after (or, in Japanese and Hindi, before)
/// in the major languages. `true`: the cue must start a word (`tel` not in `hotel`, `ring`
/// not in `string`); compounds keep the others (`Handynummer`, `Kreditkarte`).
const PHONE_CUES: &[(&str, bool)] = &[
    // English
    ("phone", false),
    ("tel", true),
    ("call", true),
    ("mobile", false),
    ("cell", true),
    ("whatsapp", false),
    ("sms", true),
    ("fax", true),
    ("contact", false),
    ("reach", true),
    ("ring me", true),
    ("text me", true),
    ("my number", true),
    ("dial", true),
    // German
    ("handy", false),
    ("mobil", true),
    ("ruf", true),
    ("anruf", false),
    ("rückruf", false),
    ("erreich", false),
    ("kontakt", false),
    ("nummer", false),
    ("festnetz", false),
    // French
    ("tél", true),
    ("appel", true),
    ("joindre", true),
    ("portable", true),
    ("mon numéro", true),
    // Spanish
    ("móvil", true),
    ("movil", true),
    ("celular", true),
    ("llám", true),
    ("llam", true),
    ("mi número", true),
    // Italian
    ("chiam", true),
    ("contatt", true),
    ("mio numero", true),
    // Portuguese
    ("liga", true),
    ("contato", true),
    ("meu número", true),
    ("zap", true),
    // Japanese
    ("電話", false),
    ("携帯", false),
    ("連絡", false),
    ("番号", false),
    // Hindi
    // sign-offs: a name and contact details follow them
    ("regards", true),
    ("sincerely", true),
    ("cheers", true),
    ("grüße", false),
    ("grüßen", false),
    ("cordialement", true),
    ("saludo", true),
    ("saluti", true),
    ("abraço", true),
    ("atenciosamente", true),
    ("よろしく", false),
    ("फ़ोन", false),
    ("फोन", false),
    ("मोबाइल", false),
    ("नंबर", false),
    ("संपर्क", false),
    ("कॉल", false),
];

/// Card cues, as [`PHONE_CUES`].
const CARD_CUES: &[(&str, bool)] = &[
    ("card", true),
    ("charge", true),
    ("karte", false),
    ("carte", true),
    ("tarjeta", true),
    ("carta", true),
    ("cartão", true),
    ("cartao", true),
    ("maestro", true),
    ("visa", true),
    ("mastercard", true),
    ("debit", true),
    ("credit", true),
    ("カード", false),
    ("कार्ड", false),
];

/// A list of cues compiled for search: every occurrence of every cue, ASCII
/// case-insensitive (non-ASCII bytes compare exactly, as the lists are written in lower
/// case), as a comparison at every position would find them. A position is looked at further
/// only when its two bytes start a cue (one bit test); few do, so a window costs about a
/// nanosecond per byte.
struct Cues {
    /// Bit `a << 8 | b` set when a cue starts with the bytes `a b` (lower case).
    pairs: Box<[u64; 1024]>,
    /// `(first two bytes, cue)` sorted, for the cues that start at a position.
    by_pair: Vec<(u16, u16)>,
    cues: Vec<(&'static [u8], bool)>,
}

#[inline]
fn pair(a: u8, b: u8) -> u16 {
    u16::from(a.to_ascii_lowercase()) << 8 | u16::from(b.to_ascii_lowercase())
}

impl Cues {
    fn new(cues: &[(&'static str, bool)]) -> Cues {
        let mut pairs = Box::new([0u64; 1024]);
        let mut by_pair = Vec::new();
        for (k, (c, _)) in cues.iter().enumerate() {
            let c = c.as_bytes();
            assert!(c.len() >= 2 && c == c.to_ascii_lowercase(), "cue {c:?}");
            let p = pair(c[0], c[1]);
            pairs[usize::from(p >> 6)] |= 1 << (p & 63);
            by_pair.push((p, k as u16));
        }
        by_pair.sort_unstable();
        Cues {
            pairs,
            by_pair,
            cues: cues.iter().map(|(c, w)| (c.as_bytes(), *w)).collect(),
        }
    }

    /// Calls `f(at, len, word)` for each cue inside `t[from..to]` in order of position, until
    /// it returns true; whether it did.
    #[inline]
    fn any(
        &self,
        t: &[u8],
        from: usize,
        to: usize,
        mut f: impl FnMut(usize, usize, bool) -> bool,
    ) -> bool {
        for at in from..to.saturating_sub(1) {
            let p = pair(t[at], t[at + 1]);
            if self.pairs[usize::from(p >> 6)] & (1 << (p & 63)) == 0 {
                continue;
            }
            let first = self.by_pair.partition_point(|&(q, _)| q < p);
            for &(_, k) in self.by_pair[first..].iter().take_while(|&&(q, _)| q == p) {
                let (c, word) = self.cues[usize::from(k)];
                if at + c.len() <= to
                    && t[at..at + c.len()].eq_ignore_ascii_case(c)
                    && f(at, c.len(), word)
                {
                    return true;
                }
            }
        }
        false
    }
}

static PHONE: LazyLock<Cues> = LazyLock::new(|| Cues::new(PHONE_CUES));
static CARD: LazyLock<Cues> = LazyLock::new(|| Cues::new(CARD_CUES));

/// Where the cue window before a number at `s` starts: 48 characters back (room for a name
/// between a sign-off and the number, in any script).
fn window_start(t: &[u8], s: usize) -> usize {
    let mut bs = s;
    let mut chars = 0;
    while bs > 0 && chars < 48 {
        bs -= 1;
        // a UTF-8 continuation byte is part of the character before it
        if t[bs] & 0xC0 != 0x80 {
            chars += 1;
        }
    }
    bs
}

/// Whether the cue `c` found at `at..at + c.len()` of `t`, inside the window `..we`, counts:
/// a word cue must start a word; `call` before `id` is a call id; a word of a marker of
/// redacted text (`<PHONE>`, `<CREDIT_CARD>`) is no cue, so that the text redacted again
/// finds what the first pass found, no more.
fn counts(t: &[u8], at: usize, len: usize, word: bool, we: usize) -> bool {
    let marker = (at > 0 && matches!(t[at - 1], b'<' | b'_')) || t.get(at + len) == Some(&b'>');
    let starts_word = !word || at == 0 || !t[at - 1].is_ascii_alphabetic();
    let call_id = t[at..at + len].eq_ignore_ascii_case(b"call") && {
        let rest = &t[at + len..we];
        let rest = rest.strip_prefix(b" ").unwrap_or(rest);
        let rest = rest.strip_prefix(b"_").unwrap_or(rest);
        rest.len() >= 2 && rest[..2].eq_ignore_ascii_case(b"id")
    };
    !marker && starts_word && !call_id
}

/// True when a cue of `cues` lies within the 48 characters before `s` or within the 24
/// bytes after `e` (any ASCII case), and [`counts`].
fn cue(t: &[u8], s: usize, e: usize, cues: &Cues, index: Option<&CueIndex>) -> bool {
    let ae = (e + 24).min(t.len());
    let ws = window_start(t, s);
    if let Some(all) = index.and_then(|i| i.all(t, cues, (s - ws) + (ae - e))) {
        // the cues of the whole text that lie inside a window are those a search of the
        // window finds
        let found = |ws: usize, we: usize| {
            let from = all.partition_point(|c| c.at < ws);
            all[from..]
                .iter()
                .take_while(|c| c.at < we)
                .any(|c| c.at + c.len <= we && counts(t, c.at, c.len, c.word, we))
        };
        return found(ws, s) || found(e, ae);
    }
    let found =
        |ws: usize, we: usize| cues.any(t, ws, we, |at, len, word| counts(t, at, len, word, we));
    found(ws, s) || found(e, ae)
}

/// A cue word found in a text.
struct CueAt {
    at: usize,
    len: usize,
    word: bool,
}

/// Every cue of one list in the text being scanned, found once the windows asked about add
/// up to more bytes than the text: number-dense text (dates, coordinates, tables) asks about
/// overlapping windows again and again, a long text with a few numbers about a few. Either
/// way no more than twice the bytes of the better of the two are searched.
#[derive(Default)]
pub(super) struct CueIndex {
    asked: Cell<usize>,
    all: OnceCell<Vec<CueAt>>,
}

impl CueIndex {
    /// The cues of `t`, once the windows asked about (`window` bytes more now) outweigh it.
    fn all(&self, t: &[u8], cues: &Cues, window: usize) -> Option<&[CueAt]> {
        if self.all.get().is_none() {
            self.asked.set(self.asked.get() + window);
            if self.asked.get() <= t.len() {
                return None;
            }
        }
        let all = self.all.get_or_init(|| {
            let mut v = Vec::new();
            cues.any(t, 0, t.len(), |at, len, word| {
                v.push(CueAt { at, len, word });
                false
            });
            v
        });
        Some(all)
    }
}

/// A contact cue ([`PHONE_CUES`]) near the number at `s..e`; `index` (of `t` or a longer
/// text it starts) when the caller keeps one.
pub(super) fn phone_cue(t: &[u8], s: usize, e: usize, index: Option<&CueIndex>) -> bool {
    cue(t, s, e, &PHONE, index)
}

/// A card cue ([`CARD_CUES`]) near the number at `s..e`, as [`phone_cue`].
pub(super) fn card_cue(t: &[u8], s: usize, e: usize, index: Option<&CueIndex>) -> bool {
    cue(t, s, e, &CARD, index)
}

#[cfg(test)]
mod tests {
    use crate::detectors::Builtin;
    use crate::scan::tests::one;

    /// The cue search as first written: every cue compared at every position of the window,
    /// lowered to ASCII lower case. The search must agree with it everywhere.
    fn reference_cue(t: &[u8], s: usize, e: usize, cues: &[(&str, bool)]) -> bool {
        let bs = super::window_start(t, s);
        let ae = (e + 24).min(t.len());
        let found = |base: usize, w: &[u8]| {
            let w = w.to_ascii_lowercase();
            cues.iter().any(|(c, word)| {
                let c = c.as_bytes();
                w.windows(c.len()).enumerate().any(|(i, x)| {
                    let at = base + i;
                    if x != c {
                        return false;
                    }
                    let marker = (at > 0 && matches!(t[at - 1], b'<' | b'_'))
                        || t.get(at + c.len()) == Some(&b'>');
                    let starts_word = !word || at == 0 || !t[at - 1].is_ascii_alphabetic();
                    let call_id = c == b"call" && {
                        let rest = &w[i + 4..];
                        let rest = rest.strip_prefix(b" ").unwrap_or(rest);
                        let rest = rest.strip_prefix(b"_").unwrap_or(rest);
                        rest.starts_with(b"id")
                    };
                    !marker && starts_word && !call_id
                })
            })
        };
        found(bs, &t[bs..s]) || found(e, &t[e..ae])
    }

    /// Pieces of text near cues: the cue words in several cases, what makes a cue not count
    /// (letters before it, markers, `id` after `call`), digits and other scripts.
    fn piece() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let words: Vec<String> = super::PHONE_CUES
            .iter()
            .chain(super::CARD_CUES)
            .flat_map(|(c, _)| {
                let mut title = c.to_string();
                if let Some(f) = title.get_mut(..1) {
                    f.make_ascii_uppercase();
                }
                [c.to_string(), c.to_ascii_uppercase(), title]
            })
            .collect();
        let other = [
            " ",
            "  ",
            "<",
            ">",
            "_",
            "id",
            "ID",
            "Id",
            "i",
            "x",
            "ho",
            "é",
            "É",
            "電",
            "0",
            "415 555 0134",
            "\n",
            ":",
            "call",
            "CALL",
            "Call",
            "tel",
            "card",
        ]
        .map(String::from)
        .to_vec();
        prop_oneof![
            1 => proptest::sample::select(words),
            2 => proptest::sample::select(other),
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        /// The search finds a cue exactly where the reference does, for phones and cards,
        /// at any place of the number in the text.
        #[test]
        fn cue_search_equals_the_reference(
            parts in proptest::collection::vec(piece(), 0..16),
            a in 0.0f64..=1.0,
            b in 0.0f64..=1.0,
        ) {
            let text = parts.concat();
            let t = text.as_bytes();
            let at = |f: f64| (f * t.len() as f64) as usize;
            let (s, e) = (at(a.min(b)), at(a.max(b)));
            proptest::prop_assert_eq!(
                super::phone_cue(t, s, e, None),
                reference_cue(t, s, e, super::PHONE_CUES),
                "phone {:?} {}..{}", text, s, e
            );
            proptest::prop_assert_eq!(
                super::card_cue(t, s, e, None),
                reference_cue(t, s, e, super::CARD_CUES),
                "card {:?} {}..{}", text, s, e
            );
            // the same from an index of the whole text
            let (phones, cards) = (super::CueIndex::default(), super::CueIndex::default());
            phones.asked.set(usize::MAX / 2);
            cards.asked.set(usize::MAX / 2);
            proptest::prop_assert_eq!(
                super::phone_cue(t, s, e, Some(&phones)),
                reference_cue(t, s, e, super::PHONE_CUES),
                "indexed phone {:?} {}..{}", text, s, e
            );
            proptest::prop_assert_eq!(
                super::card_cue(t, s, e, Some(&cards)),
                reference_cue(t, s, e, super::CARD_CUES),
                "indexed card {:?} {}..{}", text, s, e
            );
        }
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
        // an extension is part of the number
        for (text, want) in [
            ("tel 415-555-2671x204", "415-555-2671x204"),
            ("tel 415-555-2671 ext. 12, thanks", "415-555-2671 ext. 12"),
            ("tel 415-555-2671 x9", "415-555-2671 x9"),
            ("tel 415-555-2671 xylophone", "415-555-2671"),
            ("tel 415-555-2671 ext", "415-555-2671"),
        ] {
            assert_eq!(one(text), Some((Builtin::Phone, want)), "{text}");
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
    fn numbers_a_contact_cue_makes_phones() {
        use Builtin::Phone;
        // written as people of each locale do, after a cue in their language
        for (text, p) in [
            ("You can reach me on 493.619.0853 after 5pm", "493.619.0853"),
            ("Meine Handynummer ist 07696439825.", "07696439825"),
            (
                "Rufen Sie mich bitte unter 01169171068 zurück",
                "01169171068",
            ),
            ("Vous pouvez me joindre au 0487930828", "0487930828"),
            ("Llámame al 912345678 mañana", "912345678"),
            ("Il mio numero di cellulare è 3470905430.", "3470905430"),
            ("Me liga no 17 5684-9503 amanhã", "17 5684-9503"),
            ("連絡先 61-0192-1910", "61-0192-1910"),
            ("61-0192-1910までお電話ください", "61-0192-1910"),
            ("मेरा मोबाइल नंबर 09457805061 है", "09457805061"),
            ("संपर्क करें: +91 052 5912999", "+91 052 5912999"),
            ("Contact me at 001-296-742-1916", "001-296-742-1916"),
            (
                "Best regards, Dr. Hans-Peter Müller, 0292018696",
                "0292018696",
            ),
        ] {
            assert_eq!(one(text), Some((Phone, p)), "{text}");
        }
        // the same numbers without a cue, or with a word that only looks like one
        for text in [
            "order 493.619.0853 shipped",
            "invoice 07696439825",
            "hotel 0487930828",
            "string 17 5684-9503",
            "call id 911-533-9136",
            "call_id 0487930828",
            "ref 61-0192-1910",
            "phone 1155552671", // an area code never starts with 1
            "Contact us about ticket 12345678",
            // a marker of redacted text is no cue: redacting again finds nothing new
            "<PHONE> 0487930828",
            "<CREDIT_CARD> 2378 2378 2378",
        ] {
            assert_eq!(one(text), None, "{text}");
        }
    }
}
