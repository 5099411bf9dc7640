//! URLs with credentials: the password of `scheme://user:PASSWORD@host` (only the password is
//! the finding), and the URL authorities that the email scanner leaves alone.

use super::ctx::{Ctx, Made};
use crate::detectors::Builtin;

impl Ctx<'_, '_> {
    pub(super) fn url_password(&mut self, p: usize) {
        let t = self.t;
        let mut k = p;
        while k > 0 && (t[k - 1].is_ascii_alphanumeric() || b"+.-".contains(&t[k - 1])) {
            k -= 1;
        }
        if k == p || !t[k].is_ascii_alphabetic() {
            return;
        }
        let a = p + 3;
        let mut e = a;
        let mut at = None;
        while e < t.len() && e - a < 2048 && !url_stop(t[e]) {
            if t[e] == b'@' {
                at = Some(e);
            }
            e += 1;
        }
        let Some(at) = at else { return };
        if let Some(colon) = memchr::memchr(b':', &t[a..at]) {
            self.hit(a + colon + 1, at, Builtin::UrlPassword);
        }
    }
}

/// The authority parts of the URLs in a text (`scheme://` up to `/?#`, whitespace or a quote),
/// found lazily and in order, so that asking about every `@` stays linear.
pub(super) struct Authorities<'t> {
    t: &'t [u8],
    /// Findings end an authority (`://<SLACK_TOKEN>,bob@example.com`).
    made: &'t Made,
    /// Where the search for the next `://` goes on.
    from: usize,
    /// The authority that contains or follows the last position asked about.
    current: Option<(usize, usize)>,
}

impl<'t> Authorities<'t> {
    pub(super) fn new(t: &'t [u8], made: &'t Made) -> Self {
        Authorities {
            t,
            made,
            from: 0,
            current: None,
        }
    }

    /// True when the `@` at `at` is inside a URL authority (`scheme://user:pass@host`): the
    /// URL password scanner owns that text, and a URL user name is not an address. Positions
    /// must be asked about in increasing order.
    pub(super) fn contains(&mut self, at: usize) -> bool {
        loop {
            if let Some((s, e)) = self.current {
                if at < e {
                    return at >= s;
                }
            }
            // `://` ends with the authority's first byte before it: look for ':' then "//"
            let Some(p) = scheme_sep(self.t, self.from) else {
                self.current = Some((usize::MAX, usize::MAX));
                return false;
            };
            let s = p + 3;
            let limit = self.t.len().min(s + 2048).min(self.made.ceiling(s));
            let e = (s..limit).find(|&i| url_stop(self.t[i])).unwrap_or(limit);
            self.from = s;
            self.current = Some((s, e));
        }
    }
}

/// The next `://` at or after `from` (memchr for the `:`; no searcher to build per call).
fn scheme_sep(t: &[u8], mut from: usize) -> Option<usize> {
    while let Some(k) = memchr::memchr(b':', &t[from..]) {
        let p = from + k;
        if t[p + 1..].starts_with(b"//") {
            return Some(p);
        }
        from = p + 1;
    }
    None
}

/// Bytes that end the authority part of a URL.
fn url_stop(b: u8) -> bool {
    b.is_ascii_whitespace() || b"/?#\"'<>`\\[]{}|^".contains(&b) || b < 0x20
}

#[cfg(test)]
mod tests {
    use crate::detectors::Builtin;
    use crate::scan::tests::one;

    #[test]
    fn url_passwords() {
        assert_eq!(
            one("postgres://admin:s3cr3t@db.example.com:5432/app"),
            Some((Builtin::UrlPassword, "s3cr3t"))
        );
        assert_eq!(one("https://user@example.com/path"), None);
        assert_eq!(
            one("https://ex.com/contact?to=bob@example.com"),
            Some((Builtin::Email, "bob@example.com"))
        );
        assert_eq!(
            one("mysql://app:pa!ss.w0rd@db.example.com"),
            Some((Builtin::UrlPassword, "pa!ss.w0rd"))
        );
        assert_eq!(one("https://example.com/@user"), None);
    }
}
