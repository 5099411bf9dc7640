//! Byte classes and the searches every scanner expands with: ASCII word, key and base64
//! characters, token ends, and the SWAR search for the next digit.

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
pub(super) fn is_word(b: u8) -> bool {
    CLASS[usize::from(b)] & WORD != 0
}

/// `[A-Za-z0-9_-]`: the characters of API keys and base64url.
#[inline]
pub(super) fn is_key_char(b: u8) -> bool {
    CLASS[usize::from(b)] & KEY != 0
}

#[inline]
pub(super) fn is_b64url(b: u8) -> bool {
    is_key_char(b)
}

/// `[A-Za-z0-9+/]`: standard base64 without padding.
#[inline]
pub(super) fn is_b64(b: u8) -> bool {
    CLASS[usize::from(b)] & B64 != 0
}

#[inline]
pub(super) fn run_end(t: &[u8], mut i: usize, pred: impl Fn(u8) -> bool) -> usize {
    while i < t.len() && pred(t[i]) {
        i += 1;
    }
    i
}

/// The end of the word (`[A-Za-z0-9_]+`) at `i`, eight bytes per branch: hashes, UUIDs and
/// identifiers are skipped whole when their first digit is not a number's.
#[inline]
pub(super) fn skip_word(t: &[u8], mut i: usize) -> usize {
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
pub(super) fn next_digit(t: &[u8], mut i: usize) -> Option<usize> {
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

#[inline]
pub(super) fn is_word_at(t: &[u8], i: usize) -> bool {
    i < t.len() && is_word(t[i])
}

pub(super) fn trim_end(t: &[u8], s: usize, mut e: usize, c: u8) -> usize {
    while e > s && t[e - 1] == c {
        e -= 1;
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
