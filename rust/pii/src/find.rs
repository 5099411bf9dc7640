//! Finding: the built-in scanners ([`crate::scan`]) and the custom regexes run over one
//! string, the allow lists applied, and overlapping findings merged into their union, typed
//! by the detector that takes precedence (custom detectors first, then [`Builtin::ALL`]
//! order). What replaces a finding is decided elsewhere ([`crate::mark`]).

use std::collections::HashSet;

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use crate::config::{regex_reason, ConfigError, PiiConfig};
use crate::detectors::{Builtin, DetectorId};
use crate::scan::{Hit, Scanner};

/// Compiled size limit of user regexes (custom detectors, allow patterns).
const REGEX_SIZE_LIMIT: usize = 1 << 22;

/// A finding: a byte span of the scanned text and its detector. It holds no text, so it can
/// be logged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    /// First byte.
    pub start: usize,
    /// After the last byte.
    pub end: usize,
    /// The detector (after overlaps were merged: the one that takes precedence).
    pub detector: DetectorId,
}

/// The detectors of one config, compiled: built-in scanners, custom regexes, allow lists.
pub(crate) struct Finder {
    scanner: Scanner,
    customs: Vec<Regex>,
    allow_values: HashSet<String>,
    allow_patterns: Option<RegexSet>,
    /// Overlap precedence by detector id: lower wins.
    ranks: Vec<u16>,
}

impl Finder {
    /// Compiles the detectors of a validated config. Fails (naming the key) on a regex that
    /// does not compile or a custom pattern that matches the empty string.
    pub(crate) fn new(cfg: &PiiConfig) -> Result<Finder, ConfigError> {
        let mut on = [false; Builtin::ALL.len()];
        let ncustom = cfg.custom_detectors.len() as u16;
        let mut ranks = Vec::new();
        for b in Builtin::ALL {
            on[b as usize] = cfg.detectors.get(b).enabled;
            ranks.push(b as u16 + ncustom);
        }
        let mut customs = Vec::new();
        for (index, c) in cfg.custom_detectors.iter().enumerate() {
            let re = RegexBuilder::new(&c.pattern)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| ConfigError::CustomPattern {
                    index,
                    reason: regex_reason(&e),
                })?;
            if re.is_match("") {
                return Err(ConfigError::CustomPatternEmpty { index });
            }
            customs.push(re);
            ranks.push(index as u16);
        }
        for (index, p) in cfg.allow.patterns.iter().enumerate() {
            // compiled one by one first, so the error names the pattern
            RegexBuilder::new(p)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| ConfigError::AllowPattern {
                    index,
                    reason: regex_reason(&e),
                })?;
        }
        let allow_patterns = (!cfg.allow.patterns.is_empty())
            .then(|| {
                RegexSetBuilder::new(cfg.allow.patterns.iter().map(|p| format!("^(?:{p})$")))
                    .size_limit(REGEX_SIZE_LIMIT * 4)
                    .build()
            })
            .transpose()
            .map_err(|e| ConfigError::AllowPattern {
                index: 0,
                reason: regex_reason(&e),
            })?;
        Ok(Finder {
            scanner: Scanner::new(on),
            customs,
            allow_values: cfg.allow.values.iter().cloned().collect(),
            allow_patterns,
            ranks,
        })
    }

    /// The findings in `text`, into `hits` (cleared first): validated, allow lists applied,
    /// overlaps merged, sorted.
    pub(crate) fn find_hits(&self, text: &str, hits: &mut Vec<Hit>) {
        hits.clear();
        self.scanner.scan(text, hits);
        let base = Builtin::ALL.len() as u16;
        for (i, re) in self.customs.iter().enumerate() {
            for m in re.find_iter(text) {
                if !m.is_empty() {
                    hits.push(Hit {
                        start: m.start(),
                        end: m.end(),
                        det: base + i as u16,
                    });
                }
            }
        }
        if hits.is_empty() {
            return;
        }
        if !self.allow_values.is_empty() || self.allow_patterns.is_some() {
            hits.retain(|h| !self.allowed(&text[h.start..h.end]));
        }
        if hits.len() > 1 {
            hits.sort_unstable_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
            let mut w = 0;
            for r in 1..hits.len() {
                let h = hits[r];
                let cur = &mut hits[w];
                if h.start < cur.end {
                    cur.end = cur.end.max(h.end);
                    if self.ranks[usize::from(h.det)] < self.ranks[usize::from(cur.det)] {
                        cur.det = h.det;
                    }
                } else {
                    w += 1;
                    hits[w] = h;
                }
            }
            hits.truncate(w + 1);
        }
    }

    fn allowed(&self, found: &str) -> bool {
        self.allow_values.contains(found)
            || self
                .allow_patterns
                .as_ref()
                .is_some_and(|s| s.is_match(found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(json: &str) -> String {
        PiiConfig::from_json(json.as_bytes())
            .and_then(|c| Finder::new(&c).map(|_| c))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn regex_errors_name_the_key() {
        assert_eq!(
            err(
                r#"{"custom_detectors": [{"name": "a", "pattern": "x"}, {"name": "b", "pattern": "(x"}]}"#
            ),
            "custom_detectors[1].pattern: invalid regex: unclosed group"
        );
        assert_eq!(
            err(r#"{"custom_detectors": [{"name": "a", "pattern": "x*"}]}"#),
            "custom_detectors[0].pattern: matches the empty string"
        );
        assert_eq!(
            err(r#"{"allow": {"patterns": ["ok", "[z-a]"]}}"#),
            "allow.patterns[1]: invalid regex: invalid character class range, the start must be <= the end"
        );
    }
}
