//! Exact counts of long pieces that contain long runs of a repeated unit: one ASCII byte
//! (indentation, `-----` rules, a megabyte of tabs) or 2 to 4 bytes (`的的的`, `abab`,
//! `\r\n\r\n`), where bpe's backtracking encoder slows down to a few MB/s.
//!
//! Theory, from bpe's README: a token sequence is *valid* if encoding its bytes gives it back;
//! the byte-pair encoding is the one valid sequence for a text; and a valid sequence followed
//! by a token that forms a valid pair with its last token is again valid. So a text's
//! encoding can be built left to right, each new token checked only against its neighbour:
//!
//! * Generic stretches go to bpe (`encode_via_backtracking`), whose output is valid; its
//!   first token is checked against the token before it.
//! * Around and inside runs, a dynamic program over positions finds the last token of every
//!   prefix: a token ending there whose pair with the last token of the prefix before it is
//!   valid (only one can be). Pairs are checked with bpe on the two tokens' bytes and
//!   remembered.
//! * Deep inside a run the next step depends only on the last tokens and count differences of
//!   the previous `w` positions (`w`: longest run token). When that window equals the one `P`
//!   positions earlier (`P` a multiple of the unit), everything repeats with period `P` until
//!   the run ends: whole periods are skipped, adding their token count.
//!
//! Whatever cannot be settled this way (a position the program finds no valid token for,
//! which the theory rules out) returns `None`, and the caller counts with bpe alone.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use bpe_openai::byte_pair_encoding::BytePairEncoding;

use crate::vocab::{hash, Vocab};

/// Pieces shorter than this never take this path.
const LONG_PIECE: usize = 64;
/// Byte runs shorter than this are generic text (and never shorter than any run inside a
/// token, see [`Shapes::mixed_run`]).
const LONG_RUN: usize = 32;
/// Runs of a 2- to 4-byte unit must be this many times the longest token.
const LONG_UNIT_RUN: usize = 16;
/// How far into a unit run (in longest tokens) bpe encodes on entering it.
const UNIT_ENTRY: usize = 3;
/// Generic stretches up to this long stay in the dynamic program; longer ones go to bpe.
const GENERIC_DP: usize = 32;
/// Positions the program follows past a run before handing over to bpe.
const EXIT_STEPS: usize = 16;
/// Ring of per-position state; holds more than a token plus a period plus a window.
const RING: usize = 2048;
/// No token before the start of the piece.
const NONE: u32 = u32::MAX;
/// A prefix whose encoding crosses the position the program started from: no valid
/// sequence from there ends here (positions further on may still be reached).
const CROSSES: u32 = u32::MAX - 1;
/// Pair memo entries kept before it is cleared.
const PAIR_MEMO: usize = 1 << 16;
/// Multi-byte units whose tables are kept.
const UNITS_KEPT: usize = 64;

/// What the vocabulary looks like around runs of each byte (from one pass over it).
pub(crate) struct Shapes {
    /// Longest run of `b` inside a token that is not all `b`.
    mixed_run: Vec<usize>,
    /// `[j]`: longest `X` of a token `X + b^j` (X not ending in `b`).
    before_run: Vec<Vec<usize>>,
    /// `[y]`: longest `j` of a token `b^j + Y` with `|Y| = y` (Y not starting with `b`).
    after_run: Vec<Vec<usize>>,
}

impl Shapes {
    pub(crate) fn new(bpe: &BytePairEncoding) -> Shapes {
        let mut s = Shapes {
            mixed_run: vec![0; 256],
            before_run: vec![Vec::new(); 256],
            after_run: vec![Vec::new(); 256],
        };
        let grow = |v: &mut Vec<usize>, at: usize, val: usize| {
            if v.len() <= at {
                v.resize(at + 1, 0);
            }
            v[at] = v[at].max(val);
        };
        for id in 0..bpe.num_tokens() as u32 {
            let t = bpe.token_bytes(id);
            let (Some(&first), Some(&last)) = (t.first(), t.last()) else {
                continue;
            };
            let lead = t.iter().take_while(|&&x| x == first).count();
            if lead == t.len() {
                continue;
            }
            let trail = t.iter().rev().take_while(|&&x| x == last).count();
            grow(&mut s.before_run[last as usize], trail, t.len() - trail);
            grow(&mut s.after_run[first as usize], t.len() - lead, lead);
            let mut i = 0;
            while i < t.len() {
                let n = t[i..].iter().take_while(|&&x| x == t[i]).count();
                s.mixed_run[t[i] as usize] = s.mixed_run[t[i] as usize].max(n);
                i += n;
            }
        }
        s
    }
}

/// The tokens inside runs of one unit, by the phase a token ends at, with their pair
/// validities.
struct Unit {
    len: usize,
    /// Per end phase: (length, id), shortest first, and the global index of the first.
    phases: Vec<(Vec<(usize, u32)>, usize)>,
    /// Per end phase, per length: index into the phase's list, or [`NOT_RUN`].
    by_len: Vec<Vec<u16>>,
    /// Longest run token.
    width: usize,
    /// Pair validity by global indexes: 0 unknown, 1 valid, 2 not.
    valid: Box<[AtomicU8]>,
    tokens: usize,
}

const NOT_RUN: u16 = u16::MAX;

impl Unit {
    fn new(bpe: &BytePairEncoding, vocab: &Vocab, unit: &[u8]) -> Option<Unit> {
        let u = unit.len();
        let mut phases = Vec::with_capacity(u);
        let mut by_len = Vec::with_capacity(u);
        let mut tokens = 0;
        let mut width = 0;
        let mut bytes = Vec::with_capacity(vocab.max_len);
        for phase in 0..u {
            let mut list = Vec::new();
            let mut index = vec![NOT_RUN; vocab.max_len + 1];
            for k in 1..=vocab.max_len {
                // The k bytes of the repeated unit that end just before `phase`.
                bytes.clear();
                bytes.extend((0..k).map(|x| unit[(phase + u * k - k + x) % u]));
                if let Some(id) = vocab.id(bpe, &bytes) {
                    index[k] = u16::try_from(list.len()).ok()?;
                    list.push((k, id));
                    width = width.max(k);
                }
            }
            let first = tokens;
            tokens += list.len();
            phases.push((list, first));
            by_len.push(index);
        }
        if width == 0 || tokens >= NOT_RUN as usize {
            return None;
        }
        Some(Unit {
            len: u,
            phases,
            by_len,
            width,
            valid: (0..tokens * tokens).map(|_| AtomicU8::new(0)).collect(),
            tokens,
        })
    }
}

/// Pair validity: per unit a matrix for its run tokens, a memo for the rest.
pub(crate) struct Pairs {
    bytes: Vec<OnceLock<Option<Unit>>>,
    units: Mutex<HashMap<Vec<u8>, Arc<Unit>>>,
    memo: Mutex<HashMap<u64, bool>>,
}

impl Pairs {
    pub(crate) fn new() -> Pairs {
        Pairs {
            bytes: (0..128).map(|_| OnceLock::new()).collect(),
            units: Mutex::new(HashMap::new()),
            memo: Mutex::new(HashMap::new()),
        }
    }
}

/// Whether bpe encodes the bytes of `a` then `b` as exactly `[a, b]`.
fn compute_valid(bpe: &BytePairEncoding, a: u32, b: u32) -> bool {
    let mut bytes = bpe.token_bytes(a).to_vec();
    bytes.extend_from_slice(bpe.token_bytes(b));
    bpe.encode_via_backtracking(&bytes) == [a, b]
}

/// One encoding's tables, borrowed for a count.
pub(crate) struct Ctx<'a> {
    pub(crate) bpe: &'a BytePairEncoding,
    pub(crate) vocab: &'a Vocab,
    pub(crate) shapes: &'a Shapes,
    pub(crate) pairs: &'a Pairs,
}

/// A unit's tables, shared or owned by the byte table.
enum UnitRef<'a> {
    Byte(&'a Unit),
    Shared(Arc<Unit>),
}

impl std::ops::Deref for UnitRef<'_> {
    type Target = Unit;
    fn deref(&self) -> &Unit {
        match self {
            UnitRef::Byte(u) => u,
            UnitRef::Shared(u) => u,
        }
    }
}

impl Ctx<'_> {
    fn valid(&self, a: u32, b: u32) -> bool {
        if a == NONE {
            return true;
        }
        if a == CROSSES {
            return false;
        }
        let key = (a as u64) << 32 | b as u64;
        if let Some(&v) = self
            .pairs
            .memo
            .lock()
            .ok()
            .as_ref()
            .and_then(|m| m.get(&key))
        {
            return v;
        }
        let v = compute_valid(self.bpe, a, b);
        if let Ok(mut m) = self.pairs.memo.lock() {
            if m.len() >= PAIR_MEMO {
                m.clear();
            }
            m.insert(key, v);
        }
        v
    }

    /// Validity of two run tokens of `unit`, by global indexes.
    fn valid_run(&self, unit: &Unit, i: usize, j: usize) -> bool {
        let Some(cell) = unit.valid.get(i * unit.tokens + j) else {
            return false;
        };
        match cell.load(Ordering::Relaxed) {
            1 => true,
            2 => false,
            _ => {
                let id = |g: usize| {
                    let (list, first) = unit.phases.iter().rfind(|(_, first)| *first <= g)?;
                    list.get(g - first).map(|t| t.1)
                };
                let (Some(a), Some(b)) = (id(i), id(j)) else {
                    return false;
                };
                let v = compute_valid(self.bpe, a, b);
                cell.store(if v { 1 } else { 2 }, Ordering::Relaxed);
                v
            }
        }
    }

    fn unit(&self, unit: &[u8]) -> Option<UnitRef<'_>> {
        if let [b] = unit {
            let cell = self.pairs.bytes.get(*b as usize)?;
            return cell
                .get_or_init(|| Unit::new(self.bpe, self.vocab, unit))
                .as_ref()
                .map(UnitRef::Byte);
        }
        if let Some(u) = self.pairs.units.lock().ok()?.get(unit) {
            return Some(UnitRef::Shared(u.clone()));
        }
        let u = Arc::new(Unit::new(self.bpe, self.vocab, unit)?);
        let mut units = self.pairs.units.lock().ok()?;
        if units.len() < UNITS_KEPT {
            units.insert(unit.to_vec(), u.clone());
        }
        Some(UnitRef::Shared(u))
    }

    /// Shortest run of `unit` this path takes.
    fn long_run(&self, unit: &[u8]) -> usize {
        match unit {
            [b] => LONG_RUN.max(self.shapes.mixed_run[*b as usize] + 1),
            _ => LONG_UNIT_RUN * self.vocab.max_len,
        }
    }
}

/// A run of a repeated unit long enough that no token spans it.
#[derive(Clone, Copy)]
struct Run {
    start: usize,
    end: usize,
    unit: usize,
}

impl Run {
    fn byte(self, t: &[u8]) -> Option<u8> {
        (self.unit == 1).then(|| t[self.start])
    }
}

/// Maximal stretches of `t` that repeat with period `u` (`t[x] == t[x - u]`), at least
/// `min` long: (start, end). Compares aligned blocks so that no such stretch is missed (it
/// holds a whole block) and the rest of the text costs a block compare per block.
fn periodic(t: &[u8], u: usize, min: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if min <= u || t.len() < min {
        return out;
    }
    // A stretch of `min` bytes has `min - u` equal compares: a block of at most half that.
    let mut block = 64;
    while block > 1 && 2 * block > min - u + 1 {
        block /= 2;
    }
    let align = |x: usize| x.div_ceil(block) * block;
    let mut x = align(u);
    while x + block <= t.len() {
        if t[x..x + block] != t[x - u..x - u + block] {
            x += block;
            continue;
        }
        let mut first = x;
        while first > u && t[first - 1] == t[first - 1 - u] {
            first -= 1;
        }
        let mut end = x + block;
        while end + 64 <= t.len() && t[end..end + 64] == t[end - u..end + 64 - u] {
            end += 64;
        }
        while end < t.len() && t[end] == t[end - u] {
            end += 1;
        }
        if end - (first - u) >= min {
            out.push((first - u, end));
        }
        x = align(end + 1);
    }
    out
}

fn long_runs(ctx: &Ctx<'_>, t: &[u8]) -> Vec<Run> {
    let mut found = Vec::new();
    for (start, end) in periodic(t, 1, LONG_RUN) {
        if t[start] < 0x80 && end - start >= ctx.long_run(&t[start..start + 1]) {
            found.push(Run {
                start,
                end,
                unit: 1,
            });
        }
    }
    let min = LONG_UNIT_RUN * ctx.vocab.max_len;
    if may_have_unit_run(t, min) {
        for u in 2..=4 {
            for (start, end) in periodic(t, u, min) {
                let unit = &t[start..start + u];
                // Only primitive units: shorter periods are found on their own.
                let primitive = (1..u).all(|d| u % d != 0 || unit[d..] != unit[..u - d]);
                if primitive {
                    found.push(Run {
                        start,
                        end,
                        unit: u,
                    });
                }
            }
        }
    }
    found.sort_by_key(|r| (r.start, r.unit));
    let mut runs: Vec<Run> = Vec::new();
    for r in found {
        if runs.last().is_none_or(|l| r.start >= l.end) {
            runs.push(r);
        }
    }
    runs
}

/// Whether `t` may have a run worth this path (cheap; no table is built).
pub(crate) fn may_apply(t: &[u8], max_len: usize) -> bool {
    if t.len() < LONG_PIECE {
        return false;
    }
    // A run of `LONG_RUN` equal bytes covers a 16-aligned window of 16 + 1.
    let bytes = (0..=t.len() - 17)
        .step_by(16)
        .any(|x| t[x..x + 16] == t[x + 1..x + 17]);
    bytes || may_have_unit_run(t, LONG_UNIT_RUN * max_len)
}

/// Whether `t` may have `min` (>= 140) bytes repeating with period 2, 3 or 4: such a
/// stretch also repeats with period 12 and covers a 64-aligned window of 64 + 12.
fn may_have_unit_run(t: &[u8], min: usize) -> bool {
    t.len() >= min.max(140)
        && (0..=t.len() - 76)
            .step_by(64)
            .any(|x| t[x..x + 64] == t[x + 12..x + 76])
}

/// The token count of `t`, or `None` when it has no long run or the program gave up.
pub(crate) fn count(ctx: &Ctx<'_>, t: &[u8]) -> Option<usize> {
    let max_len = ctx.vocab.max_len;
    if 2 * max_len + 2 * GENERIC_DP + EXIT_STEPS >= RING / 2 {
        return None;
    }
    let runs = long_runs(ctx, t);
    if runs.is_empty() {
        return None;
    }
    let mut dp = Dp::new(ctx, t);
    let mut at = Cursor {
        pos: 0,
        count: 0,
        last: NONE,
    };
    let mut next_run = 0;
    loop {
        // A unit run is entered by bpe: it finds the tokens that cross into the run.
        let (stretch_end, enter) = match runs.get(next_run) {
            Some(r) if r.unit > 1 && at.pos < r.start => {
                ((r.start + UNIT_ENTRY * max_len).min(r.end), true)
            }
            Some(r) => (r.start, false),
            None => (t.len(), false),
        };
        if enter || stretch_end.saturating_sub(at.pos) > GENERIC_DP {
            let toks = ctx.bpe.encode_via_backtracking(&t[at.pos..stretch_end]);
            // The last tokens may still merge with what follows: keep none of them that
            // end in the last longest-token length of a unit run's entry, and drop the last
            // one before a byte run (its table covers the crossing tokens).
            let take = if stretch_end == t.len() {
                toks.len()
            } else if enter {
                let keep_to = stretch_end.saturating_sub(max_len);
                let mut end = at.pos;
                toks.iter()
                    .take_while(|&&x| {
                        end += ctx.bpe.token_len(x);
                        end <= keep_to
                    })
                    .count()
            } else {
                toks.len().saturating_sub(1)
            };
            if take > 0 {
                if !ctx.valid(at.last, toks[0]) {
                    return None;
                }
                at.pos += toks[..take]
                    .iter()
                    .map(|&x| ctx.bpe.token_len(x))
                    .sum::<usize>();
                at.count += take;
                at.last = toks[take - 1];
            }
            if stretch_end == t.len() {
                return Some(at.count);
            }
        }
        dp.restart(at);
        let (cut, runs_done) = dp.walk(&runs, next_run)?;
        if cut.pos <= at.pos {
            return None;
        }
        at = cut;
        next_run = runs_done;
        if at.pos == t.len() {
            return Some(at.count);
        }
    }
}

/// A position known to be a token boundary, with the count and last token before it.
#[derive(Clone, Copy)]
struct Cursor {
    pos: usize,
    count: usize,
    last: u32,
}

/// The dynamic program: for positions from `start`, the last token of the prefix's encoding
/// and the prefix's token count, in a ring.
struct Dp<'a> {
    ctx: &'a Ctx<'a>,
    t: &'a [u8],
    start: usize,
    /// Lowest position whose state is held: the start, or later after a skip or once the
    /// ring wrapped. Reads below it see no token, never another position's state.
    floor: usize,
    /// Highest position written.
    top: usize,
    last: Vec<u32>,
    count: Vec<usize>,
    /// Global index in the current run's unit when the last token is one of its run tokens.
    run_index: Vec<u16>,
}

impl<'a> Dp<'a> {
    fn new(ctx: &'a Ctx<'a>, t: &'a [u8]) -> Dp<'a> {
        Dp {
            ctx,
            t,
            start: 0,
            floor: 0,
            top: 0,
            last: vec![NONE; RING],
            count: vec![0; RING],
            run_index: vec![NOT_RUN; RING],
        }
    }

    /// Starts over at a boundary (positions are always written before they are read).
    fn restart(&mut self, at: Cursor) {
        self.start = at.pos;
        self.floor = at.pos;
        self.top = at.pos;
        self.set(at.pos, at.last, at.count, NOT_RUN);
    }

    #[inline(always)]
    fn set(&mut self, p: usize, last: u32, count: usize, run_index: u16) {
        if p > self.top {
            self.top = p;
            self.floor = self.floor.max((p + 1).saturating_sub(RING));
        }
        let k = p & (RING - 1);
        self.last[k] = last;
        self.count[k] = count;
        self.run_index[k] = run_index;
    }

    #[inline(always)]
    fn held(&self, p: usize) -> bool {
        self.floor <= p && p <= self.top
    }

    #[inline(always)]
    fn last(&self, p: usize) -> u32 {
        if self.held(p) {
            self.last[p & (RING - 1)]
        } else {
            CROSSES
        }
    }

    #[inline(always)]
    fn count(&self, p: usize) -> usize {
        if self.held(p) {
            self.count[p & (RING - 1)]
        } else {
            0
        }
    }

    #[inline(always)]
    fn run_index(&self, p: usize) -> u16 {
        if self.held(p) {
            self.run_index[p & (RING - 1)]
        } else {
            NOT_RUN
        }
    }

    /// Byte length of the last token at `p` (0 for none). bpe's `token_len` does not check
    /// its argument, so ids are checked here.
    fn last_len(&self, p: usize) -> usize {
        let id = self.last(p);
        if (id as usize) < self.ctx.bpe.num_tokens() {
            self.ctx.bpe.token_len(id)
        } else {
            0
        }
    }

    fn cursor(&self, p: usize) -> Cursor {
        Cursor {
            pos: p,
            count: self.count(p),
            last: self.last(p),
        }
    }

    /// Takes token `id` = `t[i..p]` as the last token at `p` if it pairs with the one at `i`.
    #[inline]
    fn take(&mut self, i: usize, p: usize, id: u32) -> bool {
        if self.ctx.valid(self.last(i), id) {
            let c = self.count(i) + 1;
            self.set(p, id, c, NOT_RUN);
            true
        } else {
            false
        }
    }

    /// Looks up the tokens `t[i..p]` for `lo <= i < from`, given the hash of `t[from..p]`,
    /// and takes the longest that pairs with the token before it (at most one can).
    fn take_spans(&mut self, lo: usize, from: usize, p: usize, mut h: u64) -> bool {
        let ctx = self.ctx;
        let mut found = [(0usize, 0u32); 32];
        let mut n = 0;
        let mut i = from;
        while i > lo && p - i < ctx.vocab.max_len {
            i -= 1;
            h = ctx.vocab.prepend(self.t[i], p - i - 1, h);
            if let Some(id) = ctx.vocab.find(ctx.bpe, &self.t[i..p], h) {
                if n == found.len() {
                    // Many tokens end here: settle the ones found so far first.
                    if found.iter().rev().any(|&(i, id)| self.take(i, p, id)) {
                        return true;
                    }
                    n = 0;
                }
                found[n] = (i, id);
                n += 1;
            }
        }
        found[..n].iter().rev().any(|&(i, id)| self.take(i, p, id))
    }

    /// A position outside runs: any substring from `lo` on may be the last token.
    fn step_generic(&mut self, p: usize, lo: usize) {
        let lo = lo
            .max(self.floor)
            .max(p.saturating_sub(self.ctx.vocab.max_len));
        if !self.take_spans(lo, p, p, 0) {
            self.set(p, CROSSES, 0, NOT_RUN);
        }
    }

    /// Lower bound for token starts at `p` after `run` ended.
    fn after(&self, run: Option<Run>, p: usize) -> usize {
        let Some(r) = run else {
            return 0;
        };
        let reach = match r.byte(self.t) {
            Some(b) => self.ctx.shapes.after_run[b as usize]
                .get(p - r.end)
                .copied()
                .unwrap_or(0),
            None => self.ctx.vocab.max_len,
        };
        r.end.saturating_sub(reach)
    }

    /// Walks from `start` through runs `runs[k..]` and the short stretches between them, and
    /// stops at a boundary before a long stretch (or at the end).
    fn walk(&mut self, runs: &[Run], mut k: usize) -> Option<(Cursor, usize)> {
        let len = self.t.len();
        let mut p = self.start;
        let mut prev: Option<Run> = None;
        loop {
            let Some(&run) = runs.get(k) else {
                // Short tail to the end (the caller sends long ones to bpe).
                while p < len {
                    p += 1;
                    self.step_generic(p, self.after(prev, p));
                }
                return self.reached(p).then(|| (self.cursor(p), k));
            };
            if run.unit > 1 && prev.is_some() {
                // Let bpe enter the unit run (see `count`), from before the last token.
                while p < run.start {
                    p += 1;
                    self.step_generic(p, self.after(prev, p));
                }
                return self.hand_over(p, k);
            }
            while p < run.start {
                p += 1;
                self.step_generic(p, self.after(prev, p));
            }
            p = self.run(run, prev)?;
            k += 1;
            prev = Some(run);
            if run.unit > 1 {
                // And leave it a longest token before its end, where bpe takes over.
                let mut back = p;
                while back + self.ctx.vocab.max_len > run.end && back > self.floor {
                    let step = self.last_len(back);
                    if step == 0 {
                        return None;
                    }
                    back -= step;
                }
                return self.hand_over(back, k);
            }
            let next = runs.get(k).map_or(len, |r| r.start);
            if next - run.end > GENERIC_DP {
                let stop = run.end + EXIT_STEPS;
                while p < stop {
                    p += 1;
                    self.step_generic(p, self.after(prev, p));
                }
                return self.hand_over(p, k);
            }
        }
    }

    /// Ends the walk before the last token at `p` (it may still merge with what follows).
    fn hand_over(&self, p: usize, k: usize) -> Option<(Cursor, usize)> {
        if !self.reached(p) {
            return None;
        }
        let cut = p.checked_sub(self.last_len(p))?;
        (cut > self.start && self.reached(cut)).then(|| (self.cursor(cut), k))
    }

    /// Whether a valid sequence from the start ends at `p`.
    fn reached(&self, p: usize) -> bool {
        self.held(p) && (p == self.start || self.last(p) < CROSSES)
    }

    /// Positions `run.start + 1 ..= run.end`; returns `run.end`.
    fn run(&mut self, run: Run, prev: Option<Run>) -> Option<usize> {
        let ctx = self.ctx;
        let unit = ctx.unit(&self.t[run.start..run.start + run.unit])?;
        let u = unit.len;
        let width = unit.width;
        // Tokens that start before the run and end `j` bytes into it: for a byte, the
        // vocabulary says how far back they reach; for a longer unit, up to a token length.
        let entry: &[usize] = match run.byte(self.t) {
            Some(b) => &ctx.shapes.before_run[b as usize],
            None => &[],
        };
        let entry_len = match run.byte(self.t) {
            Some(_) => entry.len(),
            None => ctx.vocab.max_len,
        };
        // From here on every step sees run tokens only.
        let steady = if self.start < run.start {
            run.start + entry_len
        } else {
            self.start
        };
        let mut next_check = steady + width;
        let mut p = run.start.max(self.start);
        while p < run.end {
            p += 1;
            let j = p - run.start;
            let mut found = false;
            if j < entry_len && self.start < run.start {
                let reach = match run.byte(self.t) {
                    Some(_) => entry[j],
                    None => ctx.vocab.max_len,
                };
                let lo = run
                    .start
                    .saturating_sub(reach)
                    .max(self.floor)
                    .max(self.after(prev, p));
                found = lo < run.start
                    && self.take_spans(lo, run.start, p, hash(&self.t[run.start..p]));
            }
            if !found {
                found = self.step_run(&unit, run, p);
            }
            if !found {
                self.set(p, CROSSES, 0, NOT_RUN);
            }
            if p >= next_check {
                next_check = p + width.div_ceil(2);
                if let Some(to) = self.skip_periods(p, steady, width, u, run.end) {
                    p = to;
                }
            }
        }
        Some(p)
    }

    /// Run tokens ending at `p` (inside `run`), longest first after a guess.
    fn step_run(&mut self, unit: &Unit, run: Run, p: usize) -> bool {
        let j = p - run.start;
        let phase = j % unit.len;
        let (list, first) = &unit.phases[phase];
        // Most often the run token before grows by one byte: try that first.
        let before = self.run_index(p - 1);
        let grown = (before != NOT_RUN && p - 1 > run.start)
            .then(|| {
                let prev_phase = (phase + unit.len - 1) % unit.len;
                let (plist, pfirst) = &unit.phases[prev_phase];
                let k = plist.get((before as usize).checked_sub(*pfirst)?)?.0;
                let idx = *unit.by_len[phase].get(k + 1)?;
                (idx != NOT_RUN).then_some(idx as usize)
            })
            .flatten();
        for idx in grown.into_iter().chain((0..list.len()).rev()) {
            let (k, id) = list[idx];
            if k > j || p - k < self.floor {
                continue;
            }
            let ri = self.run_index(p - k);
            let ok = if ri != NOT_RUN && p - k > run.start {
                self.ctx.valid_run(unit, ri as usize, first + idx)
            } else {
                self.ctx.valid(self.last(p - k), id)
            };
            if ok {
                let c = self.count(p - k) + 1;
                self.set(p, id, c, (first + idx) as u16);
                return true;
            }
        }
        false
    }

    /// Whether the state at `p` equals the state `period` earlier: last tokens and count
    /// differences over the `width` positions a step looks back.
    fn repeats(&self, p: usize, period: usize, width: usize) -> bool {
        // Counts need not grow with the position: compare differences modulo 2^64.
        let diff = |a: usize, b: usize| self.count(a).wrapping_sub(self.count(b));
        (0..width).all(|d| {
            self.last(p - d) == self.last(p - period - d)
                && diff(p, p - d) == diff(p - period, p - period - d)
        })
    }

    /// When the state at `p` repeats, jumps whole periods ahead, staying a token length
    /// before `end` (later steps look back that far). Returns the new position.
    fn skip_periods(
        &mut self,
        p: usize,
        steady: usize,
        width: usize,
        unit: usize,
        end: usize,
    ) -> Option<usize> {
        let max_len = self.ctx.vocab.max_len;
        // Periods to try: the last few tokens' lengths and their running sums.
        let mut candidates = [0usize; 8];
        let mut n = 0;
        let mut x = p;
        for _ in 0..4 {
            let step = self.last_len(x);
            if step == 0 || x < step + self.floor {
                break;
            }
            candidates[n] = step;
            candidates[n + 1] = p - (x - step);
            n += 2;
            x -= step;
        }
        let period = candidates[..n].iter().copied().find(|&period| {
            period % unit == 0
                && period + width < RING / 2
                && p >= steady + period + width
                && p - period - width >= self.floor
                && self.repeats(p, period, width)
        })?;
        // Land early enough that all later reads (steps, exit steps, and for a unit run the
        // walk back from its end and the hand-over before it) fall on positions computed
        // after the jump.
        let margin = if unit == 1 {
            max_len
        } else {
            2 * max_len + width
        };
        let periods = end.checked_sub(p + margin)? / period;
        if periods == 0 {
            return None;
        }
        let step = self.count(p).wrapping_sub(self.count(p - period));
        let shift = periods * period;
        let window: Vec<(u32, usize, u16)> = (0..=width)
            .map(|d| (self.last(p - d), self.count(p - d), self.run_index(p - d)))
            .collect();
        self.top = p + shift;
        self.floor = p + shift - width;
        for (d, &(last, count, index)) in window.iter().enumerate() {
            self.set(
                p - d + shift,
                last,
                count.wrapping_add(periods.wrapping_mul(step)),
                index,
            );
        }
        Some(p + shift)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The stretches a byte-by-byte scan finds.
    fn naive(t: &[u8], u: usize, min: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut x = u;
        while x < t.len() {
            if t[x] != t[x - u] {
                x += 1;
                continue;
            }
            let start = x - u;
            while x < t.len() && t[x] == t[x - u] {
                x += 1;
            }
            if x - start >= min {
                out.push((start, x));
            }
        }
        out
    }

    #[test]
    fn periodic_finds_what_a_byte_scan_finds() {
        let mut seed = 7u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..300 {
            let mut t = Vec::new();
            while t.len() < 3000 {
                let unit: Vec<u8> = (0..1 + next() % 4)
                    .map(|_| b"ab -\n"[(next() % 5) as usize])
                    .collect();
                let n = (next() % 300) as usize;
                for _ in 0..n {
                    t.extend_from_slice(&unit);
                }
                t.push(b'x' + (next() % 3) as u8);
            }
            for u in 1..=4 {
                for min in [u + 1, 17, 32, 140, 300] {
                    assert_eq!(periodic(&t, u, min), naive(&t, u, min), "u {u} min {min}");
                }
            }
        }
    }
}
