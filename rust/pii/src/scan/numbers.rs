//! Numbers: the digit search, and the runs of digit groups it finds judged group by group.
//! Card numbers (Luhn and issuer prefix) are looked for first, also where a dash joins them to
//! a longer run; the rest of a run goes to the IPv4 ([`super::network`]), SSN
//! ([`super::ids`]) and phone ([`super::phone`]) checks. IBANs start at two capital letters
//! before a digit ([`super::ids`]).

use super::bytes::{is_word, next_digit, skip_word};
use super::ctx::{Ctx, Made};
use super::groups::{
    number_left, parse_groups, Edge, Group, Groups, MAX_FINDING_GROUPS, MAX_RUN_GROUPS,
};
use super::ids::{iban_at, us_ssn};
use super::network::dotted_quad;
use super::phone::{bare_phone, card_cue, cued_phone, extension_end, phone, phone_cue};
use crate::detectors::Builtin;
use crate::validate;

impl Ctx<'_, '_> {
    pub(super) fn numbers(&mut self) {
        let t = self.t;
        // made on the first run: most strings have none worth parsing
        let mut groups: Option<Groups> = None;
        // findings made so far bound a number as their markers will in the redacted text
        // (`<AWS_ACCESS_KEY_ID>-4111111111111111`); this scanner's own come in order
        let made = Made::new(self.out);
        let mut own_end = None;
        let mut i = 0;
        while let Some(d) = next_digit(t, i) {
            if self.on[Builtin::Iban as usize]
                && d >= 2
                && t[d - 1].is_ascii_uppercase()
                && t[d - 2].is_ascii_uppercase()
                && (d == 2 || !is_word(t[d - 3]))
            {
                if let Some(end) = iban_at(t, d - 2) {
                    self.hit(d - 2, end, Builtin::Iban);
                    i = end;
                    continue;
                }
            }
            let st = if d > 0 && (t[d - 1] == b'+' || t[d - 1] == b'(') {
                d - 1
            } else {
                d
            };
            let after_finding = |e: usize| made.ends_at(e) || own_end == Some(e);
            let left = if st > 0
                && (after_finding(st) || (after_finding(st - 1) && !is_word(t[st - 1])))
            {
                Edge::Open
            } else {
                number_left(t, st)
            };
            if left == Edge::Closed {
                i = skip_word(t, d);
                continue;
            }
            let n = self.out.len();
            // a finding after the run ends it, as its marker will (`+4310000<SLACK_WEBHOOK>`)
            let stop = made.ceiling(d + 1).min(t.len());
            i = self
                .digit_run(st, left, stop, groups.get_or_insert_with(Groups::default))
                .max(d + 1);
            if let Some(e) = self.out[n..].iter().map(|h| h.end).max() {
                own_end = Some(e);
            }
        }
    }

    /// Parses the run of digit groups at `st` (whose left edge is `left`, and which ends at
    /// `stop` at the latest) and records the findings in it; returns where scanning goes on.
    ///
    /// A finding starts and ends at whitespace or at the ends of the run. Card numbers are
    /// looked for first, also where a dash joins them to the run (`ref 12-4111111111111111`,
    /// `2024-4111-1111-1111-1111`) or a [`Edge::CardOnly`] edge starts it; the rest is then
    /// judged as if each card were cut out, which is what the text redacted once more looks
    /// like (so redacting is idempotent).
    fn digit_run(&mut self, st: usize, left: Edge, stop: usize, groups: &mut Groups) -> usize {
        let t = self.t;
        let plus = t[st] == b'+';
        let (end, glued) = parse_groups(&t[..stop], if plus { st + 1 } else { st }, groups);
        let groups = groups.as_slice();
        let n = groups.len();
        if self.shortcuts && cannot_hold_a_finding(groups) {
            return glued.map_or(end, |g| skip_word(t, g));
        }
        let capped = n == MAX_RUN_GROUPS;
        // findings may start in this many groups; with a capped run the rest is parsed again
        let starts = if capped {
            MAX_RUN_GROUPS - MAX_FINDING_GROUPS
        } else {
            n
        };
        // digits before each group, so hopeless candidates skip the validators
        let mut before = [0usize; MAX_RUN_GROUPS + 1];
        for (k, g) in groups.iter().enumerate() {
            before[k + 1] = before[k] + (g.e - g.s);
        }
        let worth = |i: usize, j: usize| {
            let nd = before[j + 1] - before[i];
            // the shortest finding is an IPv4 address (4 dotted groups) or a 7-digit phone
            nd <= 20 && (nd >= 7 || (j - i == 3 && groups[i + 1..=j].iter().all(|g| g.sep == b'.')))
        };
        // 12-digit cards (Maestro, or any card the text names) only where a whole run of
        // groups is one: never as the part of a longer number a dash joins
        let card_digits = |i: usize, j: usize| (13..=19).contains(&(before[j + 1] - before[i]));
        // groups as bits (a run has at most 32): in a finding, first and last of one
        let bit = |k: usize| 1u64 << k;
        let span = |i: usize, j: usize| (bit(j + 1) - 1) & !(bit(i) - 1);
        let mut found = Found::default();
        // the edge before group k > 0; one beside a finding is open, as in the redacted text
        let inner = |k: usize, f: &Found| {
            let g = &groups[k];
            if g.space || f.ends & bit(k - 1) != 0 || f.firsts & bit(k) != 0 {
                Edge::Open
            } else if g.sep == b'-' {
                Edge::Dash
            } else {
                Edge::Closed
            }
        };
        let from = |i: usize, f: &Found| if i == 0 { left } else { inner(i, f) };
        let to = |j: usize, f: &Found| {
            if j + 1 < n {
                inner(j + 1, f)
            } else {
                Edge::Open
            }
        };
        let card_edge = |e: Edge| matches!(e, Edge::Dash | Edge::CardOnly);

        if self.on[Builtin::CreditCard as usize]
            && (left == Edge::CardOnly || groups.iter().any(|g| g.sep == b'-' && !g.space))
        {
            // one group of 13-19 digits between any edges that are not closed
            for k in 0..starts {
                let (a, b) = (from(k, &found), to(k, &found));
                if a != Edge::Closed
                    && b != Edge::Closed
                    && (card_edge(a) || card_edge(b))
                    && card_digits(k, k)
                    && self.classify(&groups[k..=k], false, false, true)
                        == Some(Builtin::CreditCard)
                {
                    self.hit(groups[k].s, groups[k].e, Builtin::CreditCard);
                    found.add(k, k, groups[k].e, bit);
                }
            }
            // grouped cards with one open edge and one card edge; a dash must join them to
            // one more group only, not to a long dashed id
            let lone = |k: usize, f: &Found| k == 0 || inner(k, f) == Edge::Open;
            let mut i = 0;
            while i < starts {
                let last = (i + 4).min(n - 1);
                // a card that is the whole rest of the run is the main loop's, whole: not a
                // shorter card inside it that a dash joins to its last digits
                if from(i, &found) == Edge::Open
                    && n - i <= 5
                    && (12..=19).contains(&(before[n] - before[i]))
                    && self.classify(&groups[i..n], false, false, false)
                        == Some(Builtin::CreditCard)
                {
                    break;
                }
                let hit = (i + 1..=last).rev().find(|&j| {
                    let (a, b) = (from(i, &found), to(j, &found));
                    found.taken & span(i, j) == 0
                        && ((card_edge(a) && b == Edge::Open) || (a == Edge::Open && card_edge(b)))
                        && (a != Edge::Dash || lone(i - 1, &found))
                        && (b != Edge::Dash || j + 2 == n || to(j + 1, &found) == Edge::Open)
                        && card_digits(i, j)
                        && groups[i].e - groups[i].s == 4
                        && self.classify(&groups[i..=j], false, false, true)
                            == Some(Builtin::CreditCard)
                });
                match hit {
                    Some(j) => {
                        self.hit(groups[i].s, groups[j].e, Builtin::CreditCard);
                        found.add(i, j, groups[j].e, bit);
                        i = j + 1;
                    }
                    None => i += 1,
                }
            }
        }

        let open = |e: Edge| e == Edge::Open;
        let mut i = 0;
        while i < starts {
            if i > 0 && plus && found.resume.is_none() {
                // the tail of an invalid international number is not a national one
                break;
            }
            if found.taken & bit(i) != 0 || !open(from(i, &found)) {
                i += 1;
                continue;
            }
            // the run starts here, or a finding ended just before
            let fresh = i == 0 || found.ends & bit(i - 1) != 0;
            let last = (i + MAX_FINDING_GROUPS).min(n) - 1;
            let hit = (i..=last).rev().find_map(|j| {
                if !open(to(j, &found)) || found.taken & span(i, j) != 0 || !worth(i, j) {
                    return None;
                }
                let kind = self.classify(&groups[i..=j], plus && i == 0, fresh, false)?;
                Some((j, kind))
            });
            match hit {
                Some((j, kind)) => {
                    let g = &groups[i];
                    // a card is its digits: `+<CREDIT_CARD>`, `(<CREDIT_CARD>)`
                    let frame = kind != Builtin::CreditCard;
                    let s =
                        g.s - usize::from(frame && g.paren) - usize::from(frame && plus && i == 0);
                    let mut e = groups[j].e + usize::from(frame && groups[j].paren);
                    if kind == Builtin::Phone {
                        e = extension_end(t, e);
                    }
                    self.hit(s, e, kind);
                    found.add(i, j, e, bit);
                    i = j + 1;
                }
                None => i += 1,
            }
        }
        if capped {
            let from = groups[starts.max(i).min(n - 1)].s;
            return found.resume.map_or(from, |r| r.max(from));
        }
        match glued {
            Some(g) => skip_word(t, g),
            None => end,
        }
    }

    /// The detector whose validator accepts these groups. `run_start`: the groups start the
    /// run or follow a finding (national numbers with a trunk 0 are not looked for inside
    /// longer runs);
    /// `card_only`: a dash or an [`Edge::CardOnly`] edge beside them allows a card number and
    /// nothing else.
    fn classify(
        &self,
        gs: &[Group],
        plus: bool,
        run_start: bool,
        card_only: bool,
    ) -> Option<Builtin> {
        let t = self.t;
        let nd: usize = gs.iter().map(|g| g.e - g.s).sum();
        if nd > 20 {
            return None;
        }
        let mut buf = [0u8; 20];
        let mut k = 0;
        for g in gs {
            buf[k..k + g.e - g.s].copy_from_slice(&t[g.s..g.e]);
            k += g.e - g.s;
        }
        let digits = &buf[..nd];
        let lens = |i: usize| gs[i].e - gs[i].s;
        let parens = gs.iter().any(|g| g.paren);
        let uniform = gs.len() < 2 || gs[2..].iter().all(|g| g.sep == gs[1].sep);
        let on = |b: Builtin| self.on[b as usize];
        // where the number is written, with its parentheses and `+`
        let (ws, we) = (
            gs[0].s - usize::from(gs[0].paren) - usize::from(plus),
            gs[gs.len() - 1].e + usize::from(gs[gs.len() - 1].paren),
        );
        // one group may be in parentheses, `(4111111111111111)`: the parentheses stay; in
        // groups of 4 the last may be shorter (a 13-digit Visa: 4-4-4-1)
        let card = || {
            on(Builtin::CreditCard)
                && (12..=19).contains(&nd)
                && (gs.len() == 1
                    || (gs.len() <= 5
                        && !parens
                        && uniform
                        && matches!(gs[1].sep, b' ' | b'-')
                        && lens(0) == 4
                        && (1..gs.len()).all(|i| {
                            (2..=6).contains(&lens(i))
                                || (i + 1 == gs.len()
                                    && lens(i) >= 1
                                    && (1..i).all(|k| lens(k) == 4))
                        })))
                && (validate::card_brand(digits).is_some()
                    // any issuer, 12 digits and up, where the text says it is a card
                    || (validate::luhn(digits) && card_cue(t, ws, we, self.cue_index(&self.card_cues))))
        };
        if card_only {
            return card().then_some(Builtin::CreditCard);
        }

        if on(Builtin::IpAddress) && !plus && !parens && dotted_quad(t, gs) {
            return Some(Builtin::IpAddress);
        }
        if on(Builtin::UsSsn) && !plus && !parens && us_ssn(gs, digits, uniform) {
            return Some(Builtin::UsSsn);
        }
        // after `+` a phone number comes first: `+4915112345678` has a Visa prefix and passes
        // Luhn, and is a German mobile number
        if !plus && card() {
            return Some(Builtin::CreditCard);
        }
        if on(Builtin::Phone)
            && (phone(gs, plus, run_start, digits, uniform)
                || (gs.len() == 1
                    && !plus
                    && bare_phone(digits)
                    && (phone_cue(t, ws, we, self.cue_index(&self.phone_cues))
                        || self
                            .phone_end
                            .is_some_and(|e| e <= gs[0].s && gs[0].s - e <= 32)))
                || ((run_start || plus)
                    && cued_phone(gs, plus, digits)
                    && phone_cue(t, ws, we, self.cue_index(&self.phone_cues))))
        {
            return Some(Builtin::Phone);
        }
        (plus && card()).then_some(Builtin::CreditCard)
    }
}

/// The findings made so far in one run of digit groups, as bit sets over its groups.
#[derive(Default)]
struct Found {
    /// Groups inside a finding.
    taken: u64,
    /// Groups that start a finding.
    firsts: u64,
    /// Groups that end a finding.
    ends: u64,
    /// Where the last finding ends (bytes).
    resume: Option<usize>,
}

impl Found {
    fn add(&mut self, i: usize, j: usize, end: usize, bit: impl Fn(usize) -> u64) {
        for k in i..=j {
            self.taken |= bit(k);
        }
        self.firsts |= bit(i);
        self.ends |= bit(j);
        self.resume = Some(self.resume.map_or(end, |r| r.max(end)));
    }
}

/// True when no part of a run is worth judging: fewer than 7 digits in all (the shortest
/// phone number; cards, SSNs and IBAN digits are longer) and no four groups joined by dots
/// (an IPv4 address). Most runs in technical text are such (`87.5`, `2024`, `v1.2`, `:8080`),
/// and skipping them skips the judging's set-up.
fn cannot_hold_a_finding(groups: &[Group]) -> bool {
    let digits: usize = groups.iter().map(|g| g.e - g.s).sum();
    digits < 7
        && !groups
            .windows(4)
            .any(|w| w[1..].iter().all(|g| g.sep == b'.'))
}

#[cfg(test)]
mod tests {
    use crate::detectors::Builtin;
    use crate::scan::tests::one;

    #[test]
    fn cards() {
        use Builtin::CreditCard;
        for c in [
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "4111111111111111",
            "5555 5555 5555 4444",
            "2223 0031 2200 3222",
            "3782 822463 10005",
            "6011 1111 1111 1117",
            "3530 1113 3330 0000",
            "3056 930902 5904",
            "4111 1111 1111 1111 003",
        ] {
            assert_eq!(one(&format!("card: {c}.")), Some((CreditCard, c)), "{c}");
        }
        assert_eq!(one("card 4111 1111 1111 1112"), None);
        assert_eq!(one("id 4111111111111111abc"), None);
        assert_eq!(one("4111 1111-1111 1111"), None);
    }
}
