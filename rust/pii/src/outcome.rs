//! What redacting one value gives back ([`Redacted`]) and counts ([`Tally`]): the vocabulary
//! the engine, the JSON walk and the stage share. Counts only, never found text.

use crate::detectors::DetectorId;

/// The marker that replaces a value that could not be scanned (fail closed).
pub const UNSCANNABLE_MARKER: &str = "<UNSCANNABLE>";
/// The type reported for unscannable values.
pub const UNSCANNABLE_TYPE: &str = "unscannable";

/// The outcome of redacting one value (a string, or bytes for bytes values).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redacted<T = String> {
    /// Nothing found.
    Unchanged,
    /// The value with its findings replaced (or the unscannable marker).
    Changed(T),
    /// A finding's action is `drop`: delete the value.
    Drop,
}

/// Findings counted by detector, for the per-item report and the component counters. Holds
/// counts only, never text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    counts: Vec<u32>,
    unscannable: u32,
}

impl Tally {
    /// Counts one finding.
    pub fn add(&mut self, id: DetectorId) {
        let i = usize::from(id.0);
        if self.counts.len() <= i {
            self.counts.resize(i + 1, 0);
        }
        self.counts[i] += 1;
    }

    /// Counts one value that could not be scanned.
    pub fn add_unscannable(&mut self) {
        self.unscannable += 1;
    }

    /// Adds another tally.
    pub fn merge(&mut self, other: &Tally) {
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.unscannable += other.unscannable;
    }

    /// Findings plus unscannable values.
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|&c| u64::from(c)).sum::<u64>() + u64::from(self.unscannable)
    }

    /// True when nothing was counted.
    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    /// Values that could not be scanned.
    pub fn unscannable(&self) -> u32 {
        self.unscannable
    }

    /// Findings by detector (non-zero counts only).
    pub fn by_detector(&self) -> impl Iterator<Item = (DetectorId, u32)> + '_ {
        self.counts
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .map(|(i, &c)| (DetectorId(i as u16), c))
    }

    /// Forgets everything, keeping the allocation.
    pub fn clear(&mut self) {
        self.counts.iter_mut().for_each(|c| *c = 0);
        self.unscannable = 0;
    }
}
