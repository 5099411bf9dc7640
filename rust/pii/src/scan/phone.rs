//! Phone numbers: international (`+` or `00` and an assigned country code, E.164), North
//! American (NANP rules) and national numbers with a trunk `0`, written with separators; a
//! number without separators only after a phone keyword.

use super::groups::{Group, MAX_FINDING_GROUPS};
use crate::validate;

/// True when the groups (`plus`: after a `+`) are a phone number written with separators.
pub(super) fn phone(
    gs: &[Group],
    plus: bool,
    run_start: bool,
    digits: &[u8],
    uniform: bool,
) -> bool {
    let mut lens_buf = [0usize; MAX_FINDING_GROUPS];
    let mut parens_buf = [false; MAX_FINDING_GROUPS];
    for (i, g) in gs.iter().enumerate() {
        lens_buf[i] = g.e - g.s;
        parens_buf[i] = g.paren;
    }
    let lens = &lens_buf[..gs.len()];
    let parens = &parens_buf[..gs.len()];
    let nd = digits.len();
    let intl = plus
        || (run_start
            && digits.starts_with(b"00")
            && gs.len() >= 2
            && lens[0] >= 2
            && !gs[0].paren);
    if intl {
        // `+44 (0)20 ...`: the parenthesized trunk 0 is not dialled from abroad
        let mut buf = [0u8; 20];
        let mut n = 0;
        let mut at = 0;
        for (i, g) in gs.iter().enumerate() {
            let l = lens[i];
            if !(i >= 1 && g.paren && l == 1 && digits[at] == b'0') {
                buf[n..n + l].copy_from_slice(&digits[at..at + l]);
                n += l;
            }
            at += l;
        }
        let d = if plus { &buf[..n] } else { &buf[2..n] };
        // only the area code may be in parentheses
        if gs.iter().skip(2).any(|g| g.paren) {
            return false;
        }
        if validate::e164(d) {
            return true;
        }
        // `+44 020 7946 0958`: a trunk 0 kept by mistake is still that phone number
        return validate::country_code(d).is_some_and(|(_, nsn)| {
            nsn.first() == Some(&b'0') && {
                let cc_len = d.len() - nsn.len();
                let mut fixed = [0u8; 20];
                fixed[..cc_len].copy_from_slice(&d[..cc_len]);
                fixed[cc_len..d.len() - 1].copy_from_slice(&nsn[1..]);
                validate::e164(&fixed[..d.len() - 1])
            }
        });
    }
    // North American: (NPA) NXX-XXXX, NPA-NXX-XXXX, NPA.NXX.XXXX, 1-NPA-NXX-XXXX
    let nanp_groups = |g: &[Group], l: &[usize], p: &[bool]| match l {
        [3, 3, 4] => !p[1] && !p[2] && (p[0] || (g[1].sep != 0 && g[1].sep == g[2].sep)),
        [3, 7] => p[0] && !p[1],
        _ => false,
    };
    if nd == 10 && nanp_groups(gs, lens, parens) {
        // NANP-shaped numbers are judged by NANP rules alone: (012) 345-6789 is not a
        // national number with a trunk 0
        return validate::nanp(digits);
    }
    if nd == 11
        && digits[0] == b'1'
        && lens[0] == 1
        && !parens[0]
        && gs.len() > 1
        && nanp_groups(&gs[1..], &lens[1..], &parens[1..])
    {
        return validate::nanp(&digits[1..]);
    }
    // national numbers with a trunk 0: 020 7946 0958, 01 23 45 67 89, 030 12345678
    if run_start
        && digits[0] == b'0'
        && digits.get(1).is_some_and(|&d| d != b'0')
        && (10..=11).contains(&nd)
        && (2..=6).contains(&gs.len())
        && lens.iter().all(|&l| l >= 2)
        && !parens[1..].iter().any(|&p| p)
    {
        let seps_ok = if parens[0] {
            gs.len() < 3 || gs[3..].iter().all(|g| g.sep == gs[2].sep)
        } else {
            uniform && gs[1].sep != 0
        };
        return seps_ok;
    }
    false
}

/// A phone number written without separators (`4155552671`, `14155552671`, `07700900123`):
/// NANP rules or a national trunk 0. Only with a phone keyword before it (see
/// [`phone_keyword`]): half of all random 10-digit ids pass the NANP rules.
pub(super) fn bare_phone(d: &[u8]) -> bool {
    match d.len() {
        10 => validate::nanp(d) || (d[0] == b'0' && d[1] != b'0'),
        11 => (d[0] == b'1' && validate::nanp(&d[1..])) || (d[0] == b'0' && d[1] != b'0'),
        _ => false,
    }
}

/// True when one of `phone`, `tel`, `call`, `mobile`, `cell`, `whatsapp`, `sms`, `fax` or
/// `contact` (any case) ends within the 32 bytes before `s`.
pub(super) fn phone_keyword(t: &[u8], s: usize) -> bool {
    let before = t[s.saturating_sub(32)..s].to_ascii_lowercase();
    [
        &b"phone"[..],
        b"tel",
        b"call",
        b"mobile",
        b"cell",
        b"whatsapp",
        b"sms",
        b"fax",
        b"contact",
    ]
    .iter()
    .any(|k| before.windows(k.len()).any(|w| w == *k))
}

#[cfg(test)]
mod tests {
    use crate::detectors::Builtin;
    use crate::scan::tests::one;

    #[test]
    fn phones() {
        use Builtin::Phone;
        for p in [
            "+1 415 555 2671",
            "+1-415-555-2671",
            "+14155552671",
            "+1 (415) 555-2671",
            "(415) 555-2671",
            "(415)555-2671",
            "415-555-2671",
            "415.555.2671",
            "415 555 2671",
            "1-415-555-2671",
            "+44 20 7946 0958",
            "+44 (0)20 7946 0958",
            "+44(0)20 7946 0958",
            "0044 20 7946 0958",
            "020 7946 0958",
            "07700 900123",
            "+49 30 12345678",
            "030 12345678",
            "+33 1 23 45 67 89",
            "01 23 45 67 89",
            "+91 98765 43210",
            "+81 3-1234-5678",
            "+61 2 9876 5432",
            "+44 020 7946 0958",
        ] {
            let text = format!("call {p}, thanks");
            assert_eq!(one(&text), Some((Phone, p)), "{p}");
        }
        for p in [
            "123-456-7890",     // NPA starts with 1
            "415-155-2671",     // NXX starts with 1
            "4155552671",       // no separators, no +
            "+999 123 456 789", // unassigned country code
            "+1 415 555 267",   // too short
            "+44 0 7946 0958",  // too short once the trunk 0 is dropped
            "2024-01-15",
            "10:30:45",
            "1.2.3",
            "0.5 12 34",
            "order 2024-000123",
            "(012) 345-6789",
            "+289 415 555 2671",
        ] {
            assert_eq!(one(&format!("x {p} y")), None, "{p}");
        }
        assert_eq!(
            one("tel 415-555-2671x204"),
            Some((Builtin::Phone, "415-555-2671"))
        );
    }

    #[test]
    fn bare_numbers_need_a_phone_keyword() {
        use Builtin::Phone;
        assert_eq!(one("Call me at 4155552671!"), Some((Phone, "4155552671")));
        assert_eq!(one("mobile: 07700900123"), Some((Phone, "07700900123")));
        assert_eq!(one("tel 14155552671"), Some((Phone, "14155552671")));
        assert_eq!(one("order 4155552671"), None);
        assert_eq!(one("phone 1155552671"), None); // NPA starts with 1
        assert_eq!(one("call at 1712345678"), None); // a timestamp is never NANP
    }
}
