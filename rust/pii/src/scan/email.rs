//! Email addresses, from each `@`: a local part of at most 64 bytes, a domain of two or more
//! labels and an alphabetic TLD. URL user names and SSH remotes (`git@host:org/repo`) are
//! not addresses.

use super::bytes::{is_word_at, run_end};
use super::ctx::{Ctx, Made, MAX_SECOND_LOOKS};
use super::url::Authorities;
use crate::detectors::Builtin;

impl Ctx<'_, '_> {
    /// Email addresses at the `@`s in `ats` (in order). The `@`s left alone as URL user
    /// names or SSH remotes are added to `later` (up to [`MAX_SECOND_LOOKS`]): a finding
    /// made later may end the URL before them or start after the `:`, as its marker will in
    /// the redacted text.
    pub(super) fn emails(&mut self, ats: impl Iterator<Item = usize>, later: &mut Vec<usize>) {
        let t = self.t;
        let local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-'".contains(&b);
        let mut upto = 0;
        // credentials found around an address bound it (`<SLACK_WEBHOOK>'bob@example.com`)
        let made = Made::new(self.out);
        let mut authorities = Authorities::new(t, &made);
        for at in ats {
            if at < upto {
                continue;
            }
            let floor = made.floor(at);
            let mut s = at;
            while s > floor && at - s <= 64 && local(t[s - 1]) {
                s -= 1;
            }
            // the expansion stopped at the length limit, not at the start of the address
            let cut = s > floor && local(t[s - 1]);
            // an address in single quotes (`{'to': 'bob@example.com'}`) starts after them
            while s < at && matches!(t[s], b'.' | b'\'') {
                s += 1;
            }
            let lp = &t[s..at];
            if lp.is_empty()
                || lp.len() > 64
                || cut
                || lp.ends_with(b".")
                || lp.windows(2).any(|w| w == b"..")
            {
                continue;
            }
            if authorities.contains(at) {
                if later.len() < MAX_SECOND_LOOKS {
                    later.push(at);
                }
                continue;
            }
            let ceiling = made.ceiling(at + 1).min(t.len());
            let Some(end) = domain_end(&t[..ceiling], at + 1) else {
                continue;
            };
            // `git@github.com:org/repo.git` is an SSH remote, not an address
            if end + 1 < ceiling
                && t[end] == b':'
                && (t[end + 1].is_ascii_alphanumeric() || b"/~".contains(&t[end + 1]))
            {
                if later.len() < MAX_SECOND_LOOKS {
                    later.push(at);
                }
                continue;
            }
            self.hit(s, end, Builtin::Email);
            upto = end;
        }
    }
}

/// The end of the domain of an email address starting at `d`, if it is a plausible one:
/// two or more labels of letters, digits and inner hyphens, an alphabetic TLD of 2+ letters.
fn domain_end(t: &[u8], d: usize) -> Option<usize> {
    let mut i = d;
    let mut labels = 0;
    let mut last_label = (d, d);
    let mut end = d;
    loop {
        let ls = i;
        let le = run_end(t, i, |b| b.is_ascii_alphanumeric() || b == b'-');
        if le == ls || le - ls > 63 || t[ls] == b'-' || t[le - 1] == b'-' {
            break;
        }
        labels += 1;
        last_label = (ls, le);
        end = le;
        if end - d > 253 {
            return None;
        }
        if le + 1 < t.len() && t[le] == b'.' && t[le + 1].is_ascii_alphanumeric() {
            i = le + 1;
        } else {
            break;
        }
    }
    let tld = &t[last_label.0..last_label.1];
    let tld_ok = (tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic))
        || (tld.len() > 4 && tld[..4].eq_ignore_ascii_case(b"xn--"));
    (labels >= 2 && tld_ok && !is_word_at(t, end)).then_some(end)
}

#[cfg(test)]
mod tests {
    use crate::detectors::Builtin;
    use crate::scan::tests::one;

    #[test]
    fn emails() {
        use Builtin::Email;
        assert_eq!(
            one("mail john.doe+x@example.co.uk."),
            Some((Email, "john.doe+x@example.co.uk"))
        );
        assert_eq!(
            one("<a_b@sub.example.org>"),
            Some((Email, "a_b@sub.example.org"))
        );
        assert_eq!(one("user@localhost"), None);
        assert_eq!(one("lodash@4.17.21"), None);
        assert_eq!(one("@dataclass"), None);
        assert_eq!(one("a..b@example.com"), None);
        assert_eq!(one("git@github.com:org/repo.git"), None);
        assert_eq!(one("write to a@b.com: thanks"), Some((Email, "a@b.com")));
        assert_eq!(one("x@-bad.com"), None);
    }
}
