//! Pre-tokenization of o200k_base and cl100k_base text without a regex engine.
//!
//! OpenAI's encodings cut text into pieces with a regular expression and byte-pair encode
//! each piece on its own. bpe-openai (the reference, see [`crate::count::reference_text`])
//! runs these expressions, anchored at the end of the previous piece, as one leftmost-first
//! multi-pattern regex in which `\s+(?!\S)` is emulated by `\s+\s` minus its last character:
//!
//! ```text
//! cl100k_base: (?i:'s|'t|'re|'ve|'m|'ll|'d) | [^\r\n\p{L}\p{N}]?\p{L}+ | \p{N}{1,3}
//!            | ' '?[^\s\p{L}\p{N}]+[\r\n]* | \s*[\r\n]+ | \s+$ | \s+(?!\S) | \s+
//! o200k_base:  [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|…|'d)?
//!            | [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|…|'d)?
//!            | \p{N}{1,3} | ' '?[^\s\p{L}\p{N}]+[\r\n/]* | \s*[\r\n]+ | \s+$ | \s+(?!\S) | \s+
//! ```
//!
//! Leftmost-first means: the first alternative that matches at the position wins, and inside
//! it greedy quantifiers give back characters one at a time until the rest matches. Every
//! alternative therefore reduces to a few forward scans over character classes:
//!
//! * the optional prefix `[^\r\n\p{L}\p{N}]?` is tried taken first, then left out (the two
//!   differ only when the first character is a mark, which is in both the prefix class and
//!   the letter-case classes of o200k);
//! * `U*W+` (U, W: o200k's upper and lower classes, which share Lm, Lo and M) scans the U run;
//!   if the character after it is in W the piece runs on to the end of the W run, otherwise
//!   giving back U characters finds the last one that is also in W and the piece ends right
//!   after it; `U+W*` is the U run followed by the W run;
//! * `\s*[\r\n]+` ends after the last CR or LF of the whitespace run; `\s+$` takes a run that
//!   reaches the end of the text; `\s+(?!\S)` is the run minus its last character when the
//!   run has two or more; `\s+` is the single whitespace character left.
//!
//! Every scan is bounded by the run it reads, and a run is read at most a few times, so
//! splitting is linear in the text. ASCII goes through a 128-entry table; other characters
//! through a two-level table built once from regex-syntax, the crate (one version in
//! Cargo.lock) that compiles the reference's regex, so the Unicode data cannot differ. The
//! case-insensitive contraction letters come from regex-syntax's case folding too (`(?i:s)`
//! also matches U+017F LATIN SMALL LETTER LONG S).
//!
//! ```
//! use llmo_tokens::model_map::Encoding;
//! use llmo_tokens::pretok;
//!
//! let pieces: Vec<&str> = pretok::split(Encoding::O200kBase, "He's  here\n").unwrap().collect();
//! assert_eq!(pieces, ["He's", " ", " here", "\n"]);
//! ```

use std::sync::LazyLock;

use regex_syntax::hir::{Class, HirKind};

use crate::model_map::Encoding;

/// `\p{L}`.
const LETTER: u8 = 1;
/// `\p{N}`.
const NUMBER: u8 = 2;
/// `\s` (Unicode White_Space).
const SPACE: u8 = 4;
/// o200k's `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`.
const UPPER: u8 = 8;
/// o200k's `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`.
const LOWER: u8 = 16;
/// `[\r\n]`.
const NEWLINE: u8 = 32;
/// Past the end of the text: in no class, not even the negated ones.
const END: u8 = 128;

const BLOCK_BITS: u32 = 7;
const BLOCK: usize = 1 << BLOCK_BITS;
const CODEPOINTS: usize = 0x11_0000;

/// `[^\r\n\p{L}\p{N}]`: the optional character before a word.
#[inline(always)]
fn is_prefix(f: u8) -> bool {
    f & (LETTER | NUMBER | NEWLINE | END) == 0
}

/// `[^\s\p{L}\p{N}]`: punctuation, symbols, marks, controls.
#[inline(always)]
fn is_punct(f: u8) -> bool {
    f & (LETTER | NUMBER | SPACE | END) == 0
}

/// The character classes of both patterns for every code point, and the contraction letters.
struct Classes {
    ascii: [u8; 128],
    /// Block number of each 128-code-point block.
    index: Vec<u16>,
    /// Deduplicated blocks of class bits.
    blocks: Vec<u8>,
    /// `'s|'t|'re|'ve|'m|'ll|'d` without the apostrophe, in the pattern's order; each letter
    /// as the code point ranges `(?i:letter)` matches.
    contractions: Vec<Vec<Vec<(u32, u32)>>>,
}

static CLASSES: LazyLock<Option<Classes>> = LazyLock::new(Classes::build);

/// The ranges of a pattern that regex-syntax parses to one Unicode class.
fn class_ranges(pattern: &str) -> Option<Vec<(u32, u32)>> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    match hir.kind() {
        HirKind::Class(Class::Unicode(c)) => Some(
            c.ranges()
                .iter()
                .map(|r| (r.start() as u32, r.end() as u32))
                .collect(),
        ),
        HirKind::Literal(_) => {
            let c = std::str::from_utf8(&hir_literal(&hir)?)
                .ok()?
                .chars()
                .next()?;
            Some(vec![(c as u32, c as u32)])
        }
        _ => None,
    }
}

fn hir_literal(hir: &regex_syntax::hir::Hir) -> Option<Vec<u8>> {
    match hir.kind() {
        HirKind::Literal(l) => Some(l.0.to_vec()),
        _ => None,
    }
}

impl Classes {
    fn build() -> Option<Classes> {
        let mut flags = vec![0u8; CODEPOINTS];
        for (pattern, bit) in [
            (r"\p{L}", LETTER),
            (r"\p{N}", NUMBER),
            (r"\s", SPACE),
            (r"[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]", UPPER),
            (r"[\p{Ll}\p{Lm}\p{Lo}\p{M}]", LOWER),
            (r"[\r\n]", NEWLINE),
        ] {
            for (lo, hi) in class_ranges(pattern)? {
                for f in flags.get_mut(lo as usize..=hi as usize)? {
                    *f |= bit;
                }
            }
        }
        let mut ascii = [0u8; 128];
        ascii.copy_from_slice(&flags[..128]);
        let mut seen = std::collections::HashMap::new();
        let mut index = Vec::with_capacity(CODEPOINTS / BLOCK);
        let mut blocks = Vec::new();
        for block in flags.chunks(BLOCK) {
            let next = seen.len();
            let n = *seen.entry(block).or_insert_with(|| {
                blocks.extend_from_slice(block);
                next
            });
            index.push(u16::try_from(n).ok()?);
        }
        let contractions = ["s", "t", "re", "ve", "m", "ll", "d"]
            .iter()
            .map(|alt| {
                alt.chars()
                    .map(|c| class_ranges(&format!("(?i:{c})")))
                    .collect::<Option<Vec<_>>>()
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Classes {
            ascii,
            index,
            blocks,
            contractions,
        })
    }

    #[inline(always)]
    fn of(&self, cp: u32) -> u8 {
        let block = self
            .index
            .get((cp >> BLOCK_BITS) as usize)
            .map_or(0, |&b| b as usize);
        self.blocks
            .get(block << BLOCK_BITS | (cp as usize & (BLOCK - 1)))
            .copied()
            .unwrap_or(0)
    }
}

/// The code point starting at `i` (a character boundary of valid UTF-8, `i < b.len()`).
#[inline(always)]
fn decode(b: &[u8], i: usize) -> (u32, usize) {
    let at = |k: usize| b.get(i + k).map_or(0, |&x| (x & 0x3F) as u32);
    let b0 = b.get(i).map_or(0, |&x| x as u32);
    if b0 < 0x80 {
        (b0, 1)
    } else if b0 < 0xE0 {
        ((b0 & 0x1F) << 6 | at(1), 2)
    } else if b0 < 0xF0 {
        ((b0 & 0x0F) << 12 | at(1) << 6 | at(2), 3)
    } else {
        ((b0 & 0x07) << 18 | at(1) << 12 | at(2) << 6 | at(3), 4)
    }
}

/// Finds where the piece starting at a position ends.
#[derive(Clone, Copy)]
struct Scanner<'a> {
    b: &'a [u8],
    c: &'a Classes,
}

impl Scanner<'_> {
    /// Class bits and byte length of the character at `i`; `(END, 0)` past the end.
    #[inline(always)]
    fn at(self, i: usize) -> (u8, usize) {
        match self.b.get(i) {
            None => (END, 0),
            Some(&x) if x < 0x80 => (self.c.ascii[x as usize], 1),
            Some(_) => {
                let (cp, n) = decode(self.b, i);
                (self.c.of(cp), n)
            }
        }
    }

    /// End of the run of characters having `bit`, from `i`.
    #[inline(always)]
    fn run(self, mut i: usize, bit: u8) -> usize {
        loop {
            // ASCII stretches without decoding.
            while let Some(&x) = self.b.get(i) {
                if x >= 0x80 || self.c.ascii[x as usize] & bit == 0 {
                    break;
                }
                i += 1;
            }
            let (f, n) = self.at(i);
            if f & bit == 0 {
                return i;
            }
            i += n;
        }
    }

    /// `\p{N}{1,3}` at `i` (the first character is a number).
    fn digits(self, mut i: usize) -> usize {
        for _ in 0..3 {
            let (f, n) = self.at(i);
            if f & NUMBER == 0 {
                break;
            }
            i += n;
        }
        i
    }

    /// `' '?[^\s\p{L}\p{N}]+` followed by `[\r\n]*` (cl100k) or `[\r\n/]*` (o200k).
    fn punct(self, pos: usize, slash: bool) -> Option<usize> {
        let mut i = pos;
        if self.b.get(pos) == Some(&b' ') && is_punct(self.at(pos + 1).0) {
            i = pos + 1;
        }
        if !is_punct(self.at(i).0) {
            return None;
        }
        loop {
            let (f, n) = self.at(i);
            if !is_punct(f) {
                break;
            }
            i += n;
        }
        while let Some(&x) = self.b.get(i) {
            if x == b'\r' || x == b'\n' || (slash && x == b'/') {
                i += 1;
            } else {
                break;
            }
        }
        Some(i)
    }

    /// `\s*[\r\n]+ | \s+$ | \s+(?!\S) | \s+` at `pos` (the first character is whitespace).
    fn whitespace(self, pos: usize) -> usize {
        let mut i = pos;
        let mut after_newline = None;
        let mut last = pos;
        loop {
            let (f, n) = self.at(i);
            if f & SPACE == 0 {
                break;
            }
            if f & NEWLINE != 0 {
                after_newline = Some(i + n);
            }
            last = i;
            i += n;
        }
        if let Some(e) = after_newline {
            e
        } else if i >= self.b.len() || last == pos {
            i
        } else {
            last
        }
    }

    /// The contraction starting with the apostrophe at `i`, if one does.
    fn contraction(self, i: usize) -> Option<usize> {
        if self.b.get(i) != Some(&b'\'') {
            return None;
        }
        'alt: for alt in &self.c.contractions {
            let mut j = i + 1;
            for letter in alt {
                if j >= self.b.len() {
                    continue 'alt;
                }
                let (cp, n) = decode(self.b, j);
                if !letter.iter().any(|&(lo, hi)| lo <= cp && cp <= hi) {
                    continue 'alt;
                }
                j += n;
            }
            return Some(j);
        }
        None
    }

    /// o200k's `[U]*[W]+` from `p`.
    fn lower_word(self, p: usize) -> Option<usize> {
        let mut i = p;
        let mut after_both = None;
        loop {
            let (f, n) = self.at(i);
            if f & UPPER == 0 {
                if f & LOWER != 0 {
                    return Some(self.run(i, LOWER));
                }
                // Give back U characters until one is also in W: it is the W+ part.
                return after_both;
            }
            i += n;
            if f & LOWER != 0 {
                after_both = Some(i);
            }
        }
    }

    /// o200k's `[U]+[W]*` from `p`.
    fn upper_word(self, p: usize) -> Option<usize> {
        let q = self.run(p, UPPER);
        (q > p).then(|| self.run(q, LOWER))
    }

    /// A word of o200k with its optional contraction.
    fn o200k_word(self, e: usize) -> usize {
        self.contraction(e).unwrap_or(e)
    }

    fn o200k_end(self, pos: usize) -> usize {
        let (f0, n0) = self.at(pos);
        let prefix = is_prefix(f0);
        if prefix {
            if let Some(e) = self.lower_word(pos + n0) {
                return self.o200k_word(e);
            }
        }
        if let Some(e) = self.lower_word(pos) {
            return self.o200k_word(e);
        }
        if prefix {
            if let Some(e) = self.upper_word(pos + n0) {
                return self.o200k_word(e);
            }
        }
        if let Some(e) = self.upper_word(pos) {
            return self.o200k_word(e);
        }
        if f0 & NUMBER != 0 {
            return self.digits(pos);
        }
        if let Some(e) = self.punct(pos, true) {
            return e;
        }
        self.whitespace(pos)
    }

    fn cl100k_end(self, pos: usize) -> usize {
        if let Some(e) = self.contraction(pos) {
            return e;
        }
        let (f0, n0) = self.at(pos);
        if is_prefix(f0) && self.at(pos + n0).0 & LETTER != 0 {
            return self.run(pos + n0, LETTER);
        }
        if f0 & LETTER != 0 {
            return self.run(pos, LETTER);
        }
        if f0 & NUMBER != 0 {
            return self.digits(pos);
        }
        if let Some(e) = self.punct(pos, false) {
            return e;
        }
        self.whitespace(pos)
    }
}

/// The pieces of a text, in order; they concatenate to the text.
#[derive(Clone)]
pub struct Pieces<'a> {
    text: &'a str,
    scan: Scanner<'a>,
    o200k: bool,
    pos: usize,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        let pos = self.pos;
        if pos >= self.text.len() {
            return None;
        }
        let mut end = if self.o200k {
            self.scan.o200k_end(pos)
        } else {
            self.scan.cl100k_end(pos)
        };
        if end <= pos || !self.text.is_char_boundary(end) {
            // Unreachable: every character is a letter, number, whitespace or punctuation,
            // and each has an alternative that takes it. Progress anyway, never loop.
            end = pos + self.scan.at(pos).1.max(1);
            while !self.text.is_char_boundary(end) {
                end += 1;
            }
        }
        self.pos = end;
        self.text.get(pos..end)
    }
}

/// Splits `text` as `enc`'s pattern does. `None` only if the class tables could not be built
/// from regex-syntax (not expected; callers fall back to the reference).
pub fn split(enc: Encoding, text: &str) -> Option<Pieces<'_>> {
    let c = CLASSES.as_ref()?;
    Some(Pieces {
        text,
        scan: Scanner {
            b: text.as_bytes(),
            c,
        },
        o200k: enc == Encoding::O200kBase,
        pos: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(enc: Encoding, s: &str) -> Vec<&str> {
        split(enc, s).unwrap().collect()
    }

    #[test]
    fn class_tables_hold_the_pattern_facts_the_scanner_relies_on() {
        let c = CLASSES.as_ref().unwrap();
        for cp in 0..CODEPOINTS as u32 {
            let f = c.of(cp);
            if cp < 128 {
                assert_eq!(f, c.ascii[cp as usize]);
            }
            // Every letter is in o200k's U or W; the general categories are disjoint.
            if f & LETTER != 0 {
                assert_ne!(f & (UPPER | LOWER), 0, "{cp:#x}");
            }
            assert!(f & LETTER == 0 || f & NUMBER == 0, "{cp:#x}");
            assert!(f & SPACE == 0 || f & (LETTER | NUMBER) == 0, "{cp:#x}");
        }
        // (?i:s) also matches LATIN SMALL LETTER LONG S.
        assert_eq!(
            c.contractions[0][0],
            [(0x53, 0x53), (0x73, 0x73), (0x17F, 0x17F)]
        );
    }

    #[test]
    fn splits_like_the_patterns() {
        let o = Encoding::O200kBase;
        let c = Encoding::Cl100kBase;
        assert_eq!(pieces(o, "HELLOworld it's"), ["HELLOworld", " it's"]);
        assert_eq!(pieces(c, "HELLOworld it's"), ["HELLOworld", " it", "'s"]);
        assert_eq!(pieces(o, "12345 x"), ["123", "45", " x"]);
        assert_eq!(
            pieces(o, "a  \n\n  b   "),
            ["a", "  \n\n", " ", " b", "   "]
        );
        assert_eq!(pieces(o, "x!\n/y"), ["x", "!\n/", "y"]);
        assert_eq!(pieces(c, "x!\n/y"), ["x", "!\n", "/y"]);
        assert_eq!(pieces(o, "A你B"), ["A你", "B"]);
        assert_eq!(pieces(o, "'ſ x'ſ"), ["'ſ", " x'ſ"]);
        assert!(pieces(o, "").is_empty());
    }
}
