//! Exact o200k/cl100k token counts, fast: [`crate::pretok`] splits, and each piece is
//! counted by the quickest of three exact ways.
//!
//! * A piece that is itself a token counts 1 (every token encodes to itself: bpe-openai
//!   checks it when building its dictionaries, and a test here checks it for every token).
//!   About three pieces in four of ordinary text are, and one hash lookup answers them.
//! * A piece of 2 or 3 bytes that is not a token: 2, or 3 when no two neighbouring bytes
//!   form a token.
//! * A long piece with long runs of a repeated byte or 2- to 4-byte unit (indentation,
//!   `-----`, a megabyte of tabs, `的的的`) goes to [`crate::runs`], where bpe's encoder
//!   would slow down to a few MB/s.
//! * Everything else goes to bpe's own `count`, as the reference does.
//!
//! Counts of pieces up to 30 bytes are also kept in a per-thread cache (as Hugging Face's
//! BPE keeps a word cache; 512 KiB per encoding and thread, allocated on first use): words
//! recur, and a hit costs one cache line. It holds exact counts only, so it changes speed,
//! never a count.

use std::cell::RefCell;
use std::sync::{LazyLock, OnceLock};

use bpe_openai::Tokenizer;

use crate::model_map::Encoding;
use crate::pretok;
use crate::runs::{self, Pairs, Shapes};
use crate::vocab::{hash, Vocab};

/// Pieces up to this many bytes are cached.
const CACHED_LEN: usize = 30;
/// Cache sets per encoding and thread; each holds [`WAYS`] pieces of 32 bytes (512 KiB).
const CACHE_SETS: usize = 4096;
const WAYS: usize = 4;

#[derive(Clone, Copy)]
struct Entry {
    len: u8,
    count: u8,
    bytes: [u8; CACHED_LEN],
}

/// Piece -> count of one encoding, set-associative, newest first in each set.
struct PieceCache {
    sets: Box<[[Entry; WAYS]]>,
}

impl PieceCache {
    fn new() -> PieceCache {
        let empty = Entry {
            len: 0,
            count: 0,
            bytes: [0; CACHED_LEN],
        };
        PieceCache {
            sets: vec![[empty; WAYS]; CACHE_SETS].into_boxed_slice(),
        }
    }

    #[inline(always)]
    fn set(&mut self, h: u64) -> &mut [Entry; WAYS] {
        let m = (h ^ (h >> 29)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        &mut self.sets[((m ^ (m >> 32)) as usize) & (CACHE_SETS - 1)]
    }
}

thread_local! {
    /// Per encoding: o200k_base, cl100k_base.
    static CACHE: RefCell<[Option<PieceCache>; 2]> = const { RefCell::new([None, None]) };
}

struct Engine {
    tok: &'static Tokenizer,
    /// `None` only if the dictionary breaks an assumption of the index (then: bpe alone).
    vocab: Option<Vocab>,
    shapes: OnceLock<Shapes>,
    pairs: Pairs,
}

static O200K: LazyLock<Engine> = LazyLock::new(|| Engine::new(bpe_openai::o200k_base()));
static CL100K: LazyLock<Engine> = LazyLock::new(|| Engine::new(bpe_openai::cl100k_base()));

fn engine(enc: Encoding) -> &'static Engine {
    match enc {
        Encoding::O200kBase => &O200K,
        Encoding::Cl100kBase => &CL100K,
    }
}

/// Tokens of `s` with `enc`, equal to [`crate::count::reference_text`].
pub(crate) fn text(enc: Encoding, s: &str) -> usize {
    let e = engine(enc);
    let (Some(pieces), Some(vocab)) = (pretok::split(enc, s), &e.vocab) else {
        return e.tok.count(s);
    };
    let cached = CACHE.try_with(|c| {
        let Ok(mut c) = c.try_borrow_mut() else {
            return None;
        };
        let slot = match enc {
            Encoding::O200kBase => &mut c[0],
            Encoding::Cl100kBase => &mut c[1],
        };
        let cache = slot.get_or_insert_with(PieceCache::new);
        Some(
            pieces
                .clone()
                .map(|p| e.cached_piece(vocab, cache, p.as_bytes()))
                .sum(),
        )
    });
    match cached {
        Ok(Some(n)) => n,
        _ => pieces.map(|p| e.piece(vocab, p.as_bytes())).sum(),
    }
}

impl Engine {
    fn new(tok: &'static Tokenizer) -> Engine {
        Engine {
            tok,
            vocab: Vocab::new(&tok.bpe),
            shapes: OnceLock::new(),
            pairs: Pairs::new(),
        }
    }

    #[inline]
    fn cached_piece(&self, vocab: &Vocab, cache: &mut PieceCache, p: &[u8]) -> usize {
        if p.len() <= 1 || p.len() > CACHED_LEN {
            return self.piece(vocab, p);
        }
        let set = cache.set(hash(p));
        if let Some(e) = set
            .iter()
            .find(|e| e.len as usize == p.len() && e.bytes[..p.len()] == *p)
        {
            return e.count as usize;
        }
        let n = self.piece(vocab, p);
        set.copy_within(..WAYS - 1, 1);
        set[0].len = p.len() as u8;
        set[0].count = n as u8;
        set[0].bytes[..p.len()].copy_from_slice(p);
        n
    }

    #[inline]
    fn piece(&self, vocab: &Vocab, p: &[u8]) -> usize {
        if p.len() <= 1 {
            // Each of the 256 bytes is a token of both encodings.
            return p.len();
        }
        let bpe = &self.tok.bpe;
        if vocab.id(bpe, p).is_some() {
            return 1;
        }
        match p.len() {
            // Not a token: two single-byte tokens.
            2 => return 2,
            // Not a token: [a, b, c] is valid only if neither ab nor bc is a token (a token
            // encodes to itself, so a pair of its halves is not valid); otherwise one pair
            // merged and the third byte stays alone.
            3 => {
                let merged = vocab.id(bpe, &p[..2]).is_some() || vocab.id(bpe, &p[1..]).is_some();
                return if merged { 2 } else { 3 };
            }
            _ => {}
        }
        if runs::may_apply(p, vocab.max_len) {
            let ctx = runs::Ctx {
                bpe,
                vocab,
                shapes: self.shapes.get_or_init(|| Shapes::new(bpe)),
                pairs: &self.pairs,
            };
            if let Some(n) = runs::count(&ctx, p) {
                return n;
            }
        }
        bpe.count(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_token_counts_one_and_is_found() {
        for enc in [Encoding::O200kBase, Encoding::Cl100kBase] {
            let e = engine(enc);
            let bpe = &e.tok.bpe;
            let vocab = e.vocab.as_ref().unwrap();
            for id in 0..bpe.num_tokens() as u32 {
                let bytes = bpe.token_bytes(id);
                assert_eq!(vocab.id(bpe, bytes), Some(id));
                assert_eq!(bpe.count(bytes), 1, "{enc:?} token {id}");
            }
            for b in 0..=255u8 {
                assert!(vocab.id(bpe, &[b]).is_some());
            }
        }
    }

    #[test]
    fn long_runs_take_the_run_program_and_count_as_bpe() {
        let texts = [
            "\t".repeat(5000),
            "-".repeat(3000) + "\n",
            format!("x\n{}\ny", " ".repeat(4000)),
            format!("{}\n{}", "\t".repeat(2000), "\r\n".repeat(1500)),
            "的".repeat(3000),
            "ab".repeat(3000),
            format!("{}é{}", "🙂".repeat(700), "=".repeat(500)),
        ];
        for enc in [Encoding::O200kBase, Encoding::Cl100kBase] {
            let e = engine(enc);
            let bpe = &e.tok.bpe;
            let vocab = e.vocab.as_ref().unwrap();
            let ctx = runs::Ctx {
                bpe,
                vocab,
                shapes: e.shapes.get_or_init(|| Shapes::new(bpe)),
                pairs: &e.pairs,
            };
            for t in &texts {
                let t = t.as_bytes();
                assert!(runs::may_apply(t, vocab.max_len));
                assert_eq!(
                    runs::count(&ctx, t),
                    Some(bpe.count(t)),
                    "{enc:?} {:?}",
                    &t[..20]
                );
            }
        }
    }
}
