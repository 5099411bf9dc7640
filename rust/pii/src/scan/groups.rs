//! Runs of digit groups (`+44 (0)20 7946 0958`, `4111-1111-1111-1111`, `192.168.1.20`): the
//! groups joined by single separators, parsed on the stack, and how a run meets the text
//! beside it ([`Edge`]).

use super::bytes::{is_word, run_end};

/// Most digit groups one run is evaluated over at once (bounds memory on `1 1 1 1 ...`).
pub(super) const MAX_RUN_GROUPS: usize = 32;
/// Most groups one finding spans (`+44 (0) 20 7946 0958` has 5).
pub(super) const MAX_FINDING_GROUPS: usize = 8;

/// How a number may meet what is beside it: at whitespace or the end of a token anything may
/// start or end there; after a word joined by `/` or `\` (`path/4111...`), after a digit and
/// a comma, or beside a group joined by a dash, only a card number (whose Luhn check and issuer
/// prefix keep ids out); after a letter or the dotted or dashed tail of a token (`v1.2`,
/// `build-42`), nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Edge {
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
pub(super) fn number_left(t: &[u8], st: usize) -> Edge {
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

/// The groups of one run, on the stack.
pub(super) struct Groups {
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
    pub(super) fn clear(&mut self) {
        self.n = 0;
    }

    pub(super) fn push(&mut self, g: Group) {
        self.g[self.n] = g;
        self.n += 1;
    }

    pub(super) fn len(&self) -> usize {
        self.n
    }

    pub(super) fn as_slice(&self) -> &[Group] {
        &self.g[..self.n]
    }
}

/// A group of digits inside a number run.
#[derive(Debug, Clone, Copy)]
pub(super) struct Group {
    /// First digit.
    pub(super) s: usize,
    /// After the last digit.
    pub(super) e: usize,
    /// Written in parentheses: `(415)`.
    pub(super) paren: bool,
    /// The separator before it: `b' '`, `b'-'`, `b'.'` or 0 (none, or parentheses only).
    pub(super) sep: u8,
    /// Whitespace in the gap before it (findings may start or end there).
    pub(super) space: bool,
}

/// Digit groups joined by single separators (` `, `-`, `.`, ` - `, `) `, `(`; any space of
/// [`space_len`]) from `k`.
/// Returns where the run ends and, if it stopped at a group glued to letters (`550e8400`),
/// where that group starts.
pub(super) fn parse_groups(t: &[u8], mut k: usize, groups: &mut Groups) -> (usize, Option<usize>) {
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
