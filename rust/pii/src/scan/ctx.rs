//! The state the scanners share while scanning one text ([`Ctx`]): the text, the findings
//! made so far ([`Hit`]) and where they lie ([`Made`]), so that a finding bounds the tokens
//! beside it as its marker will in the redacted text.

use super::phone::CueIndex;
use crate::detectors::Builtin;

/// A finding before allow lists and overlap resolution: a byte span and its detector id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub det: u16,
}

/// Most literal anchors looked at twice per text (bounds memory on `sk-sk-sk-...`; past it a
/// candidate glued to a later finding stays unfound in one pass and is found in the next).
pub(super) const MAX_SECOND_LOOKS: usize = 4096;

/// Byte-level helpers carry the text and the output together.
pub(super) struct Ctx<'t, 'o> {
    pub(super) t: &'t [u8],
    pub(super) out: &'o mut Vec<Hit>,
    pub(super) on: &'t [bool; Builtin::ALL.len()],
    /// The end of the findings made so far (the literal anchors come in order).
    pub(super) max_end: usize,
    /// The end of the last phone number found: a phone keyword, as its marker (`<PHONE>`)
    /// will be in the redacted text.
    pub(super) phone_end: Option<usize>,
    /// See [`super::Scanner`]'s field of the name.
    pub(super) shortcuts: bool,
    /// The contact and card cues of the text, once its numbers have asked about enough.
    pub(super) phone_cues: CueIndex,
    pub(super) card_cues: CueIndex,
}

impl Ctx<'_, '_> {
    /// `index` when the shortcuts are taken.
    pub(super) fn cue_index<'i>(&self, index: &'i CueIndex) -> Option<&'i CueIndex> {
        self.shortcuts.then_some(index)
    }

    #[inline]
    pub(super) fn hit(&mut self, start: usize, end: usize, b: Builtin) {
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
    pub(super) fn left_ok(&self, i: usize, inside: impl Fn(u8) -> bool) -> bool {
        i == 0 || !inside(self.t[i - 1]) || (i == self.max_end && !self.out.is_empty())
    }
}

/// The spans of the findings made before a scanner runs, sorted.
pub(super) struct Made {
    starts: Vec<usize>,
    ends: Vec<usize>,
}

impl Made {
    pub(super) fn new(out: &[Hit]) -> Made {
        let mut starts: Vec<usize> = out.iter().map(|h| h.start).collect();
        let mut ends: Vec<usize> = out.iter().map(|h| h.end).collect();
        starts.sort_unstable();
        ends.sort_unstable();
        Made { starts, ends }
    }

    /// The end of the last finding that ends at or before `i` (0 when none does).
    pub(super) fn floor(&self, i: usize) -> usize {
        match self.ends.partition_point(|&e| e <= i) {
            0 => 0,
            k => self.ends[k - 1],
        }
    }

    /// The start of the first finding that starts at or after `i` (`usize::MAX` when none).
    pub(super) fn ceiling(&self, i: usize) -> usize {
        let k = self.starts.partition_point(|&s| s < i);
        self.starts.get(k).copied().unwrap_or(usize::MAX)
    }

    pub(super) fn ends_at(&self, i: usize) -> bool {
        self.ends.binary_search(&i).is_ok()
    }
}
