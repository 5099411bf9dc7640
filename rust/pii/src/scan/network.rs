//! IP addresses: IPv6 from each `:` (bounded expansion, Python slices and `std::vector` kept
//! out), IPv4 as a dotted quad of digit groups (not after a version keyword), both parsed
//! with `std::net`.

use super::bytes::{is_word, is_word_at, run_end};
use super::ctx::{Ctx, Made};
use super::groups::Group;
use crate::detectors::Builtin;
use crate::validate;

impl Ctx<'_, '_> {
    pub(super) fn ipv6(&mut self) {
        let t = self.t;
        let v6 = |b: u8| b.is_ascii_hexdigit() || b == b':' || b == b'.';
        let mut upto = 0;
        // addresses found beside a candidate bound it (`DE89::<EMAIL>`)
        let made = Made::new(self.out);
        for c in memchr::memchr_iter(b':', t) {
            if c < upto {
                continue;
            }
            let (floor, ceiling) = (made.floor(c), made.ceiling(c).min(t.len()));
            let mut s = c;
            while s > floor && c - s < 45 && v6(t[s - 1]) {
                s -= 1;
            }
            let mut e = run_end(&t[..ceiling], c, v6);
            upto = e;
            if e - s > 45 {
                continue;
            }
            while e > s && t[e - 1] == b'.' {
                e -= 1;
            }
            let cand = &t[s..e];
            if (s > floor && (is_word(t[s - 1]) || t[s - 1] == b':'))
                || is_word_at(&t[..ceiling], e)
                || memchr::memchr_iter(b':', cand).count() < 2
                || !cand.iter().any(u8::is_ascii_digit)
                || python_slice(t, s, e)
            {
                continue;
            }
            if validate::ipv6(cand) {
                self.hit(s, e, Builtin::IpAddress);
            }
        }
    }
}

/// Four groups of at most three digits joined by single dots that parse as an IPv4 address,
/// not after a version keyword.
pub(super) fn dotted_quad(t: &[u8], gs: &[Group]) -> bool {
    let lens = |i: usize| gs[i].e - gs[i].s;
    gs.len() == 4
        && gs[1..].iter().all(|g| g.sep == b'.' && !g.space)
        && (0..4).all(|i| lens(i) <= 3)
        && validate::ipv4(&t[gs[0].s..gs[3].e])
        && !version_context(t, gs[0].s)
}

/// True when the dotted quad at `s` follows a version keyword (`version 1.2.0.0`,
/// `AssemblyVersion("1.0.0.0")`, `Build 5.1.22.7`): a four-part version, not an address.
fn version_context(t: &[u8], s: usize) -> bool {
    let mut k = s;
    while k > 0 && s - k < 4 && b" \t\"'(=:".contains(&t[k - 1]) {
        k -= 1;
    }
    let mut w = k;
    while w > 0 && k - w < 24 && t[w - 1].is_ascii_alphabetic() {
        w -= 1;
    }
    let word = t[w..k].to_ascii_lowercase();
    [
        &b"version"[..],
        b"ver",
        b"release",
        b"build",
        b"firmware",
        b"revision",
        b"rev",
    ]
    .iter()
    .any(|kw| word.ends_with(kw))
}

/// `a[1::2]`, `m[:, 0::3]`: a Python slice looks like a short IPv6 address. A candidate of at
/// most two decimal groups is taken for a slice, unless it is the loopback `::1` or sits in
/// an address context: after `//[` or before `]:port`.
fn python_slice(t: &[u8], s: usize, e: usize) -> bool {
    let cand = &t[s..e];
    cand != b"::1"
        && !t[..s].ends_with(b"//[")
        && !t[e..].starts_with(b"]:")
        && cand.iter().all(|&b| b == b':' || b.is_ascii_digit())
        && cand.split(|&b| b == b':').filter(|g| !g.is_empty()).count() <= 2
}

#[cfg(test)]
mod tests {
    use crate::detectors::Builtin;
    use crate::scan::tests::one;

    #[test]
    fn ip_addresses() {
        assert_eq!(
            one("from 192.168.1.20:8080"),
            Some((Builtin::IpAddress, "192.168.1.20"))
        );
        assert_eq!(one("v1.2.3.4"), None);
        assert_eq!(one("version 1.2.3.4"), None);
        assert_eq!(one("[assembly: AssemblyVersion(\"1.0.0.0\")]"), None);
        assert_eq!(one("host 1.2.3.4"), Some((Builtin::IpAddress, "1.2.3.4")));
        assert_eq!(one("1.2.3.4.5"), None);
        assert_eq!(one("999.1.1.1"), None);
        assert_eq!(
            one("at [2001:db8::8a2e:370:7334]:443"),
            Some((Builtin::IpAddress, "2001:db8::8a2e:370:7334"))
        );
        assert_eq!(one("std::vector"), None);
        assert_eq!(one("evens = a[1::2]"), None);
        assert_eq!(one("x[::2]"), None);
        assert_eq!(one("http://[::1]:8080/"), Some((Builtin::IpAddress, "::1")));
        assert_eq!(one("[fe80::1:2]"), Some((Builtin::IpAddress, "fe80::1:2")));
        assert_eq!(one("listen [::1]:8080"), Some((Builtin::IpAddress, "::1")));
        assert_eq!(one("m[:, 1::2]"), None);
        assert_eq!(
            one("http://[2001::1]/"),
            Some((Builtin::IpAddress, "2001::1"))
        );
        assert_eq!(one("12:30:45"), None);
        assert_eq!(one("mac 00:1a:2b:3c:4d:5e"), None);
    }
}
