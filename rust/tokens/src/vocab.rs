//! Token ids by their bytes, for one encoding: open addressing, half empty, one 16-byte slot
//! per token holding its first 8 bytes, so most lookups touch one cache line.
//!
//! The hash is polynomial, so the hash of a string one byte longer at the front is one
//! multiply-add away ([`Vocab::pow`]): the long-piece counter looks up every substring ending
//! at a position that way. Collisions only cost probes: a match is always confirmed on the
//! bytes.

use bpe_openai::byte_pair_encoding::BytePairEncoding;

/// Polynomial base (odd).
const BASE: u64 = 0x0000_0100_0000_01B3;
/// Finalizer multiplier.
const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

#[derive(Clone, Copy, Default)]
struct Slot {
    tag: u32,
    /// `len << 24 | id`; 0 is empty (tokens are never empty).
    len_id: u32,
    head: u64,
}

/// The first up to 8 bytes, little endian, zero padded.
#[inline(always)]
fn head(b: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    let n = b.len().min(8);
    w[..n].copy_from_slice(&b[..n]);
    u64::from_le_bytes(w)
}

/// Polynomial hash of `b`: `sum (b[k] + 1) * BASE^(len - 1 - k)`.
#[inline(always)]
pub(crate) fn hash(b: &[u8]) -> u64 {
    b.iter().fold(0u64, |h, &x| {
        h.wrapping_mul(BASE).wrapping_add(x as u64 + 1)
    })
}

/// Token ids by bytes.
pub(crate) struct Vocab {
    slots: Vec<Slot>,
    shift: u32,
    mask: usize,
    /// Length of the longest token.
    pub(crate) max_len: usize,
    /// `BASE^k` for `k <= max_len`.
    pow: Vec<u64>,
}

impl Vocab {
    pub(crate) fn new(bpe: &BytePairEncoding) -> Option<Vocab> {
        let n = bpe.num_tokens();
        let size = (2 * n).next_power_of_two().max(2);
        let mut v = Vocab {
            slots: vec![Slot::default(); size],
            shift: 64 - size.trailing_zeros(),
            mask: size - 1,
            max_len: 0,
            pow: Vec::new(),
        };
        for id in 0..n as u32 {
            let bytes = bpe.token_bytes(id);
            if bytes.is_empty() || bytes.len() > 255 || id >= 1 << 24 {
                return None;
            }
            v.max_len = v.max_len.max(bytes.len());
            let (mut i, tag) = v.place(hash(bytes));
            while v.slots[i].len_id != 0 {
                i = (i + 1) & v.mask;
            }
            v.slots[i] = Slot {
                tag,
                len_id: (bytes.len() as u32) << 24 | id,
                head: head(bytes),
            };
        }
        let mut p = 1u64;
        for _ in 0..=v.max_len {
            v.pow.push(p);
            p = p.wrapping_mul(BASE);
        }
        Some(v)
    }

    /// Hash of `x + s` from the hash of `s` (`len = s.len() < max_len`).
    #[inline(always)]
    pub(crate) fn prepend(&self, x: u8, len: usize, h: u64) -> u64 {
        h.wrapping_add((x as u64 + 1).wrapping_mul(self.pow[len]))
    }

    #[inline(always)]
    fn place(&self, h: u64) -> (usize, u32) {
        let m = (h ^ (h >> 31)).wrapping_mul(MIX);
        ((m >> self.shift) as usize, m as u32)
    }

    /// The id of the token whose bytes are `b`, given `hash(b)`.
    #[inline]
    pub(crate) fn find(&self, bpe: &BytePairEncoding, b: &[u8], h: u64) -> Option<u32> {
        if b.len() > self.max_len || b.is_empty() {
            return None;
        }
        let (mut i, tag) = self.place(h);
        let want = (b.len() as u32) << 24;
        let hd = head(b);
        loop {
            let s = self.slots[i];
            if s.len_id == 0 {
                return None;
            }
            if s.tag == tag && s.len_id & 0xFF00_0000 == want && s.head == hd {
                let id = s.len_id & 0x00FF_FFFF;
                if b.len() <= 8 || bpe.token_bytes(id) == b {
                    return Some(id);
                }
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The id of the token whose bytes are `b`.
    #[inline]
    pub(crate) fn id(&self, bpe: &BytePairEncoding, b: &[u8]) -> Option<u32> {
        if b.len() > self.max_len {
            return None;
        }
        self.find(bpe, b, hash(b))
    }
}
