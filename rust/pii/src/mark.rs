//! Marking: what replaces a finding. Per detector its action (mask, hash or drop), its mask
//! marker (`<EMAIL>`, from `mask_template` or its own) and its hash marker
//! (`<EMAIL:hmac:...>`: keyed HMAC-SHA256 of the normalized value, truncated hex). Given the
//! findings of a string ([`crate::find`]), this counts them, tells whether one drops the value,
//! and writes the replaced text ([`Marker::apply`]) or the replacements alone ([`Marks`]).

use std::net::IpAddr;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::{Action, PiiConfig};
use crate::detectors::{Builtin, DetectorId};
use crate::outcome::Tally;
use crate::scan::Hit;

/// How a finding is normalized before hashing, so that `+1 415 555 2671` and
/// `+1-415-555-2671` hash alike.
#[derive(Debug, Clone, Copy)]
enum Norm {
    AsIs,
    Lower,
    Digits,
    NoSpaces,
    Ip,
}

/// What replaces the findings of one detector.
struct Mark {
    action: Action,
    marker: String,
    hash_prefix: String,
    hash_suffix: String,
    norm: Norm,
}

/// The marks of every detector (by [`DetectorId`]) and the HMAC key.
pub(crate) struct Marker {
    marks: Vec<Mark>,
    mac: Option<Hmac<Sha256>>,
    hash_len: usize,
}

/// The findings of one string and what replaces each, reused from string to string (the
/// leaves of a JSON document) so that it allocates once.
#[derive(Default)]
pub(crate) struct Marks {
    /// The findings, sorted and apart (as [`crate::find::Finder::find_hits`] leaves them).
    pub(crate) hits: Vec<Hit>,
    /// The replacements back to back; the one of `hits[i]` ends at `ends[i]`.
    text: String,
    ends: Vec<usize>,
}

impl Marks {
    /// True when nothing is replaced.
    pub(crate) fn is_empty(&self) -> bool {
        self.hits.is_empty()
    }

    /// Each finding's span in the string and its replacement, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, usize, &str)> + '_ {
        self.hits.iter().zip(&self.ends).scan(0, |at, (h, &end)| {
            let rep = &self.text[*at..end];
            *at = end;
            Some((h.start, h.end, rep))
        })
    }
}

fn fill(template: &str, name: &str) -> String {
    template
        .replace("{TYPE}", &name.to_ascii_uppercase())
        .replace("{type}", name)
}

impl Marker {
    /// The marks of a validated config: the built-in detectors, then the custom ones.
    pub(crate) fn new(cfg: &PiiConfig) -> Marker {
        let (hash_prefix_t, hash_suffix_t) = cfg
            .hash_template
            .split_once("{HASH}")
            .expect("validated: one {HASH}");
        let mark = |name: &str, action: Action, marker: &Option<String>, norm: Norm| Mark {
            action,
            marker: marker
                .clone()
                .unwrap_or_else(|| fill(&cfg.mask_template, name)),
            hash_prefix: fill(hash_prefix_t, name),
            hash_suffix: fill(hash_suffix_t, name),
            norm,
        };
        let mut marks = Vec::new();
        for b in Builtin::ALL {
            let norm = match b {
                Builtin::Email => Norm::Lower,
                Builtin::Phone | Builtin::CreditCard | Builtin::UsSsn => Norm::Digits,
                Builtin::Iban => Norm::NoSpaces,
                Builtin::IpAddress => Norm::Ip,
                _ => Norm::AsIs,
            };
            let d = cfg.detectors.get(b);
            marks.push(mark(b.name(), cfg.action_of(b), &d.marker, norm));
        }
        for c in &cfg.custom_detectors {
            let action = c.action.unwrap_or(cfg.action);
            marks.push(mark(&c.name, action, &c.marker, Norm::AsIs));
        }
        let mac = cfg.hmac_key.as_ref().map(|k| {
            Hmac::<Sha256>::new_from_slice(k.expose().as_bytes()).expect("HMAC takes any key size")
        });
        Marker {
            marks,
            mac,
            hash_len: cfg.hash_length,
        }
    }

    /// The action of a detector.
    pub(crate) fn action(&self, id: DetectorId) -> Action {
        self.marks[usize::from(id.0)].action
    }

    /// True when hashes are keyed (the key itself is never shown).
    pub(crate) fn is_keyed(&self) -> bool {
        self.mac.is_some()
    }

    /// Counts the hits; true when one of them drops the value.
    pub(crate) fn tally(&self, hits: &[Hit], tally: &mut Tally) -> bool {
        let mut drop = false;
        for h in hits {
            tally.add(DetectorId(h.det));
            drop |= self.marks[usize::from(h.det)].action == Action::Drop;
        }
        drop
    }

    /// `text` with each of its `hits` (sorted, apart) replaced.
    pub(crate) fn apply(&self, text: &str, hits: &[Hit]) -> String {
        let mut out = String::with_capacity(text.len() + 16 * hits.len());
        let mut at = 0;
        for h in hits {
            out.push_str(&text[at..h.start]);
            self.replacement(h.det, &text[h.start..h.end], &mut out);
            at = h.end;
        }
        out.push_str(&text[at..]);
        out
    }

    /// Writes the replacement of each of `marks.hits` (findings in `text`) into `marks`.
    pub(crate) fn mark(&self, text: &str, marks: &mut Marks) {
        marks.text.clear();
        marks.ends.clear();
        for h in &marks.hits {
            self.replacement(h.det, &text[h.start..h.end], &mut marks.text);
            marks.ends.push(marks.text.len());
        }
    }

    /// Appends what replaces `found` (a finding of `det`) to `out`.
    fn replacement(&self, det: u16, found: &str, out: &mut String) {
        let d = &self.marks[usize::from(det)];
        match (d.action, &self.mac) {
            (Action::Hash, Some(mac)) => {
                let mut m = mac.clone();
                match d.norm {
                    Norm::AsIs => m.update(found.as_bytes()),
                    Norm::Lower => m.update(found.to_ascii_lowercase().as_bytes()),
                    Norm::Digits => {
                        let digits: Vec<u8> = found.bytes().filter(u8::is_ascii_digit).collect();
                        m.update(&digits);
                    }
                    Norm::NoSpaces => {
                        let s: Vec<u8> = found.bytes().filter(|b| *b != b' ').collect();
                        m.update(&s);
                    }
                    Norm::Ip => match found.parse::<IpAddr>() {
                        Ok(ip) => m.update(ip.to_string().as_bytes()),
                        Err(_) => m.update(found.as_bytes()),
                    },
                }
                let digest = m.finalize().into_bytes();
                out.push_str(&d.hash_prefix);
                for b in &digest[..self.hash_len / 2] {
                    out.push(char::from(b"0123456789abcdef"[usize::from(b >> 4)]));
                    out.push(char::from(b"0123456789abcdef"[usize::from(b & 15)]));
                }
                out.push_str(&d.hash_suffix);
            }
            // config validation guarantees a key whenever a detector hashes; should that ever
            // not hold, mask: never an unkeyed hash, never the value
            _ => out.push_str(&d.marker),
        }
    }
}
